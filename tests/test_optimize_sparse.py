"""The sparse solve against the dense one, split against whole, backend against backend."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentormatch.candidates import candidate_pairs
from mentormatch.errors import DataError, InfeasibleError
from mentormatch.optimize import flow_network, solve
from mentormatch.optimize.sparse import independent_parts, solve_edges, sparse_flow_network
from mentormatch.region_synth import synthesize_region

FEW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def edge_cases(draw):
    """Random pairs in up to three independent parts, scores with ties, loads, rules."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n, m = draw(st.integers(1, 9)), draw(st.integers(1, 5))
    parts = draw(st.integers(1, 3))
    mentee_part, mentor_part = rng.integers(0, parts, n), rng.integers(0, parts, m)
    same = mentee_part[:, None] == mentor_part[None, :]
    allowed = same & (rng.random((n, m)) < draw(st.floats(0.3, 1.0)))
    i, j = np.nonzero(allowed)
    score = np.round(rng.integers(0, 21, len(i)) / 20, 2)
    capacity = rng.integers(0, 4, m)
    min_load = np.minimum(rng.integers(0, 2, m), capacity) * draw(st.booleans())
    required = np.zeros(len(i), dtype=bool)
    for mentee in rng.choice(n, size=min(n, draw(st.integers(0, 2))), replace=False):
        edges = np.flatnonzero(i == mentee)
        if len(edges):
            required[rng.choice(edges)] = True
    order = rng.permutation(len(i))  # the input need not be sorted
    return i[order], j[order], score[order], capacity, min_load, required[order], n, m


def dense_objective(i, j, score, capacity, min_load, required, n, m, **kwargs):
    values = np.full((n, m), np.nan)
    values[i, j] = score
    table = pd.DataFrame(values)
    pairs = list(zip(i[required].tolist(), j[required].tolist(), strict=True))
    try:
        return round(
            solve(
                table, pd.Series(capacity), min_load=pd.Series(min_load), required=pairs, **kwargs
            ).objective,
            6,
        )
    except InfeasibleError:
        return None


def sparse_objective(i, j, score, capacity, min_load, required, n, m, **kwargs):
    try:
        plan = solve_edges(
            i, j, score, capacity, min_load, required=required, n_mentees=n, **kwargs
        )
    except InfeasibleError:
        return None
    return round(plan.objective, 6)


@FEW
@given(edge_cases())
def test_sparse_equals_dense(case):
    assert sparse_objective(*case) == dense_objective(*case)


@FEW
@given(edge_cases())
def test_parts_apart_equal_one_solve(case):
    assert sparse_objective(*case, split=True) == sparse_objective(*case, split=False)


@settings(max_examples=60, deadline=None)
@given(edge_cases())
def test_networkx_equals_ortools(case):
    assert sparse_objective(*case, solver="networkx") == sparse_objective(*case, solver="ortools")


@settings(max_examples=60, deadline=None)
@given(edge_cases())
def test_plan_is_valid(case):
    i, j, score, capacity, min_load, required, n, m = case
    try:
        plan = solve_edges(i, j, score, capacity, min_load, required=required, n_mentees=n)
    except InfeasibleError:
        return
    assert (plan.mentor >= 0).all()
    # Each mentee's pair is one of its input pairs, by position.
    assert (i[plan.edge] == np.arange(n)).all() and (j[plan.edge] == plan.mentor).all()
    load = np.bincount(plan.mentor, minlength=m)
    assert (load <= capacity).all() and (load >= min_load).all()
    assert required[plan.edge].sum() == required.sum()
    assert plan.objective == pytest.approx(score[plan.edge].sum())


@pytest.fixture(scope="module")
def city():
    region = synthesize_region(seed=11, n_secretaries=3_000, n_mentors=150, n_bases=0)
    c = candidate_pairs(region)
    mentee = np.searchsorted(c.mentees, c.mentee)
    loads = region.mentors["capacity"].to_numpy(), region.mentors["min_load"].to_numpy()
    return mentee, c.mentor, c.score, *loads, c.required, c.n_mentees


def test_counties_are_parts(city):
    mentee, mentor, score, capacity, min_load, required, n = city
    n_parts, _, mentor_part = independent_parts(mentee, mentor, n, len(capacity))
    assert n_parts == 8  # the synthetic city's counties share no mentor
    plan = solve_edges(mentee, mentor, score, capacity, min_load, required=required, n_mentees=n)
    whole = solve_edges(
        mentee, mentor, score, capacity, min_load, required=required, n_mentees=n, split=False
    )
    assert plan.n_parts == 8 and whole.n_parts == 1
    assert plan.cost == whole.cost
    assert len(np.unique(mentor_part)) == 8


def test_parallel_gives_the_same_plan(city):
    mentee, mentor, score, capacity, min_load, required, n = city
    one = solve_edges(mentee, mentor, score, capacity, min_load, required=required, n_mentees=n)
    two = solve_edges(
        mentee, mentor, score, capacity, min_load, required=required, n_mentees=n, n_jobs=2
    )
    assert (one.mentor == two.mentor).all() and one.cost == two.cost


@pytest.mark.parametrize("apart", [False, True])
def test_infeasible_parts_are_all_explained(apart, monkeypatch):
    # Part one: two mentees, one place. Part two: a mentor whose min load nobody can meet.
    if apart:  # tiny parts are solved together unless every part is large enough
        monkeypatch.setattr("mentormatch.optimize.parts.MIN_PART_ARCS", 1)
    with pytest.raises(InfeasibleError) as error:
        solve_edges(
            [0, 1, 2],
            [0, 0, 1],
            [0.5, 0.5, 0.5],
            [1, 1, 3],
            [0, 0, 1],
            mentees=["a", "b", "c"],
            mentors=["Wang", "Li", "Zhao"],
        )
    message = str(error.value)
    assert "'a', 'b'" in message and "'Wang'" in message and "'Zhao'" in message
    assert error.value.details.get("parts", 1) == (2 if apart else 1)


def test_allow_unassigned_places_as_many_as_possible():
    plan = solve_edges([0, 1, 2], [0, 0, 1], [0.5, 0.9, 0.2], [1, 1], allow_unassigned=True)
    assert plan.mentor.tolist() == [-1, 0, 1]
    assert plan.unassigned.tolist() == [0]
    assert np.isnan(plan.score[0]) and plan.objective == pytest.approx(1.1)


def test_required_pair_wins_and_drops_the_others():
    plan = solve_edges([0, 0, 1], [0, 1, 1], [0.9, 0.1, 0.5], [1, 2], required=[False, True, False])
    assert plan.mentor.tolist() == [1, 1]
    with pytest.raises(InfeasibleError, match="two or more mentors"):
        solve_edges([0, 0], [0, 1], [0.9, 0.1], [1, 1], required=[True, True])


@pytest.mark.parametrize(
    "args",
    [
        ([0, 1], [0], [0.5, 0.5], [1]),  # lengths differ
        ([0], [0], [1.5], [1]),  # score outside [0, 1]
        ([0, 0], [0, 0], [0.5, 0.5], [2]),  # the same pair twice
        ([0], [3], [0.5], [1]),  # no such mentor
        ([0], [0], [0.5], [1, 2]),  # ... but two loads for one mentor? fine: two mentors
    ],
)
def test_bad_input(args):
    if len(args[3]) == 2:
        assert solve_edges(*args).mentor.tolist() == [0]
        return
    with pytest.raises(DataError):
        solve_edges(*args)


def test_digraph_is_the_dense_network():
    scores = pd.DataFrame(
        {"Wang": [0.9, 0.4, np.nan], "Li": [0.6, 0.8, 0.3]}, index=["a", "b", "c"]
    )
    dense = flow_network(scores, capacity=2, min_load={"Wang": 1, "Li": 0}, required=[("a", "Li")])
    i, j = np.nonzero(~np.isnan(scores.to_numpy()))
    sparse = sparse_flow_network(
        i,
        j,
        scores.to_numpy()[i, j],
        [2, 2],
        [1, 0],
        required=(i == 0) & (j == 1),
        mentees=scores.index,
        mentors=scores.columns,
    )
    assert nx.utils.graphs_equal(dense, sparse)
    assert nx.min_cost_flow_cost(sparse) == nx.min_cost_flow_cost(dense)
