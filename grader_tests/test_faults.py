"""No wrong zero: a fault of the grader is reported as "not graded", never written as a grade;
the grader works wherever the course and its Python live (under /tmp, with spaces); nothing an
instructor owns is deleted."""

import csv
import logging
import os
import shutil
import subprocess
import sys
import sysconfig
import threading
import time
import venv

import pytest

from course.grader import cli, coursedir, execute, pipeline, report, sandbox, state
from course.grader.coursedir import Limits
import faults
import tiny

ROOT = coursedir.REPO_ROOT
ASSIGNMENT = tiny.ASSIGNMENT
LIMITS = Limits(cell_timeout=60, notebook_timeout=120)
# The injected faults of the grader, and words of the reason each must give.
FAULTS = {faults.KERNEL_FAILS: "could not start", faults.WORKER_DIES: "worker lost",
          faults.EXECUTION_FAILS: f"ConnectionError: {faults.INJECTED}: sending a cell",
          faults.READING_FAILS: f"ValueError: {faults.INJECTED}: reading the outputs",
          faults.DATABASE_LOCKED: f"database is locked ({faults.INJECTED})",
          faults.REPLAY_FAILS: f"OSError: {faults.INJECTED}: replaying the outputs",
          faults.FEEDBACK_FAILS: f"OSError: {faults.INJECTED}: writing the feedback"}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Submissions in a course directory with spaces in its path and the gradebook elsewhere
    (nbgrader's `CourseDirectory.db_url`): an honest one, one per fault of the grader injected at a
    step (`faults.py`: sanitising, the kernel's start, a cell's execution, reading its outputs, the
    worker, nbgrader's recording, the feedback) and a broken file (the student's own fault)."""
    base = tmp_path_factory.mktemp("faults")
    course = tiny.new_course(base / "a course dir")
    database = base / "elsewhere" / "grades of term 1.db"
    database.parent.mkdir()
    with open(course / coursedir.CONFIG_FILE, "a") as config:
        config.write(f"\nc.CourseDirectory.db_url = {('sqlite:///' + str(database))!r}\n")
    for student in ("honest", *FAULTS):
        tiny.submit(course, student, tiny.REFERENCE)
    broken = coursedir.notebook_path(course / "submitted" / "broken", "", ASSIGNMENT)
    broken.parent.mkdir(parents=True)
    broken.write_text('{"cells": [ not JSON')
    with faults.injected_in_the_grader():
        results = pipeline.grade(course, [ASSIGNMENT], workers=2, progress=False, run_job=faults.run_with_faults,
                                 limits=LIMITS)
    return course, database, {r.student: r for r in results}


def test_a_job_that_kills_its_worker_takes_no_other_job_with_it():
    """One worker, the job that kills it first: it is retried until Dask gives up (four workers
    lost), and the jobs behind it are never on the worker when it dies (the scheduler, asked all
    along, never shows a worker holding two), so all of them complete."""
    jobs = [execute.Job(ASSIGNMENT, student, ASSIGNMENT, "{}", LIMITS)
            for student in (faults.WORKER_DIES, "first", "second", "third")]
    most_held, running = [0], [True]

    def watch(client):
        while running[0]:
            most_held[0] = max([most_held[0], *map(len, client.processing().values())])
            time.sleep(0.05)

    with execute.cluster(1) as client:
        watcher = threading.Thread(target=watch, args=(client,), daemon=True)
        watcher.start()
        try:
            reports = {job.student: report for job, _, report in execute.execute_all(client, jobs, progress=False,
                                                                                      run=faults.poisoned_or_done)}
        finally:
            running[0] = False
            watcher.join()
    assert most_held[0] == 1, f"a worker held {most_held[0]} jobs at once"
    assert reports.pop(faults.WORKER_DIES).status is sandbox.RunStatus.COULD_NOT_START
    assert {student: report.status for student, report in reports.items()} == \
        dict.fromkeys(("first", "second", "third"), sandbox.RunStatus.COMPLETED)


@pytest.mark.sandbox
def test_grader_faults_are_not_graded_and_the_rest_is(graded):
    _, _, results = graded
    assert results["honest"].status is report.Status.GRADED and results["honest"].auto_score == tiny.FULL_MARKS
    assert results["broken"].status is report.Status.FAILED and results["broken"].auto_score == 0
    for student, words in FAULTS.items():
        assert results[student].status is report.Status.NOT_GRADED, student
        assert words in results[student].reason, results[student].reason
    assert cli._exit_code(list(results.values())) == report.EXIT_NOT_GRADED == 3
    assert cli._exit_code([results["honest"], results["broken"]]) == 0


@pytest.mark.sandbox
def test_not_graded_has_no_score_anywhere(graded):
    course, database, results = graded
    rows = {row["student"]: row for row in csv.DictReader(open(course / "grades.csv"))}
    assert rows["honest"]["auto_score"] == str(tiny.FULL_MARKS) and rows["broken"]["auto_score"] == "0"
    for student in FAULTS:
        assert rows[student]["status"].startswith("not graded: ")
        assert [rows[student][c] for c in ("auto_score", "auto_max", "score", "max_score")] == ["", "", "", ""]
        assert not (course / "feedback" / student).exists()
        if student != faults.FEEDBACK_FAILS:  # nbgrader had written the graded copy before the feedback failed
            assert not (course / "autograded" / student / ASSIGNMENT).exists()
    from nbgrader.api import Gradebook, MissingEntry

    assert database.is_file() and not (course / "gradebook.db").exists(), "the configured db_url is used"
    with Gradebook(f"sqlite:///{database}") as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "honest").score >= tiny.FULL_MARKS
        for student in FAULTS:
            with pytest.raises(MissingEntry):
                gradebook.find_submission(ASSIGNMENT, student)


@pytest.mark.sandbox
def test_summary_lists_the_not_graded_first(graded):
    _, _, results = graded
    lines = report.format_summary(list(results.values()), 1.0).splitlines()
    assert lines[0].startswith(f"NOT GRADED because of a fault of the grader ({len(FAULTS)})")
    assert {line.split("/")[0].strip() for line in lines[1:1 + len(FAULTS)]} == set(FAULTS)
    table = report.format_table(list(results.values()))
    assert any(line.startswith(faults.KERNEL_FAILS) and " - " in line for line in table.splitlines())


@pytest.mark.sandbox
def test_the_next_run_grades_what_was_not_graded(graded):
    """Runs after the tests above read the first run: the faults are gone, so every submission the
    grader failed is graded now (and only those: the honest one is kept as recorded)."""
    course, _, first = graded
    again = {r.student: r for r in pipeline.grade(course, [ASSIGNMENT], workers=2, progress=False, limits=LIMITS)}
    for student in FAULTS:
        assert (again[student].status, again[student].auto_score) == (report.Status.GRADED, tiny.FULL_MARKS), (student, again[student].reason)
    assert again["honest"].kept and again["honest"].auto_score == first["honest"].auto_score
    assert cli._exit_code(list(again.values())) == 0
    rows = {row["student"]: row for row in csv.DictReader(open(course / "grades.csv"))}
    assert all(rows[student]["status"] == "graded" for student in FAULTS)


def _csv_rows(course):
    return {row["student"]: row for row in csv.DictReader(open(course / "grades.csv"))}


def _in_gradebook(course, student):
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            return gradebook.find_submission(ASSIGNMENT, student).score
        except MissingEntry:
            return None


@pytest.mark.sandbox
def test_faults_of_the_last_steps_grades_csv_and_the_resume_state(tmp_path, monkeypatch):
    """grades.csv cannot be written (a full disk), then the resume state cannot be saved: each time
    the submission is not graded with the original message, nothing of it stays recorded, the exit
    code is 3; the next run without the fault grades it (without running it again)."""
    course = tiny.new_course(tmp_path / "course")
    tiny.submit(course, "ann", tiny.REFERENCE)

    def grade_with(target, name, error):
        def broken(*args, **kwargs):
            raise error
        with monkeypatch.context() as patch:
            patch.setattr(target, name, broken)
            return {r.student: r for r in pipeline.grade(course, [ASSIGNMENT], workers=1, progress=False,
                                                         limits=LIMITS)}

    full_disk = OSError(28, f"No space left on device ({faults.INJECTED})")
    first = grade_with(pipeline, "write_csv", full_disk)["ann"]
    assert first.status is report.Status.NOT_GRADED and cli._exit_code([first]) == 3
    assert "writing grades.csv (OSError: [Errno 28] No space left on device (injected fault))" in first.reason
    assert not (course / "grades.csv").exists() and _in_gradebook(course, "ann") is None

    read_only = PermissionError(13, f"Permission denied ({faults.INJECTED})")
    second = grade_with(state.GradingState, "save", read_only)["ann"]
    assert second.status is report.Status.NOT_GRADED and cli._exit_code([second]) == 3
    assert "resume state" in second.reason and "PermissionError: [Errno 13] Permission denied" in second.reason
    assert _csv_rows(course)["ann"]["status"].startswith("not graded: ") and _csv_rows(course)["ann"]["auto_score"] == ""
    assert _in_gradebook(course, "ann") is None and (first.kept, second.kept) == ("", state.EXECUTED)

    third = {r.student: r for r in pipeline.grade(course, [ASSIGNMENT], workers=1, progress=False, limits=LIMITS)}["ann"]
    assert (third.status, third.auto_score, third.kept) == (report.Status.GRADED, tiny.FULL_MARKS, state.EXECUTED)
    assert _csv_rows(course)["ann"]["auto_score"] == str(tiny.FULL_MARKS) and _in_gradebook(course, "ann") >= tiny.FULL_MARKS


@pytest.mark.sandbox
def test_preflight_stops_before_anything_is_graded(tmp_path):
    course = tiny.new_course(tmp_path / "course")
    tiny.submit(course, "ann", {})
    with pytest.raises(pipeline.GraderFault, match="pre-flight notebook did not run"):
        pipeline.grade(course, [ASSIGNMENT], workers=1, progress=False, limits=Limits(memory_mb=40))
    assert not (course / "grades.csv").exists() and not (course / "gradebook.db").exists()


@pytest.mark.sandbox
def test_preflight_runs_once_per_configuration_and_again_after_a_failure(monkeypatch):
    runs, execute = [], sandbox.execute
    monkeypatch.setattr(pipeline, "_PASSED_PREFLIGHTS", set())
    monkeypatch.setattr(sandbox, "execute", lambda notebook, limits: runs.append(limits.memory_mb) or execute(notebook, limits))
    for memory_mb in (2048, 2048, 3000, 2048):
        pipeline.preflight(Limits(memory_mb=memory_mb))
    for _ in range(2):
        with pytest.raises(pipeline.GraderFault, match="pre-flight notebook did not run"):
            pipeline.preflight(Limits(memory_mb=40))
    assert runs == [2048, 3000, 40, 40]


@pytest.mark.sandbox
def test_sandbox_works_with_python_and_course_under_tmp_with_spaces(tmp_path):
    """A virtual environment and a course directory under /tmp (the sandbox gives the kernel a
    private /tmp), both with spaces in their paths."""
    env = tmp_path / "python env"
    venv.create(env, with_pip=False)
    site = subprocess.run([str(env / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # a checkout under /tmp holding the course package, and the grader's other packages, through a .pth file
    checkout = tmp_path / "my checkout"
    shutil.copytree(ROOT / "course", checkout / "course", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / site / "course.pth").write_text(f"{checkout}\n{sysconfig.get_paths()['purelib']}\n")
    course = tmp_path / "my course"
    (course / "source").mkdir(parents=True)
    script = ("import nbformat, sys\n"
              "from course.grader import sandbox\nfrom course.grader.coursedir import Limits\n"
              "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("
              "'import sys, course.checks; print(sys.prefix, course.checks.__file__)')])\n"
              f"report = sandbox.execute(nb, Limits(hidden=[{str(course)!r}]))\n"
              "print(report.status.value, '|', report.reason, '|', nb.cells[0].outputs[0].get('text', ''))\n")
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the course comes from the checkout
    out = subprocess.run([str(env / "bin" / "python"), "-c", script], check=True, capture_output=True,
                         text=True, timeout=300, env=clean, cwd=tmp_path).stdout
    assert out.startswith("completed |"), out
    assert str(env) in out, "the kernel ran in the environment under /tmp"
    assert str(checkout / "course" / "checks.py") in out, "with the course package under /tmp"


def test_make_clean_keeps_what_an_instructor_owns(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    owned = ["submitted/ann/01_gradient_descent/01_gradient_descent.ipynb", "gradebook.db", "grades.csv",
             "feedback/ann/01_gradient_descent/01_gradient_descent.html",
             "autograded/ann/01_gradient_descent/01_gradient_descent.ipynb", "source/x/x.ipynb", "release/x/x.ipynb"]
    artefacts = ["build/demo/grades.csv", "build/colab-env/bin/python", "course/__pycache__/checks.pyc"]
    for path in owned + artefacts:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("kept")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / ".installed").write_text("")
    subprocess.run(["make", "clean"], cwd=tmp_path, check=True, capture_output=True)
    assert all((tmp_path / path).read_text() == "kept" for path in owned)
    assert not any((tmp_path / path).exists() for path in artefacts)


def test_demo_grades_unsandboxed_without_bubblewrap_and_says_so(monkeypatch):
    said = []
    monkeypatch.setattr(sandbox, "bwrap_available", lambda: False)
    limits = cli.demo_limits(cli.build_parser().parse_args(["demo"]), log=said.append)
    assert limits.sandbox is False and len(said) == 1 and "apt-get install bubblewrap" in said[0]
    monkeypatch.setattr(sandbox, "bwrap_available", lambda: True)
    assert cli.demo_limits(cli.build_parser().parse_args(["demo"]), log=said.append).sandbox is True
    assert len(said) == 1


def test_grade_refuses_real_submissions_without_bubblewrap(monkeypatch, tmp_path):
    course = tiny.new_course(tmp_path / "course")
    tiny.submit(course, "ann", tiny.REFERENCE)
    monkeypatch.setattr(sandbox, "bwrap_available", lambda: False)
    with pytest.raises(pipeline.GraderFault, match="--no-sandbox"):
        pipeline.grade(course, [ASSIGNMENT], progress=False)
    assert not (course / "gradebook.db").exists()


def _grade_command(course, *arguments):
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "course", "--root", str(course), "grade", "--no-progress", *arguments],
                            capture_output=True, text=True, timeout=120)
    return result, time.perf_counter() - start


@pytest.mark.parametrize("misfiled", [None, "submitted/tiny/ann/tiny.ipynb", "submitted/ann/tiny.ipynb",
                                      "tiny.ipynb"])
def test_nothing_to_grade_stops_at_once_showing_the_layout(tmp_path, misfiled, capsys):
    """No submissions, or submissions filed in the wrong folders: exit 2 before any kernel starts
    (`cli.main` in this process; `test_an_unknown_assignment_stops_at_once` runs the command itself)."""
    course = tiny.new_course(tmp_path / "course")
    if misfiled:
        (course / misfiled).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(coursedir.notebook_path(course, "release", ASSIGNMENT), course / misfiled)
    start = time.perf_counter()
    code = cli.main(["--root", str(course), "grade", "--no-progress"])
    seconds, said = time.perf_counter() - start, capsys.readouterr()
    assert code == 2, said.out + said.err
    assert pipeline.EXPECTED_LAYOUT in said.err and "no submission of tiny" in said.err
    if misfiled and misfiled.startswith("submitted/"):
        assert misfiled.removeprefix("submitted/") in said.err, "the misfiled notebook is named"
    assert seconds < 5 and not (course / "gradebook.db").exists() and not (course / "grades.csv").exists()


def test_an_unknown_assignment_stops_at_once(tmp_path):
    course = tiny.new_course(tmp_path / "course")
    tiny.submit(course, "ann", tiny.REFERENCE)
    result, seconds = _grade_command(course, "tiny", "01_gradient_descnet")
    assert result.returncode == 2 and "unknown assignment 01_gradient_descnet" in result.stderr, result.stderr
    assert "tiny" in result.stderr and seconds < 15 and not (course / "gradebook.db").exists()


def test_nbgrader_config_has_only_options_nbgrader_knows(caplog):
    from nbgrader.preprocessors import ClearOutput, ClearSolutions, Execute, LimitOutput

    config, _ = coursedir.load_config(ROOT)
    with caplog.at_level(logging.WARNING):
        for preprocessor in (ClearOutput, ClearSolutions, Execute, LimitOutput):
            preprocessor(config=config)
    assert "not recognized" not in caplog.text, caplog.text
