"""The casebook's workbook (:func:`write_casebook`), beside the HTML book.

Sheets, in the chosen language: every salon record in the book's order (沙龙记录) and
the number of records per topic and kind (分类统计), numbers as numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mentormatch.export._common import export, pick, write_book
from mentormatch.workbook import Gap, Heading, Sheet, Table

__all__ = ["write_casebook", "casebook_sheets", "SHEETS", "CASEBOOK_LABELS"]

#: Sheet names: (Chinese, English).
SHEETS = {
    "records": ("沙龙记录", "Records"),
    "counts": ("分类统计", "Counts"),
}
#: Headers of the casebook workbook's columns: (Chinese, English, kind).
CASEBOOK_LABELS = {
    "record_id": ("记录编号", "Record ID", "text"),
    "topic_label": ("议题", "Topic", "text"),
    "kind_label": ("类别", "Kind", "text"),
    "record_month": ("月份", "Month", "text"),
    "group": ("小组", "Group", "int"),
    "contributor": ("书记", "Secretary", "text"),
    "community": ("居民区", "Community", "text"),
    "text": ("内容", "Text", "text"),
    "reply_to": ("所答疑问编号", "In reply to (record ID)", "text"),
    "n_records": ("合计", "Total", "int"),
}


def write_casebook(d, records: pd.DataFrame, path, *, lang: str = "zh") -> Path:
    """Write the casebook's workbook (``.xlsx``; ``.csv``: the records sheet).

    ``records`` is :func:`mentormatch.salon_book.compile_records` of ``d``. The same
    records give the same bytes.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> import mentormatch as mm
    >>> from mentormatch.salon_book import compile_records
    >>> d = mm.synthesize_district(seed=1)
    >>> r = pd.DataFrame({"record_id": ["I1"], "month": "2025-03", "group": 1,
    ...     "topic": "parking", "kind": "idea", "text": "Share spaces by the hour."})
    >>> d = d.replace(salon_records=r)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_casebook(d, compile_records(d), pathlib.Path(tmp) / "c.xlsx")
    ...     out.name
    'c.xlsx'
    """
    return write_book(
        d,
        path,
        ("沙龙案例集", "the salon casebook"),
        ("一午一时沙龙案例集", "Salon casebook"),
        lang,
        lambda lang: casebook_sheets(d, records, lang),
    )


def casebook_sheets(d, records: pd.DataFrame, lang: str = "zh") -> dict[str, Sheet]:
    """The casebook workbook's sheets, by sheet name (see :func:`write_casebook`)."""
    i = 0 if lang == "zh" else 1
    return {
        SHEETS["records"][i]: _records(records, lang),
        SHEETS["counts"][i]: _counts(d, records, lang),
    }


def _records(records: pd.DataFrame, lang: str) -> Sheet:
    from mentormatch.salon_book.compile import kind_label, topic_label

    unsigned = pick("未署名", "unsigned", lang)
    df = pd.DataFrame(
        {
            "record_id": records["record_id"],
            "topic_label": [topic_label(t, lang) for t in records["topic"]],
            "kind_label": [kind_label(k, lang) for k in records["kind"]],
            "record_month": records["month"],
            "group": records["group"].astype("int64"),
            "contributor": records["contributor"].where(records["contributor"].notna(), unsigned),
            "community": records["community"],
            "text": records["text"],
            "reply_to": records["reply_to"],
        }
    )
    frame, kinds = export(df, lang, CASEBOOK_LABELS)
    return Sheet([Table(frame, kinds)], autofilter=True, max_width=60)


def count_table(records: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Records per topic (rows, in the book's order, then a total row) and kind
    (columns, then the total), labelled in ``lang``; counts as integers. Topics as
    the book shows them: an answer counts under the topic of the question it
    answers."""
    from mentormatch.salon_book.compile import (
        KIND_ORDER,
        kind_label,
        sections,
        topic_label,
        topic_order,
    )
    from mentormatch.salon_book.words import PLURALS

    order = topic_order(records)
    table = (
        pd.crosstab(sections(records), records["kind"])
        .reindex(index=order, columns=list(KIND_ORDER), fill_value=0)
        .astype("int64")
    )
    table["n_records"] = table.sum(axis=1)
    table.loc["__total__"] = table.sum(axis=0)
    header = CASEBOOK_LABELS["topic_label"][0 if lang == "zh" else 1]
    out = pd.DataFrame(
        {
            header: [
                pick("合计", "Total", lang) if t == "__total__" else topic_label(t, lang)
                for t in table.index
            ]
        }
    )
    for kind in KIND_ORDER:
        header = kind_label(kind, lang) if lang == "zh" else PLURALS[kind]
        out[header] = table[kind].to_numpy()
    out[CASEBOOK_LABELS["n_records"][0 if lang == "zh" else 1]] = table["n_records"].to_numpy()
    return out


def _counts(d, records: pd.DataFrame, lang: str) -> Sheet:
    from mentormatch.salon_book.compile import counts_sentence
    from mentormatch.salon_book.words import w

    out = count_table(records, lang)
    kinds = {c: ("text" if n == 0 else "int") for n, c in enumerate(out.columns)}
    blocks: list = [
        Heading(w("title", lang), level=1),
        Heading(counts_sentence(records, lang), level=3),
    ]
    if d.synthetic:
        blocks.append(Heading(w("synthetic", lang), level=3))
    blocks += [Gap(), Table(out, kinds)]
    return Sheet(blocks, freeze=False, print_header=False)
