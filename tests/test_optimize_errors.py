"""Bad arguments raise DataError; impossible rules raise an InfeasibleError that says why."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentormatch.errors import DataError, InfeasibleError
from mentormatch.optimize import assign, blocking_pairs, check_validity, solve


def table(rows: dict) -> pd.DataFrame:
    """Scores from {mentee: {mentor: score}}; missing pairs are NaN."""
    return pd.DataFrame.from_dict(rows, orient="index").astype(float)


# --------------------------------------------------------------------------- infeasible
def test_capacity_short():
    scores = pd.DataFrame(0.5, index=list("abcde"), columns=["X", "Y"])
    with pytest.raises(InfeasibleError, match="capacity short by 2: 5 mentees, 3 places") as err:
        assign(scores, {"X": 2, "Y": 1})
    assert err.value.shortfall == 2


def test_mentee_with_every_mentor_forbidden():
    scores = table({"a": {"X": 0.5, "Y": np.nan}, "b": {"X": 0.5, "Y": 0.5}})
    with pytest.raises(InfeasibleError, match="no allowed mentor .* 1 mentee: 'a'") as err:
        assign(scores, 2, forbidden=[("a", "X")])
    assert err.value.unplaceable == ["a"]
    assert err.value.details["no_allowed_mentor"] == ["a"]
    assert err.value.shortfall == 1


def test_hall_violator_hidden_in_enough_capacity():
    # 8 places for 6 mentees, but a-d can only use X and Y, which have 3 places.
    scores = pd.DataFrame(0.5, index=list("abcdef"), columns=["X", "Y", "Z"])
    scores.loc[list("abcd"), "Z"] = np.nan
    with pytest.raises(InfeasibleError) as err:
        assign(scores, {"X": 1, "Y": 2, "Z": 5})
    error = err.value
    assert error.details["groups"] == [
        {"mentees": ["a", "b", "c", "d"], "mentors": ["X", "Y"], "places": 3, "shortfall": 1}
    ]
    assert error.shortfall == 1
    assert error.unplaceable == ["a", "b", "c", "d"]
    assert (
        "4 mentees ('a', 'b', 'c', 'd') can only go to 2 mentors ('X', 'Y') with "
        "3 places: short by 1" in str(error)
    )
    assert "capacity short" not in str(error)


def test_two_separate_hall_violators():
    scores = table(
        {
            "a": {"X": 0.5},
            "b": {"X": 0.5},
            "c": {"Y": 0.5},
            "d": {"Y": 0.5},
            "e": {"Y": 0.5},
            "f": {"Z": 0.5},
        }
    )
    with pytest.raises(InfeasibleError) as err:
        assign(scores, {"X": 1, "Y": 1, "Z": 9})
    groups = err.value.details["groups"]
    assert [g["mentees"] for g in groups] == [["c", "d", "e"], ["a", "b"]]
    assert [g["shortfall"] for g in groups] == [2, 1]
    assert err.value.shortfall == 3


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 7), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_reported_groups_are_smallest_hall_violators(n, m, seed):
    rng = np.random.default_rng(seed)
    allowed = rng.random((n, m)) < 0.5
    cap = rng.integers(0, 3, m)
    scores = pd.DataFrame(np.where(allowed, 0.5, np.nan), columns=[f"M{j}" for j in range(m)])
    graph = nx.DiGraph()
    graph.add_edges_from(("s", ("i", i), {"capacity": 1}) for i in range(n))
    graph.add_edges_from(
        (("i", i), ("j", j), {"capacity": 1}) for i, j in zip(*np.nonzero(allowed), strict=True)
    )
    graph.add_edges_from((("j", j), "t", {"capacity": int(cap[j])}) for j in range(m))
    most = nx.maximum_flow_value(graph, "s", "t") if graph.has_node("t") else 0
    if most == n:
        assign(scores, pd.Series(cap, index=scores.columns))
        return
    with pytest.raises(InfeasibleError) as err:
        assign(scores, pd.Series(cap, index=scores.columns))
    assert err.value.shortfall == n - most
    groups = err.value.details["groups"]
    assert sum(g["shortfall"] for g in groups) == n - most

    def deficiency(mentees):
        mentors = np.flatnonzero(allowed[list(mentees)].any(axis=0))
        return len(mentees) - cap[mentors].sum()

    for group in groups:
        mentees = list(group["mentees"])
        mentors = [int(x[1:]) for x in group["mentors"]]
        assert set(np.flatnonzero(allowed[mentees].any(axis=0))) == set(mentors)
        assert deficiency(mentees) == group["shortfall"] > 0
        for size in range(1, len(mentees)):
            for subset in itertools.combinations(mentees, size):
                assert deficiency(subset) < group["shortfall"]


def test_min_loads_exceed_mentees():
    scores = pd.DataFrame(0.5, index=list("abc"), columns=["X", "Y"])
    with pytest.raises(
        InfeasibleError, match="min loads need 4 mentees in all but there are only 3"
    ):
        assign(scores, 5, min_load=2)


def test_min_load_exceeds_allowed_mentees():
    scores = table({"a": {"X": 0.5, "Y": 0.5}, "b": {"X": 0.5}, "c": {"X": 0.5}})
    with pytest.raises(
        InfeasibleError, match="mentor 'Y' needs at least 2 mentees but only 1 can go to it"
    ) as err:
        assign(scores, 3, min_load={"X": 0, "Y": 2})
    assert err.value.details["min_load_groups"][0]["mentors"] == ["Y"]


def test_min_loads_of_a_mentor_group():
    # Y and Z need 3 mentees between them, only a and b may go to them.
    scores = table(
        {
            "a": {"X": 0.5, "Y": 0.5, "Z": 0.5},
            "b": {"X": 0.5, "Y": 0.5},
            "c": {"X": 0.5},
            "d": {"X": 0.5},
        }
    )
    with pytest.raises(
        InfeasibleError,
        match="mentors 'Y', 'Z' need at least 3 mentees between them but only 2 can go to them",
    ):
        assign(scores, 4, min_load={"X": 0, "Y": 2, "Z": 1})


def test_min_load_above_capacity():
    scores = pd.DataFrame(0.5, index=list("abc"), columns=["X", "Y"])
    with pytest.raises(InfeasibleError, match="min load exceeds capacity for 'Y'"):
        assign(scores, {"X": 3, "Y": 1}, min_load={"X": 0, "Y": 2})


def test_conflicting_required_pairs():
    scores = pd.DataFrame(0.5, index=list("abcd"), columns=["X", "Y"])
    scores.loc["d", "Y"] = np.nan
    with pytest.raises(InfeasibleError) as err:
        assign(
            scores,
            3,
            forbidden=[("b", "X")],
            required=[("a", "X"), ("a", "Y"), ("b", "X"), ("d", "Y")],
        )
    text = str(err.value)
    assert "mentees required with two or more mentors: 'a'" in text
    assert "pairs both required and forbidden: ('b', 'X')" in text
    assert "required pairs that are not allowed (score NaN): ('d', 'Y')" in text
    assert err.value.unplaceable == ["a", "b", "d"]


def test_required_pairs_exceed_capacity():
    scores = pd.DataFrame(0.5, index=list("abc"), columns=["X", "Y"])
    with pytest.raises(
        InfeasibleError,
        match=r"required pairs exceed the capacity of 'X' "
        r"\(2 required, capacity 1\)",
    ):
        assign(scores, {"X": 1, "Y": 3}, required=[("a", "X"), ("b", "X")])


def test_fair_and_total_raise_the_same_explanation():
    scores = pd.DataFrame(0.5, index=list("abcde"), columns=["X", "Y"])
    for objective in ("total", "fair", "stable"):
        with pytest.raises(InfeasibleError, match="capacity short by 1"):
            assign(scores, 2, objective=objective)


def test_allow_unassigned_does_not_waive_min_loads():
    scores = pd.DataFrame(0.5, index=list("ab"), columns=["X", "Y"])
    with pytest.raises(InfeasibleError, match="min loads"):
        assign(scores, 3, min_load=2, allow_unassigned=True)


# --------------------------------------------------------------------------- bad data
GOOD = pd.DataFrame({"X": [0.5, 0.6], "Y": [0.7, np.nan]}, index=["a", "b"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scores": GOOD.astype(str)}, "should be numbers"),
        ({"scores": GOOD * 2}, "a score between 0 and 1"),
        ({"scores": GOOD - 1}, "a score between 0 and 1"),
        ({"scores": GOOD.to_numpy()}, "a pandas DataFrame"),
        ({"scores": GOOD.set_axis(["a", "a"])}, "unique mentee"),
        ({"scores": GOOD.set_axis(["X", "X"], axis=1)}, "unique mentor"),
        ({"capacity": {"X": 1, "Y": -1}}, "a whole number >= 0"),
        ({"capacity": {"X": 1, "Y": 1.5}}, "a whole number >= 0"),
        ({"capacity": {"X": 1}}, "a value for every mentor"),
        ({"capacity": [1, 2]}, "a Series"),
        ({"min_load": {"X": 1, "Y": None}}, "a whole number >= 0"),
        ({"forbidden": [("zz", "X")]}, "a mentee"),
        ({"required": [("a", "W")]}, "a mentor"),
        ({"forbidden": ["aX"]}, r"a \(mentee, mentor\) pair"),
        ({"objective": "best"}, "total or fair or stable"),
        ({"solver": "cplex"}, "auto or networkx or ortools"),
        ({"mentor_scores": GOOD.iloc[:1]}, "same mentees and mentors"),
        ({"mentor_scores": GOOD.fillna(0).assign(X=np.nan)}, "a mentor score for every"),
    ],
)
def test_bad_arguments(change, message):
    args = {"scores": GOOD, "capacity": 2} | change
    with pytest.raises(DataError, match=message):
        solve(**args)


def test_blocking_pairs_need_an_acceptable_plan():
    with pytest.raises(DataError, match="acceptable to each other"):
        blocking_pairs(GOOD, 2, pd.Series({"a": "X", "b": "Y"}))
    with pytest.raises(DataError, match="at most one mentor"):
        blocking_pairs(GOOD, 2, pd.Series(["X", "Y"], index=["a", "a"]))


def test_check_validity_names_every_broken_rule():
    scores = pd.DataFrame(0.5, index=list("abcd"), columns=["X", "Y"])
    scores.loc["c", "Y"] = np.nan
    plan = pd.Series({"a": "X", "b": "X", "c": "Y", "z": "X", "d": "Q"})
    problems = check_validity(
        scores,
        {"X": 1, "Y": 2},
        plan,
        min_load={"X": 0, "Y": 2},
        forbidden=[("a", "X")],
        required=[("b", "Y")],
    )
    assert problems == [
        "unknown mentees in the plan: 'z'",
        "unknown mentors in the plan: 'Q'",
        "1 mentee without a mentor: 'd'",
        "pair ('a', 'X') is forbidden",
        "pair ('c', 'Y') is not allowed (no score)",
        "required pair ('b', 'Y') is not in the plan",
        "mentor 'X' has 2 mentees, capacity 1",
        "mentor 'Y' has 1 mentee, min load 2",
    ]
    assert check_validity(
        scores, 1, pd.Series(["X", "Y"], index=["a", "a"]), allow_unassigned=True
    ) == ["mentees with more than one mentor: 'a'"]
