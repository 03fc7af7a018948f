"""Part 02 of the report, the clusters: why k clusters, the largest kinds, each cluster's
profile and every secretary's cluster."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch import lang as _lang
from mentormatch.present.words._common import _n

# --- Clusters ------------------------------------------------------------------------------


def cluster_choice(result) -> tuple[str, str]:
    """Why the clustering has ``k`` clusters, from its selection table."""
    sel = result.selection
    k = result.k
    row = sel[sel["chosen"]].iloc[0] if sel["chosen"].any() else sel.iloc[0]
    sil = float(row["silhouette"])
    if len(sel) == 1:
        return (
            f"按给定的 k = {k} 分类（轮廓系数 {sil:.2f}）。",
            f"k = {k} was given (silhouette {sil:.2f}).",
        )
    lo, hi = int(sel["k"].min()), int(sel["k"].max())
    measured = np.isfinite(sel["stability_min"]).any()
    if measured:
        stable = sel[sel["stability_min"] >= 0.6]
        best = stable["silhouette"].max() if len(stable) else np.nan
        by_elbow = len(stable) and sil < best - 1e-9
        zh = (
            f"在 k = {lo}–{hi} 中，有 {len(stable)} 个 k 的各类在自助抽样中都稳定"
            "（稳定性不低于 0.6）；"
            + (
                "其中轮廓系数最高的几个 k 相差不到 0.02，"
                f"按成本肘部选定 k = {k}（轮廓系数 {sil:.2f}）。"
                if by_elbow
                else f"其中 k = {k} 的轮廓系数最高（{sil:.2f}），因此分为 {k} 类。"
            )
        )
        en = (
            f"Of k = {lo} to {hi}, {len(stable)} give clusters that are all stable under "
            "bootstrap resampling (at least 0.6); "
            + (
                f"their best silhouettes lie within 0.02, and the cost elbow picks k = {k} "
                f"(silhouette {sil:.2f})."
                if by_elbow
                else f"among them k = {k} has the best silhouette ({sil:.2f}), so {k} clusters."
            )
        )
        if not len(stable):
            zh = (
                f"在 k = {lo}–{hi} 中，没有一个 k 的各类都稳定；选取最弱一类最稳定的 k = {k}"
                f"（轮廓系数 {sil:.2f}）。"
            )
            en = (
                f"No k from {lo} to {hi} gives only stable clusters; k = {k} has the most "
                f"stable weakest cluster (silhouette {sil:.2f})."
            )
        return zh, en
    return (
        f"在 k = {lo}–{hi} 中按轮廓系数与成本肘部选定 k = {k}"
        f"（轮廓系数 {sil:.2f}；未做稳定性抽样）。",
        f"Of k = {lo} to {hi}, silhouette and cost elbow choose k = {k} (silhouette "
        f"{sil:.2f}; stability not measured).",
    )


def cluster_headline(result) -> tuple[str, str]:
    """How many kinds of secretaries, and the largest ones."""
    p = result.profiles
    top = p.head(3)
    zh = "、".join(f"{r['name_zh']}（{int(r['size'])} 人）" for _, r in top.iterrows())
    en = "; ".join(f"{r['name_en']} ({int(r['size'])})" for _, r in top.iterrows())
    n = int(result.clustered.sum())
    more_zh = "等" if len(p) > 3 else ""
    more_en = f"; and {len(p) - 3} more" if len(p) > 3 else ""
    return (
        f"{_n(n)} 名在任书记按小区类型与难题分为 {result.k} 类：{zh}{more_zh}。",
        f"The {_n(n)} secretaries in post fall into {result.k} kinds by community type "
        f"and challenges: {en}{more_en}.",
    )


def cluster_profiles(result) -> pd.DataFrame:
    """One row per cluster, every value readable (no tuples of codes and numbers)."""
    from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES

    lang = _lang.current()
    zh = lang == "zh"
    sep = "、" if zh else "; "
    rows = []
    for c, r in result.profiles.iterrows():
        types = sep.join(
            f"{COMMUNITY_TYPES[t].label(lang)} {s:.0%}"
            for t, s in zip(r["types"], r["type_shares"], strict=True)
        )
        challenges = sep.join(
            f"{CHALLENGES[code].label(lang)} {p:.0%}（{lift:.1f} 倍）"
            if zh
            else f"{CHALLENGES[code].label(lang)} {p:.0%} (x{lift:.1f})"
            for code, p, lift in zip(r["challenges"], r["prevalence"], r["lift"], strict=True)
        )
        rows.append(
            {
                "cluster_no": int(c),
                "cluster": r["name_zh" if zh else "name_en"],
                "size": int(r["size"]),
                "share": float(r["share"]),
                "types": types,
                "top_challenges": challenges or _lang.pick("无突出难题", "none stands out"),
                "median_age": r["median_age"],
                "median_years_in_post": r["median_years_in_post"],
                "stability": r["stability"],
            }
        )
    return pd.DataFrame(rows)


def cluster_members(result) -> pd.DataFrame:
    """Every secretary's cluster (``secretary_id``, ``name``, ``cluster``, ``in_post``)."""
    t = result.to_frame()
    return pd.DataFrame(
        {
            "secretary_id": t["secretary_id"],
            "name": t["name"],
            "cluster": t["cluster_name_zh" if _lang.current() == "zh" else "cluster_name_en"],
            "clustered": t["clustered"],
        }
    )
