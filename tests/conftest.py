"""Shared fixtures: the small fixture district, the sample, paths."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import matplotlib
import pytest
from browser import REQUIRE, required

import mentormatch as mm

# The tests draw without a display. The package never chooses a backend itself (that
# would replace Jupyter's inline one in notebooks and reports); the kernels that run
# the notebooks pick the inline backend on their own.
matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "data" / "sample"
#: tests/data holds inputs, not tests: --doctest-modules must not import its scripts
#: (tests/data/messy/make_corpus.py rewrites the committed corpus when run).
collect_ignore = ["data"]
#: What the report and the app run on: the notebook extras. Tests marked ``notebooks``
#: need them (as does every test using the report fixtures below); ``make test-lowest``
#: installs none of them.
NOTEBOOK_EXTRAS = (
    "nbformat",
    "nbclient",
    "nbconvert",
    "ipykernel",
    "jupyter_client",
    "ipywidgets",
    "voila",
)
#: Fixtures that build the report: a test using one needs the notebook extras.
REPORT_FIXTURES = {"sample_report", "sample_report_en"}


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(config, items):
    """Mark the tests that use the report fixtures ``notebooks``, and skip every test so
    marked, saying why, where the notebook extras are missing, unless the browser tests
    are required (``.ci/run``'s main run), where their absence must fail."""
    for item in items:
        if REPORT_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.notebooks)
    missing = [name for name in NOTEBOOK_EXTRAS if importlib.util.find_spec(name) is None]
    if not missing or required():
        return
    skip = pytest.mark.skip(
        reason=f"needs the notebook extras ({', '.join(missing)} not installed: "
        f"pip install 'mentormatch-suite[test,notebooks]'; {REQUIRE}=1 makes this a failure)"
    )
    for item in items:
        if item.get_closest_marker("notebooks") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def sample() -> mm.District:
    """The bundled synthetic district (data/sample)."""
    return mm.load_district(SAMPLE)


@pytest.fixture(scope="session")
def small() -> mm.District:
    """A 22-secretary district (tests/data/small), fast to work with."""
    return mm.load_district(DATA / "small")


@pytest.fixture()
def small_copy(tmp_path: Path) -> Path:
    """A writable copy of tests/data/small."""
    target = tmp_path / "small"
    shutil.copytree(DATA / "small", target)
    return target


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory) -> Path:
    """The whole report on the sample, in Chinese (the default): ``report.html``'s path.

    Built once per test session; tests of the report, its tables and the browser tests
    all read this one."""
    from mentormatch.report import build_report

    out = tmp_path_factory.mktemp("report-zh")
    return build_report(SAMPLE, out, seed=2018, lang="zh", progress=False)


@pytest.fixture(scope="session")
def sample_report_en(tmp_path_factory) -> Path:
    """The whole report on the sample, in English."""
    from mentormatch.report import build_report

    out = tmp_path_factory.mktemp("report-en")
    return build_report(SAMPLE, out, seed=2018, lang="en", progress=False)
