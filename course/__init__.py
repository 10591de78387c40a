"""The students' runtime of the deep-learning course: what notebooks and their test cells import.

``checks`` (the comparison helpers of every test cell, with their guard ``guard``), ``data`` (data sets generated locally),
``plots``, ``gradcheck``, ``mlp`` and ``lm`` (the small GPT of topic 07 and an exact toy model).
The first of them a notebook imports (its read-only set-up cell does ``from course import checks,
...``) loads ``checks``, which takes pristine references to numpy, torch and the builtins, loads the
helper modules and seals them: from then on they refuse to be patched (see ``course.guard``).

The instructor's grader, ``course.grader`` (``python -m course``), is a separate subpackage that
nothing here imports; importing ``course`` alone loads nothing heavy.
"""

import importlib
import os

__version__ = "0.1.0"
RUNTIME_MODULES = ("checks", "data", "gradcheck", "mlp", "plots", "lm")
__all__ = [*RUNTIME_MODULES, "smaller_while_grading"]


def smaller_while_grading(full, smaller):
    """``full`` when the notebook runs for its student, ``smaller`` while nbgrader runs it.

    ``nbgrader autograde`` runs every cell of every submission again, with NBGRADER_EXECUTION=autograde
    in the kernel's environment (``nbgrader validate``, the student's Validate button, runs the notebook
    as the grader will, with "validate"). An experiment that only shows something (nothing graded reads
    its numbers: the hidden tests build and seed their own inputs) asks for its size here, so that
    these runs do a smaller version of it; the output says so, for the feedback's reader.
    """
    if os.environ.get("NBGRADER_EXECUTION") not in ("autograde", "validate"):
        return full
    print(f"[grading run: this experiment ran smaller than in your notebook ({smaller!r} instead of {full!r}); "
          "nothing graded depends on it]")
    return smaller


def __getattr__(name):
    """``course.data`` and ``from course import data`` load the helpers on first use (PEP 562)."""
    if name in RUNTIME_MODULES:
        importlib.import_module("course.checks")  # first: pristine references, then the seal
        return importlib.import_module(f"course.{name}")
    raise AttributeError(f"module 'course' has no attribute {name!r}")
