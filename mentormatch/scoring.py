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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES, NEIGHBOURS, STREET_TOWNS, type_affinity

__all__ = [
    "score_pairs",
    "parse_weights",
    "MENTOR_WEIGHTS",
    "BASE_WEIGHTS",
    "PROXIMITY",
    "proximity_matrix",
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
    """Proximity (:data:`PROXIMITY`) between every unit in ``units_a`` and in ``units_b``."""
    codes = STREET_TOWNS.codes
    index = {c: j for j, c in enumerate(codes)}
    table = np.full((len(codes), len(codes)), PROXIMITY["far"])
    for a in codes:
        for b in sorted(NEIGHBOURS[a]):
            table[index[a], index[b]] = PROXIMITY["neighbouring"]
        table[index[a], index[a]] = PROXIMITY["same"]
    ia = np.array([index[u] for u in units_a], dtype=int)
    ib = np.array([index[u] for u in units_b], dtype=int)
    return table[np.ix_(ia, ib)]


def _type_fit(mentee_types: Sequence[str], mentor_types: Sequence[Sequence[str]]) -> np.ndarray:
    codes = COMMUNITY_TYPES.codes
    affinity = np.array([[type_affinity(a, b) for b in codes] for a in codes])
    index = {c: j for j, c in enumerate(codes)}
    per_type = (
        np.stack([affinity[index[t]] for t in mentee_types])
        if len(mentee_types)
        else (np.zeros((0, len(codes))))
    )
    knows = _indicator(mentor_types, codes)  # mentors x types
    # Best affinity over the mentor's types: max_j affinity[mentee type, j] * knows[m, j].
    return (per_type[:, None, :] * knows[None, :, :]).max(axis=2, initial=0.0)


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
    codes = CHALLENGES.codes
    need = _indicator(mentees["challenges"].tolist(), codes)  # n x C
    know = _indicator(mentors["expertise"].tolist(), codes)  # m x C
    shared = need @ know.T  # n x m: challenges in common
    n_need = need.sum(axis=1, keepdims=True)
    n_know = know.sum(axis=1)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        challenge = np.where(n_need > 0, shared / np.maximum(n_need, 1), 0.0)
        mentor_side = np.where(n_know > 0, shared / np.maximum(n_know, 1), 0.0)
    type_fit = _type_fit(mentees["community_type"].tolist(), mentors["community_types"].tolist())
    proximity = proximity_matrix(mentees["street_town"].tolist(), mentors["street_town"].tolist())
    continuity = _continuity(mentees, mentors)
    total = (
        w["challenge"] * challenge
        + w["type"] * type_fit
        + w["proximity"] * proximity
        + w["continuity"] * continuity
    )
    view = (
        w["challenge"] * mentor_side
        + w["type"] * type_fit
        + w["proximity"] * proximity
        + w["continuity"] * continuity
    )
    parts = {
        "total": np.clip(total, 0.0, 1.0),
        "challenge": challenge,
        "type": type_fit,
        "proximity": proximity,
        "continuity": continuity,
        "mentor_view": np.clip(view, 0.0, 1.0),
    }
    return _long(mentees, mentors["mentor_id"].to_numpy(), "mentor_id", parts)


def _continuity(mentees: pd.DataFrame, mentors: pd.DataFrame) -> np.ndarray:
    mentor_community = mentors["community_id"].tolist()
    mentor_ids = mentors["mentor_id"].tolist()
    out = np.zeros((len(mentees), len(mentors)))
    previous = mentees["previous_mentor_id"].tolist()
    for i, prior in enumerate(mentees["prior_communities"].tolist()):
        prior_set = set(prior)
        for j, (community, mentor) in enumerate(zip(mentor_community, mentor_ids, strict=True)):
            if community in prior_set or previous[i] == mentor:
                out[i, j] = 1.0
    return out


def _score_bases(
    d: District,
    mentees: pd.DataFrame,
    w: dict[str, float],
    mentor_of: Mapping[str, str] | pd.Series | None,
) -> pd.DataFrame:
    bases = d.bases
    codes = CHALLENGES.codes
    need = _indicator(mentees["challenges"].tolist(), codes)
    if mentor_of is not None:
        mentor_of = dict(mentor_of)
        expertise = dict(zip(d.mentors["mentor_id"], d.mentors["expertise"], strict=True))
        covered = [expertise.get(mentor_of.get(s), ()) for s in mentees["secretary_id"]]
        need = need * (1.0 - _indicator(covered, codes))
    themes = _indicator(bases["themes"].tolist(), codes)
    n_need = need.sum(axis=1, keepdims=True)
    coverage = np.where(n_need > 0, (need @ themes.T) / np.maximum(n_need, 1), 1.0)
    proximity = proximity_matrix(mentees["street_town"].tolist(), bases["street_town"].tolist())
    total = w["coverage"] * coverage + w["proximity"] * proximity
    parts = {"total": np.clip(total, 0.0, 1.0), "coverage": coverage, "proximity": proximity}
    return _long(mentees, bases["base_id"].to_numpy(), "base_id", parts)
