"""The real pipeline, end to end: nbgrader generate_assignment, autograde and generate_feedback
on real submission notebooks, through `course.grading` (the code behind `python -m course grade`)."""

import csv

import pytest

from course import grading
from harness import ROOT, graded_cell_results, topic, with_answers, wrong_answers

ASSIGNMENT = "01_gradient_descent"
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


def _first_wrong_answers():
    return {f"{TOPIC}-{exercise}-impl": next(iter(answers.values()))
            for exercise, answers in wrong_answers(ASSIGNMENT).items()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    work, _ = grading.prepare_demo(tmp_path_factory.mktemp("grading") / "course", ROOT)
    release = grading.notebook_path(ROOT, "release", ASSIGNMENT)
    reference = grading.reference_answers(grading.notebook_path(ROOT, "source", ASSIGNMENT))
    extra = {"reference": reference, "wrong": {**reference, **_first_wrong_answers()}, "tamperer": TAMPERER}
    for student, answers in extra.items():
        grading.make_submission(release, answers, grading.notebook_path(work / "submitted" / student, "", ASSIGNMENT))
    results = grading.grade(work, [ASSIGNMENT])
    return work, {r.student: r for r in results}


def test_reference_gets_full_marks(graded):
    _, results = graded
    r = results["reference"]
    assert (r.status, r.auto_score, r.auto_max) == ("graded", AUTO_MAX, AUTO_MAX)
    assert r.max_score == AUTO_MAX + 4 and r.needs_manual_grade


def test_untouched_release_gets_zero(graded):
    _, results = graded
    chloe = results["chloe"]  # the demo student who handed in the release untouched
    assert (chloe.status, chloe.auto_score, chloe.auto_max) == ("graded", 0, AUTO_MAX)


def test_wrong_answers_lose_every_exercise_and_agree_with_the_fast_harness(graded):
    work, results = graded
    assert results["wrong"].auto_score == 0
    assert all(score == 0 for score, _ in results["wrong"].cells.values())
    fast = graded_cell_results(with_answers(ASSIGNMENT, {**grading.reference_answers(
        grading.notebook_path(ROOT, "source", ASSIGNMENT)), **_first_wrong_answers()}))
    assert {gid: score > 0 for gid, (score, _) in results["wrong"].cells.items()} == fast


def test_demo_students(graded):
    _, results = graded
    assert results["ada"].auto_score == AUTO_MAX
    assert results["ben"].auto_score == sum(POINTS[e] for e in ("mse", "mse_grad", "gd_step", "gradient_descent"))
    assert results["dev"].auto_score == AUTO_MAX - POINTS["mse"]
    assert results["dev"].cells[f"{TOPIC}-mse-test"] == (0, POINTS["mse"])


def test_tampering_and_edited_test_cells_earn_nothing(graded):
    _, results = graded
    assert results["tamperer"].status == "graded"
    assert results["tamperer"].auto_score == 0, results["tamperer"].cells


def test_points_per_cell_match_the_notebook(graded):
    _, results = graded
    assert results["reference"].cells == {f"{TOPIC}-{e}-test": (p, p) for e, p in POINTS.items()}


def test_grades_csv_and_feedback(graded):
    work, results = graded
    rows = list(csv.DictReader(open(work / "grades.csv")))
    assert sorted(row["student"] for row in rows) == sorted(results)
    assert {row["student"]: float(row["auto_score"]) for row in rows}["ada"] == AUTO_MAX
    for student in results:
        html = (work / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "_reference_" not in html, student
        assert "hidden tests are not shown" in html
    ben = (work / "feedback" / "ben" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Hint: they should reach the least-squares line" in ben


def test_grade_table_lists_everyone(graded):
    _, results = graded
    table = grading.format_table(list(results.values()))
    assert all(student in table for student in results)
    assert f"{AUTO_MAX:>4g} / {AUTO_MAX:<3g}" in table
