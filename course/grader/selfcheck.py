"""``python -m course check NOTEBOOK``: a student's automatic score on the visible checks.

The notebook is run top to bottom in a fresh kernel, like the grader does, and every graded test
cell is reported: passed, not attempted (``NotImplementedError``), or failed with the check's
message and hint. A student's notebook has no hidden tests, so this is the score on the visible
checks only; the grader runs more checks of the same kind and may give fewer points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from course.grader.client import NotebookClient

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class CellReport:
    grade_id: str
    points: float
    status: str  # "passed", "not attempted", "failed", "not run", "graded by hand"
    message: str = ""

    @property
    def earned(self):
        return self.points if self.status == "passed" else 0.0


def _graded_cells(notebook):
    for index, cell in enumerate(notebook.cells):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            yield index, cell, meta


def _error_of(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output.get("ename", ""), _ANSI.sub("", output.get("evalue", ""))
    return None


def check_notebook(path, timeout=300):
    """Run the notebook at ``path`` (unchanged on disk) and return one ``CellReport`` per graded cell."""
    path = Path(path)
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # malformed JSON, not a notebook
        raise ValueError(f"{path} is not a readable Jupyter notebook: {error}") from error
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    reports = []
    for _, cell, meta in _graded_cells(notebook):
        grade_id, points = meta.get("grade_id", "?"), float(meta.get("points", 0))
        if cell.cell_type != "code":
            reports.append(CellReport(grade_id, points, "graded by hand"))
            continue
        error = _error_of(cell)
        if cell.get("execution_count") is None:
            reports.append(CellReport(grade_id, points, "not run", "an earlier cell stopped the notebook"))
        elif error is None:
            reports.append(CellReport(grade_id, points, "passed"))
        elif error[0] == "NotImplementedError":
            reports.append(CellReport(grade_id, points, "not attempted"))
        else:
            reports.append(CellReport(grade_id, points, "failed", f"{error[0]}: {error[1]}".strip()))
    return reports


def format_reports(path, reports):
    auto = [r for r in reports if r.status != "graded by hand"]
    lines = [f"Visible checks of {path}:", ""]
    width = max((len(r.grade_id) for r in reports), default=10)
    for report in reports:
        points = f"{report.earned:g}/{report.points:g}" if report.status != "graded by hand" else f"-/{report.points:g}"
        lines.append(f"  {report.grade_id:<{width}}  {points:>7}  {report.status}")
        for line in report.message.splitlines()[:4]:
            lines.append(f"  {'':<{width}}           {line}")
    earned, total = sum(r.earned for r in auto), sum(r.points for r in auto)
    manual = sum(r.points for r in reports if r.status == "graded by hand")
    lines += ["", f"Automatic score on the visible checks: {earned:g} / {total:g}"
              + (f" (plus {manual:g} points of written answers, graded by hand)" if manual else "") + ".",
              "The grader also runs hidden checks of the same kind, so the final score can be lower."]
    return "\n".join(lines)
