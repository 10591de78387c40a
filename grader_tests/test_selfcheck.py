"""`python -m course check`: a student sees the score of the visible checks, with the hints."""

import subprocess
import sys

import nbformat

from course.grader import coursedir, selfcheck
from devtools import demo
from harness import ROOT, wrong_answers

ASSIGNMENT = "01_gradient_descent"


def test_check_reports_passed_failed_and_manual_cells(tmp_path):
    answers = demo.reference_answers(coursedir.notebook_path(ROOT, "source", ASSIGNMENT))
    label, wrong = next(iter(wrong_answers(ASSIGNMENT)["adam_step"].items()))
    answers["gradient_descent-adam_step-impl"] = wrong  # no later exercise uses adam_step
    notebook = demo.make_submission(coursedir.notebook_path(ROOT, "release", ASSIGNMENT), answers,
                                       tmp_path / f"{ASSIGNMENT}.ipynb")
    reports = {r.grade_id: r for r in selfcheck.check_notebook(notebook, timeout=60)}  # 01's cells take < 2 s
    assert reports["gradient_descent-adam_step-test"].status == "failed", label
    assert "Hint:" in reports["gradient_descent-adam_step-test"].message
    assert reports["gradient_descent-mse-test"].status == "passed"
    assert all(r.status == "graded by hand" for g, r in reports.items() if g.endswith("-answer"))
    text = selfcheck.format_reports(notebook, list(reports.values()))
    total = sum(r.points for r in reports.values() if r.status != "graded by hand")
    lost = reports["gradient_descent-adam_step-test"].points
    assert f"Automatic score on the visible checks: {total - lost:g} / {total:g}" in text


def test_check_command_on_the_blank_release_and_on_garbage(tmp_path):
    blank = coursedir.notebook_path(ROOT, "release", ASSIGNMENT)
    result = subprocess.run([sys.executable, "-m", "course", "check", str(blank)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "not attempted" in result.stdout and "Automatic score on the visible checks: 0 /" in result.stdout
    garbage = tmp_path / "broken.ipynb"
    garbage.write_text("{ this is not json")
    result = subprocess.run([sys.executable, "-m", "course", "check", str(garbage)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "not a readable Jupyter notebook" in result.stderr


def _validate(notebook):
    """`nbgrader validate` as a student runs it (or the Validate button), in the notebook's folder."""
    return subprocess.run([sys.executable, "-m", "nbgrader", "validate", notebook.name], cwd=notebook.parent,
                          capture_output=True, text=True, timeout=600)


def test_nbgrader_validate_passes_the_reference_and_lists_the_failing_cells_of_the_blank(tmp_path):
    answers = demo.reference_answers(coursedir.notebook_path(ROOT, "source", ASSIGNMENT))
    solved = demo.make_submission(coursedir.notebook_path(ROOT, "release", ASSIGNMENT), answers,
                                     tmp_path / "solved" / f"{ASSIGNMENT}.ipynb")
    result = _validate(solved)
    assert "Success! Your notebook passes all the tests." in result.stdout, result.stdout + result.stderr

    blank = tmp_path / "blank" / f"{ASSIGNMENT}.ipynb"
    blank.parent.mkdir()
    blank.write_bytes(coursedir.notebook_path(ROOT, "release", ASSIGNMENT).read_bytes())
    result = _validate(blank)
    graded = [cell for _, cell, _ in selfcheck._graded_cells(nbformat.read(blank, as_version=4))]
    test_cells = sum(1 for cell in graded if cell.cell_type == "code")
    assert f"VALIDATION FAILED ON {len(graded)} CELL(S)!" in result.stdout, result.stdout + result.stderr
    assert result.stdout.count("NotImplementedError") >= test_cells
    assert "is not written yet" in result.stdout, "the hint reaches nbgrader's report too"
    assert "You did not provide a response." in result.stdout, "written answers are listed as well"
