"""Looking at the report as a person would: headless Chromium through Playwright.

Playwright's own browser download is not used: the tests drive the Chromium installed
on the machine (Debian/Ubuntu: ``apt install chromium``), the one that
:func:`mentormatch.report.print_pdf` prints with, or the executable named by
``MENTORMATCH_CHROMIUM``. Without Playwright or Chromium the browser tests skip, saying
why, unless ``MENTORMATCH_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

#: Set to 1 where the browser tests must run (CI): then a missing browser fails them.
REQUIRE = "MENTORMATCH_REQUIRE_BROWSER"
#: The Chromium (or Chrome) executable to drive, when not the system's.
EXECUTABLE = "MENTORMATCH_CHROMIUM"
#: The window a reader on a laptop has.
VIEWPORT = {"width": 1280, "height": 900}
#: Headless, offline, quiet: no sandbox (root in CI), no GPU, nothing phoning home.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A full-page screenshot taller than this is saved as viewport-height tiles instead.
MAX_SHOT_HEIGHT = 8000


def required() -> bool:
    return os.environ.get(REQUIRE, "") == "1"


def chromium() -> str:
    """The Chromium to drive, or skip (fail under ``MENTORMATCH_REQUIRE_BROWSER=1``)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed: pip install 'mentormatch-suite[test]'")
    from mentormatch.report import find_chromium

    chosen = os.environ.get(EXECUTABLE)
    if chosen:
        if not Path(chosen).is_file():
            _unavailable(f"{EXECUTABLE}={chosen} is not a file")
        return chosen
    found = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else find_chromium()
    if found is None:
        _unavailable("Chromium is not installed (Debian/Ubuntu: sudo apt install chromium)")
    return found


def _unavailable(reason: str):
    if required():
        pytest.fail(f"{reason}; {REQUIRE}=1 requires the browser tests to run", pytrace=False)
    pytest.skip(f"{reason} (set {REQUIRE}=1 to make this a failure)")


@contextmanager
def launch() -> Iterator[object]:
    """A headless Chromium browser (Playwright's sync API)."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """What a page showed: console errors, page errors, requests it made."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def open_page(browser, path: Path, **context) -> Visit:
    """Open the file at ``path`` in a new 1280x900 window, recording what goes wrong."""
    ctx = browser.new_context(viewport=VIEWPORT, **context)
    page = ctx.new_page()
    visit = Visit(page)
    page.on(
        "console",
        lambda m: (
            visit.console_errors.append(f"{m.text} ({m.location})") if m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda err: visit.page_errors.append(str(err)))
    page.on("request", lambda r: visit.requests.append(r.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    # Every image decoded (or failed to): decode() settles either way.
    page.evaluate("() => Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
    return visit


def screenshots(page, folder: Path, name: str) -> list[Path]:
    """Save what the whole page looks like: one full-page PNG or, for a long page,
    viewport-height tiles ``NAME-001.png``, ``NAME-002.png``... Returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{name}*.png"):
        old.unlink()
    height = page.evaluate("() => document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    if height <= MAX_SHOT_HEIGHT:
        target = folder / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        return [target]
    # Scroll the window a screen at a time and take what it shows: far faster than
    # clipping a full-page capture, which renders the whole page for every tile.
    tile = page.viewport_size["height"]
    saved = []
    try:
        for i in range(math.ceil(height / tile)):
            top = i * tile
            shown = page.evaluate(f"() => {{ window.scrollTo(0, {top}); return scrollY; }}")
            target = folder / f"{name}-{i + 1:03d}.png"
            clip = {"x": 0, "y": top - shown, "width": width, "height": min(tile, height - top)}
            page.screenshot(path=str(target), clip=clip)
            saved.append(target)
    finally:
        page.evaluate("() => window.scrollTo(0, 0)")
    return saved


def clean(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
