"""Unit tests of course.checks: clear messages, and no point for lying objects or patched libraries."""

import builtins
import math
import re
import sys

import nbformat
import numpy
import pytest
import torch
from nbclient import NotebookClient

from course import checks, guard
from course.checks import CheckFailed, TamperingError


def test_accepts_numpy_torch_lists_and_numbers():
    checks.assert_close(numpy.array([1.0, 2.0]), [1.0, 2.0])
    checks.assert_close(torch.tensor([1.0, 2.0], requires_grad=True), numpy.array([1.0, 2.0]))
    checks.assert_close((numpy.float32(1.5), 2), [1.5, 2.0])
    assert checks.assert_scalar(numpy.float64(3.0)) == 3.0
    assert checks.assert_scalar(torch.tensor(2.0)) == 2.0


@pytest.mark.parametrize("actual, expected, message", [
    (numpy.array([1.0, 3.0]), [1.0, 2.0], "is wrong at index [1]: got 3, expected 2"),
    (numpy.zeros((2, 3)), numpy.zeros((3, 2)), "has shape (2, 3), expected (3, 2)"),
    (numpy.array([1.0, numpy.nan]), [1.0, 2.0], "contains NaN"),
    (numpy.array([numpy.inf]), [1.0], "contains an infinite value"),
    (None, 1.0, "is None. Did you forget a `return`"),
    ("1.0", 1.0, "should be a number or a numpy array, but it is a str"),
    (numpy.array(["a"]), ["a"], "has dtype <U1"),
    ([numpy.zeros(2), numpy.zeros(3)], [0.0], "ragged"),
])
def test_failures_are_explained_in_plain_words(actual, expected, message):
    with pytest.raises(CheckFailed) as error:
        checks.assert_close(actual, expected, name="f(x)", hint="look here")
    assert message in str(error.value)


def test_nan_and_infinity_are_accepted_where_the_reference_has_them():
    inf, nan = float("inf"), float("nan")
    checks.assert_close([1.0, nan, -inf, inf], [1.0, nan, -inf, inf])
    checks.assert_close(torch.tensor([nan, 2.0]), numpy.array([nan, 2.0]))
    for got, want in (([nan, 1.0], [0.0, 1.0]), ([1.0, 1.0], [nan, 1.0]), ([inf], [-inf]), ([inf], [nan]),
                      ([nan], [inf]), ([1.0], [inf])):
        with pytest.raises(CheckFailed):
            checks.assert_close(got, want)


def test_hint_is_appended():
    with pytest.raises(AssertionError, match="Hint: square the differences"):
        checks.assert_close(1.0, 2.0, hint="square the differences")


def test_tolerances_and_scalar_shape():
    checks.assert_close(1.0 + 1e-9, 1.0)
    with pytest.raises(CheckFailed):
        checks.assert_close(1.001, 1.0)
    checks.assert_close(1.001, 1.0, rtol=1e-2)
    with pytest.raises(CheckFailed, match="single number"):
        checks.assert_scalar(numpy.zeros(2))


class LyingEq:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __float__(self):
        return 4 / 3

    def __array__(self, dtype=None, copy=None):
        return numpy.array(4 / 3)


class LyingArray(numpy.ndarray):
    def __eq__(self, other):
        return numpy.ones(numpy.shape(other), dtype=bool)

    def __sub__(self, other):
        return numpy.zeros(numpy.shape(other))

    __rsub__ = __sub__


def test_objects_with_lying_operators_are_refused():
    for liar in (LyingEq(), [LyingEq()], numpy.zeros(3).view(LyingArray)):
        with pytest.raises(CheckFailed):
            checks.assert_close(liar, 4 / 3, shape=False)


def test_truth_must_be_a_real_bool():
    with pytest.raises(CheckFailed):
        checks.assert_true(LyingEq(), "never")
    with pytest.raises(CheckFailed, match="explained"):
        checks.assert_true(numpy.bool_(False), "explained")


def test_in_place_modification_is_reported():
    before = numpy.array([1.0, 2.0])
    with pytest.raises(CheckFailed, match="modified in place"):
        checks.assert_unchanged(before, before - 1, name="params")


def _check_while_patched(owner, name, fake):
    """Run one check with `owner.name` replaced, restoring it before pytest's own code runs again."""
    had_own = name in vars(owner)
    original = vars(owner).get(name)
    setattr(owner, name, fake)
    try:
        checks.assert_close(1.0, 1.0)
        return None
    except Exception as error:  # noqa: BLE001 - the error is the result under test
        return error
    finally:
        if had_own:
            setattr(owner, name, original)
        else:
            delattr(owner, name)


@pytest.mark.parametrize("owner, name, fake", [
    (numpy, "abs", lambda *a, **k: 0),
    (numpy, "allclose", lambda *a, **k: True),
    (numpy, "asarray", lambda *a, **k: numpy.zeros(1)),
    (torch, "allclose", lambda *a, **k: True),
    (torch.Tensor, "numpy", lambda self: numpy.zeros(1)),
    (torch.Tensor, "__eq__", lambda self, other: True),
    (builtins, "abs", lambda x: 0),
    (builtins, "isinstance", lambda *a: True),
    (builtins, "__import__", lambda *a, **k: None),
    (math, "isclose", lambda *a, **k: True),
    (torch.nn, "Sequential", lambda *layers: None),  # an oracle in place of the hidden tests' own network
    (torch.nn.Module, "__call__", lambda self, *a: None),
    (torch.nn.modules.batchnorm._BatchNorm, "forward", lambda self, x: x),  # a base class of BatchNorm1d
    (torch.optim.Adam, "step", lambda self, closure=None: None),
    (checks.np, "abs", lambda x: numpy.zeros_like(x)),  # the checks' own copy of numpy's namespace
])
def test_patched_libraries_fail_every_check(owner, name, fake):
    error = _check_while_patched(owner, name, fake)
    assert isinstance(error, TamperingError) and name in str(error), error
    checks.assert_close(1.0, 1.0)  # honest again once the patch is gone


def test_deleted_names_new_class_attributes_and_the_guards_own_names_are_seen():
    """Every check compares all the watched names at once (in C); whatever it finds is listed by name."""
    original_norm = numpy.linalg.norm
    del numpy.linalg.norm
    try:
        with pytest.raises(TamperingError, match="numpy.linalg.norm"):
            checks.assert_close(1.0, 1.0)
    finally:
        numpy.linalg.norm = original_norm
    assert "tolist" not in vars(torch.Tensor), "inherited from the C base class"
    torch.Tensor.tolist = lambda self: [0.0]
    try:
        with pytest.raises(TamperingError, match="torch.Tensor.tolist"):
            checks.assert_close(1.0, 1.0)
    finally:
        del torch.Tensor.tolist
    original_fail = guard.fail
    vars(guard)["fail"] = lambda *a, **k: None
    try:
        with pytest.raises(TamperingError, match="course.guard.fail"):
            checks.assert_close(1.0, 1.0)
    finally:
        vars(guard)["fail"] = original_fail
    checks.assert_close(1.0, 1.0)


def test_helpers_cannot_be_reassigned_or_deleted():
    import course
    with pytest.raises(TamperingError):
        checks.assert_close = lambda *a, **k: None
    with pytest.raises(TamperingError):
        setattr(checks, "to_numpy", lambda x, name="": x)
    with pytest.raises(TamperingError):
        del checks.assert_shape
    with pytest.raises(TamperingError):
        course.checks = object()


def test_helpers_patched_through_their_dict_are_detected():
    original = checks.assert_shape
    vars(checks)["assert_shape"] = lambda *a, **k: None
    try:
        with pytest.raises(TamperingError, match="course.checks.assert_shape"):
            checks.assert_close(1.0, 1.0)
    finally:
        vars(checks)["assert_shape"] = original
    checks.assert_close(1.0, 1.0)


def test_kernel_guard_restores_and_remembers():
    original = numpy.abs
    numpy.abs = lambda *a, **k: 0
    try:
        guard._guard_cell()
        assert numpy.abs is original, "the guard puts the original back"
        with pytest.raises(TamperingError, match="numpy.abs"):
            checks.assert_close(1.0, 1.0)
    finally:
        numpy.abs = original
        guard._TAMPERING_SEEN.clear()
    checks.assert_close(1.0, 1.0)


def test_isolated_swaps_in_references_only_while_grading():
    namespace = {"mse": "student"}
    with checks.isolated(namespace, "mse"):
        assert namespace["mse"] == "student"  # nothing registered: the student's own function
    checks.register_reference("mse", "reference")
    try:
        with pytest.raises(ZeroDivisionError):
            with checks.isolated(namespace, "mse", "absent"):
                assert namespace["mse"] == "reference"
                1 / 0
        assert namespace == {"mse": "student"}, "restored even when the block fails"
    finally:
        checks._REFERENCES.clear()


def _raise_from(source, filename, call="mse()"):
    namespace = {}
    exec(compile(source, filename, "exec"), namespace)
    try:
        eval(call, namespace)
    except NotImplementedError:
        return namespace, sys.exc_info()[2]


def test_stub_hint_names_the_unwritten_function_or_class():
    stub = "def mse():\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    for filename in ("/tmp/ipykernel_1/123.py", "<ipython-input-3-abc>", "<cell>"):  # IPython 9, 7.34, plain
        namespace, tb = _raise_from(stub, filename)
        hint = checks.stub_hint(tb, namespace)
        assert hint.startswith("Hint: `mse` is not written yet") and "Shift+Enter" in hint
    namespace, tb = _raise_from(stub, "/usr/lib/python3/library.py")
    assert checks.stub_hint(tb, {}) == "", "code whose globals are not the notebook's gets no advice"
    block = "class Block:\n    def __init__(self, width):\n        raise NotImplementedError()\n" \
            "    def forward(self, x):\n        raise NotImplementedError()\n"
    namespace, tb = _raise_from(block, "<cell>", "Block(3)")
    assert checks.stub_hint(tb, namespace).startswith("Hint: `Block` is not written yet")
    namespace, tb = _raise_from(block, "<cell>", "Block.forward(object.__new__(Block), 1)")
    assert checks.stub_hint(tb, namespace).startswith("Hint: `Block.forward` is not written yet")
    cell = {}
    try:
        exec(compile("# YOUR CODE HERE\nraise NotImplementedError()", "<cell>", "exec"), cell)
    except NotImplementedError:
        assert checks.stub_hint(sys.exc_info()[2], cell).startswith("Hint: this cell is not written yet")


def _executed_in_a_kernel(*sources):
    """A notebook of one code cell per source, executed in a fresh kernel (errors kept as outputs)."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    NotebookClient(notebook, allow_errors=True, kernel_name="python3", timeout=120).execute()
    return notebook


def test_not_implemented_error_gets_the_hint_in_a_kernel():
    notebook = _executed_in_a_kernel(
        "from course import checks  # as every set-up cell does",
        "def mse(y, y_hat):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
        "mse(1.0, 2.0)",
        "import torch\ntorch.nn.Module()(1.0)",
    )
    stub_error, library_error = notebook.cells[2].outputs[-1], notebook.cells[3].outputs[-1]
    assert stub_error.ename == "NotImplementedError", "graders still see the original error"
    assert "`mse` is not written yet" in "\n".join(stub_error.traceback)
    assert library_error.ename == "NotImplementedError"
    assert "not written yet" not in "\n".join(library_error.traceback)


def test_a_number_may_be_any_scalar_or_a_one_value_array():
    for number in (2.0, 2, numpy.float32(2.0), numpy.array(2.0), numpy.array([2.0]), torch.tensor(2.0),
                   torch.tensor([[2.0]])):
        assert checks.assert_scalar(number) == 2.0
        checks.assert_close(number, 2.0)
    with pytest.raises(CheckFailed, match="single number"):
        checks.assert_scalar(numpy.array([1.0, 2.0]))


def test_integers_of_every_integer_type_and_nothing_else():
    for value in (3, numpy.int32(3), numpy.int64(3), numpy.uint8(3), numpy.array(3), torch.tensor(3)):
        assert checks.assert_integer(value) == 3
    for value in (3.0, numpy.float64(3.0), True, numpy.array([3, 4])):
        with pytest.raises(CheckFailed, match="should be an integer"):
            checks.assert_integer(value)


def test_call_refusing_catches_every_route_to_a_refused_function():
    import torch.nn.functional as F

    saved_alias = F.conv2d
    x, w = torch.randn(1, 1, 5, 5), torch.randn(1, 1, 3, 3)

    def through_an_alias(x, w):
        return saved_alias(x, w)

    def swallowing_the_refusal(x, w):
        try:
            return F.conv2d(x, w)
        except BaseException:
            return x[..., 1:-1, 1:-1]

    def own_code(x, w):
        return x * 2

    for student in (through_an_alias, swallowing_the_refusal, lambda x, w: torch.nn.Conv2d(1, 1, 3)(x)):
        with pytest.raises(CheckFailed, match="calls torch.nn.functional.conv2d"):
            checks.call_refusing(["torch.nn.functional.conv2d"], student, x, w)
    assert checks.call_refusing(["torch.nn.functional.conv2d"], own_code, x, w) is None  # nothing for nbgrader to read
    assert F.conv2d(x, w).shape == (1, 1, 3, 3)  # usable again afterwards


def test_call_refusing_autograd_classes_and_other_libraries():
    def autograd(v):
        t = torch.tensor(v, requires_grad=True)
        (t ** 2).sum().backward()
        return t.grad

    def adam(v):
        return torch.optim.Adam([torch.zeros(1, requires_grad=True)])

    def scipy_softmax(v):
        import scipy.special
        return scipy.special.softmax(v)

    refused = ["torch.Tensor.backward", "torch.autograd.grad", "torch.optim.Adam", "scipy.special.softmax"]
    for student, name in [(autograd, "backward"), (adam, "Adam"), (scipy_softmax, "softmax")]:
        with pytest.raises(CheckFailed, match=name):
            checks.call_refusing(refused, student, numpy.ones(3))
    import scipy.special
    assert scipy.special.softmax(numpy.zeros(2)).tolist() == [0.5, 0.5]
    assert isinstance(torch.optim.Adam([torch.zeros(1, requires_grad=True)]), torch.optim.Adam)
    checks.verify_environment()  # nothing left patched


def test_call_refusing_a_torch_function_written_in_python():
    def broadcast(a, b):
        return torch.broadcast_shapes(a, b)  # does not dispatch through the torch function mode

    with pytest.raises(CheckFailed, match="broadcast_shapes"):
        checks.call_refusing(["torch.broadcast_shapes"], broadcast, (3, 1), (4,))
    assert torch.broadcast_shapes((3, 1), (4,)) == (3, 4)
    checks.verify_environment()


def test_call_refusing_checks_the_contract_every_exercise_shares():
    """Inputs are read-only and the result is new, for arrays and tensors, also inside lists."""
    def in_place(x):
        x[0] += 1
        return x * 2

    def the_same(x):
        return x

    def a_view(x):
        return x[::2] if not isinstance(x, list) else x[0][1:]

    def a_new_array(x):
        return (x[0] if isinstance(x, list) else x) * 2

    for x in (numpy.arange(6.0), torch.arange(6.0), torch.arange(6.0, requires_grad=True) * 1, [numpy.arange(3.0)]):
        with pytest.raises(CheckFailed, match="changed one of its input arrays in place"):
            checks.call_refusing([], in_place, x if not isinstance(x, torch.Tensor) else x.detach().clone())
        with pytest.raises(CheckFailed, match="shares memory with one of its inputs"):
            checks.call_refusing([], the_same, x)
        with pytest.raises(CheckFailed, match="shares memory with one of its inputs"):
            checks.call_refusing([], a_view, x)
        checks.call_refusing([], a_new_array, x)
    separate = numpy.arange(6.0)  # memory next to an input's, not shared with it
    checks.call_refusing([], lambda x: separate, numpy.arange(6.0))
    checks.call_refusing([], lambda x: (x.sum(), [x + 1]), numpy.full(3, numpy.nan))  # NaN inputs stay equal


def test_call_refusing_puts_back_the_names_a_function_rebinds():
    code = ("def cheat(x):\n    global np, accuracy_on, extra\n    np, accuracy_on, extra = None, None, 1\n"
            "    return x + 1\ncall_refusing([], cheat, numpy.ones(2))\n")
    notebook = {"np": numpy, "accuracy_on": len, "numpy": numpy, "call_refusing": checks.call_refusing}
    exec(code, notebook)  # a test cell calling a student's function that rebinds the notebook's names
    assert notebook["np"] is numpy and notebook["accuracy_on"] is len and notebook["extra"] == 1


def test_a_failing_check_names_the_students_earlier_functions_it_ran():
    namespace = {"mse": lambda y, y_hat: 0.0}
    with pytest.raises(CheckFailed, match="also runs your `mse` from earlier exercises"):
        with checks.isolated(namespace, "mse"):
            checks.assert_close(namespace["mse"](1, 2), 1.0)


def test_contract_checks_every_call_and_puts_back_the_notebooks_names():
    notebook = {"checks": checks, "numpy": numpy}
    exec("def mse(y, y_hat):\n    global checks\n    checks = None\n    return float(((y - y_hat) ** 2).mean())\n"
         "def double_in_place(x):\n    x *= 2\n    return x\n", notebook)
    mse = checks.contract(notebook["mse"], notebook)
    assert mse(numpy.ones(3), numpy.zeros(3)) == 1.0 and notebook["checks"] is checks
    assert checks.contract(mse, notebook) is mse and mse.__name__ == "mse"
    with pytest.raises(CheckFailed, match="double_in_place changed one of its input arrays in place"):
        checks.contract(notebook["double_in_place"], notebook)(numpy.ones(2))
    dropout = checks.contract(lambda x, training: x, notebook, returns_input=True)  # the text asks for x itself
    x = torch.ones(3)
    assert dropout(x, False) is x
    assert checks.contract(torch.nn.Linear, notebook) is torch.nn.Linear  # classes are left as they are

    class Liar:  # claims to be a contract already, and to be a class
        __class__ = type
        def __getattr__(self, name):
            return True
        def __call__(self, x):
            return x
    wrapped = checks.contract(Liar(), notebook)
    with pytest.raises(CheckFailed, match="shares memory"):
        wrapped(numpy.ones(2))
    guard._unwrap_contracts(space := {"mse": mse, "other": len})
    assert space == {"mse": notebook["mse"], "other": len}


def _sum_below_ten(xs):
    checks.assert_true(sum(xs) < 10, f"the sum is {sum(xs)}")


def test_for_all_reports_the_smallest_failing_input_the_same_every_time():
    messages = []
    for _ in range(2):
        with pytest.raises(CheckFailed) as failure:
            checks.for_all(_sum_below_ten, xs=checks.strategies.lists(checks.strategies.integers(0, 8), max_size=6))
        messages.append(str(failure.value))
    assert messages[0] == messages[1] == "fails for xs=[2, 8]: the sum is 10"


def test_for_all_reports_an_error_of_the_answer_with_its_input_and_passes_a_correct_one():
    def breaks_on_empty(xs):
        checks.assert_true(max(xs) >= 0, "negative")
    with pytest.raises(CheckFailed, match=r"fails for xs=\[\]: ValueError: max\(\) "):
        checks.for_all(breaks_on_empty, xs=checks.strategies.lists(checks.strategies.integers(0, 3)))
    seen = []
    checks.for_all(lambda xs: seen.append(xs), examples=30, xs=checks.dyadic_weights())
    assert 10 <= len(seen) <= 30


def test_for_all_keeps_its_own_hypothesis_and_refuses_a_faked_run(monkeypatch):
    import hypothesis

    monkeypatch.setattr(hypothesis, "given", lambda **_: (lambda test: (lambda: None)))  # a student's rebinding
    with pytest.raises(CheckFailed, match="fails for"):
        checks.for_all(_sum_below_ten, xs=checks.strategies.lists(checks.strategies.integers(0, 8), max_size=6))
    with pytest.raises(TamperingError, match="read-only"):
        checks._given = lambda **_: (lambda test: (lambda: None))
    monkeypatch.setitem(vars(checks), "_given", lambda **_: (lambda test: (lambda: None)))  # behind the seal
    with pytest.raises(TamperingError):
        checks.for_all(_sum_below_ten, xs=checks.strategies.lists(checks.strategies.integers(0, 8)))


@pytest.mark.parametrize("weights", [[1, 2, 2], [4, 4], [3], [0, 5, 1]])
def test_dyadic_weights_sum_to_a_power_of_two(weights):
    completed = checks._complete_to_power_of_two(weights)
    total = sum(completed)
    assert completed[:len(weights)] == weights and total & (total - 1) == 0 and min(completed) >= 0


def test_contract_checks_the_gradient_mode_the_text_names():
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU())
    x = torch.randn(4, 2)

    def recording(model, x):
        return (model(x) > 0).detach()

    def not_recording(model, x):
        with torch.no_grad():
            return model(x) > 0

    assert checks.contract(recording, {})(model, x).shape == (4, 3), "no gradient mode named: nothing checked"
    assert checks.contract(not_recording, {}, records_gradients=False)(model, x).shape == (4, 3)
    with pytest.raises(CheckFailed, match="runs the model with gradient recording on"):
        checks.contract(recording, {}, records_gradients=False)(model, x)
    assert not any(m._forward_pre_hooks for m in model.modules()), "the hooks are removed after the call"


def test_contract_refuses_results_that_still_record_the_graph_where_the_text_asks_for_detached_ones():
    weight = torch.nn.Parameter(torch.ones(3))

    def loss_items():
        loss = (weight * 2).sum()
        return loss.item(), [loss.detach()], {"weight": weight.detach().clone()}

    def returning(kept):
        return lambda: (1.0, [kept])

    assert checks.contract(returning(weight * 2), {})()[1][0].requires_grad, "detached not asked for: nothing checked"
    assert checks.contract(loss_items, {}, detached=True)()[0] == 6.0
    for kept in ((weight * 2).sum(), weight):  # a loss that holds its graph, a parameter
        with pytest.raises(CheckFailed, match="still records the graph"):
            checks.contract(returning(kept), {}, detached=True)()


def test_a_test_cell_gets_the_notebooks_modules_back_and_contracts_end_with_the_cell():
    """`np = ...` in a solution cell: the next test cell's `checks.contract` puts numpy back; a function
    wrapped by a test cell is the student's own again in the cells after it (the kernel guard)."""
    notebook = _executed_in_a_kernel(
        "import numpy as np\nfrom course import checks",
        "def mse(a, b):\n    return 0.0\nnp = type('FakeNumpy', (), {'mean': staticmethod(lambda *a, **k: 0.0)})()",
        "mse = checks.contract(mse, globals())\nprint(np.__name__, hasattr(mse, '__wrapped__'))",
        "print(hasattr(mse, '__wrapped__'))",
    )
    assert notebook.cells[2].outputs[0].text == "numpy True\n"
    assert notebook.cells[3].outputs[0].text == "False\n"


def test_a_test_cell_calls_the_real_builtins_whatever_the_notebook_named_like_them():
    """`max = ...`, `bool = ...`, `globals = ...` in a solution cell: after the test cell's
    `checks.contract` its own code calls the builtins, the student's function still sees its names,
    and so do the cells after it; a notebook's own `__builtins__` is replaced before the next cell."""
    notebook = _executed_in_a_kernel(
        "import numpy as np\nfrom course import checks",
        "def mse(a, b):\n    return float(max(a))\nmax = lambda *a, **k: 0.0\nbool = lambda *a: True\nglobals = lambda: {}",
        "mse = checks.contract(mse, globals())\nprint(max([1, 5]), bool(0), mse([3.0], [0]), 'mse' in globals())",
        "print(max([1, 5]), bool(0))",
        "__builtins__ = dict(vars(__import__('builtins')), len=lambda x: 0)",
        "print(len([1, 2]))",
    )
    assert notebook.cells[2].outputs[0].text == "5 False 0.0 True\n"
    assert notebook.cells[3].outputs[0].text == "0.0 True\n"
    assert notebook.cells[5].outputs[0].text == "2\n"


def test_a_failing_check_shows_the_notebook_line_and_the_message_not_the_checks_code():
    notebook = _executed_in_a_kernel(
        "from course import checks\nimport numpy as np",
        "checks.assert_close(1.0, 2.0, name='mse(y, y_hat)', hint='divide by N')",
        "def scale(x):\n    x *= 2\n    return x\nchecks.call_refusing([], scale, np.ones(3))",
    )
    error, broken_contract = notebook.cells[1].outputs[-1], notebook.cells[2].outputs[-1]
    shown = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error.traceback))  # without the colours
    assert (error.ename, error.evalue.splitlines()[-1]) == ("CheckFailed", "Hint: divide by N")
    assert "checks.assert_close(1.0, 2.0" in shown and "checks.py" not in shown
    shown = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(broken_contract.traceback))
    assert "changed one of its input arrays in place" in broken_contract.evalue
    assert "checks.call_refusing([], scale" in shown and "guard.py" not in shown, "the guard's frames are hidden too"


def test_global_module_hooks_and_open_torch_modes_fail_every_check():
    """Ways to change every network's output without replacing a function: a global forward hook, a
    torch function mode left open (`torch.set_default_device`'s own mode is allowed)."""
    handle = torch.nn.modules.module.register_module_forward_hook(lambda module, inputs, output: output)
    try:
        with pytest.raises(TamperingError, match="_global_forward_hooks"):
            checks.assert_close(1.0, 1.0)
    finally:
        handle.remove()

    class Oracle(torch.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            return func(*args, **(kwargs or {}))

    with Oracle():
        with pytest.raises(TamperingError, match="Oracle"):
            checks.assert_close(1.0, 1.0)
    with torch.device("cpu"):
        checks.assert_close(1.0, 1.0)
    checks.assert_close(1.0, 1.0)


def test_watched_torch_classes_cover_the_hidden_tests():
    """Every torch.nn or torch.optim class a hidden test builds a model or optimiser from is watched."""
    from course.grader import coursedir

    used = set()
    for name in coursedir.assignments(coursedir.REPO_ROOT):
        notebook = nbformat.read(str(coursedir.notebook_path(coursedir.REPO_ROOT, "source", name)), as_version=4)
        for cell in notebook.cells:
            for hidden in re.findall(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", cell.source, re.S):
                used |= {f"{owner}.{cls}" for owner, cls in re.findall(r"\b(?:torch\.)?(nn|optim)\.([A-Z]\w*)", hidden)}
    assert used and used <= set(guard.WATCHED_TORCH_CLASSES), used - set(guard.WATCHED_TORCH_CLASSES)


def test_torch_wrapping_an_optimisers_step_is_not_tampering_but_a_fake_wrapper_is():
    """torch wraps `step` in a profiling hook at an optimiser class's first instance: adopted. The same
    wrapper around another function (with `__wrapped__` set to the real one) is tampering."""
    weight = torch.zeros(2, requires_grad=True)
    for optimiser in (torch.optim.SGD([weight], lr=0.1), torch.optim.Adam([weight], lr=0.1)):
        weight.sum().backward()
        optimiser.step()
    checks.assert_close(1.0, 1.0)
    real = torch.optim.Adam.step
    fake = torch.optim.Optimizer.profile_hook_step(lambda self, closure=None: None)
    fake.__wrapped__ = real
    error = _check_while_patched(torch.optim.Adam, "step", fake)
    assert isinstance(error, TamperingError) and "Adam.step" in str(error), error
    checks.assert_close(1.0, 1.0)
