"""Saving a District as a folder of CSV files or one workbook, in English codes or as a
planner types it in Chinese; :func:`~mentormatch.io.load_district` reads either back."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.io.write import atomic_directory, write_csv, write_xlsx
from mentormatch.schema import (
    TABLE_ORDER,
    TABLES,
)

__all__ = ["save_district", "localize", "SYNTHETIC_MARKER"]

#: Beside synthetic tables, a file with this name says so (in a workbook: a keyword).
SYNTHETIC_MARKER = "SYNTHETIC.txt"
_SYNTHETIC_NOTE = (
    "These tables are synthetic (made by mentormatch's synthesizer): no real person.\n"
    "本数据为合成数据，不涉及真实人员。\n"
)


def _written(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The table as saved: without the columns written only when some row has a value
    (the notes), when none has."""
    empty = [
        c.name
        for c in TABLES[name].columns
        if not c.written_if_empty
        and c.name in df.columns
        and not df[c.name].map(lambda v: isinstance(v, str) and v.strip() != "").any()
    ]
    return df.drop(columns=empty) if empty else df


def localize(name: str, df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A table with Chinese headers and values, as a planner would type it.

    Vocabulary codes become Chinese labels (lists joined with 、), booleans 是/否; an
    empty notes column is left out. :func:`load_district` reads it back to the same
    codes. ``lang="en"`` returns ``df`` (without an empty notes column).
    """
    if lang not in ("zh", "en"):
        raise DataError(f"unknown language {lang!r}; expected 'zh' or 'en'")
    df = _written(name, df)
    if lang == "en":
        return df
    spec = TABLES[name]
    out = {}
    for col in spec.columns:
        if col.name not in df.columns:
            continue
        s = df[col.name]
        if col.kind == "vocab":
            labels = col.vocab.labels("zh")
            s = s.map(lambda v, labels=labels: labels.get(v, v) if isinstance(v, str) else v)
        elif col.kind == "vocab_list":
            labels = col.vocab.labels("zh")
            s = s.map(lambda v, labels=labels: "、".join(labels[x] for x in v))
        elif col.kind == "id_list":
            s = s.map("、".join)
        elif col.kind == "bool":
            s = s.map({True: "是", False: "否"})
        out[col.zh] = s
    return pd.DataFrame(out)


def save_district(
    d: District, path: str | os.PathLike, *, lang: str = "en", bom: bool = False
) -> Path:
    """Write a District as a folder of CSV files, or as one workbook if ``path`` ends in .xlsx.

    With ``lang="en"`` headers are the English codes and lists are joined with ``;``;
    with ``lang="zh"`` files or sheets, headers and vocabulary are Chinese, as a planner
    types them. Either way :func:`load_district` gives back an equal District. The write
    is atomic: on failure nothing is left half-written.

    Returns
    -------
    Path
        Where the District was written.
    """
    path = Path(path)
    names = {n: (TABLES[n].zh if lang == "zh" else n) for n in TABLE_ORDER}
    tables = {names[n]: localize(n, df, lang) for n, df in d.tables.items()}
    if path.suffix.lower() == ".xlsx":
        write_xlsx(tables, path, keywords="synthetic" if d.synthetic else "")
        return path
    with atomic_directory(path) as tmp:
        for name, df in tables.items():
            write_csv(df, tmp / f"{name}.csv", bom=bom)
        if d.synthetic:
            (tmp / SYNTHETIC_MARKER).write_text(_SYNTHETIC_NOTE, encoding="utf-8")
    if not d.synthetic and (path / SYNTHETIC_MARKER).exists():
        (path / SYNTHETIC_MARKER).unlink()
    return path
