"""Faults of the grader, injected at the boundaries of its steps (`pipeline.grade`).

The students named here meet a fault that lies with the grader, never with their work, each at
one step: `database_locked` while sanitising (the gradebook refuses, `injected_in_the_grader`),
`kernel_fails` at the kernel's start, `execution_fails` while a cell is sent to the kernel and
`reading_fails` while its outputs are read (our code fails, the kernel alive), `worker_dies` by
killing the Dask worker process (every time Dask retries it), `replay_fails` while nbgrader records
the executed notebook (`ReplayExecute`) and `feedback_fails` while nbgrader writes the feedback (both
`injected_in_the_grader`). The faults of whole steps (grades.csv, the resume state) are injected by
`test_faults.py` itself. Everyone else is graded normally.
"""

from __future__ import annotations

import contextlib
import os
import time
from unittest import mock

from course.grader import execute, sandbox, submissions

KERNEL_FAILS = "kernel_fails"
WORKER_DIES = "worker_dies"
READING_FAILS = "reading_fails"
EXECUTION_FAILS = "execution_fails"
DATABASE_LOCKED = "database_locked"
REPLAY_FAILS = "replay_fails"
FEEDBACK_FAILS = "feedback_fails"
INJECTED = "injected fault"


def run_with_faults(job):
    if job.student == KERNEL_FAILS:
        return None, sandbox.Report(sandbox.RunStatus.COULD_NOT_START,
                                    "the grading kernel could not start: injected fault")
    if job.student == WORKER_DIES:
        os._exit(1)  # the worker process is gone, as after a crash or an out-of-memory kill
    if job.student == EXECUTION_FAILS:
        original = sandbox._LimitedClient.execute_cell

        def broken_execution(client, cell, index, **kwargs):
            if index > 1:  # after the set-up cell
                raise ConnectionError(f"{INJECTED}: sending a cell to the kernel")
            return original(client, cell, index, **kwargs)
        with mock.patch.object(sandbox._LimitedClient, "execute_cell", broken_execution):
            return execute.run_job(job)
    if job.student == READING_FAILS:
        def broken_reader(cell, reply):
            raise ValueError(f"{INJECTED}: reading the outputs of a cell")
        with mock.patch.object(sandbox, "_record_reply_error", broken_reader):
            return execute.run_job(job)
    return execute.run_job(job)


@contextlib.contextmanager
def injected_in_the_grader():
    """In the grader's own process: `submissions.sanitise` raises sqlite's "database is locked" for
    `DATABASE_LOCKED`, nbgrader's `ReplayExecute` fails for `REPLAY_FAILS` and its feedback step
    (`HideHiddenTests`) for `FEEDBACK_FAILS`."""
    from sqlalchemy.exc import OperationalError

    from course.grader.preprocessors import HideHiddenTests, ReplayExecute

    sanitise, replay, hide = submissions.sanitise, ReplayExecute.preprocess, HideHiddenTests.preprocess

    def locked_sanitise(config, db_url, assignment, student, path):
        if student == DATABASE_LOCKED:
            raise OperationalError("SELECT", {}, Exception(f"database is locked ({INJECTED})"))
        return sanitise(config, db_url, assignment, student, path)

    def failing(original, student, what):
        def preprocess(self, nb, resources):
            if resources["nbgrader"]["student"] == student:
                raise OSError(f"{INJECTED}: {what}")
            return original(self, nb, resources)
        return preprocess

    with mock.patch.object(submissions, "sanitise", locked_sanitise), \
            mock.patch.object(ReplayExecute, "preprocess", failing(replay, REPLAY_FAILS, "replaying the outputs")), \
            mock.patch.object(HideHiddenTests, "preprocess", failing(hide, FEEDBACK_FAILS, "writing the feedback")):
        yield


def poisoned_or_done(job):
    """For `execute_all` without a kernel: the job of `WORKER_DIES` kills its worker after a second
    (time for Dask to hand the worker more jobs, if it would), every other job is done after a
    tenth of a second (an empty notebook, completed)."""
    if job.student == WORKER_DIES:
        time.sleep(1)
        os._exit(1)
    time.sleep(0.1)
    return "{}", sandbox.Report(sandbox.RunStatus.COMPLETED)
