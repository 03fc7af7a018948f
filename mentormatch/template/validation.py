"""Excel data validation per column: drop-downs of the vocabularies (kept on a hidden
sheet of lists), yes/no, numbers within the schema's bounds, unique keys and IDs of
another sheet, each with its input and error messages."""

from __future__ import annotations

from mentormatch.schema import TABLE_ORDER, TABLES, Column, Table
from mentormatch.template.columns import _describe, _how, _says_only_header
from mentormatch.template.names import (
    _ERROR_MAX,
    _PROMPT_MAX,
    _SEP,
    _TITLE_MAX,
    _YES_NO,
    FIRST_ROW,
    LAST_ROW,
    _join,
    _labels,
    _number,
    _t,
    _vocab_name,
    header,
    instructions_title,
    lists_title,
    sheet_title,
)
from mentormatch.vocab import Vocabulary
from mentormatch.workbook import display_width

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
