"""Part of step 6 (report): feedback that does not give the tests away.

nbgrader's feedback HTML is the graded notebook as it ran, hidden tests included, and an error's
traceback quotes the lines around the failing check. ``HideHiddenTests`` (registered for
``nbgrader generate_feedback`` in ``nbgrader_config.py``) removes every hidden-test region from the
test cells and shortens their error outputs to the check's message, which carries the hint.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

BEGIN = "### BEGIN HIDDEN TESTS"
END = "### END HIDDEN TESTS"
PLACEHOLDER = "# (hidden tests are not shown)"


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
