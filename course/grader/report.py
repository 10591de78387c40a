"""Step 6: what became of each submission: its status, scores, notes and flags; ``grades.csv``,
the grade table and the end-of-run summary. (The feedback pages: step 5, ``record``.)"""

from __future__ import annotations

import csv
from pathlib import Path

from course.grader.result import EXIT_NOT_GRADED, Result, Status  # noqa: F401 - the names callers read here


CSV_COLUMNS = ["student", "assignment", "status", "auto_score", "auto_max", "score", "max_score",
               "needs_manual_grade"]


def write_csv(results, path):
    """One row per student and assignment."""
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for r in results:
            scores = [f"{r.auto_score:g}", f"{r.auto_max:g}", f"{r.score:g}", f"{r.max_score:g}", r.needs_manual_grade] \
                if r.has_score else ["", "", "", "", ""]
            writer.writerow([r.student, r.assignment, r.status_text, *scores])
    return Path(path)


def format_table(results):
    """A plain-text grade table, one row per student and assignment."""
    header = f"{'student':<12} {'assignment':<26} {'automatic':>10} {'total':>10}  status"
    lines = [header, "-" * len(header)]
    for r in results:
        manual = " (+ manual grading pending)" if r.needs_manual_grade and r.status is Status.GRADED else ""
        scores = f"{r.auto_score:>4g} / {r.auto_max:<3g} {r.score:>4g} / {r.max_score:<3g}" if r.has_score \
            else f"{'-':>10} {'-':>10}"
        lines.append(f"{r.student:<12} {r.assignment:<26} {scores}  {r.status_text}{manual}")
    return "\n".join(lines)


def format_summary(results, seconds):
    """The end-of-run summary: what the grader could not grade (first), failures with reasons,
    notes and flags for review."""
    not_graded = [r for r in results if r.status is Status.NOT_GRADED]
    failed = [r for r in results if r.status is Status.FAILED]
    lines = []
    if not_graded:
        lines.append(f"NOT GRADED because of a fault of the grader ({len(not_graded)}): no score was written "
                     "for these; fix the cause and run `grade` again:")
        lines += [f"  {r.student}/{r.assignment}: {r.reason}" for r in not_graded]
    graded = len(results) - len(failed) - len(not_graded)
    lines.append(f"Graded {graded} of {len(results)} submission(s) in {seconds:.1f} s"
                 + (f"; {len(failed)} could not be graded (0 points):" if failed else "."))
    lines += [f"  {r.student}/{r.assignment}: {r.reason}" for r in failed]
    kept = sum(r.kept == "recorded" for r in results)
    if kept:
        lines.append(f"{kept} of them were graded by an earlier run and kept as they are (the same "
                     "notebooks; manual grades and feedback untouched; --force grades them again).")
    noted = [r for r in results if r.note]
    if noted:
        lines.append("Graded with a note:")
        lines += [f"  {r.student}/{r.assignment}: {r.note}" for r in noted]
    flagged = [r for r in results if r.flags]
    if flagged:
        lines.append(f"Flagged for manual review ({len(flagged)}):")
        lines += [f"  {r.student}/{r.assignment}: " + "; ".join(r.flags) for r in flagged]
    used = {r.assignment: r.limits for r in results if r.limits}
    if used:
        lines.append("Limits:")
        lines += [f"  {assignment}: {text}" for assignment, text in used.items()]
    timed = [r.seconds for r in results if r.seconds]
    if timed:
        lines.append(f"Notebook execution: {sum(timed):.1f} s in total, {sum(timed) / len(timed):.1f} s on average.")
    return "\n".join(lines)
