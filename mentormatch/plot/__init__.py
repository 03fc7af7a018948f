"""Charts: Chinese labels when a CJK font is available, English otherwise.

Every chart made from synthetic data says so (:func:`mark_synthetic`). Chart modules
per topic live beside this one (``plot.district``, ``plot.cluster``, ...); this module
holds what they share: the font, the language, labels and the synthetic-data note.
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from mentormatch.vocab import VOCABULARIES  # noqa: E402

__all__ = [
    "cjk_font",
    "language",
    "text",
    "vocab_label",
    "mark_synthetic",
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


def language(prefer: str = "zh") -> str:
    """ "zh" when Chinese labels can be drawn and are preferred, else "en"."""
    if prefer == "zh" and cjk_font() is not None:
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
