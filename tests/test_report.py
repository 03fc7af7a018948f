"""The HTML report: runs the notebooks on any data folder, reproducibly."""

from __future__ import annotations

import re

import pytest
from conftest import DATA

from mentormatch.cli import main
from mentormatch.report import build_report


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    path = build_report(
        DATA / "small", out, seed=7, notebooks=["01_district_overview"], progress=False
    )
    return path.read_text(encoding="utf-8")


def test_report_is_self_contained_html_without_code(report):
    assert report.startswith("<!DOCTYPE html>")
    assert "data:image/png;base64" in report  # figures inline
    assert "load_district(" not in report  # code hidden
    assert '<script src="http' not in report


def test_front_matter_and_contents(report):
    assert "seed" in report and "| 7 |" not in report  # rendered as a table
    assert re.search(r"<td>\s*7\s*</td>", report)
    assert "tests/data/small" in report
    assert 'href="#Published-figures' in report


def test_synthetic_data_is_labelled(report):
    assert "合成数据" in report or "Synthetic data" in report


def test_bad_data_fails_before_running_anything(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    assert main(["report", str(tmp_path / "data"), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def test_report_without_assessments_or_career_says_what_is_missing(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA / "small", data)
    (data / "assessments.csv").unlink()
    (data / "career.csv").unlink()
    # The notebooks that use assessments or career records (the others never do).
    notebooks = ["02_cluster_secretaries", "04_salon_groups", "05_evaluate_outcomes"]
    path = build_report(data, tmp_path / "out", notebooks=notebooks, progress=False)
    html = path.read_text(encoding="utf-8")
    assert "no assessment panel" in html.lower()
    assert "career" in html.lower()
