"""Headers of the columns people read, in Chinese and English, with how to show them.

One dictionary for every table a notebook, the report or a workbook shows. A column's
``kind`` says how its values read (see :func:`mentormatch.present.format.cell`):
``vocab:<name>`` shows a vocabulary label for a code, ``vocabs:<name>`` a list of
them, ``percent`` a share as a percentage, ``bool`` 是/否.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Column", "COLUMNS"]


class Column(NamedTuple):
    zh: str
    en: str
    kind: str = "text"


def _c(zh: str, en: str, kind: str = "text") -> Column:
    return Column(zh, en, kind)


COLUMNS: dict[str, Column] = {
    # --- the roster ---------------------------------------------------------------
    "secretary_id": _c("书记编号", "Secretary ID"),
    "name": _c("姓名", "Name"),
    "gender": _c("性别", "Gender", "vocab:gender"),
    "birth_year": _c("出生年份", "Born", "year"),
    "education": _c("学历", "Education", "vocab:education"),
    "appointed_year": _c("任职年份", "Appointed", "year"),
    "street_town": _c("街镇", "Sub-district/town", "vocab:street_town"),
    "community_id": _c("居民区编号", "Community ID"),
    "community_name": _c("居民区", "Community"),
    "community_type": _c("小区类型", "Community type", "vocab:community_type"),
    "community_types": _c("熟悉小区类型", "Community types known", "vocabs:community_type"),
    "households": _c("户数", "Households", "int"),
    "share_aged_60_plus": _c("60岁以上占比", "Aged 60+", "percent"),
    "challenges": _c("主要难题", "Challenges", "vocabs:challenge"),
    "needs_mentor": _c("需要带教", "Needs a mentor", "bool"),
    "mentored_since": _c("带教起始年份", "Mentored since", "year"),
    "mentor_id": _c("带教老师编号", "Mentor ID"),
    "mentor_name": _c("带教老师", "Mentor"),
    "years_as_secretary": _c("书记年限", "Years as secretary", "int"),
    "expertise": _c("擅长领域", "Expertise", "vocabs:challenge"),
    "capacity": _c("名额", "Places", "int"),
    "min_load": _c("最少带教人数", "Minimum load", "int"),
    "load": _c("已带教", "Load", "int"),
    "base_id": _c("实训基地编号", "Base ID"),
    "base_name": _c("实训基地", "Practice base"),
    "themes": _c("带教主题", "Themes", "vocabs:challenge"),
    "wave": _c("年度", "Wave", "year"),
    "year": _c("年份", "Year", "year"),
    "dimension": _c("维度", "Dimension", "vocab:dimension"),
    "source": _c("来源", "Source", "vocab:source"),
    "event": _c("事件", "Event", "vocab:career_event"),
    "rule": _c("规则", "Rule", "vocab:rule"),
    "cohort": _c("年龄段", "Cohort", "vocab:cohort"),
    # --- the district at a glance and the published figures -------------------------
    "item": _c("项目", "Item"),
    "value": _c("数值", "Value"),
    "published": _c("公开数据", "Published"),
    "this_roster": _c("本名册", "This roster"),
    "met": _c("是否相符", "Matches", "bool"),
    # --- plans ------------------------------------------------------------------------
    "status": _c("结对状态", "Status"),
    "score": _c("匹配分", "Score", "float"),
    "challenge": _c("难题匹配", "Challenge fit", "float"),
    "type": _c("类型匹配", "Type fit", "float"),
    "proximity": _c("就近程度", "Proximity", "float"),
    "continuity": _c("延续性", "Continuity", "float"),
    "coverage": _c("难题覆盖率", "Challenges covered", "percent"),
    "reason": _c("结对理由", "Why this pair"),
    "unplaced_reason": _c("未结对原因", "Why not placed"),
    "alternates": _c("备选带教老师", "Next-best mentors"),
    "component": _c("分项", "Component"),
    "weight": _c("权重", "Weight", "percent"),
    "measures": _c("含义", "What it measures"),
    "figure": _c("指标", "Figure"),
    "objective": _c("目标", "Objective"),
    "mentees": _c("带教对象", "Mentees"),
    "room": _c("空余名额", "Places left", "int"),
    # --- clusters -----------------------------------------------------------------------
    "k": _c("聚类数", "k", "int"),
    "silhouette": _c("轮廓系数", "Silhouette", "float"),
    "cost": _c("总距离", "Cost", "float"),
    "elbow": _c("肘部指标", "Elbow", "float"),
    "stability_min": _c("最低稳定性", "Least stable cluster", "float"),
    "stability_mean": _c("平均稳定性", "Mean stability", "float"),
    "n_unstable": _c("不稳定聚类数", "Unstable clusters", "int"),
    "chosen": _c("选定", "Chosen", "bool"),
    "cluster": _c("类别", "Cluster"),
    "cluster_no": _c("类别编号", "Cluster no.", "int"),
    "size": _c("人数", "Secretaries", "int"),
    "share": _c("占比", "Share", "percent"),
    "types": _c("主要小区类型", "Main community types"),
    "top_challenges": _c("突出难题（占比，倍数）", "Leading challenges (share, lift)"),
    "median_age": _c("年龄中位数", "Median age", "int"),
    "median_years_in_post": _c("任职年限中位数", "Median years in post", "int"),
    "median_capacity": _c("组织力指数中位数", "Median capacity index", "float"),
    "stability": _c("稳定性", "Stability", "float"),
    # --- salon groups ---------------------------------------------------------------------
    "group": _c("组别", "Group", "int"),
    "facilitators": _c("主持人数", "Facilitators", "int"),
    "lead": _c("组长", "Lead"),
    "lead_index": _c("组长组织力指数", "Lead's capacity index", "float"),
    "diversity": _c("组内多样性", "Diversity within", "float"),
    "mean_capacity": _c("平均组织力指数", "Mean capacity index", "float"),
    "young_share": _c("80后占比", "Born 1980+", "percent"),
    "baseline": _c("对照", "Baseline"),
    "mean": _c("均值", "Mean", "float"),
    "sd": _c("标准差", "SD", "float"),
    "min": _c("最小值", "Minimum", "float"),
    "max": _c("最大值", "Maximum", "float"),
    "ours": _c("本方案", "Our groups", "float"),
    "percentile": _c("百分位", "Percentile", "int"),
    "month": _c("月份", "Month", "int"),
    "topic": _c("议题", "Topic"),
    "kind": _c("类型", "Kind"),
    "why": _c("理由", "Why"),
    "note": _c("说明", "Note"),
    # --- evaluation ---------------------------------------------------------------------
    "strategy": _c("策略", "Strategy"),
    "placed": _c("结对人数", "Placed", "int"),
    "mean_score": _c("平均匹配分", "Mean score", "float"),
    "mean_score_ci": _c("平均匹配分（95%区间）", "Mean score (95% interval)"),
    "min_score": _c("最低匹配分", "Worst score", "float"),
    "coverage_ci": _c(
        "难题覆盖率（带教＋基地，95%区间）", "Challenges covered, mentor + base (95%)"
    ),
    "near_share": _c("同街镇或相邻", "Same or next unit", "percent"),
    "loads": _c("带教人数范围", "Loads"),
    "blocking_pairs": _c("阻塞对", "Blocking pairs", "int"),
    "pct_random": _c("优于随机方案的比例", "Beats random plans", "percent"),
    "estimate": _c("估计值", "Estimate", "float"),
    "se": _c("标准误", "Std. error", "float"),
    "ci": _c("95%置信区间", "95% interval"),
    "truth": _c("真实值（合成数据）", "Truth (synthetic data)", "float"),
    "n_treated": _c("受带教人数", "Mentored", "int"),
    "n_secretaries": _c("书记人数", "Secretaries", "int"),
    "n_random": _c("随机分组数", "Random partitions", "int"),
    "events": _c("人次", "Events", "int"),
    "rate": _c("比例", "Rate", "percent"),
    "at_risk": _c("在任人数", "At risk", "int"),
    "departures": _c("离任人数", "Departures", "int"),
    "survival": _c("留任概率", "Staying", "percent"),
    "years": _c("任职年数", "Years in post", "int"),
    "dose": _c("匹配分", "Pair score", "float"),
}
