"""The instructions sheet (填写说明) that opens the template: how to fill it in, the
sheets, every column and the accepted values."""

from __future__ import annotations

from mentormatch.schema import REQUIRED_TABLES, TABLE_ORDER, TABLES
from mentormatch.template.columns import _describe, _example, _how, _required_word
from mentormatch.template.names import (
    _OPTIONAL_FILL,
    _SEP,
    _YES_NO,
    _join,
    _labels,
    _t,
    _vocab_name,
    header,
    lists_title,
    sheet_title,
)
from mentormatch.template.validation import _Lists
from mentormatch.workbook import display_width

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
