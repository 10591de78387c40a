"""A graded cohort written directly, without running a kernel: what `python -m course grade` leaves
behind (the gradebook through nbgrader's API, the executed notebooks in autograded/, the release
notebook, grading-state.json), with answers chosen by the test, so that the analytics
(`course.grader.analytics`) can be checked against numbers known in advance and timed on hundreds of
submissions.

``build(root, EXERCISES, answers, written=..., states=...)``: ``EXERCISES`` is ``{exercise: points}``;
``answers`` is ``{student: {exercise: outcome}}`` where an outcome is ``"passed"``, ``None`` (left as
released) or a failure ``(points earned, "the check's message\\nHint: its hint")``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import nbformat

from course.grader import coursedir

TOPIC = "cohort"
ASSIGNMENT = "00_cohort"
STUB = "def {name}():\n    # YOUR CODE HERE\n    raise NotImplementedError()"


def _cell(cell_type, grade_id, source, solution=False, points=None, outputs=()):
    meta = {"nbgrader": {"grade_id": grade_id, "solution": solution, "grade": points is not None,
                         "locked": not solution, "schema_version": 3, "task": False}}
    if points is not None:
        meta["nbgrader"]["points"] = points
    # Plain dictionaries (nbformat's `new_*_cell` validate every cell: most of the time of a cohort of 500).
    if cell_type == "markdown":
        return nbformat.from_dict({"cell_type": "markdown", "id": grade_id, "metadata": meta, "source": source})
    return nbformat.from_dict({"cell_type": "code", "id": grade_id, "metadata": meta, "source": source,
                               "execution_count": None, "outputs": list(outputs)})


def _error(ename, evalue):
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def _notebook(exercises, written, outcomes=None):
    """The release notebook (``outcomes`` None) or a student's executed one."""
    cells = []
    for exercise, points in exercises.items():
        outcome = (outcomes or {}).get(exercise)
        source = STUB.format(name=exercise) if outcomes is None or outcome is None else \
            f"def {exercise}():\n    return 42"
        cells.append(_cell("code", f"{TOPIC}-{exercise}-impl", source, solution=True))
        outputs = []
        if outcomes is not None and outcome is None:
            outputs = [_error("NotImplementedError", "")]
        elif isinstance(outcome, tuple):
            outputs = [_error("CheckFailed", outcome[1])]
        cells.append(_cell("code", f"{TOPIC}-{exercise}-test", f"check_{exercise}()", points=points, outputs=outputs))
    for question, points in written.items():
        cells.append(_cell("markdown", f"{TOPIC}-{question}-answer", "YOUR ANSWER HERE", solution=True, points=points))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def points_of(outcome, points):
    if outcome == "passed":
        return float(points)
    return float(outcome[0]) if isinstance(outcome, tuple) else 0.0


def build(root, exercises, answers, written=None, states=None):
    """Write the cohort into the course directory ``root``; returns ``root``."""
    from nbgrader.api import Gradebook

    from course.grader import record

    record.read_alembic_head_in_process()  # a new gradebook without starting the alembic program
    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's add_submission, harmless
    root, written, states = Path(root), written or {}, states or {}
    release = coursedir.notebook_path(root, "release", ASSIGNMENT)
    release.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(_notebook(exercises, written), str(release))
    with Gradebook(f"sqlite:///{(root / 'gradebook.db').resolve()}") as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT)
        gradebook.update_or_create_notebook(ASSIGNMENT, ASSIGNMENT)
        for exercise, points in exercises.items():
            gradebook.update_or_create_grade_cell(f"{TOPIC}-{exercise}-test", ASSIGNMENT, ASSIGNMENT,
                                                  max_score=points, cell_type="code")
        for question, points in written.items():
            gradebook.update_or_create_grade_cell(f"{TOPIC}-{question}-answer", ASSIGNMENT, ASSIGNMENT,
                                                  max_score=points, cell_type="markdown")
        for student, outcomes in answers.items():
            gradebook.update_or_create_student(student)
            submission = gradebook.add_submission(ASSIGNMENT, student)
            for grade in submission.notebooks[0].grades:
                exercise = grade.cell.name.split("-")[1]
                if grade.cell.cell_type == "code":
                    grade.auto_score = points_of(outcomes.get(exercise), exercises[exercise])
                    grade.needs_manual_grade = False
                else:
                    grade.auto_score, grade.needs_manual_grade = None, True
            executed = coursedir.notebook_path(root / "autograded" / student, "", ASSIGNMENT)
            executed.parent.mkdir(parents=True, exist_ok=True)
            executed.write_text(json.dumps(_notebook(exercises, written, outcomes)))  # valid: see _cell
        gradebook.db.commit()
    entries = {student: {"fingerprint": "-", "stage": "recorded", "status": "graded", "reason": "", "note": "",
                         "flags": [], "seconds": 1.0, "limits": "", **states.get(student, {})}
               for student in answers}
    entries.update({student: {"fingerprint": "-", "stage": "executed", "status": "graded", "reason": "", "note": "",
                              "flags": [], "seconds": 0.0, "limits": "", **entry}
                    for student, entry in states.items() if student not in answers})
    (root / "grading-state.json").write_text(json.dumps({"submissions": {ASSIGNMENT: entries}, "references": {}}))
    return root
