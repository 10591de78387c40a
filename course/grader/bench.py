"""``python -m course bench-grade``: plain sequential ``nbgrader autograde`` against ``pipeline.grade``.

Both grade the same generated cohort (by default 40 submissions spread over the topics: the
instructor's answers, the untouched release, and submissions with some exercises wrong) in course
directories of their own, without feedback, and the times and their ratio are printed.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from course.grader import pipeline, record, release
from course.grader.coursedir import REPO_ROOT, assignments, new_course_dir, notebook_path, submitted_students
from course.grader.demo import make_submission, reference_answers
from course.grader.report import Result


def grade_with_plain_nbgrader(root, names):
    """The baseline: ``nbgrader generate_assignment`` and ``nbgrader autograde``, one command after the
    other, as an instructor would type them; returns the ``report.Result``s read from the gradebook."""
    root = Path(root)
    results = []
    for name in names:
        release.run_nbgrader(root, "generate_assignment", name, "--force")
        students = submitted_students(root, name)
        if not students:
            continue
        run = release.nbgrader_command(root, "autograde", name, "--force")
        results += record.read_gradebook(f"sqlite:///{root.resolve() / 'gradebook.db'}", root,
                                         [Result(student, name) for student in students], run.stdout + run.stderr)
    return results


def cohort(size, names, seed=0):
    """``[(student, assignment, answers)]``: ``size`` submissions, assignments taken in turn."""
    rng = random.Random(seed)
    submissions = []
    for index in range(size):
        assignment = names[index % len(names)]
        reference = reference_answers(notebook_path(REPO_ROOT, "source", assignment))
        kind = ("complete", "blank", "partial")[index % 3]
        if kind == "complete":
            answers = reference
        elif kind == "blank":
            answers = {}
        else:  # a student who finished about half of the exercises
            answers = {grade_id: source for grade_id, source in reference.items() if rng.random() < 0.5}
        submissions.append((f"student{index:03d}", assignment, answers))
    return submissions


def _course_with(path, submissions):
    work = new_course_dir(path)
    for student, assignment, answers in submissions:
        make_submission(notebook_path(REPO_ROOT, "release", assignment), answers,
                        notebook_path(work / "submitted" / student, "", assignment))
    return work


def run(size=40, names=None, workers=2, base=None, limits=None):
    """Grade the cohort both ways; return a dict of measurements."""
    names = names or assignments()
    base = Path(base or REPO_ROOT / "build" / "bench")
    submissions = cohort(size, names)
    plain_dir = _course_with(base / "plain", submissions)
    ours_dir = _course_with(base / "ours", submissions)

    start = time.perf_counter()
    plain_results = grade_with_plain_nbgrader(plain_dir, names)
    plain_seconds = time.perf_counter() - start

    start = time.perf_counter()
    results = pipeline.grade(ours_dir, names, workers=workers, limits=limits, feedback=False)
    ours_seconds = time.perf_counter() - start

    execution = sum(r.seconds for r in results)
    plain_scores = {r.key: r.cells for r in plain_results}
    same = all(plain_scores.get(r.key) == r.cells for r in results)
    return {
        "submissions": size, "assignments": len(names), "workers": workers,
        "plain_seconds": plain_seconds, "ours_seconds": ours_seconds, "speedup": plain_seconds / ours_seconds,
        "execution_seconds": execution,
        "overhead_per_submission": (ours_seconds - execution / workers) / size,
        "identical_scores": same,
    }


def report(m):
    return "\n".join([
        f"Cohort: {m['submissions']} submissions over {m['assignments']} assignments.",
        f"  plain nbgrader autograde (sequential): {m['plain_seconds']:7.1f} s",
        f"  python -m course grade ({m['workers']} workers):    {m['ours_seconds']:7.1f} s",
        f"  speed-up: {m['speedup']:.2f}x",
        f"  notebook execution in the workers: {m['execution_seconds']:.1f} s in total; everything else "
        f"(checks, sanitising, scheduling, recording): {m['overhead_per_submission']:.2f} s per submission",
        f"  scores identical to plain nbgrader: {'yes' if m['identical_scores'] else 'NO'}",
    ])
