"""Practice bases for a Region's placed mentees: the second flow, county by county.

A District plans bases after the mentors (:mod:`mentormatch.matching.bases`): each
placed mentee's base should cover the challenges its mentor does not know, near the
mentee, within base capacities; as many mentees as possible get a base, then the sum of
base scores is maximised. A Region does the same over edge arrays: a mentee's candidate
bases are every base of its county (a county runs its programme; a nation's counties
hold about 25 bases each), scored in blocks by the one base score
(:func:`mentormatch.scoring.base_coverage` and the proximity of units, weighted by
:data:`~mentormatch.scoring.BASE_WEIGHTS`), and solved by
:func:`~mentormatch.optimize.sparse.solve_edges`, county by county. On a one-county
Region made from a District it is the District's own sequential plan.

Examples
--------
>>> from mentormatch.region_synth import synthesize_region
>>> from mentormatch.region_plan import match_region
>>> r = synthesize_region(seed=1, n_secretaries=2_000, n_mentors=100, n_bases=130)
>>> plan = match_region(r, bases="none")
>>> bases = plan_bases(r, plan.mentees, plan.mentor)
>>> int((bases.base >= 0).sum()) == int(min(len(plan.mentees), r.bases["capacity"].sum()))
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.optimize.sparse import solve_edges
from mentormatch.region import Region
from mentormatch.scoring import base_coverage, parse_weights, proximity

__all__ = ["BasePlan", "plan_bases", "base_pair_scores"]

#: Most (mentee, base) pairs scored at once.
BLOCK_SIZE = 1 << 20


@dataclass(frozen=True, eq=False)
class BasePlan:
    """A base per mentee (aligned with the mentees given to :func:`plan_bases`).

    Attributes
    ----------
    base : ndarray of int64
        Position in ``region.bases``, -1 for none (unplaced mentee, or bases full).
    score, coverage : ndarray of float64
        The base score and its coverage component (NaN without a base).
    pairs : int
        Candidate (mentee, base) pairs solved over.
    """

    base: np.ndarray
    score: np.ndarray
    coverage: np.ndarray
    pairs: int


@dataclass(frozen=True)
class _CountyBases:
    """The bases of each county, as slices of one array: the candidate bases of a
    mentee are every base of its county."""

    by_county: np.ndarray
    count: np.ndarray
    first: np.ndarray

    @classmethod
    def of(cls, region: Region) -> _CountyBases:
        county = region.bases["county"].to_numpy(np.int64)
        count = np.bincount(county, minlength=region.n_counties)
        return cls(np.argsort(county, kind="stable"), count, np.cumsum(count) - count)

    def pairs(self, county: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For rows in the given counties: (row, base) for every base of each row's county."""
        size = self.count[county]
        row = np.repeat(np.arange(len(county)), size)
        offset = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
        return row, self.by_county[np.repeat(self.first[county], size) + offset]


def base_pair_scores(
    region: Region,
    mentee: np.ndarray,
    mentor: np.ndarray,
    base: np.ndarray,
    weights: str | Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Base score of (secretary, its mentor, base) triples given by position.

    ``mentor`` -1 means no mentor (then coverage counts all the mentee's challenges),
    as :func:`mentormatch.score_pairs` does with ``against="bases"``.

    Returns
    -------
    DataFrame
        ``total``, ``coverage`` and ``proximity``, rounded to 6 decimals like the
        District's table.
    """
    w = parse_weights(weights, kind="base")
    s, m, b = region.secretaries, region.mentors, region.bases
    mentee, mentor, base = (np.asarray(x, dtype=np.int64) for x in (mentee, mentor, base))
    need = s["challenges"].to_numpy()[mentee]
    know = np.where(mentor >= 0, m["expertise"].to_numpy()[np.maximum(mentor, 0)], 0)
    coverage = base_coverage(need, know.astype(np.uint32), b["themes"].to_numpy()[base])
    near = proximity(s["unit"].to_numpy()[mentee], b["unit"].to_numpy()[base], region.neighbours)
    total = np.clip(w["coverage"] * coverage + w["proximity"] * near, 0.0, 1.0)
    return pd.DataFrame(
        {
            "total": np.round(total, 6),
            "coverage": np.round(coverage, 6),
            "proximity": np.round(near, 6),
        }
    )


def plan_bases(
    region: Region,
    mentees: np.ndarray,
    mentor: np.ndarray,
    *,
    weights: str | Mapping[str, float] | None = None,
    block_size: int = BLOCK_SIZE,
    solver: str = "auto",
) -> BasePlan:
    """Bases for the placed ``mentees`` (secretary positions) given their ``mentor``
    positions (-1: unplaced, no base): the most mentees with a base, then the best sum.
    """
    mentees = np.asarray(mentees, dtype=np.int64)
    mentor = np.asarray(mentor, dtype=np.int64)
    n = len(mentees)
    out_base = np.full(n, -1, dtype=np.int64)
    out_score = np.full(n, np.nan)
    out_cover = np.full(n, np.nan)
    placed = np.flatnonzero(mentor >= 0)
    b = region.bases
    if not len(placed) or not len(b):
        return BasePlan(out_base, out_score, out_cover, 0)
    county = region.secretaries["county"].to_numpy(np.int64)[mentees[placed]]
    in_county = _CountyBases.of(region)
    ends = np.cumsum(in_county.count[county])
    rows, cols, scores, covers = [], [], [], []
    start = 0
    while start < len(placed):
        done = ends[start - 1] if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, done + block_size, side="right")))
        local, base = in_county.pairs(county[start:stop])
        local += start
        who = placed[local]
        scored = base_pair_scores(region, mentees[who], mentor[who], base, weights)
        rows.append(local)
        cols.append(base)
        scores.append(scored["total"].to_numpy())
        covers.append(scored["coverage"].to_numpy())
        start = stop
    row, col = np.concatenate(rows), np.concatenate(cols)
    score, cover = np.concatenate(scores), np.concatenate(covers)
    solution = solve_edges(
        row,
        col,
        score,
        b["capacity"].to_numpy(),
        n_mentees=len(placed),
        solver=solver,
        allow_unassigned=True,
    )
    got = solution.edge >= 0
    out_base[placed[got]] = solution.mentor[got]
    out_score[placed[got]] = score[solution.edge[got]]
    out_cover[placed[got]] = cover[solution.edge[got]]
    return BasePlan(out_base, out_score, out_cover, len(row))


#: Joint planning for a Region holds every base of the county for each candidate pair
#: up to this many options; beyond, each pair's JOINT_BASES best bases and the
#: sequential plan's own triple. Beyond JOINT_MAX_VARIABLES variables it is refused.
JOINT_EXACT_OPTIONS = 200_000
JOINT_BASES = 4
JOINT_MAX_VARIABLES = 2_000_000


def joint_bases(region: Region, candidates, solution, sequential: BasePlan, *, partial: bool):
    """Mentors and bases together over a Region's candidate pairs
    (:func:`mentormatch.optimize.joint.solve_joint`), starting from the sequential plan
    (``solution`` and ``sequential``), whose triples are among the options, so the joint
    plan is never worse. Returns ``(mentor, edge, score, BasePlan)`` per mentee.

    Raises :class:`~mentormatch.DataError` when the program would not fit
    (:data:`JOINT_MAX_VARIABLES`): a nation is planned with sequential bases.
    """
    from mentormatch.errors import DataError
    from mentormatch.optimize.joint import solve_joint
    from mentormatch.optimize.sparse import _encode

    mentees = candidates.mentees
    instance, positions = _encode(
        np.searchsorted(mentees, candidates.mentee),
        candidates.mentor,
        candidates.score,
        region.mentors["capacity"].to_numpy(),
        region.mentors["min_load"].to_numpy(),
        candidates.required,
        len(mentees),
        region.secretaries.index[mentees],
        region.mentors.index,
    )
    b = region.bases
    in_county = _CountyBases.of(region)
    sec = mentees[instance.edge_mentee]
    county = region.secretaries["county"].to_numpy(np.int64)[sec]
    options = int(in_county.count[county].sum())
    keep_all = options <= JOINT_EXACT_OPTIONS
    variables = options + instance.n_edges if keep_all else instance.n_edges * (JOINT_BASES + 2)
    if variables > JOINT_MAX_VARIABLES:
        raise DataError(
            f"joint base planning would need about {variables:,} variables for this Region; "
            "use bases='sequential' at this size"
        )
    edge, base = in_county.pairs(county)
    mentor_of_edge = instance.edge_mentor[edge]
    gain = base_pair_scores(region, sec[edge], mentor_of_edge, base)["total"].to_numpy()
    if not keep_all:
        # Each pair's best few bases (ties to the lower base position) ...
        order = np.lexsort((base, -gain, edge))
        rank = np.arange(options) - np.searchsorted(edge[order], edge[order])
        chosen = np.zeros(options, dtype=bool)
        chosen[order[rank < JOINT_BASES]] = True
        # ... and the sequential plan's own base for its pair.
        edge_of_candidate = np.full(candidates.n_pairs, -1, dtype=np.int64)
        edge_of_candidate[positions] = np.arange(instance.n_edges)
        placed = (solution.edge >= 0) & (sequential.base >= 0)
        own = edge_of_candidate[solution.edge[placed]] * max(len(b), 1) + sequential.base[placed]
        chosen |= np.isin(edge * max(len(b), 1) + base, own)
        edge, base, gain = edge[chosen], base[chosen], gain[chosen]
    choice, base_choice = solve_joint(
        instance, edge, base, gain, b["capacity"].to_numpy(), allow_unassigned=partial
    )
    n = len(mentees)
    placed = choice >= 0
    mentor = np.full(n, -1, dtype=np.int64)
    mentor[placed] = instance.edge_mentor[choice[placed]]
    score = np.full(n, np.nan)
    score[placed] = instance.score[choice[placed]]
    edge_out = np.full(n, -1, dtype=np.int64)
    edge_out[placed] = positions[choice[placed]]
    has = base_choice >= 0
    scored = base_pair_scores(region, mentees[has], mentor[has], base_choice[has])
    base_score, coverage = np.full(n, np.nan), np.full(n, np.nan)
    base_score[has], coverage[has] = scored["total"].to_numpy(), scored["coverage"].to_numpy()
    return mentor, edge_out, score, BasePlan(base_choice, base_score, coverage, len(edge))
