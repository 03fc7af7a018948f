"""The anticlustering problem on a distance matrix, encoded once.

Nothing here knows about secretaries: :mod:`mentormatch.groups.salon` encodes a
District; :mod:`~mentormatch.groups.exchange` solves; :mod:`~mentormatch.groups.draws`
draws random partitions; :mod:`~mentormatch.groups.measures` measures and checks a
partition (its names are importable from here too). All take and return plain numpy.

The problem
-----------
Split ``n`` items into ``G`` groups so that, in this order of priority:

1. **hard rules** hold: group sizes differ by at most one (``r`` groups of ``q + 1``
   and ``G - r`` of ``q`` items, where ``n = q G + r``); must-link items sit in the
   same group; cannot-link items sit in different groups; every group holds at least
   ``minimum`` items of each *required* kind (used for facilitators). The number of
   hard violations is the number of cannot-link pairs sharing a group plus the items
   of a required kind that groups lack;
2. **balance**: every category of every balance variable is spread evenly: a category
   with ``n_c`` items has ``floor(n_c / G)`` or ``ceil(n_c / G)`` of them in every
   group, so that counts differ by at most one between groups. The *balance
   violation* is how far the groups lie outside these bounds, summed over groups and
   categories (0: perfectly balanced). Bounds on several variables at once cannot
   always all be met (with must-link sets, or odd mixes of categories): the
   violation then says by how much they are missed;
3. **diversity**, the sum of the distances between members of the same group, is as
   large as possible. The sum of all distances is fixed, so maximising it within
   groups minimises it between groups: the groups also come out alike each other
   (Späth 1986; Papenberg & Klau 2021, "anticlustering").

A partition is judged by the key ``(hard, violation, -diversity)``, compared
lexicographically; the best partition has the smallest key.

Must-link items are merged into *units* that always move together; swapping only
units of equal size keeps group sizes fixed.

References
----------
Späth, H. (1986). Anticlustering: maximizing the variance criterion. *Control and
Cybernetics* 15, 213-218. Papenberg, M., & Klau, G. W. (2021). Using anticlustering
to partition data sets into equivalent parts. *Psychological Methods* 26(2), 161-174.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentormatch.errors import DataError, InfeasibleError

# Re-exported: the measures and checks of a partition live in ``measures``.
from mentormatch.groups.measures import (  # noqa: F401
    EPS,
    _shortage,
    _violation,
    check_partition,
    diversities,
    diversity,
    group_sizes,
    percentile,
    sizes_text,
)

__all__ = [
    "Instance",
    "encode",
    "encode_rules",
    "diversity",
    "diversities",
    "check_partition",
    "group_sizes",
    "percentile",
    "sizes_text",
    "EPS",
]

# --- The encoded problem ---------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Instance:
    """An anticlustering problem, encoded once for every start and every check.

    Build it with :func:`encode`. Items are rows of ``D``; *units* are the must-link
    sets (an item without must-link rules is a unit of its own).

    Attributes
    ----------
    D : ndarray (n, n) or None
        Distances between items (None in an instance of the rules alone, from
        :func:`encode_rules`, which the fast method solves on features instead).
    n_groups : int
    sizes : ndarray (n_groups,)
        The group sizes, largest first (:func:`group_sizes`).
    unit_of : ndarray (n,)
        Each item's unit.
    unit_size : ndarray (m,)
    Du : ndarray (m, m) or None
        Sum of the distances between the items of two units (the diagonal: twice the
        sum within a unit, each pair counted both ways); None without ``D``.
    item_K : ndarray (n, c)
        Each item's 0/1 membership of each column (see ``K``).
    K : ndarray (m, c)
        How many items of each column each unit holds: first the balance columns (one
        per category of each balance variable), then the required columns.
    low, high : ndarray (b,)
        Bounds of the balance columns per group: ``floor(n_c / G)`` and
        ``ceil(n_c / G)``.
    minimum : ndarray (c - b,)
        The least number of items of each required column every group must hold.
    X : ndarray (m, m) or None
        Cannot-link pairs between units (None without cannot-link rules).
    columns : list of (str, object)
        ``(variable, category)`` of each column of ``K``; required columns have
        variable ``"required"``.
    names : list of str
        Item names for messages.
    """

    D: np.ndarray | None
    n_groups: int
    sizes: np.ndarray
    unit_of: np.ndarray
    unit_size: np.ndarray
    Du: np.ndarray | None
    item_K: np.ndarray
    K: np.ndarray
    low: np.ndarray
    high: np.ndarray
    minimum: np.ndarray
    X: np.ndarray | None
    columns: list[tuple[str, object]]
    names: list[str]

    @property
    def n(self) -> int:
        return len(self.unit_of)

    @property
    def m(self) -> int:
        return len(self.unit_size)

    @property
    def n_balance(self) -> int:
        return len(self.low)

    def unit_labels(self, labels: np.ndarray) -> np.ndarray:
        """Item labels -> unit labels (must-linked items share one)."""
        first = np.zeros(self.m, dtype=np.int64)
        first[self.unit_of[::-1]] = np.arange(self.n)[::-1]
        return np.asarray(labels)[first]

    def score(self, labels: np.ndarray) -> tuple[int, int, float]:
        """``(hard, violation, diversity)`` of item labels, recomputed from scratch
        (diversity NaN in an instance without distances).

        ``hard`` counts cannot-link pairs sharing a group and missing required members;
        sizes and must-link pairs are not counted (:func:`check_partition` reports
        them).
        """
        labels = np.asarray(labels)
        onehot = np.zeros((self.n_groups, self.n), dtype=np.int64)
        onehot[labels, np.arange(self.n)] = 1
        counts = onehot @ self.item_K
        hard = _shortage(counts[:, self.n_balance :], self.minimum).sum()
        if self.X is not None:
            ul = self.unit_labels(labels)
            same = ul[:, None] == ul[None, :]
            hard += int(np.triu(self.X * same, 1).sum())
        violation = _violation(counts[:, : self.n_balance], self.low, self.high).sum()
        div = diversity(self.D, labels) if self.D is not None else math.nan
        return int(hard), int(violation), div


def encode(
    D: np.ndarray,
    n_groups: int,
    *,
    categories: np.ndarray | pd.DataFrame | None = None,
    required: np.ndarray | None = None,
    minimum: int = 1,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    names: Sequence[str] | None = None,
) -> Instance:
    """Encode an anticlustering problem (see the module docstring).

    Parameters
    ----------
    D : ndarray (n, n)
        Symmetric distances, 0 on the diagonal.
    n_groups : int
        1 <= n_groups <= n.
    categories : array or DataFrame (n, v), optional
        One column per balance variable; any hashable values, missing values (None,
        NaN) belong to no category.
    required : bool array (n,) or (n, k), optional
        Items of a required kind; every group needs at least ``minimum`` of each kind.
    minimum : int
    must_link, cannot_link : iterable of (i, j)
        Pairs of item indices.
    names : sequence of str, optional
        Item names used in error messages (default: the indices).

    Returns
    -------
    Instance

    Raises
    ------
    DataError
        Bad sizes or indices, a pair of an item with itself.
    InfeasibleError
        Rules that no partition can meet: a must-link set is larger than a group or
        holds a cannot-link pair, a clique of cannot-link sets is larger than the
        number of groups, or there are too few items of a required kind.

    Examples
    --------
    >>> import numpy as np
    >>> D = np.ones((6, 6)) - np.eye(6)
    >>> inst = encode(D, 2, categories=np.array([[0], [0], [0], [1], [1], [1]]),
    ...               must_link=[(0, 1)])
    >>> inst.m, inst.unit_size.tolist(), inst.low.tolist(), inst.high.tolist()
    (5, [2, 1, 1, 1, 1], [1, 1], [2, 2])
    """
    D = np.asarray(D, dtype=np.float64)
    if D.ndim != 2 or D.shape[0] != D.shape[1]:
        raise DataError(f"the distance matrix must be square, got shape {D.shape}")
    inst = encode_rules(
        len(D),
        n_groups,
        categories=categories,
        required=required,
        minimum=minimum,
        must_link=must_link,
        cannot_link=cannot_link,
        names=names,
    )
    P = np.zeros((inst.m, inst.n))
    P[inst.unit_of, np.arange(inst.n)] = 1.0
    return dataclasses.replace(inst, D=D, Du=P @ D @ P.T)


def encode_rules(
    n: int,
    n_groups: int,
    *,
    categories: np.ndarray | pd.DataFrame | None = None,
    required: np.ndarray | None = None,
    minimum: int = 1,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    names: Sequence[str] | None = None,
) -> Instance:
    """The rules of an anticlustering problem of ``n`` items, without distances.

    As :func:`encode` (same arguments but ``n`` for ``D``, same checks and errors),
    with ``D`` and ``Du`` None and nothing of size ``n x n`` built (the cannot-link
    table of units excepted, when there are cannot-link rules): the instance of the
    fast method (:mod:`mentormatch.groups.fast`), which scores partitions on features.

    >>> inst = encode_rules(6, 2, must_link=[(0, 1)])
    >>> inst.n, inst.m, inst.sizes.tolist(), inst.D is None
    (6, 5, [3, 3], True)
    """
    n = int(n)
    names = [str(i) for i in range(n)] if names is None else [str(x) for x in names]
    if isinstance(n_groups, bool) or not isinstance(n_groups, (int, np.integer)):
        raise DataError(f"the number of groups must be a whole number, got {n_groups!r}")
    n_groups = int(n_groups)
    if not 1 <= n_groups <= n:
        raise DataError(f"the number of groups must be between 1 and {n}, got {n_groups}")
    must = _pairs(must_link, n, "must-link", names)
    cannot = _pairs(cannot_link, n, "cannot-link", names)
    sizes = group_sizes(n, n_groups)

    # Units: the connected components of the must-link rules, numbered by first item.
    root = _components(n, must)
    _, unit_of = np.unique(root, return_inverse=True)
    first = np.full(unit_of.max() + 1, n)
    np.minimum.at(first, unit_of, np.arange(n))
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    unit_of = rank[unit_of]
    m = len(first)
    unit_size = np.bincount(unit_of, minlength=m).astype(np.int64)
    members = _members(unit_of, m)
    too_big = [u for u in range(m) if unit_size[u] > sizes[0]]
    if too_big:
        u = too_big[0]
        raise InfeasibleError(
            [
                f"must-link rules put {unit_size[u]} members in one group "
                f"({_list(names, members[u])}), but groups hold at most {sizes[0]}: "
                f"drop a must-link pair or ask for fewer groups"
            ],
            unplaceable=[names[i] for i in members[u]],
            details={"must_link_set": [names[i] for i in members[u]], "max_size": int(sizes[0])},
        )

    X = None
    if cannot:
        X = np.zeros((m, m), dtype=np.int64)
        for i, j in cannot:
            if unit_of[i] == unit_of[j]:
                raise InfeasibleError(
                    [
                        f"{names[i]} and {names[j]} cannot sit together, but must-link rules "
                        f"join them ({_list(names, members[unit_of[i]])})"
                    ],
                    details={"pair": (names[i], names[j])},
                )
            if X[unit_of[i], unit_of[j]] == 0:  # a pair given twice is one rule
                X[unit_of[i], unit_of[j]] = X[unit_of[j], unit_of[i]] = 1
        _check_cliques(X, n_groups, [[names[i] for i in members[u]] for u in range(m)])

    columns: list[tuple[str, object]] = []
    item_cols: list[np.ndarray] = []
    if categories is not None:
        table = pd.DataFrame(categories)
        if len(table) != n:
            raise DataError(f"categories have {len(table)} rows for {n} items")
        for var in table.columns:
            values = table[var].tolist()
            observed = [not _missing(v) for v in values]
            present = sorted({v for v, o in zip(values, observed, strict=True) if o}, key=str)
            # Each item's category once (a city has thousands of items and dozens of
            # categories), then one 0/1 column per category.
            where = {cat: j for j, cat in enumerate(present)}
            code = np.array(
                [where[v] if o else -1 for v, o in zip(values, observed, strict=True)],
                dtype=np.int64,
            )
            for j, cat in enumerate(present):
                columns.append((str(var), cat))
                item_cols.append(code == j)
    n_balance = len(columns)
    req = np.zeros((n, 0), dtype=bool) if required is None else np.asarray(required, dtype=bool)
    if req.ndim == 1:
        req = req[:, None]
    if len(req) != n:
        raise DataError(f"required has {len(req)} rows for {n} items")
    for k in range(req.shape[1]):
        columns.append(("required", k))
        item_cols.append(req[:, k])
        short = n_groups * minimum - int(req[:, k].sum())
        if short > 0:
            raise InfeasibleError(
                [
                    f"every group needs {minimum} of the required kind, but there are only "
                    f"{int(req[:, k].sum())} for {n_groups} groups"
                ],
                shortfall=short,
            )
    item_K = np.array(item_cols, dtype=np.int64).T.reshape(n, len(columns))
    K = np.zeros((m, len(columns)), dtype=np.int64)
    np.add.at(K, unit_of, item_K)
    totals = item_K[:, :n_balance].sum(axis=0)
    low = totals // n_groups
    high = -(-totals // n_groups)
    return Instance(
        D=None,
        n_groups=n_groups,
        sizes=sizes,
        unit_of=unit_of,
        unit_size=unit_size,
        Du=None,
        item_K=item_K,
        K=K,
        low=low,
        high=high,
        minimum=np.full(req.shape[1], int(minimum), dtype=np.int64),
        X=X,
        columns=columns,
        names=names,
    )


def _members(unit_of: np.ndarray, m: int) -> list[np.ndarray]:
    """The items of each unit, in order (one pass, not one scan per unit)."""
    order = np.argsort(unit_of, kind="stable")
    return np.split(order, np.cumsum(np.bincount(unit_of, minlength=m))[:-1])


def _missing(v: object) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _list(names: Sequence[str], items: Iterable[int], limit: int = 8) -> str:
    items = list(items)
    shown = ", ".join(names[i] for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _pairs(pairs: Iterable[tuple[int, int]], n: int, what: str, names: Sequence[str]):
    out = []
    for pair in pairs:
        try:
            i, j = (int(x) for x in pair)
        except (TypeError, ValueError):
            raise DataError(f"a {what} rule must be a pair of items, got {pair!r}") from None
        if not (0 <= i < n and 0 <= j < n):
            raise DataError(f"a {what} rule names an item outside 0..{n - 1}: {pair!r}")
        if i == j:
            raise DataError(f"a {what} rule pairs {names[i]} with itself")
        out.append((i, j))
    return out


def _components(n: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return np.array([find(i) for i in range(n)])


def _check_cliques(X: np.ndarray, n_groups: int, unit_names: list[list[str]]) -> None:
    """A clique of mutually cannot-linked units larger than the number of groups."""
    import networkx as nx  # only when there are cannot-link rules

    graph = nx.Graph()
    graph.add_edges_from(zip(*np.nonzero(np.triu(X, 1)), strict=True))
    biggest = max(nx.find_cliques(graph), key=len, default=[])
    if len(biggest) > n_groups:
        people = sorted(name for u in biggest for name in unit_names[u])
        raise InfeasibleError(
            [
                f"{len(biggest)} members must all sit in different groups "
                f"({', '.join(people)}), but there are only {n_groups} groups: drop "
                f"{len(biggest) - n_groups} of their cannot-link rules or ask for more groups"
            ],
            unplaceable=people,
            details={"clique": people},
        )
