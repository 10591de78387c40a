"""Every student notebook, blank, as a student first meets it on Colab: run top to bottom in the
Colab-like kernel (`devtools/colabenv.py`: Colab's IPython, ipykernel and ipywidgets), every
check cell ends in the "not written yet" hint naming what to write, every widget cell shows the
hint instead of a traceback or an empty figure, and nbgrader's own scoring gives the notebook no
point (the real pipeline grades the untouched release of the demo topic: test_pipeline.py)."""

import nbformat
import pytest
from course.grader.client import NotebookClient

from course.grader import coursedir
from devtools import colabenv

ROOT = coursedir.REPO_ROOT
HINT = "is not written yet"


def _run_blank(assignment, kernel):
    path = coursedir.notebook_path(ROOT, "release", assignment)
    notebook = nbformat.read(str(path), as_version=4)
    NotebookClient(notebook, kernel_name=kernel, allow_errors=True, timeout=300,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def _widget_outputs(notebook, cell):
    """The outputs inside the widgets a cell shows (an ``interact``'s output area), from the widget
    state nbclient stores in the notebook's metadata."""
    state = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    todo = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for o in cell.get("outputs", [])
            if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    outputs, seen = [], set()
    while todo:
        model = state.get(todo.pop(), {})
        if id(model) in seen:
            continue
        seen.add(id(model))
        outputs += model.get("state", {}).get("outputs", [])
        todo += [child.removeprefix("IPY_MODEL_") for child in model.get("state", {}).get("children", [])]
    return outputs


def _outputs(notebook, cell):
    return [*cell.get("outputs", []), *_widget_outputs(notebook, cell)]


def _text(outputs):
    parts = []
    for output in outputs:
        parts += output.get("traceback", []) + [output.get("text", "")]
        parts += [str(value) for key, value in output.get("data", {}).items() if key.startswith("text/")]
    return "\n".join(parts)


def _problems(notebook):
    """What a student would see wrong in the blank notebook, cell by cell."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        outputs = _outputs(notebook, cell)
        errors = [o for o in outputs if o.get("output_type") == "error"]
        where = f"cell {index} ({meta.get('grade_id', 'given')})"
        if meta.get("grade") and not meta.get("solution") and not (errors and HINT in _text(errors)):
            problems.append(f"{where}: a check without the hint: {[e.get('ename') for e in errors]}")
        for error in errors:
            if error.get("ename") == "NotImplementedError" and HINT not in "\n".join(error.get("traceback", [])):
                problems.append(f"{where}: a NotImplementedError without the hint")
        if "plots.interact(" in cell.source:
            images = [o for o in outputs if "image/png" in o.get("data", {})]
            if errors or images or HINT not in _text(outputs):
                problems.append(f"{where}: a widget cell shows {'an error' if errors else 'a figure' if images else 'no hint'}")
    return problems


def _nbgrader_scores(notebook):
    """{grade_id: (points, max_points)} of every graded cell, as nbgrader's autograde scores them."""
    from nbgrader.utils import determine_grade

    return {cell.metadata["nbgrader"]["grade_id"]: determine_grade(cell) for cell in notebook.cells
            if cell.metadata.get("nbgrader", {}).get("grade")}


@pytest.mark.parametrize("assignment", coursedir.assignments(ROOT))
def test_blank_notebook_hints_at_every_check_and_widget(colab_env, assignment):
    notebook = _run_blank(assignment, colabenv.KERNEL_NAME)
    assert _problems(notebook) == []
    scores = _nbgrader_scores(notebook)  # solution cells unchanged and every check failing: all 0
    assert {grade_id: points for grade_id, (points, _) in scores.items() if points} == {}, \
        "the untouched release earns points"
    graded = [c for c in notebook.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
              and not c.metadata["nbgrader"].get("solution")]
    assert graded, "the notebook has check cells"
