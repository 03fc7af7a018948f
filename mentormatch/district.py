"""The District: one object holding the validated tables of a mentoring programme."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mentormatch.errors import DataError, Problem
from mentormatch.schema import TABLE_ORDER, TABLES, empty_table, validate_tables
from mentormatch.vocab import COMMUNITY_TYPES, STREET_TOWNS

__all__ = ["District", "DEPARTURE_EVENTS", "name_codes", "scrub", "COMMUNITY_SUFFIXES"]

#: Career events after which a secretary is no longer in post.
DEPARTURE_EVENTS = ("left", "civil_servant")

_validate = contextvars.ContextVar("mentormatch_validate_district", default=True)


@contextlib.contextmanager
def _trusted() -> Iterator[None]:
    """Construct Districts without validating again (the caller just did, with row info)."""
    token = _validate.set(False)
    try:
        yield
    finally:
        _validate.reset(token)


@dataclass(frozen=True, eq=False)
class District:
    """The validated tables of one district's mentoring programme.

    Construct it from DataFrames (columns as in ``data/README.md``), with
    :func:`mentormatch.load_district`, or with :func:`mentormatch.synthesize_district`.
    Construction puts columns in their documented order and dtypes, fills optional
    columns and tables, and raises :class:`~mentormatch.DataError` listing every problem.

    Two Districts are equal when all their tables are equal. ``synthetic`` marks data
    made by :func:`mentormatch.synthesize_district`; every chart of it says so.
    ``warnings`` holds what :func:`mentormatch.load_district` had to guess
    (:class:`~mentormatch.Problem` records with ``text(lang)``); it is not part of
    equality, and :meth:`replace` and :meth:`pseudonymized` carry it.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> len(d.in_post)
    282
    >>> d == mm.synthesize_district(seed=1)
    True
    """

    secretaries: pd.DataFrame
    mentors: pd.DataFrame
    bases: pd.DataFrame | None = None
    assessments: pd.DataFrame | None = None
    constraints: pd.DataFrame | None = None
    career: pd.DataFrame | None = None
    sessions: pd.DataFrame | None = None
    findings: pd.DataFrame | None = None
    salon_records: pd.DataFrame | None = None
    training_log: pd.DataFrame | None = None
    #: Made by the synthesizer (saved as a marker beside the tables): charts say so.
    synthetic: bool = False
    #: Values the loader read by guessing, as warnings (not part of equality).
    warnings: tuple[Problem, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "warnings", tuple(self.warnings))
        tables = {}
        for name in TABLE_ORDER:
            table = _canonical(name, getattr(self, name))
            object.__setattr__(self, name, table)
            tables[name] = table
        if _validate.get():
            problems = validate_tables(tables)
            if problems:
                raise DataError(problems)

    # --- equality and access -------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, District):
            return NotImplemented
        return all(_frames_equal(getattr(self, n), getattr(other, n)) for n in TABLE_ORDER)

    __hash__ = None  # type: ignore[assignment]

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Table name -> DataFrame, in the documented order."""
        return {name: getattr(self, name) for name in TABLE_ORDER}

    def replace(self, **tables: pd.DataFrame) -> District:
        """A new District with some tables replaced (validated again); the loader's
        warnings are carried."""
        return District(
            **{**self.tables, **tables}, synthetic=self.synthetic, warnings=self.warnings
        )

    def pseudonymized(self) -> District:
        """The same District with no person and no community named: names of
        secretaries and mentors, of communities and of practice bases (which carry
        their community's name) are replaced by stable codes.

        With one secretary per community, a community's name identifies its secretary,
        so it goes too, and so do the roster's notes (free text). A code depends only on
        the ID (a one-way hash), so it is the same in every run and every output, and
        cannot be turned back into the name.
        The loader's warnings are kept, without the text of the rows they quote.
        Findings' notes go; the salon's records keep their text with every name of a
        person, community or base in the roster replaced by its code.

        >>> import mentormatch as mm
        >>> d = mm.synthesize_district(seed=1).pseudonymized()
        >>> bool(d.secretaries["name"].str.match(r"^S-[0-9A-F]{6}$").all())
        True
        >>> bool(d.secretaries["community_name"].str.match(r"^C-[0-9A-F]{6}$").all())
        True
        """
        s = self.secretaries
        community_key = s["community_id"].where(s["community_id"].notna(), s["community_name"])
        # Notes are free text that may name anyone: they go.
        secretaries = s.assign(
            name=s["secretary_id"].map(lambda i: _code("S", i)),
            community_name=community_key.map(lambda i: _code("C", i)),
            note=pd.Series(np.nan, index=s.index, dtype="str"),
        )
        mentors = self.mentors.assign(
            name=self.mentors["mentor_id"].map(lambda i: _code("M", i)),
            note=pd.Series(np.nan, index=self.mentors.index, dtype="str"),
        )
        bases = self.bases.assign(name=self.bases["base_id"].map(lambda i: _code("B", i)))
        # Findings' notes are free text too; the salon's records are what the casebook
        # compiles, so they stay, with every name of the roster in them replaced.
        findings = self.findings.assign(
            note=pd.Series(np.nan, index=self.findings.index, dtype="str")
        )
        codes = name_codes(self, secretaries, mentors, bases)
        records = self.salon_records.assign(text=scrub(self.salon_records["text"], codes))
        with _trusted():
            d = self.replace(
                secretaries=secretaries,
                mentors=mentors,
                bases=bases,
                findings=findings,
                salon_records=records,
            )
        # A skipped row may quote a name ("填表人：张三"); other warnings quote spellings
        # of terms and headers.
        quiet = tuple(w.without_value() if w.kind == "skipped_row" else w for w in d.warnings)
        object.__setattr__(d, "warnings", quiet)
        return d

    # --- derived views -------------------------------------------------------------

    @property
    def departed(self) -> pd.Series:
        """Boolean Series (aligned with ``secretaries``): has left the post."""
        gone = set(self.career.loc[self.career["event"].isin(DEPARTURE_EVENTS), "secretary_id"])
        return self.secretaries["secretary_id"].isin(gone)

    @property
    def in_post(self) -> pd.DataFrame:
        """Secretaries still in post (no departure event in the career table)."""
        return self.secretaries[~self.departed.to_numpy()]

    @property
    def mentees(self) -> pd.DataFrame:
        """Secretaries in post who need a mentor."""
        s = self.secretaries
        return s[s["needs_mentor"].to_numpy() & ~self.departed.to_numpy()]

    def summary(self, lang: str = "en") -> str:
        """A short text summary: sizes, counts by sub-district and community type, in
        ``lang`` ("en" or "zh")."""
        zh = lang == "zh"
        s = self.secretaries
        post = self.in_post
        a = self.assessments
        waves = f"{int(a['wave'].min())}-{int(a['wave'].max())}" if len(a) else ""
        if zh:
            lines = [
                f"书记 {len(s)} 名（在任 {len(post)} 名，已离任 {len(s) - len(post)} 名）；"
                f"需要带教 {len(self.mentees)} 名",
                f"带教老师 {len(self.mentors)} 名"
                f"（名额 {int(self.mentors['capacity'].sum())} 个）；"
                f"实训基地 {len(self.bases)} 个（容量 {int(self.bases['capacity'].sum())}）",
                f"测评记录 {len(a)} 条" + (f"（{waves} 年度）" if waves else ""),
                f"结对约束 {len(self.constraints)} 条；履职变动 {len(self.career)} 条",
                f"培训课程 {len(self.sessions)} 个（签到 {len(self.training_log)} 条）；"
                f"督查发现 {len(self.findings)} 条；沙龙记录 {len(self.salon_records)} 条",
            ]
        else:
            lines = [
                f"secretaries: {len(s)} ({len(post)} in post, {len(s) - len(post)} departed); "
                f"need a mentor: {len(self.mentees)}",
                f"mentors: {len(self.mentors)} (capacity {int(self.mentors['capacity'].sum())}); "
                f"practice bases: {len(self.bases)} (capacity {int(self.bases['capacity'].sum())})",
                f"assessments: {len(a)} rows" + (f", waves {waves}" if waves else ""),
                f"constraints: {len(self.constraints)}; career events: {len(self.career)}",
                f"training sessions: {len(self.sessions)} (attendance {len(self.training_log)}); "
                f"findings: {len(self.findings)}; salon records: {len(self.salon_records)}",
            ]
        by_unit = post.groupby("street_town").size()
        need_unit = self.mentees.groupby("street_town").size()
        lines.append(
            "各街镇在任书记（其中需要带教）："
            if zh
            else "in post by sub-district/town (need a mentor):"
        )
        for term in STREET_TOWNS:
            if term.code in by_unit.index:
                label = _pad(term.zh, 12) if zh else f"{term.zh:<8} {term.en:<18}"
                lines.append(
                    f"  {label} {int(by_unit[term.code]):>5} ({int(need_unit.get(term.code, 0))})"
                )
        by_type = post.groupby("community_type").size()
        lines.append("各小区类型在任书记：" if zh else "in post by community type:")
        for term in COMMUNITY_TYPES:
            if term.code in by_type.index:
                label = _pad(term.zh, 16) if zh else f"{term.zh:<10} {term.en:<40}"
                lines.append(f"  {label} {int(by_type[term.code]):>5}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{n}={len(getattr(self, n))}" for n in TABLE_ORDER)
        return f"District({sizes})"


def _pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` columns of a terminal (a Chinese
    character takes two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


#: Endings a text may leave off a community's name (同济沪西居民区 -> 同济沪西): the
#: shorter name is replaced too.
COMMUNITY_SUFFIXES = ("居民区", "居委会", "社区", "小区", "村")


def name_codes(
    d: District,
    secretaries: pd.DataFrame | None = None,
    mentors: pd.DataFrame | None = None,
    bases: pd.DataFrame | None = None,
) -> dict[str, str]:
    """Every name :meth:`District.pseudonymized` replaces, mapped to its code: the
    secretaries', mentors' and practice bases' names and the communities' names (with
    and without an ending of :data:`COMMUNITY_SUFFIXES`). Names shorter than two
    characters are left alone (one character would be replaced everywhere); a name
    written twice keeps the code of its first row. ``secretaries``, ``mentors`` and
    ``bases`` are the coded tables, when the caller has them.

    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> codes = name_codes(d)
    >>> codes[d.secretaries["name"].iloc[0]] == d.pseudonymized().secretaries["name"].iloc[0]
    True
    """
    if secretaries is None or mentors is None or bases is None:
        coded = d.pseudonymized()
        secretaries, mentors, bases = coded.secretaries, coded.mentors, coded.bases
    pairs = [
        *zip(d.secretaries["name"], secretaries["name"], strict=True),
        *zip(d.mentors["name"], mentors["name"], strict=True),
        *zip(d.bases["name"], bases["name"], strict=True),
        *zip(d.secretaries["community_name"], secretaries["community_name"], strict=True),
    ]
    out: dict[str, str] = {}
    for name, code in pairs:
        if isinstance(name, str) and len(name.strip()) >= 2 and isinstance(code, str):
            out.setdefault(name.strip(), code)
    for name, code in zip(
        d.secretaries["community_name"], secretaries["community_name"], strict=True
    ):
        if not isinstance(name, str):
            continue
        for suffix in COMMUNITY_SUFFIXES:
            stem = name.strip().removesuffix(suffix)
            if stem != name.strip() and len(stem) >= 2:
                out.setdefault(stem, code)
    return out


def scrub(texts: pd.Series, codes: dict[str, str]) -> pd.Series:
    """``texts`` with every key of ``codes`` found in them replaced by its value, the
    longest names first (a community called 同济沪西 before a person called 同济).

    >>> scrub(pd.Series(["张丽在同心居民区", "无"]), {"张丽": "S-1", "同心居民区": "C-2"}).tolist()
    ['S-1在C-2', '无']
    """
    names = sorted(
        (k for k in codes if isinstance(k, str) and k.strip()), key=lambda n: (-len(n), n)
    )
    if not names or texts.empty:
        return texts
    pattern = re.compile("|".join(re.escape(n) for n in names))
    return texts.map(
        lambda t: pattern.sub(lambda m: codes[m.group(0)], t) if isinstance(t, str) else t
    )


def _code(prefix: str, key: str) -> str:
    digest = hashlib.blake2s(f"{prefix}:{key}".encode(), digest_size=3).hexdigest().upper()
    return f"{prefix}-{digest}"


def _frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    for col in a.columns:
        x, y = a[col], b[col]
        if x.dtype != y.dtype:
            return False
        if x.dtype == object:
            # Missing cells (NaN, which is not equal to itself) match missing cells.
            gone_x, gone_y = x.isna().to_numpy(), y.isna().to_numpy()
            if (gone_x != gone_y).any() or x[~gone_x].tolist() != y[~gone_y].tolist():
                return False
        elif not x.reset_index(drop=True).equals(y.reset_index(drop=True)):
            return False
    return True


def _canonical(name: str, df: pd.DataFrame | None) -> pd.DataFrame:
    """Columns in documented order and dtype; optional ones added; unknown ones dropped.

    Values that cannot take the documented dtype are left as they are, for validation
    to report with their row.
    """
    spec = TABLES[name]
    if df is None:
        return empty_table(name)
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"the {name} table must be a pandas DataFrame, not {type(df).__name__}")
    df = df.reset_index(drop=True)
    out = {}
    empty = empty_table(name)
    for col in spec.columns:
        if col.name not in df.columns:
            if col.required:
                continue  # reported by validation
            out[col.name] = _filled_default(col, len(df), empty[col.name])
            continue
        out[col.name] = _coerce(df[col.name], col)
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))


def _filled_default(col, n: int, template: pd.Series) -> pd.Series:
    if col.kind in ("vocab_list", "id_list"):
        return pd.Series([()] * n, dtype=object)
    if not n:
        return template
    if template.dtype == object:  # text on pandas 2: missing as NaN, as pandas 3's str
        return pd.Series([np.nan] * n, dtype=object)
    return pd.Series([None] * n, dtype=template.dtype)


def _coerce(series: pd.Series, col) -> pd.Series:
    target = col.dtype
    if target is object:
        return pd.Series(
            [tuple(v) if isinstance(v, (list, tuple, np.ndarray)) else v for v in series],
            dtype=object,
        )
    try:
        if target in ("int64", "Int64"):
            numeric = pd.to_numeric(series, errors="raise")
            if series.isna().any() or target == "Int64":
                return numeric.astype("Int64")
            return numeric.astype("int64")
        if target == "float64":
            return pd.to_numeric(series, errors="raise").astype("float64")
        if target == "bool":
            if series.map(lambda v: isinstance(v, (bool, np.bool_))).all():
                return series.astype(bool)
            return series
        # Missing stays missing: on pandas 2, astype("str") writes NaN and None as the
        # text 'nan' and 'None' (pandas 3 keeps them missing).
        missing = series.isna()
        text = series.astype("str")
        return text.where(~missing, np.nan) if missing.any() else text
    except (TypeError, ValueError, OverflowError):
        return series
