"""nbval runs every instructor notebook; this hook also fails a cell that prints a warning."""

import re

import pytest

WARNING = re.compile(r"\b\w*Warning\b|^WARNING|warn\(", re.MULTILINE)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    for output in getattr(item, "test_outputs", None) or []:
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        if output.get("name") == "stderr" and WARNING.search(text):
            raise AssertionError(f"the cell printed a warning (students would see it):\n{text[:2000]}")
