"""Charts: Chinese labels when a CJK font is available, English otherwise.

Every chart made from synthetic data says so (:func:`mark_synthetic`). Chart modules
per topic live beside this one (``plot.district``, ``plot.cluster``, ...); this module
holds what they share: the font, the language, labels and the synthetic-data note.

Importing the charts never chooses a matplotlib backend: Jupyter's inline backend
shows them in notebooks and reports, and matplotlib itself falls back to a
non-interactive one where no display exists (the command line, the tests).

The language of labels is a setting, like matplotlib's ``rcParams``:
:func:`set_language` (``"zh"``, the default, or ``"en"``) applies to every chart drawn
afterwards; each notebook sets it from its ``LANG`` parameter.
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib import font_manager

from mentormatch import lang as _lang
from mentormatch.lang import LANGUAGES
from mentormatch.vocab import VOCABULARIES

__all__ = [
    "cjk_font",
    "language",
    "set_language",
    "LANGUAGES",
    "text",
    "vocab_label",
    "mark_synthetic",
    "finish",
    "nothing",
    "SYNTHETIC_NOTE",
]

#: Fonts tried, in order, for Chinese labels.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
SYNTHETIC_NOTE = {"zh": "合成数据（非真实人员）", "en": "Synthetic data (no real person)"}


@functools.cache
def cjk_font() -> str | None:
    """Name of a font family that renders Chinese, registering mplfonts' copy if needed.

    Returns ``None`` when no such font is found; charts then use English labels.
    """
    available = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in available:
            return _use(family)
    try:
        import mplfonts
    except ImportError:
        return None
    font_dir = Path(mplfonts.__file__).parent / "fonts"
    candidate = font_dir / "NotoSansCJKsc-Regular.otf"
    if not candidate.exists():
        return None
    font_manager.fontManager.addfont(str(candidate))
    return _use(font_manager.FontProperties(fname=str(candidate)).get_name())


def _use(family: str) -> str:
    plt.rcParams["font.sans-serif"] = [family, *plt.rcParams["font.sans-serif"]]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return family


def set_language(lang: str) -> str:
    """Draw every later chart with ``lang`` labels ("zh" or "en"); returns the language
    charts will actually use ("en" when no font can draw Chinese).

    >>> set_language("en")
    'en'
    >>> language()
    'en'
    >>> _ = set_language("zh")
    """
    _lang.set_language(lang)
    return language()


def language(prefer: str | None = None) -> str:
    """The language of chart labels: the preferred one (default: the one set by
    :func:`set_language`), or "en" when Chinese is preferred but no font can draw it."""
    if (prefer or _lang.current()) == "zh" and cjk_font() is not None:
        return "zh"
    return "en"


def text(zh: str, en: str, lang: str | None = None) -> str:
    """Pick the Chinese or English wording for the current language.

    >>> text("书记", "secretaries", lang="en")
    'secretaries'
    """
    return zh if (lang or language()) == "zh" else en


def vocab_label(vocabulary: str, code: str, lang: str | None = None) -> str:
    """Label of a coded value in the chart language.

    >>> vocab_label("community_type", "village", lang="en")
    'Village'
    """
    return VOCABULARIES[vocabulary][code].label(lang or language())


def mark_synthetic(fig: plt.Figure, synthetic: bool = True, lang: str | None = None) -> None:
    """Write a note at the bottom right of ``fig`` when its data are synthetic."""
    if not synthetic:
        return
    note = SYNTHETIC_NOTE[lang or language()]
    # Not italic: CJK fonts have no italic face, and matplotlib would fall back to one
    # without Chinese glyphs.
    fig.text(0.995, 0.005, note, ha="right", va="bottom", fontsize=8, color="0.35")


def finish(fig: plt.Figure, synthetic: bool) -> plt.Figure:
    """Lay out a chart and mark it when its data are synthetic; every chart ends here.

    The CJK font is registered in either language: names of people and places are
    Chinese data in an English chart too.
    """
    cjk_font()
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    mark_synthetic(fig, synthetic)
    return fig


def nothing(synthetic: bool, title: tuple[str, str], message: str | tuple[str, str]) -> plt.Figure:
    """A figure that says in words why its chart has nothing to show."""
    fig, ax = plt.subplots(figsize=(8, 2.4))
    ax.set_title(text(*title))
    words = text(*message) if isinstance(message, tuple) else message
    ax.text(0.5, 0.5, words, ha="center", va="center", wrap=True, transform=ax.transAxes)
    ax.set_axis_off()
    return finish(fig, synthetic)
