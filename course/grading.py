"""The grading pipeline behind ``python -m course``: release, grade, demo.

Every step runs the real ``nbgrader`` commands on a course directory laid out as nbgrader expects
(``source/``, ``release/``, ``submitted/<student>/<assignment>/``, ``autograded/``, ``feedback/``),
so an instructor can mix these commands with plain ``nbgrader ...`` at any time.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parents[1]
CONFIG_FILE = "nbgrader_config.py"


# --------------------------------------------------------------------------------------------
# Course layout
# --------------------------------------------------------------------------------------------

def assignments(root=REPO_ROOT):
    """Names of the assignments: folders of ``source/`` that hold a notebook of the same name."""
    source = Path(root) / "source"
    return sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").is_file())


def notebook_path(root, folder, assignment):
    return Path(root) / folder / assignment / f"{assignment}.ipynb"


def nbgrader(root, *args):
    """Run one ``nbgrader`` command in the course directory ``root``; return the finished process."""
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={Path(root).resolve()}"]
    # nbgrader runs helper programs (alembic) found on PATH: use this environment's, venv or not.
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    return subprocess.run(command, cwd=root, capture_output=True, text=True, env=env)


def _run_checked(root, *args):
    result = nbgrader(root, *args)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def new_course_dir(path, root=REPO_ROOT):
    """Create a course directory at ``path`` holding a copy of the course's sources and config."""
    path = Path(path)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    shutil.copy(Path(root) / CONFIG_FILE, path / CONFIG_FILE)
    shutil.copytree(Path(root) / "source", path / "source",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return path


# --------------------------------------------------------------------------------------------
# Release
# --------------------------------------------------------------------------------------------

def sync_colab(root=REPO_ROOT, names=None):
    """Write the current Colab badge and install lines (``course.colab``) into ``source/``; return the changed names."""
    from course import colab

    changed = []
    for name in names or assignments(root):
        path = notebook_path(root, "source", name)
        notebook = nbformat.read(str(path), as_version=4)
        if colab.sync_notebook(notebook, name):
            nbformat.write(notebook, str(path))
            changed.append(name)
    return changed


def generate_release(root=REPO_ROOT, names=None):
    """Generate the student versions with nbgrader into ``root/release`` (no gradebook written).

    The Colab badge and install lines of ``source/`` are brought up to date first.
    """
    names = names or assignments(root)
    sync_colab(root, names)
    with tempfile.TemporaryDirectory() as tmp:
        work = new_course_dir(Path(tmp) / "course", root)
        for name in names:
            _run_checked(work, "generate_assignment", name, "--force", "--no-db")
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


# --------------------------------------------------------------------------------------------
# Submissions
# --------------------------------------------------------------------------------------------

def cells_by_grade_id(notebook):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in notebook.cells
            if "nbgrader" in c.metadata and "grade_id" in c.metadata["nbgrader"]}


def reference_answers(source_notebook):
    """The instructor's solution of every solution cell, markers removed: ``{grade_id: source}``."""
    notebook = nbformat.read(str(source_notebook), as_version=4)
    answers = {}
    for grade_id, cell in cells_by_grade_id(notebook).items():
        if cell.metadata["nbgrader"].get("solution"):
            lines = [line for line in cell.source.splitlines()
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
            answers[grade_id] = "\n".join(lines)
    return answers


def make_submission(release_notebook, answers, target):
    """Write a student's submission: the release notebook with ``answers`` ({grade_id: source}) filled in."""
    notebook = nbformat.read(str(release_notebook), as_version=4)
    cells = cells_by_grade_id(notebook)
    unknown = set(answers) - set(cells)
    if unknown:
        raise KeyError(f"no solution cell with grade_id {sorted(unknown)} in {release_notebook}")
    for grade_id, source in answers.items():
        cells[grade_id].source = source
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(target))
    return Path(target)


# --------------------------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------------------------

@dataclass
class Result:
    """The grade of one student on one assignment."""

    student: str
    assignment: str
    status: str = "graded"          # graded | not submitted | failed: <reason>
    score: float = 0.0
    max_score: float = 0.0
    auto_score: float = 0.0
    auto_max: float = 0.0
    needs_manual_grade: bool = False
    cells: dict = field(default_factory=dict)  # test-cell grade_id -> (score, max_score)


def submitted_students(root, assignment):
    submitted = Path(root) / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())


def grade(root=REPO_ROOT, names=None, feedback=True, csv_path=None):
    """Autograde every submission in ``root/submitted`` and write feedback and a grades CSV.

    Returns the list of ``Result``s. A submission nbgrader cannot process is reported as
    ``failed`` with the reason and never stops the grading of the others.
    """
    root = Path(root)
    names = names or assignments(root)
    results = []
    for name in names:
        _run_checked(root, "generate_assignment", name, "--force")
        students = submitted_students(root, name)
        if not students:
            continue
        run = nbgrader(root, "autograde", name, "--force")
        if feedback:
            nbgrader(root, "generate_feedback", name, "--force")
        results += _read_gradebook(root, name, students, run.stdout + run.stderr)
    write_csv(results, csv_path or root / "grades.csv")
    return results


def _failure_reason(log, student):
    """The first error line nbgrader logged about ``student`` (a short, plain reason)."""
    for line in log.splitlines():
        if student in line and ("[ERROR]" in line or "Error" in line):
            return line.split("]", 1)[-1].strip()[:200]
    return "nbgrader could not grade this submission (see the autograde log)"


def _read_gradebook(root, assignment, students, log):
    from nbgrader.api import Gradebook, MissingEntry

    results = []
    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gradebook:
        for student in students:
            result = Result(student, assignment)
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                result.status = "failed: " + _failure_reason(log, student)
                results.append(result)
                continue
            result.max_score = submission.max_score
            result.score = submission.score
            result.needs_manual_grade = submission.needs_manual_grade
            for notebook in submission.notebooks:
                for grade_ in notebook.grades:
                    if grade_.cell.cell_type == "code":
                        result.auto_score += grade_.score
                        result.auto_max += grade_.max_score
                        result.cells[grade_.name] = (grade_.score, grade_.max_score)
            if not (Path(root) / "autograded" / student / assignment).is_dir():
                result.status = "failed: " + _failure_reason(log, student)
            results.append(result)
    return results


def write_csv(results, path):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "status", "auto_score", "auto_max", "score",
                         "max_score", "needs_manual_grade"])
        for r in results:
            writer.writerow([r.student, r.assignment, r.status, f"{r.auto_score:g}", f"{r.auto_max:g}",
                             f"{r.score:g}", f"{r.max_score:g}", r.needs_manual_grade])
    return Path(path)


def format_table(results):
    """A plain-text grade table, one row per student and assignment."""
    header = f"{'student':<12} {'assignment':<26} {'automatic':>10} {'total':>10}  status"
    lines = [header, "-" * len(header)]
    for r in results:
        manual = " (+ manual grading pending)" if r.needs_manual_grade and r.status == "graded" else ""
        lines.append(f"{r.student:<12} {r.assignment:<26} {r.auto_score:>4g} / {r.auto_max:<3g} "
                     f"{r.score:>4g} / {r.max_score:<3g}  {r.status}{manual}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Demo
# --------------------------------------------------------------------------------------------

def demo_students(assignment, root=REPO_ROOT):
    """The fictional students of ``demo/<assignment>.py``: ``{student: {grade_id: source}}``."""
    namespace = {}
    demo_file = Path(root) / "demo" / f"{assignment}.py"
    exec(compile(demo_file.read_text(), str(demo_file), "exec"), namespace)
    return namespace["STUDENTS"]


def prepare_demo(work, root=REPO_ROOT):
    """A course directory at ``work`` with the demo students' submissions in ``submitted/``."""
    work = new_course_dir(work, root)
    names = [n for n in assignments(root) if (Path(root) / "demo" / f"{n}.py").is_file()]
    for name in names:
        release = notebook_path(root, "release", name)
        for student, answers in demo_students(name, root).items():
            if answers is None:  # a student who submitted the notebook untouched
                answers = {}
            make_submission(release, answers, notebook_path(work / "submitted" / student, "", name))
    return work, names
