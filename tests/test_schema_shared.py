"""One schema for both containers: the same bad value is refused by a District (text
codes) and a Region (integer codes) in the same words, and a Region built from
District-style tables is the Region of the District."""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse

import mentormatch as mm
import mentormatch.region as region_module
from mentormatch.region import Region
from mentormatch.schema import REGION_TABLES, TABLES, region_correspondence

# A district with no departed secretaries: its tables and its Region's have the same
# rows in the same order, so that a problem has the same row number in both.
DISTRICT = mm.synthesize_district(seed=3, departed_share=0.0, assessments=False)
REGION = Region.from_district(DISTRICT)

#: (table, column) of every range rule that both containers hold as the same number.
RANGED = [
    (table, c.name, c.holds)
    for table, spec in REGION_TABLES.items()
    if table in TABLES
    for c in spec.columns
    if c.form in ("same", "zero_none")
    and TABLES[table].column(c.holds).kind in ("int", "year", "float", "share")
]


def _region_tables(**changed: pd.DataFrame) -> dict:
    tables = {
        name: getattr(REGION, name)
        for name in ("secretaries", "mentors", "bases", "units", "neighbours", "prior")
    }
    return {**tables, "constraints": REGION.constraints, **changed}


def _refused_by_district(**tables: pd.DataFrame) -> list[mm.Problem]:
    with pytest.raises(mm.DataError) as err:
        DISTRICT.replace(**tables)
    return list(err.value.problems)


def _refused_by_region(**tables: pd.DataFrame) -> list[mm.Problem]:
    with pytest.raises(mm.DataError) as err:
        Region(**_region_tables(**tables))
    return list(err.value.problems)


def _at(problems: list[mm.Problem], row: int, column: str) -> mm.Problem:
    return next(p for p in problems if p.row == row and p.column == column)


@st.composite
def out_of_range(draw):
    """A (table, column, row, value) with the value outside the column's range."""
    table, column, _ = draw(st.sampled_from(RANGED))
    col = TABLES[table].column(column)
    whole = col.kind in ("int", "year")
    sides = [s for s, bound in (("low", col.low), ("high", col.high)) if bound is not None]
    side = draw(st.sampled_from(sides))
    step = draw(st.integers(1, 500) if whole else st.floats(0.01, 50, allow_nan=False))
    # Never 0 for min_load and mentored_since: below 0 and below 2000 (in a Region 0
    # stands for their empty cell).
    value = col.low - step if side == "low" else col.high + step
    row = draw(st.integers(0, len(getattr(DISTRICT, table)) - 1))
    return table, column, row, int(value) if whole else float(value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(out_of_range())
def test_a_value_out_of_range_is_refused_by_both_in_the_same_words(case):
    table, column, row, value = case
    frame = getattr(DISTRICT, table).copy()
    frame.iloc[row, frame.columns.get_loc(column)] = value
    ours = _at(_refused_by_district(**{table: frame}), row + 2, column)
    codes = getattr(REGION, table).copy()
    codes.iloc[row, codes.columns.get_loc(column)] = value
    theirs = _at(_refused_by_region(**{table: codes}), row + 2, column)
    assert ours.value == theirs.value == value
    for lang in ("en", "zh"):
        assert ours.fields(lang) == theirs.fields(lang)
        assert ours.text(lang) == theirs.text(lang)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, len(DISTRICT.mentors) - 1), st.integers(1, 9))
def test_a_min_load_above_the_capacity_is_refused_by_both_in_the_same_words(row, more):
    capacity = int(DISTRICT.mentors["capacity"].iloc[row])
    mentors = DISTRICT.mentors.copy()
    mentors.loc[row, "min_load"] = capacity + more
    ours = _at(_refused_by_district(mentors=mentors), row + 2, "min_load")
    codes = REGION.mentors.copy()
    codes.iloc[row, codes.columns.get_loc("min_load")] = capacity + more
    theirs = _at(_refused_by_region(mentors=codes), row + 2, "min_load")
    assert f"capacity ({capacity})" in ours.expected
    for lang in ("en", "zh"):
        assert ours.text(lang) == theirs.text(lang)


#: Rows whose year of appointment can be in range (from 1980) and yet before the age of 18.
BORN_LATE = [i for i, y in enumerate(DISTRICT.secretaries["birth_year"]) if y + 17 >= 1980]


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(BORN_LATE), st.integers(1, 17))
def test_an_appointment_before_the_age_of_18_is_refused_by_both_in_the_same_words(row, age):
    birth = int(DISTRICT.secretaries["birth_year"].iloc[row])
    year = max(birth + age, 1980)
    secretaries = DISTRICT.secretaries.copy()
    secretaries.loc[row, "appointed_year"] = year
    ours = _at(_refused_by_district(secretaries=secretaries), row + 2, "appointed_year")
    codes = REGION.secretaries.copy()
    codes.iloc[row, codes.columns.get_loc("appointed_year")] = year
    theirs = _at(_refused_by_region(secretaries=codes), row + 2, "appointed_year")
    assert f"birth year ({birth})" in ours.expected
    for lang in ("en", "zh"):
        assert ours.text(lang) == theirs.text(lang)


def _rules(secretaries: list[int], mentors: list[int], rules: list[str]):
    """The same rules as a District writes them (IDs) and a Region (positions)."""
    district = pd.DataFrame(
        {
            "secretary_id": DISTRICT.secretaries["secretary_id"].to_numpy()[secretaries],
            "mentor_id": DISTRICT.mentors["mentor_id"].to_numpy()[mentors],
            "rule": rules,
        }
    )
    region = pd.DataFrame({"secretary": secretaries, "mentor": mentors, "rule": rules})
    return district, region


@pytest.mark.parametrize(
    ("secretaries", "mentors", "rules", "column", "phrase"),
    [
        ([0, 0], [0, 1], ["keep", "keep"], "secretary", "at most one pair to keep"),
        ([0, 0], [1, 1], ["keep", "forbid"], "secretary", "unique combination"),
        ([0], [0], ["maybe"], "rule", "one of forbid"),
    ],
)
def test_a_bad_rule_is_refused_by_both_in_the_same_words(
    secretaries, mentors, rules, column, phrase
):
    district, region = _rules(secretaries, mentors, rules)
    ours = _refused_by_district(constraints=district)
    theirs = _refused_by_region(constraints=region)
    assert len(ours) == len(theirs) == 1
    (a,), (b,) = ours, theirs
    assert phrase in a.expected and (a.row, a.kind) == (b.row, b.kind)
    assert a.column == ("secretary_id" if column == "secretary" else column)
    assert b.column == column
    for lang in ("en", "zh"):
        assert a.fields(lang)["expected"] == b.fields(lang)["expected"]
        assert a.fields(lang)["suggestion"] == b.fields(lang)["suggestion"]


def test_an_unknown_reference_is_refused_by_both():
    n = len(DISTRICT.secretaries)
    district, _ = _rules([0, 0, 0], [0, 1, 2], ["forbid"] * 3)
    district["secretary_id"] = "S999"
    region = pd.DataFrame({"secretary": [n + 5] * 3, "mentor": [0, 1, 2], "rule": ["forbid"] * 3})
    (a,) = _refused_by_district(constraints=district)
    (b,) = _refused_by_region(constraints=region)
    assert a.kind == b.kind == "reference" and a.row == b.row == 2
    assert "also on 2 more rows" in a.expected and "also on 2 more rows" in b.expected
    assert f"0 to {n - 1}" in b.expected


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("community_type", 9, "community_type codes"),
        ("education", -1, "education codes"),
        ("challenges", 1 << 30, "bitmask of the 24 challenge codes"),
        ("unit", 10, "unit number from 0 to 9"),
        ("previous_mentor", -2, "mentor position"),
    ],
)
def test_a_code_out_of_its_vocabulary_is_refused_in_the_districts_terms(column, value, words):
    codes = REGION.secretaries.copy()
    codes.iloc[4, codes.columns.get_loc(column)] = value
    (p,) = _refused_by_region(secretaries=codes)
    assert (p.source, p.row, p.column, p.value) == ("secretaries", 6, column, value)
    assert words in p.expected and p.expected_zh and p.suggestion_zh
    assert p.text("zh").startswith("「书记」表第 6 行")


def test_values_are_judged_before_they_are_narrowed():
    # 70,000 would wrap round in the Region's int16 to 4,464: still refused as a year.
    codes = REGION.secretaries.assign(birth_year=REGION.secretaries["birth_year"].astype(int))
    codes.iloc[0, codes.columns.get_loc("birth_year")] = 70_000
    (p,) = _refused_by_region(secretaries=codes)
    assert p.value == 70_000 and "from 1940 to 2010" in p.expected


def test_region_from_district_style_tables_is_the_region_of_the_district(sample):
    built = Region.from_tables(sample.tables, synthetic=sample.synthetic)
    expected = Region.from_district(sample)
    for name in ("secretaries", "mentors", "bases", "units", "constraints"):
        pd.testing.assert_frame_equal(getattr(built, name), getattr(expected, name))
    assert (built.prior != expected.prior).nnz == 0
    assert (built.neighbours != expected.neighbours).nnz == 0
    assert built.synthetic and len(built.mentees) == len(sample.mentees)


def test_region_from_tables_refuses_what_a_district_refuses(small):
    mentors = small.mentors.copy()
    mentors.loc[1, "capacity"] = -3
    secretaries = small.secretaries.copy()
    secretaries.loc[2, "street_town"] = "atlantis"
    tables = {**small.tables, "mentors": mentors, "secretaries": secretaries}
    with pytest.raises(mm.DataError) as district:
        mm.District(**tables)
    with pytest.raises(mm.DataError) as region:
        Region.from_tables(tables)
    assert region.value.message("zh") == district.value.message("zh")
    with pytest.raises(mm.DataError, match="a table named one of"):
        Region.from_tables({**small.tables, "visits": small.mentors})


def test_a_nation_is_checked_in_well_under_a_second_or_two():
    big = {name: getattr(REGION, name) for name in REGION_TABLES}
    reps = 600_000 // len(REGION.secretaries) + 1
    secretaries = pd.concat([REGION.secretaries] * reps, ignore_index=True)
    n = len(secretaries)
    prior = sparse.vstack([REGION.prior] * reps, format="csr")
    big["secretaries"] = secretaries
    start = time.perf_counter()
    typed, problems = region_module.check_region(big, REGION.neighbours, prior)
    took = time.perf_counter() - start
    assert problems == [] and len(typed["secretaries"]) == n
    # Well under a second on an idle machine; the bound leaves room for a loaded one.
    assert took < 3.0, took


def _documented_pairs(text: str) -> set[tuple[str, str]]:
    """(District column, Region column) pairs of the table in the region docstring."""
    pairs = set()
    for line in text.splitlines():
        m = re.match(r"^(\w+\.\w+|\(vocab\.NEIGHBOURS\))\s{2,}(\w+(?:[. ]\w+)?)\s{2,}", line)
        if m:
            pairs.add((m.group(1), m.group(2)))
    return pairs


def test_the_correspondence_of_names_is_documented_as_declared():
    pairs = _documented_pairs(region_module.__doc__)
    assert len(pairs) > 15
    declared = set()
    for name, spec in REGION_TABLES.items():
        if spec.index:
            declared.add((f"{name}.{spec.index}", f"{name} index"))
        for c in spec.columns:
            if c.holds is not None and c.holds != c.name:
                declared.add((f"{name}.{c.holds}", f"{name}.{c.name}"))
    # Every renamed column is in the table, and everything in it is declared so.
    assert declared <= pairs
    matrices = {("secretaries.prior_communities", "prior"), ("(vocab.NEIGHBOURS)", "neighbours")}
    for district, region in pairs - declared - matrices:
        table, column = region.split(".")
        spec = next(c for c in REGION_TABLES[table].columns if c.name == column)
        assert f"{table}.{spec.holds}" == district
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert region_correspondence() in readme, "regenerate data/README.md"
