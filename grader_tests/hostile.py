"""Hostile and broken submissions of the tiny assignment (grader_tests/tiny.py), for `test_hostile.py`.

Each kind writes a student's submission folder and says what the grader must do with it: the
automatic points it may award (never more than the honest work in it deserves) and words the
grading summary must use about it, so an instructor sees what happened without opening the notebook.

What is tested is the grader (the sandbox, the limits, the kernel guard, the gradebook, the checks
of a submission's file), not an exercise, so the payloads go into the tiny course's one exercise
(`double`): its honest notebook runs in about two seconds instead of a real topic's thirteen, and the
limits can be short. The checks of the real topics against rebinding and tampering are tested by
the corpus (`attack:` cases) and by the tamperer of `test_pipeline.py`.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.grader import coursedir
from devtools import demo
import tiny

ASSIGNMENT = tiny.ASSIGNMENT
EXERCISES = ["double"]
FULL_MARKS = tiny.POINTS
LARGEST_TEST_CELL = tiny.POINTS
# The limits the hostile run is graded with: the honest notebook takes about 2 s alone, and its run
# must end within the notebook's limit under the load of the whole test suite.
CELL_TIMEOUT = 4
NOTEBOOK_TIMEOUT = 15


def new_course(path):
    """The tiny course without its slow cell, at ``path``."""
    return tiny.new_course(path, slow_seconds=0)


@dataclass
class Kind:
    name: str
    description: str
    answers: dict | None = None     # {exercise: source} written into the solution cells
    reference: bool = False         # start from the instructor's answers instead of the stubs
    edit: str = ""                  # a further change to the notebook, see `_edit`
    points: float = 0               # automatic points the submission must get
    summary: str = ""               # text the summary must show for this student


def _code(source):
    return textwrap.dedent(source).strip("\n")


def _every(source):
    """The same code in every solution cell."""
    return {exercise: _code(source) for exercise in EXERCISES}


LIAR = """
class Liar(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __float__(self): return 0.0
    def __array__(self, *args, **kwargs):
        import numpy
        return numpy.zeros(3)
    def __getattr__(self, name): return self
def double(x): return Liar()
"""

KINDS = [
    Kind("honest", "the instructor's answers: the control", reference=True, points=FULL_MARKS),
    Kind("infinite_loop", "an endless loop in a solution cell",
         answers={"double": "while True:\n    pass"}, summary=f"longer than {CELL_TIMEOUT} s"),
    Kind("honest_then_loop", "correct answers, then an endless loop in an added last cell",
         reference=True, edit="append_loop", points=FULL_MARKS, summary=f"longer than {CELL_TIMEOUT} s"),
    Kind("uninterruptible_loop", "an endless loop that ignores the interrupt signal",
         answers={"double": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"},
         summary=f"ran longer than {NOTEBOOK_TIMEOUT} s"),
    Kind("sys_exit", "sys.exit() in a solution cell", answers={"double": "import sys\nsys.exit(0)"},
         summary="ends the kernel"),
    Kind("os_exit", "os._exit() kills the kernel", answers={"double": "import os\nos._exit(3)"},
         summary="kernel stopped"),
    Kind("segfault", "a crash of the interpreter (reading address 0)",
         answers={"double": "import ctypes\nctypes.string_at(0)"}, summary="kernel stopped"),
    Kind("memory_bomb", "allocates memory until it runs out",
         answers={"double": "blocks = []\nwhile True:\n    blocks.append(bytearray(10 ** 8))"},
         summary="ran out of memory"),
    Kind("output_flood", "prints without end",
         answers={"double": "while True:\n    print('spam ' * 200)"}, summary="printed more than"),
    Kind("edited_tests", "test cells replaced by `pass`, stubs return zeros",
         answers=_every("def placeholder(*args, **kwargs):\n    return 0.0\ndouble = placeholder"),
         edit="empty_tests", summary="edited read-only cell"),
    Kind("deleted_tests", "test cells deleted", edit="delete_tests", summary="deleted read-only cell"),
    Kind("patch_numpy", "replaces numpy's comparison functions",
         answers={"double": """
             np.allclose = lambda *a, **k: True
             np.isclose = lambda a, b, **k: np.ones(np.shape(a), dtype=bool)
             np.testing.assert_allclose = lambda *a, **k: None
             def double(x):
                 return 0.0"""}, summary="assigns to an attribute of a library"),
    Kind("patch_builtins", "replaces builtins the checks might use",
         answers={"double": """
             import builtins
             builtins.isinstance = lambda *a: True
             builtins.abs = lambda x: 0
             builtins.AssertionError = type("Nothing", (Exception,), {})
             def double(x):
                 return 0.0"""}, summary="touches the builtins"),
    Kind("patch_checks", "disables the check helpers",
         answers=_every("""
             from course import checks
             for name in list(vars(checks)):
                 if name.startswith('assert'):
                     vars(checks)[name] = lambda *a, **k: None"""), summary="rewrites the attributes"),
    Kind("unhook_guard", "removes the kernel guard, then patches numpy",
         answers={"double": """
             shell = get_ipython()
             for callback in list(shell.events.callbacks['pre_run_cell']):
                 shell.events.unregister('pre_run_cell', callback)
             np.allclose = lambda *a, **k: True
             def double(x):
                 return 0.0"""}, summary="rewires the IPython kernel"),
    Kind("lying_objects", "returns objects whose __eq__, __float__ and __array__ lie",
         answers={"double": LIAR}, summary="its own comparison or conversion"),
    Kind("read_source", "reads the instructor's notebook and runs its solutions",
         answers={"double": """
             import json
             notebook = json.load(open(r'{root}/source/{assignment}/{assignment}.ipynb'))
             for cell in notebook['cells']:
                 if 'BEGIN SOLUTION' in ''.join(cell['source']):
                     exec(''.join(cell['source']))"""}, summary="at run time: read"),
    Kind("find_source", "looks for the instructor's notebook through course.__file__, sys.path, the "
         "environment, /proc and the parents of its working directory, and runs its solutions",
         answers={"double": """
             import os, sys, json
             from pathlib import Path
             import course
             places = [*Path(course.__file__).resolve().parents, *(Path(p) for p in sys.path if p),
                       *(Path(v) for v in os.environ.values() if v.startswith('/')), Path.cwd(), *Path.cwd().parents]
             for link in ('/proc/self/cwd', '/proc/self/root', '/proc/1/cwd', '/proc/1/root'):
                 try:
                     places.append(Path(os.readlink(link)))
                 except OSError:
                     pass
             found = [hit for place in dict.fromkeys(places) if place.is_dir()
                      for pattern in ('source/{assignment}/{assignment}.ipynb', '*/source/{assignment}/{assignment}.ipynb')
                      for hit in place.glob(pattern)]
             print('found', found)
             for cell in (json.load(open(found[0]))['cells'] if found else []):
                 if 'BEGIN SOLUTION' in ''.join(cell['source']):
                     exec(''.join(cell['source']))"""}, summary="runs code indirectly"),
    Kind("shell_read", "reads the instructor's notebook with a shell command",
         answers={"double": """
             import subprocess
             print(subprocess.run(['cat', r'{root}/source/{assignment}/{assignment}.ipynb'],
                                  capture_output=True, text=True).stdout[:100])"""},
         summary="subprocess.Popen"),
    Kind("write_gradebook", "writes full marks into the gradebook",
         answers={"double": """
             import sqlite3
             connection = sqlite3.connect(r'{root}/gradebook.db')
             connection.execute('UPDATE grade SET auto_score = 100')
             connection.commit()"""}, summary="sqlite3.connect"),
    Kind("malformed_json", "a file that is not JSON", edit="malformed", summary="not a valid notebook"),
    Kind("wrong_file_name", "the right work under another file name", reference=True, edit="rename",
         summary="wrong file name"),
    Kind("other_assignment", "the notebook of another assignment", edit="other_assignment",
         summary="another assignment"),
]


def _edit(notebook, kind):
    if kind.edit == "append_loop":
        notebook.cells.append(nbformat.v4.new_code_cell("while True:\n    pass"))
    elif kind.edit == "empty_tests":
        for cell in notebook.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-test"):
                cell.source = "pass"
    elif kind.edit == "delete_tests":
        notebook.cells = [c for c in notebook.cells
                          if not c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-test")]
    return notebook


def write_submission(kind, course_dir):
    """Write ``kind``'s submission into ``course_dir/submitted/<kind.name>/tiny/`` (``course_dir``: a
    course made by ``new_course``)."""
    folder = Path(course_dir) / "submitted" / kind.name / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{ASSIGNMENT}.ipynb"
    if kind.edit == "malformed":
        target.write_text('{"cells": [ this is not JSON')
        return target
    if kind.edit == "other_assignment":
        other = coursedir.assignments(coursedir.REPO_ROOT)[0]  # a real topic: not this course's
        target.write_text(coursedir.notebook_path(coursedir.REPO_ROOT, "release", other).read_text())
        return target
    answers = dict(tiny.REFERENCE) if kind.reference else {}
    for exercise, source in (kind.answers or {}).items():
        source = _code(source).replace("{root}", str(Path(course_dir).resolve()))
        answers[f"{ASSIGNMENT}-{exercise}-impl"] = source.replace("{assignment}", ASSIGNMENT)
    release = coursedir.notebook_path(course_dir, "release", ASSIGNMENT)
    demo.make_submission(release, answers, target)
    notebook = _edit(nbformat.read(str(target), as_version=4), kind)
    nbformat.write(notebook, str(target))
    if kind.edit == "rename":
        target.rename(folder / "homework.ipynb")
    return target


def table(results):
    """The corpus table for the README: kind, points awarded, what the summary said."""
    rows = ["| kind | what it does | points | summary says |", "|---|---|---|---|"]
    by_student = {r.student: r for r in results}
    for kind in KINDS:
        result = by_student[kind.name]
        said = result.status_text if result.reason else "; ".join(
            filter(None, [result.note, "; ".join(result.flags)])) or "graded"
        rows.append(f"| {kind.name} | {kind.description} | {result.auto_score:g} / {result.auto_max:g} | "
                    f"{said[:160]} |")
    return "\n".join(rows)


def jsonable(results):
    return json.dumps({r.student: {"auto_score": r.auto_score, "status": r.status_text, "note": r.note,
                                   "flags": r.flags} for r in results}, indent=1)
