"""The on-site supervision workbook (:func:`write_visits_book`).

Sheets, in the chosen language: every visit of the year (走访安排), visits per mentor
per month (月度汇总), the headline and figures (概要), then one calendar per mentor,
named by the mentor's name, month by month, to print and carry.

Dates are Excel dates (numbers with the format yyyy-mm-dd, tagged with the language's
locale as Excel itself tags them), so that they sort, filter and compute as dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from mentormatch.errors import DataError
from mentormatch.export._common import export, language, pick, target, write_book, write_csv_sheet
from mentormatch.supervision.days import FIXED_HOLIDAYS
from mentormatch.supervision.summary import describe, summary_frame, visit_figures
from mentormatch.supervision.words import MONTHS, VISIT_LABELS, WEEKDAYS, month_name, rhythm
from mentormatch.workbook import Gap, Heading, Sheet, Table

__all__ = ["write_visits_book", "visit_sheets", "sheet_names", "SHEETS", "DATE_FORMATS"]

#: Sheet names: (Chinese, English).
SHEETS = {
    "visits": ("走访安排", "Visits"),
    "by_month": ("月度汇总", "By month"),
    "summary": ("概要", "Summary"),
}
#: The number format of dates, per language (the locale tag is Excel's own for zh-CN
#: and en-US).
DATE_FORMATS = {"zh": "[$-804]yyyy-mm-dd", "en": "[$-409]yyyy-mm-dd"}
_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (from March 1900)
_WHAT = ("实地督训安排", "the visit calendar")
_TITLE = ("实地督训安排", "On-site supervision calendar")
_FORBIDDEN = set("[]:*?/\\")
_CALENDAR_COLUMNS = [
    "date",
    "weekday",
    "order",
    "secretary_name",
    "community_name",
    "street_town",
    "visit_no",
]


def write_visits_book(d, schedule: pd.DataFrame, path, lang: str = "zh") -> Path:
    """Write the visit calendar: ``.xlsx`` a workbook, ``.csv`` the visits sheet.

    Parameters
    ----------
    d : District
        The district the schedule was made for (names of people and communities).
    schedule : DataFrame
        From :func:`mentormatch.supervision.visit_schedule`.
    path : path
        ``.xlsx`` or ``.csv``; any other extension is a :class:`~mentormatch.DataError`.
    lang : {"zh", "en"}

    Returns
    -------
    Path
        The path written. The same schedule gives the same bytes.

    Examples
    --------
    >>> import tempfile, pathlib, mentormatch as mm, pandas as pd
    >>> from mentormatch.supervision import visit_schedule
    >>> d = mm.synthesize_district(seed=1)
    >>> plan = pd.Series("M001", index=d.mentees["secretary_id"][:8])  # or mm.match(d)
    >>> s = visit_schedule(d, plan)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "visits.xlsx"
    >>> write_visits_book(d, s, out).name
    'visits.xlsx'
    """
    _check(d, schedule)
    path, kind = target(path, _WHAT, lang)
    if kind == "csv":
        with language(lang):
            return write_csv_sheet(_visits(d, schedule, lang, excel_dates=False), path)
    return write_book(d, path, _WHAT, _TITLE, lang, lambda lang: visit_sheets(d, schedule, lang))


def visit_sheets(d, schedule: pd.DataFrame, lang: str = "zh") -> dict[str, Sheet]:
    """The workbook's sheets, by sheet name (see :func:`write_visits_book`)."""
    i = 0 if lang == "zh" else 1
    sheets = {
        SHEETS["visits"][i]: _visits(d, schedule, lang),
        SHEETS["by_month"][i]: _by_month(d, schedule, lang),
        SHEETS["summary"][i]: _summary(d, schedule, lang),
    }
    if schedule.empty:
        return sheets
    rows = _rows(d, schedule, lang)
    whole = _table(rows[_CALENDAR_COLUMNS], lang)
    at = rows.groupby(["mentor_id", "month"], sort=False).indices
    by_mentor = rows.groupby("mentor_id", sort=False)
    visits = schedule.groupby("mentor_id")["visit_no"].max()
    mentors = d.mentors.set_index("mentor_id")["name"]
    for mid, sheet in sheet_names(d, schedule, lang).items():
        mine = by_mentor.get_group(mid)
        sheets[sheet] = _calendar(mentors[mid], mid, mine, whole, at, int(visits[mid]), lang)
    return sheets


def sheet_names(d, schedule: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """Mentor ID -> the name of the mentor's calendar sheet: the mentor's name, made a
    valid sheet name (at most 31 characters, none of ``[]:*?/\\``, no apostrophe at
    either end) and unique, ignoring case, among all the workbook's sheets (a second
    mentor of the same name gets the ID after the name).

    >>> import mentormatch as mm, pandas as pd
    >>> from mentormatch.supervision import visit_schedule
    >>> d = mm.synthesize_district(seed=1)
    >>> plan = pd.Series(["M001", "M002"], index=d.mentees["secretary_id"][:2])
    >>> names = sheet_names(d, visit_schedule(d, plan))
    >>> sorted(names) == ["M001", "M002"] and len(set(names.values())) == 2
    True
    """
    taken = {name[0 if lang == "zh" else 1].casefold() for name in SHEETS.values()}
    taken.add("history")  # Excel reserves it
    roster = d.mentors.set_index("mentor_id")["name"]
    out = {}
    for mid in _mentor_order(d, schedule):
        raw = roster.get(mid)
        base = _valid(str(raw) if isinstance(raw, str) and raw.strip() else str(mid))
        name, k = base, 1
        while name.casefold() in taken:
            suffix = f"（{mid}）" if lang == "zh" else f" ({mid})"
            if k > 1:
                suffix = f"（{mid}-{k}）" if lang == "zh" else f" ({mid}-{k})"
            name = base[: 31 - len(suffix)] + suffix
            k += 1
        taken.add(name.casefold())
        out[mid] = name
    return out


def _valid(name: str) -> str:
    cleaned = "".join("_" if ch in _FORBIDDEN else ch for ch in name).strip().strip("'")
    return cleaned[:31].strip() or "-"


# --- the rows, as people read them -----------------------------------------------------


def _check(d, schedule: pd.DataFrame) -> None:
    missing = set(schedule["secretary_id"]) - set(d.secretaries["secretary_id"].tolist())
    missing |= set(schedule["mentor_id"]) - set(d.mentors["mentor_id"].tolist())
    if missing:
        few = sorted(missing)[:5]
        raise DataError.say(
            f"The visit calendar names people the district does not have ({', '.join(few)}); "
            "write it with the district it was made for.",
            f"走访安排中有该区名册没有的人员（{'、'.join(few)}）；请用制定该安排时的名册导出。",
        )


def _mentor_order(d, schedule: pd.DataFrame) -> list[str]:
    present = set(schedule["mentor_id"])
    return [m for m in d.mentors["mentor_id"].tolist() if m in present]


def _rows(d, schedule: pd.DataFrame, lang: str, *, excel_dates: bool = True) -> pd.DataFrame:
    """Every visit with names and labels (codes kept in ``mentor_id``), by date, mentor
    (roster order) and order in the day."""
    s = d.secretaries.set_index("secretary_id")
    m = d.mentors.set_index("mentor_id")
    rank = {mid: k for k, mid in enumerate(d.mentors["mentor_id"].tolist())}
    days = [pd.Timestamp(x).date() for x in schedule["date"]]
    df = pd.DataFrame(
        {
            "date": [(x - _EPOCH).days for x in days] if excel_dates else [str(x) for x in days],
            "weekday": [WEEKDAYS[lang][x.weekday()] for x in days],
            "mentor_name": schedule["mentor_id"].map(m["name"]).to_numpy(),
            "secretary_name": schedule["secretary_id"].map(s["name"]).to_numpy(),
            "community_name": schedule["secretary_id"].map(s["community_name"]).to_numpy(),
            "street_town": schedule["street_town"].to_numpy(),
            "order": schedule["order"].to_numpy(),
            "visit_no": schedule["visit_no"].to_numpy(),
            "secretary_id": schedule["secretary_id"].to_numpy(),
            "mentor_id": schedule["mentor_id"].to_numpy(),
        }
    )
    key = pd.DataFrame(
        {
            "day": [x.toordinal() for x in days],
            "mentor": schedule["mentor_id"].map(rank).to_numpy(),
            "order": schedule["order"].to_numpy(),
        }
    )
    df = df.iloc[key.sort_values(list(key.columns), kind="stable").index.to_numpy()]
    df.insert(0, "month", schedule["month"].to_numpy()[df.index.to_numpy()])
    return df.reset_index(drop=True)


def _table(df: pd.DataFrame, lang: str, *, excel_dates: bool = True, **options) -> Table:
    labels = dict(VISIT_LABELS)
    if not excel_dates:
        labels["date"] = (*VISIT_LABELS["date"][:2], "text")
    frame, kinds = export(df, lang, labels)
    if excel_dates and "date" in df.columns:
        kinds[pick(*VISIT_LABELS["date"][:2], lang)] = DATE_FORMATS[lang]
    return Table(frame, kinds, **options)


def _visits(d, schedule: pd.DataFrame, lang: str, *, excel_dates: bool = True) -> Sheet:
    rows = _rows(d, schedule, lang, excel_dates=excel_dates).drop(columns="month")
    return Sheet([_table(rows, lang, excel_dates=excel_dates)], autofilter=True, min_widths={1: 12})


# --- the sheets ------------------------------------------------------------------------


def _by_month(d, schedule: pd.DataFrame, lang: str) -> Sheet:
    monthly = summary_frame(schedule)
    names = d.mentors.set_index("mentor_id")["name"]
    order = _mentor_order(d, schedule)
    monthly = monthly.reindex(order)
    headers = [MONTHS[lang][int(c[5:]) - 1] for c in monthly.columns]
    days = schedule.groupby(["mentor_id", "date"]).size().groupby(level="mentor_id").size()
    mentees = schedule.groupby("mentor_id")["secretary_id"].nunique()
    df = pd.DataFrame(
        {
            "mentor_name": [names.get(mid) for mid in order],
            "mentor_id": order,
            "mentees": [int(mentees.get(mid, 0)) for mid in order],
            "days": [int(days.get(mid, 0)) for mid in order],
        }
    )
    frame, kinds = export(df, lang, VISIT_LABELS)
    for header, column in zip(headers, monthly.columns, strict=True):
        frame[header] = monthly[column].to_numpy()
        kinds[header] = "int"
    total = pick(*VISIT_LABELS["total"][:2], lang)
    frame[total] = monthly.sum(axis=1).to_numpy() if len(order) else []
    kinds[total] = "int"
    blocks: list = [Table(frame, kinds)]
    if len(order):  # the totals below the table, out of its filter
        sums = [int(v) for v in frame.iloc[:, 2:].sum(axis=0)]
        last = pd.DataFrame([[total, None, *sums]], columns=frame.columns)
        blocks.append(Table(last, kinds, header=False))
    return Sheet(blocks, autofilter=True)


def _holidays(lang: str) -> str:
    names = {
        1: ("元旦", "New Year's Day"),
        5: ("劳动节", "Labour Day"),
        10: ("国庆节", "National Day"),
    }
    parts = []
    for month, first, last in FIXED_HOLIDAYS:
        zh, en = names.get(month, ("节假日", "a holiday"))
        if lang == "zh":
            span = f"{month}月{first}日" + (f"至{last}日" if last > first else "")
            parts.append(f"{zh}（{span}）")
        else:
            span = (
                (f"{first} to {last}" if last > first else str(first))
                + " "
                + MONTHS["en"][month - 1]
            )
            parts.append(f"{en} ({span})")
    if lang == "zh":
        return (
            "走访日均为周一至周五，并避开" + "、".join(parts) + "；春节、清明、端午、中秋等"
            "农历节日和调休上班日未计入，如需避开请在制定安排时列出。"
        )
    return (
        "Visits fall on Mondays to Fridays outside "
        + ", ".join(parts[:-1])
        + f" and {parts[-1]}; the Spring Festival, Qingming, Dragon Boat and Mid-Autumn "
        "holidays and weekends worked in exchange are not modelled: list them as closed "
        "days when making the calendar."
    )


def _summary(d, schedule: pd.DataFrame, lang: str) -> Sheet:
    from mentormatch.present.labels import COLUMNS

    i = 0 if lang == "zh" else 1
    f = visit_figures(schedule)
    title = pick("实地督训安排", "On-site supervision calendar", lang)
    if f["year"] is not None:
        title = pick(
            f"{f['year']} 年实地督训安排", f"On-site supervision calendar, {f['year']}", lang
        )
    blocks: list = [Heading(title, level=1), Heading(describe(schedule, lang), level=3)]
    if not schedule.empty:
        blocks.append(Heading(_holidays(lang), level=3))
    if d.synthetic:
        blocks.append(Heading(pick("本安排基于合成数据。", "Made from synthetic data.", lang), 3))
    if schedule.empty:
        return Sheet(blocks, freeze=False, print_header=False)
    figures = [
        (pick("年份", "Year", lang), f["year"], "year"),
        (pick("带教老师", "Mentors", lang), f["mentors"], "int"),
        (pick("走访书记", "Secretaries visited", lang), f["mentees"], "int"),
        (
            pick("每名书记走访次数", "Visits per secretary", lang),
            int(f["visits_per_mentee"]),
            "int",
        ),
        (pick("走访次数合计", "Visits in all", lang), f["visits"], "int"),
        (pick("走访日合计", "Days out in all", lang), f["days"], "int"),
        (
            pick("每位老师平均走访日", "Days out per mentor (mean)", lang),
            f["days_per_mentor"],
            "0.0",
        ),
        (
            pick("每位老师最多走访日", "Days out per mentor (most)", lang),
            f["days_per_mentor_max"],
            "int",
        ),
        (
            pick("每位老师每月平均走访", "Visits per mentor a month (mean)", lang),
            f["per_month_mean"],
            "0.0",
        ),
        (
            pick("每位老师单月最多走访", "Visits per mentor a month (most)", lang),
            f["per_month_max"],
            "int",
        ),
        (pick("单日平均走访", "Visits per day out (mean)", lang), f["per_day_mean"], "0.0"),
        (pick("单日最多走访", "Visits per day out (most)", lang), f["per_day_max"], "int"),
    ]
    header = [COLUMNS["figure"][i], COLUMNS["value"][i]]
    table = Table(
        pd.DataFrame([r[:2] for r in figures], columns=header, dtype=object),
        {header[0]: "text"},
        cell_kinds={header[1]: [r[2] for r in figures]},
    )
    blocks += [Gap(), Heading(pick("主要指标", "Headline figures", lang)), table]
    return Sheet(blocks, freeze=False, print_header=False)


def _calendar(
    name: str, mid: str, rows: pd.DataFrame, whole: Table, at: dict, visits: int, lang: str
) -> Sheet:
    """One mentor's year, month by month: ``rows`` are the mentor's visits, ``whole``
    every visit as a calendar table and ``at`` the positions in it of each (mentor,
    month)."""
    year = str(rows["month"].iloc[0])[:4]
    n, days = rows["secretary_id"].nunique(), rows["date"].nunique()
    if lang == "zh":
        title = f"{name}　{year} 年实地督训日程"
        note = (
            f"带教老师编号 {mid}；走访 {n} 名书记，每人{rhythm(visits, lang)}，"
            f"全年 {len(rows)} 次、{days} 个走访日。"
        )
    else:
        title = f"{name}: on-site visits, {year}"
        note = (
            f"Mentor ID {mid}; visits {n} secretaries {rhythm(visits, lang)}, {len(rows)} "
            f"visits on {days} days in the year."
        )
    blocks: list = [Heading(title, level=1), Heading(note, level=3)]
    for month in [f"{year}-{m:02d}" for m in range(1, 13)]:
        here = at.get((mid, month), [])
        shown = month_name(month, lang)
        if len(here):
            count = pick(f"（{len(here)} 次走访）", f" ({len(here)} visits)", lang)
            if len(here) == 1 and lang == "en":
                count = " (1 visit)"
            blocks += [Gap(), Heading(shown + count)]
            blocks.append(Table(whole.frame.iloc[here], whole.kinds))
        else:
            blocks += [Gap(), Heading(shown), Heading(pick("本月无走访。", "No visits.", lang), 3)]
    return Sheet(blocks, freeze=False, print_header=False, min_widths={1: 12})
