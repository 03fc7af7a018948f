"""Progress bars for the slow loops (bootstraps, random baselines): shown only when the
work takes longer than a moment, never in a pipe or a test log unless asked for."""

from __future__ import annotations

from collections.abc import Iterable

from tqdm.auto import tqdm

__all__ = ["progress_bar", "SHOW_AFTER"]

#: Seconds before a bar appears: short runs stay quiet.
SHOW_AFTER = 1.0


def progress_bar(
    iterable: Iterable | None = None,
    *,
    total: int | None = None,
    desc: str,
    unit: str = "it",
    progress: bool | None = None,
) -> tqdm:
    """A tqdm bar. ``progress``: True shows it, False hides it, None shows it only on a
    terminal (tqdm's own rule)."""
    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=unit,
        disable=None if progress is None else not progress,
        delay=SHOW_AFTER,
        leave=False,
    )
