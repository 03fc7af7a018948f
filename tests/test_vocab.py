"""The vocabulary: sizes, labels, parsing, neighbours."""

from __future__ import annotations

import pytest

from mentormatch.schema import LIST_SEPARATORS
from mentormatch.vocab import (
    CHALLENGES,
    COMMUNITY_TYPES,
    DIMENSIONS,
    EDUCATION,
    NEIGHBOURS,
    SOURCES,
    STREET_TOWNS,
    VOCABULARIES,
    type_affinity,
)


def test_sizes():
    assert len(STREET_TOWNS) == 10
    assert len(COMMUNITY_TYPES) == 7
    assert len(CHALLENGES) >= 15
    assert len(DIMENSIONS) == 4
    assert len(SOURCES) == 4
    assert len(EDUCATION) >= 3


def test_required_challenges_present():
    for code in [
        "lift_retrofit",
        "waste_sorting",
        "elderly_alone",
        "owners_committee",
        "old_flat_renovation",
        "facade_repair",
        "parking",
        "group_renting",
        "relocation_disputes",
        "public_order",
        "migrants",
        "collective_economy",
    ]:
        assert code in CHALLENGES


@pytest.mark.parametrize("vocab", list(VOCABULARIES.values()), ids=lambda v: v.name)
def test_every_term_has_labels_and_parses_back(vocab):
    for term in vocab:
        assert term.code.isascii() and term.zh and term.en
        assert not set(term.zh) & set(LIST_SEPARATORS)  # labels survive list cells
        for spelling in (term.code, term.zh, term.en, *term.aliases):
            assert vocab.parse(spelling) == term.code
            assert vocab.parse(f"  {spelling.upper()} ") == term.code


def test_unknown_values_get_a_suggestion():
    assert COMMUNITY_TYPES.parse("商品放") is None
    assert COMMUNITY_TYPES.suggest("商品放") == "commercial"
    assert CHALLENGES.suggest("lift retrofitting") == "lift_retrofit"


def test_variant_spellings():
    assert COMMUNITY_TYPES.parse("老公房小区") == "old_public_housing"
    assert STREET_TOWNS.parse("真如镇街道") == "zhenru"
    assert STREET_TOWNS.parse("桃浦") == "taopu"


def test_neighbours_are_symmetric_and_connected():
    assert set(NEIGHBOURS) == set(STREET_TOWNS.codes)
    for a, near in NEIGHBOURS.items():
        assert a not in near
        for b in near:
            assert a in NEIGHBOURS[b]
    seen, todo = set(), ["caoyang"]
    while todo:
        a = todo.pop()
        if a not in seen:
            seen.add(a)
            todo += sorted(NEIGHBOURS[a])
    assert seen == set(STREET_TOWNS.codes)


def test_type_affinity_is_symmetric_with_unit_diagonal():
    for a in COMMUNITY_TYPES.codes:
        assert type_affinity(a, a) == 1.0
        for b in COMMUNITY_TYPES.codes:
            assert type_affinity(a, b) == type_affinity(b, a)
            assert 0 <= type_affinity(a, b) <= 1


def test_data_readme_holds_the_current_dictionary():
    from conftest import ROOT

    from mentormatch.schema import data_dictionary, vocabulary_tables

    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert data_dictionary() in text, "regenerate the dictionary in data/README.md"
    assert vocabulary_tables() in text
