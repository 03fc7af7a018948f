"""Candidate mentors for every mentee of a Region, without the dense score matrix.

A nation has 150,000 mentees and 30,000 mentors: 4.5 billion pairs, far too many to
score, let alone to solve. Yet a mentor travels to a mentee's community (on-site
supervision, 实地督训), so only nearby mentors are sensible, and an optimal plan uses
pairs near the top of each mentee's list. So each mentee gets its ``k`` best mentors
among those allowed by locality, searched outwards in :data:`LEVELS`:

``unit``
    mentors in the mentee's own unit (sub-district or town);
``neighbours``
    and in the units that border it;
``county``
    and anywhere in its county;
``region``
    anywhere.

The search stops at the first level that holds at least ``k`` mentors, and never goes
beyond ``reach`` (default ``"county"``: a county Party committee runs the programme, as
Putuo's does). A mentee whose reach holds fewer than ``k`` mentors gets them all; the
result counts such mentees (:attr:`Candidates.n_short`). Every pair to keep is added
even when it lies outside the reach; forbidden pairs are never candidates.

Mentees that share a unit share their level, so the mentors of each unit's level are
listed once (:func:`reach_lists`), and pairs are made and scored in blocks of at most
``block_size`` pairs: memory grows with the block, never with mentees x mentors. Scores
are those of :func:`mentormatch.score_pairs`, from the same component functions.

Examples
--------
>>> from mentormatch.region_synth import synthesize_region
>>> r = synthesize_region(seed=1, n_secretaries=2_000, n_mentors=100, n_bases=130)
>>> c = candidate_pairs(r, k=10)
>>> c.n_mentees == len(r.mentees), int(c.degree.max()) <= 11
(True, True)
>>> c.n_short
0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from mentormatch.errors import DataError
from mentormatch.optimize.network import PRECISION, integer_costs
from mentormatch.reach import LEVELS, ReachLists, _level, reach_lists
from mentormatch.region import Region
from mentormatch.scoring import (
    challenge_fit,
    combine,
    continuity,
    parse_weights,
    proximity,
    type_fit,
)

__all__ = [
    "Candidates",
    "candidate_pairs",
    "pair_scores",
    "reach_lists",
    "ReachLists",
    "LEVELS",
    "DEFAULT_K",
    "BLOCK_SIZE",
]

#: Candidate mentors per mentee (a nation's plan then has 20 arcs per mentee).
DEFAULT_K = 20
#: Most pairs scored at once. A pair costs about 100 bytes while its block is scored,
#: so the default block takes about 50 MB.
BLOCK_SIZE = 1 << 19


def pair_scores(
    region: Region,
    mentee: np.ndarray,
    mentor: np.ndarray,
    weights: str | Mapping[str, float] | None = None,
    *,
    components: bool = False,
) -> np.ndarray | pd.DataFrame:
    """Scores of (secretary, mentor) pairs given by position, as :func:`score_pairs` has them.

    Parameters
    ----------
    region : Region
    mentee, mentor : array of int
        Positions in ``region.secretaries`` and ``region.mentors``, one per pair.
    weights : mapping or str, optional
        As for :func:`mentormatch.score_pairs`.
    components : bool
        Return every component and ``mentor_view`` as a DataFrame, not just the total.

    Returns
    -------
    ndarray or DataFrame
        The total, clipped to [0, 1] and rounded to 6 decimals like the dense table.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> r = Region.from_district(d)
    >>> dense = mm.score_pairs(d)
    >>> first = dense.iloc[0]
    >>> i = r.secretaries.index.get_loc(first["secretary_id"])
    >>> j = r.mentors.index.get_loc(first["mentor_id"])
    >>> bool(pair_scores(r, [i], [j])[0] == first["total"])
    True
    """
    w = parse_weights(weights)
    mentee = np.asarray(mentee, dtype=np.int64)
    mentor = np.asarray(mentor, dtype=np.int64)
    parts, side = _components(_Arrays.of(region), mentee, mentor, view=components)
    total = np.round(np.clip(combine(parts, w), 0.0, 1.0), 6)
    if not components:
        return total
    view = np.round(np.clip(combine({**parts, "challenge": side}, w), 0.0, 1.0), 6)
    return pd.DataFrame(
        {
            "mentee": mentee,
            "mentor": mentor,
            "total": total,
            **{k: np.round(v, 6) for k, v in parts.items()},
            "mentor_view": view,
        }
    )


@dataclass(frozen=True)
class _Arrays:
    """The columns scoring reads, taken out of the Region's tables once."""

    need: np.ndarray
    mentee_type: np.ndarray
    mentee_unit: np.ndarray
    previous: np.ndarray
    know: np.ndarray
    knows_types: np.ndarray
    mentor_unit: np.ndarray
    mentor_community: np.ndarray
    neighbours: sparse.csr_array
    prior: sparse.csr_array

    @classmethod
    def of(cls, r: Region) -> _Arrays:
        s, m = r.secretaries, r.mentors
        return cls(
            need=s["challenges"].to_numpy(),
            mentee_type=s["community_type"].to_numpy(),
            mentee_unit=s["unit"].to_numpy(),
            previous=s["previous_mentor"].to_numpy(),
            know=m["expertise"].to_numpy(),
            knows_types=m["community_types"].to_numpy(),
            mentor_unit=m["unit"].to_numpy(),
            mentor_community=m["community"].to_numpy(),
            neighbours=r.neighbours,
            prior=r.prior,
        )


def _components(
    a: _Arrays, i: np.ndarray, j: np.ndarray, *, view: bool
) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    fit, side = challenge_fit(a.need[i], a.know[j])
    parts = {
        "challenge": fit,
        "type": type_fit(a.mentee_type[i], a.knows_types[j]),
        "proximity": proximity(a.mentee_unit[i], a.mentor_unit[j], a.neighbours),
        "continuity": continuity(i, j, a.prior, a.mentor_community, a.previous),
    }
    return parts, (side if view else None)


# --- Candidates ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Candidates:
    """Candidate pairs of a Region: the sparse input of the plan.

    Attributes
    ----------
    mentee, mentor : ndarray of int64
        Positions in ``region.secretaries`` and ``region.mentors``, one per pair,
        sorted by mentee then mentor.
    score : ndarray of float64
        The pair's total score (as :func:`mentormatch.score_pairs`).
    required : ndarray of bool
        The pairs to keep.
    mentees : ndarray of int64
        The mentees searched for, sorted.
    level : ndarray of int8
        Per mentee: where in :data:`LEVELS` its search stopped.
    available : ndarray of int64
        Per mentee: allowed (not forbidden) mentors at that level.
    k, reach, weights
        The settings used (``k`` None: every mentor in reach).
    pairs_scored, n_blocks, largest_block : int
        Work done: pairs scored, blocks, and most pairs in one block.
    mentor_score : ndarray of float64 or None
        How each pair's mentor ranks its mentee (``mentor_view`` of
        :func:`mentormatch.score_pairs`), when asked for (``mentor_view=True``).
    """

    mentee: np.ndarray
    mentor: np.ndarray
    score: np.ndarray
    required: np.ndarray
    mentees: np.ndarray
    level: np.ndarray
    available: np.ndarray
    k: int | None
    reach: str
    weights: dict
    pairs_scored: int
    n_blocks: int
    largest_block: int
    mentor_score: np.ndarray | None = None

    @property
    def n_pairs(self) -> int:
        return len(self.mentee)

    @property
    def n_mentees(self) -> int:
        return len(self.mentees)

    @property
    def degree(self) -> np.ndarray:
        """Candidates per mentee (aligned with ``mentees``)."""
        at = np.searchsorted(self.mentees, self.mentee)
        return np.bincount(at, minlength=self.n_mentees)

    @property
    def n_short(self) -> int:
        """Mentees with fewer than ``k`` candidates (their reach holds fewer allowed mentors)."""
        return 0 if self.k is None else int((self.degree < self.k).sum())

    @property
    def complete(self) -> np.ndarray:
        """Per mentee: every allowed mentor in reach is a candidate, so the plan over the
        candidates is the plan over the whole reach for this mentee."""
        top = _level(self.reach)
        fits = self.available <= (np.inf if self.k is None else self.k)
        return (self.level == top) & fits

    def summary(self) -> pd.Series:
        """Headline figures: sizes, short and truncated mentees, levels reached."""
        levels = np.bincount(self.level, minlength=len(LEVELS))
        return pd.Series(
            {
                "k": self.k,
                "reach": self.reach,
                "mentees": self.n_mentees,
                "pairs": self.n_pairs,
                "pairs_to_keep": int(self.required.sum()),
                "mean_candidates": round(self.n_pairs / max(self.n_mentees, 1), 2),
                "fewer_than_k": self.n_short,
                "all_of_reach": int(self.complete.sum()),
                **{f"stopped_at_{name}": int(n) for name, n in zip(LEVELS, levels, strict=True)},
                "pairs_scored": self.pairs_scored,
                "blocks": self.n_blocks,
                "largest_block": self.largest_block,
            },
            name="candidates",
        )

    def to_frame(self, region: Region | None = None) -> pd.DataFrame:
        """One row per pair; with the Region, its IDs beside the positions."""
        frame = pd.DataFrame(
            {
                "mentee": self.mentee,
                "mentor": self.mentor,
                "score": self.score,
                "required": self.required,
            }
        )
        if region is not None:
            frame.insert(0, "secretary_id", region.secretaries.index[self.mentee])
            frame.insert(1, "mentor_id", region.mentors.index[self.mentor])
        return frame


def candidate_pairs(
    region: Region,
    k: int | None = DEFAULT_K,
    *,
    reach: str = "county",
    weights: str | Mapping[str, float] | None = None,
    block_size: int = BLOCK_SIZE,
    mentees: np.ndarray | None = None,
    mentor_view: bool = False,
) -> Candidates:
    """The ``k`` best mentors of every mentee, searched outwards up to ``reach``.

    Parameters
    ----------
    region : Region
    k : int or None
        Candidates per mentee; ``None`` keeps every mentor in reach (then the plan is
        the plan over the whole reach, at the cost of more pairs).
    reach : {"unit", "neighbours", "county", "region"}
        How far the search may widen (see :data:`LEVELS`).
    weights : mapping or str, optional
        Score weights, as for :func:`mentormatch.score_pairs`.
    block_size : int
        Most pairs scored at once (a block always holds at least one mentee).
    mentees : array of int, optional
        Secretary positions to search for (default: all who need a mentor).
    mentor_view : bool
        Also score how each mentor ranks its candidates (for the ``stable`` objective).

    Returns
    -------
    Candidates
        Ties in score go to the mentor listed first, so the result does not depend on
        ``block_size``.

    Raises
    ------
    DataError
        Bad ``k``, ``reach`` or ``block_size``.

    Examples
    --------
    >>> import mentormatch as mm
    >>> r = Region.from_district(mm.synthesize_district(seed=1))
    >>> c = candidate_pairs(r, k=5)
    >>> c.summary()[["mentees", "pairs", "fewer_than_k"]].tolist()
    [65, 325, 0]
    >>> bool((candidate_pairs(r, k=5, block_size=1).mentor == c.mentor).all())
    True
    """
    if k is not None and (not isinstance(k, (int, np.integer)) or k < 1):
        raise DataError(f"k must be a whole number >= 1 or None, got {k!r}")
    if block_size < 1:
        raise DataError(f"block_size must be >= 1, got {block_size!r}")
    w = parse_weights(weights)
    lists = reach_lists(region, k, reach)
    mentees = region.mentees if mentees is None else np.unique(np.asarray(mentees, np.int64))
    arrays = _Arrays.of(region)
    m = len(region.mentors)
    keep_who, keep_whom = _keep_pairs(region, mentees)
    forbid_keys = _forbid_keys(region)

    unit = region.secretaries["unit"].to_numpy()[mentees]
    lengths = lists.length[unit]
    ends = np.cumsum(lengths)
    blocks, largest, scored = [], 0, 0
    first = 0
    while first < len(mentees):
        base = ends[first - 1] if first else 0
        last = max(first + 1, int(np.searchsorted(ends, base + block_size, side="right")))
        block = slice(first, last)
        out = _block(
            arrays,
            lists,
            mentees[block],
            unit[block],
            lengths[block],
            k,
            w,
            m,
            forbid_keys,
            keep_who,
            keep_whom,
            mentor_view,
        )
        blocks.append(out)
        largest = max(largest, int(lengths[block].sum()))
        scored += int(lengths[block].sum())
        first = last

    def cat(j: int, dtype) -> np.ndarray:
        return np.concatenate([b[j] for b in blocks]) if blocks else np.zeros(0, dtype)

    return Candidates(
        mentee=cat(0, np.int64),
        mentor=cat(1, np.int64),
        score=cat(2, np.float64),
        required=cat(3, bool),
        mentees=mentees,
        level=lists.level[unit],
        available=cat(4, np.int64),
        k=k,
        reach=reach,
        weights=w,
        pairs_scored=scored,
        n_blocks=len(blocks),
        largest_block=largest,
        mentor_score=cat(5, np.float64) if mentor_view else None,
    )


def _keep_pairs(region: Region, mentees: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs to keep of the given mentees, sorted by mentee."""
    who, whom = region.pairs("keep")
    mine = np.isin(who, mentees)
    order = np.argsort(who[mine], kind="stable")
    return who[mine][order], whom[mine][order]


def _forbid_keys(region: Region) -> np.ndarray:
    """Forbidden pairs as sorted keys ``mentee * n_mentors + mentor``. (A Region has at
    most one rule per pair, so no pair is both forbidden and to keep.)"""
    who, whom = region.pairs("forbid")
    return np.unique(who * max(len(region.mentors), 1) + whom)


def _block(
    arrays, lists, mentees, unit, lengths, k, w, m, forbid_keys, keep_who, keep_whom, view=False
):
    """Candidates of one block of mentees: score their pairs, keep the k best of each
    (and, with ``view``, how the mentor of each kept pair ranks its mentee)."""
    n_pairs = int(lengths.sum())
    local = np.repeat(np.arange(len(mentees)), lengths)
    offset = np.arange(n_pairs) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    i = mentees[local]
    j = lists.pool[np.repeat(lists.start[unit], lengths) + offset]
    if len(forbid_keys):
        allowed = ~_member(forbid_keys, i * m + j)
        local, i, j = local[allowed], i[allowed], j[allowed]
    available = np.bincount(local, minlength=len(mentees))
    parts, _ = _components(arrays, i, j, view=False)
    score = np.round(np.clip(combine(parts, w), 0.0, 1.0), 6)
    if k is not None:
        # Best first, ties to the lower mentor position; one sort on a combined key.
        cost = integer_costs(score)
        if len(mentees) * (PRECISION + 1) * max(m, 1) < 2**62:
            order = np.argsort((local * (PRECISION + 1) + cost) * max(m, 1) + j, kind="stable")
        else:  # pragma: no cover - beyond any region in sight
            order = np.lexsort((j, cost, local))
        ranked = local[order]
        rank = np.arange(len(order)) - np.searchsorted(ranked, ranked)
        chosen = order[rank < k]
        i, j, score = i[chosen], j[chosen], score[chosen]
    lo, hi = np.searchsorted(keep_who, [mentees[0], mentees[-1] + 1]) if len(mentees) else (0, 0)
    who, whom = keep_who[lo:hi], keep_whom[lo:hi]
    if len(who):
        # Pairs to keep join the candidates even outside the reach or below the k best.
        present = _member(np.sort(i * m + j), who * m + whom)
        extra_i, extra_j = who[~present], whom[~present]
        extra_parts, _ = _components(arrays, extra_i, extra_j, view=False)
        extra_score = np.round(np.clip(combine(extra_parts, w), 0.0, 1.0), 6)
        i = np.concatenate([i, extra_i])
        j = np.concatenate([j, extra_j])
        score = np.concatenate([score, extra_score])
    key = i * m + j
    order = np.argsort(key, kind="stable")
    i, j, score = i[order], j[order], score[order]
    required = _member(np.sort(who * m + whom), key[order])
    if not view:
        return i, j, score, required, available
    # Scored again for the kept pairs only: a tenth of the block, so cheaper than
    # carrying the view through the ranking.
    parts, side = _components(arrays, i, j, view=True)
    mentor_score = np.round(np.clip(combine({**parts, "challenge": side}, w), 0.0, 1.0), 6)
    return i, j, score, required, available, mentor_score


def _member(sorted_keys: np.ndarray, query: np.ndarray) -> np.ndarray:
    if not len(sorted_keys):
        return np.zeros(len(query), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, query), len(sorted_keys) - 1)
    return sorted_keys[at] == query
