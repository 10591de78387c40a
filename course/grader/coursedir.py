"""Step 1: the course directory (nbgrader's layout), its nbgrader configuration, and the limits.

A course directory holds ``nbgrader_config.py``, ``source/<assignment>/<assignment>.ipynb``,
``release/``, ``submitted/<student>/<assignment>/``, ``autograded/``, ``feedback/`` and the
gradebook. ``Limits`` is the one place where the grading limits have their defaults: the command
line and ``nbgrader_config.py`` read them from here. The time limits follow the reference: by
default a stated multiple of what the instructor's notebook takes in the sandbox.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = "nbgrader_config.py"


# Time limits taken from the reference: a stated multiple of what the instructor's notebook needs in
# the sandbox on this machine, plus a margin for a slower student solution and a busy machine.
REFERENCE_MULTIPLE = 5
REFERENCE_MARGIN = 30                # seconds
FALLBACK_CELL_TIMEOUT = 120          # without a reference run (and for plain `nbgrader autograde`)
FALLBACK_NOTEBOOK_TIMEOUT = 900


@dataclass
class Limits:
    """What one submission's notebook may use while it is graded. A time limit left at ``None`` is
    taken from the reference run (``from_reference``); a number (``--cell-timeout``) overrides it."""

    cell_timeout: int | None = None      # seconds per cell
    notebook_timeout: int | None = None  # seconds for the whole notebook
    memory_mb: int = 4096                # address-space limit of the kernel
    max_output_bytes: int = 200_000      # per cell; the rest is dropped with a note
    sandbox: bool = True                 # bubblewrap (requires `bwrap`)
    hidden: list = field(default_factory=list)  # paths the student code must not see (course directory)
    threads: int = 1                     # OMP/MKL threads of the kernel (one per core and worker)
    basis: str = ""                      # where the time limits come from, in words

    def from_reference(self, seconds, slowest_cell):
        """These limits, with each time limit left open set to ``REFERENCE_MULTIPLE`` times the reference's
        (the whole notebook, its slowest cell) plus ``REFERENCE_MARGIN``."""
        def scaled(value):
            return int(math.ceil(REFERENCE_MULTIPLE * value + REFERENCE_MARGIN))

        basis = (f"{REFERENCE_MULTIPLE} x the reference ({seconds:.1f} s in all, {slowest_cell:.1f} s in its "
                 f"slowest cell) + {REFERENCE_MARGIN} s")
        return replace(self, cell_timeout=self.cell_timeout or scaled(slowest_cell),
                       notebook_timeout=self.notebook_timeout or scaled(seconds),
                       basis=basis if None in (self.cell_timeout, self.notebook_timeout) else "given")

    def effective(self):
        """These limits with a number for every time limit (the fallbacks where none was set)."""
        return replace(self, cell_timeout=self.cell_timeout or FALLBACK_CELL_TIMEOUT,
                       notebook_timeout=self.notebook_timeout or FALLBACK_NOTEBOOK_TIMEOUT)

    def describe(self):
        return (f"{self.cell_timeout} s per cell, {self.notebook_timeout} s per notebook, {self.memory_mb} MB"
                + (f" ({self.basis})" if self.basis else ""))


DEFAULT_LIMITS = Limits()


def assignments(root=REPO_ROOT):
    """Names of the assignments: folders of ``source/`` that hold a notebook of the same name."""
    source = Path(root) / "source"
    return sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").is_file())


def notebook_path(root, folder, assignment):
    """``root/folder/assignment/assignment.ipynb`` (``folder`` may be "" for a student's folder)."""
    return Path(root) / folder / assignment / f"{assignment}.ipynb"


def submitted_students(root, assignment):
    """Students with a folder ``submitted/<student>/<assignment>/``, sorted."""
    submitted = Path(root) / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())


def cells_by_grade_id(notebook):
    """``{grade_id: cell}`` of the cells nbgrader knows (an nbformat notebook)."""
    return {c.metadata["nbgrader"]["grade_id"]: c for c in notebook.cells
            if "nbgrader" in c.metadata and "grade_id" in c.metadata["nbgrader"]}


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


def load_config(root):
    """The course's nbgrader configuration and its ``CourseDirectory`` (gradebook URL, folders)."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config_file = Path(root) / CONFIG_FILE
    config = PyFileConfigLoader(config_file.name, path=str(root)).load_config() if config_file.is_file() else Config()
    return config, CourseDirectory(config=config, root=str(Path(root).resolve()))
