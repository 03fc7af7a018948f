"""The casebook's own sentences, in Chinese and English.

Labels of topics and record kinds come from :mod:`mentormatch.vocab` (``TOPICS``,
``RECORD_KINDS``); what is here is the page's wording around them. Each entry is
``(zh, en)``; :func:`w` picks one and fills it in.
"""

from __future__ import annotations

__all__ = ["WORDS", "PLURALS", "w", "month_text", "group_text"]

WORDS: dict[str, tuple[str, str]] = {
    "title": ("一午一时沙龙案例集", "Salon casebook (一午一时)"),
    "subtitle": (
        "沙龙中的金点子、好案例、疑问与答复，按议题汇编。",
        "Ideas, cases, questions and their answers from the monthly salon, by topic.",
    ),
    "synthetic": (
        "合成数据：名册与沙龙记录为程序生成，不涉及任何真实人员。",
        "Synthetic data: the roster and the salon records were generated; no real person "
        "is in them.",
    ),
    "coded": (
        "书记、带教老师与居民区的名称均以固定代码代替，记录中提到的也已替换。",
        "Secretaries, mentors and communities are replaced by stable codes, in the "
        "records' texts too.",
    ),
    "counts": (
        "共 {records} 条记录，{topics} 个议题，{groups} 个小组，{first}至 {last}。",
        "{records} record{rs} on {topics} topic{ts} from {groups} group{gs}, {first} to {last}.",
    ),
    "counts_one_month": (
        "共 {records} 条记录，{topics} 个议题，{groups} 个小组，{first}。",
        "{records} record{rs} on {topics} topic{ts} from {groups} group{gs}, {first}.",
    ),
    "contents": ("目录", "Contents"),
    "records": ("{n} 条", "{n} records"),
    "record_one": ("{n} 条", "{n} record"),
    "answers_of": ("答复", "Answers"),
    "no_answer": ("尚无答复", "No answer yet"),
    "loose_answers": ("其他答复", "Other answers"),
    "loose_note": (
        "以下答复未注明所答疑问，或所答疑问不在记录中。",
        "These answers name no question, or one that is not in the records.",
    ),
    "unsigned": ("未署名", "unsigned"),
    "group": ("第 {n} 组", "Group {n}"),
    "month": ("{year} 年 {month} 月", "{year}-{month:02d}"),
    "sep": ("，", ", "),
    "list_sep": ("、", ", "),
    "kind_count": ("{label} {n}", "{label} {n}"),
    "answered_elsewhere": ("（答复在「{topic}」议题下）", " (answers under {topic})"),
    "asks": ("所答疑问", "Answers the question"),
    "total": ("合计", "Total"),
    "same": (
        "同一数据生成同一份案例集。",
        "The same data give the same casebook.",
    ),
    "workbook": ("记录与统计另存为", "The records and counts are also saved as"),
    # Errors
    "no_records": (
        "无法编写案例集：名册中没有「沙龙记录」（salon_records）表或该表为空；"
        "请在名册工作簿中加一张「沙龙记录」工作表（或在数据文件夹中加 salon_records.csv），"
        "列为 记录编号、月份、小组、议题、书记编号、类别、内容、所答疑问编号，每条金点子、"
        "好案例、疑问或答复一行。",
        "Cannot compile the casebook: the roster has no salon_records (沙龙记录) table, or "
        "it is empty; add a sheet 沙龙记录 to the roster workbook (or salon_records.csv to "
        "the data folder) with the columns record_id, month, group, topic, secretary_id, "
        "kind, text and reply_to, one row per idea, case, question or answer.",
    ),
    "bad_out": (
        "无法写入 {name}：案例集写成一个 .html 文件（旁边另存同名 .xlsx 工作簿），"
        "或写入一个文件夹（其中为 casebook.html 与 casebook.xlsx）；请改名为 {fixed} "
        "或给出文件夹。",
        "Cannot write {name}: the casebook is written as an .html file (with an .xlsx "
        "workbook of the same name beside it) or into a folder (casebook.html and "
        "casebook.xlsx); name it {fixed} or give a folder.",
    ),
}

#: English headings of the record kinds' sections (the vocabulary's labels are
#: singular: "Idea"); Chinese headings are the vocabulary's labels themselves.
PLURALS = {"idea": "Ideas", "case": "Cases", "question": "Questions", "answer": "Answers"}


def w(key: str, lang: str, **fill: object) -> str:
    """The sentence ``key`` in ``lang``, filled in.

    >>> w("records", "en", n=3), w("group", "zh", n=2)
    ('3 records', '第 2 组')
    """
    zh, en = WORDS[key]
    text = zh if lang == "zh" else en
    return text.format(**fill) if fill else text


def month_text(month: str, lang: str) -> str:
    """``"2024-03"`` as people write it: ``2024 年 3 月`` / ``2024-03``.

    >>> month_text("2024-03", "zh"), month_text("2024-03", "en")
    ('2024 年 3 月', '2024-03')
    """
    try:
        year, number = (int(part) for part in str(month)[:7].split("-"))
    except ValueError:
        return str(month)
    return w("month", lang, year=year, month=number)


def group_text(group: object, lang: str) -> str:
    """A salon group's number in words: ``第 3 组`` / ``Group 3``."""
    return w("group", lang, n=int(group))
