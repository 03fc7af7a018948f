"""Shared fixtures: the small fixture district, the sample, paths."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import mentormatch as mm

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
