"""Record how long each group of the test suite took, for the order in which pytest-xdist hands them out.

    python -m course test --durations=0 > build/test.log
    python tools/group_seconds.py build/test.log [more logs]   # rewrites tests/group-seconds.json

A group (`conftest.group_of`: a file, one topic of the corpus, one batch of topics the real pipeline
grades) runs on one worker. `conftest.py` hands the groups out longest first, from this file: the
last groups to start are then the short ones, and the three workers end close together. The seconds
are those of a full run (every group shares the two cores with the others), the sum of the setup,
call and teardown times pytest reports with ``--durations=0``; given several logs, the longest time
each group took (a group that sometimes waits long, such as plain nbgrader's random stall after a
widget cell, is better started early). Only the order depends on them, so a file a little out of
date costs a few seconds at the end of a run, never a test.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _suite_conftest():
    """The repository's root conftest.py (by path: under pytest, ``conftest`` may name another one)."""
    spec = importlib.util.spec_from_file_location("suite_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


suite = _suite_conftest()

DURATION = re.compile(r"^\s*([\d.]+)s (?:setup|call|teardown)\s+(\S+)")


def group_seconds(log_text):
    """``{group: seconds}`` summed from the ``--durations=0`` lines of a pytest log."""
    seconds = {}
    for line in log_text.splitlines():
        match = DURATION.match(line)
        if match:
            group = suite.group_of(match.group(2))
            seconds[group] = seconds.get(group, 0.0) + float(match.group(1))
    return seconds


def main(argv):
    if not argv:
        sys.exit(__doc__)
    seconds = {}
    for log in argv:
        measured = group_seconds(Path(log).read_text())
        if not measured:
            sys.exit(f"{log} has no durations: run the suite with --durations=0")
        for group, value in measured.items():
            seconds[group] = max(value, seconds.get(group, 0.0))
    ordered = {group: round(value, 1) for group, value in sorted(seconds.items(), key=lambda kv: -kv[1])}
    (ROOT / suite.GROUP_SECONDS_FILE).write_text(json.dumps(ordered, indent=1) + "\n")
    print(f"{len(ordered)} groups, {sum(ordered.values()):.0f} s in all -> {suite.GROUP_SECONDS_FILE}")


if __name__ == "__main__":
    main(sys.argv[1:])
