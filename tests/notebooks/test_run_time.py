"""The run time every introduction states is measured (docs/notebook-times.json, by
tools/notebook_times.py) for the notebook's current code, and written as measured."""

import nbformat
import pytest

from course.grader import coursedir, runtime

ROOT = coursedir.REPO_ROOT
ASSIGNMENTS = coursedir.assignments(ROOT)


def _source(name):
    return nbformat.read(str(coursedir.notebook_path(ROOT, "source", name)), as_version=4)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_run_time_is_measured_for_the_current_code(name):
    record = runtime.load(ROOT)["notebooks"].get(name)
    assert record, f"no measurement: run `python tools/notebook_times.py {name}`"
    assert record["code"] == runtime.code_fingerprint(_source(name)), \
        f"the code changed since it was measured: run `python tools/notebook_times.py {name}`, then `python -m course release`"


@pytest.mark.parametrize("name", ASSIGNMENTS)
@pytest.mark.parametrize("folder", ["source", "release"])
def test_introduction_states_the_measured_time(name, folder):
    notebook = nbformat.read(str(coursedir.notebook_path(ROOT, folder, name)), as_version=4)
    assert sum(runtime.BEGIN in cell.source for cell in notebook.cells) == 1
    assert not runtime.sync_notebook(notebook, name, ROOT), "run `python -m course release`"


def test_durations_read_as_a_person_would_say_them():
    assert [runtime.duration(s) for s in (3, 41, 54, 70, 100, 200)] == [
        "about 5 seconds", "about 40 seconds", "about 55 seconds", "about 1 minute", "about 1.5 minutes",
        "about 3.5 minutes"]
