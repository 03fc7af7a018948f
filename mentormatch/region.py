"""Regions: a city or a nation of county-level units, held as arrays.

A :class:`~mentormatch.District` is one county-level district's programme: its tables
hold text codes, lists as tuples, and sub-districts checked against Putuo's ten units.
That suits 282 secretaries and a planner's spreadsheet, not 600,000 secretaries. A
:class:`Region` holds the same facts for many counties at once, in a form that numpy
can score in blocks:

* every person is a row of integer codes (county, unit, community, community type,
  education) with lists as bitmasks (challenges, expertise, themes, known community
  types; bit ``b`` stands for ``vocab.codes[b]``, see :func:`~mentormatch.scoring.code_masks`);
* units (sub-districts and towns, 街镇) are numbered ``0 .. n_units - 1``; ``units``
  says which county each lies in and ``neighbours`` which units share a border (a
  sparse matrix, so a nation's 20,000 units cost kilobytes);
* earlier posts are a sparse secretaries x communities matrix ``prior``;
* mentors in the previous cycle, pairs to keep and pairs to forbid are positions.

Row labels (the index of each table) are the IDs; a synthetic region numbers its rows.
:meth:`Region.from_district` turns a District into a one-county Region, so that
everything built for regions can be checked against the District tools on the same data.
:func:`mentormatch.region_synth.synthesize_region` makes a synthetic city or nation.

Examples
--------
>>> from mentormatch.region_synth import synthesize_region
>>> r = synthesize_region(seed=1, n_secretaries=2_000, n_mentors=100, n_bases=130)
>>> r.n_counties, r.n_units, len(r.secretaries), len(r.mentees)
(5, 70, 2000, 500)
>>> r.decoded("mentors", [0]).columns.tolist()[:5]
['county', 'unit', 'community', 'community_types', 'expertise']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from mentormatch.district import District
from mentormatch.errors import DataError, Problem
from mentormatch.scoring import code_masks
from mentormatch.vocab import (
    CHALLENGES,
    COMMUNITY_TYPES,
    EDUCATION,
    GENDERS,
    NEIGHBOURS,
    STREET_TOWNS,
)

__all__ = ["Region", "COLUMNS", "decode_masks", "units_around", "mentors_around"]

#: The columns of each table and their dtypes: codes are small integers (positions in
#: the vocabulary, or unit/county/community/mentor numbers), lists are bitmasks.
COLUMNS: dict[str, dict[str, str]] = {
    "secretaries": {
        "county": "int32",
        "unit": "int32",
        "community": "int32",
        "community_type": "int8",  # position in COMMUNITY_TYPES.codes
        "challenges": "uint32",  # bitmask over CHALLENGES.codes
        "birth_year": "int16",
        "appointed_year": "int16",
        "education": "int8",  # position in EDUCATION.codes
        "gender": "int8",  # position in GENDERS.codes
        "households": "int32",
        "share_aged_60_plus": "float64",
        "needs_mentor": "bool",
        "mentored_since": "int16",  # 0: never mentored
        "previous_mentor": "int32",  # mentor position in the previous cycle, -1: none
    },
    "mentors": {
        "county": "int32",
        "unit": "int32",
        "community": "int32",
        "community_types": "uint8",  # bitmask over COMMUNITY_TYPES.codes
        "expertise": "uint32",  # bitmask over CHALLENGES.codes
        "years_as_secretary": "int16",
        "capacity": "int32",
        "min_load": "int32",
    },
    "bases": {
        "county": "int32",
        "unit": "int32",
        "community": "int32",
        "themes": "uint32",  # bitmask over CHALLENGES.codes
        "capacity": "int32",
    },
    "units": {"county": "int32"},
    "constraints": {"secretary": "int64", "mentor": "int64", "rule": "str"},
}


@dataclass(frozen=True, eq=False)
class Region:
    """The tables of a mentoring programme over many counties, as integer arrays.

    Attributes
    ----------
    secretaries, mentors, bases : DataFrame
        One row per person or base with the columns of :data:`COLUMNS`; the index holds
        the IDs. Secretaries are those in post (a region keeps no departed ones).
    units : DataFrame
        One row per unit, numbered from 0: its ``county`` (and optionally a ``name``).
    neighbours : scipy.sparse.csr_array
        Units x units, nonzero where two units share a border; symmetric. Borders may
        cross county lines: a mentor across one then counts as neighbouring.
    prior : scipy.sparse.csr_array
        Secretaries x communities, nonzero where a secretary served earlier.
    constraints : DataFrame
        ``secretary`` and ``mentor`` positions and ``rule`` (``"keep"`` or ``"forbid"``).
    name : str
    synthetic : bool
        Made by :func:`~mentormatch.region_synth.synthesize_region` (charts and reports
        say "synthetic").

    Construction coerces the dtypes and checks codes, ranges and references, raising
    :class:`~mentormatch.DataError` with every problem found.
    """

    secretaries: pd.DataFrame
    mentors: pd.DataFrame
    bases: pd.DataFrame
    units: pd.DataFrame
    neighbours: sparse.csr_array
    prior: sparse.csr_array
    constraints: pd.DataFrame | None = None
    name: str = "region"
    synthetic: bool = False

    def __post_init__(self) -> None:
        for table in ("secretaries", "mentors", "bases", "units", "constraints"):
            frame = getattr(self, table)
            if frame is None:
                frame = pd.DataFrame({c: pd.Series(dtype=t) for c, t in COLUMNS[table].items()})
            object.__setattr__(self, table, _typed(table, frame))
        # Canonical sparse matrices (sorted, no duplicates, no stored zeros) let the
        # scoring functions read their entries as sorted keys without sorting again.
        for name in ("neighbours", "prior"):
            matrix = sparse.csr_array(getattr(self, name), dtype=bool)
            matrix.sum_duplicates()
            matrix.eliminate_zeros()
            object.__setattr__(self, name, matrix)
        problems = _problems(self)
        if problems:
            raise DataError(problems)

    # --- sizes and views -----------------------------------------------------------

    @property
    def n_counties(self) -> int:
        return int(self.units["county"].max()) + 1 if len(self.units) else 0

    @property
    def n_units(self) -> int:
        return len(self.units)

    @property
    def n_communities(self) -> int:
        return self.prior.shape[1]

    @property
    def mentees(self) -> np.ndarray:
        """Positions of the secretaries who need a mentor."""
        return np.flatnonzero(self.secretaries["needs_mentor"].to_numpy())

    def pairs(self, rule: str) -> tuple[np.ndarray, np.ndarray]:
        """(secretary, mentor) positions of the constraints with ``rule``."""
        c = self.constraints
        chosen = (c["rule"] == rule).to_numpy()
        return (
            c["secretary"].to_numpy(np.int64)[chosen],
            c["mentor"].to_numpy(np.int64)[chosen],
        )

    def decoded(self, table: str = "secretaries", rows: np.ndarray | None = None) -> pd.DataFrame:
        """Some rows of a table with codes turned back into vocabulary codes and tuples,
        as a District shows them (for reading a few rows, not for a nation).

        >>> from mentormatch.region_synth import synthesize_region
        >>> r = synthesize_region(seed=1, n_secretaries=400, n_mentors=20, n_bases=20)
        >>> row = r.decoded("mentors", [0]).iloc[0]
        >>> set(row["expertise"]) <= set(CHALLENGES.codes)
        True
        """
        frame = getattr(self, table)
        frame = frame if rows is None else frame.iloc[np.asarray(rows)]
        out = frame.copy()
        for column, vocab in _DECODE.get(table, {}).items():
            values = frame[column].to_numpy()
            if column in _MASKS:
                out[column] = pd.Series(decode_masks(values, vocab.codes), index=frame.index)
            else:
                out[column] = np.asarray(vocab.codes, dtype=object)[values]
        return out

    def summary(self) -> str:
        """Sizes in a few lines."""
        mentees = len(self.mentees)
        keep = int((self.constraints["rule"] == "keep").sum())
        forbid = len(self.constraints) - keep
        return "\n".join(
            [
                f"{self.name}: {self.n_counties} counties, {self.n_units} units"
                + (" (synthetic)" if self.synthetic else ""),
                f"secretaries: {len(self.secretaries)}; need a mentor: {mentees}",
                f"mentors: {len(self.mentors)} (capacity {int(self.mentors['capacity'].sum())});"
                f" practice bases: {len(self.bases)}",
                f"constraints: {keep} pairs to keep, {forbid} forbidden",
            ]
        )

    def __repr__(self) -> str:
        return (
            f"Region({self.name!r}: counties={self.n_counties}, units={self.n_units}, "
            f"secretaries={len(self.secretaries)}, mentors={len(self.mentors)}, "
            f"bases={len(self.bases)})"
        )

    # --- from a District -------------------------------------------------------------

    @classmethod
    def from_district(cls, d: District, name: str = "district") -> Region:
        """The District as a one-county Region: same people, same codes, same scores.

        Units are Putuo's sub-districts and towns in vocabulary order, with their
        borders from :data:`~mentormatch.vocab.NEIGHBOURS`; communities are numbered
        in order of first appearance; forbid and keep rules of secretaries in post
        become constraints.

        Examples
        --------
        >>> import mentormatch as mm
        >>> d = mm.synthesize_district(seed=1)
        >>> r = Region.from_district(d)
        >>> r.n_counties, r.n_units, len(r.mentees) == len(d.mentees)
        (1, 10, True)
        """
        s, m = d.in_post.reset_index(drop=True), d.mentors
        b = d.bases
        units = pd.Index(STREET_TOWNS.codes)
        prior_lists = s["prior_communities"].tolist()
        communities = pd.Index(
            pd.unique(
                np.array(
                    [
                        *s["community_id"],
                        *m["community_id"],
                        *b["community_id"],
                        *(c for p in prior_lists for c in p),
                    ],
                    dtype=object,
                )
            )
        )
        lengths = np.fromiter((len(p) for p in prior_lists), np.int64, count=len(prior_lists))
        prior = sparse.csr_array(
            (
                np.ones(int(lengths.sum()), dtype=bool),
                (
                    np.repeat(np.arange(len(s)), lengths),
                    communities.get_indexer([c for p in prior_lists for c in p]),
                ),
            ),
            shape=(len(s), len(communities)),
        )
        mentor_ids = pd.Index(m["mentor_id"])
        since = s["mentored_since"].astype("Int64").fillna(0).to_numpy(np.int64)
        secretaries = pd.DataFrame(
            {
                "county": 0,
                "unit": units.get_indexer(s["street_town"]),
                "community": communities.get_indexer(s["community_id"]),
                "community_type": pd.Index(COMMUNITY_TYPES.codes).get_indexer(s["community_type"]),
                "challenges": code_masks(s["challenges"].tolist(), CHALLENGES.codes),
                "birth_year": s["birth_year"].to_numpy(),
                "appointed_year": s["appointed_year"].to_numpy(),
                "education": pd.Index(EDUCATION.codes).get_indexer(s["education"]),
                "gender": pd.Index(GENDERS.codes).get_indexer(s["gender"]),
                "households": s["households"].to_numpy(),
                "share_aged_60_plus": s["share_aged_60_plus"].to_numpy(),
                "needs_mentor": s["needs_mentor"].to_numpy(),
                "mentored_since": since,
                "previous_mentor": mentor_ids.get_indexer(s["previous_mentor_id"]),
            },
            index=pd.Index(s["secretary_id"], name="secretary_id"),
        )
        mentors = pd.DataFrame(
            {
                "county": 0,
                "unit": units.get_indexer(m["street_town"]),
                "community": communities.get_indexer(m["community_id"]),
                "community_types": code_masks(m["community_types"].tolist(), COMMUNITY_TYPES.codes),
                "expertise": code_masks(m["expertise"].tolist(), CHALLENGES.codes),
                "years_as_secretary": m["years_as_secretary"].to_numpy(),
                "capacity": m["capacity"].to_numpy(),
                "min_load": m["min_load"].astype("Int64").fillna(0).to_numpy(np.int64),
            },
            index=pd.Index(m["mentor_id"], name="mentor_id"),
        )
        bases = pd.DataFrame(
            {
                "county": 0,
                "unit": units.get_indexer(b["street_town"]),
                "community": communities.get_indexer(b["community_id"]),
                "themes": code_masks(b["themes"].tolist(), CHALLENGES.codes),
                "capacity": b["capacity"].to_numpy(),
            },
            index=pd.Index(b["base_id"], name="base_id"),
        )
        border = np.array(
            [[int(v in NEIGHBOURS[u]) for v in STREET_TOWNS.codes] for u in STREET_TOWNS.codes]
        )
        c = d.constraints
        secretary = pd.Index(secretaries.index).get_indexer(c["secretary_id"])
        mentor = mentor_ids.get_indexer(c["mentor_id"])
        known = (secretary >= 0) & (mentor >= 0)
        constraints = pd.DataFrame(
            {
                "secretary": secretary[known],
                "mentor": mentor[known],
                "rule": c["rule"].to_numpy()[known],
            }
        )
        return cls(
            secretaries=secretaries,
            mentors=mentors,
            bases=bases,
            units=pd.DataFrame({"county": 0, "name": list(STREET_TOWNS.codes)}),
            neighbours=sparse.csr_array(border),
            prior=prior,
            constraints=constraints,
            name=name,
            synthetic=d.synthetic,
        )


_MASKS = ("challenges", "expertise", "themes", "community_types")
_DECODE = {
    "secretaries": {
        "community_type": COMMUNITY_TYPES,
        "challenges": CHALLENGES,
        "education": EDUCATION,
        "gender": GENDERS,
    },
    "mentors": {"community_types": COMMUNITY_TYPES, "expertise": CHALLENGES},
    "bases": {"themes": CHALLENGES},
}


def units_around(neighbours: sparse.csr_array) -> sparse.csr_array:
    """Units x units: each unit and the units bordering it (sorted, boolean)."""
    n_units = neighbours.shape[0]
    around = sparse.csr_array(neighbours + sparse.eye_array(n_units, dtype=bool), dtype=bool)
    around.sort_indices()
    return around


def mentors_around(neighbours: sparse.csr_array, mentor_unit: np.ndarray) -> sparse.csr_array:
    """Units x mentors: the mentors in each unit or a bordering one (sorted, boolean).

    >>> border = sparse.csr_array(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]))
    >>> near = mentors_around(border, np.array([0, 2, 1]))
    >>> [near.indices[near.indptr[u] : near.indptr[u + 1]].tolist() for u in range(3)]
    [[0, 2], [0, 2], [1]]
    """
    n_units, m = neighbours.shape[0], len(mentor_unit)
    located = sparse.csr_array(
        (np.ones(m, np.int32), (np.asarray(mentor_unit), np.arange(m))), shape=(n_units, m)
    )
    near = sparse.csr_array(units_around(neighbours).astype(np.int32) @ located, dtype=bool)
    near.sort_indices()
    return near


def decode_masks(masks: np.ndarray, codes: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Bitmasks back to tuples of codes (in vocabulary order).

    >>> decode_masks(np.array([6, 0], dtype=np.uint32), ("a", "b", "c"))
    [('b', 'c'), ()]
    """
    masks = np.asarray(masks, dtype=np.uint64)
    bits = (masks[:, None] >> np.arange(len(codes), dtype=np.uint64)[None, :]) & np.uint64(1)
    return [tuple(codes[b] for b in np.flatnonzero(row)) for row in bits]


def _typed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"region {table}: expected a DataFrame, not {type(frame).__name__}")
    missing = [c for c in COLUMNS[table] if c not in frame.columns]
    if missing:
        raise DataError(f"region {table}: missing columns {missing}")
    out = frame.copy()
    for column, dtype in COLUMNS[table].items():
        try:
            out[column] = out[column].astype(dtype)
        except (TypeError, ValueError, OverflowError) as error:
            raise DataError(f"region {table}.{column}: expected {dtype} ({error})") from None
    return out


def _problems(r: Region) -> list[Problem]:
    """Every inconsistency between the tables, one Problem per kind, at its first row
    (a row position: a Region has no spreadsheet rows)."""
    out: list[Problem] = []
    n_units, n_comm = len(r.units), r.prior.shape[1]
    n_sec, n_men = len(r.secretaries), len(r.mentors)

    def whole(table: str, expected: str) -> None:
        out.append(Problem(f"region {table}", None, None, None, expected))

    def bad(condition: np.ndarray, table: str, column: str, expected: str) -> None:
        if condition.any():
            first = int(np.argmax(condition))
            value = getattr(r, table)[column].iat[first]
            value = value.item() if isinstance(value, np.generic) else value
            many = int(condition.sum())
            also = f" (and {many - 1} more rows)" if many > 1 else ""
            out.append(Problem(f"region {table}", first, column, value, expected + also))

    county_of = r.units["county"].to_numpy()
    bad(county_of < 0, "units", "county", "a county number >= 0")
    if r.neighbours.shape != (n_units, n_units):
        whole("neighbours", f"a {n_units} x {n_units} matrix, not {r.neighbours.shape}")
    elif (r.neighbours != r.neighbours.T).nnz:
        whole("neighbours", "a symmetric matrix (a border is shared by both units)")
    if r.prior.shape[0] != n_sec:
        whole("prior", f"one row per secretary ({n_sec}), not {r.prior.shape[0]}")
    for table in ("secretaries", "mentors", "bases"):
        t = getattr(r, table)
        unit = t["unit"].to_numpy()
        outside = (unit < 0) | (unit >= n_units)
        bad(outside, table, "unit", f"a unit number from 0 to {n_units - 1}")
        if not outside.any():
            differs = t["county"].to_numpy() != county_of[unit]
            bad(differs, table, "county", "the county of the row's unit")
        community = t["community"].to_numpy()
        outside = (community < 0) | (community >= n_comm)
        bad(outside, table, "community", f"a community number from 0 to {n_comm - 1}")
        if "capacity" in t:
            bad(t["capacity"].to_numpy() < 0, table, "capacity", "a capacity >= 0")
    s, m = r.secretaries, r.mentors
    for column, vocab in (("community_type", COMMUNITY_TYPES), ("education", EDUCATION)):
        unknown = ~s[column].between(0, len(vocab) - 1).to_numpy()
        bad(unknown, "secretaries", column, f"a position in the {vocab.name} codes")
    unknown = ~s["gender"].between(0, len(GENDERS) - 1).to_numpy()
    bad(unknown, "secretaries", "gender", "a position in the gender codes")
    for table, column, vocab in (
        ("secretaries", "challenges", CHALLENGES),
        ("mentors", "expertise", CHALLENGES),
        ("bases", "themes", CHALLENGES),
        ("mentors", "community_types", COMMUNITY_TYPES),
    ):
        values = getattr(r, table)[column].to_numpy(np.uint64)
        unknown = values >> np.uint64(len(vocab)) != 0
        bad(unknown, table, column, f"a bitmask of the {len(vocab)} {vocab.name} codes")
    previous = s["previous_mentor"].to_numpy()
    outside = (previous < -1) | (previous >= n_men)
    bad(outside, "secretaries", "previous_mentor", "a mentor position, or -1 for none")
    low, cap = m["min_load"].to_numpy(), m["capacity"].to_numpy()
    bad((low < 0) | (low > cap), "mentors", "min_load", "a min load from 0 to the capacity")
    c = r.constraints
    who, whom = c["secretary"].to_numpy(), c["mentor"].to_numpy()
    bad((who < 0) | (who >= n_sec), "constraints", "secretary", "a secretary position")
    bad((whom < 0) | (whom >= n_men), "constraints", "mentor", "a mentor position")
    bad(~c["rule"].isin(["keep", "forbid"]).to_numpy(), "constraints", "rule", "keep or forbid")
    keep = (c["rule"] == "keep").to_numpy()
    twice = np.zeros(len(c), dtype=bool)
    twice[keep] = pd.Series(who[keep]).duplicated().to_numpy()
    bad(twice, "constraints", "secretary", "at most one pair to keep per secretary")
    repeated = pd.DataFrame({"s": who, "m": whom}).duplicated().to_numpy()
    bad(repeated, "constraints", "mentor", "one rule per (secretary, mentor) pair, not two")
    return out
