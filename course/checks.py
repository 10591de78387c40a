"""Comparison helpers used by every test cell of the course.

A test cell calls, for example::

    checks.assert_close(mse(y, y_hat), 4 / 3, name="mse(y, y_hat)",
                        hint="the mean squared error averages over all elements")

and gets a plain-words ``AssertionError`` (shape, dtype, NaN, wrong values, with the hint) when the
student's answer is wrong. In a Jupyter kernel a failing check shows the notebook's line and the
message, and an exercise stub that is not written yet gets a hint (``install_kernel_guard``).

The checks cannot be fooled by the code they check: they accept only genuine values, fail once
numpy, torch, the builtins or the course modules were patched, and hidden tests call the student's
functions through ``contract`` and ``call_refusing``. All of that is the guard, ``course.guard``;
this module uses it and re-exports what test cells call (``contract``, ``call_refusing``,
``verify_environment``, ``CheckFailed``, ``TamperingError``).

Importing this module loads the other helpers, seals them all (``guard.seal``) and installs the
kernel guard: the set-up cell of every notebook imports it before any student code runs.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import types

import numpy

from course import guard
from course.guard import CheckFailed, TamperingError, call_refusing, contract, verify_environment  # noqa: F401
from course.guard import fail as _fail

try:  # torch is part of the pinned stack, but the helpers also work without it
    import torch
except ImportError:  # pragma: no cover - exercised only in a torch-free environment
    torch = None

try:  # the grader's property checks (`for_all`); students never need it, Colab does not ship it
    import hypothesis as _hypothesis
    import hypothesis.strategies as _hypothesis_strategies
except ImportError:
    _hypothesis = None

# Pristine builtins and numpy, as in the guard: a notebook that replaces them changes nothing here.
globals().update({name: value for name, value in vars(builtins).items() if not name.startswith("_")})
np = guard.np
_MISSING = object()


# --------------------------------------------------------------------------------------------
# In the kernel: tampering undone before every cell, failing checks and stubs explained
# --------------------------------------------------------------------------------------------

def install_kernel_guard():
    """In an IPython kernel, check and restore the pristine state before every cell runs
    (``guard.install_cell_guard``).

    Also explains a ``NotImplementedError`` raised by an exercise stub, and shows a failing check without
    the checks' own frames (see ``_explain_error``).
    """
    shell = getattr(builtins, "get_ipython", lambda: None)()
    if shell is not None:
        guard.install_cell_guard(shell)
    if shell is not None and hasattr(shell, "set_custom_exc"):
        shell.set_custom_exc((NotImplementedError, CheckFailed), _explain_error)


def stub_hint(tb, notebook_namespace):
    """The advice shown under a ``NotImplementedError`` whose traceback is ``tb``, or ``""``.

    Only an exception raised by code written in the notebook gets advice (an exercise stub ``raise
    NotImplementedError()``), not one raised inside a library: the raising frame's globals are the
    notebook's namespace (``notebook_namespace``, IPython's ``user_ns``). That holds on every IPython
    and ipykernel, whatever file names they give the cells. A method names its class: "`Block` is
    not written yet" for ``__init__``, "`Block.forward`" for another method.
    """
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None or notebook_namespace is None or tb.tb_frame.f_globals is not notebook_namespace:
        return ""
    frame, name = tb.tb_frame, tb.tb_frame.f_code.co_name
    if name == "<module>":
        return "Hint: this cell is not written yet. Replace `raise NotImplementedError()` with your code and run it again."
    owner = frame.f_locals.get("self", frame.f_locals.get("cls"))
    if owner is not None and name in getattr(owner if isinstance(owner, type) else type(owner), "__dict__", {}):
        cls = (owner if isinstance(owner, type) else type(owner)).__name__
        name = cls if name == "__init__" else f"{cls}.{name}"
    return (f"Hint: `{name}` is not written yet. Replace `raise NotImplementedError()` in its cell with "
            "your code, run that cell (Shift+Enter), then run this cell again.")


def _without_check_frames(tb):
    """The traceback ``tb`` without the frames of this module and of the guard: a failing check shows
    the notebook's line and the message, not the checks' own code."""
    kept = []
    while tb is not None:
        if tb.tb_frame.f_globals is not globals() and tb.tb_frame.f_globals is not vars(guard):
            kept.append(tb)
        tb = tb.tb_next
    rebuilt = None
    for entry in reversed(kept):
        rebuilt = types.TracebackType(rebuilt, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return rebuilt


def _explain_error(shell, etype, value, tb, tb_offset=None):
    """IPython handler for ``NotImplementedError`` (the usual error output, plus ``stub_hint``) and
    ``CheckFailed`` (its traceback without the checks' own frames).

    The error keeps its name and message, so graders and ``python -m course check`` see the same
    error; the hint is one more line of its traceback.
    """
    if issubclass(etype, CheckFailed):
        tb = _without_check_frames(tb) or tb
    lines = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    hint = stub_hint(tb, shell.user_ns) if issubclass(etype, NotImplementedError) else ""
    if hint:
        lines = [*lines, f"\x1b[1;34m{hint}\x1b[0m"]
    shell._showtraceback(etype, value, lines)
    return lines


# --------------------------------------------------------------------------------------------
# Conversion of answers to plain numpy arrays
# --------------------------------------------------------------------------------------------

def to_numpy(value, name="the result"):
    """Return ``value`` as a plain float or integer numpy array, refusing anything suspicious.

    Accepted: Python numbers, numpy arrays and scalars of a numeric dtype, torch tensors, and
    (nested) lists or tuples of those. Everything else raises ``CheckFailed`` with a clear message.
    """
    verify_environment()
    return guard.genuine_array(value, name)


def to_number(value, name="the result"):
    """Return ``value`` as a float if it is a number as the rules define it: a Python or numpy
    number, or an array, tensor or list holding exactly one number (``CheckFailed`` otherwise).
    Demo cells use it on what a student's function returns, so every allowed form works there."""
    array = to_numpy(value, name)
    if array.size != 1:
        raise CheckFailed(f"{name} should be a single number, but it has shape {array.shape}.")
    return float(array.reshape(()))


def to_tensor(value, name="the result"):
    """``to_numpy``, as a torch tensor: demo cells use it on what a student's function returns
    where the rules allow a NumPy array or a tensor."""
    return torch.from_numpy(to_numpy(value, name))


# --------------------------------------------------------------------------------------------
# Public checks
# --------------------------------------------------------------------------------------------

def _format_index(index):
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def assert_shape(actual, shape, name="the result", hint=""):
    """Check that ``actual`` has exactly the given shape (a tuple; ``()`` for a scalar)."""
    array = to_numpy(actual, name)
    shape = tuple(int(n) for n in shape)
    if array.shape != shape:
        _fail(f"{name} has shape {array.shape}, expected {shape}.", hint)
    return array


def assert_scalar(actual, name="the result", hint=""):
    """Check that ``actual`` is a single number and return it as float: a Python number, a numpy
    scalar, a 0-d array or tensor (an array holding exactly one number counts too)."""
    try:
        return to_number(actual, name)
    except CheckFailed as error:
        _fail(str(error), hint)


def assert_close(actual, expected, name="the result", hint="", rtol=1e-6, atol=1e-8, shape=True):
    """Check that ``actual`` matches ``expected`` elementwise within ``atol + rtol * |expected|``.

    With ``shape=True`` (default) the shapes must be equal; otherwise broadcasting is allowed.
    NaN or infinite values in the answer are reported first, since they usually mean an overflow.
    """
    got = to_numpy(actual, name).astype(np.float64)
    want = guard.genuine_array(expected, "the expected value").astype(np.float64)
    if want.shape == () and got.size == 1:  # a number: a 0-d or a one-element array counts as one
        got = got.reshape(())
    if shape and got.shape != want.shape:
        _fail(f"{name} has shape {got.shape}, expected {want.shape}.", hint)
    try:
        got, want = np.broadcast_arrays(got, want)
    except ValueError:
        _fail(f"{name} has shape {got.shape}, which does not match the expected shape {want.shape}.", hint)
    _check_not_finite(got, want, name, hint)
    with np.errstate(invalid="ignore"):  # inf - inf where the reference has an infinity: judged below
        error = np.abs(got - want)
    allowed = atol + rtol * np.abs(want)
    finite = np.isfinite(want)
    bad = finite & ~(error <= allowed)
    both_nan = (got != got) & (want != want)
    bad = bad | (~finite & (got != want) & ~both_nan)  # NaN and infinities must be where the reference has them
    if bad.any():
        count = int(bad.sum())
        first = tuple(np.argwhere(bad)[0])
        where = f" at index {_format_index(first)}" if got.ndim else ""
        _fail(f"{name} is wrong{where}: got {float(got[first]):.6g}, expected {float(want[first]):.6g} "
              f"({count} of {got.size} values differ, largest error {float(np.max(error[bad])):.3g}).", hint)
    return got


def _check_not_finite(got, want, name, hint):
    nan = (got != got) & ~(want != want)
    if nan.any():
        first = tuple(np.argwhere(nan)[0])
        _fail(f"{name} contains NaN (first at index {_format_index(first)}). NaN usually comes from "
              "inf - inf, 0 * inf, 0 / 0 or log of a negative number.", hint)
    inf = np.isinf(got) & np.isfinite(want)
    if inf.any():
        first = tuple(np.argwhere(inf)[0])
        _fail(f"{name} contains an infinite value (first at index {_format_index(first)}): "
              "an overflow, such as exp of a large number or a division by zero?", hint)


def assert_true(condition, message, hint=""):
    """Check a condition that must be a genuine bool (or numpy bool), not an object that claims truth."""
    verify_environment()
    if type(condition) not in (bool, numpy.bool_):
        raise CheckFailed(f"internal check error: expected a bool, got {guard.describe(condition)}.")
    if not condition:
        _fail(message, hint)


def assert_unchanged(before, after, name, hint=""):
    """Check that an input array was not modified in place (``before`` is a copy taken earlier)."""
    if not np.array_equal(to_numpy(before, name), to_numpy(after, name)):
        _fail(f"{name} was modified in place; the function must return new arrays and leave its "
              "inputs untouched.", hint)


# --------------------------------------------------------------------------------------------
# Properties: a check run on many inputs drawn by Hypothesis, the smallest failing one reported
# --------------------------------------------------------------------------------------------

# Pristine references, taken at import (before any notebook code runs): rebinding names of the
# hypothesis package later changes nothing here.
if _hypothesis is not None:
    strategies = guard.pristine_namespace("course.checks.strategies", _hypothesis_strategies)
    _given, _settings = _hypothesis.given, _hypothesis.settings
    _HealthCheck, _Verbosity = _hypothesis.HealthCheck, _hypothesis.Verbosity
else:
    strategies = None


def _complete_to_power_of_two(weights):
    total = sum(weights)
    return weights if total & (total - 1) == 0 else weights + [2 ** total.bit_length() - total]


def dyadic_weights(max_size=9, max_weight=6):
    """A strategy of lists of non-negative integer weights (ties and zeros included) whose total is a
    power of two: the probabilities ``weights / total`` and all their partial sums are exact in
    floating point, so a threshold can sit exactly on a cumulative probability and every correct
    way of summing agrees."""
    weights = strategies.lists(strategies.integers(0, max_weight), min_size=1, max_size=max_size)
    return weights.filter(lambda w: sum(w) > 0).map(_complete_to_power_of_two)


def _show_example(example, limit=300):
    text = ", ".join(f"{name}={value!r}" for name, value in example.items())
    return text if len(text) <= limit else text[:limit] + " ..."


def for_all(check, examples=100, **inputs):
    """Run ``check(**example)`` on up to ``examples`` examples drawn from the Hypothesis strategies
    ``inputs`` (``checks.strategies``), the same examples on every run (derandomized, no example
    database). ``check`` raises ``CheckFailed`` when the answer is wrong; then Hypothesis shrinks
    the example, and the smallest failing one is named in the message ("fails for probs=[0.5, 0.25,
    0.25], p=0.5: ..."). Any other error of the answer is reported the same way."""
    if _hypothesis is None:
        raise CheckFailed("this check needs the hypothesis package (installed with the course's grader).")
    verify_environment()
    calls, last = [0], {}

    def run(**example):
        calls[0] += 1
        last.clear()
        last.update(example)
        check(**example)

    options = _settings(max_examples=examples, derandomize=True, database=None, deadline=None, print_blob=False,
                        verbosity=_Verbosity.quiet, suppress_health_check=list(_HealthCheck))
    try:
        options(_given(**inputs)(run))()
    except TamperingError:
        raise
    except CheckFailed as failure:
        raise CheckFailed(f"fails for {_show_example(last)}: {failure}") from None
    except Exception as error:  # noqa: BLE001 - an error of the answer on that input (or an unstable one)
        raise CheckFailed(f"fails for {_show_example(last)}: {type(error).__name__}: {error}") from error
    if calls[0] == 0:
        raise TamperingError("the property check ran on no example: the hypothesis package was tampered with.")


# --------------------------------------------------------------------------------------------
# Grading one exercise at a time
# --------------------------------------------------------------------------------------------

_REFERENCES = {}


def register_reference(name, function):
    """Record the instructor's version of ``name`` (called only in hidden tests)."""
    _REFERENCES[name] = function


def _mention_earlier_functions(error, names):
    """Say, in a failing check, that the student's own earlier functions took part in it."""
    listed = ", ".join(f"`{name}`" for name in names)
    note = (f"This check also runs your {listed} from earlier exercises: if one of their checks "
            "fails, fix that first.")
    if isinstance(error, CheckFailed) and error.args and isinstance(error.args[0], str):
        error.args = (f"{error.args[0]}\n{note}",) + error.args[1:]
    else:
        error.add_note(note)


@contextlib.contextmanager
def isolated(namespace, *names):
    """Run a block with the instructor's versions of earlier exercises, while grading.

    A later exercise often calls an earlier one (``fit_line`` calls ``mse_grad``). So that a
    mistake is counted once, in its own exercise, the grader swaps in reference versions of the
    named functions for the duration of the block. In a student's notebook nothing is registered,
    so the block runs with the student's own functions, and a check that fails inside it says so.
    """
    saved = {}
    for name in names:
        if name in _REFERENCES:
            saved[name] = namespace.get(name, _MISSING)
            namespace[name] = _REFERENCES[name]
    yours = [name for name in names if name not in saved]
    try:
        yield
    except Exception as error:
        if yours:
            _mention_earlier_functions(error, yours)
        raise
    finally:
        for name, value in saved.items():
            if value is _MISSING:
                namespace.pop(name, None)
            else:
                namespace[name] = value


# --------------------------------------------------------------------------------------------
# Numbers and integers as the exercises define them
# --------------------------------------------------------------------------------------------

def assert_integer(actual, name="the result", hint=""):
    """Check that ``actual`` is a whole number of an integer type (Python ``int``, any numpy integer,
    a 0-d integer array or tensor; not ``bool``, not a float such as ``3.0``) and return it as ``int``."""
    array = to_numpy(actual, name)
    if array.size != 1 or array.dtype.kind not in "iu":
        kind = f"dtype {array.dtype}" if array.size == 1 else f"shape {array.shape}"
        _fail(f"{name} should be an integer (int or a numpy integer), but it has {kind}.", hint)
    return int(array.reshape(()))


# Importing the checks loads the other helpers (as the set-up cell of every notebook relies on) and
# seals them all, then installs the kernel guard when running in an IPython kernel.
for _helper in ("data", "gradcheck", "mlp", "plots"):
    importlib.import_module(f"course.{_helper}")
guard.seal()
install_kernel_guard()
