"""The conda environment and the pip metadata name the same dependencies."""

from __future__ import annotations

import re
import tomllib

import pytest
from conftest import ROOT

#: conda-forge names that differ from PyPI's.
CONDA_TO_PIP = {"ortools-python": "ortools"}
NOT_PACKAGES = {"python", "pip"}


def _split(requirement: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*(#.*)?$", requirement)
    assert m, requirement
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _pyproject(root=ROOT) -> dict[str, str]:
    meta = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in meta["optional-dependencies"].values():
        reqs += extra
    return dict(_split(r) for r in reqs)


def _environment(root=ROOT) -> dict[str, str]:
    deps: dict[str, str] = {}
    in_pip = in_deps = False
    for line in (root / "environment.yml").read_text().splitlines():
        stripped = line.split("#")[0].rstrip()
        if re.match(r"^\w", stripped):
            in_deps = stripped.startswith("dependencies:")
            continue
        if not in_deps:
            continue
        if re.match(r"^\s*-\s*pip:\s*$", stripped):
            in_pip = True
            continue
        m = re.match(r"^(\s*)-\s+(\S.*)$", stripped)
        if not m:
            continue
        item = m.group(2)
        if item.startswith("-e") or item == ".":
            continue
        if in_pip and len(m.group(1)) <= 2:
            in_pip = False
        name, spec = _split(item)
        name = CONDA_TO_PIP.get(name, name)
        if name not in NOT_PACKAGES:
            deps[name] = spec
    return deps


def test_environment_yml_matches_pyproject():
    assert _environment() == _pyproject()


def test_required_dependencies_are_declared():
    deps = _pyproject()
    for name in [
        "pandas",
        "numpy",
        "scipy",
        "scikit-learn",
        "networkx",
        "matplotlib",
        "openpyxl",
        "pytest",
        "nbval",
        "hypothesis",
        "jupyterlab",
        "ipykernel",
        "papermill",
        "nbconvert",
    ]:
        assert name in deps, name


@pytest.mark.parametrize("broken", ["  - numpy>=9\n", "  - notapackage\n"])
def test_comparison_detects_a_difference(tmp_path, broken):
    # The check must be able to fail: a changed bound or an extra package is caught.
    text = (ROOT / "environment.yml").read_text()
    assert "  - numpy>=1.26\n" in text
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    (tmp_path / "environment.yml").write_text(text.replace("  - numpy>=1.26\n", broken))
    assert _environment(tmp_path) != _pyproject(tmp_path)
