"""No silent loss: every secretary in the input is in every output, placed or with a reason
(issue 7). Checked end to end on the sample and on messy inputs."""

from __future__ import annotations

import shutil

import pytest
from conftest import DATA, SAMPLE

import mentormatch as mm
from mentormatch.groups import salon_plan, standard_size
from mentormatch.report import roster

MESSY = DATA / "messy"


def _inputs(tmp_path):
    yield "sample", SAMPLE
    folder = tmp_path / "variants"
    shutil.copytree(DATA / "small", folder)
    shutil.copy(MESSY / "label_variants.secretaries.csv", folder / "secretaries.csv")
    yield "messy-csv", folder
    yield "messy-xlsx", MESSY / "workbook_merged_header.xlsx"


@pytest.mark.parametrize("which", ["sample", "messy-csv", "messy-xlsx"])
def test_every_secretary_in_every_output(tmp_path, which):
    path = dict(_inputs(tmp_path))[which]
    d = mm.load_district(path)
    ids = d.secretaries["secretary_id"].tolist()
    assert len(ids) == sum(1 for _ in ids)

    clusters = mm.cluster_secretaries(d, k=2, random_state=1, n_bootstrap=0).to_frame()
    assert clusters["secretary_id"].tolist() == ids
    assert clusters["cluster"].notna().all()

    plan = mm.match(d, partial=True).table
    assert plan["secretary_id"].tolist() == ids
    unplaced = plan[plan["status"] != "placed"]
    needs_reason = unplaced["status"].isin(["unplaced", "departed"])
    assert (unplaced.loc[needs_reason, "unplaced_reason"] != "").all()

    n_groups, with_mentors = standard_size(d, wanted=3)
    groups = salon_plan(d, n_groups, seed=1, mentors=with_mentors, n_random=20).to_frame()
    assert groups["secretary_id"].tolist() == ids
    no_group = groups[groups["group"].isna()]
    assert (no_group["reason"] != "").all()

    table = roster(d, seed=1, k=2)
    assert table["secretary_id"].tolist() == ids
    missing_group = table["group"].isna()
    assert (table.loc[missing_group, "status"] == "left the post").all()
