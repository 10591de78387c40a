"""Fast grading of many submissions: execute only the cells that grading depends on.

nbgrader gives a test cell its points when it runs without error, after overwriting it with the
instructor's version (hidden tests included). `graded_cell_results_many` does the same for the set-up,
solution and test cells of a notebook, skipping text, plots and experiments, for many answer sets in
one kernel. Its verdicts agree with a real `nbgrader autograde` (the pipeline tests grade the same
submissions: test_pipeline.py, test_pipeline_topics.py, and test_wrong_answers.py the harness's half).
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
import os
from pathlib import Path

import nbformat
from course.grader.client import NotebookClient

from course.grader import coursedir
from devtools import demo
from dependencies import EVERYTHING, assigns_to_attributes, binds, reads

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
    counts as full credit; stderr does not count, see course/grader/preprocessors.py)."""
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


def graded_cell_results_many(assignment, answer_sets, timeout=120, selective=True, visible=False):
    """{test grade_id: True if it ran without error} for many answer sets of one assignment, in one kernel.

    The set-up cells and then the instructor's notebook run once, as they are (the reference run,
    whose verdicts are the baseline); the kernel keeps the namespace before each of its cells
    (`kernel_state.py`). For each answer set, only the cells whose result can change run again: the
    changed cells, the test cells of their exercises, and every later cell that reads
    (`dependencies.reads`, from the cell's syntax) a name a re-run cell bound (as the kernel saw it
    happen; for every re-run cell also the names its reference run binds). Before each re-run cell the namespace (and the random generators)
    are what a fresh kernel would hold there; the other cells keep their baseline verdicts. If the
    answers changed an array, tensor or module of the notebook in place, or patched a library,
    syntax cannot follow that: the set runs again from its first changed cell, every cell (and a
    patched library is put back before the next set). Test cells depend only on
    the set-up and solution cells and seed their own random numbers, so this gives the verdicts of
    fresh kernels, much faster. ``selective=False`` re-runs every cell from the first changed one
    (what `test_harness.py` compares with).

    ``visible``: one bool per answer set (or True for all): its verdict also says what the student
    saw before grading. Before each test cell of a changed exercise runs, its student version (the
    release's: the visible checks, hidden tests removed) runs in the same state, and the verdict
    holds ``visible_verdict(grade_id)``: True if the visible checks passed (`split_visible`).
    """
    reference = demo.reference_answers(coursedir.notebook_path(ROOT, "source", assignment))
    students = visible_checks(assignment) if visible else None
    wanted = [visible] * len(answer_sets) if isinstance(visible, bool) else list(visible)
    return notebook_results_many(source_notebook(assignment), reference, answer_sets, timeout, selective,
                                 students, wanted)


def visible_checks(assignment):
    """{test grade_id: source} of the student version's test cells (the release: visible checks only)."""
    release = nbformat.read(str(coursedir.notebook_path(ROOT, "release", assignment)), as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in release.cells
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")}


_VISIBLE = " (visible checks)"


def visible_verdict(grade_id):
    """The key of a test cell's visible checks in a verdict of ``visible=True``."""
    return grade_id + _VISIBLE


def split_visible(verdict):
    """(the graded verdicts, {test grade_id: passed} of the visible checks that ran) of a verdict of ``visible=True``."""
    graded = {key: passed for key, passed in verdict.items() if not key.endswith(_VISIBLE)}
    return graded, {key.removesuffix(_VISIBLE): passed for key, passed in verdict.items() if key.endswith(_VISIBLE)}


def notebook_results_many(notebook, reference, answer_sets, timeout=120, selective=True, visible=None, wanted=None):
    """`graded_cell_results_many` for an instructor ``notebook`` whose reference answers are
    ``reference``; ``visible``: {test grade_id: its student version}, run first for the answer sets
    whose entry in ``wanted`` is true (see there)."""
    base = _trimmed(notebook)
    for cell in base.cells:  # the instructor's answers as a submission holds them (no solution markers)
        cell.source = reference.get(cell.metadata["nbgrader"]["grade_id"], cell.source)
    client = _client(base, timeout)
    cells = [(index, cell) for index, cell in enumerate(base.cells) if not _is_setup(cell)]
    verdicts = []
    with client.setup_kernel(env=_one_thread_env()):
        for index, cell in enumerate(base.cells):
            if _is_setup(cell):
                client.execute_cell(cell, index)
        _install_state(client)
        baseline = {}
        for position, (index, cell) in enumerate(cells):
            _kernel_call(client, f"mark({position})")
            baseline.update(_run_cells(client, [(index, cell)], {}))
        _kernel_call(client, f"mark({len(cells)})")
        _kernel_call(client, "finish_reference()")
        for answers, student_view in zip(answer_sets, wanted or [False] * len(answer_sets)):
            students = visible if student_view else None
            results, mutated = _rerun(client, cells, answers, baseline, not selective, students)
            if mutated:
                results, _ = _rerun(client, cells, answers, baseline, True, students)
            verdicts.append(results)
    return verdicts


def _rerun(client, cells, answers, baseline, everything, visible=None):
    """(verdicts, names changed in place) of one answer set, re-running what it can change (and the
    ``visible`` versions of its exercises' test cells first, in the same state)."""
    sources = [answers.get(cell.metadata["nbgrader"]["grade_id"], cell.source) for _, cell in cells]
    changed = [position for position, (_, cell) in enumerate(cells) if sources[position] != cell.source]
    results = dict(baseline)
    if not changed:
        return results, []
    exercises = {_exercise(cells[position][1]) for position in changed}
    bound = set().union(*(binds(cells[p][1].source) | binds(sources[p]) for p in changed))
    _kernel_call(client, "begin()")
    for position in range(changed[0], len(cells)):
        index, cell = cells[position]
        read = reads(sources[position])
        if not (everything or position in changed or _exercise(cell) in exercises
                or EVERYTHING in read or read & bound):
            continue
        _kernel_call(client, f"before({position})")
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if visible and grade_id in visible and _exercise(cell) in exercises:
            passed = _run_cells(client, [(index, cell)], {grade_id: visible[grade_id]})[grade_id]
            results[visible_verdict(grade_id)] = passed
            _kernel_call(client, "rewind()")
        results.update(_run_cells(client, [(index, cell)], {grade_id: sources[position]}))
        bound |= set(_kernel_call(client, f"after({position})"))
    return results, _kernel_call(client, f"end(libraries={any(map(assigns_to_attributes, (sources[p] for p in changed)))})")


def _exercise(cell):
    """'gradient_descent-mse-test' -> 'mse'."""
    return cell.metadata["nbgrader"]["grade_id"].split("-")[1]


_STATE_MODULE = "_corpus_state"
_INSTALL_STATE = f"""
import sys as _sys, types as _types
_module = _types.ModuleType({_STATE_MODULE!r})
_module.get_ipython = get_ipython
exec(compile({(Path(__file__).parent / "kernel_state.py").read_text()!r}, "kernel_state.py", "exec"), vars(_module))
_sys.modules[{_STATE_MODULE!r}] = _module
del _sys, _types, _module
"""


def _install_state(client):
    cell = nbformat.v4.new_code_cell(_INSTALL_STATE)
    client.execute_cell(cell, 0, store_history=False)
    errors = [o for o in cell.outputs if o.output_type == "error"]
    if errors:
        raise RuntimeError(f"the harness's kernel state failed to install: {errors[0].ename}: {errors[0].evalue}")


def _kernel_call(client, call):
    """Evaluate ``call`` (of a `kernel_state` function) in the kernel and return its result (JSON).
    It goes as the expression of an empty, silent execute request: one round trip on the shell
    channel, no cell, no output (a cell of its own, with its outputs, costs several times more, and
    the harness makes about a dozen calls per case); `kernel_state` does what a cell boundary does."""
    expression = f"__import__('sys').modules[{_STATE_MODULE!r}].{call}"
    reply = client.wait_for_reply(client.kc.execute("", silent=True, store_history=False,
                                                    user_expressions={"result": expression}))
    result = (reply or {}).get("content", {}).get("user_expressions", {}).get("result", {})
    if result.get("status") != "ok":
        raise RuntimeError(f"the harness's kernel state failed in {call}: {result.get('ename')}: {result.get('evalue')}")
    return json.loads(ast.literal_eval(result["data"]["text/plain"]))


def _one_thread_env():
    """Several kernels share the CI machine's two cores, so each gets one thread: multi-threaded
    torch in parallel kernels oversubscribes the cores and slows training many times over."""
    return {**os.environ, **{variable: "1" for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}}


def _run_cells(client, cells, answers):
    executed = []
    for index, original in cells:
        cell = copy.deepcopy(original)
        cell.source = answers.get(cell.metadata["nbgrader"]["grade_id"], cell.source)
        client.execute_cell(cell, index)
        executed.append(cell)
    return _results(executed)


def run_with_reference(assignment, code, timeout=900):
    """Run ``code`` in a fresh kernel after the set-up and reference solution cells of
    ``assignment`` (no test cells), with one thread per kernel; return what the
    code prints on its last line, parsed as JSON. `test_statistical_checks.py` runs its studies so."""
    import json

    notebook = _trimmed(source_notebook(assignment))
    notebook.cells = [c for c in notebook.cells if not c.metadata["nbgrader"].get("grade")]
    notebook.cells.append(nbformat.v4.new_code_cell(code))
    _client(notebook, timeout).execute(env=_one_thread_env())
    outputs = notebook.cells[-1].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == "stdout")
    errors = [o for o in outputs if o.output_type == "error"]
    if errors:
        raise RuntimeError(f"{errors[0].ename}: {errors[0].evalue}")
    return json.loads(text.strip().splitlines()[-1])
