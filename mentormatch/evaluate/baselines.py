"""How good are our plans? The three objectives against simple strategies and chance.

:func:`compare_strategies` measures six ways of pairing the same District with the
figures of :func:`~mentormatch.evaluate.evaluate_plan`:

``total``, ``fair``, ``stable``
    :func:`mentormatch.match` with that objective (its own practice bases).
``greedy``
    Mentees in roster order (the order of ``d.mentees``, i.e. of the secretaries
    table) each take the highest-scoring allowed mentor with room left; ties go to the
    earlier mentor. What a planner does by hand, top to bottom.
``nearest``
    Mentees in roster order each take the nearest allowed mentor with room left: same
    sub-district/town first, then a neighbouring one, then any; ties by score, then
    the earlier mentor. Matching by geography alone.
``random``
    A distribution of ``n_random`` random feasible plans (see :func:`random_plan`).

In ``greedy`` and ``nearest`` a mentee with a required pair (constraints ``keep``) is
placed first; min loads are kept where feasible: once the mentees still to come are no
more than the places missing under min loads, each takes the best of the mentors
still under their min load. Their practice bases, and those of the random plans, are
chosen as :func:`mentormatch.match` chooses them (maximum total base score under base
capacities, solved exactly as an assignment problem), so strategies differ only in
their mentors.

Uncertainty. For the planned strategies the 95% intervals are percentile bootstrap
intervals over mentees (the same ``n_boot`` resamples for every strategy): how much
the figure depends on which secretaries happen to need a mentor this cycle. For
``random`` they are the middle 95% of the random plans. Each strategy's percentile
against chance is the share of random plans that do worse (ties count half).
Everything is drawn from ``numpy.random.SeedSequence(seed)``: same District and seed,
same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from mentormatch.district import District
from mentormatch.errors import InfeasibleError
from mentormatch.evaluate.needs import require
from mentormatch.evaluate.quality import QUALITY_FIGURES, Setting, base_scores, encode, figures
from mentormatch.evaluate.quality import per_mentee as _per_mentee
from mentormatch.matching.bases import assign_bases
from mentormatch.plan import match
from mentormatch.progress import progress_bar

__all__ = [
    "compare_strategies",
    "StrategyComparison",
    "STRATEGIES",
    "greedy_plan",
    "nearest_plan",
    "random_plan",
    "bases_for",
]

#: Strategy codes with Chinese and English labels, in table order.
STRATEGIES: dict[str, tuple[str, str]] = {
    "total": ("总分最优", "optimal total"),
    "fair": ("兼顾最弱", "fair (best worst-off)"),
    "stable": ("稳定匹配", "stable"),
    "greedy": ("贪心（名册顺序）", "greedy (roster order)"),
    "nearest": ("就近", "nearest"),
    "random": ("随机", "random"),
}
#: Figures with bootstrap intervals and percentiles against the random plans.
BOOTSTRAPPED = ("mean_score", "coverage_mentor", "coverage_mentor_and_base", "near_share")
RANKED = ("mean_score", "coverage_mentor", "coverage_mentor_and_base")


@dataclass(frozen=True, eq=False)
class StrategyComparison:
    """Strategies side by side, with bootstrap intervals and the random baseline.

    Attributes
    ----------
    table : DataFrame
        One row per strategy (index: codes of :data:`STRATEGIES`): the figures of
        :func:`~mentormatch.evaluate.evaluate_plan`; ``<figure>_low``/``_high`` for
        the figures in :data:`BOOTSTRAPPED`; ``<figure>_pct_random`` for those in
        :data:`RANKED`; ``interval`` (how the interval was made) and ``note``.
    random : DataFrame
        The figures of every random plan, one row each.
    plans : DataFrame
        Mentor of each mentee (rows) under each planned strategy (columns).
    seed, n_random, n_boot : int
    synthetic : bool
        The District is synthetic (charts say so).
    """

    table: pd.DataFrame
    random: pd.DataFrame = field(repr=False)
    plans: pd.DataFrame = field(repr=False)
    seed: int
    n_random: int
    n_boot: int
    synthetic: bool = False

    def to_frame(self) -> pd.DataFrame:
        """The comparison table (numbers)."""
        return self.table.copy()

    def formatted(self, lang: str = "en") -> pd.DataFrame:
        """The table for reading: figures with their intervals, rounded.

        >>> import mentormatch as mm
        >>> c = mm.compare_strategies(mm.synthesize_district(seed=1), n_random=20,
        ...                           n_boot=50, progress=False)
        >>> list(c.formatted().index)[:3]
        ['optimal total', 'fair (best worst-off)', 'stable']
        """
        t = self.table

        def with_ci(col: str, digits: int = 3) -> pd.Series:
            return pd.Series(
                [
                    f"{v:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]" if np.isfinite(v) else ""
                    for v, lo, hi in zip(t[col], t[f"{col}_low"], t[f"{col}_high"], strict=True)
                ],
                index=t.index,
            )

        def pct(col: str) -> pd.Series:
            return t[col].map(lambda v: f"{v:.0f}" if np.isfinite(v) else "")

        out = pd.DataFrame(
            {
                "placed": t["placed"].map(lambda v: f"{v:.0f}" if np.isfinite(v) else ""),
                "mean score [95% CI]": with_ci("mean_score"),
                "worst": t["min_score"].round(3),
                "10th pct": t["p10_score"].round(3),
                "coverage, mentor [95% CI]": with_ci("coverage_mentor"),
                "coverage, mentor + base [95% CI]": with_ci("coverage_mentor_and_base"),
                "same or nearby unit": t["near_share"].round(3),
                "loads": [
                    f"{lo:.0f}-{hi:.0f}" if np.isfinite(lo) else ""
                    for lo, hi in zip(t["load_min"], t["load_max"], strict=True)
                ],
                "load Gini": t["load_gini"].round(3),
                "mentors below min load": t["below_min_load"].round(1),
                "blocking pairs": t["blocking_pairs"].round(1),
                "mean score: pct vs random": pct("mean_score_pct_random"),
                "coverage (m+b): pct vs random": pct("coverage_mentor_and_base_pct_random"),
            }
        )
        if t["note"].astype(bool).any():
            out["note"] = t["note"]
        labels = {k: (zh if lang == "zh" else en) for k, (zh, en) in STRATEGIES.items()}
        out.index = [labels[k] for k in t.index]
        return out

    def summary(self) -> str:
        """A few lines: each strategy's mean score and coverage with intervals."""
        t = self.table
        lines = [
            f"strategies on {int(t['mentees'].iloc[0])} mentees; {self.n_random} random plans; "
            f"{self.n_boot} bootstrap resamples; seed {self.seed}"
        ]
        for code, row in t.iterrows():
            if not np.isfinite(row["mean_score"]):
                lines.append(f"  {STRATEGIES[code][1]:<22} {row['note']}")
                continue
            pct = row["mean_score_pct_random"]
            lines.append(
                f"  {STRATEGIES[code][1]:<22} score {row['mean_score']:.3f} "
                f"[{row['mean_score_low']:.3f}, {row['mean_score_high']:.3f}], coverage "
                f"{row['coverage_mentor_and_base']:.1%}, blocking {row['blocking_pairs']:.0f}"
                + (f", beats {pct:.0f}% of random plans" if np.isfinite(pct) else "")
            )
        return "\n".join(lines)


def compare_strategies(
    d: District,
    *,
    seed: int = 2018,
    n_random: int = 1000,
    n_boot: int = 1000,
    weights: str | Mapping[str, float] | None = None,
    distance: str | None = None,
    progress: bool = True,
) -> StrategyComparison:
    """Compare the optimal, fair and stable plans with greedy, nearest and random ones.

    See the module docstring for the strategies, intervals and percentiles.

    Parameters
    ----------
    d : District
    seed : int
        Seeds the random plans and the bootstrap.
    n_random : int
        Random feasible plans to draw (0 to skip the random baseline).
    n_boot : int
        Bootstrap resamples of the mentees (0 to skip the intervals).
    weights : mapping or str, optional
        Score weights, for every strategy.
    distance : {"same", "neighbouring"}, optional
        Distance rule, for every strategy.
    progress : bool
        Show progress bars (only when a step takes more than a second).

    Returns
    -------
    StrategyComparison

    Examples
    --------
    >>> import mentormatch as mm
    >>> c = mm.compare_strategies(mm.synthesize_district(seed=1), n_random=50,
    ...                           n_boot=100, progress=False)
    >>> t = c.to_frame()
    >>> bool(t.loc["total", "mean_score"] >= t["mean_score"].max() - 1e-9)
    True
    >>> bool(t.loc["stable", "blocking_pairs"] == 0)
    True
    """
    require(d, "matching")
    s = encode(d, weights, distance)
    seeds = np.random.SeedSequence(seed).spawn(2)
    rng_plans, rng_boot = np.random.default_rng(seeds[0]), np.random.default_rng(seeds[1])

    plans: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    notes: dict[str, str] = {}
    for objective in ("total", "fair", "stable"):
        try:
            # As many placed as the places allow: with short capacity every strategy
            # places the same number, and the comparison is of who goes where.
            plan = match(d, objective, weights=weights, distance=distance, partial=True)
        except InfeasibleError as error:
            notes[objective] = str(error)
            continue
        placed = plan.placed.set_index("secretary_id")
        plans[objective] = (
            s.positions(placed["mentor_id"].astype(object)),
            s.base_positions(placed["base_id"].astype(object)),
        )
    for name, make in (("greedy", greedy_plan), ("nearest", nearest_plan)):
        mentor = make(s)
        plans[name] = (mentor, bases_for(s, mentor))

    rows = {name: figures(s, mentor, base) for name, (mentor, base) in plans.items()}
    random_rows = []
    bar = progress_bar(range(n_random), desc="random plans", unit="plan", progress=progress)
    for _ in bar:
        mentor = random_plan(s, rng_plans)
        random_rows.append(figures(s, mentor, bases_for(s, mentor), validate=False))
    random = pd.DataFrame(random_rows, columns=list(QUALITY_FIGURES))

    table = (
        pd.DataFrame.from_dict(rows, orient="index")
        .reindex(columns=list(QUALITY_FIGURES))
        .astype(float)
    )
    intervals = _bootstrap(s, plans, n_boot, rng_boot, progress)
    for col in BOOTSTRAPPED:
        table[f"{col}_low"] = intervals.get((col, "low"), pd.Series(dtype=float))
        table[f"{col}_high"] = intervals.get((col, "high"), pd.Series(dtype=float))
    for col in RANKED:
        table[f"{col}_pct_random"] = [_percentile(random[col], v) for v in table[col]]
    table["interval"] = f"bootstrap over mentees ({n_boot})" if n_boot else ""
    if n_random:
        spread = random.mean(numeric_only=True).to_dict()
        for col in BOOTSTRAPPED:
            spread[f"{col}_low"] = float(random[col].quantile(0.025))
            spread[f"{col}_high"] = float(random[col].quantile(0.975))
        spread["interval"] = f"middle 95% of {n_random} random plans"
        table.loc["random"] = pd.Series(spread)
    for name in notes:
        table.loc[name, "interval"] = ""
        table.loc[name, "mentees"] = s.n
    table["note"] = pd.Series(notes, dtype="str").reindex(table.index).fillna("")
    table = table.reindex([k for k in STRATEGIES if k in table.index])
    table.index.name = "strategy"
    assignments = pd.DataFrame(
        {name: s.series(mentor) for name, (mentor, _) in plans.items()}, index=s.mentees
    )
    return StrategyComparison(
        table=table,
        random=random,
        plans=assignments,
        seed=seed,
        n_random=n_random,
        n_boot=n_boot,
        synthetic=d.synthetic,
    )


def _bootstrap(
    s: Setting,
    plans: dict[str, tuple[np.ndarray, np.ndarray]],
    n_boot: int,
    rng: np.random.Generator,
    progress: bool,
) -> dict[tuple[str, str], pd.Series]:
    """Percentile intervals over mentee resamples, the same resamples for every plan."""
    if n_boot <= 0 or s.n == 0:
        return {}
    values = {}
    for name, (mentor, base) in plans.items():
        per = _per_mentee(s, mentor, base)
        per["near_share"] = np.where(mentor >= 0, (per["proximity"] > 0).astype(float), np.nan)
        per["mean_score"] = per["score"]
        values[name] = per
    stats = {(name, col): [] for name in plans for col in BOOTSTRAPPED}
    chunk = 100
    bar = progress_bar(range(0, n_boot, chunk), desc="bootstrap", unit="batch", progress=progress)
    for start in bar:
        idx = rng.integers(0, s.n, size=(min(chunk, n_boot - start), s.n))
        for name, per in values.items():
            for col in BOOTSTRAPPED:
                sample = per[col][idx]
                with np.errstate(invalid="ignore"):
                    # All-NaN resamples (nobody with challenges) give NaN, not a warning.
                    count = np.isfinite(sample).sum(axis=1)
                    mean = np.where(
                        count > 0, np.nansum(sample, axis=1) / np.maximum(count, 1), np.nan
                    )
                stats[(name, col)].append(mean)
    out: dict[tuple[str, str], pd.Series] = {}
    for col in BOOTSTRAPPED:
        low, high = {}, {}
        for name in plans:
            draws = np.concatenate(stats[(name, col)])
            draws = draws[np.isfinite(draws)]
            low[name] = float(np.quantile(draws, 0.025)) if len(draws) else np.nan
            high[name] = float(np.quantile(draws, 0.975)) if len(draws) else np.nan
        out[(col, "low")] = pd.Series(low)
        out[(col, "high")] = pd.Series(high)
    return out


def _percentile(distribution: pd.Series, value: float) -> float:
    """Percent of the distribution below ``value`` (ties count half); NaN if none."""
    x = distribution.to_numpy(dtype=float)
    x = x[np.isfinite(x)]
    if not len(x) or not np.isfinite(value):
        return np.nan
    # Scores are sums of weights with few decimals: compare with a tolerance.
    tol = 1e-9
    below = np.sum(x < value - tol)
    ties = np.sum(np.abs(x - value) <= tol)
    return float(100.0 * (below + 0.5 * ties) / len(x))


# --- Strategies ------------------------------------------------------------------------


def greedy_plan(s: Setting, order: np.ndarray | None = None) -> np.ndarray:
    """Each mentee in ``order`` (default roster order) takes the best mentor with room.

    Returns mentor positions (-1 = unplaced). See the module docstring for required
    pairs and min loads.

    >>> import mentormatch as mm
    >>> from mentormatch.evaluate.quality import encode
    >>> s = encode(mm.synthesize_district(seed=1))
    >>> plan = greedy_plan(s)
    >>> bool((np.bincount(plan, minlength=s.m) <= s.capacity).all())
    True
    """
    # Rank of each mentor for each mentee: score down, then the earlier mentor.
    keys = np.where(s.allowed, -s.total, np.inf)
    return _in_turn(s, _ranks(keys), order)


def nearest_plan(s: Setting, order: np.ndarray | None = None) -> np.ndarray:
    """Each mentee in ``order`` (default roster order) takes the nearest mentor with
    room: same unit, then neighbouring, then far; ties by score, then mentor order."""
    ranks = np.empty(s.total.shape, dtype=np.int64)
    for i in range(s.n):
        # lexsort: last key first; mentor order breaks the remaining ties.
        ranks[i, np.lexsort((np.arange(s.m), -np.nan_to_num(s.total[i]), -s.proximity[i]))] = (
            np.arange(s.m)
        )
    return _in_turn(s, ranks, order)


def _ranks(keys: np.ndarray) -> np.ndarray:
    order = np.argsort(keys, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(keys.shape[1])[None, :], axis=1)
    return ranks


def _in_turn(s: Setting, ranks: np.ndarray, order: np.ndarray | None) -> np.ndarray:
    """Mentees in turn take their best-ranked allowed mentor with room."""
    order = np.arange(s.n) if order is None else np.asarray(order)
    mentor = np.full(s.n, -1, dtype=np.int64)
    load = np.zeros(s.m, dtype=np.int64)
    for sid, mid in s.required:
        i, j = s.mentees.get_loc(sid), s.mentors.get_loc(mid)
        mentor[i] = j
        load[j] += 1
    waiting = [i for i in order if mentor[i] < 0]
    allowed = s.allowed
    for k, i in enumerate(waiting):
        options = allowed[i] & (load < s.capacity)
        shortfall = np.maximum(s.min_load - load, 0)
        if shortfall.sum() >= len(waiting) - k:
            under = options & (shortfall > 0)
            if under.any():
                options = under
        if not options.any():
            continue
        j = int(np.argmin(np.where(options, ranks[i], np.iinfo(np.int64).max)))
        mentor[i] = j
        load[j] += 1
    return mentor


def random_plan(s: Setting, rng: np.random.Generator) -> np.ndarray:
    """One random feasible plan: mentor positions (-1 = unplaced).

    Each mentor offers ``capacity`` places, of which ``min_load`` are *required*
    places. Every allowed (mentee, place) pair gets an independent uniform weight, and
    the plan that fills the most required places and then has the largest total weight
    is taken (an assignment problem). Without rules this is uniform over the ways of
    giving every mentee its own place with every required place filled, so a mentor
    with more free places is proportionally more likely. Required pairs (constraints
    ``keep``) are always in the plan; a mentee no allowed place can take stays unplaced.

    >>> import mentormatch as mm
    >>> from mentormatch.evaluate.quality import encode
    >>> s = encode(mm.synthesize_district(seed=1))
    >>> plan = random_plan(s, np.random.default_rng(0))
    >>> load = np.bincount(plan, minlength=s.m)
    >>> bool((load <= s.capacity).all() and (load >= s.min_load).all())
    True
    """
    place_mentor = np.repeat(np.arange(s.m), s.capacity)
    if len(place_mentor) == 0:
        return np.full(s.n, -1, dtype=np.int64)
    rank_in_mentor = np.arange(len(place_mentor)) - np.repeat(
        np.cumsum(s.capacity) - s.capacity, s.capacity
    )
    required_place = rank_in_mentor < s.min_load[place_mentor]
    weight = rng.random((s.n, len(place_mentor)))
    # Lexicographic priorities as separated weight scales: avoid disallowed pairs, then
    # keep required pairs, then fill required places, then the random weights.
    fill = s.n + 1.0
    keep = fill * (s.n + 1.0)
    avoid = keep * (s.n + 1.0)
    weight = weight + fill * required_place[None, :]
    for sid, mid in s.required:
        i, j = s.mentees.get_loc(sid), s.mentors.get_loc(mid)
        weight[i, place_mentor == j] += keep
    allowed = s.allowed[:, place_mentor]
    weight = np.where(allowed, weight, -avoid)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    mentor = np.full(s.n, -1, dtype=np.int64)
    ok = allowed[rows, cols]
    mentor[rows[ok]] = place_mentor[cols[ok]]
    return mentor


def bases_for(s: Setting, mentor: np.ndarray) -> np.ndarray:
    """Practice bases for a mentor plan, as :func:`mentormatch.match` adds them.

    The same second flow as the plan's (:func:`mentormatch.optimize.solve` on the base
    score table, rounded as :func:`mentormatch.score_pairs` rounds it): as many mentees
    with a base as the capacities allow, then the maximum total base score
    (:func:`~mentormatch.evaluate.quality.base_scores`). Returns base positions (-1 = none).
    """
    base = np.full(s.n, -1, dtype=np.int64)
    placed = np.flatnonzero(mentor >= 0)
    if not len(s.bases) or not len(placed) or s.base_capacity.sum() == 0:
        return base
    table = pd.DataFrame(np.round(base_scores(s, mentor)[placed], 6))
    # OR-Tools: a thousand random plans' bases in seconds (networkx's simplex, which the
    # plan uses on a district, takes ten times as long); the optimum is the same.
    chosen = assign_bases(table, pd.Series(s.base_capacity), solver="ortools")
    chosen = chosen.to_numpy(dtype=float)
    got = ~np.isnan(chosen)
    base[placed[got]] = chosen[got].astype(np.int64)
    return base
