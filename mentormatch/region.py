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
everything built for regions can be checked against the District tools on the same data;
:meth:`Region.from_tables` does the same from District-style tables (text codes, as a
roster has them). :func:`mentormatch.region_synth.synthesize_region` makes a synthetic
city or nation.

A Region is checked by the same schema as a District (:mod:`mentormatch.schema`): the
rules of :mod:`mentormatch.schema.rules`, read in the forms
:data:`~mentormatch.schema.region.REGION_TABLES` declares, so that the same bad value
is told in the same words. The names of the two containers correspond so
(``python -m mentormatch.schema`` writes the full table into ``data/README.md``):

==============================  ==============================  ==========================
District (text codes)           Region (integer codes)          held as
==============================  ==============================  ==========================
secretaries.secretary_id        secretaries index               the IDs
secretaries.street_town         secretaries.unit                row of ``units``
secretaries.community_id        secretaries.community           column of ``prior``
secretaries.community_type      secretaries.community_type      position in the codes
secretaries.challenges          secretaries.challenges          bitmask over the codes
secretaries.gender              secretaries.gender              position in the codes
secretaries.education           secretaries.education           position in the codes
secretaries.mentored_since      secretaries.mentored_since      year, 0 for never
secretaries.previous_mentor_id  secretaries.previous_mentor     mentor position, -1: none
secretaries.prior_communities   prior                           sparse matrix
mentors.mentor_id               mentors index                   the IDs
mentors.street_town             mentors.unit                    row of ``units``
mentors.community_id            mentors.community               column of ``prior``
mentors.community_types         mentors.community_types         bitmask over the codes
mentors.expertise               mentors.expertise               bitmask over the codes
mentors.min_load                mentors.min_load                number, 0 for none
bases.base_id                   bases index                     the IDs
bases.street_town               bases.unit                      row of ``units``
bases.community_id              bases.community                 column of ``prior``
bases.themes                    bases.themes                    bitmask over the codes
constraints.secretary_id        constraints.secretary           secretary position
constraints.mentor_id           constraints.mentor              mentor position
(vocab.NEIGHBOURS)              neighbours                      sparse matrix
==============================  ==============================  ==========================

Every other column a Region holds has the District's name and value (birth and
appointment years, households, the share aged 60+, needs_mentor, years as secretary,
capacities, a rule's code); ``county`` (in every table and in ``units``) is the
Region's own. Names, notes, assessments and career events are not held: a Region keeps
the secretaries in post.

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

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.schema import REGION_TABLES, TABLES, check_region, validate_tables
from mentormatch.scoring import code_masks, district_borders
from mentormatch.vocab import STREET_TOWNS

__all__ = [
    "Region",
    "COLUMNS",
    "decode_masks",
    "district_neighbours",
    "units_around",
    "mentors_around",
]

#: The columns of each table and their dtypes: codes are small integers (positions in
#: the vocabulary, or unit/county/community/mentor numbers), lists are bitmasks (see
#: :data:`mentormatch.schema.region.REGION_TABLES` for what each holds).
COLUMNS: dict[str, dict[str, str]] = {name: t.dtypes for name, t in REGION_TABLES.items()}


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

    Construction checks every value by the District's rules, read in each column's
    form (:func:`~mentormatch.schema.check_region`: codes, ranges, keys, references,
    keep and forbid rules, and the Region's own counties, borders and matrices), then
    coerces the dtypes, raising :class:`~mentormatch.DataError` with every problem
    found, worded as for a District.
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
        frames = {}
        for table in COLUMNS:
            frame = getattr(self, table)
            if frame is None:
                frame = pd.DataFrame({c: pd.Series(dtype=t) for c, t in COLUMNS[table].items()})
            frames[table] = frame
        # Canonical sparse matrices (sorted, no duplicates, no stored zeros) let the
        # scoring functions read their entries as sorted keys without sorting again.
        for name in ("neighbours", "prior"):
            matrix = sparse.csr_array(getattr(self, name), dtype=bool)
            matrix.sum_duplicates()
            matrix.eliminate_zeros()
            object.__setattr__(self, name, matrix)
        typed, problems = check_region(frames, self.neighbours, self.prior)
        if problems:
            raise DataError(problems)
        for table, frame in typed.items():
            object.__setattr__(self, table, frame)

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
        >>> from mentormatch.vocab import CHALLENGES
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

    # --- from a District or District-style tables ---------------------------------------

    @classmethod
    def from_district(cls, d: District, name: str = "district") -> Region:
        """The District as a one-county Region: same people, same codes, same scores.

        Units are Putuo's sub-districts and towns in vocabulary order, with their
        borders from :data:`~mentormatch.vocab.NEIGHBOURS`; communities are numbered
        in order of first appearance; forbid and keep rules of secretaries in post
        become constraints. Each column is encoded as
        :data:`~mentormatch.schema.region.REGION_TABLES` declares.

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
        rows = {
            "unit": pd.Index(STREET_TOWNS.codes),
            "community": communities,
            "mentor": pd.Index(m["mentor_id"]),
            "secretaries": pd.Index(s["secretary_id"]),
            "mentors": pd.Index(m["mentor_id"]),
        }
        tables = {
            t: _encoded(t, frame, rows)
            for t, frame in (("secretaries", s), ("mentors", m), ("bases", b))
        }
        constraints = _encoded("constraints", d.constraints, rows)
        # Rules of departed secretaries (or of mentors no longer listed) bind nobody.
        known = (constraints["secretary"] >= 0) & (constraints["mentor"] >= 0)
        return cls(
            **tables,
            units=pd.DataFrame({"county": 0, "name": list(STREET_TOWNS.codes)}),
            neighbours=district_neighbours(),
            prior=prior,
            constraints=constraints[known.to_numpy()].reset_index(drop=True),
            name=name,
            synthetic=d.synthetic,
        )

    @classmethod
    def from_tables(
        cls, tables: Mapping[str, pd.DataFrame], *, name: str = "district", synthetic: bool = False
    ) -> Region:
        """A one-county Region from District-style tables: text codes and lists, as a
        roster has them (and as :attr:`District.tables` holds them).

        The tables are checked by the one schema, as a District's are
        (:func:`~mentormatch.schema.validate_tables`: the same problems in the same
        words, with their rows), then encoded as :meth:`from_district` encodes them.

        Parameters
        ----------
        tables : mapping
            Table name -> DataFrame, as :class:`~mentormatch.District` takes them
            (``secretaries`` and ``mentors`` required). Every table is checked; the
            Region keeps the secretaries in post (``career``), their mentors, bases and
            rules, not the assessments.
        name : str
        synthetic : bool
            The tables are synthetic (charts say so).

        Raises
        ------
        DataError
            With every problem found, as for a District.

        Examples
        --------
        >>> import mentormatch as mm
        >>> d = mm.synthesize_district(seed=1, assessments=False)
        >>> r = Region.from_tables(d.tables)
        >>> r.secretaries.equals(Region.from_district(d).secretaries)
        True
        >>> try:
        ...     Region.from_tables({**d.tables, "mentors": d.mentors.assign(capacity=-1)})
        ... except mm.DataError as err:
        ...     print(err.problems[0].text("zh"))
        「带教老师」表第 2 行「capacity」为「-1」，应为不小于 0 的整数。请核对并改正。
        """
        unknown = {t: v for t, v in tables.items() if t not in TABLES}
        if unknown:
            raise DataError(validate_tables(unknown, require_tables=False))
        return cls.from_district(District(**tables, synthetic=synthetic), name=name)


#: Region table -> column -> the vocabulary its positions or bits stand for.
_DECODE = {
    name: {
        c.name: TABLES[name].column(c.holds).vocab
        for c in spec.columns
        if c.form in ("position", "mask")
    }
    for name, spec in REGION_TABLES.items()
    if name in TABLES
}
_MASKS = tuple(c.name for spec in REGION_TABLES.values() for c in spec.columns if c.form == "mask")


def _encoded(table: str, df: pd.DataFrame, rows: Mapping[str, pd.Index]) -> pd.DataFrame:
    """A District table in its Region form (:data:`~mentormatch.schema.region.REGION_TABLES`):
    codes as positions, lists as bitmasks, IDs as row positions (-1: none)."""
    spec = REGION_TABLES[table]
    out = {}
    for col in spec.columns:
        if col.holds is None:
            out[col.name] = 0  # a District is one county
            continue
        values = df[col.holds]
        vocab = TABLES[table].column(col.holds).vocab
        if col.form == "same":
            out[col.name] = values.to_numpy()
        elif col.form == "zero_none":
            out[col.name] = values.astype("Int64").fillna(0).to_numpy(np.int64)
        elif col.form == "position":
            out[col.name] = pd.Index(vocab.codes).get_indexer(values)
        elif col.form == "mask":
            out[col.name] = code_masks(values.tolist(), vocab.codes)
        elif col.form == "ref":
            target = next(t for c, t, _ in TABLES[table].references if c == col.holds)
            out[col.name] = rows[target].get_indexer(values)
        else:  # unit, community, mentor: the row of that table
            out[col.name] = rows[col.form].get_indexer(values)
    index = pd.Index(df[spec.index], name=spec.index) if spec.index else None
    return pd.DataFrame(out, index=index if index is not None else pd.RangeIndex(len(df)))


def district_neighbours() -> sparse.csr_array:
    """Putuo's units x units (vocabulary order): nonzero where two share a border
    (:data:`~mentormatch.vocab.NEIGHBOURS`).

    >>> int(district_neighbours().nnz)
    38
    """
    return district_borders().copy()


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
