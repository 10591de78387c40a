"""The machinery that keeps the statistical studies cheap and honest (`studies.py`): a study runs
again exactly when something it depends on changes, and thresholds come from the notebooks; and
the corpus harness's syntax analysis (`dependencies.py`), on which its skipping rests."""

import json

import pytest

import studies
from dependencies import EVERYTHING, binds, reads


def _study():
    """A stand-in study: its source is part of the key."""
    return "code"


def test_a_recorded_result_is_reused_until_an_input_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(studies, "RESULTS", tmp_path / "studies.json")
    runs = []

    def run(assignment, code):
        runs.append(code)
        return [len(runs)]

    assert studies.recorded(_study, "01_gradient_descent", "x", run=run) == [1]
    assert studies.recorded(_study, "01_gradient_descent", "x", run=run) == [1] and len(runs) == 1
    saved = json.loads((tmp_path / "studies.json").read_text())["_study"]
    assert saved["result"] == [1] and saved["assignment"] == "01_gradient_descent"
    lock = tmp_path / "requirements.lock"
    lock.write_text(studies.LOCK_FILE.read_text() + "\nnew-package==1.0\n")
    monkeypatch.setattr(studies, "LOCK_FILE", lock)
    assert studies.recorded(_study, "01_gradient_descent", "x", run=run) == [2], "a changed lock file runs it again"


def test_the_key_follows_cells_and_course_modules(monkeypatch):
    key = studies.study_key(_study, "03_backprop")
    assert key == studies.study_key(_study, "03_backprop")
    files = {path.name for path in studies.course_modules(studies.study_cells("03_backprop"))}
    assert {"__init__.py", "checks.py", "guard.py", "data.py", "mlp.py"} <= files and "bench.py" not in files
    cells = studies.study_cells("03_backprop")
    monkeypatch.setattr(studies, "study_cells", lambda assignment: [*cells[:-1], cells[-1] + "\n# changed"])
    assert studies.study_key(_study, "03_backprop") != key, "a changed solution cell runs the study again"


def test_thresholds_are_read_from_the_notebooks():
    assert studies.notebook_constant("05_convolution", "convolution-make_conv_net-test", "_MIN_ACCURACY") == 0.70
    assert studies.notebook_constant("03_backprop", "backprop-train_epoch-test", "MIN_ACCURACY") == 0.93
    with pytest.raises(LookupError):
        studies.notebook_constant("03_backprop", "backprop-train_epoch-test", "NO_SUCH_NAME")


def test_every_recorded_study_is_still_a_test():
    import test_statistical_checks

    recorded = json.loads(studies.RESULTS.read_text())
    tests = {name for name in dir(test_statistical_checks) if name.startswith("test_")}
    assert set(recorded) <= tests, f"studies.json records studies that no longer exist: {set(recorded) - tests}"


@pytest.mark.parametrize("source, read, bound", [
    ("x = f(y)\nz = x + 1", {"f", "y"}, {"x", "z"}),
    ("for s in range(3):\n    r = g(s)\n    h(r)", {"range", "g", "h"}, {"s", "r"}),
    # A loop over items written out surely runs once: what it binds is bound after it; not so for
    # one over a name (it may be empty), nor for a body that can leave early.
    ("for s in [(2,), ()]:\n    r = g(s)\nh(r, s)", {"g", "h"}, {"s", "r"}),
    ("for s in items:\n    r = g(s)\nh(r, s)", {"items", "g", "h", "r", "s"}, {"s", "r"}),
    ("for s in range(0):\n    r = g(s)\nh(r)", {"range", "g", "h", "r"}, {"s", "r"}),
    ("for s in (1, 2):\n    if s:\n        continue\n    r = g(s)\nh(r)", {"g", "h", "r"}, {"s", "r"}),
    ("def k(a):\n    return helper(a) + [q for q in a if q > cut]", {"helper", "cut"}, {"k"}),
    ("with checks.isolated(globals(), 'gd_step'):\n    out = gradient_descent(1)",
     {"checks", "globals", "gd_step", "gradient_descent"}, {"out"}),
    ("if c:\n    w = 1\nelse:\n    v = 2\nprint(w, v)", {"c", "print", "w", "v"}, {"w", "v"}),
    ("def set_it():\n    global secret\n    secret = 1", set(), {"set_it", "secret"}),
    ("%matplotlib inline\nimport numpy as np", {"get_ipython"}, {"np"}),
])
def test_names_read_and_bound_by_a_cell(source, read, bound):
    assert set(reads(source)) == read and set(binds(source)) == bound


def test_names_reached_through_globals():
    assert set(reads("globals()['x'] = 1\ny = globals().get('z')\ncheck(1, name='w')")) == {"globals", "x", "z", "check"}


def test_dynamic_code_reads_everything():
    assert EVERYTHING in reads("exec(code)") and EVERYTHING in reads("print(vars()['x'])")
    assert EVERYTHING in reads("g = globals()\ng['x'] = 1")
