"""Salon groups (一午一时): who sits with whom in the monthly online salon, who leads.

All secretaries in post sit in ``n_groups`` groups (10 in Putuo); each month every
group discusses the same common problem. :func:`salon_plan` forms the groups by
anticlustering (:mod:`mentormatch.groups.problem`, solved by the exchange method of
:mod:`mentormatch.groups.exchange`):

* group sizes differ by at most one;
* each group is **balanced** on sub-district/town, community type, cohort (born 1980
  or later, or before) and facilitators: every category has an even share in every
  group, give or take one (``floor`` or ``ceil`` of its count over the groups);
* each group is **as diverse inside as possible**: the sum of the distances between
  its members on the clustering distance (:class:`mentormatch.features.SecretaryFeatures`:
  community type, challenges, age, years in post, households, share aged 60+,
  capacity index) is maximised, which also makes the groups alike each other;
* each group has a **facilitator**: a secretary in the top quartile of the capacity
  index (:func:`mentormatch.assess.latest_capacity`, at least its 75th percentile
  among the secretaries in post who were assessed); on a roster without
  assessments, a secretary in the top quartile of years in post
  (:func:`facilitators_by_rule`; the plan and its summary say which rule was used);
* optional must-link and cannot-link pairs of secretaries are kept.

Sizes, pairs and facilitators are hard rules (an :class:`~mentormatch.InfeasibleError`
says which cannot be met). Balance is met exactly whenever the solver finds a way,
which it does on the sample district for every number of groups tried (1 to 40, 50,
60 and 68); must-link sets can make it unreachable, and then
:attr:`SalonPlan.violation` says by how much it is missed. Secretaries who have left
the post sit in no group: :meth:`SalonPlan.to_frame` lists them with the reason "left
the post".

**Facilitators are secretaries, not mentors (a decision).** The salon is the
secretaries' own peer forum ("all secretaries sit in 10 groups"); the 13 mentors are
not on the roster of secretaries, have mentees of their own and would leave three
groups with two and ten with one. The top quartile gives about 70 facilitators, 6 or
7 per group, so every group has several and none depends on one person being free.
``mentors=True`` adds the mentors as extra members on top: each joins one group
(groups still without a facilitator first, then the fewest mentors), and counts as
that group's lead facilitator.

The comparison with chance uses two kinds of random partitions
(:mod:`mentormatch.groups.draws`): with the same group sizes only (exactly
uniform), and under the same rules (sizes, balance, facilitators, must-link and
cannot-link). The *percentile* is the share of random partitions less diverse than
ours, ties counting half.

**Two engines, chosen by size** (``method="auto"``; :attr:`SalonPlan.method` says
which ran; ``method="exchange"`` or ``"fast"`` forces one):

* below :data:`FAST_FROM` (1,000) secretaries in post, the **exchange method**
  (:mod:`mentormatch.groups.exchange`) on the full ``n x n`` matrix of the
  clustering distance, as always: the sample district's plans are unchanged;
* from 1,000 on, the **fast method** (:mod:`mentormatch.groups.fast`): the k-means
  criterion on the encoder's numeric embedding
  (:meth:`~mentormatch.features.MixedEncoder.transform`: one-hot community type, 0/1
  challenges, range-scaled numbers, each block scaled so that its variance is its
  share of the weights, the same "a block counts as its weight" as the distance),
  with nearest-neighbour exchange partners and the same rules checked swap by swap.
  Its squared Euclidean distance is not the mixed distance (which takes Jaccard on
  challenges and L1 on numbers), but weighs the same blocks alike, and equal group
  centroids on it are what "groups alike each other" means.

Why 1,000: one start of the exchange method costs about ``n^2`` per pass and a
diversity of a random partition ``n^2`` too; at 1,000 in post a plan (5 starts, 1,000
random partitions of each kind) takes about 50 times the project's yardstick (scipy's
``linear_sum_assignment`` on a random 2,000 x 2,000 matrix) and 5 starts alone about
9 times, while the fast method takes about 2 times and its diversity, on the
distance itself, is within 0.3% of the exchange method's
(``benchmarks/bench_groups.py``). At 6,000 the exchange method took 235 s, the fast
method about 3 s.

With the fast method, no ``n x n`` matrix is built: :attr:`SalonPlan.diversity`
sums each group's distances (:func:`within_sums`), ``mean_all`` is estimated from
:data:`MEAN_ALL_ROWS` secretaries drawn at random against all, and the random
partitions are fewer (:data:`N_RANDOM_FAST` of each kind; those under the rules are
the start's groups shuffled within kinds, :func:`mentormatch.groups.draws.shuffle_within_kinds`).

A **Region** (a city or a nation) is grouped by :func:`form_salon_groups` too, county
by county with ``within="county"`` (:mod:`mentormatch.groups.regional`: the fast
method on all counties at once); :func:`salon_plan` takes a District only.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from mentormatch.district import District
from mentormatch.errors import DataError, InfeasibleError
from mentormatch.features import SecretaryFeatures, secretary_features
from mentormatch.groups.arguments import check_balance, check_groups, check_pairs
from mentormatch.groups.comparison import (  # noqa: F401 (MEAN_ALL_ROWS: importable here)
    MEAN_ALL_ROWS,
    compare,
    compare_fast,
    mean_all_sampled,
    within_pairs,
    within_sums,
)
from mentormatch.groups.exchange import anticluster
from mentormatch.groups.facilitators import facilitators_by_rule, place_mentors, years_in_post
from mentormatch.groups.fast import fast_anticluster
from mentormatch.groups.plan import (
    BASELINES,
    SalonPlan,
    balance_table,
    facilitator_table,
    group_profiles,
    roster_table,
)
from mentormatch.groups.problem import encode, encode_rules, percentile
from mentormatch.groups.regional import WITHIN, region_salon
from mentormatch.groups.terms import BALANCE, variable_values
from mentormatch.groups.topics import MONTHS, TOPIC_COLUMNS, topic_plan
from mentormatch.region import Region

__all__ = [
    "salon_plan",
    "form_salon_groups",
    "max_groups",
    "facilitators_by_rule",
    "default_starts",
    "within_sums",
    "MEAN_ALL_ROWS",
    "METHODS",
    "FAST_FROM",
    "N_RANDOM",
    "N_RANDOM_FAST",
    "N_STARTS",
    "MAX_STARTS",
]

#: The engines: ``"exchange"`` (full distance matrix), ``"fast"`` (k-means criterion
#: with nearest-neighbour partners), ``"auto"`` (by the number in post, see FAST_FROM).
METHODS = ("auto", "exchange", "fast")
#: From this many secretaries in post, ``method="auto"`` uses the fast method.
FAST_FROM = 1000
#: Random partitions of each kind in the comparison (exchange method).
N_RANDOM = 1000
#: ... and with the fast method, where each costs about 12 ms at city size.
N_RANDOM_FAST = 20
#: Starts of the exchange method for a district (more for small ones, see
#: :func:`default_starts`).
N_STARTS = 5
#: At most this many starts, however small the district.
MAX_STARTS = 50


def salon_plan(
    d: District,
    n_groups: int = 10,
    *,
    seed: int | None = 0,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    balance: Sequence[str] = BALANCE,
    mentors: bool = False,
    weights: Mapping[str, float] | None = None,
    n_starts: int | None = None,
    n_random: int | None = None,
    months: int = MONTHS,
    progress: bool | None = None,
    method: str = "auto",
) -> SalonPlan:
    """Form the salon groups, compare them with chance, and plan the topics.

    Parameters
    ----------
    d : District
    n_groups : int
        Number of groups, between 1 and the number of secretaries in post.
    seed : int or None
        Seeds the starts and the random partitions: same data and seed, same plan.
    must_link, cannot_link : iterable of (secretary_id, secretary_id)
        Pairs who must sit in the same group, or in different groups (or a table
        whose first two columns hold the pairs).
    balance : sequence of str
        Variables to balance (:data:`BALANCE_VARIABLES`); facilitators are always
        balanced as well.
    mentors : bool
        Add the District's mentors to the groups as lead facilitators (see the
        module docstring). By default facilitators are top-quartile secretaries.
    weights : dict, optional
        Block weights of the distance (:data:`mentormatch.features.BLOCK_WEIGHTS`).
    n_starts : int, optional
        Starts of the exchange method (the best is kept); by default
        :func:`default_starts` (the fast method: 1).
    n_random : int, optional
        Random partitions of each kind to compare with (0: no comparison); by default
        :data:`N_RANDOM`, or :data:`N_RANDOM_FAST` with the fast method.
    months : int
        Length of the topic plan (0: no plan).
    progress : bool, optional
        Progress bar for the random partitions (by default only in a terminal or a
        notebook, and only when they take more than a second).
    method : {"auto", "exchange", "fast"}
        The engine (see the module docstring): ``"auto"`` takes the exchange method
        below :data:`FAST_FROM` secretaries in post and the fast method from there.

    Returns
    -------
    SalonPlan

    Raises
    ------
    DataError
        Bad arguments, unknown or departed secretaries in the pairs.
    InfeasibleError
        Rules no grouping can meet: too few facilitators for the groups, a must-link
        set larger than a group, contradictory pairs, too many secretaries who must
        all sit apart.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> plan = mm.salon_plan(d, n_groups=10, n_random=50, progress=False)
    >>> sorted(set(plan.sizes.tolist())), plan.violation, plan.check()
    ([28, 29], 0, [])
    >>> plan.random_percentile
    100.0
    >>> len(plan.to_frame()) == len(d.secretaries)
    True
    """
    if isinstance(d, Region):
        raise DataError.say(
            "salon_plan takes a District; for a Region use "
            "mentormatch.groups.region_salon(r, n_groups, within='county').",
            "salon_plan 只接受区（District）；地区（Region）请用 "
            "mentormatch.groups.region_salon(r, n_groups, within='county')。",
        )
    post_mask = ~d.departed.to_numpy()
    post = d.secretaries[post_mask]
    n = len(post)
    n_groups = check_groups(n_groups, n)
    variables = check_balance(balance)
    if method not in METHODS:
        raise DataError(f"method must be one of {list(METHODS)}, got {method!r}")
    fast = method == "fast" or (method == "auto" and n >= FAST_FROM)
    if n_starts is None:
        n_starts = 1 if fast else default_starts(n)
    if n_random is None:
        n_random = N_RANDOM_FAST if fast else N_RANDOM
    for name, value in (("n_starts", n_starts), ("n_random", n_random)):
        low = 1 if name == "n_starts" else 0
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
            raise DataError(f"{name} must be a whole number >= {low}, got {value!r}")
    ids = post["secretary_id"].astype(str).tolist()
    index = {s: i for i, s in enumerate(ids)}
    must = check_pairs(must_link, "must-link", index, d)
    cannot = check_pairs(cannot_link, "cannot-link", index, d)

    # The clustering distance, fitted on the secretaries in post (as clustering does).
    all_features = secretary_features(d)
    features = all_features[post_mask]
    encoder = SecretaryFeatures(weights=weights).fit(features)
    codes = encoder.encode(features)
    # The exchange method sweeps the full distance matrix; the fast one never builds it.
    D = None if fast else encoder.code_distances(codes)

    # The latest capacity index, as in the features (NaN for those never assessed).
    capacity = all_features["capacity"].to_numpy(dtype=float)
    post_capacity = capacity[post_mask]
    facilitator, threshold, rule = facilitators_by_rule(post, post_capacity)
    n_mentors = len(d.mentors) if mentors else 0
    if facilitator.sum() + n_mentors < n_groups:
        raise InfeasibleError(
            [
                f"every group needs a facilitator, but only {int(facilitator.sum())} secretaries "
                f"in post are in the top quartile of "
                + ("the capacity index" if rule == "capacity" else "years in post")
                + (f" and there are {n_mentors} mentors" if mentors else "")
                + f" for {n_groups} groups: ask for at most "
                f"{int(facilitator.sum()) + n_mentors} groups"
                + ("" if mentors else " or let the mentors lead groups (--mentors)")
            ],
            shortfall=int(n_groups - facilitator.sum() - n_mentors),
        )
    categories = pd.DataFrame(
        {v: variable_values(post, v) for v in variables}
        | {"facilitator": np.where(facilitator, "facilitator", "other")}
    )
    rules = {
        "categories": categories,
        "required": None if mentors else facilitator,
        "must_link": must,
        "cannot_link": cannot,
        "names": ids,
    }
    group_seed, random_seed = np.random.SeedSequence(seed).spawn(2)
    if fast:
        inst = encode_rules(n, n_groups, **rules)
        X = encoder.embed(codes)
        result = fast_anticluster(inst, X, n_starts=n_starts, seed=group_seed)
    else:
        inst = encode(D, n_groups, **rules)
        result = anticluster(inst, n_starts=n_starts, seed=group_seed)
    labels = _renumber(result.labels)

    # Mentors, when they join, go where a facilitator is missing first.
    fac_per_group = np.bincount(labels[facilitator], minlength=n_groups)
    mentor_group = place_mentors(d.mentors, fac_per_group) if mentors else {}
    covered = (fac_per_group > 0) | np.isin(np.arange(n_groups), list(mentor_group.values()))
    if not covered.all():
        raise InfeasibleError(
            [
                f"groups {', '.join(str(g + 1) for g in np.flatnonzero(~covered))} are left "
                "without a facilitator under these rules: relax some must-link or "
                "cannot-link pairs or ask for fewer groups"
            ]
        )

    if fast:
        # Small blocks of distances: one BLAS thread is faster (see fast.py).
        with threadpool_limits(limits=1):
            within = within_sums(encoder, codes, labels, n_groups)
            diversity = float(within.sum() / 2)
            random = compare_fast(inst, result, encoder, codes, n_random, random_seed, progress)
            mean_all = mean_all_sampled(encoder, codes, random_seed)
    else:
        within = None
        random = compare(inst, result, n_random, random_seed, progress)
        diversity = float(result.diversity)
        mean_all = float(D[np.triu_indices(n, 1)].mean()) if n > 1 else float("nan")
    pairs = within_pairs(labels, n_groups)
    groups = pd.Series(labels + 1, index=pd.Index(ids, name="secretary_id"), name="group")
    tenure = years_in_post(post)
    facilitators = facilitator_table(
        d,
        post,
        labels,
        facilitator,
        post_capacity,
        mentor_group,
        rank=post_capacity if rule == "capacity" else tenure,
    )
    roster = roster_table(d, post_mask, labels, facilitator, facilitators, capacity)
    bal = balance_table(categories, labels, inst, n_groups)
    profiles = group_profiles(
        post, labels, D, facilitator, facilitators, post_capacity, n_groups, within=within
    )
    percentiles = {
        key: percentile(diversity, random.loc[random["baseline"] == key, "diversity"].to_numpy())
        for key in BASELINES
        if (random["baseline"] == key).any()
    }
    return SalonPlan(
        groups=groups,
        n_groups=n_groups,
        balance_variables=(*variables, "facilitator"),
        roster=roster,
        balance=bal,
        violation=int(result.violation),
        diversity=diversity,
        mean_within=diversity / pairs if pairs else float("nan"),
        mean_all=mean_all,
        profiles=profiles,
        facilitators=facilitators,
        capacity_threshold=threshold if rule == "capacity" else float("nan"),
        facilitator_rule=rule,
        tenure_threshold=threshold if rule == "tenure" else float("nan"),
        random=random,
        percentiles=percentiles,
        topics=topic_plan(d, months) if months else pd.DataFrame(columns=TOPIC_COLUMNS),
        starts=result.starts,
        trace=result.trace,
        must_link=tuple((ids[i], ids[j]) for i, j in must),
        cannot_link=tuple((ids[i], ids[j]) for i, j in cannot),
        mentors_join=bool(mentors),
        seed=seed,
        synthetic=d.synthetic,
        method="fast" if fast else "exchange",
        objective=float(result.diversity) if fast else float("nan"),
    )


def max_groups(d: District, *, mentors: bool = False) -> int:
    """The most salon groups that can each have a facilitator: the secretaries in post
    in the top quartile of the capacity index (plus the mentors, when they join), and
    no more than the secretaries in post.

    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> max_groups(d) >= 10, max_groups(d, mentors=True) - max_groups(d)
    (True, 13)
    """
    post = ~d.departed.to_numpy()
    capacity = secretary_features(d)["capacity"].to_numpy(dtype=float)[post]
    facilitator, _, _ = facilitators_by_rule(d.secretaries[post], capacity)
    return int(min(post.sum(), facilitator.sum() + (len(d.mentors) if mentors else 0)))


def standard_size(d: District, wanted: int = 10) -> tuple[int, bool]:
    """The report's salon: ``wanted`` groups (ten, as in Putuo), fewer on a roster too
    small to give each a facilitator; mentors join as leads only when the top-quartile
    secretaries are too few. Returns ``(n_groups, mentors)`` for :func:`salon_plan`.

    >>> import mentormatch as mm
    >>> standard_size(mm.synthesize_district(seed=1))
    (10, False)
    """
    n_groups = min(wanted, max_groups(d, mentors=True))
    return n_groups, max_groups(d) < n_groups


def default_starts(n: int) -> int:
    """Starts of the exchange method for ``n`` secretaries: :data:`N_STARTS` for a
    district, more for small ones, as many as take about the time of 5 starts on 300
    secretaries (one start costs about ``n^2``), at most :data:`MAX_STARTS`.

    A small group of secretaries leaves few swaps that keep every balance bound, so
    single starts end in weaker local optima; more starts find better ones.

    >>> default_starts(282), default_starts(100), default_starts(20)
    (5, 45, 50)
    """
    return int(min(MAX_STARTS, max(N_STARTS, N_STARTS * (300 / max(n, 1)) ** 2)))


#: Options of :func:`form_salon_groups` that a Region takes (the rest are a District's).
REGION_OPTIONS = ("seed", "balance", "weights")


def form_salon_groups(
    d: District | Region, n_groups: int = 10, *, within: str | None = None, **options
) -> pd.Series:
    """The salon groups alone: ``secretary_id`` -> group, for every secretary in post.

    Parameters
    ----------
    d : District or Region
    n_groups : int
        Groups in the pool, or in each county with ``within="county"``.
    within : {None, "county"}
        None: one pool (a District's salon; a Region of at most
        :data:`~mentormatch.groups.regional.MAX_POOL` secretaries). ``"county"``:
        groups inside each county (a District is one county: the same groups as
        None); a Region's counties are grouped all at once
        (:func:`~mentormatch.groups.regional.region_salon`), each getting
        ``n_groups`` groups or fewer when it has too few secretaries or
        facilitators (a :class:`~mentormatch.groups.regional.FewerGroupsWarning`
        says which).
    **options
        For a District, those of :func:`salon_plan`; for a Region, ``seed``,
        ``balance`` and ``weights`` (:data:`REGION_OPTIONS`).

    Returns
    -------
    Series
        A District's groups are 1 .. n_groups, the same as ``salon_plan(d, n_groups,
        **options).groups`` (the random comparison is skipped; it does not change
        the groups). A Region's, with ``within="county"``, read ``"<county>-<group>"``
        (an ordered categorical: county by county, group 1 first); in one pool,
        1 .. n_groups.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> groups = mm.form_salon_groups(d, n_groups=10)
    >>> len(groups) == len(d.in_post), groups.nunique()
    (True, 10)
    >>> groups.value_counts().agg(["min", "max"]).tolist()
    [28, 29]
    >>> r = mm.synthesize_region(seed=1, n_secretaries=2_000, n_mentors=100, n_bases=130)
    >>> by_county = mm.form_salon_groups(r, n_groups=10, within="county")
    >>> by_county.nunique(), by_county.iloc[0], by_county.cat.categories[-1]
    (50, '0-1', '4-10')
    """
    if within not in WITHIN:
        raise DataError.say(
            f"within must be 'county' or None, got {within!r}.",
            f"within 应为 'county' 或 None，而不是 {within!r}。",
        )
    if isinstance(d, Region):
        unknown = sorted(set(options) - set(REGION_OPTIONS))
        if unknown:
            takes, not_ = ", ".join(REGION_OPTIONS), ", ".join(unknown)
            raise DataError.say(
                f"A Region's salon takes only {takes}; not {not_}.",
                f"地区的沙龙分组只接受 {takes}，不接受 {not_}。",
            )
        return region_salon(d, n_groups, within=within, **options).groups
    options = {**options, "n_random": 0, "months": 0}
    return salon_plan(d, n_groups, **options).groups


# --- Building the result -------------------------------------------------------------------


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Groups 0..G-1 in the order of their first member in the roster."""
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[labels]
