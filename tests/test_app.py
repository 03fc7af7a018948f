"""The planner's workbench (mentormatch.app): the model's state and actions, and the page
built and clicked without a browser (tests/test_app_browser.py drives the real page).

What a plan costs after a hand move is checked against an independent computation: the
total from the score table of mm.score_pairs, the blocking pairs by their definition
(three conditions, pair by pair), the rules broken by reading the rules themselves.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import rosters
from conftest import DATA, SAMPLE

import mentormatch as mm
from mentormatch.app.cost import measure
from mentormatch.app.model import Workbench, merge_pairs, random_plans_for
from mentormatch.app.upload import read_upload
from mentormatch.plan import DISTANCE_RULES

RAW = re.compile(r"\b(nan|NaN|None|True|False|<NA>|NaT)\b")


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def short() -> mm.District:
    """17 places for 20 mentees, with keep and forbid rules (tests/rosters.py)."""
    return rosters.short_capacity()


@pytest.fixture(scope="module")
def office(short, tmp_path_factory) -> Path:
    """The short-capacity district as an office workbook."""
    path = tmp_path_factory.mktemp("office") / "名册.xlsx"
    return rosters.write_office_roster(short, path)


@pytest.fixture(scope="module")
def broken(office, tmp_path_factory) -> Path:
    """The office workbook with two mistakes: a birth year in words (书记, Excel row 7)
    and a negative number of places (带教老师, Excel row 5)."""
    wb = openpyxl.load_workbook(office)
    _set(wb["书记"], 7, "出生年月", "一九九零")
    _set(wb["带教老师"], 5, "最多带教人数", -1)
    path = tmp_path_factory.mktemp("broken") / "名册.xlsx"
    wb.save(path)
    return path


def _set(ws, row: int, header: str, value) -> None:
    """Write ``value`` in Excel row ``row`` of the column headed ``header``."""
    for cells in ws.iter_rows(min_row=1, max_row=6):
        for cell in cells:
            if cell.value == header:
                ws.cell(row=row, column=cell.column).value = value
                return
    raise AssertionError(f"no column {header!r} in {ws.title}")


@pytest.fixture()
def sample_bench() -> Workbench:
    wb = Workbench()
    assert wb.load_sample()
    return wb


@pytest.fixture()
def short_bench(office) -> Workbench:
    wb = Workbench()
    assert wb.load_upload("名册.xlsx", office.read_bytes())
    return wb


def _zip(folder: Path, *, inside: str = "", gbk: bool = False) -> bytes:
    """The CSV files of ``folder`` as a zip, under ``inside/`` if given; ``gbk`` writes
    the names in GBK without the UTF-8 flag, as Windows' own zip does."""

    class GbkInfo(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's name)
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.iterdir()):
            name = f"{inside}/{path.name}" if inside else path.name
            info = GbkInfo(name) if gbk else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
    return buffer.getvalue()


# --- 1. loading -------------------------------------------------------------------------


def test_the_sample_loads_as_the_bundled_district(sample_bench):
    wb = sample_bench
    assert wb.ready and not wb.problems
    assert wb.roster == mm.load_district(SAMPLE)
    g = wb.glance()
    d = wb.district
    assert g["mentees"] == len(d.mentees) == 65
    assert g["mentors"] == 13 and g["places"] == int(d.mentors["capacity"].sum()) == 78
    assert g["shortfall"] == 0 and g["spare"] == 13
    assert (g["places_min"], g["places_max"]) == (5, 7)
    assert wb.partial is False  # enough places: no partial plan unless asked


def test_an_office_workbook_loads_under_its_own_name(office, short):
    wb = Workbench()
    assert wb.load_upload("C:\\Users\\planner\\名册.xlsx", office.read_bytes())
    assert wb.source == "名册.xlsx"
    assert wb.roster == short


@pytest.mark.parametrize("inside, gbk", [("", False), ("名册", False), ("", True)])
def test_a_zip_of_csv_files_loads(tmp_path, small, inside, gbk):
    folder = tmp_path / "zh"
    mm.save_district(small, folder, lang="zh")  # Chinese file names: 书记.csv ...
    d = read_upload("roster.zip", _zip(folder, inside=inside, gbk=gbk))
    assert d == small


def test_guesses_are_listed_as_warnings(tmp_path):
    folder = tmp_path / "d"
    shutil.copytree(DATA / "small", folder)
    shutil.copy(DATA / "messy" / "guessed_towns.secretaries.csv", folder / "secretaries.csv")
    wb = Workbench()
    assert wb.load_upload("roster.zip", _zip(folder))
    assert wb.ready
    lines = wb.warning_lines()
    assert lines and all(re.search("[\u4e00-\u9fff]", line) for line in lines)
    wb.set_language("en")
    assert any("Putuo has no" in line for line in wb.warning_lines())


def test_a_broken_workbook_gives_a_problem_table_and_nothing_else(broken):
    wb = Workbench()
    assert not wb.load_upload("名册.xlsx", broken.read_bytes())
    assert not wb.ready and wb.roster is None
    table = wb.problem_table()
    assert list(table.columns) == [
        "工作表或文件",
        "Excel 行号",
        "列",
        "填写的值",
        "应为",
        "修改建议",
    ]
    rows = table.to_dict("records")
    assert [(r["工作表或文件"], r["Excel 行号"], r["列"], r["填写的值"]) for r in rows] == [
        ("名册.xlsx 工作表「书记」", "7", "出生年月", "一九九零"),
        ("名册.xlsx 工作表「带教老师」", "5", "最多带教人数", "-1"),
    ]
    assert "1940" in rows[0]["应为"] and rows[0]["修改建议"]
    assert not RAW.search(table.to_string())
    wb.set_language("en")
    assert list(wb.problem_table().columns)[:3] == ["Sheet or file", "Excel row", "Column"]
    with pytest.raises(mm.DataError):
        wb.district  # noqa: B018 (nothing else runs)


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("名册.csv", b"a,b\n", "请上传 .xlsx 工作簿"),
        ("名册.zip", b"not a zip", "不是有效的 .zip 压缩包"),
        ("名册.zip", b"", "不是有效的 .zip 压缩包"),
    ],
)
def test_files_that_are_no_roster_are_refused_in_words(name, content, words):
    wb = Workbench()
    assert not wb.load_upload(name, content)
    [row] = wb.problem_table().to_dict("records")
    assert words in row["应为"] and name in row["工作表或文件"]


def test_a_zip_without_tables_is_refused(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "readme.txt").write_text("hello")
    wb = Workbench()
    assert not wb.load_upload("empty.zip", _zip(tmp_path / "x"))
    assert "没有 CSV 文件" in wb.problem_table().iloc[0]["应为"]


# --- 3. rules ---------------------------------------------------------------------------


def test_merge_pairs_keeps_one_rule_per_pair_and_one_keep_per_secretary():
    pairs = (("S1", "M1", "keep"), ("S1", "M2", "forbid"), ("S2", "M1", "forbid"))
    merged = merge_pairs(pairs, (("S1", "M3", "keep"), ("S2", "M1", "keep")))
    assert merged == (("S1", "M2", "forbid"), ("S1", "M3", "keep"), ("S2", "M1", "keep"))


def test_places_and_pairs_change_the_district(sample_bench):
    wb = sample_bench
    m = wb.roster.mentors
    mid = m["mentor_id"].iloc[1]
    assert wb.set_capacity(mid, 9)
    assert wb.district.mentors.set_index("mentor_id").at[mid, "capacity"] == 9
    assert wb.glance()["places"] == 80
    assert "（原为 7）" in wb.mentor_places().iloc[1]["名额"]
    # Below the minimum load, or negative: refused, in words, and nothing changes.
    low = m.loc[m["min_load"].notna()].iloc[0]
    assert not wb.set_capacity(low["mentor_id"], int(low["min_load"]) - 1)
    assert "最少带教人数" in wb.rule_error
    assert not wb.set_capacity(mid, -1) and "负数" in wb.rule_error
    assert wb.set_capacity(mid, 7) and wb.rules.capacity == {}  # back to the roster's
    sid = wb.district.mentees["secretary_id"].iloc[0]
    wb.add_pair(sid, mid, "forbid")
    wb.add_pair(sid, m["mentor_id"].iloc[2], "keep")
    c = wb.district.constraints
    assert sorted(map(tuple, c.to_numpy().tolist())) == sorted(
        [(sid, mid, "forbid"), (sid, m["mentor_id"].iloc[2], "keep")]
    )
    [line, _] = [line for line, _ in wb.pair_lines()]
    assert line.startswith("回避：") and sid in line
    wb.remove_pairs([(sid, mid)])
    assert len(wb.district.constraints) == 1


def test_the_roster_rules_are_listed_as_the_roster_s(short_bench, short):
    lines = [line for line, _ in short_bench.pair_lines()]
    assert len(lines) == len(short.constraints)
    assert all(line.endswith("（名册约束表）") for line in lines)


def test_weights_are_normalised_and_all_zero_is_refused(sample_bench):
    wb = sample_bench
    for k in ("type", "proximity", "continuity"):
        wb.set_weight(k, 0)
    assert wb.weights == {"challenge": 1.0, "type": 0.0, "proximity": 0.0, "continuity": 0.0}
    wb.set_weight("challenge", 0)
    assert wb.rule_error and wb.weights["challenge"] == 1.0  # refused: unchanged
    assert wb.solve()
    assert wb.current.weights == wb.weights
    assert "难题匹配 100%" in wb.weight_shares()


# --- 4. solving -------------------------------------------------------------------------


def test_solving_the_sample_places_everyone(sample_bench):
    wb = sample_bench
    assert wb.solve()
    plan = mm.match(wb.district)
    assert wb.current.assignment.equals(plan.assignment)
    assert "已结对 65/65 名" in wb.headline()
    blocks = wb.by_mentor()
    assert len(blocks) == 13 and sum(len(t) for _, t in blocks) == 65
    heading, table = blocks[0]
    assert re.fullmatch(r"\S+（M001）· \S+ · 带教 \d/\d 人", heading)
    assert list(table.columns) == [
        "姓名", "书记编号", "街镇", "居民区", "实训基地", "匹配分", "难题覆盖率", "结对理由"
    ]  # fmt: skip
    assert len(wb.plan_kinds()) == table.shape[1]
    text = "\n".join(t.to_string() for _, t in blocks)
    assert not RAW.search(text)
    assert table["难题覆盖率"].str.endswith("%").all()
    assert wb.unplaced().empty
    one = wb.by_mentor("M003")
    assert len(one) == 1 and one[0][0].startswith(wb.district.mentors["name"].iloc[2])


def test_rules_changed_after_solving_mark_the_plan_stale(sample_bench):
    wb = sample_bench
    assert wb.solve() and not wb.stale
    wb.set_objective("fair")
    assert wb.stale
    assert wb.solve() and not wb.stale and wb.current.objective == "fair"


def test_short_capacity_gives_a_partial_plan_with_reasons(short_bench):
    wb = short_bench
    g = wb.glance()
    assert (g["mentees"], g["places"], g["shortfall"]) == (20, 17, 3)
    assert wb.partial  # on by default when places are short
    assert wb.solve()
    unplaced = wb.unplaced()
    assert len(unplaced) == 3 and list(unplaced.columns)[-1] == "未结对原因"
    assert unplaced["未结对原因"].str.contains("增加 1 个名额即可结对").all()
    assert "已结对 17/20 名" in wb.headline()
    wb.set_language("en")
    assert wb.unplaced()["Why not placed"].str.contains("one more place").all()


def test_without_a_partial_plan_the_fix_is_named(short_bench):
    wb = short_bench
    wb.set_partial(False)
    assert not wb.solve()
    assert isinstance(wb.error, mm.InfeasibleError) and wb.current is None
    text = wb.error_text()
    assert "名额短缺 3 个" in text and "增加名额" in text and "允许部分方案" in text
    wb.set_language("en")
    assert "short by 3" in wb.error_text()


# --- 5. adjusting -----------------------------------------------------------------------


def _brute_force_cost(d: mm.District, assignment: pd.Series, distance=None) -> dict:
    """The figures of a plan by their definitions, pair by pair (independent of
    mentormatch.app.cost and of mentormatch.optimize)."""
    scores = mm.score_pairs(d).set_index(["secretary_id", "mentor_id"])
    mentees = d.mentees["secretary_id"].tolist()
    mentors = d.mentors["mentor_id"].tolist()
    plan = {s: m for s, m in assignment.items() if isinstance(m, str)}
    c = d.constraints
    forbid = {
        (s, m) for s, m, r in c[["secretary_id", "mentor_id", "rule"]].to_numpy() if r == "forbid"
    }
    keep = {s: m for s, m, r in c[["secretary_id", "mentor_id", "rule"]].to_numpy() if r == "keep"}
    capacity = dict(zip(d.mentors["mentor_id"], d.mentors["capacity"], strict=True))
    load = Counter(plan.values())

    def score(s, m):
        return float(scores.loc[(s, m), "total"])

    def view(s, m):
        return float(scores.loc[(s, m), "mentor_view"])

    def acceptable(s, m):
        if plan.get(s) == m:
            return True
        if (s, m) in forbid or (s in keep and keep[s] != m):
            return False
        return distance is None or scores.loc[(s, m), "proximity"] >= DISTANCE_RULES[distance]

    blocking = 0
    for s in mentees:
        for m in mentors:
            if not acceptable(s, m) or plan.get(s) == m:
                continue
            now = plan.get(s)
            # The mentee prefers m: unplaced, or a higher score (ties: the earlier mentor).
            if now is not None and not (
                score(s, m) > score(s, now)
                or (score(s, m) == score(s, now) and mentors.index(m) < mentors.index(now))
            ):
                continue
            if load[m] < capacity[m]:
                blocking += 1
                continue
            # The mentor prefers s to the mentee it likes least (lowest view; ties: latest).
            held = [x for x, y in plan.items() if y == m]
            least = min(held, key=lambda x: (view(x, m), -mentees.index(x)))
            if view(s, m) > view(least, m) or (
                view(s, m) == view(least, m) and mentees.index(s) < mentees.index(least)
            ):
                blocking += 1
    return {
        "total": sum(score(s, m) for s, m in plan.items()),
        "placed": len(plan),
        "blocking": blocking,
        "over": sorted(m for m in mentors if load[m] > capacity[m]),
        "forbidden": sorted((s, m) for s, m in plan.items() if (s, m) in forbid),
        "not_kept": sorted((s, m) for s, m in keep.items() if plan.get(s) != m and s in mentees),
    }


@pytest.mark.parametrize("objective", ["total", "fair", "stable"])
def test_measure_agrees_with_match_on_its_own_plans(short, objective):
    plan = mm.match(short, objective, partial=True)
    cost = measure(short, plan.assignment)
    assert cost.blocking_pairs == len(plan.blocking_pairs)
    assert cost.total_score == pytest.approx(plan.objective_value)
    assert cost.placed == len(plan.placed)
    assert {b.kind for b in cost.broken} <= ({"min_load"} if objective == "stable" else set())


def test_a_move_costs_what_an_independent_count_says(sample_bench):
    wb = sample_bench
    assert wb.solve()
    # Move the mentee whose move costs the most score to the mentor it fits worst.
    d = wb.district
    scores = mm.score_pairs(d).pivot(index="secretary_id", columns="mentor_id", values="total")
    sid = d.mentees["secretary_id"].iloc[5]
    to = scores.loc[sid].drop(wb.assignment[sid]).idxmin()
    wb.move(sid, to)
    before, now = wb.cost()
    expected = _brute_force_cost(d, wb.assignment)
    assert now.total_score == pytest.approx(expected["total"])
    assert now.total_score == pytest.approx(
        before.total_score - scores.loc[sid, wb.reference.assignment[sid]] + scores.loc[sid, to]
    )
    assert now.blocking_pairs == expected["blocking"]
    assert before.blocking_pairs == _brute_force_cost(d, wb.reference.assignment)["blocking"]
    assert [b.mentor_id for b in now.broken if b.kind == "capacity"] == expected["over"]
    # The page's comparison says the same, with signs.
    table = wb.cost_table().set_index("指标")
    assert table.loc["总匹配分", "求解方案"] == f"{before.total_score:.3f}"
    assert table.loc["总匹配分", "当前方案"] == f"{now.total_score:.3f}"
    assert table.loc["总匹配分", "变化"].startswith("−")
    assert table.loc["阻塞对", "当前方案"] == str(expected["blocking"])
    # The moved pair is in the plan as moved and locked; the plan shows it.
    assert wb.current.assignment[sid] == to and wb.locks == {sid: to}
    assert any(
        (t["书记编号"] == sid).any() and (t["说明"] == "手工调整").any() for _, t in wb.by_mentor()
    )


def test_rules_broken_by_hand_are_reported(short_bench):
    wb = short_bench
    assert wb.solve()
    d = wb.district
    c = d.constraints
    fsid, fmid = c.loc[c["rule"] == "forbid", ["secretary_id", "mentor_id"]].iloc[0]
    ksid, kmid = c.loc[c["rule"] == "keep", ["secretary_id", "mentor_id"]].iloc[0]
    other = next(m for m in d.mentors["mentor_id"] if m != kmid)
    wb.move(fsid, fmid)  # onto a forbidden pair
    wb.move(ksid, other)  # a kept mentee elsewhere
    kinds = Counter(b.kind for b in wb.cost()[1].broken)
    expected = _brute_force_cost(d, wb.assignment)
    assert expected["forbidden"] == [(fsid, fmid)] and expected["not_kept"] == [(ksid, kmid)]
    assert kinds["forbid"] == 1 and kinds["keep"] == 1
    assert kinds["capacity"] == len(expected["over"]) >= 1  # everyone was full
    lines = wb.broken_lines()
    assert any(line.startswith("回避规则被打破：") and fsid in line for line in lines)
    assert any(line.startswith("保留规则被打破：") and ksid in line for line in lines)
    assert any(line.startswith("名额超出：") for line in lines)
    assert wb.cost()[1].blocking_pairs == expected["blocking"]


def test_distance_and_minimum_loads_broken_by_hand(sample_bench):
    wb = sample_bench
    wb.set_distance("neighbouring")
    assert wb.solve()
    d = wb.district
    near = mm.score_pairs(d).pivot(index="secretary_id", columns="mentor_id", values="proximity")
    sid, to = next((s, m) for s in near.index for m in near.columns if near.loc[s, m] < 0.5)
    wb.move(sid, to)
    [far] = [b for b in wb.cost()[1].broken if b.kind == "distance"]
    assert (far.secretary_id, far.mentor_id) == (sid, to)
    assert "超出距离限制（同一或相邻街镇）" in far.text("zh")
    assert (
        wb.cost()[1].blocking_pairs
        == _brute_force_cost(d, wb.assignment, "neighbouring")["blocking"]
    )
    # Take every mentee from a mentor with a minimum load.
    m = d.mentors.loc[d.mentors["min_load"].notna()].iloc[0]
    for s in wb.assignment[wb.assignment == m["mentor_id"]].index:
        wb.move(s, None)
    low = [b for b in wb.cost()[1].broken if b.kind == "min_load"]
    assert [(b.mentor_id, b.load, b.limit) for b in low] == [(m["mentor_id"], 0, m["min_load"])]


def test_lock_and_resolve_keep_the_locked_pairs(sample_bench):
    wb = sample_bench
    assert wb.solve()
    d = wb.district
    scores = mm.score_pairs(d).pivot(index="secretary_id", columns="mentor_id", values="total")
    ids = d.mentees["secretary_id"]
    moved, kept = ids.iloc[3], ids.iloc[10]
    to = scores.loc[moved].drop(wb.assignment[moved]).idxmin()  # the worst other mentor
    wb.move(moved, to)
    assert wb.lock(kept)
    locks = dict(wb.locks)
    assert locks == {moved: to, kept: wb.reference.assignment[kept]}
    assert wb.resolve()
    for s, m in locks.items():
        assert wb.current.assignment[s] == m
    # Locked pairs are keep rules of the re-solve: said so in the plan's reasons.
    reasons = wb.current.table.set_index("secretary_id")["reason_zh"]
    assert reasons[moved].startswith("按约束保留")
    # The rest is optimised again: no worse than the plan as moved by hand, within the rules.
    before, now = wb.cost()
    assert now.total_score <= before.total_score + 1e-9
    assert not [b for b in now.broken if b.kind == "capacity"]
    best = mm.match(wb.district_with_locks)
    assert now.total_score == pytest.approx(best.objective_value)
    wb.unlock(kept)
    assert wb.locks == {moved: to}
    wb.undo()
    assert wb.locks == {} and wb.current is wb.reference


def test_resolving_with_locks_beyond_the_places_says_why(short_bench):
    wb = short_bench
    assert wb.solve()
    d = wb.district
    full = d.mentors["mentor_id"].iloc[0]
    cap = int(d.mentors["capacity"].iloc[0])
    for s in [s for s in d.mentees["secretary_id"] if wb.assignment.get(s) != full][: cap + 1]:
        wb.move(s, full)
    assert not wb.resolve()
    assert wb.current is not None  # the plan as moved stays
    assert wb.error_text().startswith("无法按这些规则生成方案")


# --- 4. charts --------------------------------------------------------------------------


def test_the_plan_beats_random_plans(sample_bench):
    wb = sample_bench
    assert wb.solve()
    c = wb.comparison()
    assert len(c.random) == random_plans_for(65, 78) == 200
    assert c.percentile("solved", "mean_score") == 1.0
    assert c.random["mean_score"].max() < c.plans["solved"]["mean_score"]
    assert wb.comparison() is c  # drawn once per plan
    from mentormatch.app.chart import against_random, score_spread

    for png in (against_random(c, "zh"), score_spread({"求解方案": wb.current}, "zh", True)):
        assert png.startswith(b"\x89PNG")


# --- 6. downloads -----------------------------------------------------------------------


def _workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_the_plan_workbook_holds_the_plan_as_adjusted(short_bench):
    wb = short_bench
    assert wb.solve()
    sid = wb.district.mentees["secretary_id"].iloc[0]
    to = next(m for m in wb.mentor_ids() if m != wb.assignment[sid])
    wb.move(sid, to)
    download = wb.plan_workbook()
    assert download.name == "结对方案.xlsx" and download.size_text.endswith("KB")
    book = _workbook(download.content)
    assert {"结对方案", "未结对", "概要"} <= set(book.sheetnames)
    rows = list(book["结对方案"].iter_rows(values_only=True))
    header = list(rows[0])
    i_sid, i_mid, i_score = (
        header.index("书记编号"),
        header.index("带教老师编号"),
        header.index("匹配分"),
    )
    mine = [r for r in rows[1:] if r[i_sid] == sid]
    assert len(mine) == 1 and mine[0][i_mid] == to
    numbers = [r[i_score] for r in rows[1:] if r[i_mid]]
    assert numbers and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in numbers)
    unplaced = list(book["未结对"].iter_rows(values_only=True))
    assert len([r for r in unplaced[1:] if any(r)]) >= 3


def test_the_groups_workbook(sample_bench):
    wb = sample_bench
    assert wb.groups_size() == 10
    book = _workbook(wb.groups_workbook().content)
    assert "分组名单" in book.sheetnames
    rows = list(book["分组名单"].iter_rows(values_only=True))
    i = list(rows[0]).index("组别")
    assert {r[i] for r in rows[1:] if r[i] is not None} == set(range(1, 11))
    assert set(_workbook(wb.groups_workbook(4).content)["分组名单"].iter_rows(values_only=True))


@pytest.mark.notebooks
def test_the_report(short_bench):
    """The whole report (runs every notebook: about half a minute)."""
    seen = []
    download = short_bench.report(lambda done, n: seen.append((done, n)))
    n = seen[-1][1]
    assert seen == [(k, n) for k in range(1, n + 1)] and n >= 6
    assert download.name == "带教报告.html" and download.mime == "text/html"
    page = download.content.decode("utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and 'lang="zh' in page


# --- the English switch -------------------------------------------------------------------


def test_the_english_switch_changes_every_label(short_bench):
    wb = short_bench
    assert wb.solve()
    wb.set_language("en")
    assert wb.headline().startswith("17 of 20 placed")
    assert list(wb.by_mentor()[0][1].columns)[:2] == ["Name", "Secretary ID"]
    assert list(wb.cost_table().columns) == ["Figure", "Solved plan", "This plan", "Change"]
    assert wb.cost_table()["Figure"].tolist()[0] == "Placed"
    assert "Places" in wb.mentor_places().columns
    assert all(re.match(r"^(Keep|Forbid): ", line) for line, _ in wb.pair_lines())
    download = wb.plan_workbook()
    assert download.name == "mentoring_plan.xlsx"
    assert {"Plan", "Not placed"} <= set(_workbook(download.content).sheetnames)
    assert wb.unplaced()["Why not placed"].str.startswith("all ").all()


# --- the page, without a browser -----------------------------------------------------------


def _texts(widget) -> list[str]:
    """Every text the page shows: HTML and labels, tags stripped; options; descriptions."""
    out = []
    if widget.layout.display == "none":
        return out
    for name in ("value", "description"):
        value = getattr(widget, name, None)
        if isinstance(value, str) and not value.startswith("data:"):
            out.append(re.sub(r"<style>.*?</style>|<[^>]+>", " ", value, flags=re.S))
    for label in getattr(widget, "_options_labels", ()):
        out.append(label)
    for child in getattr(widget, "children", ()):
        out += _texts(child)
    return out


def _uploaded(path: Path) -> dict:
    """What ipywidgets' FileUpload holds once a file is chosen in the browser."""
    import datetime as dt

    content = path.read_bytes()
    return {
        "name": path.name,
        "type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "size": len(content),
        "content": memoryview(content),
        "last_modified": dt.datetime(2025, 12, 1, tzinfo=dt.UTC),
    }


@pytest.mark.notebooks
def test_the_page_builds_and_shows_only_loading_first():
    from mentormatch.app import App

    app = App(lang="zh")
    shown = [name for name, box in app.sections.items() if box.layout.display != "none"]
    assert shown == ["load"]
    assert app.sample.description == "使用示例名册"
    from mentormatch.app.view import CLASSES

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    found = {c for widget in walk(app.widget) for c in widget._dom_classes}
    assert set(CLASSES) <= found  # every class the browser tests rely on is there


@pytest.mark.notebooks
def test_the_page_from_sample_to_download():
    from mentormatch.app import App

    app = App(lang="zh")
    app.sample.click()
    assert all(box.layout.display != "none" for box in app.sections.values())
    assert "65" in app.glance.value and "空余名额" in app.glance.value
    app.solve.click()
    assert app.results.layout.display != "none"
    assert app.plan.value.count("<table") == 13 and "已结对 65/65 名" in app.headline.value
    assert bytes(app.chart_scores.value).startswith(b"\x89PNG")
    assert bytes(app.chart_random.value).startswith(b"\x89PNG")
    assert app.solve_busy.label.layout.display == "none"  # the spinner is gone again
    # One mentor at a time.
    app.plan_mentor.value = "M002"
    assert app.plan.value.count("<table") == 1 and "（M002）" in app.plan.value
    # Move a mentee: the cost shows at once; re-solve keeps the pair.
    sid = app.adjust_mentee.options[0][1]
    current = app.model.assignment[sid]
    assert app.adjust_mentor.value == current  # the list starts at the mentee's mentor
    to = next(v for _, v in app.adjust_mentor.options if v and v != current)
    app.adjust_mentor.value = to
    app.move.click()
    assert app.model.assignment[sid] == to
    assert "总匹配分" in app.cost.value and "名额超出" in app.broken.value
    assert "已锁定的结对（1 对）" in app.locks.value
    app.resolve.click()
    assert app.model.current.assignment[sid] == to
    assert "当前方案没有违反任何规则" in app.broken.value
    # Download the plan: a link with the workbook in it.
    app.download_plan.click()
    link = app.link_plan.value
    assert 'download="结对方案.xlsx"' in link
    data = re.search(r'href="data:[^;]+;base64,([^"]+)"', link).group(1)
    book = _workbook(base64.b64decode(data))
    rows = list(book["结对方案"].iter_rows(values_only=True))
    i_sid, i_mid = rows[0].index("书记编号"), rows[0].index("带教老师编号")
    assert [r[i_mid] for r in rows[1:] if r[i_sid] == sid] == [to]
    # Nothing raw anywhere on the page.
    text = " ".join(_texts(app.widget))
    assert not RAW.search(text), RAW.search(text)
    # The English switch rebuilds every label.
    app.language.value = "en"
    assert app.solve.description == "Solve" and "65 of 65 placed" in app.headline.value
    assert "Against the solved plan" in app.cost_head.value
    assert app.link_plan.value == ""  # a download in the other language is made anew
    assert not re.search("[\u4e00-\u9fff]", app.solve_head.value + app.cost.value)
    assert app.objective.options[0][0].startswith("Highest total")
    text = " ".join(_texts(app.widget))
    assert not RAW.search(text), RAW.search(text)


@pytest.mark.notebooks
def test_the_page_shows_the_problems_of_an_upload_and_hides_the_rest(broken):
    from mentormatch.app import App

    app = App(lang="zh")
    app.upload.value = (_uploaded(broken),)
    assert not app.model.ready
    assert app.problems.value.count("<tr>") == 3  # the header and two problems
    assert "工作表「书记」" in app.problems.value and "一九九零" in app.problems.value
    assert [n for n, box in app.sections.items() if box.layout.display != "none"] == ["load"]
    assert app.upload.value == ()  # ready for the corrected file


@pytest.mark.notebooks
def test_the_page_of_a_short_roster(office):
    from mentormatch.app import App

    app = App(lang="zh")
    app.upload.value = (_uploaded(office),)
    assert app.model.ready and app.partial.value is True
    assert "名额缺口" in app.glance.value
    app.partial.value = False
    app.solve.click()
    assert "名额短缺 3 个" in app.error.value and app.results.layout.display == "none"
    app.partial.value = True
    app.solve.click()
    assert app.error.value == "" and "未能结对的书记（3 名）" in app.unplaced.value
    # Rules from the page: places, a pair to forbid.
    app.cap_mentor.value = "M001"
    app.cap_value.value = 8
    app.cap_apply.click()
    assert app.model.rules.capacity == {"M001": 8} and "（原为 5）" in app.places.value
    assert "规则已更改" in app.stale.value
    app.rule_mentee.value = app.rule_mentee.options[0][1]
    app.rule_mentor.value = "M002"
    app.rule_kind.value = "forbid"
    app.rule_add.click()
    assert any(line.startswith("回避：") for line, _ in app.rule_list.options)
    app.solve.click()
    assert (
        app.unplaced.value.count("<tr>") == 1 or "所有需要带教的书记都已结对" in app.unplaced.value
    )


def test_random_plans_scale_with_the_problem():
    assert random_plans_for(10, 10) == 200 and random_plans_for(100_000, 100_000) == 20
    assert np.isclose(random_plans_for(500, 520), 153)


# --- serving ------------------------------------------------------------------------------


def test_serve_needs_voila_and_says_how_to_install_it(monkeypatch):
    import importlib.util

    from mentormatch.app import serve

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "voila" else real(name, *a)
    )
    with pytest.raises(
        mm.errors.MissingDependencyError, match=r"pip install 'mentormatch-suite\[notebooks\]'"
    ):
        serve(port=_free_port(), open_browser=False)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.notebooks
def test_voila_runs_this_interpreter_on_127_0_0_1_only(tmp_path):
    import json
    import sys

    from mentormatch.app import LANG_ENV
    from mentormatch.app.server import kernel_dir, notebook_path, template_dir, voila_command

    command = voila_command(8899)
    assert command[:3] == [sys.executable, "-m", "voila"]
    assert "--Voila.ip=127.0.0.1" in command and "--Voila.port_retries=0" in command
    assert "--no-browser" in command and "--port=8899" in command
    root = template_dir(kernel_dir(tmp_path, "en"))
    spec = json.loads((root / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable and spec["env"][LANG_ENV] == "en"
    assert spec["env"]["MPLBACKEND"] == "Agg"
    template = root / "voila" / "templates" / "mentormatch"
    assert json.loads((template / "conf.json").read_text()) == {"base_template": "lab"}
    assert "cdn.jsdelivr.net" in (template / "index.html.j2").read_text()  # what it drops
    # The page is thin: it shows App() and nothing else; it ships in the wheel.
    import nbformat

    nb = nbformat.read(notebook_path(), as_version=4)
    [cell] = nb.cells
    assert (
        cell.source.rstrip().endswith("App().widget") and nb.metadata.kernelspec.name == "python3"
    )
    from conftest import ROOT

    assert "include mentormatch/app/app.ipynb" in (ROOT / "MANIFEST.in").read_text()


@pytest.mark.notebooks
def test_a_port_in_use_is_refused_in_one_sentence():
    import socket

    from mentormatch.app import serve

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        with pytest.raises(mm.DataError, match="already in use.*--port"):
            serve(port=s.getsockname()[1], open_browser=False)


def test_the_sample_without_the_checkout_is_made_again(monkeypatch):
    from mentormatch.app import upload

    monkeypatch.setattr(upload, "sample_path", lambda: None)
    assert upload.load_sample() == mm.load_district(SAMPLE)
