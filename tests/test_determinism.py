"""Same inputs and seed, same bytes: every command's output, and the report (issue 7).

Also the report's privacy promises: pseudonymised names never appear, and residents'
scores backed by fewer than 5 raters, or per-rater rows, never reach the page."""

from __future__ import annotations

import hashlib
import shutil

import pandas as pd
import pytest
from conftest import DATA, SAMPLE

import mentormatch as mm
from mentormatch.cli import main

CANARY = 12.345  # a resident score no aggregate could produce by chance


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "argv, out",
    [
        (
            [
                "synth",
                "--seed",
                "11",
                "--secretaries",
                "60",
                "--mentors",
                "4",
                "--bases",
                "5",
                "--out",
                "{dir}/synth",
            ],
            "synth/secretaries.csv",
        ),
        (
            [
                "synth",
                "--seed",
                "11",
                "--secretaries",
                "60",
                "--mentors",
                "4",
                "--bases",
                "5",
                "--out",
                "{dir}/synth.xlsx",
            ],
            "synth.xlsx",
        ),
        (["cluster", str(SAMPLE), "--seed", "3", "--out", "{dir}/clusters.csv"], "clusters.csv"),
        (["match", str(SAMPLE), "--out", "{dir}/plan.xlsx", "--zh"], "plan.xlsx"),
        (["match", str(SAMPLE), "--objective", "stable", "--out", "{dir}/plan.csv"], "plan.csv"),
        (["groups", str(SAMPLE), "--seed", "5", "--out", "{dir}/groups.xlsx"], "groups.xlsx"),
    ],
    ids=["synth", "synth-xlsx", "cluster", "match-xlsx", "match-csv", "groups"],
)
def test_commands_are_byte_identical_on_rerun(tmp_path, capsys, argv, out):
    digests = []
    for run in ("a", "b"):
        folder = tmp_path / run
        folder.mkdir()
        assert main([a.format(dir=folder) for a in argv]) == 0
        digests.append(_digest(folder / out))
    assert digests[0] == digests[1]
    capsys.readouterr()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The full report on the small district, twice, pseudonymised, with planted
    resident scores behind too few raters."""
    root = tmp_path_factory.mktemp("reports")
    data = root / "data"
    shutil.copytree(DATA / "small", data)
    a = pd.read_csv(data / "assessments.csv", dtype=str, keep_default_na=False)
    residents = a.index[a["source"] == "resident_qr"][:12]
    a.loc[residents, "n_raters"] = "3"
    a.loc[residents, "score"] = str(CANARY)
    a.to_csv(data / "assessments.csv", index=False)
    paths = []
    for run in ("one", "two"):
        assert main(["report", str(data), "--out", str(root / run), "--pseudonymize"]) == 0
        paths.append(root / run / "report.html")
    return data, paths


@pytest.mark.notebooks
def test_report_is_byte_identical_on_rerun(reports):
    _, (one, two) = reports
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.notebooks
def test_report_tables_are_byte_identical_on_rerun(reports):
    _, (one, two) = reports
    files = sorted(p.name for p in (one.parent / "tables").iterdir())
    assert files and files == sorted(p.name for p in (two.parent / "tables").iterdir())
    for name in files:
        assert _digest(one.parent / "tables" / name) == _digest(two.parent / "tables" / name)


@pytest.mark.notebooks
def test_pseudonymised_report_names_no_person_and_no_community(reports):
    """With one secretary per community, a community's name identifies its secretary:
    neither names, nor communities, nor bases (named after their community) appear."""
    data, (one, _) = reports
    outputs = [one] + sorted((one.parent / "tables").iterdir())
    texts = [p.read_text(encoding="utf-8-sig") for p in outputs if p.suffix in (".html", ".csv")]
    d = mm.load_district(data)
    names = (
        list(d.secretaries["name"])
        + list(d.mentors["name"])
        + list(d.secretaries["community_name"])
        + list(d.bases["name"])
    )
    leaked = sorted({n for n in names for text in texts if n in text})
    assert leaked == []
    html = texts[0]
    assert "S-" in html and "C-" in html  # the codes are there instead


@pytest.mark.notebooks
def test_report_withholds_thin_resident_scores(reports):
    _, (one, _) = reports
    html = one.read_text(encoding="utf-8")
    assert str(CANARY) not in html
    assert "n_raters" not in html  # no per-rater or raw assessment rows


@pytest.mark.notebooks
def test_report_lists_every_secretary(reports):
    data, (one, _) = reports
    html = one.read_text(encoding="utf-8")
    ids = mm.load_district(data).secretaries["secretary_id"]
    assert [i for i in ids if f">{i}<" not in html] == []
