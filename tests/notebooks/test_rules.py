"""Every notebook states the rules its exercises are graded by in the same words, from one source
(`course/grader/rules.py`), in the instructor's and in the student's version."""

import nbformat
import pytest

from course.grader import coursedir, rules

ASSIGNMENTS = coursedir.assignments()


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_rules_are_the_shared_ones_in_source_and_release(name):
    for folder in ("source", "release"):
        notebook = nbformat.read(coursedir.notebook_path(coursedir.REPO_ROOT, folder, name), as_version=4)
        intro = notebook.cells[0].source
        assert intro.count(rules.BLOCK) == 1, f"{folder}/{name}: run `python -m course release`"
        assert not rules.sync_notebook(notebook)
        assert "Rules of every exercise" not in intro, "the old, per-notebook wording is gone"


def test_the_rules_name_each_form_the_checks_accept():
    for example in ("np.array([3.0])", "torch.tensor(3.0)", "np.int64(3)", "W - lr * dW", "Not allowed",
                    "generator=generator", "torch.randn"):
        assert example in rules.RULES, example
