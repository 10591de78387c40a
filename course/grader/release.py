"""Step 2: generate the student versions (``release/``) from the instructor notebooks (``source/``).

nbgrader's ``generate_assignment`` does the work, through the grader's one adapter to nbgrader
(``record.NbGrader``, in this process), in a scratch copy of the course directory and without a
gradebook; the Colab badge and install lines (``colab``), the rules of every exercise (``rules``)
and the measured run time (``runtime``) are brought up to date first.
``nbgrader_command`` runs the ``nbgrader`` program itself: only for plain nbgrader as an instructor
runs it (the baseline of ``bench``, and the tests).
``release_drift`` tells whether the committed ``release/`` is what a fresh generation gives.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from course.grader import colab, rules, runtime
from course.grader.coursedir import REPO_ROOT, assignments, new_course_dir, notebook_path


def nbgrader_command(root, *args):
    """Run one ``nbgrader`` command in the course directory ``root``; return the finished process."""
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={Path(root).resolve()}"]
    # nbgrader runs helper programs (alembic) found on PATH: use this environment's, venv or not.
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    return subprocess.run(command, cwd=root, capture_output=True, text=True, env=env)


def run_nbgrader(root, *args):
    """``nbgrader_command``, raising ``RuntimeError`` with nbgrader's output when it fails."""
    result = nbgrader_command(root, *args)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def sync_colab(root=REPO_ROOT, names=None):
    """Write the current Colab badge and install lines, the rules of every exercise (``rules``) and
    the measured run time (``runtime``) into ``source/``; return the changed names."""
    changed = []
    for name in names or assignments(root):
        path = notebook_path(root, "source", name)
        notebook = nbformat.read(str(path), as_version=4)
        if colab.sync_notebook(notebook, name) | rules.sync_notebook(notebook) | runtime.sync_notebook(notebook, name, root):
            nbformat.write(notebook, str(path))
            changed.append(name)
    return changed


def generate_release(root=REPO_ROOT, names=None):
    """Generate the student versions with nbgrader into ``root/release`` (no gradebook written)."""
    names = names or assignments(root)
    sync_colab(root, names)
    from course.grader.record import NbGrader

    with tempfile.TemporaryDirectory() as tmp:
        work = new_course_dir(Path(tmp) / "course", root)
        nbgrader = NbGrader(work, database=False)
        for name in names:
            nbgrader.generate_assignment(name)
            target = Path(root) / "release" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(work / "release" / name, target)
    return names


def _normalised(path):
    return json.dumps(json.loads(Path(path).read_text()), sort_keys=True, indent=1)


def release_drift(root=REPO_ROOT):
    """Files of ``release/`` that differ from a fresh generation (empty list: no drift)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = new_course_dir(Path(tmp) / "fresh", root)
        generate_release(fresh)
        expected = {p.relative_to(fresh / "release") for p in (fresh / "release").rglob("*") if p.is_file()}
        committed_dir = Path(root) / "release"
        committed = {p.relative_to(committed_dir) for p in committed_dir.rglob("*")
                     if p.is_file() and ".ipynb_checkpoints" not in p.parts}
        drift = sorted(str(p) + " (missing)" for p in expected - committed)
        drift += sorted(str(p) + " (not generated from source)" for p in committed - expected)
        for rel in sorted(expected & committed):
            new, old = fresh / "release" / rel, committed_dir / rel
            same = (_normalised(new) == _normalised(old)) if rel.suffix == ".ipynb" \
                else new.read_bytes() == old.read_bytes()
            if not same:
                drift.append(f"{rel} (differs)")
        return drift
