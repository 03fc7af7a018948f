"""Any valid roster gives a report (issue 10): office workbooks (title rows, merged
headers, notes, Chinese labels) with short capacity, no assessments, no career records,
no constraints, one sub-district, villages only, 20 secretaries.

The rosters are written as an office's own, not synthetic: the report must not call
them synthetic, and must say in a sentence what each missing table would have shown.
"""

from __future__ import annotations

import pytest
from reading import debug_text, images, page, parts, visible
from rosters import SCENARIO_OMIT, SCENARIOS, write_office_roster

import mentormatch as mm
from mentormatch.cli import main

pytestmark = pytest.mark.notebooks
MATRIX = [
    "short_capacity",
    "no_assessments",
    "no_career",
    "no_constraints",
    "one_unit",
    "village_only",
    "tiny",
]


@pytest.fixture(scope="module", params=MATRIX)
def built(request, tmp_path_factory):
    """(scenario, District as loaded, report page, exit code) for each roster."""
    name = request.param
    folder = tmp_path_factory.mktemp(name)
    d = SCENARIOS[name]()
    d = mm.District(**d.tables, synthetic=False)  # an office's roster, not synthetic
    roster = write_office_roster(d, folder / "名册.xlsx", omit=SCENARIO_OMIT.get(name, ()))
    code = main(["report", str(roster), "--out", str(folder / "report")])
    path = folder / "report" / "report.html"
    return name, mm.load_district(roster), page(path) if path.exists() else "", code


def test_report_builds_with_charts_and_no_debug_text(built):
    name, d, html, code = built
    assert code == 0
    found = parts(html)
    assert sorted(found) == ["01", "02", "03", "04", "05", "07", "08"]
    for part in ("01", "02", "03"):
        assert images(found[part]) >= 1, (name, part)
    assert debug_text(html) == {}


def test_real_roster_is_not_called_synthetic(built):
    _, _, html, _ = built
    text = visible(html)
    assert "合成" not in text and "synthetic" not in text.lower()
    assert "名册.xlsx" in text  # the roster's name, never its folder


def test_every_secretary_is_in_the_appendix(built):
    _, d, html, _ = built
    roster = parts(html)["08"]
    missing = [i for i in d.secretaries["secretary_id"] if f">{i}<" not in roster]
    assert missing == []


def test_what_is_missing_is_said_in_a_sentence(built):
    name, d, html, _ = built
    text = visible(html)
    summary = html.split('<section class="mm-summary">', 1)[1].split("</section>", 1)[0]
    if name == "short_capacity":
        short = len(d.mentees) - int(d.mentors["capacity"].sum())
        assert short > 0
        assert f"{short} 名未能结对" in visible(summary)
        assert "增加 1 个名额即可结对" in text  # what would place them
    if name == "no_assessments":
        assert "本节将显示组织力指数" in text
        assert "本节将显示带教对组织力指数的影响" in visible(summary)
        assert "沙龙小组" in visible(summary)  # groups still formed, mentors as leads
    if name == "no_career":
        assert "本节将显示书记留任曲线，但名册中没有履职记录" in text
    if name == "one_unit":
        assert "1 个街镇" in visible(summary)
    if name == "tiny":
        assert "在任书记 20 名" in visible(summary)
