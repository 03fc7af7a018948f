"""Tables formatted for people: labels not codes, sensible digits, no raw values.

:func:`for_people` turns any result table into what a reader should see, in one
language: vocabulary codes become labels, lists are joined, booleans read 是/否
(yes/no), missing values read "—", shares read as percentages, and numbers get two
or three significant digits per column. :func:`for_export` gives the same table for a
workbook: labels and 是/否 as text, numbers kept as numbers. Every column must have a
label (:data:`mentormatch.present.labels.COLUMNS` or the ``labels`` argument), so a
code can never reach a reader as a header.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch import lang as _lang
from mentormatch.present.labels import COLUMNS, Column
from mentormatch.vocab import VOCABULARIES
from mentormatch.workbook import number_kind

__all__ = ["MISSING", "for_people", "for_export", "to_html", "cell", "resolve_columns"]

#: What a reader sees where a value is missing.
MISSING = "—"
_YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}
_LIST_SEP = {"zh": "、", "en": ", "}


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and value in ("", "nan", "None", "NaN", "<NA>"):
        return True
    return False


def _label(vocabulary: str, code: object, lang: str) -> str:
    vocab = VOCABULARIES[vocabulary]
    if isinstance(code, str) and code in vocab:
        return vocab[code].label(lang)
    return str(code)


def _decimals(values: np.ndarray, significant: int = 3) -> int:
    """Decimals that give a column's typical value ``significant`` digits (0 to 3)."""
    finite = np.abs(values[np.isfinite(values)])
    finite = finite[finite > 0]
    if finite.size == 0:
        return 0
    if np.all(np.isclose(finite, np.round(finite))):
        return 0
    magnitude = math.floor(math.log10(float(np.median(finite))))
    return int(min(3, max(0, significant - 1 - magnitude)))


def _number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    if abs(value) < 10_000:
        text = text.replace(",", "")
    return "0" if text in ("-0", "-0.0", "-0.00", "-0.000") and decimals == 0 else text


def _percent_decimals(values: np.ndarray) -> int:
    finite = np.abs(values[np.isfinite(values)])
    finite = finite[finite > 0]
    return 1 if finite.size and float(np.min(finite)) < 0.095 else 0


def cell(value: object, kind: str, lang: str, *, decimals: int = 2) -> str:
    """One value as a reader sees it.

    ``kind`` is ``text``, ``int``, ``year``, ``float``, ``percent``, ``bool``,
    ``vocab:<name>``, ``vocabs:<name>`` (a list of codes) or ``list``.

    >>> cell(("ageing", "parking"), "vocabs:challenge", "zh")
    '人口老龄化、停车难'
    >>> cell(0.4567, "percent", "en", decimals=0), cell(True, "bool", "zh")
    ('46%', '是')
    >>> cell(float("nan"), "float", "en")
    '—'
    """
    if isinstance(value, (tuple, list, np.ndarray)):
        if len(value) == 0:
            return MISSING
    elif _missing(value):
        return MISSING
    if kind == "bool":
        yes, no = _YES_NO[lang]
        return yes if bool(value) else no
    if kind.startswith("vocabs:"):
        items = value if isinstance(value, (tuple, list, np.ndarray)) else [value]
        return _LIST_SEP[lang].join(_label(kind[7:], v, lang) for v in items)
    if kind.startswith("vocab:"):
        return _label(kind[6:], value, lang)
    if kind == "list":
        items = value if isinstance(value, (tuple, list, np.ndarray)) else [value]
        return _LIST_SEP[lang].join(str(v) for v in items)
    if kind == "percent":
        return f"{float(value) * 100:.{decimals}f}%"
    if kind == "year":
        return str(int(value))
    if kind == "int":
        return _number(float(value), 0)
    if kind == "float":
        return _number(float(value), decimals)
    if isinstance(value, (bool, np.bool_)):
        return cell(value, "bool", lang)
    if isinstance(value, (float, np.floating)):
        return _number(float(value), decimals)
    return str(value)


@dataclass(frozen=True)
class _Resolved:
    name: str
    header: str
    kind: str


def resolve_columns(
    df: pd.DataFrame, lang: str, labels: Mapping[str, object] | None = None
) -> list[_Resolved]:
    """Header and kind of each column: ``labels`` first, then :data:`COLUMNS`.

    A label is a :class:`~mentormatch.present.labels.Column`, a ``(zh, en)`` or
    ``(zh, en, kind)`` tuple, or a string (the header in every language). A column
    with no label is an error: a reader must never see a code as a header.
    """
    out = []
    for name in df.columns:
        spec = (labels or {}).get(name, COLUMNS.get(name))
        if spec is None:
            raise KeyError(
                f"column {name!r} has no label: add it to mentormatch.present.labels.COLUMNS "
                "or pass labels={...}"
            )
        if isinstance(spec, str):
            spec = Column(spec, spec, _infer_kind(df[name]))
        elif isinstance(spec, tuple):
            spec = Column(*spec) if len(spec) == 3 else Column(*spec, _infer_kind(df[name]))
        out.append(_Resolved(name, spec.zh if lang == "zh" else spec.en, spec.kind))
    headers = [c.header for c in out]
    twice = sorted({h for h in headers if headers.count(h) > 1})
    if twice:
        raise KeyError(f"two columns would read {twice!r}: give one of them another label")
    return out


def _infer_kind(s: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(s.dtype):
        return "bool"
    if number := number_kind(s):
        return number
    if s.map(lambda v: isinstance(v, (tuple, list))).any():
        return "list"
    return "text"


def _frame(df: pd.DataFrame) -> pd.DataFrame:
    """A named index becomes the first column; an unnamed one (row numbers) goes."""
    if isinstance(df, pd.Series):
        df = df.to_frame()
    if all(name is None for name in df.index.names):
        return df.reset_index(drop=True)
    return df.reset_index()


def for_people(
    df: pd.DataFrame | pd.Series,
    *,
    lang: str | None = None,
    labels: Mapping[str, object] | None = None,
    decimals: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """The table as text a reader sees: labelled headers, formatted cells.

    Parameters
    ----------
    df : DataFrame or Series
        Any result table. A named or non-default index becomes the first column.
    lang : {"zh", "en"}, optional
        Default: the current language (:func:`mentormatch.lang.set_language`).
    labels : mapping, optional
        Column -> label for columns :data:`~mentormatch.present.labels.COLUMNS` lacks
        (or to override it).
    decimals : mapping, optional
        Column -> decimals, instead of the per-column choice (three significant digits
        for the typical value; percentages with no decimal unless some are below 10%).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"street_town": ["caoyang"], "share": [0.25], "placed": [True]})
    >>> for_people(t, lang="en", labels={"placed": ("已结对", "Placed", "bool")}).iloc[0].tolist()
    ['Caoyang Xincun', '25%', 'yes']
    """
    lang = _lang.check(lang or _lang.current())
    df = _frame(df)
    columns = resolve_columns(df, lang, labels)
    out = {}
    for col in columns:
        s = df[col.name]
        digits = (decimals or {}).get(col.name)
        if digits is None and col.kind in ("float", "percent"):
            values = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
            digits = _percent_decimals(values) if col.kind == "percent" else _decimals(values)
        out[col.header] = [cell(v, col.kind, lang, decimals=digits or 0) for v in s.tolist()]
    return pd.DataFrame(out, columns=[c.header for c in columns])


def for_export(
    df: pd.DataFrame | pd.Series,
    *,
    lang: str | None = None,
    labels: Mapping[str, object] | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table for a workbook: labelled headers and values, numbers kept as numbers.

    Returns the table and, per header, the kind of its column (``percent``, ``int``,
    ``float``, ``year``, or ``text``) for number formats.
    """
    lang = _lang.check(lang or _lang.current())
    df = _frame(df)
    columns = resolve_columns(df, lang, labels)
    out, kinds = {}, {}
    for col in columns:
        s = df[col.name]
        if col.kind in ("int", "year", "float", "percent"):
            values = pd.to_numeric(s, errors="coerce").astype(float)
            out[col.header] = [None if math.isnan(v) else v for v in values.tolist()]
            kinds[col.header] = col.kind
        else:
            out[col.header] = [
                None if (text := cell(v, col.kind, lang)) == MISSING else text for v in s.tolist()
            ]
            kinds[col.header] = "text"
    return pd.DataFrame(out, columns=[c.header for c in columns]), kinds


_NUMERIC = ("int", "year", "float", "percent")


def to_html(
    shown: pd.DataFrame, kinds: Sequence[str] | None = None, *, css_class: str = "mm-table"
) -> str:
    """A formatted table (from :func:`for_people`) as HTML: escaped, no index, numbers
    aligned right."""
    kinds = list(kinds) if kinds is not None else ["text"] * shown.shape[1]
    align = [' class="num"' if k in _NUMERIC else "" for k in kinds]
    head = "".join(
        f"<th{a}>{html.escape(str(c))}</th>" for c, a in zip(shown.columns, align, strict=True)
    )
    rows = []
    for values in shown.itertuples(index=False):
        cells = "".join(
            f"<td{a}>{html.escape(str(v))}</td>" for v, a in zip(values, align, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return (
        f'<table class="{css_class}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
