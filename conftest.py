"""Shared by every part of the test suite (unit, grader, notebooks, browser; see `python -m course test`).

* `grader_tests/` and `tests/browser/` hold helper modules the tests import (`harness`, `hostile`,
  `labserver`);
* `--screenshot-dir`: where the browser test saves its screenshots;
* nbval runs every instructor notebook of `source/`; a cell that prints a warning fails too
  (students would see it).
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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    for output in getattr(item, "test_outputs", None) or []:
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        if output.get("name") == "stderr" and WARNING.search(text):
            raise AssertionError(f"the cell printed a warning (students would see it):\n{text[:2000]}")
