"""What every sheet of the template shares: the names the loader reads (sheets and
headers), the vocabularies' labels, the rows validated, Excel's limits and the colours."""

from __future__ import annotations

from mentormatch.schema import TABLES, Column
from mentormatch.vocab import Vocabulary

#: Data validation covers these rows of every table sheet (the whole sheet below the
#: header: the assessments table alone holds 16 rows per secretary and year).
FIRST_ROW = 2
LAST_ROW = 1_048_576
#: Excel's limits on data-validation texts (longer ones make Excel repair the file).
_PROMPT_MAX, _ERROR_MAX, _TITLE_MAX = 255, 225, 32
#: The separator written between the items of a list (the loader reads both, and ,).
_SEPS = {"zh": "、", "en": "; "}
_SEP = _SEPS["zh"]
_AUTHOR = "mentormatch"
_RED = "C00000"
_REQUIRED_FILL = "FCE4D6"
_OPTIONAL_FILL = "DDE5F0"

_VOCAB_NAMES = {
    "street_town": ("街镇", "Sub-district/town"),
    "community_type": ("小区类型", "Community type"),
    "challenge": ("难题", "Challenge"),
    "dimension": ("评估维度", "Dimension"),
    "source": ("评价来源", "Source"),
    "education": ("学历", "Education"),
    "gender": ("性别", "Gender"),
    "career_event": ("履职事件", "Career event"),
    "rule": ("规则", "Rule"),
}

_YES_NO = {"zh": ("是", "否"), "en": ("Yes", "No")}


def _t(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en


def _join(items, lang: str) -> str:
    return _SEPS[lang].join(items)


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# --- Names the loader reads ------------------------------------------------------------


def sheet_title(table: str, lang: str = "zh") -> str:
    """The sheet name of ``table`` in the template: Chinese, or English under ``en``.

    Both are names :func:`mentormatch.load_district` recognises.

    >>> sheet_title("secretaries"), sheet_title("secretaries", "en")
    ('书记', 'Secretaries')
    """
    spec = TABLES[table]
    if lang == "zh":
        return spec.zh
    return spec.name.replace("_", " ").capitalize()


def header(column: Column, lang: str = "zh") -> str:
    """The header of ``column``: its Chinese header, or its English code under ``en``
    (the loader reads no other English spelling)."""
    return column.zh if lang == "zh" else column.name


def instructions_title(lang: str = "zh") -> str:
    """The name of the instructions sheet (the loader ignores it)."""
    return _t("填写说明", "Instructions", lang)


def lists_title(lang: str = "zh") -> str:
    """The name of the hidden sheet holding the drop-down lists (the loader ignores it)."""
    return _t("选项", "Lists", lang)


def _labels(vocab: Vocabulary, lang: str) -> list[str]:
    return [t.label(lang) for t in vocab]


def _vocab_name(vocab: Vocabulary, lang: str) -> str:
    zh, en = _VOCAB_NAMES.get(vocab.name, (vocab.name, vocab.name.replace("_", " ").capitalize()))
    return _t(zh, en, lang)
