"""A cohort on one machine in constant memory: a graded notebook's kernel and sandbox are gone when
it is done, so with one worker at most one grading kernel is alive at any time, and the memory of
the grader's processes does not grow with the number of submissions."""

import threading
import time

import psutil
import pytest

from course.grader import pipeline, report, sandbox
from course.grader.coursedir import Limits
import tiny

pytestmark = pytest.mark.sandbox
ASSIGNMENT = tiny.ASSIGNMENT
COHORT = 16
# The most the grader's processes may grow per submission graded: the test compares the largest
# memory of the second half of the run with the first half's, COHORT / 2 submissions apart. Measured
# (one worker, nothing else running): 422 to 427 MB over 30 submissions, 380 to 381 MB over another 30.
LEAK_MB_PER_SUBMISSION = 10


def _tiny_course(path):
    """The tiny course (grader_tests/tiny.py) without its slow cell, with `COHORT` submissions, so
    that they grade in about a minute; every other one is correct."""
    course = tiny.new_course(path, slow_seconds=0)
    for index in range(COHORT):
        tiny.submit(course, f"s{index:02d}", tiny.REFERENCE if index % 2 else {})
    return course


class Watcher(threading.Thread):
    """Samples, every quarter second, the grading kernels alive and the memory of all our child processes."""

    def __init__(self):
        super().__init__(daemon=True)
        self.kernels, self.memory, self.running = [], [], True

    def run(self):
        me = psutil.Process()
        while self.running:
            processes = {}
            for child in me.children(recursive=True):
                try:
                    processes[child.pid] = (child.ppid(), child.cmdline(), child.memory_info().rss)
                except psutil.Error:
                    pass
            # A kernel's own short-lived fork (before it runs another program) shows the kernel's
            # command line and, copy-on-write, the kernel's memory again: it is counted as neither.
            forks = {pid for pid, (parent, command, _) in processes.items()
                     if parent in processes and command and command == processes[parent][1]}
            self.kernels.append(sum(1 for pid, (_, command, _) in processes.items() if pid not in forks and command
                                    and "bwrap" not in command[0] and sandbox.KERNEL_MODULE in command))
            self.memory.append(sum(rss for pid, (_, _, rss) in processes.items() if pid not in forks))
            time.sleep(0.25)


def test_a_cohort_on_one_worker_in_constant_memory(tmp_path):
    course = _tiny_course(tmp_path / "course")
    watcher = Watcher()
    watcher.start()
    try:
        results = pipeline.grade(course, [ASSIGNMENT], workers=1, progress=False, feedback=False,
                                 limits=Limits(memory_mb=2048, cell_timeout=60, notebook_timeout=120))
    finally:
        watcher.running = False
        watcher.join()
    assert [r.auto_score for r in results] == [tiny.POINTS * (index % 2) for index in range(COHORT)]
    assert all(r.status is report.Status.GRADED for r in results)
    assert max(watcher.kernels) == 1, "at most one grading kernel per worker is alive at any time"
    half = len(watcher.memory) // 2
    first, second = max(watcher.memory[:half]), max(watcher.memory[half:])
    allowed = LEAK_MB_PER_SUBMISSION * COHORT // 2
    assert second < first + allowed * 2 ** 20, \
        f"memory grew from {first / 2**20:.0f} MB to {second / 2**20:.0f} MB (at most {allowed} MB allowed)"
