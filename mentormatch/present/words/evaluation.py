"""Part 05 of the report, the evaluation: strategies against baselines with intervals,
pairing quality, the programme effect (difference-in-differences, event study, dose)
and retention and rare career events."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch import lang as _lang
from mentormatch.present.words._common import _n
from mentormatch.present.words.plans import FIGURES

# --- Evaluation -------------------------------------------------------------------------


def _ci(low: float, high: float, digits: int) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return "—"
    return f"{low:.{digits}f} – {high:.{digits}f}"


def _with_ci(value: float, low: float, high: float, digits: int, percent: bool = False) -> str:
    if not np.isfinite(value):
        return "—"
    if percent:
        return (
            f"{value:.0%}（{low:.0%} – {high:.0%}）"
            if _lang.current() == "zh"
            else (f"{value:.0%} ({low:.0%} – {high:.0%})")
        )
    inner = _ci(low, high, digits)
    return (
        f"{value:.{digits}f}（{inner}）"
        if _lang.current() == "zh"
        else f"{value:.{digits}f} ({inner})"
    )


def strategies(comparison) -> pd.DataFrame:
    """The strategies side by side, each figure with its interval, for reading."""
    from mentormatch.evaluate.baselines import STRATEGIES

    t = comparison.table
    i = 0 if _lang.current() == "zh" else 1
    return pd.DataFrame(
        {
            "strategy": [STRATEGIES[s][i] for s in t.index],
            "placed": t["placed"].to_numpy(),
            "mean_score_ci": [
                _with_ci(v, lo, hi, 3)
                for v, lo, hi in zip(
                    t["mean_score"], t["mean_score_low"], t["mean_score_high"], strict=True
                )
            ],
            "min_score": t["min_score"].to_numpy(),
            "coverage_ci": [
                _with_ci(v, lo, hi, 0, percent=True)
                for v, lo, hi in zip(
                    t["coverage_mentor_and_base"],
                    t["coverage_mentor_and_base_low"],
                    t["coverage_mentor_and_base_high"],
                    strict=True,
                )
            ],
            "near_share": t["near_share"].to_numpy(),
            "loads": [
                f"{lo:.0f}–{hi:.0f}" if np.isfinite(lo) else "—"
                for lo, hi in zip(t["load_min"], t["load_max"], strict=True)
            ],
            "blocking_pairs": t["blocking_pairs"].to_numpy(),
            "pct_random": (t["mean_score_pct_random"] / 100).to_numpy(),
        }
    )


#: Labels for :func:`strategies` where the general ones do not fit.
STRATEGY_LABELS = {
    "blocking_pairs": ("阻塞对", "Blocking pairs", "float"),
    "pct_random": ("平均匹配分优于随机方案的比例", "Mean score beats random plans", "percent"),
    "placed": ("结对人数", "Placed", "int"),
}


def quality_headline(comparison) -> tuple[str, str]:
    """Mean score and challenge coverage of the optimal plan against random plans."""
    t = comparison.table
    if "total" not in t.index or not np.isfinite(t.loc["total", "mean_score"]):
        note = t.loc["total", "note"] if "total" in t.index else ""
        return (
            f"无法比较匹配质量：最优方案无解（{note}）。",
            f"Pairing quality cannot be compared: the optimal plan has no solution ({note}).",
        )
    if "random" not in t.index:
        best = t.loc["total"]
        return (
            f"最优方案平均匹配分 {best['mean_score']:.2f}；未抽取随机方案作比较。",
            f"The optimal plan's mean pair score is {best['mean_score']:.2f}; no random plans "
            "were drawn to compare.",
        )
    best, rnd = t.loc["total"], t.loc["random"]
    n = comparison.n_random
    pct = best["mean_score_pct_random"]
    beats_zh = "高于全部" if pct >= 100 else f"高于 {pct:.0f}% 的"
    beats_en = "better than every one" if pct >= 100 else f"better than {pct:.0f}%"
    return (
        f"最优方案平均匹配分 {best['mean_score']:.2f}（95% 区间 "
        f"{_ci(best['mean_score_low'], best['mean_score_high'], 2)}），"
        f"{beats_zh} {_n(n)} 个随机方案"
        f"（随机平均 {rnd['mean_score']:.2f}）；书记的难题由带教老师与实训基地覆盖 "
        f"{best['coverage_mentor_and_base']:.0%}，随机方案 {rnd['coverage_mentor_and_base']:.0%}。",
        f"The optimal plan's mean pair score is {best['mean_score']:.2f} (95% interval "
        f"{_ci(best['mean_score_low'], best['mean_score_high'], 2)}), {beats_en} of {_n(n)} "
        f"random plans (random mean {rnd['mean_score']:.2f}); mentor and base cover "
        f"{best['coverage_mentor_and_base']:.0%} of the mentees' challenges, against "
        f"{rnd['coverage_mentor_and_base']:.0%} in random plans.",
    )


#: The quality figures of one plan (:func:`mentormatch.evaluate_plan`), as labelled.
QUALITY = {
    key: FIGURES[key]
    for key in (
        "mentees",
        "placed",
        "mean_score",
        "min_score",
        "coverage_mentor",
        "coverage_mentor_and_base",
        "same_unit_share",
        "near_share",
        "load_gini",
        "blocking_pairs",
        "rule_violations",
        "kept",
        "changed",
        "new",
        "kept_share",
    )
}


def effect(result) -> tuple[str, str]:
    """The programme effect with its interval (and the truth, when known)."""
    est, lo, hi = result.estimate, result.ci_low, result.ci_high
    zh = (
        f"带教使组织力指数平均提高 {est:+.2f} 分（95% 置信区间 {lo:+.2f} 至 {hi:+.2f}；"
        f"{_n(result.n_treated)} 名受带教书记，共 {_n(result.n_secretaries)} 名书记）"
    )
    en = (
        f"Mentoring raised the capacity index by {est:+.2f} points (95% interval {lo:+.2f} "
        f"to {hi:+.2f}; {_n(result.n_treated)} mentored of {_n(result.n_secretaries)} "
        "secretaries)"
    )
    if result.truth is not None:
        inside = lo <= result.truth <= hi
        zh += f"；合成数据的真实效应为 {result.truth:+.2f}，{'在' if inside else '不在'}区间内"
        where = "inside" if inside else "outside"
        en += f"; the synthetic data's true effect is {result.truth:+.2f}, {where} the interval"
    return zh + "。", en + "."


def effect_table(result) -> pd.DataFrame:
    row = {
        "estimate": result.estimate,
        "se": result.se,
        "ci": _ci(result.ci_low, result.ci_high, 2),
        "n_treated": result.n_treated,
        "n_secretaries": result.n_secretaries,
    }
    if result.truth is not None:
        row["truth"] = result.truth
    return pd.DataFrame([row])


def no_effect_headline(d) -> tuple[str, str]:
    """Why the programme effect cannot be estimated on this roster."""
    from mentormatch.evaluate.needs import explain

    return explain(d, "did", "zh"), explain(d, "did", "en")


def event_study(study) -> tuple[str, str]:
    p = study.pretrend_p
    t = study.table
    after = t[t["event_time"] >= 0]

    def year(label: str, zh: bool) -> str:
        if label.startswith(">="):
            return f"第 {label[2:]} 年及以后" if zh else f"year {label[2:]} on"
        return f"第 {label} 年" if zh else f"year {label}"

    effects_zh = "、".join(
        f"{year(str(r['label']), True)} {r['estimate']:+.1f}" for _, r in after.iterrows()
    )
    effects_en = ", ".join(
        f"{year(str(r['label']), False)}: {r['estimate']:+.1f}" for _, r in after.iterrows()
    )
    if not np.isfinite(p):
        test_zh = "带教开始前的年份太少，无法检验平行趋势"
        test_en = "Too few years before mentoring to test for parallel trends"
    elif p >= 0.05:
        test_zh = f"带教开始前各年的差异联合检验 p = {p:.2f}：无明显差异（平行趋势成立）"
        test_en = (
            f"Before mentoring the joint test of the leads gives p = {p:.2f}: no sign of "
            "diverging trends"
        )
    else:
        test_zh = f"带教开始前各年的差异联合检验 p = {p:.2f}：存在差异（平行趋势存疑）"
        test_en = (
            f"Before mentoring the joint test of the leads gives p = {p:.2f}: the trends diverge"
        )
    return (
        f"{test_zh}。开始后各年的效应：{effects_zh}。",
        f"{test_en}. Effects from the start year on: {effects_en}.",
    )


def dose(result) -> tuple[str, str]:
    if result.note:
        return (
            f"已知匹配分的受带教书记只有 {result.n_with_dose} 名（共 {result.n_mentored} 名），"
            "少于 20 名，无法估计效应如何随匹配分变化。",
            result.note,
        )
    zh = (
        f"已知匹配分的受带教书记 {result.n_with_dose} 名（共 {result.n_mentored} 名，平均匹配分 "
        f"{result.mean_dose:.2f}）：平均匹配分处的效应 {result.effect:+.2f}"
        f"（{result.effect_low:+.2f} 至 {result.effect_high:+.2f}），匹配分每高 0.1，"
        f"效应变化 {result.slope:+.2f}（{result.slope_low:+.2f} 至 "
        f"{result.slope_high:+.2f}）"
    )
    en = (
        f"Dose known for {result.n_with_dose} of {result.n_mentored} mentored secretaries "
        f"(mean pair score {result.mean_dose:.2f}): effect at the mean dose "
        f"{result.effect:+.2f} ({result.effect_low:+.2f} to {result.effect_high:+.2f}); per "
        f"0.1 of pair score {result.slope:+.2f} ({result.slope_low:+.2f} to "
        f"{result.slope_high:+.2f})"
    )
    if result.truth is not None:
        zh += f"；真实效应 {result.truth:+.2f}，真实斜率 {result.truth_slope:+.2f}"
        en += f"; true effect {result.truth:+.2f}, true slope {result.truth_slope:+.2f}"
    return zh + "。", en + "."


def dose_people(result, d) -> pd.DataFrame:
    p = result.people
    names = d.secretaries.set_index("secretary_id")["name"]
    mentors = d.mentors.set_index("mentor_id")["name"]
    return pd.DataFrame(
        {
            "name": p["secretary_id"].map(names),
            "mentor_name": p["mentor_id"].map(mentors),
            "dose": p["dose"],
            "own_effect": p["own_effect"],
        }
    )


DOSE_LABELS = {"own_effect": ("个人效应（估计）", "Own effect (estimate)", "float")}


def retention(result) -> tuple[str, str]:
    from mentormatch.evaluate.retention import COHORTS

    counts = result.people.groupby("group", sort=False)["left"].agg(["size", "sum"])
    zh_parts = "；".join(
        f"{COHORTS[g][0]}：{int(r['size'])} 人中 {int(r['sum'])} 人离任"
        for g, r in counts.iterrows()
    )
    en_parts = "; ".join(
        f"{COHORTS[g][1]}: {int(r['sum'])} of {int(r['size'])} left" for g, r in counts.iterrows()
    )
    p = result.logrank_p
    if np.isfinite(p):
        test_zh = f"对数秩检验 p = {p:.3f}"
        test_en = f"log-rank test p = {p:.3f}"
    else:
        test_zh = "离任人数太少，无法做对数秩检验"
        test_en = "too few departures for a log-rank test"
    return (
        f"自 {result.observed_from} 年起记录离任（截至 {result.censor_year} 年）："
        f"{zh_parts}；{test_zh}。",
        f"Departures recorded from {result.observed_from} (censored {result.censor_year}): "
        f"{en_parts}; {test_en}.",
    )


def retention_table(result) -> pd.DataFrame:
    from mentormatch.evaluate.retention import COHORTS

    t = result.table()
    i = 0 if _lang.current() == "zh" else 1
    return pd.DataFrame(
        {
            "cohort_name": t["group"].map(lambda g: COHORTS[g][i]),
            "years": t["years_in_post"].astype(int),
            "survival": t["still_in_post"],
            "ci": [
                f"{lo:.0%} – {hi:.0%}" if np.isfinite(lo) else "—"
                for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)
            ],
            "at_risk": t["at_risk"].astype(int),
        }
    )


RETENTION_LABELS = {"cohort_name": ("年龄段", "Cohort")}

_GROUPS = {
    "all": ("全体", "all"),
    "mentored": ("受带教", "mentored"),
    "not_mentored": ("未受带教", "not mentored"),
    "born_1980_or_later": ("80后、90后", "born 1980 or later"),
    "born_before_1980": ("1980年前出生", "born before 1980"),
}


def rare_events(result) -> pd.DataFrame:
    from mentormatch.vocab import CAREER_EVENTS

    t = result.to_frame()
    lang = _lang.current()
    i = 0 if lang == "zh" else 1
    return pd.DataFrame(
        {
            "event": t["event"].map(lambda e: CAREER_EVENTS[e].label(lang)),
            "group_name": t["group"].map(lambda g: _GROUPS.get(g, (g, g))[i]),
            "events": t["count"].astype(int),
            "n_secretaries": t["n"].astype(int),
            "rate": t["share"],
            "ci": [
                f"{lo:.1%} – {hi:.1%}" for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)
            ],
        }
    )


RARE_LABELS = {
    "event": ("事件", "Event"),
    "group_name": ("人群", "Group"),
}
