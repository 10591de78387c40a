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

from course.grader import coursedir, demo

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
    """A test cell passes when it raises nothing and shows no number: nbgrader reads a number shown
    by the cell's last expression as partial credit (anything else it shows, such as an array,
    counts as full credit; stderr does not count, see course/grader/outputs.py)."""
    return {cell.metadata["nbgrader"]["grade_id"]: not any(o.output_type == "error" or _shows_a_number(o)
                                                           for o in cell.outputs)
            for cell in cells if cell.metadata["nbgrader"].get("grade")}


def _shows_a_number(output):
    if output.output_type != "execute_result":
        return False
    try:
        float(output.get("data", {}).get("text/plain", ""))
    except ValueError:
        return False
    return True


def graded_cell_results(notebook, timeout=120):
    """{test grade_id: True if it ran without error} after executing the grading-relevant cells."""
    trimmed = _trimmed(notebook)
    _client(trimmed, timeout).execute()
    return _results(trimmed.cells)


def graded_cell_results_many(assignment, answer_sets, timeout=120):
    """`graded_cell_results` for many answer sets of one assignment, in one kernel.

    The set-up cell runs once, then the instructor's notebook as it is (its verdicts are the
    baseline). For each answer set, the cells run again from the first solution cell the set
    changes, in notebook order (so each set starts from its own definitions of all functions);
    the test cells above it cannot see the change, as in nbgrader's top-to-bottom run, and keep
    their baseline verdicts. Test cells depend only on the set-up and solution cells (and seed
    their own random numbers), so this gives the verdicts of fresh kernels, much faster.
    """
    base = _trimmed(source_notebook(assignment))
    reference = demo.reference_answers(coursedir.notebook_path(ROOT, "source", assignment))
    for cell in base.cells:  # the instructor's answers as a submission holds them (no solution markers)
        cell.source = reference.get(cell.metadata["nbgrader"]["grade_id"], cell.source)
    client = _client(base, timeout)
    cells = [(index, cell) for index, cell in enumerate(base.cells) if not _is_setup(cell)]
    verdicts = []
    with client.setup_kernel():
        for index, cell in enumerate(base.cells):
            if _is_setup(cell):
                client.execute_cell(cell, index)
        baseline = _run_cells(client, cells, {})
        for answers in answer_sets:
            changed = [position for position, (_, cell) in enumerate(cells)
                       if answers.get(cell.metadata["nbgrader"]["grade_id"], cell.source) != cell.source]
            start = changed[0] if changed else len(cells)
            above = {cell.metadata["nbgrader"]["grade_id"] for _, cell in cells[:start]}
            results = {grade_id: passed for grade_id, passed in baseline.items() if grade_id in above}
            results.update(_run_cells(client, cells[start:], answers))
            verdicts.append(results)
    return verdicts


def _run_cells(client, cells, answers):
    executed = []
    for index, original in cells:
        cell = copy.deepcopy(original)
        cell.source = answers.get(cell.metadata["nbgrader"]["grade_id"], cell.source)
        client.execute_cell(cell, index)
        executed.append(cell)
    return _results(executed)


def run_batch(job):
    """Picklable entry point for a process pool: (assignment, [answers, ...]) -> [verdicts, ...].

    Two workers share the 2 CI cores, so each kernel gets one thread: multi-threaded torch in
    parallel kernels oversubscribes the cores and slows training many times over.
    """
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[variable] = "1"
    assignment, answer_sets = job
    return graded_cell_results_many(assignment, answer_sets)


def run_with_reference(assignment, code, timeout=900):
    """Run ``code`` in a fresh kernel after the set-up and reference solution cells of
    ``assignment`` (no test cells), with one thread per kernel as in `run_batch`; return what the
    code prints on its last line, parsed as JSON. `test_statistical_checks.py` runs its studies so."""
    import json

    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[variable] = "1"
    notebook = _trimmed(source_notebook(assignment))
    notebook.cells = [c for c in notebook.cells if not c.metadata["nbgrader"].get("grade")]
    notebook.cells.append(nbformat.v4.new_code_cell(code))
    _client(notebook, timeout).execute()
    outputs = notebook.cells[-1].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == "stdout")
    errors = [o for o in outputs if o.output_type == "error"]
    if errors:
        raise RuntimeError(f"{errors[0].ename}: {errors[0].evalue}")
    return json.loads(text.strip().splitlines()[-1])
