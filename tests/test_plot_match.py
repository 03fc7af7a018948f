"""Charts of plans (mentormatch/plot/match.py)."""

from __future__ import annotations

import pytest
from test_plot_district import check, city, english, real

import mentormatch as mm
from mentormatch.plot import match as charts

CHARTS = [
    "score_matrix",
    "plan_graph",
    "compare_objectives",
    "base_coverage",
    "components",
    "score_distribution",
]


def _draw(name: str, d: mm.District, scores, plans: dict, who: str | None = None):
    """Chart ``name`` of ``plans`` (its first plan where the chart takes one)."""
    plan = next(iter(plans.values()))
    if name == "score_matrix":
        return charts.score_matrix(d, scores, plan)
    if name == "plan_graph":
        return charts.plan_graph(d, plan)
    if name == "compare_objectives":
        return charts.compare_objectives(d, plans)
    if name == "base_coverage":
        return charts.base_coverage(d, plans)
    if name == "score_distribution":
        return charts.score_distribution(d, plans)
    return charts.components(d, plan, who or plan.table["secretary_id"].iloc[0])


@pytest.fixture(scope="module")
def district(sample):
    """The sample's scores and its plans under the three objectives."""
    scores = mm.score_pairs(sample)
    plans = {obj: mm.match(sample, obj, partial=True) for obj in ("total", "fair", "stable")}
    return scores, plans


@pytest.fixture(scope="module")
def large():
    """The city: 1,360 mentees, 272 mentors; its scores and optimal plan."""
    d = city()
    return d, mm.score_pairs(d), {"total": mm.match(d, partial=True)}


@pytest.fixture(scope="module")
def short(sample):
    """Plans on rosters too short: one place per mentor, and none."""
    m = sample.mentors.assign(min_load=None)
    rosters = {
        "one_place_each": sample.replace(mentors=m.assign(capacity=1)),
        "no_place": sample.replace(mentors=m.assign(capacity=0)),
    }
    return {
        key: (d, mm.score_pairs(d), {"total": mm.match(d, partial=True)})
        for key, d in rosters.items()
    }


#: What each chart of the city's plan says in words: how much of it is shown.
AT_CITY_SIZE = {
    "score_matrix": "随机抽取40位带教老师（共272位）",
    "plan_graph": "学员最多的12位带教老师（共272位）",
    "compare_objectives": "1,360名需要带教的书记",
    "base_coverage": "总分最优",
    "components": "（方案）",
    "score_distribution": "结对匹配分的分布",
}


@pytest.mark.parametrize("name", CHARTS)
def test_at_city_size_the_chart_fits_a_page_and_reads_in_chinese(large, name):
    d, scores, plans = large
    mentee = plans["total"].placed["secretary_id"].iloc[0]
    texts = check(lambda: _draw(name, d, scores, plans, mentee), synthetic=True, timed=True)
    assert any(AT_CITY_SIZE[name] in t for t in texts)


@pytest.fixture(scope="module")
def pseudonymous(sample) -> mm.District:
    """The sample not marked synthetic, under pseudonyms: a Chinese name in an English
    title would be the data, not a label."""
    return real(sample).pseudonymized()


#: What each chart of the sample's plans says in English.
IN_ENGLISH = {
    "score_matrix": "Pair scores (white box: planned pairs)",
    "plan_graph": "The plan: each mentor (square) with mentees",
    "compare_objectives": "optimal total",  # a plan's name, not its code "total"
    "base_coverage": "fair (best worst-off)",
    "components": "(plan)",
    "score_distribution": "optimal total",
}


@pytest.mark.parametrize("name", CHARTS)
def test_in_english_and_of_real_data(pseudonymous, district, name):
    scores, plans = district
    mentee = plans["total"].placed["secretary_id"].iloc[0]
    with english():
        texts = check(lambda: _draw(name, pseudonymous, scores, plans, mentee), synthetic=False)
    assert any(IN_ENGLISH[name] in " ".join(t.split()) for t in texts)  # wrapped or not


@pytest.mark.parametrize("name", CHARTS)
def test_rosters_that_place_part_or_nobody_still_draw(short, name):
    for key, (d, scores, plans) in short.items():
        unplaced = plans["total"].table.query("status == 'unplaced'")["secretary_id"].iloc[0]
        texts = check(lambda a=(d, scores, plans, unplaced): _draw(name, *a), synthetic=True)
        if key == "no_place" and name == "plan_graph":
            assert any("方案中无人结对" in t for t in texts)
        if key == "no_place" and name == "compare_objectives":
            assert "—" in texts  # no mean score to show, and no "nan"


@pytest.fixture(scope="module")
def no_bases(small):
    """22 secretaries, 4 mentees, 3 mentors, no base."""
    d = small.replace(bases=None)
    return d, mm.score_pairs(d), {"sequential": mm.match(d, partial=True)}


@pytest.mark.parametrize("name", CHARTS)
def test_small_rosters_and_no_bases(no_bases, name):
    check(lambda: _draw(name, *no_bases), synthetic=True)


def test_the_plan_graph_colours_by_cluster_with_names(sample, district):
    _, plans = district
    labels = sample.secretaries.set_index("secretary_id")["needs_mentor"].astype(int) + 1
    names = {1: "甲类", 2: "乙类"}
    texts = check(
        lambda: charts.plan_graph(sample, plans["total"], clusters=labels, names=names),
        synthetic=True,
    )
    assert "乙类" in texts
    texts = check(
        lambda: charts.plan_graph(sample, plans["total"], clusters=labels), synthetic=True
    )
    assert "第2类" in texts


def test_components_of_an_unknown_secretary_say_so(sample, district):
    _, plans = district
    texts = check(lambda: charts.components(sample, plans["total"], "S999"), synthetic=True)
    assert any("S999" in t for t in texts)


def _crowded_tick_labels(fig) -> list[tuple[str, str]]:
    """Neighbouring x tick labels that read as one: level labels less than half a
    character apart, or slanted ones whose parallel lines are closer than a line's
    height (the distance between their centres times the sine of the slant)."""
    import math

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    crowded = []
    for ax in fig.axes:
        shown = [t for t in ax.get_xticklabels() if t.get_text()]
        for a, b in zip(shown, shown[1:], strict=False):
            box_a, box_b = a.get_window_extent(renderer), b.get_window_extent(renderer)
            size = a.get_fontsize() * fig.dpi / 72  # one character, in pixels
            angle = math.radians(a.get_rotation())
            if angle == 0:
                ok = box_b.x0 - box_a.x1 >= size / 2
            else:
                centres = (box_b.x0 + box_b.x1 - box_a.x0 - box_a.x1) / 2
                ok = centres * math.sin(angle) >= size
            if not ok:
                crowded.append((a.get_text(), b.get_text()))
    return crowded


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_objectives_chart_names_every_plan_legibly(sample, district, lang):
    # The plans' names under five narrow panels must not run into each other.
    _, plans = district
    if lang == "en":
        with english():
            fig = charts.compare_objectives(sample, plans)
    else:
        fig = charts.compare_objectives(sample, plans)
    assert not _crowded_tick_labels(fig)


def test_the_score_distribution_writes_each_mean_apart(sample, district):
    # The three plans' means are within 0.01 of each other on the sample: their labels
    # must still not cover one another.
    _, plans = district
    fig = charts.score_distribution(sample, plans)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    means = [t for t in fig.axes[0].texts if t.get_text().strip()[:2] == "0."]
    assert len(means) == 3
    boxes = [t.get_window_extent(renderer) for t in means]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
