"""The mixed encoder: categorical, multi-label and numeric blocks, and their distance.

:class:`MixedEncoder` encodes any table of such blocks and measures the **mixed
distance** between two rows, a weighted mean of one distance per block, each in [0, 1]
(the rules are in :mod:`mentormatch.features`). Nothing here knows about secretaries:
:class:`~mentormatch.features.SecretaryFeatures` is this encoder with their blocks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial.distance import cdist
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.features.values import KINDS, as_set, categories, guess_kinds, key, labels

__all__ = ["Block", "MixedEncoder", "jaccard_distances"]

#: Rows used to measure a categorical block's mean distance at fit.
_FILL_SAMPLE = 500


@dataclass(frozen=True)
class Block:
    """One block of a fitted encoder: its columns and where they sit in the encoding."""

    name: str
    kind: str  # "categorical", "multilabel" or "numeric"
    columns: tuple[str, ...]
    weight: float
    #: Per column: the categories (categorical, multilabel) or () (numeric).
    levels: tuple[tuple[object, ...], ...]
    start: int
    stop: int

    @property
    def width(self) -> int:
        return self.stop - self.start


class MixedEncoder(TransformerMixin, BaseEstimator):
    """Encode a table of categorical, multi-label and numeric columns; measure distances.

    Parameters
    ----------
    categorical, multilabel, numeric : sequence of str or dict, optional
        The columns of each kind. A sequence makes one block named after the kind; a
        dict ``{block name: [columns]}`` makes several blocks of that kind. When all
        three are ``None``, kinds are guessed from the data: list/tuple/set values are
        multi-label, numbers numeric, anything else (text, booleans) categorical.
        Categories coded as integers must be declared ``categorical``.
    weights : dict, optional
        Block name -> weight (>= 0). A block counts as much as its weight in the
        distance. Default: the number of columns of the block (Gower: each column once).
    log : sequence of str
        Numeric columns put on a log scale (``log1p``) before range scaling, for
        skewed counts.

    Attributes
    ----------
    blocks_ : list of Block
        The fitted blocks, in the order of the encoding: categorical, multi-label,
        numeric.
    medians_ : dict
        Per numeric column, the median used to fill in missing values.
    ranges_ : dict
        Per numeric column, the (low, high) range used to scale it.
    fills_ : dict
        Per categorical block, the distance given to pairs with no column observed
        in both (the block's mean distance at fit).
    feature_names_out_ : ndarray of str
        Names of the columns of ``transform``'s output.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"kind": ["a", "a", "b"],
    ...                   "tags": [("x",), ("x", "y"), ()],
    ...                   "size": [1.0, 3.0, 5.0]})
    >>> enc = MixedEncoder().fit(X)
    >>> [(b.kind, b.columns, b.weight) for b in enc.blocks_]  # Gower: 1 per column
    [('categorical', ('kind',), 1.0), ('multilabel', ('tags',), 1.0), ('numeric', ('size',), 1.0)]
    >>> enc.distances(X).round(3)  # (kind + Jaccard of tags + |size| / 4) / 3
    array([[0.   , 0.333, 1.   ],
           [0.333, 0.   , 0.833],
           [1.   , 0.833, 0.   ]])
    """

    def __init__(
        self,
        categorical: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
        multilabel: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
        numeric: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
        weights: Mapping[str, float] | None = None,
        log: Sequence[str] = (),
    ):
        self.categorical = categorical
        self.multilabel = multilabel
        self.numeric = numeric
        self.weights = weights
        self.log = log

    # --- hooks for encoders of a known table (SecretaryFeatures) --------------------

    def _table(self, X: object) -> pd.DataFrame:
        """The input as a DataFrame."""
        return _as_frame(X)

    def _spec(self, X: pd.DataFrame) -> list[tuple[str, str, tuple[str, ...]]]:
        """(block name, kind, columns) for every block, in encoding order."""
        given = {
            "categorical": self.categorical,
            "multilabel": self.multilabel,
            "numeric": self.numeric,
        }
        if all(v is None for v in given.values()):
            given = guess_kinds(X)
        spec = []
        for kind in KINDS:
            value = given[kind]
            if value is None or len(value) == 0:
                continue
            groups = value.items() if isinstance(value, Mapping) else [(kind, value)]
            for name, cols in groups:
                cols = (cols,) if isinstance(cols, str) else tuple(cols)
                if cols:
                    spec.append((str(name), kind, cols))
        return spec

    def _block_weights(self, spec: list[tuple[str, str, tuple[str, ...]]]) -> dict[str, float]:
        """Block name -> weight; by default each column counts once (Gower)."""
        names = [name for name, _, _ in spec]
        weights = dict(self.weights) if self.weights is not None else {}
        unknown = sorted(set(weights) - set(names))
        if unknown:
            raise DataError(f"weights for unknown blocks {unknown}; the blocks are {names}")
        return {name: weights.get(name, len(cols)) for name, _, cols in spec}

    def _levels(self, block: str, kind: str, series: pd.Series) -> tuple[object, ...]:
        """The categories (or labels) of one column, in encoding order."""
        return categories(series) if kind == "categorical" else labels(series)

    # --- fitting ---------------------------------------------------------------------

    def fit(self, X: object, y: object = None) -> MixedEncoder:
        """Learn the blocks: categories, numeric ranges and medians, embedding scales."""
        X = self._table(X)
        if len(X) == 0:
            raise DataError("no rows to encode: the table is empty")
        spec = self._spec(X)
        if not spec:
            raise DataError("no columns to encode")
        names = [name for name, _, _ in spec]
        if len(set(names)) != len(names):
            raise DataError(f"block names must be unique, got {names}")
        columns = [c for _, _, cols in spec for c in cols]
        missing = [c for c in columns if c not in X.columns]
        if missing:
            raise DataError(f"columns not in the table: {missing}; it has {list(X.columns)}")
        if len(set(columns)) != len(columns):
            raise DataError(f"a column is in two blocks: {columns}")
        weights = self._block_weights(spec)
        self.medians_: dict[str, float] = {}
        self.ranges_: dict[str, tuple[float, float]] = {}
        blocks, start = [], 0
        for name, kind, cols in spec:
            weight = _check_weight(name, weights[name])
            if kind == "numeric":
                levels = tuple(() for _ in cols)
                for c in cols:
                    self._fit_numeric(X[c], c)
                width = len(cols)
            else:
                levels = tuple(self._levels(name, kind, X[c]) for c in cols)
                width = sum(len(v) for v in levels)
            blocks.append(Block(name, kind, cols, weight, levels, start, start + width))
            start += width
        if sum(b.weight for b in blocks) <= 0:
            raise DataError("at least one block weight must be > 0")
        self.blocks_ = blocks
        self.n_features_out_ = start
        self.feature_names_out_ = np.array(_feature_names(blocks), dtype=object)
        codes = self.encode(X)
        # Mean mismatch of each categorical block, for pairs that share no observed
        # column; measured on at most _FILL_SAMPLE rows spread over the table.
        sample = codes[np.unique(np.linspace(0, len(codes) - 1, _FILL_SAMPLE).astype(int))]
        self.fills_: dict[str, float] = {}
        for b in blocks:
            if b.kind == "categorical" and len(sample):
                xs = sample[:, b.start : b.stop]
                share, defined = _mismatch_share(b, xs, xs, np.float64)
                np.fill_diagonal(defined, False)
                self.fills_[b.name] = float(share[defined].mean()) if defined.any() else 0.0
        # Embedding scales: each block's total variance becomes its share of the weights.
        total = sum(b.weight for b in blocks)
        self.scales_: dict[str, float] = {}
        for b in blocks:
            var = float(codes[:, b.start : b.stop].var(axis=0).sum()) if len(codes) else 0.0
            self.scales_[b.name] = math.sqrt(b.weight / total / var) if var > 0 else 0.0
        return self

    def _fit_numeric(self, series: pd.Series, column: str) -> None:
        values = self._numeric(series, column)
        present = values[~np.isnan(values)]
        # An all-missing column says nothing: it sits at 0 for everyone.
        self.medians_[column] = float(np.median(present)) if len(present) else 0.0
        self.ranges_[column] = (
            (float(present.min()), float(present.max())) if len(present) else (0.0, 0.0)
        )

    def _numeric(self, series: pd.Series, column: str) -> np.ndarray:
        try:
            values = pd.to_numeric(series, errors="raise").to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise DataError(f"column {column!r} must hold numbers") from None
        # Infinite values carry no usable distance: they count as missing.
        values = np.where(np.isfinite(values), values, np.nan)
        if column in self.log:
            if np.nanmin(values, initial=0) < 0:
                raise DataError(f"column {column!r} is put on a log scale: it must be >= 0")
            values = np.log1p(values)
        return values

    # --- encoding --------------------------------------------------------------------

    def encode(self, X: object) -> np.ndarray:
        """Unweighted codes: one-hot categories, 0/1 labels, numbers scaled to [0, 1].

        Missing numbers take the median seen at ``fit``; a missing or unseen category
        gets no 1 (it matches nothing). :meth:`code_distances` works on these codes.
        """
        check_is_fitted(self, "blocks_")
        X = self._table(X)
        absent = [c for b in self.blocks_ for c in b.columns if c not in X.columns]
        if absent:
            raise DataError(f"columns seen at fit are not in the table: {absent}")
        n = len(X)
        out = np.zeros((n, self.n_features_out_), dtype=float)
        for b in self.blocks_:
            j = b.start
            for col, levels in zip(b.columns, b.levels, strict=True):
                if b.kind == "numeric":
                    values = self._numeric(X[col], col)
                    values = np.where(np.isnan(values), self.medians_[col], values)
                    low, high = self.ranges_[col]
                    scaled = (values - low) / (high - low) if high > low else np.zeros(n)
                    out[:, j] = np.clip(scaled, 0.0, 1.0)
                    j += 1
                    continue
                self._encode_column(b, col, X[col], levels, out[:, j : j + len(levels)])
                j += len(levels)
        return out

    def _encode_column(
        self,
        block: Block,
        column: str,
        series: pd.Series,
        levels: tuple[object, ...],
        out: np.ndarray,
    ) -> None:
        """Write the 0/1 codes of one categorical or multi-label column into ``out``."""
        index = {v: i for i, v in enumerate(levels)}
        values = series.to_numpy(dtype=object)
        # Each distinct value is read once (a city has 6,000 rows, a few hundred
        # distinct challenge sets); missing cells (code -1) match nothing.
        try:
            inverse, distinct = pd.factorize(values)
        except TypeError:  # unhashable cells (lists): one by one
            inverse, distinct = np.arange(len(values)), values
        codes = np.zeros((len(distinct), out.shape[1]))
        for row, v in enumerate(distinct):
            items = [key(v)] if block.kind == "categorical" else as_set(v, column)
            for item in items:
                i = index.get(item)
                if i is not None:
                    codes[row, i] = 1.0
        known = inverse >= 0
        out[known] = codes[inverse[known]]

    def transform(self, X: object) -> np.ndarray:
        """The weighted embedding for Euclidean methods (k-means, PCA).

        Columns as :attr:`feature_names_out_`; block ``b`` is multiplied by
        ``sqrt(w_b / sum(w) / total variance of b at fit)``, so each block's total
        variance equals its share of the weights. A block with no variance at fit
        (every row alike) contributes zeros.
        """
        return self.embed(self.encode(X))

    def embed(self, codes: np.ndarray) -> np.ndarray:
        """:meth:`transform` of rows already encoded by :meth:`encode`."""
        check_is_fitted(self, "blocks_")
        out = np.array(codes, dtype=float, copy=True)
        for b in self.blocks_:
            out[:, b.start : b.stop] *= self.scales_[b.name]
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self, "blocks_")
        return self.feature_names_out_.copy()

    # --- distances -------------------------------------------------------------------

    def distances(
        self, X: object, Y: object | None = None, *, dtype: type = np.float64
    ) -> np.ndarray:
        """The mixed distance between every row of ``X`` and every row of ``Y``.

        Parameters
        ----------
        X, Y : DataFrame
            Tables with the fitted columns; ``Y`` defaults to ``X``.
        dtype : numpy float type
            ``np.float32`` halves the memory of large matrices.

        Returns
        -------
        ndarray of shape (len(X), len(Y))
            Values in [0, 1] (see the module docstring); 0 on the diagonal of ``X``
            against itself.
        """
        a = self.encode(X)
        return self.code_distances(a, None if Y is None else self.encode(Y), dtype=dtype)

    def code_distances(
        self, a: np.ndarray, b: np.ndarray | None = None, *, dtype: type = np.float64
    ) -> np.ndarray:
        """:meth:`distances` between rows already encoded by :meth:`encode`."""
        check_is_fitted(self, "blocks_")
        same = b is None
        b = a if same else b
        # The weighted sum of block distances, built in place: a city's matrices hold
        # tens of millions of cells.
        num = np.zeros((len(a), len(b)), dtype=dtype)
        total = 0.0
        for blk in self.blocks_:
            if blk.weight == 0 or blk.width == 0:
                continue
            xa = a[:, blk.start : blk.stop]
            xb = b[:, blk.start : blk.stop]
            if blk.kind == "numeric":
                # Range-scaled L1 in one pass of compiled code: scale, then cityblock.
                scale = blk.weight / blk.width
                num += cdist(xa * scale, xb * scale, metric="cityblock").astype(dtype, copy=False)
            elif blk.kind == "categorical":
                share, defined = _mismatch_share(blk, xa, xb, dtype)
                # A pair with no column observed in both (a row with nothing observed)
                # is put at the block's mean distance seen at fit: no information
                # pushes it either way.
                share[~defined] = self.fills_.get(blk.name, 0.0)
                share *= blk.weight
                num += share
            else:
                slices = _column_slices(blk)
                for s in slices:
                    dist = jaccard_distances(xa[:, s], xb[:, s], dtype=dtype)
                    dist *= blk.weight / len(slices)
                    num += dist
            total += blk.weight
        if total > 0:
            num /= total
        np.clip(num, 0.0, 1.0, out=num)
        if same:
            np.fill_diagonal(num, 0.0)
        return num


# --- Helpers -----------------------------------------------------------------------------


def jaccard_distances(
    a: np.ndarray, b: np.ndarray | None = None, *, dtype: type = np.float64
) -> np.ndarray:
    """Jaccard distance between rows of 0/1 indicator matrices; two empty sets: 0.

    >>> import numpy as np
    >>> sets = np.array([[1, 1, 0], [1, 0, 0], [0, 0, 0], [0, 0, 0]])
    >>> jaccard_distances(sets)
    array([[0. , 0.5, 1. , 1. ],
           [0.5, 0. , 1. , 1. ],
           [1. , 1. , 0. , 0. ],
           [1. , 1. , 0. , 0. ]])
    """
    b = a if b is None else b
    a = np.asarray(a, dtype=dtype)
    b = np.asarray(b, dtype=dtype)
    inter = a @ b.T
    union = a.sum(axis=1)[:, None] + b.sum(axis=1)[None, :]
    union -= inter
    empty = union == 0
    np.maximum(union, 1, out=union)
    np.divide(inter, union, out=inter)
    np.subtract(1, inter, out=inter)
    inter[empty] = 0  # two empty sets: nothing tells them apart
    return inter


def _check_weight(name: str, weight: object) -> float:
    try:
        value = float(weight)
    except (TypeError, ValueError):
        value = float("nan")
    if not math.isfinite(value) or value < 0:
        raise DataError(f"the weight of block {name!r} must be a number >= 0, got {weight!r}")
    return value


def _mismatch_share(
    block: Block, xa: np.ndarray, xb: np.ndarray, dtype: type
) -> tuple[np.ndarray, np.ndarray]:
    """Share of a categorical block's columns on which two rows differ, among the
    columns observed in both (Gower), and where that share is defined at all."""
    matches = np.zeros((len(xa), len(xb)), dtype=dtype)
    both = np.zeros_like(matches)
    for s in _column_slices(block):
        pa, pb = xa[:, s].astype(dtype), xb[:, s].astype(dtype)
        matches += pa @ pb.T
        both += np.outer(pa.sum(axis=1), pb.sum(axis=1))
    defined = both > 0
    np.maximum(both, 1, out=both)
    np.divide(matches, both, out=matches)
    np.subtract(1, matches, out=matches)
    return matches, defined


def _column_slices(block: Block) -> list[slice]:
    """Within a block's codes, the slice of each of its columns."""
    out, j = [], 0
    for levels in block.levels:
        out.append(slice(j, j + len(levels)))
        j += len(levels)
    return out


def _as_frame(X: object) -> pd.DataFrame:
    if isinstance(X, pd.DataFrame):
        return X
    if isinstance(X, District):
        raise DataError("a District needs SecretaryFeatures (or secretary_features(d) first)")
    array = np.asarray(X, dtype=object)
    if array.ndim != 2:
        raise DataError(f"expected a table (2-D), got an array of shape {array.shape}")
    return pd.DataFrame(array, columns=[f"x{j}" for j in range(array.shape[1])])


def _feature_names(blocks: list[Block]) -> list[str]:
    names = []
    for b in blocks:
        for col, levels in zip(b.columns, b.levels, strict=True):
            if b.kind == "numeric":
                names.append(col)
            else:
                names.extend(f"{col}={v}" for v in levels)
    return names
