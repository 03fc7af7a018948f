"""Properties of mentormatch.optimize, each checked against an independent reference.

- ``total`` against a linear program written here from scratch (scipy's HiGHS);
- networkx against OR-Tools;
- ``fair`` against enumeration of every plan;
- ``stable`` against the definition of a blocking pair and enumeration of every matching;
- ``allow_unassigned`` against an independent maximum flow and enumeration.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from mentormatch.errors import DataError, InfeasibleError
from mentormatch.optimize import (
    PRECISION,
    assign,
    blocking_pairs,
    check_validity,
    flow_network,
    pricing,
    solve,
)
from mentormatch.optimize.instance import Instance
from mentormatch.optimize.network import integer_costs
from mentormatch.optimize.pricing import proven_optimal
from mentormatch.optimize.total import solve_total

FEW = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- instances
@dataclass
class Case:
    """A random instance, as numbers (for the references) and as frames (for the API)."""

    S: np.ndarray  # mentee x mentor scores, NaN = not allowed
    cap: np.ndarray
    low: np.ndarray
    forbidden: list  # (i, j) positions
    required: list
    M: np.ndarray | None = None  # mentor scores

    @property
    def n(self) -> int:
        return self.S.shape[0]

    @property
    def m(self) -> int:
        return self.S.shape[1]

    def mentees(self):
        return [f"e{i}" for i in range(self.n)]

    def mentors(self):
        return [f"M{j}" for j in range(self.m)]

    def kwargs(self) -> dict:
        mentees, mentors = self.mentees(), self.mentors()
        args = {
            "scores": pd.DataFrame(self.S, index=mentees, columns=mentors),
            "capacity": pd.Series(self.cap, index=mentors),
            "min_load": pd.Series(self.low, index=mentors),
            "forbidden": [(mentees[i], mentors[j]) for i, j in self.forbidden],
            "required": [(mentees[i], mentors[j]) for i, j in self.required],
        }
        if self.M is not None:
            args["mentor_scores"] = pd.DataFrame(self.M, index=mentees, columns=mentors)
        return args

    def rules(self) -> dict:
        """The arguments of check_validity (no mentor scores)."""
        return {k: v for k, v in self.kwargs().items() if k != "mentor_scores"}

    def allowed(self) -> np.ndarray:
        ok = ~np.isnan(self.S)
        for i, j in self.forbidden:
            ok[i, j] = False
        return ok

    def positions(self, plan: pd.Series) -> list:
        """A plan as a list of mentor positions (None = unplaced)."""
        where = {name: j for j, name in enumerate(self.mentors())}
        return [None if pd.isna(x) else where[x] for x in plan.to_numpy()]


@st.composite
def cases(
    draw,
    max_mentees=8,
    max_mentors=4,
    rules=True,
    min_loads=True,
    mentor_scores=False,
    tight=0.3,
    min_mentees=1,
    min_mentors=1,
):
    """Random instances: hypothesis draws the shape and a seed, the seeded generator the
    rest, so that about half are feasible and the others fail in every way. ``tight`` is
    the share of instances with hardly more places than mentees."""
    n = draw(st.integers(min_mentees, max_mentees))
    m = draw(st.integers(min_mentors, max_mentors))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    agree = rng.random() < 0.7  # rules that mostly agree with each other
    if rng.random() < 0.5:
        S = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], (n, m))  # many ties
    else:
        S = rng.random((n, m))  # many distinct sums: close calls for the rounding
    S[rng.random((n, m)) < rng.choice([0.0, 0.1, 0.3])] = np.nan
    if rng.random() < tight:
        # Hardly more places than mentees: mentees compete for the good mentors.
        cap = rng.multinomial(n + rng.integers(0, 2), np.ones(m) / m)
    else:
        cap = rng.integers(1 if agree else 0, 2 * n // m + 3, m)
    low = np.zeros(m, dtype=int)
    if min_loads and rng.random() < 0.5:
        low = rng.integers(0, 3, m) * (rng.random(m) < 0.5)
        low = np.minimum(low, cap) if agree else low
    forbidden, required = [], []
    if rules:
        pairs = [(int(k // m), int(k % m)) for k in rng.permutation(n * m)]
        forbidden = pairs[: rng.integers(0, 3)]
        candidates = pairs[::-1]
        if agree:
            # Every mentee keeps an allowed mentor if it can; required pairs are
            # allowed, one per mentee.
            for i in range(n):
                free = [j for j in range(m) if (i, j) not in forbidden]
                if free and all(np.isnan(S[i, j]) for j in free):
                    S[i, rng.choice(free)] = rng.random()
            candidates = [p for p in candidates if not np.isnan(S[p]) and p not in forbidden]
            candidates = list({i: (i, j) for i, j in candidates}.values())
        required = candidates[: rng.integers(0, 3)]
    M = rng.choice([0.0, 0.5, 1.0, 2.0], (n, m)) if mentor_scores else None
    return Case(S, cap, low, forbidden, required, M)


# --------------------------------------------------------------------------- references
def lp_optimum(case: Case) -> float | None:
    """Max total score by linear programming (integral: the matrix is totally
    unimodular), or None when the LP is infeasible."""
    n, m = case.n, case.m
    lower = np.zeros((n, m))
    for i, j in case.required:
        lower[i, j] = 1
    upper = case.allowed().astype(float)
    if (lower > upper).any():
        return None
    each_mentee = sp.kron(sp.eye(n), np.ones((1, m)))  # sum_j x_ij = 1
    each_mentor = sp.kron(np.ones((1, n)), sp.eye(m))  # sum_i x_ij
    result = linprog(
        -np.nan_to_num(case.S).ravel(),
        A_ub=sp.vstack([each_mentor, -each_mentor]),
        b_ub=np.concatenate([case.cap, -case.low]),
        A_eq=each_mentee,
        b_eq=np.ones(n),
        bounds=np.column_stack([lower.ravel(), upper.ravel()]),
        method="highs",
    )
    assert result.status in (0, 2), result.message
    return -result.fun if result.status == 0 else None


def every_plan(case: Case, *, allow_unassigned=False):
    """Every valid plan as a tuple of mentor positions (None = unplaced)."""
    allowed = case.allowed()
    required = dict()
    for i, j in case.required:
        required.setdefault(i, set()).add(j)
    options = []
    for i in range(case.n):
        mine = [j for j in range(case.m) if allowed[i, j]]
        if i in required:
            mine = [j for j in mine if j in required[i]] if len(required[i]) == 1 else []
        options.append(mine + ([None] if allow_unassigned and i not in required else []))
    for plan in itertools.product(*options):
        load = np.bincount([j for j in plan if j is not None], minlength=case.m)
        if (load <= case.cap).all() and (load >= case.low).all():
            yield plan


def prefers(score_row, a, b) -> bool:
    """Whether a is preferred to b (higher score, then earlier position; None is worst)."""
    if b is None:
        return a is not None
    if a is None:
        return False
    return (score_row[a], -a) > (score_row[b], -b)


def brute_blocking(case: Case, plan) -> set:
    """Blocking pairs straight from the definition."""
    M = case.S if case.M is None else case.M
    allowed = case.allowed()
    found = set()
    for i, j in itertools.product(range(case.n), range(case.m)):
        if not allowed[i, j] or plan[i] == j or not prefers(case.S[i], j, plan[i]):
            continue
        members = [k for k in range(case.n) if plan[k] == j]
        if len(members) < case.cap[j] or any(prefers(M[:, j], i, k) for k in members):
            found.add((i, j))
    return found


def plan_total(case: Case, plan) -> float:
    return sum(case.S[i, j] for i, j in enumerate(plan) if j is not None)


def tolerance(case: Case) -> float:
    return case.n / PRECISION + 1e-9


# --------------------------------------------------------------------------- total
@FEW
@given(cases())
def test_total_equals_the_lp_optimum(case):
    expected = lp_optimum(case)
    if expected is None:
        with pytest.raises(InfeasibleError):
            assign(**case.kwargs())
        return
    result = solve(**case.kwargs())
    assert abs(result.objective - expected) <= tolerance(case)
    assert check_validity(**case.rules(), assignment=result.mentor) == []
    plan = case.positions(result.mentor)
    assert result.objective == pytest.approx(plan_total(case, plan), abs=1e-12)
    assert list(result.mentor.index) == case.mentees()
    assert result.mentor.name == "mentor"


@settings(max_examples=60, deadline=None)
@given(cases(max_mentees=40, max_mentors=8), st.integers(0, 2**32 - 1))
def test_backends_reach_the_same_optimum(case, seed):
    # Fine-grained random scores make many distinct costs, unlike the drawn grid.
    rng = np.random.default_rng(seed)
    case.S = np.where(np.isnan(case.S), np.nan, rng.random(case.S.shape))
    outcomes = []
    for solver in ("networkx", "ortools"):
        try:
            result = solve(**case.kwargs(), solver=solver)
        except InfeasibleError as error:
            outcomes.append(("infeasible", error.shortfall, sorted(error.unplaceable)))
            continue
        assert result.solver == solver
        assert check_validity(**case.rules(), assignment=result.mentor) == []
        plan = case.positions(result.mentor)
        rounded = sum(round(case.S[i, j] * PRECISION) for i, j in enumerate(plan))
        outcomes.append(("optimal", rounded))
    assert outcomes[0] == outcomes[1]


@settings(max_examples=40, deadline=None)
@given(cases(max_mentees=20, max_mentors=5), st.integers(0, 2**32 - 1))
def test_total_is_exact_on_the_precision_grid(case, seed):
    # Scores a few units of 1 / PRECISION apart: rounding loses nothing, so the plan
    # must reach the LP optimum to floating-point accuracy, not just within the bound.
    rng = np.random.default_rng(seed)
    grid = 0.5 + rng.integers(0, 20, case.S.shape) / PRECISION
    case.S = np.where(np.isnan(case.S), np.nan, grid)
    expected = lp_optimum(case)
    if expected is not None:
        assert solve(**case.kwargs()).objective == pytest.approx(expected, abs=1e-9)


def test_scores_are_exact_to_the_stated_precision():
    # Two plans whose sums differ by less than the precision: either is acceptable,
    # and the reported objective is the true (unrounded) sum of the chosen plan.
    scores = pd.DataFrame({"X": [0.5000004, 0.5], "Y": [0.5, 0.5000004]}, index=["a", "b"])
    result = solve(scores, 1)
    assert result.objective == pytest.approx(1.0000008, abs=2 / PRECISION)


def test_plan_keeps_input_order_and_is_deterministic():
    rng = np.random.default_rng(7)
    mentees = [f"s{k}" for k in rng.permutation(50)]
    scores = pd.DataFrame(np.round(rng.random((50, 6)), 1), index=mentees, columns=list("UVWXYZ"))
    for objective in ("total", "fair", "stable"):
        first = assign(scores, 10, objective=objective)
        assert list(first.index) == mentees
        for _ in range(2):
            pd.testing.assert_series_equal(assign(scores, 10, objective=objective), first)


def test_auto_solver_follows_the_size_threshold():
    small = pd.DataFrame(np.full((5, 2), 0.5), columns=["X", "Y"])
    big = pd.DataFrame(np.full((200, 60), 0.5))
    assert solve(small, 5).solver == "networkx"
    assert solve(big, 5).solver == "ortools"
    assert solve(small, 5, solver="ortools").solver == "ortools"


def test_min_loads_are_honoured():
    # Everyone prefers X; min loads force some mentees onto Y and Z.
    scores = pd.DataFrame({"X": [0.9] * 6, "Y": [0.2] * 6, "Z": [0.1] * 6})
    plan = assign(scores, 6, min_load={"X": 0, "Y": 2, "Z": 1})
    assert plan.value_counts().to_dict() == {"X": 3, "Y": 2, "Z": 1}


def test_flow_network_is_the_total_problem():
    rng = np.random.default_rng(3)
    scores = pd.DataFrame(rng.random((12, 4)), columns=list("WXYZ"))
    scores.iloc[0, 1] = np.nan
    low = {"W": 0, "X": 2, "Y": 0, "Z": 3}
    G = flow_network(scores, 5, min_load=low, forbidden=[(1, "W")], required=[(2, "Y")])
    assert G.number_of_nodes() == 12 + 4 + 2
    assert not G.has_edge(("mentee", 0), ("mentor", "X"))  # NaN
    assert not G.has_edge(("mentee", 1), ("mentor", "W"))  # forbidden
    assert list(G.successors(("mentee", 2))) == [("mentor", "Y")]  # required
    assert G.nodes[("mentor", "Z")]["demand"] == 3
    assert G.edges[("mentor", "Z"), "sink"]["capacity"] == 2
    flow = nx.min_cost_flow(G)
    plan = {
        i: j
        for (_, i), out in ((u, flow[u]) for u in G if G.nodes[u]["kind"] == "mentee")
        for (_, j), f in out.items()
        if f
    }
    total = sum(scores.loc[i, j] for i, j in plan.items())
    result = solve(scores, 5, min_load=low, forbidden=[(1, "W")], required=[(2, "Y")])
    assert total == pytest.approx(result.objective, abs=12 / PRECISION)
    loads = pd.Series(plan).value_counts()
    assert all(loads.get(j, 0) >= k for j, k in low.items())


# --------------------------------------------------------------------------- fair
@settings(max_examples=150, deadline=None)
@given(cases(max_mentees=6, max_mentors=3, tight=0.8, min_mentees=3, min_mentors=2))
def test_fair_equals_brute_force(case):
    plans = list(every_plan(case))
    if not plans:
        with pytest.raises(InfeasibleError):
            assign(**case.kwargs(), objective="fair")
        return
    fixed = {i for i, _ in case.required}

    def bottleneck(plan):
        return min((case.S[i, j] for i, j in enumerate(plan) if i not in fixed), default=math.inf)

    best = max(bottleneck(p) for p in plans)
    best_sum = max(plan_total(case, p) for p in plans if bottleneck(p) == best)
    result = solve(**case.kwargs(), objective="fair")
    plan = case.positions(result.mentor)
    assert check_validity(**case.rules(), assignment=result.mentor) == []
    assert bottleneck(plan) == best
    assert abs(result.objective - best_sum) <= tolerance(case)


def test_fair_trades_sum_for_the_worst_off():
    scores = pd.DataFrame({"X": [1.0, 0.5], "Y": [0.45, 0.0]}, index=["a", "b"])
    assert assign(scores, 1).tolist() == ["X", "Y"]
    fair = solve(scores, 1, objective="fair")
    assert fair.mentor.tolist() == ["Y", "X"]
    assert fair.min_score == 0.45
    # Here the fairest plan gives b its best mentor: the bottleneck is b's best score.
    scores = pd.DataFrame({"X": [1.0, 0.5], "Y": [0.5, 0.1]}, index=["a", "b"])
    assert solve(scores, 1, objective="fair").min_score == 0.5


# --------------------------------------------------------------------------- stable
@FEW
@given(cases(max_mentees=10, max_mentors=4, min_loads=False, mentor_scores=True))
def test_stable_has_no_blocking_pairs(case):
    case.required = []
    result = solve(**case.kwargs(), objective="stable", allow_unassigned=True)
    plan = case.positions(result.mentor)
    assert check_validity(**case.rules(), assignment=result.mentor, allow_unassigned=True) == []
    assert brute_blocking(case, plan) == set()
    assert result.blocking_pairs.empty
    assert result.solver == "deferred-acceptance"


@settings(max_examples=150, deadline=None)
@given(cases(max_mentees=5, max_mentors=3, min_loads=False, mentor_scores=True))
def test_stable_is_the_mentee_optimal_stable_matching(case):
    case.required = []
    stable = [p for p in every_plan(case, allow_unassigned=True) if not brute_blocking(case, p)]
    result = solve(**case.kwargs(), objective="stable", allow_unassigned=True)
    plan = tuple(case.positions(result.mentor))
    assert plan in stable
    for other in stable:
        for i in range(case.n):
            assert not prefers(case.S[i], other[i], plan[i])


@FEW
@given(
    cases(max_mentees=8, max_mentors=4, min_loads=False, mentor_scores=True),
    st.integers(0, 2**32 - 1),
)
def test_blocking_pairs_match_the_definition(case, seed):
    # Any plan at all, stable or not, within capacity.
    rng = np.random.default_rng(seed)
    allowed = case.allowed()
    plan, load = [], np.zeros(case.m, dtype=int)
    for i in range(case.n):
        options = [j for j in np.flatnonzero(allowed[i]) if load[j] < case.cap[j]]
        j = int(rng.choice(options)) if options and rng.random() < 0.8 else None
        plan.append(j)
        if j is not None:
            load[j] += 1
    mentors = case.mentors()
    args = case.kwargs()
    series = pd.Series(
        [None if j is None else mentors[j] for j in plan], index=case.mentees(), dtype=object
    )
    frame = blocking_pairs(
        args["scores"],
        args["capacity"],
        series,
        args.get("mentor_scores"),
        forbidden=args["forbidden"],
    )
    got = {(int(a[1:]), int(b[1:])) for a, b in zip(frame["mentee"], frame["mentor"], strict=True)}
    assert got == brute_blocking(case, plan)


def test_stable_min_loads_are_checked_not_imposed():
    scores = pd.DataFrame({"X": [0.9, 0.8], "Y": [0.1, 0.2]}, index=["a", "b"])
    with pytest.raises(InfeasibleError, match="no stable plan meets the min loads") as err:
        solve(scores, 2, min_load={"X": 0, "Y": 1}, objective="stable")
    assert err.value.details["under_min_load"] == ["Y"]
    # The total objective can meet them.
    assert assign(scores, 2, min_load={"X": 0, "Y": 1}).tolist() == ["X", "Y"]


def test_stable_unplaced_mentee_is_explained():
    # X prefers a; b has nobody else, but a could go to Y: a plan placing both exists,
    # yet the only stable matching leaves b out.
    scores = pd.DataFrame({"X": [0.9, 0.9], "Y": [0.1, np.nan]}, index=["a", "b"])
    with pytest.raises(InfeasibleError, match="no stable plan places every mentee") as err:
        solve(scores, 1, objective="stable")
    assert err.value.unplaceable == ["b"]
    loose = solve(scores, 1, objective="stable", allow_unassigned=True)
    assert loose.unassigned == ("b",)
    assert loose.mentor.isna().tolist() == [False, True]


def test_stable_required_pairs_use_capacity():
    scores = pd.DataFrame({"X": [0.9, 0.8], "Y": [0.5, 0.5]}, index=["a", "b"])
    plan = assign(scores, 1, required=[("b", "X")], objective="stable")
    assert plan.tolist() == ["Y", "X"]


# --------------------------------------------------------------------------- unassigned
@settings(max_examples=150, deadline=None)
@given(cases(max_mentees=6, max_mentors=3, min_loads=False))
def test_allow_unassigned_places_the_most_then_the_best(case):
    for i, j in case.required:  # keep required pairs consistent: tested elsewhere
        case.forbidden = [p for p in case.forbidden if p != (i, j)]
    case.required = [
        p for p in dict((i, (i, j)) for i, j in case.required).values() if not np.isnan(case.S[p])
    ]
    fixed = np.bincount([j for _, j in case.required], minlength=case.m)
    if (fixed > case.cap).any():
        return
    plans = list(every_plan(case, allow_unassigned=True))
    most = max(sum(j is not None for j in p) for p in plans)
    best = max(plan_total(case, p) for p in plans if sum(j is not None for j in p) == most)
    for objective in ("total", "fair"):
        result = solve(**case.kwargs(), objective=objective, allow_unassigned=True)
        assert len(result.mentor) - len(result.unassigned) == most
        assert check_validity(**case.rules(), assignment=result.mentor, allow_unassigned=True) == []
        if objective == "total":
            assert abs(result.objective - best) <= tolerance(case)


# --------------------------------------------------------------------------- pricing
@settings(max_examples=100, deadline=None)
@given(cases(max_mentees=7, max_mentors=4, min_mentors=2))
def test_pricing_proves_optimality_exactly(case):
    # The certificate must accept a plan if and only if no plan placing as many mentees
    # costs less, whatever the plan, the min loads and the unplaced mentees.
    try:
        instance = Instance.from_frames(**case.kwargs())
    except InfeasibleError:
        return
    cost = integer_costs(instance.score)
    matrix = np.full((case.n, case.m), np.inf)
    matrix[instance.edge_mentee, instance.edge_mentor] = cost
    plans = list(every_plan(case, allow_unassigned=True))
    best = {}
    for plan in plans:
        placed = sum(j is not None for j in plan)
        total = sum(matrix[i, j] for i, j in enumerate(plan) if j is not None)
        best[placed] = min(best.get(placed, np.inf), total)
    for plan in plans[:: max(1, len(plans) // 25)]:
        chosen = np.array(
            [
                np.flatnonzero((instance.edge_mentee == i) & (instance.edge_mentor == j))[0]
                for i, j in enumerate(plan)
                if j is not None
            ],
            dtype=np.int64,
        )
        total = matrix[instance.edge_mentee[chosen], instance.edge_mentor[chosen]].sum()
        assert proven_optimal(instance, matrix, chosen) == (total == best[len(chosen)])


@settings(max_examples=100, deadline=None)
@given(cases(max_mentees=10, max_mentors=6, min_mentors=3, tight=0.7))
def test_pricing_reaches_the_lp_optimum(case):
    # Force pricing on small instances, starting from two candidates per mentee (with
    # one, a feasible plan would give everyone its favourite and prove nothing).
    expected = lp_optimum(case)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pricing, "PRICING_MIN_EDGES", 0)
        patch.setattr(pricing, "FIRST_CANDIDATES", 2)
        if expected is None:
            with pytest.raises(InfeasibleError):
                assign(**case.kwargs())
            return
        result = solve(**case.kwargs(), objective=pick_objective(case))
    if result.objective_name == "total":
        assert abs(result.objective - expected) <= tolerance(case)
    assert check_validity(**case.rules(), assignment=result.mentor) == []


def pick_objective(case: Case) -> str:
    return "fair" if case.n % 2 else "total"


# --------------------------------------------------------------------------- front ends
def test_sparse_edges_give_the_same_plan_as_the_dense_table():
    rng = np.random.default_rng(11)
    scores = pd.DataFrame(rng.random((300, 12)), columns=[f"m{j}" for j in range(12)])
    scores[rng.random(scores.shape) < 0.4] = np.nan
    dense = solve(scores, 40, solver="ortools")
    i, j = np.nonzero(scores.notna().to_numpy())
    shuffle = rng.permutation(len(i))  # a candidate list in any order
    instance = Instance.from_edges(
        scores.index,
        scores.columns,
        i[shuffle],
        j[shuffle],
        scores.to_numpy()[i, j][shuffle],
        40,
    )
    choice = solve_total(instance, solver="ortools", allow_unassigned=False)
    assert instance.score[choice].sum() == pytest.approx(dense.objective, abs=1e-9)
    with pytest.raises(DataError, match="only once"):
        Instance.from_edges(scores.index, scores.columns, [0, 0], [1, 1], [0.5, 0.5], 1)
    with pytest.raises(DataError, match="positions"):
        Instance.from_edges(scores.index, scores.columns, [0], [12], [0.5], 1)


def test_report_of_a_plan():
    scores = pd.DataFrame({"X": [0.2, 0.9, 0.3], "Y": [np.nan, 0.5, np.nan]}, index=list("abc"))
    result = solve(scores, 1, allow_unassigned=True, required=[("a", "X")])
    frame = result.to_frame()
    assert frame.loc["a"].tolist() == ["X", 0.2, 1, True]  # its only allowed mentor
    assert frame.loc["b"].tolist() == ["Y", 0.5, 2, False]
    assert frame.loc["c"].isna().all()
    summary = result.summary()
    assert summary[["mentees", "placed", "unassigned", "first_choices"]].tolist() == [3, 2, 1, 1]
    assert summary["total_score"] == pytest.approx(0.7)
    assert repr(result).startswith("Assignment('total': 2 of 3 mentees placed, total score 0.7")
    # X would rather have b or c than a, whom only the rule keeps there.
    assert result.blocking_pairs[["mentee", "mentor", "displaced"]].values.tolist() == [
        ["b", "X", "a"],
        ["c", "X", "a"],
    ]
