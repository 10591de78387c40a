"""The record of one submission, from its folder to its grade, owned by ``pipeline.grade``.

Only the pipeline writes a ``Result``: each step returns what it adds (``submissions.flags`` the
flags, ``execute`` a run report, ``record.recorded_scores`` the scores nbgrader recorded,
``state.GradingState.earlier`` what an earlier run learnt), and ``report`` only reads it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Status(enum.Enum):
    """How a submission left the grader; ``Result.reason`` says why when it is not ``GRADED``."""

    GRADED = "graded"
    FAILED = "failed"            # the submission itself cannot be graded (no notebook, broken file): 0 points
    NOT_GRADED = "not graded"    # a fault of the grader (kernel, sandbox, worker, nbgrader): no score at all


EXIT_NOT_GRADED = 3  # `python -m course grade` exits with it when a submission is not graded


@dataclass
class Scores:
    """What nbgrader recorded for one submission (``record.recorded_scores``)."""

    score: float
    max_score: float
    auto_score: float
    auto_max: float
    needs_manual_grade: bool
    cells: dict  # test-cell grade_id -> (score, max_score)


@dataclass
class Result:
    """One student's submission of one assignment, from its folder to its grade."""

    student: str
    assignment: str
    status: Status = Status.GRADED
    reason: str = ""             # why it is not GRADED
    score: float = 0.0
    max_score: float = 0.0
    auto_score: float = 0.0
    auto_max: float = 0.0
    needs_manual_grade: bool = False
    cells: dict = field(default_factory=dict)  # test-cell grade_id -> (score, max_score)
    note: str = ""               # limits it ran into (the cells concerned earned nothing)
    flags: list = field(default_factory=list)  # reasons to look at it by hand
    seconds: float = 0.0         # execution time of its notebook
    fingerprint: str = ""        # hash of the submission and the instructor notebook (``state``)
    kept: str = ""               # what an earlier run had done with it: "", "executed" or "recorded"
    limits: str = ""             # the limits it ran under, in words

    @property
    def key(self):
        return self.student, self.assignment

    @property
    def status_text(self):
        """``graded``, or the status with its reason (``failed: wrong file name ...``)."""
        return self.status.value + (f": {self.reason}" if self.reason else "")

    @property
    def has_score(self):
        return self.status is not Status.NOT_GRADED

    def not_graded(self, reason):
        """A fault of the grader: no score is written; the next run grades it again."""
        self.status, self.reason = Status.NOT_GRADED, reason
        self.score = self.auto_score = 0.0
        self.cells = {}

    def fail(self, reason):
        """The submission cannot be graded: no points in any cell."""
        self.status, self.reason = Status.FAILED, reason
        self.score = self.auto_score = 0.0
        self.cells = {grade_id: (0.0, points) for grade_id, (_, points) in self.cells.items()}

    def take_recorded(self, recorded):
        """Step 5's outcome: ``recorded`` is the ``Scores`` nbgrader recorded, or the reason it recorded
        none. A submission that failed before stays failed (0 in every cell nbgrader knows); one
        that ran but was not recorded is not graded; one not graded before is left alone."""
        if self.status is Status.NOT_GRADED:
            return
        failure = self.reason if self.status is Status.FAILED else None
        if isinstance(recorded, str):
            if failure:
                self.fail(failure)
            else:
                self.not_graded("nbgrader could not record it: " + recorded)
            return
        self.score, self.max_score = recorded.score, recorded.max_score
        self.auto_score, self.auto_max = recorded.auto_score, recorded.auto_max
        self.needs_manual_grade, self.cells = recorded.needs_manual_grade, dict(recorded.cells)
        if failure is not None:
            self.fail(failure)
