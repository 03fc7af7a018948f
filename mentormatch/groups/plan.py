"""The salon plan (:class:`SalonPlan`): groups, balance, diversity against chance,
facilitators and topics, with the tables a planner reads.

:func:`mentormatch.groups.salon.salon_plan` makes it; the builders below turn the
solver's labels into its tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.groups.problem import EPS, Instance, sizes_text
from mentormatch.groups.terms import BALANCE_VARIABLES, COHORT_YEAR, LEFT_THE_POST, variable_values

__all__ = [
    "SalonPlan",
    "BASELINES",
    "facilitator_table",
    "roster_table",
    "balance_table",
    "group_profiles",
]

#: The kinds of random partitions compared with, in words.
BASELINES = {
    "same_rules": "random partitions under the same rules (sizes, balance, facilitators, links)",
    "same_sizes": "random partitions with the same group sizes (uniform)",
}


@dataclass(frozen=True, eq=False)
class SalonPlan:
    """The salon's groups, their balance, diversity, facilitators and topics.

    Attributes
    ----------
    groups : Series
        ``secretary_id`` -> group (1..n_groups) for every secretary **in post**, in
        roster order. Groups are numbered by their first member in the roster.
    n_groups : int
    balance_variables : tuple of str
        The variables balanced (``facilitator`` included).
    roster : DataFrame
        Every secretary of the District (see :meth:`to_frame`).
    balance : DataFrame
        One row per variable, category and group: ``variable``, ``category``,
        ``group``, ``count``, ``low``, ``high`` (the even-share bounds) and ``within``.
    violation : int
        How far counts lie outside their bounds, summed (0: perfectly balanced).
    diversity : float
        Sum of the distances between members of the same group (the objective).
    mean_within, mean_all : float
        Mean distance between two members of the same group, and between any two
        secretaries in post (random groups would give about ``mean_all``).
    profiles : DataFrame
        One row per group: size, facilitators, lead facilitator, sub-districts,
        community types, young cohort, mean distance within, mean capacity index.
    facilitators : DataFrame
        One row per facilitator: ``group``, ``kind`` ("secretary" or "mentor"),
        ``id``, ``name``, ``capacity`` (NaN for mentors), ``lead`` (one per group:
        the mentor if one joined, else the secretary with the highest index).
    capacity_threshold : float
        The lowest capacity index of a facilitating secretary (the quartile); NaN
        when facilitators were chosen by years in post.
    facilitator_rule : str
        How facilitating secretaries were chosen: ``"capacity"`` (top quartile of the
        capacity index) or ``"tenure"`` (top quartile of years in post, on a roster
        without assessments; see :func:`mentormatch.groups.salon.facilitators_by_rule`).
    tenure_threshold : float
        With the ``"tenure"`` rule, the fewest years in post of a facilitator.
    random : DataFrame
        ``baseline`` ("same_rules" or "same_sizes") and ``diversity`` of each random
        partition (empty when ``n_random`` was 0).
    percentiles : dict
        Baseline -> percentile of our diversity among its random partitions.
    topics : DataFrame
        The monthly topic plan (:func:`mentormatch.groups.topics.topic_plan`).
    starts, trace : DataFrame
        Each start of the exchange method, and the key after each of its swaps
        (:class:`mentormatch.groups.exchange.Anticlustering`).
    must_link, cannot_link : tuple of (str, str)
        The pairs of secretary IDs kept.
    mentors_join : bool
        Mentors were added to the groups as facilitators.
    seed : int or None
    synthetic : bool
        The District was synthetic (charts say so).
    method : str
        The engine that formed the groups: ``"exchange"`` (the exchange method on the
        full distance matrix) or ``"fast"`` (the k-means criterion on the features,
        nearest-neighbour partners; :mod:`mentormatch.groups.fast`).
    objective : float
        With the fast method, its k-means criterion (sum of squared distances to the
        group centroids on the feature embedding); NaN with the exchange method.

    Examples
    --------
    >>> import mentormatch as mm
    >>> plan = mm.salon_plan(mm.synthesize_district(seed=1), n_random=20, progress=False)
    >>> plan.balance_table("cohort").loc["range"].tolist()
    ['10-11', '17-18']
    >>> frame = plan.to_frame()
    >>> bool(frame.loc[frame["reason"] == "left the post", "group"].isna().all())
    True
    >>> plan.topics[["month", "topic", "kind", "n_findings"]].head(3)
       month             topic       kind  n_findings
    0      1     delivers_fast  dimension          11
    1      2  residents_follow  dimension          10
    2      3   members_managed  dimension           9
    """

    groups: pd.Series
    n_groups: int
    balance_variables: tuple[str, ...]
    roster: pd.DataFrame
    balance: pd.DataFrame
    violation: int
    diversity: float
    mean_within: float
    mean_all: float
    profiles: pd.DataFrame
    facilitators: pd.DataFrame
    capacity_threshold: float
    random: pd.DataFrame
    percentiles: dict[str, float]
    topics: pd.DataFrame
    starts: pd.DataFrame
    trace: pd.DataFrame
    must_link: tuple[tuple[str, str], ...]
    cannot_link: tuple[tuple[str, str], ...]
    mentors_join: bool
    seed: int | None
    synthetic: bool = False
    facilitator_rule: str = "capacity"
    tenure_threshold: float = float("nan")
    method: str = "exchange"
    objective: float = float("nan")

    @property
    def random_percentile(self) -> float:
        """Percentile against random partitions under the same rules (NaN if none)."""
        return self.percentiles.get("same_rules", float("nan"))

    @property
    def sizes(self) -> pd.Series:
        """Group -> number of secretaries."""
        return self.groups.value_counts().sort_index().rename("size")

    def to_frame(self) -> pd.DataFrame:
        """One row per secretary of the District, in roster order.

        Columns: ``secretary_id``, ``name``, ``group`` (empty for those who left),
        ``facilitator``, ``lead``, ``street_town``, ``community_type``, ``cohort``,
        ``capacity`` (latest index), ``reason`` ("left the post", or empty).
        """
        return self.roster.copy()

    def balance_table(self, variable: str, lang: str = "en") -> pd.DataFrame:
        """Counts of one balance variable: groups x categories (labels in ``lang``,
        "zh", "en" or "code"), with a last row ``range`` (fewest-most over groups)."""
        if variable not in self.balance_variables:
            raise DataError(
                f"{variable!r} was not balanced; the plan balanced {list(self.balance_variables)}"
            )
        t = self.balance[self.balance["variable"] == variable]
        wide = t.pivot(index="group", columns="category", values="count")
        vocab = BALANCE_VARIABLES[variable][0]
        order = [c for c in vocab.codes if c in wide.columns]
        wide = wide[order]
        spans = [f"{int(wide[c].min())}-{int(wide[c].max())}" for c in order]
        if lang in ("zh", "en"):
            wide.columns = [vocab[c].label(lang) for c in order]
        wide.columns.name = None
        out = wide.astype("int64").astype(object)
        out.loc["range"] = spans
        return out

    def check(self) -> list[str]:
        """Every rule the groups break, in words (empty: all hold).

        Checked from :attr:`groups` and the roster alone: sizes, must-link and
        cannot-link pairs, a facilitator in every group, every balance bound.
        """
        problems = []
        sizes = self.sizes
        if len(sizes) != self.n_groups:
            problems.append(f"{len(sizes)} groups hold members, not {self.n_groups}")
        if len(sizes) and sizes.max() - sizes.min() > 1:
            problems.append(f"group sizes differ by more than one: {sizes.tolist()}")
        for a, b in self.must_link:
            if self.groups.get(a) != self.groups.get(b):
                problems.append(f"{a} and {b} must sit together")
        for a, b in self.cannot_link:
            if self.groups.get(a) == self.groups.get(b):
                problems.append(f"{a} and {b} must sit apart")
        led = set(self.facilitators["group"])
        for g in range(1, self.n_groups + 1):
            if g not in led:
                problems.append(f"group {g} has no facilitator")
        bad = self.balance[~self.balance["within"]]
        for _, r in bad.iterrows():
            problems.append(
                f"group {r['group']} holds {r['count']} of {r['variable']} = {r['category']} "
                f"(even share: {r['low']} to {r['high']})"
            )
        return problems

    def summary(self) -> str:
        """A text report: groups, balance, facilitators, diversity against chance, topics."""
        n = len(self.groups)
        names = [BALANCE_VARIABLES[v][2].lower() for v in self.balance_variables]
        lines = [
            f"Salon groups (一午一时): {n} secretaries in post in "
            f"{sizes_text(self.sizes.tolist())}.",
        ]
        if self.violation == 0:
            lines.append(
                "Balance: every group holds an even share, give or take one, of every "
                f"category of {', '.join(names)}."
            )
        else:
            lines.append(
                f"Balance: {self.violation} count(s) outside the even share (the rules "
                "allow no better); see check()."
            )
        fac = self.facilitators
        n_sec = int((fac["kind"] == "secretary").sum())
        per = fac[fac["kind"] == "secretary"].groupby("group").size()
        rule = (
            f"in the top quartile of the capacity index (>= {self.capacity_threshold:.1f})"
            if self.facilitator_rule == "capacity"
            else "in the top quartile of years in post, as nobody was assessed "
            f"(at least {self.tenure_threshold:.0f} years)"
        )
        lines.append(
            f"Facilitators: {n_sec} secretaries {rule}, {_span(per, self.n_groups)} per group"
            + (
                f"; {int((fac['kind'] == 'mentor').sum())} mentors joined as leads"
                if self.mentors_join
                else ""
            )
            + "."
        )
        how = (
            f"the best of {len(self.starts)} starts of the exchange method"
            if self.method == "exchange"
            else "the fast method: k-means criterion "
            f"{self.objective:.1f} on the features, nearest-neighbour exchanges"
        )
        lines.append(
            f"Diversity: sum of within-group distances {self.diversity:.1f} ({how}); "
            f"mean distance within groups {self.mean_within:.4f} (all pairs "
            f"{self.mean_all:.4f})."
        )
        for key, pct in self.percentiles.items():
            sample = self.random.loc[self.random["baseline"] == key, "diversity"]
            if not len(sample):
                continue
            sd = float(sample.std()) or float("nan")
            above = int((sample > self.diversity + EPS).sum())
            ties = int((abs(sample - self.diversity) <= EPS).sum())
            if above:
                beat = f"{above} of them more diverse"
            elif ties:
                beat = f"none more diverse, {ties} as diverse"
            else:
                beat = "more diverse than all"
            lines.append(
                f"  vs {len(sample)} {BASELINES[key]}: percentile {pct:.1f} ({beat}; "
                f"random mean {sample.mean():.1f}, max {sample.max():.1f}; ours "
                f"{(self.diversity - sample.mean()) / sd:+.1f} SD)."
            )
        lines.append(
            f"Rules kept: {len(self.must_link)} must-link and {len(self.cannot_link)} "
            "cannot-link pairs."
        )
        gone = int((self.roster["reason"] == LEFT_THE_POST).sum())
        if gone:
            lines.append(f"{gone} secretaries who left the post have no group.")
        if len(self.topics):
            lines.append("Topic plan:")
            for _, t in self.topics.iterrows():
                lines.append(
                    f"  month {t['month']:>2}  {t['label_zh']} / {t['label_en']} "
                    f"({t['kind']}; {t['why_en']})"
                )
        return "\n".join(lines)

    def __repr__(self) -> str:
        pct = self.random_percentile
        shown = f", percentile={pct:.1f}" if np.isfinite(pct) else ""
        return (
            f"SalonPlan(n_groups={self.n_groups}, sizes={sorted(set(self.sizes.tolist()))}, "
            f"violation={self.violation}, diversity={self.diversity:.1f}{shown})"
        )


# --- Building the tables ------------------------------------------------------------------


def facilitator_table(
    d: District,
    post: pd.DataFrame,
    labels: np.ndarray,
    facilitator: np.ndarray,
    capacity: np.ndarray,
    mentor_group: dict[str, int],
    rank: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per facilitator (see :attr:`SalonPlan.facilitators`); the lead of a
    group without a mentor is the facilitator ranked highest by ``rank`` (default: the
    capacity index), then by ID."""
    rank = capacity if rank is None else rank
    sec = pd.DataFrame(
        {
            "group": labels[facilitator] + 1,
            "kind": "secretary",
            "id": post["secretary_id"].to_numpy()[facilitator],
            "name": post["name"].to_numpy()[facilitator],
            "capacity": capacity[facilitator],
            "_rank": rank[facilitator],
        }
    )
    names = dict(zip(d.mentors["mentor_id"].astype(str), d.mentors["name"], strict=True))
    men = pd.DataFrame(
        {
            "group": [g + 1 for g in mentor_group.values()],
            "kind": "mentor",
            "id": list(mentor_group),
            "name": [names[m] for m in mentor_group],
            "capacity": np.nan,
            "_rank": np.nan,
        }
    )
    out = pd.concat([men, sec] if len(men) else [sec], ignore_index=True)
    # Lead: a mentor when one joined, else the highest capacity index (then the ID).
    out = out.sort_values(
        ["group", "kind", "_rank", "id"], ascending=[True, True, False, True], kind="stable"
    ).reset_index(drop=True)
    out = out.drop(columns="_rank")
    out["lead"] = ~out["group"].duplicated()
    return out.astype(
        {"group": "int64", "kind": "str", "id": "str", "name": "str", "capacity": "float64"}
    )


def roster_table(
    d: District,
    post_mask: np.ndarray,
    labels: np.ndarray,
    facilitator: np.ndarray,
    facilitators: pd.DataFrame,
    capacity: np.ndarray,
) -> pd.DataFrame:
    """One row per secretary of the District (see :meth:`SalonPlan.to_frame`)."""
    s = d.secretaries
    n_all = len(s)
    group = pd.array([pd.NA] * n_all, dtype="Int64")
    group[np.flatnonzero(post_mask)] = labels + 1
    fac = np.zeros(n_all, dtype=bool)
    fac[np.flatnonzero(post_mask)] = facilitator
    leads = set(facilitators.loc[facilitators["lead"], "id"])
    ids = s["secretary_id"].astype(str)
    return pd.DataFrame(
        {
            "secretary_id": ids.to_numpy(),
            "name": s["name"].to_numpy(),
            "group": group,
            "facilitator": fac,
            "lead": ids.isin(leads).to_numpy(),
            "street_town": s["street_town"].to_numpy(),
            "community_type": s["community_type"].to_numpy(),
            "cohort": variable_values(s, "cohort"),
            "capacity": capacity,
            "reason": np.where(post_mask, "", LEFT_THE_POST),
        }
    ).astype(
        {
            "secretary_id": "str",
            "name": "str",
            "street_town": "str",
            "community_type": "str",
            "cohort": "str",
            "reason": "str",
        }
    )


def balance_table(
    categories: pd.DataFrame, labels: np.ndarray, inst: Instance, n_groups: int
) -> pd.DataFrame:
    """Counts of every category in every group (see :attr:`SalonPlan.balance`)."""
    rows = []
    col = {key: c for c, key in enumerate(inst.columns)}
    for var in categories.columns:
        vocab = BALANCE_VARIABLES[var][0]
        values = categories[var].to_numpy()
        for cat in (c for c in vocab.codes if (values == c).any()):
            c = col[(var, cat)]
            counts = np.bincount(labels[values == cat], minlength=n_groups)
            for g in range(n_groups):
                rows.append((var, cat, g + 1, int(counts[g]), int(inst.low[c]), int(inst.high[c])))
    out = pd.DataFrame(rows, columns=["variable", "category", "group", "count", "low", "high"])
    out["within"] = out["count"].between(out["low"], out["high"])
    return out.astype({"variable": "str", "category": "str"})


def group_profiles(
    post: pd.DataFrame,
    labels: np.ndarray,
    D: np.ndarray | None,
    facilitator: np.ndarray,
    facilitators: pd.DataFrame,
    capacity: np.ndarray,
    n_groups: int,
    *,
    within: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per group (see :attr:`SalonPlan.profiles`); ``within``, each group's
    sum of distances (pairs both ways), stands in for ``D`` when it is None."""
    young = post["birth_year"].to_numpy(dtype=float) >= COHORT_YEAR
    lead = facilitators[facilitators["lead"]].set_index("group")
    rows = []
    for g in range(n_groups):
        members = np.flatnonzero(labels == g)
        k = len(members)
        total = D[np.ix_(members, members)].sum() if within is None else within[g]
        rows.append(
            {
                "group": g + 1,
                "size": k,
                "facilitators": int(facilitator[members].sum()),
                "lead_id": lead["id"].get(g + 1, ""),
                "lead_name": lead["name"].get(g + 1, ""),
                "street_towns": int(post["street_town"].iloc[members].nunique()),
                "community_types": int(post["community_type"].iloc[members].nunique()),
                "born_1980_or_later": int(young[members].sum()),
                "mean_distance": float(total / (k * (k - 1))) if k > 1 else float("nan"),
                "mean_capacity": float(np.nanmean(capacity[members]))
                if np.isfinite(capacity[members]).any()
                else float("nan"),
            }
        )
    return pd.DataFrame(rows).set_index("group").astype({"lead_id": "str", "lead_name": "str"})


def _span(per_group: pd.Series, n_groups: int) -> str:
    counts = per_group.reindex(range(1, n_groups + 1), fill_value=0)
    lo, hi = int(counts.min()), int(counts.max())
    return f"{lo}" if lo == hi else f"{lo} to {hi}"
