"""Part of step 5 (record): only an error costs a test cell its points.

nbgrader gives 0 points to a test cell that wrote anything to stderr, and reads a number shown by
its last expression as partial credit. A correct answer may well write to stderr: numpy's
"overflow encountered" warning, a deprecation warning of torch, a student's debug print to
``sys.stderr``. ``StderrIsNotAFailure`` (registered for ``nbgrader autograde`` in
``nbgrader_config.py``, so plain nbgrader and ``python -m course grade`` both use it) turns such
output of test cells into ordinary output before nbgrader scores them: the text stays in the
graded notebook and the feedback, and a test cell still loses its points exactly when it raises.
(Test cells never end with an expression that shows a number: `grader_tests/harness.py` checks it.)
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

# nbgrader autograde's preprocessors with ours before SaveAutoGrades, by name (nbgrader_config.py).
AUTOGRADE_PREPROCESSORS = [
    "nbgrader.preprocessors.Execute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "course.grader.outputs.StderrIsNotAFailure",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]


class StderrIsNotAFailure(Preprocessor):
    """Relabel the stderr output of graded test cells as stdout."""

    enabled = Bool(True, help="nbconvert runs only enabled preprocessors").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        nbgrader = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and nbgrader.get("grade") and not nbgrader.get("solution"):
            for output in cell.get("outputs", []):
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources
