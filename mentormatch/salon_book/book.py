"""Writing the casebook: the HTML book and its workbook, side by side."""

from __future__ import annotations

import os
from pathlib import Path

from mentormatch.district import District
from mentormatch.errors import DataError, Problem
from mentormatch.io import atomic_path
from mentormatch.lang import check
from mentormatch.salon_book.compile import compile_records
from mentormatch.salon_book.html import render
from mentormatch.salon_book.words import w

__all__ = ["casebook", "casebook_paths", "FILE_NAME"]

#: The book's file name when ``out`` is a folder (the workbook: the same, ``.xlsx``).
FILE_NAME = "casebook.html"


def casebook_paths(out: str | os.PathLike) -> tuple[Path, Path]:
    """Where the book and its workbook go: ``(html, xlsx)``.

    ``out`` ending in ``.html`` is the book itself, with the workbook of the same name
    beside it; an existing folder, or a name without an extension, is a folder that
    receives ``casebook.html`` and ``casebook.xlsx``. Any other name is a
    :class:`~mentormatch.DataError`.

    >>> [p.as_posix() for p in casebook_paths("out/salon.html")]
    ['out/salon.html', 'out/salon.xlsx']
    >>> [p.as_posix() for p in casebook_paths("out")]
    ['out/casebook.html', 'out/casebook.xlsx']
    """
    path = Path(out)
    if path.suffix.lower() == ".html":
        return path, path.with_suffix(".xlsx")
    if path.is_dir() or not path.suffix:
        book = path / FILE_NAME
        return book, book.with_suffix(".xlsx")
    fill = {"name": path.name, "fixed": path.with_suffix(".html").name}
    raise DataError(
        Problem(
            str(path),
            None,
            None,
            path.suffix,
            "an output named .html, or a folder",
            kind="output_format",
            statement=(w("bad_out", "en", **fill), w("bad_out", "zh", **fill)),
        )
    )


def casebook(
    d: District, out: str | os.PathLike, *, lang: str = "zh", pseudonymize: bool = False
) -> Path:
    """Compile the salon records by topic into one HTML book, with a workbook beside it.

    The book has a title, a line saying the data are synthetic when they are, the
    counts, a table of contents and one section per topic (most records first): its
    ideas (金点子), cases (好案例) and questions (疑问), each question followed by its
    answers (答复, linked by ``reply_to``), every record with its month, group and
    contributor (name and community). Labels come from the vocabulary, in ``lang``;
    the records' texts stay as written. The workbook (see
    :func:`mentormatch.export.casebook_book.write_casebook`) lists every record and the
    counts per topic and kind. The page is self-contained (its stylesheet inline, no
    script), every text escaped; the same data give the same bytes; each file is
    written whole or not at all.

    Parameters
    ----------
    d : District
        With a ``salon_records`` table (沙龙记录).
    out : path
        ``NAME.html`` (the workbook is ``NAME.xlsx`` beside it), or a folder (made if
        needed) that receives ``casebook.html`` and ``casebook.xlsx``.
    lang : {"zh", "en"}
        The language of the book and the workbook.
    pseudonymize : bool
        Names of secretaries and communities as the codes of
        :meth:`District.pseudonymized`, and every name of a secretary, mentor, practice
        base or community inside a record's text replaced by its code.

    Returns
    -------
    Path
        The HTML book.

    Raises
    ------
    DataError
        No salon records (nothing is written), an unknown ``lang`` or an output name
        that is neither ``.html`` nor a folder.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> r = pd.DataFrame({"record_id": ["Q1", "A1"], "month": "2025-03", "group": 1,
    ...     "topic": "parking", "kind": ["question", "answer"], "reply_to": [None, "Q1"],
    ...     "text": ["Who parks where at night?", "A rota agreed at the residents' meeting."]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     book = casebook(d.replace(salon_records=r), tmp, lang="en")
    ...     sorted(p.name for p in book.parent.iterdir())
    ['casebook.html', 'casebook.xlsx']
    """
    from mentormatch.export.casebook_book import write_casebook

    lang = check(lang)
    page, workbook = casebook_paths(out)
    records = compile_records(d, pseudonymize=pseudonymize)
    text = render(
        records,
        lang=lang,
        synthetic=bool(d.synthetic),
        pseudonymized=pseudonymize,
        workbook=workbook.name,
    )
    write_casebook(d, records, workbook, lang=lang)
    with atomic_path(page) as tmp:
        tmp.write_bytes(text.encode("utf-8"))
    return page
