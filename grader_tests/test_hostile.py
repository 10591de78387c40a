"""Hostile and broken submissions (grader_tests/hostile.py) graded in one run of the cohort grader.

Every kind gets no undeserved point, none stops or hangs the run (the honest student in the same
run gets full marks), and the summary names what happened."""

import sqlite3

import pytest

from course import engine, grading, sandbox
import hostile

LIMITS = dict(cell_timeout=8, notebook_timeout=30, memory_mb=2048)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course_dir = grading.new_course_dir(tmp_path_factory.mktemp("hostile") / "course", grading.REPO_ROOT)
    for kind in hostile.KINDS:
        hostile.write_submission(kind, course_dir)
    results, outcomes = engine.grade(course_dir, [hostile.ASSIGNMENT], workers=2, progress=False,
                                     limits=sandbox.Limits(**LIMITS))
    summary = engine.format_summary(results, outcomes, 0)
    print(hostile.table(results, outcomes, summary))
    return course_dir, {r.student: r for r in results}, outcomes, summary


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
    _, _, _, summary = graded
    lines = [line for line in summary.splitlines() if line.strip().startswith(f"{kind.name}/")]
    assert any(kind.summary in line for line in lines), (kind.summary, lines)


def test_flagged_for_review_only_when_warranted(graded):
    _, _, outcomes, _ = graded
    assert outcomes[("honest", hostile.ASSIGNMENT)].flags == []
    for name in ("patch_numpy", "patch_builtins", "patch_checks", "lying_objects", "read_source",
                 "write_gradebook", "edited_tests"):
        assert outcomes[(name, hostile.ASSIGNMENT)].flags, name


def test_gradebook_untouched_by_student_code(graded):
    course_dir, results, _, _ = graded
    with sqlite3.connect(course_dir / "gradebook.db") as connection:
        top = connection.execute("SELECT MAX(auto_score) FROM grade").fetchone()[0]
    assert top <= 3  # the largest test cell of the assignment is worth 3 points
    assert results["write_gradebook"].auto_score == 0
