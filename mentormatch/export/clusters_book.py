"""The clusters workbook (:func:`write_clusters`).

Sheets, in the chosen language: every secretary's cluster (分类名单), the clusters'
profiles in words (类别概况), how the number of clusters was chosen (聚类数选择) and
the headline (概要).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mentormatch.export._common import (
    export,
    pick,
    roster_notes,
    write_book,
)
from mentormatch.workbook import Gap, Heading, Sheet, Table

__all__ = ["write_clusters", "cluster_sheets", "SHEETS", "CLUSTER_LABELS", "METHOD_WORDS"]

#: Sheet names: (Chinese, English).
SHEETS = {
    "members": ("分类名单", "Members"),
    "profiles": ("类别概况", "Clusters"),
    "selection": ("聚类数选择", "Choosing k"),
    "summary": ("概要", "Summary"),
}
#: Headers of the columns only the clusters workbook shows.
CLUSTER_LABELS = {
    "k": ("聚类数", "Number of clusters", "int"),
    "clustered": ("参与聚类（在任）", "Clustered (in post)", "bool"),
    "needs": ("带教建议", "What they need from a mentor", "text"),
}
#: The clustering methods in words: (Chinese, English).
METHOD_WORDS = {
    "kmedoids": ("混合距离上的 k 中心点聚类（PAM）", "k-medoids (PAM) on the mixed distance"),
    "hierarchical": ("混合距离上的层次聚类", "hierarchical clustering on the mixed distance"),
    "kmeans": ("独热编码后的 k 均值聚类（基线）", "one-hot encoding and k-means (baseline)"),
}


def write_clusters(d, result, path, *, lang: str = "zh") -> Path:
    """Write the clusters: ``.xlsx`` a workbook, ``.csv`` the members sheet.

    Every secretary's cluster and the clusters' profiles in words (no tuples of codes),
    in ``lang``. Any other extension is a :class:`~mentormatch.DataError`. The same
    result gives the same bytes.
    """
    return write_book(
        d,
        path,
        ("聚类结果", "the clusters"),
        ("书记分类", "Clusters of secretaries"),
        lang,
        lambda lang: cluster_sheets(d, result, lang),
    )


def cluster_sheets(d, result, lang: str = "zh") -> dict[str, Sheet]:
    """The clusters workbook's sheets, by sheet name (see :func:`write_clusters`)."""
    i = 0 if lang == "zh" else 1
    return {
        SHEETS["members"][i]: _members(d, result, lang),
        SHEETS["profiles"][i]: _profiles(result, lang),
        SHEETS["selection"][i]: _selection(result, lang),
        SHEETS["summary"][i]: _summary(d, result, lang),
    }


def _members(d, result, lang: str) -> Sheet:
    t = result.to_frame()
    s = d.secretaries.set_index("secretary_id")
    notes = roster_notes(d)
    clustered = t["clustered"].astype(bool)
    df = pd.DataFrame(
        {
            "secretary_id": t["secretary_id"],
            "name": t["name"],
            "street_town": t["secretary_id"].map(s["street_town"]),
            "community_type": t["secretary_id"].map(s["community_type"]),
            "cluster_no": t["cluster"].astype(int),
            "cluster": t["cluster_name_zh" if lang == "zh" else "cluster_name_en"],
            "clustered": clustered,
            "note": [
                None
                if c
                else pick(
                    "已离任，未参与聚类，归入最相近的类别",
                    "left the post: not clustered, put in the nearest cluster",
                    lang,
                )
                for c in clustered
            ],
            "roster_note": t["secretary_id"].map(notes) if notes is not None else None,
        }
    )
    frame, kinds = export(df, lang, CLUSTER_LABELS)
    return Sheet([Table(frame, kinds)], autofilter=True)


def _profiles(result, lang: str) -> Sheet:
    from mentormatch.present.words import cluster_profiles

    p = cluster_profiles(result)
    p["needs"] = result.profiles["needs_zh" if lang == "zh" else "needs_en"].to_numpy()
    frame, kinds = export(p, lang, CLUSTER_LABELS)
    from mentormatch.present.labels import COLUMNS

    kinds[COLUMNS["stability"][0 if lang == "zh" else 1]] = "0.00"
    return Sheet([Table(frame, kinds)], autofilter=True)


def _selection(result, lang: str) -> Sheet:
    from mentormatch.present.labels import COLUMNS

    sel = result.selection.copy()
    columns = [
        c
        for c in (
            "k",
            "silhouette",
            "cost",
            "elbow",
            "stability_min",
            "stability_mean",
            "n_unstable",
            "chosen",
        )
        if c in sel.columns
    ]
    sel = sel[columns]
    if "chosen" in sel:
        sel["chosen"] = sel["chosen"].astype(bool)
    frame, kinds = export(sel, lang, CLUSTER_LABELS)
    for code in ("silhouette", "elbow", "stability_min", "stability_mean"):
        if code in columns:
            kinds[COLUMNS[code][0 if lang == "zh" else 1]] = "0.000"
    if "cost" in columns:
        kinds[COLUMNS["cost"][0 if lang == "zh" else 1]] = "#,##0.0"
    return Sheet([Table(frame, kinds)], autofilter=True)


def _summary(d, result, lang: str) -> Sheet:
    from mentormatch.present.labels import COLUMNS
    from mentormatch.present.words import cluster_choice, cluster_headline

    zh = lang == "zh"
    i = 0 if zh else 1
    clustered = int(result.clustered.sum())
    sil = result.selection.loc[result.selection["chosen"].astype(bool), "silhouette"]
    figures = [
        (pick("聚类数", "Clusters", lang), int(result.k), "int"),
        (pick("参与聚类的在任书记", "Secretaries in post clustered", lang), clustered, "int"),
        (
            pick("归入最相近类别的离任书记", "Departed, put in the nearest cluster", lang),
            int(len(result.clustered) - clustered),
            "int",
        ),
        (
            pick("轮廓系数", "Silhouette", lang),
            float(sil.iloc[0]) if len(sil) else None,
            "0.00",
        ),
        (pick("稳定性抽样次数", "Bootstrap resamples", lang), int(result.n_bootstrap), "int"),
        (
            pick("聚类方法", "Method", lang),
            METHOD_WORDS.get(result.method, (result.method,) * 2)[i],
            "text",
        ),
    ]
    header = [COLUMNS["figure"][i], COLUMNS["value"][i]]
    table = Table(
        pd.DataFrame([r[:2] for r in figures], columns=header, dtype=object),
        {header[0]: "text"},
        cell_kinds={header[1]: [r[2] for r in figures]},
    )
    headline = cluster_headline(result)
    choice = cluster_choice(result)
    blocks: list = [
        Heading(pick("书记分类", "Clusters of secretaries", lang), level=1),
        Heading(headline[i], level=3),
        Heading(choice[i], level=3),
    ]
    if d.synthetic:
        blocks.append(Heading(pick("本结果基于合成数据。", "Made from synthetic data.", lang), 3))
    blocks += [Gap(), Heading(pick("主要指标", "Headline figures", lang)), table]
    stability = result.stability
    if len(stability) and not np.isfinite(stability.to_numpy(dtype=float)).any():
        blocks.append(
            Heading(pick("未做稳定性抽样。", "Stability was not measured.", lang), level=3)
        )
    return Sheet(blocks, freeze=False, print_header=False)
