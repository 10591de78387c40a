"""Record how long each group of the test suite took, for the order in which pytest-xdist hands them out.

    python -m course test --durations=0 > build/test.log
    python tools/group_seconds.py build/test.log        # rewrites tests/group-seconds.json

A group (`conftest.group_of`: a file, one topic of the corpus, one batch of topics the real pipeline
grades) runs on one worker. `conftest.py` hands the groups out longest first, from this file: the
last groups to start are then the short ones, and the three workers end close together. The seconds
are those of a full run (every group shares the two cores with the others), the sum of the setup,
call and teardown times pytest reports with ``--durations=0``. Only the order depends on them, so a
file a little out of date costs a few seconds at the end of a run, never a test.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conftest import GROUP_SECONDS_FILE, group_of  # noqa: E402

DURATION = re.compile(r"^\s*([\d.]+)s (?:setup|call|teardown)\s+(\S+)")


def group_seconds(log_text):
    """``{group: seconds}`` summed from the ``--durations=0`` lines of a pytest log."""
    seconds = {}
    for line in log_text.splitlines():
        match = DURATION.match(line)
        if match:
            group = group_of(match.group(2))
            seconds[group] = seconds.get(group, 0.0) + float(match.group(1))
    return seconds


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    seconds = group_seconds(Path(argv[0]).read_text())
    if not seconds:
        sys.exit(f"{argv[0]} has no durations: run the suite with --durations=0")
    ordered = {group: round(value, 1) for group, value in sorted(seconds.items(), key=lambda kv: -kv[1])}
    (ROOT / GROUP_SECONDS_FILE).write_text(json.dumps(ordered, indent=1) + "\n")
    print(f"{len(ordered)} groups, {sum(ordered.values()):.0f} s in all -> {GROUP_SECONDS_FILE}")


if __name__ == "__main__":
    main(sys.argv[1:])
