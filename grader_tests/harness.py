"""Fast grading of many submissions: execute only the cells that grading depends on.

nbgrader gives a test cell its points when it runs without error, after overwriting it with the
instructor's version (hidden tests included). `graded_cell_results` does the same for the set-up,
solution and test cells of a notebook, skipping text, plots and experiments, in a fresh kernel.
`grader_tests/test_pipeline.py` checks that its verdicts agree with a real `nbgrader autograde`.
"""

from __future__ import annotations

import copy
import importlib.util
import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course.grader import coursedir

ROOT = coursedir.REPO_ROOT
CORPUS = Path(__file__).parent / "corpus"


def topic(assignment):
    """'01_gradient_descent' -> 'gradient_descent' (the prefix of its grade ids)."""
    return assignment.split("_", 1)[1]


def source_notebook(assignment):
    return nbformat.read(str(coursedir.notebook_path(ROOT, "source", assignment)), as_version=4)


def _corpus(assignment):
    spec = importlib.util.spec_from_file_location(f"corpus_{assignment}", CORPUS / f"{assignment}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wrong_answers(assignment):
    """{exercise: {label: source}}: the plausible wrong answers of grader_tests/corpus/<assignment>.py,
    with its library shortcuts (answers that call the library's own version of the exercise)."""
    module = _corpus(assignment)
    wrong = {exercise: dict(answers) for exercise, answers in module.WRONG.items()}
    for exercise, answers in getattr(module, "SHORTCUTS", {}).items():
        wrong[exercise].update({f"library shortcut: {label}": source for label, source in answers.items()})
    return wrong


def correct_answers(assignment):
    """{exercise: {label: source}}: the correct alternatives of grader_tests/corpus/<assignment>.py."""
    return getattr(_corpus(assignment), "CORRECT", {})


def with_answers(assignment, answers):
    """The instructor notebook with solution cells replaced by `answers` ({grade_id: source})."""
    notebook = copy.deepcopy(source_notebook(assignment))
    cells = coursedir.cells_by_grade_id(notebook)
    for grade_id, source in answers.items():
        cells[grade_id].source = source
    return notebook


def _needed_for_grading(cell):
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and (meta.get("solution") or meta.get("grade") or _is_setup(cell))


def _is_setup(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-setup")


def _trimmed(notebook):
    trimmed = copy.deepcopy(notebook)
    trimmed.cells = [c for c in trimmed.cells if _needed_for_grading(c)]
    return trimmed


def _client(notebook, timeout):
    return NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=True,
                          interrupt_on_timeout=True, resources={"metadata": {"path": str(ROOT)}})


def _results(cells):
    return {cell.metadata["nbgrader"]["grade_id"]: not any(o.output_type == "error" for o in cell.outputs)
            for cell in cells if cell.metadata["nbgrader"].get("grade")}


def graded_cell_results(notebook, timeout=120):
    """{test grade_id: True if it ran without error} after executing the grading-relevant cells."""
    trimmed = _trimmed(notebook)
    _client(trimmed, timeout).execute()
    return _results(trimmed.cells)


def graded_cell_results_many(assignment, answer_sets, timeout=120):
    """`graded_cell_results` for many answer sets of one assignment, in one kernel.

    The set-up cell runs once; then, for each answer set, every solution cell (so each set starts
    from its own definitions of all functions) and every test cell run again. Test cells depend only
    on the set-up and solution cells, so this gives the verdicts of fresh kernels, much faster.
    """
    base = _trimmed(source_notebook(assignment))
    client = _client(base, timeout)
    verdicts = []
    with client.setup_kernel():
        for index, cell in enumerate(base.cells):
            if _is_setup(cell):
                client.execute_cell(cell, index)
        for answers in answer_sets:
            executed = []
            for index, original in enumerate(base.cells):
                if not _is_setup(original):
                    cell = copy.deepcopy(original)
                    cell.source = answers.get(cell.metadata["nbgrader"]["grade_id"], cell.source)
                    client.execute_cell(cell, index)
                    executed.append(cell)
            verdicts.append(_results(executed))
    return verdicts


def run_batch(job):
    """Picklable entry point for a process pool: (assignment, [answers, ...]) -> [verdicts, ...].

    Two workers share the 2 CI cores, so each kernel gets one thread: multi-threaded torch in
    parallel kernels oversubscribes the cores and slows training many times over.
    """
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[variable] = "1"
    assignment, answer_sets = job
    return graded_cell_results_many(assignment, answer_sets)
