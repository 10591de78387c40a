"""Grading resumes after a crash: `grade` killed with SIGKILL in the middle of a run, then run
again, grades every submission exactly once, keeps the manual grades and feedback of an earlier
run, and writes a complete grades.csv. A second run grades only what is new or changed."""

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from course.grader import pipeline, report, sandbox, state
from course.grader.coursedir import Limits
import tiny

ASSIGNMENT = tiny.ASSIGNMENT
pytestmark = pytest.mark.sandbox
_submit = tiny.submit


def _submission_rows(course):
    with sqlite3.connect(course / "gradebook.db") as connection:
        return connection.execute("SELECT student.id, COUNT(*) FROM submitted_assignment "
                                  "JOIN student ON student.id = submitted_assignment.student_id "
                                  "GROUP BY student.id").fetchall()


def _give_manual_grade(course, student, points):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        written = next(g for nb in submission.notebooks for g in nb.grades if g.cell.cell_type == "markdown")
        written.manual_score = points
        gradebook.db.commit()


def _manual_score(course, student):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        return [g.manual_score for nb in submission.notebooks for g in nb.grades if g.cell.cell_type == "markdown"]


def _saved_as_executed(course, students):
    """The students the resume state on disk records as executed (or recorded) for the assignment."""
    saved = state.GradingState(course).entries.get(ASSIGNMENT, {})
    return {s for s in students if saved.get(s, {}).get("stage") in (state.EXECUTED, state.RECORDED)}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tiny.new_course(tmp_path_factory.mktemp("resume") / "course")
    reference = tiny.REFERENCE
    _submit(course, "early", reference)
    first = pipeline.grade(course, [ASSIGNMENT], workers=2, progress=False, limits=Limits(cell_timeout=60))
    assert [r.status for r in first] == [report.Status.GRADED]
    _give_manual_grade(course, "early", 1.5)
    return course, reference


def test_a_second_run_grades_only_what_is_new(course):
    course, reference = course
    feedback = course / "feedback" / "early" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    before = feedback.stat().st_mtime_ns
    _submit(course, "late", {})
    results = {r.student: r for r in pipeline.grade(course, [ASSIGNMENT], workers=2, progress=False)}
    assert results["early"].kept == state.RECORDED and results["early"].seconds > 0
    assert results["late"].kept == "" and results["late"].auto_score == 0
    assert results["early"].auto_score == tiny.FULL_MARKS
    assert _manual_score(course, "early") == [1.5, None] or 1.5 in _manual_score(course, "early")
    assert feedback.stat().st_mtime_ns == before, "the feedback of an unchanged submission is not rewritten"


def test_force_grades_everything_again(course):
    """Before the cohort below is added: what it proves does not depend on the number of submissions.
    The manual grade of the earlier run survives (checked by the next test)."""
    course, _ = course
    results = pipeline.grade(course, [ASSIGNMENT], workers=2, progress=False, force=True, feedback=False)
    assert all(r.kept == "" for r in results) and all(r.status is report.Status.GRADED for r in results)
    assert all(count == 1 for _, count in _submission_rows(course))


def test_killed_in_the_middle_then_resumed(course, kill_scratch):
    course, reference = course
    cohort = [f"s{i:02d}" for i in range(8)]
    for index, student in enumerate(cohort):
        _submit(course, student, reference if index % 2 else {})
    command = [sys.executable, "-m", "course", "--root", str(course), "grade", ASSIGNMENT, "--workers", "2",
               "--no-progress"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, "TMPDIR": str(kill_scratch)})
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:  # wait for the first executed notebooks
        if len(_saved_as_executed(course, cohort)) >= 2:
            break
        time.sleep(0.2)
    assert process.poll() is None, "the run finished before it could be killed: make the cohort larger"
    os.killpg(process.pid, signal.SIGKILL)  # the grader, its Dask workers and their kernels
    process.wait()
    # What the resume state holds as executed is not run again; a notebook killed between its run and
    # that record (its replay folder may exist) is simply run again.
    executed_before = _saved_as_executed(course, cohort)
    assert 2 <= len(executed_before) < len(cohort)

    results = {r.student: r for r in pipeline.grade(course, [ASSIGNMENT], workers=2, progress=False)}
    assert all(r.status is report.Status.GRADED for r in results.values()), report.format_summary(list(results.values()), 0)
    for index, student in enumerate(cohort):
        assert results[student].auto_score == (tiny.FULL_MARKS if index % 2 else 0), student
        if student in executed_before:
            assert results[student].kept in (state.EXECUTED, state.RECORDED), "executed notebooks are not run again"
    assert all(count == 1 for _, count in _submission_rows(course)), "every submission is in the gradebook once"
    assert {student for student, _ in _submission_rows(course)} == set(cohort) | {"early", "late"}
    assert 1.5 in _manual_score(course, "early"), "the manual grade of an earlier run is kept"
    assert (course / "feedback" / "early" / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()
    rows = list(csv.DictReader(open(course / "grades.csv")))
    assert sorted(row["student"] for row in rows) == sorted(set(cohort) | {"early", "late"})
    assert all(row["status"] == "graded" for row in rows)
