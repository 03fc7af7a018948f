"""The roster template (``mentormatch template``), opened as a planner's Excel opens it.

Every expectation comes from the schema and the vocabulary, not from the template's
own code: sheets and headers from :data:`mentormatch.schema.TABLES`, drop-down values
from the labels in :mod:`mentormatch.vocab`, bounds from the columns.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

import mentormatch as mm
from mentormatch.schema import REQUIRED_TABLES, TABLE_ORDER, TABLES
from mentormatch.template import write_template

LANGS = ("zh", "en")
YES_NO = {"zh": ["是", "否"], "en": ["Yes", "No"]}
# The separator between the items of a list cell (English labels hold no 、).
SEP = {"zh": "、", "en": "; "}
INSTRUCTIONS = {"zh": "填写说明", "en": "Instructions"}
# Excel refuses (repairs) a file whose validation texts pass these lengths.
LIMITS = {"prompt": 255, "error": 225, "promptTitle": 32, "errorTitle": 32}


@pytest.fixture(scope="module", params=LANGS)
def made(request, tmp_path_factory) -> tuple[str, Path]:
    lang = request.param
    path = tmp_path_factory.mktemp(f"template-{lang}") / "名册模板.xlsx"
    assert write_template(path, lang=lang) == path
    return lang, path


@pytest.fixture(scope="module")
def book(made):
    lang, path = made
    return lang, load_workbook(path)


def _is_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def _sheet(wb, name: str, lang: str):
    """The sheet of table ``name``: its Chinese name, or its English name (any case)."""
    wanted = TABLES[name].zh if lang == "zh" else name.replace("_", " ")
    found = [ws for ws in wb.worksheets if ws.title.lower() == wanted.lower()]
    assert len(found) == 1, (name, wb.sheetnames)
    return found[0]


def _validation(ws, column: int):
    """The one data validation covering rows 2 to 2001 of a column, or None."""
    letter = get_column_letter(column)
    found = []
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            lo_col, lo_row, hi_col, hi_row = range_boundaries(rng.coord)
            if lo_col <= column <= hi_col and lo_row <= 2 and hi_row >= 2001:
                found.append(dv)
    assert len(found) <= 1, f"{ws.title}!{letter}: several validations"
    return found[0] if found else None


def _list_values(wb, dv) -> list[str]:
    """The values a list validation offers: inline, or read from the range it names."""
    formula = dv.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    m = re.fullmatch(r"'?((?:[^']|'')+?)'?!\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)", formula)
    assert m, f"not a range reference: {formula}"
    sheet = wb[m.group(1).replace("''", "'")]
    cells = sheet[f"{m.group(2)}{m.group(3)}:{m.group(4)}{m.group(5)}"]
    return [c.value for (c,) in cells]


def test_every_table_is_a_sheet_with_the_documented_headers(book):
    lang, wb = book
    tables = [_sheet(wb, name, lang) for name in TABLE_ORDER]
    for name, ws in zip(TABLE_ORDER, tables, strict=True):
        spec = TABLES[name]
        headers = [c.value for c in ws[1]]
        if lang == "zh":
            assert headers == [c.zh for c in spec.columns]
            assert all(_is_cjk(h) for h in headers), headers
            assert _is_cjk(ws.title)
        else:
            assert headers == [c.name for c in spec.columns]
            assert not any(_is_cjk(h) for h in headers)
            assert not _is_cjk(ws.title)
        assert ws.max_row == 1, f"{ws.title}: the template holds no data"
    # Instructions first, the table sheets in the schema's order, every name in lang.
    assert wb.sheetnames[0] == INSTRUCTIONS[lang]
    assert [wb.sheetnames.index(ws.title) for ws in tables] == sorted(
        wb.sheetnames.index(ws.title) for ws in tables
    )
    assert all(_is_cjk(name) == (lang == "zh") for name in wb.sheetnames), wb.sheetnames
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == [INSTRUCTIONS[lang]] + [ws.title for ws in tables]


def test_headers_are_bold_frozen_marked_and_explained(book):
    lang, wb = book
    for name in TABLE_ORDER:
        ws = _sheet(wb, name, lang)
        assert ws.freeze_panes == "A2"
        for col, cell in zip(TABLES[name].columns, ws[1], strict=True):
            assert cell.font.b, f"{ws.title}!{cell.coordinate} is not bold"
            red = cell.font.color is not None and cell.font.color.rgb == "00C00000"
            assert red == col.required, f"{ws.title}!{cell.coordinate}: required mark"
            assert cell.comment is not None, f"{ws.title}!{cell.coordinate}: no comment"
            text = cell.comment.text
            assert ("示例" if lang == "zh" else "Example") in text, text
            assert (
                ("必填" if col.required else "选填")
                if lang == "zh"
                else ("required" if col.required else "optional")
            ) in text
            assert _is_cjk(text.split("\n")[1]) == (lang == "zh"), text
            width = ws.column_dimensions[cell.column_letter].width
            assert width >= mm.workbook.display_width(cell.value) + 2, cell.value


def test_every_vocabulary_column_has_a_drop_down_of_its_labels(book):
    lang, wb = book
    seen = set()
    for name in TABLE_ORDER:
        ws = _sheet(wb, name, lang)
        for j, col in enumerate(TABLES[name].columns, start=1):
            if col.kind not in ("vocab", "vocab_list", "bool"):
                continue
            dv = _validation(ws, j)
            where = f"{ws.title}!{get_column_letter(j)} ({col.name})"
            assert dv is not None and dv.type == "list", where
            expected = YES_NO[lang] if col.kind == "bool" else [t.label(lang) for t in col.vocab]
            assert _list_values(wb, dv) == expected, where
            assert dv.showErrorMessage and dv.error, where
            # A single value must come from the list; several values (、) pass with a warning.
            assert dv.errorStyle == ("warning" if col.kind == "vocab_list" else "stop"), where
            assert _is_cjk(dv.error) == (lang == "zh"), dv.error
            if col.kind == "vocab_list":
                assert SEP[lang].strip() in dv.prompt, where
            seen.add(col.vocab.name if col.vocab else "bool")
    assert {
        "street_town",
        "community_type",
        "challenge",
        "education",
        "gender",
        "bool",
        "rule",
        "career_event",
        "dimension",
        "source",
    } <= seen


def test_numeric_columns_have_the_schema_bounds(book):
    lang, wb = book
    checked = 0
    for name in TABLE_ORDER:
        ws = _sheet(wb, name, lang)
        for j, col in enumerate(TABLES[name].columns, start=1):
            if col.kind not in ("int", "year", "float", "share"):
                continue
            dv = _validation(ws, j)
            where = f"{ws.title}!{get_column_letter(j)} ({col.name})"
            assert dv is not None, where
            assert dv.type == ("whole" if col.kind in ("int", "year") else "decimal"), where
            low, high = (0, 1) if col.kind == "share" else (col.low, col.high)
            if low is not None and high is not None:
                assert dv.operator in (None, "between"), where
                assert (float(dv.formula1), float(dv.formula2)) == (low, high), where
            else:
                assert dv.operator == "greaterThanOrEqual", where
                assert float(dv.formula1) == low, where
            assert dv.showErrorMessage and dv.errorStyle in (None, "stop"), where
            assert _is_cjk(dv.error) == (lang == "zh"), dv.error
            checked += 1
    assert checked >= 12


def test_ids_are_unique_and_references_offer_the_other_sheets_ids(book):
    lang, wb = book
    for name in TABLE_ORDER:
        spec = TABLES[name]
        ws = _sheet(wb, name, lang)
        if len(spec.key) == 1:
            dv = _validation(ws, spec.names.index(spec.key[0]) + 1)
            assert dv.type == "custom" and dv.formula1.startswith("COUNTIF("), name
        for column, target, target_col in spec.references:
            dv = _validation(ws, spec.names.index(column) + 1)
            other = _sheet(wb, target, lang).title
            letter = get_column_letter(TABLES[target].names.index(target_col) + 1)
            assert dv.type == "list" and f"'{other}'!${letter}$2" in dv.formula1, dv.formula1


def test_validation_texts_fit_excels_limits(book):
    _, wb = book
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            for attr, limit in LIMITS.items():
                text = getattr(dv, attr) or ""
                assert len(text) <= limit, (ws.title, attr, text)
            assert dv.formula1 is None or len(dv.formula1) <= 255


def test_instructions_say_what_each_sheet_is_for(book):
    lang, wb = book
    ws = wb[INSTRUCTIONS[lang]]
    rows = [[c.value for c in row] + [None] * 6 for row in ws.iter_rows()]
    text = "\n".join(str(v) for row in rows for v in row if v)
    # One line per sheet: its name, required or optional, and what it is for.
    for name in TABLE_ORDER:
        need = ("必填", "选填") if lang == "zh" else ("required", "optional")
        need = need[0] if name in REQUIRED_TABLES else need[1]
        title = _sheet(wb, name, lang).title
        lines = [r for r in rows if r[:2] == [title, need] and r[3] is None]
        assert len(lines) == 1 and len(lines[0][2]) > 10, (title, lines)
    # One line per column of every sheet, in the schema's order.
    for name in TABLE_ORDER:
        title = _sheet(wb, name, lang).title
        listed = [r[2] for r in rows if r[0] == title and r[3] is not None]
        expected = [c.zh if lang == "zh" else c.name for c in TABLES[name].columns]
        assert listed == expected, title
    assert SEP[lang].strip() in text  # how to write lists
    assert ("不会被读取" if lang == "zh" else "not read") in text
    assert all(w in text for w in YES_NO[lang])
    for vocab in {
        c.vocab.name: c.vocab for t in TABLES.values() for c in t.columns if c.vocab
    }.values():
        assert all(t.label(lang) in text for t in vocab), vocab.name


def test_two_writes_give_the_same_bytes(made, tmp_path):
    lang, path = made
    again = write_template(tmp_path / "again.xlsx", lang=lang)
    assert again.read_bytes() == path.read_bytes()
    # The same bytes at any time, not just within the same second: fixed time stamps.
    with zipfile.ZipFile(path) as z:
        assert {info.date_time for info in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    stamps = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
    assert stamps == ["2000-01-01T00:00:00Z"] * 2, core


def test_bad_language_and_extension_are_refused(tmp_path):
    with pytest.raises(mm.DataError):
        write_template(tmp_path / "t.xlsx", lang="fr")
    with pytest.raises(mm.DataError):
        write_template(tmp_path / "t.csv")
    assert not list(tmp_path.iterdir())


def test_the_empty_template_says_there_are_no_secretaries_yet(made):
    _, path = made
    with pytest.raises(mm.DataError) as err:
        mm.load_district(path)
    problems = err.value.problems
    assert {p.source.split("[")[-1].rstrip("]") for p in problems} == {
        _sheet(load_workbook(path), n, made[0]).title for n in REQUIRED_TABLES
    }
    assert any("secretaries" in p.expected or "书记" in p.expected for p in problems)
    # Nothing about headers or columns: the headers are the ones the loader reads.
    assert all(p.column is None and p.row is None for p in problems), err.value


# --- Filling the template in --------------------------------------------------------------


def _cell(value, col, lang: str):
    """What a planner enters for one value: a drop-down label, a number, a list with 、."""
    if isinstance(value, tuple):
        if col.kind == "vocab_list":
            return SEP[lang].join(col.vocab[c].label(lang) for c in value) or None
        return SEP[lang].join(value) or None
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if col.kind == "vocab":
        return col.vocab[value].label(lang)
    if col.kind == "bool":
        return YES_NO[lang][0 if value else 1]
    if col.kind in ("int", "year"):
        return int(value)
    if col.kind in ("float", "share"):
        return float(value)
    return str(value)


def _accepts(wb, dv):
    """Whether Excel would accept a value under a column's stop-style list or number rule."""
    if dv is None or dv.errorStyle == "warning":
        return lambda value: True
    if dv.type == "list" and not dv.formula1.startswith("OFFSET"):
        allowed = set(_list_values(wb, dv))
        return lambda value: value is None or value in allowed
    if dv.type in ("whole", "decimal"):
        low = float(dv.formula1)
        high = float(dv.formula2) if dv.formula2 is not None else float("inf")
        whole = dv.type == "whole"
        return lambda value: (
            value is None or (low <= value <= high and (not whole or float(value).is_integer()))
        )
    return lambda value: True


@pytest.fixture(scope="module")
def district() -> mm.District:
    d = mm.synthesize_district(seed=1, n_secretaries=30, n_mentors=3, n_bases=3)
    s, m = d.secretaries, d.mentors
    constraints = pd.DataFrame(
        {
            "secretary_id": [s.secretary_id[0], s.secretary_id[1]],
            "mentor_id": [m.mentor_id[0], m.mentor_id[1]],
            "rule": ["forbid", "keep"],
        }
    )
    return d.replace(constraints=constraints)


def test_the_filled_template_loads_to_the_same_district(made, district, tmp_path):
    lang, path = made
    wb = load_workbook(path)
    for name, df in district.tables.items():
        ws = _sheet(wb, name, lang)
        spec = TABLES[name]
        assert len(df), name
        accepts = [_accepts(wb, _validation(ws, j)) for j in range(1, len(spec.columns) + 1)]
        for i, row in enumerate(df.itertuples(index=False), start=2):
            for j, (col, value) in enumerate(zip(spec.columns, row, strict=True), start=1):
                entered = _cell(value, col, lang)
                assert accepts[j - 1](entered), (ws.title, i, col.name, entered)
                ws.cell(row=i, column=j, value=entered)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    loaded = mm.load_district(filled)
    for name in TABLE_ORDER:
        pd.testing.assert_frame_equal(loaded.tables[name], district.tables[name], obj=name)
    assert loaded == district
