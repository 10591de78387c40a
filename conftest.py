"""Shared by every part of the test suite (unit, grader, notebooks, browser; see `python -m course test`).

* `grader_tests/` and `tests/browser/` hold helper modules the tests import (`harness`, `hostile`,
  `labserver`);
* `--screenshot-dir`: where the browser test saves its screenshots;
* nbval runs every instructor notebook of `source/`; a cell that prints a warning fails too
  (students would see it);
* under pytest-xdist (as `python -m course test` runs it), the tests of one group run on one
  worker (`group_of`: a file, a topic of the corpus or a batch of topics the real pipeline grades),
  so that module fixtures (a graded cohort) run once and a notebook's cells run in order in one
  kernel; the longest groups are handed out first (`GROUP_SECONDS_FILE`);
* `kill_scratch`: the temporary folder of graders and kernels a test kills with SIGKILL.
"""

import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
for helpers in ("grader_tests", "tests/browser"):
    sys.path.insert(0, str(ROOT / helpers))

WARNING = re.compile(r"\b\w*Warning\b|^WARNING|warn\(", re.MULTILINE)


def pytest_addoption(parser):
    parser.addoption("--screenshot-dir", default="build/screenshots",
                     help="where the browser test saves its screenshots (default: build/screenshots)")


# Files whose tests are grouped by the first part of their parameters instead: one group per topic's
# corpus, one per batch of topics graded by the real pipeline.
SPLIT_BY_PARAMETER = {"grader_tests/test_wrong_answers.py": "corpus", "grader_tests/test_pipeline_topics.py": "pipeline"}

# How long each group took in a full run (tools/group_seconds.py writes it from a --durations=0 log).
# The groups are handed out longest first, so that the last ones to start are short and the workers
# end together (the longest-processing-time rule); a group the file does not know yet counts as
# `UNKNOWN_GROUP_SECONDS`. `python -m course test` turns off xdist's own reordering.
GROUP_SECONDS_FILE = "tests/group-seconds.json"
UNKNOWN_GROUP_SECONDS = 30.0


def group_of(nodeid):
    """The group of a test under pytest-xdist: its file, or for `SPLIT_BY_PARAMETER` files the first
    part of its parameters (``...::test_x[08_deep_networks:Block:...]`` -> ``corpus 08_deep_networks``)."""
    path, _, rest = nodeid.partition("::")
    if path in SPLIT_BY_PARAMETER and "[" in rest:
        topic = re.split(r"[:\]]", rest.split("[", 1)[1])[0]
        return f"{SPLIT_BY_PARAMETER[path]} {topic}"
    return path


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown with -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    """Each group (`group_of`) runs on one worker: a file's module fixtures (a graded cohort) run
    once, a notebook's cells run in order in one kernel, a topic's corpus is computed once."""
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return group_of(nodeid)

    return ByGroup(config, log)


def _group_seconds():
    try:
        return json.loads((ROOT / GROUP_SECONDS_FILE).read_text())
    except (OSError, ValueError):  # no file, or a broken one: collection order
        return {}


def pytest_configure(config):
    config.addinivalue_line("markers", "sandbox: runs student code in the grading sandbox (needs bubblewrap; "
                                       "skipped with a notice without it)")


def pytest_collection_modifyitems(config, items):
    seconds = _group_seconds()
    # Longest group first; stable: the order within a group is kept.
    items.sort(key=lambda item: -seconds.get(group_of(item.nodeid), UNKNOWN_GROUP_SECONDS))
    if not shutil.which("bwrap"):
        for item in items:
            if item.get_closest_marker("sandbox"):
                item.add_marker(pytest.mark.skip(reason="bubblewrap is not installed"))


@pytest.fixture
def kill_scratch():
    """A folder in /tmp for the temporary files of graders a test kills (their environment's
    ``TMPDIR``), removed after the test: a killed grader cannot remove its kernels' folders. After the
    test no process may still name the folder (a kernel or sandbox that outlived its killed grader). In /tmp,
    not below pytest's folder: a kernel's socket paths must stay short, and its user (`nobody`) must
    reach them."""
    scratch = Path(tempfile.mkdtemp(prefix="killed-graders-"))
    os.chmod(scratch, 0o755)
    yield scratch
    survivors = _processes_mentioning(str(scratch), wait_seconds=20)
    for pid in survivors:  # this test's own processes: stopped, then reported
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    shutil.rmtree(scratch, ignore_errors=True)
    assert not survivors, f"processes of killed graders outlived them: {survivors}"


@pytest.fixture
def processes_mentioning():
    """``processes_mentioning(text, wait_seconds)``: the PIDs of the processes whose command line
    holds ``text`` (a test's scratch folder), once none is left or after ``wait_seconds``."""
    return _processes_mentioning


def _processes_mentioning(text, wait_seconds):
    """PIDs of the processes whose command line holds ``text``, once none is left or after ``wait_seconds``."""
    deadline = time.monotonic() + wait_seconds
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    for output in getattr(item, "test_outputs", None) or []:
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        if output.get("name") == "stderr" and WARNING.search(text):
            raise AssertionError(f"the cell printed a warning (students would see it):\n{text[:2000]}")


def pytest_terminal_summary(terminalreporter):
    """Say it when tests were skipped because the machine lacks bubblewrap or chromium."""
    missing = {"bubblewrap": ("sandbox and grading-pipeline tests", "apt-get install bubblewrap"),
               "chromium": ("browser tests", "apt-get install chromium")}
    skipped = terminalreporter.stats.get("skipped", [])
    for program, (what, install) in missing.items():
        count = sum(1 for report in skipped if f"{program} is not installed" in str(report.longrepr))
        if count:
            terminalreporter.write_line(f"Notice: {program} is not installed here, so {count} {what} were skipped "
                                        f"({install}).", yellow=True, bold=True)
