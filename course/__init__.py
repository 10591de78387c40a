"""Helpers of the deep-learning course: data, plots, gradient checks and the checks test cells use.

Importing ``course`` (done by every notebook's read-only set-up cell) loads the helper modules and
seals them: from then on the check helpers refuse to be patched (see ``course.checks``).
The grading pipeline (``course.grading``, ``python -m course``) is imported only on demand.
"""

from course import checks, data, gradcheck, mlp, plots

__version__ = "0.1.0"
__all__ = ["checks", "data", "gradcheck", "mlp", "plots"]

checks._seal_course_modules()
checks.install_kernel_guard()
