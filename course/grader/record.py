"""Step 5: nbgrader records the grades, from the notebooks the workers executed, and writes the feedback.

``NbGrader`` is the one adapter to nbgrader: its own converters (generate_assignment, autograde,
generate_feedback) run in this process through ``NbGraderAPI``. For autograde, nbgrader's execute
step is replaced by ``preprocessors.ReplayExecute``, which copies the outputs a worker computed, so
nbgrader's code computes the scores and writes the gradebook (one writer; any
``CourseDirectory.db_url``) and ``autograded/``; the feedback hides the hidden tests
(``preprocessors.HideHiddenTests``).
``recorded_scores`` reads back what nbgrader recorded for each submission.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from pathlib import Path

from course.grader.coursedir import load_config
from course.grader.preprocessors import EXECUTE, REPLAY_EXECUTE
from course.grader.result import Scores

def alembic_head():
    """What nbgrader's ``api.get_alembic_version`` returns (the newest revision of nbgrader's own
    database migrations, written into every new gradebook), read in this process instead of by
    starting the ``alembic`` program (about 4 s per new gradebook)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import _temp_alembic_ini

    with _temp_alembic_ini("sqlite://") as ini:
        return ScriptDirectory.from_config(Config(ini)).get_current_head()


def read_alembic_head_in_process():
    import nbgrader.api

    nbgrader.api.get_alembic_version = alembic_head


class NbGrader:
    """nbgrader's own converters, run in this process through ``NbGraderAPI``.

    One process for the whole run instead of one ``nbgrader`` command per step and assignment:
    importing nbgrader alone takes about 5 s, three steps per assignment.
    """

    def __init__(self, root, replay_dir=None, database=True):
        from nbgrader.apps import NbGraderAPI
        from nbgrader.converters import Autograde
        from nbgrader.preprocessors import Execute

        read_alembic_head_in_process()
        config, self.coursedir = load_config(root)
        self.config = config
        if not database:  # as `nbgrader generate_assignment --no-db`: the student version only
            config.GenerateAssignment.no_database = True
            config.SaveCells.enabled = False
        if replay_dir is not None:
            configured = config.Autograde.get("autograde_preprocessors") or Autograde.autograde_preprocessors.default()
            names = [entry if isinstance(entry, str) else f"{entry.__module__}.{entry.__name__}" for entry in configured]
            executes = {f"{Execute.__module__}.{Execute.__name__}", "nbgrader.preprocessors.Execute", EXECUTE}
            if not executes & set(names):
                raise ValueError("Autograde.autograde_preprocessors in nbgrader_config.py has no "
                                 "nbgrader.preprocessors.Execute: the parallel grader replaces that step "
                                 "with the outputs its workers computed and cannot work without it.")
            config.Autograde.autograde_preprocessors = [
                REPLAY_EXECUTE if name in executes else name for name in names]
            config.ReplayExecute.replay_dir = str(replay_dir)
        self.api = NbGraderAPI(coursedir=self.coursedir, config=config)

    def _run(self, step, *args, **kwargs):
        # nbgrader starts `alembic` (found on PATH) when it creates a gradebook: use this environment's.
        path = os.environ.get("PATH", "")
        os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), path])
        try:
            with warnings.catch_warnings():  # nbgrader's own (SQLAlchemy) warnings say nothing to a grader
                warnings.simplefilter("ignore")
                outcome = getattr(self.api, step)(*args, **kwargs)
        finally:
            os.environ["PATH"] = path
        return {"log": "", "error": "", **outcome}

    def generate_assignment(self, name):
        outcome = self._run("generate_assignment", name, force=True, create=True)
        if not outcome["success"]:
            from course.grader.pipeline import GraderFault

            raise GraderFault(f"nbgrader generate_assignment {name} failed:\n{outcome['log']}\n{outcome['error']}")

    def _excluding(self, students):
        """nbgrader's own ``CourseDirectory.student_id_exclude``, for one step."""
        return _TemporaryExclusion(self.coursedir, students)

    def autograde(self, name, exclude=()):
        """Record every submission of ``name`` but ``exclude`` (the replayed outputs); return nbgrader's log."""
        with self._excluding(exclude):
            outcome = self._run("autograde", name, "*", force=True, create=True)
        return f"{outcome['log']}\n{outcome['error']}"

    def generate_feedback(self, name, exclude=()):
        """Feedback for every submission of ``name`` but ``exclude``; return nbgrader's log."""
        with self._excluding(exclude):
            outcome = self._run("generate_feedback", name, force=True)
        return f"{outcome['log']}\n{outcome['error']}"


class _TemporaryExclusion:
    def __init__(self, coursedir, students):
        self.coursedir, self.students = coursedir, list(students)

    def __enter__(self):
        self.saved = self.coursedir.student_id_exclude
        if self.students:
            self.coursedir.student_id_exclude = ",".join(filter(None, [self.saved, *self.students]))

    def __exit__(self, *exc):
        self.coursedir.student_id_exclude = self.saved


_EXCEPTION_LINE = re.compile(r"^\s*[A-Za-z_][\w.]*(Error|Exception|Fault)\b")


def failure_reason(log, student):
    """Why nbgrader could not process ``student``'s submission, from its log: the exception it
    logged (the last line of the traceback after "There was an error processing ... <student>"),
    else the first error line that names the student."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if "There was an error processing assignment:" in line and f"{os.sep}{student}{os.sep}" in line:
            block = []
            for following in lines[index + 1:]:
                if following.startswith("[") and block:  # the next log record
                    break
                block.append(following)
            raised = [text.strip() for text in block if _EXCEPTION_LINE.match(text)]
            if raised:
                return raised[-1][:300]
    for line in lines:
        if student in line and ("[ERROR]" in line or "Error" in line):
            return line.split("]", 1)[-1].strip()[:300]
    return "nbgrader could not grade this submission (see the autograde log)"


def not_in_gradebook(db_url, assignment, students):
    """The ``students`` without a submission of ``assignment`` in the gradebook (yet)."""
    from nbgrader.api import Gradebook, MissingEntry

    missing = set()
    with Gradebook(db_url) as gradebook:
        for student in students:
            try:
                gradebook.find_submission(assignment, student)
            except MissingEntry:
                missing.add(student)
    return missing


def forget(db_url, assignment, students):
    """Remove the submissions of ``students`` that this run added to the gradebook but could not
    grade (nbgrader creates the row before it fails), so that no tool reads them as a 0."""
    from nbgrader.api import Gradebook, MissingEntry

    if not students:
        return
    with Gradebook(db_url) as gradebook:
        for student in students:
            try:
                gradebook.remove_submission(assignment, student)
            except MissingEntry:
                pass


def recorded_scores(db_url, root, assignment, students, log=""):
    """``{student: Scores}`` of what nbgrader recorded for ``students``' submissions of
    ``assignment`` (``Result.take_recorded`` applies them), or, for a submission it did not record
    (or did not write to ``autograded/``), the reason nbgrader logged, as a string."""
    from nbgrader.api import Gradebook, MissingEntry

    recorded = {}
    with Gradebook(db_url) as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                recorded[student] = failure_reason(log, student)
                continue
            cells = {grade.name: (grade.score, grade.max_score) for notebook in submission.notebooks
                     for grade in notebook.grades if grade.cell.cell_type == "code"}
            recorded[student] = Scores(submission.score, submission.max_score,
                                       sum(score for score, _ in cells.values()),
                                       sum(points for _, points in cells.values()),
                                       submission.needs_manual_grade, cells)
            if not (Path(root) / "autograded" / student / assignment).is_dir():
                recorded[student] = failure_reason(log, student)
    return recorded
