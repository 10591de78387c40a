"""A Colab-like Python environment: Colab's packages at Colab's versions, plus what the set-up cell installs.

``python -m course test`` runs every instructor notebook (nbval), and every student notebook blank,
in a kernel of this environment, so a notebook that needs a package Colab does not have (nbgrader,
dask, pytest...), or that works only with newer versions than Colab's, fails in CI, not in front of
a student. The environment lives in ``build/colab-env``:

* a fresh virtual environment (no system site-packages) of the Python running this;
* the packages of ``colab-versions.txt`` (IPython, ipykernel, ipywidgets, numpy, matplotlib,
  scikit-learn, scipy, transformers...) at Colab's versions, installed by pip (downloaded once, then
  from pip's cache); ipywidgets 7 and its notebook extension without their dependencies, as Colab
  has them (their own requirements would pull in the classic notebook server);
* ``LINKED``, linked from the course's own environment with their dependencies: torch (the only
  CPU build of it on this project's machines is the pinned one, see ``colab-versions.txt``) and
  what the hidden tests use besides (Hypothesis, for ``checks.for_all``: nbval runs the instructor
  notebooks, hidden tests included; students never run them);
* exactly what the notebooks' set-up cell installs on Colab (``course.grader.colab.COLAB_PACKAGES``),
  installed by pip with ``--no-deps`` as there: the ``course`` package, built from this checkout
  (so a file missing from its package data fails here too), and ``mnist1d``.

Everything but the course and mnist1d is built once per version of ``colab-versions.txt``,
``requirements.lock`` and this file (``build/colab-env/.colab-key``); the course and mnist1d are
installed afresh whenever a file of the course package, its ``pyproject.toml`` or README changed
(``build/colab-env/.course-key``); one ``ensure`` at a time (``build/colab-env.lock``). ``make`` builds it with the course's own environment.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
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
VERSIONS_FILE = "colab-versions.txt"

# Linked from the course's environment, not installed at Colab's version (see the module docstring).
LINKED = ["torch", "hypothesis"]
# Installed without their dependencies.
WITHOUT_DEPENDENCIES = ["ipywidgets", "widgetsnbextension", "jupyterlab-widgets"]
# What ipywidgets 7 needs that nothing else in the list brings.
IPYWIDGETS_7_NEEDS = ["ipython-genutils==0.2.0"]


def colab_versions(root=REPO_ROOT):
    """``{normalised name: version}`` of ``colab-versions.txt``."""
    versions = {}
    for line in (Path(root) / VERSIONS_FILE).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            versions[normalised_name(name)] = version
    return versions


def env_dir(root=REPO_ROOT):
    return Path(root) / "build" / "colab-env"


def python_of(path):
    return Path(path) / "bin" / "python"


def normalised_name(name):
    """A distribution name as pip compares them (PEP 503): lower case, runs of - _ . as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_closure(names):
    """The installed distributions ``names`` need (themselves included), by normalised name."""
    environment = default_environment()
    found, todo = {}, list(names)
    while todo:
        name = normalised_name(todo.pop())
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


def _pip(path, *arguments):
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python_of(path)), "install", "--quiet",
                    "--disable-pip-version-check", *arguments], check=True)


def _key(root):
    """What the environment's packages depend on: Colab's versions, the lock file (the linked torch),
    this module and the Python running it."""
    digest = hashlib.sha256(sys.version.encode())
    for path in (Path(root) / VERSIONS_FILE, Path(root) / "requirements.lock", Path(__file__)):
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def _course_key(root):
    """What the set-up cell's installation is built from: its list of packages, the course's
    ``pyproject.toml`` and README (the package's metadata) and every file of the ``course`` package."""
    root = Path(root)
    digest = hashlib.sha256(repr(_set_up_cell_installs(root)).encode())
    files = [root / "pyproject.toml", root / "README.md",
             *sorted(p for p in (root / "course").rglob("*") if p.is_file() and "__pycache__" not in p.parts)]
    for file in files:
        digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def _build_colab_packages(root, path, log):
    log(f"Building the Colab-like environment in {path} (Colab's packages at Colab's versions, once)")
    if path.exists():
        shutil.rmtree(path)
    venv.create(path, with_pip=False)
    site_packages = Path(subprocess.run([str(python_of(path)), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        check=True, capture_output=True, text=True).stdout.strip())
    versions = colab_versions(root)
    pins = {name: f"{name}=={version}" for name, version in versions.items() if name not in LINKED}
    linked = {name: d for name, d in dependency_closure(LINKED).items() if name not in pins}
    _link_distributions(site_packages, linked)
    # pip must never replace a linked package: removing it would remove the course environment's files.
    keep = path / "linked-constraints.txt"
    keep.write_text("".join(f"{name}=={d.version}\n" for name, d in sorted(linked.items())))
    _pip(path, "-c", str(keep), *[pin for name, pin in pins.items() if name not in WITHOUT_DEPENDENCIES],
         *IPYWIDGETS_7_NEEDS)
    _pip(path, "--no-deps", *[pins[name] for name in WITHOUT_DEPENDENCIES])
    (path / ".colab-key").write_text(_key(root))


def ensure(root=REPO_ROOT, path=None, log=print):
    """The environment (default: ``build/colab-env``) for the checkout ``root``, with the course
    installed afresh from it when it changed; its Colab packages are built only when their key changed. Returns its folder."""
    path = Path(path or env_dir(root))
    with _one_at_a_time(path):
        key_file = path / ".colab-key"
        if not (key_file.is_file() and key_file.read_text() == _key(root) and python_of(path).exists()):
            _build_colab_packages(root, path, log)
        course_key, key = path / ".course-key", _course_key(root)
        if not (course_key.is_file() and course_key.read_text() == key):
            course_key.unlink(missing_ok=True)  # a failed install below must not leave the old key
            _pip(path, "--no-deps", "--force-reinstall", *_set_up_cell_installs(root))
            course_key.write_text(key)
        _write_kernelspec(path)
    return path


@contextlib.contextmanager
def _one_at_a_time(path):
    """Holds a lock on ``path`` (a file next to it): two test runs started together in one checkout
    would otherwise build the environment, and the course's wheel in the checkout, at the same time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f"{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


def jupyter_path(path):
    """The value of JUPYTER_PATH that makes the ``colab-like`` kernel visible."""
    return os.pathsep.join(filter(None, [str(Path(path) / "share" / "jupyter"), os.environ.get("JUPYTER_PATH")]))


if __name__ == "__main__":  # python -m devtools.colabenv: build it by hand (make does)
    print(ensure())
