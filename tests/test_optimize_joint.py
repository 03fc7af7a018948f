"""Joint mentors and bases: the program against exhaustive search, and at scale never
worse than the sequential plan."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.errors import InfeasibleError
from mentormatch.optimize import Instance
from mentormatch.optimize.joint import solve_joint
from mentormatch.scoring import score_pairs

FEW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def joint_cases(draw):
    """Up to 4 mentees, 3 mentors, 3 bases; random pairs, gains, loads, a pair to keep."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, m, b = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(0, 3))
    allowed = rng.random((n, m)) < 0.8
    i, j = np.nonzero(allowed)
    score = np.round(rng.integers(0, 11, len(i)) / 10, 1)
    required = np.zeros(len(i), dtype=bool)
    if len(i) and draw(st.booleans()):
        keep = rng.integers(len(i))
        required[keep] = True
        others = (i == i[keep]) & ~required
        i, j, score, required = i[~others], j[~others], score[~others], required[~others]
    capacity = rng.integers(0, 3, m)
    min_load = np.minimum(rng.integers(0, 2, m), capacity) * draw(st.booleans())
    base_capacity = rng.integers(0, 3, b)
    gain = np.round(rng.integers(0, 11, (len(i), b)) / 10, 1)
    return i, j, score, required, capacity, min_load, base_capacity, gain, n, draw(st.booleans())


def _best_by_search(i, j, score, required, capacity, min_load, base_capacity, gain, n, partial):
    """(placed, value) of the best plan, by trying every choice of pair and base."""
    best = None
    choices = [
        [None]
        + [(e, k) for e in np.flatnonzero(i == a) for k in [None, *range(len(base_capacity))]]
        for a in range(n)
    ]
    for plan in itertools.product(*choices):
        if not partial and any(c is None for c in plan):
            continue
        picked = [c for c in plan if c is not None]
        if any(c is None for a, c in enumerate(plan) if required[i == a].any()):
            continue
        load = np.bincount([j[e] for e, _ in picked], minlength=len(capacity))
        use = np.bincount([k for _, k in picked if k is not None], minlength=len(base_capacity))
        if (load > capacity).any() or (load < min_load).any() or (use > base_capacity).any():
            continue
        value = sum(score[e] + (gain[e, k] if k is not None else 0.0) for e, k in picked)
        key = (len(picked), round(value, 6))
        best = key if best is None or key > best else best
    return best


@FEW
@given(joint_cases())
def test_the_joint_program_finds_the_best_plan(case):
    i, j, score, required, capacity, min_load, base_capacity, gain, n, partial = case
    expected = _best_by_search(*case)
    b = len(base_capacity)
    try:
        instance = Instance.from_edges(
            range(n),
            range(len(capacity)),
            i,
            j,
            score,
            pd.Series(capacity),
            min_load=pd.Series(min_load),
            required=required,
        )
        option_edge = np.repeat(np.arange(instance.n_edges), b)
        option_base = np.tile(np.arange(b), instance.n_edges)
        edge, base = solve_joint(
            instance,
            option_edge,
            option_base,
            gain.ravel(),
            base_capacity,
            allow_unassigned=partial,
        )
    except InfeasibleError:
        assert expected is None
        return
    assert expected is not None
    placed = edge >= 0
    value = score[edge[placed]].sum() + sum(
        gain[e, k] for e, k in zip(edge, base, strict=True) if k >= 0
    )
    assert (int(placed.sum()), round(value, 6)) == expected
    # Within every load, every pair to keep kept.
    assert (np.bincount(base[base >= 0], minlength=b) <= base_capacity).all()
    assert all(edge[i[e]] == e for e in np.flatnonzero(required))


def _objective(d, plan) -> float:
    placed = plan.placed.set_index("secretary_id")
    bases = score_pairs(d, against="bases", mentor_of=placed["mentor_id"]).set_index(
        ["secretary_id", "base_id"]
    )["total"]
    return placed["score"].sum() + sum(bases[(s, b)] for s, b in placed["base_id"].dropna().items())


def test_joint_candidates_are_never_worse_than_the_sequential_plan(monkeypatch, sample):
    # Force the candidate program on the sample: it must hold the sequential plan.
    monkeypatch.setattr("mentormatch.matching.bases.JOINT_MAX_VARIABLES", 1_000)
    monkeypatch.setattr("mentormatch.matching.bases.JOINT_MENTORS", 2)
    monkeypatch.setattr("mentormatch.matching.bases.JOINT_BASES", 1)
    for d in (sample, mm.synthesize_district(seed=4, n_secretaries=400, n_mentors=20, n_bases=25)):
        joint = mm.match(d, bases="joint")
        sequential = mm.match(d, bases="sequential")
        assert joint.solver == "highs-milp (candidates)"
        assert _objective(d, joint) >= _objective(d, sequential) - 1e-9
        assert len(joint.placed) == len(sequential.placed)


def test_joint_candidates_keep_every_rule(monkeypatch, sample):
    monkeypatch.setattr("mentormatch.matching.bases.JOINT_MAX_VARIABLES", 1_000)
    rules = sample.constraints
    plan = mm.match(sample, bases="joint").table.set_index("secretary_id")["mentor_id"]
    for s, m, rule in rules[["secretary_id", "mentor_id", "rule"]].itertuples(index=False):
        if s in plan.index and isinstance(plan[s], str):
            assert (plan[s] == m) == (rule == "keep")


def test_joint_at_scale_needs_no_more_than_the_candidates(monkeypatch, sample):
    monkeypatch.setattr("mentormatch.matching.bases.JOINT_MAX_VARIABLES", 1_000)
    plan = mm.match(sample, bases="joint", partial=True)
    assert plan.figures()["placed"] == len(sample.mentees)
    with pytest.raises(mm.DataError):
        mm.match(sample, bases="everywhere")
