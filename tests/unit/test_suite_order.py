"""The order in which pytest-xdist gets the groups of the suite: longest first, from the seconds
`tools/group_seconds.py` reads from a `--durations=0` log (`conftest.py`)."""

import json
from pathlib import Path
from types import SimpleNamespace

from tools_loader import load_tool

ROOT = Path(__file__).resolve().parents[2]


conftest = load_tool("group_seconds").suite  # the root conftest.py, loaded by path (pytest's `conftest` may be another)


LOG = """
============================= slowest durations ==============================
91.50s call     grader_tests/test_wrong_answers.py::test_reference_passes_every_test_cell[08_deep_networks]
0.02s call     grader_tests/test_wrong_answers.py::test_wrong_answer_loses_only_its_exercise[08_deep_networks:Block:ReLU after the addition]
2.50s setup    grader_tests/test_wrong_answers.py::test_reference_passes_every_test_cell[03_backprop]
30.00s call     source/06_regularization/06_regularization.ipynb::Cell 21
1.25s teardown source/06_regularization/06_regularization.ipynb::Cell 22
12.00s call     grader_tests/test_memory.py::test_a_cohort_on_one_worker_in_constant_memory
(3561 durations < 0.005s hidden.  Use -vv to show these durations.)
"""


def test_seconds_are_summed_per_group():
    seconds = load_tool("group_seconds").group_seconds(LOG)
    assert seconds == {"corpus 08_deep_networks": 91.52, "corpus 03_backprop": 2.5,
                       "source/06_regularization/06_regularization.ipynb": 31.25,
                       "grader_tests/test_memory.py": 12.0}


def test_groups_are_handed_out_longest_first_each_in_its_own_order(monkeypatch):
    monkeypatch.setattr(conftest, "_group_seconds", lambda: {"corpus 08_deep_networks": 90.0, "grader_tests/test_memory.py": 10.0})
    ids = ["tests/unit/test_lm.py::test_a",                      # unknown: UNKNOWN_GROUP_SECONDS
           "grader_tests/test_memory.py::test_a",
           "grader_tests/test_wrong_answers.py::test_x[08_deep_networks]",
           "grader_tests/test_wrong_answers.py::test_y[08_deep_networks:Block:wrong]",
           "tests/unit/test_lm.py::test_b"]
    items = [SimpleNamespace(nodeid=i, get_closest_marker=lambda name: None) for i in ids]
    conftest.pytest_collection_modifyitems(None, items)
    assert [item.nodeid for item in items] == [ids[2], ids[3], ids[0], ids[4], ids[1]]


def test_the_recorded_groups_exist():
    """A renamed or deleted test file leaves no stale entry (its group would count as unknown)."""
    recorded = json.loads((ROOT / conftest.GROUP_SECONDS_FILE).read_text())
    assert recorded and all(isinstance(value, (int, float)) and value >= 0 for value in recorded.values())
    split = tuple(f"{prefix} " for prefix in conftest.SPLIT_BY_PARAMETER.values())
    stale = [group for group in recorded if not group.startswith(split) and not (ROOT / group).is_file()]
    assert stale == [], "run the suite with --durations=0, then python tools/group_seconds.py LOG"
