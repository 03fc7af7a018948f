"""Rosters written the way a district office writes them in Excel, and the Districts to write.

Not a test file: tests and benchmarks import it (``from rosters import ...`` with ``tests``
on the path, as for ``regions``). :func:`write_office_roster` writes one workbook per
District in the forms a sub-district office really uses: a merged title row and a
"填报单位 / 填报日期" line above the header, a two-row header with group titles over
column headers (书记 and 带教老师 sheets), Chinese headers (some of them the aliases the
schema accepts), Chinese labels in more than one accepted spelling, years as 1990,
1990年 or 1990年3月, lists joined by 、 or ；, 是/否, a 序号 and a 备注 column and a
说明 sheet, none of which the loader reads. The same District gives the same bytes.

The scenario builders return small synthetic Districts with one property each (see
:data:`SCENARIOS`); :func:`write_scenario` writes one of them as an office roster.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

import mentormatch as mm
from mentormatch.district import DEPARTURE_EVENTS
from mentormatch.io import _rewrite_zip_deterministic, atomic_path
from mentormatch.schema import REQUIRED_TABLES, TABLE_ORDER, TABLES, Column
from mentormatch.vocab import STREET_TOWNS, VOCABULARIES, normalize_text

__all__ = [
    "write_office_roster",
    "with_notes",
    "write_scenario",
    "SCENARIOS",
    "SCENARIO_OMIT",
    "TITLE",
    "roster_year",
    "SUBTITLE",
    "NOTES",
    "INSTRUCTIONS_SHEET",
    "GROUPS",
    "HEADERS",
    "short_capacity",
    "no_assessments",
    "no_career",
    "no_constraints",
    "one_unit",
    "village_only",
    "tiny",
    "city",
]

#: The title row of the 书记 sheet (other sheets add their heading after it), for the
#: roster's year: the latest year in the District.
TITLE = "普陀区居村党组织书记名册（{year}年度）"
#: The line under the title.
SUBTITLE = "填报单位：区委组织部　　填报日期：{year}年12月"
#: The unknown sheet an office puts first; the loader must ignore it.
INSTRUCTIONS_SHEET = "说明"
#: Words an office writes in the 备注 column (the loader ignores the column).
NOTES = ("产假中", "拟调任", "新任", "已离任")
_FIXED_TIME = dt.datetime(2000, 1, 1)

#: Heading of each sheet after the workbook title.
_HEADINGS = {
    "mentors": "带教老师名册",
    "bases": "实教实训基地名册",
    "assessments": "组织力评估得分明细",
    "constraints": "带教结对约束",
    "career": "书记履职变动情况",
    "sessions": "培训课程安排",
    "findings": "实地督训发现问题",
    "salon_records": "“一午一时”沙龙记录",
    "training_log": "培训签到记录",
}

#: Group titles over the column headers (two-row merged header), in column order; each
#: group's columns are contiguous in schema order. Other columns span both header rows.
GROUPS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "secretaries": (
        ("基本情况", ("name", "gender", "birth_year", "education")),
        ("任职情况", ("appointed_year", "street_town")),
        (
            "社区情况",
            (
                "community_id",
                "community_name",
                "community_type",
                "households",
                "share_aged_60_plus",
                "challenges",
                "prior_communities",
            ),
        ),
        ("带教情况", ("needs_mentor", "mentored_since", "previous_mentor_id")),
    ),
    "mentors": (
        ("基本情况", ("name", "street_town", "community_id", "years_as_secretary")),
        ("带教情况", ("community_types", "expertise", "capacity", "min_load")),
    ),
}

#: Headers written instead of a column's main Chinese header: aliases the schema accepts.
HEADERS: dict[str, dict[str, str]] = {
    "secretaries": {
        "birth_year": "出生年月",
        "education": "文化程度",
        "appointed_year": "任职时间",
        "street_town": "所属街镇",
        "community_name": "居民区名称",
        "households": "居民户数",
        "needs_mentor": "是否需要带教",
    },
    "mentors": {
        "street_town": "所属街镇",
        "years_as_secretary": "任书记年限",
        "capacity": "最多带教人数",
    },
}

#: Spellings an office uses for a code, written in turn down the rows (all accepted).
_SPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "street_town": {t.code: (t.zh, t.aliases[0]) for t in STREET_TOWNS},
    "community_type": {
        "old_public_housing": ("工人新村/老公房", "老公房小区", "工人新村"),
        "sold_public_housing": ("售后公房", "售后公房小区"),
        "resettlement": ("动迁安置房", "动迁房"),
        "old_lane": ("旧里/老式里弄", "老式里弄"),
        "commercial": ("商品房", "商品房小区"),
        "mixed": ("混合型", "混合"),
        "village": ("村", "行政村"),
    },
    "education": {
        "secondary": ("高中/中专及以下", "高中"),
        "junior_college": ("大专",),
        "bachelor": ("大学本科", "本科"),
        "postgraduate": ("研究生", "硕士"),
    },
    "rule": {"forbid": ("禁止", "回避"), "keep": ("保留",)},
}
_LIST_JOINS = ("、", "；")
#: Year columns written in office forms (an assessment wave stays a plain year).
_YEAR_FORM_SKIP = {("assessments", "wave")}


@functools.cache
def _forms(vocabulary: str, code: str) -> tuple[str, ...]:
    """An office's spellings of ``code``, each checked to read back as ``code``."""
    vocab = VOCABULARIES[vocabulary]
    forms = _SPELLINGS.get(vocabulary, {}).get(code) or (vocab[code].zh,)
    for text in forms:
        if vocab.parse(text) != code:
            raise ValueError(f"{text!r} does not read as {vocabulary} {code!r}")
    return forms


def _spelling(col: Column, code: str, k: int) -> str:
    """The k-th spelling of ``code``: the office forms in turn, else the label."""
    forms = _forms(col.vocab.name, code)
    return forms[k % len(forms)]


def _year_cell(year: int, k: int, forms: bool) -> object:
    if not forms or k % 3 == 0:
        return int(year)
    if k % 3 == 1:
        return f"{int(year)}年"
    return f"{int(year)}年{(k * 5) % 12 + 1}月"


def _share_cell(value: float, k: int) -> object:
    """A share as a number, or on some rows as a percentage when that reads back exactly."""
    if k % 4 == 1:
        text = f"{value * 100:g}%"
        if round(float(text[:-1]) / 100, 10) == value:
            return text
    return float(value)


def _cell(table: str, col: Column, value: object, k: int, year_forms: bool) -> object:
    """What an office types in the cell of column ``col`` on data row ``k``."""
    kind = col.kind
    if kind in ("vocab_list", "id_list"):
        items = [_spelling(col, v, k) if kind == "vocab_list" else v for v in value]
        return _LIST_JOINS[k % 2].join(items) or None
    if value is None or (not isinstance(value, (tuple, list)) and pd.isna(value)):
        return None
    if kind == "vocab":
        return _spelling(col, value, k)
    if kind == "bool":
        return "是" if value else "否"
    if kind == "year":
        return _year_cell(int(value), k, year_forms and (table, col.name) not in _YEAR_FORM_SKIP)
    if kind == "month":
        return _month_cell(str(value), k)
    if kind == "int":
        return int(value)
    if kind == "share":
        return _share_cell(float(value), k)
    if kind == "float":
        return float(value)
    return str(value)


def _month_cell(month: str, k: int) -> object:
    """A month as offices type it: 2024-03, 2024年3月, 2024.03 or a date cell (the 1st)."""
    year, m = int(month[:4]), int(month[5:])
    forms = (month, f"{year}年{m}月", f"{year}.{m:02d}", dt.datetime(year, m, 1))
    return forms[k % len(forms)]


def _secretary_notes(d: mm.District) -> list[str | None]:
    """A few 备注 entries: departed, on maternity leave, to be transferred, newly appointed."""
    s = d.secretaries
    notes: list[str | None] = [None] * len(s)
    gone = d.career[d.career["event"].isin(DEPARTURE_EVENTS)]
    gone_year = dict(zip(gone["secretary_id"], gone["year"], strict=True))
    latest = int(s["appointed_year"].max())
    counts = dict.fromkeys(NOTES[:3], 0)
    for i, row in enumerate(s.itertuples(index=False)):
        if row.secretary_id in gone_year:
            notes[i] = f"已离任（{int(gone_year[row.secretary_id])}年）"
        elif row.appointed_year == latest and counts["新任"] < 3:
            notes[i], counts["新任"] = "新任", counts["新任"] + 1
        elif row.gender == "female" and row.birth_year >= 1985 and counts["产假中"] < 1:
            notes[i], counts["产假中"] = "产假中", 1
        elif i % 7 == 3 and counts["拟调任"] < 2:
            notes[i], counts["拟调任"] = "拟调任", counts["拟调任"] + 1
    return notes


def _mentor_notes(d: mm.District) -> list[str | None]:
    notes: list[str | None] = [None] * len(d.mentors)
    if notes:
        notes[-1] = "拟调任"
    if len(notes) > 2:
        notes[0] = "区级示范带教"
    return notes


_INSTRUCTIONS = (
    "填表说明",
    "1. 本表由各街镇党（工）委填报，区委组织部汇总；请勿修改表头。",
    "2. “书记”表每行一名书记，含已离任书记（离任情况见“履职”表）。",
    "3. 年份可填1990、1990年或1990年3月；多项内容用顿号（、）或分号（；）分隔。",
    "4. “是否需要带教”填“是”或“否”；60岁以上占比可填小数或百分数。",
    "5. 序号、备注两栏仅供核对，不导入系统。",
)
_SYNTHETIC_LINE = "本数据为合成数据，不涉及真实人员。"


def _write_instructions(wb: Workbook, synthetic: bool, career: bool) -> None:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    lines = list(_INSTRUCTIONS) + ([_SYNTHETIC_LINE] if synthetic else [])
    if not career:
        lines[2] = "2. “书记”表每行一名在任书记。"
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 80


def _write_table(
    wb: Workbook,
    d: mm.District,
    name: str,
    *,
    title: str,
    subtitle: str,
    merged_header: bool,
    notes: bool,
    year_forms: bool,
) -> None:
    spec = TABLES[name]
    df = d.tables[name]
    ws = wb.create_sheet(spec.zh)
    # The 备注 column is the District's own ``note`` column; ``notes=False`` leaves it out.
    columns_written = [c for c in spec.columns if notes or c.name != "note"]
    aliases = HEADERS.get(name, {})
    accepted = spec.header_lookup()
    headers = ["序号"] + [aliases.get(c.name, c.zh) for c in columns_written]
    for col, header in zip(columns_written, headers[1:], strict=True):
        if accepted.get(normalize_text(header)) != col.name:
            raise ValueError(f"{header!r} is not a header of {name}.{col.name}")
    width = len(headers)

    # Title and the 填报 line, each merged across the table.
    ws.append([title if name == "secretaries" else f"{title}·{_HEADINGS[name]}"])
    ws.append([subtitle])
    for r in (1, 2):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")

    groups = GROUPS.get(name, ()) if merged_header else ()
    first_header = 3
    bold = Font(bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if groups:
        group_of = {c: g for g, cols in groups for c in cols}
        names = ["序号"] + [c.name for c in columns_written]
        top = [group_of.get(n, h) for n, h in zip(names, headers, strict=True)]
        # A merged group title sits in its first cell only.
        top = [
            None if j and n in group_of and top[j - 1] == v else v
            for j, (n, v) in enumerate(zip(names, top, strict=True))
        ]
        bottom = [h if n in group_of else None for n, h in zip(names, headers, strict=True)]
        ws.append(top)
        ws.append(bottom)
        j = 0
        while j < width:
            if names[j] in group_of:
                end = j
                while end + 1 < width and group_of.get(names[end + 1]) == group_of[names[j]]:
                    end += 1
                ws.merge_cells(
                    start_row=first_header,
                    start_column=j + 1,
                    end_row=first_header,
                    end_column=end + 1,
                )
                j = end + 1
            else:
                ws.merge_cells(
                    start_row=first_header,
                    start_column=j + 1,
                    end_row=first_header + 1,
                    end_column=j + 1,
                )
                j += 1
        last_header = first_header + 1
    else:
        ws.append(headers)
        last_header = first_header
    for row in ws.iter_rows(min_row=first_header, max_row=last_header):
        for cell in row:
            cell.font = bold
            cell.alignment = center

    columns = [df[c.name].tolist() for c in columns_written]
    # A code's spellings alternate over its own rows, so each appears in every form.
    turns = [
        df[c.name].groupby(df[c.name], dropna=False).cumcount().tolist()
        if c.kind == "vocab"
        else None
        for c in columns_written
    ]
    for k in range(len(df)):
        values: list[object] = [k + 1]
        values += [
            _cell(name, col, column[k], k if turn is None else turn[k], year_forms)
            for col, column, turn in zip(columns_written, columns, turns, strict=True)
        ]
        ws.append(values)
    for row in ws.iter_rows(min_row=last_header + 1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    for j, header in enumerate(headers, start=1):
        sample = [len(str(v)) for v in (columns[j - 2][:100] if 1 < j <= len(columns) + 1 else [])]
        ws.column_dimensions[get_column_letter(j)].width = min(
            40, max(6, 1.6 * max([len(header), *sample]))
        )
    ws.freeze_panes = f"B{last_header + 1}"


def roster_year(d: mm.District) -> int:
    """The year a roster of ``d`` is for: the latest year in its tables."""
    years = [
        df[c.name].max()
        for name, df in d.tables.items()
        for c in TABLES[name].columns
        if c.kind == "year" and len(df) and df[c.name].notna().any()
    ]
    return int(max(years))


def write_office_roster(
    d: mm.District,
    path: str | Path,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    merged_header: bool = True,
    notes: bool = True,
    year_forms: bool = True,
    omit: Iterable[str] = (),
) -> Path:
    """Write ``d`` as one .xlsx an office would fill in; same District, same bytes.

    One sheet per table (Chinese sheet names), except the tables named in ``omit``
    (no sheet at all); an empty table not omitted is a sheet with its header only, as
    in a blank template. A 说明 sheet comes first. ``merged_header`` gives the 书记 and
    带教老师 sheets a two-row header with group titles; ``notes=False`` leaves out the
    备注 column (the District's notes); ``year_forms`` writes years as 1990, 1990年 or
    1990年3月 on different rows.
    ``title`` and ``subtitle`` default to :data:`TITLE` and :data:`SUBTITLE` for the
    latest year in ``d``.
    """
    omit = set(omit)
    unknown = omit - set(TABLE_ORDER)
    if unknown:
        raise ValueError(f"unknown tables to omit: {sorted(unknown)}; tables are {TABLE_ORDER}")
    path = Path(path)
    year = roster_year(d)
    title = TITLE.format(year=year) if title is None else title
    subtitle = SUBTITLE.format(year=year) if subtitle is None else subtitle
    wb = Workbook()
    wb.remove(wb.active)
    _write_instructions(wb, d.synthetic, career="career" not in omit and len(d.career) > 0)
    for name in TABLE_ORDER:
        if name in omit:
            continue
        _write_table(
            wb,
            d,
            name,
            title=title,
            subtitle=subtitle,
            merged_header=merged_header,
            notes=notes,
            year_forms=year_forms,
        )
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    wb.properties.creator = "区委组织部"
    wb.properties.lastModifiedBy = "区委组织部"
    wb.properties.keywords = "synthetic" if d.synthetic else None
    buffer = io.BytesIO()
    wb.save(buffer)
    with atomic_path(path) as tmp:
        _rewrite_zip_deterministic(buffer.getvalue(), tmp)
    return path


# --- Scenarios ----------------------------------------------------------------------

#: Assessment waves a scenario keeps (the latest ones): an office's roster carries the
#: recent waves, and writing a workbook costs time in proportion to its rows. The
#: synthesizer makes 7 (2018-2024); ``waves=None`` keeps them all.
PANEL_WAVES = 3


def _finish(
    d: mm.District, seed: int, waves: int | None, add_rules: bool = True, **tables
) -> mm.District:
    """``d`` with some tables replaced, the recent assessment waves only and (unless told
    not to) a few rules on pairs; validated once, as ``d.replace`` does."""
    tables = {**d.tables, **tables}
    a = tables["assessments"]
    if waves is not None and a is not None and len(a):
        tables["assessments"] = a[a["wave"] > a["wave"].max() - waves]
    if add_rules:
        tables["constraints"] = _constraints(tables, seed)
    return with_notes(d.replace(**tables))


def with_notes(d: mm.District) -> mm.District:
    """``d`` with a few 备注 as an office writes them, on secretaries and on mentors."""
    return d.replace(
        secretaries=d.secretaries.assign(note=_secretary_notes(d)),
        mentors=d.mentors.assign(note=_mentor_notes(d)),
    )


def _constraints(tables: dict[str, pd.DataFrame | None], seed: int) -> pd.DataFrame:
    """A few rules a planner writes: keep some continuing mentees with last cycle's mentor
    (at most half a mentor's places), forbid one mentor for a few other mentees."""
    rng = np.random.default_rng(seed)
    s, career, mentors = tables["secretaries"], tables["career"], tables["mentors"]
    gone = (
        set()
        if career is None
        else set(career.loc[career["event"].isin(DEPARTURE_EVENTS), "secretary_id"])
    )
    mentees = s[s["needs_mentor"].to_numpy() & ~s["secretary_id"].isin(gone).to_numpy()]
    capacity = dict(zip(mentors["mentor_id"], mentors["capacity"], strict=True))
    kept: dict[str, int] = {}
    rows = []
    for sid, previous in zip(mentees["secretary_id"], mentees["previous_mentor_id"], strict=True):
        if isinstance(previous, str) and previous in capacity and rng.random() < 0.3:
            if kept.get(previous, 0) < capacity[previous] // 2:
                kept[previous] = kept.get(previous, 0) + 1
                rows.append((sid, previous, "keep"))
    keepers = {r[0] for r in rows}
    mentor_ids = mentors["mentor_id"].tolist()
    free = [x for x in mentees["secretary_id"] if x not in keepers]
    for sid in free[: max(1, len(free) // 8)]:
        rows.append((sid, mentor_ids[int(rng.integers(len(mentor_ids)))], "forbid"))
    return pd.DataFrame(rows, columns=["secretary_id", "mentor_id", "rule"])


def _drop_secretaries(d: mm.District, ids: Iterable[str]) -> dict[str, pd.DataFrame]:
    """The tables without these secretaries and every row that refers to them."""
    ids = set(ids)
    out = {}
    for name, df in d.tables.items():
        if "secretary_id" in df.columns:
            df = df[~df["secretary_id"].isin(ids)].reset_index(drop=True)
        out[name] = df
    return out


def short_capacity(seed: int = 27, waves: int | None = PANEL_WAVES) -> mm.District:
    """Mentor places 15% fewer than the mentees (17 for 20), no minimum loads."""
    d = mm.synthesize_district(
        seed=seed, n_secretaries=40, n_mentors=4, n_bases=3, n_villages=2, n_promoted=2
    )
    places = int(round(0.85 * len(d.mentees)))
    m = len(d.mentors)
    capacity = np.full(m, places // m) + (np.arange(m) < places % m)
    mentors = d.mentors.assign(
        capacity=capacity.astype("int64"), min_load=pd.array([pd.NA] * m, dtype="Int64")
    )
    return _finish(d, seed, waves, mentors=mentors)


def no_assessments(seed: int = 12, waves: int | None = PANEL_WAVES) -> mm.District:
    """No assessment panel (the 测评 sheet is absent)."""
    d = mm.synthesize_district(
        seed=seed, n_secretaries=40, n_mentors=4, n_bases=4, n_villages=2, assessments=False
    )
    return _finish(d, seed, waves)


def no_career(seed: int = 13, waves: int | None = PANEL_WAVES) -> mm.District:
    """No career records (no 履职 sheet), so no departed secretaries (they would be in post)."""
    d = mm.synthesize_district(seed=seed, n_secretaries=40, n_mentors=4, n_bases=4, n_villages=2)
    gone = d.secretaries.loc[d.departed.to_numpy(), "secretary_id"]
    tables = _drop_secretaries(d, gone)
    tables["career"] = None
    return _finish(d, seed, waves, **tables)


def no_constraints(seed: int = 14, waves: int | None = PANEL_WAVES) -> mm.District:
    """No rules on pairs: the constraints table is empty (约束 sheet omitted)."""
    d = mm.synthesize_district(seed=seed, n_secretaries=40, n_mentors=4, n_bases=4, n_villages=2)
    return _finish(d, seed, waves, add_rules=False)


#: The one sub-district of :func:`one_unit` (石泉路街道, 28 residents' committees).
ONE_UNIT = "shiquan"


def one_unit(seed: int = 15, waves: int | None = PANEL_WAVES) -> mm.District:
    """Every secretary, mentor and base in one sub-district (石泉路街道)."""
    d = mm.synthesize_district(
        seed=seed, n_secretaries=28, n_mentors=3, n_bases=3, n_villages=0, n_promoted=2
    )
    moved = {
        n: d.tables[n].assign(street_town=ONE_UNIT) for n in ("secretaries", "mentors", "bases")
    }
    return _finish(d, seed, waves, **moved)


#: The town of :func:`village_only`.
VILLAGE_TOWN = "taopu"
_VILLAGE_CHALLENGES = (
    "collective_economy",
    "land_use",
    "migrants",
    "ageing",
    "elderly_alone",
    "waste_sorting",
    "refuse_points",
)


def village_only(seed: int = 16, waves: int | None = PANEL_WAVES) -> mm.District:
    """Every secretary's community a village in 桃浦镇 (mentors and bases there too)."""
    rng = np.random.default_rng(seed)
    d = mm.synthesize_district(
        seed=seed, n_secretaries=30, n_mentors=3, n_bases=3, n_villages=3, n_promoted=2
    )
    s = d.secretaries
    # One village name per community (predecessors share their successor's village).
    names: dict[str, str] = {}
    for cid, name in zip(s["community_id"], s["community_name"], strict=True):
        if cid in names:
            continue
        village = name if name.endswith("村") and not name.endswith("新村") else f"{name[:2]}村"
        k = 0
        while village in names.values():
            k += 1
            village = f"{name[:2]}{k}村"
        names[cid] = village
    challenges = [
        tuple(sorted(rng.choice(len(_VILLAGE_CHALLENGES), size=int(k), replace=False)))
        for k in rng.integers(2, 5, size=len(s))
    ]
    secretaries = s.assign(
        street_town=VILLAGE_TOWN,
        community_type="village",
        community_name=s["community_id"].map(names),
        challenges=[tuple(_VILLAGE_CHALLENGES[j] for j in c) for c in challenges],
    )
    mentors = d.mentors.assign(
        street_town=VILLAGE_TOWN,
        community_types=[
            ("village", *(t for t in types if t != "village"))
            for types in d.mentors.community_types
        ],
    )
    bases = d.bases.assign(
        street_town=VILLAGE_TOWN,
        name=[
            f"{names[c]}实训基地" if c in names else n
            for c, n in zip(d.bases["community_id"], d.bases["name"], strict=True)
        ],
    )
    return _finish(d, seed, waves, secretaries=secretaries, mentors=mentors, bases=bases)


def tiny(seed: int = 17, waves: int | None = PANEL_WAVES) -> mm.District:
    """20 secretaries in post, 2 mentors, 2 practice bases."""
    d = mm.synthesize_district(
        seed=seed,
        n_secretaries=20,
        n_mentors=2,
        n_bases=2,
        n_villages=1,
        n_promoted=1,
        n_civil_servant=1,
    )
    return _finish(d, seed, waves)


def city(seed: int = 3, waves: int | None = PANEL_WAVES) -> mm.District:
    """A city-sized district: 6,000 secretaries in post, 272 mentors, 428 bases (slow)."""
    d = mm.synthesize_district(seed=seed, n_secretaries=6000, n_mentors=272, n_bases=428)
    return _finish(d, seed, waves)


#: Scenario name -> builder of its District.
SCENARIOS: dict[str, Callable[..., mm.District]] = {
    "short_capacity": short_capacity,
    "no_assessments": no_assessments,
    "no_career": no_career,
    "no_constraints": no_constraints,
    "one_unit": one_unit,
    "village_only": village_only,
    "tiny": tiny,
    "city": city,
}
#: Tables a scenario's workbook leaves out (no sheet at all).
SCENARIO_OMIT: dict[str, tuple[str, ...]] = {
    "no_assessments": ("assessments",),
    "no_career": ("career",),
    "no_constraints": ("constraints",),
}
assert not {t for o in SCENARIO_OMIT.values() for t in o} & set(REQUIRED_TABLES)


def write_scenario(name: str, folder: str | Path, **options) -> Path:
    """Build scenario ``name`` and write it as ``folder/<name>.xlsx``, without the sheets
    in :data:`SCENARIO_OMIT` (options go to :func:`write_office_roster`)."""
    if name not in SCENARIOS:
        raise KeyError(f"unknown scenario {name!r}; scenarios are {list(SCENARIOS)}")
    d = SCENARIOS[name]()
    options.setdefault("omit", SCENARIO_OMIT.get(name, ()))
    return write_office_roster(d, Path(folder) / f"{name}.xlsx", **options)
