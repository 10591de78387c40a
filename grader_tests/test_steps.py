"""Unit tests of the grader's steps: submissions built from answers, flags, feedback, reports, the CLI."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course.grader import cli, coursedir, record, report
from devtools import demo
from course.grader.preprocessors import HideHiddenTests, strip_hidden_tests


def test_strip_hidden_tests_keeps_visible_code_and_indentation():
    source = "a = 1\n### BEGIN HIDDEN TESTS\nsecret()\n### END HIDDEN TESTS\nwith x:\n    b = 2\n" \
             "    ### BEGIN HIDDEN TESTS\n    secret2()\n    ### END HIDDEN TESTS"
    stripped = strip_hidden_tests(source)
    assert "secret" not in stripped and "a = 1" in stripped and "    b = 2" in stripped
    assert "    # (hidden tests are not shown)" in stripped


def test_feedback_preprocessor_shortens_tracebacks_of_test_cells_only():
    test = nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS",
                                     metadata={"nbgrader": {"grade": True, "grade_id": "t-x-test"}})
    test.outputs = [nbformat.v4.new_output("error", ename="CheckFailed", evalue="wrong\nHint: h",
                                           traceback=["frame quoting x", "more"])]
    student = nbformat.v4.new_code_cell("y", metadata={"nbgrader": {"solution": True}})
    student.outputs = [nbformat.v4.new_output("error", ename="E", evalue="v", traceback=["kept"])]
    notebook = nbformat.v4.new_notebook(cells=[test, student])
    notebook, _ = HideHiddenTests().preprocess(notebook, {})
    assert notebook.cells[0].outputs[0].traceback == ["CheckFailed: wrong\nHint: h"]
    assert notebook.cells[1].outputs[0].traceback == ["kept"]


def test_submissions_are_built_from_the_release(tmp_path):
    assignment = coursedir.assignments()[0]
    answers = demo.reference_answers(coursedir.notebook_path(coursedir.REPO_ROOT, "source", assignment))
    assert answers and not any("BEGIN SOLUTION" in a for a in answers.values())
    target = demo.make_submission(coursedir.notebook_path(coursedir.REPO_ROOT, "release", assignment),
                                  answers, tmp_path / "s.ipynb")
    cells = coursedir.cells_by_grade_id(nbformat.read(str(target), as_version=4))
    assert all(cells[gid].source == src for gid, src in answers.items())
    with pytest.raises(KeyError):
        demo.make_submission(target, {"no-such-cell": ""}, tmp_path / "t.ipynb")


def test_a_failed_submission_has_no_points_and_says_why():
    result = report.Result("ann", "01_gradient_descent", score=5, auto_score=5, auto_max=17,
                           cells={"a-test": (2.0, 2.0), "b-test": (3.0, 3.0)})
    assert result.status is report.Status.GRADED and result.status_text == "graded"
    result.fail("wrong file name: submitted homework.ipynb")
    assert result.status is report.Status.FAILED
    assert result.status_text == "failed: wrong file name: submitted homework.ipynb"
    assert (result.score, result.auto_score) == (0, 0)
    assert result.cells == {"a-test": (0.0, 2.0), "b-test": (0.0, 3.0)}
    summary = report.format_summary([result, report.Result("bob", "01_gradient_descent")], 3.0)
    assert summary.splitlines()[:2] == ["Graded 1 of 2 submission(s) in 3.0 s; 1 could not be graded (0 points):",
                                        "  ann/01_gradient_descent: wrong file name: submitted homework.ipynb"]


def test_grades_csv_has_a_row_per_submission(tmp_path):
    results = [report.Result("ann", "a", auto_score=3, auto_max=4, score=3, max_score=6),
               report.Result("bob", "a", status=report.Status.FAILED, reason="broken JSON")]
    text = report.write_csv(results, tmp_path / "grades.csv").read_text().splitlines()
    assert text[0].split(",") == report.CSV_COLUMNS
    assert text[1] == "ann,a,graded,3,4,3,6,False" and text[2].startswith("bob,a,failed: broken JSON,0,")


def test_limits_have_one_default_read_by_the_cli_and_nbgrader():
    parser = cli.build_parser()
    args = parser.parse_args(["grade"])
    limits = cli._limits(args)
    assert limits == coursedir.DEFAULT_LIMITS and limits.cell_timeout is None, "time limits from the reference"
    assert cli._limits(parser.parse_args(["grade", "--cell-timeout", "7"])).cell_timeout == 7
    config, _ = coursedir.load_config(coursedir.REPO_ROOT)
    assert config.Execute.timeout == coursedir.FALLBACK_CELL_TIMEOUT
    assert limits.effective().notebook_timeout == coursedir.FALLBACK_NOTEBOOK_TIMEOUT


def test_time_limits_follow_the_reference_unless_given():
    from_reference = coursedir.Limits().from_reference(seconds=12.4, slowest_cell=2.1)
    assert (from_reference.notebook_timeout, from_reference.cell_timeout) == (92, 41)  # 5 x + 30 s, rounded up
    assert "5 x the reference" in from_reference.describe()
    given = coursedir.Limits(cell_timeout=8).from_reference(seconds=12.4, slowest_cell=2.1)
    assert (given.cell_timeout, given.notebook_timeout) == (8, 92)


def test_test_parts_name_existing_folders():
    root = coursedir.REPO_ROOT
    for part in cli.TEST_PARTS:
        assert all(Path(path).is_dir() for path in cli.test_paths(root, [part])), part
    assert cli.test_paths(root, ["tests/unit/test_lm.py"]) == [str(root / "tests/unit/test_lm.py")]
    everything = [Path(path) for path in cli.test_paths(root, [])]
    assert sorted(p.relative_to(root).as_posix() for p in everything) == \
        ["grader_tests", "source", "tests/browser", "tests/notebooks", "tests/unit"]
    test_files = [p for p in root.rglob("test_*.py") if not {".venv", "build"} & set(p.relative_to(root).parts)]
    notebooks = list((root / "source").glob("*/*.ipynb"))
    uncovered = [p for p in test_files + notebooks if not any(p.is_relative_to(part) for part in everything)]
    assert test_files and notebooks and not uncovered, f"no part of `python -m course test` runs {uncovered}"


def test_test_command_splits_parts_from_pytest_options():
    assert cli.split_test_arguments(["unit", "grader", "-x", "-k", "mse"]) == (["unit", "grader"], ["-x", "-k", "mse"])
    assert cli.split_test_arguments(["-x", "--durations=20"]) == ([], ["-x", "--durations=20"])
    assert cli.split_test_arguments(["browser", "--screenshot-dir", "docs/screenshots"]) == \
        (["browser"], ["--screenshot-dir", "docs/screenshots"])
    assert cli.split_test_arguments(["unit", "--", "tests/x.py"]) == (["unit"], ["tests/x.py"])


def test_benchmark_report_gives_the_ratio_per_topic_and_overall():
    from devtools import bench

    topics = [{"assignment": "01_gradient_descent", "submissions": 2, "plain_seconds": 30.0, "ours_seconds": 15.0,
               "execution_seconds": 20.0, "identical_scores": True},
              {"assignment": "05_convolution", "submissions": 1, "plain_seconds": 40.0, "ours_seconds": 40.0,
               "execution_seconds": 35.0, "identical_scores": False}]
    text = bench.report({"submissions": 3, "assignments": 2, "workers": 2, "topics": topics, "plain_seconds": 70.0,
                         "ours_seconds": 55.0, "speedup": 70 / 55, "execution_seconds": 55.0,
                         "overhead_per_submission": 1.0, "identical_scores": False,
                         "memory": {"peak_tree_gb": 1.234, "peak_kernels": 2, "machine_before_gb": 3.0,
                                    "peak_machine_gb": 4.5},
                         "statuses": {"graded": 2, "not graded": 1}})
    lines = text.splitlines()
    assert "2.00x" in lines[2] and "identical" in lines[2]
    assert "1.00x" in lines[3] and "DIFFERENT" in lines[3]
    assert lines[4].startswith("all") and "1.27x" in lines[4]
    assert "1.23 GB" in text and "at most 2 grading kernel(s)" in text and "1 not graded" in text


def test_benchmark_cohort_mixes_in_the_asked_fraction_of_hostile_submissions():
    from devtools import bench

    names = ["01_gradient_descent", "02_loss_functions"]
    honest = bench.cohort(20, names)
    mixed = bench.cohort(20, names, hostile=0.1)
    hostile_cells = set(bench.HOSTILE_CELLS.values())
    changed = [i for i, (a, b) in enumerate(zip(honest, mixed)) if a != b]
    assert changed == [9, 19]
    assert all(set(mixed[i][2].values()) & hostile_cells for i in changed)
    assert not any(set(answers.values()) & hostile_cells for _, _, answers in honest)


def test_memory_watch_sees_the_processes_started_below_it():
    import subprocess
    import sys

    from devtools import bench

    with bench.MemoryWatch(interval=0.05) as watch:
        child = subprocess.Popen([sys.executable, "-c", "import time; x = bytearray(200_000_000); time.sleep(2)"])
        child.wait()
    assert watch.summary()["peak_tree_gb"] > 0.2


def test_test_command_runs_xdist_workers_unless_told_otherwise():
    assert cli.parallel_options([]) == ["-n", str(cli.TEST_WORKERS), "--dist", "loadscope", "--no-loadscope-reorder"]
    assert cli.parallel_options(["-x", "--lf"]) == cli.parallel_options([])
    for chosen in (["-n", "0"], ["-n0"], ["--numprocesses=3"], ["--pdb"], ["-p", "no:xdist"]):
        assert cli.parallel_options(chosen) == [], chosen


def test_reference_timings_are_kept_per_notebook_version_and_machine(tmp_path, monkeypatch):
    from course.grader import state

    saved = state.GradingState(tmp_path)
    saved.set_reference("tiny", "version 1", (3.5, 1.2))
    saved.save()
    again = state.GradingState(tmp_path)
    assert again.reference("tiny", "version 1") == (3.5, 1.2)
    assert again.reference("tiny", "version 2") is None, "a changed notebook is timed again"
    monkeypatch.setattr(state, "machine", lambda: "a slower machine")
    assert again.reference("tiny", "version 1") is None, "a course directory copied to another machine is timed again"


def test_new_gradebooks_get_the_revision_the_alembic_program_reports():
    """`record.alembic_head` (read in the grader's process) is what nbgrader's own
    `get_alembic_version` gets from the `alembic` program."""
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    nbgraders = subprocess.run([sys.executable, "-c", "from nbgrader.api import get_alembic_version as v; print(v())"],
                               capture_output=True, text=True, env=env, check=True).stdout.strip()
    assert record.alembic_head() == nbgraders


def test_the_reference_is_timed_as_its_student_runs_it_and_submissions_run_as_graded(monkeypatch, tmp_path):
    """A submission's kernel gets NBGRADER_EXECUTION=autograde, as from nbgrader (its experiments run
    smaller: `course.smaller_while_grading`); the reference run that sets the time limits gets none,
    so the limits leave room for a submission that runs its experiments in full."""
    from course.grader import execute, pipeline, sandbox, state

    assert sandbox.kernel_environment(tmp_path, coursedir.Limits())["NBGRADER_EXECUTION"] == "autograde"
    assert "NBGRADER_EXECUTION" not in sandbox.kernel_environment(tmp_path, coursedir.Limits(), execution=None)
    assert execute.Job("a", "student", "a", "{}", coursedir.Limits()).execution == "autograde"
    jobs = []
    monkeypatch.setattr(execute, "execute_all", lambda client, given, *args, **kwargs: jobs.extend(given) or [])
    course = tmp_path
    (course / "source" / "a").mkdir(parents=True)
    (course / "source" / "a" / "a.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    limits = pipeline._limits_from_references(None, course, {"a"}, coursedir.Limits(), state.GradingState(course), False)
    assert [(job.student, job.execution) for job in jobs] == [("reference run", None)]
    assert "fallback" in limits["a"].basis, "a reference run that did not complete: the fallback limits"
