"""release/ is generated from source/, leaks nothing, and the notebooks follow the conventions."""

import ast
import re

import nbformat
import pytest

from course.grader import coursedir, release
from harness import ROOT, topic

ASSIGNMENTS = coursedir.assignments(ROOT)


def _read(folder, assignment):
    return nbformat.read(str(coursedir.notebook_path(ROOT, folder, assignment)), as_version=4)


def test_release_matches_a_fresh_generation():
    assert release.release_drift(ROOT) == [], "run `python -m course release` and commit release/"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_leaks_no_solution_or_hidden_test(assignment):
    text = coursedir.notebook_path(ROOT, "release", assignment).read_text()
    for secret in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "register_reference", "_reference_",
                   "Model answer"):
        assert secret not in text
    stubs = [c for c in _read("release", assignment).cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert stubs and all("NotImplementedError" in c.source or "YOUR ANSWER HERE" in c.source for c in stubs)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_follows_the_conventions(assignment):
    notebook = _read("source", assignment)
    prefix = topic(assignment)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "strip the stored outputs"
    meta = [c.metadata.get("nbgrader", {}) for c in notebook.cells]
    ids = [m["grade_id"] for m in meta if m]
    assert len(ids) == len(set(ids)), "grade ids must be unique"
    assert all(i.startswith(prefix + "-") for i in ids)
    tests = [c for c, m in zip(notebook.cells, meta) if m.get("grade") and c.cell_type == "code"]
    answers = [m for c, m in zip(notebook.cells, meta) if m.get("grade") and c.cell_type == "markdown"]
    impls = {m["grade_id"] for m in meta if m.get("solution") and not m.get("grade")}
    assert len(tests) >= 7 and len(answers) >= 2
    for cell in tests:
        m = cell.metadata.nbgrader
        assert re.fullmatch(rf"{prefix}-\w+-test", m["grade_id"]) and m["locked"] and m["points"] > 0
        assert "### BEGIN HIDDEN TESTS" in cell.source, f"{m['grade_id']} has no hidden tests"
        assert m["grade_id"].replace("-test", "-impl") in impls, f"{m['grade_id']} tests no exercise"
    assert all(re.fullmatch(rf"{prefix}-\w+-answer", m["grade_id"]) and m["points"] > 0 for m in answers)
    assert all(m.get("locked") for c, m in zip(notebook.cells, meta) if c.cell_type == "markdown" and not m.get("grade"))
    setup = [c for c in code if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-setup")]
    assert setup and setup[0] is code[0] and setup[0].metadata.nbgrader["grade_id"] == f"{prefix}-setup"
    assert all(c.metadata.nbgrader["locked"] for c in setup), "set-up cells are read-only"


def _private_names_from_elsewhere(source):
    """The private names (``_reference_mlp_forward``...) a cell uses without defining or importing them."""
    used = set(re.findall(r"\b(_[a-z][a-z_0-9]*)\b", source))
    defined = {name for pair in re.findall(r"^\s*def (_\w+)|^\s*(_\w+)\s*=", source, re.M) for name in pair if name}
    imported = set(re.findall(r"import \w+ as (_\w+)", source))
    return used - defined - imported - {"_"}


def _first_hidden_block(source):
    return source.split("### BEGIN HIDDEN TESTS", 1)[1].split("### END HIDDEN TESTS", 1)[0].strip("\n").splitlines()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_test_cells_trust_no_name_a_student_can_rebind(assignment):
    """Every test cell's first hidden block registers the exercise's reference (if later exercises
    use it: `checks.isolated`) and then wraps the exercise in `checks.contract` (which also puts back
    the notebook's module names), before anything uses the student's function: a function that is
    missing or renamed costs its own points only. The cell defines the private helpers it uses
    itself: a name defined by an earlier cell could have been rebound by a solution cell since."""
    for cell in _read("source", assignment).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if cell.cell_type != "code" or not grade_id.endswith("-test"):
            continue
        exercise = grade_id.split("-")[1]
        hidden = _first_hidden_block(cell.source)
        contract = [i for i, line in enumerate(hidden) if line.startswith(f"{exercise} = checks.contract({exercise}, globals()")]
        assert contract, f"{grade_id}: no contract in the first hidden block"
        before = ast.parse("\n".join(hidden[:contract[0]]))
        assert exercise not in {node.id for node in ast.walk(before) if isinstance(node, ast.Name)}, grade_id
        assert all("register_reference(" not in line for line in hidden[contract[0]:]), \
            f"{grade_id}: register the reference before the contract (a missing function would skip it)"
        assert _private_names_from_elsewhere(cell.source) == set(), grade_id


def test_the_private_name_check_sees_a_reference_of_an_earlier_cell():
    assert _private_names_from_elsewhere("def _reference_f(x):\n    return x\n_reference_f(1)") == set()
    assert _private_names_from_elsewhere("expected = _reference_mlp_forward(x, params)") == {"_reference_mlp_forward"}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stated_points_match_the_metadata(assignment):
    """'Exercise k (N points)' in the text gives the points of the test cell that follows."""
    stated, graded = [], []
    for cell in _read("source", assignment).cells:
        m = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and not m.get("grade"):
            stated += [int(p) for p in re.findall(r"\*\*(?:Exercise|Question) \d+ \((\d+) points?\)", cell.source)]
        if m.get("grade"):
            graded.append(m["points"])
    assert stated == graded


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_introduction_states_points_and_time(assignment):
    """The first cell says what the notebook is worth and how long it takes, as in the README."""
    notebook = _read("source", assignment)
    intro = notebook.cells[0].source
    points = sum(c.metadata["nbgrader"]["points"] for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade"))
    assert "**Learning goals.**" in intro and "**Time.**" in intro and "**Grading.**" in intro
    assert re.search(rf"\b{points:g} points\.", intro), f"the introduction should state the total, {points:g} points"


# Colours a figure may use: the Okabe-Ito palette of course.plots, greys, and perceptually uniform maps.
ALLOWED_COLOURS = r'plots\.PALETTE\b.*|colour|"(grey|gray|black|white)"'
ALLOWED_MAPS = ("viridis", "cividis", "gray", "gray_r", "Greys")
DRAWS = re.compile(r"\.(plot|bar|barh|hist|scatter|imshow|contourf?|fill_between|step)\(")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_figures_have_titles_labels_and_colour_blind_safe_colours(assignment):
    """Every cell that draws a figure gives it a title and axis labels (the course.plots helpers
    always do) and uses only colour-blind-safe colours."""
    for cell in _read("source", assignment).cells:
        source = cell.source
        if cell.cell_type != "code" or not (DRAWS.search(source) or "plots." in source):
            continue
        if "plt." not in source and "plots." not in source and ".set(" not in source:
            continue  # no figure: torch or numpy methods with the same names
        where = f"{assignment}: cell starting {source[:60]!r}"
        assert "title" in source, f"{where} draws a figure without a title"
        own_axes = DRAWS.search(source) and "imshow" not in source
        if own_axes:
            assert "xlabel" in source and "ylabel" in source, f"{where} draws without axis labels"
        for colour in re.findall(r"\bcolou?r\s*=\s*([^,)\n]+)", source):
            assert re.fullmatch(ALLOWED_COLOURS, colour.strip()), f"{where} uses the colour {colour}"
        for name in re.findall(r"cmap\s*=\s*\"(\w+)\"", source):
            assert name in ALLOWED_MAPS, f"{where} uses the colour map {name}"


def _shows_a_value(source):
    """True when the cell's last statement is an expression whose value Jupyter would display
    (a check's return value, which would reach the feedback); `None`, a print and `;` show nothing."""
    import ast

    from dependencies import python_source

    if source.rstrip().endswith(";"):
        return False
    body = ast.parse(python_source(source)).body
    last = body[-1] if body else None
    if not isinstance(last, ast.Expr):
        return False
    value = last.value
    if isinstance(value, ast.Constant) and value.value is None:
        return False
    return not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "print")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_test_cell_shows_a_value_in_the_feedback(assignment):
    cells = coursedir.cells_by_grade_id(_read("source", assignment))
    showing = [grade_id for grade_id, cell in cells.items()
               if cell.cell_type == "code" and cell.metadata["nbgrader"].get("grade") and _shows_a_value(cell.source)]
    assert not showing, f"end these test cells with `None`: {showing}"


def test_the_value_check_sees_a_trailing_check():
    assert _shows_a_value("checks.assert_close(x, y)") and _shows_a_value("x = 1\nx")
    assert not _shows_a_value("checks.assert_close(x, y)\nNone") and not _shows_a_value("print(1)")
