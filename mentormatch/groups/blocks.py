"""Many anticlustering problems without links, encoded at once (a nation's counties).

:func:`encode_blocks` encodes one problem per *block* (a county): its items, its
number of groups, each item's category of each balance variable and the required
items (facilitators). :func:`block_partners` finds each item's exchange partners
within its block. :mod:`mentormatch.groups.batch` solves all blocks together.

Two rules keep the blocks independent, so that a block's groups are the same
whether it is solved alone or with a thousand others:

* **randomness is a hash** (:func:`block_hash`) of the block's own salt (drawn from
  its seed) and of what is drawn for (a step, an item's place in the block), never a
  shared random stream;
* **nearest neighbours** are computed on each block padded to a multiple of
  :data:`PAD` items, in stacks of blocks of one padded size: the arithmetic of a
  block depends on its size alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mentormatch.errors import DataError
from mentormatch.groups.measures import group_sizes

__all__ = [
    "Blocks",
    "encode_blocks",
    "block_partners",
    "block_hash",
    "block_salts",
    "ranges",
    "argbest",
    "PAD",
]

#: Blocks are padded to a multiple of this many items to find neighbours.
PAD = 32
#: Blocks of up to this many items find their neighbours in one padded matrix product;
#: larger ones (a single pool) use scikit-learn's search.
_DENSE_UPTO = 2048
#: Cells of the distance matrices computed at once (a few tens of megabytes).
_CELLS = 1 << 20
_BIG = np.iinfo(np.int64).max


@dataclass(frozen=True, eq=False)
class Blocks:
    """Many anticlustering problems of items without links, encoded once.

    Build it with :func:`encode_blocks`. Items are sorted by block; groups are
    numbered block by block (block ``b`` holds groups ``goff[b]:goff[b + 1]``).

    Attributes
    ----------
    start : ndarray (B + 1,)
        Block ``b`` holds items ``start[b]:start[b + 1]``.
    n_groups : ndarray (B,)
        Groups of each block (0 for an empty block).
    codes : ndarray (n, V)
        Each item's category of each balance variable, numbered within its block.
    required : ndarray (n,) of bool
        Items of the required kind: every group needs one.
    low, high : list of ndarray (G, c_v)
        Per variable, the bounds of every category in every group: ``floor`` and
        ``ceil`` of the category's count in the block over the block's groups (0 for
        categories the block lacks).
    sizes : ndarray (G,)
        Every group's size (largest first within a block).
    """

    start: np.ndarray
    n_groups: np.ndarray
    codes: np.ndarray
    required: np.ndarray
    low: list[np.ndarray]
    high: list[np.ndarray]
    sizes: np.ndarray

    @property
    def n(self) -> int:
        return int(self.start[-1])

    @property
    def n_blocks(self) -> int:
        return len(self.n_groups)

    @property
    def goff(self) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(self.n_groups)])

    @property
    def block(self) -> np.ndarray:
        """Each item's block."""
        return np.repeat(np.arange(self.n_blocks), np.diff(self.start))


def encode_blocks(
    block: np.ndarray, n_groups: np.ndarray, codes: np.ndarray, required: np.ndarray
) -> Blocks:
    """Encode one anticlustering problem per block.

    Parameters
    ----------
    block : ndarray (n,)
        Each item's block, ``0 .. B - 1``, non-decreasing (items sorted by block).
    n_groups : ndarray (B,)
        Groups of each block: between 1 and its items (0 for an empty block).
    codes : ndarray (n, V)
        Category codes (any non-negative integers) of each balance variable.
    required : ndarray (n,) of bool
        The required kind; each block needs at least one per group.

    Examples
    --------
    >>> import numpy as np
    >>> b = encode_blocks(np.array([0, 0, 0, 0, 1, 1]), np.array([2, 1]),
    ...                   np.array([[7], [7], [9], [9], [7], [3]]), np.ones(6, bool))
    >>> b.start.tolist(), b.sizes.tolist(), b.codes.ravel().tolist()
    ([0, 4, 6], [2, 2, 2], [0, 0, 1, 1, 1, 0])
    >>> b.low[0].tolist(), b.high[0].tolist()
    ([[1, 1], [1, 1], [1, 1]], [[1, 1], [1, 1], [1, 1]])
    """
    block = np.asarray(block, dtype=np.int64)
    n_groups = np.asarray(n_groups, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64).reshape(len(block), -1)
    required = np.asarray(required, dtype=bool)
    n, B = len(block), len(n_groups)
    if n and (np.any(np.diff(block) < 0) or block[0] < 0 or block[-1] >= B):
        raise DataError("items must be sorted by block, with blocks 0 .. B - 1")
    if codes.size and codes.min() < 0:
        raise DataError("category codes must be >= 0")
    counts = np.bincount(block, minlength=B)
    if np.any(n_groups > counts) or np.any((n_groups < 1) & (counts > 0)):
        raise DataError("every block with items needs between 1 group and one per item")
    if len(required) != n or np.any(np.bincount(block[required], minlength=B) < n_groups):
        raise DataError("every block needs at least one required item per group")
    start = np.concatenate([[0], np.cumsum(counts)])
    gblock = np.repeat(np.arange(B), n_groups)
    sizes = [group_sizes(c, g) for c, g in zip(counts, n_groups, strict=True) if g]
    local = np.zeros(codes.shape, dtype=np.int64)
    low, high = [], []
    per = np.maximum(n_groups, 1)[:, None]
    for v in range(codes.shape[1]):
        # Categories numbered within each block: (block, code) pairs in sorted order.
        width = int(codes[:, v].max(initial=0)) + 1
        uniq, inverse = np.unique(block * width + codes[:, v], return_inverse=True)
        first = np.searchsorted(uniq // width, np.arange(B))
        local[:, v] = inverse.ravel() - first[block]
        total = np.zeros((B, int(local[:, v].max(initial=0)) + 1), dtype=np.int64)
        np.add.at(total, (block, local[:, v]), 1)
        low.append((total // per)[gblock].astype(np.int64))
        high.append((-(-total // per))[gblock].astype(np.int64))
    return Blocks(
        start,
        n_groups,
        local,
        required,
        low,
        high,
        np.concatenate(sizes).astype(np.int64) if sizes else np.zeros(0, np.int64),
    )


# --- randomness per block ----------------------------------------------------------------


def block_salts(seeds: list[np.random.SeedSequence]) -> np.ndarray:
    """One 64-bit salt per block, from its seed."""
    return np.array([s.generate_state(1, np.uint64)[0] for s in seeds], dtype=np.uint64)


def block_hash(salt: np.ndarray, *keys: np.ndarray | int) -> np.ndarray:
    """Pseudo-random 64-bit numbers from a block's salt and integer keys (splitmix64
    finalisers): the same salt and keys give the same number, whatever else is
    computed alongside.

    >>> s = np.array([1, 2], dtype=np.uint64)
    >>> a, b = block_hash(s, 7), block_hash(s[:1], 7)
    >>> bool(a[0] == b[0]), bool(a[0] != a[1])
    (True, True)
    """
    x = np.asarray(salt, dtype=np.uint64).copy()
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        for key in keys:
            k = np.asarray(key).astype(np.uint64)
            x = _mix(x ^ (k * np.uint64(0x9E3779B97F4A7C15) + np.uint64(0x632BE59BD9B4E019)))
    return x


def _mix(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


# --- exchange partners -----------------------------------------------------------------------


def block_partners(
    X: np.ndarray, start: np.ndarray, k: int, n_random: int, salt: np.ndarray
) -> np.ndarray:
    """Each item's exchange partners within its block: ``(n, k + n_random)`` item
    indices (``-1`` for none): its ``k`` nearest neighbours (squared Euclidean), then
    ``n_random`` random other items of its block (repeats allowed).

    >>> import numpy as np
    >>> x = np.array([[0.0], [1.0], [5.0], [0.0], [2.0], [3.0]])
    >>> block_partners(x, np.array([0, 3, 6]), 1, 0, np.zeros(2, np.uint64)).ravel().tolist()
    [1, 0, 1, 4, 5, 4]
    """
    n = len(X)
    sizes = np.diff(start)
    block = np.repeat(np.arange(len(sizes)), sizes)
    pos = np.arange(n) - start[block]
    out = np.full((n, k + n_random), -1, dtype=np.int64)
    many = sizes[block] > 1
    for j in range(n_random):
        # A random other item: 1 .. size - 1 places further round the block.
        span = np.maximum(sizes[block] - 1, 1).astype(np.uint64)
        shift = 1 + (block_hash(salt[block], 1, pos, j) % span).astype(np.int64)
        out[many, k + j] = (start[block] + (pos + shift) % sizes[block])[many]
    if k == 0:
        return out
    pad = -(-sizes // PAD) * PAD
    for p in np.unique(pad[(sizes > 1) & (sizes <= _DENSE_UPTO)]):
        members = np.flatnonzero((pad == p) & (sizes > 1))
        step = max(1, _CELLS // int(p * p))
        for lo in range(0, len(members), step):
            _dense_neighbours(X, start, members[lo : lo + step], int(p), k, out)
    for b in np.flatnonzero(sizes > _DENSE_UPTO):
        from sklearn.neighbors import NearestNeighbors  # only for a single large pool

        s, e = int(start[b]), int(start[b + 1])
        kk = min(k, e - s - 1)
        _, idx = NearestNeighbors(n_neighbors=kk + 1).fit(X[s:e]).kneighbors(X[s:e])
        own = idx == np.arange(e - s)[:, None]
        drop = np.where(own.any(axis=1), own.argmax(axis=1), kk)
        keep = np.ones_like(own)
        keep[np.arange(e - s), drop] = False
        out[s:e, :kk] = s + idx[keep].reshape(e - s, kk)
    return out


def _dense_neighbours(X, start, members, p: int, k: int, out) -> None:
    """Nearest neighbours of the items of blocks ``members``, all of padded size ``p``
    (single precision: ranks of distances need no more)."""
    sizes = start[members + 1] - start[members]
    Xp = np.zeros((len(members), p, X.shape[1]), dtype=np.float32)
    valid = np.arange(p)[None, :] < sizes[:, None]
    rows = (start[members][:, None] + np.arange(p)[None, :])[valid]
    Xp[valid] = X[rows]
    # |x_j|^2 - 2 x_i . x_j ranks row i's distances; padding columns sit at infinity.
    sq = np.where(valid, (Xp * Xp).sum(axis=2), np.inf).astype(np.float32)
    D = np.matmul(Xp, np.ascontiguousarray(Xp.transpose(0, 2, 1)) * np.float32(-2))
    D += sq[:, None, :]
    D[:, np.arange(p), np.arange(p)] = np.inf
    kk = min(k, p - 1)
    # The kk-th smallest value of each row (np.partition on values is several times
    # faster than argpartition), then the first kk entries up to it, in column order.
    kth = np.partition(D, kk - 1, axis=2)[:, :, kk - 1 : kk]
    close = D <= kth
    tied = close.sum(axis=2) > kk  # rows with ties at the kk-th value (rare)
    if tied.any():
        close[tied] = False
        sub = np.argpartition(D[tied], kk - 1, axis=1)[:, :kk]
        fixed = np.zeros((len(sub), p), dtype=bool)
        fixed[np.arange(len(sub))[:, None], sub] = True
        close[tied] = fixed
    near = (np.flatnonzero(close) % p).reshape(len(members), p, kk)
    glob = start[members][:, None, None] + near
    if sizes.min() <= kk:  # small blocks: fewer neighbours than k
        glob = np.where(np.isinf(np.take_along_axis(D, near, axis=2)), -1, glob)
    out[rows, :kk] = glob[valid]


# --- vectorised helpers ----------------------------------------------------------------------


def ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(s, e)`` for every pair, without a loop.

    >>> ranges(np.array([0, 5]), np.array([2, 8])).tolist()
    [0, 1, 5, 6, 7]
    """
    starts, stops = np.asarray(starts, np.int64), np.asarray(stops, np.int64)
    lengths = np.maximum(stops - starts, 0)
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return np.arange(total) + offsets


def argbest(seg: np.ndarray, n_seg: int, key: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """Per segment, the position of its best entry: the lowest ``key``, then the
    highest ``gain``, then the first; ``len(seg)`` for an empty segment.

    >>> argbest(np.array([0, 0, 1, 0]), 3, np.array([1, 0, 0, 0]),
    ...         np.array([5.0, 1.0, 2.0, 1.0])).tolist()
    [1, 2, 4]
    """
    m = np.ones(len(seg), dtype=bool)
    if len(key) and key.any():
        low = np.full(n_seg, _BIG)
        np.minimum.at(low, seg, key)
        m = key == low[seg]
    top = np.full(n_seg, -np.inf)
    np.maximum.at(top, seg[m], gain[m])
    m &= gain == top[seg]
    out = np.full(n_seg, len(seg), dtype=np.int64)
    np.minimum.at(out, seg[m], np.flatnonzero(m))
    return out
