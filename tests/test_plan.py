"""District-level matching: plans, reasons, alternates, bases, rules, re-matching."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentormatch as mm
from mentormatch.cli import main
from mentormatch.optimize import check_validity
from mentormatch.plan import match, read_previous_plan, rematch, write_plan


@pytest.fixture(scope="module")
def plans(sample):
    return {obj: match(sample, obj) for obj in ("total", "fair", "stable")}


def test_every_secretary_is_in_the_plan(sample, plans):
    for plan in plans.values():
        t = plan.table
        assert t["secretary_id"].tolist() == sample.secretaries["secretary_id"].tolist()
        assert set(t["status"]) <= {"placed", "unplaced", "not_needed", "departed"}
        needing = set(sample.mentees["secretary_id"])
        assert set(t.loc[t["status"].isin(["placed", "unplaced"]), "secretary_id"]) == needing
        assert (t.loc[t["status"] == "departed", "unplaced_reason"].str.startswith("left")).all()


def test_plans_respect_capacities_and_min_loads(sample, plans):
    cap = sample.mentors.set_index("mentor_id")["capacity"]
    low = sample.mentors.set_index("mentor_id")["min_load"].fillna(0)
    for plan in plans.values():
        load = plan.loads.set_index("mentor_id")["load"]
        assert (load <= cap).all()
        if plan.objective != "stable":
            assert (load >= low).all()
        assert plan.loads["load"].sum() == len(plan.placed)


def test_total_is_best_and_fair_lifts_the_worst(plans):
    assert plans["total"].objective_value >= plans["fair"].objective_value - 1e-9
    assert plans["total"].objective_value >= plans["stable"].objective_value - 1e-9
    assert plans["fair"].figures()["min_score"] >= plans["total"].figures()["min_score"]
    assert len(plans["stable"].blocking_pairs) == 0


def test_scores_in_plan_match_score_pairs(sample, plans):
    scores = mm.score_pairs(sample).set_index(["secretary_id", "mentor_id"])["total"]
    placed = plans["total"].placed
    expected = scores.loc[list(zip(placed["secretary_id"], placed["mentor_id"], strict=True))]
    assert np.allclose(placed["score"].to_numpy(), expected.to_numpy())


def test_reasons_name_shared_challenges_and_units(sample, plans):
    from mentormatch.vocab import CHALLENGES, STREET_TOWNS

    placed = plans["total"].placed
    mentors = sample.mentors.set_index("mentor_id")
    secs = sample.secretaries.set_index("secretary_id")
    for _, row in placed.iterrows():
        sec, men = secs.loc[row["secretary_id"]], mentors.loc[row["mentor_id"]]
        shared = [c for c in sec["challenges"] if c in men["expertise"]]
        for c in shared:
            assert CHALLENGES[c].zh in row["reason_zh"]
            assert CHALLENGES[c].en.lower() in row["reason_en"]
        if sec["street_town"] == men["street_town"]:
            assert STREET_TOWNS[sec["street_town"]].zh in row["reason_zh"]
        assert row["reason_zh"] and row["reason_en"]


def test_alternates_have_room_and_differ_from_the_mentor(sample, plans):
    plan = plans["total"]
    room = plan.loads.set_index("mentor_id")["capacity"] - plan.loads.set_index("mentor_id")["load"]
    for _, row in plan.placed.iterrows():
        for col in ("alternate_1", "alternate_2"):
            alt = row[col]
            if isinstance(alt, str):
                mid = alt.split()[0]
                assert mid != row["mentor_id"] and room[mid] > 0


def test_constraints_forbid_and_keep(sample, plans):
    best = plans["total"].assignment
    sid, mid = best.index[0], best.iloc[0]
    other = [m for m in sample.mentors["mentor_id"] if m != mid][0]
    sid2 = best.index[1]
    rules = pd.DataFrame(
        {"secretary_id": [sid, sid2], "mentor_id": [mid, other], "rule": ["forbid", "keep"]}
    )
    plan = match(sample.replace(constraints=rules))
    assert plan.assignment[sid] != mid
    assert plan.assignment[sid2] == other
    assert "按约束保留" in plan.table.set_index("secretary_id").at[sid2, "reason_zh"]


def test_distance_rule(sample):
    plan = match(sample, distance="neighbouring", partial=True)
    assert (plan.placed["proximity"] >= 0.5).all()
    same = match(sample, distance="same", partial=True)
    assert (same.placed["proximity"] == 1.0).all()
    unplaced = same.table[same.table["status"] == "unplaced"]
    assert (unplaced["unplaced_reason"] != "").all()


def test_bases_sequential_and_joint(sample):
    seq = match(sample, bases="sequential")
    joint = match(sample, bases="joint")
    none = match(sample, bases="none")
    base_cap = sample.bases.set_index("base_id")["capacity"]
    for plan in (seq, joint):
        used = plan.placed["base_id"].dropna().value_counts()
        assert (used <= base_cap.reindex(used.index)).all()
        assert plan.coverage["mentor_and_base"] >= plan.coverage["mentor"]
    assert none.placed["base_id"].isna().all()

    # Joint maximises mentor + base score together: at least the sequential sum.
    def both(plan):
        base_scores = mm.score_pairs(sample, against="bases", mentor_of=plan.assignment)
        b = base_scores.set_index(["secretary_id", "base_id"])["total"]
        pairs = plan.placed.dropna(subset=["base_id"])
        return (
            plan.objective_value
            + b.loc[list(zip(pairs["secretary_id"], pairs["base_id"], strict=True))].sum()
        )

    assert both(joint) >= both(seq) - 1e-6


def test_infeasible_roster_raises_with_reasons(sample):
    mentors = sample.mentors.assign(capacity=2, min_load=pd.NA)
    with pytest.raises(mm.InfeasibleError) as info:
        match(sample.replace(mentors=mentors))
    assert info.value.shortfall == len(sample.mentees) - 2 * len(mentors)
    assert "capacity" in str(info.value)


def test_partial_plan_explains_the_unplaced(sample):
    mentors = sample.mentors.assign(capacity=2, min_load=pd.NA)
    plan = match(sample.replace(mentors=mentors), partial=True)
    assert len(plan.placed) == 2 * len(mentors)
    unplaced = plan.table[plan.table["status"] == "unplaced"]
    assert len(unplaced) == len(sample.mentees) - len(plan.placed)
    assert unplaced["unplaced_reason"].str.contains("full").all()


def test_plan_is_valid_for_the_optimizer(sample, plans):
    s = mm.score_pairs(sample).pivot(index="secretary_id", columns="mentor_id", values="total")
    cap = sample.mentors.set_index("mentor_id")["capacity"]
    problems = check_validity(
        s,
        cap,
        plans["total"].assignment.reindex(s.index),
        min_load=sample.mentors.set_index("mentor_id")["min_load"].fillna(0),
    )
    assert not problems


def test_rematch_keeps_pairs_when_a_mentor_leaves(sample, plans):
    before = plans["total"]
    gone = before.assignment.value_counts().index[0]
    d2 = sample.replace(mentors=sample.mentors[sample.mentors["mentor_id"] != gone])
    after = rematch(d2, before, tolerance=0.05)
    best = match(d2, bases="none")
    assert after.objective_value >= 0.95 * best.objective_value - 1e-6
    changes = after.changes.set_index("secretary_id")
    moved = before.assignment[before.assignment == gone].index
    assert (changes.loc[moved, "change"] == "changed").all()
    assert changes.loc[moved, "why"].str.contains(gone).all()
    others = before.assignment.index.difference(moved)
    kept = (changes.loc[others, "change"] == "kept").sum()
    fresh_kept = (best.assignment.reindex(others) == before.assignment[others]).sum()
    assert kept >= fresh_kept  # never keeps fewer than a fresh plan would
    assert kept == len(others)  # here all can be kept within 5%


def test_rematch_with_new_secretaries(sample, plans):
    before = plans["total"].assignment.iloc[:40]
    after = rematch(sample, before)
    counts = after.changes["change"].value_counts()
    assert counts.get("new", 0) == len(sample.mentees) - 40


def test_write_and_read_back_plans(tmp_path, plans):
    plan = plans["total"]
    write_plan(plan, tmp_path / "p.csv")
    write_plan(plan, tmp_path / "p.xlsx", lang="zh")
    for name in ("p.csv", "p.xlsx"):
        back = read_previous_plan(tmp_path / name)
        pairs = back.dropna(subset=["mentor_id"]).set_index("secretary_id")["mentor_id"]
        assert pairs.to_dict() == plan.assignment.to_dict()


def test_cli_match_writes_plan_and_rematches(tmp_path, capsys):
    from conftest import SAMPLE

    out = tmp_path / "plan.xlsx"
    assert main(["match", str(SAMPLE), "--out", str(out), "--zh"]) == 0
    assert "全部结对" in capsys.readouterr().out
    again = tmp_path / "again.csv"
    assert (
        main(["match", str(SAMPLE), "--out", str(again), "--previous", str(out), "--lang", "en"])
        == 0
    )
    assert "are placed" in capsys.readouterr().out
    # Nothing changed in the roster: the re-match keeps every pair of the plan in force.
    first, second = read_previous_plan(out), read_previous_plan(again)
    pairs = first.dropna(subset=["mentor_id"]).set_index("secretary_id")["mentor_id"]
    assert (
        second.dropna(subset=["mentor_id"]).set_index("secretary_id")["mentor_id"].to_dict()
        == pairs.to_dict()
    )


def test_cli_match_infeasible_exits_3(small_copy, capsys):
    m = pd.read_csv(small_copy / "mentors.csv", dtype=str, keep_default_na=False)
    m["capacity"] = "0"
    m["min_load"] = ""
    m.to_csv(small_copy / "mentors.csv", index=False)
    assert (
        main(["match", str(small_copy), "--out", str(small_copy / "plan.csv"), "--lang", "en"]) == 3
    )
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "--partial" in err and "Traceback" not in err
    assert not (small_copy / "plan.csv").exists()


def test_cli_bad_weights_exit_2(tmp_path, capsys):
    from conftest import SAMPLE

    assert (
        main(
            [
                "match",
                str(SAMPLE),
                "--out",
                str(tmp_path / "p.csv"),
                "--weights",
                "charisma=1",
                "--lang",
                "en",
            ]
        )
        == 2
    )
    assert "unknown component" in capsys.readouterr().err


def test_plan_exports_neutralise_formula_like_names(sample, tmp_path):
    import zipfile

    s = sample.secretaries.copy()
    evil = '=HYPERLINK("http://evil.example","x")'
    first = sample.mentees["secretary_id"].iloc[0]
    s.loc[s["secretary_id"] == first, "name"] = evil
    m = sample.mentors.copy()
    m.loc[0, "name"] = "+SUM(A1:A9)"
    plan = match(sample.replace(secretaries=s, mentors=m))
    write_plan(plan, tmp_path / "plan.csv")
    write_plan(plan, tmp_path / "plan.xlsx")
    text = (tmp_path / "plan.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert "'+SUM" in text
    with zipfile.ZipFile(tmp_path / "plan.xlsx") as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in x for x in sheets)
    back = read_previous_plan(tmp_path / "plan.xlsx")
    assert evil in back["name"].tolist()


def _with_keep_rules(d, n_rules: int, capacity: int):
    """``d`` with ``n_rules`` keep rules (mentees spread over the mentors) and every
    mentor's capacity set to ``capacity``."""
    mentees = d.mentees["secretary_id"].tolist()[:n_rules]
    mentors = d.mentors["mentor_id"].tolist()
    rules = d.constraints.iloc[:0].copy()
    for k, sid in enumerate(mentees):
        rules.loc[k, ["secretary_id", "mentor_id", "rule"]] = [
            sid,
            mentors[k % len(mentors)],
            "keep",
        ]
    return d.replace(constraints=rules, mentors=d.mentors.assign(capacity=capacity, min_load=0))


@pytest.mark.parametrize("bases", ["sequential", "joint"])
def test_a_partial_plan_keeps_every_pair_it_is_told_to_keep(sample, bases):
    # Short capacity (3 places per mentor for 65 mentees) and 13 keep rules: a partial
    # plan places fewer than all, but never by dropping a pair to keep.
    d = _with_keep_rules(sample, 13, 3)
    plan = match(d, bases=bases, partial=True)
    chosen = plan.table.set_index("secretary_id")["mentor_id"]
    kept = [(s, m) for s, m in d.constraints[["secretary_id", "mentor_id"]].itertuples(index=False)]
    assert all(chosen[s] == m for s, m in kept)
    assert plan.figures()["placed"] == int(d.mentors["capacity"].sum())


def test_a_pair_to_keep_outside_the_distance_rule_is_infeasible(sample):
    # Keep a mentee with a mentor of another unit, under "same unit only": no plan can
    # both keep the pair and follow the rule, with any base method, partial or not.
    unit = sample.mentors.set_index("mentor_id")["street_town"]
    mentee = sample.mentees.iloc[0]
    mid = next(m for m, u in unit.items() if u != mentee["street_town"])
    rules = sample.constraints.iloc[:0].copy()
    rules.loc[0, ["secretary_id", "mentor_id", "rule"]] = [mentee["secretary_id"], mid, "keep"]
    d = sample.replace(constraints=rules)
    for bases in ("sequential", "joint"):
        with pytest.raises(mm.InfeasibleError):
            match(d, bases=bases, distance="same", partial=True)


def test_why_unplaced_says_which_mentors_still_have_room():
    from mentormatch.matching.explain import _why_unplaced

    allowed = pd.Series({"M1": 0.8, "M2": 0.6, "M3": np.nan})
    names = pd.Series({"M1": "甲", "M2": "乙", "M3": "丙"})
    zh, en = _why_unplaced("S1", allowed, [], pd.Series({"M1": 0, "M2": 1, "M3": 2}), names)
    assert "乙（M2）尚有空余名额" in zh and "甲" not in zh and "丙" not in zh
    assert en.startswith("乙 (M2) have places left")
    zh, en = _why_unplaced("S1", allowed, [], pd.Series({"M1": 0, "M2": 0, "M3": 2}), names)
    assert "名额已满" in zh and "甲（M001）" not in zh and zh.index("甲") < zh.index("乙")
    zh, _ = _why_unplaced("S1", allowed, [("S1", "M1"), ("S1", "M2")], pd.Series(dtype=int), names)
    assert "回避规则" in zh
