"""Office rosters (tests/rosters.py): every scenario, written as a district office writes
its Excel workbook, loads back to the District it was written from."""

from __future__ import annotations

import re
import zipfile

import pytest
import rosters
from openpyxl import load_workbook

import mentormatch as mm
from mentormatch.schema import TABLE_ORDER, TABLES
from mentormatch.vocab import STREET_TOWNS

#: The city scenario is for benchmarks (no ``slow`` marker is registered to test it).
NAMES = [n for n in rosters.SCENARIOS if n != "city"]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Scenario name -> (District, its workbook as write_scenario writes it), built once."""
    folder = tmp_path_factory.mktemp("rosters")
    out = {}
    for name in NAMES:
        d = rosters.SCENARIOS[name]()
        path = folder / f"{name}.xlsx"
        out[name] = (
            d,
            rosters.write_office_roster(d, path, omit=rosters.SCENARIO_OMIT.get(name, ())),
        )
    return out


def _rows(ws, n: int) -> list[tuple]:
    return list(ws.iter_rows(max_row=n, values_only=True))


def _columns(ws, header_row: int) -> dict[str, list]:
    """Header (as on ``header_row``) -> the data cells under it."""
    rows = list(ws.iter_rows(values_only=True))
    return {h: [r[j] for r in rows[header_row:]] for j, h in enumerate(rows[header_row - 1]) if h}


@pytest.mark.parametrize("name", NAMES)
def test_roster_loads_to_the_district_it_came_from(name, written):
    d, path = written[name]
    assert path.name == f"{name}.xlsx"
    loaded = mm.load_district(path)
    # Every table equal, including the years written as 1990年3月 (read as 1990), the
    # shares written as 27.7% and the labels written in several spellings.
    assert loaded == d
    assert loaded.synthetic == d.synthetic


@pytest.mark.parametrize("name", NAMES)
def test_roster_has_the_office_forms(name, written):
    d, path = written[name]
    wb = load_workbook(path, read_only=True)
    try:
        # The 说明 sheet comes first; the loader ignored it (the District is equal above).
        assert wb.sheetnames[0] == rosters.INSTRUCTIONS_SHEET
        assert any("顿号" in (r[0] or "") for r in _rows(wb[rosters.INSTRUCTIONS_SHEET], 10))
        omitted = set(rosters.SCENARIO_OMIT.get(name, ()))
        expected = [rosters.INSTRUCTIONS_SHEET] + [
            TABLES[t].zh for t in TABLE_ORDER if t not in omitted
        ]
        assert wb.sheetnames == expected
        for table in TABLE_ORDER:
            if table in omitted:
                continue
            title, subtitle = (r[0] for r in _rows(wb[TABLES[table].zh], 2))
            assert title.startswith(f"普陀区居村党组织书记名册（{rosters.roster_year(d)}年度）")
            assert re.fullmatch(r"填报单位：区委组织部\u3000+填报日期：\d{4}年\d{1,2}月", subtitle)

        ws = wb["书记"]
        group_row, header_row = _rows(ws, 4)[2:4]
        assert {"基本情况", "任职情况", "社区情况", "带教情况"} <= set(group_row)
        assert group_row[:2] == ("序号", "书记编号") and group_row[-1] == "备注"
        assert {"是否需要带教", "出生年月", "所属街镇"} <= set(header_row)
        cells = _columns(ws, 4)
        notes = [v for v in _columns(ws, 3)["备注"] if v]
        assert notes and set(notes) & set(rosters.NOTES)
        birth = [str(v) for v in cells["出生年月"]]
        assert any(re.fullmatch(r"\d{4}", v) for v in birth)
        assert any(re.fullmatch(r"\d{4}年", v) for v in birth)
        assert any(re.fullmatch(r"\d{4}年\d{1,2}月", v) for v in birth)
        challenges = "".join(v for v in cells["主要难题"] if v)
        assert "、" in challenges and "；" in challenges
        assert set(cells["是否需要带教"]) <= {"是", "否"}
        # Some sub-district written in two accepted forms (曹杨新村街道 and 曹杨新村).
        towns = set(cells["所属街镇"])
        assert len({STREET_TOWNS.parse(t) for t in towns}) < len(towns)

        ws = wb["带教老师"]
        group_row, header_row = _rows(ws, 4)[2:4]
        assert {"基本情况", "带教情况"} <= set(group_row) and "备注" in group_row
        assert "最多带教人数" in header_row
    finally:
        wb.close()


def test_merged_cells_are_real_merges(written):
    d, path = written["tiny"]
    wb = load_workbook(path)  # not read-only: merged ranges are only known this way
    ws = wb["书记"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    width = ws.max_column
    last = ws.cell(row=3, column=width).column_letter
    assert f"A1:{last}1" in merged and f"A2:{last}2" in merged  # title and 填报 line
    assert "A3:A4" in merged and "B3:B4" in merged  # 序号, 书记编号 span both header rows
    assert "C3:F3" in merged  # 基本情况 over 姓名, 性别, 出生年月, 文化程度
    assert f"{last}3:{last}4" in merged  # 备注
    assert "C3:F3" in {str(r) for r in wb["带教老师"].merged_cells.ranges}
    assert ws.freeze_panes == "B5"
    for sheet in ("实训基地", "测评", "约束", "履职"):
        ranges = {str(r) for r in wb[sheet].merged_cells.ranges}
        assert len(ranges) == 2  # title and 填报 line; a one-row header below
        assert wb[sheet].cell(row=3, column=1).value == "序号"


@pytest.mark.parametrize("name", NAMES)
def test_two_writes_give_the_same_bytes(name, written, tmp_path):
    d, path = written[name]
    again = rosters.write_office_roster(
        d, tmp_path / "again.xlsx", omit=rosters.SCENARIO_OMIT.get(name, ())
    )
    assert again.read_bytes() == path.read_bytes()
    # Not by luck of writing within one second: every stamp in the file is fixed.
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert set(re.findall(r"\d{4}-\d\d-\d\dT[\d:]+Z", core)) == {"2000-01-01T00:00:00Z"}


PROPERTIES = {
    "short_capacity": lambda d: (
        d.mentors["capacity"].sum() < len(d.mentees)
        and d.mentors["capacity"].sum() == round(0.85 * len(d.mentees))
        and d.mentors["min_load"].isna().all()
    ),
    "no_assessments": lambda d: len(d.assessments) == 0,
    "no_career": lambda d: len(d.career) == 0 and not d.departed.any(),
    "no_constraints": lambda d: len(d.constraints) == 0,
    "one_unit": lambda d: (
        (
            set(d.secretaries["street_town"])
            | set(d.mentors["street_town"])
            | set(d.bases["street_town"])
        )
        == {rosters.ONE_UNIT}
    ),
    "village_only": lambda d: (
        set(d.secretaries["community_type"]) == {"village"}
        and set(d.secretaries["street_town"]) == {"taopu"}
    ),
    "tiny": lambda d: len(d.in_post) == 20 and len(d.mentors) == 2 and len(d.bases) == 2,
}


@pytest.mark.parametrize("name", NAMES)
def test_scenario_property_holds(name, written):
    d, _ = written[name]  # the loaded District is equal to it (tested above)
    assert PROPERTIES[name](d)
    assert d.synthetic and len(d.mentees) > 0
    if name not in ("no_career",):
        # Departed secretaries stay in the roster where career records say who left.
        assert d.departed.any()
    if name != "no_constraints":
        assert len(d.constraints) > 0


def test_write_scenario_builds_and_writes_the_same_workbook(written, tmp_path):
    # The builder is deterministic and write_scenario leaves out the scenario's sheets.
    path = rosters.write_scenario("no_assessments", tmp_path)
    assert path == tmp_path / "no_assessments.xlsx"
    assert path.read_bytes() == written["no_assessments"][1].read_bytes()


def test_every_scenario_is_documented_in_one_line():
    assert set(rosters.SCENARIOS) == set(NAMES) | {"city"}
    for name, builder in rosters.SCENARIOS.items():
        doc = (builder.__doc__ or "").strip()
        assert doc and "\n" not in doc, name


def test_plain_forms_load_too(written, tmp_path):
    d, _ = written["tiny"]
    # Without the assessment panel, which is the bulk of the time and has no such forms.
    path = rosters.write_office_roster(
        d,
        tmp_path / "plain.xlsx",
        merged_header=False,
        notes=False,
        year_forms=False,
        omit=("assessments",),
    )
    no_notes = {name: d.tables[name].assign(note=None) for name in ("secretaries", "mentors")}
    assert mm.load_district(path) == d.replace(assessments=None, **no_notes)
    wb = load_workbook(path, read_only=True)
    try:
        header = _rows(wb["书记"], 3)[2]
        assert "备注" not in header and "基本情况" not in header and "是否需要带教" in header
        birth = _columns(wb["书记"], 3)["出生年月"]
        assert all(isinstance(v, int) for v in birth)
    finally:
        wb.close()


def test_an_empty_table_not_omitted_is_a_header_only_sheet(written, tmp_path):
    d, _ = written["no_constraints"]
    path = rosters.write_office_roster(d, tmp_path / "template.xlsx", omit=("assessments",))
    wb = load_workbook(path, read_only=True)
    try:
        assert len(list(wb["约束"].iter_rows())) == 3  # title, 填报 line, header
    finally:
        wb.close()
    assert mm.load_district(path) == d.replace(assessments=None)


def test_unknown_names_are_refused(written, tmp_path):
    d, _ = written["tiny"]
    with pytest.raises(ValueError, match="unknown tables"):
        rosters.write_office_roster(d, tmp_path / "x.xlsx", omit=("约束表",))
    with pytest.raises(KeyError, match="unknown scenario"):
        rosters.write_scenario("nowhere", tmp_path)
