"""A blank roster workbook that a district office fills in (``mentormatch template``).

:func:`write_template` writes one sheet per table of :data:`mentormatch.schema.TABLES`,
with the headers :func:`mentormatch.load_district` reads (Chinese, or the English
column codes under ``lang="en"``), an instructions sheet first, and Excel data
validation so that typos cannot happen at entry:

* every vocabulary column (sub-district/town, community type, education, gender,
  dimension, source, career event, rule) gets a drop-down of the vocabulary's labels,
  kept on a hidden sheet of lists (Excel allows 255 characters in an inline list);
* a list column (several challenges) gets the same drop-down with a *warning* rather
  than a refusal, since a cell of several values separated by 、 is not one item of
  the list, and an input message listing the accepted labels;
* yes/no columns a 是/否 drop-down; whole numbers, years, numbers and shares numeric
  validation with the schema's bounds; an ID that is a table's key must be unique in
  its column; an ID that refers to another table offers that table's IDs.

Required columns have a red header; every header carries a comment saying what the
column holds, how to write it and an example. The same call gives the same bytes.
Everything is built from the schema, so a column added there appears here.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from mentormatch import lang as _lang
from mentormatch.errors import DataError, Problem
from mentormatch.io import _rewrite_zip_deterministic, atomic_path
from mentormatch.schema import REQUIRED_TABLES, TABLE_ORDER, TABLES, Column, Table
from mentormatch.vocab import Vocabulary
from mentormatch.workbook import NUMBER_FORMATS, display_width

__all__ = [
    "write_template",
    "sheet_title",
    "header",
    "instructions_title",
    "lists_title",
    "FIRST_ROW",
    "LAST_ROW",
]

#: Data validation covers these rows of every table sheet (the whole sheet below the
#: header: the assessments table alone holds 16 rows per secretary and year).
FIRST_ROW = 2
LAST_ROW = 1_048_576
#: Excel's limits on data-validation texts (longer ones make Excel repair the file).
_PROMPT_MAX, _ERROR_MAX, _TITLE_MAX = 255, 225, 32
#: The separator written between the items of a list (the loader reads both, and ,).
_SEPS = {"zh": "、", "en": "; "}
_SEP = _SEPS["zh"]
_AUTHOR = "mentormatch"
_RED = "C00000"
_REQUIRED_FILL = "FCE4D6"
_OPTIONAL_FILL = "DDE5F0"

# --- Words -----------------------------------------------------------------------------

_TABLE_DOC = {
    "secretaries": (
        "每位书记一行：基本情况、现任职居民区（村）及其主要难题、本轮是否需要带教。"
        "已离任的书记也保留，离任情况填在「履职」表",
        "One row per secretary: who they are, the community they serve and its main "
        "challenges, whether they need a mentor this cycle. Keep departed secretaries; "
        "their departure goes in the career table",
    ),
    "mentors": (
        "每位带教老师一行：所在街镇、书记年限、熟悉的小区类型、擅长领域和带教名额",
        "One row per mentor: sub-district/town, years as secretary, community types "
        "known, expertise and places",
    ),
    "bases": (
        "每个实教实训基地一行：所在居民区、带教主题和接待名额",
        "One row per practice base: its community, training themes and places",
    ),
    "assessments": (
        "组织力评估得分：每位书记、每个年度、每个维度、每个评价来源一行",
        "Organizational-capacity scores: one row per secretary, year, dimension and source",
    ),
    "constraints": (
        "需要回避（禁止）或必须保留的结对，每对一行",
        "Pairs to forbid or to keep, one row per pair",
    ),
    "career": (
        "履职变动（职级晋升、定向招录公务员、离任），每件一行",
        "Career events (rank promotion, recruited as civil servant, left), one row each",
    ),
}

#: What a column holds, per (table, column) or per column name for every table.
_COLUMN_DOC: dict[tuple[str, str] | str, tuple[str, str]] = {
    ("secretaries", "secretary_id"): ("书记的唯一编号", "unique ID of the secretary"),
    ("mentors", "mentor_id"): ("带教老师的唯一编号", "unique ID of the mentor"),
    ("bases", "base_id"): ("基地的唯一编号", "unique ID of the practice base"),
    "secretary_id": ("书记编号", "ID of the secretary"),
    "mentor_id": ("带教老师编号", "ID of the mentor"),
    "name": ("姓名", "name"),
    ("bases", "name"): ("基地名称", "name of the base"),
    "gender": ("性别", "gender"),
    "birth_year": ("出生年份", "year of birth"),
    "education": ("最高学历", "highest education"),
    "appointed_year": (
        "任现居民区（村）书记的年份",
        "year appointed secretary of the current community",
    ),
    "street_town": ("所属街道或镇", "sub-district or town"),
    ("secretaries", "community_id"): (
        "现任职居民区（村）的编号",
        "ID of the community (residents' area or village) served",
    ),
    ("mentors", "community_id"): ("带教老师所在居民区的编号", "ID of the mentor's community"),
    ("bases", "community_id"): ("基地所在居民区的编号", "ID of the base's community"),
    "community_name": ("现任职居民区（村）的名称", "name of the community served"),
    "community_type": ("居民区的主要小区类型", "main housing type of the community"),
    "households": ("居民户数", "number of households"),
    "share_aged_60_plus": ("60岁及以上居民所占比例", "share of residents aged 60 or over"),
    "challenges": ("居民区面临的主要难题", "main challenges of the community"),
    "prior_communities": (
        "以前任职过的居民区编号（可以在区外）",
        "IDs of communities served earlier (may lie outside the district)",
    ),
    "needs_mentor": ("本轮是否需要安排带教老师", "whether a mentor is needed this cycle"),
    "mentored_since": (
        "第一次有带教老师的年份；从未带教则留空",
        "year the secretary first had a mentor; empty if never",
    ),
    "previous_mentor_id": (
        "上一轮的带教老师编号（可以已不在带教队伍中）；没有则留空",
        "mentor in the previous cycle (may have left the programme); empty if none",
    ),
    "years_as_secretary": ("担任书记的年数", "years served as secretary"),
    "community_types": ("熟悉的小区类型", "community types the mentor knows"),
    "expertise": ("擅长解决的难题", "challenges the mentor is good at"),
    ("mentors", "capacity"): ("最多可带教的人数", "most mentees the mentor can take"),
    "min_load": ("至少要带教的人数；不限则留空", "fewest mentees to give; empty if no minimum"),
    "themes": ("可开展场景式带教的主题", "themes of scenario-based training"),
    ("bases", "capacity"): ("可接待的学员人数", "trainees the base can host"),
    "wave": ("评估年度", "year of the assessment"),
    "dimension": ("评估维度", "assessment dimension"),
    "source": ("评价来源", "who gave the score"),
    "score": ("得分", "score"),
    "n_raters": (
        "参与评价的人数（居民扫码为扫码人数）",
        "number of raters (for the residents' QR score, how many scanned)",
    ),
    "rule": ("禁止：不安排这一对；保留：必须安排这一对", "forbid: never this pair; keep: always"),
    "event": ("履职事件", "career event"),
    ("career", "year"): ("事件发生的年份", "year of the event"),
    "note": ("备注，任意文字（不参与计算）", "a note, any text (not used in computing)"),
}

#: An example value per (table, column) or column: a literal, a (zh, en) pair (the IDs
#: of an ID list), or the vocabulary codes whose labels make the example.
_EXAMPLES: dict[tuple[str, str] | str, object] = {
    ("secretaries", "secretary_id"): "S001",
    ("mentors", "mentor_id"): "M01",
    ("bases", "base_id"): "B01",
    "secretary_id": "S001",
    "mentor_id": "M01",
    "name": ("张丽", "Zhang Li"),
    ("mentors", "name"): ("王建华", "Wang Jianhua"),
    ("bases", "name"): ("同心居民区实训基地", "Tongxin practice base"),
    "gender": ["female"],
    "birth_year": 1988,
    "education": ["bachelor"],
    "appointed_year": 2021,
    "street_town": ["taopu"],
    "community_id": "C001",
    ("bases", "community_id"): "C015",
    "community_name": ("同心居民区", "Tongxin"),
    "community_type": ["resettlement"],
    "households": 1800,
    "share_aged_60_plus": ("0.35 或 35%", "0.35 or 35%"),
    "challenges": ["lift_retrofit", "parking"],
    "prior_communities": ("C012", "C031"),
    "needs_mentor": True,
    "mentored_since": 2022,
    "previous_mentor_id": "M03",
    "years_as_secretary": 20,
    "community_types": ["resettlement", "old_public_housing"],
    "expertise": ["hardship", "relocation_disputes", "lift_retrofit"],
    ("mentors", "capacity"): 5,
    "min_load": 2,
    "themes": ["lift_retrofit", "waste_sorting"],
    ("bases", "capacity"): 10,
    "wave": 2023,
    "dimension": ["residents_follow"],
    "source": ["resident_qr"],
    "score": 86.5,
    "n_raters": 120,
    "rule": ["forbid"],
    "event": ["promoted"],
    ("career", "year"): 2023,
    "note": ("产假中", "on maternity leave"),
}

_VOCAB_NAMES = {
    "street_town": ("街镇", "Sub-district/town"),
    "community_type": ("小区类型", "Community type"),
    "challenge": ("难题", "Challenge"),
    "dimension": ("评估维度", "Dimension"),
    "source": ("评价来源", "Source"),
    "education": ("学历", "Education"),
    "gender": ("性别", "Gender"),
    "career_event": ("履职事件", "Career event"),
    "rule": ("规则", "Rule"),
}

_YES_NO = {"zh": ("是", "否"), "en": ("Yes", "No")}


def _t(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en


def _join(items, lang: str) -> str:
    return _SEPS[lang].join(items)


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# --- Names the loader reads ------------------------------------------------------------


def sheet_title(table: str, lang: str = "zh") -> str:
    """The sheet name of ``table`` in the template: Chinese, or English under ``en``.

    Both are names :func:`mentormatch.load_district` recognises.

    >>> sheet_title("secretaries"), sheet_title("secretaries", "en")
    ('书记', 'Secretaries')
    """
    spec = TABLES[table]
    if lang == "zh":
        return spec.zh
    return spec.name.replace("_", " ").capitalize()


def header(column: Column, lang: str = "zh") -> str:
    """The header of ``column``: its Chinese header, or its English code under ``en``
    (the loader reads no other English spelling)."""
    return column.zh if lang == "zh" else column.name


def instructions_title(lang: str = "zh") -> str:
    """The name of the instructions sheet (the loader ignores it)."""
    return _t("填写说明", "Instructions", lang)


def lists_title(lang: str = "zh") -> str:
    """The name of the hidden sheet holding the drop-down lists (the loader ignores it)."""
    return _t("选项", "Lists", lang)


# --- What each column takes ------------------------------------------------------------


def _lookup(table: Table, col: Column, table_map: dict, default: object = None) -> object:
    return table_map.get((table.name, col.name), table_map.get(col.name, default))


def _labels(vocab: Vocabulary, lang: str) -> list[str]:
    return [t.label(lang) for t in vocab]


def _vocab_name(vocab: Vocabulary, lang: str) -> str:
    zh, en = _VOCAB_NAMES.get(vocab.name, (vocab.name, vocab.name.replace("_", " ").capitalize()))
    return _t(zh, en, lang)


def _describe(table: Table, col: Column, lang: str) -> str:
    """What the column holds, in a sentence fragment."""
    found = _lookup(table, col, _COLUMN_DOC)
    if found is not None:
        text = _t(*found, lang)
    elif lang == "en" and col.doc:
        text = col.doc
    else:
        text = header(col, lang)
    for column, target, _ in table.references:
        if column == col.name:
            text += _t(
                f"，须是「{sheet_title(target, lang)}」表中已有的编号",
                f"; must be an ID of the {sheet_title(target, lang)} sheet",
                lang,
            )
    return text


def _range(col: Column, lang: str) -> str:
    low, high = col.low, col.high
    if low is not None and high is not None:
        return _t(
            f" {_number(low)}–{_number(high)}", f" from {_number(low)} to {_number(high)}", lang
        )
    if low is not None:
        return _t(f"，不小于 {_number(low)}", f", at least {_number(low)}", lang)
    if high is not None:
        return _t(f"，不大于 {_number(high)}", f", at most {_number(high)}", lang)
    return ""


def _how(col: Column, lang: str) -> str:
    """How to write a value of the column."""
    kind = col.kind
    if kind == "vocab":
        return _t("从下拉列表中选择一项", "pick one item of the drop-down list", lang)
    if kind == "vocab_list":
        return _t(
            f"可填多项，用顿号「{_SEP}」分隔，每项须是可选值之一",
            "one or more items separated by ; (semicolon), each an accepted value",
            lang,
        )
    if kind == "id_list":
        return _t(f"编号，多个用「{_SEP}」分隔", "IDs separated by ; (semicolon)", lang)
    if kind == "bool":
        yes, no = _YES_NO[lang]
        return _t(f"选择「{yes}」或「{no}」", f"pick {yes} or {no}", lang)
    if kind == "year":
        return _t("四位年份", "a four-digit year", lang) + _range(col, lang)
    if kind == "int":
        return _t("整数", "a whole number", lang) + _range(col, lang)
    if kind == "float":
        return _t("数字", "a number", lang) + _range(col, lang)
    if kind == "share":
        return _t(
            "0 到 1 之间的小数或百分数（0.35 或 35%）",
            "a share from 0 to 1 (0.35 or 35%)",
            lang,
        )
    if kind == "id":
        return _t("编号（文字）", "an ID (text)", lang)
    return _t("文字", "text", lang)


def _example(table: Table, col: Column, lang: str) -> str:
    value = _lookup(table, col, _EXAMPLES)
    if value is None:
        # A column without a written example: one from its kind.
        if col.vocab is not None:
            codes = col.vocab.codes[: 2 if col.kind == "vocab_list" else 1]
            return _join((col.vocab[c].label(lang) for c in codes), lang)
        if col.kind == "bool":
            return _YES_NO[lang][0]
        if col.kind in ("int", "year", "float") and col.low is not None:
            return _number(col.low if col.high is None else round((col.low + col.high) / 2))
        return ""
    if isinstance(value, list):
        return _join((col.vocab[c].label(lang) for c in value), lang)
    if isinstance(value, bool):
        return _YES_NO[lang][0 if value else 1]
    if isinstance(value, tuple):
        return _join(value, lang) if col.kind == "id_list" else _t(*value, lang)
    return str(value)


def _required_word(col: Column, lang: str) -> str:
    return _t("必填", "required", lang) if col.required else _t("选填", "optional", lang)


def _says_only_header(desc: str, col: Column, lang: str) -> bool:
    """Whether a description merely repeats the header (姓名: 姓名)."""
    return desc.lower() in (header(col, lang).lower(), col.zh, col.name.replace("_", " "))


def _comment_text(table: Table, col: Column, lang: str) -> str:
    desc = _describe(table, col, lang)
    lines = [
        _t(
            f"{col.zh}（{_required_word(col, lang)}）",
            f"{col.name} ({_required_word(col, lang)}; Chinese header {col.zh})",
            lang,
        ),
        _t("填写：", "Write: ", lang) + _how(col, lang),
    ]
    if not _says_only_header(desc, col, lang):
        lines.insert(1, desc[0].upper() + desc[1:] if lang == "en" else desc)
    example = _example(table, col, lang)
    if example:
        lines.append(_t("示例：", "Example: ", lang) + example)
    return "\n".join(lines)


# --- Data validation -------------------------------------------------------------------


def _fit(candidates: list[str], limit: int) -> str:
    """The first text within Excel's limit (the last one is short enough by design)."""
    for text in candidates:
        if len(text) <= limit:
            return text
    return candidates[-1][:limit]


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


class _Lists:
    """The hidden sheet of drop-down lists: one column per vocabulary."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.columns: dict[str, tuple[int, Vocabulary]] = {}
        for name in TABLE_ORDER:
            for col in TABLES[name].columns:
                if col.vocab is not None and col.vocab.name not in self.columns:
                    self.columns[col.vocab.name] = (len(self.columns) + 1, col.vocab)

    def reference(self, vocab: Vocabulary) -> str:
        from openpyxl.utils import get_column_letter

        j, _ = self.columns[vocab.name]
        letter = get_column_letter(j)
        return f"{_quoted(lists_title(self.lang))}!${letter}$2:${letter}${len(vocab) + 1}"

    def write(self, ws) -> None:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        for j, vocab in self.columns.values():
            labels = _labels(vocab, self.lang)
            title = _vocab_name(vocab, self.lang)
            ws.cell(row=1, column=j, value=title).font = Font(bold=True)
            for i, text in enumerate(labels, start=2):
                ws.cell(row=i, column=j, value=text).data_type = "s"
            width = max(display_width(x) for x in [title, *labels]) + 2
            ws.column_dimensions[get_column_letter(j)].width = min(60, width)
        ws.freeze_panes = "A2"
        ws.sheet_state = "hidden"


def _validation(table: Table, col: Column, j: int, lists: _Lists, lang: str):
    """The data validation of one column (or ``None``), with its messages."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(j)
    head = header(col, lang)
    how = _how(col, lang)
    desc = _describe(table, col, lang)
    write = _t("填写：", "Write: ", lang) + how
    prompt = [f"{desc}{_t('。', '. ', lang)}{write}", write]
    if _says_only_header(desc, col, lang):
        prompt = prompt[1:]
    kw: dict = {"type": None}
    error: list[str] = []
    style = "stop"
    if col.kind in ("vocab", "vocab_list"):
        labels = _labels(col.vocab, lang)
        listed = _join(labels, lang)
        kw = {"type": "list", "formula1": lists.reference(col.vocab)}
        if col.kind == "vocab":
            error = [
                _t(
                    f"「{head}」请从下拉列表中选择：{listed}",
                    f"{head}: pick one of {listed}",
                    lang,
                ),
                _t(f"「{head}」请从下拉列表中选择。", f"{head}: pick an item of the list.", lang),
            ]
        else:
            # Several items in one cell are not one item of the list: warn, let it pass.
            style = "warning"
            many = _t(
                f"可从下拉列表选一项，或填多项并用「{_SEP}」分隔。可选值：",
                "Pick one item, or type several separated by ;. Accepted: ",
                lang,
            )
            prompt = [
                many + listed,
                many
                + _t(
                    f"见「{instructions_title(lang)}」表",
                    f"see the {instructions_title(lang)} sheet",
                    lang,
                ),
            ]
            error = [
                _t(
                    f"「{head}」的内容不是列表中的一项。填多项（用「{_SEP}」分隔）且每项"
                    "都是可选值时，请点「是」保留；否则点「否」重填。",
                    f"{head}: this is not one item of the list. If you typed several "
                    f"accepted values separated by ;, choose Yes to keep them, "
                    "otherwise choose No and correct the entry.",
                    lang,
                )
            ]
    elif col.kind == "bool":
        yes, no = _YES_NO[lang]
        kw = {"type": "list", "formula1": f'"{yes},{no}"'}
        error = [_t(f"「{head}」请选择「{yes}」或「{no}」。", f"{head}: pick {yes} or {no}.", lang)]
    elif col.kind in ("int", "year", "float", "share"):
        low, high = (0, 1) if col.kind == "share" else (col.low, col.high)
        if low is not None or high is not None:
            kind = "whole" if col.kind in ("int", "year") else "decimal"
            if low is not None and high is not None:
                kw = {
                    "type": kind,
                    "operator": "between",
                    "formula1": _number(low),
                    "formula2": _number(high),
                }
            elif low is not None:
                kw = {"type": kind, "operator": "greaterThanOrEqual", "formula1": _number(low)}
            else:
                kw = {"type": kind, "operator": "lessThanOrEqual", "formula1": _number(high)}
            error = [_t(f"「{head}」应填{how}。", f"{head}: expected {how}.", lang)]
    elif col.kind == "id" and table.key == (col.name,):
        kw = {"type": "custom", "formula1": f"COUNTIF(${letter}:${letter},{letter}{FIRST_ROW})=1"}
        error = [
            _t(
                f"「{head}」在本表中已经用过：每个编号只能出现一次。",
                f"{head}: this ID is already used in this sheet; each ID must be unique.",
                lang,
            )
        ]
    elif col.kind == "id":
        target = next(((t, c) for c_, t, c in table.references if c_ == col.name), None)
        if target is not None:
            other = TABLES[target[0]]
            other_letter = get_column_letter(other.names.index(target[1]) + 1)
            sheet = _quoted(sheet_title(other.name, lang))
            # The IDs typed so far in the other sheet (a list without its empty tail).
            kw = {
                "type": "list",
                "formula1": f"OFFSET({sheet}!${other_letter}${FIRST_ROW},0,0,"
                f"MAX(1,COUNTA({sheet}!${other_letter}:${other_letter})-1),1)",
            }
            style = "warning"
            error = [
                _t(
                    f"「{head}」不是「{sheet_title(other.name, lang)}」表中已有的编号。",
                    f"{head}: not an ID of the {sheet_title(other.name, lang)} sheet.",
                    lang,
                )
            ]
    dv = DataValidation(
        **kw,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=bool(error),
        errorStyle=style if error else None,
        promptTitle=_fit([head, col.name], _TITLE_MAX),
        prompt=_fit(prompt, _PROMPT_MAX),
        errorTitle=_fit([head, col.name], _TITLE_MAX) if error else None,
        error=_fit(error, _ERROR_MAX) if error else None,
    )
    dv.add(f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}")
    return dv


# --- Sheets ----------------------------------------------------------------------------


def _column_format(col: Column) -> str | None:
    if col.kind in ("id", "id_list"):
        return "@"  # IDs stay text: 001 is not the number 1
    if col.kind == "share":
        return "0.0%"
    if col.kind in ("int", "year"):
        return NUMBER_FORMATS[col.kind]
    return None


def _print_setup(ws) -> None:
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _table_sheet(ws, table: Table, lists: _Lists, lang: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for j, col in enumerate(table.columns, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j, value=header(col, lang))
        cell.data_type = "s"
        fill = _REQUIRED_FILL if col.required else _OPTIONAL_FILL
        cell.font = Font(bold=True, color=_RED if col.required else None)
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
        cell.alignment = Alignment(vertical="center")
        text = _comment_text(table, col, lang)
        comment = Comment(text, _AUTHOR)
        comment.width = 320
        comment.height = 26 + 17 * sum(1 + display_width(x) // 48 for x in text.split("\n"))
        cell.comment = comment
        dv = _validation(table, col, j, lists, lang)
        if dv is not None:
            ws.add_data_validation(dv)
        fmt = _column_format(col)
        if fmt:
            ws.column_dimensions[letter].number_format = fmt
        shown = [display_width(header(col, lang)) + 4, display_width(_example(table, col, lang))]
        if col.kind == "vocab":
            shown += [display_width(x) for x in _labels(col.vocab, lang)]
        elif col.kind == "vocab_list":
            shown.append(28)  # room for two or three items
        ws.column_dimensions[letter].width = min(40, max(8, max(shown) + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}1"
    if table.name in REQUIRED_TABLES:
        ws.sheet_properties.tabColor = _RED
    _print_setup(ws)


def _instructions(ws, lists: _Lists, lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    required = [sheet_title(n, lang) for n in TABLE_ORDER if n in REQUIRED_TABLES]
    optional = [sheet_title(n, lang) for n in TABLE_ORDER if n not in REQUIRED_TABLES]
    quoted = "".join(f"「{s}」" for s in required) if lang == "zh" else " and ".join(required)
    yes, no = _YES_NO[lang]
    lists_sheet = lists_title(lang)
    rules = [
        _t(
            f"本工作簿有 {len(TABLE_ORDER)} 张数据表：{quoted}必须填写，"
            f"其余（{'、'.join(optional)}）可以留空，留空即没有这类数据。",
            f"The workbook has {len(TABLE_ORDER)} data sheets: {quoted} must be filled in; "
            f"the others ({', '.join(optional)}) may stay empty (no such data).",
            lang,
        ),
        _t(
            "每张表第 1 行是表头，请不要修改、删除或调换；从第 2 行起每行填一条记录。",
            "Row 1 of each sheet is the header: do not change, delete or reorder it. "
            "From row 2 on, one record per row.",
            lang,
        ),
        _t(
            "红色表头是必填列，黑色表头是选填列。把鼠标停在表头上，可以看到这一列填什么和示例。",
            "Red headers are required columns, black ones optional. Hover over a header "
            "to see what the column holds, with an example.",
            lang,
        ),
        _t(
            "带下拉箭头的单元格请从列表中选择，列表以外的内容会被拒绝。",
            "Where a cell has a drop-down arrow, pick from the list: other entries are refused.",
            lang,
        ),
        _t(
            f"可填多项的列（如「主要难题」「擅长领域」）：多项之间用顿号「{_SEP}」分隔，"
            f"例如 加装电梯{_SEP}停车难；每一项须是下面「可选值」中的写法。",
            "Columns of several items (challenges, expertise, themes): separate items with "
            "; (semicolon), e.g. Lift retrofit; Parking; each item as written under "
            "Accepted values below.",
            lang,
        ),
        _t(
            "年份填四位数字，例如 1985。",
            "Years as four digits, e.g. 1985.",
            lang,
        ),
        _t(
            f"是/否 列选择「{yes}」或「{no}」。占比填 0 到 1 之间的小数或百分数（0.35 或 35%）。",
            f"Yes/no columns: pick {yes} or {no}. Shares: a number from 0 to 1 or a "
            "percentage (0.35 or 35%).",
            lang,
        ),
        _t(
            "编号（书记编号、带教老师编号、基地编号）在本表内不能重复；其他表中的编号须是"
            "「书记」「带教老师」表中已有的编号。",
            "IDs (secretary, mentor, base) must be unique within their sheet; IDs in the "
            "other sheets must be IDs of the Secretaries and Mentors sheets.",
            lang,
        ),
        _t(
            f"本说明表和隐藏的「{lists_sheet}」表（下拉列表的来源）不会被读取；"
            f"请不要删除「{lists_sheet}」表。",
            f"This sheet and the hidden {lists_sheet} sheet (the source of the drop-down "
            f"lists) are not read as data; do not delete the {lists_sheet} sheet.",
            lang,
        ),
        _t(
            "填好后运行 mentormatch validate 名册.xlsx 检查：问题逐条列出（工作表、行、列、"
            "应填什么）。",
            "When done, run mentormatch validate roster.xlsx: every problem is listed "
            "(sheet, row, column, what is expected).",
            lang,
        ),
    ]
    bold = Font(bold=True)
    shade = PatternFill("solid", start_color=_OPTIONAL_FILL, end_color=_OPTIONAL_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    rows: list[tuple[str, list[str]]] = [
        (
            "title",
            [_t("书记带教名册模板 · 填写说明", "Mentoring roster template · Instructions", lang)],
        ),
        ("blank", []),
        ("heading", [_t("如何填写", "How to fill it in", lang)]),
    ]
    rows += [("text", [f"{i}. {rule}"]) for i, rule in enumerate(rules, start=1)]
    rows += [
        ("blank", []),
        ("heading", [_t("各工作表", "The sheets", lang)]),
        (
            "header",
            [
                _t("工作表", "Sheet", lang),
                _t("是否必填", "Required", lang),
                _t("内容", "What it holds", lang),
            ],
        ),
    ]
    for name in TABLE_ORDER:
        need = (
            _t("必填", "required", lang)
            if name in REQUIRED_TABLES
            else _t("选填", "optional", lang)
        )
        rows.append(
            (
                "row",
                [
                    sheet_title(name, lang),
                    need,
                    _t(*_TABLE_DOC.get(name, (TABLES[name].doc, TABLES[name].doc)), lang),
                ],
            )
        )
    rows += [
        ("blank", []),
        ("heading", [_t("各列说明", "The columns", lang)]),
        (
            "header",
            [
                _t("工作表", "Sheet", lang),
                _t("是否必填", "Required", lang),
                _t("列（表头）", "Column (header)", lang),
                _t("内容", "What it holds", lang),
                _t("填写方式", "How to write it", lang),
                _t("示例", "Example", lang),
            ],
        ),
    ]
    for name in TABLE_ORDER:
        table = TABLES[name]
        for col in table.columns:
            rows.append(
                (
                    "row",
                    [
                        sheet_title(name, lang),
                        _required_word(col, lang),
                        header(col, lang),
                        _describe(table, col, lang),
                        _how(col, lang),
                        _example(table, col, lang),
                    ],
                )
            )
    rows += [
        ("blank", []),
        ("heading", [_t("可选值", "Accepted values", lang)]),
        (
            "header",
            [_t("名称", "List", lang), _t("个数", "Items", lang), _t("可选值", "Values", lang)],
        ),
    ]
    for _, vocab in lists.columns.values():
        labels = _labels(vocab, lang)
        rows.append(
            (
                "row",
                [
                    _vocab_name(vocab, lang),
                    str(len(labels)),
                    _join(labels, lang),
                ],
            )
        )

    widths = (16, 10, 18, 40, 40, 24)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, (style, values) in enumerate(rows, start=1):
        lines = 1
        for j, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j, value=value)
            cell.data_type = "s"
            if style == "title":
                cell.font = Font(bold=True, size=14)
            elif style == "heading":
                cell.font = Font(bold=True, size=12)
            elif style == "header":
                cell.font = bold
                cell.fill = shade
            else:
                cell.alignment = wrap
            # The last value of a short row spans the rest of the width.
            last = len(widths) if j == len(values) else j
            if last > j:
                ws.merge_cells(start_row=i, start_column=j, end_row=i, end_column=last)
            room = sum(widths[j - 1 : last]) - 1
            lines = max(lines, -(-display_width(value) // room))
        # Excel does not grow a row for wrapped text in merged cells: set the height.
        ws.row_dimensions[i].height = 24 if style == "title" else 16 * lines + 2
    ws.sheet_view.showGridLines = False
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write_template(path: str | os.PathLike, *, lang: str = "zh") -> Path:
    """Write a blank roster workbook for a district office to fill in.

    Parameters
    ----------
    path : path
        The ``.xlsx`` file to write (atomically; the same call gives the same bytes).
    lang : {"zh", "en"}
        Chinese sheets, headers, drop-down labels and messages (the default), or
        English ones (headers are then the English column codes).

    Returns
    -------
    Path
        Where the template was written.

    Raises
    ------
    DataError
        For an unknown language or a file name not ending in ``.xlsx``.

    Examples
    --------
    >>> import mentormatch as mm, tempfile, os
    >>> from mentormatch.template import write_template
    >>> out = write_template(os.path.join(tempfile.mkdtemp(), "名册模板.xlsx"))
    >>> try:
    ...     mm.load_district(out)
    ... except mm.DataError as err:
    ...     print("refused")
    refused
    """
    from openpyxl import Workbook

    _lang.check(lang)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise DataError(
            Problem(str(path), None, None, None, "a file name ending in .xlsx for the template")
        )
    lists = _Lists(lang)
    wb = Workbook()
    ws = wb.active
    ws.title = instructions_title(lang)
    _instructions(ws, lists, lang)
    for name in TABLE_ORDER:
        _table_sheet(wb.create_sheet(sheet_title(name, lang)), TABLES[name], lists, lang)
    lists.write(wb.create_sheet(lists_title(lang)))
    wb.active = 0
    wb.properties.creator = _AUTHOR
    wb.properties.title = _t("书记带教名册模板", "Mentoring roster template", lang)
    buffer = io.BytesIO()
    wb.save(buffer)
    with atomic_path(path) as tmp:
        _rewrite_zip_deterministic(buffer.getvalue(), tmp)
    return path
