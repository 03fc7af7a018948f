"""Loading and saving Districts: forms, encodings, headers, round trips, bad input."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.io import load_district, neutralize, save_district
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES, EDUCATION, STREET_TOWNS

BAD = DATA / "bad"


def _expected_bad_cases() -> list[dict[str, str]]:
    with open(BAD / "EXPECTED.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- Round trips ----------------------------------------------------------------------


@pytest.mark.parametrize("form", ["folder", "xlsx", "folder-zh", "xlsx-zh", "folder-bom"])
def test_save_then_load_gives_the_same_district(small, tmp_path, form):
    target = tmp_path / ("out.xlsx" if form.startswith("xlsx") else "out")
    save_district(
        small, target, lang="zh" if form.endswith("zh") else "en", bom=form.endswith("bom")
    )
    again = load_district(target)
    assert again == small
    assert again.synthetic


def test_equality_notices_a_changed_cell(small):
    s = small.secretaries.copy()
    s.loc[3, "households"] += 1
    assert small.replace(secretaries=s) != small


def test_saving_is_deterministic(small, tmp_path):
    import time

    for form in ("a", "b"):
        save_district(small, tmp_path / form)
        save_district(small, tmp_path / f"{form}.xlsx")
        time.sleep(1.05)  # a clock stamp in the file would now differ
    for name in ("secretaries.csv", "assessments.csv", "SYNTHETIC.txt"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_sample_is_synthetic_and_loads(sample):
    assert sample.synthetic
    assert len(sample.in_post) == 282


def test_not_synthetic_when_no_marker(small_copy):
    (small_copy / "SYNTHETIC.txt").unlink()
    assert not load_district(small_copy).synthetic


# --- Forms a planner's export takes ------------------------------------------------------


def _rewrite(path: Path, encoding: str, transform=lambda text: text) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_bytes(transform(text).encode(encoding))


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_chinese_headers_and_labels_in_any_common_encoding(small, tmp_path, encoding):
    folder = tmp_path / "zh"
    save_district(small, folder, lang="zh")
    for file in folder.glob("*.csv"):
        _rewrite(file, encoding)
    assert "书记编号" in (folder / "书记.csv").read_bytes().decode(encoding)
    assert load_district(folder) == small


def test_title_rows_above_the_header_and_blank_rows_are_skipped(small, small_copy):
    path = small_copy / "secretaries.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    text = "\n".join(["普陀区居村党组织书记名册,,", "（2025年）", *lines[:5], ",,,", *lines[5:]])
    path.write_text(text + "\n", encoding="utf-8")
    assert load_district(small_copy) == small


def test_row_numbers_count_title_rows(small_copy):
    path = small_copy / "secretaries.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(lines))
    rows[3][rows[0].index("households")] = "lots"  # spreadsheet row 4 without titles
    body = [",".join(f'"{c}"' for c in r) for r in rows]
    path.write_text("\n".join(["Roster 2025", *body]) + "\n", encoding="utf-8")
    with pytest.raises(mm.DataError) as info:
        load_district(small_copy)
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.value) == (5, "households", "lots")


def test_list_cells_accept_every_separator_and_labels(small, small_copy):
    path = small_copy / "secretaries.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    first = small.secretaries["challenges"].iloc[0]
    labels = [CHALLENGES[c].zh for c in first]
    df.loc[0, "challenges"] = "；".join(labels[:1]) + "、" + " , ".join(first[1:]) + "；"
    df.to_csv(path, index=False)
    assert load_district(small_copy).secretaries["challenges"].iloc[0] == first


def test_full_width_ids_and_numbers_are_normalised(small, small_copy):
    path = small_copy / "mentors.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "years_as_secretary"] = "".join(
        chr(ord(c) + 0xFEE0) for c in df.loc[0, "years_as_secretary"]
    )
    df.to_csv(path, index=False)
    assert load_district(small_copy) == small


def test_missing_optional_tables_are_empty(small_copy):
    for name in ("bases", "assessments", "constraints", "career"):
        (small_copy / f"{name}.csv").unlink()
    d = load_district(small_copy)
    assert len(d.bases) == len(d.assessments) == len(d.constraints) == len(d.career) == 0
    assert len(d.secretaries) == 22


def test_missing_required_table_is_named(small_copy):
    (small_copy / "mentors.csv").unlink()
    with pytest.raises(mm.DataError, match="mentors"):
        load_district(small_copy)


def test_not_a_roster_path(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(mm.DataError, match="folder of CSV files or an .xlsx"):
        load_district(tmp_path / "notes.txt")
    with pytest.raises(mm.DataError, match="existing"):
        load_district(tmp_path / "nowhere")


def test_broken_workbook_is_a_data_error(tmp_path):
    (tmp_path / "roster.xlsx").write_bytes(b"not a zip at all")
    with pytest.raises(mm.DataError, match="readable .xlsx"):
        load_district(tmp_path / "roster.xlsx")


def test_undecodable_csv_is_a_data_error(small_copy):
    (small_copy / "mentors.csv").write_bytes(b"\xff\xfe\x00\x81" * 10)
    with pytest.raises(mm.DataError):
        load_district(small_copy)


# --- The bad-input corpus -----------------------------------------------------------------


@pytest.mark.parametrize("case", _expected_bad_cases(), ids=lambda c: c["file"])
def test_bad_corpus_names_row_and_column(small_copy, case):
    shutil.copy(BAD / case["file"], small_copy / f"{case['table']}.csv")
    with pytest.raises(mm.DataError) as info:
        load_district(small_copy)
    problems = info.value.problems
    assert len(problems) == 1, str(info.value)
    (p,) = problems
    assert p.source == f"{case['table']}.csv"
    assert p.row == (int(case["row"]) if case["row"] else None)
    if case["column"]:
        assert p.column is not None and p.column.startswith(case["column"])
    assert case["contains"] in str(p), str(p)


def test_every_problem_is_collected(small_copy):
    path = small_copy / "secretaries.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "birth_year"] = "1700"
    df.loc[1, "community_type"] = "castle"
    df.loc[2, "share_aged_60_plus"] = "-0.1"
    df.to_csv(path, index=False)
    with pytest.raises(mm.DataError) as info:
        load_district(small_copy)
    assert [(p.row, p.column) for p in info.value.problems] == [
        (2, "birth_year"),
        (3, "community_type"),
        (4, "share_aged_60_plus"),
    ]


def test_validation_of_frames_built_in_code(small):
    s = small.secretaries.copy()
    s.loc[0, "education"] = "phd"
    with pytest.raises(mm.DataError, match="education"):
        small.replace(secretaries=s)


# --- Writing safely ------------------------------------------------------------------------


def test_formula_like_text_is_written_as_text_and_read_back(small, tmp_path):
    s = small.secretaries.copy()
    s.loc[0, "name"] = '=HYPERLINK("http://evil.example","点我")'
    s.loc[1, "name"] = "@SUM(A1)"
    evil = small.replace(secretaries=s)
    save_district(evil, tmp_path / "out")
    text = (tmp_path / "out" / "secretaries.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@SUM" in text
    assert load_district(tmp_path / "out") == evil
    save_district(evil, tmp_path / "out.xlsx")
    with zipfile.ZipFile(tmp_path / "out.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere
    assert load_district(tmp_path / "out.xlsx") == evil


def test_neutralize_leaves_ordinary_text():
    assert neutralize("王芳") == "王芳"
    assert neutralize("-1") == "'-1"


def test_failed_save_leaves_no_partial_output(small, tmp_path, monkeypatch):
    # save_district writes through the write_csv its own module imported.
    import mentormatch.io.save as mio

    calls = {"n": 0}
    real = mio.write_csv

    def flaky(df, path, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        real(df, path, **kw)

    monkeypatch.setattr(mio, "write_csv", flaky)
    with pytest.raises(OSError):
        save_district(small, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


# --- Property: any valid District survives save + load --------------------------------------

_names = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85"),
    min_size=1,
    max_size=8,
).filter(lambda t: t.strip() and t.strip() == t)  # the loader trims surrounding spaces
_ids = st.text(alphabet="ABCXYZ0123456789-_", min_size=1, max_size=6).filter(
    lambda t: t[0] not in "-_"
)


@st.composite
def districts(draw) -> mm.District:
    n = draw(st.integers(1, 6))
    m = draw(st.integers(1, 3))
    sec_ids = draw(st.lists(_ids, min_size=n, max_size=n, unique=True))
    men_ids = draw(st.lists(_ids, min_size=m, max_size=m, unique=True))
    codes = lambda vocab, **kw: st.lists(st.sampled_from(vocab.codes), unique=True, **kw)  # noqa: E731
    births = [draw(st.integers(1962, 2000)) for _ in range(n)]
    secretaries = pd.DataFrame(
        {
            "secretary_id": sec_ids,
            "name": draw(st.lists(_names, min_size=n, max_size=n)),
            "gender": draw(st.lists(st.sampled_from(["female", "male"]), min_size=n, max_size=n)),
            "birth_year": births,
            "education": draw(st.lists(st.sampled_from(EDUCATION.codes), min_size=n, max_size=n)),
            "appointed_year": [b + draw(st.integers(18, 30)) for b in births],
            "street_town": draw(
                st.lists(st.sampled_from(STREET_TOWNS.codes), min_size=n, max_size=n)
            ),
            "community_id": draw(st.lists(_ids, min_size=n, max_size=n)),
            "community_name": draw(st.lists(_names, min_size=n, max_size=n)),
            "community_type": draw(
                st.lists(st.sampled_from(COMMUNITY_TYPES.codes), min_size=n, max_size=n)
            ),
            "households": draw(st.lists(st.integers(0, 100_000), min_size=n, max_size=n)),
            "share_aged_60_plus": draw(
                st.lists(st.floats(0, 1, allow_subnormal=False), min_size=n, max_size=n)
            ),
            "challenges": [tuple(draw(codes(CHALLENGES, max_size=4))) for _ in range(n)],
            "prior_communities": [
                tuple(draw(st.lists(_ids, max_size=2, unique=True))) for _ in range(n)
            ],
            "needs_mentor": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        }
    )
    mentors = pd.DataFrame(
        {
            "mentor_id": men_ids,
            "name": draw(st.lists(_names, min_size=m, max_size=m)),
            "street_town": draw(
                st.lists(st.sampled_from(STREET_TOWNS.codes), min_size=m, max_size=m)
            ),
            "community_id": draw(st.lists(_ids, min_size=m, max_size=m)),
            "years_as_secretary": draw(st.lists(st.integers(0, 60), min_size=m, max_size=m)),
            "community_types": [tuple(draw(codes(COMMUNITY_TYPES, max_size=3))) for _ in range(m)],
            "expertise": [tuple(draw(codes(CHALLENGES, max_size=5))) for _ in range(m)],
            "capacity": draw(st.lists(st.integers(0, 10), min_size=m, max_size=m)),
        }
    )
    return mm.District(secretaries=secretaries, mentors=mentors)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(d=districts(), form=st.sampled_from(["csv", "xlsx", "csv-zh"]))
def test_property_save_load_round_trip(tmp_path_factory, d, form):
    folder = tmp_path_factory.mktemp("rt")
    target = folder / ("d.xlsx" if form == "xlsx" else "d")
    save_district(d, target, lang="zh" if form.endswith("zh") else "en")
    assert load_district(target) == d
