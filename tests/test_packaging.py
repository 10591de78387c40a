"""The pinned stack is the same everywhere a user might install it from."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_pins():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def test_every_direct_dependency_is_pinned_exactly():
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[\w.]+", dep) for dep in _pyproject_pins())
    assert "torch==2.13.0" in _pyproject_pins()


def test_environment_yml_has_the_same_pins():
    text = (ROOT / "environment.yml").read_text()
    listed = re.findall(r"^\s+- ([A-Za-z0-9_.\-]+==[\w.]+)$", text, flags=re.M)
    assert listed == _pyproject_pins()
    assert "python=3.11" in text and "- -e ." in text


def test_lock_file_agrees_with_the_direct_pins():
    lock = dict(line.split("==") for line in (ROOT / "requirements.lock").read_text().split()
                if "==" in line)
    lock = {name.lower().replace("_", "-"): version for name, version in lock.items()}
    for dep in _pyproject_pins():
        name, version = dep.split("==")
        assert lock.get(name.lower().replace("_", "-")) == version, dep


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / "README.md").read_text()
    assert "make test" in (ROOT / ".ci" / "run").read_text()
