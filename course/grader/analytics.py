"""Where the cohort struggles: per-exercise analytics of one graded assignment (``python -m course report``).

The numbers come from what grading kept, never from the feedback pages:

* the gradebook, through nbgrader's API: every test cell's points and every written answer still
  waiting for a human grader;
* ``autograded/<student>/<assignment>/``, the executed notebooks: the message of every failed check
  (``CheckFailed``: the check's own words, then ``Hint: ...``), and whether an exercise was left as
  released (its cell still raises ``NotImplementedError``);
* ``grading-state.json``: each submission's status (graded, failed, not graded), execution time, the
  limits it ran into and the flags raised for review.

``write_report`` writes ``reports/<assignment>/``: ``report.html`` (one self-contained page, plots
embedded, works offline), ``exercises.csv`` (one row per exercise), ``failures.csv`` (the most
frequent failure messages), ``points.csv`` (student x exercise, for an LMS or an item analysis) and
``submissions.csv`` (status, score, time, flags per student).

Exercise statistics, over the submissions that have scores (graded or failed; not graded ones are
listed apart): *attempted* (the exercise's cell was changed), *passed* (full points), *failed*
(attempted, not full points), *not attempted*; *difficulty*, the mean fraction of the points earned
(low is hard); *discrimination*, the correlation of the exercise's points with the points of the
rest of the assignment (near 0 or negative: the exercise does not separate strong from weak
submissions). The table lists the hardest first, then the least discriminating.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from course.grader import coursedir, state

REPORT_DIR = "reports"
PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"
EXAMPLES = 3        # student ids shown per failure message
TOP_MESSAGES = 5    # failure messages shown per exercise


@dataclass
class Submission:
    """What grading kept about one student's submission of the assignment."""

    student: str
    status: str = "graded"        # graded, failed, not graded (grading-state.json); "graded" if unknown
    reason: str = ""
    seconds: float | None = None
    note: str = ""                # limits it ran into
    flags: list = field(default_factory=list)
    points: dict = field(default_factory=dict)    # exercise -> (score, max_score), test cells summed
    outcome: dict = field(default_factory=dict)   # exercise -> PASSED / FAILED / NOT_ATTEMPTED
    failures: dict = field(default_factory=dict)  # exercise -> the first failed check's message
    to_grade: list = field(default_factory=list)  # written answers waiting for a human grader

    @property
    def has_scores(self):
        return self.status != "not graded" and bool(self.points)

    @property
    def auto_score(self):
        return sum(score for score, _ in self.points.values())


def exercise_of(grade_id):
    """``topic-exercise-test`` -> ``exercise``; any other grade_id is its own exercise."""
    parts = grade_id.split("-")
    return parts[1] if len(parts) == 3 and parts[2] in ("test", "impl", "answer") else grade_id


# ---------------------------------------------------------------------------------------------
# Reading what grading kept
# ---------------------------------------------------------------------------------------------

def collect(root, assignment):
    """``[Submission]`` of ``assignment`` in the course directory ``root``, sorted by student."""
    root = Path(root)
    submissions = {}
    for student, cells in _gradebook_cells(root, assignment).items():
        sub = submissions[student] = Submission(student)
        for name, (cell_type, score, max_score, needs_grading) in cells.items():
            if cell_type == "code":
                exercise = exercise_of(name)
                earned, possible = sub.points.get(exercise, (0.0, 0.0))
                sub.points[exercise] = (earned + (score or 0.0), possible + (max_score or 0.0))
            elif needs_grading:
                sub.to_grade.append(name)
    entries = state.GradingState(root).entries.get(assignment, {})
    for student, entry in entries.items():
        sub = submissions.setdefault(student, Submission(student))
        sub.status, sub.reason = entry.get("status", "graded"), entry.get("reason", "")
        sub.seconds, sub.note, sub.flags = entry.get("seconds"), entry.get("note", ""), list(entry.get("flags", []))
    released = _answer_cells(_load(coursedir.notebook_path(root, "release", assignment)))
    for sub in submissions.values():
        executed = _executed_notebook(root, sub.student, assignment)
        answers, messages = _read_executed(executed) if executed else ({}, {})
        untouched = {exercise for exercise, source in answers.items()
                     if source == released.get(exercise, source if "raise NotImplementedError" in source else None)}
        for exercise, (score, max_score) in sub.points.items():
            if exercise in untouched:
                sub.outcome[exercise] = NOT_ATTEMPTED
            elif max_score and score >= max_score:
                sub.outcome[exercise] = PASSED
            else:
                sub.outcome[exercise] = FAILED
                if exercise in messages:
                    sub.failures[exercise] = messages[exercise]
    return sorted(submissions.values(), key=lambda s: s.student)


def _gradebook_cells(root, assignment):
    """``{student: {cell name: (cell type, score, max score, needs manual grade)}}`` in one query."""
    from nbgrader.api import (Assignment, Grade, GradeCell, Gradebook, Student, SubmittedAssignment,
                              SubmittedNotebook)

    database = root / "gradebook.db"
    if not database.is_file():
        return {}
    cells = defaultdict(dict)
    with Gradebook(f"sqlite:///{database.resolve()}") as gradebook:
        rows = (gradebook.db.query(Student.id, GradeCell.name, GradeCell.cell_type, Grade.score,
                                   GradeCell.max_score, Grade.needs_manual_grade)
                .select_from(Grade)
                .join(GradeCell, Grade.cell_id == GradeCell.id)
                .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                .join(Student, SubmittedAssignment.student_id == Student.id)
                .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                .filter(Assignment.name == assignment))
        for student, name, cell_type, score, max_score, needs_grading in rows:
            cells[student][name] = (cell_type, score, max_score, bool(needs_grading))
    return cells


def _executed_notebook(root, student, assignment):
    folder = root / "autograded" / student / assignment
    notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    return notebooks[0] if notebooks else None


def _load(path):
    """A notebook as plain JSON (a cohort's notebooks are read in a second or two), or None."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _answer_cells(notebook):
    """``{exercise: the source of its answer cells}`` of a loaded notebook (its solution code cells)."""
    answers = defaultdict(str)
    for cell in (notebook or {}).get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and cell.get("cell_type") == "code":
            answers[exercise_of(meta.get("grade_id", ""))] += _source(cell).strip() + "\n"
    return dict(answers)


def _read_executed(path):
    """(``_answer_cells``, {exercise: the first failed check's message}) of an executed notebook."""
    notebook = _load(path)
    if notebook is None:
        return {}, {}
    messages = {}
    for cell in notebook.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not (meta.get("grade") and not meta.get("solution") and cell.get("cell_type") == "code"):
            continue
        exercise = exercise_of(meta.get("grade_id", ""))
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and exercise not in messages:
                messages[exercise] = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()
    return _answer_cells(notebook), messages


# ---------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------

def scored(submissions):
    """The submissions that have scores (graded or failed): the ones the statistics are about."""
    return [s for s in submissions if s.has_scores]


def exercises_in_order(submissions):
    """The exercises in the order of the notebook (the order of the gradebook's cells)."""
    order = {}
    for sub in submissions:
        for exercise in sub.points:
            order.setdefault(exercise, len(order))
    return sorted(order, key=order.get)


def correlation(xs, ys):
    """Pearson's correlation, or None when either side does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / (sxx * syy) ** 0.5


def exercise_table(submissions):
    """One dict per exercise (see the module docstring), the hardest and least discriminating first."""
    cohort = scored(submissions)
    rows = []
    for exercise in exercises_in_order(cohort):
        having = [s for s in cohort if exercise in s.points]
        counts = Counter(s.outcome.get(exercise, FAILED) for s in having)
        earned = [s.points[exercise][0] for s in having]
        possible = max((s.points[exercise][1] for s in having), default=0.0)
        n = len(having)
        rest = [s.auto_score - s.points[exercise][0] for s in having]
        mean = sum(earned) / n if n else 0.0
        rows.append({
            "exercise": exercise, "points": possible, "submissions": n,
            "attempted": counts[PASSED] + counts[FAILED], "passed": counts[PASSED], "failed": counts[FAILED],
            "not_attempted": counts[NOT_ATTEMPTED], "mean_points": mean,
            "difficulty": mean / possible if possible else None,
            "discrimination": correlation(earned, rest),
        })
    return sorted(rows, key=lambda r: (_none_last(r["difficulty"]), _none_last(r["discrimination"])))


def _none_last(value):
    return (value is None, value if value is not None else 0.0)


_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")
_BRACKETS = re.compile(r"\[[^\[\]]*\]")           # a list or an array, innermost first
_NUMBERS_IN_PARENTHESES = re.compile(r"\((?=[^()]*\d)[^()]*\)")  # a shape, a tuple, arguments


def message_key(message):
    """What failures of one check have in common: its words with the values masked (numbers,
    lists, shapes), and its hint."""
    first, _, hint = message.partition("\nHint:")
    words = first.splitlines()[0] if first else ""
    while _BRACKETS.search(words):  # masked as ‹…› first: a masked list must not match again
        words = _BRACKETS.sub("‹…›", words)
    words = _NUMBER.sub("#", _NUMBERS_IN_PARENTHESES.sub("(…)", words)).replace("‹…›", "[…]")
    return words.strip()[:200], hint.strip()


def failure_groups(submissions):
    """``{exercise: [(count, (check words, hint), [student ids], an example message)]}``, the most
    frequent first (ties by the words, so the order never depends on the students' order)."""
    grouped = defaultdict(lambda: defaultdict(list))
    examples = {}
    for sub in scored(submissions):
        for exercise, message in sub.failures.items():
            key = message_key(message)
            grouped[exercise][key].append(sub.student)
            examples.setdefault((exercise, key), message)
    return {exercise: sorted(((len(students), key, sorted(students), examples[exercise, key])
                              for key, students in groups.items()), key=lambda g: (-g[0], g[1]))
            for exercise, groups in grouped.items()}


def points_table(submissions):
    """(header, rows): one row per student with scores, the points of every exercise and the total."""
    cohort = scored(submissions)
    exercises = exercises_in_order(cohort)
    header = ["student", *exercises, "automatic_total"]
    rows = [[s.student, *[_number(s.points.get(e, (0.0, 0.0))[0]) for e in exercises], _number(s.auto_score)]
            for s in cohort]
    return header, rows


def _number(value):
    return f"{value:g}" if value is not None else ""


# ---------------------------------------------------------------------------------------------
# Writing the report
# ---------------------------------------------------------------------------------------------

def write_report(root, assignment):
    """Write ``reports/<assignment>/`` (see the module docstring); returns the HTML page's path."""
    submissions = collect(root, assignment)
    folder = Path(root) / REPORT_DIR / assignment
    folder.mkdir(parents=True, exist_ok=True)
    table = exercise_table(submissions)
    groups = failure_groups(submissions)
    _write_csv(folder / "exercises.csv", list(table[0]) if table else ["exercise"],
               [[_cell(key, value) for key, value in row.items()] for row in table])
    _write_csv(folder / "failures.csv", ["exercise", "count", "check", "hint", "students"],
               [[exercise, count, words, hint, " ".join(students)]
                for exercise, entries in groups.items() for count, (words, hint), students, _ in entries])
    _write_csv(folder / "points.csv", *points_table(submissions))
    _write_csv(folder / "submissions.csv", ["student", "status", "reason", "automatic_score", "seconds", "note",
                                            "flags", "written_answers_to_grade"],
               [[s.student, s.status, s.reason, _number(s.auto_score) if s.has_scores else "",
                 _number(s.seconds), s.note, "; ".join(s.flags), " ".join(s.to_grade)] for s in submissions])
    page = folder / "report.html"
    page.write_text(render_html(assignment, submissions, table, groups), encoding="utf-8")
    return page


def write_reports(root, assignments, log=print):
    """``write_report`` for each assignment with submissions; returns the pages written."""
    pages, graded = [], set(default_assignments(root))  # one look at the course directory, not one per assignment
    for assignment in assignments:
        if assignment not in graded:
            log(f"No graded submission of {assignment} yet: no report.")
            continue
        pages.append(write_report(root, assignment))
    return pages


def _cell(key, value):
    if value is None:
        return ""
    if key == "points":
        return f"{value:g}"
    return f"{value:.3f}" if isinstance(value, float) else value


def _write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


# ---------------------------------------------------------------------------------------------
# The HTML page
# ---------------------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.02em; margin: 1em 0 0.3em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; vertical-align: top; }
th { background: #f2f2f2; } td { white-space: nowrap; } td.text, th.text { text-align: left; white-space: normal; }
.summary span { display: inline-block; margin-right: 2em; }
.hard { background: #fbe3d6; } .weak { background: #fff3c4; }
.figures img { max-width: 32%; margin-right: 1%; }
code { background: #f6f6f6; padding: 0 0.2em; }
"""


def render_html(assignment, submissions, table, groups):
    """The report page: summary, exercises, failure messages, plots, submissions needing a look."""
    cohort = scored(submissions)
    totals = [s.auto_score for s in cohort]
    maximum = max((sum(p for _, p in s.points.values()) for s in cohort), default=0.0)
    statuses = Counter(s.status for s in submissions)
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{_e(assignment)}: cohort report</title>"
             f"<style>{_STYLE}</style></head><body>",
             f"<h1>{_e(assignment)}: where the cohort struggles</h1>",
             "<p class='summary'>" + "".join(f"<span><b>{count}</b> {_e(status)}</span>"
                                             for status, count in sorted(statuses.items()))
             + (f"<span>mean automatic score <b>{sum(totals) / len(totals):.1f}</b> / {maximum:g}</span>" if totals else "")
             + "</p>"]
    parts.append(_exercise_section(table))
    parts.append(_figure_section(cohort, totals, maximum, table))
    parts.append(_failure_section(table, groups))
    parts.append(_attention_section(submissions))
    parts.append("<p><small>Data: gradebook.db (nbgrader), autograded/ (the executed notebooks), "
                 "grading-state.json. CSV files next to this page.</small></p></body></html>")
    return "\n".join(parts)


def _exercise_section(table):
    head = ("<h2>Exercises, the hardest first</h2><p>Difficulty: the mean fraction of the points "
            "earned (low is hard). Discrimination: the correlation of the exercise's points with the rest "
            "of the assignment (near 0: it does not separate strong from weak submissions; blank when "
            "everyone scored the same).</p><table><tr><th class='text'>exercise</th><th>points</th>"
            "<th>attempted</th><th>passed</th><th>failed</th><th>not attempted</th><th>mean points</th>"
            "<th>difficulty</th><th>discrimination</th></tr>")
    rows = []
    for r in table:
        n = r["submissions"] or 1
        css = "hard" if r["difficulty"] is not None and r["difficulty"] < 0.5 else \
            "weak" if r["discrimination"] is not None and r["discrimination"] < 0.2 else ""
        rows.append(f"<tr class='{css}'><td class='text'>{_e(r['exercise'])}</td><td>{r['points']:g}</td>"
                    + "".join(f"<td>{r[k]} ({100 * r[k] / n:.0f} %)</td>"
                              for k in ("attempted", "passed", "failed", "not_attempted"))
                    + f"<td>{r['mean_points']:.2f}</td><td>{_fmt(r['difficulty'])}</td>"
                      f"<td>{_fmt(r['discrimination'])}</td></tr>")
    return head + "".join(rows) + "</table>"


def _failure_section(table, groups):
    parts = ["<h2>The most frequent failure messages</h2>"]
    if not groups:
        parts.append("<p>No check failed.</p>")
    for r in table:
        entries = groups.get(r["exercise"])
        if not entries:
            continue
        failed = r["failed"] or 1
        parts.append(f"<h3>{_e(r['exercise'])}: {r['failed']} failed</h3><table><tr><th>count</th>"
                     "<th class='text'>check</th><th class='text'>hint</th><th class='text'>students</th></tr>")
        for count, (words, hint), students, example in entries[:TOP_MESSAGES]:
            shown = _some(students)
            parts.append(f"<tr><td>{count} ({100 * count / failed:.0f} %)</td><td class='text'><code>{_e(words)}</code>"
                         f"<br><small>e.g. {_e(example.splitlines()[0][:300])}</small></td>"
                         f"<td class='text'>{_e(hint)}</td><td class='text'>{_e(shown)}</td></tr>")
        if len(entries) > TOP_MESSAGES:
            parts.append(f"<tr><td colspan='4' class='text'>{len(entries) - TOP_MESSAGES} other messages: "
                         "failures.csv</td></tr>")
        parts.append("</table>")
    return "\n".join(parts)


def _figure_section(cohort, totals, maximum, table):
    if not cohort:
        return "<h2>Plots</h2><p>No submission has scores yet.</p>"
    images = [_plot_scores(totals, maximum), _plot_exercises(table),
              _plot_times([s.seconds for s in cohort if s.seconds is not None])]
    return "<h2>Plots</h2><div class='figures'>" + "".join(
        f"<img alt='{_e(alt)}' src='data:image/png;base64,{data}'>" for alt, data in images if data) + "</div>"


def _attention_section(submissions):
    parts = ["<h2>Submissions that need a look</h2>"]
    groups = [
        ("Not graded (a fault of the grader: no score was written; run grade again)",
         [s for s in submissions if s.status == "not graded"], lambda s: s.reason),
        ("Failed (0 points: the submission itself could not be graded)",
         [s for s in submissions if s.status == "failed"], lambda s: s.reason),
        ("Ran into a limit (the cells concerned earned nothing)", [s for s in submissions if s.note], lambda s: s.note),
        ("Flagged for manual review", [s for s in submissions if s.flags], lambda s: "; ".join(s.flags)),
    ]
    for title, chosen, detail in groups:
        parts.append(f"<h3>{_e(title)}: {len(chosen)}</h3>")
        if chosen:
            parts.append("<table>" + "".join(f"<tr><td class='text'>{_e(s.student)}</td><td class='text'>{_e(detail(s))}</td></tr>"
                                             for s in chosen) + "</table>")
    waiting = defaultdict(list)
    for sub in submissions:
        for question in sub.to_grade:
            waiting[question].append(sub.student)
    parts.append(f"<h3>Written answers still to grade: {sum(len(v) for v in waiting.values())}</h3>")
    if waiting:
        parts.append("<table><tr><th class='text'>question</th><th>answers</th><th class='text'>students</th></tr>"
                     + "".join(f"<tr><td class='text'>{_e(question)}</td><td>{len(students)}</td>"
                               f"<td class='text'>{_e(_some(students))}</td></tr>" for question, students in waiting.items())
                     + "</table><p><small>Every student: submissions.csv; grade them in nbgrader's formgrader.</small></p>")
    return "\n".join(parts)


def _some(students, shown=EXAMPLES):
    return ", ".join(students[:shown]) + (f" and {len(students) - shown} more" if len(students) > shown else "")


def _e(text):
    return html.escape(str(text))


def _fmt(value):
    return "" if value is None else f"{value:.2f}"


# ---------------------------------------------------------------------------------------------
# Plots (matplotlib, the course's colour-blind-safe palette, PNG embedded in the page)
# ---------------------------------------------------------------------------------------------

def _figure():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5, 3.4), dpi=90)
    return plt, figure, axes


def _encoded(plt, figure, alt):
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return alt, base64.b64encode(buffer.getvalue()).decode("ascii")


def _plot_scores(totals, maximum):
    from course.plots import PALETTE

    plt, figure, axes = _figure()
    axes.hist(totals, bins=min(20, max(5, int(maximum) + 1)), range=(0, max(maximum, 1)), color=PALETTE[0],
              edgecolor="white")
    axes.set(xlabel="automatic score", ylabel="submissions", title="Automatic scores")
    return _encoded(plt, figure, "histogram of the automatic scores")


def _plot_exercises(table):
    from course.plots import PALETTE

    plt, figure, axes = _figure()
    shown = [r for r in table if r["submissions"]]
    names = [r["exercise"] for r in shown]
    n = [r["submissions"] for r in shown]
    bottom = [0.0] * len(shown)
    for key, colour in (("passed", PALETTE[2]), ("failed", PALETTE[3]), ("not_attempted", "#bbbbbb")):
        values = [100 * r[key] / count for r, count in zip(shown, n)]
        axes.barh(names, values, left=bottom, color=colour, label=key.replace("_", " "))
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.invert_yaxis()
    axes.set(xlabel="% of the submissions", title="Exercises, the hardest first", xlim=(0, 100))
    axes.legend(fontsize=7, loc="lower right")
    return _encoded(plt, figure, "passed, failed and not attempted per exercise")


def _plot_times(seconds):
    from course.plots import PALETTE

    if not seconds:
        return "", ""
    plt, figure, axes = _figure()
    axes.hist(seconds, bins=20, color=PALETTE[1], edgecolor="white")
    axes.set(xlabel="seconds", ylabel="submissions", title="Execution time per notebook")
    return _encoded(plt, figure, "histogram of the execution times")


def default_assignments(root):
    """The assignments with something graded: in ``grading-state.json`` or in ``autograded/``."""
    root = Path(root)
    names = set(state.GradingState(root).entries)
    if (root / "autograded").is_dir():
        names |= {folder.name for folder in (root / "autograded").glob("*/*") if folder.is_dir()}
    return sorted(names)
