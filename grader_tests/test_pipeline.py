"""The real pipeline, end to end: nbgrader generate_assignment, autograde and generate_feedback
on real submission notebooks, through `course.grading` (the code behind `python -m course grade`)."""

import csv
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from course import grading
from harness import ROOT, graded_cell_results, topic, with_answers, wrong_answers

ASSIGNMENTS = [a for a in grading.assignments(ROOT) if (ROOT / "grader_tests" / "corpus" / f"{a}.py").is_file()]
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


def _reference(assignment):
    return grading.reference_answers(grading.notebook_path(ROOT, "source", assignment))


def _all_wrong(assignment):
    """The reference with the first wrong answer of the corpus in every exercise."""
    first = {f"{topic(assignment)}-{exercise}-impl": next(iter(answers.values()))
             for exercise, answers in wrong_answers(assignment).items()}
    return {**_reference(assignment), **first}


def _grade_assignment(base, assignment):
    """Grade one assignment's submissions in a course directory (and gradebook) of its own."""
    if assignment == ASSIGNMENT:
        work, _ = grading.prepare_demo(base / assignment, ROOT)
        submissions = [("tamperer", TAMPERER)]
    else:
        work, submissions = grading.new_course_dir(base / assignment, ROOT), []
    submissions += [("reference", _reference(assignment)), ("blank", {}), ("wrong", _all_wrong(assignment))]
    for student, answers in submissions:
        grading.make_submission(grading.notebook_path(ROOT, "release", assignment), answers,
                                grading.notebook_path(work / "submitted" / student, "", assignment))
    return work, grading.grade(work, [assignment])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Real grading runs: the demo students and a tamperer, and per assignment the reference, the
    untouched release and a submission with every exercise wrong. Two assignments are graded at a
    time, each kernel on one thread (two runs share the 2 CI cores)."""
    base = tmp_path_factory.mktemp("grading")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMP_NUM_THREADS", "1")
        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = dict(zip(ASSIGNMENTS, pool.map(lambda a: _grade_assignment(base, a), ASSIGNMENTS)))
    return runs, {(r.student, r.assignment): r for _, results in runs.values() for r in results}


def _auto_max(assignment):
    notebook = nbformat.read(str(grading.notebook_path(ROOT, "source", assignment)), as_version=4)
    return sum(c.metadata["nbgrader"]["points"] for c in notebook.cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_gets_full_marks(graded, assignment):
    r = graded[1][("reference", assignment)]
    assert (r.status, r.auto_score, r.auto_max) == ("graded", _auto_max(assignment), _auto_max(assignment))
    assert r.max_score > r.auto_max and r.needs_manual_grade, "the model answers wait for a human grader"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_gets_zero(graded, assignment):
    r = graded[1][("blank", assignment)]
    assert (r.status, r.auto_score, r.auto_max) == ("graded", 0, _auto_max(assignment))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
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
    assert tamperer.status == "graded"
    assert tamperer.auto_score == 0, tamperer.cells


def test_points_per_cell_match_the_notebook(graded):
    assert graded[1][("reference", ASSIGNMENT)].cells == {f"{TOPIC}-{e}-test": (p, p) for e, p in POINTS.items()}


def test_grades_csv_and_feedback(graded):
    runs, results = graded
    for assignment, (work, assignment_results) in runs.items():
        rows = list(csv.DictReader(open(work / "grades.csv")))
        assert sorted((row["student"], row["assignment"]) for row in rows) == \
            sorted((r.student, r.assignment) for r in assignment_results)
    demo_rows = csv.DictReader(open(runs[ASSIGNMENT][0] / "grades.csv"))
    assert {row["student"]: float(row["auto_score"]) for row in demo_rows}["ada"] == AUTO_MAX
    for student, assignment in results:
        html = (runs[assignment][0] / "feedback" / student / assignment / f"{assignment}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "_reference_" not in html, student
        assert "hidden tests are not shown" in html
        if student not in ("reference", "wrong"):  # these two submit the model answers as their own
            assert "Model answer" not in html
    ben = (runs[ASSIGNMENT][0] / "feedback" / "ben" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Hint: they should reach the least-squares line" in ben


def test_grade_table_lists_everyone(graded):
    _, results = graded
    table = grading.format_table(list(results.values()))
    assert all(student in table for student, _ in results)
    assert f"{AUTO_MAX:>4g} / {AUTO_MAX:<3g}" in table
