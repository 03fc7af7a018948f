"""The constraints table as the rules of a plan, and the rules a plan cannot use."""

from __future__ import annotations

from mentormatch.district import District


def constraint_pairs(d: District, mentees=None) -> tuple[list, list]:
    """The constraints table as (forbidden, required) lists of (secretary, mentor) pairs,
    limited to ``mentees`` (default: the District's mentees)."""
    ids = set(d.mentees["secretary_id"] if mentees is None else mentees)
    c = d.constraints
    rules = c[c["secretary_id"].isin(ids) & c["mentor_id"].isin(d.mentors["mentor_id"])]

    def pairs(rule: str) -> list:
        chosen = rules.loc[rules["rule"] == rule, ["secretary_id", "mentor_id"]]
        return list(chosen.itertuples(index=False, name=None))

    return pairs("forbid"), pairs("keep")


def rule_warnings(d: District) -> tuple[tuple[str, str], ...]:
    """The rules of the constraints table a plan cannot use, each as a (Chinese,
    English) sentence: a rule on a secretary who needs no mentor, who has left the post
    or is not in the roster, or on a mentor not in the roster. Such rules are left out of
    the plan (:func:`constraint_pairs`), and the plan says so (:attr:`Plan.warnings`)."""
    c = d.constraints
    if c.empty:
        return ()
    s = d.secretaries
    names = dict(zip(s["secretary_id"], s["name"], strict=True))
    gone = set(s.loc[d.departed.to_numpy(), "secretary_id"])
    mentees = set(d.mentees["secretary_id"])
    mentor_names = dict(zip(d.mentors["mentor_id"], d.mentors["name"], strict=True))
    rules = {"keep": ("保留", "keep"), "forbid": ("回避", "forbid")}
    out = []
    for sid, mid, rule in c[["secretary_id", "mentor_id", "rule"]].itertuples(index=False):
        zh_rule, en_rule = rules.get(rule, (str(rule), str(rule)))
        who = f"{sid} {names[sid]}" if sid in names else str(sid)
        whom = f"{mid} {mentor_names[mid]}" if mid in mentor_names else str(mid)
        head_zh = f"约束表中书记 {who} 与带教老师 {whom} 的{zh_rule}规则未被采用："
        head_en = f"the rule to {en_rule} {who} with mentor {whom} is not used: "
        if mid not in mentor_names:
            why = (f"带教老师 {mid} 不在带教老师名册中", f"mentor {mid} is not in the roster")
        elif sid not in names:
            why = (f"书记 {sid} 不在书记名册中", f"secretary {sid} is not in the roster")
        elif sid in gone:
            why = (f"书记 {who} 已离任", f"{who} has left the post")
        elif sid not in mentees:
            why = (
                f"书记 {who} 无需带教（名册中「是否需要带教」为否）",
                f"{who} needs no mentor (the roster says no under needs_mentor)",
            )
        else:
            continue
        out.append((head_zh + why[0] + "。", head_en[0].upper() + head_en[1:] + why[1] + "."))
    return tuple(out)
