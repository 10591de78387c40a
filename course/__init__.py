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

__version__ = "0.1.0"
RUNTIME_MODULES = ("checks", "data", "gradcheck", "mlp", "plots", "lm")
__all__ = list(RUNTIME_MODULES)


def __getattr__(name):
    """``course.data`` and ``from course import data`` load the helpers on first use (PEP 562)."""
    if name in RUNTIME_MODULES:
        importlib.import_module("course.checks")  # first: pristine references, then the seal
        return importlib.import_module(f"course.{name}")
    raise AttributeError(f"module 'course' has no attribute {name!r}")
