"""Charts of a District (mentormatch/plot/district.py).

This module also holds what every chart test checks (``check``): the figure stays
within a page, draws, and shows a reader labels in the chosen language: no codes, no
``nan``, no Python reprs, a title in that language, the synthetic note iff the data
are synthetic. The other ``test_plot_*`` modules import these helpers, and share one
city-size District (:func:`city`), built once per test session.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.plot import SYNTHETIC_NOTE, language, set_language
from mentormatch.plot import district as charts
from mentormatch.vocab import VOCABULARIES

CHARTS = ["birth_years", "education", "community_types", "challenges", "by_street_town"]

#: Every code of the vocabulary: none may reach a reader.
CODES = frozenset(term.code for vocabulary in VOCABULARIES.values() for term in vocabulary)
_JOINED_CODES = tuple(sorted(c for c in CODES if "_" in c))
_RAW = re.compile(r"\bnan\b|\bNone\b|\bNaT\b|<NA>|\('|\['")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: A page: no chart may be larger (inches).
MAX_WIDTH, MAX_HEIGHT = 11.0, 14.0
#: Seconds one chart may take at city size, drawing included (generous: shared machines).
MAX_SECONDS = 10.0


@functools.cache
def city() -> mm.District:
    """A city of 6,000 secretaries, built once for all plot tests."""
    return mm.synthesize_district(seed=3, n_secretaries=6000, n_mentors=272, n_bases=428)


@contextmanager
def english() -> Iterator[None]:
    """Charts in English inside the block; Chinese again after it."""
    set_language("en")
    try:
        yield
    finally:
        set_language("zh")


def real(d: mm.District) -> mm.District:
    """The same tables, not marked synthetic."""
    return mm.District(**d.tables, synthetic=False)


def only(d: mm.District, keep: pd.Series) -> mm.District:
    """The District of the secretaries where ``keep`` holds, with their records."""
    s = d.secretaries[keep.to_numpy()]
    ids = set(s["secretary_id"])
    tables = {
        name: getattr(d, name)[getattr(d, name)["secretary_id"].isin(ids)]
        for name in ("assessments", "career", "constraints", "training_log", "findings")
    }
    r = d.salon_records
    tables["salon_records"] = r[r["secretary_id"].isin(ids) | r["secretary_id"].isna()]
    return d.replace(secretaries=s, **tables)


def drawn_texts(fig: plt.Figure) -> list[str]:
    """Every text a reader sees on the drawn figure: titles, axis and tick labels,
    texts and annotations, legends, figure texts (tick labels of hidden axes are not
    drawn, so not counted)."""
    fig.canvas.draw()
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_title(loc) for loc in ("left", "center", "right")]
        out += [t.get_text() for t in ax.texts]
        if ax.axison:
            out += [ax.get_xlabel(), ax.get_ylabel()]
            ticks = ax.get_xticklabels() + ax.get_yticklabels()
            out += [t.get_text() for t in ticks if t.get_visible()]
        legend = ax.get_legend()
        if legend is not None:
            out += [t.get_text() for t in legend.get_texts()] + [legend.get_title().get_text()]
    for legend in fig.legends:
        out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


def main_title(fig: plt.Figure) -> str:
    """The figure's title, or else its first axes title."""
    if fig.get_suptitle():
        return fig.get_suptitle()
    for ax in fig.axes:
        for loc in ("center", "left"):
            if ax.get_title(loc):
                return ax.get_title(loc)
    return ""


def check(make: Callable[[], plt.Figure], *, synthetic: bool, timed: bool = False) -> list[str]:
    """Make a chart, draw it, check it as a reader would, close it; its texts."""
    start = time.perf_counter()
    fig = make()
    try:
        assert isinstance(fig, plt.Figure)
        texts = drawn_texts(fig)
        seconds = time.perf_counter() - start
        width, height = fig.get_size_inches()
        assert width <= MAX_WIDTH and height <= MAX_HEIGHT, (width, height)
        if timed:
            assert seconds < MAX_SECONDS, f"{seconds:.1f} s"
        for t in texts:
            assert t not in CODES, f"a code on the chart: {t!r}"
            assert not _RAW.search(t), f"raw text on the chart: {t!r}"
            assert not any(code in t for code in _JOINED_CODES), f"a code in {t!r}"
        title = main_title(fig)
        assert title, "every chart has a title"
        if language() == "zh":
            assert _CJK.search(title), title
        else:
            assert not _CJK.search(title), title
        assert (SYNTHETIC_NOTE[language()] in texts) == synthetic
        other = SYNTHETIC_NOTE["en" if language() == "zh" else "zh"]
        assert other not in texts
        return texts
    finally:
        plt.close(fig)


# --- the charts of this module ----------------------------------------------------------


@pytest.fixture(scope="module")
def rosters(sample, small) -> dict[str, mm.District]:
    """Partial rosters: one town, villages only, nobody left in post."""
    everyone_left = pd.DataFrame(
        {"secretary_id": small.secretaries["secretary_id"], "event": "left", "year": 2024}
    )
    return {
        "one_town": only(sample, sample.secretaries["street_town"] == "taopu"),
        "villages": only(sample, sample.secretaries["community_type"] == "village"),
        "nobody_in_post": small.replace(career=everyone_left),
    }


@pytest.mark.parametrize("name", CHARTS)
def test_at_city_size_the_chart_fits_a_page_and_reads_in_chinese(name):
    d = city()
    texts = check(lambda: getattr(charts, name)(d), synthetic=True, timed=True)
    assert any("6,000" in t for t in texts), "the title counts the secretaries"


@pytest.fixture(scope="module")
def real_sample(sample) -> mm.District:
    return real(sample)


#: What each chart of the sample says in English: labels, not codes; shares as such.
IN_ENGLISH = {
    "birth_years": "born 1980 or later (28%)",
    "education": "Bachelor's degree",
    "community_types": "Former public flats sold to tenants",
    "challenges": "35.5%",  # ageing, named by 100 of 282; and the axis reads "10%"
    "by_street_town": "Caoyang Xincun",
}


@pytest.mark.parametrize("name", CHARTS)
def test_in_english_and_of_real_data(real_sample, name):
    with english():
        texts = check(lambda: getattr(charts, name)(real_sample), synthetic=False)
    assert IN_ENGLISH[name] in {t.strip() for t in texts}
    if name == "challenges":
        assert "10%" in texts


@pytest.mark.parametrize("name", CHARTS)
def test_a_tiny_roster_still_draws(rosters, name):
    # Three village secretaries: fewer than any district, and only one community type.
    check(lambda: getattr(charts, name)(rosters["villages"]), synthetic=True)


@pytest.mark.parametrize("name", CHARTS)
def test_with_nobody_in_post_the_chart_says_so(rosters, name):
    d = rosters["nobody_in_post"]
    assert d.in_post.empty
    texts = check(lambda: getattr(charts, name)(d), synthetic=True)
    assert "名册中没有在任书记" in texts


def test_one_town_only_shows_that_town(rosters):
    texts = check(lambda: charts.by_street_town(rosters["one_town"]), synthetic=True)
    assert "桃浦镇" in texts and "曹杨新村街道" not in texts
