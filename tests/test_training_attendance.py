"""The electives problem (mentormatch.training.attendance): exact against an independent
MILP on many random instances, valid by a separate check, never below the greedy
baseline, and the same optimum from the networkx graph researchers inspect."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

import mentormatch as mm
from mentormatch.training import (
    RESOLUTION,
    assign_sessions,
    check_attendance,
    greedy_attendance,
    session_network,
)
from mentormatch.training.attendance import attendance_total

NAN = float("nan")


@st.composite
def instances(draw):
    """Random needs up to 15 x 8 (zeros and NaNs frequent), repeated topics (and some
    sessions without one), capacities from 0, per_secretary 1 to 3."""
    n = draw(st.integers(0, 15))
    m = draw(st.integers(0, 8))
    value = st.one_of(
        st.just(0.0),
        st.just(NAN),
        st.floats(0, 30, allow_nan=False).map(lambda v: round(v, 3)),
    )
    cells = draw(st.lists(value, min_size=n * m, max_size=n * m))
    sessions = [f"E{j}" for j in range(m)]
    needs = pd.DataFrame(
        np.array(cells, dtype=float).reshape(n, m),
        index=[f"S{i:02d}" for i in range(n)],
        columns=sessions,
    )
    topics = draw(st.lists(st.sampled_from(["a", "b", "c", None]), min_size=m, max_size=m))
    caps = draw(st.lists(st.integers(0, 6), min_size=m, max_size=m))
    per = draw(st.integers(1, 3))
    return (
        needs,
        pd.Series(caps, index=sessions, dtype="int64"),
        pd.Series(topics, index=sessions, dtype=object),
        per,
    )


def milp_total(needs, capacity, topic, per) -> float:
    """The same problem as a MILP (HiGHS), built from the definition alone."""
    values = needs.to_numpy(dtype=float)
    rows, cols = np.nonzero(np.nan_to_num(values, nan=0.0) > 0)
    if len(rows) == 0:
        return 0.0
    weight = values[rows, cols]
    k = len(rows)
    constraint_rows, upper = [], []
    # One row per secretary, per (secretary, topic), per session.
    for i in np.unique(rows):
        constraint_rows.append(rows == i)
        upper.append(per)
    keys = [
        (r, topic.iloc[c] if isinstance(topic.iloc[c], str) else f"#{c}")
        for r, c in zip(rows, cols, strict=True)
    ]
    for key in sorted(set(keys), key=str):
        constraint_rows.append(np.array([kk == key for kk in keys]))
        upper.append(1)
    for j in np.unique(cols):
        constraint_rows.append(cols == j)
        upper.append(int(capacity.iloc[j]))
    a = coo_matrix(np.array(constraint_rows, dtype=float))
    result = milp(
        -weight,
        constraints=LinearConstraint(a, -np.inf, np.array(upper, dtype=float)),
        integrality=np.ones(k),
        bounds=Bounds(0, 1),
    )
    assert result.success
    return float(-result.fun)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_assign_sessions_is_exact_against_a_milp_and_valid(instance):
    needs, capacity, topic, per = instance
    best = assign_sessions(needs, capacity, topic, per)
    assert check_attendance(best, needs, capacity, topic, per) == ()
    reference = milp_total(needs, capacity, topic, per)
    total = attendance_total(best)
    assert math.isclose(total, reference, rel_tol=1e-6, abs_tol=1e-6)


@settings(max_examples=200, deadline=None)
@given(instances())
def test_the_optimum_never_falls_below_greedy_which_is_valid(instance):
    needs, capacity, topic, per = instance
    greedy = greedy_attendance(needs, capacity, topic, per)
    assert check_attendance(greedy, needs, capacity, topic, per) == ()
    best = assign_sessions(needs, capacity, topic, per)
    assert attendance_total(best) >= attendance_total(greedy) - 1e-9


@settings(max_examples=60, deadline=None)
@given(instances())
def test_the_networkx_graph_has_the_same_optimum(instance):
    needs, capacity, topic, per = instance
    graph = session_network(needs, capacity, topic, per)
    cost = nx.min_cost_flow_cost(graph) if graph.number_of_nodes() else 0
    best = assign_sessions(needs, capacity, topic, per)
    assert math.isclose(-cost * RESOLUTION, attendance_total(best), abs_tol=1e-5)


def test_greedy_loses_where_a_high_need_takes_the_only_seat_another_could_use():
    needs = pd.DataFrame({"E1": [3.0, 2.8], "E2": [2.9, 0.0]}, index=["S1", "S2"])
    seats = pd.Series({"E1": 1, "E2": 1})
    topics = pd.Series({"E1": "a", "E2": "b"})
    assert attendance_total(greedy_attendance(needs, seats, topics, 1)) == 3.0
    best = assign_sessions(needs, seats, topics, 1)
    assert best.values.tolist() == [["S1", "E2", 2.9], ["S2", "E1", 2.8]]


def test_one_session_per_topic_and_no_seat_without_need():
    needs = pd.DataFrame(
        {"E1": [5.0, NAN, 0.0], "E2": [4.0, 1.0, 0.0], "E3": [1.0, 2.0, 0.0]},
        index=["S1", "S2", "S3"],
    )
    seats = pd.Series({"E1": 3, "E2": 3, "E3": 3})
    topics = pd.Series({"E1": "a", "E2": "a", "E3": "b"})
    best = assign_sessions(needs, seats, topics, 3)
    assert best.values.tolist() == [
        ["S1", "E1", 5.0],
        ["S1", "E3", 1.0],
        ["S2", "E2", 1.0],
        ["S2", "E3", 2.0],
    ]


def test_check_attendance_names_every_broken_rule():
    needs = pd.DataFrame({"E1": [3.0, NAN], "E2": [1.0, 0.0]}, index=["S1", "S2"])
    seats = pd.Series({"E1": 1, "E2": 1})
    topics = pd.Series({"E1": "a", "E2": "a"})
    bad = pd.DataFrame(
        {
            "secretary_id": ["S1", "S1", "S2", "S2", "S9"],
            "session_id": ["E1", "E2", "E1", "E2", "E1"],
            "need": [3.0, 1.0, NAN, 0.0, 1.0],
        }
    )
    problems = check_attendance(bad, needs, seats, topics, 1)
    text = "\n".join(problems)
    assert "S2 attends E1 where it may not (need NaN)" in text
    assert "S2 attends E2 with no need" in text
    assert "S1 attends 2 sessions, over 1" in text
    assert "S1 attends topic a more than once" in text
    assert "E1 holds 3 over its 1 seats" in text
    assert "S9 attends E1: not in the needs table" in text


def test_empty_and_trivial_instances():
    empty = assign_sessions(pd.DataFrame(), pd.Series(dtype="int64"), pd.Series(dtype=object), 2)
    assert list(empty.columns) == ["secretary_id", "session_id", "need"] and empty.empty
    needs = pd.DataFrame({"E1": [1.0]}, index=["S1"])
    assert assign_sessions(needs, pd.Series({"E1": 1}), pd.Series({"E1": "a"}), 0).empty
    assert assign_sessions(needs, pd.Series({"E1": 0}), pd.Series({"E1": "a"}), 1).empty


@pytest.mark.parametrize(
    ("needs", "capacity", "per", "words"),
    [
        (pd.DataFrame({"E1": [-1.0]}, index=["S1"]), pd.Series({"E1": 1}), 1, "number >= 0"),
        (pd.DataFrame({"E1": ["x"]}, index=["S1"]), pd.Series({"E1": 1}), 1, "number >= 0"),
        (pd.DataFrame({"E1": [1.0]}, index=["S1"]), pd.Series({"E1": 1.5}), 1, "capacity"),
        (pd.DataFrame({"E1": [1.0]}, index=["S1"]), pd.Series({"E2": 1}), 1, "E1"),
        (pd.DataFrame({"E1": [1.0]}, index=["S1"]), pd.Series({"E1": 1}), -1, "per_secretary"),
        (pd.DataFrame({"E1": [1.0, 2.0]}, index=["S1", "S1"]), pd.Series({"E1": 1}), 1, "twice"),
    ],
)
def test_bad_input_is_one_sentence_in_both_languages(needs, capacity, per, words):
    with pytest.raises(mm.DataError) as caught:
        assign_sessions(needs, capacity, pd.Series({"E1": "a", "E2": "a"}), per)
    assert words in caught.value.message("en")
    zh = caught.value.message("zh")
    assert zh.endswith("。") and zh != caught.value.message("en")


def test_the_network_uses_networkx_attribute_names():
    needs = pd.DataFrame({"E1": [3.0, 2.0], "E2": [1.0, NAN]}, index=["S1", "S2"])
    g = session_network(needs, pd.Series({"E1": 1, "E2": 2}), pd.Series({"E1": "a", "E2": None}))
    assert g.nodes["source"]["demand"] == -4 and g.nodes["sink"]["demand"] == 4
    assert g.edges["source", ("secretary", "S1")]["capacity"] == 2
    assert g.edges[("pick", "S1", "a"), ("session", "E1")]["weight"] == -3_000_000
    assert ("pick", "S1", "E2") in g  # a session without a topic is its own topic
    assert not g.has_edge(("pick", "S2", "E2"), ("session", "E2"))  # NaN: no edge
    assert g.edges[("session", "E2"), "sink"]["capacity"] == 2
