"""Submissions of every topic for the end-to-end tests of the cohort grader (`test_pipeline.py`,
`test_pipeline_topics.py`): the reference, the untouched release, a submission with every exercise
wrong and one with a correct alternative of the corpus in every exercise (see `submissions`)."""

import nbformat

from course.grader import coursedir, pipeline
from devtools import demo
from course.grader.coursedir import Limits
from harness import ROOT, correct_answers, topic, wrong_answers

ASSIGNMENTS = [a for a in coursedir.assignments(ROOT) if (ROOT / "grader_tests" / "corpus" / f"{a}.py").is_file()]
DEMO_ASSIGNMENT = "01_gradient_descent"

# Time limits given, not derived from a run of each instructor notebook (that path, `Limits.from_reference`,
# is tested on the tiny course in test_resume.py); wide enough for the slowest notebook under load.
LIMITS = dict(cell_timeout=300, notebook_timeout=900)

# Topics whose notebooks train networks while graded: the fast harness already proves that each of
# their wrong answers loses its points, so the real pipeline grades only their reference.
TRAINING_HEAVY = ["00_pytorch_basics", "05_convolution", "06_regularization", "08_deep_networks"]


def reference(assignment):
    return demo.reference_answers(coursedir.notebook_path(ROOT, "source", assignment))


def alternatives(assignment):
    """The reference with a correct alternative of the corpus in every exercise (the second one,
    so that the sample is not always the first)."""
    chosen = {f"{topic(assignment)}-{exercise}-impl": list(answers.values())[1 % len(answers)]
              for exercise, answers in correct_answers(assignment).items()}
    return {**reference(assignment), **chosen}


def all_wrong(assignment):
    """The reference with the first wrong answer of the corpus in every exercise (a mistake, not one
    of the rebinding or tampering attacks, whose code names the hidden tests' private helpers)."""
    first = {f"{topic(assignment)}-{exercise}-impl": next(source for label, source in answers.items()
                                                          if not label.startswith(("attack:", "tampers:")))
             for exercise, answers in wrong_answers(assignment).items()}
    return {**reference(assignment), **first}


def submissions(assignment):
    """[(student, answers)] graded for ``assignment``: the reference for the demo assignment and the
    topics that train networks; for the others, a submission with every exercise wrong and one with
    correct alternatives, which is the reference with every solution cell replaced, so the reference
    itself adds nothing there (nbval runs it, every cell, and the fast harness its test cells). The
    untouched release only for the demo assignment: for every topic, tests/notebooks/test_blank_release.py
    runs it top to bottom and scores it with nbgrader's own scoring (no point), so the pipeline
    would only run it a second time."""
    chosen = []
    if assignment in TRAINING_HEAVY or assignment == DEMO_ASSIGNMENT:
        chosen.append(("reference", reference(assignment)))
    if assignment == DEMO_ASSIGNMENT:
        chosen.append(("blank", {}))
    if assignment not in TRAINING_HEAVY:
        chosen += [("wrong", all_wrong(assignment)), ("alternatives", alternatives(assignment))]
    return chosen


def new_course(path):
    """A course directory at ``path`` with this repository's sources and configuration."""
    return coursedir.new_course_dir(path, ROOT)


def write(work, assignment, student, answers):
    demo.make_submission(coursedir.notebook_path(ROOT, "release", assignment), answers,
                         coursedir.notebook_path(work / "submitted" / student, "", assignment))


def grade(work, assignments):
    """One run of the cohort grader (two sandboxed kernels at a time) over what ``work/submitted``
    holds; returns {(student, assignment): result}."""
    results = pipeline.grade(work, assignments, workers=2, progress=False, limits=Limits(**LIMITS))
    return {r.key: r for r in results}


def test_cells(assignment):
    """{grade id: points} of the instructor notebook's test cells (the cells nbgrader scores automatically)."""
    notebook = nbformat.read(str(coursedir.notebook_path(ROOT, "source", assignment)), as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in notebook.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


def auto_max(assignment):
    return sum(test_cells(assignment).values())


def feedback_problems(work, student, assignment):
    """What is wrong with one student's feedback page: hidden tests shown, or a model answer shown
    to someone who did not write it."""
    html = (work / "feedback" / student / assignment / f"{assignment}.html").read_text()
    problems = []
    if "BEGIN HIDDEN TESTS" in html or "_reference_" in html:
        problems.append("shows hidden tests")
    if "hidden tests are not shown" not in html:
        problems.append("does not say that hidden tests are not shown")
    if student not in ("reference", "wrong", "alternatives", "warner") and "Model answer" in html:
        problems.append("shows a model answer")  # the others submit the model answers
    return problems
