"""The messy-input corpus (tests/data/messy): each file loads as a person would read it, or
is refused with one clear problem naming the sheet, row and column."""

from __future__ import annotations

import csv
import shutil

import pytest
from conftest import DATA

import mentormatch as mm
from mentormatch.cli import main

MESSY = DATA / "messy"


def _cases() -> list[dict[str, str]]:
    with open(MESSY / "EXPECTED.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_corpus_is_large_enough():
    assert len(_cases()) >= 30


def _path(case: dict[str, str], tmp_path):
    if case["target"] == "workbook":
        return MESSY / case["file"]
    folder = tmp_path / "d"
    shutil.copytree(DATA / "small", folder)
    shutil.copy(MESSY / case["file"], folder / case["target"])
    return folder


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["file"])
def test_messy_file(case, tmp_path, small, capsys):
    path = _path(case, tmp_path)
    if case["outcome"] == "refused":
        with pytest.raises(mm.DataError) as info:
            mm.load_district(path)
        problems = info.value.problems
        assert len(problems) == 1, str(info.value)
        p = problems[0]
        if case["row"]:
            assert p.row == int(case["row"]), str(p)
        if case["column"]:
            assert p.column == case["column"], str(p)
        assert case["contains"] in str(p), str(p)
        # The same problem as one Chinese sentence, naming the column as the file does.
        zh = p.text("zh")
        assert zh.endswith(("。", "）")) and any("\u4e00" <= ch <= "\u9fff" for ch in zh), zh
        if case["column"]:
            assert case["column"] in zh, zh
        assert main(["validate", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
        return
    d = mm.load_district(path)
    assert len(d.secretaries) == len(small.secretaries)
    if case["outcome"] == "same":
        assert d == small
    # A value read by guessing is a warning, in both languages; nothing else warns.
    said = " ".join(w.text("en") for w in d.warnings)
    if case["warns"]:
        assert case["warns"] in said, said
        assert all(w.text("zh") != w.text("en") for w in d.warnings)
    else:
        assert not d.warnings, said
    assert main(["validate", str(path)]) == 0


def test_formula_text_survives_a_round_trip(tmp_path):
    case = next(c for c in _cases() if c["file"] == "formula_text.secretaries.csv")
    d = mm.load_district(_path(case, tmp_path))
    names = d.secretaries["name"].tolist()
    assert names[2].startswith("=HYPERLINK") and names[3] == "@SUM(A1:A2)"
    mm.save_district(d, tmp_path / "out.xlsx")
    assert mm.load_district(tmp_path / "out.xlsx") == d


def test_a_100000_row_roster_loads(tmp_path, small):
    # Generated here rather than committed (about 15 MB): the small roster repeated with
    # fresh IDs, in GBK with Chinese headers, as a city's export would be.
    import pandas as pd

    s = small.secretaries
    reps = -(-100_000 // len(s))
    big = pd.concat([s] * reps, ignore_index=True).iloc[:100_000].copy()
    big["secretary_id"] = [f"S{i:06d}" for i in range(len(big))]
    big["previous_mentor_id"] = big["previous_mentor_id"].where(big.index < len(s))
    d = small.replace(secretaries=big, assessments=None, constraints=None, career=None)
    folder = tmp_path / "big"
    mm.save_district(d, folder, lang="zh")
    text = (folder / "书记.csv").read_text(encoding="utf-8")
    (folder / "书记.csv").write_bytes(text.encode("gbk"))
    loaded = mm.load_district(folder)
    assert len(loaded.secretaries) == 100_000
    assert loaded == d
