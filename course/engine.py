"""Cohort grading: parallel, observable and safe, with nbgrader's gradebook and folders.

``python -m course grade`` grades every submission of ``submitted/<student>/<assignment>/`` in
four steps:

1. **Check** each submission: a notebook with the expected name, valid JSON and nbformat, cells of
   this assignment. A submission that fails is not executed and is reported with the reason.
2. **Sanitise** it exactly as ``nbgrader autograde`` does (nbgrader's own preprocessors: outputs
   cleared, read-only and test cells restored from the gradebook) and flag read-only cells the
   student edited or deleted, and code that touches the grading machinery (``tamper_flags``).
3. **Execute** the notebooks in parallel on a Dask cluster (a local one with a worker per core by
   default, or ``--scheduler ADDRESS``), each in a fresh sandboxed kernel with time, memory and
   output limits (``course.sandbox``). A progress bar shows counts and the time left.
4. **Record** the grades with the real ``nbgrader autograde``, whose execute step is replaced by
   ``ReplayExecute``: it takes the outputs computed in step 3 (after checking that the cells are
   the same), so nbgrader's own code computes the scores, writes the gradebook (one writer, any
   SQLAlchemy URL nbgrader accepts) and the ``autograded/`` notebooks. Feedback follows with
   ``nbgrader generate_feedback`` (hidden tests removed, see ``course.feedback``).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from course import grading, sandbox

TAMPER_PATTERNS = [
    (r"\b__builtins__\b|\bimport\s+builtins\b|\bfrom\s+builtins\b", "touches the builtins"),
    (r"\bsys\.modules\b|\bimportlib\b|__import__", "manipulates imports"),
    (r"^\s*(np|numpy|torch|math|F|nn|checks|course|plt)(\.\w+)+\s*=[^=]", "assigns to an attribute of a library"),
    (r"\b(setattr|delattr)\s*\(|\bvars\s*\(\s*\w+\s*\)\s*\[|\.__dict__\b", "rewrites the attributes of objects or modules"),
    (r"\b(gc|ctypes|inspect)\.|\bsys\._getframe\b|\bf_globals\b|\bf_back\b", "inspects interpreter internals"),
    (r"\b(subprocess|os\.system|os\.popen|os\.exec\w*|os\.kill|os\._exit|sys\.exit|exit\(|quit\()",
     "starts programs or ends the kernel"),
    (r"\bopen\s*\(|\bos\.(listdir|walk|scandir|remove|unlink|chdir)\b|\bshutil\b|\bglob\b|\bPath\s*\(",
     "reads or writes files"),
    (r"\bsignal\.|\bsys\.(settrace|setprofile|addaudithook)\b", "changes signal handlers or tracing"),
    (r"\bget_ipython\b|\.events\.(un)?register\b", "rewires the IPython kernel"),
    (r"\bexec\s*\(|\beval\s*\(|\bcompile\s*\(", "runs code indirectly"),
    (r"def\s+__(eq|ne|lt|le|gt|ge|float|int|bool|array\w*|len|abs|sub|rsub|getattr\w*)__\s*\(",
     "defines an object with its own comparison or conversion"),
]


@dataclass
class Job:
    """One notebook to execute: everything a (possibly remote) worker needs."""

    assignment: str
    student: str
    notebook: str       # file name stem
    source: str         # the sanitised notebook as JSON text
    limits: sandbox.Limits


@dataclass
class Outcome:
    """What happened to one submission, beyond its score."""

    student: str
    assignment: str
    problem: str = ""            # why it could not be graded (empty when it was)
    note: str = ""               # e.g. the time limit was reached; remaining cells earned nothing
    flags: list = field(default_factory=list)
    seconds: float = 0.0


# --------------------------------------------------------------------------------------------
# Step 1 and 2: check and sanitise
# --------------------------------------------------------------------------------------------

def load_config(root):
    """The course's nbgrader configuration and its CourseDirectory (for the gradebook URL)."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config_file = Path(root) / grading.CONFIG_FILE
    config = PyFileConfigLoader(config_file.name, path=str(root)).load_config() if config_file.is_file() else Config()
    return config, CourseDirectory(config=config, root=str(Path(root).resolve()))


def _grade_ids(notebook, **wanted):
    return [c.metadata["nbgrader"]["grade_id"] for c in notebook.cells
            if "grade_id" in c.metadata.get("nbgrader", {})
            and all(c.metadata["nbgrader"].get(k, False) == v for k, v in wanted.items())]


def check_submission(root, assignment, student):
    """``(notebook path, problem)``: the notebook to grade, or why there is none to grade."""
    folder = Path(root) / "submitted" / student / assignment
    expected = folder / f"{assignment}.ipynb"
    if not expected.is_file():
        others = sorted(p.name for p in folder.glob("*.ipynb"))
        if others:
            return None, f"wrong file name: submitted {', '.join(others)}, expected {expected.name}"
        return None, f"no notebook submitted (expected {expected.name})"
    try:
        notebook = nbformat.read(str(expected), as_version=4)
        nbformat.validate(notebook)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return None, f"not a valid notebook file (broken JSON: {error})"[:300]
    except Exception as error:  # noqa: BLE001 - nbformat raises several kinds
        return None, f"not a valid notebook file ({type(error).__name__}: {str(error).splitlines()[0]})"[:300]
    release = nbformat.read(str(grading.notebook_path(root, "release", assignment)), as_version=4)
    ours, theirs = set(_grade_ids(release)), set(_grade_ids(notebook))
    if ours and not ours & theirs:
        return None, "this notebook belongs to another assignment (none of its cells are from " + assignment + ")"
    return expected, ""


def edited_locked_cells(root, assignment, notebook):
    """Flags for read-only cells the student changed or deleted (nbgrader restores or zeroes them)."""
    release = nbformat.read(str(grading.notebook_path(root, "release", assignment)), as_version=4)
    theirs = grading.cells_by_grade_id(notebook)
    flags = []
    for grade_id, cell in grading.cells_by_grade_id(release).items():
        meta = cell.metadata["nbgrader"]
        if not (meta.get("locked") or meta.get("grade")) or meta.get("solution"):
            continue
        if grade_id not in theirs:
            flags.append(f"deleted read-only cell {grade_id}")
        elif theirs[grade_id].source.strip() != cell.source.strip():
            flags.append(f"edited read-only cell {grade_id} (the instructor's version was graded)")
    return flags


def sanitise(config, db_url, assignment, student, path):
    """The notebook as nbgrader autograde's sanitising preprocessors leave it."""
    from nbgrader.converters import Autograde

    notebook = nbformat.read(str(path), as_version=4)
    resources = {"nbgrader": {"student": student, "assignment": assignment, "notebook": Path(path).stem,
                              "db_url": db_url}}
    for preprocessor_class in Autograde.sanitize_preprocessors.default():
        preprocessor = preprocessor_class(config=config)
        if preprocessor.enabled:
            notebook, resources = preprocessor.preprocess(notebook, resources)
    return notebook


def student_code(notebook):
    """The cells a student writes: solution cells and cells they added."""
    return [c.source for c in notebook.cells if c.cell_type == "code"
            and (c.metadata.get("nbgrader", {}).get("solution") or "grade_id" not in c.metadata.get("nbgrader", {}))]


def tamper_flags(sources):
    """Reasons to review a submission by hand, from the code the student wrote."""
    flags = []
    for pattern, reason in TAMPER_PATTERNS:
        if any(re.search(pattern, source, flags=re.M) for source in sources):
            flags.append(f"code {reason}")
    return flags


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
    notes = [report.reason] if report.status != "completed" else []
    errors = _error_names(executed)
    if "CellTimeoutError" in errors:
        notes.append(f"a cell ran longer than {limits.cell_timeout} s and was stopped")
    if "MemoryError" in errors:
        notes.append(f"a cell ran out of memory (limit {limits.memory_mb} MB)")
    if any("[grader: output cut" in o.get("text", "") for c in executed.cells if c.cell_type == "code"
           for o in c.outputs if o.output_type == "stream"):
        notes.append(f"a cell printed more than {limits.max_output_bytes} bytes; the rest was cut")
    return notes


# --------------------------------------------------------------------------------------------
# Step 3: execute (runs on a Dask worker)
# --------------------------------------------------------------------------------------------

def run_job(job: Job):
    """Execute one sanitised notebook; return ``(executed JSON or None, report)``. Never raises."""
    notebook = nbformat.reads(job.source, as_version=4)
    try:
        report = sandbox.execute(notebook, job.limits)
    except Exception as error:  # noqa: BLE001 - a broken job must not stop the run
        return None, sandbox.Report(status="could not start", reason=f"{type(error).__name__}: {error}"[:300])
    return nbformat.writes(notebook), report


# --------------------------------------------------------------------------------------------
# Step 4: nbgrader records the grades from the executed notebooks
# --------------------------------------------------------------------------------------------

class ReplayExecute(NbGraderPreprocessor):
    """nbgrader's execute step, replaced: copy the outputs of the notebook executed by a worker."""

    replay_dir = Unicode("", help="folder of <assignment>/<student>/<notebook>.ipynb executed notebooks"
                         ).tag(config=True)

    def preprocess(self, nb, resources):
        meta = resources["nbgrader"]
        path = Path(self.replay_dir) / meta["assignment"] / meta["student"] / f"{meta['notebook']}.ipynb"
        if not path.is_file():
            raise RuntimeError(f"no executed notebook for {meta['student']}/{meta['notebook']} "
                               "(the submission was not executed: see the grading summary)")
        executed = nbformat.read(str(path), as_version=4)
        if [(c.cell_type, c.source) for c in nb.cells] != [(c.cell_type, c.source) for c in executed.cells]:
            raise RuntimeError(f"the executed notebook of {meta['student']} does not match the submission")
        for cell, done in zip(nb.cells, executed.cells):
            if cell.cell_type == "code":
                cell.outputs = done.outputs
                cell.execution_count = done.execution_count
        return nb, resources


class NbGrader:
    """nbgrader's own converters, run in this process through ``NbGraderAPI``.

    One process for the whole run instead of one ``nbgrader`` command per step and assignment:
    importing nbgrader alone takes about 5 s, three steps per assignment.
    """

    def __init__(self, root, replay_dir=None):
        from nbgrader.apps import NbGraderAPI
        from nbgrader.converters import Autograde
        from nbgrader.preprocessors import Execute

        config, coursedir = load_config(root)
        if replay_dir is not None:
            config.Autograde.autograde_preprocessors = [
                "course.engine.ReplayExecute" if cls is Execute else f"{cls.__module__}.{cls.__name__}"
                for cls in Autograde.autograde_preprocessors.default()]
            config.ReplayExecute.replay_dir = str(replay_dir)
        self.api = NbGraderAPI(coursedir=coursedir, config=config)

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
            raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n{outcome['log']}\n{outcome['error']}")

    def autograde(self, name):
        """Record every submission of ``name`` (the replayed outputs); return nbgrader's log."""
        outcome = self._run("autograde", name, "*", force=True, create=True)
        return f"{outcome['log']}\n{outcome['error']}"

    def generate_feedback(self, name):
        self._run("generate_feedback", name, force=True)


# --------------------------------------------------------------------------------------------
# The whole run
# --------------------------------------------------------------------------------------------

def bwrap_missing_message():
    return ("bubblewrap (`bwrap`) is not installed, so student code cannot be sandboxed. Install it "
            "(Debian/Ubuntu: `apt-get install bubblewrap`) or pass --no-sandbox to grade without it.")


def _client(workers, scheduler):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           memory_limit=0, silence_logs=logging.ERROR)
    return Client(cluster), cluster


def _execute_all(jobs, workers, scheduler, progress):
    """Run every job on Dask; yield ``(job, executed JSON, report)`` as they finish."""
    from dask.distributed import as_completed
    from tqdm.auto import tqdm

    if not jobs:
        return
    client, cluster = _client(workers, scheduler)
    try:
        futures = {client.submit(run_job, job, pure=False, key=f"grade-{job.assignment}-{job.student}-{i}"): job
                   for i, job in enumerate(jobs)}
        with tqdm(total=len(jobs), unit="notebook", desc="grading", disable=not progress,
                  file=sys.stderr, dynamic_ncols=True) as bar:
            for future in as_completed(futures):
                job = futures[future]
                try:
                    executed, report = future.result()
                except Exception as error:  # noqa: BLE001 - a lost worker, for example
                    executed, report = None, sandbox.Report(status="could not start",
                                                            reason=f"worker failed: {error}"[:300])
                bar.update(1)
                bar.set_postfix_str(f"{job.student}/{job.assignment}", refresh=False)
                yield job, executed, report
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _prepare_jobs(root, names, nbgrader, config, coursedir, limits):
    """Generate each assignment, check and sanitise each submission: ``(jobs, outcomes)``."""
    outcomes, jobs = {}, []
    for name in names:
        nbgrader.generate_assignment(name)
        for student in grading.submitted_students(root, name):
            outcome = outcomes[(student, name)] = Outcome(student, name)
            path, outcome.problem = check_submission(root, name, student)
            if path is None:
                continue
            try:
                notebook = sanitise(config, coursedir.db_url, name, student, path)
            except Exception as error:  # noqa: BLE001 - nbgrader refuses some notebooks
                outcome.problem = f"nbgrader cannot process this notebook ({type(error).__name__}: {error})"[:300]
                continue
            submitted = nbformat.read(str(path), as_version=4)
            outcome.flags = edited_locked_cells(root, name, submitted) + tamper_flags(student_code(submitted))
            jobs.append(Job(name, student, path.stem, nbformat.writes(notebook), limits))
    return jobs, outcomes


def _keep_executed(replay, job, executed, report, outcome, limits):
    """Note what happened to one executed notebook and keep it for nbgrader's ``ReplayExecute``."""
    outcome.seconds = report.seconds
    if executed is None:
        outcome.problem = f"could not be executed: {report.reason}"
        return
    executed_nb = nbformat.reads(executed, as_version=4)
    outcome.note = "; ".join(runtime_notes(executed_nb, report, limits))
    outcome.flags += runtime_flags(executed_nb, report)
    target = replay / job.assignment / job.student / f"{job.notebook}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed_nb, str(target))


def grade(root=grading.REPO_ROOT, names=None, workers=None, scheduler=None, limits=None, feedback=True,
          progress=True, csv_path=None):
    """Grade every submission of ``names`` (default: all assignments); return ``(results, outcomes)``.

    ``results`` are ``grading.Result``s read back from the gradebook; ``outcomes`` maps
    ``(student, assignment)`` to an ``Outcome`` (problem, note, flags, execution time).
    """
    root = Path(root).resolve()
    names = names or grading.assignments(root)
    limits = limits or sandbox.Limits()
    if limits.sandbox and not sandbox.bwrap_available():
        raise RuntimeError(bwrap_missing_message())
    limits.hidden = limits.hidden or [str(root)]
    workers = workers or os.cpu_count() or 1
    config, coursedir = load_config(root)
    with tempfile.TemporaryDirectory(prefix="course-replay-") as replay:
        nbgrader = NbGrader(root, replay_dir=replay)
        jobs, outcomes = _prepare_jobs(root, names, nbgrader, config, coursedir, limits)
        for job, executed, report in _execute_all(jobs, workers, scheduler, progress):
            _keep_executed(Path(replay), job, executed, report, outcomes[(job.student, job.assignment)], limits)
        results = []
        for name in names:
            students = grading.submitted_students(root, name)
            if not students:
                continue
            log = nbgrader.autograde(name)
            if feedback:
                nbgrader.generate_feedback(name)
            results += grading._read_gradebook(root, name, students, log)
    for result in results:
        outcome = outcomes[(result.student, result.assignment)]
        if outcome.problem:
            result.status = "failed: " + outcome.problem
            result.score = result.auto_score = 0.0
            result.cells = {k: (0.0, m) for k, (_, m) in result.cells.items()}
    grading.write_csv(results, csv_path or root / "grades.csv")
    return results, outcomes


def format_summary(results, outcomes, seconds):
    """The end-of-run summary: counts, failures with reasons, notes and flags for review."""
    failed = [r for r in results if r.status.startswith("failed")]
    lines = [f"Graded {len(results) - len(failed)} of {len(results)} submission(s) in {seconds:.1f} s"
             + (f"; {len(failed)} could not be graded:" if failed else ".")]
    lines += [f"  {r.student}/{r.assignment}: {r.status[len('failed: '):]}" for r in failed]
    notes = [o for o in outcomes.values() if o.note]
    if notes:
        lines.append("Graded with a note:")
        lines += [f"  {o.student}/{o.assignment}: {o.note}" for o in notes]
    flagged = [o for o in outcomes.values() if o.flags]
    if flagged:
        lines.append(f"Flagged for manual review ({len(flagged)}):")
        for o in flagged:
            lines.append(f"  {o.student}/{o.assignment}: " + "; ".join(o.flags))
    timed = [o.seconds for o in outcomes.values() if o.seconds]
    if timed:
        lines.append(f"Notebook execution: {sum(timed):.1f} s in total, {sum(timed) / len(timed):.1f} s on average.")
    return "\n".join(lines)
