"""The command line: exit codes, messages, no tracebacks."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import DATA, SAMPLE
from test_io import _expected_bad_cases

import mentormatch as mm
from mentormatch.cli import main


def test_synth_then_validate(tmp_path, capsys):
    assert (
        main(
            [
                "synth",
                "--out",
                str(tmp_path / "d"),
                "--seed",
                "3",
                "--secretaries",
                "40",
                "--mentors",
                "3",
                "--bases",
                "4",
            ]
        )
        == 0
    )
    d = mm.load_district(tmp_path / "d")
    assert len(d.in_post) == 40 and len(d.mentors) == 3
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "need a mentor" in out


def test_synth_writes_a_workbook(tmp_path):
    assert (
        main(
            [
                "synth",
                "--out",
                str(tmp_path / "d.xlsx"),
                "--secretaries",
                "30",
                "--mentors",
                "2",
                "--bases",
                "2",
            ]
        )
        == 0
    )
    assert len(mm.load_district(tmp_path / "d.xlsx").in_post) == 30


def test_validate_sample(capsys):
    assert main(["validate", str(SAMPLE)]) == 0
    assert "282 in post" in capsys.readouterr().out


@pytest.mark.parametrize("case", _expected_bad_cases(), ids=lambda c: c["file"])
def test_bad_corpus_exits_2_with_one_clear_message(tmp_path, capsys, case):
    folder = tmp_path / "d"
    shutil.copytree(DATA / "small", folder)
    shutil.copy(DATA / "bad" / case["file"], folder / f"{case['table']}.csv")
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert case["contains"] in err
    if case["row"]:
        assert f"row {case['row']}" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["synth"],
        ["synth", "--out", "x", "--seed", "minus"],
        ["nonsense"],
        ["validate", "/no/such/place"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        code = main(argv)
        raise SystemExit(code)
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_unwritable_output_is_exit_2(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["synth", "--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err


def test_installed_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "mentormatch.cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "synth" in result.stdout and "validate" in result.stdout


def test_cluster_writes_every_secretary(tmp_path, capsys):
    out = tmp_path / "clusters.csv"
    assert main(["cluster", str(SAMPLE), "--k", "4", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "4 clusters" in text and "Cluster 1" in text
    import pandas as pd

    table = pd.read_csv(out, encoding="utf-8-sig")
    d = mm.load_district(SAMPLE)
    assert table["secretary_id"].tolist() == d.secretaries["secretary_id"].tolist()
    assert table["cluster"].between(1, 4).all()


@pytest.mark.parametrize("k", ["1", "999", "many"])
def test_cluster_bad_k_exits_2(tmp_path, capsys, k):
    with pytest.raises(SystemExit) as info:  # argparse exits itself on a malformed k
        raise SystemExit(main(["cluster", str(SAMPLE), "--k", k, "--out", str(tmp_path / "c.csv")]))
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "c.csv").exists()


def test_groups_writes_every_secretary(tmp_path, capsys):
    import pandas as pd

    out = tmp_path / "groups.xlsx"
    assert main(["groups", str(SAMPLE), "--out", str(out), "--n-groups", "6"]) == 0
    assert "6 groups" in capsys.readouterr().out
    table = pd.read_excel(out, sheet_name="groups")
    d = mm.load_district(SAMPLE)
    assert table["secretary_id"].tolist() == d.secretaries["secretary_id"].tolist()
    topics = pd.read_excel(out, sheet_name="topics")
    assert len(topics) == 12


@pytest.mark.parametrize(
    "argv",
    [
        ["--n-groups", "0"],
        ["--n-groups", "9999"],
        ["--must-link", "S001"],
        ["--cannot-link", "S001:NOBODY"],
    ],
)
def test_groups_bad_options_exit_2(tmp_path, capsys, argv):
    with pytest.raises(SystemExit) as info:
        raise SystemExit(main(["groups", str(SAMPLE), "--out", str(tmp_path / "g.csv"), *argv]))
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error" in err
    assert not (tmp_path / "g.csv").exists()
