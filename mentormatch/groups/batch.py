"""Many anticlustering problems at once: the fast method batched over blocks.

A nation's salon is about 1,600 independent problems, one per county, each a few
hundred secretaries in about ten groups. One call of
:func:`~mentormatch.groups.fast.fast_anticluster` per county would spend its time in
Python and numpy overheads (about 0.4 s a county, ten minutes a nation); here every
step runs on all blocks at once, on flat arrays (:mod:`mentormatch.groups.blocks`
encodes them):

* **the problem** of each block is the fast method's without links: group sizes
  differ by at most one; every category of every balance variable is spread evenly
  (``floor`` or ``ceil`` of its count in the block over the block's groups); every
  group holds a *required* item (a facilitator); the k-means criterion on the
  features is maximised. Categories are codes per item and variable, numbered within
  each block, so a nation's 20,000 units cost a county's few dozen columns;
* **the start** is :func:`mentormatch.groups.draws.draw`'s, block by block, all
  blocks step by step together (:mod:`mentormatch.groups.start`): a random deal, then
  a random repair of what it leaves broken;
* **rounds** as in the fast method: each item's partners are its
  :data:`~mentormatch.groups.fast.K_NEIGHBOURS` nearest neighbours in its block and
  :data:`~mentormatch.groups.fast.RANDOM_PARTNERS` random items of its block; every
  partner swap is scored in ``O(1)`` from tables per item and group (the item's inner
  product with each group sum; which of its categories may leave its group and may
  enter each other one); in every block the best improving swaps on distinct groups
  are made together, until no block improves (a swap must lower the key ``(hard,
  violation, -objective)``, so rules once kept stay kept). Only blocks that changed
  are scored again.

Blocks never interact (see :mod:`~mentormatch.groups.blocks`): a block's groups are
the same whether it is solved alone or with a thousand others (tested).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from mentormatch.errors import DataError
from mentormatch.groups.blocks import Blocks, argbest, block_partners, block_salts, ranges
from mentormatch.groups.fast import K_NEIGHBOURS, MAX_ROUNDS, RANDOM_PARTNERS
from mentormatch.groups.measures import EPS
from mentormatch.groups.start import REPAIR_STEPS_PER_GROUP, deal, repair

__all__ = ["block_anticluster", "BlockResult"]

#: Items or candidate swaps processed at once: temporaries of a few hundred kilobytes
#: stay in cache (a nation's candidates at once cost more in page faults than in
#: arithmetic: ten times more, measured).
_CHUNK = 1 << 13


@dataclass(frozen=True, eq=False)
class BlockResult:
    """The groups of every block, and how each block fared.

    Attributes
    ----------
    labels : ndarray (n,)
        Each item's group within its block, ``0 .. n_groups - 1``.
    hard, violation : ndarray (B,)
        Per block: groups without a required item, and how far counts lie outside
        their bounds (0 and 0: every rule holds).
    objective : ndarray (B,)
        Per block, the k-means criterion of its groups.
    swaps, rounds : ndarray (B,)
        Per block, the swaps of the rounds (the repair's not counted) and the rounds
        it took part in.
    """

    labels: np.ndarray
    hard: np.ndarray
    violation: np.ndarray
    objective: np.ndarray
    swaps: np.ndarray
    rounds: np.ndarray


def block_anticluster(
    blocks: Blocks,
    X: np.ndarray,
    seeds: list[np.random.SeedSequence],
    *,
    k: int = K_NEIGHBOURS,
    n_random: int = RANDOM_PARTNERS,
    max_rounds: int = MAX_ROUNDS,
) -> BlockResult:
    """Anticlustering of every block by the k-means criterion on features.

    Parameters
    ----------
    blocks : Blocks
        From :func:`~mentormatch.groups.blocks.encode_blocks`.
    X : ndarray (n, p)
        Numeric features of the items (sorted by block).
    seeds : list of SeedSequence
        One per block: a block's groups depend on its own items and seed only.
    k, n_random : int
        Nearest-neighbour and random exchange partners of each item.
    max_rounds : int
        Rounds of swaps at most.

    Returns
    -------
    BlockResult

    Examples
    --------
    >>> import numpy as np
    >>> from mentormatch.groups.blocks import encode_blocks
    >>> x = np.array([0.0, 0.1, 0.2, 0.3, 5.0, 5.1, 5.2, 5.3] * 2)[:, None]
    >>> b = encode_blocks(np.repeat([0, 1], 8), np.array([2, 2]), np.zeros((16, 0)),
    ...                   np.ones(16, bool))
    >>> res = block_anticluster(b, x, np.random.SeedSequence(1).spawn(2))
    >>> [np.bincount(res.labels[s:s + 4], minlength=2).tolist() for s in (0, 8)]
    [[2, 2], [2, 2]]
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or len(X) != blocks.n:
        raise DataError(f"features must be a table of {blocks.n} rows, got shape {X.shape}")
    if len(seeds) != blocks.n_blocks:
        raise DataError(f"one seed per block is needed: {blocks.n_blocks}, got {len(seeds)}")
    # Small products everywhere: BLAS threads cost more than they save, and one thread
    # gives the same sums on every machine (as in fast.py).
    with threadpool_limits(limits=1):
        salt = block_salts(seeds)
        st = _State(blocks, X, salt, block_partners(X, blocks.start, k, n_random, salt))
        deal(st)
        repair(st, REPAIR_STEPS_PER_GROUP * st.G)
        for _ in range(max_rounds):
            if not st.round():
                break
        return st.result()


class _State:
    """Every block's partition, with its sums, counts and the tables that score swaps."""

    def __init__(self, blocks: Blocks, X: np.ndarray, salt: np.ndarray, part: np.ndarray):
        self.bl, self.X, self.salt = blocks, X, salt
        n, B, n_g = blocks.n, blocks.n_blocks, len(blocks.sizes)
        self.block = blocks.block
        self.pos = np.arange(n) - blocks.start[self.block]
        self.goff = blocks.goff
        self.G = int(blocks.n_groups.max(initial=1))
        self.gblock = np.repeat(np.arange(B), blocks.n_groups)
        self.inv = 1.0 / np.maximum(blocks.sizes, 1)
        self.V = len(blocks.low)
        self.codes, self.req = blocks.codes, blocks.required
        # Rule bits: one per balance variable, the last for required items.
        self.full = np.uint8((1 << (self.V + 1)) - 1)
        self.lab = np.full(n, -1, dtype=np.int64)
        self.counts = [np.zeros_like(lo) for lo in blocks.low]
        self.rc = np.zeros(n_g, dtype=np.int64)
        self.filled = np.zeros(n_g, dtype=np.int64)
        self.S = np.zeros((n_g, X.shape[1]))
        self.q = (X * X).sum(axis=1)
        self.swaps = np.zeros(B, dtype=np.int64)
        self.rounds = np.zeros(B, dtype=np.int64)
        # Per item: 2 x . S_g / n_g for each group of its block and for its own group,
        # 1 / its group's size, and which rules let its category leave its group (L)
        # and enter each group (E), as bits.
        self.Vt = np.zeros((n, self.G))
        self.own = np.zeros(n)
        self.invo = np.zeros(n)
        self.Lt = np.zeros(n, dtype=np.uint8)
        self.Et = np.zeros((n, self.G), dtype=np.uint8)
        self.active = np.flatnonzero(np.diff(blocks.start) > 1)
        self._candidates(part)

    def _candidates(self, part: np.ndarray) -> None:
        """Unordered partner pairs, sorted (so by block), with what is fixed about them."""
        n = len(part)
        u = np.repeat(np.arange(n), part.shape[1])
        w = part.ravel()
        ok = w >= 0
        key = np.sort(np.minimum(u[ok], w[ok]) * n + np.maximum(u[ok], w[ok]))
        key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
        self.cu, self.cw = key // n, key % n
        self.cstart = np.searchsorted(self.block[self.cu], np.arange(self.bl.n_blocks + 1))
        self.dd = np.empty(len(key))
        self.same = np.zeros(len(key), dtype=np.uint8)
        for s in range(0, len(key), _CHUNK):
            a, b = self.cu[s : s + _CHUNK], self.cw[s : s + _CHUNK]
            d = self.X[a] - self.X[b]
            self.dd[s : s + _CHUNK] = np.einsum("ij,ij->i", d, d)
            same = (self.req[a] == self.req[b]).astype(np.uint8) << self.V
            for v in range(self.V):
                same |= (self.codes[a, v] == self.codes[b, v]).astype(np.uint8) << v
            self.same[s : s + _CHUNK] = same

    # --- the tables ---------------------------------------------------------------------

    def _refresh(self, blocks: np.ndarray) -> None:
        """Recompute the tables of the items of ``blocks``."""
        bl, G = self.bl, self.G
        for b in blocks.tolist():
            s, e, o, g = bl.start[b], bl.start[b + 1], self.goff[b], bl.n_groups[b]
            self.Vt[s:e, :g] = self.X[s:e] @ (self.S[o : o + g] * (2 * self.inv[o : o + g, None])).T
        # Per variable and group, which categories may leave (above the floor) and
        # enter (below the ceiling), as that variable's bit.
        leave = [
            ((c > lo) << v).astype(np.uint8).ravel()
            for v, (c, lo) in enumerate(zip(self.counts, bl.low, strict=True))
        ]
        enter = [
            ((c < hi) << v).astype(np.uint8).ravel()
            for v, (c, hi) in enumerate(zip(self.counts, bl.high, strict=True))
        ]
        width = [c.shape[1] for c in self.counts]
        req_bit = np.uint8(1 << self.V)
        every = ranges(bl.start[blocks], bl.start[blocks + 1])
        last = len(self.rc) - 1
        for lo in range(0, len(every), _CHUNK):
            items = every[lo : lo + _CHUNK]
            base = self.goff[self.block[items]]
            own = base + self.lab[items]
            self.own[items] = self.Vt[items, self.lab[items]]
            self.invo[items] = self.inv[own]
            L = np.where(self.req[items] & (self.rc[own] <= 1), 0, req_bit).astype(np.uint8)
            E = np.full((len(items), G), req_bit, dtype=np.uint8)
            gidx = np.minimum(base[:, None] + np.arange(G), last)
            for v in range(self.V):
                c = self.codes[items, v]
                L |= leave[v][own * width[v] + c]
                E |= enter[v][gidx * width[v] + c[:, None]]
            self.Lt[items] = L
            self.Et[items] = E

    # --- scoring and making swaps ----------------------------------------------------

    def gains(self, u, w, dd):
        """Change of the criterion of each swap, and the two items' groups."""
        a, b = self.lab[u], self.lab[w]
        Vf = self.Vt.ravel()
        gain = self.own[u] + self.own[w] - Vf[u * self.G + b] - Vf[w * self.G + a]
        return gain - dd * (self.invo[u] + self.invo[w]), a, b

    def keeps(self, u, w, a, b, same):
        """Whether each swap keeps every rule, in blocks where all hold."""
        G, Ef = self.G, self.Et.ravel()
        return ((self.Lt[u] & self.Lt[w] & Ef[u * G + b] & Ef[w * G + a]) | same) == self.full

    def changes(self, u, w):
        """Change of (hard, violation) of each swap of ``u`` with ``w``."""
        A = self.goff[self.block[u]] + self.lab[u]
        B = self.goff[self.block[w]] + self.lab[w]
        dv = np.zeros(len(u), dtype=np.int64)
        for v in range(self.V):
            cu, cw = self.codes[u, v], self.codes[w, v]
            cnt, low, high = self.counts[v], self.bl.low[v], self.bl.high[v]
            part = np.zeros(len(u), dtype=np.int64)
            for g, c, step in ((A, cu, -1), (A, cw, 1), (B, cw, -1), (B, cu, 1)):
                now, lo, hi = cnt[g, c], low[g, c], high[g, c]
                part += _off(now + step, lo, hi) - _off(now, lo, hi)
            dv += np.where(cu == cw, 0, part)  # one category on both sides moves nothing
        d = self.req[w].astype(np.int64) - self.req[u]
        rA, rB = self.rc[A], self.rc[B]
        dh = _short(rA + d) - _short(rA) + _short(rB - d) - _short(rB)
        return dh, dv

    def apply(self, u, w, dh, dv, gain) -> None:
        """Make swaps whose groups are pairwise distinct."""
        blk = self.block[u]
        a, b = self.lab[u], self.lab[w]
        A, B = self.goff[blk] + a, self.goff[blk] + b
        step = self.X[w] - self.X[u]
        self.S[A] += step
        self.S[B] -= step
        for v in range(self.V):
            cu, cw, cnt = self.codes[u, v], self.codes[w, v], self.counts[v]
            cnt[A, cu] -= 1
            cnt[A, cw] += 1
            cnt[B, cw] -= 1
            cnt[B, cu] += 1
        d = self.req[w].astype(np.int64) - self.req[u]
        self.rc[A] += d
        self.rc[B] -= d
        self.lab[u], self.lab[w] = b, a
        nb = self.bl.n_blocks
        self.hard += np.bincount(blk, weights=dh, minlength=nb).astype(np.int64)
        self.violation += np.bincount(blk, weights=dv, minlength=nb).astype(np.int64)
        self.objective += np.bincount(blk, weights=gain, minlength=nb)

    def score(self) -> None:
        """Hard, violation and objective of every block, from the counts and sums."""
        bl, nb = self.bl, self.bl.n_blocks
        short = _short(self.rc)
        self.hard = np.bincount(self.gblock, weights=short, minlength=nb).astype(np.int64)
        off = np.zeros(len(self.rc), dtype=np.int64)
        for c, lo, hi in zip(self.counts, bl.low, bl.high, strict=True):
            off += _off(c, lo, hi).sum(axis=1)
        self.violation = np.bincount(self.gblock, weights=off, minlength=nb).astype(np.int64)
        total = np.bincount(self.block, weights=self.q, minlength=nb)
        sq = (self.S * self.S).sum(axis=1) * self.inv
        self.objective = total - np.bincount(self.gblock, weights=sq, minlength=nb)

    # --- rounds ------------------------------------------------------------------------

    def round(self) -> int:
        """One round in every block that changed (all in the first): the best
        improving partner swaps on distinct groups; return how many were made."""
        active = self.active
        if not len(active):
            return 0
        self._refresh(active)
        self.rounds[active] += 1
        dirty = (self.hard > 0) | (self.violation > 0)
        # Runs of consecutive active blocks hold consecutive candidates: read them as
        # slices (views), not gathers.
        cut = np.flatnonzero(np.diff(active) != 1)
        first, last = active[np.r_[0, cut + 1]], active[np.r_[cut, len(active) - 1]]
        found = []
        for lo, hi in zip(self.cstart[first].tolist(), self.cstart[last + 1].tolist(), strict=True):
            for at in range(lo, hi, _CHUNK * 4):
                found.append(self._improving(at, min(hi, at + _CHUNK * 4), dirty))
        idx, gain, dh, dv = (np.concatenate(x) for x in zip(*found, strict=True))
        if not len(idx):
            self.active = np.zeros(0, dtype=np.int64)
            return 0
        u, w = self.cu[idx], self.cw[idx]
        key = dh * (4 * int(np.abs(dv).max(initial=0)) + 4) + dv
        chosen = self._disjoint(u, self.lab[u], self.lab[w], key, gain)
        self.apply(u[chosen], w[chosen], dh[chosen], dv[chosen], gain[chosen])
        self.swaps += np.bincount(self.block[u[chosen]], minlength=self.bl.n_blocks)
        self.active = np.unique(self.block[u[chosen]])
        return len(chosen)

    def _improving(self, lo: int, hi: int, dirty: np.ndarray):
        """The candidate swaps ``lo:hi`` that improve their block's key, with their
        gains and changes of (hard, violation)."""
        u, w = self.cu[lo:hi], self.cw[lo:hi]
        gain, a, b = self.gains(u, w, self.dd[lo:hi])
        broken = dirty[self.block[u]]
        sel = np.flatnonzero((a != b) & (gain > EPS) & ~broken)
        sel = sel[self.keeps(u[sel], w[sel], a[sel], b[sel], self.same[lo:hi][sel])]
        dh = dv = np.zeros(len(sel), dtype=np.int64)
        if broken.any():
            # Blocks the repair could not mend: a swap may not break more, and mends
            # first, as in the fast method.
            rest = np.flatnonzero(broken & (a != b))
            h, v = self.changes(u[rest], w[rest])
            better = (h < 0) | ((h == 0) & ((v < 0) | ((v == 0) & (gain[rest] > EPS))))
            sel = np.concatenate([sel, rest[better]])
            dh = np.concatenate([dh, h[better]])
            dv = np.concatenate([dv, v[better]])
        return lo + sel, gain[sel], dh, dv

    def _disjoint(self, u, a, b, key, gain) -> np.ndarray:
        """Positions of the swaps to make: in each block best first (lowest key, then
        highest gain, then first), each group in one swap at most."""
        G, nb = self.G, self.bl.n_blocks
        blk = self.block[u]
        pair = (blk * G + np.minimum(a, b)) * G + np.maximum(a, b)
        uniq, pair = np.unique(pair, return_inverse=True)
        win = argbest(pair, len(uniq), key, gain)  # the best swap of each pair of groups
        cand = win[win < len(u)]
        chosen = []
        used = np.zeros(nb * G, dtype=bool)
        while len(cand):
            best = argbest(blk[cand], nb, key[cand], gain[cand])
            take = cand[best[best < len(cand)]]
            chosen.append(take)
            used[blk[take] * G + a[take]] = used[blk[take] * G + b[take]] = True
            cand = cand[~(used[blk[cand] * G + a[cand]] | used[blk[cand] * G + b[cand]])]
        return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)

    def result(self) -> BlockResult:
        self.score()
        return BlockResult(
            self.lab.copy(), self.hard, self.violation, self.objective, self.swaps, self.rounds
        )


def _off(x, low, high):
    """How far counts lie outside their bounds."""
    return np.maximum(np.maximum(x - high, low - x), 0)


def _short(x):
    """Required items a group lacks (it needs one)."""
    return np.maximum(1 - x, 0)
