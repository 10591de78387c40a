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
    """Grade the cohort both ways, one topic after the other; return the measurements per topic."""
    names = names or assignments()
    base = Path(base or REPO_ROOT / "build" / "bench")
    submissions = cohort(size, names)
    plain_dir = _course_with(base / "plain", submissions)
    ours_dir = _course_with(base / "ours", submissions)
    topics = []
    for name in names:
        start = time.perf_counter()
        plain_results = grade_with_plain_nbgrader(plain_dir, [name])
        plain_seconds = time.perf_counter() - start
        start = time.perf_counter()
        results = pipeline.grade(ours_dir, [name], workers=workers, limits=limits, feedback=False, progress=False)
        ours_seconds = time.perf_counter() - start
        plain_scores = {r.key: r.cells for r in plain_results}
        topics.append({"assignment": name, "submissions": len(results), "plain_seconds": plain_seconds,
                       "ours_seconds": ours_seconds, "execution_seconds": sum(r.seconds for r in results),
                       "identical_scores": all(plain_scores.get(r.key) == r.cells for r in results)})
    plain, ours = sum(t["plain_seconds"] for t in topics), sum(t["ours_seconds"] for t in topics)
    return {"submissions": size, "assignments": len(names), "workers": workers, "topics": topics,
            "plain_seconds": plain, "ours_seconds": ours, "speedup": plain / ours,
            "execution_seconds": sum(t["execution_seconds"] for t in topics),
            "overhead_per_submission": (ours - sum(t["execution_seconds"] for t in topics) / workers) / size,
            "identical_scores": all(t["identical_scores"] for t in topics)}


def report(m):
    lines = [f"Cohort: {m['submissions']} submissions over {m['assignments']} assignments "
             "(complete, blank and half-done in turn), no feedback.",
             f"{'assignment':<26} {'n':>3} {'plain nbgrader':>15} {'grade (' + str(m['workers']) + ' workers)':>18} "
             f"{'ratio':>6}  scores"]
    for t in m["topics"]:
        lines.append(f"{t['assignment']:<26} {t['submissions']:>3} {t['plain_seconds']:>13.1f} s "
                     f"{t['ours_seconds']:>16.1f} s {t['plain_seconds'] / t['ours_seconds']:>5.2f}x  "
                     f"{'identical' if t['identical_scores'] else 'DIFFERENT'}")
    lines += [
        f"{'all':<26} {m['submissions']:>3} {m['plain_seconds']:>13.1f} s {m['ours_seconds']:>16.1f} s "
        f"{m['speedup']:>5.2f}x  {'identical' if m['identical_scores'] else 'DIFFERENT'}",
        f"Notebook execution in the workers: {m['execution_seconds']:.1f} s in total; everything else "
        f"(checks, sanitising, pre-flight, scheduling, recording): {m['overhead_per_submission']:.2f} s per submission.",
    ]
    return "\n".join(lines)
