"""The salon's topic plan (mentormatch/groups/topics.py).

The rhythm of challenges and dimensions is tested on the sample without its findings
(``quiet``); the findings-first order on the sample with findings planted by hand.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch import DataError
from mentormatch.assess import capacity_index
from mentormatch.groups.topics import TOPIC_COLUMNS, topic_plan
from mentormatch.vocab import CHALLENGES, DIMENSIONS


def _shares(d: mm.District) -> pd.Series:
    post = d.in_post
    counts = Counter(code for named in post["challenges"] for code in set(named))
    return pd.Series(counts, dtype=float) / len(post)


def _dimension_means(d: mm.District) -> pd.Series:
    ci = capacity_index(d)
    ci = ci[ci["secretary_id"].isin(d.in_post["secretary_id"])]
    latest = ci.sort_values("wave").groupby("secretary_id").tail(1)
    return latest[list(DIMENSIONS.codes)].mean()


@pytest.fixture(scope="module")
def quiet(sample) -> mm.District:
    """The sample without inspection findings: the plan as it was before findings."""
    return sample.replace(findings=sample.findings.iloc[0:0])


@pytest.fixture(scope="module")
def plan(quiet):
    return topic_plan(quiet)


def test_a_year_of_topics_without_repeats(plan):
    assert list(plan.columns) == TOPIC_COLUMNS
    assert plan["month"].tolist() == list(range(1, 13))
    assert plan["topic"].is_unique
    assert (plan["round"] == 1).all()


def test_every_third_month_takes_a_dimension(plan):
    kinds = plan.set_index("month")["kind"]
    assert kinds[[3, 6, 9, 12]].eq("dimension").all()
    assert kinds.drop([3, 6, 9, 12]).eq("challenge").all()


def test_challenges_follow_frequency(quiet, plan):
    shares = _shares(quiet)
    ch = plan[plan["kind"] == "challenge"]
    # The most frequent challenges, most frequent first (ties in vocabulary order).
    ranked = sorted(shares.index, key=lambda c: (-shares[c], CHALLENGES.codes.index(c)))
    assert ch["topic"].tolist() == ranked[: len(ch)]
    assert ch["share"].to_numpy() == pytest.approx(shares[ch["topic"]].to_numpy())
    assert (np.diff(ch["share"].to_numpy()) <= 0).all()
    assert ch["rank"].tolist() == list(range(1, len(ch) + 1))
    first = ch.iloc[0]
    assert first["topic"] == "ageing"
    assert first["why_en"].startswith(f"named by {first['share']:.0%} of secretaries in post")


def test_dimensions_weakest_first(quiet, plan):
    means = _dimension_means(quiet)
    dims = plan[plan["kind"] == "dimension"]
    assert dims["topic"].tolist() == means.sort_values(kind="stable").index.tolist()
    assert dims["mean_score"].to_numpy() == pytest.approx(means[dims["topic"]].to_numpy())
    assert "mean score" in dims["why_en"].iloc[0]


def test_labels_come_from_the_vocabulary(plan):
    for _, row in plan.iterrows():
        vocab = CHALLENGES if row["kind"] == "challenge" else DIMENSIONS
        assert (row["label_zh"], row["label_en"]) == (
            vocab[row["topic"]].zh,
            vocab[row["topic"]].en,
        )


def test_no_repeat_before_the_list_is_used_up(quiet):
    # Two dimensions at most and challenges named by a quarter: a short list.
    plan = topic_plan(quiet, months=30, min_share=0.25)
    n_challenges = int((_shares(quiet) >= 0.25).sum())
    length = n_challenges + len(DIMENSIONS)
    first = plan["topic"].iloc[:length]
    assert first.is_unique
    assert set(first) == set(plan["topic"])
    # Then the list starts again, in the same order.
    assert plan["topic"].iloc[length : 2 * length].tolist() == first.tolist()[: 30 - length]
    assert plan["round"].iloc[length] == 2


def test_challenges_only(quiet):
    plan = topic_plan(quiet, dimension_every=None)
    assert (plan["kind"] == "challenge").all()
    assert plan["topic"].is_unique


def test_dimensions_first_when_every_month_asks_for_one(quiet):
    plan = topic_plan(quiet, months=6, dimension_every=1)
    assert plan["kind"].tolist() == ["dimension"] * 4 + ["challenge"] * 2


def test_the_most_frequent_challenge_stays_whatever_the_threshold(quiet):
    plan = topic_plan(quiet, months=3, min_share=1.0, dimension_every=None)
    assert plan["topic"].tolist() == ["ageing"] * 3
    assert plan["round"].tolist() == [1, 2, 3]


def test_without_assessments_only_challenges(quiet):
    bare = quiet.replace(assessments=quiet.assessments.iloc[0:0])
    plan = topic_plan(bare)
    assert (plan["kind"] == "challenge").all()


def test_nothing_to_discuss_is_a_data_error(quiet):
    s = quiet.secretaries.assign(challenges=[()] * len(quiet.secretaries))
    bare = quiet.replace(secretaries=s, assessments=quiet.assessments.iloc[0:0])
    with pytest.raises(DataError, match="no topic to plan"):
        topic_plan(bare)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"months": 0}, "months"),
        ({"months": 2.5}, "months"),
        ({"min_share": 1.5}, "min_share"),
        ({"min_share": "x"}, "min_share"),
        ({"dimension_every": -1}, "dimension_every"),
        ({"findings_months": 0}, "findings_months"),
        ({"findings_months": 1.5}, "findings_months"),
    ],
)
def test_bad_arguments_are_data_errors(sample, kwargs, match):
    with pytest.raises(DataError, match=match):
        topic_plan(sample, **kwargs)


def test_the_salon_plan_carries_the_topics(sample):
    plan = mm.salon_plan(sample, n_random=0, months=6)
    assert plan.topics.equals(topic_plan(sample, 6))


# --- Findings steer the salon (教、查并举) ------------------------------------------------


def _findings(d: mm.District, issues: list[str], months: list[str]) -> pd.DataFrame:
    """Findings by hand: one per issue, on secretaries in roster order."""
    ids = d.secretaries["secretary_id"].tolist()
    return pd.DataFrame(
        {
            "finding_id": [f"F{i:03d}" for i in range(len(issues))],
            "secretary_id": [ids[i % len(ids)] for i in range(len(issues))],
            "mentor_id": d.mentors["mentor_id"].iloc[0],
            "month": months,
            "issue": issues,
            "note": "走访时发现",
        }
    )


def _rarest(quiet: mm.District) -> str:
    """A challenge that no secretary in post names, or the least named."""
    shares = _shares(quiet)
    return min(CHALLENGES.codes, key=lambda c: (shares.get(c, 0.0), CHALLENGES.codes.index(c)))


@pytest.mark.parametrize("k", [1, 3, 12])
def test_a_rare_challenge_found_k_times_comes_first(quiet, plan, k):
    rare = _rarest(quiet)
    assert rare not in plan["topic"].tolist()  # too rare for the plan without findings
    found = _findings(quiet, [rare] * k, ["2025-06"] * k)
    planned = topic_plan(quiet.replace(findings=found))
    first = planned.iloc[0]
    assert (first["month"], first["topic"], first["n_findings"]) == (1, rare, k)
    assert f"found {k} time" in first["why_en"]
    assert f"督查发现 {k} 次" in first["why_zh"]
    assert first["kind"] == "challenge"
    assert (first["label_zh"], first["label_en"]) == (CHALLENGES[rare].zh, CHALLENGES[rare].en)
    # The rest is the plan without findings, in its order.
    assert planned["topic"].iloc[1:].tolist() == plan["topic"].iloc[: len(plan) - 1].tolist()
    assert (planned["n_findings"].iloc[1:] == 0).all()


def test_topics_found_come_first_by_count(quiet, plan):
    issues = ["parking"] * 2 + ["delivers_fast"] * 5 + ["group_renting"] * 3
    planned = topic_plan(quiet.replace(findings=_findings(quiet, issues, ["2025-03"] * 10)))
    assert planned["topic"].iloc[:3].tolist() == ["delivers_fast", "group_renting", "parking"]
    assert planned["n_findings"].iloc[:3].tolist() == [5, 3, 2]
    assert planned["rank"].iloc[:3].tolist() == [1, 2, 3]
    assert planned["kind"].iloc[:3].tolist() == ["dimension", "challenge", "challenge"]
    rest = [t for t in plan["topic"] if t not in {"delivers_fast", "group_renting", "parking"}]
    assert planned["topic"].iloc[3:].tolist() == rest[: len(planned) - 3]
    for _, row in planned.iloc[:3].iterrows():
        n = row["n_findings"]
        assert row["why_en"].startswith(f"found {n} times on inspection (2024-04 to 2025-03)")
        assert row["why_zh"].startswith(f"督查发现 {n} 次（2024-04至2025-03）")
    assert planned["n_findings"].dtype == "int64"


def test_ties_keep_the_order_without_findings(quiet, plan):
    # Two found once each: the one earlier in the plan without findings comes first.
    early, late = plan["topic"].iloc[4], plan["topic"].iloc[1]
    planned = topic_plan(quiet.replace(findings=_findings(quiet, [early, late], ["2025-01"] * 2)))
    assert planned["topic"].iloc[:2].tolist() == [late, early]


def test_only_the_last_twelve_months_of_findings_count(quiet):
    # Up to 2024-12: 2024-01 is inside the window, 2023-12 outside.
    issues = ["waste_sorting"] * 6 + ["elder_care"] * 2 + ["parking"]
    months = ["2023-12"] * 6 + ["2024-12"] * 2 + ["2024-01"]
    planned = topic_plan(quiet.replace(findings=_findings(quiet, issues, months)))
    assert planned["topic"].iloc[:2].tolist() == ["elder_care", "parking"]
    counts = planned.set_index("topic")["n_findings"]
    assert counts.get("waste_sorting", 0) == 0
    # A longer window counts them.
    wide = topic_plan(quiet.replace(findings=_findings(quiet, issues, months)), findings_months=24)
    assert wide["topic"].iloc[0] == "waste_sorting" and wide["n_findings"].iloc[0] == 6


def test_a_dimension_found_leads_even_when_the_rhythm_takes_none(quiet):
    found = _findings(quiet, ["residents_follow"] * 2, ["2025-02"] * 2)
    planned = topic_plan(quiet.replace(findings=found), dimension_every=None)
    first = planned.iloc[0]
    assert (first["topic"], first["kind"], first["n_findings"]) == (
        "residents_follow",
        "dimension",
        2,
    )
    assert np.isfinite(first["mean_score"]) and "mean score" in first["why_en"]
    assert (planned["kind"].iloc[1:] == "challenge").all()


def test_a_challenge_nobody_names_says_so(quiet):
    s = quiet.secretaries.assign(
        challenges=[tuple(c for c in t if c != "land_use") for t in quiet.secretaries["challenges"]]
    )
    d = quiet.replace(secretaries=s)
    planned = topic_plan(d.replace(findings=_findings(d, ["land_use"], ["2025-01"])))
    first = planned.iloc[0]
    assert (first["topic"], first["n_naming"], first["share"]) == ("land_use", 0, 0.0)
    assert first["why_en"].endswith("no secretary in post names it")
    assert first["why_zh"].endswith("在岗书记无人提出")


def test_without_findings_the_plan_is_as_before(sample, quiet, plan):
    assert quiet.findings.empty
    assert (plan["n_findings"] == 0).all()
    # Whatever findings a district had, emptying them gives the plan without them.
    found = quiet.replace(findings=_findings(quiet, ["parking", "ageing"], ["2025-01"] * 2))
    assert not topic_plan(found).equals(plan)
    assert topic_plan(found.replace(findings=found.findings.iloc[0:0])).equals(plan)


def test_findings_and_nothing_else_still_make_a_plan(quiet):
    s = quiet.secretaries.assign(challenges=[()] * len(quiet.secretaries))
    bare = quiet.replace(secretaries=s, assessments=quiet.assessments.iloc[0:0])
    planned = topic_plan(bare.replace(findings=_findings(bare, ["parking"] * 2, ["2025-01"] * 2)))
    assert planned["topic"].tolist() == ["parking"] * 12
    assert planned["round"].tolist() == list(range(1, 13))


def test_the_sample_plan_follows_its_findings(sample):
    if sample.findings.empty:
        pytest.skip("the sample has no findings")
    planned = topic_plan(sample)
    f = sample.findings
    last = f["month"].max()
    year, month = int(last[:4]), int(last[5:7])
    first = f"{year - 1:04d}-{month + 1:02d}" if month < 12 else f"{year:04d}-01"
    counts = f.loc[f["month"] >= first, "issue"].value_counts()
    top = planned.iloc[0]
    assert top["n_findings"] == counts.max()
    assert counts[top["topic"]] == counts.max()
    assert (np.diff(planned.loc[planned["n_findings"] > 0, "n_findings"].to_numpy()) <= 0).all()
