"""``make demo``: a course directory with fictional students, and submissions built from answers.

``demo/<assignment>.py`` defines ``STUDENTS = {student: {grade_id: cell source} or None}``;
``prepare_demo`` writes their submissions into ``submitted/`` of a fresh course directory.
``reference_answers`` and ``make_submission`` also build the cohorts of the benchmark and the tests.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from course.grader.coursedir import REPO_ROOT, assignments, cells_by_grade_id, new_course_dir, notebook_path

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def reference_answers(source_notebook):
    """The instructor's solution of every solution cell, markers removed: ``{grade_id: source}``."""
    notebook = nbformat.read(str(source_notebook), as_version=4)
    answers = {}
    for grade_id, cell in cells_by_grade_id(notebook).items():
        if cell.metadata["nbgrader"].get("solution"):
            lines = [line for line in cell.source.splitlines() if line.strip() not in SOLUTION_MARKERS]
            answers[grade_id] = "\n".join(lines)
    return answers


def make_submission(release_notebook, answers, target):
    """Write a student's submission: the release notebook with ``answers`` ({grade_id: source}) filled in."""
    notebook = nbformat.read(str(release_notebook), as_version=4)
    cells = cells_by_grade_id(notebook)
    unknown = set(answers) - set(cells)
    if unknown:
        raise KeyError(f"no solution cell with grade_id {sorted(unknown)} in {release_notebook}")
    for grade_id, source in answers.items():
        cells[grade_id].source = source
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(target))
    return Path(target)


def demo_students(assignment, root=REPO_ROOT):
    """The fictional students of ``demo/<assignment>.py``: ``{student: {grade_id: source}}``."""
    namespace = {}
    demo_file = Path(root) / "demo" / f"{assignment}.py"
    exec(compile(demo_file.read_text(), str(demo_file), "exec"), namespace)
    return namespace["STUDENTS"]


def prepare_demo(work, root=REPO_ROOT):
    """A course directory at ``work`` with the demo students' submissions in ``submitted/``."""
    work = new_course_dir(work, root)
    names = [n for n in assignments(root) if (Path(root) / "demo" / f"{n}.py").is_file()]
    for name in names:
        release = notebook_path(root, "release", name)
        for student, answers in demo_students(name, root).items():
            make_submission(release, answers or {}, notebook_path(work / "submitted" / student, "", name))
    return work, names
