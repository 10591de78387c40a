"""Which names a notebook cell reads from the notebook and which it binds, from its syntax.

The corpus harness (`harness.py`) re-runs, for each submission it tries, only the cells whose result
can change: the changed cells and every later cell that reads, before binding it itself, a name that
a re-run cell bound. `reads(source)` and `binds(source)` give those two sets for one cell.

* A name counts as read when some code of the cell can see the value it had before the cell ran:
  a load at the top level before the cell binds it, a global read inside a function, lambda,
  class or comprehension the cell defines (whenever that is called), or a name reached through
  ``globals()`` (``checks.isolated(globals(), "gd_step")``, ``globals()["x"]``). A cell that calls
  ``eval``, ``exec``, ``vars`` or ``locals``, or uses ``globals()`` in another way, reads everything.
* A name counts as bound when the cell may bind it anywhere at its top level, or in a function
  through ``global``.

Both sets err on the side of more: a cell is then re-run although it did not need to be, never
skipped although it could change. What syntax cannot see (a value changed in place, a name bound
through ``globals()``) the harness watches while the cells run.
"""

from __future__ import annotations

import ast
import functools
import symtable

EVERYTHING = "*"  # in `reads`: the cell may read any name
_DYNAMIC = {"eval", "exec", "vars", "locals"}
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda,
           ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@functools.lru_cache(maxsize=4096)
def python_source(source):
    """The cell as plain Python: IPython's magics (``%matplotlib inline``) turned into calls."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


@functools.lru_cache(maxsize=4096)
def binds(source):
    """Names the cell may bind in the notebook's namespace."""
    tree = ast.parse(python_source(source))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Global):
            names.update(node.names)
    for node in _outside_scopes(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
    return frozenset(names)


@functools.lru_cache(maxsize=4096)
def reads(source):
    """Names whose value before the cell the cell may use (``{EVERYTHING}`` for dynamic code)."""
    tree = ast.parse(python_source(source))
    found = set()
    _Reader(found).block(tree.body, set())
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    if calls & _DYNAMIC:
        found.add(EVERYTHING)
    return frozenset(found | _names_through_globals(tree))


@functools.lru_cache(maxsize=4096)
def assigns_to_attributes(source):
    """True when the cell may change an attribute of an object it did not create, a module's for
    example (``mnist1d.data.make_dataset = ...``, ``setattr``, ``vars(...)[...] = ...``): errs on the
    side of True, like the rest."""
    tree = ast.parse(python_source(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"setattr", "delattr", "vars", "exec", "eval"}:
            return True
        if isinstance(node, ast.Attribute) and node.attr in {"__dict__", "modules"}:
            return True
    return False


def _is_globals_call(node):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "globals"


def _names_through_globals(tree):
    """Names a cell reaches through ``globals()``: the strings passed along with it
    (``checks.isolated(globals(), "gd_step")``, ``globals().get("x")``) or used as its key
    (``globals()["x"]``); any other use of ``globals()`` may reach every name."""
    found, seen = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (any(_is_globals_call(a) for a in node.args)
                                           or isinstance(node.func, ast.Attribute) and _is_globals_call(node.func.value)):
            found.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
            seen.update(id(a) for a in node.args if _is_globals_call(a))
            seen.add(id(node.func.value) if isinstance(node.func, ast.Attribute) else None)
        elif isinstance(node, ast.Subscript) and _is_globals_call(node.value):
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                found.add(node.slice.value)
                seen.add(id(node.value))
    if any(_is_globals_call(node) and id(node) not in seen for node in ast.walk(tree)):
        found.add(EVERYTHING)
    return {name for name in found if name.isidentifier() or name == EVERYTHING}


def _outside_scopes(node):
    """Every node of ``node`` that runs in its own scope (not inside a nested function, class body,
    lambda or comprehension; a comprehension's first iterable runs outside)."""
    for child in ast.iter_child_nodes(node):
        yield from _with_parts_outside(child)


def _with_parts_outside(node):
    """``node`` and its parts that run in the same scope as ``node`` itself."""
    yield node
    if isinstance(node, _SCOPES):
        for part in _evaluated_outside(node):
            yield part
            yield from _outside_scopes(part)
    else:
        yield from _outside_scopes(node)


def _evaluated_outside(scope):
    """The parts of a scope-making node that the enclosing code evaluates."""
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        args = scope.args
        return [*scope.decorator_list, *args.defaults, *[d for d in args.kw_defaults if d is not None]]
    if isinstance(scope, ast.ClassDef):
        return [*scope.decorator_list, *scope.bases, *[k.value for k in scope.keywords]]
    if isinstance(scope, ast.Lambda):
        return [*scope.args.defaults, *[d for d in scope.args.kw_defaults if d is not None]]
    return [scope.generators[0].iter]


def _global_reads(scope):
    """Global names read anywhere inside a function, class, lambda or comprehension."""
    wrapper = ast.Module(body=[scope if isinstance(scope, ast.stmt) else ast.Expr(scope)], type_ignores=[])
    table = symtable.symtable(ast.unparse(wrapper), "<cell>", "exec")
    found, pending = set(), list(table.get_children())
    while pending:
        child = pending.pop()
        found.update(s.get_name() for s in child.get_symbols() if s.is_global() and s.is_referenced())
        pending.extend(child.get_children())
    return found


class _Reader:
    """Walks the top level in execution order, tracking names surely bound so far."""

    def __init__(self, found):
        self.found = found

    def load(self, node, bound):
        for part in _with_parts_outside(node):
            if isinstance(part, ast.Name) and isinstance(part.ctx, ast.Load) and part.id not in bound:
                self.found.add(part.id)
            if isinstance(part, _SCOPES):
                self.found.update(_global_reads(part) - bound)

    def block(self, statements, bound):
        for statement in statements:
            self.statement(statement, bound)
        return bound

    def statement(self, node, bound):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.load(node, bound)
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.load(node.iter, bound)
            inside = self.block(node.body, bound | _stored(node.target))
            if _runs_at_least_once(node):  # what its first pass surely binds is bound after it
                bound |= inside
            self.block(node.orelse, set(bound))
        elif isinstance(node, ast.While):
            self.load(node.test, bound)
            self.block(node.body, set(bound))
            self.block(node.orelse, set(bound))
        elif isinstance(node, ast.If):
            self.load(node.test, bound)
            bound |= self.block(node.body, set(bound)) & self.block(node.orelse, set(bound))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.load(item.context_expr, bound)
                if item.optional_vars is not None:
                    bound |= _stored(item.optional_vars)
            self.block(node.body, bound)
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            inside = self.block(node.body, set(bound))
            for handler in node.handlers:
                if handler.type is not None:
                    self.load(handler.type, bound)
                self.block(handler.body, bound | ({handler.name} if handler.name else set()))
            self.block(node.orelse, inside)
            self.block(node.finalbody, set(bound))
        else:  # a simple statement: its loads happen before its stores
            self.load(node, bound)
            if not isinstance(node, ast.AugAssign):
                bound |= {n.id for n in _outside_scopes(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _runs_at_least_once(loop):
    """True when a ``for`` loop surely runs its whole body once: it iterates over a list or tuple
    written out with an element (``for shape in [(4,), (2, 3)]``) or ``range`` of a positive number
    written out, and nothing in its body can leave the first pass early (``break``, ``continue``)."""
    items = loop.iter
    written_out = isinstance(items, (ast.List, ast.Tuple)) and any(not isinstance(e, ast.Starred) for e in items.elts)
    counted = (isinstance(items, ast.Call) and isinstance(items.func, ast.Name) and items.func.id == "range"
               and len(items.args) == 1 and not items.keywords and isinstance(items.args[0], ast.Constant)
               and type(items.args[0].value) is int and items.args[0].value > 0)
    leaves_early = any(isinstance(node, (ast.Break, ast.Continue)) for statement in loop.body for node in ast.walk(statement))
    return (written_out or counted) and not leaves_early


def _stored(target):
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
