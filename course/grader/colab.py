"""Part of step 2 (release): the "Open in Colab" badge and the install lines of every set-up cell.

The repository's address is defined here and nowhere else; the version of ``mnist1d`` the set-up
cell installs is read from the pins of ``pyproject.toml``. ``python -m course release`` writes the
badge (first markdown cell) and the Colab branch of the set-up cell into every notebook of
``source/`` from these constants before generating ``release/``, and a test checks that they agree.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from course.grader.coursedir import REPO_ROOT

REPOSITORY = "open-dl-course/deep-learning-course"  # owner/name on GitHub
BRANCH = "main"



def pinned(name):
    """``name==version`` as the course's runtime dependencies pin it (pyproject.toml, or the installed metadata)."""
    pyproject = REPO_ROOT / "pyproject.toml"
    if pyproject.is_file():
        requirements = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    else:  # an installed course without its checkout
        requirements = metadata.requires("course") or []
    for requirement in requirements:
        if re.split(r"[=<>!~ ;\[]", requirement, maxsplit=1)[0].lower() == name.lower():
            return requirement.split(";")[0].strip()
    raise LookupError(f"{name} is not a pinned dependency of the course")


# On Colab the notebooks need only the course helpers and MNIST-1D's generator: numpy, PyTorch,
# matplotlib, ipywidgets, scikit-learn and transformers are already there, so nothing else is installed.
COLAB_PACKAGES = [f"course @ git+https://github.com/{REPOSITORY}@{BRANCH}", pinned("mnist1d")]

_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
_BADGE = re.compile(r"^\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)\n\n", re.MULTILINE)
_BLOCK = re.compile(r'import sys\nif "google\.colab" in sys\.modules:.*?check=True\)\n', re.DOTALL)
_SETUP_HEADER = "# Set-up (read-only): run this cell first.\n"


def colab_url(assignment):
    return (f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/"
            f"release/{assignment}/{assignment}.ipynb")


def badge(assignment):
    return f"[![Open In Colab]({_BADGE_IMAGE})]({colab_url(assignment)})\n\n"


def install_block():
    packages = ",\n".join(f'                    "{name}"' for name in COLAB_PACKAGES)
    return ('import sys\n'
            'if "google.colab" in sys.modules:  # on Colab only: install the course helpers, nothing heavy\n'
            '    import subprocess\n'
            '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",\n'
            f'{packages}], check=True)\n')


def with_badge(markdown, assignment):
    """The title cell's text with exactly one, current badge at the top."""
    return badge(assignment) + _BADGE.sub("", markdown, count=1)


def with_install_block(code):
    """The set-up cell's code with the current Colab branch right after its header comment."""
    code = _BLOCK.sub("", code, count=1)
    if not code.startswith(_SETUP_HEADER):
        raise ValueError("a set-up cell must start with " + repr(_SETUP_HEADER))
    return _SETUP_HEADER + install_block() + code[len(_SETUP_HEADER):]


def sync_notebook(notebook, assignment):
    """Update the badge and the install block in an nbformat notebook; return True if it changed."""
    title = next(cell for cell in notebook.cells if cell.cell_type == "markdown")
    setup = next(cell for cell in notebook.cells if cell.cell_type == "code")
    new_title, new_setup = with_badge(title.source, assignment), with_install_block(setup.source)
    changed = (new_title, new_setup) != (title.source, setup.source)
    title.source, setup.source = new_title, new_setup
    return changed
