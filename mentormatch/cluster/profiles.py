"""Clusters in words: size, community types, distinctive challenges, a bilingual name.

For each cluster:

* the **dominant community types**: every type holding at least
  :data:`DOMINANT_SHARE` of the cluster (at most two; at least the largest);
* the **top challenges**: challenges at least :data:`MIN_PREVALENCE` of the cluster
  face and that are more common in it than in the district (lift > 1), at most
  :data:`TOP_CHALLENGES`, ranked by how many percentage points more of the cluster
  face them than of the district (so that a challenge most of the cluster shares
  comes before a rare one with a large ratio). *Prevalence* is the share of the
  cluster's secretaries who name the challenge; *lift* is that share divided by the
  share in the whole population clustered (2.0: twice as common as on average);
* median age and years in post (and capacity index where assessed);
* a short **name** in Chinese and English, from the short labels of the dominant
  types and the top challenge, e.g. "老公房·加梯 / old public housing, lift retrofit";
* what the cluster **needs from a mentor**, in a sentence per language.

The short labels and sentence frames are tables below, keyed by vocabulary codes
(:mod:`mentormatch.vocab` holds the full labels).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mentormatch.vocab import CHALLENGES, COMMUNITY_TYPES

__all__ = [
    "SHORT_LABELS",
    "PHRASES",
    "DOMINANT_SHARE",
    "MIN_PREVALENCE",
    "TOP_CHALLENGES",
    "challenge_table",
    "profile_clusters",
    "short_label",
]

#: A type is dominant in a cluster from this share on.
DOMINANT_SHARE = 0.25
#: A challenge is a top challenge of a cluster only if at least this share names it.
MIN_PREVALENCE = 0.25
TOP_CHALLENGES = 3
#: Secretaries at most this many years in post are "new" (they need the launch class).
NEW_IN_POST_YEARS = 3
#: A cluster whose median capacity index is this far below the district's is flagged.
CAPACITY_GAP = 2.0

# --- Short labels for cluster names (keyed by vocabulary codes) ---------------------------
# A clearly marked table, as the style guide asks: the vocabulary's full labels are too
# long for a cluster name. A test checks that every vocabulary code has an entry.
SHORT_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "community_type": {
        "old_public_housing": ("老公房", "old public housing"),
        "sold_public_housing": ("售后公房", "sold public flats"),
        "resettlement": ("动迁房", "resettlement"),
        "old_lane": ("旧里", "old lanes"),
        "commercial": ("商品房", "commercial housing"),
        "mixed": ("混合型", "mixed estates"),
        "village": ("村", "villages"),
    },
    "challenge": {
        "ageing": ("老龄化", "ageing"),
        "lift_retrofit": ("加梯", "lift retrofit"),
        "old_flat_renovation": ("成套改造", "flat renovation"),
        "fire_safety": ("消防", "fire safety"),
        "refuse_points": ("垃圾厢房", "refuse points"),
        "repairs_fund": ("维修资金", "repairs fund"),
        "hardship": ("困难帮扶", "hardship"),
        "public_order": ("治安", "public order"),
        "missing_amenities": ("配套不足", "missing amenities"),
        "relocation_disputes": ("动迁矛盾", "relocation disputes"),
        "overcrowding": ("拥挤", "overcrowding"),
        "owners_committee": ("三驾马车", "owners' committee"),
        "facade_repair": ("外墙", "facades"),
        "parking": ("停车", "parking"),
        "elder_care": ("养老", "elder care"),
        "property_management": ("物业", "property management"),
        "waste_sorting": ("垃圾分类", "waste sorting"),
        "elderly_alone": ("独居老人", "elderly alone"),
        "group_renting": ("群租", "group renting"),
        "dangerous_housing": ("危房", "dangerous housing"),
        "epidemic_control": ("防疫", "epidemic control"),
        "migrants": ("外来人口", "migrants"),
        "collective_economy": ("集体经济", "collective economy"),
        "land_use": ("城镇化", "urbanisation"),
    },
}

# --- Sentence frames (zh, en) for what a cluster needs from a mentor -----------------------
PHRASES: dict[str, tuple[str, str]] = {
    "name_sep": ("·", ", "),
    "type_sep": ("/", " / "),
    "list_sep": ("、", ", "),
    "end": ("。", "."),
    "needs": (
        "{name}（{size}人）：宜配熟悉{types}、擅长{challenges}的带教老师",
        "{name} ({size} secretaries): a mentor who knows {types} and has handled {challenges}",
    ),
    "needs_no_challenge": (
        "{name}（{size}人）：宜配熟悉{types}的带教老师",
        "{name} ({size} secretaries): a mentor who knows {types}",
    ),
    "new": (
        "；多为新任书记（任职中位数{years}年），先上启航班打牢基本功",
        "; mostly new in post (median {years} years): the launch class first",
    ),
    "young": (
        "；年轻书记居多（年龄中位数{age}岁），宜小班带训",
        "; mostly young (median age {age}): small-class mentoring suits them",
    ),
    "weak": (
        "；组织力评估低于全区中位数，宜加强实地督训",
        "; capacity index below the district median: more on-site supervision",
    ),
    "base": (
        "；可到以{theme}为主题的实训基地场景式带教",
        "; scenario training at a practice base on {theme}",
    ),
}
#: Secretaries under this median age make a "young" cluster.
YOUNG_AGE = 40


def short_label(vocabulary: str, code: str, lang: str = "zh") -> str:
    """The short label of a community type or challenge, for cluster names.

    >>> short_label("community_type", "old_public_housing")
    '老公房'
    >>> short_label("challenge", "ageing", "en")
    'ageing'
    """
    zh, en = SHORT_LABELS[vocabulary][code]
    return zh if lang == "zh" else en


def challenge_table(features: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
    """Prevalence and lift of every challenge in every cluster.

    Parameters
    ----------
    features : DataFrame
        With a ``challenges`` column of tuples of codes.
    labels : array
        The cluster of each row (any integers).

    Returns
    -------
    DataFrame
        One row per (cluster, challenge) for the challenges someone in the population
        names: ``cluster``, ``challenge``, ``count``, ``prevalence`` (share of the
        cluster), ``district`` (share of the population) and ``lift`` (prevalence /
        district). Challenges nobody names are left out, so lift is always defined.

    Examples
    --------
    >>> f = pd.DataFrame({"challenges": [("ageing",), ("ageing", "parking"), (), ("parking",)]})
    >>> t = challenge_table(f, np.array([1, 1, 2, 2]))
    >>> t[t["challenge"] == "ageing"][["prevalence", "district", "lift"]].values.tolist()
    [[1.0, 0.5, 2.0], [0.0, 0.5, 0.0]]
    """
    labels = np.asarray(labels)
    codes = CHALLENGES.codes
    has = _indicators(features["challenges"].to_numpy(dtype=object), codes)
    district = has.mean(axis=0) if len(labels) else np.zeros(len(codes))
    rows = []
    for cluster in np.unique(labels):
        members = has[labels == cluster]
        count = members.sum(axis=0)
        for j in np.flatnonzero(district > 0):
            prevalence = count[j] / len(members)
            rows.append(
                {
                    "cluster": int(cluster),
                    "challenge": codes[j],
                    "count": int(count[j]),
                    "prevalence": float(prevalence),
                    "district": float(district[j]),
                    "lift": float(prevalence / district[j]),
                }
            )
    columns = ["cluster", "challenge", "count", "prevalence", "district", "lift"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"cluster": "int64", "challenge": "str", "count": "int64"}
    )


def _indicators(values: np.ndarray, codes: Sequence[str]) -> np.ndarray:
    """Rows x codes: True where the row's challenges hold the code. Each distinct set is
    read once (a nation has 600,000 rows but a few thousand distinct sets)."""
    try:
        inverse, distinct = pd.factorize(values)
    except TypeError:  # lists are not hashable: read row by row
        inverse, distinct = np.arange(len(values)), values
    if (inverse < 0).any():  # a missing value where a set belongs: as row by row
        inverse, distinct = np.arange(len(values)), values
    has = np.array([[c in set(row) for c in codes] for row in distinct], dtype=bool)
    return has.reshape(len(distinct), len(codes))[inverse]


def top_challenges(table: pd.DataFrame, cluster: int) -> pd.DataFrame:
    """A cluster's top challenges (see the module docstring), best first."""
    t = table[(table["cluster"] == cluster) & (table["prevalence"] >= MIN_PREVALENCE)]
    t = t[t["lift"] > 1.0].assign(_excess=lambda x: x["prevalence"] - x["district"])
    t = t.sort_values(
        ["_excess", "lift", "challenge"], ascending=[False, False, True], kind="stable"
    )
    return t.drop(columns="_excess").head(TOP_CHALLENGES)


def dominant_types(types: pd.Series) -> list[tuple[str, float]]:
    """(type, share) of the dominant community types of a cluster, largest first."""
    shares = types.value_counts(normalize=True)
    order = sorted(shares.items(), key=lambda kv: (-kv[1], COMMUNITY_TYPES.codes.index(kv[0])))
    chosen = [(t, float(s)) for t, s in order if s >= DOMINANT_SHARE][:2]
    return chosen or [(order[0][0], float(order[0][1]))]


def profile_clusters(
    features: pd.DataFrame,
    labels: np.ndarray,
    *,
    stability: Sequence[float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per cluster describing it, and the challenge table behind it.

    Parameters
    ----------
    features : DataFrame
        :func:`mentormatch.features.secretary_features` of the clustered secretaries.
    labels : array
        Cluster numbers 1..k of those rows.
    stability : sequence of float, optional
        Each cluster's bootstrap stability (mean Jaccard), in cluster order.

    Returns
    -------
    profiles : DataFrame
        Indexed by ``cluster``: ``size``, ``share``, ``name_zh``, ``name_en``,
        ``types`` and ``type_shares`` (dominant types), ``challenges``,
        ``prevalence`` and ``lift`` (top challenges, as tuples), ``median_age``,
        ``median_years_in_post``, ``median_capacity`` (NaN when nobody in the cluster
        was assessed), ``stability``, ``needs_zh`` and ``needs_en``.
    challenges : DataFrame
        :func:`challenge_table`.
    """
    labels = np.asarray(labels)
    table = challenge_table(features, labels)
    district_capacity = (
        float(np.nanmedian(features["capacity"])) if features["capacity"].notna().any() else np.nan
    )
    rows = []
    clusters = np.unique(labels)
    for i, cluster in enumerate(clusters):
        part = features[labels == cluster]
        types = dominant_types(part["community_type"])
        top = top_challenges(table, int(cluster))
        capacity = part["capacity"].dropna()
        rows.append(
            {
                "cluster": int(cluster),
                "size": len(part),
                "share": len(part) / len(features),
                "types": tuple(t for t, _ in types),
                "type_shares": tuple(round(s, 4) for _, s in types),
                "challenges": tuple(top["challenge"]),
                "prevalence": tuple(round(v, 4) for v in top["prevalence"]),
                "lift": tuple(round(v, 4) for v in top["lift"]),
                "median_age": float(part["age"].median()),
                "median_years_in_post": float(part["years_in_post"].median()),
                "median_capacity": float(capacity.median()) if len(capacity) else np.nan,
                "stability": float(stability[i]) if stability is not None else np.nan,
            }
        )
    profiles = pd.DataFrame(rows).set_index("cluster")
    names = _names(profiles)
    profiles.insert(2, "name_zh", [zh for zh, _ in names])
    profiles.insert(3, "name_en", [en for _, en in names])
    profiles["needs_zh"] = [
        _needs(row, "zh", district_capacity, features) for _, row in profiles.iterrows()
    ]
    profiles["needs_en"] = [
        _needs(row, "en", district_capacity, features) for _, row in profiles.iterrows()
    ]
    return profiles, table


def _name(types: Sequence[str], challenges: Sequence[str], lang: str) -> str:
    i = 0 if lang == "zh" else 1
    head = PHRASES["type_sep"][i].join(short_label("community_type", t, lang) for t in types)
    if not challenges:
        return head
    tail = PHRASES["list_sep"][i].join(short_label("challenge", c, lang) for c in challenges)
    return head + PHRASES["name_sep"][i] + tail


def _names(profiles: pd.DataFrame) -> list[tuple[str, str]]:
    """Names from the types and the top challenge; more challenges while two clash."""
    depth = dict.fromkeys(profiles.index, 1)

    def name(c: int, lang: str) -> str:
        row = profiles.loc[c]
        return _name(row["types"], row["challenges"][: depth[c]], lang)

    for _ in range(TOP_CHALLENGES):
        zh = [name(c, "zh") for c in profiles.index]
        clashing = [
            c
            for c, n in zip(profiles.index, zh, strict=True)
            if zh.count(n) > 1 and depth[c] < len(profiles.loc[c, "challenges"])
        ]
        if not clashing:
            break
        for c in clashing:
            depth[c] += 1
    out = [(name(c, "zh"), name(c, "en")) for c in profiles.index]
    # Still alike (same types and challenges): number them, so that names stay unique.
    zh = [n for n, _ in out]
    seen: dict[str, int] = {}
    for i, (n_zh, n_en) in enumerate(out):
        if zh.count(n_zh) > 1:
            seen[n_zh] = seen.get(n_zh, 0) + 1
            out[i] = (f"{n_zh} {seen[n_zh]}", f"{n_en} {seen[n_zh]}")
    return out


def _needs(row: pd.Series, lang: str, district_capacity: float, features: pd.DataFrame) -> str:
    i = 0 if lang == "zh" else 1
    sep = PHRASES["list_sep"][i]
    name = row["name_zh"] if lang == "zh" else row["name_en"]
    types = sep.join(
        COMMUNITY_TYPES[t].label(lang) if lang == "zh" else short_label("community_type", t, "en")
        for t in row["types"]
    )
    challenges = sep.join(
        CHALLENGES[c].label(lang) if lang == "zh" else CHALLENGES[c].en.lower()
        for c in row["challenges"]
    )
    frame = PHRASES["needs" if challenges else "needs_no_challenge"][i]
    text = frame.format(name=name, size=int(row["size"]), types=types, challenges=challenges)
    if row["median_years_in_post"] <= NEW_IN_POST_YEARS:
        text += PHRASES["new"][i].format(years=_fmt(row["median_years_in_post"]))
    elif row["median_age"] < YOUNG_AGE:
        text += PHRASES["young"][i].format(age=_fmt(row["median_age"]))
    capacity = row["median_capacity"]
    if np.isfinite(capacity) and np.isfinite(district_capacity):
        if capacity <= district_capacity - CAPACITY_GAP:
            text += PHRASES["weak"][i]
    if row["challenges"]:
        theme = row["challenges"][0]
        label = CHALLENGES[theme].label(lang) if lang == "zh" else CHALLENGES[theme].en.lower()
        text += PHRASES["base"][i].format(theme=label)
    return text + PHRASES["end"][i]


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"
