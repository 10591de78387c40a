"""Step 4: run the sanitised notebooks in parallel on Dask, each in a fresh sandboxed kernel.

A ``Job`` carries everything a worker needs (the notebook travels with it; workers read nothing
from the course directory), ``run_job`` runs it through ``sandbox.execute`` and never raises, and
``execute_all`` yields the jobs as they finish, behind a progress bar. ``runtime_notes`` and
``runtime_flags`` read what happened from the executed notebook and the sandbox's report.
Nothing this module or a worker loads imports nbgrader.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from dataclasses import dataclass
from datetime import datetime

import nbformat

from course.grader import sandbox
from course.grader.coursedir import Limits


@dataclass
class Job:
    """One notebook to execute: everything a (possibly remote) worker needs."""

    assignment: str
    student: str
    notebook: str       # file name stem
    source: str         # the sanitised notebook as JSON text
    limits: Limits
    execution: str | None = sandbox.AUTOGRADE  # NBGRADER_EXECUTION in the kernel (None: as a student runs it)


def run_job(job: Job):
    """Execute one sanitised notebook; return ``(executed JSON or None, sandbox.Report)``. Never raises."""
    notebook = nbformat.reads(job.source, as_version=4)
    try:
        report = sandbox.execute(notebook, job.limits, job.execution)
    except Exception as error:  # noqa: BLE001 - a broken job must not stop the run
        return None, sandbox.Report(sandbox.RunStatus.COULD_NOT_START, f"{type(error).__name__}: {error}"[:300])
    return nbformat.writes(notebook), report


@contextlib.contextmanager
def cluster(workers, scheduler=None):
    """A Dask client: of the scheduler at ``scheduler``, or of a local cluster of ``workers`` processes."""
    import dask
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # No dashboard; the scheduler's own HTTP server (health checks) on a free local port, never 8787,
    # which another cluster (a second grading run, a test) may hold. No statistical profiler in the
    # workers either (it samples their stacks 100 times a second for a dashboard nobody opens).
    # Worker processes are forked from a server that imported Dask once ("forkserver"), instead of
    # each starting a new interpreter that imports it again ("spawn", Dask's default): about a
    # second of CPU less per worker, at every start and every restart after a lost worker.
    no_dashboard = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}
    with dask.config.set({"distributed.worker.profile.enabled": False,
                          "distributed.worker.multiprocessing-method": "forkserver"}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                         scheduler_kwargs=no_dashboard, memory_limit=0, silence_logs=logging.ERROR) as local, \
            Client(local) as client:
        yield client


def execute_all(client, jobs, progress=True, run=run_job, label="grading"):
    """Run every job on Dask (``run(job)`` on a worker); yield ``(job, executed JSON or None, report)``
    as they finish. A job whose worker was lost more often than Dask retries comes back without a
    notebook (``RunStatus.COULD_NOT_START``).

    No more jobs are handed to Dask than its workers have threads (`_submitted_while_free`): a job
    waits here, not on a worker, so when a notebook takes its worker down no other notebook dies
    with it, and Dask's count of workers lost while running a job (it gives up after four) is the
    job's own. (Dask would otherwise give every worker its share of the jobs at once.)"""
    from dask.distributed import as_completed
    from tqdm.auto import tqdm

    if not jobs:
        return
    waiting = [(f"{label}-{job.assignment}-{job.student}-{i}", job) for i, job in enumerate(jobs)][::-1]
    futures, finished = {}, as_completed()
    _submitted_while_free(client, run, waiting, futures, finished)
    with tqdm(total=len(jobs), unit="notebook", desc=label, disable=not progress,
              file=sys.stderr, dynamic_ncols=True) as bar:
        for future in finished:
            job = futures.pop(future)
            try:
                executed, report = future.result()
            except Exception as error:  # noqa: BLE001 - a lost worker, for example
                executed, report = None, sandbox.Report(sandbox.RunStatus.COULD_NOT_START,
                                                        f"worker lost ({type(error).__name__}: {error})"[:300])
            future.release()
            _submitted_while_free(client, run, waiting, futures, finished)
            bar.update(1)
            bar.set_postfix_str(f"{job.student}/{job.assignment}", refresh=False)
            yield job, executed, report


def _submitted_while_free(client, run, waiting, futures, finished):
    """Hand jobs from the end of ``waiting`` to Dask while fewer are on it than its workers have
    threads (at least one, so that a cluster whose workers are restarting gets its next job)."""
    while waiting and len(futures) < max(1, sum(client.nthreads().values())):
        key, job = waiting.pop()
        future = client.submit(run, job, pure=False, key=key)
        futures[future] = job
        finished.add(future)


def reference_timing(executed):
    """``(seconds in all, seconds of the slowest cell)`` of an executed notebook, from nbclient's
    timestamps of each cell (``metadata.execution``)."""
    durations = []
    for cell in nbformat.reads(executed, as_version=4).cells:
        stamps = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in stamps and "shell.execute_reply" in stamps:
            begin = datetime.fromisoformat(stamps["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(stamps["shell.execute_reply"].replace("Z", "+00:00"))
            durations.append(max(0.0, (end - begin).total_seconds()))
    return sum(durations), max(durations, default=0.0)


def _error_names(notebook):
    return {o.get("ename") for c in notebook.cells if c.cell_type == "code" for o in c.outputs
            if o.output_type == "error"}


def runtime_flags(executed, report):
    """Flags from what the code did while it ran: audit events and tampering the checks caught."""
    flags = [f"at run time: {line}" for line in dict.fromkeys(report.audit)][:10]
    if "TamperingError" in _error_names(executed):
        flags.append("the check helpers detected tampering (TamperingError)")
    return flags


def runtime_notes(executed, report, limits):
    """Plain-words notes on limits the notebook ran into (the cells concerned earned no points)."""
    limits = limits.effective()
    notes = [report.reason] if report.status is not sandbox.RunStatus.COMPLETED else []
    errors = _error_names(executed)
    if "CellTimeoutError" in errors:
        notes.append(f"a cell ran longer than {limits.cell_timeout} s and was stopped")
    if "MemoryError" in errors:
        notes.append(f"a cell ran out of memory (limit {limits.memory_mb} MB)")
    if any("[grader: output cut" in o.get("text", "") for c in executed.cells if c.cell_type == "code"
           for o in c.outputs if o.output_type == "stream"):
        notes.append(f"a cell printed more than {limits.max_output_bytes} bytes; the rest was cut")
    return notes
