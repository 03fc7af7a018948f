"""Fast anticlustering for large rosters: the k-means criterion, nearest-neighbour partners.

Solves the problem of :mod:`mentormatch.groups.problem` (the same rules: sizes, must-
and cannot-link, required members, balance bounds) when an ``n x n`` distance matrix
is too large to build or to sweep, after Papenberg's *fast anticlustering* (R package
anticlust, ``fast_anticlustering``; Papenberg & Klau 2021; Späth 1986):

* **the criterion** is the *k-means* (variance) criterion on a numeric feature matrix
  ``X``: the sum over groups of the squared Euclidean distances of members to their
  group centroid, to be *maximised*. With fixed group sizes it equals the total sum of
  squares minus ``sum_g |S_g|^2 / n_g`` (``S_g`` the sum of the group's rows), so
  maximising it makes the group centroids as equal as possible: groups alike each
  other, each spread over the whole roster;
* **exchange partners** are restricted: each unit (must-link set) may swap with its
  :data:`K_NEIGHBOURS` nearest neighbours among units of its size (scikit-learn's
  ``NearestNeighbors`` on unit means) and :data:`RANDOM_PARTNERS` random units of its
  size, drawn once. A swap is scored in ``O(p)`` from the group sums and the fixed
  inner products of a unit with its partners; nothing of size ``n x n`` is built;
* **rules and balance** are checked swap by swap from the group counts of every
  category, exactly as the exchange method does (:mod:`~mentormatch.groups.exchange`):
  a swap is made only when it lowers the key ``(hard, violation, -objective)``, so
  once every rule and bound holds, they keep holding and the objective only rises;
* **rounds**: every unit's best swap among its partners is scored at once (numpy over
  all units); the best of these swaps, taken best first so that no group is in two
  of them, are made together (they change disjoint groups, so each one's gain stays
  exact), and the round repeats until no partner swap improves the key: a
  local optimum of this neighbourhood.

The start is a random partition that meets the rules (:func:`mentormatch.groups.draws.draw`,
as for the exchange method, with more repair steps for many groups); what its repair
leaves broken is mended by swaps with any unit first (``_FastState.mend``). One round
costs ``O(m (k + G) p)`` for ``m`` units, ``k`` partners, ``G`` groups and ``p``
features; only the swaps whose groups changed in the last round are scored again.

Where both engines run (1,000 secretaries in post, 35 groups) the fast method's
diversity on the clustering distance is within 0.3% of the exchange method's, in a
thirtieth of the time (``benchmarks/bench_groups.py``).
"""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from mentormatch.errors import DataError
from mentormatch.groups.draws import MAX_STEPS
from mentormatch.groups.exchange import Anticlustering, _starts, finish_starts
from mentormatch.groups.problem import EPS, Instance, _shortage, _violation

__all__ = [
    "fast_anticluster",
    "kmeans_objective",
    "kmeans_objectives",
    "partners",
    "K_NEIGHBOURS",
    "RANDOM_PARTNERS",
]

#: Nearest neighbours of each unit that are its exchange partners.
K_NEIGHBOURS = 10
#: Random units of the same size that are exchange partners too (drawn once): they let
#: a unit swap across the embedding, where its neighbours all share its group or kind.
RANDOM_PARTNERS = 5
#: Rounds at most (a round makes up to ``G / 2`` swaps; runs end far sooner).
MAX_ROUNDS = 5000
#: Repair steps of a start per group (a deal into many groups leaves more to repair).
_STEPS_PER_GROUP = 40
#: Swaps at most while mending a start that breaks rules (each mends one count or more).
_MEND_SWAPS = 2000


def kmeans_objective(X: np.ndarray, labels: np.ndarray, n_groups: int) -> float:
    """The k-means anticlustering criterion: the sum over groups of the squared
    Euclidean distances of members to their group's centroid (larger: more alike
    groups).

    >>> import numpy as np
    >>> x = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> kmeans_objective(x, np.array([0, 0, 1, 1]), 2)
    1.0
    >>> kmeans_objective(x, np.array([0, 1, 1, 0]), 2)  # both centroids at 1.5
    5.0
    """
    return float(kmeans_objectives(X, np.asarray(labels)[None, :], n_groups)[0])


def kmeans_objectives(X: np.ndarray, labels: np.ndarray, n_groups: int) -> np.ndarray:
    """:func:`kmeans_objective` of many partitions at once (one row of ``labels`` each)."""
    X = np.asarray(X, dtype=np.float64)
    labels = np.atleast_2d(np.asarray(labels))
    R, n = labels.shape
    if R == 0:
        return np.zeros(0)
    total = float((X * X).sum())
    flat = (labels + n_groups * np.arange(R)[:, None]).ravel()
    size = np.bincount(flat, minlength=R * n_groups).astype(float)
    sums = np.zeros((R * n_groups, X.shape[1]))
    np.add.at(sums, flat, np.tile(X, (R, 1)))
    sq = np.divide((sums * sums).sum(axis=1), size, out=np.zeros_like(size), where=size > 0)
    return total - sq.reshape(R, n_groups).sum(axis=1)


def partners(
    Xu: np.ndarray,
    unit_size: np.ndarray,
    rng: np.random.Generator,
    *,
    k: int = K_NEIGHBOURS,
    n_random: int = RANDOM_PARTNERS,
) -> np.ndarray:
    """Each unit's exchange partners: ``(m, k + n_random)`` unit indices, ``-1`` for
    none. Partners have the unit's size: its ``k`` nearest neighbours by unit mean
    (Euclidean), then ``n_random`` random others (repeats allowed, self excluded)."""
    from sklearn.neighbors import NearestNeighbors  # only for large rosters

    m = len(unit_size)
    out = np.full((m, k + n_random), -1, dtype=np.int64)
    means = Xu / unit_size[:, None]
    for s in np.unique(unit_size):
        members = np.flatnonzero(unit_size == s)
        if len(members) < 2:
            continue
        kk = min(k, len(members) - 1)
        if kk:
            nn = NearestNeighbors(n_neighbors=kk + 1).fit(means[members])
            _, idx = nn.kneighbors(means[members])
            near = members[idx]
            # A unit is its own nearest neighbour, unless it has exact twins: drop
            # itself wherever it sits, else the farthest.
            own = near == members[:, None]
            drop = np.where(own.any(axis=1), own.argmax(axis=1), kk)
            keep = np.ones_like(own)
            keep[np.arange(len(members)), drop] = False
            out[members, :kk] = near[keep].reshape(len(members), kk)
        if n_random:
            # A random other member: shift by 1..len-1 positions in the member list.
            pos = np.arange(len(members))
            step = rng.integers(1, len(members), size=(len(members), n_random))
            out[members, k : k + n_random] = members[(pos[:, None] + step) % len(members)]
    return out


def fast_anticluster(
    inst: Instance,
    X: np.ndarray,
    *,
    n_starts: int = 1,
    seed: int | np.random.SeedSequence | None = 0,
    k: int = K_NEIGHBOURS,
    n_random: int = RANDOM_PARTNERS,
    max_rounds: int = MAX_ROUNDS,
) -> Anticlustering:
    """Anticlustering of an encoded problem by the k-means criterion on features.

    Parameters
    ----------
    inst : Instance
        The rules (:func:`mentormatch.groups.problem.encode_rules`; ``D`` is not used).
    X : ndarray (n, p)
        Numeric features of the items; the criterion is Euclidean on them.
    n_starts : int
        Random starts; the best is kept.
    seed : int or SeedSequence
        Same instance, features and seed: same result.
    k, n_random : int
        Nearest-neighbour and random exchange partners of each unit (:func:`partners`).
    max_rounds : int
        At most this many rounds of swaps per start.

    Returns
    -------
    Anticlustering
        As the exchange method's, but ``diversity`` (and its columns in ``starts``
        and ``trace``) holds the k-means criterion, ``trace`` has one row per round
        (``swap``: swaps made so far), and ``start_labels`` holds the best run's start
        once mended (unit labels).

    Raises
    ------
    InfeasibleError
        As :func:`mentormatch.groups.exchange.anticluster`.

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.groups.problem import encode_rules
    >>> x = np.array([0.0, 0.1, 0.2, 0.3, 5.0, 5.1, 5.2, 5.3])[:, None]
    >>> res = fast_anticluster(encode_rules(8, 2), x, seed=1)
    >>> np.bincount(res.labels).tolist(), np.bincount(res.labels[:4]).tolist()
    ([4, 4], [2, 2])
    """
    # Every matrix product here is small (groups x features x units): starting BLAS
    # threads for each costs more than the work (twice the time on 2 cores), and one
    # thread gives the same sums on every machine.
    with threadpool_limits(limits=1):
        return _fast_anticluster(inst, X, n_starts, seed, k, n_random, max_rounds)


def _fast_anticluster(
    inst: Instance,
    X: np.ndarray,
    n_starts: int,
    seed: int | np.random.SeedSequence | None,
    k: int,
    n_random: int,
    max_rounds: int,
) -> Anticlustering:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or len(X) != inst.n:
        raise DataError(f"features must be a table of {inst.n} rows, got shape {X.shape}")
    if isinstance(n_starts, bool) or not isinstance(n_starts, (int, np.integer)) or n_starts < 1:
        raise DataError(f"n_starts must be a whole number >= 1, got {n_starts!r}")
    seeds = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    draw_seed, partner_seed, *start_seeds = seeds.spawn(int(n_starts) + 2)
    Xu = np.zeros((inst.m, X.shape[1]))
    np.add.at(Xu, inst.unit_of, X)
    part = partners(Xu, inst.unit_size, np.random.default_rng(partner_seed), k=k, n_random=n_random)
    # A deal into many groups leaves more counts to repair than MAX_STEPS.
    starts = _starts(
        inst,
        int(n_starts),
        np.random.default_rng(draw_seed),
        max_steps=max(MAX_STEPS, _STEPS_PER_GROUP * inst.n_groups),
    )
    rows, trace_rows = [], []
    best: _FastState | None = None
    best_start = None
    for start, (lab, child) in enumerate(zip(starts, start_seeds, strict=False)):
        rng = np.random.default_rng(child)
        st = _FastState(inst, Xu, part, lab.copy(), float((X * X).sum()))
        first = (st.hard, st.violation, st.objective)
        trace_rows.append((start, 0, *first))
        st.mend(rng, _MEND_SWAPS)
        mended = st.lab.copy()
        swaps = 0
        for _ in range(max_rounds):
            made = st.round()
            if not made:
                break
            swaps += made
            trace_rows.append((start, swaps, st.hard, st.violation, st.objective))
        rows.append(
            {
                "start": start,
                "start_hard": first[0],
                "start_violation": first[1],
                "start_diversity": first[2],
                "hard": st.hard,
                "violation": st.violation,
                "diversity": st.objective,
                "swaps": swaps,
            }
        )
        if best is None or st.key() < best.key():
            best, best_start = st, mended
    labels, hard, violation, _, table, trace = finish_starts(inst, best, n_starts, rows, trace_rows)
    objective = kmeans_objective(X, labels, inst.n_groups)
    return Anticlustering(labels, hard, violation, objective, table, trace, best_start)


class _FastState:
    """One partition of units with group sums, sizes, counts and cannot-link partners."""

    def __init__(
        self, inst: Instance, Xu: np.ndarray, part: np.ndarray, lab: np.ndarray, total: float
    ):
        self.inst, self.Xu, self.lab = inst, Xu, lab
        G, m = inst.n_groups, inst.m
        self.has = part >= 0
        self.Wc = np.where(self.has, part, 0)
        # Fixed for the run: |x_u|^2 and x_u . x_w for every unit and partner.
        self.q = (Xu * Xu).sum(axis=1)
        self.uw = np.einsum("mp,mkp->mk", Xu, Xu[self.Wc])
        self.S = np.zeros((G, Xu.shape[1]))
        np.add.at(self.S, lab, Xu)
        self.size = np.bincount(lab, weights=inst.unit_size, minlength=G).astype(float)
        # int32: the candidate arrays are large and numpy runs faster on them.
        self.K = inst.K.astype(np.int32)
        self.counts = np.zeros((G, inst.K.shape[1]), dtype=np.int32)
        np.add.at(self.counts, lab, self.K)
        b = inst.n_balance
        self.floor = np.concatenate([inst.low, inst.minimum]).astype(np.int32)
        self.ceil = np.concatenate([inst.high, np.full(len(inst.minimum), inst.n)]).astype(np.int32)
        self.N = None
        if inst.X is not None:
            onehot = np.zeros((m, G), dtype=np.int64)
            onehot[np.arange(m), lab] = 1
            self.N = inst.X @ onehot
        self.hard = int(_shortage(self.counts[:, b:], inst.minimum).sum())
        if self.N is not None:
            self.hard += int(self.N[np.arange(m), lab].sum()) // 2
        self.violation = int(_violation(self.counts[:, :b], inst.low, inst.high).sum())
        # Cached scores of every partner swap, and the groups changed since.
        self._u = np.repeat(np.arange(m), part.shape[1])
        self._w = self.Wc.ravel()
        self._has = self.has.ravel()
        self._uw = self.uw.ravel()
        self.gain = np.full(len(self._u), -np.inf)
        self.T = np.zeros((G, m))  # S_g . x_u, rows contiguous for the updates
        self.touched = np.ones(G, dtype=bool)
        # Cached rule checks of the partner swaps, valid while every rule holds.
        self.keeps = np.zeros(len(self._u), dtype=bool)
        self._keeps_fresh = False
        # total: the sum of |x_i|^2 over items (not units), the criterion's constant.
        self.objective = total - float(((self.S * self.S).sum(axis=1) / self.size).sum())

    def key(self) -> tuple[int, int, float]:
        return (self.hard, self.violation, -self.objective)

    def objective_gains(self, u: np.ndarray, w: np.ndarray, uw: np.ndarray, T: np.ndarray):
        """Change of the criterion if units ``u`` swap with units ``w`` (same shapes);
        ``uw`` holds ``x_u . x_w``, ``T`` is ``S @ Xu.T``."""
        A, B = self.lab[u], self.lab[w]
        flat, m = T.ravel(), T.shape[1]
        rowA, rowB = A * m, B * m
        dA = flat[rowA + w] - flat[rowA + u]  # S_A . d, d = x_w - x_u moving from B to A
        dB = flat[rowB + w] - flat[rowB + u]  # S_B . d
        dd = self.q[w] + self.q[u] - 2 * uw  # |d|^2
        return -((2 * dA + dd) / self.size[A] + (dd - 2 * dB) / self.size[B])

    def keeps_rules(self, u: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Whether each swap keeps every rule and bound, in a partition meeting them all."""
        A, B = self.lab[u], self.lab[w]
        delta = self.K[w] - self.K[u]
        new = self.counts[A] + delta
        ok = ((new >= self.floor) & (new <= self.ceil)).all(axis=-1)
        new = self.counts[B] - delta
        ok &= ((new >= self.floor) & (new <= self.ceil)).all(axis=-1)
        if self.N is not None:
            X = self.inst.X
            ok &= (self.N[w, A] == X[w, u]) & (self.N[u, B] == X[u, w])
        return ok

    def rule_changes(self, u: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Change of (hard, violation) of each swap of ``u`` with ``w``."""
        inst = self.inst
        A, B = self.lab[u], self.lab[w]
        b = inst.n_balance
        delta = self.K[w] - self.K[u]
        cA, cB = self.counts[A], self.counts[B]
        lo, hi, mn = inst.low, inst.high, inst.minimum
        dv = (
            _violation(cA[..., :b] + delta[..., :b], lo, hi).sum(-1)
            + _violation(cB[..., :b] - delta[..., :b], lo, hi).sum(-1)
            - _violation(cA[..., :b], lo, hi).sum(-1)
            - _violation(cB[..., :b], lo, hi).sum(-1)
        )
        dh = (
            _shortage(cA[..., b:] + delta[..., b:], mn).sum(-1)
            + _shortage(cB[..., b:] - delta[..., b:], mn).sum(-1)
            - _shortage(cA[..., b:], mn).sum(-1)
            - _shortage(cB[..., b:], mn).sum(-1)
        )
        if self.N is not None:
            N, X = self.N, inst.X
            dh = dh + (N[w, A] - X[w, u]) + (N[u, B] - X[u, w]) - N[u, A] - N[w, B]
        return dh.astype(np.int64), dv.astype(np.int64)

    def swap(self, u: np.ndarray, w: np.ndarray, dh: int, dv: int, gain: float) -> None:
        """Make swaps of units ``u`` with ``w`` whose groups are pairwise distinct."""
        inst = self.inst
        A, B = self.lab[u], self.lab[w]
        step = self.Xu[w] - self.Xu[u]
        self.S[A] += step
        self.S[B] -= step
        delta = self.K[w] - self.K[u]
        self.counts[A] += delta
        self.counts[B] -= delta
        if self.N is not None:
            x = inst.X[:, w] - inst.X[:, u]
            self.N[:, A] += x
            self.N[:, B] -= x
        self.lab[u], self.lab[w] = B, A
        self.touched[A] = self.touched[B] = True
        if self.hard + int(dh) or self.violation + int(dv):
            self._keeps_fresh = False
        self.hard += int(dh)
        self.violation += int(dv)
        self.objective += float(gain)

    def mend(self, rng: np.random.Generator, max_swaps: int) -> None:
        """Swap until every rule and bound holds, or no swap brings it closer: each
        step takes the units that break a rule (in a group outside a bound and
        holding, or lacking, that category; in a cannot-link conflict) and makes the
        best swap of one of them with **any** unit (not only its partners)."""
        inst = self.inst
        m = inst.m
        every = np.arange(m)
        for _ in range(max_swaps):
            if self.hard == 0 and self.violation == 0:
                return
            over = self.counts > self.ceil  # (G, c)
            under = self.counts < self.floor
            g = self.lab
            holds = self.K > 0
            bad = (over[g] & holds).any(axis=1) | (under[g] & ~holds).any(axis=1)
            if self.N is not None:
                bad |= self.N[every, g] > 0
            movers = np.flatnonzero(bad)
            if len(movers) > _MOVERS:
                movers = np.sort(rng.choice(movers, _MOVERS, replace=False))
            T = self.S @ self.Xu.T
            best = None
            for lo in range(0, len(movers), _CHUNK):
                u = np.repeat(movers[lo : lo + _CHUNK], m)
                w = np.tile(every, len(movers[lo : lo + _CHUNK]))
                ok = (self.lab[u] != self.lab[w]) & (inst.unit_size[u] == inst.unit_size[w])
                u, w = u[ok], w[ok]
                if not len(u):
                    continue  # every pair of this chunk is in one group or unequal in size
                dh, dv = self.rule_changes(u, w)
                gain = self.objective_gains(u, w, (self.Xu[u] * self.Xu[w]).sum(axis=1), T)
                i = np.lexsort((-gain, dv, dh))[0]
                key = (int(dh[i]), int(dv[i]), -float(gain[i]))
                if best is None or key < best[0]:
                    best = (key, int(u[i]), int(w[i]))
            if best is None or best[0][:2] >= (0, 0):
                return
            (dh, dv, mgain), u, w = best
            self.swap(np.array([u]), np.array([w]), dh, dv, -mgain)

    def round(self) -> int:
        """Make the best improving partner swaps on pairwise distinct groups; return
        how many were made."""
        inst = self.inst
        m, k = self.Wc.shape
        u_all, w_all = self._u, self._w
        # A swap's gain depends only on its two groups: rescore the swaps whose
        # groups changed since the last round (all of them in the first).
        touched = self.touched
        self.T[touched] = self.S[touched] @ self.Xu.T
        redo = np.flatnonzero(touched[self.lab[u_all]] | touched[self.lab[w_all]])
        ok = self._has[redo] & (self.lab[u_all[redo]] != self.lab[w_all[redo]])
        gain = self.gain
        gain[redo[~ok]] = -np.inf
        redo = redo[ok]
        gain[redo] = self.objective_gains(u_all[redo], w_all[redo], self._uw[redo], self.T)
        touched[:] = False
        if self.hard == 0 and self.violation == 0:
            # Neither can fall below 0: the improving swaps are those that gain and
            # keep every rule. Whether a swap keeps the rules also depends on its two
            # groups only: recheck the rescored ones (all, the first time here).
            keeps = self.keeps
            if not self._keeps_fresh:
                redo = np.flatnonzero(np.isfinite(gain))
                keeps[:] = False
                self._keeps_fresh = True
            keeps[redo] = False
            redo = redo[gain[redo] > EPS]
            keeps[redo] = self.keeps_rules(u_all[redo], w_all[redo])
            cand = np.flatnonzero(keeps & (gain > EPS))
            dh = dv = np.zeros(len(cand), dtype=np.int64)
        else:
            cand = np.flatnonzero(np.isfinite(gain))
            dh, dv = self.rule_changes(u_all[cand], w_all[cand])
            better = (dh < 0) | ((dh == 0) & ((dv < 0) | ((dv == 0) & (gain[cand] > EPS))))
            cand, dh, dv = cand[better], dh[better], dv[better]
        if not len(cand):
            return 0
        # Best keys first; each unit's best swap only; each group in one swap at most.
        if dh.any() or dv.any():
            order = np.lexsort((-gain[cand], dv, dh))
        else:
            order = np.argsort(-gain[cand], kind="stable")
        cand, dh, dv = cand[order], dh[order], dv[order]
        _, first = np.unique(cand // k, return_index=True)
        first = np.sort(first)
        cand, dh, dv = cand[first], dh[first], dv[first]
        u, w = u_all[cand], w_all[cand]
        A, B = self.lab[u], self.lab[w]
        used = [False] * inst.n_groups
        take = np.zeros(len(cand), dtype=bool)
        free = inst.n_groups
        for i, (a, b) in enumerate(zip(A.tolist(), B.tolist(), strict=True)):
            if not (used[a] or used[b]):
                used[a] = used[b] = True
                take[i] = True
                free -= 2
                if free < 2:
                    break
        self.swap(u[take], w[take], dh[take].sum(), dv[take].sum(), gain[cand[take]].sum())
        return int(take.sum())


#: Units that break a rule considered per mending step, and per block of candidates.
_MOVERS = 32
_CHUNK = 16
