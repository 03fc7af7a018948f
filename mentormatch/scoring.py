"""Pair scores: how well a mentor (or a practice base) fits a secretary who needs one.

A score is a weighted sum of components, each in [0, 1] and reported on its own, so a
planner can see *why* a pair scores as it does. The weights are assumptions of this
project (the district's own are not public), documented here and configurable; they
are normalised to sum to 1, so every total lies in [0, 1].

Mentor components (:data:`MENTOR_WEIGHTS`):

``challenge``
    Share of the mentee's challenges that are in the mentor's expertise (0 when the
    mentee names none: the component then says nothing about any mentor).
``type``
    Whether the mentor has worked with this kind of community: the best
    :func:`~mentormatch.vocab.type_affinity` between the mentor's community types and
    the mentee's (related types count partly).
``proximity``
    1 in the same sub-district/town, 0.5 in a neighbouring one, 0 farther away:
    on-site supervision (实地督训) needs travel.
``continuity``
    1 when they share a community history (the mentee served earlier in the mentor's
    community, like the seed article's pair) or were paired in the previous cycle.

Mentors rank mentees (for the ``stable`` objective) by ``mentor_view``: the same
components, except that the challenge term is the share of the *mentor's* expertise
that the mentee needs: a mentor prefers a mentee who uses what the mentor knows.

Base components (:data:`BASE_WEIGHTS`): ``coverage``, the share of the mentee's
challenges *not* covered by the mentor that the base's themes cover (1 when the mentor
covers them all), and ``proximity`` as above.

The mentor components are computed by array functions (:func:`challenge_fit`,
:func:`type_fit`, :func:`proximity`, :func:`continuity`, :func:`combine`) on integer
codes and bitmasks that broadcast: :func:`score_pairs` applies them to a whole mentee x
mentor grid, :mod:`mentormatch.candidates` to blocks of candidate pairs of a city or a
nation. One implementation serves both, so the two paths give identical scores.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES, NEIGHBOURS, STREET_TOWNS, type_affinity

__all__ = [
    "score_pairs",
    "parse_weights",
    "MENTOR_WEIGHTS",
    "BASE_WEIGHTS",
    "base_coverage",
    "PROXIMITY",
    "proximity_matrix",
    "code_masks",
    "popcount",
    "challenge_fit",
    "type_fit",
    "proximity",
    "continuity",
    "combine",
]

#: Weights of the mentor components (an assumption: shared challenges matter most,
#: as mentoring research finds similarity and fit matter most).
MENTOR_WEIGHTS: dict[str, float] = {
    "challenge": 0.45,
    "type": 0.25,
    "proximity": 0.20,
    "continuity": 0.10,
}
#: Weights of the practice-base components (an assumption).
BASE_WEIGHTS: dict[str, float] = {"coverage": 0.7, "proximity": 0.3}
#: Proximity by relation of the two sub-districts/towns.
PROXIMITY = {"same": 1.0, "neighbouring": 0.5, "far": 0.0}
#: Short names accepted on the command line (``--weights challenge=0.5,type=0.3``).
WEIGHT_ALIASES = {"challenges": "challenge", "community_type": "type", "distance": "proximity"}


def parse_weights(text: str | Mapping[str, float] | None, kind: str = "mentor") -> dict[str, float]:
    """Weights from a mapping or from text like ``"challenge=0.5,type=0.3"``.

    Components not named get weight 0; the result is normalised to sum to 1.

    >>> parse_weights("challenge=2,type=1,proximity=1")
    {'challenge': 0.5, 'type': 0.25, 'proximity': 0.25, 'continuity': 0.0}
    >>> parse_weights(None) == MENTOR_WEIGHTS
    True
    """
    defaults = MENTOR_WEIGHTS if kind == "mentor" else BASE_WEIGHTS
    if text is None:
        return dict(defaults)
    if isinstance(text, str):
        given: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, sep, value = part.partition("=")
            try:
                given[name.strip()] = float(value)
            except ValueError:
                raise DataError(
                    f"weights: expected name=number, got {part!r} "
                    f"(e.g. challenge=0.5,type=0.3,proximity=0.2)"
                ) from None
            if not sep:
                raise DataError(f"weights: expected name=number, got {part!r}")
    else:
        given = {str(k): float(v) for k, v in text.items()}
    given = {WEIGHT_ALIASES.get(k, k): v for k, v in given.items()}
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise DataError(f"weights: unknown component {', '.join(unknown)}; known: {list(defaults)}")
    if any(not np.isfinite(v) or v < 0 for v in given.values()):
        raise DataError(f"weights must be numbers >= 0, got {given}")
    total = sum(given.values())
    if total <= 0:
        raise DataError("weights: at least one component needs a weight above 0")
    return {k: given.get(k, 0.0) / total for k in defaults}


def _indicator(lists: Sequence[Sequence[str]], codes: Sequence[str]) -> np.ndarray:
    """Rows of 0/1: which codes each list holds."""
    index = {c: j for j, c in enumerate(codes)}
    out = np.zeros((len(lists), len(codes)), dtype=np.float64)
    for i, items in enumerate(lists):
        for item in items:
            out[i, index[item]] = 1.0
    return out


def proximity_matrix(units_a: Sequence[str], units_b: Sequence[str]) -> np.ndarray:
    """Proximity (:data:`PROXIMITY`) between every unit in ``units_a`` and in ``units_b``
    (vocabulary codes): :func:`proximity` on the district's borders, the one
    definition for a District and a Region.

    >>> proximity_matrix(["caoyang", "caoyang"], ["caoyang", "changfeng", "taopu"]).tolist()
    [[1.0, 0.5, 0.0], [1.0, 0.5, 0.0]]
    """
    index = {c: j for j, c in enumerate(STREET_TOWNS.codes)}
    ia = np.array([index[u] for u in units_a], dtype=np.int64)
    ib = np.array([index[u] for u in units_b], dtype=np.int64)
    return proximity(ia[:, None], ib[None, :], district_borders())


@functools.cache
def district_borders() -> sparse.csr_array:
    """The district's units x units (vocabulary order): nonzero where two share a
    border (:data:`~mentormatch.vocab.NEIGHBOURS`).

    >>> int(district_borders().nnz)
    38
    """
    codes = STREET_TOWNS.codes
    return sparse.csr_array(np.array([[int(b in NEIGHBOURS[a]) for b in codes] for a in codes]))


# Challenge lists are bitmasks: bit b set when the list holds ``CHALLENGES.codes[b]``.
# 32 bits hold the 24 challenges; a longer vocabulary needs a wider type here.
assert len(CHALLENGES) <= 32 and len(COMMUNITY_TYPES) <= 8
#: Popcount of every 16-bit number, for numpy versions without ``np.bitwise_count``.
_POPCOUNT16 = np.array([bin(x).count("1") for x in range(1 << 16)], dtype=np.uint8)


def code_masks(lists: Sequence[Sequence[str]], codes: Sequence[str]) -> np.ndarray:
    """Bitmasks of lists of codes: bit ``b`` is set when a list holds ``codes[b]``.

    ``uint32`` for up to 32 codes (the 24 challenges), ``uint8`` for up to 8 (the 7
    community types), so that a nation's lists fit in a few megabytes.

    >>> code_masks([("b", "c"), (), ("a",)], ["a", "b", "c"]).tolist()
    [6, 0, 1]
    """
    index = {c: b for b, c in enumerate(codes)}
    dtype = np.uint8 if len(codes) <= 8 else np.uint32
    lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    bits = np.fromiter(
        (index[c] for items in lists for c in items), dtype=np.int64, count=int(lengths.sum())
    )
    out = np.zeros(len(lists), dtype=np.uint64)
    # OR-ing distinct bits is adding them; duplicates in a list count once.
    rows = np.repeat(np.arange(len(lists)), lengths)
    unique = np.unique(rows * 64 + bits)
    np.add.at(out, unique // 64, np.left_shift(np.uint64(1), (unique % 64).astype(np.uint64)))
    return out.astype(dtype)


def popcount(masks: np.ndarray) -> np.ndarray:
    """Number of set bits of each (unsigned, at most 32-bit) mask.

    >>> popcount(np.array([0, 1, 6, 2**31 + 3], dtype=np.uint32)).tolist()
    [0, 1, 2, 3]
    """
    masks = np.asarray(masks)
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(masks)
    wide = masks.astype(np.uint32)
    return _POPCOUNT16[wide & 0xFFFF] + _POPCOUNT16[wide >> 16]


def challenge_fit(need: np.ndarray, know: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ``challenge`` component and the mentor's side of it, from challenge bitmasks.

    ``need`` (the mentee's challenges) and ``know`` (the mentor's expertise) broadcast
    against each other: pair arrays, or a column and a row for a whole grid.

    Returns
    -------
    fit : ndarray
        Share of the mentee's challenges in the mentor's expertise (0 if it names none).
    mentor_side : ndarray
        Share of the mentor's expertise that the mentee needs (0 if the mentor has none).

    >>> fit, side = challenge_fit(np.uint32(0b0111), np.uint32(0b1011))
    >>> float(fit), float(side)
    (0.6666666666666666, 0.6666666666666666)
    """
    shared = popcount(np.bitwise_and(need, know)).astype(np.int64)
    n_need = popcount(need).astype(np.int64)
    n_know = popcount(know).astype(np.int64)
    fit = np.where(n_need > 0, shared / np.maximum(n_need, 1), 0.0)
    mentor_side = np.where(n_know > 0, shared / np.maximum(n_know, 1), 0.0)
    return fit, mentor_side


def _type_fit_table() -> np.ndarray:
    """Best affinity of each community type to each set of types (as a bitmask)."""
    codes = COMMUNITY_TYPES.codes
    affinity = np.array([[type_affinity(a, b) for b in codes] for a in codes])
    masks = np.arange(1 << len(codes))
    knows = (masks[:, None] >> np.arange(len(codes))[None, :]) & 1  # masks x types
    return (affinity[:, None, :] * knows[None, :, :]).max(axis=2, initial=0.0)


#: ``TYPE_FIT[t, mask]``: the ``type`` component of a mentee of type ``t`` and a mentor
#: who knows the types in ``mask`` (bit order of ``COMMUNITY_TYPES``).
TYPE_FIT = _type_fit_table()


def type_fit(mentee_type: np.ndarray, mentor_types: np.ndarray) -> np.ndarray:
    """The ``type`` component: the best affinity of the mentor's types to the mentee's.

    ``mentee_type`` holds positions in ``COMMUNITY_TYPES.codes``, ``mentor_types``
    bitmasks over them (see :func:`code_masks`); they broadcast.

    >>> codes = list(COMMUNITY_TYPES.codes)
    >>> knows = code_masks([("old_public_housing", "village")], codes)
    >>> type_fit(np.array([codes.index("sold_public_housing")]), knows).tolist()
    [0.75]
    """
    return TYPE_FIT[np.asarray(mentee_type), np.asarray(mentor_types)]


def _sorted_keys(matrix: sparse.sparray | sparse.spmatrix) -> np.ndarray:
    """``row * n_columns + column`` of every nonzero entry of a sparse matrix, sorted."""
    if sparse.issparse(matrix) and matrix.format == "csr" and matrix.has_canonical_format:
        # Rows in order, sorted columns, no duplicates: the keys come out sorted, so a
        # nation's matrix is read in one pass instead of sorted again for every block.
        rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
        keys = rows * matrix.shape[1] + matrix.indices
        return keys[matrix.data != 0]
    coo = sparse.coo_array(matrix)
    keys = coo.row.astype(np.int64) * coo.shape[1] + coo.col.astype(np.int64)
    return np.unique(keys[coo.data != 0])


def _holds(keys: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Whether each query key is among the sorted ``keys``."""
    if not len(keys):
        return np.zeros(np.shape(query), dtype=bool)
    at = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return keys[at] == query


def proximity(
    unit_a: np.ndarray, unit_b: np.ndarray, neighbours: sparse.sparray | sparse.spmatrix
) -> np.ndarray:
    """The ``proximity`` component (:data:`PROXIMITY`) of units given as integer codes.

    ``neighbours`` is the units' adjacency as a square sparse matrix (nonzero where two
    units share a border); ``unit_a`` and ``unit_b`` broadcast.

    >>> border = sparse.csr_array(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]))
    >>> proximity(np.array([0, 0, 0]), np.array([0, 1, 2]), border).tolist()
    [1.0, 0.5, 0.0]
    """
    unit_a, unit_b = np.asarray(unit_a, np.int64), np.asarray(unit_b, np.int64)
    near = _holds(_sorted_keys(neighbours), unit_a * neighbours.shape[1] + unit_b)
    return np.where(
        unit_a == unit_b,
        PROXIMITY["same"],
        np.where(near, PROXIMITY["neighbouring"], PROXIMITY["far"]),
    )


def continuity(
    mentee: np.ndarray,
    mentor: np.ndarray,
    prior: sparse.sparray | sparse.spmatrix,
    mentor_community: np.ndarray,
    previous_mentor: np.ndarray,
) -> np.ndarray:
    """The ``continuity`` component: 1 for a shared community history or an earlier pairing.

    Parameters
    ----------
    mentee, mentor : ndarray of int
        Positions of the pairs (they broadcast).
    prior : sparse matrix, secretaries x communities
        Nonzero where the secretary served earlier in the community.
    mentor_community : ndarray of int
        Each mentor's own community, as a column of ``prior``.
    previous_mentor : ndarray of int
        Each secretary's mentor in the previous cycle, as a mentor position (-1 if none).

    Examples
    --------
    >>> prior = sparse.csr_array(np.array([[0, 1], [0, 0]]))
    >>> continuity(np.array([[0], [1]]), np.array([[0, 1]]), prior,
    ...            np.array([1, 0]), np.array([-1, 1])).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    mentee, mentor = np.asarray(mentee, np.int64), np.asarray(mentor, np.int64)
    community = np.asarray(mentor_community, np.int64)[mentor]
    shared = _holds(_sorted_keys(prior), mentee * prior.shape[1] + community)
    earlier = np.asarray(previous_mentor, np.int64)[mentee] == mentor
    return (shared | earlier).astype(np.float64)


def combine(parts: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """The weighted sum of components, in the order of ``weights`` (a fixed order, so
    that every path that scores a pair gets the same floating-point total).

    >>> combine({"a": np.array([1.0]), "b": np.array([0.5])}, {"a": 0.5, "b": 0.5}).tolist()
    [0.75]
    """
    return sum(w * np.asarray(parts[name]) for name, w in weights.items())


def score_pairs(
    d: District,
    weights: str | Mapping[str, float] | None = None,
    *,
    against: str = "mentors",
    mentor_of: Mapping[str, str] | pd.Series | None = None,
    mentees: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score every (secretary needing a mentor, mentor) or (secretary, practice base) pair.

    Parameters
    ----------
    d : District
    weights : mapping or str, optional
        Component weights (see :data:`MENTOR_WEIGHTS`, :data:`BASE_WEIGHTS`);
        normalised to sum to 1.
    against : {"mentors", "bases"}
        Score mentors, or practice bases.
    mentor_of : mapping secretary_id -> mentor_id, optional
        For bases: each mentee's mentor, whose expertise the base complements. Without
        it, a base is scored against all of the mentee's challenges.
    mentees : DataFrame, optional
        The secretaries to score (default ``d.mentees``: in post and needing a mentor).

    Returns
    -------
    DataFrame
        One row per pair in mentee-major order: ``secretary_id``, ``mentor_id`` (or
        ``base_id``), ``total`` and one column per component; for mentors also
        ``mentor_view`` (how the mentor ranks the mentee).

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> s = mm.score_pairs(d)
    >>> len(s) == len(d.mentees) * len(d.mentors)
    True
    >>> bool(s["total"].between(0, 1).all())
    True
    """
    mentees = d.mentees if mentees is None else mentees
    if against == "mentors":
        return _score_mentors(d, mentees, parse_weights(weights, "mentor"))
    if against == "bases":
        return _score_bases(d, mentees, parse_weights(weights, "base"), mentor_of)
    raise DataError(f"against must be 'mentors' or 'bases', got {against!r}")


def _long(
    mentees: pd.DataFrame, other_ids: np.ndarray, other_col: str, parts: dict[str, np.ndarray]
) -> pd.DataFrame:
    n, m = len(mentees), len(other_ids)
    frame = {
        "secretary_id": np.repeat(mentees["secretary_id"].to_numpy(dtype=object), m),
        other_col: np.tile(other_ids.astype(object), n),
    }
    frame.update({k: np.round(v.reshape(-1), 6) for k, v in parts.items()})
    out = pd.DataFrame(frame)
    out["secretary_id"] = out["secretary_id"].astype("str")
    out[other_col] = out[other_col].astype("str")
    return out


def _score_mentors(d: District, mentees: pd.DataFrame, w: dict[str, float]) -> pd.DataFrame:
    mentors = d.mentors
    need = code_masks(mentees["challenges"].tolist(), CHALLENGES.codes)[:, None]
    know = code_masks(mentors["expertise"].tolist(), CHALLENGES.codes)[None, :]
    challenge, mentor_side = challenge_fit(need, know)
    type_codes = pd.Index(COMMUNITY_TYPES.codes).get_indexer(mentees["community_type"])
    knows = code_masks(mentors["community_types"].tolist(), COMMUNITY_TYPES.codes)
    parts = {
        "challenge": challenge,
        "type": type_fit(type_codes[:, None], knows[None, :]),
        "proximity": proximity_matrix(
            mentees["street_town"].tolist(), mentors["street_town"].tolist()
        ),
        "continuity": _continuity(mentees, mentors),
    }
    total = combine(parts, w)
    view = combine({**parts, "challenge": mentor_side}, w)
    parts = {
        "total": np.clip(total, 0.0, 1.0),
        **parts,
        "mentor_view": np.clip(view, 0.0, 1.0),
    }
    return _long(mentees, mentors["mentor_id"].to_numpy(), "mentor_id", parts)


def _continuity(mentees: pd.DataFrame, mentors: pd.DataFrame) -> np.ndarray:
    """:func:`continuity` on the grid of the District's mentees and mentors."""
    prior_lists = mentees["prior_communities"].tolist()
    communities = pd.Index(
        pd.unique(
            np.array(
                [*mentors["community_id"].tolist(), *(c for p in prior_lists for c in p)],
                dtype=object,
            )
        )
    )
    lengths = np.fromiter((len(p) for p in prior_lists), dtype=np.int64, count=len(prior_lists))
    rows = np.repeat(np.arange(len(prior_lists)), lengths)
    cols = communities.get_indexer([c for p in prior_lists for c in p])
    prior = sparse.csr_array(
        (np.ones(len(rows), dtype=bool), (rows, cols)), shape=(len(mentees), len(communities))
    )
    previous = pd.Index(mentors["mentor_id"]).get_indexer(mentees["previous_mentor_id"])
    return continuity(
        np.arange(len(mentees))[:, None],
        np.arange(len(mentors))[None, :],
        prior,
        communities.get_indexer(mentors["community_id"]),
        previous,
    )


def _score_bases(
    d: District,
    mentees: pd.DataFrame,
    w: dict[str, float],
    mentor_of: Mapping[str, str] | pd.Series | None,
) -> pd.DataFrame:
    bases = d.bases
    codes = CHALLENGES.codes
    need = code_masks(mentees["challenges"].tolist(), codes)
    know = np.zeros_like(need)
    if mentor_of is not None:
        mentor_of = dict(mentor_of)
        expertise = dict(zip(d.mentors["mentor_id"], d.mentors["expertise"], strict=True))
        know = code_masks(
            [expertise.get(mentor_of.get(s), ()) for s in mentees["secretary_id"]], codes
        )
    themes = code_masks(bases["themes"].tolist(), codes)
    coverage = base_coverage(need[:, None], know[:, None], themes[None, :])
    proximity = proximity_matrix(mentees["street_town"].tolist(), bases["street_town"].tolist())
    total = w["coverage"] * coverage + w["proximity"] * proximity
    parts = {"total": np.clip(total, 0.0, 1.0), "coverage": coverage, "proximity": proximity}
    return _long(mentees, bases["base_id"].to_numpy(), "base_id", parts)


def base_coverage(need: np.ndarray, know: np.ndarray, themes: np.ndarray) -> np.ndarray:
    """The base's ``coverage`` component, from challenge bitmasks: the share of the
    mentee's challenges its mentor does not know (``need`` without ``know``) that the
    base's ``themes`` cover; 1 when the mentor knows them all. The arguments broadcast.

    The one definition of the base score's coverage, for a District's table, a Region's
    candidate bases and joint planning alike.

    >>> float(base_coverage(np.uint32(0b0111), np.uint32(0b0001), np.uint32(0b0010)))
    0.5
    >>> float(base_coverage(np.uint32(0b0011), np.uint32(0b0011), np.uint32(0)))
    1.0
    """
    uncovered = np.bitwise_and(need, np.bitwise_not(np.asarray(know, dtype=np.uint32)))
    n_unc = popcount(uncovered).astype(np.int64)
    shared = popcount(np.bitwise_and(uncovered, themes)).astype(np.int64)
    return np.where(n_unc > 0, shared / np.maximum(n_unc, 1), 1.0)
