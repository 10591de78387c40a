"""A cohort on one machine in constant memory: a graded notebook's kernel and sandbox are gone when
it is done, so with one worker at most one grading kernel is alive at any time, and the memory of
the grader's processes does not grow with the number of submissions."""

import threading
import time

import nbformat
import psutil
import pytest

from course.grader import coursedir, demo, pipeline, release, report, sandbox
from course.grader.coursedir import Limits

pytestmark = pytest.mark.skipif(not sandbox.bwrap_available(), reason="bubblewrap is not installed")
ASSIGNMENT = "tiny"
COHORT = 30


def _tiny_course(path):
    """A course with one small assignment (one exercise), so that 30 submissions grade in a minute or two."""
    course = coursedir.new_course_dir(path)
    for folder in (course / "source").iterdir():
        if folder.is_dir():
            for file in folder.iterdir():
                file.unlink()
            folder.rmdir()
    def meta(grade_id, **flags):
        return {"nbgrader": {"grade_id": grade_id, "locked": not flags.get("solution", False), "solution": False,
                             "grade": False, "schema_version": 3, **flags}}
    cells = [nbformat.v4.new_markdown_cell("# Tiny\nDouble a number.", metadata=meta("tiny-intro")),
             nbformat.v4.new_code_cell("from course import checks", metadata=meta("tiny-setup")),
             nbformat.v4.new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
                                       metadata=meta("tiny-double-impl", solution=True)),
             nbformat.v4.new_code_cell("checks.assert_close(double(3.0), 6.0)",
                                       metadata=meta("tiny-double-test", grade=True, points=1))]
    target = coursedir.notebook_path(course, "source", ASSIGNMENT)
    target.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), str(target))
    release.run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force", "--no-db")
    for index in range(COHORT):
        answers = {"tiny-double-impl": "def double(x):\n    return x + x"} if index % 2 else {}
        demo.make_submission(coursedir.notebook_path(course, "release", ASSIGNMENT), answers,
                             coursedir.notebook_path(course / "submitted" / f"s{index:02d}", "", ASSIGNMENT))
    return course


class Watcher(threading.Thread):
    """Samples, every quarter second, the grading kernels alive and the memory of all our child processes."""

    def __init__(self):
        super().__init__(daemon=True)
        self.kernels, self.memory, self.running = [], [], True

    def run(self):
        me = psutil.Process()
        while self.running:
            kernels, rss = 0, 0
            for child in me.children(recursive=True):
                try:
                    command = child.cmdline()
                    kernels += bool(command) and "bwrap" not in command[0] and sandbox.KERNEL_MODULE in command
                    rss += child.memory_info().rss
                except psutil.Error:
                    pass
            self.kernels.append(kernels)
            self.memory.append(rss)
            time.sleep(0.25)


def test_thirty_submissions_one_worker_constant_memory(tmp_path):
    course = _tiny_course(tmp_path / "course")
    watcher = Watcher()
    watcher.start()
    try:
        results = pipeline.grade(course, [ASSIGNMENT], workers=1, progress=False, feedback=False,
                                 limits=Limits(memory_mb=2048))
    finally:
        watcher.running = False
        watcher.join()
    assert [r.auto_score for r in results] == [index % 2 for index in range(COHORT)]
    assert all(r.status is report.Status.GRADED for r in results)
    assert max(watcher.kernels) == 1, "at most one grading kernel per worker is alive at any time"
    half = len(watcher.memory) // 2
    first, second = max(watcher.memory[:half]), max(watcher.memory[half:])
    assert second < first + 150 * 2 ** 20, f"memory grew from {first / 2**20:.0f} MB to {second / 2**20:.0f} MB"
