"""A Colab-like Python environment: only the packages Colab ships, plus what the set-up cell installs.

``python -m course test`` runs every instructor notebook (nbval) in a kernel of this environment,
so a notebook that needs a package Colab does not have (nbgrader, dask, pytest...) fails in CI,
not in front of a student. The environment lives in ``build/colab-env``:

* a fresh virtual environment (no system site-packages);
* ``COLAB_SHIPS``, packages every Colab runtime already has, and their dependencies, linked from
  the course's own environment (so at the versions of ``requirements.lock``, in a second or two,
  without downloading or copying PyTorch again; Colab's own versions drift, ours are pinned);
* ``HIDDEN_TESTS_NEED``: what the hidden tests use besides (Hypothesis, for ``checks.for_all``),
  linked the same way: nbval runs the instructor notebooks, hidden tests included; students never
  run them, so the set-up cell does not install it;
* exactly what the notebooks' set-up cell installs on Colab (``course.grader.colab.COLAB_PACKAGES``),
  installed by pip with ``--no-deps`` as there: the ``course`` package, built from this checkout
  (so a file missing from its package data fails here too), and ``mnist1d``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

from course.grader import colab

from course.grader.coursedir import REPO_ROOT
KERNEL_NAME = "colab-like"

# The packages the notebooks use that a Colab runtime ships (checked against Colab's package list).
COLAB_SHIPS = ["ipykernel", "ipywidgets", "matplotlib", "numpy", "scikit-learn", "scipy", "torch",
               "tqdm", "transformers", "tokenizers", "safetensors", "requests"]


HIDDEN_TESTS_NEED = ["hypothesis"]


def env_dir(root=REPO_ROOT):
    return Path(root) / "build" / "colab-env"


def python_of(path):
    return Path(path) / "bin" / "python"


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_closure(names):
    """The installed distributions ``names`` need (themselves included), by normalised name."""
    environment = default_environment()
    found, todo = {}, list(names)
    while todo:
        name = _normalise(todo.pop())
        if name in found:
            continue
        found[name] = distribution = metadata.distribution(name)
        for line in distribution.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({**environment, "extra": ""}):
                todo.append(requirement.name)
    return found


def _top_level_entries(distribution):
    """The files and folders a distribution put directly in site-packages (its package, its metadata)."""
    entries = set()
    for file in distribution.files or []:
        first = file.parts[0]
        if first not in ("..", "__pycache__") and not first.endswith(".pth"):
            entries.add(first)
    return entries


def _link_distributions(site_packages, distributions):
    source = Path(sysconfig.get_paths()["purelib"])
    for distribution in distributions.values():
        for entry in _top_level_entries(distribution):
            target = site_packages / entry
            if (source / entry).exists() and not target.exists():
                target.symlink_to(source / entry)


def _write_kernelspec(path):
    folder = Path(path) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {"argv": [str(python_of(path)), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (Colab-like)", "language": "python"}
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))


def _set_up_cell_installs(root):
    """What the set-up cell's ``pip install --no-deps`` installs on Colab, with the course from ``root``."""
    return [str(root) if name.startswith("course @") else name for name in colab.COLAB_PACKAGES]


def ensure(root=REPO_ROOT, path=None, log=print):
    """(Re)build the environment (default: ``build/colab-env``) from the checkout ``root``; return its folder."""
    path = Path(path or env_dir(root))
    log(f"Building the Colab-like environment in {path} (Colab's packages + the set-up cell's installs)")
    if path.exists():
        shutil.rmtree(path)
    venv.create(path, with_pip=False)
    site_packages = Path(subprocess.run([str(python_of(path)), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        check=True, capture_output=True, text=True).stdout.strip())
    _link_distributions(site_packages, dependency_closure(COLAB_SHIPS + HIDDEN_TESTS_NEED))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python_of(path)), "install", "--quiet",
                    "--disable-pip-version-check", "--no-deps", *_set_up_cell_installs(root)], check=True)
    _write_kernelspec(path)
    return path


def jupyter_path(path):
    """The value of JUPYTER_PATH that makes the ``colab-like`` kernel visible."""
    return os.pathsep.join(filter(None, [str(Path(path) / "share" / "jupyter"), os.environ.get("JUPYTER_PATH")]))


if __name__ == "__main__":  # python -m course.grader.colabenv: build it by hand
    print(ensure())
