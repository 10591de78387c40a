"""The Colab badge and set-up cell: one repository address, current in every notebook, and an
install step that runs only on Colab and installs nothing Colab already has."""

import json
import re
import subprocess
import sys
import types
from importlib import metadata

import nbformat
import pytest

from course.grader import colab, coursedir

ROOT = coursedir.REPO_ROOT
NOTEBOOKS = [(folder, name) for name in coursedir.assignments(ROOT) for folder in ("source", "release")]


BADGE_LINK = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\((?P<url>[^)]*)\)")
COLAB_GITHUB = re.compile(r"https://colab\.research\.google\.com/github/(?P<repository>[^/]+/[^/]+)/blob/"
                          r"(?P<branch>[^/]+)/(?P<path>.+)")
INSTALL_LINE = re.compile(r'"course @ git\+https://github\.com/(?P<repository>[^/]+/[^/@]+)@(?P<branch>[^"]+)"')


@pytest.mark.parametrize("folder, name", NOTEBOOKS, ids=[f"{f}/{n}" for f, n in NOTEBOOKS])
def test_badge_and_install_block_are_current(folder, name):
    """Read from the notebook itself: its badge opens the student version of this very notebook in
    this repository, and its set-up cell installs the course from the same repository and branch."""
    notebook = nbformat.read(coursedir.notebook_path(ROOT, folder, name), as_version=4)
    badge = BADGE_LINK.match(notebook.cells[0].source)
    assert badge, "the title cell starts with the Colab badge; run `python -m course release`"
    target = COLAB_GITHUB.fullmatch(badge["url"])
    assert target, badge["url"]
    assert (target["repository"], target["branch"]) == (colab.REPOSITORY, colab.BRANCH)
    assert ROOT / target["path"] == coursedir.notebook_path(ROOT, "release", name) and (ROOT / target["path"]).is_file(), \
        "the badge opens the student version of this very notebook"
    setup = next(cell for cell in notebook.cells if cell.cell_type == "code")
    installs = INSTALL_LINE.findall(setup.source)
    assert installs == [(colab.REPOSITORY, colab.BRANCH)], "the set-up cell installs the course from this repository"
    assert not colab.sync_notebook(notebook, name), "run `python -m course release`"


def _run_install_block(monkeypatch, on_colab):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda command, **kw: calls.append((command, kw)))
    if on_colab:
        google = types.ModuleType("google")
        google.colab = types.ModuleType("google.colab")
        monkeypatch.setitem(sys.modules, "google", google)
        monkeypatch.setitem(sys.modules, "google.colab", google.colab)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(colab.install_block(), {})
    return calls


def test_install_block_runs_pip_only_on_colab(monkeypatch):
    assert _run_install_block(monkeypatch, on_colab=False) == []
    (command, options), = _run_install_block(monkeypatch, on_colab=True)
    assert command[:4] == [sys.executable, "-m", "pip", "install"] and "--no-deps" in command
    assert options.get("check") is True
    installed = [arg for arg in command[4:] if not arg.startswith("-")]
    assert installed == colab.COLAB_PACKAGES
    assert f"git+https://github.com/{colab.REPOSITORY}@{colab.BRANCH}" in installed[0]
    heavy = {"torch", "numpy", "matplotlib", "scikit-learn", "transformers", "ipywidgets"}
    assert not any(arg.split("=")[0] in heavy for arg in installed)


def test_repository_address_is_defined_in_one_place():
    code = [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts and "build" not in p.parts]
    holders = [p.relative_to(ROOT) for p in code if colab.REPOSITORY in p.read_text()]
    assert [str(p) for p in holders] == ["course/grader/colab.py"]


def test_colab_installs_the_pinned_mnist1d():
    import tomllib

    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert colab.COLAB_PACKAGES[1] in pins and colab.COLAB_PACKAGES[1].startswith("mnist1d==")


def test_colab_like_environment_has_colabs_versions_only_colabs_packages_and_the_course(colab_env, tmp_path):
    from devtools import colabenv

    probe = ("import importlib, importlib.metadata as m, importlib.util, json, course, mnist1d\n"
             "[importlib.import_module(f'course.{name}') for name in course.RUNTIME_MODULES]\n"
             "print(course.__file__)\n"
             "print([name for name in ('nbgrader', 'dask', 'pytest', 'nbformat', 'jupyterlab', 'notebook') "
             "if importlib.util.find_spec(name)])\n"
             "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))")
    lines = subprocess.run([str(colabenv.python_of(colab_env)), "-c", probe], cwd=tmp_path, check=True,
                           capture_output=True, text=True).stdout.splitlines()
    assert lines[0].startswith(str(colab_env)), "the course is the package installed as on Colab, not this checkout"
    assert lines[1] == "[]", "a package Colab does not ship is visible"
    installed = {colabenv.normalised_name(name): version for name, version in json.loads(lines[2]).items()}
    wanted = {name: version for name, version in colabenv.colab_versions(ROOT).items() if name not in colabenv.LINKED}
    assert {name: installed.get(name) for name in wanted} == wanted, "Colab's versions, not ours"
    assert installed["torch"] == metadata.version("torch"), "torch: the course's own CPU build, linked"
    spec = (colab_env / "share" / "jupyter" / "kernels" / colabenv.KERNEL_NAME / "kernel.json").read_text()
    assert str(colabenv.python_of(colab_env)) in spec
