"""The pinned stack is the same everywhere a user might install it from, the course's requirements
admit Colab's versions (colab-versions.txt), and the `course` wheel is what a student installs on
Colab: Python 3.11 to 3.13, runtime dependencies only."""

import re
import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

import course

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
GRADER_ONLY = {"nbgrader", "nbformat", "nbclient", "nbconvert", "dask", "distributed", "jupyterlab", "notebook",
               "nbval", "pytest", "pytest-timeout", "playwright", "packaging"}


def _exact_pins():
    """The extras' pins: the grader's and the tests' packages, pinned exactly."""
    return PYPROJECT["optional-dependencies"]["grader"] + PYPROJECT["optional-dependencies"]["dev"]


def _lock():
    lock = dict(line.split("==") for line in (ROOT / "requirements.lock").read_text().split() if "==" in line)
    return {_normal(name): version for name, version in lock.items()}


def _normal(name):
    from devtools.colabenv import normalised_name

    return normalised_name(name)


def _colab_versions():
    from devtools import colabenv

    return colabenv.colab_versions(ROOT)


def test_extras_are_pinned_exactly_and_the_runtime_has_lower_bounds():
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[\w.]+", dep) for dep in _exact_pins())
    for dep in PYPROJECT["dependencies"]:
        requirement = Requirement(dep)
        operators = {spec.operator for spec in requirement.specifier}
        assert operators in ({">="}, {"=="}), dep
        assert operators == {">="} or requirement.name not in _colab_versions(), \
            f"{dep}: Colab ships it, so the course must admit Colab's version and ours"


def test_runtime_requirements_admit_colabs_versions_and_the_locked_ones():
    """A `pip install` on Colab after the set-up cell reports no conflict with the course, and the
    course's own environment satisfies it too."""
    colab, lock = _colab_versions(), _lock()
    assert {"torch", "numpy", "matplotlib", "scikit-learn", "scipy", "transformers", "ipywidgets",
            "ipykernel", "ipython"} <= set(colab)
    for dep in PYPROJECT["dependencies"]:
        requirement = Requirement(dep)
        name = _normal(requirement.name)
        if name in colab:
            assert requirement.specifier.contains(colab[name], prereleases=True), (dep, "Colab", colab[name])
        assert requirement.specifier.contains(lock[name], prereleases=True), (dep, "requirements.lock", lock[name])
    assert "torch==2.13.0" in (ROOT / "requirements.lock").read_text().split()


def test_runtime_dependencies_are_only_what_the_notebooks_need():
    runtime = {Requirement(dep).name for dep in PYPROJECT["dependencies"]}
    assert not runtime & GRADER_ONLY, "the grader's and the tests' packages belong in the extras"
    assert {"torch", "numpy", "matplotlib", "mnist1d", "transformers", "ipywidgets"} <= runtime


def test_environment_yml_pins_the_locked_versions_of_the_direct_dependencies():
    text = (ROOT / "environment.yml").read_text()
    listed = re.findall(r"^\s+- ([A-Za-z0-9_.\-]+==[\w.]+)$", text, flags=re.M)
    lock = _lock()
    runtime = [f"{Requirement(dep).name}=={lock[_normal(Requirement(dep).name)]}" for dep in PYPROJECT["dependencies"]]
    assert listed == runtime + _exact_pins()
    assert "python=3.11" in text and '- -e ".[grader,dev]"' in text


def test_lock_file_agrees_with_the_extras_pins():
    lock = _lock()
    for dep in _exact_pins():
        name, version = dep.split("==")
        assert lock.get(_normal(name)) == version, dep


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / "README.md").read_text()
    assert "make test" in (ROOT / ".ci" / "run").read_text()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
                    "-w", str(folder), str(ROOT)], check=True)
    return next(folder.glob("course-*.whl"))


def _metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(archive.read(name).decode()), archive.namelist()


@pytest.mark.parametrize("python", ["3.11.9", "3.12.8", "3.13.1"])
def test_wheel_installs_on_the_pythons_colab_runs(wheel, python):
    metadata, _ = _metadata(wheel)
    assert python in SpecifierSet(metadata["Requires-Python"]), metadata["Requires-Python"]
    environment = {"python_version": python.rsplit(".", 1)[0], "python_full_version": python, "extra": ""}
    needed = {Requirement(line).name for line in metadata.get_all("Requires-Dist")
              if Requirement(line).marker is None or Requirement(line).marker.evaluate(environment)}
    assert needed == {Requirement(dep).name for dep in PYPROJECT["dependencies"]}
    assert not needed & GRADER_ONLY


def test_wheel_holds_the_runtime_the_model_and_the_grader(wheel):
    _, names = _metadata(wheel)
    for module in course.RUNTIME_MODULES:
        assert f"course/{module}.py" in names, module
    assert "course/models/pydoc-gpt/model.safetensors" in names
    assert "course/grader/pipeline.py" in names
    assert not any(name.startswith(("devtools/", "tools/", "grader_tests/", "tests/")) for name in names), \
        "the maintainers' tools and the tests stay in the repository"


def test_runtime_imports_nothing_of_the_grader():
    probe = ("import sys, course.checks, course.data, course.gradcheck, course.mlp, course.plots, course.lm\n"
             "heavy = ('nbgrader', 'dask', 'distributed', 'pytest', 'playwright', 'nbclient', 'course.grader')\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith('course.grader')))")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_help_is_fast_and_loads_no_heavy_module():
    probe = ("import sys, time; t = time.perf_counter()\n"
             "sys.argv = ['course', '--help']\n"
             "import runpy\n"
             "try:\n    runpy.run_module('course', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print(time.perf_counter() - t, file=sys.stderr)\n"
             "print(sorted(m for m in ('torch', 'matplotlib', 'nbgrader', 'numpy', 'dask') if m in sys.modules), "
             "file=sys.stderr)")
    lines = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                           text=True).stderr.splitlines()
    assert lines[-1] == "[]"
    assert float(lines[-2]) < 0.5


def test_autograde_preprocessors_are_nbgraders_own_plus_the_stderr_one():
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute as NbGraderExecute
    from traitlets.utils.importstring import import_item as resolve

    from course.grader.preprocessors import AUTOGRADE_PREPROCESSORS, Execute, StderrIsNotAFailure

    classes = [resolve(name) for name in AUTOGRADE_PREPROCESSORS]
    # the execute step is nbgrader's own, on the course's nbclient (no stall after widget cells)
    assert issubclass(Execute, NbGraderExecute) and Execute.__mro__[1].__module__ == "course.grader.client"
    classes = [NbGraderExecute if c is Execute else c for c in classes]
    assert [c for c in classes if c is not StderrIsNotAFailure] == list(Autograde.autograde_preprocessors.default())


def test_nbformat_loads_without_building_a_grammar():
    """Every grader process (the command, each Dask worker, nbgrader) imports nbformat, which imports
    jsonschema's format checkers: from jsonschema 4.25 on they load rfc3987-syntax, which builds a Lark
    grammar at import (about a second of CPU per process). The lock holds jsonschema at 4.24.1."""
    probe = "import sys, nbformat; print(sorted(m for m in ('rfc3987_syntax', 'lark') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    assert loaded.strip() == "[]"
    assert _lock()["jsonschema"] == "4.24.1" and "rfc3987-syntax" not in _lock()


def test_the_colab_like_environment_reinstalls_the_course_when_a_file_of_it_changed(tmp_path):
    """`colabenv.ensure` installs the course again only when its key changed: any file of the package,
    its pyproject.toml or README, never a cache file."""
    from devtools import colabenv

    for name, text in {"pyproject.toml": "[project]\n", "README.md": "# x\n", "course/checks.py": "A = 1\n",
                       "course/models/m/config.json": "{}"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    keys = [colabenv._course_key(tmp_path)]
    (tmp_path / "course" / "__pycache__").mkdir()
    (tmp_path / "course" / "__pycache__" / "checks.cpython-311.pyc").write_bytes(b"cache")
    keys.append(colabenv._course_key(tmp_path))
    for name in ("course/checks.py", "course/models/m/config.json", "pyproject.toml", "README.md"):
        (tmp_path / name).write_text((tmp_path / name).read_text() + " ")
        keys.append(colabenv._course_key(tmp_path))
    assert keys[0] == keys[1] and len(set(keys[1:])) == 5


def test_the_colab_like_environment_is_made_ready_by_one_run_at_a_time(tmp_path):
    """Two test runs started together in one checkout: the second waits for the first's `ensure`."""
    import threading

    from devtools import colabenv

    path, order = tmp_path / "colab-env", []

    def second_run():
        with colabenv._one_at_a_time(path):
            order.append("second")

    with colabenv._one_at_a_time(path):
        second = threading.Thread(target=second_run)
        second.start()
        second.join(0.5)
        order.append("first")
    second.join(10)
    assert order == ["first", "second"]
