"""From a sheet of text cells to a typed table: the header row found (under title rows,
over two merged rows), headers mapped to columns, rows that hold no data (totals,
footers, sub-headings) skipped with a warning, and the cells parsed by the schema."""

from __future__ import annotations

import re

import pandas as pd

from mentormatch.errors import Problem, place
from mentormatch.io.read import _file_problem, _letter, _Sheet, _unneutralize
from mentormatch.schema import (
    TABLES,
    header_key,
    parse_table,
)
from mentormatch.vocab import STREET_TOWNS, normalize_text

#: How many rows at the top of a sheet may hold titles above the header.
HEADER_SEARCH_ROWS = 10


def _merged_header(rows: list[list[str]], lookup: dict[str, str]) -> list[str]:
    """One header from a block of rows: per column, the lowest cell naming a known column.

    Government sheets often group columns under a merged title cell ("任职情况") with the
    real headers in the row below, while other headers span both rows (a merged cell's
    text sits in its top row only).
    """
    width = max(len(r) for r in rows)
    header = []
    for j in range(width):
        cells = [r[j] if j < len(r) else "" for r in rows]
        known = [c for c in cells if header_key(c) in lookup]
        header.append(known[-1] if known else next((c for c in reversed(cells) if c.strip()), ""))
    return header


def _header_block(rows: list[list[str]], best: int, lookup: dict[str, str]) -> tuple[int, int]:
    """The header row, or two rows when the row above or below adds known columns."""

    def known(block: list[list[str]]) -> int:
        return len(
            {
                lookup[header_key(c)]
                for c in _merged_header(block, lookup)
                if header_key(c) in lookup
            }
        )

    candidates = [(best, best)]
    if best + 1 < len(rows):
        candidates.append((best, best + 1))
    if best > 0:
        candidates.append((best - 1, best))
    scored = [(known(rows[a : b + 1]), -(b - a), a, b) for a, b in candidates]
    _, _, first, last = max(scored)
    return first, last


#: A total row's label (its first cell): 合计, 小计, 总计, 共计, Total.
_TOTAL = re.compile(r"^(合计|小计|总计|共计|总数|total|subtotal|sum)[:：]?$")
#: A footer cell: who filled the form in, when, a contact, a note for the reader.
_FOOTER = re.compile(
    r"^(填表人|填报人|制表人|审核人|审批人|负责人|联系人|经办人|联系电话|电话|填表日期|填报日期"
    r"|制表日期|日期|注|说明|备注|签字|盖章|单位盖章|filledby|contact|note)[:：]"
)
_INTEGER = re.compile(r"^\d+$")


def _is_number_text(text: str) -> bool:
    t = normalize_text(text).replace(",", "").rstrip("%")
    try:
        float(t)
    except ValueError:
        return False
    return True


def _not_data(row: list[str], required: list[int], mapped: set[int]) -> str | None:
    """Why a non-blank row below the header is no data row, or ``None`` if it may be one.

    Conservative: a total row (合计 and numbers only); a footer (every cell a label such
    as 填表人：); a row whose only text is in one or two cells and fills no required
    column (a sub-heading, a lone note); a row holding nothing but a sub-district's
    name (a sub-heading written in the first column). Anything else is data, and an
    incomplete data row is reported as such.
    """
    cells = [(j, c.strip()) for j, c in enumerate(row) if c.strip()]
    texts = [t for _, t in cells]
    if _TOTAL.match(header_key(texts[0])) and all(_is_number_text(t) for t in texts[1:]):
        return "total"
    if all(_FOOTER.match(header_key(t)) for t in texts):
        return "footer"
    if len(cells) > 2:
        return None
    if len(cells) == 1 and STREET_TOWNS.read(texts[0])[1] in ("exact", "suffix"):
        return "subheading"
    if any(j in required for j, _ in cells):
        return None
    if len(cells) == 1 and cells[0][0] not in mapped and _INTEGER.match(texts[0]):
        return "numbered"
    return "other"


_NOT_DATA_TEXT = {
    "total": ("a total row", "是合计行"),
    "footer": ("a footer line", "像是表尾的填表信息"),
    "subheading": ("a sub-heading", "像是分段的小标题"),
    "other": ("not a data row (no required column is filled in)", "没有填写任何必填列，不像数据行"),
}


def _skipped_record(source: str, found: list[tuple[int, list[str]]], why: str) -> Problem:
    """The warning for rows below the header that were not read as data."""
    rows = tuple(n for n, _ in found)
    en_where, zh_where = place(source, "en", rows), place(source, "zh", rows)
    if why == "numbered":
        statement = (
            f"{en_where}: the rows hold nothing but a row number and were skipped.",
            f"{zh_where}只有序号，没有其他内容，已跳过。",
        )
        fix = ("Delete the empty numbered rows to silence this warning.", "如无用可删去这些行。")
        value = None
    else:
        texts = [c.strip() for c in found[0][1] if c.strip()]
        value = " ".join(texts)
        what_en, what_zh = _NOT_DATA_TEXT[why]
        quoted_en = " and ".join(repr(t) for t in texts)
        quoted_zh = "".join(f"「{t}」" for t in texts)
        more_en = f" (and {len(rows) - 1} more such rows)" if len(rows) > 1 else ""
        statement = (
            f"{en_where}: the row holds only {quoted_en}{more_en}; it is {what_en} and was "
            "skipped.",
            f"{zh_where}只有{quoted_zh}{'等内容' if len(rows) > 1 else ''}，{what_zh}，已跳过。",
        )
        fix = (
            "If it holds a person, fill in its required columns and load again.",
            "如这是一条数据，请补全必填列后重新载入。",
        )
    return Problem(
        source,
        rows[0],
        None,
        value,
        "skipped: not a data row",
        fix[0],
        "已跳过：不是数据行",
        fix[1],
        kind="skipped_row",
        rows=rows,
        statement=statement,
    )


def _sheet_to_table(
    sheet: _Sheet, name: str, problems: list[Problem], warnings: list[Problem] | None = None
) -> pd.DataFrame | None:
    """Find the header row, map headers to columns, and parse the rows below it."""
    warnings = [] if warnings is None else warnings
    spec = TABLES[name]
    lookup = spec.header_lookup()
    loose = spec.loose_headers()
    nonblank = [i for i, r in enumerate(sheet.rows) if any(c.strip() for c in r)]
    if not nonblank:
        problems.append(
            _file_problem(
                sheet.source,
                f"a header row and rows of {name}",
                f"表头和{spec.zh}数据",
                f"{place(sheet.source, 'en')} is empty; it should hold a header row and rows "
                f"of {name}.",
                f"{place(sheet.source, 'zh')}是空的，应有表头和{spec.zh}数据。",
                "Fill in the header row and the rows, or remove the file or sheet.",
                "请填写表头和数据，或删去这个文件或工作表。",
            )
        )
        return None
    best, best_hits = nonblank[0], -1
    for i in nonblank[:HEADER_SEARCH_ROWS]:
        hits = len({lookup[k] for k in map(header_key, sheet.rows[i]) if k in lookup})
        if hits > best_hits:
            best, best_hits = i, hits
    if best_hits <= 0:
        examples = [c.zh for c in spec.columns[:4]]
        row = sheet.numbers[best]
        problems.append(
            Problem(
                sheet.source,
                row,
                None,
                None,
                f"a header row naming the columns of {name} (e.g. {', '.join(examples)})",
                "Put the column headers (see data/README.md) in one row above the data.",
                "写明" + "、".join(f"「{e}」" for e in examples) + "等列名的表头",
                "请在数据上方用一行写明列名（见数据字典 data/README.md）。",
                kind="no_header",
                statement=(
                    f"{place(sheet.source, 'en', [row])}: no header row naming the columns of "
                    f"{name} (e.g. {', '.join(examples)}) was found in the first "
                    f"{HEADER_SEARCH_ROWS} rows.",
                    f"{place(sheet.source, 'zh')}前 {HEADER_SEARCH_ROWS} 行中找不到表头（应有"
                    + "、".join(f"「{e}」" for e in examples)
                    + "等列名）。",
                ),
            )
        )
        return None
    first, last = _header_block(sheet.rows, best, lookup)
    header = _merged_header(sheet.rows[first : last + 1], lookup)
    header_row = sheet.numbers[last]
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    notes: list[int] = []  # every column of notes: several are joined, not refused
    for j, text in enumerate(header):
        column = lookup.get(header_key(text))
        if column is None:
            continue
        if column == "note":
            notes.append(j)
        if column in positions:
            if column == "note":
                continue
            problems.append(
                _duplicate_header(sheet.source, header_row, text, column, written, j, positions)
            )
            continue
        positions[column] = j
        written[column] = text.strip()
        if header_key(text) in loose:
            warnings.append(
                _loose_record(sheet.source, header_row, text.strip(), spec.column(column))
            )
    if len(notes) > 1:
        warnings.append(
            _notes_record(sheet.source, header_row, [header[j].strip() for j in notes], notes)
        )
    required = [j for c, j in positions.items() if spec.column(c).required]
    mapped = set(positions.values()) | set(notes)
    body: list[tuple[int, list[str]]] = []
    skipped: dict[str, list[tuple[int, list[str]]]] = {}
    for number, row in zip(sheet.numbers[last + 1 :], sheet.rows[last + 1 :], strict=True):
        if not any(c.strip() for c in row):
            continue
        why = _not_data(row, required, mapped)
        if why is None:
            body.append((number, row))
        elif why in ("numbered",):
            skipped.setdefault(why, []).append((number, row))
        else:
            skipped[f"{why}:{number}"] = [(number, row)]
    for key, found in skipped.items():
        warnings.append(_skipped_record(sheet.source, found, key.split(":")[0]))

    def cell(row: list[str], j: int) -> str:
        return _unneutralize(row[j]) if j < len(row) else ""

    columns = {column: [cell(row, j) for _, row in body] for column, j in positions.items()}
    if len(notes) > 1:
        columns["note"] = [
            "；".join(t for t in (cell(row, j).strip() for j in notes) if t) for _, row in body
        ]
    raw = pd.DataFrame(columns, dtype=object, index=pd.RangeIndex(len(body)))
    numbers = [number for number, _ in body]
    table = parse_table(
        raw,
        name,
        source=sheet.source,
        rows=numbers,
        headers=written,
        problems=problems,
        warnings=warnings,
    )
    table.attrs["rows"] = numbers
    table.attrs["headers"] = written
    table.attrs["source"] = sheet.source
    return table


def _duplicate_header(
    source: str,
    row: int,
    text: str,
    column: str,
    written: dict[str, str],
    j: int,
    positions: dict[str, int],
) -> Problem:
    """Two columns of one sheet mean the same column."""
    a, b = _letter(positions[column]), _letter(j)
    other = written[column]
    zh = TABLES_COLUMN_ZH.get(column, column)
    return Problem(
        source,
        row,
        text.strip(),
        None,
        f"one column for {column}; it also appears as {other!r} (columns {a} and {b})",
        "Delete or rename one of the two columns.",
        f"只有一列「{zh}」（第 {a} 列「{other}」也是这一列）",
        "请删去其中一列，或给它改个表头。",
        kind="duplicate_column",
        statement=(
            f"{place(source, 'en', [row])}: the headers {other!r} (column {a}) and "
            f"{text.strip()!r} (column {b}) both name {column}; there should be one column "
            f"for {column}.",
            f"{place(source, 'zh', [row])}表头「{other}」（{a} 列）和「{text.strip()}」（{b} 列）"
            f"都表示「{zh}」，只能有一列。",
        ),
    )


def _loose_record(source: str, row: int, text: str, col) -> Problem:
    """A header read as a column it probably, not surely, means."""
    return Problem(
        source,
        row,
        text,
        text,
        f"read as the column {col.zh} ({col.name})",
        f"If the column holds {col.zh} ({col.name}), head it {col.zh} to silence this "
        "warning; if not, give it another header and it will not be read.",
        f"已按「{col.zh}」列读取",
        f"如这一列确是「{col.zh}」，请把表头改为「{col.zh}」；如不是，请换个表头，这一列就不会被读取。",
        kind="guess",
        statement=(
            f"{place(source, 'en', [row])}: the header {text!r} was read as the column "
            f"{col.zh} ({col.name}), which it probably means.",
            f"{place(source, 'zh', [row])}表头「{text}」已按「{col.zh}」列读取。",
        ),
    )


def _notes_record(source: str, row: int, headers: list[str], positions: list[int]) -> Problem:
    """Several columns of notes, joined into one."""
    cols = [_letter(j) for j in positions]
    return Problem(
        source,
        row,
        headers[0],
        " / ".join(headers),
        "the notes of every such column, joined",
        "Keep one notes column to silence this warning.",
        "各列备注合并为一条",
        "如只需一列备注，请把其余的删去或改名。",
        kind="merged_columns",
        statement=(
            f"{place(source, 'en', [row])}: {len(headers)} columns hold notes ("
            + ", ".join(f"{h!r} in column {c}" for h, c in zip(headers, cols, strict=True))
            + "); their texts were joined into one note per row.",
            f"{place(source, 'zh', [row])}有 {len(headers)} 列备注（"
            + "、".join(f"{c} 列「{h}」" for h, c in zip(headers, cols, strict=True))
            + "），每行的内容已合并为一条备注。",
        ),
    )


#: Column code -> its Chinese header (the first table that has it), for messages.
TABLES_COLUMN_ZH = {c.name: c.zh for t in reversed(list(TABLES.values())) for c in t.columns}
