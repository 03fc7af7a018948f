"""The salon records put in the casebook's order, with who wrote them, names scrubbed
when asked.

:func:`compile_records` is the one place that reads ``d.salon_records``: the HTML book
(:mod:`mentormatch.salon_book.html`) and the workbook
(:mod:`mentormatch.export.casebook_book`) both take its table, so they show the same
records in the same order with the same names.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.district import COMMUNITY_SUFFIXES, District, name_codes
from mentormatch.district import scrub as _scrub
from mentormatch.errors import DataError, Problem
from mentormatch.salon_book.words import month_text, w
from mentormatch.vocab import RECORD_KINDS, TOPICS

__all__ = [
    "RECORD_COLUMNS",
    "KIND_ORDER",
    "COMMUNITY_SUFFIXES",
    "compile_records",
    "topic_order",
    "scrub",
    "name_codes",
    "counts_sentence",
    "kind_label",
    "topic_label",
    "sections",
]

#: The columns of :func:`compile_records`.
RECORD_COLUMNS = [
    "record_id",
    "topic",
    "kind",
    "month",
    "group",
    "secretary_id",
    "contributor",
    "community",
    "text",
    "reply_to",
    "thread",
    "section",
]
#: The order of the kinds in a topic's section: ideas, cases, questions (each with its
#: answers); answers that answer nothing in the records come last.
KIND_ORDER = ("idea", "case", "question", "answer")


def _no_records() -> DataError:
    zh, en = w("no_records", "zh"), w("no_records", "en")
    return DataError(
        Problem(
            "salon_records",
            None,
            None,
            None,
            "a salon_records table with at least one row",
            kind="missing_table",
            statement=(en, zh),
        )
    )


def compile_records(d: District, *, pseudonymize: bool = False) -> pd.DataFrame:
    """The salon records in the casebook's order, with each contributor's name and
    community.

    Topics come in :func:`topic_order` (most records first); within a topic, ideas,
    then cases, then questions, each by month, group and roster order; an answer
    follows the record it answers (``reply_to``; an answer to an answer follows the
    question at the head of the thread), in its month order, and belongs to that
    record's topic in the book (its ``section``) even if the answer names another.
    Answers whose ``reply_to`` is empty or names no record close their own topic.

    Parameters
    ----------
    d : District
    pseudonymize : bool
        Contributors and communities as the codes of :meth:`District.pseudonymized`,
        and every secretary's, mentor's, practice base's and community's name inside a
        record's text replaced by its code (see :func:`scrub`).

    Returns
    -------
    DataFrame
        One row per record (see :data:`RECORD_COLUMNS`): codes for ``topic`` and
        ``kind``, ``contributor`` and ``community`` (NaN for an unsigned record),
        ``text`` (scrubbed when pseudonymised), ``reply_to`` as in the roster and
        ``thread``: the record_id of the record an answer is shown under (NaN for
        the others and for answers that answer nothing in the records), and
        ``section``: the topic the book shows the record under (its own, or for an
        answer in a thread the topic of the thread's question).

    Raises
    ------
    DataError
        The district has no salon records.

    Examples
    --------
    >>> import mentormatch as mm, pandas as pd
    >>> d = mm.synthesize_district(seed=1)
    >>> s = d.secretaries.iloc[0]
    >>> records = pd.DataFrame({"record_id": ["Q1", "A1"], "month": "2025-03",
    ...     "group": 1, "topic": "parking", "secretary_id": s["secretary_id"],
    ...     "kind": ["question", "answer"], "reply_to": [None, "Q1"],
    ...     "text": [f"How did {s['community_name']} share its parking?", "By the hour."]})
    >>> book = compile_records(d.replace(salon_records=records), pseudonymize=True)
    >>> book["thread"].tolist()
    [nan, 'Q1']
    >>> s["community_name"] in book["text"].iloc[0], book["text"].iloc[0][:10]
    (False, 'How did C-')
    """
    r = d.salon_records
    if r is None or r.empty:
        raise _no_records()
    r = r.reset_index(drop=True)
    shown = d.pseudonymized() if pseudonymize else d
    people = shown.secretaries.set_index("secretary_id")
    sid = r["secretary_id"]
    contributor = sid.map(people["name"])
    community = sid.map(people["community_name"])
    # Pseudonymised, the records' texts are those of d.pseudonymized(): scrubbed.
    text = shown.salon_records["text"].reset_index(drop=True).fillna("").astype(str)
    ids = r["record_id"].astype(str).tolist()
    kinds = r["kind"].tolist()
    thread = _threads(ids, kinds, r["reply_to"].tolist())
    topic_of = dict(zip(ids, r["topic"].tolist(), strict=True))
    section = [
        topic_of[head] if isinstance(head, str) else topic
        for head, topic in zip(thread, r["topic"].tolist(), strict=True)
    ]
    out = pd.DataFrame(
        {
            "record_id": _as_text(r["record_id"]),
            "topic": _as_text(r["topic"]),
            "kind": _as_text(r["kind"]),
            "month": _as_text(r["month"]),
            "group": r["group"].astype("int64"),
            "secretary_id": _as_text(sid),
            "contributor": _as_text(contributor),
            "community": _as_text(community),
            "text": _as_text(text),
            "reply_to": _as_text(r["reply_to"]),
            "thread": _as_text(pd.Series(thread, dtype=object)),
            "section": _as_text(pd.Series(section, dtype=object)),
        },
        columns=RECORD_COLUMNS,
    )
    return out.loc[_book_order(out)].reset_index(drop=True)


def _as_text(values: pd.Series) -> pd.Series:
    """Text with missing cells kept missing (pandas 2's ``astype("str")`` writes them
    as the text 'nan')."""
    s = values.reset_index(drop=True)
    missing = s.isna()
    text = s.astype("str")
    return text.where(~missing, np.nan) if missing.any() else text


def _threads(ids: list[str], kinds: list[str], reply_to: list[object]) -> list[object]:
    """For each answer, the record_id at the head of its thread (a record that is not
    an answer), or NaN when the chain leads to nothing in the records."""
    position = {}
    for i, rid in enumerate(ids):
        position.setdefault(rid, i)
    out: list[object] = []
    for i, kind in enumerate(kinds):
        if kind != "answer":
            out.append(np.nan)
            continue
        seen, at = {i}, i
        head: object = np.nan
        while True:
            target = reply_to[at]
            if not isinstance(target, str) or target not in position:
                break
            at = position[target]
            if at in seen:
                break
            seen.add(at)
            if kinds[at] != "answer":
                head = ids[at]
                break
        out.append(head)
    return out


def topic_order(records: pd.DataFrame) -> list[str]:
    """Topic codes by number of records, most first (ties in the order of
    :data:`~mentormatch.vocab.TOPICS`); by ``section`` when the records have one.

    >>> import pandas as pd
    >>> topic_order(pd.DataFrame({"topic": ["parking", "ageing", "parking", "ageing"]}))
    ['ageing', 'parking']
    """
    counts = sections(records).value_counts()
    codes = list(TOPICS.codes)
    return sorted(
        counts.index.tolist(),
        key=lambda c: (-int(counts[c]), codes.index(c) if c in codes else len(codes), c),
    )


def sections(records: pd.DataFrame) -> pd.Series:
    """The topic each record is shown under in the book."""
    return records["section"] if "section" in records.columns else records["topic"]


def _book_order(out: pd.DataFrame) -> list[int]:
    """Row positions in the book's order (see :func:`compile_records`)."""
    order = topic_order(out)
    month = out["month"].tolist()
    group = out["group"].tolist()
    ids = out["record_id"].tolist()
    heads: dict[str, list[int]] = {}
    for i in np.flatnonzero(out["thread"].notna().to_numpy()):
        heads.setdefault(out["thread"].iat[i], []).append(int(i))
    kind_rank = {k: n for n, k in enumerate(KIND_ORDER)}
    placed: list[int] = []
    for topic in order:
        here = [i for i in range(len(out)) if out["section"].iat[i] == topic]
        heads_here = [i for i in here if out["kind"].iat[i] != "answer"]
        heads_here.sort(key=lambda i: (kind_rank.get(out["kind"].iat[i], 9), month[i], group[i], i))
        loose = [
            i for i in here if out["kind"].iat[i] == "answer" and pd.isna(out["thread"].iat[i])
        ]
        loose.sort(key=lambda i: (month[i], group[i], i))
        for i in heads_here:
            placed.append(i)
            placed += sorted(heads.get(ids[i], []), key=lambda j: (month[j], group[j], j))
        placed += loose
    return placed


def scrub(texts: pd.Series, d: District) -> pd.Series:
    """``texts`` with every name of :func:`~mentormatch.district.name_codes` replaced by
    its code, the longest names first (so 莲花公寓二村 is not read as 莲花公寓 and 二村),
    as :meth:`District.pseudonymized` does to the salon's records.

    >>> import mentormatch as mm, pandas as pd
    >>> d = mm.synthesize_district(seed=1)
    >>> name, code = d.mentors["name"].iloc[0], d.pseudonymized().mentors["name"].iloc[0]
    >>> scrub(pd.Series([f"{name}老师说"]), d).iloc[0] == f"{code}老师说"
    True
    """
    return _scrub(texts, name_codes(d))


def kind_label(kind: str, lang: str) -> str:
    """The record kind's label (金点子, 好案例...) from the vocabulary."""
    return RECORD_KINDS[kind].label(lang) if kind in RECORD_KINDS else kind


def topic_label(topic: str, lang: str) -> str:
    """The topic's label from the vocabulary."""
    return TOPICS[topic].label(lang) if topic in TOPICS else topic


def counts_sentence(records: pd.DataFrame, lang: str) -> str:
    """How many records, topics and groups, from which month to which.

    >>> import pandas as pd
    >>> r = pd.DataFrame({"topic": ["parking", "ageing"], "group": [1, 2],
    ...                   "month": ["2024-03", "2025-01"]})
    >>> counts_sentence(r, "en")
    '2 records on 2 topics from 2 groups, 2024-03 to 2025-01.'
    """
    months = sorted(records["month"].dropna().unique().tolist())
    n = {"r": len(records), "t": sections(records).nunique(), "g": records["group"].nunique()}
    fill = {
        "records": f"{n['r']:,}",
        "topics": n["t"],
        "groups": n["g"],
        **{f"{k}s": "" if v == 1 else "s" for k, v in n.items()},
        "first": month_text(months[0], lang) if months else "",
        "last": month_text(months[-1], lang) if months else "",
    }
    return w("counts" if len(months) > 1 else "counts_one_month", lang, **fill)
