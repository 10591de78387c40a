"""The corpus harness re-runs only the cells a submission can change (`harness.py`); these tests
prove that it gives the verdicts of a re-run of every cell, on real corpus cases and on cases made
to defeat the syntax analysis (a value changed in place, a name bound through ``globals()``, a
later cell that binds a name again, a library patched for every later cell and put back before the
next case, a test cell that fails before it binds a name or registers a reference that a later
test uses), and the verdicts of fresh kernels on the toy cases; and that running a test cell's
student version first (its visible checks) leaves the graded verdict as a fresh kernel gives it."""

import nbformat
import pytest

from harness import graded_cell_results_many, notebook_results_many, split_visible, topic
from test_wrong_answers import _answers, correct_answers, wrong_answers


def _cell(source, grade_id, **flags):
    meta = {"grade_id": grade_id, "grade": False, "solution": False, "locked": True, "schema_version": 3, **flags}
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta})


def _impl(name, source):
    return _cell(source, f"toy-{name}-impl", solution=True, locked=False)


def _test(name, source):
    return _cell(source, f"toy-{name}-test", grade=True, points=1)


# Exercise b reads the set-up's DATA through a function, and a helper that a's reference defines;
# exercise c reads DATA directly and binds `scale`, which exercise d's test binds again before e
# reads it; c's test binds `c_passed` after its check, which d's test reads; a's test registers
# its reference after its check, and f's test runs with it (`checks.isolated`).
TOY = nbformat.v4.new_notebook(cells=[
    _cell("import numpy as np\nfrom course import checks\nDATA = np.arange(5.0)", "toy-setup"),
    _impl("a", "def _one():\n    return 1\ndef a(x):\n    return x + _one()"),
    _test("a", "assert a(1) == 2\nchecks.register_reference('a', lambda x: x + 1)"),
    _impl("b", "def b():\n    return DATA.sum()"),
    _test("b", "assert b() == 10 and _one() == 1"),
    _impl("c", "def c():\n    return 1"),
    _test("c", "scale = 3\nassert DATA.sum() == 10 and c() == 1\nc_passed = True"),
    _impl("d", "def d():\n    return 2"),
    _test("d", "scale = 2\nassert d() == 2 and c_passed"),
    _impl("e", "def e():\n    return 4"),
    _test("e", "import statistics\nassert e() == 2 * scale and statistics.mean([1, 3]) == 2"),
    _impl("f", "def f(x):\n    return a(x) * 2"),
    _test("f", "with checks.isolated(globals(), 'a'):\n    assert f(2) == 6"),
])
EXERCISES = "abcdef"
TOY_REFERENCE = {f"toy-{name}-impl": cell.source for name, cell in zip(EXERCISES, TOY.cells[1::2])}
TOY_CASES = {
    "changes DATA in place": ({"toy-a-impl": "def a(x):\n    DATA[0] = 100\n    return x + 1"},
                              {"a": True, "b": False, "c": False, "d": False}),
    "binds DATA through globals()": ({"toy-a-impl": "globals()['DATA'] = np.zeros(5)\ndef a(x):\n    return x + 1"},
                                     {"a": True, "b": False, "c": False, "d": False}),
    "binds scale, which d binds again": ({"toy-c-impl": "scale = 10\ndef c():\n    return 1"}, {}),
    "patches a library that a later test uses": ({"toy-a-impl": "import statistics\nstatistics.mean = lambda xs: 0\n"
                                                                "def _one():\n    return 1\ndef a(x):\n    return x + _one()"},
                                                 {"e": False}),
    "leaves out a helper the reference defines": ({"toy-a-impl": "def a(x):\n    return x + 1"}, {"b": False}),
    "wrong e": ({"toy-e-impl": "def e():\n    return 5"}, {"e": False}),
    "wrong c, whose test fails before it binds what d's test reads": ({"toy-c-impl": "def c():\n    return 0"},
                                                                      {"c": False, "d": False}),
    "wrong a, whose test fails before it registers the reference f runs with": (
        {"toy-a-impl": "def _one():\n    return 1\ndef a(x):\n    return x + 2"}, {"a": False, "f": False}),
}


def test_the_toy_cases_get_the_verdicts_of_a_full_rerun_and_of_the_truth():
    answer_sets = [{**TOY_REFERENCE, **answers} for answers, _ in TOY_CASES.values()]
    selective = notebook_results_many(TOY, TOY_REFERENCE, answer_sets)
    full = notebook_results_many(TOY, TOY_REFERENCE, answer_sets, selective=False)
    assert selective == full
    for (label, (_, failing)), verdicts in zip(TOY_CASES.items(), selective):
        expected = {f"toy-{name}-test": failing.get(name, True) for name in EXERCISES}
        assert verdicts == expected, label


# The student's version of g's test (its visible checks) draws from the global generator and binds
# `seen`; the instructor's version asserts that it still sees what a fresh kernel would (the draw
# the set-up prepared, no `seen`), then checks negative inputs, which the visible check does not.
STUDENT_VIEW_TOY = nbformat.v4.new_notebook(cells=[
    _cell("import numpy as np\nnp.random.seed(0)\nFIRST = np.random.rand()\nnp.random.seed(0)", "toy-setup"),
    _impl("g", "def g(x):\n    return 2 * x"),
    _test("g", "assert 'seen' not in globals() and np.random.rand() == FIRST\nassert g(1) == 2 and g(-1) == -2"),
])
STUDENT_VIEW = {"toy-g-test": "seen = np.random.rand()\nassert g(1) == 2"}
STUDENT_VIEW_CASES = {  # answer: (graded verdict, visible verdict)
    "def g(x):\n    return x + x": (True, True),
    "def g(x):\n    return abs(2 * x)": (False, True),
    "def g(x):\n    return x": (False, False),
}


def test_the_visible_checks_run_first_and_leave_the_graded_verdict_as_a_fresh_kernel_gives_it():
    reference = {"toy-g-impl": STUDENT_VIEW_TOY.cells[1].source}
    answer_sets = [{"toy-g-impl": answer} for answer in STUDENT_VIEW_CASES]
    verdicts = notebook_results_many(STUDENT_VIEW_TOY, reference, answer_sets, visible=STUDENT_VIEW,
                                     wanted=[True, True, False])
    got = [split_visible(verdict) for verdict in verdicts]
    expected = [({"toy-g-test": graded}, {"toy-g-test": visible}) for graded, visible in STUDENT_VIEW_CASES.values()]
    expected[2] = (expected[2][0], {})  # not wanted: only the graded verdict
    assert got == expected


@pytest.mark.parametrize("assignment", ["01_gradient_descent"])
def test_corpus_cases_get_the_verdicts_of_a_full_rerun(assignment):
    """The first wrong answer and the first correct alternative of every exercise."""
    cases = [answers for exercise_answers in (wrong_answers(assignment), correct_answers(assignment))
             for exercise, answers in exercise_answers.items()
             for answers in [_answers(assignment, {f"{topic(assignment)}-{exercise}-impl": next(iter(answers.values()))})]]
    assert graded_cell_results_many(assignment, cases) == graded_cell_results_many(assignment, cases, selective=False)
