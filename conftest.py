"""Shared by every part of the test suite (unit, grader, notebooks, browser; see `python -m course test`).

* `grader_tests/` and `tests/browser/` hold helper modules the tests import (`harness`, `hostile`,
  `labserver`);
* `--screenshot-dir`: where the browser test saves its screenshots;
* nbval runs every instructor notebook of `source/`; a cell that prints a warning fails too
  (students would see it);
* under pytest-xdist (`--dist loadgroup`, as `python -m course test` runs it), the tests of one
  file run on one worker, so that its module fixtures (a graded cohort) run once and a notebook's
  cells run in order in one kernel; a test that names its own `xdist_group` (the corpus, one group
  per topic) goes with that group instead. The heaviest files are handed out first.
"""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
for helpers in ("grader_tests", "tests/browser"):
    sys.path.insert(0, str(ROOT / helpers))

WARNING = re.compile(r"\b\w*Warning\b|^WARNING|warn\(", re.MULTILINE)


def pytest_addoption(parser):
    parser.addoption("--screenshot-dir", default="build/screenshots",
                     help="where the browser test saves its screenshots (default: build/screenshots)")


def pytest_configure(config):
    config.addinivalue_line("markers", "xdist_group(name): run with the other tests of this group on one xdist worker")


# Groups whose tests take minutes, by prefix, handed out first and in this order (longest first), so
# that the two workers finish together; `python -m course test` turns off xdist's own reordering.
HEAVY_FIRST = ["grader_tests/test_pipeline.py", "corpus-08", "corpus-05", "corpus-06", "corpus-00",
               "grader_tests/test_hostile.py", "source/08_deep_networks", "source/06_regularization",
               "source/05_convolution", "source/04_initialization", "corpus-"]


def _group(item):
    marker = item.get_closest_marker("xdist_group")
    if marker is not None:
        return marker.args[0] if marker.args else marker.kwargs.get("name", "default")
    return Path(str(item.fspath)).resolve().relative_to(ROOT).as_posix()


def _heaviness(item):
    group = _group(item)
    return next((rank for rank, prefix in enumerate(HEAVY_FIRST) if group.startswith(prefix)), len(HEAVY_FIRST))


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(_group(item)))
    items.sort(key=_heaviness)  # stable: the order within a group is kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    for output in getattr(item, "test_outputs", None) or []:
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        if output.get("name") == "stderr" and WARNING.search(text):
            raise AssertionError(f"the cell printed a warning (students would see it):\n{text[:2000]}")
