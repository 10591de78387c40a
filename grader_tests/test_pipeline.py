"""The real pipeline, end to end: nbgrader generate_assignment, autograde and generate_feedback
on real submission notebooks, through `course.grader.pipeline.grade` (behind `python -m course grade`),
and the same scores as plain sequential `nbgrader autograde` (`bench.grade_with_plain_nbgrader`)."""

import csv
import shutil

import nbformat
import pytest

from course.grader import bench, coursedir, demo, pipeline, report
from course.grader.coursedir import Limits
from harness import ROOT, correct_answers, graded_cell_results, topic, with_answers, wrong_answers

ASSIGNMENTS = [a for a in coursedir.assignments(ROOT) if (ROOT / "grader_tests" / "corpus" / f"{a}.py").is_file()]
ASSIGNMENT = "01_gradient_descent"  # the demo's assignment
TOPIC = topic(ASSIGNMENT)
POINTS = {"mse": 2, "mse_grad": 2, "gd_step": 2, "gradient_descent": 3, "fit_line": 3,
          "momentum_step": 2, "adam_step": 3}
AUTO_MAX = sum(POINTS.values())

# A student who does no work but tries to pass anyway.
TAMPERER = {
    f"{TOPIC}-mse-impl": "class Liar(float):\n    def __eq__(self, other): return True\n"
                         "def mse(y, y_hat):\n    return Liar()",
    f"{TOPIC}-mse_grad-impl": "np.abs = lambda x, *a, **k: np.zeros_like(x)\n"
                              "def mse_grad(y, y_hat):\n    return np.zeros_like(y)",
    f"{TOPIC}-gd_step-impl": "from course import checks\nfor name in list(vars(checks)):\n"
                             "    if name.startswith('assert'):\n"
                             "        vars(checks)[name] = lambda *a, **k: None\n"
                             "def gd_step(params, grads, lr):\n    return params",
    f"{TOPIC}-gradient_descent-test": "pass  # the student emptied the read-only test cell",
    f"{TOPIC}-fit_line-test": "print('all good')",
}


# A correct answer that writes to stderr (a warning, a debug print): nbgrader alone would give the
# test cells 0 points; course/grader/outputs.py makes only an error cost points.
WARNER = {f"{TOPIC}-mse-impl": "import sys, warnings\n"
                                "def mse(y, y_hat):\n"
                                "    warnings.warn('a harmless warning from a correct answer')\n"
                                "    print('debug: computing the mse', file=sys.stderr)\n"
                                "    return float(np.mean((np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)) ** 2))"}


def _reference(assignment):
    return demo.reference_answers(coursedir.notebook_path(ROOT, "source", assignment))


def _alternatives(assignment):
    """The reference with a correct alternative of the corpus in every exercise (the second one,
    so that the sample is not always the first)."""
    chosen = {f"{topic(assignment)}-{exercise}-impl": list(answers.values())[1 % len(answers)]
              for exercise, answers in correct_answers(assignment).items()}
    return {**_reference(assignment), **chosen}


def _all_wrong(assignment):
    """The reference with the first wrong answer of the corpus in every exercise."""
    first = {f"{topic(assignment)}-{exercise}-impl": next(iter(answers.values()))
             for exercise, answers in wrong_answers(assignment).items()}
    return {**_reference(assignment), **first}


# Time limits given, not derived from a run of each instructor notebook (that path, `Limits.from_reference`,
# is tested on the tiny course in test_resume.py); wide enough for the slowest notebook under load.
LIMITS = dict(cell_timeout=300, notebook_timeout=900)

# The submissions of the demo assignment that plain nbgrader grades too: one of each kind of result
# (full marks, none, partial, every exercise wrong, tampering, a correct answer writing to stderr).
PLAIN_STUDENTS = ("reference", "blank", "ben", "wrong", "tamperer", "warner")

# Topics whose notebooks train networks while graded: the fast harness already proves that each of
# their wrong answers loses its points, so the real pipeline skips their all-wrong submission.
TRAINING_HEAVY = {"00_pytorch_basics", "05_convolution", "06_regularization", "08_deep_networks"}
WRONG_ASSIGNMENTS = [a for a in ASSIGNMENTS if a not in TRAINING_HEAVY]


def _submissions(assignment):
    submissions = [("reference", _reference(assignment)), ("blank", {})]
    if assignment in WRONG_ASSIGNMENTS:
        submissions.append(("wrong", _all_wrong(assignment)))
        submissions.append(("alternatives", _alternatives(assignment)))
    if assignment == ASSIGNMENT:
        submissions.append(("tamperer", TAMPERER))
        submissions.append(("warner", {**_reference(assignment), **WARNER}))
    return submissions


def _write_submissions(work, assignments):
    for assignment in assignments:
        for student, answers in _submissions(assignment):
            demo.make_submission(coursedir.notebook_path(ROOT, "release", assignment), answers,
                                    coursedir.notebook_path(work / "submitted" / student, "", assignment))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One run of the cohort grader over every assignment: the demo students and a tamperer, and
    per assignment the reference, the untouched release and (see TRAINING_HEAVY) a submission with
    every exercise wrong and one with a correct alternative of the corpus in every exercise; two
    sandboxed kernels at a time."""
    work, _ = demo.prepare_demo(tmp_path_factory.mktemp("grading") / "course", ROOT)
    _write_submissions(work, ASSIGNMENTS)
    results = pipeline.grade(work, ASSIGNMENTS, workers=2, progress=False, limits=Limits(**LIMITS))
    runs = {assignment: (work, [r for r in results if r.assignment == assignment]) for assignment in ASSIGNMENTS}
    return runs, {r.key: r for r in results}


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """`PLAIN_STUDENTS`' submissions of the demo assignment graded by plain sequential `nbgrader autograde`."""
    work, _ = demo.prepare_demo(tmp_path_factory.mktemp("plain") / "course", ROOT)
    _write_submissions(work, [ASSIGNMENT])
    for student in (work / "submitted").iterdir():
        if student.name not in PLAIN_STUDENTS:
            shutil.rmtree(student)
    return {r.student: r for r in bench.grade_with_plain_nbgrader(work, [ASSIGNMENT])}


def test_scores_identical_to_plain_nbgrader(graded, plain):
    ours = {student: r for (student, assignment), r in graded[1].items()
            if assignment == ASSIGNMENT and student in PLAIN_STUDENTS}
    assert sorted(ours) == sorted(plain) == sorted(PLAIN_STUDENTS)
    for student, r in plain.items():
        assert (ours[student].cells, ours[student].score, ours[student].max_score) == \
            (r.cells, r.score, r.max_score), student


def _auto_max(assignment):
    notebook = nbformat.read(str(coursedir.notebook_path(ROOT, "source", assignment)), as_version=4)
    return sum(c.metadata["nbgrader"]["points"] for c in notebook.cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_gets_full_marks(graded, assignment):
    r = graded[1][("reference", assignment)]
    assert (r.status, r.auto_score, r.auto_max) == (report.Status.GRADED, _auto_max(assignment), _auto_max(assignment))
    assert r.max_score > r.auto_max and r.needs_manual_grade, "the model answers wait for a human grader"


def test_a_correct_answer_that_writes_to_stderr_gets_full_marks(graded, plain):
    for r in (graded[1][("warner", ASSIGNMENT)], plain["warner"]):
        assert (r.status, r.auto_score) == (report.Status.GRADED, AUTO_MAX), r.cells


@pytest.mark.parametrize("assignment", WRONG_ASSIGNMENTS)
def test_correct_alternatives_get_full_marks_from_nbgrader(graded, assignment):
    """A sample of the corpus's correct alternatives through the real nbgrader (all of them pass the
    fast harness in test_wrong_answers.py)."""
    r = graded[1][("alternatives", assignment)]
    assert (r.status, r.auto_score, r.auto_max) == (report.Status.GRADED, _auto_max(assignment), _auto_max(assignment)), \
        {cell: score for cell, score in r.cells.items() if score[0] < score[1]}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_gets_zero(graded, assignment):
    r = graded[1][("blank", assignment)]
    assert (r.status, r.auto_score, r.auto_max) == (report.Status.GRADED, 0, _auto_max(assignment))


@pytest.mark.parametrize("assignment", WRONG_ASSIGNMENTS)
def test_every_exercise_wrong_gets_zero_and_agrees_with_the_fast_harness(graded, assignment):
    r = graded[1][("wrong", assignment)]
    assert r.auto_score == 0 and all(score == 0 for score, _ in r.cells.values())
    fast = graded_cell_results(with_answers(assignment, _all_wrong(assignment)))
    assert {grade_id: score > 0 for grade_id, (score, _) in r.cells.items()} == fast


def test_demo_students(graded):
    results = {student: r for (student, a), r in graded[1].items() if a == ASSIGNMENT}
    assert results["ada"].auto_score == AUTO_MAX
    assert results["ben"].auto_score == sum(POINTS[e] for e in ("mse", "mse_grad", "gd_step", "gradient_descent"))
    assert results["dev"].auto_score == AUTO_MAX - POINTS["mse"]
    assert results["dev"].cells[f"{TOPIC}-mse-test"] == (0, POINTS["mse"])


def test_tampering_and_edited_test_cells_earn_nothing(graded):
    tamperer = graded[1][("tamperer", ASSIGNMENT)]
    assert tamperer.status is report.Status.GRADED
    assert tamperer.auto_score == 0, tamperer.cells
    flags = " ".join(tamperer.flags)
    assert "edited read-only cell" in flags and "TamperingError" in flags


def test_honest_submissions_are_not_flagged(graded):
    for (student, assignment), r in graded[1].items():
        if student in ("reference", "blank", "ada", "alternatives", "warner"):
            assert (r.flags, r.note, r.reason) == ([], "", ""), (student, assignment)


def test_points_per_cell_match_the_notebook(graded):
    assert graded[1][("reference", ASSIGNMENT)].cells == {f"{TOPIC}-{e}-test": (p, p) for e, p in POINTS.items()}


def test_grades_csv_and_feedback(graded):
    runs, results = graded
    work = runs[ASSIGNMENT][0]
    rows = list(csv.DictReader(open(work / "grades.csv")))
    assert sorted((row["student"], row["assignment"]) for row in rows) == sorted(results)
    demo_rows = csv.DictReader(open(runs[ASSIGNMENT][0] / "grades.csv"))
    assert {row["student"]: float(row["auto_score"]) for row in demo_rows}["ada"] == AUTO_MAX
    for student, assignment in results:
        html = (runs[assignment][0] / "feedback" / student / assignment / f"{assignment}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "_reference_" not in html, student
        assert "hidden tests are not shown" in html
        if student not in ("reference", "wrong", "alternatives", "warner"):  # these submit the model answers
            assert "Model answer" not in html
    ben = (runs[ASSIGNMENT][0] / "feedback" / "ben" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Hint: they should reach the least-squares line" in ben


def test_grade_table_lists_everyone(graded):
    _, results = graded
    table = report.format_table(list(results.values()))
    assert all(student in table for student, _ in results)
    assert f"{AUTO_MAX:>4g} / {AUTO_MAX:<3g}" in table
