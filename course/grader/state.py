"""What earlier runs of ``grade`` finished, so that a run after a crash (or a second run) grades only
what is new, changed or not graded yet.

A submission is known by its fingerprint: a hash of the submitted notebook and of the assignment's
instructor notebook. ``grading-state.json`` in the course directory records, per assignment and
student, the fingerprint and how far the submission got: ``executed`` (its executed notebook is kept
in ``build/grading/replay/``, so it need not run again) or ``recorded`` (nbgrader wrote it to the
gradebook: a later run leaves it, its manual grades and its feedback alone), and how long each
assignment's instructor notebook took in the sandbox (the time limits follow it). The file is replaced
atomically after every executed notebook and every recorded assignment, so a run killed at any
moment loses at most the notebooks that were running. ``grade --force`` ignores it.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from pathlib import Path

STATE_FILE = "grading-state.json"
REPLAY_DIR = Path("build") / "grading" / "replay"
EXECUTED, RECORDED = "executed", "recorded"
KEPT_FIELDS = ("status", "reason", "note", "flags", "seconds", "limits")


def machine():
    """What the reference timings depend on besides the notebook: the host, its processor and cores."""
    return f"{platform.node()} {platform.machine()} {platform.processor() or '-'} {os.cpu_count()} cores"


def fingerprint(submission, source):
    """A hash of the submitted notebook's bytes and of the instructor notebook's bytes."""
    digest = hashlib.sha256()
    for path in (submission, source):
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()


class GradingState:
    """The contents of ``grading-state.json``: ``{assignment: {student: entry}}``."""

    def __init__(self, root):
        self.root = Path(root)
        self.path = self.root / STATE_FILE
        self.replay_dir = self.root / REPLAY_DIR
        try:
            saved = json.loads(self.path.read_text())
        except (OSError, ValueError):  # no file yet, or one a crash left unreadable: start afresh
            saved = {}
        self.entries = saved.get("submissions", {})
        self.references = saved.get("references", {})

    def stage(self, result, fingerprint_):
        """``RECORDED``, ``EXECUTED`` or ``None``: how far this very submission got in earlier runs."""
        entry = self.entries.get(result.assignment, {}).get(result.student)
        if not entry or entry.get("fingerprint") != fingerprint_:
            return None
        return entry.get("stage")

    def earlier(self, assignment, student):
        """What an earlier run learnt about the submission (status, reason, note, flags, time, limits),
        as ``{field of Result: value}``."""
        from course.grader.result import Status

        entry = self.entries[assignment][student]
        return {name: Status(entry[name]) if name == "status" else entry[name] for name in KEPT_FIELDS if name in entry}

    def mark(self, result, fingerprint_, stage):
        entry = {"fingerprint": fingerprint_, "stage": stage}
        entry.update({name: getattr(result, name) for name in KEPT_FIELDS})
        entry["status"] = result.status.value
        self.entries.setdefault(result.assignment, {})[result.student] = entry

    def unmark(self, result, stage=None):
        """Take back a ``mark``: the submission is at ``stage`` again, or unknown when ``None``."""
        entries = self.entries.get(result.assignment, {})
        if result.student not in entries:
            return
        if stage is None:
            del entries[result.student]
        else:
            entries[result.student]["stage"] = stage

    def reference(self, assignment, fingerprint_):
        """``(seconds, slowest cell)`` of the instructor notebook's run, if this version was timed on
        this machine (a course directory copied to a slower machine is timed again)."""
        entry = self.references.get(assignment)
        if entry and entry["fingerprint"] == fingerprint_ and entry.get("machine") == machine():
            return entry["seconds"], entry["slowest_cell"]
        return None

    def set_reference(self, assignment, fingerprint_, timing):
        self.references[assignment] = {"fingerprint": fingerprint_, "machine": machine(),
                                       "seconds": timing[0], "slowest_cell": timing[1]}

    def save(self):
        """Replace the file atomically (a crash leaves the old or the new one, never half of one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".grading-state-", suffix=".json")
        with os.fdopen(handle, "w") as file:
            json.dump({"submissions": self.entries, "references": self.references}, file, indent=1, sort_keys=True)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)
