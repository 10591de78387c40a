"""Comparison helpers used by every test cell of the course.

A test cell calls, for example::

    checks.assert_close(mse(y, y_hat), 4 / 3, name="mse(y, y_hat)",
                        hint="the mean squared error averages over all elements")

and gets a plain-words ``AssertionError`` (shape, dtype, NaN, wrong values, with the hint) when the
student's answer is wrong.

The helpers must not be fooled by the code they check. They therefore

* accept only genuine values: Python numbers, numpy arrays and scalars, torch tensors, and lists or
  tuples of those; an object of another class (for example one whose ``__eq__`` always says True,
  or whose ``__float__`` / ``__array__`` lie) is refused, and so is a subclass of ``ndarray``;
* keep pristine references to numpy, torch and the builtins, taken when this module is imported
  (in the read-only set-up cell, before any student code runs), and compare with those;
* look for tampering before every check: a function of numpy, torch, math, the builtins or of this
  package that was replaced or deleted after import makes the check fail with ``TamperingError``;
* refuse attribute assignment on the ``course`` modules (``checks.assert_close = ...``);
* in a Jupyter kernel, restore anything patched before each cell runs and fail every later check
  of that notebook (``install_kernel_guard``, called when ``course`` is imported).

In-process checks stop the usual tricks, not a determined attacker who controls the kernel: the
grading pipeline adds its own safeguards on top.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import inspect
import math
import sys
import types

import numpy

try:  # torch is part of the pinned stack, but the helpers also work without it
    import torch
except ImportError:  # pragma: no cover - exercised only in a torch-free environment
    torch = None

try:  # the grader's property checks (`for_all`); students never need it, Colab does not ship it
    import hypothesis as _hypothesis
    import hypothesis.strategies as _hypothesis_strategies
except ImportError:
    _hypothesis = None

# Pristine builtins: names in a module's globals shadow the builtins, so from here on this module
# uses the builtins as they were at import time, even if a notebook later replaces them.
globals().update({name: value for name, value in vars(builtins).items() if not name.startswith("_")})

# Pristine numpy: a frozen copy of the namespace, so `np.allclose = ...` in a notebook changes nothing here.
np = types.SimpleNamespace(**vars(numpy))

_NUMPY_SCALARS = (
    numpy.bool_, numpy.int8, numpy.int16, numpy.int32, numpy.int64,
    numpy.uint8, numpy.uint16, numpy.uint32, numpy.uint64,
    numpy.float16, numpy.float32, numpy.float64, numpy.longdouble,
)
_PYTHON_NUMBERS = (bool, int, float)
_NUMERIC_KINDS = "biuf"  # bool, signed int, unsigned int, float


class CheckFailed(AssertionError):
    """A check did not pass; the message says why, in plain words."""


class TamperingError(CheckFailed):
    """Code in the notebook changed numpy, torch, the builtins or the check helpers."""


# --------------------------------------------------------------------------------------------
# Tamper detection
# --------------------------------------------------------------------------------------------

# Names that change legitimately while a notebook runs: IPython's output history, warnings, and
# `input`, `get_ipython`, `exit` and `quit`, which IPython re-installs for every cell it executes.
_VOLATILE = {"_", "__", "___", "__warningregistry__", "__builtins__", "input", "get_ipython", "exit", "quit"}
# Attributes a library replaces itself on first use (importing torch._dynamo wraps torch.manual_seed).
_SELF_PATCHED = {"torch.manual_seed"}
_MISSING = object()


def _watched_namespaces():
    """The namespaces whose contents the checks rely on, by display name."""
    spaces = {"builtins": builtins, "math": math, "numpy": numpy, "numpy.linalg": numpy.linalg,
              "numpy.random": numpy.random}
    for name in ("numpy._core.numeric", "numpy._core.fromnumeric", "numpy._core._methods",
                 "numpy._core.umath", "numpy._core.multiarray"):
        if name in sys.modules:
            spaces[name] = sys.modules[name]
    if torch is not None:
        spaces.update({"torch": torch, "torch.nn.functional": torch.nn.functional,
                       "torch.linalg": torch.linalg, "torch.Tensor": torch.Tensor})
    return spaces


def _snapshot():
    return {label: dict(vars(space)) for label, space in _watched_namespaces().items()}


def _tampered_names(snapshot):
    """Names in the watched namespaces whose value is no longer the one seen at import."""
    changed = []
    for label, space in _watched_namespaces().items():
        current = vars(space)
        for name, original in snapshot.get(label, {}).items():
            if name in _VOLATILE or f"{label}.{name}" in _SELF_PATCHED:
                continue
            if current.get(name, _MISSING) is not original:
                changed.append(f"{label}.{name}")
        if isinstance(space, type):  # a new attribute on a class shadows an inherited method
            changed += [f"{label}.{name}" for name in current if name not in snapshot.get(label, {})]
    return changed


def _changed_names():
    """Everything patched since import: watched namespaces, course modules, ``sys.modules`` entries."""
    changed = _tampered_names(_PRISTINE)
    for module_name, original in _PRISTINE_COURSE.items():
        module = sys.modules.get(module_name)
        if module is None or vars(module) is not original["dict"]:
            changed.append(f"sys.modules[{module_name!r}]")
            continue
        for name, value in original["values"].items():
            if name not in _VOLATILE and vars(module).get(name, _MISSING) is not value:
                changed.append(f"{module_name}.{name}")
    return changed


def verify_environment():
    """Raise ``TamperingError`` if numpy, torch, math, builtins or the course helpers were patched.

    Patching seen earlier by the kernel guard (and undone by it) counts too.
    """
    changed = _TAMPERING_SEEN + _changed_names()
    if changed:
        listed = ", ".join(dict.fromkeys(changed[:5])) + (" ..." if len(changed) > 5 else "")
        raise TamperingError(
            f"Code in this notebook replaced {listed}. The checks cannot be trusted, so this "
            "test fails. Remove any code that assigns to attributes of numpy, torch, builtins "
            "or course, then restart the kernel and run all cells."
        )


def _restore_pristine():
    """Put back every patched value; returns the names that had been changed."""
    changed = _changed_names()
    if not changed:
        return changed
    for label, space in _watched_namespaces().items():
        for name, original in _PRISTINE.get(label, {}).items():
            if name not in _VOLATILE and f"{label}.{name}" not in _SELF_PATCHED:
                if vars(space).get(name, _MISSING) is not original:
                    setattr(space, name, original)
        if isinstance(space, type):
            for name in [n for n in vars(space) if n not in _PRISTINE.get(label, {})]:
                delattr(space, name)
    for module_name, original in _PRISTINE_COURSE.items():
        sys.modules[module_name] = original["module"]
        vars(original["module"]).update(original["values"])
    return changed


def _guard_cell(*_args):
    """IPython ``pre_run_cell`` hook: undo tampering before every cell and remember it; a function
    a test cell wrapped with ``contract`` is itself again in the cells after it; the notebook's
    names of modules (``np``, ``torch``, ``F``, ``data``...) are noted the first time they are seen."""
    changed = _restore_pristine()
    if changed:
        _TAMPERING_SEEN.extend(changed)
    for shell in _KERNEL_SHELL:  # (between cells IPython's get_ipython is not in the builtins)
        _unwrap_contracts(shell.user_ns)
        _note_module_names(shell.user_ns)


_KERNEL_SHELL = []  # the IPython shell the guard was installed in, if any


# A notebook name bound, at a cell boundary, to one of the modules loaded when this module was
# imported (``_PRISTINE_MODULES``, read-only, taken before any student code) is noted once here and
# put back by `contract`.
_MODULE_NAMES = {}


def _note_module_names(namespace):
    for name, value in list(namespace.items()):
        if (not name.startswith("_") and name not in _MODULE_NAMES and isinstance(value, types.ModuleType)
                and _PRISTINE_MODULES.get(getattr(value, "__name__", None)) is value):
            _MODULE_NAMES[name] = value


def _restore_module_names(namespace):
    """Put back the notebook's names of modules (``np = something_else`` in a solution cell)."""
    for name, module in list(_MODULE_NAMES.items()):
        if namespace.get(name) is not module and _PRISTINE_MODULES.get(getattr(module, "__name__", None)) is module:
            namespace[name] = module


def _unwrap_contracts(namespace):
    for name, value in list(namespace.items()):
        if _is_contract(value):
            namespace[name] = value.__dict__["__wrapped__"]


def install_kernel_guard():
    """In an IPython kernel, check and restore the pristine state before every cell runs.

    Also explains a ``NotImplementedError`` raised by an exercise stub, and shows a failing check without
    the checks' own frames (see ``_explain_error``).
    """
    shell = getattr(builtins, "get_ipython", lambda: None)()
    if shell is not None and _guard_cell not in shell.events.callbacks["pre_run_cell"]:
        shell.events.register("pre_run_cell", _guard_cell)
        _KERNEL_SHELL[:] = [shell]
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
    """The traceback ``tb`` without the frames of this module: a failing check shows the notebook's
    line and the message, not the checks' own code."""
    kept = []
    while tb is not None:
        if tb.tb_frame.f_globals is not globals():
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


class _ReadOnlyModule(types.ModuleType):
    """Module class that refuses attribute assignment and deletion.

    The one assignment allowed is the import system adding a new submodule (``import course.lm``).
    """

    def __setattr__(self, name, value):
        is_new_submodule = (type(value) in (types.ModuleType, _ReadOnlyModule) and name not in vars(self)
                            and value.__name__ == f"{self.__name__}.{name}")
        if not is_new_submodule:
            raise TamperingError(f"{self.__name__}.{name} is read-only: the course helpers cannot be changed.")
        types.ModuleType.__setattr__(self, name, value)

    def __delattr__(self, name):
        raise TamperingError(f"{self.__name__}.{name} is read-only: the course helpers cannot be deleted.")


def _is_runtime_module(name):
    """``course`` and its helper modules; not the instructor's grader (``course.grader``)."""
    return name == "course" or (name.startswith("course.") and not name.startswith("course.grader"))


def _seal_course_modules():
    """Make every loaded ``course`` runtime module read-only and remember its contents."""
    for name, module in list(sys.modules.items()):
        if _is_runtime_module(name) and module is not None:
            if type(module) is types.ModuleType:
                module.__class__ = _ReadOnlyModule
            _PRISTINE_COURSE[name] = {"module": module, "dict": vars(module), "values": dict(vars(module))}


# --------------------------------------------------------------------------------------------
# Conversion of answers to plain numpy arrays
# --------------------------------------------------------------------------------------------

def _describe(value):
    return type(value).__module__ + "." + type(value).__qualname__ if type(value).__module__ != "builtins" \
        else type(value).__name__


def to_numpy(value, name="the result"):
    """Return ``value`` as a plain float or integer numpy array, refusing anything suspicious.

    Accepted: Python numbers, numpy arrays and scalars of a numeric dtype, torch tensors, and
    (nested) lists or tuples of those. Everything else raises ``CheckFailed`` with a clear message.
    """
    verify_environment()
    return _convert(value, name)


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


def _convert(value, name):
    kind = type(value)
    if kind is numpy.ndarray:
        array = value.copy()
    elif kind in _NUMPY_SCALARS or kind in _PYTHON_NUMBERS:
        array = np.asarray(value)
    elif torch is not None and kind in (torch.Tensor, torch.nn.Parameter):
        # The C base class's methods: a patched torch.Tensor method cannot change the conversion.
        base = torch._C.TensorBase
        tensor = base.cpu(base.detach(value))
        if tensor.dtype in (torch.bfloat16, torch.float16):
            tensor = base.float(tensor)
        array = base.numpy(tensor).copy()
    elif kind in (list, tuple):
        if len(value) == 0:
            return np.zeros(0)
        parts = [_convert(item, name) for item in value]
        shapes = {part.shape for part in parts}
        if len(shapes) != 1:
            raise CheckFailed(f"{name} is a ragged list: its elements have different shapes {sorted(shapes)}.")
        array = np.stack(parts)
    elif value is None:
        raise CheckFailed(f"{name} is None. Did you forget a `return` statement?")
    elif isinstance(value, numpy.ndarray):
        raise CheckFailed(f"{name} is a {_describe(value)}, a subclass of numpy.ndarray; "
                          "return a plain numpy array (np.asarray) instead.")
    else:
        raise CheckFailed(f"{name} should be a number or a numpy array, but it is a {_describe(value)}.")
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise CheckFailed(f"{name} has dtype {array.dtype}; a numeric (float or int) array is expected.")
    return array


# --------------------------------------------------------------------------------------------
# Public checks
# --------------------------------------------------------------------------------------------

def _fail(message, hint):
    if hint:
        message = f"{message}\nHint: {hint}"
    raise CheckFailed(message)


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
    want = _convert(expected, "the expected value").astype(np.float64)
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
        raise CheckFailed(f"internal check error: expected a bool, got {_describe(condition)}.")
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
    strategies = types.SimpleNamespace(**vars(_hypothesis_strategies))
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


# --------------------------------------------------------------------------------------------
# The library-shortcut rule: an exercise that teaches a computation may not call the library's
# own version of it. Hidden tests call the student's function through `call_refusing`.
# --------------------------------------------------------------------------------------------

class _Refused(BaseException):
    """Raised inside a refused library function; a BaseException so that `except Exception` in
    the student's code does not hide it (the call is recorded anyway)."""


def _refusing_stub(path, calls):
    def refused(*_args, **_kwargs):
        calls.append(path)
        raise _Refused(path)
    return refused


if torch is not None:
    from torch.overrides import TorchFunctionMode

    class _RefusingMode(TorchFunctionMode):
        """Every torch function, tensor method and autograd call passes through here, however it
        was reached (``F.conv2d``, an alias saved earlier, ``x.softmax``, ``loss.backward``)."""

        def __init__(self, names, calls):
            super().__init__()
            self.names, self.calls = names, calls

        def __torch_function__(self, func, types, args=(), kwargs=None):
            name = getattr(func, "__name__", "")
            if name in self.names:
                self.calls.append(self.names[name])
                raise _Refused(name)
            return func(*args, **(kwargs or {}))


def _resolve(path):
    """``'scipy.special.softmax'`` -> (owner object, attribute name), importing the module; None if absent."""
    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:-1]:
            owner = getattr(owner, attribute, None)
        return (owner, parts[-1]) if owner is not None and hasattr(owner, parts[-1]) else None
    return None


# --------------------------------------------------------------------------------------------
# The contract every exercise shares (the rules at the top of each notebook): inputs are read-only,
# the result is new (it shares no memory with an input), and a function under test changes nothing
# in the notebook's namespace. `call_refusing` checks it on every call it makes.
# --------------------------------------------------------------------------------------------

def _arrays_in(value, depth=0):
    """The numpy arrays and torch tensors in ``value`` and in the lists, tuples and dicts it holds."""
    if depth > 4:
        return []
    if type(value) is numpy.ndarray or (torch is not None and isinstance(value, torch.Tensor)):
        return [value]
    if type(value) in (list, tuple):
        return [a for item in value for a in _arrays_in(item, depth + 1)]
    if type(value) is dict:
        return [a for item in value.values() for a in _arrays_in(item, depth + 1)]
    return []


def _memory(array):
    """(first byte, byte after the last) of the memory an array or tensor may touch (None: empty)."""
    if type(array) is numpy.ndarray:
        if array.size == 0:
            return None
        start, shape, strides, itemsize = array.__array_interface__["data"][0], array.shape, array.strides, array.itemsize
    else:
        base = torch._C.TensorBase
        if base.numel(array) == 0 or base.get_device(array) >= 0:
            return None
        start, shape, strides = base.data_ptr(array), tuple(base.size(array)), base.stride(array)
        itemsize = base.element_size(array)
        strides = [stride * itemsize for stride in strides]
    low = start + sum((size - 1) * stride for size, stride in zip(shape, strides) if stride < 0)
    high = start + sum((size - 1) * stride for size, stride in zip(shape, strides) if stride > 0) + itemsize
    return low, high


def _copies(arrays):
    return [array.copy() if type(array) is numpy.ndarray else torch._C.TensorBase.clone(torch._C.TensorBase.detach(array))
            for array in arrays]


def _unchanged(before, after):
    old, new = _convert(before, "an input"), _convert(after, "an input")
    return old.shape == new.shape and bool(np.array_equal(old, new, equal_nan=old.dtype.kind == "f"))


def _check_contract(name, inputs, copies, result):
    """Inputs unchanged (compared with copies taken before the call); the result shares no memory with them."""
    for position, (array, copy) in enumerate(zip(inputs, copies)):
        if not _unchanged(copy, array):
            _fail(f"{name} changed one of its input arrays in place (input {position + 1} of the call).",
                  "inputs are read-only (see the rules at the top of the notebook): compute into a new array, "
                  "for example `x = x.copy()` (NumPy) or `x = x.clone()` (PyTorch) before changing it")
    ranges = [r for r in map(_memory, inputs) if r is not None]
    for output in _arrays_in(result):
        span = _memory(output)
        if span is not None and any(span[0] < high and low < span[1] for low, high in ranges):
            _fail(f"{name} returns an array that shares memory with one of its inputs (the caller's own "
                  "array, or a view of it).",
                  "return a new array (`x.copy()`, `x.clone()`, or the result of a computation), so that changing "
                  "the result cannot change the caller's data")


def _restore_namespace(namespace, saved):
    """Put back every name of ``namespace`` that a call rebound (names it added are left alone)."""
    for name, value in saved.items():
        if namespace.get(name, _MISSING) is not value:
            namespace[name] = value


class _GradientModes:
    """A forward pre-hook on every module of the models passed to a call: the modes they ran in."""

    def __init__(self, modes):
        self.modes, self.handles = modes, []

    def __call__(self, module, inputs):
        self.modes.append(torch.is_grad_enabled())

    def remove(self):
        for handle in self.handles:
            handle.remove()


def _note_gradient_modes(values, records_gradients, modes):
    """``[hook]`` noting the gradient mode of every module of the ``torch.nn.Module`` values, or ``[]``."""
    if records_gradients is not False or torch is None:
        return []
    hook = _GradientModes(modes)
    for value in values:
        if isinstance(value, torch.nn.Module):
            hook.handles += [module.register_forward_pre_hook(hook) for module in value.modules()]
    return [hook] if hook.handles else []


def contract(function, namespace, name=None, returns_input=False, records_gradients=None):
    """``function`` (a student's exercise), checked on every call as the rules of every exercise
    require: the arrays and tensors passed are unchanged afterwards, the result shares no memory
    with them, and every name of ``namespace`` (the notebook's ``globals()``) that the call rebound
    is put back, so that nothing the student's code does while it runs (rebinding ``checks``, a
    notebook helper or the test's own functions) changes what the rest of the test sees.

    Hidden tests start with ``mse = checks.contract(mse, globals())``, which also puts back the
    notebook's names of modules that code since the set-up cell rebound (``np``, ``torch``, ``F``...:
    the test's own use of them is genuine); a class is returned as it is.
    ``returns_input=True`` where the exercise text asks for an input itself in some case (dropout
    in evaluation mode returns ``x``). ``records_gradients=False`` where the text says that the
    models passed must run without recording gradients (``torch.no_grad()``): every module of them
    notes the gradient mode it runs in.
    """
    _restore_module_names(namespace)
    if issubclass(type(function), type) or _is_contract(function) or not callable(function):
        return function
    label = name or (function.__name__ if type(function) is types.FunctionType else "your function")

    def checked(*args, **kwargs):
        inputs = _arrays_in(list(args) + list(kwargs.values()))
        copies = _copies(inputs)
        saved = dict(namespace)
        hooks = _note_gradient_modes(list(args) + list(kwargs.values()), records_gradients, [])
        try:
            result = function(*args, **kwargs)
        finally:
            for hook in hooks:
                hook.remove()
            _restore_namespace(namespace, saved)
        _check_contract(label, inputs, copies, None if returns_input else result)
        if hooks and any(hooks[0].modes):
            raise CheckFailed(f"{label} runs the model with gradient recording on; the exercise asks for none. "
                              "Hint: run the model inside `with torch.no_grad():`.")
        return result

    checked.__name__ = checked.__qualname__ = label
    checked.__wrapped__, checked._course_contract = function, True
    return checked


def _is_contract(function):
    """True for a function ``contract`` made (read without running any code of a student's object)."""
    return type(function) is types.FunctionType and function.__dict__.get("_course_contract") is True


def call_refusing(refused, function, *args, **kwargs):
    """Call ``function(*args, **kwargs)`` while the library functions named in ``refused`` (dotted
    paths such as ``'torch.nn.functional.conv2d'``, ``'torch.Tensor.backward'``,
    ``'scipy.special.softmax'``, ``'sklearn.linear_model.Ridge'``) cannot be used. Returns nothing:
    it often ends a test cell, and nbgrader would read a number shown there as partial credit.

    The call goes through ``contract`` (with the caller's namespace, the notebook's), unless
    ``function`` is one already: the contract every exercise shares is checked too.

    Torch functions are refused by name through a torch function mode, so every route to them
    counts (those written in Python, such as ``torch.broadcast_shapes``, are also replaced); others (and ``torch.nn.init``) are replaced for the duration of the call, a class
    (``torch.optim.Adam``) by its constructor. A call
    of a refused function fails the check with a clear hint, even if the student's code caught it.
    """
    calls, patched = [], []
    torch_names = {}
    for path in refused:
        found = _resolve(path)
        if found is None:
            continue
        owner, attribute = found
        target = getattr(owner, attribute)
        if path.startswith("torch.") and not path.startswith("torch.nn.init.") and not isinstance(target, type):
            torch_names[attribute] = path  # functions, tensor methods and autograd: by name, every route
            if not inspect.isfunction(target):
                continue  # a Python function (torch.broadcast_shapes) may not dispatch: patched as well
        if isinstance(target, type):
            owner, attribute = target, "__init__"
        patched.append((owner, attribute, vars(owner).get(attribute, _MISSING) if isinstance(owner, type)
                        else getattr(owner, attribute)))
        setattr(owner, attribute, _refusing_stub(path, calls))
    mode = _RefusingMode(torch_names, calls) if torch is not None and torch_names else contextlib.nullcontext()
    checked = contract(function, sys._getframe(1).f_globals)  # the caller's namespace: the notebook's
    refused_error = broken_contract = None
    try:
        with mode:
            checked(*args, **kwargs)
    except _Refused as error:
        refused_error = error
    except CheckFailed as error:
        broken_contract = error
    finally:
        for owner, attribute, original in reversed(patched):
            if original is _MISSING:
                delattr(owner, attribute)
            else:
                setattr(owner, attribute, original)
    if calls or refused_error is not None:
        used = calls[0] if calls else str(refused_error)
        name = getattr(function, "__name__", "your function")
        raise CheckFailed(f"{name} calls {used}, the library's own version of what this exercise asks you "
                          "to compute. Write the computation yourself (the exercise text lists what is not "
                          "allowed; everything else is).")
    if broken_contract is not None:
        raise broken_contract


# Taken last, once everything above exists: the state the checks will insist on.
_PRISTINE = _snapshot()
_PRISTINE_COURSE = {}
_TAMPERING_SEEN = []

# Importing the checks loads the other helpers (as the set-up cell of every notebook relies on) and
# seals them all, then installs the kernel guard when running in an IPython kernel.
for _helper in ("data", "gradcheck", "mlp", "plots"):
    importlib.import_module(f"course.{_helper}")

_PRISTINE_MODULES = types.MappingProxyType({name: module for name, module in sys.modules.items()
                                             if isinstance(module, types.ModuleType)})
_seal_course_modules()
install_kernel_guard()
