"""Step 3: each submission in ``submitted/<student>/<assignment>/``: checked, sanitised, flagged.

``check`` finds the notebook and refuses what cannot be graded (wrong file name, broken JSON, a
notebook of another assignment). ``sanitise`` applies nbgrader autograde's own preprocessors
(outputs cleared, read-only and test cells restored from the gradebook). ``flags`` lists what an
instructor should look at by hand: read-only cells the student edited or deleted, and code that
touches the grading machinery (``flags``, from the syntax tree).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from course.grader.coursedir import cells_by_grade_id, notebook_path
from course.grader.flags import code_flags

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
    """The notebook as nbgrader autograde's sanitising preprocessors leave it.

    What nbgrader refuses in the notebook itself (its cells' metadata) is the submission's fault
    and raises ``Unusable``; anything else (the gradebook, the disk, our code) propagates, and
    the pipeline counts it as the grader's fault."""
    from nbgrader.converters import Autograde
    from nbgrader.nbgraderformat import SchemaTooNewError, SchemaTooOldError, ValidationError

    notebook = nbformat.read(str(path), as_version=4)
    resources = {"nbgrader": {"student": student, "assignment": assignment, "notebook": Path(path).stem,
                              "db_url": db_url}}
    for preprocessor_class in Autograde.sanitize_preprocessors.default():
        preprocessor = preprocessor_class(config=config)
        if preprocessor.enabled:
            try:
                notebook, resources = preprocessor.preprocess(notebook, resources)
            except (ValidationError, SchemaTooOldError, SchemaTooNewError) as error:
                raise Unusable(f"nbgrader cannot process this notebook ({type(error).__name__}: {error})"[:300]) from None
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


def flags(root, assignment, path):
    """Every static reason to look at the submission at ``path`` by hand."""
    submitted = nbformat.read(str(path), as_version=4)
    return edited_locked_cells(root, assignment, submitted) + code_flags(student_code(submitted))
