"""Hostile and broken submissions (grader_tests/hostile.py) graded in one run of the cohort grader.

Every kind gets no undeserved point, none stops or hangs the run (the honest student in the same
run gets full marks), and the summary names what happened."""

import shutil
import sqlite3

import pytest

from course.grader import pipeline, report
from course.grader.coursedir import Limits
import hostile

pytestmark = pytest.mark.sandbox

LIMITS = dict(cell_timeout=hostile.CELL_TIMEOUT, notebook_timeout=hostile.NOTEBOOK_TIMEOUT, memory_mb=2048)


def _grade_rows(course_dir):
    """{grade id: (automatic score, manual score)} of every row of the gradebook's grade table."""
    with sqlite3.connect(course_dir / "gradebook.db") as connection:
        return {row[0]: row[1:] for row in connection.execute("SELECT id, auto_score, manual_score FROM grade")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The honest student is graded first, so that the gradebook already holds grade rows (another
    student's) while the hostile payloads run; then every other kind in one run."""
    course_dir = hostile.new_course(tmp_path_factory.mktemp("hostile") / "course")
    honest = next(kind for kind in hostile.KINDS if kind.name == "honest")
    hostile.write_submission(honest, course_dir)
    pipeline.grade(course_dir, [hostile.ASSIGNMENT], workers=2, progress=False, limits=Limits(**LIMITS))
    rows_before = _grade_rows(course_dir)
    for kind in hostile.KINDS:
        if kind is not honest:
            hostile.write_submission(kind, course_dir)
    results = pipeline.grade(course_dir, [hostile.ASSIGNMENT], workers=2, progress=False,
                             limits=Limits(**LIMITS))
    summary = report.format_summary(results, 0)
    print(hostile.table(results))
    return course_dir, {r.student: r for r in results}, summary, rows_before


def test_every_kind_is_listed_once(graded):
    _, results, _, _ = graded
    assert sorted(results) == sorted(kind.name for kind in hostile.KINDS)
    assert len(hostile.KINDS) >= 15


@pytest.mark.parametrize("kind", hostile.KINDS, ids=lambda k: k.name)
def test_no_undeserved_points(graded, kind):
    _, results, _, _ = graded
    assert results[kind.name].auto_score == kind.points, results[kind.name].cells


@pytest.mark.parametrize("kind", [k for k in hostile.KINDS if k.summary], ids=lambda k: k.name)
def test_summary_says_what_happened(graded, kind):
    _, _, summary, _ = graded
    prefix = f"{kind.name}/{hostile.ASSIGNMENT}: "
    said = [line.strip()[len(prefix):] for line in summary.splitlines() if line.strip().startswith(prefix)]
    assert any(kind.summary in text for text in said), (kind.summary, said)  # the text, not the name


def test_flagged_for_review_only_when_warranted(graded):
    _, results, _, _ = graded
    assert results["honest"].flags == []
    for name in ("patch_numpy", "patch_builtins", "patch_checks", "lying_objects", "read_source",
                 "write_gradebook", "edited_tests"):
        assert results[name].flags, name


def test_gradebook_untouched_by_student_code(graded, tmp_path):
    """The payload that writes full marks into the gradebook ran while it held the honest student's
    rows: they are unchanged, and no row exceeds the largest test cell's points."""
    course_dir, results, _, rows_before = graded
    assert rows_before, "the gradebook held grade rows while the payloads ran"
    rows_after = _grade_rows(course_dir)
    assert {row: rows_after[row] for row in rows_before} == rows_before
    assert max(auto for auto, _ in rows_after.values() if auto is not None) <= hostile.LARGEST_TEST_CELL
    assert results["write_gradebook"].auto_score == 0
    copy = tmp_path / "gradebook.db"  # the same payload outside the sandbox does change the rows
    shutil.copy(course_dir / "gradebook.db", copy)
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE grade SET auto_score = 100")
    assert _grade_rows(tmp_path) != rows_after
