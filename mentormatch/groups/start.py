"""The start of the batched engine: a random deal, then a random repair, all blocks at once.

As :func:`mentormatch.groups.draws.draw` does for one problem, block by block
(:mod:`mentormatch.groups.batch` holds the state these functions work on):

* :func:`deal`: each block's items in a random order, each placed where it breaks the
  fewest bounds and fills the most below its categories' floors, then in the
  smallest group, ties at random; every block takes its ``t``-th item at step ``t``;
* :func:`repair`: while a block breaks a rule, one repair step in it: a broken count
  at random; an item holding its category (in its group when the group has too many;
  in another group, one that can spare it, when the group has too few); as
  partners, up to :data:`REPAIR_TWINS` items alike on every other variable (a swap
  with one moves that variable's counts only) and :data:`REPAIR_PARTNERS` random
  items of the block, each lacking the category and on the other side of the broken
  group; the swap that mends most, else one that breaks nothing new, ties at
  random. A block still broken after that many steps is mended (:func:`mend`, the
  fast method's: the best swap of an item causing a broken count with any item of
  the block), then repaired at random again, a few times. A greedy deal leaves a
  few dozen counts broken in a county of 375; twins and a mover on the side that
  can give are what mend them (with random partners alone, some counties stayed
  broken after hundreds of steps; in 3,840 county runs on synthetic regions, none
  is now).

Random numbers are hashes of each block's salt (:func:`~mentormatch.groups.blocks.block_hash`),
so a block's start does not depend on the blocks beside it.
"""

from __future__ import annotations

import numpy as np

from mentormatch.groups.blocks import argbest, block_hash, ranges

__all__ = ["deal", "repair", "mend", "REPAIR_PARTNERS", "REPAIR_TWINS", "REPAIR_STEPS_PER_GROUP"]

#: Random partners tried per repair step (as draw's PARTNERS).
REPAIR_PARTNERS = 16
#: Partners alike on every other variable tried per repair step.
REPAIR_TWINS = 32
#: Repair steps at most, per group of the largest block (as the fast method's starts).
REPAIR_STEPS_PER_GROUP = 40
#: Times a block still broken is mended, then repaired at random again.
MEND_ROUNDS = 3
#: Mending steps at most, and items causing a broken count tried per block and step.
MEND_STEPS, MEND_MOVERS = 200, 16
# What each hashed random number is drawn for (a key of block_hash).
_ORDER, _TIE, _CELL, _MOVER, _PARTNER, _PICK, _TWIN, _MEND = 2, 3, 4, 5, 6, 7, 8, 9


def deal(st) -> None:
    """Deal every block's items in a random order, all blocks step by step."""
    bl, G = st.bl, st.G
    sizes = np.diff(bl.start)
    h = block_hash(st.salt[st.block], _ORDER, st.pos)
    order = np.lexsort((h, st.block))  # items of each block in a random order
    by_size = np.argsort(-sizes, kind="stable")
    alive = np.searchsorted(-sizes[by_size], -np.arange(int(sizes.max(initial=0))), "left")
    j = np.arange(G)
    cap, top = bl.sizes, int(bl.sizes.max(initial=0)) + 1
    # Radix of the slack in the key: it lies within V times the largest ceiling.
    spread = 2 * (st.V + 1) * (max((int(x.max(initial=0)) for x in bl.high), default=0) + 1)
    # Flat views (one-dimensional gathers are several times faster than 2-D ones).
    flat = [
        ((c.ravel(), c.shape[1]), lo.ravel(), hi.ravel())
        for c, lo, hi in zip(st.counts, bl.low, bl.high, strict=True)
    ]
    for t, count in enumerate(alive.tolist()):
        act = by_size[:count]
        i = order[bl.start[act] + t]
        m = bl.n_groups[act][:, None]
        g = st.goff[act][:, None] + np.minimum(j[None, :], m - 1)
        # Fewest bounds broken (draw's deal), the most room below the floors of
        # the item's categories, the smallest group, then at random.
        change = -(st.req[i][:, None] & (st.rc[g] == 0)).astype(np.int64)
        slack = np.zeros(g.shape, dtype=np.int64)
        for v, (cnt, low, high) in enumerate(flat):
            cell = g * cnt[1] + st.codes[i, v][:, None]
            now, lo = cnt[0][cell], low[cell]
            change += (now >= high[cell]).astype(np.int64) - (now < lo)
            slack += now - lo
        shut = (j[None, :] >= m) | (st.filled[g] >= cap[g])
        key = ((shut * 256 + change + 128) * spread + slack + spread // 2) * top + st.filled[g]
        tie = block_hash(st.salt[act][:, None], _TIE, t, j) >> np.uint64(44)
        pick = np.argmin(key * (1 << 20) + tie.astype(np.int64), axis=1)
        gg = g[np.arange(len(act)), pick]
        st.lab[i] = pick
        st.filled[gg] += 1
        st.rc[gg] += st.req[i]
        for v in range(st.V):
            st.counts[v][gg, st.codes[i, v]] += 1
    np.add.at(st.S, st.goff[st.block] + st.lab, st.X)
    st.score()


def repair(st, max_steps: int) -> None:
    """Repair every block that breaks a rule: up to ``max_steps`` random repair steps,
    then, for a block still broken, :func:`mend`, and random steps again, a few
    times (see the module docstring). Which steps a block takes depends on the block
    alone."""
    twins = _twins(st)
    every = np.ones(st.bl.n_blocks, dtype=bool)
    done = 0
    for _ in range(MEND_ROUNDS):
        done = _random_steps(st, twins, done, max_steps, every)
        mend(st, every)
        if not ((st.hard > 0) | (st.violation > 0)).any():
            break
    st.score()


def mend(st, eligible: np.ndarray) -> np.ndarray:
    """The fast method's mend, in every ``eligible`` block still breaking a rule: the
    best swap (lowest change of ``(hard, violation)``, ties at random) of one of
    :data:`MEND_MOVERS` items causing a broken count with any item of its block, one
    swap per block a step, until the block keeps every rule or a step finds nothing
    better. Returns which blocks improved."""
    bl = st.bl
    improved = np.zeros(bl.n_blocks, dtype=bool)
    going = eligible.copy()
    for step in range(MEND_STEPS):
        dirty = np.flatnonzero(((st.hard > 0) | (st.violation > 0)) & going)
        if not len(dirty):
            break
        items = ranges(bl.start[dirty], bl.start[dirty + 1])
        bad = items[_breaking(st, items)]
        rank = block_hash(st.salt[st.block[bad]], _MEND, step, st.pos[bad]) >> np.uint64(4)
        bad = bad[np.lexsort((rank, st.block[bad]))]
        first = np.searchsorted(st.block[bad], st.block[bad])
        u = bad[np.arange(len(bad)) - first < MEND_MOVERS]
        size = bl.start[st.block[u] + 1] - bl.start[st.block[u]]
        uu = np.repeat(u, size)
        w = ranges(bl.start[st.block[u]], bl.start[st.block[u] + 1])
        dh, dv = st.changes(uu, w)
        better = np.flatnonzero((st.lab[uu] != st.lab[w]) & ((dh < 0) | ((dh == 0) & (dv < 0))))
        stuck = np.setdiff1d(dirty, st.block[uu[better]])
        going[stuck] = False  # nothing better in these blocks: their mend ends
        if not len(better):
            break
        key = dh[better] * (2 * int(np.abs(dv).max(initial=0)) + 2) + dv[better]
        tie = block_hash(
            st.salt[st.block[uu[better]]], _MEND, step, w[better] - bl.start[st.block[w[better]]]
        )
        best = argbest(st.block[uu[better]], bl.n_blocks, key, (tie >> np.uint64(12)).astype(float))
        f = better[best[best < len(better)]]
        st.apply(uu[f], w[f], dh[f], dv[f], np.zeros(len(f)))
        improved[st.block[uu[f]]] = True
    st.score()
    return improved


def _breaking(st, items: np.ndarray) -> np.ndarray:
    """Which items cause a broken count: holding a category of which their group has
    too many, in a group short of a category they lack, in a group lacking a required
    item (not being one)."""
    g = st.goff[st.block[items]] + st.lab[items]
    bad = (st.rc[g] == 0) & ~st.req[items]
    for v in range(st.V):
        c = st.codes[items, v]
        cnt, low, high = st.counts[v], st.bl.low[v], st.bl.high[v]
        under = (cnt < low).sum(axis=1)
        bad |= (cnt[g, c] > high[g, c]) | (under[g] - (cnt[g, c] < low[g, c]) > 0)
    return bad


def _random_steps(st, twins, done: int, max_steps: int, eligible: np.ndarray) -> int:
    """Random repair steps in the ``eligible`` blocks, numbered from ``done`` on;
    returns the next number."""
    bl = st.bl
    order, kind_lo, kind_hi = twins
    priority = block_hash(st.salt[st.block], _MOVER, st.pos) >> np.uint64(4)
    for step in range(done, done + max_steps):
        dirty = np.flatnonzero(((st.hard > 0) | (st.violation > 0)) & eligible)
        if not len(dirty):
            break
        g, v, c, over = _broken_cell(st, dirty, step)
        u = _mover(st, dirty, g, v, c, over, step, priority)
        # Partners: the mover's twins on the broken variable, then random items.
        lo, hi = kind_lo[v, u], kind_hi[v, u]
        hi = np.minimum(hi, lo + REPAIR_TWINS)
        near = order[ranges(lo, hi)]
        size = (bl.start[dirty + 1] - bl.start[dirty]).astype(np.uint64)
        r = np.arange(REPAIR_PARTNERS)
        pick = block_hash(st.salt[dirty][:, None], _PARTNER, step, r) % size[:, None]
        w = np.concatenate([near, (bl.start[dirty][:, None] + pick.astype(np.int64)).ravel()])
        seg = np.concatenate(
            [np.repeat(np.arange(len(dirty)), hi - lo), np.repeat(np.arange(len(dirty)), len(r))]
        )
        uu = u[seg]
        dh, dv = st.changes(uu, w)
        # A partner that lacks the category, in another group (the mover is in the
        # cell's group when it has too many) or in the cell's group (too few).
        lacks = _category(st, w, v[seg]) != c[seg]
        into = st.goff[st.block[w]] + st.lab[w] == g[seg]
        valid = (st.lab[uu] != st.lab[w]) & lacks & (over[seg] | into)
        key = np.where(valid, dh * (2 * int(np.abs(dv).max(initial=0)) + 2) + dv, 1 << 40)
        tie = block_hash(st.salt[dirty[seg]], _PICK, step, w - bl.start[dirty[seg]])
        best = argbest(seg, len(dirty), key, (tie >> np.uint64(12)).astype(np.float64))
        best = best[best < len(seg)]
        ok = valid[best] & ((dh[best] < 0) | ((dh[best] == 0) & (dv[best] <= 0)))
        f = best[ok]
        st.apply(uu[f], w[f], dh[f], dv[f], np.zeros(len(f)))
    return done + max_steps


def _twins(st) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each variable, the items sorted by block and by their categories of every
    other variable (at random within), one variable after another in one array; and
    each item's range of alike items in it, per variable (``(V + 1, n)``, the last
    row, for the required kind, empty)."""
    n, V = st.bl.n, st.V
    h = block_hash(st.salt[st.block], _TWIN, st.pos)
    orders = []
    lo = np.zeros((V + 1, n), dtype=np.int64)
    hi = np.zeros((V + 1, n), dtype=np.int64)
    for v in range(V):
        keys = [st.codes[:, x] for x in range(V) if x != v] + [st.req.astype(np.int64)]
        kind_key = _combined([st.block, *keys])
        if kind_key is None:  # too many categories for one integer: sort on every key
            order = np.lexsort((h, *keys[::-1], st.block))
            kind = np.ones(n, dtype=bool)
            kind[1:] = st.block[order][1:] != st.block[order][:-1]
            for k in keys:
                kind[1:] |= k[order][1:] != k[order][:-1]
        else:
            order = np.lexsort((h, kind_key))
            kind = np.r_[True, kind_key[order][1:] != kind_key[order][:-1]]
        bounds = np.append(np.flatnonzero(kind), n) + v * n
        kid = np.cumsum(kind) - 1
        lo[v, order], hi[v, order] = bounds[kid], bounds[kid + 1]
        orders.append(order)
    return np.concatenate(orders) if orders else np.zeros(0, np.int64), lo, hi


def _combined(keys: list[np.ndarray]) -> np.ndarray | None:
    """Non-negative integer keys as one (mixed radix), or None if it would overflow."""
    out = np.zeros(len(keys[0]), dtype=np.int64)
    span = 1
    for k in keys:
        width = int(k.max(initial=0)) + 1
        span *= width
        if span >= 1 << 62:
            return None
        out = out * width + k
    return out


def _mover(st, dirty, g, v, c, over, step, priority) -> np.ndarray:
    """Per dirty block, an item holding the broken cell's category, at random: in the
    cell's group when it has too many; when it has too few, in another group, one
    that can spare it first (its partner will be in the cell's group)."""
    bl = st.bl
    items = ranges(bl.start[dirty], bl.start[dirty + 1])
    which = np.searchsorted(dirty, st.block[items])
    var, cell, short = v[which], g[which], ~over[which]
    cat = _category(st, items, var)
    own = st.goff[st.block[items]] + st.lab[items]
    here = own == cell
    spare = np.ones(len(items), dtype=bool)
    for x in range(st.V):
        sel = (var == x) & short
        cnt, low = st.counts[x], bl.low[x]
        spare[sel] = cnt[own[sel], cat[sel]] > low[own[sel], cat[sel]]
    sel = (var == st.V) & short
    spare[sel] = st.rc[own[sel]] > 1
    able = (cat == c[which]) & (here != short)
    tier = np.where(able & spare, 0, 1).astype(np.uint64)
    # A random order of the items, another each step (an xor of a fixed hash).
    turn = block_hash(st.salt[dirty], _MOVER, step) >> np.uint64(4)
    rank = ((priority[items] ^ turn[which]) | (tier << np.uint64(60))).astype(np.int64)
    rank[~able] = np.iinfo(np.int64).max
    seg = np.full(len(dirty), np.iinfo(np.int64).max)
    np.minimum.at(seg, which, rank)
    first = (rank == seg[which]) & able
    u = np.zeros(len(dirty), dtype=np.int64)
    u[which[first]] = items[first]
    return u


def _broken_cell(st, dirty: np.ndarray, step: int):
    """One broken count per dirty block, at random: its group, variable (``V``
    for the required kind), category and whether it is over its ceiling."""
    cells = []
    groups = ranges(st.goff[dirty], st.goff[dirty + 1])
    for v in range(st.V):
        cnt, lo, hi = st.counts[v][groups], st.bl.low[v][groups], st.bl.high[v][groups]
        r, c = np.nonzero((cnt > hi) | (cnt < lo))
        cells.append((groups[r], np.full(len(r), v), c, cnt[r, c] > hi[r, c]))
    g = groups[st.rc[groups] == 0]
    cells.append((g, np.full(len(g), st.V), np.ones(len(g), np.int64), np.zeros(len(g), bool)))
    g, v, c, over = (np.concatenate(x) for x in zip(*cells, strict=True))
    blk = st.gblock[g]
    key = ((g - st.goff[blk]) * (st.V + 1) + v) * (1 << 20) + c  # block-local: no leaks
    rank = (block_hash(st.salt[blk], _CELL, step, key) >> 2).astype(np.int64)
    seg = np.full(st.bl.n_blocks, np.iinfo(np.int64).max)
    np.minimum.at(seg, blk, rank)
    first = np.flatnonzero(rank == seg[blk])
    first = first[np.unique(blk[first], return_index=True)[1]]
    at = np.searchsorted(blk[first], dirty)
    pick = first[at]
    return g[pick], v[pick], c[pick], over[pick]


def _category(st, items: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Each item's category of variable ``v`` (per item; ``V``: 1 if required)."""
    out = st.req[items].astype(np.int64)
    for var in range(st.V):
        sel = v == var
        out[sel] = st.codes[items[sel], var]
    return out
