"""A course of one small assignment, made for the tests of the grader's mechanics (resume after a
kill, the Dask cluster, memory, injected faults): what they test does not depend on the size of
the notebooks, so they grade one that runs in about two seconds instead of a real topic.

Its assignment ``tiny`` has what a real one has: a set-up cell, one exercise (``double``) with a
test cell of ``POINTS`` points, a slow cell (``SLOW_SECONDS`` of sleep, so that a run can be
killed in the middle) and a written answer of ``WRITTEN_POINTS`` for a human grader.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import nbformat

from course.grader import coursedir
from devtools import demo
from course.grader.record import NbGrader

ASSIGNMENT = "tiny"
POINTS = 2
WRITTEN_POINTS = 1
FULL_MARKS = POINTS
SLOW_SECONDS = 1.0
REFERENCE = {"tiny-double-impl": "def double(x):\n    return 2 * x"}
WRONG = {"tiny-double-impl": "def double(x):\n    return x + 1"}


def _meta(grade_id, **flags):
    return {"nbgrader": {"grade_id": grade_id, "locked": not flags.get("solution", False), "solution": False,
                         "grade": False, "schema_version": 3, **flags}}


def source_notebook(slow_seconds=SLOW_SECONDS):
    cells = [
        nbformat.v4.new_markdown_cell("# Tiny\nDouble a number.", metadata=_meta("tiny-intro")),
        nbformat.v4.new_code_cell("import time\nfrom course import checks", metadata=_meta("tiny-setup")),
        nbformat.v4.new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
                                  metadata=_meta("tiny-double-impl", solution=True)),
        nbformat.v4.new_code_cell("checks.assert_close(double(3.0), 6.0, name='double(3.0)')\n"
                                  "checks.assert_close(double(-1.5), -3.0, name='double(-1.5)')",
                                  metadata=_meta("tiny-double-test", grade=True, points=POINTS)),
        nbformat.v4.new_code_cell(f"time.sleep({slow_seconds})  # a slow experiment", metadata=_meta("tiny-slow")),
        nbformat.v4.new_markdown_cell("Why is doubling linear?", metadata=_meta("tiny-why-question")),
        nbformat.v4.new_markdown_cell("Because 2 (x + y) = 2 x + 2 y.",
                                      metadata=_meta("tiny-why-answer", solution=True, grade=True,
                                                     points=WRITTEN_POINTS)),
    ]
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                           "language": "python"}})


_TEMPLATES = {}  # slow_seconds -> a course made once per test process, copied for every test


def new_course(path, slow_seconds=SLOW_SECONDS):
    """A course directory at ``path`` with the course's nbgrader configuration, the source of
    ``tiny`` and its generated student version; returns its path. (Generating the student version
    starts nbgrader, about 2 s: it is done once per process and copied.)"""
    path = Path(path)
    if path.exists():
        shutil.rmtree(path)
    if slow_seconds not in _TEMPLATES:
        folder = tempfile.mkdtemp(prefix="tiny-course-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _TEMPLATES[slow_seconds] = _generate(Path(folder) / "course", slow_seconds)
    shutil.copytree(_TEMPLATES[slow_seconds], path)
    return path


def _generate(path, slow_seconds):
    path.mkdir(parents=True)
    shutil.copy(coursedir.REPO_ROOT / coursedir.CONFIG_FILE, path / coursedir.CONFIG_FILE)
    target = coursedir.notebook_path(path, "source", ASSIGNMENT)
    target.parent.mkdir(parents=True)
    nbformat.write(source_notebook(slow_seconds), str(target))
    NbGrader(path, database=False).generate_assignment(ASSIGNMENT)
    return path


def submit(course, student, answers):
    """Write ``student``'s submission of ``tiny`` into ``course``'s submitted/ folder."""
    return demo.make_submission(coursedir.notebook_path(course, "release", ASSIGNMENT), answers,
                                coursedir.notebook_path(Path(course) / "submitted" / student, "", ASSIGNMENT))
