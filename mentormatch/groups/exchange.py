"""The exchange method for anticlustering (Papenberg & Klau 2021).

Solves the problem of :mod:`mentormatch.groups.problem`: each start is a random
partition that meets the rules (:func:`mentormatch.groups.draws.draw`: a random
deal, then a random repair); then the **exchange method** (anticlust's
"local-maximum" variant) improves it: for each unit in turn (a random order in every
pass), the swap with a unit of the same size in another group that improves the key
``(hard, violation, -diversity)`` most is made, if any improves it. Passes repeat
until one makes no swap: a local optimum, where no single swap improves the key.

Every swap lowers the key, so once the rules and balance hold, diversity only rises
(a start that does not meet every rule is mended first, on the way). A swap is scored
in O(1) from running sums: ``C[u, g]``, the distance of unit ``u`` to group ``g``
(so one pass costs O(m^2) for ``m`` units), and the group's counts of each category.
The best of ``n_starts`` starts is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mentormatch.errors import DataError, InfeasibleError
from mentormatch.groups.draws import draw
from mentormatch.groups.problem import EPS, Instance, _shortage, _violation

__all__ = ["anticluster", "Anticlustering"]

#: Passes of the exchange method at most (it stops at a local optimum well before).
MAX_PASSES = 100
#: Rounds of random deals for the starts before must-link sets are declared unpackable.
_DEALS = 10
#: Slices of the candidate swaps (by diversity gain) whose rules are checked in turn.
_SLICES = ((0, 16), (16, 128), (128, None))


# --- Running state of one partition ----------------------------------------------------


@dataclass(eq=False)
class _State:
    """One partition of units with the running sums that score a swap in O(1)."""

    inst: Instance
    lab: np.ndarray  # (m,) group of each unit
    C: np.ndarray = field(init=False)  # (m, G) distance of each unit to each group
    counts: np.ndarray = field(init=False)  # (G, c)
    N: np.ndarray | None = field(init=False)  # (m, G) cannot-link partners in each group
    hard: int = field(init=False)
    violation: int = field(init=False)
    diversity: float = field(init=False)

    def __post_init__(self) -> None:
        inst = self.inst
        onehot = np.zeros((inst.m, inst.n_groups))
        onehot[np.arange(inst.m), self.lab] = 1.0
        self.C = inst.Du @ onehot
        self.counts = onehot.T.astype(np.int64) @ inst.K
        self.N = None if inst.X is None else inst.X @ onehot.astype(np.int64)
        b = inst.n_balance
        self.hard = int(_shortage(self.counts[:, b:], inst.minimum).sum())
        if self.N is not None:
            self.hard += int(self.N[np.arange(inst.m), self.lab].sum()) // 2
        self.violation = int(_violation(self.counts[:, :b], inst.low, inst.high).sum())
        self.diversity = float((self.C[np.arange(inst.m), self.lab]).sum() / 2)

        # Bounds of every column, for the quick check of a partition that meets them all.
        self.floor = np.concatenate([inst.low, inst.minimum])
        self.ceil = np.concatenate([inst.high, np.full(len(inst.minimum), inst.n)])

    def key(self) -> tuple[int, int, float]:
        return (self.hard, self.violation, -self.diversity)

    def keeps_rules(self, u: int, W: np.ndarray) -> np.ndarray:
        """Whether swapping ``u`` with each of ``W`` keeps every rule and bound, in a
        partition that meets them all (hard and violation 0)."""
        inst = self.inst
        A, B = self.lab[u], self.lab[W]
        delta = inst.K[W] - inst.K[u]
        new = self.counts[A] + delta
        ok = ((new >= self.floor) & (new <= self.ceil)).all(axis=1)
        new = self.counts[B] - delta
        ok &= ((new >= self.floor) & (new <= self.ceil)).all(axis=1)
        if self.N is not None:
            ok &= (self.N[W, A] == inst.X[W, u]) & (self.N[u, B] == inst.X[u, W])
        return ok

    def gains(self, u: int, W: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Change of (hard, violation, diversity) if unit ``u`` swaps with each of ``W``."""
        inst, lab, C = self.inst, self.lab, self.C
        A = lab[u]
        B = lab[W]
        ddiv = (
            C[W, A]
            - C[W, B]
            + C[u, B]
            - C[u, A]
            - 2 * inst.Du[u, W]
            + inst.Du[u, u]
            + inst.Du[W, W]
        )
        delta = inst.K[W] - inst.K[u]
        cA = self.counts[A]
        cB = self.counts[B]
        b = inst.n_balance
        dv = np.zeros(len(W), dtype=np.int64)
        dh = np.zeros(len(W), dtype=np.int64)
        if b:
            lo, hi = inst.low, inst.high
            now = _violation(cA[:b], lo, hi).sum() + _violation(cB[:, :b], lo, hi).sum(axis=1)
            after = _violation(cA[:b] + delta[:, :b], lo, hi).sum(axis=1) + _violation(
                cB[:, :b] - delta[:, :b], lo, hi
            ).sum(axis=1)
            dv = after - now
        if len(inst.minimum):
            mn = inst.minimum
            now = _shortage(cA[b:], mn).sum() + _shortage(cB[:, b:], mn).sum(axis=1)
            after = _shortage(cA[b:] + delta[:, b:], mn).sum(axis=1) + _shortage(
                cB[:, b:] - delta[:, b:], mn
            ).sum(axis=1)
            dh = dh + after - now
        if self.N is not None:
            N, X = self.N, inst.X
            dh = dh + (N[W, A] - X[W, u]) + (N[u, B] - X[u, W]) - N[u, A] - N[W, B]
        return dh, dv, ddiv

    def swap(self, u: int, w: int, dh: int, dv: int, ddiv: float) -> None:
        inst = self.inst
        A, B = self.lab[u], self.lab[w]
        step = inst.Du[:, w] - inst.Du[:, u]
        self.C[:, A] += step
        self.C[:, B] -= step
        delta = inst.K[w] - inst.K[u]
        self.counts[A] += delta
        self.counts[B] -= delta
        if self.N is not None:
            x = inst.X[:, w] - inst.X[:, u]
            self.N[:, A] += x
            self.N[:, B] -= x
        self.lab[u], self.lab[w] = B, A
        self.hard += int(dh)
        self.violation += int(dv)
        self.diversity += float(ddiv)


# --- The exchange method -------------------------------------------------------------


def _exchange(
    st: _State, rng: np.random.Generator, max_passes: int, record: Callable[[_State], None]
) -> None:
    """The exchange method: per unit, the swap that improves the key most, if any."""
    inst = st.inst
    for _ in range(max_passes):
        moved = False
        for u in rng.permutation(inst.m):
            W = np.flatnonzero((st.lab != st.lab[u]) & (inst.unit_size == inst.unit_size[u]))
            if not len(W):
                continue
            if st.hard == 0 and st.violation == 0:
                # Neither can fall below 0: the best swap is the most diverse one that
                # keeps both at 0. Check the rules down the list of diversity gains, a
                # slice at a time, until one keeps them (most swaps break a bound).
                ddiv = _div_gains(st, u, W)
                up = np.flatnonzero(ddiv > EPS)
                order = up[np.argsort(-ddiv[up], kind="stable")]
                best = None
                for lo, hi in _SLICES:
                    part = order[lo:hi]
                    if not len(part):
                        break
                    ok = np.flatnonzero(st.keeps_rules(u, W[part]))
                    if len(ok):
                        best = part[ok[0]]
                        break
                if best is None:
                    continue
                st.swap(u, W[best], 0, 0, ddiv[best])
            else:
                dh, dv, ddiv = st.gains(u, W)
                best = np.lexsort((-ddiv, dv, dh))[0]
                if (dh[best], dv[best]) > (0, 0) or (
                    (dh[best], dv[best]) == (0, 0) and ddiv[best] <= EPS
                ):
                    continue
                st.swap(u, W[best], dh[best], dv[best], ddiv[best])
            record(st)
            moved = True
        if not moved:
            return


def _div_gains(st: _State, u: int, W: np.ndarray) -> np.ndarray:
    inst, C, lab = st.inst, st.C, st.lab
    A, B = lab[u], lab[W]
    return C[W, A] - C[W, B] + C[u, B] - C[u, A] - 2 * inst.Du[u, W] + inst.Du[u, u] + inst.Du[W, W]


# --- The front door ----------------------------------------------------------------------


def _starts(inst: Instance, n: int, rng: np.random.Generator, **options: int) -> list[np.ndarray]:
    """``n`` random starts with the right group sizes (a deal can dead-end when
    must-link sets do not fit; those are dealt again, a few times at most); options
    go to :func:`~mentormatch.groups.draws.draw`."""
    out: list[np.ndarray] = []
    for _ in range(_DEALS):
        labels, _ = draw(inst, n, rng, **options)
        for lab in labels:
            sizes = np.bincount(lab, weights=inst.unit_size, minlength=inst.n_groups)
            if np.array_equal(np.sort(sizes)[::-1], inst.sizes):
                out.append(lab)
        if len(out) >= n:
            return out[:n]
    return out


@dataclass(frozen=True, eq=False)
class Anticlustering:
    """The best partition found, and how each start fared.

    Attributes
    ----------
    labels : ndarray (n,)
        Group 0..G-1 of every item.
    hard, violation : int
        Hard violations and balance violation of ``labels`` (0 and 0 when every rule
        and every balance bound holds).
    diversity : float
        Sum of the within-group distances of ``labels``.
    starts : DataFrame
        One row per start: ``start``, ``start_hard``, ``start_violation``,
        ``start_diversity`` (the random start), ``hard``, ``violation``, ``diversity``
        (after the exchange), ``swaps``, ``best``.
    trace : DataFrame
        The key after every swap: ``start``, ``swap`` (0 for the random start, then
        1, 2, ...), ``hard``, ``violation``, ``diversity``.
    start_labels : ndarray (m,) or None
        Unit labels of the best run's start once it met the rules (the fast method
        keeps it, to shuffle random partitions from; None from the exchange method).
    """

    labels: np.ndarray
    hard: int
    violation: int
    diversity: float
    starts: pd.DataFrame
    trace: pd.DataFrame
    start_labels: np.ndarray | None = None


def finish_starts(inst, best, n_starts: int, rows: list, trace_rows: list):
    """The labels of the best start and the tables of all starts, or the
    :class:`InfeasibleError` when no start keeps every hard rule. Returns ``labels,
    hard, violation, diversity, starts, trace`` (shared by the exchange method and
    :mod:`mentormatch.groups.fast`)."""
    if best is None:
        raise InfeasibleError(
            [
                "must-link sets cannot be packed into groups whose sizes differ by at most "
                "one: drop some must-link rules or ask for fewer groups"
            ]
        )
    labels = best.lab[inst.unit_of]
    hard, violation, div = inst.score(labels)
    if hard:
        raise InfeasibleError(
            [
                f"no grouping found (in {n_starts} starts) that keeps every cannot-link pair "
                "apart and gives every group its required members; the best left "
                f"{hard} rule(s) broken: relax some cannot-link rules or ask for fewer groups"
            ],
            details={"broken": hard},
        )
    table = pd.DataFrame(rows)
    keys = list(zip(table["hard"], table["violation"], -table["diversity"], strict=True))
    table["best"] = False
    table.loc[min(range(len(keys)), key=keys.__getitem__), "best"] = True
    trace = pd.DataFrame(trace_rows, columns=["start", "swap", "hard", "violation", "diversity"])
    return labels, hard, violation, div, table, trace


def anticluster(
    inst: Instance,
    *,
    n_starts: int = 5,
    seed: int | np.random.SeedSequence | None = 0,
    max_passes: int = MAX_PASSES,
) -> Anticlustering:
    """Anticlustering of an encoded problem by the exchange method from random starts.

    Parameters
    ----------
    inst : Instance
        From :func:`mentormatch.groups.problem.encode`.
    n_starts : int
        Independent random starts; the best result is kept.
    seed : int or SeedSequence
        Same instance and seed: same result.
    max_passes : int
        At most this many passes of the exchange per start.

    Returns
    -------
    Anticlustering

    Raises
    ------
    InfeasibleError
        No start met the hard rules (cannot-link rules too dense, required members
        kept away from some group by them, must-link sets that cannot be packed).

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.groups.problem import encode
    >>> x = np.array([0.0, 0.1, 0.2, 0.3, 5.0, 5.1, 5.2, 5.3])
    >>> res = anticluster(encode(np.abs(x[:, None] - x[None, :]), 2), seed=1)
    >>> np.bincount(res.labels).tolist(), np.bincount(res.labels[:4]).tolist()
    ([4, 4], [2, 2])
    """
    if isinstance(n_starts, bool) or not isinstance(n_starts, (int, np.integer)) or n_starts < 1:
        raise DataError(f"n_starts must be a whole number >= 1, got {n_starts!r}")
    seeds = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    draw_seed, *start_seeds = seeds.spawn(int(n_starts) + 1)
    starts = _starts(inst, int(n_starts), np.random.default_rng(draw_seed))
    rows, trace_rows = [], []
    best: _State | None = None
    for start, (lab, child) in enumerate(zip(starts, start_seeds, strict=False)):
        rng = np.random.default_rng(child)
        st = _State(inst, lab.copy())
        first = (st.hard, st.violation, st.diversity)
        trace_rows.append((start, 0, *first))
        swaps = [0]

        def record(s: _State, start: int = start, swaps: list[int] = swaps) -> None:
            swaps[0] += 1
            trace_rows.append((start, swaps[0], s.hard, s.violation, s.diversity))

        _exchange(st, rng, max_passes, record)
        rows.append(
            {
                "start": start,
                "start_hard": first[0],
                "start_violation": first[1],
                "start_diversity": first[2],
                "hard": st.hard,
                "violation": st.violation,
                "diversity": st.diversity,
                "swaps": swaps[0],
            }
        )
        if best is None or st.key() < best.key():
            best = st
    labels, hard, violation, div, table, trace = finish_starts(
        inst, best, n_starts, rows, trace_rows
    )
    return Anticlustering(labels, hard, violation, div, table, trace)
