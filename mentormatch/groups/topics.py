"""The salon's topic plan: one common problem a month for all groups (一午一时).

The seed article says the salon takes "one common problem" each session, fed by what
inspection finds (教、查并举). The plan draws on two lists:

* **challenges**, ranked by the share of secretaries in post who name them (most
  first); a challenge enters the list when at least ``min_share`` of them name it;
* **capacity-index dimensions** (组织力评估), ranked by the mean score of the
  secretaries in post at their latest assessed wave (weakest first).

The two lists are merged in a fixed rhythm: every ``dimension_every``-th place (by
default months 3, 6, 9, 12) is the next dimension, the others the next challenge;
when one list runs out, the other fills the remaining places.

**Findings first** (教、查并举). When the district has inspection findings
(``d.findings``, 督查发现), the topics found on inspection come first, the most found
first (ties in the order the plan has without findings, then in the order of
:data:`~mentormatch.vocab.TOPICS`), whether or not secretaries name them or they pass
``min_share``; the other topics follow in the order the plan has without findings.
The findings counted are those of the ``findings_months`` months (12 by default) up to
and including the month of the latest finding: what inspection found in the last
year, not in every year on record. The most found issue is month 1, and each found
topic's reason says how many findings back it (``n_findings``). Without findings the
plan is exactly the plan described above.

Month ``m`` takes place ``m`` of the list; when the months outnumber the list, it
starts again from the top (round 2), so no topic repeats before every topic has had
its month.
"""

from __future__ import annotations

import numbers
import re

import numpy as np
import pandas as pd

from mentormatch.assess import capacity_index
from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.vocab import CHALLENGES, DIMENSIONS, TOPICS

__all__ = [
    "topic_plan",
    "MIN_SHARE",
    "DIMENSION_EVERY",
    "MONTHS",
    "FINDINGS_MONTHS",
    "TOPIC_COLUMNS",
]

#: A challenge is a candidate topic when at least this share of secretaries name it.
MIN_SHARE = 0.10
#: Every this-many-th month takes a dimension of the capacity index.
DIMENSION_EVERY = 3
#: Months in a plan (one salon a month for a year).
MONTHS = 12
#: Findings of this many months, up to the latest finding's month, rank the topics.
FINDINGS_MONTHS = 12
TOPIC_COLUMNS = [
    "month",
    "round",
    "topic",
    "kind",
    "label_zh",
    "label_en",
    "share",
    "n_naming",
    "mean_score",
    "rank",
    "n_findings",
    "why_en",
    "why_zh",
]


def topic_plan(
    d: District,
    months: int = MONTHS,
    *,
    min_share: float = MIN_SHARE,
    dimension_every: int | None = DIMENSION_EVERY,
    findings_months: int = FINDINGS_MONTHS,
) -> pd.DataFrame:
    """A monthly topic plan for the salon: one common problem per month.

    Parameters
    ----------
    d : District
    months : int
        Length of the plan (>= 1).
    min_share : float
        Challenges named by fewer secretaries in post than this share are left out
        (the most frequent challenge is always kept).
    dimension_every : int or None
        Every this-many-th month takes a capacity-index dimension (``None`` or 0:
        challenges only; 1: dimensions first, then challenges). Topics found on
        inspection come first whatever their kind.
    findings_months : int
        How many months of findings rank the topics: those up to and including the
        month of the latest finding (>= 1).

    Returns
    -------
    DataFrame
        One row per month (see :data:`TOPIC_COLUMNS`): ``month`` (1, 2, ...),
        ``round`` (1 until the list is used up, then 2, ...), ``topic`` (the code),
        ``kind`` ("challenge" or "dimension"), labels, ``share`` and ``n_naming``
        (challenges: the share and number of secretaries in post naming it),
        ``mean_score`` (dimensions: the mean at the latest assessed wave), ``rank``
        in the list it was taken from (by findings for a topic found on inspection,
        else within its kind), ``n_findings`` (how many findings of the window name
        it; 0 for the others) and why it was chosen in English and Chinese.

    Raises
    ------
    DataError
        Bad arguments, or nothing to discuss (no challenge named, no assessment).

    Examples
    --------
    Without findings, challenges and dimensions in their rhythm:

    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> plan = topic_plan(d.replace(findings=d.findings.iloc[0:0]))
    >>> len(plan), plan["topic"].is_unique
    (12, True)
    >>> plan["kind"].tolist()[:3]
    ['challenge', 'challenge', 'dimension']

    Three findings of group renting (and no others) put it first:

    >>> found = pd.DataFrame({"finding_id": ["F1", "F2", "F3"],
    ...     "secretary_id": d.secretaries["secretary_id"].iloc[:3],
    ...     "month": ["2025-03", "2025-04", "2025-05"], "issue": "group_renting"})
    >>> first = topic_plan(d.replace(findings=found)).iloc[0]
    >>> first["topic"], int(first["n_findings"]), first["why_en"].split(";")[0]
    ('group_renting', 3, 'found 3 times on inspection (2024-06 to 2025-05)')
    """
    if isinstance(months, bool) or not isinstance(months, numbers.Integral) or months < 1:
        raise DataError(f"the plan needs a whole number of months >= 1, got {months!r}")
    try:
        min_share = float(min_share)
    except (TypeError, ValueError):
        min_share = float("nan")
    if not 0 <= min_share <= 1:
        raise DataError(f"min_share must be a share between 0 and 1, got {min_share!r}")
    every = 0 if dimension_every is None else dimension_every
    if isinstance(every, bool) or not isinstance(every, numbers.Integral) or every < 0:
        raise DataError(f"dimension_every must be a whole number >= 0, got {dimension_every!r}")
    window = findings_months
    if isinstance(window, bool) or not isinstance(window, numbers.Integral) or window < 1:
        raise DataError(f"findings_months must be a whole number >= 1, got {findings_months!r}")
    challenges = _challenges(d, min_share)
    dimensions = _dimensions(d) if every else []
    merged = _merge(challenges, dimensions, int(every))
    found, span = _found(d, int(window))
    if found:
        merged = _findings_first(d, merged, found, span)
    if not merged:
        raise DataError(
            "no topic to plan: no secretary in post names a challenge and there are no "
            "assessments to find weak dimensions"
        )
    rows = []
    for month in range(1, int(months) + 1):
        place, done = (month - 1) % len(merged), (month - 1) // len(merged)
        rows.append({"month": month, "round": done + 1, "n_findings": 0, **merged[place]})
    out = pd.DataFrame(rows, columns=TOPIC_COLUMNS)
    return out.astype(
        {
            "month": "int64",
            "round": "int64",
            "topic": "str",
            "kind": "str",
            "label_zh": "str",
            "label_en": "str",
            "share": "float64",
            "n_naming": "Int64",
            "mean_score": "float64",
            "rank": "int64",
            "n_findings": "int64",
            "why_en": "str",
            "why_zh": "str",
        }
    )


def _naming(d: District) -> tuple[dict[str, int], int]:
    """How many secretaries in post name each challenge, and how many are in post."""
    post = d.in_post
    counts = dict.fromkeys(CHALLENGES.codes, 0)
    for named in post["challenges"]:
        for code in set(named):
            if code in counts:
                counts[code] += 1
    return counts, len(post)


def _named_by(count: int, n: int) -> tuple[str, str]:
    if not count:
        return "no secretary in post names it", "在岗书记无人提出"
    share = count / n
    return (
        f"named by {share:.0%} of secretaries in post ({count} of {n})",
        f"{count}/{n}名在岗书记提出（{share:.0%}）",
    )


def _challenges(d: District, min_share: float) -> list[dict]:
    counts, n = _naming(d)
    ranked = sorted(
        (c for c in CHALLENGES.codes if counts[c] > 0),
        key=lambda c: (-counts[c], CHALLENGES.codes.index(c)),
    )
    kept = [c for c in ranked if counts[c] >= min_share * n] or ranked[:1]
    out = []
    for rank, code in enumerate(kept, start=1):
        named_en, named_zh = _named_by(counts[code], n)
        out.append(
            _row(
                code,
                rank,
                f"{named_en}; challenge {rank} of {len(kept)} by frequency",
                f"{named_zh}，出现频次第{rank}位（共{len(kept)}项）",
                share=counts[code] / n,
                n_naming=counts[code],
            )
        )
    return out


def _dimensions(d: District) -> list[dict]:
    ci = capacity_index(d)
    post = set(d.in_post["secretary_id"])
    ci = ci[ci["secretary_id"].isin(post)]
    if ci.empty:
        return []
    latest = ci.sort_values(["secretary_id", "wave"]).groupby("secretary_id").tail(1)
    means = latest[list(DIMENSIONS.codes)].mean()
    ranked = sorted(
        (c for c in DIMENSIONS.codes if np.isfinite(means[c])),
        key=lambda c: (means[c], DIMENSIONS.codes.index(c)),
    )
    out = []
    for rank, code in enumerate(ranked, start=1):
        out.append(
            _row(
                code,
                rank,
                f"mean score {means[code]:.1f} at the latest assessment "
                f"({len(latest)} secretaries); weakest dimension {rank} of {len(ranked)}",
                f"最新一轮组织力评估均分{means[code]:.1f}（{len(latest)}名书记），"
                f"{len(ranked)}个维度中第{rank}弱",
                mean_score=float(means[code]),
            )
        )
    return out


def _merge(challenges: list[dict], dimensions: list[dict], every: int) -> list[dict]:
    """Every ``every``-th place a dimension, the others challenges; then the rest."""
    out: list[dict] = []
    ch, dim = iter(challenges), iter(dimensions)
    left_ch, left_dim = len(challenges), len(dimensions)
    while left_ch or left_dim:
        want_dim = every > 0 and (len(out) + 1) % every == 0
        if (want_dim and left_dim) or not left_ch:
            out.append(next(dim))
            left_dim -= 1
        else:
            out.append(next(ch))
            left_ch -= 1
    return out


def _month_number(text: object) -> float:
    """``"2024-03"`` -> months since year 0 (NaN for anything else)."""
    m = re.match(r"^(\d{4})-(\d{1,2})", str(text))
    return int(m.group(1)) * 12 + int(m.group(2)) - 1 if m else np.nan


def _month_text(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _found(d: District, window: int) -> tuple[dict[str, int], tuple[str, str]]:
    """Findings per topic in the ``window`` months up to the latest finding's month
    (topics in vocabulary order), and the first and last month of that window."""
    f = getattr(d, "findings", None)
    if f is None or f.empty:
        return {}, ("", "")
    month = f["month"].map(_month_number).astype(float)
    if not np.isfinite(month).any():
        return {}, ("", "")
    last = int(np.nanmax(month.to_numpy()))
    issues = f.loc[(month > last - window).to_numpy(), "issue"].tolist()
    counts = {code: issues.count(code) for code in TOPICS.codes}
    found = {code: n for code, n in counts.items() if n}
    return found, (_month_text(last - window + 1), _month_text(last))


def _findings_first(
    d: District, merged: list[dict], found: dict[str, int], span: tuple[str, str]
) -> list[dict]:
    """The found topics, most found first (ties in the order of ``merged``, then of
    the vocabulary), each saying how many findings back it; then the rest of
    ``merged`` in its order."""
    place = {row["topic"]: i for i, row in enumerate(merged)}
    ranked = sorted(
        found, key=lambda c: (-found[c], place.get(c, len(merged)), TOPICS.codes.index(c))
    )
    missing = [c for c in ranked if c not in place]
    extra = _unplanned(d, missing) if missing else {}
    first, last = span
    out = []
    for rank, code in enumerate(ranked, start=1):
        row = dict(merged[place[code]]) if code in place else extra[code]
        k = found[code]
        said_en = (
            f"found {k} time{'' if k == 1 else 's'} on inspection ({first} to {last}); "
            f"issue {rank} of {len(ranked)} by findings"
        )
        said_zh = f"督查发现 {k} 次（{first}至{last}），发现次数第{rank}位（共{len(ranked)}项）"
        row.update(
            rank=rank,
            n_findings=k,
            why_en=f"{said_en}; {row['why_en']}" if row["why_en"] else said_en,
            why_zh=f"{said_zh}；{row['why_zh']}" if row["why_zh"] else said_zh,
        )
        out.append(row)
    return out + [row for row in merged if row["topic"] not in found]


def _unplanned(d: District, codes: list[str]) -> dict[str, dict]:
    """Rows for found topics the plan without findings leaves out (a challenge few
    secretaries name, a dimension when the rhythm takes none), with what is known of
    them and no rank yet."""
    out: dict[str, dict] = {}
    counts, n = _naming(d)
    dims = {r["topic"]: r for r in _dimensions(d)} if any(c in DIMENSIONS for c in codes) else {}
    for code in codes:
        if code in DIMENSIONS:
            known = dims.get(code)
            out[code] = _row(
                code,
                0,
                known["why_en"].split("; ")[0] if known else "",
                known["why_zh"].split("，")[0] if known else "",
                mean_score=known["mean_score"] if known else np.nan,
            )
            continue
        named_en, named_zh = _named_by(counts[code], n)
        out[code] = _row(
            code,
            0,
            named_en,
            named_zh,
            share=counts[code] / n if n else np.nan,
            n_naming=counts[code],
        )
    return out


def _row(
    code: str,
    rank: int,
    why_en: str,
    why_zh: str,
    *,
    share: float = np.nan,
    n_naming: object = pd.NA,
    mean_score: float = np.nan,
) -> dict:
    """One topic of the plan, its kind and labels from the vocabulary."""
    dimension = code in DIMENSIONS
    term = DIMENSIONS[code] if dimension else CHALLENGES[code]
    return {
        "topic": code,
        "kind": "dimension" if dimension else "challenge",
        "label_zh": term.zh,
        "label_en": term.en,
        "share": share,
        "n_naming": n_naming,
        "mean_score": mean_score,
        "rank": rank,
        "why_en": why_en,
        "why_zh": why_zh,
    }
