"""Writing tables safely: deterministic (same table, same bytes), atomic (a failed
write leaves no partial file), and with text that would start a spreadsheet formula
written as text."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["neutralize", "atomic_path", "atomic_directory", "write_csv", "write_xlsx"]

#: Characters that make a spreadsheet treat a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def neutralize(text: str) -> str:
    """Text safe to put in a spreadsheet cell: a formula start is escaped with ``'``.

    >>> neutralize("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralize("王芳")
    '王芳'
    """
    # Text that already starts with quotes before a formula start gets one more, so
    # that reading strips exactly the one added ("'@" is written "''@").
    if isinstance(text, str) and text.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + text
    return text


#: pandas before 3.0 holds text as object (3.0 as str), with NaN for a missing cell.
_TEXT_IS_OBJECT = int(pd.__version__.split(".")[0]) < 3


def _cells(df: pd.DataFrame) -> pd.DataFrame:
    """The table as the text a person should see in each cell."""
    out = {}
    for col in df.columns:
        s = df[col]
        if (
            _TEXT_IS_OBJECT
            and s.dtype == object
            and pd.api.types.infer_dtype(s, skipna=True) == "string"
        ):
            # Text on pandas 2, written as pandas 3 writes its str columns: a missing
            # cell empty (not NaN, which openpyxl writes as a number).
            out[col] = [neutralize(v) if isinstance(v, str) else "" for v in s.tolist()]
        elif s.dtype == object:
            out[col] = [
                ";".join(map(str, v)) if isinstance(v, (tuple, list)) else ("" if v is None else v)
                for v in s.tolist()
            ]
            out[col] = [neutralize(v) if isinstance(v, str) else v for v in out[col]]
        elif s.dtype == bool:
            out[col] = ["true" if v else "false" for v in s.tolist()]
        elif pd.api.types.is_string_dtype(s.dtype):
            out[col] = [neutralize(v) if isinstance(v, str) else "" for v in s.tolist()]
        elif str(s.dtype) == "Int64":
            out[col] = ["" if v is pd.NA else int(v) for v in s.tolist()]
        elif pd.api.types.is_float_dtype(s.dtype):
            out[col] = ["" if np.isnan(v) else _float_text(v) for v in s.tolist()]
        else:
            out[col] = s.tolist()
    return pd.DataFrame(out, columns=df.columns)


def _float_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it replaces ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Keep the suffix: some writers (papermill, openpyxl) check it.
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent
    )
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary folder; on success its files move into ``path`` (created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        path.mkdir(exist_ok=True)
        for item in sorted(tmp.iterdir()):
            os.replace(item, path / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_csv(df: pd.DataFrame, path: str | os.PathLike, *, bom: bool = False) -> None:
    """Write a table as CSV, atomically, with formula-like text escaped.

    ``bom=True`` writes UTF-8 with a byte-order mark, which Excel needs to show Chinese.
    """
    with atomic_path(path) as tmp:
        _cells(df).to_csv(
            tmp, index=False, encoding="utf-8-sig" if bom else "utf-8", lineterminator="\n"
        )


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame], path: str | os.PathLike, *, keywords: str = ""
) -> None:
    """Write tables as sheets of one workbook, atomically and byte for byte reproducibly.

    Text is stored as text, never as a formula, and formula-like text is escaped.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for title, df in sheets.items():
        ws = wb.create_sheet(title=title[:31])
        cells = _cells(df)
        ws.append([str(c) for c in cells.columns])
        for row in cells.itertuples(index=False):
            ws.append(list(row))
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula
        for j, col in enumerate(cells.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in cells[col].head(200)])
            ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, width * 1.3))
        ws.freeze_panes = "A2"
    fixed = dt.datetime(*_FIXED_TIME)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "mentormatch"
    wb.properties.keywords = keywords or None
    buffer = io.BytesIO()
    wb.save(buffer)
    with atomic_path(path) as tmp:
        _rewrite_zip_deterministic(buffer.getvalue(), tmp)


def _rewrite_zip_deterministic(data: bytes, target: Path) -> None:
    """Copy a zip with fixed entry times and fixed "created"/"modified" properties
    (openpyxl stamps the time of saving), so the same content gives the same bytes."""
    fixed_stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*_FIXED_TIME)
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + fixed_stamp.encode() + rb"\g<2>",
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
