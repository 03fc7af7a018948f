"""Random partitions: what chance alone gives, and where the exchange method starts.

Two kinds, so that a comparison is honest about what "random" means:

* :func:`random_same_sizes`: **random partitions with the same group sizes**, drawn
  exactly uniformly: a random permutation of the items cut into groups of
  :attr:`~mentormatch.groups.problem.Instance.sizes`. No other rule holds.
* :func:`random_under_rules`: **random partitions that meet the same rules**: the same
  sizes, must-link and cannot-link pairs, required members in every group and a
  balance violation of at most ``max_violation`` (0: every category of every balance
  variable within one of an even share in every group). Each is drawn independently
  by :func:`draw`, in two steps:

  1. a **random deal**: the units (must-link sets) in a random order (larger and
     cannot-linked units first), each placed in the group where it breaks the fewest
     rules, then the fewest balance bounds, then the smallest group, ties at random;
  2. a **random repair**: while a rule or bound is broken, pick a broken one at random
     (a group with too many or too few of a category, a group without a required
     member, a cannot-link pair in a group), a unit of that group that causes it, and
     :data:`PARTNERS` random partners in other groups that could mend it; make the swap
     that mends most, or, when none does, one that breaks nothing new (a random
     step). Diversity plays no part.

  These are partitions a planner could draw by lot under the rules. They are not
  exactly uniform over all partitions that meet the rules: no practical sampler is,
  since under tight balance a chain of random swaps barely moves (about 2% of
  random swaps keep every bound on the sample district).

For rosters of thousands, :func:`shuffle_within_kinds` draws partitions under the
same rules far faster: one rule-meeting partition with the groups of alike items
shuffled among them (uniform given that partition's counts).

The exchange method (:mod:`~mentormatch.groups.exchange`) starts from :func:`draw`'s
partitions too, so comparing its result with :func:`random_under_rules` shows what the
exchange adds. Everything works on many partitions at once (numpy on arrays of
``partitions x groups x columns``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mentormatch.groups.problem import Instance

__all__ = [
    "random_same_sizes",
    "random_under_rules",
    "shuffle_within_kinds",
    "draw",
    "PARTNERS",
]

#: Partners tried per repair step (random among those that could mend the broken rule).
PARTNERS = 16
#: Repair steps before a draw is given up (about a dozen per broken bound is plenty).
MAX_STEPS = 400
#: Draws per wanted partition before giving up (rules that random draws rarely meet).
MAX_DRAWS = 5
_BIG = np.iinfo(np.int32).max // 4


def random_same_sizes(
    inst: Instance,
    n: int,
    rng: np.random.Generator,
    *,
    chunk: int = 250,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Item labels of ``n`` uniformly random partitions with the instance's group sizes.

    >>> import numpy as np
    >>> from mentormatch.groups.problem import encode
    >>> inst = encode(np.zeros((5, 5)), 2)
    >>> labels = random_same_sizes(inst, 3, np.random.default_rng(0))
    >>> [sorted(np.bincount(row).tolist()) for row in labels]
    [[2, 3], [2, 3], [2, 3]]
    """
    base = np.repeat(np.arange(inst.n_groups), inst.sizes)
    out = np.empty((n, inst.n), dtype=np.int64)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        out[lo:hi] = rng.permuted(np.tile(base, (hi - lo, 1)), axis=1)
        if progress:
            progress(hi - lo)
    return out


def random_under_rules(
    inst: Instance,
    n: int,
    rng: np.random.Generator,
    *,
    max_violation: int = 0,
    chunk: int = 250,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Item labels of ``n`` random partitions that meet the instance's rules.

    See the module docstring for how they are drawn. Fewer than ``n`` rows come back
    only when random draws almost never meet the rules (then the rows that did).

    >>> import numpy as np
    >>> from mentormatch.groups.problem import check_partition, encode
    >>> x = np.arange(12.0)
    >>> cats = np.array([[i % 3, i % 2] for i in range(12)])
    >>> inst = encode(np.abs(x[:, None] - x[None, :]), 3, categories=cats,
    ...               cannot_link=[(0, 3)])
    >>> labels = random_under_rules(inst, 20, np.random.default_rng(0))
    >>> len(labels), sum(len(check_partition(inst, row, cannot_link=[(0, 3)]))
    ...                  for row in labels)
    (20, 0)
    """
    out = []
    got = drawn = 0
    while got < n and drawn < MAX_DRAWS * n:
        size = min(chunk, n - got)
        lab, ok = draw(inst, size, rng, max_violation=max_violation)
        drawn += size
        out.append(lab[ok][:, inst.unit_of])
        got += int(ok.sum())
        if progress and ok.any():
            progress(int(ok.sum()))
    if not out:
        return np.empty((0, inst.n), dtype=np.int64)
    return np.concatenate(out)[:n]


def shuffle_within_kinds(
    inst: Instance, base: np.ndarray, n: int, rng: np.random.Generator
) -> np.ndarray:
    """Item labels of ``n`` random partitions that meet the rules as ``base`` does,
    for rosters too large for :func:`random_under_rules`.

    Each is ``base`` (unit labels of a partition meeting the rules, such as a
    :func:`draw`) with the groups of the items of every *kind* shuffled among them
    (a kind: items alike on every balance variable and required kind; items in a
    must-link set or a cannot-link pair keep their group). Every count of every
    category in every group is the base's, so sizes, balance, required members and
    links hold as in ``base``; who sits where within a kind is uniformly random.
    It costs ``O(n)`` per partition.

    >>> import numpy as np
    >>> from mentormatch.groups.problem import check_partition, encode_rules
    >>> cats = np.array([[i % 3] for i in range(12)])
    >>> inst = encode_rules(12, 3, categories=cats)
    >>> labels = shuffle_within_kinds(inst, np.arange(12) // 4, 5, np.random.default_rng(0))
    >>> labels.shape, sum(len(check_partition(inst, row)) for row in labels)
    ((5, 12), 0)
    """
    base = np.asarray(base)
    free = inst.unit_size == 1
    if inst.X is not None:
        free &= inst.X.sum(axis=1) == 0
    idx = np.flatnonzero(free)
    kinds = np.unique(inst.K[idx], axis=0, return_inverse=True)[1].ravel()
    order = idx[np.argsort(kinds, kind="stable")]
    out = np.empty((n, inst.n), dtype=np.int64)
    for r in range(n):
        lab = base.copy()
        lab[order] = base[idx[np.lexsort((rng.random(len(idx)), kinds))]]
        out[r] = lab[inst.unit_of]
    return out


def draw(
    inst: Instance,
    R: int,
    rng: np.random.Generator,
    *,
    max_violation: int = 0,
    max_steps: int = MAX_STEPS,
) -> tuple[np.ndarray, np.ndarray]:
    """Deal and repair ``R`` random partitions at once (at most ``max_steps`` repair
    steps: many groups may need more than :data:`MAX_STEPS`).

    Returns
    -------
    labels : ndarray (R, m)
        The group of each unit.
    ok : ndarray (R,) of bool
        Which partitions meet every rule (and ``max_violation``).
    """
    batch = _Batch(inst, R)
    batch.deal(rng)
    for _ in range(max_steps):
        broken = batch.broken(max_violation)
        if not broken.any():
            break
        batch.repair(np.flatnonzero(broken), rng)
    return batch.lab, ~batch.broken(max_violation)


class _Batch:
    """``R`` partitions of the units of one instance, with their counts.

    Counts have one column per balance category and required kind (as the instance's
    ``K``) plus a last, always empty, column (what a conflict's cell points to). A
    required column is bounded like a balance column, with ``low = minimum`` and no
    upper bound, so that one formula counts both; ``required`` tells them apart.
    """

    def __init__(self, inst: Instance, R: int) -> None:
        self.inst = inst
        self.R = R
        # int32: these arrays are large, and numpy runs several times faster on them
        # than on int64 ones.
        i32 = np.int32
        b, k = inst.n_balance, len(inst.minimum)
        self.low = np.concatenate([inst.low, inst.minimum, [0]]).astype(i32)
        self.high = np.concatenate([inst.high, np.full(k + 1, _BIG)]).astype(i32)
        self.required = np.concatenate([np.zeros(b, bool), np.ones(k, bool), [False]])
        self.hard_part = self.required.astype(i32)
        self.soft_part = (~self.required).astype(i32)
        self.K = np.concatenate([inst.K, np.zeros((inst.m, 1), inst.K.dtype)], axis=1).astype(i32)
        # Bounds of a unit's change of (hard, balance) in one group, for integer keys.
        reach = 2 * int(self.K.sum(axis=1).max(initial=0)) + 2
        self.reach = reach + (0 if inst.X is None else int(inst.X.sum(axis=1).max(initial=0)))
        self.X = None if inst.X is None else inst.X.astype(i32)
        self.lab = np.full((R, inst.m), -1, dtype=np.int64)
        self.counts = np.zeros((R, inst.n_groups, b + k + 1), dtype=i32)
        self.size = np.zeros((R, inst.n_groups), dtype=np.int64)
        self.N = None if inst.X is None else np.zeros((R, inst.m, inst.n_groups), dtype=i32)

    def _broken_by(self, x: np.ndarray) -> np.ndarray:
        """How far counts ``x`` (columns last) lie outside their bounds."""
        out = x - self.high
        np.maximum(out, self.low - x, out=out)
        return np.maximum(out, 0, out=out)

    def _split(self, diff: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sum a change over columns into its (hard, balance) parts."""
        return diff @ self.hard_part, diff @ self.soft_part

    # --- the random deal --------------------------------------------------------------

    def deal(self, rng: np.random.Generator) -> None:
        inst, R = self.inst, self.R
        m, G = inst.m, inst.n_groups
        q, r = divmod(inst.n, G)
        rows = np.arange(R)
        degree = np.zeros(m) if inst.X is None else inst.X.sum(axis=1)
        order = np.lexsort(
            (
                rng.random((R, m)),
                np.broadcast_to(-degree, (R, m)),
                np.broadcast_to(-inst.unit_size, (R, m)),
            ),
            axis=-1,
        )
        size = self.size
        for t in range(m):
            u = order[:, t]
            s = inst.unit_size[u][:, None]
            full = (size == q + 1).sum(axis=1, keepdims=True) >= r
            fits = (size + s <= q) | ((size + s == q + 1) & ~full)
            Ku = self.K[u][:, None, :]
            now = self._broken_by(self.counts)
            dh, dv = self._split(self._broken_by(self.counts + Ku) - now)
            if self.N is not None:
                dh = dh + self.N[rows, u]
            # The group that breaks fewest rules, then fewest bounds, then the smallest,
            # then at random, as one integer key (faster than a lexsort of rows).
            span = 2 * self.reach + 1
            key = (~fits).astype(np.int64)
            key = key * span + (dh + self.reach)
            key = key * span + (dv + self.reach)
            key = key * (q + 2) + size
            key = key * 4096 + rng.integers(4096, size=(R, G))
            g = np.argmin(key, axis=1)
            # A dead end (a must-link set fits nowhere) leaves a size broken: broken()
            # reports it and the partition is left out.
            self.lab[rows, u] = g
            self.counts[rows, g] += self.K[u]
            size[rows, g] += s[:, 0]
            if self.N is not None:
                self.N[rows, :, g] += self.X[:, u].T

    # --- what is broken -----------------------------------------------------------------

    def broken(self, max_violation: int) -> np.ndarray:
        """Which partitions break a rule (or exceed ``max_violation``)."""
        inst = self.inst
        gap = self._broken_by(self.counts)
        req = self.required
        bad = gap[..., ~req].sum(axis=(1, 2)) > max_violation
        bad |= gap[..., req].sum(axis=(1, 2)) > 0
        bad |= (np.sort(self.size, axis=1)[:, ::-1] != inst.sizes).any(axis=1)
        if self.N is not None:
            rows = np.arange(self.R)[:, None]
            bad |= self.N[rows, np.arange(inst.m)[None, :], self.lab].sum(axis=1) > 0
        return bad

    # --- one repair step ----------------------------------------------------------------

    def repair(self, idx: np.ndarray, rng: np.random.Generator) -> None:
        """One targeted swap (or random step) in each partition ``idx``."""
        inst = self.inst
        m, G = inst.m, inst.n_groups
        ncol = self.counts.shape[2]
        lab = self.lab[idx]
        counts = self.counts[idx]
        n_idx = len(idx)
        rows = np.arange(n_idx)
        over = counts > self.high
        under = counts < self.low
        # A broken cell (group, column) at random; a cannot-link pair in a group counts
        # as one more cell of that group.
        cells = (over | under).reshape(n_idx, G * ncol).astype(float)
        conflict = None
        if self.N is not None:
            conflict = self.N[idx[:, None], np.arange(m)[None, :], lab] > 0  # (n_idx, m)
            per_group = np.zeros((n_idx, G))
            np.add.at(per_group, (np.repeat(rows, m), lab.ravel()), conflict.ravel())
            cells = np.concatenate([cells, (per_group > 0).astype(float)], axis=1)
        pick = np.argmax(rng.random(cells.shape) * cells, axis=1)
        is_conflict = pick >= G * ncol
        g = np.where(is_conflict, pick - G * ncol, pick // ncol)
        c = np.where(is_conflict, 0, pick % ncol)
        is_over = ~is_conflict & over[rows, g, c]
        # The unit to move: in group g, holding column c when the group has too many of
        # it, lacking it when too few, in a conflict when that is what is broken.
        has_c = self.K[:, c].T > 0  # (n_idx, m)
        in_g = lab == g[:, None]
        mover = in_g & np.where(is_over[:, None], has_c, ~has_c)
        if conflict is not None:
            mover = np.where(is_conflict[:, None], in_g & conflict, mover)
        mover = np.where(mover.any(axis=1, keepdims=True), mover, in_g)
        u = np.argmax(rng.random((n_idx, m)) * mover, axis=1)
        # Partners: units of the same size in other groups, that bring the opposite.
        partner = (lab != g[:, None]) & (inst.unit_size[None, :] == inst.unit_size[u][:, None])
        wanted = np.where(is_over[:, None], ~has_c, has_c) | is_conflict[:, None]
        good = partner & wanted
        partner = np.where(good.any(axis=1, keepdims=True), good, partner)
        k = min(PARTNERS, m)
        W = np.argpartition(-(rng.random((n_idx, m)) * partner), k - 1, axis=1)[:, :k]
        valid = np.take_along_axis(partner, W, axis=1)
        A = lab[rows, u]
        B = np.take_along_axis(lab, W, axis=1)
        delta = self.K[W] - self.K[u][:, None, :]  # (n_idx, k, columns)
        cA = counts[rows, A][:, None, :]
        cB = counts[rows[:, None], B]
        dh, dv = self._split(
            self._broken_by(cA + delta)
            + self._broken_by(cB - delta)
            - self._broken_by(cA)
            - self._broken_by(cB)
        )
        if self.N is not None:
            N, X = self.N[idx], self.X
            r2, uu, A2 = rows[:, None], u[:, None], A[:, None]
            dh = dh + (
                N[r2, W, A2] - X[W, uu] + N[r2, uu, B] - X[uu, W] - N[r2, uu, A2] - N[r2, W, B]
            )
        # Mend most (hard rules first); else a random swap that breaks nothing new.
        scale = 2 * (int(np.abs(dv).max()) + 1)
        score = np.where(valid, dh * scale + dv, _BIG) + rng.random(dv.shape) * 0.5
        best = np.argmin(score, axis=1)
        h, v = dh[rows, best], dv[rows, best]
        ok = valid[rows, best] & ((h < 0) | ((h == 0) & (v <= 0)))
        r = np.flatnonzero(ok)
        if not len(r):
            return
        glob, br = idx[r], best[r]
        w, ur, Ar, Br = W[r, br], u[r], A[r], B[r, br]
        self.lab[glob, ur] = Br
        self.lab[glob, w] = Ar
        self.counts[glob, Ar] += delta[r, br]
        self.counts[glob, Br] -= delta[r, br]
        if self.N is not None:
            x = (self.X[:, w] - self.X[:, ur]).T
            every = np.arange(m)[None, :]
            self.N[glob[:, None], every, Ar[:, None]] += x
            self.N[glob[:, None], every, Br[:, None]] -= x
