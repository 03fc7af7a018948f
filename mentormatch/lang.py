"""The language of what people read: charts, tables, notebooks and reports.

One setting, like matplotlib's ``rcParams``: :func:`set_language` (``"zh"``, the
default, or ``"en"``) applies to everything drawn or shown afterwards; each notebook
sets it from its ``LANG`` parameter. Functions that write files take ``lang``
explicitly instead. Importing this module costs nothing.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "set_language", "current", "pick", "check"]

#: The languages of charts, tables and reports.
LANGUAGES = ("zh", "en")
_setting = {"lang": "zh"}


def check(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`, else a :class:`~mentormatch.DataError`."""
    if lang not in LANGUAGES:
        from mentormatch.errors import DataError

        raise DataError(f"unknown language {lang!r}; expected one of {list(LANGUAGES)}")
    return lang


def set_language(lang: str) -> None:
    """Show every later chart, table and sentence in ``lang`` ("zh" or "en")."""
    _setting["lang"] = check(lang)


def current() -> str:
    """The language set by :func:`set_language` ("zh" unless changed)."""
    return _setting["lang"]


def pick(zh: str, en: str, lang: str | None = None) -> str:
    """The Chinese or the English wording, for ``lang`` or the current language.

    >>> pick("书记", "secretaries", "en")
    'secretaries'
    """
    return zh if (lang or _setting["lang"]) == "zh" else en
