"""Fast grading of many submissions: execute only the cells that grading depends on.

nbgrader gives a test cell its points when it runs without error, after overwriting it with the
instructor's version (hidden tests included). `graded_cell_results` does the same for the set-up,
solution and test cells of a notebook, skipping text, plots and experiments, in a fresh kernel.
`grader_tests/test_pipeline.py` checks that its verdicts agree with a real `nbgrader autograde`.
"""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course import grading

ROOT = grading.REPO_ROOT
CORPUS = Path(__file__).parent / "corpus"


def topic(assignment):
    """'01_gradient_descent' -> 'gradient_descent' (the prefix of its grade ids)."""
    return assignment.split("_", 1)[1]


def source_notebook(assignment):
    return nbformat.read(str(grading.notebook_path(ROOT, "source", assignment)), as_version=4)


def wrong_answers(assignment):
    """{exercise: {label: source}} from grader_tests/corpus/<assignment>.py."""
    spec = importlib.util.spec_from_file_location(f"corpus_{assignment}", CORPUS / f"{assignment}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.WRONG


def with_answers(assignment, answers):
    """The instructor notebook with solution cells replaced by `answers` ({grade_id: source})."""
    notebook = copy.deepcopy(source_notebook(assignment))
    cells = grading.cells_by_grade_id(notebook)
    for grade_id, source in answers.items():
        cells[grade_id].source = source
    return notebook


def _needed_for_grading(cell):
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and (meta.get("solution") or meta.get("grade")
                                         or meta.get("grade_id", "").endswith("-setup"))


def graded_cell_results(notebook, timeout=120):
    """{test grade_id: True if it ran without error} after executing the grading-relevant cells."""
    trimmed = copy.deepcopy(notebook)
    trimmed.cells = [c for c in trimmed.cells if _needed_for_grading(c)]
    NotebookClient(trimmed, timeout=timeout, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    return {cell.metadata["nbgrader"]["grade_id"]: not any(o.output_type == "error" for o in cell.outputs)
            for cell in trimmed.cells if cell.metadata["nbgrader"].get("grade")}


def run_case(case):
    """Picklable entry point for a process pool: case = (assignment, answers) -> test-cell results."""
    assignment, answers = case
    return graded_cell_results(with_answers(assignment, answers))
