"""Faults of the grader, injected into `pipeline.grade` through its `run_job` argument.

The students named here fail for reasons that lie with the grader, never with their work:
`kernel_fails` as if the grading kernel could not start, `worker_dies` by killing the Dask worker
process that runs it (every time Dask retries it). Everyone else is executed normally.
"""

from __future__ import annotations

import os

from course.grader import execute, sandbox

KERNEL_FAILS = "kernel_fails"
WORKER_DIES = "worker_dies"


def run_with_faults(job):
    if job.student == KERNEL_FAILS:
        return None, sandbox.Report(sandbox.RunStatus.COULD_NOT_START,
                                    "the grading kernel could not start: injected fault")
    if job.student == WORKER_DIES:
        os._exit(1)  # the worker process is gone, as after a crash or an out-of-memory kill
    return execute.run_job(job)
