"""Salon groups of a Region: each county's secretaries in groups of their own, all at once.

``mm.form_salon_groups(r, n_groups=10, within="county")`` gives every county of a
:class:`~mentormatch.region.Region` the salon a District gets
(:mod:`mentormatch.groups.salon`), county by county:

* every county gets ``n_groups`` groups whose sizes differ by at most one, or fewer
  when it has too few secretaries or too few facilitators for that many: the
  :class:`RegionSalon` lists those counties with the reason, and a
  :class:`FewerGroupsWarning` says so;
* each group is **balanced** within its county as a District's groups are: every
  unit (sub-district/town), community type and cohort (and gender or education, if
  asked) of the county has ``floor`` or ``ceil`` of its even share in every group;
* each group has a **facilitator**: a region holds no assessments, so facilitators
  are the top quartile of years in post within the county, the District's rule for a
  roster without assessments (:func:`~mentormatch.groups.facilitators.facilitators_by_rule`);
* the groups are **diverse inside and alike each other** by the k-means criterion on
  the District's embedding (:class:`~mentormatch.features.SecretaryFeatures`), fitted
  on each county's secretaries, as a District's embedding is fitted on its own.

The engine is :mod:`mentormatch.groups.batch` (the fast method with every county a
block, all counties in every step): a county's groups are the same whether its
county is grouped alone or with the nation's 1,600 others. Group labels read
``"<county>-<group>"`` (county number as in the Region, group 1 .. n within the
county, numbered by first member as a District's are), as an ordered categorical.

``within=None`` puts all secretaries in one pool, as a District's salon does, up to
:data:`MAX_POOL` secretaries (a city); a nation in ten groups would be groups of
60,000, and a single pool of that size is refused with a :class:`~mentormatch.DataError`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.errors import DataError, InfeasibleError
from mentormatch.groups.arguments import at_least_one, check_balance, whole_groups
from mentormatch.groups.batch import block_anticluster
from mentormatch.groups.blocks import encode_blocks
from mentormatch.groups.region_encode import balance_codes, county_facilitators, region_features
from mentormatch.groups.terms import BALANCE, BALANCE_VARIABLES
from mentormatch.region import Region

__all__ = [
    "region_salon",
    "RegionSalon",
    "FewerGroupsWarning",
    "MAX_POOL",
    "WITHIN",
]

#: What ``within`` may be: ``"county"`` (groups inside each county) or None (one pool).
WITHIN = ("county", None)
#: The largest single pool (``within=None``) grouped: a city.
MAX_POOL = 20_000


class FewerGroupsWarning(UserWarning):
    """Some counties got fewer groups than asked for (too few secretaries or
    facilitators); :meth:`text` gives the message in Chinese or English."""

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh
        super().__init__(en)

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, eq=False)
class RegionSalon:
    """The salon groups of a Region.

    Attributes
    ----------
    groups : Series
        ``secretary_id`` -> group label for every secretary, in the Region's order:
        ``"<county>-<group>"`` (an ordered categorical) with ``within="county"``, the
        group number 1 .. n_groups with ``within=None``.
    facilitator : ndarray of bool
        Who facilitates (top quartile of years in post within the county, or the pool).
    counties : DataFrame
        One row per county (one row in all with ``within=None``): ``county``,
        ``secretaries``, ``facilitators``, ``groups`` (formed), ``reason`` (why fewer
        than asked for; empty when all were formed), ``hard`` (groups without a
        facilitator), ``violation`` (counts outside their even share), ``objective``
        (the k-means criterion), ``swaps``.
    n_groups : int
        Groups asked for per county (or in the pool).
    within : str or None
    balance_variables : tuple of str
        The variables balanced (``facilitator`` included).
    seed : int or None
    synthetic : bool
    """

    groups: pd.Series
    facilitator: np.ndarray
    counties: pd.DataFrame
    n_groups: int
    within: str | None
    balance_variables: tuple[str, ...]
    seed: int | None
    synthetic: bool = False

    @property
    def short(self) -> pd.DataFrame:
        """The counties with fewer groups than asked for."""
        return self.counties[self.counties["reason"] != ""]

    def to_frame(self) -> pd.DataFrame:
        """One row per secretary: ``secretary_id``, ``group``, ``facilitator``."""
        return pd.DataFrame(
            {
                "secretary_id": self.groups.index,
                "group": self.groups.to_numpy(),
                "facilitator": self.facilitator,
            }
        )

    def check(self, r: Region) -> list[str]:
        """Every rule the groups break, in words (empty: all hold), recounted from the
        Region's tables and :attr:`groups` alone: groups inside their county, as many
        as the county table says, sizes within one of each other, a facilitator in
        every group, every balance variable within ``floor``/``ceil`` of its county's
        even share (the facilitators taken from :attr:`facilitator`)."""
        s = r.secretaries
        if not self.groups.index.equals(s.index):
            return ["the groups are not those of this Region's secretaries"]
        block = s["county"].to_numpy(np.int64) if self.within == "county" else np.zeros(len(s), int)
        labels = self.groups.astype(str).to_numpy()
        gid = pd.factorize(labels)[0]
        g_block = np.zeros(int(gid.max(initial=-1)) + 1, dtype=np.int64)
        g_block[gid] = block
        problems = []
        if np.any(g_block[gid] != block):
            problems.append("a group holds secretaries of two counties")
        if self.within == "county":
            prefix = np.array([x.split("-")[0] for x in labels], dtype=np.int64)
            if np.any(prefix != block):
                problems.append("a group label names another county")
        n_groups = np.bincount(g_block, minlength=len(self.counties))
        if not np.array_equal(n_groups, self.counties["groups"].to_numpy()):
            problems.append("counties hold other numbers of groups than the county table says")
        size = np.bincount(gid)
        spread = np.zeros(len(n_groups))
        np.maximum.at(spread, g_block, size)
        low = np.full(len(n_groups), np.inf)
        np.minimum.at(low, g_block, size)
        for c in np.flatnonzero(spread - np.where(np.isinf(low), 0, low) > 1):
            problems.append(f"county {c}: group sizes differ by more than one")
        for c in np.unique(g_block[np.bincount(gid, weights=self.facilitator) == 0]):
            problems.append(f"county {c}: a group has no facilitator")
        values = {v: balance_codes(s, v) for v in self.balance_variables if v != "facilitator"}
        values["facilitator"] = self.facilitator.astype(np.int64)
        for variable, code in values.items():
            width = int(code.max(initial=0)) + 1
            cell = np.bincount(gid * width + code, minlength=len(size) * width)
            total = np.bincount(block * width + code, minlength=len(n_groups) * width)
            total = total.reshape(len(n_groups), width)[g_block]
            G = np.maximum(n_groups[g_block], 1)[:, None]
            cell = cell.reshape(len(size), width)
            bad = (cell < total // G) | (cell > -(-total // G))
            for c in np.unique(g_block[bad.any(axis=1)]):
                problems.append(f"county {c}: {variable} is not spread evenly over its groups")
        return problems

    def summary(self) -> str:
        """A few lines: groups formed, counties with fewer, rules kept."""
        c = self.counties
        where = "within each county" if self.within == "county" else "in one pool"
        lines = [
            f"Salon groups {where}: {int(c['secretaries'].sum()):,} secretaries in "
            f"{int(c['groups'].sum()):,} groups"
            + (f" over {len(c):,} counties" if self.within == "county" else "")
            + (" (synthetic)" if self.synthetic else "")
            + "."
        ]
        short = self.short
        if len(short):
            shown = "; ".join(
                f"county {r.county}: {r.groups} ({r.reason})" for r in short.head(5).itertuples()
            )
            more = f" and {len(short) - 5} more" if len(short) > 5 else ""
            lines.append(
                f"{len(short)} counties have fewer than {self.n_groups} groups: {shown}{more}."
            )
        broken = c[(c["hard"] > 0) | (c["violation"] > 0)]
        if len(broken):
            lines.append(
                f"{len(broken)} counties miss an even share by {int(broken['violation'].sum())} "
                "count(s) in all (the rules allow no better)."
            )
        else:
            names = [BALANCE_VARIABLES[v][2].lower() for v in self.balance_variables]
            lines.append(
                "Every group has a facilitator and an even share, give or take one, of every "
                f"category of {', '.join(names)} of its county."
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"RegionSalon(within={self.within!r}, counties={len(self.counties)}, "
            f"groups={int(self.counties['groups'].sum())}, short={len(self.short)})"
        )


def region_salon(
    r: Region,
    n_groups: int = 10,
    *,
    within: str | None = "county",
    seed: int | None = 0,
    balance: Sequence[str] = BALANCE,
    weights: Mapping[str, float] | None = None,
) -> RegionSalon:
    """Form the salon groups of a Region, inside each county or in one pool.

    Parameters
    ----------
    r : Region
    n_groups : int
        Groups per county (``within="county"``) or in the pool (``within=None``).
    within : {"county", None}
        Group inside each county (the default), or all secretaries together (at most
        :data:`MAX_POOL`).
    seed : int or None
        Same Region and seed, same groups; a county's groups depend on its own
        secretaries and the seed only.
    balance : sequence of str
        Variables to balance (:data:`~mentormatch.groups.terms.BALANCE_VARIABLES`);
        facilitators are always balanced too. ``street_town`` is the Region's unit.
    weights : dict, optional
        Block weights of the embedding (:data:`mentormatch.features.BLOCK_WEIGHTS`).

    Returns
    -------
    RegionSalon

    Raises
    ------
    DataError
        Bad arguments, a Region without secretaries, a single pool too large.
    InfeasibleError
        With ``within=None``: too few facilitators for the groups.

    Examples
    --------
    >>> from mentormatch.region_synth import synthesize_region
    >>> r = synthesize_region(seed=1, n_secretaries=2_000, n_mentors=100, n_bases=130)
    >>> salon = region_salon(r, n_groups=10)
    >>> len(salon.counties), int(salon.counties["groups"].sum()), len(salon.short)
    (5, 50, 0)
    >>> salon.groups.iloc[:3].tolist()
    ['0-1', '0-2', '0-3']
    >>> int(salon.counties["violation"].sum()), int(salon.counties["hard"].sum())
    (0, 0)
    """
    if not isinstance(r, Region):
        raise DataError(f"region_salon needs a Region, not {type(r).__name__}")
    if within not in WITHIN:
        raise DataError.say(
            f"within must be 'county' or None, got {within!r}.",
            f"within 应为 'county' 或 None，而不是 {within!r}。",
        )
    n_groups = at_least_one(whole_groups(n_groups))
    variables = check_balance(balance)
    s = r.secretaries
    n = len(s)
    if n == 0:
        raise DataError.say(
            "The Region has no secretaries: there is nobody to group.",
            "该地区没有书记，无人可分组。",
        )
    if within is None and n > MAX_POOL:
        raise DataError.say(
            f"A single salon pool of {n:,} secretaries is too large (at most {MAX_POOL:,}: "
            f"{n_groups} groups would hold about {n // n_groups:,} each); group within each "
            "county (within='county').",
            f"{n:,} 名书记无法作为一个沙龙整体分组（至多 {MAX_POOL:,} 名；{n_groups} 组每组约 "
            f"{n // n_groups:,} 人）；请按区县分组（within='county'）。",
        )
    county = s["county"].to_numpy(np.int64) if within == "county" else np.zeros(n, np.int64)
    n_blocks = r.n_counties if within == "county" else 1
    order = np.argsort(county, kind="stable")
    block = county[order]
    size = np.bincount(block, minlength=n_blocks)
    sorted_s = s.iloc[order]
    facilitator = county_facilitators(sorted_s, block, n_blocks)
    n_fac = np.bincount(block[facilitator], minlength=n_blocks)
    if within is None:
        _check_pool(n_groups, n, int(n_fac[0]))
    groups = np.minimum(np.minimum(n_groups, size), n_fac)
    codes = np.column_stack(
        [balance_codes(sorted_s, v) for v in variables] + [facilitator.astype(np.int64)]
    )
    X = region_features(sorted_s, block, n_blocks, weights=weights)
    root = np.random.SeedSequence(seed)
    seeds = [
        np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, c))
        for c in range(n_blocks)
    ]
    res = block_anticluster(encode_blocks(block, groups, codes, facilitator), X, seeds)
    number = _renumber(res.labels, block, groups)
    counties = _county_table(size, n_fac, groups, n_groups, res)
    if within == "county":
        start = np.concatenate([[0], np.cumsum(groups)])
        names = [f"{c}-{j + 1}" for c in range(n_blocks) for j in range(int(groups[c]))]
        codes_out = np.empty(n, dtype=np.int64)
        codes_out[order] = start[block] + number
        values = pd.Categorical.from_codes(codes_out, categories=names, ordered=True)
    else:
        values = np.empty(n, dtype=np.int64)
        values[order] = number + 1
    fac_out = np.empty(n, dtype=bool)
    fac_out[order] = facilitator
    short = counties[counties["reason"] != ""]
    if within == "county" and len(short):
        _warn_short(short, n_groups)
    return RegionSalon(
        groups=pd.Series(values, index=pd.Index(s.index, name="secretary_id"), name="group"),
        facilitator=fac_out,
        counties=counties,
        n_groups=n_groups,
        within=within,
        balance_variables=(*variables, "facilitator"),
        seed=seed,
        synthetic=r.synthetic,
    )


# --- Checks and tables ------------------------------------------------------------------


def _check_pool(n_groups: int, n: int, n_fac: int) -> None:
    if n_groups > n:
        raise DataError.say(
            f"{n_groups} salon groups were asked for, but the Region has only {n} secretaries: "
            f"ask for at most {n}.",
            f"要求分 {n_groups} 个沙龙小组，但该地区只有 {n} 名书记：请最多分 {n} 组。",
        )
    if n_fac < n_groups:
        raise InfeasibleError(
            [
                f"every group needs a facilitator, but only {n_fac} secretaries are in the top "
                f"quartile of years in post for {n_groups} groups: ask for at most {n_fac} groups"
            ],
            shortfall=n_groups - n_fac,
        )


def _renumber(labels: np.ndarray, block: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Groups numbered within each block in the order of their first member."""
    start = np.concatenate([[0], np.cumsum(groups)])
    gid = start[block] + labels
    first = np.full(int(start[-1]), len(labels), dtype=np.int64)
    np.minimum.at(first, gid, np.arange(len(labels)))
    gblock = np.repeat(np.arange(len(groups)), groups)
    order = np.lexsort((first, gblock))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - start[gblock[order]]
    return rank[gid]


def _county_table(size, n_fac, groups, wanted: int, res) -> pd.DataFrame:
    reason = np.where(
        groups >= wanted,
        "",
        np.where(
            size == 0,
            "no secretaries",
            np.where(
                size < wanted,
                [f"only {s} secretaries" for s in size],
                [f"only {f} facilitators" for f in n_fac],
            ),
        ),
    )
    return pd.DataFrame(
        {
            "county": np.arange(len(size)),
            "secretaries": size.astype(np.int64),
            "facilitators": n_fac.astype(np.int64),
            "groups": groups.astype(np.int64),
            "reason": pd.Series(reason, dtype="str"),
            "hard": res.hard,
            "violation": res.violation,
            "objective": res.objective,
            "swaps": res.swaps,
        }
    )


def _warn_short(short: pd.DataFrame, wanted: int) -> None:
    shown = short.head(5)
    en = "; ".join(f"county {r.county}: {r.groups} ({r.reason})" for r in shown.itertuples())
    zh = "；".join(
        f"区县 {r.county}：{r.groups} 组（"
        + (
            "没有书记"
            if r.secretaries == 0
            else f"只有 {r.secretaries} 名书记"
            if r.secretaries < wanted
            else f"只有 {r.facilitators} 名主持人"
        )
        + "）"
        for r in shown.itertuples()
    )
    more_en = f" and {len(short) - 5} more" if len(short) > 5 else ""
    more_zh = f"等 {len(short)} 个区县" if len(short) > 5 else ""
    warnings.warn(
        FewerGroupsWarning(
            f"{len(short)} counties get fewer than {wanted} salon groups: {en}{more_en}.",
            f"{len(short)} 个区县的沙龙小组少于 {wanted} 组：{zh}{more_zh}。",
        ),
        stacklevel=3,
    )
