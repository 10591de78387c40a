"""Hostile and broken submissions (grader_tests/hostile.py) graded in one run of the cohort grader.

Every kind gets no undeserved point, none stops or hangs the run (the honest student in the same
run gets full marks), and the summary names what happened."""

import sqlite3

import pytest

from course.grader import coursedir, pipeline, report
from course.grader.coursedir import Limits
import hostile

LIMITS = dict(cell_timeout=8, notebook_timeout=30, memory_mb=2048)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course_dir = coursedir.new_course_dir(tmp_path_factory.mktemp("hostile") / "course", coursedir.REPO_ROOT)
    for kind in hostile.KINDS:
        hostile.write_submission(kind, course_dir)
    results = pipeline.grade(course_dir, [hostile.ASSIGNMENT], workers=2, progress=False,
                                     limits=Limits(**LIMITS))
    summary = report.format_summary(results, 0)
    print(hostile.table(results))
    return course_dir, {r.student: r for r in results}, summary


def test_every_kind_is_listed_once(graded):
    _, results, _ = graded
    assert sorted(results) == sorted(kind.name for kind in hostile.KINDS)
    assert len(hostile.KINDS) >= 15


@pytest.mark.parametrize("kind", hostile.KINDS, ids=lambda k: k.name)
def test_no_undeserved_points(graded, kind):
    _, results, _ = graded
    assert results[kind.name].auto_score == kind.points, results[kind.name].cells


@pytest.mark.parametrize("kind", [k for k in hostile.KINDS if k.summary], ids=lambda k: k.name)
def test_summary_says_what_happened(graded, kind):
    _, _, summary = graded
    prefix = f"{kind.name}/{hostile.ASSIGNMENT}: "
    said = [line.strip()[len(prefix):] for line in summary.splitlines() if line.strip().startswith(prefix)]
    assert any(kind.summary in text for text in said), (kind.summary, said)  # the text, not the name


def test_flagged_for_review_only_when_warranted(graded):
    _, results, _ = graded
    assert results["honest"].flags == []
    for name in ("patch_numpy", "patch_builtins", "patch_checks", "lying_objects", "read_source",
                 "write_gradebook", "edited_tests"):
        assert results[name].flags, name


def test_gradebook_untouched_by_student_code(graded):
    course_dir, results, _ = graded
    with sqlite3.connect(course_dir / "gradebook.db") as connection:
        top = connection.execute("SELECT MAX(auto_score) FROM grade").fetchone()[0]
    assert top <= 3  # the largest test cell of the assignment is worth 3 points
    assert results["write_gradebook"].auto_score == 0
