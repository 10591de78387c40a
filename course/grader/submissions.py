"""Step 3: each submission in ``submitted/<student>/<assignment>/``: checked, sanitised, flagged.

``check`` finds the notebook and refuses what cannot be graded (wrong file name, broken JSON, a
notebook of another assignment). ``sanitise`` applies nbgrader autograde's own preprocessors
(outputs cleared, read-only and test cells restored from the gradebook). ``flags`` lists what an
instructor should look at by hand: read-only cells the student edited or deleted, and code that
touches the grading machinery.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from course.grader.coursedir import cells_by_grade_id, notebook_path

TAMPER_PATTERNS = [
    (r"\b__builtins__\b|\bimport\s+builtins\b|\bfrom\s+builtins\b", "touches the builtins"),
    (r"\bsys\.modules\b|\bimportlib\b|__import__", "manipulates imports"),
    (r"^\s*(np|numpy|torch|math|F|nn|checks|course|plt)(\.\w+)+\s*=[^=]", "assigns to an attribute of a library"),
    (r"\b(setattr|delattr)\s*\(|\bvars\s*\(\s*\w+\s*\)\s*\[|\.__dict__\b", "rewrites the attributes of objects or modules"),
    (r"\b(gc|ctypes|inspect)\.|\bsys\._getframe\b|\bf_globals\b|\bf_back\b", "inspects interpreter internals"),
    (r"\b(subprocess|os\.system|os\.popen|os\.exec\w*|os\.kill|os\._exit|sys\.exit|exit\(|quit\()",
     "starts programs or ends the kernel"),
    (r"\bopen\s*\(|\bos\.(listdir|walk|scandir|remove|unlink|chdir)\b|\bshutil\b|\bglob\b|\bPath\s*\(",
     "reads or writes files"),
    (r"\bsignal\.|\bsys\.(settrace|setprofile|addaudithook)\b", "changes signal handlers or tracing"),
    (r"\bget_ipython\b|\.events\.(un)?register\b", "rewires the IPython kernel"),
    (r"\bexec\s*\(|\beval\s*\(|\bcompile\s*\(", "runs code indirectly"),
    (r"def\s+__(eq|ne|lt|le|gt|ge|float|int|bool|array\w*|len|abs|sub|rsub|getattr\w*)__\s*\(",
     "defines an object with its own comparison or conversion"),
]


class Unusable(Exception):
    """The submission cannot be graded; the message says why in plain words."""


def _grade_ids(notebook):
    return set(cells_by_grade_id(notebook))


def check(root, assignment, student):
    """The path of the notebook to grade; raises ``Unusable`` with the reason when there is none."""
    folder = Path(root) / "submitted" / student / assignment
    expected = folder / f"{assignment}.ipynb"
    if not expected.is_file():
        others = sorted(p.name for p in folder.glob("*.ipynb"))
        if others:
            raise Unusable(f"wrong file name: submitted {', '.join(others)}, expected {expected.name}")
        raise Unusable(f"no notebook submitted (expected {expected.name})")
    try:
        notebook = nbformat.read(str(expected), as_version=4)
        nbformat.validate(notebook)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise Unusable(f"not a valid notebook file (broken JSON: {error})"[:300]) from None
    except Exception as error:  # noqa: BLE001 - nbformat raises several kinds
        raise Unusable(f"not a valid notebook file ({type(error).__name__}: "
                       f"{str(error).splitlines()[0]})"[:300]) from None
    release = nbformat.read(str(notebook_path(root, "release", assignment)), as_version=4)
    ours = _grade_ids(release)
    if ours and not ours & _grade_ids(notebook):
        raise Unusable(f"this notebook belongs to another assignment (none of its cells are from {assignment})")
    return expected


def sanitise(config, db_url, assignment, student, path):
    """The notebook as nbgrader autograde's sanitising preprocessors leave it."""
    from nbgrader.converters import Autograde

    notebook = nbformat.read(str(path), as_version=4)
    resources = {"nbgrader": {"student": student, "assignment": assignment, "notebook": Path(path).stem,
                              "db_url": db_url}}
    for preprocessor_class in Autograde.sanitize_preprocessors.default():
        preprocessor = preprocessor_class(config=config)
        if preprocessor.enabled:
            notebook, resources = preprocessor.preprocess(notebook, resources)
    return notebook


def edited_locked_cells(root, assignment, notebook):
    """Flags for read-only cells the student changed or deleted (nbgrader restores or zeroes them)."""
    release = nbformat.read(str(notebook_path(root, "release", assignment)), as_version=4)
    theirs = cells_by_grade_id(notebook)
    flags = []
    for grade_id, cell in cells_by_grade_id(release).items():
        meta = cell.metadata["nbgrader"]
        if not (meta.get("locked") or meta.get("grade")) or meta.get("solution"):
            continue
        if grade_id not in theirs:
            flags.append(f"deleted read-only cell {grade_id}")
        elif theirs[grade_id].source.strip() != cell.source.strip():
            flags.append(f"edited read-only cell {grade_id} (the instructor's version was graded)")
    return flags


def student_code(notebook):
    """The cells a student writes: solution cells and cells they added."""
    return [c.source for c in notebook.cells if c.cell_type == "code"
            and (c.metadata.get("nbgrader", {}).get("solution") or "grade_id" not in c.metadata.get("nbgrader", {}))]


def tamper_flags(sources):
    """Reasons to review a submission by hand, from the code the student wrote."""
    flags = []
    for pattern, reason in TAMPER_PATTERNS:
        if any(re.search(pattern, source, flags=re.M) for source in sources):
            flags.append(f"code {reason}")
    return flags


def flags(root, assignment, path):
    """Every static reason to look at the submission at ``path`` by hand."""
    submitted = nbformat.read(str(path), as_version=4)
    return edited_locked_cells(root, assignment, submitted) + tamper_flags(student_code(submitted))
