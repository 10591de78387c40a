"""Part of step 2 (release): how long running all cells of a notebook takes, measured, never guessed.

``tools/notebook_times.py`` runs every instructor notebook top to bottom in the Colab-like kernel
(Colab's package versions, ``colabenv``) on one thread, and records the computing time of its cells
in ``docs/notebook-times.json`` with a fingerprint of the notebook's code. ``python -m course
release`` writes the sentence built from that record into the introduction (between the markers
below); a test checks that the sentence is current and that every record is for the notebook's
current code (else: measure that notebook again).
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

from course.grader.coursedir import REPO_ROOT

BEGIN = "<!-- run time: written by `python -m course release` from docs/notebook-times.json -->"
END = "<!-- end of run time -->"
TIMES_FILE = Path("docs") / "notebook-times.json"


def code_fingerprint(notebook):
    """A fingerprint of what a run computes: the notebook's code cells, in order."""
    digest = hashlib.sha256()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.encode() + b"\0")
    return digest.hexdigest()[:16]


def load(root=REPO_ROOT):
    path = Path(root) / TIMES_FILE
    return json.loads(path.read_text()) if path.is_file() else {"notebooks": {}}


def duration(seconds):
    """``seconds`` in words, rounded as a reader would say it: "about 40 seconds", "about 2.5 minutes"."""
    if seconds < 55:
        return f"about {max(5, 5 * round(seconds / 5))} seconds"
    minutes = max(1.0, round(seconds / 30) / 2)
    return f"about {minutes:g} minute{'' if minutes == 1 else 's'}"


def sentence(record, machine):
    return (f"Running all cells takes {duration(record['seconds'])} of computing (measured on one core "
            f"of {machine}, with Colab's package versions).")


def with_run_time(markdown, record, machine):
    start, end = markdown.find(BEGIN), markdown.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the introduction has no run-time block ({BEGIN!r} ... {END!r})")
    return markdown[:start] + BEGIN + sentence(record, machine) + END + markdown[end + len(END):]


def sync_notebook(notebook, name, root=REPO_ROOT):
    """Write the measured run time into the introduction; return True if it changed. A notebook
    without a record keeps its block as it is (the test asks for a measurement)."""
    times = load(root)
    record = times["notebooks"].get(name)
    intro = next((cell for cell in notebook.cells if cell.cell_type == "markdown" and BEGIN in cell.source), None)
    if record is None or intro is None:
        return False
    new = with_run_time(intro.source, record, times["machine"])
    changed = new != intro.source
    intro.source = new
    return changed
