"""The plan workbook's words: sheet names, objectives, distance rules, base methods,
solvers, proximity, changes and their reasons, in Chinese and English."""

from __future__ import annotations

import re

#: Sheet names: (Chinese, English).
SHEETS = {
    "plan": ("结对方案", "Plan"),
    "by_mentor": ("带教名单", "By mentor"),
    "unplaced": ("未结对", "Not placed"),
    "units": ("街镇汇总", "By sub-district"),
    "summary": ("概要", "Summary"),
    "blocking": ("阻塞对", "Blocking pairs"),
    "changes": ("调整", "Changes"),
}
#: What an alternates cell says when no other mentor has a place left.
NO_PLACE_LEFT = ("无空余名额", "no place left")
_RULED_OUT = (
    "有空余名额的老师均不可选（回避规则或距离限制）",
    "mentors with places left are ruled out (forbid rule or distance)",
)
#: Each objective in words: (name, what it does), Chinese and English.
OBJECTIVE_WORDS = {
    "total": (
        ("总分最高", "使全部结对的匹配分之和最高（最小费用流，精确最优）"),
        ("Highest total", "the sum of all pair scores is as high as it can be (min-cost flow)"),
    ),
    "fair": (
        ("兼顾最弱者", "先使最低的匹配分尽量高，再使匹配分之和最高"),
        ("Fairest", "the worst pair score as high as it can be, then the highest sum"),
    ),
    "stable": (
        ("稳定匹配", "书记优先的延迟接受：没有一对书记与带教老师都更愿意彼此结对"),
        (
            "Stable",
            "mentee-proposing deferred acceptance: no mentee and mentor would both "
            "rather be together",
        ),
    ),
    "rematch": (
        ("调整方案", "在总分不低于最优方案容许范围的前提下，尽量保留原有结对"),
        (
            "Re-match",
            "keeps as many pairs of the plan in force as it can within the score tolerance",
        ),
    ),
    "given": (
        ("给定结对", "按给定的结对计算"),
        ("Given pairs", "the pairs as given"),
    ),
}
_DISTANCE_WORDS = {
    None: (("不限", "就近程度计入匹配分"), ("None", "proximity counts in the score")),
    "same": (
        ("仅同一街镇", "只与同一街镇的带教老师结对"),
        ("Same unit only", "only mentors in the same sub-district/town"),
    ),
    "neighbouring": (
        ("同一或相邻街镇", "只与同一或相邻街镇的带教老师结对"),
        ("Same or next unit", "only mentors in the same or a neighbouring unit"),
    ),
}
_BASE_WORDS = {
    "sequential": (
        ("先定老师，再定基地", "按带教老师未覆盖的难题安排实训基地"),
        ("Mentors, then bases", "bases cover what the mentor does not"),
    ),
    "joint": (
        ("老师与基地一并优化", "带教老师与实训基地一起求解（混合整数规划）"),
        ("Mentors and bases together", "mentors and bases solved together (MILP)"),
    ),
    "none": (("不安排基地", "本方案不安排实训基地"), ("No bases", "no practice bases assigned")),
}
_SOLVER_WORDS = {
    "networkx": (
        ("networkx 网络单纯形法", "最小费用流，精确最优"),
        ("networkx network simplex", "min-cost flow, proven optimum"),
    ),
    "ortools": (
        ("OR-Tools 最小费用流", "最小费用流，精确最优"),
        ("OR-Tools min-cost flow", "min-cost flow, proven optimum"),
    ),
    "highs-milp": (
        ("HiGHS 混合整数规划", "精确最优"),
        ("HiGHS mixed-integer programming", "proven optimum"),
    ),
    "deferred-acceptance": (
        ("延迟接受算法", "书记优先的稳定匹配"),
        ("deferred acceptance", "mentee-optimal stable plan"),
    ),
    "given": (
        ("不经求解", "结对按给定的名单（如人工调整），未经优化求解"),
        ("Not solved", "the pairs as given (adjusted by hand), not optimised"),
    ),
}
#: Proximity of a pair in words (the score's component is 1, 0.5 or 0).
PROXIMITY_WORDS = {
    "same": ("同一街镇", "same sub-district/town"),
    "near": ("相邻街镇", "neighbouring unit"),
    "far": ("较远", "far (not neighbouring)"),
}
_CHANGES = {
    "kept": ("保留", "Kept"),
    "changed": ("更换", "Changed"),
    "new": ("新增", "New"),
    "ended": ("结束", "Ended"),
}
_WHY = [
    (r"^$", "延续原结对", "the pair continues"),
    (
        r"^not in the previous plan \(new or newly needing a mentor\)$",
        "上一方案中没有（新任或新需要带教）",
        "not in the previous plan (new, or newly needing a mentor)",
    ),
    (r"^the secretary left the post$", "书记已离任", "the secretary left the post"),
    (
        r"^the secretary no longer needs a mentor$",
        "书记已无需带教",
        "the secretary no longer needs a mentor",
    ),
    (r"^could not be placed$", "未能结对", "could not be placed"),
    (r"^mentor (.+) left the programme$", "带教老师 {0} 已退出带教", "mentor {0} left"),
    (
        r"^the pair with (.+) is now forbidden$",
        "与 {0} 的结对现被回避规则排除",
        "the pair with {0} is now forbidden",
    ),
    (
        r"^moved to keep the plan within the score tolerance or capacities$",
        "为使总分保持在容许范围内或符合名额而调整",
        "moved to keep the plan within the score tolerance or the places",
    ),
]
_ALTERNATE = re.compile(r"^(?P<id>\S+) (?P<name>.+) \((?P<score>[\d.]+)\)$")
_STATUS_ORDER = {"placed": 0, "unplaced": 1, "not_needed": 2, "departed": 3}
