"""`python -m course report`: the per-exercise analytics of a graded cohort (`course.grader.analytics`),
checked on a cohort whose numbers are known in advance (`cohort.py` writes what grading leaves behind),
timed on 500 submissions, and read from a real graded course in test_pipeline.py."""

import csv
import random
import time

import numpy as np
import pytest

import cohort
from course.grader import analytics, cli

EXERCISES = {"easy": 2, "hard": 3, "tied": 1, "untouched": 2, "allpass": 1, "allfail": 2}
SUM_NOT_MEAN = "Hint: add the values, do not average them"
ANSWERS = {  # {student: {exercise: "passed", None (as released) or (points, message)}}
    "ana": {"easy": "passed", "hard": "passed", "tied": "passed", "allpass": "passed",
            "allfail": (0, "allfail(3): expected 9, got 6\nHint: square, do not double")},
    "ben": {"easy": "passed", "hard": (1, f"hard of [1, 2]: expected 3.0, got 1.5\n{SUM_NOT_MEAN}"), "tied": "passed",
            "allpass": "passed", "allfail": (1, "allfail(4): expected 16, got 8\nHint: square, do not double")},
    "cleo": {"easy": "passed", "hard": (0, f"hard of [4, 5, 6]: expected 15.0, got 5.0\n{SUM_NOT_MEAN}"),
             "tied": (0, "tied([2, 2]): kept 2 tokens, expected 1\nHint: a tie counts once"), "allpass": "passed",
             "allfail": (0, "allfail(5): expected 25, got 10\nHint: square, do not double")},
    "dan": {"easy": "passed", "hard": None, "tied": "passed", "allpass": "passed",
            "allfail": (0, "allfail(1): expected 1, got 2\nHint: square, do not double")},
    "eve": {"easy": (0, "easy: returned None\nHint: return the value"), "hard": (0, "hard: returned None\nHint: return the value"),
            "tied": "passed", "allpass": "passed", "allfail": (0, "allfail(2): returned None")},
    "hal": {"easy": "passed", "hard": "passed", "tied": "passed", "allpass": "passed",
            "allfail": (0, "allfail(3): expected 9, got 6\nHint: square, do not double")},
}
STATES = {"hal": {"flags": ["reads the course's files"], "note": "cell timeout (60 s) in cohort-hard-test", "seconds": 61.0},
          "gus": {"status": "not graded", "reason": "the kernel died (out of memory?)", "stage": None}}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = cohort.build(tmp_path_factory.mktemp("cohort"), EXERCISES, ANSWERS, written={"why": 2}, states=STATES)
    return root, analytics.collect(root, cohort.ASSIGNMENT)


def _row(table, exercise):
    return next(r for r in table if r["exercise"] == exercise)


def test_counts_and_mean_points_per_exercise(course):
    _, submissions = course
    table = analytics.exercise_table(submissions)
    expected = {  # attempted, passed, failed, not attempted, mean points (6 scored submissions)
        "easy": (6, 5, 1, 0, 10 / 6), "hard": (5, 2, 3, 1, 7 / 6), "tied": (6, 5, 1, 0, 5 / 6),
        "untouched": (0, 0, 0, 6, 0.0), "allpass": (6, 6, 0, 0, 1.0), "allfail": (6, 0, 6, 0, 1 / 6)}
    for exercise, (attempted, passed, failed, untouched, mean) in expected.items():
        r = _row(table, exercise)
        assert (r["submissions"], r["attempted"], r["passed"], r["failed"], r["not_attempted"]) == \
            (6, attempted, passed, failed, untouched), exercise
        assert r["mean_points"] == pytest.approx(mean) and r["points"] == EXERCISES[exercise]
        assert r["difficulty"] == pytest.approx(mean / EXERCISES[exercise])


def test_discrimination_is_the_correlation_with_the_rest_and_blank_without_spread(course):
    _, submissions = course
    table = analytics.exercise_table(submissions)
    scored = {s.student: s for s in submissions if s.has_scores}
    assert sorted(scored) == sorted(ANSWERS)
    totals = {student: sum(cohort.points_of(o, EXERCISES[e]) for e, o in answers.items())
              for student, answers in ANSWERS.items()}
    for exercise in ("easy", "hard", "tied", "allfail"):
        points = [cohort.points_of(ANSWERS[s].get(exercise), EXERCISES[exercise]) for s in sorted(ANSWERS)]
        rest = [totals[s] - p for s, p in zip(sorted(ANSWERS), points)]
        assert _row(table, exercise)["discrimination"] == pytest.approx(np.corrcoef(points, rest)[0, 1]), exercise
    assert _row(table, "untouched")["discrimination"] is None  # nobody scored: no spread
    assert _row(table, "allpass")["discrimination"] is None    # everybody scored the same


def test_the_hardest_first_then_the_least_discriminating(course):
    _, submissions = course
    order = [r["exercise"] for r in analytics.exercise_table(submissions)]
    assert order[:2] == ["untouched", "allfail"]  # difficulty 0, then 1/12
    assert order.index("hard") < order.index("tied") < order.index("easy") < order.index("allpass")
    difficulty = [r["difficulty"] for r in analytics.exercise_table(submissions)]
    assert difficulty == sorted(difficulty)


def test_failure_messages_grouped_by_check_and_hint_with_students(course):
    _, submissions = course
    groups = analytics.failure_groups(submissions)
    hard = groups["hard"]
    assert [(count, students) for count, _, students, _ in hard] == [(2, ["ben", "cleo"]), (1, ["eve"])]
    assert hard[0][1][1] == SUM_NOT_MEAN.removeprefix("Hint: ")
    allfail = groups["allfail"]
    assert allfail[0][0] == 5 and allfail[0][2] == ["ana", "ben", "cleo", "dan", "hal"]  # one check, one hint
    assert allfail[1][0] == 1 and allfail[1][1][1] == ""  # a message without a hint is its own group
    assert "untouched" not in groups and "allpass" not in groups  # nothing failed there


def test_not_graded_flagged_limited_and_written_answers_are_listed(course):
    root, submissions = course
    by_student = {s.student: s for s in submissions}
    assert by_student["gus"].status == "not graded" and not by_student["gus"].has_scores
    assert by_student["hal"].flags == ["reads the course's files"] and "timeout" in by_student["hal"].note
    assert all(by_student[s].to_grade == [f"{cohort.TOPIC}-why-answer"] for s in ANSWERS)
    page = analytics.write_report(root, cohort.ASSIGNMENT)
    text = page.read_text()
    for expected in ("Not graded", "the kernel died (out of memory?)", "Flagged for manual review",
                     "reads the course&#x27;s files", "Ran into a limit", "Written answers still to grade: 6",
                     "cohort-why-answer",
                     "add the values, do not average them", "data:image/png;base64,"):
        assert expected in text, expected
    assert "http://" not in text and "https://" not in text and "<script" not in text  # works offline


def test_csv_files_for_an_lms_and_an_item_analysis(course):
    root, _ = course
    analytics.write_report(root, cohort.ASSIGNMENT)
    folder = root / analytics.REPORT_DIR / cohort.ASSIGNMENT
    with open(folder / "points.csv") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["student", *EXERCISES, "automatic_total"]
    assert [row[0] for row in rows[1:]] == sorted(ANSWERS)  # gus, not graded, has no row
    ben = dict(zip(rows[0], rows[2]))
    assert (ben["hard"], ben["untouched"], ben["allfail"], ben["automatic_total"]) == ("1", "0", "1", "6")
    with open(folder / "exercises.csv") as handle:
        exercises = list(csv.DictReader(handle))
    assert [r["exercise"] for r in exercises][:2] == ["untouched", "allfail"] and exercises[0]["discrimination"] == ""
    with open(folder / "submissions.csv") as handle:
        statuses = {r["student"]: r["status"] for r in csv.DictReader(handle)}
    assert statuses["gus"] == "not graded" and statuses["ana"] == "graded"


def test_report_command(course, capsys):
    root, _ = course
    assert cli.main(["--root", str(root), "report"]) == 0
    assert f"reports/{cohort.ASSIGNMENT}/report.html" in capsys.readouterr().out
    assert cli.main(["--root", str(root / "nowhere"), "report"]) == 1


def test_an_empty_cohort_and_a_cohort_without_scores_report_without_crashing(tmp_path):
    root = cohort.build(tmp_path / "empty", EXERCISES, {}, states={"gus": STATES["gus"]})
    page = analytics.write_report(root, cohort.ASSIGNMENT)
    assert "No submission has scores yet" in page.read_text() and "Not graded" in page.read_text()
    assert analytics.exercise_table(analytics.collect(root, cohort.ASSIGNMENT)) == []


COHORT_SIZE = 500
MAX_SECONDS = 5.0


def test_five_hundred_submissions_reported_in_under_five_seconds(tmp_path):
    rng = random.Random(0)
    hints = ["Hint: add the values", "Hint: square, do not double", "Hint: a tie counts once", "Hint: return the value"]

    def outcome(exercise):
        draw = rng.random()
        if draw < 0.55:
            return "passed"
        if draw < 0.65:
            return None
        return (rng.randint(0, EXERCISES[exercise] - 1), f"{exercise}({rng.randint(0, 99)}): expected {rng.random():.3f}, "
                f"got {rng.random():.3f}\n{rng.choice(hints)}")

    answers = {f"s{index:03d}": {exercise: outcome(exercise) for exercise in EXERCISES} for index in range(COHORT_SIZE)}
    root = cohort.build(tmp_path / "big", EXERCISES, answers, written={"why": 2})
    start = time.perf_counter()
    page = analytics.write_report(root, cohort.ASSIGNMENT)
    seconds = time.perf_counter() - start
    print(f"report of {COHORT_SIZE} submissions: {seconds:.2f} s")
    assert seconds < MAX_SECONDS, f"the report of {COHORT_SIZE} submissions took {seconds:.1f} s"
    table = analytics.exercise_table(analytics.collect(root, cohort.ASSIGNMENT))
    assert all(r["submissions"] == COHORT_SIZE for r in table) and page.is_file()


def test_grade_writes_the_report_at_the_end_and_a_broken_report_costs_no_grade(course, monkeypatch, capsys):
    from course.grader import pipeline
    from course.grader.result import Result

    root, _ = course
    monkeypatch.setattr(pipeline, "grade", lambda *args, **kwargs: [Result("ana", cohort.ASSIGNMENT)])
    assert cli.main(["--root", str(root), "grade", "--no-progress"]) == 0
    assert f"Cohort report: {root / analytics.REPORT_DIR / cohort.ASSIGNMENT / 'report.html'}" in capsys.readouterr().out

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(analytics, "write_report", broken)
    assert cli.main(["--root", str(root), "grade", "--no-progress"]) == 0
    said = capsys.readouterr()
    assert "the cohort report could not be written (OSError: disk full)" in said.err and "Grades:" in said.out
