"""Re-matching's solver against exhaustive search on random instances."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentormatch.errors import InfeasibleError
from mentormatch.optimize import Instance
from mentormatch.optimize.keep import keep_most

FEW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, m = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    i, j = np.nonzero(rng.random((n, m)) < 0.8)
    score = np.round(rng.integers(0, 11, len(i)) / 10, 1)
    capacity = rng.integers(1, 4, m)
    min_load = np.minimum(rng.integers(0, 2, m), capacity) * draw(st.booleans())
    previous = rng.random(len(i)) < 0.3
    # On a 0.01 grid: a floor is then either a reachable total (multiples of 0.1) or at
    # least 0.01 from every one, never within the MILP's feasibility tolerance (1e-6 on
    # older HiGHS) of one, where "just met" and "just missed" are both right answers.
    floor = round(draw(st.floats(0, 1)) * n * 0.8, 2)
    return i, j, score, capacity, min_load, previous, floor, n


def _by_search(i, j, score, capacity, min_load, previous, floor, n):
    best = None
    for plan in itertools.product(*[np.flatnonzero(i == a) for a in range(n)]):
        load = np.bincount(j[list(plan)], minlength=len(capacity))
        total = score[list(plan)].sum()
        if (load > capacity).any() or (load < min_load).any() or total < floor - 1e-6:
            continue
        key = (int(previous[list(plan)].sum()), round(total, 6))
        best = key if best is None or key > best else best
    return best


@FEW
@given(cases())
def test_keep_most_keeps_the_most_then_scores_the_most(case):
    i, j, score, capacity, min_load, previous, floor, n = case
    expected = _by_search(*case)
    try:
        instance = Instance.from_edges(
            range(n),
            range(len(capacity)),
            i,
            j,
            score,
            pd.Series(capacity),
            min_load=pd.Series(min_load),
        )
        choice = keep_most(instance, previous, floor=floor)
    except InfeasibleError:
        assert expected is None
        return
    assert expected is not None
    assert (choice >= 0).all()
    key = (int(previous[choice].sum()), round(score[choice].sum(), 6))
    assert key == expected
