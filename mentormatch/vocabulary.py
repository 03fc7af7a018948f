"""Terms and vocabularies: coded values with Chinese and English labels, read from any
accepted spelling. The vocabularies themselves live in :mod:`mentormatch.vocab`.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["Term", "Vocabulary", "normalize_text"]


def normalize_text(text: str) -> str:
    """Normalise text for matching: NFKC (full-width to half-width), trimmed, lower case.

    >>> normalize_text("  ＳＥＣ００１ ")
    'sec001'
    """
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


@dataclass(frozen=True)
class Term:
    """One coded value: stable English ``code``, Chinese ``zh`` and English ``en`` labels.

    ``aliases`` are other spellings found in real rosters (short forms, variants).
    """

    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        """The label in ``lang`` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every accepted spelling: code, labels and aliases."""
        return (self.code, self.zh, self.en, *self.aliases)


@dataclass(frozen=True)
class Vocabulary:
    """An ordered set of :class:`Term` with lookup by any spelling.

    >>> from mentormatch.vocab import COMMUNITY_TYPES
    >>> COMMUNITY_TYPES.parse("老公房")
    'old_public_housing'
    >>> COMMUNITY_TYPES.parse("Commercial housing")
    'commercial'
    >>> COMMUNITY_TYPES.suggest("商品房小")
    'commercial'
    """

    name: str
    terms: tuple[Term, ...]
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for term in self.terms:
            for spelling in (term.code, term.zh, term.en, *term.aliases):
                key = normalize_text(spelling)
                if lookup.get(key, term.code) != term.code:
                    raise ValueError(f"{self.name}: {spelling!r} names two terms")
                lookup[key] = term.code
        object.__setattr__(self, "_lookup", lookup)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, code: object) -> bool:
        return any(t.code == code for t in self.terms)

    def __getitem__(self, code: str) -> Term:
        for term in self.terms:
            if term.code == code:
                return term
        raise KeyError(f"{code!r} is not a {self.name} code")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def parse(self, text: str) -> str | None:
        """The code for any accepted spelling of a term, or ``None`` if none matches.

        Besides exact spellings, a spelling that is an accepted one plus a common
        suffix (小区, 居民区, 街道...) is accepted, since rosters write both;
        :meth:`read` also says whether that took the value for a different term.
        """
        return self.read(text)[0]

    def read(self, text: str) -> tuple[str | None, str]:
        """``(code, how)``: the code as :meth:`parse` finds it, and how it was found.

        ``how`` is ``"exact"`` for an accepted spelling (code, labels, aliases: any
        case, full-width or half-width, surrounding spaces), ``"suffix"`` for one
        followed by a generic word (商品房小区: the same term), ``"guess"`` when the
        suffix names another kind of unit than the term is (长征街道 for the town
        长征镇, 万里镇 for the sub-district 万里街道): the roster wrote a different
        term, so the reading is a guess to report. ``(None, "unknown")`` otherwise.

        >>> from mentormatch.vocab import STREET_TOWNS
        >>> STREET_TOWNS.read("长征"), STREET_TOWNS.read("曹杨街道")
        (('changzheng', 'exact'), ('caoyang', 'suffix'))
        >>> STREET_TOWNS.read("长征街道"), STREET_TOWNS.read("万里镇")
        (('changzheng', 'guess'), ('wanli', 'guess'))
        """
        key = normalize_text(text)
        if key in self._lookup:
            return self._lookup[key], "exact"
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and key[: -len(suffix)] in self._lookup:
                code = self._lookup[key[: -len(suffix)]]
                if suffix in _UNIT_SUFFIXES and not any(
                    normalize_text(s).endswith(suffix) for s in self[code].spellings
                ):
                    return code, "guess"
                return code, "suffix"
        return None, "unknown"

    def suggest(self, text: str) -> str | None:
        """The code whose spelling is closest to ``text``, for "did you mean" messages."""
        key = normalize_text(text)
        if not key:
            return None
        close = difflib.get_close_matches(key, list(self._lookup), n=1, cutoff=0.4)
        if close:
            return self._lookup[close[0]]
        # Chinese labels share characters even when difflib finds them too far apart.
        best = max(self._lookup, key=lambda s: len(set(s) & set(key)) / len(set(s) | set(key)))
        return self._lookup[best] if set(best) & set(key) else None

    def describe(self, limit: int = 12, lang: str = "en") -> str:
        """A short list of accepted values for error messages.

        >>> from mentormatch.vocab import GENDERS
        >>> GENDERS.describe(lang="zh")
        '以下之一：女、男'
        """
        if lang == "zh":
            shown = "、".join(t.zh for t in self.terms[:limit])
            more = f"……（共 {len(self.terms)} 个）" if len(self.terms) > limit else ""
            return f"以下之一：{shown}{more}"
        shown = [f"{t.code} ({t.zh})" for t in self.terms[:limit]]
        more = f", ... ({len(self.terms)} in all)" if len(self.terms) > limit else ""
        return "one of " + ", ".join(shown) + more

    def labels(self, lang: str = "zh") -> dict[str, str]:
        """Mapping code -> label in ``lang``."""
        return {t.code: t.label(lang) for t in self.terms}


_SUFFIXES = tuple(normalize_text(s) for s in ("小区", "居民区", "社区", "类", "型", "街道", "镇"))
#: Suffixes that name a kind of unit: written after a term of the other kind (a town
#: called a sub-district), they make the reading a guess.
_UNIT_SUFFIXES = frozenset(normalize_text(s) for s in ("街道", "镇"))
