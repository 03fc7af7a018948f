"""What the sentences of every part share: counts as a reader writes them."""

from __future__ import annotations

from mentormatch import lang as _lang


def _n(value: float) -> str:
    """A count as a reader writes it: thousands separated (in Chinese from 10,000 on)."""
    value = int(value)
    return f"{value:,}" if value >= (10_000 if _lang.current() == "zh" else 1_000) else str(value)
