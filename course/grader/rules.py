"""Part of step 2 (release): "How your code is checked", the rules every exercise is graded by.

The text is defined here and nowhere else. ``python -m course release`` writes it into the
introduction of every notebook of ``source/`` (between the two markers below, which Markdown does
not show) before generating ``release/``, and a test checks that every notebook carries it as it is
here. The hidden tests hold students to exactly these rules (``course.checks``: ``to_numpy``,
``assert_scalar``, ``assert_integer``, ``contract``, ``call_refusing``).
"""

from __future__ import annotations

BEGIN = "<!-- How your code is checked: written by `python -m course release` from course/grader/rules.py -->"
END = "<!-- end of how your code is checked -->"

RULES = """**How your code is checked.** The hidden checks hold you to what each exercise's text says, no
more and no less.
* **Your inputs are what the exercise names**, for example "a NumPy float array of shape `(N, D)`",
  "a list of `(W, b)` pairs" or "an `nn.Module`" (an array is a NumPy array of floats unless the
  text says otherwise): the checks never pass a list where the text says an array.
* **Return a number in any numeric form**: `3.0`, `np.float64(3.0)`, `np.array([3.0])` and
  `torch.tensor(3.0)` all count as the number 3. An integer may be any integer type (`3`,
  `np.int64(3)`, a 0-d integer tensor), but not `3.0`. An array may be a NumPy array, or a torch
  tensor where the exercise works with tensors, of the stated shape.
* **Leave your inputs unchanged** unless the exercise asks for an update in place: write
  `W - lr * dW`, not `W -= lr * dW`, and return a new array rather than the one you were given.
* **Use anything in Python, NumPy and PyTorch** except the library's own version of what an exercise
  teaches, which the exercise names ("Not allowed: `F.softmax`"); a check that meets it fails with a
  hint. Your functions from earlier exercises are always allowed.
* **Draw random numbers only where the exercise asks for them**, from the generator it gives you
  (`rng.normal(...)`, `torch.rand(..., generator=generator)`) or, when it gives none, from
  PyTorch's own (`torch.randn(...)`), in any order the text does not fix."""

BLOCK = f"{BEGIN}\n{RULES}\n{END}"


def with_rules(markdown):
    """The introduction's text with the current rules between the markers."""
    start, end = markdown.find(BEGIN), markdown.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the introduction has no rules block ({BEGIN!r} ... {END!r})")
    return markdown[:start] + BLOCK + markdown[end + len(END):]


def sync_notebook(notebook):
    """Write the current rules into the notebook's introduction; return True if it changed."""
    intro = next(cell for cell in notebook.cells if cell.cell_type == "markdown" and BEGIN in cell.source)
    new = with_rules(intro.source)
    changed = new != intro.source
    intro.source = new
    return changed
