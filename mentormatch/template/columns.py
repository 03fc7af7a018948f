"""What each column of the template holds, how to write it and an example: the words of
the header comments, the input messages and the instructions' list of columns."""

from __future__ import annotations

from mentormatch.schema import Column, Table
from mentormatch.template.names import _SEP, _YES_NO, _join, _number, _t, header, sheet_title

#: What a column holds, per (table, column) or per column name for every table.
_COLUMN_DOC: dict[tuple[str, str] | str, tuple[str, str]] = {
    ("secretaries", "secretary_id"): ("书记的唯一编号", "unique ID of the secretary"),
    ("mentors", "mentor_id"): ("带教老师的唯一编号", "unique ID of the mentor"),
    ("bases", "base_id"): ("基地的唯一编号", "unique ID of the practice base"),
    "secretary_id": ("书记编号", "ID of the secretary"),
    "mentor_id": ("带教老师编号", "ID of the mentor"),
    "name": ("姓名", "name"),
    ("bases", "name"): ("基地名称", "name of the base"),
    "gender": ("性别", "gender"),
    "birth_year": ("出生年份", "year of birth"),
    "education": ("最高学历", "highest education"),
    "appointed_year": (
        "任现居民区（村）书记的年份",
        "year appointed secretary of the current community",
    ),
    "street_town": ("所属街道或镇", "sub-district or town"),
    ("secretaries", "community_id"): (
        "现任职居民区（村）的编号",
        "ID of the community (residents' area or village) served",
    ),
    ("mentors", "community_id"): ("带教老师所在居民区的编号", "ID of the mentor's community"),
    ("bases", "community_id"): ("基地所在居民区的编号", "ID of the base's community"),
    "community_name": ("现任职居民区（村）的名称", "name of the community served"),
    "community_type": ("居民区的主要小区类型", "main housing type of the community"),
    "households": ("居民户数", "number of households"),
    "share_aged_60_plus": ("60岁及以上居民所占比例", "share of residents aged 60 or over"),
    "challenges": ("居民区面临的主要难题", "main challenges of the community"),
    "prior_communities": (
        "以前任职过的居民区编号（可以在区外）",
        "IDs of communities served earlier (may lie outside the district)",
    ),
    "needs_mentor": ("本轮是否需要安排带教老师", "whether a mentor is needed this cycle"),
    "mentored_since": (
        "第一次有带教老师的年份；从未带教则留空",
        "year the secretary first had a mentor; empty if never",
    ),
    "previous_mentor_id": (
        "上一轮的带教老师编号（可以已不在带教队伍中）；没有则留空",
        "mentor in the previous cycle (may have left the programme); empty if none",
    ),
    "years_as_secretary": ("担任书记的年数", "years served as secretary"),
    "community_types": ("熟悉的小区类型", "community types the mentor knows"),
    "expertise": ("擅长解决的难题", "challenges the mentor is good at"),
    ("mentors", "capacity"): ("最多可带教的人数", "most mentees the mentor can take"),
    "min_load": ("至少要带教的人数；不限则留空", "fewest mentees to give; empty if no minimum"),
    "themes": ("可开展场景式带教的主题", "themes of scenario-based training"),
    ("bases", "capacity"): ("可接待的学员人数", "trainees the base can host"),
    "wave": ("评估年度", "year of the assessment"),
    "dimension": ("评估维度", "assessment dimension"),
    "source": ("评价来源", "who gave the score"),
    "score": ("得分", "score"),
    "n_raters": (
        "参与评价的人数（居民扫码为扫码人数）",
        "number of raters (for the residents' QR score, how many scanned)",
    ),
    "rule": ("禁止：不安排这一对；保留：必须安排这一对", "forbid: never this pair; keep: always"),
    "event": ("履职事件", "career event"),
    ("career", "year"): ("事件发生的年份", "year of the event"),
    "note": ("备注，任意文字（不参与计算）", "a note, any text (not used in computing)"),
}

#: An example value per (table, column) or column: a literal, a (zh, en) pair (the IDs
#: of an ID list), or the vocabulary codes whose labels make the example.
_EXAMPLES: dict[tuple[str, str] | str, object] = {
    ("secretaries", "secretary_id"): "S001",
    ("mentors", "mentor_id"): "M01",
    ("bases", "base_id"): "B01",
    "secretary_id": "S001",
    "mentor_id": "M01",
    "name": ("张丽", "Zhang Li"),
    ("mentors", "name"): ("王建华", "Wang Jianhua"),
    ("bases", "name"): ("同心居民区实训基地", "Tongxin practice base"),
    "gender": ["female"],
    "birth_year": 1988,
    "education": ["bachelor"],
    "appointed_year": 2021,
    "street_town": ["taopu"],
    "community_id": "C001",
    ("bases", "community_id"): "C015",
    "community_name": ("同心居民区", "Tongxin"),
    "community_type": ["resettlement"],
    "households": 1800,
    "share_aged_60_plus": ("0.35 或 35%", "0.35 or 35%"),
    "challenges": ["lift_retrofit", "parking"],
    "prior_communities": ("C012", "C031"),
    "needs_mentor": True,
    "mentored_since": 2022,
    "previous_mentor_id": "M03",
    "years_as_secretary": 20,
    "community_types": ["resettlement", "old_public_housing"],
    "expertise": ["hardship", "relocation_disputes", "lift_retrofit"],
    ("mentors", "capacity"): 5,
    "min_load": 2,
    "themes": ["lift_retrofit", "waste_sorting"],
    ("bases", "capacity"): 10,
    "wave": 2023,
    "dimension": ["residents_follow"],
    "source": ["resident_qr"],
    "score": 86.5,
    "n_raters": 120,
    "rule": ["forbid"],
    "event": ["promoted"],
    ("career", "year"): 2023,
    "note": ("产假中", "on maternity leave"),
    "session_id": "T202501",
    "base_id": "B01",
    "format": ["elective"],
    "month": "2025-04",
    "topic": ["residents_follow"],
    ("sessions", "capacity"): 90,
    "finding_id": "F001",
    "issue": ["parking"],
    ("findings", "note"): ("走访时发现停车议事记录缺失", "no minutes of the parking meetings"),
    "record_id": "R001",
    "group": 3,
    ("salon_records", "topic"): ["lift_retrofit"],
    "kind": ["question"],
    "text": ("加装电梯时怎样做通低层住户的工作？", "How to bring ground-floor residents round?"),
    "reply_to": "R001",
}

# --- What each column takes ------------------------------------------------------------


def _lookup(table: Table, col: Column, table_map: dict, default: object = None) -> object:
    return table_map.get((table.name, col.name), table_map.get(col.name, default))


def _describe(table: Table, col: Column, lang: str) -> str:
    """What the column holds, in a sentence fragment."""
    found = _lookup(table, col, _COLUMN_DOC)
    if found is not None:
        text = _t(*found, lang)
    elif lang == "en" and col.doc:
        text = col.doc
    else:
        text = header(col, lang)
    for column, target, _ in table.references:
        if column == col.name:
            text += _t(
                f"，须是「{sheet_title(target, lang)}」表中已有的编号",
                f"; must be an ID of the {sheet_title(target, lang)} sheet",
                lang,
            )
    return text


def _range(col: Column, lang: str) -> str:
    low, high = col.low, col.high
    if low is not None and high is not None:
        return _t(
            f" {_number(low)}–{_number(high)}", f" from {_number(low)} to {_number(high)}", lang
        )
    if low is not None:
        return _t(f"，不小于 {_number(low)}", f", at least {_number(low)}", lang)
    if high is not None:
        return _t(f"，不大于 {_number(high)}", f", at most {_number(high)}", lang)
    return ""


def _how(col: Column, lang: str) -> str:
    """How to write a value of the column."""
    kind = col.kind
    if kind == "vocab":
        return _t("从下拉列表中选择一项", "pick one item of the drop-down list", lang)
    if kind == "vocab_list":
        return _t(
            f"可填多项，用顿号「{_SEP}」分隔，每项须是可选值之一",
            "one or more items separated by ; (semicolon), each an accepted value",
            lang,
        )
    if kind == "id_list":
        return _t(f"编号，多个用「{_SEP}」分隔", "IDs separated by ; (semicolon)", lang)
    if kind == "bool":
        yes, no = _YES_NO[lang]
        return _t(f"选择「{yes}」或「{no}」", f"pick {yes} or {no}", lang)
    if kind == "year":
        return _t("四位年份", "a four-digit year", lang) + _range(col, lang)
    if kind == "month":
        return _t("年月，如 2024-03", "a year and month, e.g. 2024-03", lang)
    if kind == "int":
        return _t("整数", "a whole number", lang) + _range(col, lang)
    if kind == "float":
        return _t("数字", "a number", lang) + _range(col, lang)
    if kind == "share":
        return _t(
            "0 到 1 之间的小数或百分数（0.35 或 35%）",
            "a share from 0 to 1 (0.35 or 35%)",
            lang,
        )
    if kind == "id":
        return _t("编号（文字）", "an ID (text)", lang)
    return _t("文字", "text", lang)


def _example(table: Table, col: Column, lang: str) -> str:
    value = _lookup(table, col, _EXAMPLES)
    if value is None:
        # A column without a written example: one from its kind.
        if col.vocab is not None:
            codes = col.vocab.codes[: 2 if col.kind == "vocab_list" else 1]
            return _join((col.vocab[c].label(lang) for c in codes), lang)
        if col.kind == "bool":
            return _YES_NO[lang][0]
        if col.kind in ("int", "year", "float") and col.low is not None:
            return _number(col.low if col.high is None else round((col.low + col.high) / 2))
        return ""
    if isinstance(value, list):
        return _join((col.vocab[c].label(lang) for c in value), lang)
    if isinstance(value, bool):
        return _YES_NO[lang][0 if value else 1]
    if isinstance(value, tuple):
        return _join(value, lang) if col.kind == "id_list" else _t(*value, lang)
    return str(value)


def _required_word(col: Column, lang: str) -> str:
    return _t("必填", "required", lang) if col.required else _t("选填", "optional", lang)


def _says_only_header(desc: str, col: Column, lang: str) -> bool:
    """Whether a description merely repeats the header (姓名: 姓名)."""
    return desc.lower() in (header(col, lang).lower(), col.zh, col.name.replace("_", " "))


def _comment_text(table: Table, col: Column, lang: str) -> str:
    desc = _describe(table, col, lang)
    lines = [
        _t(
            f"{col.zh}（{_required_word(col, lang)}）",
            f"{col.name} ({_required_word(col, lang)}; Chinese header {col.zh})",
            lang,
        ),
        _t("填写：", "Write: ", lang) + _how(col, lang),
    ]
    if not _says_only_header(desc, col, lang):
        lines.insert(1, desc[0].upper() + desc[1:] if lang == "en" else desc)
    example = _example(table, col, lang)
    if example:
        lines.append(_t("示例：", "Example: ", lang) + example)
    return "\n".join(lines)
