"""``grade``: every submission of ``submitted/<student>/<assignment>/``, from its folder to ``grades.csv``.

The steps, each in its own module, in the order the data flows:

1. ``coursedir``: the course directory, its nbgrader configuration and the limits;
2. ``record.NbGrader.generate_assignment``: the gradebook knows each assignment's cells;
3. ``submissions``: check each submission, sanitise it as ``nbgrader autograde`` does, flag it;
4. ``execute``: run the notebooks in parallel on Dask, each in a fresh sandboxed kernel;
5. ``record``: the real ``nbgrader autograde`` records the executed notebooks (``ReplayExecute``),
   then ``generate_feedback`` writes the feedback (``feedback.HideHiddenTests``);
6. ``report``: the results, ``grades.csv`` and the summary.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nbformat

from course.grader import execute, record, sandbox, submissions
from course.grader.coursedir import REPO_ROOT, Limits, assignments, submitted_students
from course.grader.report import Result, write_csv


def bwrap_missing_message():
    return ("bubblewrap (`bwrap`) is not installed, so student code cannot be sandboxed. Install it "
            "(Debian/Ubuntu: `apt-get install bubblewrap`) or pass --no-sandbox to grade without it.")


def _prepare(root, name, nbgrader, limits):
    """Step 3 for one assignment: a ``Result`` per submission, and the jobs of those that can run."""
    results, jobs = [], []
    for student in submitted_students(root, name):
        result = Result(student, name)
        results.append(result)
        try:
            path = submissions.check(root, name, student)
            notebook = submissions.sanitise(nbgrader.config, nbgrader.coursedir.db_url, name, student, path)
        except submissions.Unusable as problem:
            result.fail(str(problem))
            continue
        except Exception as error:  # noqa: BLE001 - nbgrader refuses some notebooks
            result.fail(f"nbgrader cannot process this notebook ({type(error).__name__}: {error})"[:300])
            continue
        result.flags = submissions.flags(root, name, path)
        jobs.append(execute.Job(name, student, path.stem, nbformat.writes(notebook), limits))
    return results, jobs


def _keep_executed(replay_dir, job, executed, report, result):
    """Step 4's outcome for one submission: notes and flags, and the notebook for ``ReplayExecute``."""
    result.seconds = report.seconds
    if executed is None:
        result.fail(f"could not be executed: {report.reason}")
        return
    notebook = nbformat.reads(executed, as_version=4)
    result.note = "; ".join(execute.runtime_notes(notebook, report, job.limits))
    result.flags += execute.runtime_flags(notebook, report)
    target = record.replay_path(replay_dir, job.assignment, job.student, job.notebook)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(target))


def grade(root=REPO_ROOT, names=None, workers=None, scheduler=None, limits=None, feedback=True,
          progress=True, csv_path=None):
    """Grade every submission of ``names`` (default: all assignments); return the ``report.Result``s."""
    root = Path(root).resolve()
    names = names or assignments(root)
    limits = limits or Limits()
    if limits.sandbox and not sandbox.bwrap_available():
        raise RuntimeError(bwrap_missing_message())
    limits.hidden = limits.hidden or [str(root)]
    workers = workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="course-replay-") as replay_dir:
        nbgrader = record.NbGrader(root, replay_dir=replay_dir)
        by_assignment, jobs = {}, []
        for name in names:
            nbgrader.generate_assignment(name)
            by_assignment[name], assignment_jobs = _prepare(root, name, nbgrader, limits)
            jobs += assignment_jobs
        results = {r.key: r for rs in by_assignment.values() for r in rs}
        for job, executed, report in execute.execute_all(jobs, workers, scheduler, progress):
            _keep_executed(replay_dir, job, executed, report, results[(job.student, job.assignment)])
        for name, assignment_results in by_assignment.items():
            if not assignment_results:
                continue
            log = nbgrader.autograde(name)
            if feedback:
                nbgrader.generate_feedback(name)
            record.read_gradebook(nbgrader.coursedir.db_url, root, assignment_results, log)
    ordered = [r for rs in by_assignment.values() for r in rs]
    write_csv(ordered, csv_path or root / "grades.csv")
    return ordered

