"""Part of step 3 (submissions): reasons to look at a submission by hand, read from the syntax tree
of the code the student wrote (never from regular expressions: ``model.eval()``, ``re.compile``,
``torch.compile`` or a ``Path`` in ordinary code are not flags).

Each rule names what the code does in plain words. Cells are read as IPython reads them (magics
become calls), and a cell that does not parse is skipped: it cannot run either.
"""

from __future__ import annotations

import ast

BUILTINS = "touches the builtins"
IMPORTS = "manipulates imports"
LIBRARY = "assigns to an attribute of a library"
ATTRIBUTES = "rewrites the attributes of objects or modules"
INTERNALS = "inspects interpreter internals"
PROGRAMS = "starts programs or ends the kernel"
FILES = "reads or writes files"
SIGNALS = "changes signal handlers or tracing"
KERNEL = "rewires the IPython kernel"
INDIRECT = "runs code indirectly"
LYING = "defines an object with its own comparison or conversion"
MAGIC = "uses an IPython magic or shell command"

ORDER = [BUILTINS, IMPORTS, LIBRARY, ATTRIBUTES, INTERNALS, PROGRAMS, FILES, SIGNALS, KERNEL, INDIRECT,
         LYING, MAGIC]

# Names the notebooks' set-up cells bind to modules (assignments to their attributes are patches).
SETUP_MODULES = {"np", "numpy", "torch", "nn", "F", "optim", "math", "plt", "matplotlib", "checks", "course",
                 "data", "plots", "gradcheck", "mlp", "lm", "scipy", "sklearn", "random", "os", "sys",
                 "widgets", "ipywidgets", "tqdm", "transformers"}
MODULE_REASONS = {"builtins": BUILTINS, "importlib": IMPORTS, "gc": INTERNALS, "ctypes": INTERNALS,
                  "inspect": INTERNALS, "subprocess": PROGRAMS, "pty": PROGRAMS, "multiprocessing": PROGRAMS,
                  "shutil": FILES, "glob": FILES, "signal": SIGNALS, "sqlite3": FILES, "socket": PROGRAMS}
CALL_REASONS = {"setattr": ATTRIBUTES, "delattr": ATTRIBUTES, "__import__": IMPORTS, "open": FILES,
                "exec": INDIRECT, "eval": INDIRECT, "compile": INDIRECT, "exit": PROGRAMS, "quit": PROGRAMS,
                "get_ipython": KERNEL, "breakpoint": INTERNALS}
QUALIFIED_CALL_REASONS = {
    **{f"os.{name}": PROGRAMS for name in ("system", "popen", "kill", "_exit", "fork", "execv", "execve",
                                           "execl", "execlp", "execvp", "spawnl", "posix_spawn")},
    **{f"os.{name}": FILES for name in ("listdir", "walk", "scandir", "remove", "unlink", "rmdir", "chdir",
                                        "open", "rename", "replace", "makedirs", "mkdir")},
    "sys.exit": PROGRAMS, "sys._getframe": INTERNALS, "sys.settrace": SIGNALS, "sys.setprofile": SIGNALS,
    "sys.addaudithook": SIGNALS, "threading.settrace": SIGNALS, "io.open": FILES,
}
FILE_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "rglob", "unlink", "rmdir",
                "symlink_to", "touch"}
FRAME_ATTRIBUTES = {"f_globals", "f_locals", "f_back", "f_builtins", "tb_frame", "gi_frame", "cr_frame",
                    "__globals__", "__code__", "__closure__", "__subclasses__", "__mro__", "__bases__"}
LYING_METHODS = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__float__", "__int__", "__bool__",
                 "__index__", "__abs__", "__sub__", "__rsub__", "__getattr__", "__getattribute__", "__round__",
                 "__torch_function__", "__array__", "__array_ufunc__", "__array_function__",
                 "__array_interface__", "__array_priority__", "__instancecheck__", "__subclasscheck__"}
HARMLESS_MAGICS = {"time", "timeit", "matplotlib", "pprint", "precision", "who", "whos"}


def _python(source):
    """The cell as Python (IPython's own transformation of magics and ``!`` commands)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - IPython refuses some sources; parse them as they are
        return source


def _dotted(node):
    """``np.linalg.norm`` for an attribute chain on a name, else ``None``."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


class _Reader(ast.NodeVisitor):
    def __init__(self):
        self.reasons = set()
        self.modules = set(SETUP_MODULES)

    def visit_Import(self, node):
        for alias in node.names:
            top = alias.name.split(".")[0]
            self.modules.add(alias.asname or top)
            if top in MODULE_REASONS:
                self.reasons.add(MODULE_REASONS[top])
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        top = (node.module or "").split(".")[0]
        if top in MODULE_REASONS:
            self.reasons.add(MODULE_REASONS[top])
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id == "__builtins__":
            self.reasons.add(BUILTINS)

    def visit_Attribute(self, node):
        name = _dotted(node)
        if name in ("sys.modules", "sys.meta_path", "sys.path_hooks"):
            self.reasons.add(IMPORTS)
        if node.attr == "__dict__":
            self.reasons.add(ATTRIBUTES)
        if node.attr in FRAME_ATTRIBUTES:
            self.reasons.add(INTERNALS)
        self.generic_visit(node)

    def _patched(self, target):
        """Assigning to ``module.attr`` (or deleting it), or into ``vars(x)[...]``."""
        if isinstance(target, ast.Attribute):
            root = target
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in self.modules:
                self.reasons.add(LIBRARY)
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Call) and \
                isinstance(target.value.func, ast.Name) and target.value.func.id == "vars":
            self.reasons.add(ATTRIBUTES)
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._patched(element)

    def visit_Assign(self, node):
        for target in node.targets:
            self._patched(target)
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self._patched(node.target)
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        self._patched(node.target)
        self.generic_visit(node)

    def visit_Delete(self, node):
        for target in node.targets:
            self._patched(target)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        if node.name in LYING_METHODS:
            self.reasons.add(LYING)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        function = node.func
        if isinstance(function, ast.Name) and function.id in CALL_REASONS:
            if function.id != "get_ipython":
                self.reasons.add(CALL_REASONS[function.id])
        name = _dotted(function)
        if name in QUALIFIED_CALL_REASONS:
            self.reasons.add(QUALIFIED_CALL_REASONS[name])
        if isinstance(function, ast.Attribute):
            self._method_call(function, node)
        self.generic_visit(node)

    def _method_call(self, function, node):
        if function.attr in FILE_METHODS:
            self.reasons.add(FILES)
        if function.attr in ("register", "unregister") and _dotted(function.value) and \
                _dotted(function.value).endswith("events"):
            self.reasons.add(KERNEL)
        if function.attr == "update" and isinstance(function.value, ast.Call) and \
                isinstance(function.value.func, ast.Name) and function.value.func.id == "vars":
            self.reasons.add(ATTRIBUTES)
        owner = function.value
        if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "get_ipython":
            self._ipython_call(function.attr, node)

    def _ipython_call(self, method, node):
        """``get_ipython().<method>(...)``: what IPython made of a magic or ``!`` line, or a direct call."""
        if method in ("run_line_magic", "run_cell_magic"):
            magic = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else ""
            if magic not in HARMLESS_MAGICS:
                self.reasons.add(MAGIC)
        elif method in ("system", "getoutput"):
            self.reasons.add(PROGRAMS)
        else:
            self.reasons.add(KERNEL)


def _reasons(source):
    try:
        tree = ast.parse(_python(source))
    except (SyntaxError, ValueError):
        return set()
    reader = _Reader()
    reader.visit(tree)
    # `get_ipython` used other than by IPython's own transformation of a magic
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "get_ipython" and not _is_magic_owner(tree, node):
            reader.reasons.add(KERNEL)
    return reader.reasons


def _is_magic_owner(tree, name_node):
    """True when ``get_ipython`` is called only to run what IPython's transformer produced."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Call) and node.func.value.func is name_node:
            return True
    return False


def code_flags(sources):
    """``["code <reason>", ...]`` for the cells ``sources`` a student wrote, in a fixed order."""
    reasons = set().union(*(_reasons(source) for source in sources)) if sources else set()
    return [f"code {reason}" for reason in ORDER if reason in reasons]
