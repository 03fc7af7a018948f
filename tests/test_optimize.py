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

from mentormatch.errors import InfeasibleError
from mentormatch.optimize import (
    PRECISION,
    assign,
    blocking_pairs,
    check_validity,
    flow_network,
    solve,
)

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

    def allowed(self) -> np.ndarray:
        ok = ~np.isnan(self.S)
        for i, j in self.forbidden:
            ok[i, j] = False
        return ok

    def positions(self, plan: pd.Series) -> list:
        """A plan as a list of mentor positions (None = unplaced)."""
        where = {name: j for j, name in enumerate(self.mentors())}
        return [None if pd.isna(x) else where[x] for x in plan.to_numpy()]


score_values = st.one_of(
    st.none(),
    st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]),  # ties
    st.floats(0, 1, allow_nan=False),
)


@st.composite
def cases(draw, max_mentees=8, max_mentors=4, rules=True, min_loads=True, mentor_scores=False):
    n = draw(st.integers(1, max_mentees))
    m = draw(st.integers(1, max_mentors))
    cells = draw(st.lists(score_values, min_size=n * m, max_size=n * m))
    S = np.array([np.nan if x is None else x for x in cells], dtype=float).reshape(n, m)
    cap = np.array(draw(st.lists(st.integers(0, 4), min_size=m, max_size=m)))
    low = np.zeros(m, dtype=int)
    if min_loads and draw(st.booleans()):
        low = np.array(draw(st.lists(st.integers(0, 2), min_size=m, max_size=m)))
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, m - 1))
    forbidden = draw(st.lists(pair, max_size=3)) if rules else []
    required = draw(st.lists(pair, max_size=2)) if rules else []
    M = None
    if mentor_scores:
        M = np.array(draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0]), min_size=n * m,
                                   max_size=n * m)), dtype=float).reshape(n, m)
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
    assert check_validity(**case.kwargs(), assignment=result.mentor) == []
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
        assert check_validity(**case.kwargs(), assignment=result.mentor) == []
        plan = case.positions(result.mentor)
        rounded = sum(round(case.S[i, j] * PRECISION) for i, j in enumerate(plan))
        outcomes.append(("optimal", rounded))
    assert outcomes[0] == outcomes[1]


def test_scores_are_exact_to_the_stated_precision():
    # Two plans whose sums differ by less than the precision: either is acceptable,
    # and the reported objective is the true (unrounded) sum of the chosen plan.
    scores = pd.DataFrame({"X": [0.5000004, 0.5], "Y": [0.5, 0.5000004]}, index=["a", "b"])
    result = solve(scores, 1)
    assert result.objective == pytest.approx(1.0000008, abs=2 / PRECISION)


def test_plan_keeps_input_order_and_is_deterministic():
    rng = np.random.default_rng(7)
    mentees = [f"s{k}" for k in rng.permutation(50)]
    scores = pd.DataFrame(np.round(rng.random((50, 6)), 1), index=mentees,
                          columns=list("UVWXYZ"))
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
        i: j for (_, i), out in ((u, flow[u]) for u in G if G.nodes[u]["kind"] == "mentee")
        for (_, j), f in out.items() if f
    }
    total = sum(scores.loc[i, j] for i, j in plan.items())
    result = solve(scores, 5, min_load=low, forbidden=[(1, "W")], required=[(2, "Y")])
    assert total == pytest.approx(result.objective, abs=12 / PRECISION)
    loads = pd.Series(plan).value_counts()
    assert all(loads.get(j, 0) >= k for j, k in low.items())


# --------------------------------------------------------------------------- fair
@settings(max_examples=150, deadline=None)
@given(cases(max_mentees=6, max_mentors=3))
def test_fair_equals_brute_force(case):
    plans = list(every_plan(case))
    if not plans:
        with pytest.raises(InfeasibleError):
            assign(**case.kwargs(), objective="fair")
        return
    fixed = {i for i, _ in case.required}

    def bottleneck(plan):
        return min((case.S[i, j] for i, j in enumerate(plan) if i not in fixed),
                   default=math.inf)

    best = max(bottleneck(p) for p in plans)
    best_sum = max(plan_total(case, p) for p in plans if bottleneck(p) == best)
    result = solve(**case.kwargs(), objective="fair")
    plan = case.positions(result.mentor)
    assert check_validity(**case.kwargs(), assignment=result.mentor) == []
    assert bottleneck(plan) == best
    assert abs(result.objective - best_sum) <= tolerance(case)


def test_fair_trades_sum_for_the_worst_off():
    scores = pd.DataFrame({"X": [1.0, 0.5], "Y": [0.45, 0.0]}, index=["a", "b"])
    assert assign(scores, 1).tolist() == ["X", "Y"]
    fair = solve(scores, 1, objective="fair")
    assert fair.mentor.tolist() == ["Y", "X"]
    assert fair.min_score == 0.45


# --------------------------------------------------------------------------- stable
@FEW
@given(cases(max_mentees=10, max_mentors=4, min_loads=False, mentor_scores=True))
def test_stable_has_no_blocking_pairs(case):
    case.required = []
    result = solve(**case.kwargs(), objective="stable", allow_unassigned=True)
    plan = case.positions(result.mentor)
    assert check_validity(**case.kwargs(), assignment=result.mentor,
                          allow_unassigned=True) == []
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
@given(cases(max_mentees=8, max_mentors=4, min_loads=False, mentor_scores=True),
       st.integers(0, 2**32 - 1))
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
    series = pd.Series([None if j is None else mentors[j] for j in plan], index=case.mentees(),
                       dtype=object)
    frame = blocking_pairs(args["scores"], args["capacity"], series,
                           args.get("mentor_scores"), forbidden=args["forbidden"])
    got = {(int(a[1:]), int(b[1:])) for a, b in zip(frame["mentee"], frame["mentor"],
                                                     strict=True)}
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
    case.required = [p for p in dict((i, (i, j)) for i, j in case.required).values()
                     if not np.isnan(case.S[p])]
    fixed = np.bincount([j for _, j in case.required], minlength=case.m)
    if (fixed > case.cap).any():
        return
    plans = list(every_plan(case, allow_unassigned=True))
    most = max(sum(j is not None for j in p) for p in plans)
    best = max(plan_total(case, p) for p in plans if sum(j is not None for j in p) == most)
    for objective in ("total", "fair"):
        result = solve(**case.kwargs(), objective=objective, allow_unassigned=True)
        assert len(result.mentor) - len(result.unassigned) == most
        assert check_validity(**case.kwargs(), assignment=result.mentor,
                              allow_unassigned=True) == []
        if objective == "total":
            assert abs(result.objective - best) <= tolerance(case)
