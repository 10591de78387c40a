"""Recorded results of the statistical studies (`test_statistical_checks.py`), re-run only when
what they depend on changes, and the thresholds they are judged against, read from the notebooks.

A study runs its code after the set-up and reference solution cells of one assignment
(`harness.run_with_reference`); where a check trains or measures with functions of its own, the
study runs those very functions (`definitions_in_test_cell`). Its key is a hash of everything that
can change its result: the study's code (the test function's source and the code it sends to the
kernel), those
cells, the `course` modules they and the study import (and what those import in turn) and the
lock file of the pinned packages. `grader_tests/studies.json` keeps one result per study with its
key: `recorded` returns it while the key is the same, and otherwise runs the study again and
writes the new result (commit the file). The test then judges the result, recorded or new,
against the threshold the notebook's check uses today (`notebook_constant`), so a threshold
moved in a notebook is judged at once, without a run.
"""

from __future__ import annotations

import ast
import datetime
import hashlib
import inspect
import json
import os
import platform
import time

from course.grader import coursedir
from dependencies import python_source
from harness import ROOT, run_with_reference, source_notebook, _trimmed

RESULTS = ROOT / "grader_tests" / "studies.json"
LOCK_FILE = ROOT / "requirements.lock"


def notebook_constant(assignment, grade_id, name):
    """The literal value bound to ``name`` in the instructor's cell ``grade_id`` (``_MIN_ACCURACY = 0.70``)."""
    cell = coursedir.cells_by_grade_id(source_notebook(assignment))[grade_id]
    values = [ast.literal_eval(node.value) for node in ast.walk(ast.parse(python_source(cell.source)))
              if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [name]]
    if len(values) != 1:
        raise LookupError(f"{assignment}: the cell {grade_id} binds {name} {len(values)} times, not once")
    return values[0]


def definitions_in_test_cell(assignment, grade_id):
    """The imports and functions defined at the top level of the instructor's test cell ``grade_id``
    (the private training code of a hidden test, for example), as code a study runs: the study
    measures what the check computes, not a copy of it."""
    cell = coursedir.cells_by_grade_id(source_notebook(assignment))[grade_id]
    source = python_source(cell.source)
    return "\n".join(ast.get_source_segment(source, node) for node in ast.parse(source).body
                     if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef)))


def study_cells(assignment):
    """The sources of the cells a study runs before its own code (set-up and reference solutions)."""
    notebook = _trimmed(source_notebook(assignment))
    return [cell.source for cell in notebook.cells if not cell.metadata["nbgrader"].get("grade")]


def _course_imports(source):
    """Names of the ``course`` modules a piece of Python imports."""
    found = set()
    for node in ast.walk(ast.parse(python_source(source))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "course")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "course":
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _module_file(name):
    path = ROOT.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def course_modules(sources):
    """The files of every ``course`` module that ``sources`` import, directly or through each other
    (with the packages that contain them)."""
    pending, files = set().union(*(_course_imports(s) for s in sources)), {}
    while pending:
        name = pending.pop()
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):  # importing course.lm runs course/__init__.py first
            prefix = ".".join(parts[:depth])
            path = _module_file(prefix)
            if path is not None and prefix not in files:
                files[prefix] = path
                text = path.read_text()
                pending |= _course_imports(text) | _relative_imports(text, prefix, path)
    return sorted(files.values())


def _relative_imports(text, module, path):
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1])
            target = f"{base}.{node.module}" if node.module else base
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def study_key(study, assignment, code=""):
    """The hash of what the study's result depends on (see the module's docstring); ``code``: what
    it sends to the kernel (which may hold code read from the notebook)."""
    sources = [inspect.getsource(study), code]
    cells = study_cells(assignment)
    digest = hashlib.sha256()
    for part in [*sources, *cells, *[p.read_text() for p in course_modules([*sources, *cells])], LOCK_FILE.read_text()]:
        digest.update(hashlib.sha256(part.encode()).digest())
    return digest.hexdigest()


def _load():
    return json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}


def recorded(study, assignment, code, run=run_with_reference):
    """The result of ``study`` (a test function) that runs ``code`` after ``assignment``'s reference
    (with ``run``): the recorded one while its key is unchanged, else a new run, recorded.
    ``COURSE_RERUN_STUDIES=1`` runs every study again."""
    key = study_key(study, assignment, code)
    entry = _load().get(study.__name__)
    if entry and entry["key"] == key and not os.environ.get("COURSE_RERUN_STUDIES"):
        return entry["result"]
    start = time.perf_counter()
    result = run(assignment, code)
    results = _load()  # again: another study may have written meanwhile
    results[study.__name__] = {
        "key": key, "assignment": assignment, "result": result,
        "seconds": round(time.perf_counter() - start, 1),
        "recorded": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
    }
    RESULTS.write_text(json.dumps(dict(sorted(results.items())), indent=1) + "\n")
    return result
