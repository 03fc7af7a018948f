"""What each analysis needs from a District, and what to say when it is missing.

Reports and notebooks run on any roster; a roster without an assessment panel or
career records must yield a sentence saying what is missing, not a traceback.
:func:`missing` says why an analysis cannot run (English, for programs and logs);
:func:`explain` says, in Chinese or English, what the section would show and which
table would enable it (for readers); :func:`require` raises the reason as a
:class:`~mentormatch.DataError` for callers of the estimators.
"""

from __future__ import annotations

from mentormatch.district import DEPARTURE_EVENTS, District
from mentormatch.errors import DataError
from mentormatch.vocab import DIMENSIONS

__all__ = ["missing", "explain", "require", "ANALYSES"]

#: The analyses :func:`missing` knows, with what each needs (in words).
ANALYSES = {
    "matching": "secretaries who need a mentor, and mentors",
    "bases": "practice bases (bases table)",
    "capacity": "an assessment panel (assessments table)",
    "did": "an assessment panel and secretaries with and without mentoring (mentored_since)",
    "dose": "the above, and mentored secretaries whose mentor is known",
    "retention": "career records (career table) with departures",
    "rare_events": "career records (career table)",
    "previous": "last cycle's mentors (previous_mentor_id in the secretaries table)",
    "training": "an assessment panel, electives on dimensions (sessions) and a training log",
    "electives": "elective sessions (双月选训) in the sessions table",
    "findings": "inspection findings (findings table)",
    "salon": "salon records (salon_records table)",
}

#: What each analysis shows a reader (Chinese, English).
SHOWS = {
    "matching": ("带教结对方案", "the mentoring plan"),
    "bases": ("实训基地的安排及其对难题的补充", "the practice bases and the challenges they add"),
    "capacity": (
        "组织力指数（四个维度、四类来源）",
        "the capacity index (4 dimensions, 4 sources)",
    ),
    "did": ("带教对组织力指数的影响（双重差分）", "the effect of mentoring on the capacity index"),
    "dose": ("匹配分与成效的关系", "whether better pairs help more"),
    "retention": ("书记留任曲线", "how long secretaries stay in post"),
    "rare_events": ("职级晋升与定向招录人数", "promotions and recruitment as civil servants"),
    "previous": ("与上一周期结对的变化", "the changes against last cycle's pairs"),
    "training": (
        "双月选训对所训维度得分的影响",
        "the effect of electives on the dimension trained",
    ),
    "electives": ("按需分配的双月选训名额", "elective seats allocated by need"),
    "findings": ("督查发现的问题", "what on-site supervision found"),
    "salon": ("沙龙记录汇编", "the salon's records compiled by topic"),
}

# Why an analysis cannot run: key -> (Chinese, English). The English text is what
# :func:`missing` returns.
_REASONS = {
    "no_mentees": (
        "没有在任书记需要带教，无需结对。",
        "No secretary in post needs a mentor: there is nothing to match.",
    ),
    "no_mentors": (
        "名册中没有带教老师（带教老师表）。",
        "No mentors: there is nothing to match.",
    ),
    "no_bases": (
        "名册中没有实训基地（实训基地表）。",
        "No practice bases: the bases table is empty or absent.",
    ),
    "no_panel": (
        "名册中没有组织力测评数据（测评表）。",
        "No assessment panel: the capacity index and its change under mentoring "
        "cannot be estimated.",
    ),
    "no_treated": (
        "没有受测评的书记填写了带教起始年份（书记表的「带教起始年份」列），没有受带教组。",
        "No assessed secretary has a mentoring start year (mentored_since): "
        "there is no treated group.",
    ),
    "no_comparison": (
        "所有受测评的书记在同一年开始接受带教，没有对照组。",
        "Every assessed secretary started mentoring in the same year: "
        "there is no comparison group.",
    ),
    "no_switch": (
        "没有一位受带教书记在带教开始前后都参加过测评，无法估计带教前后的变化。",
        "No mentored secretary was assessed both before and after mentoring began: "
        "the change under mentoring cannot be estimated.",
    ),
    "no_dose": (
        "没有受带教的书记填写了原带教老师（书记表的「原带教老师编号」列），也不在本期方案中。",
        "No mentored secretary has a known mentor (previous_mentor_id) or is in "
        "this cycle's plan: pair scores cannot be linked to outcomes.",
    ),
    "no_career": (
        "名册中没有履职记录（履职表）。",
        "No career records: departures, promotions and recruitment as civil servants are unknown.",
    ),
    "no_departure": (
        "履职记录中没有离任记录。",
        "The career records hold no departure: retention cannot be estimated.",
    ),
    "no_previous": (
        "书记表中没有填写上一周期的带教老师（「原带教老师编号」列）。",
        "No secretary lists a mentor of the previous cycle (previous_mentor_id).",
    ),
    "no_log": (
        "名册中没有培训签到记录（培训签到表），无法知道谁参加过哪次培训。",
        "No training log (training_log table): who attended which session is unknown.",
    ),
    "no_dimension_electives": (
        "培训课程表中没有针对组织力维度的双月选训，无法估计培训对维度得分的影响。",
        "The sessions table holds no elective on a capacity-index dimension: the effect "
        "of training on a dimension cannot be estimated.",
    ),
    "no_trained_change": (
        "参加过维度选训的书记在参训当年和下一年度没有都参加测评，无法估计培训前后的变化。",
        "No secretary who attended an elective on a dimension was assessed both in that "
        "year and in the next: the change after training cannot be estimated.",
    ),
    "no_electives": (
        "培训课程表中没有双月选训课程（培训课程表，培训形式为「双月选训」）。",
        "The sessions table holds no elective (format elective): there are no seats to allocate.",
    ),
    "no_findings": (
        "名册中没有督查发现（督查发现表）。",
        "No inspection findings (findings table).",
    ),
    "no_salon": (
        "名册中没有沙龙记录（沙龙记录表）。",
        "No salon records (salon_records table).",
    ),
}


def _reason(d: District, analysis: str) -> str | None:
    if analysis not in ANALYSES:
        raise DataError(f"unknown analysis {analysis!r}; expected one of {list(ANALYSES)}")
    if analysis == "matching":
        if d.mentees.empty:
            return "no_mentees"
        if d.mentors.empty:
            return "no_mentors"
        return None
    if analysis == "bases":
        return "no_bases" if d.bases.empty else None
    if analysis == "previous":
        return None if d.secretaries["previous_mentor_id"].notna().any() else "no_previous"
    if analysis in ("capacity", "did", "dose") and d.assessments.empty:
        return "no_panel"
    if analysis in ("did", "dose"):
        since = d.secretaries["mentored_since"]
        assessed = d.secretaries["secretary_id"].isin(d.assessments["secretary_id"])
        if not (since.notna() & assessed).any():
            return "no_treated"
        if not (since.isna() & assessed).any() and since.nunique() < 2:
            return "no_comparison"
        waves = d.assessments[["secretary_id", "wave"]].drop_duplicates()
        start = waves["secretary_id"].map(d.secretaries.set_index("secretary_id")["mentored_since"])
        start = start.astype("Float64")
        before = set(waves.loc[(waves["wave"] < start).fillna(False), "secretary_id"])
        after = set(waves.loc[(waves["wave"] >= start).fillna(False), "secretary_id"])
        if not before & after:
            return "no_switch"
    if analysis == "dose":
        s = d.secretaries
        known = s["previous_mentor_id"].isin(d.mentors["mentor_id"])
        in_plan = s["secretary_id"].isin(d.mentees["secretary_id"])
        if not ((known | in_plan) & s["mentored_since"].notna()).any():
            return "no_dose"
    if analysis == "training":
        return _training_reason(d)
    if analysis == "electives":
        return None if (d.sessions["format"] == "elective").any() else "no_electives"
    if analysis == "findings":
        return "no_findings" if d.findings.empty else None
    if analysis == "salon":
        return "no_salon" if d.salon_records.empty else None
    if analysis in ("retention", "rare_events") and d.career.empty:
        return "no_career"
    if analysis == "retention" and not d.career["event"].isin(DEPARTURE_EVENTS).any():
        return "no_departure"
    return None


def _training_reason(d: District) -> str | None:
    if d.assessments.empty:
        return "no_panel"
    if d.training_log.empty:
        return "no_log"
    s = d.sessions
    on_dim = s[(s["format"] == "elective") & s["topic"].isin(DIMENSIONS.codes)]
    if on_dim.empty:
        return "no_dimension_electives"
    log = d.training_log.merge(on_dim[["session_id", "month"]], on="session_id")
    if log.empty:
        return "no_trained_change"
    year = log["month"].str[:4].astype(int)
    waves = set(zip(d.assessments["secretary_id"], d.assessments["wave"], strict=True))
    both = [
        (i, y) in waves and (i, y + 1) in waves
        for i, y in zip(log["secretary_id"], year, strict=True)
    ]
    return None if any(both) else "no_trained_change"


def missing(d: District, analysis: str) -> str | None:
    """Why ``analysis`` cannot run on ``d``, in one sentence; ``None`` if it can.

    Parameters
    ----------
    d : District
    analysis : str
        One of :data:`ANALYSES`.

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> missing(d, "did") is None
    True
    >>> print(missing(d.replace(assessments=None), "did"))
    No assessment panel: the capacity index and its change under mentoring cannot be estimated.
    """
    key = _reason(d, analysis)
    return None if key is None else _REASONS[key][1]


def explain(d: District, analysis: str, lang: str = "zh") -> str | None:
    """For a reader: what the section would show, why it cannot, and what enables it;
    ``None`` when the analysis can run.

    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1).replace(career=None)
    >>> print(explain(d, "retention", "zh"))
    本节将显示书记留任曲线，但名册中没有履职记录（履职表）。
    >>> print(explain(d, "retention", "en"))  # doctest: +NORMALIZE_WHITESPACE
    This section would show how long secretaries stay in post. No career records:
    departures, promotions and recruitment as civil servants are unknown.
    """
    key = _reason(d, analysis)
    if key is None:
        return None
    zh, en = _REASONS[key]
    shows_zh, shows_en = SHOWS[analysis]
    if lang == "zh":
        return f"本节将显示{shows_zh}，但{zh}"
    return f"This section would show {shows_en}. {en}"


def require(d: District, analysis: str) -> None:
    """Raise :class:`~mentormatch.DataError` when ``analysis`` cannot run on ``d``."""
    why = missing(d, analysis)
    if why is not None:
        raise DataError(why)
