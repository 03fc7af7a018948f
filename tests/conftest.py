"""Shared fixtures: the small fixture district, the sample, paths."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib
import pytest

import mentormatch as mm

# The tests draw without a display. The package never chooses a backend itself (that
# would replace Jupyter's inline one in notebooks and reports); the kernels that run
# the notebooks pick the inline backend on their own.
matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "data" / "sample"


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
