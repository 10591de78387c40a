"""Flags for manual review come from the syntax tree: each kind has code that raises it and
ordinary code that does not, and no reference solution of any topic raises one."""

import pytest

from course.grader import coursedir, flags
from devtools import demo
from harness import ROOT, correct_answers, wrong_answers

CASES = {  # reason: (code that must raise it, ordinary code that must not)
    flags.BUILTINS: (["import builtins\nbuiltins.abs = max", "__builtins__['len'] = None", "from builtins import print"],
                     ["total = sum(abs(v) for v in values)", "builtin_names = ['abs']"]),
    flags.IMPORTS: (["import importlib\nimportlib.reload(np)", "sys.modules['numpy'] = fake", "m = __import__('os')"],
                    ["import numpy as np", "from torch import nn", "modules = [nn.Linear(2, 3)]"]),
    flags.LIBRARY: (["np.allclose = lambda *a, **k: True", "torch.Tensor.__eq__ = f", "F.relu = lambda x: x",
                     "import scipy.linalg as sl\nsl.solve = None", "checks.assert_close = print", "del np.mean",
                     "np.pi += 1"],
                    ["model.weight = nn.Parameter(w)", "self.scale = 2.0", "w.grad = None", "model.eval()",
                     "x = np.zeros(3)\nx[0] = 1", "layer.bias.data = torch.zeros(3)"]),
    flags.ATTRIBUTES: (["setattr(checks, 'assert_close', f)", "vars(checks)['assert_close'] = f",
                        "vars(np).update(allclose=f)", "np.__dict__['allclose'] = f", "delattr(obj, 'x')"],
                       ["getattr(model, 'weight')", "print(vars(args))", "config = dict(lr=0.1)"]),
    flags.INTERNALS: (["import ctypes\nctypes.string_at(0)", "import gc\ngc.get_objects()",
                       "frame = sys._getframe(1)", "import inspect", "g = f.__globals__", "e.__traceback__.tb_frame"],
                      ["import numpy.linalg", "frames = [1, 2]", "frame_rate = 30"]),
    flags.PROGRAMS: (["import subprocess\nsubprocess.run(['ls'])", "os.system('ls')", "sys.exit(0)", "exit()",
                      "os._exit(1)", "!ls /"],
                     ["results = run(model)", "system = 'linear'", "def exit_code(x):\n    return x"]),
    flags.FILES: (["open('/etc/passwd').read()", "from pathlib import Path\nPath('x').read_text()",
                   "os.listdir('/')", "import shutil", "import glob", "Path('a').write_text('b')"],
                  ["from pathlib import Path\nroot = Path('.')", "is_open = True", "text = 'open the file'",
                   "opened = [x for x in range(3)]"]),
    flags.SIGNALS: (["import signal\nsignal.signal(2, signal.SIG_IGN)", "sys.settrace(None)"],
                    ["signal_strength = 2.0", "def signal(x):\n    return x"]),
    flags.KERNEL: (["shell = get_ipython()", "get_ipython().events.unregister('pre_run_cell', f)",
                    "ip.events.register('pre_run_cell', f)"],
                   ["events = ['start', 'stop']", "%timeit sum(range(10))", "%matplotlib inline"]),
    flags.INDIRECT: (["exec(source)", "eval('1 + 1')", "code = compile(src, 'x', 'exec')"],
                     ["import re\npattern = re.compile('a+')", "model = torch.compile(model)",
                      "model.eval()", "evaluate(model)", "y = model.evaluate(x)"]),
    flags.LYING: (["class A(float):\n    def __eq__(self, other):\n        return True",
                   "class B:\n    def __array__(self, dtype=None):\n        return 0"],
                  ["class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                   "    def forward(self, x):\n        return x",
                   "class Data:\n    def __len__(self):\n        return 3\n    def __getitem__(self, i):\n        return i"]),
    flags.MAGIC: (["%run other.py", "%%bash\nls", "%load solution.py"], ["%time x = 1", "%timeit f(3)"]),
}


@pytest.mark.parametrize("reason", list(CASES))
def test_each_flag_is_raised_by_its_code_and_not_by_ordinary_code(reason):
    flagged, ordinary = CASES[reason]
    for code in flagged:
        assert f"code {reason}" in flags.code_flags([code]), code
    for code in ordinary:
        assert f"code {reason}" not in flags.code_flags([code]), code


def test_every_kind_has_cases():
    assert set(CASES) == set(flags.ORDER)


def test_a_cell_that_does_not_parse_raises_nothing():
    assert flags.code_flags(["def f(:\n    open('x')"]) == []


@pytest.mark.parametrize("assignment", coursedir.assignments(ROOT))
def test_reference_solutions_raise_no_flag(assignment):
    answers = demo.reference_answers(coursedir.notebook_path(ROOT, "source", assignment))
    for grade_id, source in answers.items():
        assert flags.code_flags([source]) == [], grade_id


@pytest.mark.parametrize("assignment", coursedir.assignments(ROOT))
def test_wrong_answers_of_the_corpus_raise_no_flag(assignment):
    """Plain mistakes are not cheating: none of the corpus's wrong answers is flagged (its attacks,
    labelled "attack: ..." or "tampers: ...", may well be)."""
    for exercise, answers in wrong_answers(assignment).items():
        for label, source in answers.items():
            if not label.startswith(("attack:", "tampers:")):
                assert flags.code_flags([source]) == [], (exercise, label)


@pytest.mark.parametrize("assignment", coursedir.assignments(ROOT))
def test_correct_alternatives_of_the_corpus_raise_no_flag(assignment):
    """Another correct way of writing an answer is not suspicious either."""
    for exercise, answers in correct_answers(assignment).items():
        for label, source in answers.items():
            assert flags.code_flags([source]) == [], (exercise, label)
