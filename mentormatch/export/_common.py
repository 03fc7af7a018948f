"""What the workbooks share: the language, labels of their own, output paths, CSV copies.

Headers come from :data:`mentormatch.present.labels.COLUMNS`; the few columns only these
workbooks show are labelled in :data:`LABELS` here.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from mentormatch import lang as _lang
from mentormatch.errors import DataError, Problem
from mentormatch.io import atomic_path, neutralize
from mentormatch.present.format import for_export
from mentormatch.workbook import Sheet, Table, write_workbook

__all__ = [
    "LABELS",
    "language",
    "target",
    "export",
    "write_csv_sheet",
    "roster_notes",
    "pick",
]

#: Headers of the columns only the exported workbooks show: (Chinese, English, kind).
LABELS: dict[str, tuple[str, str, str]] = {
    "roster_note": ("备注", "Remarks", "text"),
    "status_label": ("结对状态", "Status", "text"),
    "proximity_label": ("就近程度", "Proximity", "text"),
    "continuity_flag": ("延续关系", "Continuity", "bool"),
    "challenge_share": ("难题匹配", "Challenge fit", "percent"),
    "alternates": ("备选带教老师（匹配分）", "Next-best mentors (score)", "text"),
    "fix": ("如何结对（带教老师，匹配分）", "What would place them (mentor, score)", "text"),
    "in_post": ("在任书记", "In post", "int"),
    "needing": ("需要带教", "Need a mentor", "int"),
    "placed": ("已结对", "Placed", "int"),
    "unplaced": ("未能结对", "Not placed", "int"),
    "mentors": ("带教老师", "Mentors", "int"),
    "places": ("名额", "Places", "int"),
    "same_unit": ("同街镇结对", "Paired in the same unit", "percent"),
    "mentee": ("书记", "Secretary"),
    "mentor": ("带教老师", "Mentor"),
    "current_mentor": ("现带教老师", "Current mentor"),
    "current_score": ("现匹配分", "Current score", "float"),
    "displaced": ("带教老师需让出的书记", "Mentee the mentor would let go"),
    "explanation": ("说明", "What it means"),
    "change": ("调整", "Change"),
    "previous_mentor": ("原带教老师", "Previous mentor"),
    "new_mentor": ("现带教老师", "Mentor now"),
    "why": ("原因", "Why"),
    "setting": ("设置", "Setting"),
    "rule_name": ("规则", "Rule"),
    "step": ("环节", "Step"),
    "signature": ("签名", "Signature"),
    "date": ("日期", "Date"),
    "opinion": ("意见", "Opinion"),
}


def pick(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en


@contextlib.contextmanager
def language(lang: str) -> Iterator[str]:
    """Sentences of :mod:`mentormatch.present.words` in ``lang`` for a while."""
    before = _lang.current()
    _lang.set_language(_lang.check(lang))
    try:
        yield lang
    finally:
        _lang.set_language(before)


def target(path, what: tuple[str, str], lang: str, *, csv: bool = True) -> tuple[Path, str]:
    """The output path and its kind (``xlsx`` or ``csv``), or a :class:`DataError`
    sentence when the extension is neither (a workbook is never written under another
    name)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx" or (csv and suffix == ".csv"):
        return path, suffix[1:]
    allowed_zh = ".xlsx 工作簿或 .csv 文件" if csv else ".xlsx 工作簿"
    allowed_en = "an .xlsx workbook or a .csv file" if csv else "an .xlsx workbook"
    shown = path.suffix or pick("（无扩展名）", "(no extension)", "zh")
    fixed = path.with_suffix(".xlsx").name
    raise DataError(
        Problem(
            str(path),
            None,
            None,
            path.suffix,
            f"an output named .xlsx{' or .csv' if csv else ''}",
            kind="output_format",
            statement=(
                f"Cannot write {path.name}: {what[1]} is written as {allowed_en}, not "
                f"{path.suffix or 'a file without extension'}; name it {fixed}.",
                f"无法写入 {path.name}：{what[0]}只能写成 {allowed_zh}，不能写成 {shown}；"
                f"请改名为 {fixed}。",
            ),
        )
    )


def export(
    df: pd.DataFrame, lang: str, labels: Mapping[str, object] | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table with headers and values as people read them (numbers kept as numbers)."""
    return for_export(df, lang=lang, labels={**LABELS, **(labels or {})})


def roster_notes(d, key: str = "secretaries") -> pd.Series | None:
    """The roster's 备注 (note) column by ID, or ``None`` when the roster has none."""
    table = getattr(d, key)
    note = table.get("note")
    if note is None:
        return None
    ids = table["secretary_id" if key == "secretaries" else "mentor_id"]
    values = [v if isinstance(v, str) and v.strip() else None for v in note.tolist()]
    if not any(values):
        return None
    return pd.Series(values, index=ids.to_numpy(), dtype=object)


def _csv_cell(value: object, kind: str) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind in ("int", "year"):
        return int(value)
    if kind == "percent":
        return f"{float(value) * 100:.1f}%".replace(".0%", "%")
    if kind != "text" and isinstance(value, (int, float)):
        return round(float(value), 4)
    return neutralize(str(value))


def write_csv_sheet(sheet: Sheet | Table | tuple, path: Path) -> Path:
    """The first table of a sheet as CSV (UTF-8 with a byte-order mark, which Excel
    needs to show Chinese), numbers as Excel reads them, formula-like text escaped."""
    if isinstance(sheet, Sheet):
        table = next(b for b in sheet.blocks if isinstance(b, Table))
    elif isinstance(sheet, Table):
        table = sheet
    else:
        table = Table(sheet[0], sheet[1])
    df = table.frame
    out = pd.DataFrame(
        {
            col: pd.Series(
                [_csv_cell(v, table.kinds.get(col, "text")) for v in df[col].tolist()],
                dtype=object,
            )
            for col in df.columns
        },
        columns=df.columns,
    )
    with atomic_path(path) as tmp:
        out.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path


def write_book(d, path, what: tuple[str, str], title: tuple[str, str], lang: str, sheets_of):
    """Write one of the export workbooks: check the name (``what`` says what it holds,
    in Chinese and English), build the sheets in ``lang`` with ``sheets_of(lang)``, and
    write ``.xlsx`` (titled ``title``) or, for ``.csv``, the first sheet. Returns the
    path written."""
    path, kind = target(path, what, lang)
    with language(lang):
        sheets = sheets_of(lang)
    if kind == "csv":
        return write_csv_sheet(next(iter(sheets.values())), path)
    write_workbook(
        sheets,
        path,
        keywords="synthetic" if d.synthetic else "",
        lang=lang,
        title=pick(*title, lang),
    )
    return path
