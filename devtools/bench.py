"""``python -m course bench-grade``: plain sequential ``nbgrader autograde`` against ``pipeline.grade``.

Both grade the same generated cohort (by default 40 submissions spread over the topics: the
instructor's answers, the untouched release, and submissions with some exercises wrong) in course
directories of their own, without feedback, and the times and their ratio are printed, with the
peak memory of the grading processes. ``--hostile 0.1`` makes every tenth submission hostile (an
endless loop, a memory bomb, builtins replaced...); ``--no-baseline`` times ``grade`` alone, all
topics in one run, as an instructor grading a whole cohort would.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from pathlib import Path

from course.grader import pipeline, record, release, sandbox
from course.grader.coursedir import REPO_ROOT, assignments, new_course_dir, notebook_path, submitted_students
from devtools.demo import make_submission, reference_answers
from course.grader.result import Result, Status

# What a hostile submission puts into its first solution cell (the others hold the instructor's
# answers): each costs the grader as much as it can, and none may stop the run or be "not graded".
HOSTILE_CELLS = {
    "endless_loop": "while True:\n    pass",
    "uninterruptible_loop": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
    "memory_bomb": "blocks = []\nwhile True:\n    blocks.append(bytearray(10 ** 8))",
    "output_flood": "while True:\n    print('spam ' * 200)",
    "slow_builtins": "import builtins, time\n_sum = builtins.sum\n"
                     "builtins.sum = lambda *a, **k: (time.sleep(5), _sum(*a, **k))[1]",
    "kill_kernel": "import os\nos._exit(3)",
    "fork_children": "import subprocess\nfor _ in range(20):\n    subprocess.Popen(['sleep', '3600'])",
}


def grade_with_plain_nbgrader(root, names):
    """The baseline: ``nbgrader generate_assignment`` and ``nbgrader autograde``, one command after the
    other, as an instructor would type them; returns the ``result.Result``s read from the gradebook."""
    root = Path(root)
    results = []
    for name in names:
        release.run_nbgrader(root, "generate_assignment", name, "--force")
        students = submitted_students(root, name)
        if not students:
            continue
        run = release.nbgrader_command(root, "autograde", name, "--force")
        recorded = record.recorded_scores(f"sqlite:///{root.resolve() / 'gradebook.db'}", root, name, students,
                                          run.stdout + run.stderr)
        for student in students:
            results.append(Result(student, name))
            results[-1].take_recorded(recorded[student])
    return results


def cohort(size, names, seed=0, hostile=0.0):
    """``[(student, assignment, answers)]``: ``size`` submissions, assignments taken in turn; with
    ``hostile`` > 0, that fraction of them (evenly spaced) is hostile, the kinds taken in turn."""
    rng = random.Random(seed)
    every = round(1 / hostile) if hostile else 0
    kinds = list(HOSTILE_CELLS)
    submissions = []
    for index in range(size):
        assignment = names[index % len(names)]
        reference = reference_answers(notebook_path(REPO_ROOT, "source", assignment))
        kind = ("complete", "blank", "partial")[index % 3]
        if every and index % every == every - 1:
            kind = kinds[(index // every) % len(kinds)]
            first = next(iter(reference))
            answers = {**reference, first: HOSTILE_CELLS[kind]}
        elif kind == "complete":
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


class MemoryWatch:
    """Samples, twice a second, the resident memory of this process and all its descendants (the
    Dask workers, the sandboxes, the kernels), the memory in use on the machine and the number of
    grading kernels alive; keeps the peaks."""

    def __init__(self, interval=0.5):
        import psutil

        self.psutil, self.interval = psutil, interval
        self.peak_tree = self.peak_machine = self.peak_kernels = 0
        self.machine_before = self._machine()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _machine(self):
        memory = self.psutil.virtual_memory()
        return memory.total - memory.available

    def sample(self):
        me = self.psutil.Process()
        tree, kernels = me.memory_info().rss, 0
        for child in me.children(recursive=True):
            try:
                tree += child.memory_info().rss
                kernels += sandbox.KERNEL_MODULE in " ".join(child.cmdline()) and child.name().startswith("python")
            except self.psutil.Error:  # it ended between the listing and the reading
                pass
        self.peak_tree = max(self.peak_tree, tree)
        self.peak_kernels = max(self.peak_kernels, kernels)
        self.peak_machine = max(self.peak_machine, self._machine())

    def _run(self):
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def summary(self):
        return {"peak_tree_gb": self.peak_tree / 1e9, "peak_kernels": self.peak_kernels,
                "machine_before_gb": self.machine_before / 1e9, "peak_machine_gb": self.peak_machine / 1e9}


def _topic(name, results, seconds=None, plain_results=None, plain_seconds=None):
    mine = [r for r in results if r.assignment == name]
    topic = {"assignment": name, "submissions": len(mine), "ours_seconds": seconds,
             "execution_seconds": sum(r.seconds for r in mine), "plain_seconds": plain_seconds,
             "statuses": Counter(r.status.value for r in mine)}
    if plain_results is not None:
        plain_scores = {r.key: r.cells for r in plain_results}
        topic["identical_scores"] = all(plain_scores.get(r.key) == r.cells for r in mine)
    return topic


def run(size=40, names=None, workers=2, base=None, limits=None, hostile=0.0, baseline=True):
    """Grade the cohort (both ways, one topic after the other, or with ``baseline=False`` only with
    ``grade``, all topics at once); return the measurements."""
    names = names or assignments()
    base = Path(base or REPO_ROOT / "build" / "bench")
    submissions = cohort(size, names, hostile=hostile)
    ours_dir = _course_with(base / "ours", submissions)
    topics, plain = [], None
    with MemoryWatch() as memory:
        if baseline:
            plain_dir = _course_with(base / "plain", submissions)
            plain = 0.0
            for name in names:
                start = time.perf_counter()
                plain_results = grade_with_plain_nbgrader(plain_dir, [name])
                plain_seconds = time.perf_counter() - start
                start = time.perf_counter()
                results = pipeline.grade(ours_dir, [name], workers=workers, limits=limits, feedback=False,
                                         progress=False)
                topics.append(_topic(name, results, time.perf_counter() - start, plain_results, plain_seconds))
                plain += plain_seconds
        else:
            start = time.perf_counter()
            results = pipeline.grade(ours_dir, names, workers=workers, limits=limits, feedback=False, progress=False)
            ours_all = time.perf_counter() - start
            topics = [_topic(name, results) for name in names]
    ours = sum(t["ours_seconds"] for t in topics) if baseline else ours_all
    execution = sum(t["execution_seconds"] for t in topics)
    statuses = sum((t["statuses"] for t in topics), Counter())
    return {"submissions": size, "assignments": len(names), "workers": workers, "hostile": hostile,
            "topics": topics, "plain_seconds": plain, "ours_seconds": ours,
            "speedup": plain / ours if baseline else None, "execution_seconds": execution,
            "overhead_per_submission": (ours - execution / workers) / size,
            "identical_scores": all(t.get("identical_scores", True) for t in topics),
            "not_graded": statuses.get(Status.NOT_GRADED.value, 0), "statuses": statuses,
            "memory": memory.summary()}


def _scores(flag):
    return "identical" if flag else "DIFFERENT"


def report(m):
    """The measurements as a table: one row per topic, then all of them, memory and statuses."""
    baseline = m["plain_seconds"] is not None
    hostile = f", {m['hostile']:.0%} of them hostile" if m.get("hostile") else ""
    lines = [f"Cohort: {m['submissions']} submissions over {m['assignments']} assignments "
             f"(complete, blank and half-done in turn{hostile}), no feedback, {m['workers']} workers."]
    if baseline:
        lines.append(f"{'assignment':<26} {'n':>3} {'plain nbgrader':>15} {'grade':>10} {'ratio':>6}  scores")
        for t in m["topics"]:
            lines.append(f"{t['assignment']:<26} {t['submissions']:>3} {t['plain_seconds']:>13.1f} s "
                         f"{t['ours_seconds']:>8.1f} s {t['plain_seconds'] / t['ours_seconds']:>5.2f}x  "
                         f"{_scores(t['identical_scores'])}")
        lines.append(f"{'all':<26} {m['submissions']:>3} {m['plain_seconds']:>13.1f} s {m['ours_seconds']:>8.1f} s "
                     f"{m['speedup']:>5.2f}x  {_scores(m['identical_scores'])}")
    else:
        lines.append(f"{'assignment':<26} {'n':>3} {'execution':>11}")
        for t in m["topics"]:
            lines.append(f"{t['assignment']:<26} {t['submissions']:>3} {t['execution_seconds']:>9.1f} s")
        lines.append(f"{'all, one `grade` run':<26} {m['submissions']:>3} {m['ours_seconds']:>9.1f} s wall-clock")
    lines.append(f"Notebook execution in the workers: {m['execution_seconds']:.1f} s in total; everything else "
                 f"(checks, sanitising, pre-flight, scheduling, recording): "
                 f"{m['overhead_per_submission']:.2f} s per submission.")
    if "memory" in m:
        mem = m["memory"]
        lines.append(f"Peak memory: {mem['peak_tree_gb']:.2f} GB for the grader and all its processes; "
                     f"machine in use {mem['machine_before_gb']:.1f} GB before, {mem['peak_machine_gb']:.1f} GB "
                     f"at most; at most {mem['peak_kernels']} grading kernel(s) alive at once.")
    if "statuses" in m:
        lines.append("Statuses: " + ", ".join(f"{count} {status}" for status, count in sorted(m["statuses"].items())))
    return "\n".join(lines)
