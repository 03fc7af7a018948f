"""The programme's commands: training, visits and casebook, as a planner runs them."""

from __future__ import annotations

import openpyxl
import pytest
from conftest import SAMPLE

import mentormatch as mm
from mentormatch.cli import main


def _cells(path):
    wb = openpyxl.load_workbook(path)
    return wb, [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def test_training_writes_a_chinese_workbook_of_numbers(tmp_path, capsys):
    out = tmp_path / "培训安排.xlsx"
    assert main(["training", str(SAMPLE), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "启航班" in said and "双月选训" in said and str(out) in said
    wb, cells = _cells(out)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in ws.title) for ws in wb.worksheets)
    text = [v for v in cells if isinstance(v, str)]
    assert not [t for t in text if t in ("nan", "None", "NaN") or t.startswith("(")]
    assert any(isinstance(v, int) for v in cells)


def test_training_follows_the_plan_in_force(tmp_path, capsys):
    plan = tmp_path / "plan.xlsx"
    assert main(["match", str(SAMPLE), "--out", str(plan)]) == 0
    out = tmp_path / "t.xlsx"
    assert (
        main(["training", str(SAMPLE), "--out", str(out), "--plan", str(plan), "--lang", "en"]) == 0
    )
    said = capsys.readouterr().out
    assert "Launch class" in said or "launch class" in said


def test_visits_writes_a_calendar_and_says_the_rules(tmp_path, capsys):
    out = tmp_path / "走访.xlsx"
    assert main(["visits", str(SAMPLE), "--out", str(out), "--visits", "2"]) == 0
    said = capsys.readouterr().out
    assert "实地督训" in said
    wb, cells = _cells(out)
    d = mm.load_district(SAMPLE)
    # A calendar sheet per mentor who has mentees.
    names = set(d.mentors["name"])
    assert sum(any(n in ws.title for n in names) for ws in wb.worksheets) >= 10


def test_casebook_writes_the_book_and_its_workbook(tmp_path, capsys):
    assert main(["casebook", str(SAMPLE), "--out", str(tmp_path / "book"), "--pseudonymize"]) == 0
    said = capsys.readouterr().out
    html = (tmp_path / "book" / "casebook.html").read_text(encoding="utf-8")
    assert "金点子" in html and (tmp_path / "book" / "casebook.xlsx").is_file()
    d = mm.load_district(SAMPLE)
    assert not [n for n in d.secretaries["name"] if n in html]
    assert not [n for n in d.secretaries["community_name"] if n in html]
    assert "casebook.html" in said


@pytest.mark.parametrize(
    "args",
    [
        ["training", str(SAMPLE), "--out", "t.pdf"],
        ["visits", str(SAMPLE), "--out", "v.docx"],
        ["visits", str(SAMPLE), "--out", "v.xlsx", "--visits", "13"],
        ["training", str(SAMPLE), "--out", "t.xlsx", "--per-secretary", "0"],
        ["casebook", str(SAMPLE), "--out", "b.pdf"],
        ["training", "no/such/roster", "--out", "t.xlsx"],
    ],
)
def test_bad_input_is_exit_2_with_one_sentence_and_nothing_written(
    tmp_path, monkeypatch, capsys, args
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as done:
        code = main(args)
        raise SystemExit(code)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_roster_without_salon_records_is_told_what_the_casebook_needs(tmp_path, capsys):
    d = mm.load_district(SAMPLE).replace(salon_records=None)
    mm.save_district(d, tmp_path / "r")
    with pytest.raises(SystemExit) as done:
        raise SystemExit(main(["casebook", str(tmp_path / "r"), "--out", str(tmp_path / "b")]))
    assert done.value.code == 2
    assert "沙龙记录" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()
