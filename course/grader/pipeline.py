"""``grade``: every submission of ``submitted/<student>/<assignment>/``, from its folder to ``grades.csv``.

The steps, each in its own module, in the order the data flows:

1. ``coursedir``: the course directory, its nbgrader configuration and the limits;
2. ``release``: nbgrader generates each assignment (``record.NbGrader.generate_assignment``), so the
   gradebook knows its cells;
3. ``submissions``: check each submission, sanitise it as ``nbgrader autograde`` does, flag it;
4. ``execute``: run the notebooks in parallel on Dask, each in a fresh sandboxed kernel (after a
   pre-flight run of a tiny notebook through the same sandbox and kernel);
5. ``record``: the real ``nbgrader autograde`` records the executed notebooks
   (``preprocessors.ReplayExecute``), then ``generate_feedback`` writes the feedback
   (``preprocessors.HideHiddenTests``);
6. ``report``: the results, ``grades.csv`` and the summary.

``state`` remembers what each run executed and recorded, so a second run (after a crash, or with
new submissions) grades only what is new, changed or not graded. The time limits not given are
set from a run of each assignment's instructor notebook in the same sandbox (``Limits.from_reference``).

A fault of the grader at any step (sanitising, the kernel's start, a cell's execution, reading its
outputs, a lost worker, nbgrader's recording or feedback, the resume state, ``grades.csv``) never
becomes a grade: the submissions concerned are ``NOT_GRADED``, with the original error in the
reason, no score in ``grades.csv`` and nothing of them left in the gradebook by this run
(``graders_fault``; the instructor guide has the table, ``grader_tests/test_faults.py`` the injections).
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import nbformat

from course.grader import execute, preprocessors, record, sandbox, state, submissions
from course.grader.coursedir import REPO_ROOT, Limits, assignments, notebook_path, submitted_students
from course.grader.report import write_csv
from course.grader.result import Result, Status


def bwrap_missing_message():
    return ("bubblewrap (`bwrap`) is not installed, so student code cannot be sandboxed. Install it "
            "(Debian/Ubuntu: `apt-get install bubblewrap`) or pass --no-sandbox to grade without it.")


class GraderFault(RuntimeError):
    """The grader cannot work on this machine; nothing was graded."""


class LayoutError(GraderFault):
    """The course directory holds nothing to grade for the assignments asked for: the message shows
    the expected layout and what was found instead."""


EXPECTED_LAYOUT = "submitted/<student>/<assignment>/<assignment>.ipynb"


def check_layout(root, names):
    """Raise ``LayoutError`` (before any kernel starts) for an unknown assignment, or when none of
    ``names`` has a submission; name misfiled notebooks when there are some."""
    known = assignments(root)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise LayoutError(f"unknown assignment {', '.join(unknown)}: {Path(root) / 'source'} has "
                          f"{', '.join(known) or 'none'}")
    if any(submitted_students(root, name) for name in names):
        return
    found = _notebooks_in(Path(root) / "submitted")
    seen = f"notebooks found instead: {', '.join(found)}" if found else f"{Path(root) / 'submitted'} is empty or missing"
    raise LayoutError(f"no submission of {', '.join(names)} to grade. Expected {EXPECTED_LAYOUT} "
                      f"(e.g. submitted/ann/{names[0]}/{names[0]}.ipynb; `nbgrader collect` or `zip_collect` "
                      f"write this layout); {seen}.")


def _notebooks_in(folder, at_most=5):
    """The first notebooks under ``folder``, as paths relative to its parent."""
    if not folder.is_dir():
        return []
    found = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return [str(p.relative_to(folder.parent)) for p in found[:at_most]]


PREFLIGHT_CELL = "import course.checks, numpy\nprint('pre-flight', int(numpy.int64(6) * 7))"


# The sandbox configurations whose pre-flight passed in this process (see `preflight`).
_PASSED_PREFLIGHTS = set()


def _preflight_key(limits):
    return limits.sandbox, limits.memory_mb, limits.threads, sys.executable


def preflight(limits):
    """Run a tiny notebook through the exact sandbox and kernel path; raise ``GraderFault`` if it fails.
    It runs once per process and sandbox configuration (memory, threads, Python): a program that
    grades many course directories (the test suite) does not start the same pre-flight kernel each
    time. A fault of the sandbox after it passed still never becomes a grade: it makes the
    submissions concerned "not graded"."""
    if _preflight_key(limits) in _PASSED_PREFLIGHTS:
        return
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PREFLIGHT_CELL)])
    try:
        report = sandbox.execute(notebook, limits)
    except Exception as error:  # noqa: BLE001 - turned into an actionable message
        report = sandbox.Report(sandbox.RunStatus.COULD_NOT_START, f"{type(error).__name__}: {error}")
    printed = "".join(o.get("text", "") for o in notebook.cells[0].get("outputs", []))
    if report.status is sandbox.RunStatus.COMPLETED and "pre-flight 42" in printed:
        _PASSED_PREFLIGHTS.add(_preflight_key(limits))
        return
    errors = [f"{o.ename}: {o.evalue}" for o in notebook.cells[0].get("outputs", []) if o.output_type == "error"]
    how = ("bubblewrap must be able to create user namespaces (try `bwrap --ro-bind / / true`), "
           "or grade with --no-sandbox" if limits.sandbox else "check the Python environment of the grader")
    raise GraderFault("the pre-flight notebook did not run in the grading sandbox, so nothing was graded "
                      f"({report.status.value}: {(report.reason or '; '.join(errors) or printed).strip()[:600]}). "
                      f"Fix: {how}; the memory limit is {limits.memory_mb} MB.")


def _prepare(root, name, nbgrader, limits, done, force):
    """Step 3 for one assignment: a ``Result`` per submission, and the jobs of those that must run
    (not those an earlier run executed or recorded, unless ``force``)."""
    results, jobs = [], []
    for student in submitted_students(root, name):
        result = Result(student, name)
        results.append(result)
        try:
            path = submissions.check(root, name, student)
            notebook = submissions.sanitise(nbgrader.config, nbgrader.coursedir.db_url, name, student, path)
        except submissions.Unusable as problem:  # the submission's fault
            result.fail(str(problem))
            continue
        except Exception as error:  # noqa: BLE001 - the gradebook, the disk, our code: the grader's fault
            result.not_graded(graders_fault("preparing it", error))
            continue
        result.fingerprint = state.fingerprint(path, notebook_path(root, "source", name))
        earlier = None if force else done.stage(result, result.fingerprint)
        if earlier == state.EXECUTED and not preprocessors.replay_path(done.replay_dir, name, student, path.stem).is_file():
            earlier = None  # the kept executed notebook is gone (`make clean`): run it again
        if earlier == state.RECORDED and not (Path(root) / "autograded" / student / name).is_dir():
            earlier = None  # nbgrader's output is gone: record it again
        if earlier:
            for field_name, value in done.earlier(result.assignment, result.student).items():
                setattr(result, field_name, value)
            result.kept = earlier
            continue
        result.flags = submissions.flags(root, name, path)
        jobs.append(execute.Job(name, student, path.stem, nbformat.writes(notebook), limits))
    return results, jobs


def _keep_executed(replay_dir, job, executed, report, result):
    """Step 4's outcome for one submission: notes and flags, and the notebook for ``ReplayExecute``."""
    result.seconds = report.seconds
    if executed is None or report.status.graders_fault:
        result.not_graded(f"the grading kernel could not run it: {report.reason}"[:400])
        return
    notebook = nbformat.reads(executed, as_version=4)
    result.note = "; ".join(execute.runtime_notes(notebook, report, job.limits))
    result.flags += execute.runtime_flags(notebook, report)
    target = preprocessors.replay_path(replay_dir, job.assignment, job.student, job.notebook)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, str(target))
    except OSError as error:  # a full disk, for example
        result.not_graded(f"the grader could not keep the executed notebook ({error})")


def _record(nbgrader, root, results, feedback, done):
    """Step 5 for one assignment: nbgrader records what ran in this run (and what an earlier run
    executed but did not record); everything is read back from the gradebook. A fault here (nbgrader,
    the gradebook, the feedback, the resume state) makes the submissions concerned ``NOT_GRADED``:
    what this run added to the gradebook for them is taken out again, and the next run records them."""
    to_record = [r for r in results if r.status is not Status.NOT_GRADED and r.kept != state.RECORDED]
    skipped = [r.student for r in results if r not in to_record]
    db_url, assignment = nbgrader.coursedir.db_url, results[0].assignment
    new_in_gradebook = record.not_in_gradebook(db_url, assignment, [r.student for r in to_record])
    log = ""
    try:
        if to_record:
            log = nbgrader.autograde(assignment, exclude=skipped)
        waiting = [r for r in results if r.status is not Status.NOT_GRADED]
        recorded = record.recorded_scores(db_url, root, assignment, [r.student for r in waiting], log)
        for result in waiting:
            result.take_recorded(recorded[result.student])
        if to_record and feedback:
            _generate_feedback(nbgrader, root, assignment, skipped, to_record)
    except Exception as error:  # noqa: BLE001 - nbgrader, the gradebook, our code: the grader's fault
        for result in to_record:
            if result.status is not Status.NOT_GRADED:
                result.not_graded(graders_fault("recording it with nbgrader", error))
    recorded = [r for r in to_record if r.status is Status.GRADED and r.fingerprint]
    for result in recorded:
        done.mark(result, result.fingerprint, state.RECORDED)
    _save_state(done, recorded, "saving its resume state after recording", fall_back_to=state.EXECUTED)
    record.forget(db_url, assignment, [r.student for r in to_record
                                       if r.status is Status.NOT_GRADED and r.student in new_in_gradebook])
    return {r.key for r in to_record if r.status is not Status.NOT_GRADED and r.student in new_in_gradebook}


def _generate_feedback(nbgrader, root, assignment, skipped, recorded):
    """nbgrader's feedback for ``recorded``; a submission whose feedback page is missing afterwards is
    not graded (with the reason nbgrader logged)."""
    log = nbgrader.generate_feedback(assignment, exclude=skipped)
    for result in recorded:
        if result.status is Status.GRADED and not (Path(root) / "feedback" / result.student / assignment).is_dir():
            result.not_graded("the grader could not write its feedback: " + record.failure_reason(log, result.student))


def _save_state(done, results, step, fall_back_to=None):
    """Save ``grading-state.json``; if that fails, ``results`` (whose progress it was to keep) are not
    graded, and in memory go back to ``fall_back_to`` (or are forgotten) so a later save is not wrong."""
    try:
        done.save()
    except Exception as error:  # noqa: BLE001 - a full disk, a read-only folder: the grader's fault
        for result in results:
            result.not_graded(graders_fault(step, error))
            done.unmark(result, fall_back_to)


def graders_fault(step, error):
    """The reason of a ``NOT_GRADED`` result: the step and the original exception."""
    first_line = (str(error).splitlines() or [""])[0]
    return f"the grader failed while {step} ({type(error).__name__}: {first_line})"[:400]


CSV_NOT_WRITTEN = "writing grades.csv"


def _write_grades(results, path, done, db_url, added):
    """Step 6: ``grades.csv``. If it cannot be written, no submission got its grade: all are not
    graded, what this run ``added`` to the gradebook is taken out again, and what it recorded is
    kept as executed, so the next run records it again."""
    try:
        write_csv(results, path)
    except Exception as error:  # noqa: BLE001 - the disk, the permissions: the grader's fault
        for result in results:
            if result.kept != state.RECORDED and result.status is Status.GRADED and result.fingerprint:
                done.unmark(result, state.EXECUTED)
            result.not_graded(graders_fault(CSV_NOT_WRITTEN, error))
        for assignment in {a for _, a in added}:
            record.forget(db_url, assignment, [student for student, a in added if a == assignment])
        try:
            done.save()
        except Exception:  # noqa: BLE001 - already reported: the state then still says what ran
            pass


def _limits_from_references(client, root, names, limits, done, progress):
    """``{assignment: Limits}``: the time limits not given, from a run of the instructor's notebook in
    the same sandbox (``Limits.from_reference``), measured once per version of that notebook."""
    if limits.cell_timeout and limits.notebook_timeout:
        return {name: replace(limits, basis="given") for name in names}
    timings, jobs = {}, []
    for name in sorted(names):
        source = notebook_path(root, "source", name)
        key = state.fingerprint(source, source)
        timings[name] = done.reference(name, key)
        if timings[name] is None:  # run as its student runs it, the experiments at full size (not
            # `smaller_while_grading`'s smaller one): the limits leave room for a submission that runs them in full
            jobs.append(execute.Job(name, "reference run", name, source.read_text(), replace(limits, basis=""),
                                    execution=None))
    for job, executed, report in execute.execute_all(client, jobs, progress, label="timing the references"):
        if executed is not None and report.status is sandbox.RunStatus.COMPLETED:
            timings[job.assignment] = execute.reference_timing(executed)
            done.set_reference(job.assignment, state.fingerprint(notebook_path(root, "source", job.assignment),
                                                                 notebook_path(root, "source", job.assignment)),
                               timings[job.assignment])
    done.save()
    return {name: limits.from_reference(*timings[name]) if timings[name] else
            replace(limits.effective(), basis="the reference run did not complete: the fallback limits")
            for name in names}


def _execute(root, jobs, results, limits, done, workers, scheduler, progress, run_job):
    """Step 4 on ``workers`` processes (never more than there are jobs) or on the cluster at
    ``scheduler``: the limits, then every job, each kept as soon as it is done."""
    with execute.cluster(workers, scheduler) as client:
        per_assignment = _limits_from_references(client, root, {job.assignment for job in jobs}, limits, done,
                                                 progress)
        for job in jobs:
            job.limits = per_assignment[job.assignment]
            results[(job.student, job.assignment)].limits = job.limits.describe()
        for job, executed, report in execute.execute_all(client, jobs, progress, run_job):
            result = results[(job.student, job.assignment)]
            _keep_executed(done.replay_dir, job, executed, report, result)
            if result.status is not Status.NOT_GRADED:
                done.mark(result, result.fingerprint, state.EXECUTED)
                _save_state(done, [result], "saving its resume state after running it", fall_back_to=state.EXECUTED)


def grade(root=REPO_ROOT, names=None, workers=None, scheduler=None, limits=None, feedback=True,
          progress=True, csv_path=None, run_job=execute.run_job, force=False):
    """Grade every submission of ``names`` (default: all assignments); return the ``result.Result``s.

    What an earlier run recorded (the same submission and instructor notebook) is kept as it is,
    manual grades and feedback included, and what it executed is not run again (``state``);
    ``force=True`` grades everything again. Raises ``LayoutError`` when there is nothing to grade and
    ``GraderFault`` when the sandbox or the kernel cannot work, both before anything is graded.
    ``run_job`` runs one job on a worker (the tests pass one that injects faults).
    """
    root = Path(root).resolve()
    names = names or assignments(root)
    check_layout(root, names)
    limits = limits or Limits()
    if limits.sandbox and not sandbox.bwrap_available():
        raise GraderFault(bwrap_missing_message())
    limits.hidden = limits.hidden or [str(root)]
    workers = workers or os.cpu_count() or 1
    if any(submitted_students(root, name) for name in names):
        preflight(limits)
    done = state.GradingState(root)
    nbgrader = record.NbGrader(root, replay_dir=done.replay_dir)
    by_assignment, jobs = {}, []
    for name in names:
        nbgrader.generate_assignment(name)
        by_assignment[name], assignment_jobs = _prepare(root, name, nbgrader, limits, done, force)
        jobs += assignment_jobs
    results = {r.key: r for rs in by_assignment.values() for r in rs}
    if jobs:  # no worker is started when an earlier run did everything
        _execute(root, jobs, results, limits, done, min(workers, len(jobs)), scheduler, progress, run_job)
    added = set()  # (student, assignment) this run added to the gradebook
    for assignment_results in by_assignment.values():
        if assignment_results:
            added |= _record(nbgrader, root, assignment_results, feedback, done)
    ordered = [r for rs in by_assignment.values() for r in rs]
    _write_grades(ordered, csv_path or root / "grades.csv", done, nbgrader.coursedir.db_url, added)
    return ordered
