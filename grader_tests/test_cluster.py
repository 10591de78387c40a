"""`grade --scheduler` on a real Dask cluster: a `dask scheduler` and two `dask worker --nthreads 1`
processes on loopback, one worker killed in the middle of the run; every cell gets the score the
tiny course's answers deserve (the local cluster grades the same course in test_resume.py)."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from course.grader import pipeline, report, sandbox, state
from course.grader.coursedir import Limits
import tiny

ASSIGNMENT = tiny.ASSIGNMENT
DASK = [sys.executable, "-m", "distributed.cli.dask_scheduler"], [sys.executable, "-m", "distributed.cli.dask_worker"]
pytestmark = pytest.mark.sandbox


def _start(command, log, scratch):
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            env={**os.environ, "TMPDIR": str(scratch)})


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.fixture
def cluster(tmp_path, kill_scratch):
    """The scheduler and two workers (no nanny: a killed worker stays dead); yields
    ``(address, doomed worker)`` and stops every process by its PID at the end."""
    scheduler_file = tmp_path / "scheduler.json"
    log = open(tmp_path / "dask.log", "w")
    processes = [_start([*DASK[0], "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                         "--scheduler-file", str(scheduler_file)], log, kill_scratch)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        for name in ("doomed", "survivor"):
            processes.append(_start([*DASK[1], "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                                     "--no-nanny", "--no-dashboard", "--dashboard-address", "127.0.0.1:0", "--name", name,
                                     "--host", "127.0.0.1"], log, kill_scratch))
        from dask.distributed import Client

        with Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            address = client.scheduler.address
        yield address, processes[1]
    finally:
        for process in processes:
            _stop(process)
        log.close()


STUDENTS = (("ann", tiny.REFERENCE), ("bob", {}), ("cem", tiny.WRONG), ("dan", tiny.REFERENCE), ("eve", {}))


def _course(path):
    course = tiny.new_course(path)
    for student, answers in STUDENTS:
        tiny.submit(course, student, answers)
    return course


def test_cluster_with_a_worker_killed_gives_the_local_scores(cluster, tmp_path):
    address, doomed = cluster
    course = _course(tmp_path / "on the cluster")
    replay = course / state.REPLAY_DIR / ASSIGNMENT

    def kill_after_the_first_notebook():
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not (replay.is_dir() and any(replay.iterdir())):
            time.sleep(0.1)
        _stop(doomed)

    killer = threading.Thread(target=kill_after_the_first_notebook, daemon=True)
    killer.start()
    limits = Limits(cell_timeout=60, notebook_timeout=120)
    on_cluster = {r.student: r for r in pipeline.grade(course, [ASSIGNMENT], scheduler=address, progress=False,
                                                       limits=limits, feedback=False)}
    killer.join(timeout=5)
    assert doomed.poll() is not None, "a worker was killed during the run"
    assert all(r.status is report.Status.GRADED for r in on_cluster.values()), \
        report.format_summary(list(on_cluster.values()), 0)
    test_cell = "tiny-double-test"  # the tiny course is deterministic: its scores are known
    expected = {student: {test_cell: (tiny.POINTS if answers is tiny.REFERENCE else 0, tiny.POINTS)}
                for student, answers in STUDENTS}
    assert {s: r.cells for s, r in on_cluster.items()} == expected
