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
    assert "名册有效" in out and "需要带教 " in out and "valid" not in out
    assert main(["validate", str(tmp_path / "d"), "--lang", "en"]) == 0
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
    assert "在任 282 名" in capsys.readouterr().out
    assert main(["validate", str(SAMPLE), "--lang", "en"]) == 0
    assert "282 in post" in capsys.readouterr().out


@pytest.mark.parametrize("case", _expected_bad_cases(), ids=lambda c: c["file"])
def test_bad_corpus_exits_2_with_one_clear_message(tmp_path, capsys, case):
    folder = tmp_path / "d"
    shutil.copytree(DATA / "small", folder)
    shutil.copy(DATA / "bad" / case["file"], folder / f"{case['table']}.csv")
    assert main(["validate", str(folder), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert case["contains"] in err
    if case["row"]:
        assert f"row {case['row']}" in err
    # The same problem in Chinese by default: one sentence, the row and the column named.
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1 and err.rstrip().endswith("。")
    if case["row"]:
        assert f"第 {case['row']} 行" in err


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
    assert err.startswith("错误：无法读写") and "Traceback" not in err
    assert main(["synth", "--out", str(blocker / "sub"), "--lang", "en"]) == 2
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
    assert main(["cluster", str(SAMPLE), "--k", "4", "--out", str(out), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "4 kinds" in text and "k = 4" in text
    import pandas as pd

    from mentormatch.present.labels import COLUMNS

    table = pd.read_csv(out, encoding="utf-8-sig")
    d = mm.load_district(SAMPLE)
    ids = COLUMNS["secretary_id"].en
    assert table[ids].tolist() == d.secretaries["secretary_id"].tolist()
    assert main(["cluster", str(SAMPLE), "--k", "4", "--out", str(tmp_path / "c.xlsx")]) == 0
    assert "分为 4 类" in capsys.readouterr().out


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
    from openpyxl import load_workbook

    from mentormatch.present.labels import COLUMNS

    assert main(["groups", str(SAMPLE), "--out", str(out), "--n-groups", "6"]) == 0
    said = capsys.readouterr().out
    assert "6 个沙龙小组" in said and "组织力指数" in said
    sheets = load_workbook(out, read_only=True).sheetnames
    table = pd.read_excel(out, sheet_name=sheets[0])
    d = mm.load_district(SAMPLE)
    ids = table[COLUMNS["secretary_id"].zh]
    assert sorted(ids) == sorted(d.secretaries["secretary_id"])


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
    assert "Traceback" not in err
    # A malformed option is argparse's usage error; a bad value is one Chinese sentence.
    assert ": error: argument" in err or (err.startswith("错误：") and err.count("\n") == 1)
    assert not (tmp_path / "g.csv").exists()
