"""The packaging metadata: the conda environment and the pip metadata name the same
dependencies, the extras hold what their commands need, the build is configured to ship
the notebooks."""

from __future__ import annotations

import re
import tomllib

import pytest
from conftest import ROOT

#: conda-forge names that differ from PyPI's.
CONDA_TO_PIP = {"ortools-python": "ortools", "playwright-python": "playwright"}
#: What ``mentormatch report`` and ``make lab`` need, and nothing else.
NOTEBOOK_TOOLS = {
    "jupyterlab",
    "ipykernel",
    "ipython",
    "jupyter-client",
    "ipywidgets",
    "nbclient",
    "nbformat",
    "nbconvert",
    "voila",
}
NOT_PACKAGES = {"python", "pip"}


def _split(requirement: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*(#.*)?$", requirement)
    assert m, requirement
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _meta(root=ROOT) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text())


def _pyproject(root=ROOT) -> dict[str, str]:
    meta = _meta(root)["project"]
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
        "ipywidgets",
        "nbclient",
        "nbformat",
        "nbconvert",
        "playwright",
    ]:
        assert name in deps, name


def test_notebooks_extra_is_exactly_the_notebook_tools():
    extras = _meta()["project"]["optional-dependencies"]
    assert {_split(r)[0] for r in extras["notebooks"]} == NOTEBOOK_TOOLS
    assert "papermill" not in _pyproject()  # the report runs notebooks with nbclient
    assert "playwright" in {_split(r)[0] for r in extras["test"]}


def test_license_is_spdx_and_setuptools_can_read_it():
    meta = _meta()
    # A plain SPDX expression (PEP 639), not the deprecated table; setuptools reads it
    # from version 77 on.
    assert meta["project"]["license"] == "MIT"
    [setuptools] = [r for r in meta["build-system"]["requires"] if r.startswith("setuptools")]
    bound = re.fullmatch(r"setuptools>=(\d+)(\.\d+)*", setuptools.replace(" ", ""))
    assert bound and int(bound.group(1)) >= 77, setuptools


def test_build_ships_the_notebooks_and_the_stylesheet():
    # setup.py copies the numbered notebooks into the wheel, MANIFEST.in puts them in the
    # sdist, package data carries the stylesheet (tests/test_wheel.py builds the wheel).
    setup = (ROOT / "setup.py").read_text()
    assert "build_py" in setup and '"[0-9][0-9]_*.ipynb"' in setup
    manifest = (ROOT / "MANIFEST.in").read_text().split()
    assert "notebooks/[0-9][0-9]_*.ipynb" in manifest
    assert "report.css" in _meta()["tool"]["setuptools"]["package-data"]["mentormatch.report"]
    assert len(sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))) >= 6


@pytest.mark.parametrize(
    "old, broken",
    [
        ("  - numpy>=1.26\n", "  - numpy>=9\n"),
        ("  - numpy>=1.26\n", "  - notapackage\n"),
        ("  - playwright-python>=1.44", "  - playwright-python>=1.99"),
        ("  - nbclient>=0.10\n", ""),
    ],
)
def test_comparison_detects_a_difference(tmp_path, old, broken):
    # The check must be able to fail: a changed bound, an extra or a missing package.
    text = (ROOT / "environment.yml").read_text()
    assert old in text
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    (tmp_path / "environment.yml").write_text(text.replace(old, broken))
    assert _environment(tmp_path) != _pyproject(tmp_path)


#: Import names whose distribution is named otherwise on PyPI.
IMPORT_TO_DIST = {"sklearn": "scikit-learn", "PIL": "pillow", "IPython": "ipython"}


def _imported_packages() -> dict[str, set[str]]:
    """Top-level modules the package imports (anywhere, also inside functions) that are
    neither the standard library nor mentormatch -> the files importing them."""
    import ast
    import sys

    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "mentormatch").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("mentormatch", "__future__"):
                    continue
                found.setdefault(top, set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_every_package_the_code_imports_is_declared():
    declared = set(_pyproject())
    missing = {
        name: sorted(files)
        for name, files in _imported_packages().items()
        if IMPORT_TO_DIST.get(name, name).lower().replace("_", "-") not in declared
    }
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_the_import_scan_sees_imports_inside_functions():
    # joblib is imported only inside a function (optimize/sparse.py).
    assert "joblib" in _imported_packages() and "threadpoolctl" in _imported_packages()


def test_lowest_constraints_are_the_declared_bounds(tmp_path):
    # `make test-lowest` installs .ci/lowest.txt: it must be what .ci/lowest.py derives
    # from pyproject.toml (rerun the script after changing a bound), and that must pin
    # each runtime dependency and the core test tools to its own lower bound.
    import importlib.util

    spec = importlib.util.spec_from_file_location("lowest", ROOT / ".ci" / "lowest.py")
    lowest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lowest)
    assert (ROOT / ".ci" / "lowest.txt").read_text(encoding="utf-8") == lowest.derive()

    pins = dict(
        line.split("==")
        for line in lowest.derive().splitlines()
        if line and not line.startswith("#")
    )
    declared = _pyproject()
    runtime = {_split(r)[0] for r in _meta()["project"]["dependencies"]}
    assert set(pins) == runtime | {"pytest", "hypothesis"}
    assert all(declared[name] == f">={version}" for name, version in pins.items()), pins

    # A changed bound changes the file, so a stale one fails the comparison above.
    first = _meta()["project"]["dependencies"][0]
    name = _split(first)[0]
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"{first}"' in text
    (tmp_path / "pyproject.toml").write_text(text.replace(f'"{first}"', f'"{name}>=999"'))
    changed = lowest.derive(tmp_path / "pyproject.toml")
    assert f"{name}==999\n" in changed and changed != lowest.derive()
