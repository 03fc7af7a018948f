"""Every word the workbench shows, in Chinese and English, in one place.

:func:`say` picks one language; ``{}`` fields are filled with :meth:`str.format`. Labels
of domain codes (sub-districts, community types, challenges) come from
:mod:`mentormatch.vocab`, headers of plan columns from
:data:`mentormatch.present.labels.COLUMNS`, and each objective's name and one-line
explanation from :data:`mentormatch.export.plan_book.OBJECTIVE_WORDS`; this module
holds only the workbench's own words.
"""

from __future__ import annotations

__all__ = ["WORDS", "say", "DISTANCE_WORDS", "WEIGHT_WORDS", "RULE_WORDS"]

#: key -> (Chinese, English)
WORDS: dict[str, tuple[str, str]] = {
    # --- the page ------------------------------------------------------------------------
    "title": ("带教结对工作台", "Mentoring planner's workbench"),
    "subtitle": (
        "载入名册，检查数据，设定规则，求解，手工调整，下载方案。",
        "Load a roster, check it, set the rules, solve, adjust by hand, download.",
    ),
    "language": ("语言", "Language"),
    "busy": ("正在处理…", "Working…"),
    "solving": ("正在求解…", "Solving…"),
    "loading": ("正在载入名册…", "Loading the roster…"),
    "measuring": ("正在计算调整的影响…", "Measuring the change…"),
    "comparing": ("正在与随机方案比较…", "Comparing with random plans…"),
    "writing": ("正在生成工作簿…", "Writing the workbook…"),
    "grouping": ("正在分组并生成工作簿…", "Forming the groups and writing the workbook…"),
    "reporting": (
        "正在生成报告（运行 {n} 个笔记本，约需半分钟）…",
        "Building the report (running {n} notebooks, about half a minute)…",
    ),
    "report_progress": ("已完成 {done}/{n} 个笔记本", "{done} of {n} notebooks done"),
    "done_in": ("用时 {seconds:.1f} 秒", "took {seconds:.1f} s"),
    # --- 1. load ---------------------------------------------------------------------------
    "step_load": ("1. 载入名册", "1. Load a roster"),
    "load_help": (
        "上传 Excel 工作簿（.xlsx），或 CSV 文件打包的 .zip；也可先用示例名册试一试。",
        "Upload an Excel workbook (.xlsx) or a .zip of CSV files, or try the sample roster.",
    ),
    "upload": ("上传名册", "Upload a roster"),
    "use_sample": ("使用示例名册", "Use the sample roster"),
    "sample_name": ("示例名册", "the sample roster"),
    "loaded": (
        "已载入「{source}」：在任书记 {in_post} 名，带教老师 {mentors} 名，实训基地 {bases} 个。",
        "Loaded {source}: {in_post} secretaries in post, {mentors} mentors, "
        "{bases} practice bases.",
    ),
    "synthetic_note": ("（合成数据，非真实人员）", " (synthetic data, no real person)"),
    "problems_head": (
        "名册中有 {n} 个问题，改正后请重新上传；改正之前无法继续。",
        "The roster has {n} problems: fix them and upload it again; nothing else runs until then.",
    ),
    "problems_more": (
        "已列出前 {n} 个问题，其余未再查找。",
        "Stopped looking after {n} problems.",
    ),
    "warnings_head": (
        "以下 {n} 处数值是推测读取的，请核对：",
        "{n} values were read by guessing; please check them:",
    ),
    "unsupported": (
        "无法读取 {name}：请上传 .xlsx 工作簿，或把 CSV 文件打包成 .zip 上传。",
        "Cannot read {name}: upload an .xlsx workbook or a .zip of CSV files.",
    ),
    "bad_zip": (
        "{name} 不是有效的 .zip 压缩包，请重新打包后上传。",
        "{name} is not a valid .zip archive; pack it again and upload it.",
    ),
    "empty_zip": (
        "{name} 中没有 CSV 文件或 .xlsx 工作簿。",
        "{name} holds no CSV files and no .xlsx workbook.",
    ),
    "col_source": ("工作表或文件", "Sheet or file"),
    "col_row": ("Excel 行号", "Excel row"),
    "col_column": ("列", "Column"),
    "col_value": ("填写的值", "Value"),
    "col_expected": ("应为", "What is expected"),
    "col_suggestion": ("修改建议", "Suggestion"),
    # --- 2. at a glance ---------------------------------------------------------------------
    "step_glance": ("2. 概况", "2. The district at a glance"),
    "glance_mentees": ("需要带教的书记", "Need a mentor"),
    "glance_mentors": ("带教老师", "Mentors"),
    "glance_places": ("带教名额", "Places"),
    "glance_per_mentor": ("每位老师名额", "Places per mentor"),
    "glance_shortfall": ("名额缺口", "Shortfall"),
    "glance_spare": ("空余名额", "Places to spare"),
    "glance_short_note": (
        "名额比需要带教的书记少 {n} 个：默认生成部分方案，未结对的书记会列出原因和最小调整。",
        "{n} places fewer than mentees: a partial plan is made by default, and each mentee "
        "left out is listed with the reason and the smallest fix.",
    ),
    "glance_ok_note": (
        "名额足够：每位需要带教的书记都能安排带教老师（除非规则排除）。",
        "Enough places: every mentee can have a mentor (unless the rules rule it out).",
    ),
    "range": ("{low}–{high} 个", "{low}–{high}"),
    # --- 3. rules ---------------------------------------------------------------------------
    "step_rules": ("3. 规则", "3. Rules"),
    "objective": ("目标", "Objective"),
    "weights": ("匹配分权重", "Score weights"),
    "weights_help": (
        "各分项按比例计入匹配分（自动归一为 100%）：{shares}",
        "Each component counts in proportion (normalised to 100%): {shares}",
    ),
    "distance": ("距离限制", "Distance rule"),
    "places": ("带教名额", "Places per mentor"),
    "places_help": (
        "选择带教老师，修改名额后点「改名额」。",
        "Pick a mentor, change the places and press Set places.",
    ),
    "set_places": ("改名额", "Set places"),
    "places_changed": ("（原为 {old}）", " (was {old})"),
    "mentor": ("带教老师", "Mentor"),
    "mentee": ("书记", "Secretary"),
    "pairs": ("保留或回避的结对", "Pairs to keep or forbid"),
    "pairs_help": (
        "「保留」：这名书记必须由这位老师带教；「回避」：不得由这位老师带教。",
        "Keep: this secretary must go to this mentor. Forbid: never to this mentor.",
    ),
    "add_pair": ("添加规则", "Add the rule"),
    "remove_pairs": ("删除所选规则", "Remove the chosen rules"),
    "no_pairs": ("（尚无结对规则）", "(no rules on pairs yet)"),
    "pair_line": ("{rule}：{mentee} — {mentor}{origin}", "{rule}: {mentee} — {mentor}{origin}"),
    "from_roster": ("（名册约束表）", " (roster's constraints table)"),
    "partial": ("允许部分方案（名额不足时把能安排的都安排上）", "Allow a partial plan"),
    "partial_help": (
        "名额不足时默认勾选；不勾选时，如无法为每位书记安排老师，会说明原因和调整办法。",
        "On by default when places are short; when off and not everyone can be placed, "
        "the reason and the fix are shown.",
    ),
    "rule_error": ("规则无法设置：{message}", "The rule cannot be set: {message}"),
    # --- 4. solve and review ----------------------------------------------------------------
    "step_solve": ("4. 求解与审阅", "4. Solve and review"),
    "solve": ("求解", "Solve"),
    "solve_help": (
        "按上面的规则求出最优方案（会清除第 5 步的调整）。",
        "Finds the best plan under the rules above (clears the adjustments of step 5).",
    ),
    "stale": (
        "规则已更改：当前方案按旧规则求得，请重新求解。",
        "The rules have changed: the plan shown was made under the old rules; solve again.",
    ),
    "infeasible": ("无法按这些规则生成方案：", "No plan meets these rules. "),
    "infeasible_short": (
        "名额短缺 {n} 个：需要带教的书记 {mentees} 名，带教名额共 {places} 个。",
        "Places are short by {n}: {mentees} mentees, {places} places.",
    ),
    "infeasible_add": (
        "为以下带教老师增加名额即可全部结对：{who}。",
        "More places with these mentors would place everyone: {who}.",
    ),
    "infeasible_add_one": ("{mentor}{n} 个", "{mentor} {n}"),
    "infeasible_hint": (
        "可在第 3 步勾选「允许部分方案」，未结对的书记会列出原因和最小调整。",
        "Tick Allow a partial plan in step 3: the mentees left out are listed with the "
        "reason and the smallest fix.",
    ),
    "solved": (
        "已结对 {placed}/{mentees} 名；总匹配分 {total:.2f}，平均 {mean:.3f}，最低 {low:.3f}；"
        "阻塞对 {blocking} 个；难题覆盖率（老师＋基地）{coverage}。",
        "{placed} of {mentees} placed; total score {total:.2f}, mean {mean:.3f}, worst "
        "{low:.3f}; {blocking} blocking pairs; challenges covered (mentor + base) {coverage}.",
    ),
    "plan_by_mentor": ("按带教老师查看方案", "The plan by mentor"),
    "show_mentor": ("显示", "Show"),
    "all_mentors": ("全部带教老师", "All mentors"),
    "mentor_head": (
        "{name}（{id}）· {unit} · 带教 {load}/{capacity} 人",
        "{name} ({id}) · {unit} · {load} of {capacity} places",
    ),
    "no_mentees": ("（本方案中没有带教对象）", "(no mentees in this plan)"),
    "rows_cut": (
        "只显示前 {shown} 位带教老师（共 {n} 位）；完整方案请下载工作簿，或在上方选择一位老师。",
        "Showing the first {shown} of {n} mentors: download the workbook for the whole plan, "
        "or pick one mentor above.",
    ),
    "unplaced_head": ("未能结对的书记（{n} 名）", "Not placed ({n})"),
    "unplaced_none": ("所有需要带教的书记都已结对。", "Every mentee is placed."),
    "locked_mark": ("已锁定", "locked"),
    "moved_mark": ("手工调整", "moved by hand"),
    "charts": ("方案质量", "Plan quality"),
    "chart_title": (
        "与 {n} 个随机方案比较（规则相同）",
        "Against {n} random plans under the same rules",
    ),
    "chart_mean": ("平均匹配分", "Mean pair score"),
    "chart_mean_axis": ("平均匹配分（0–1）", "Mean pair score (0–1)"),
    "chart_coverage": ("难题覆盖率（老师＋基地）", "Challenges covered (mentor + base)"),
    "chart_coverage_axis": ("难题覆盖率", "Challenges covered"),
    "chart_count": ("随机方案个数", "Random plans"),
    "chart_random": ("随机方案", "Random plans"),
    "chart_beats": ("{name}（优于 {pct} 的随机方案）", "{name} (beats {pct} of random plans)"),
    "chart_spread": ("结对匹配分的分布", "Pair scores of the placed mentees"),
    "chart_spread_axis": ("匹配分（0–1，虚线：平均值）", "Pair score (0–1, dashed: mean)"),
    "chart_spread_count": ("书记人数", "Mentees"),
    "chart_mean_of": ("{name}（平均 {mean:.3f}）", "{name} (mean {mean:.3f})"),
    # --- 5. adjust --------------------------------------------------------------------------
    "step_adjust": ("5. 手工调整", "5. Adjust by hand"),
    "adjust_help": (
        "锁定一对，或把书记改派给另一位老师（改派的结对自动锁定），立即看到代价；"
        "「重新求解」保留锁定的结对，其余重新优化。",
        "Lock a pair, or move a mentee to another mentor (a moved pair is locked), and see "
        "at once what it costs; Re-solve keeps the locked pairs and optimises the rest.",
    ),
    "lock": ("锁定现有结对", "Lock this pair"),
    "unlock": ("解锁", "Unlock"),
    "move": ("改派给所选老师", "Move to this mentor"),
    "resolve": ("重新求解（保留锁定）", "Re-solve around the locks"),
    "undo": ("撤销全部调整", "Undo all changes"),
    "nobody": ("（不安排带教老师）", "(no mentor)"),
    "mentee_option": ("{name}（{id}）— {now}", "{name} ({id}) — {now}"),
    "unplaced_now": ("未结对", "not placed"),
    "mentor_option": ("{name}（{id}）{load}/{capacity}", "{name} ({id}) {load}/{capacity}"),
    "locks_head": ("已锁定的结对（{n} 对）：", "Locked pairs ({n}):"),
    "no_locks": ("（尚未锁定任何结对）", "(no pair locked yet)"),
    "cost_head": ("与求解方案相比", "Against the solved plan"),
    "fig_placed": ("已结对人数", "Placed"),
    "fig_total": ("总匹配分", "Total score"),
    "fig_mean": ("平均匹配分", "Mean score"),
    "fig_blocking": ("阻塞对", "Blocking pairs"),
    "fig_broken": ("违反的规则", "Rules broken"),
    "col_solved": ("求解方案", "Solved plan"),
    "col_current": ("当前方案", "This plan"),
    "col_change": ("变化", "Change"),
    "broken_none": ("当前方案没有违反任何规则。", "This plan breaks no rule."),
    "broken_head": ("当前方案违反 {n} 条规则：", "This plan breaks {n} rules:"),
    "broken_forbid": (
        "回避规则被打破：{mentee}不应由{mentor}带教",
        "Forbid rule broken: {mentee} must not go to {mentor}",
    ),
    "broken_keep": (
        "保留规则被打破：{mentee}应由{mentor}带教",
        "Keep rule broken: {mentee} should stay with {mentor}",
    ),
    "broken_capacity": (
        "名额超出：{mentor}带教 {load} 人，名额 {limit} 个",
        "Over capacity: {mentor} has {load} mentees for {limit} places",
    ),
    "broken_min_load": (
        "低于最少带教人数：{mentor}带教 {load} 人，至少应为 {limit} 人",
        "Below the minimum load: {mentor} has {load} mentees, at least {limit} wanted",
    ),
    "broken_distance": (
        "超出距离限制（{rule}）：{mentee} — {mentor}",
        "Outside the distance rule ({rule}): {mentee} — {mentor}",
    ),
    "blocking_help": (
        "阻塞对：一名书记和一位老师都更愿意彼此结对（书记更看重这位老师，老师有空余名额或更看重这名书记）。",
        "Blocking pair: a mentee and a mentor who would both rather be together (the mentee "
        "prefers the mentor, who has a free place or prefers the mentee).",
    ),
    "need_plan": ("请先在第 4 步求解。", "Solve in step 4 first."),
    # --- 6. download ------------------------------------------------------------------------
    "step_download": ("6. 下载", "6. Download"),
    "download_plan": ("生成结对方案工作簿", "Make the plan workbook"),
    "download_groups": ("生成沙龙分组工作簿", "Make the salon groups workbook"),
    "download_report": ("生成完整报告", "Make the full report"),
    "n_groups": ("沙龙分组数", "Salon groups"),
    "n_groups_help": (
        "默认与报告相同：{n} 组（每组都有主持人）。",
        "As in the report by default: {n} groups (each with a facilitator).",
    ),
    "report_help": (
        "报告按名册和第 3 步的规则重新计算全部分析（不含第 5 步的手工调整），约需半分钟。",
        "The report recomputes every analysis from the roster and the rules of step 3 "
        "(not the changes made by hand in step 5); it takes about half a minute.",
    ),
    "link": ("下载 {name}（{size}）", "Download {name} ({size})"),
    "plan_file": ("结对方案.xlsx", "mentoring_plan.xlsx"),
    "groups_file": ("沙龙分组.xlsx", "salon_groups.xlsx"),
    "report_file": ("带教报告.html", "mentoring_report.html"),
    "failed": ("未能完成：{message}", "Could not finish: {message}"),
}

#: The distance rules of :data:`mentormatch.plan.DISTANCE_RULES` (and none), in words.
DISTANCE_WORDS: dict[str | None, tuple[str, str]] = {
    None: ("不限（就近程度计入匹配分）", "No limit (proximity counts in the score)"),
    "same": ("仅同一街镇", "Same sub-district/town only"),
    "neighbouring": ("同一或相邻街镇", "Same or a neighbouring unit"),
}
#: The score components of :data:`mentormatch.scoring.MENTOR_WEIGHTS`, in words.
WEIGHT_WORDS: dict[str, tuple[str, str]] = {
    "challenge": ("难题匹配", "Challenge fit"),
    "type": ("小区类型", "Community type"),
    "proximity": ("就近程度", "Proximity"),
    "continuity": ("延续关系", "Continuity"),
}
#: The rules of the constraints table, in words.
RULE_WORDS: dict[str, tuple[str, str]] = {"keep": ("保留", "Keep"), "forbid": ("回避", "Forbid")}


def say(key: str, lang: str, **fields: object) -> str:
    """The words under ``key`` in ``lang`` ("zh" or "en"), with ``fields`` filled in.

    >>> say("glance_mentees", "en")
    'Need a mentor'
    >>> say("report_progress", "zh", done=2, n=6)
    '已完成 2/6 个笔记本'
    """
    zh, en = WORDS[key]
    text = zh if lang == "zh" else en
    return text.format(**fields) if fields else text
