"""The real pipeline, end to end, on every topic but the demo's (`test_pipeline.py`): for the topics
that train networks the reference gets full marks; for the others a submission with every exercise
wrong gets none in any test cell (as the fast harness says: test_wrong_answers.py) and one with a
correct alternative in every exercise (the reference with every solution cell replaced) full marks. (That the untouched release of every topic
gets no point is proven without the pipeline by tests/notebooks/test_blank_release.py, with
nbgrader's own scoring; the demo topic's goes through the pipeline and plain nbgrader.)

The topics are graded in two runs of the cohort grader (`BATCHES`), each a group of its own under
pytest-xdist (`conftest.group_of`: the first part of the parameters), so that they run on two workers."""

import csv

import nbformat
import pytest

import pipeline_cases as cases
from harness import source_notebook
from course.grader import coursedir, report

pytestmark = pytest.mark.sandbox

OTHERS = [a for a in cases.ASSIGNMENTS if a != cases.DEMO_ASSIGNMENT]
BATCHES = {"training": [a for a in OTHERS if a in cases.TRAINING_HEAVY],
           "exercises": [a for a in OTHERS if a not in cases.TRAINING_HEAVY]}


def _params(students=None):
    """(batch, assignment, student) for every submission graded, ids 'batch:assignment:student'."""
    return [pytest.param(batch, assignment, student, id=f"{batch}:{assignment}:{student}")
            for batch, assignments in BATCHES.items() for assignment in assignments
            for student, _ in cases.submissions(assignment) if students is None or student in students]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """``graded(batch)``: (course directory, results) of one run of the cohort grader over the
    batch's topics, graded the first time a test asks for it."""
    runs = {}

    def run(batch):
        if batch not in runs:
            work = cases.new_course(tmp_path_factory.mktemp(batch) / "course")
            for assignment in BATCHES[batch]:
                for student, answers in cases.submissions(assignment):
                    cases.write(work, assignment, student, answers)
            runs[batch] = work, cases.grade(work, BATCHES[batch])
        return runs[batch]

    return run


def test_batches_cover_every_topic_once():
    assert sorted(sum(BATCHES.values(), [])) == sorted(OTHERS) and len(OTHERS) == len(set(OTHERS))


@pytest.mark.parametrize("batch, assignment, student", _params({"reference", "alternatives"}))
def test_reference_and_correct_alternatives_get_full_marks(graded, batch, assignment, student):
    """The alternatives: a sample of the corpus's correct answers through the real nbgrader (all of
    them pass the fast harness in test_wrong_answers.py)."""
    r = graded(batch)[1][(student, assignment)]
    full = cases.auto_max(assignment)
    assert (r.status, r.auto_score, r.auto_max) == (report.Status.GRADED, full, full), \
        {cell: score for cell, score in r.cells.items() if score[0] < score[1]}
    assert r.max_score > r.auto_max and r.needs_manual_grade, "the model answers wait for a human grader"


@pytest.mark.parametrize("batch, assignment, student", _params({"wrong"}))
def test_every_exercise_wrong_gets_zero_in_every_test_cell(graded, batch, assignment, student):
    """The fast harness fails every test cell of this submission too (test_wrong_answers.py::
    test_every_exercise_wrong_at_once_fails_every_test_cell, in the topic's corpus kernel): they agree."""
    r = graded(batch)[1][(student, assignment)]
    assert set(r.cells) == set(cases.test_cells(assignment))
    assert r.auto_score == 0 and all(score == 0 for score, _ in r.cells.values())


@pytest.mark.parametrize("batch, assignment, student", _params())
def test_honest_submissions_are_not_flagged_and_feedback_hides_the_hidden_tests(graded, batch, assignment, student):
    work, results = graded(batch)
    r = results[(student, assignment)]
    if student != "wrong":
        assert (r.flags, r.note, r.reason) == ([], "", ""), r
    assert cases.feedback_problems(work, student, assignment) == []
    rows = {(row["student"], row["assignment"]) for row in csv.DictReader(open(work / "grades.csv"))}
    assert rows == set(results)


@pytest.mark.parametrize("batch, assignment, student", _params({"reference", "alternatives"}))
def test_correct_answers_never_crash_a_later_cell(graded, batch, assignment, student):
    """The demo cells after an exercise accept every form the rules allow (a list where an array is
    asked for, a one-value array for a number...): in the executed notebook the grader kept, no cell
    shows an error, tests or not."""
    work, _ = graded(batch)
    executed = nbformat.read(coursedir.notebook_path(work / "autograded" / student, "", assignment), as_version=4)
    errors = [(index, cell.metadata.get("nbgrader", {}).get("grade_id", ""), output.get("ename"), output.get("evalue", "")[:200])
              for index, cell in enumerate(executed.cells) if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert errors == [], errors


def _sizes_experiments(assignment):
    return any(cell.cell_type == "code" and "smaller_while_grading(" in cell.source
               for cell in source_notebook(assignment).cells)


@pytest.mark.parametrize("batch, assignment, student", [p for p in _params({"reference", "alternatives"})
                                                         if _sizes_experiments(p.values[1])])
def test_experiments_ran_smaller_while_graded(graded, batch, assignment, student):
    """The experiment cells that ask `course.smaller_while_grading` for their size ran the smaller
    version in the grader's kernel (NBGRADER_EXECUTION=autograde), and their output says so; nbval
    runs the full versions (tests/notebooks)."""
    work, _ = graded(batch)
    executed = nbformat.read(coursedir.notebook_path(work / "autograded" / student, "", assignment), as_version=4)
    asking = [cell for cell in executed.cells if cell.cell_type == "code" and "smaller_while_grading(" in cell.source]
    noted = [cell for cell in asking if any("[grading run: this experiment ran smaller" in output.get("text", "")
                                            for output in cell.get("outputs", []))]
    assert len(noted) == len(asking), [cell.source[:60] for cell in asking if cell not in noted]
