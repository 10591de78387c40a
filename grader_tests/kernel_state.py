"""Runs inside the corpus harness's kernel (its source is sent there by `harness.py`): the
notebook's namespace as it was before each cell of the reference run, so that a submission can
re-run some cells and skip others and every cell still sees what it would see in a fresh kernel.

* `mark(pos)` before reference cell ``pos`` (and once after the last) keeps the bindings of the
  namespace and the state of the random generators (Python, NumPy, torch);
* for each submission, `begin()`, then around each cell it re-runs `before(pos)` (the namespace
  becomes what a fresh run would hold there: a binding from a re-run cell if that cell came after
  the last reference cell that bound the name, else the reference's binding; the same for the
  references registered with `course.checks`) and `after(pos)` (returns the names the cell bound);
  `rewind()` puts back what `before(pos)` set, after a cell run there only to read its verdict (a
  test cell's student version, before the instructor's);
  `end()` puts the reference's final state back and returns the names of the arrays, tensors or
  modules of the reference run (any cell's) that the submission changed in place (their contents
  are restored; the harness then re-runs that submission from its first changed cell). ``end(libraries=True)``, asked for when a changed cell assigns to an
  attribute, also puts back what the submission replaced in the modules of `LIBRARIES`
  (``mnist1d.data.make_dataset``) and forgets the tampering the course's guard saw, and names
  those too: a patched library can fail any later cell (the guard fails every check after
  tampering), so the harness re-runs that submission in full, and the next one starts clean.
"""

import itertools
import json
import operator
import random
import re
import sys
import zlib

import numpy

try:
    import torch
except ImportError:  # pragma: no cover
    torch = None

_ns = get_ipython().user_ns  # noqa: F821 - this file runs in an IPython kernel
_IPYTHON = re.compile(r"_i{1,3}\d*$|_\d+$|_{1,3}$|_[iod]h$|In$|Out$|exit$|quit$|get_ipython$|__\w+__$")
_MISSING = object()

_before = []         # _before[pos]: {name: value} before reference cell pos; the last entry: after all
_generators = []     # the random generators' states at the same points
_changes = {}        # name -> positions of the reference cells that bound it
_contents = {}       # id -> (a name, the object, digests, copies of its leaves): arrays, tensors, modules
_case = {}           # name -> (position of the re-run cell that bound it, value)
_state = {"previous": None, "bindings": {}}
_libraries = []      # (module, its names, their values) of the libraries' modules after the reference run
# The libraries whose modules `end(libraries=True)` puts back: those the notebooks compute and grade
# with (and statistics, for the harness's own test). Not the kernel's machinery (sys, IPython, zmq...),
# whose attributes change as it runs, nor `course`, which the guard restores itself.
LIBRARIES = {"numpy", "torch", "sklearn", "scipy", "mnist1d", "hypothesis", "transformers", "matplotlib", "math",
             "statistics"}


# The instructor's references the hidden tests register (`checks.register_reference`, used by
# `checks.isolated`) are kept like the notebook's names, under these pseudo-names.
_REGISTERED = "course.checks._REFERENCES:"


def _references():
    return getattr(sys.modules.get("course.checks"), "_REFERENCES", None)


def _entry(function):
    """A function the harness calls. Its calls are not cells (the harness sends each as an expression
    of an empty, silent request: one round trip, no history, no hooks), so it first does what IPython
    does before a cell and what matters here: the `pre_run_cell` hooks, where the course's guard
    undoes tampering and unwraps the test cells' contracts. Returns the result as JSON text."""
    def call(*args, **kwargs):
        get_ipython().events.trigger("pre_run_cell", None)  # noqa: F821
        return json.dumps(function(*args, **kwargs))
    call.__name__ = function.__name__
    return call


def _bindings():
    found = {name: value for name, value in _ns.items() if not _IPYTHON.match(name)}
    found.update({_REGISTERED + name: value for name, value in (_references() or {}).items()})
    return found


def _generator_state():
    return (random.getstate(), numpy.random.get_state(), torch.get_rng_state() if torch is not None else None)


def _set_generator_state(state):
    random.setstate(state[0])
    numpy.random.set_state(state[1])
    if torch is not None:
        torch.set_rng_state(state[2])


def _apply(target):
    current = _bindings()
    references = _references()
    for name in current.keys() - target.keys():
        if name.startswith(_REGISTERED):
            del references[name.removeprefix(_REGISTERED)]
        else:
            del _ns[name]
    for name, value in target.items():
        if current.get(name, _MISSING) is not value:
            if name.startswith(_REGISTERED):
                references[name.removeprefix(_REGISTERED)] = value
            else:
                _ns[name] = value


def _leaves(value, depth=2):
    """The arrays and tensors inside ``value`` (itself, a module's state, or inside lists, tuples, dicts)."""
    if isinstance(value, numpy.ndarray) and value.dtype != object:
        yield value
    elif torch is not None and isinstance(value, torch.Tensor):
        yield value
    elif torch is not None and isinstance(value, torch.nn.Module):
        yield from value.state_dict(keep_vars=True).values()
    elif depth and isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item, depth - 1)
    elif depth and isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item, depth - 1)


def _digest(leaf):
    try:
        if isinstance(leaf, numpy.ndarray):
            raw = numpy.ascontiguousarray(leaf).reshape(-1).view(numpy.uint8)
        else:
            raw = leaf.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy()
        return leaf.shape, str(leaf.dtype), zlib.crc32(raw)
    except (TypeError, ValueError, RuntimeError):
        return None


def _copy(leaf):
    return leaf.copy() if isinstance(leaf, numpy.ndarray) else leaf.detach().clone()


@_entry
def mark(pos):
    _before.append(_bindings())
    _generators.append(_generator_state())
    if pos > 0:
        previous, now = _before[-2], _before[-1]
        for name in previous.keys() | now.keys():
            if previous.get(name, _MISSING) is not now.get(name, _MISSING):
                _changes.setdefault(name, []).append(pos - 1)


@_entry
def finish_reference():
    """Digests and copies of every array, tensor and module any reference cell saw (by identity)."""
    for snapshot in _before:
        for name, value in snapshot.items():
            leaves = list(_leaves(value))
            if leaves and id(value) not in _contents:
                _contents[id(value)] = (name, value, [_digest(leaf) for leaf in leaves], [_copy(leaf) for leaf in leaves])
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in LIBRARIES and module is not None and hasattr(module, "__dict__"):
            names = dict(vars(module))
            _libraries.append((module, tuple(names), tuple(names.values())))


def _restore_libraries():
    """Put back the modules' attributes; returns what was patched (and what the guard saw patched)."""
    patched = []
    for module, names, values in _libraries:
        current = vars(module)
        if not all(map(operator.is_, map(current.get, names, itertools.repeat(_MISSING)), values)):
            for name, value in zip(names, values):
                if current.get(name, _MISSING) is not value:
                    patched.append(f"{module.__name__}.{name}")
                    setattr(module, name, value)
    guard = sys.modules.get("course.guard")
    if guard is not None:
        patched += guard._TAMPERING_SEEN
        guard._TAMPERING_SEEN.clear()
    return patched


@_entry
def begin():
    _case.clear()
    _state["previous"] = None


def _last_reference_change(name, pos):
    return max((q for q in _changes.get(name, ()) if q < pos), default=-1)


@_entry
def before(pos):
    reference = _before[pos]
    target = {}
    for name in reference.keys() | _case.keys():
        bound_at, value = _case.get(name, (-1, _MISSING))
        if bound_at < 0 or bound_at < _last_reference_change(name, pos):
            value = reference.get(name, _MISSING)
        if value is not _MISSING:
            target[name] = value
    _apply(target)
    if _state["previous"] != pos - 1:
        _set_generator_state(_generators[pos])
    _state["bindings"] = _bindings()
    _state["generators"] = _generator_state()


@_entry
def rewind():
    """Back to the state the last `before` set (the names and the random generators), after a cell
    that ran there only to be looked at (a test cell's student version)."""
    _apply(_state["bindings"])
    _set_generator_state(_state["generators"])


@_entry
def after(pos):
    """The names cell ``pos`` bound, and those the reference's run of the cell bound and this run did
    not (a changed cell that leaves out a helper, a test cell that failed before its binding or its
    `register_reference`): from here on these keep the value they had before the cell, or stay
    unbound, as in a fresh kernel (see `_names_that_matter` for the references registered)."""
    earlier, now = _state["bindings"], _bindings()
    changed = {name for name in earlier.keys() | now.keys() if earlier.get(name, _MISSING) is not now.get(name, _MISSING)}
    for name in changed:
        _case[name] = (pos, now.get(name, _MISSING))
    for name in [n for n, positions in _changes.items() if pos in positions and n not in changed]:
        _case[name] = (pos, earlier.get(name, _MISSING))
        changed.add(name)
    _state["previous"] = pos
    return sorted(_names_that_matter(changed, now, _before[pos + 1]))


def _names_that_matter(changed, now, reference_after):
    """The changed names a later cell can see differently: a reference registered again (by the same
    code) is not one; a reference this run left unregistered where the reference run had it (or the
    other way round) counts as its exercise's name, which `checks.isolated` reads."""
    names = {name for name in changed if not name.startswith(_REGISTERED)}
    names |= {name.removeprefix(_REGISTERED) for name in changed
              if name.startswith(_REGISTERED) and (name in now) != (name in reference_after)}
    return names


def _restore(leaf, saved):
    if isinstance(leaf, numpy.ndarray):
        leaf[...] = saved
    else:
        with torch.no_grad():
            leaf.copy_(saved)


@_entry
def end(libraries=False):
    patched = _restore_libraries() if libraries else []
    _apply(_before[-1])
    _set_generator_state(_generators[-1])
    mutated = []
    for name, value, digests, copies in _contents.values():
        leaves = list(_leaves(value))
        if [_digest(leaf) for leaf in leaves] != digests:
            mutated.append(name)
            for leaf, saved in zip(leaves, copies):
                _restore(leaf, saved)
    _case.clear()
    return mutated + patched

