"""The guard: what makes the checks of ``course.checks`` hard to fool.

``course.checks`` is what test cells call; this module is what those checks rely on. It

* keeps pristine references to numpy, torch and the builtins, taken when the course is imported (in
  the read-only set-up cell, before any student code runs), and converts answers with those only:
  Python numbers, numpy arrays and scalars, torch tensors, and lists or tuples of those; an object of
  another class (one whose ``__eq__`` always says True, or whose ``__float__`` / ``__array__`` lie)
  is refused, and so is a subclass of ``ndarray`` (``genuine_array``);
* detects tampering: a function of numpy, torch (with the ``torch.nn`` and ``torch.optim`` classes
  hidden tests train with), math, the builtins or of the ``course`` modules that was replaced or
  deleted after import, a global torch module hook or an open torch function mode makes every later
  check fail with ``TamperingError`` (``verify_environment``); the ``course`` modules refuse
  attribute assignment (``seal``);
* in a Jupyter kernel, restores anything patched before each cell runs (``install_cell_guard``);
* holds every exercise to the rules at the top of each notebook (``contract``: inputs unchanged,
  a new result, nothing in the notebook rebound) and refuses the library's own version of what an
  exercise teaches (``call_refusing``).

In-process checks stop the usual tricks, not a determined attacker who controls the kernel: the
grading pipeline adds its own safeguards on top.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import inspect
import math
import operator
import sys
import types

import numpy

try:  # torch is part of the pinned stack, but the checks also work without it
    import torch
except ImportError:  # pragma: no cover - exercised only in a torch-free environment
    torch = None

# Pristine builtins: names in a module's globals shadow the builtins, so from here on this module
# uses the builtins as they were at import time, even if a notebook later replaces them.
_PRISTINE_BUILTINS = {name: value for name, value in vars(builtins).items() if not name.startswith("_")}
globals().update(_PRISTINE_BUILTINS)

# Copies of library namespaces the course's code calls through (`np.abs` below), made at import; their
# contents are watched like numpy's own (`_watched_namespaces`): `checks.np.abs = ...` fails every check.
_COURSE_NAMESPACES = {}


def pristine_namespace(label, module):
    """A copy of ``module``'s namespace, taken now and watched from the seal on under ``label``."""
    _COURSE_NAMESPACES[label] = types.SimpleNamespace(**vars(module))
    return _COURSE_NAMESPACES[label]


# Pristine numpy: a copy of the namespace, so `np.allclose = ...` in a notebook changes nothing here.
np = pristine_namespace("course.guard.np", numpy)

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
# Attributes a library replaces or adds itself on first use (importing torch._dynamo wraps
# torch.manual_seed; transformers adds `smart_apply` to torch.nn.Module when it builds a model).
_SELF_PATCHED = {"torch.manual_seed", "torch.nn.modules.module.Module.smart_apply"}
_MISSING = object()


# The torch classes hidden tests build their own models and optimisers from (a hidden test trains
# and measures with these, not with the notebook's helpers): each is watched with the classes it
# inherits from, so that `torch.nn.Sequential = Oracle` or `torch.nn.Module.__call__ = ...` in a cell
# fails every later check. tests/unit/test_checks.py keeps this list in step with the hidden tests.
WATCHED_TORCH_CLASSES = ("nn.Module", "nn.Sequential", "nn.Linear", "nn.ReLU", "nn.Tanh", "nn.Conv1d", "nn.Flatten",
                         "nn.BatchNorm1d", "nn.LayerNorm", "nn.Dropout", "nn.Parameter", "optim.Optimizer",
                         "optim.SGD", "optim.Adam")


def _torch_classes():
    """{label: class} for `WATCHED_TORCH_CLASSES` and their bases (``torch.nn.modules.batchnorm._BatchNorm``...)."""
    classes = {}
    for path in WATCHED_TORCH_CLASSES:
        owner, name = path.split(".")
        for cls in getattr(getattr(torch, owner), name).__mro__:
            if cls.__module__.startswith("torch.") and cls is not torch.Tensor and cls is not torch._C.TensorBase:
                classes.setdefault(f"{cls.__module__}.{cls.__qualname__}", cls)
    return classes


_TORCH_CLASSES = _torch_classes() if torch is not None else {}
# torch wraps an optimiser class's ``step`` in a profiling hook when the first instance is made
# (`Optimizer.profile_hook_step`): that wrapper of the sealed ``step`` is adopted, not tampering.
_STEP_WRAPPER_CODE = torch.optim.Optimizer.profile_hook_step(lambda: None).__code__ if torch is not None else None


def _adopt_step_wrapper(label, name, current):
    """True (and the wrapper becomes the sealed value) when ``current`` is torch's own profiling
    wrapper around the sealed ``step`` of an optimiser class; the wrapped function is read from the
    closure, where it is called from, not from an attribute a cell could set."""
    original = _PRISTINE.get(label, {}).get(name, _MISSING)
    if name != "step" or original is _MISSING or type(current) is not types.FunctionType \
            or current.__code__ is not _STEP_WRAPPER_CODE:
        return False
    free = dict(zip(current.__code__.co_freevars, (cell.cell_contents for cell in current.__closure__ or ())))
    if free.get("func") is not original:
        return False
    _PRISTINE[label][name] = current
    _CHECKED[label] = _checked_names({label: _PRISTINE[label]})[label]
    return True


def _torch_interceptors():
    """What changes every torch module's output without replacing a function: a global module hook
    (``register_module_forward_hook``) or a torch function or dispatch mode a cell entered and left
    open (``set_default_device``'s mode is harmless and allowed). Described for the message."""
    if torch is None:
        return []
    found = []
    hooks = vars(torch.nn.modules.module)
    for name in ("_global_forward_pre_hooks", "_global_forward_hooks", "_global_backward_pre_hooks",
                 "_global_backward_hooks", "_global_module_registration_hooks",
                 "_global_parameter_registration_hooks", "_global_buffer_registration_hooks"):
        if hooks.get(name):
            found.append(f"torch.nn.modules.module.{name}")
    modes = [mode for mode in torch.overrides._get_current_function_mode_stack()
             if type(mode).__name__ != "DeviceContext"]
    if modes or torch._C._len_torch_dispatch_stack():
        found.append("a torch function or dispatch mode (" + ", ".join(type(m).__name__ for m in modes) + ")")
    return found


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
                       "torch.linalg": torch.linalg, "torch.Tensor": torch.Tensor, "torch.nn": torch.nn,
                       "torch.optim": torch.optim, "torch.nn.init": torch.nn.init, **_TORCH_CLASSES})
    spaces.update(_COURSE_NAMESPACES)
    return spaces


def _snapshot():
    return {label: dict(vars(space)) for label, space in _watched_namespaces().items()}


def _checked_names(snapshot):
    """{label: (names, values, reader of those names)}: what every check compares, the volatile names left out."""
    checked = {label: tuple(zip(*[(name, value) for name, value in names.items()
                                  if name not in _VOLATILE and f"{label}.{name}" not in _SELF_PATCHED])) or ((), ())
               for label, names in snapshot.items()}
    return {label: (names, values, _reader(names)) for label, (names, values) in checked.items()}


def _reader(names):
    """A function that reads the values of ``names`` from a namespace, as a tuple, in one call of C
    code (``KeyError`` when one is missing): every check compares thousands of names, so the
    comparison is most of its cost."""
    if len(names) == 1:
        read_one = operator.itemgetter(names[0])
        return lambda namespace: (read_one(namespace),)
    return operator.itemgetter(*names) if names else (lambda namespace: ())


def _same_objects(reader, originals, namespace):
    """True when ``namespace`` binds every name ``reader`` reads to the very object in ``originals``."""
    try:
        current = reader(namespace)
    except KeyError:
        return False
    return all(map(operator.is_, current, originals))


def _looks_untouched(label, space):
    """True when every checked name of ``space`` is still bound to its value at the seal (and a class
    has no new attribute). One identity comparison per name, in C: every check starts with it."""
    _, originals, reader = _CHECKED.get(label, _NOTHING_CHECKED)
    current = vars(space)
    if not _same_objects(reader, originals, current):
        return False
    return not isinstance(space, type) or not _new_class_attributes(label, current)


def _new_class_attributes(label, current):
    """Names of a watched class's attributes added since the seal (but those a library adds itself)."""
    return [name for name in current.keys() - _PRISTINE.get(label, {}).keys() if f"{label}.{name}" not in _SELF_PATCHED]


def _tampered_names():
    """Names in the watched namespaces whose value is no longer the one seen at the seal."""
    changed = []
    for label, space in _watched_namespaces().items():
        if _looks_untouched(label, space):
            continue
        current = vars(space)
        for name, original in _PRISTINE.get(label, {}).items():
            if name in _VOLATILE or f"{label}.{name}" in _SELF_PATCHED:
                continue
            if current.get(name, _MISSING) is not original and not _adopt_step_wrapper(label, name, current.get(name)):
                changed.append(f"{label}.{name}")
        if isinstance(space, type):  # a new attribute on a class shadows an inherited method
            changed += [f"{label}.{name}" for name in _new_class_attributes(label, current)]
    return changed


def _changed_names():
    """Everything patched since import: watched namespaces, course modules, ``sys.modules`` entries,
    torch's global hooks and modes."""
    changed = _tampered_names() + _torch_interceptors()
    for module_name, original in _PRISTINE_COURSE.items():
        module = sys.modules.get(module_name)
        if module is None or vars(module) is not original["dict"]:
            changed.append(f"sys.modules[{module_name!r}]")
            continue
        current = vars(module)
        if not _same_objects(original["reader"], original["checked"], current):
            changed += [f"{module_name}.{name}" for name, value in original["values"].items()
                        if name not in _VOLATILE and current.get(name, _MISSING) is not value]
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
            for name in _new_class_attributes(label, vars(space)):
                delattr(space, name)
    for module_name, original in _PRISTINE_COURSE.items():
        sys.modules[module_name] = original["module"]
        vars(original["module"]).update(original["values"])
    return changed


def _guard_cell(*_args):
    """IPython ``pre_run_cell`` hook: undo tampering before every cell and remember it; the
    notebook's ``__builtins__`` is the builtins module; a function a test cell wrapped with
    ``contract`` is itself again in the cells after it, and so are the notebook's names that shadow
    a builtin, which the test cell moved aside; the notebook's names of modules (``np``, ``torch``,
    ``F``, ``data``...) are noted the first time they are seen."""
    changed = _restore_pristine()
    if changed:
        _TAMPERING_SEEN.extend(changed)
    for shell in _KERNEL_SHELL:  # (between cells IPython's get_ipython is not in the builtins)
        _restore_builtins_of(shell.user_ns)
        _show_builtin_shadows(shell.user_ns)
        _unwrap_contracts(shell.user_ns)
        _note_module_names(shell.user_ns)


_KERNEL_SHELL = []  # the IPython shell the guard was installed in, if any


# A notebook name bound, at a cell boundary, to one of the modules loaded when the course was
# sealed (``_PRISTINE_MODULES``, read-only, taken before any student code) is noted once here and
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


def install_cell_guard(shell):
    """In the IPython ``shell``, undo tampering before every cell runs (and remember it)."""
    if _guard_cell not in shell.events.callbacks["pre_run_cell"]:
        shell.events.register("pre_run_cell", _guard_cell)
        _KERNEL_SHELL[:] = [shell]
        _KERNEL_OWN.update({name: value for name, value in shell.user_ns.items() if name in _PRISTINE_BUILTINS})


# --------------------------------------------------------------------------------------------
# Notebook names that shadow a builtin
# --------------------------------------------------------------------------------------------
# A name of the notebook spelled like a builtin (`min = lambda *a: 0`, `bool = ...`, the names
# `from numpy import *` brings, an honest `input = x`) would change what a test cell's own code
# calls: Python looks a name up in the notebook's globals before the builtins. `contract`, which
# every test cell calls first, moves such names aside for the rest of the cell; a call of the
# student's function sees them again (it may use them), and so does the next cell (`_guard_cell`).

_SHADOWS_KEY = "_course_shadowed_builtins"  # where the names moved aside wait, in the namespace itself
_KERNEL_OWN = {}  # builtin names the kernel itself binds in the notebook (IPython's exit, quit, open)


def _hide_builtin_shadows(namespace):
    """Move the names of ``namespace`` that shadow a builtin aside (under `_SHADOWS_KEY`)."""
    if type(namespace) is not dict:
        return
    shadows = {name: namespace[name] for name, builtin in _PRISTINE_BUILTINS.items()
               if namespace.get(name, builtin) is not builtin and namespace[name] is not _KERNEL_OWN.get(name, _MISSING)}
    if shadows:
        for name in shadows:
            del namespace[name]
        earlier = namespace.get(_SHADOWS_KEY)
        namespace[_SHADOWS_KEY] = {**(earlier if type(earlier) is dict else {}), **shadows}


def _restore_builtins_of(namespace):
    """The builtins module as the ``__builtins__`` of ``namespace``: a cell's code looks names up there
    (after the notebook's globals), so a dictionary of fakes put there would replace them all."""
    current = namespace.get("__builtins__", builtins)
    if current is not builtins and current is not vars(builtins):
        namespace["__builtins__"] = builtins


def _show_builtin_shadows(namespace):
    """Put back the names `_hide_builtin_shadows` moved aside (those not bound again since)."""
    if type(namespace) is not dict:
        return
    shadows = namespace.pop(_SHADOWS_KEY, None)
    if type(shadows) is dict:
        for name, value in shadows.items():
            if name not in namespace:
                namespace[name] = value


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
            values = dict(vars(module))
            checked = {name: value for name, value in values.items() if name not in _VOLATILE}
            _PRISTINE_COURSE[name] = {"module": module, "dict": vars(module), "values": values,
                                      "names": tuple(checked), "checked": tuple(checked.values()),
                                      "reader": _reader(tuple(checked))}


# --------------------------------------------------------------------------------------------
# Genuine values only
# --------------------------------------------------------------------------------------------

def describe(value):
    """The class of ``value`` as a message names it (``str``, ``numpy.ma.MaskedArray``)."""
    return type(value).__module__ + "." + type(value).__qualname__ if type(value).__module__ != "builtins" \
        else type(value).__name__


def genuine_array(value, name):
    """``value`` as a plain numpy array of a numeric dtype, converted with the pristine references;
    anything but a number, an array, a tensor or a list or tuple of those raises ``CheckFailed``.
    No tamper check: ``course.checks.to_numpy`` is the public entry that makes it first."""
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
        parts = [genuine_array(item, name) for item in value]
        shapes = {part.shape for part in parts}
        if len(shapes) != 1:
            raise CheckFailed(f"{name} is a ragged list: its elements have different shapes {sorted(shapes)}.")
        array = np.stack(parts)
    elif value is None:
        raise CheckFailed(f"{name} is None. Did you forget a `return` statement?")
    elif isinstance(value, numpy.ndarray):
        raise CheckFailed(f"{name} is a {describe(value)}, a subclass of numpy.ndarray; "
                          "return a plain numpy array (np.asarray) instead.")
    else:
        raise CheckFailed(f"{name} should be a number or a numpy array, but it is a {describe(value)}.")
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise CheckFailed(f"{name} has dtype {array.dtype}; a numeric (float or int) array is expected.")
    return array


def fail(message, hint):
    """Raise ``CheckFailed`` with ``message`` and the ``hint`` (if any) on a line of its own."""
    if hint:
        message = f"{message}\nHint: {hint}"
    raise CheckFailed(message)


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
    old, new = genuine_array(before, "an input"), genuine_array(after, "an input")
    return old.shape == new.shape and bool(np.array_equal(old, new, equal_nan=old.dtype.kind == "f"))


def _check_contract(name, inputs, copies, result):
    """Inputs unchanged (compared with copies taken before the call); the result shares no memory with them."""
    for position, (array, copy) in enumerate(zip(inputs, copies)):
        if not _unchanged(copy, array):
            fail(f"{name} changed one of its input arrays in place (input {position + 1} of the call).",
                  "inputs are read-only (see the rules at the top of the notebook): compute into a new array, "
                  "for example `x = x.copy()` (NumPy) or `x = x.clone()` (PyTorch) before changing it")
    ranges = [r for r in map(_memory, inputs) if r is not None]
    for output in _arrays_in(result):
        span = _memory(output)
        if span is not None and any(span[0] < high and low < span[1] for low, high in ranges):
            fail(f"{name} returns an array that shares memory with one of its inputs (the caller's own "
                  "array, or a view of it).",
                  "return a new array (`x.copy()`, `x.clone()`, or the result of a computation), so that changing "
                  "the result cannot change the caller's data")


def _check_detached(name, result):
    """No tensor in ``result`` (or in the lists, tuples and dicts it holds) records the graph."""
    if torch is None:
        return
    base = torch._C.TensorBase
    for output in _arrays_in(result):
        if isinstance(output, torch.Tensor) and (base.requires_grad.__get__(output) or base.grad_fn.__get__(output) is not None):
            fail(f"{name} returns a tensor that still records the graph (requires_grad=True), where the exercise "
                 "asks for a number or a detached result: it keeps the graph of the whole computation in memory.",
                 "`loss.item()` gives a number, `tensor.detach()` a tensor without the graph")


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


def contract(function, namespace, name=None, returns_input=False, records_gradients=None, detached=False):
    """``function`` (a student's exercise), checked on every call as the rules of every exercise
    require: the arrays and tensors passed are unchanged afterwards, the result shares no memory
    with them, and every name of ``namespace`` (the notebook's ``globals()``) that the call rebound
    is put back, so that nothing the student's code does while it runs (rebinding ``checks``, a
    notebook helper or the test's own functions) changes what the rest of the test sees. The
    notebook's names that shadow a builtin (``min = ...``) are moved aside for the rest of the test
    cell, so that its own code calls the builtins; the student's function sees them during its calls.

    Hidden tests call ``mse = checks.contract(mse, globals())`` before anything else uses the
    student's function (after `register_reference`, so that a missing function skips no registration); it also puts back the
    notebook's names of modules that code since the set-up cell rebound (``np``, ``torch``, ``F``...:
    the test's own use of them is genuine); a class is returned as it is.
    ``returns_input=True`` where the exercise text asks for an input itself in some case (dropout
    in evaluation mode returns ``x``). ``records_gradients=False`` where the text says that the
    models passed must run without recording gradients (``torch.no_grad()``): every module of them
    notes the gradient mode it runs in. ``detached=True`` where the text asks for numbers or
    detached results (a loss, a list of losses, collapsed weights): no tensor in the result may
    still record the graph, which would keep the graphs of the whole computation in memory.
    """
    caller = sys._getframe(1).f_globals
    if _KERNEL_SHELL and caller is _KERNEL_SHELL[0].user_ns:
        namespace = caller  # the notebook's own, even where `globals` is shadowed
    _restore_module_names(namespace)
    _hide_builtin_shadows(namespace)
    if issubclass(type(function), type) or _is_contract(function) or not callable(function):
        return function
    label = name or (function.__name__ if type(function) is types.FunctionType else "your function")

    def checked(*args, **kwargs):
        inputs = _arrays_in(list(args) + list(kwargs.values()))
        copies = _copies(inputs)
        _show_builtin_shadows(namespace)
        saved = dict(namespace)
        hooks = _note_gradient_modes(list(args) + list(kwargs.values()), records_gradients, [])
        try:
            result = function(*args, **kwargs)
        finally:
            for hook in hooks:
                hook.remove()
            _restore_namespace(namespace, saved)
            _hide_builtin_shadows(namespace)
        _check_contract(label, inputs, copies, None if returns_input else result)
        if detached:
            _check_detached(label, result)
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


# --------------------------------------------------------------------------------------------
# The seal: taken once, when ``course.checks`` has loaded every helper module
# --------------------------------------------------------------------------------------------

_PRISTINE = {}  # the watched namespaces as they were when sealed
_CHECKED = {}  # the same, as (names, values, reader) without the volatile names: what every check compares
_NOTHING_CHECKED = ((), (), _reader(()))
_PRISTINE_COURSE = {}  # the course modules as they were when sealed
_TAMPERING_SEEN = []  # names the cell guard found patched (and put back) before a cell
_PRISTINE_MODULES = types.MappingProxyType({})  # every module loaded when sealed, by name


def seal():
    """Take the state the checks will insist on and make the ``course`` modules read-only.

    ``course.checks`` calls it once, last, after importing the helper modules; later calls change nothing.
    """
    global _PRISTINE_MODULES
    if _PRISTINE:
        return
    _PRISTINE.update(_snapshot())
    _CHECKED.update(_checked_names(_PRISTINE))
    _PRISTINE_MODULES = types.MappingProxyType({name: module for name, module in sys.modules.items()
                                                 if isinstance(module, types.ModuleType)})
    _seal_course_modules()
