"""The real pipeline, end to end, on the demo assignment: nbgrader generate_assignment, autograde
and generate_feedback on real submission notebooks, through `course.grader.pipeline.grade` (behind
`python -m course grade`), and the same scores as plain sequential `nbgrader autograde`
(`bench.grade_with_plain_nbgrader`). The other topics: `test_pipeline_topics.py`."""

import csv
import shutil

import pytest

import pipeline_cases as cases
from course.grader import analytics, report
from devtools import bench, demo
from harness import ROOT, topic

pytestmark = pytest.mark.sandbox

ASSIGNMENT = cases.DEMO_ASSIGNMENT
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
# test cells 0 points; course/grader/preprocessors.py makes only an error cost points.
WARNER = {f"{TOPIC}-mse-impl": "import sys, warnings\n"
                                "def mse(y, y_hat):\n"
                                "    warnings.warn('a harmless warning from a correct answer')\n"
                                "    print('debug: computing the mse', file=sys.stderr)\n"
                                "    return float(np.mean((np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)) ** 2))"}


# The demo student who hands in the untouched release (the demo's own "blank").
BLANK = "chloe"

# The submissions of the demo assignment that plain nbgrader grades too, one of each kind of result
# where the two graders could differ: stubs that raise (none), failing checks next to passing ones
# (partial), tampering, and a correct answer that writes to stderr (full marks; nbgrader alone would
# give 0, course/grader/preprocessors.py is in the configuration both use). The reference and the
# submission with every exercise wrong add no kind: they are compared with the fast harness.
PLAIN_STUDENTS = (BLANK, "ben", "tamperer", "warner")


def _write_submissions(work):
    for student, answers in [*cases.submissions(ASSIGNMENT), ("tamperer", TAMPERER),
                             ("warner", {**cases.reference(ASSIGNMENT), **WARNER})]:
        if student != "blank":  # the demo's BLANK is that submission
            cases.write(work, ASSIGNMENT, student, answers)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One run of the cohort grader over the demo assignment: the demo students, the four
    submissions every topic gets (`pipeline_cases.submissions`), a tamperer and a correct answer
    that writes to stderr. Returns (course directory, {(student, assignment): result})."""
    work, _ = demo.prepare_demo(tmp_path_factory.mktemp("grading") / "course", ROOT)
    _write_submissions(work)
    return work, cases.grade(work, [ASSIGNMENT])


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """`PLAIN_STUDENTS`' submissions of the demo assignment graded by plain sequential `nbgrader autograde`."""
    work, _ = demo.prepare_demo(tmp_path_factory.mktemp("plain") / "course", ROOT)
    _write_submissions(work)
    for student in (work / "submitted").iterdir():
        if student.name not in PLAIN_STUDENTS:
            shutil.rmtree(student)
    return {r.student: r for r in bench.grade_with_plain_nbgrader(work, [ASSIGNMENT])}


def test_scores_identical_to_plain_nbgrader(graded, plain):
    ours = {student: r for (student, _), r in graded[1].items() if student in PLAIN_STUDENTS}
    assert sorted(ours) == sorted(plain) == sorted(PLAIN_STUDENTS)
    for student, r in plain.items():
        assert (ours[student].cells, ours[student].score, ours[student].max_score) == \
            (r.cells, r.score, r.max_score), student


def _result(graded, student):
    return graded[1][(student, ASSIGNMENT)]


def test_reference_gets_full_marks(graded):
    r = _result(graded, "reference")
    assert (r.status, r.auto_score, r.auto_max) == (report.Status.GRADED, AUTO_MAX, AUTO_MAX)
    assert AUTO_MAX == cases.auto_max(ASSIGNMENT)
    assert r.max_score > r.auto_max and r.needs_manual_grade, "the model answers wait for a human grader"


def test_points_per_cell_match_the_notebook(graded):
    assert _result(graded, "reference").cells == {f"{TOPIC}-{e}-test": (p, p) for e, p in POINTS.items()}


def test_a_correct_answer_that_writes_to_stderr_gets_full_marks(graded, plain):
    for r in (_result(graded, "warner"), plain["warner"]):
        assert (r.status, r.auto_score) == (report.Status.GRADED, AUTO_MAX), r.cells


def test_correct_alternatives_get_full_marks_from_nbgrader(graded):
    r = _result(graded, "alternatives")
    assert (r.status, r.auto_score) == (report.Status.GRADED, AUTO_MAX), \
        {cell: score for cell, score in r.cells.items() if score[0] < score[1]}


def test_untouched_release_gets_zero(graded):
    r = _result(graded, BLANK)
    assert (r.status, r.auto_score, r.auto_max) == (report.Status.GRADED, 0, AUTO_MAX)


def test_every_exercise_wrong_gets_zero_in_every_test_cell(graded):
    """As the fast harness says (test_wrong_answers.py::test_every_exercise_wrong_at_once_fails_every_test_cell)."""
    r = _result(graded, "wrong")
    assert set(r.cells) == set(cases.test_cells(ASSIGNMENT))
    assert r.auto_score == 0 and all(score == 0 for score, _ in r.cells.values())


def test_demo_students(graded):
    assert _result(graded, "ada").auto_score == AUTO_MAX
    assert _result(graded, "ben").auto_score == sum(POINTS[e] for e in ("mse", "mse_grad", "gd_step", "gradient_descent"))
    assert _result(graded, "dev").auto_score == AUTO_MAX - POINTS["mse"]
    assert _result(graded, "dev").cells[f"{TOPIC}-mse-test"] == (0, POINTS["mse"])


def test_tampering_and_edited_test_cells_earn_nothing(graded):
    tamperer = _result(graded, "tamperer")
    assert tamperer.status is report.Status.GRADED
    assert tamperer.auto_score == 0, tamperer.cells
    flags = " ".join(tamperer.flags)
    assert "edited read-only cell" in flags and "TamperingError" in flags


def test_honest_submissions_are_not_flagged(graded):
    for student in ("reference", BLANK, "ada", "alternatives", "warner"):
        r = _result(graded, student)
        assert (r.flags, r.note, r.reason) == ([], "", ""), student


def test_grades_csv_and_feedback(graded):
    work, results = graded
    rows = list(csv.DictReader(open(work / "grades.csv")))
    assert sorted((row["student"], row["assignment"]) for row in rows) == sorted(results)
    assert {row["student"]: float(row["auto_score"]) for row in rows}["ada"] == AUTO_MAX
    assert {student: cases.feedback_problems(work, student, assignment) for student, assignment in results} == \
        {student: [] for student, _ in results}
    ben = (work / "feedback" / "ben" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Hint: they should reach the least-squares line" in ben


def test_grade_table_lists_everyone(graded):
    _, results = graded
    table = report.format_table(list(results.values()))
    assert all(student in table for student, _ in results)
    assert f"{AUTO_MAX:>4g} / {AUTO_MAX:<3g}" in table


def test_cohort_report_from_the_gradebook_and_the_executed_notebooks(graded):
    """`python -m course report` on a real graded cohort: its numbers agree with the grader's results."""
    work, results = graded
    submissions = {s.student: s for s in analytics.collect(work, ASSIGNMENT)}
    assert sorted(submissions) == sorted(student for student, _ in results)
    for student, sub in submissions.items():
        cells = results[(student, ASSIGNMENT)].cells
        assert sub.points == {e: cells[f"{TOPIC}-{e}-test"] for e in POINTS}, student
    assert set(submissions["reference"].outcome.values()) == {analytics.PASSED}
    assert set(submissions[BLANK].outcome.values()) == {analytics.NOT_ATTEMPTED}
    wrong = submissions["wrong"]
    assert set(wrong.outcome.values()) == {analytics.FAILED} and set(wrong.failures) == set(POINTS)
    assert submissions["reference"].to_grade, "the written answers wait for a human grader"
    table = {r["exercise"]: r for r in analytics.exercise_table(list(submissions.values()))}
    assert all(r["submissions"] == len(submissions) and r["not_attempted"] >= 1 for r in table.values())
    page = analytics.write_report(work, ASSIGNMENT)
    assert "where the cohort struggles" in page.read_text()


def test_correct_answers_never_crash_a_later_cell(graded):
    """As in test_pipeline_topics.py: the executed notebooks of correct submissions show no error."""
    import nbformat

    from course.grader import coursedir

    work, _ = graded
    for student in ("reference", "alternatives", "warner"):
        executed = nbformat.read(coursedir.notebook_path(work / "autograded" / student, "", ASSIGNMENT), as_version=4)
        errors = [output.get("ename") for cell in executed.cells if cell.cell_type == "code"
                  for output in cell.get("outputs", []) if output.get("output_type") == "error"]
        assert errors == [], (student, errors)
