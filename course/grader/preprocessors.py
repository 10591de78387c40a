"""nbgrader's preprocessors of the course, all four in one place (part of step 5, ``record``).

* ``Execute`` (``nbgrader autograde``, registered in ``nbgrader_config.py``): nbgrader's own execute
  step on the course's nbclient (``client.NotebookClient``), which does not stall after a cell that
  displays widgets. nbgrader's would wait there for the cell's time limit (two minutes) in many
  submissions of notebook 01 and then write a timeout error into the widget's cell.

* ``ReplayExecute`` replaces nbgrader's execute step in ``python -m course grade``: it copies the
  outputs a Dask worker computed in the sandbox, after checking that the cells are the ones nbgrader
  just sanitised, so nbgrader's own code scores them and writes the gradebook (``record.NbGrader``
  swaps it in; plain ``nbgrader autograde`` executes as usual).
* ``StderrIsNotAFailure`` (``nbgrader autograde``, registered in ``nbgrader_config.py``): only an
  error costs a test cell its points. nbgrader gives 0 to a test cell that wrote anything to stderr,
  but a correct answer may well write there (numpy's "overflow encountered", a deprecation warning
  of torch, a student's debug print to ``sys.stderr``): such output of test cells is relabelled as
  stdout before nbgrader scores them; the text stays in the graded notebook and the feedback.
  (Test cells never end with an expression that shows a number, which nbgrader would read as
  partial credit: ``grader_tests/harness.py`` checks it.)
* ``HideHiddenTests`` (``nbgrader generate_feedback``, registered in ``nbgrader_config.py``):
  feedback that does not give the tests away. nbgrader's feedback is the graded notebook as it
  ran, hidden tests included, and a traceback quotes the lines around the failing check: every
  hidden-test region of the test cells is replaced by one comment and their error outputs are
  shortened to the check's message, which carries the hint.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import Execute as NbGraderExecute
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Unicode

from course.grader import client

REPLAY_EXECUTE = "course.grader.preprocessors.ReplayExecute"

EXECUTE = "course.grader.preprocessors.Execute"

# nbgrader autograde's preprocessors, its execute step replaced by ours and ours before SaveAutoGrades,
# by name (nbgrader_config.py).
AUTOGRADE_PREPROCESSORS = [
    EXECUTE,
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "course.grader.preprocessors.StderrIsNotAFailure",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

BEGIN = "### BEGIN HIDDEN TESTS"
END = "### END HIDDEN TESTS"
PLACEHOLDER = "# (hidden tests are not shown)"


def replay_path(replay_dir, assignment, student, notebook):
    """Where the executed notebook of one submission waits for ``ReplayExecute``."""
    return Path(replay_dir) / assignment / student / f"{notebook}.ipynb"


class Execute(client.NotebookClient, NbGraderExecute):
    """nbgrader's ``Execute`` (its time limits, retries and error recording) on the course's nbclient."""


class ReplayExecute(NbGraderPreprocessor):
    """nbgrader's execute step, replaced: copy the outputs of the notebook executed by a worker."""

    replay_dir = Unicode("", help="folder of <assignment>/<student>/<notebook>.ipynb executed notebooks"
                         ).tag(config=True)

    def preprocess(self, nb, resources):
        meta = resources["nbgrader"]
        path = replay_path(self.replay_dir, meta["assignment"], meta["student"], meta["notebook"])
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


def _graded_test_cell(cell):
    nbgrader = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and nbgrader.get("grade") and not nbgrader.get("solution")


class StderrIsNotAFailure(Preprocessor):
    """Relabel the stderr output of graded test cells as stdout."""

    enabled = Bool(True, help="nbconvert runs only enabled preprocessors").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if _graded_test_cell(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources


def strip_hidden_tests(source):
    """The cell source with each hidden-test region replaced by one placeholder comment."""
    lines, hidden = [], False
    for line in source.splitlines():
        if BEGIN in line:
            hidden = True
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(indent + PLACEHOLDER)
        elif END in line:
            hidden = False
        elif not hidden:
            lines.append(line)
    return "\n".join(lines)


class HideHiddenTests(Preprocessor):
    """Remove hidden tests and detailed tracebacks from graded test cells."""

    enabled = Bool(True, help="nbconvert runs only enabled preprocessors").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = strip_hidden_tests(cell.source)
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
