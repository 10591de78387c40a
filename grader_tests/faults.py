"""Faults of the grader, injected into `pipeline.grade` through its `run_job` argument.

The students named here fail for reasons that lie with the grader, never with their work:
`kernel_fails` as if the grading kernel could not start, `worker_dies` by killing the Dask worker
process that runs it (every time Dask retries it), `reading_fails` by an error of our own code while
the sandbox reads a cell's outputs (the kernel alive), `database_locked` by the gradebook refusing
the sanitising step (`locked_database`, in the grader's own process). Everyone else is executed
normally.
"""

from __future__ import annotations

import contextlib
import os
from unittest import mock

from course.grader import execute, sandbox, submissions

KERNEL_FAILS = "kernel_fails"
WORKER_DIES = "worker_dies"
READING_FAILS = "reading_fails"
DATABASE_LOCKED = "database_locked"
INJECTED = "injected fault"


def run_with_faults(job):
    if job.student == KERNEL_FAILS:
        return None, sandbox.Report(sandbox.RunStatus.COULD_NOT_START,
                                    "the grading kernel could not start: injected fault")
    if job.student == WORKER_DIES:
        os._exit(1)  # the worker process is gone, as after a crash or an out-of-memory kill
    if job.student == READING_FAILS:
        def broken_reader(cell, reply):
            raise ValueError(f"{INJECTED}: reading the outputs of a cell")
        with mock.patch.object(sandbox, "_record_reply_error", broken_reader):
            return execute.run_job(job)
    return execute.run_job(job)


@contextlib.contextmanager
def locked_database():
    """`submissions.sanitise` raises sqlite's "database is locked" for `DATABASE_LOCKED`."""
    from sqlalchemy.exc import OperationalError

    original = submissions.sanitise

    def sanitise(config, db_url, assignment, student, path):
        if student == DATABASE_LOCKED:
            raise OperationalError("SELECT", {}, Exception(f"database is locked ({INJECTED})"))
        return original(config, db_url, assignment, student, path)

    with mock.patch.object(submissions, "sanitise", sanitise):
        yield
