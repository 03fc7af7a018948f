"""The report as a reader sees it, in headless Chromium (see tests/browser.py).

Opens the Chinese and the English report of the sample in a 1280x900 window and checks
what a person would notice: charts that do not show, a page wider than the window,
links that lead nowhere, errors, the wrong language; then the print layout and the PDF.
Screenshots of every page are saved in build/screenshots/ to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser import VIEWPORT, chromium, launch, open_page, screenshots
from conftest import ROOT

SHOTS = ROOT / "build" / "screenshots"
LANGS = {"zh": ("sample_report", "zh-CN"), "en": ("sample_report_en", "en")}
#: The printable width of an A4 page with the stylesheet's 14 mm side margins, in CSS px.
A4_TEXT_WIDTH = int((210 - 2 * 14) / 25.4 * 96)

#: Where each shown element lies, in page coordinates.
BOXES = """() => [...document.body.querySelectorAll('*')].flatMap(e => {
  const r = e.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return [];
  const s = getComputedStyle(e);
  if (s.display === 'none' || s.visibility === 'hidden') return [];
  const tag = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.classList.length ? '.' + [...e.classList].join('.') : '');
  return [{tag, left: r.left + scrollX, right: r.right + scrollX,
           text: (e.textContent || '').trim().slice(0, 60)}];
})"""
#: Table cells squeezed to a sliver: a label or name broken a letter or two per line.
SQUEEZED = """() => [...document.querySelectorAll('th, td')].flatMap(c => {
  const text = (c.textContent || '').trim();
  const s = getComputedStyle(c);
  const inner = c.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  if (text.length < 3 || c.clientWidth === 0 || inner >= 2 * parseFloat(s.fontSize)) return [];
  const range = document.createRange();
  range.selectNodeContents(c);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  const head = [...(c.closest('table') || c).querySelectorAll('th')].slice(0, 4);
  return lines > 1 ? [{text: text.slice(0, 30), width: Math.round(inner), lines,
    table: head.map(h => h.textContent.trim()).join(' | ')}] : [];
})"""
LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
IDS = "() => [...document.querySelectorAll('[id]')].map(e => e.id)"
IMAGES = """() => [...document.images].map(i => ({
  src: i.getAttribute('src').slice(0, 40), complete: i.complete,
  width: i.naturalWidth, height: i.naturalHeight}))"""


@pytest.fixture(scope="module")
def executable() -> str:
    """The Chromium to use; skips (or fails, see tests/browser.py) before any report is
    built when there is none."""
    return chromium()


@pytest.fixture(scope="module")
def browser(executable, sample_report, sample_report_en):
    """Headless Chromium, started once both reports are built: Playwright's sync API
    keeps an event loop running while the browser is open, and the report runs its
    notebooks with asyncio, which cannot start inside a running loop."""
    with launch() as b:
        yield b


@pytest.fixture(scope="module", params=sorted(LANGS))
def seen(request, browser):
    """One report opened once per language, with screenshots saved:
    ``(lang, report path, Visit)``."""
    lang = request.param
    report = request.getfixturevalue(LANGS[lang][0])
    visit = open_page(browser, report)
    shots = screenshots(visit.page, SHOTS / lang, "report")
    print(f"\n{len(shots)} screenshot(s) of the {lang} report in {shots[0].parent}")
    yield lang, report, visit
    visit.page.context.close()


def test_every_image_shows(seen):
    lang, _, visit = seen
    images = visit.page.evaluate(IMAGES)
    assert images, f"the {lang} report shows no image"
    broken = [i for i in images if not (i["complete"] and i["width"] > 0 and i["height"] > 0)]
    assert not broken, broken


def test_nothing_is_wider_than_the_window(seen):
    lang, _, visit = seen
    width = VIEWPORT["width"]
    assert visit.page.evaluate("() => document.documentElement.scrollWidth") <= width
    outside = [
        b for b in visit.page.evaluate(BOXES) if b["right"] > width + 0.5 or b["left"] < -0.5
    ]
    assert not outside, outside[:10]


def test_no_table_column_is_squeezed(seen):
    """A column too narrow for its words (a header or a name broken a letter per line)
    means the table is wider than its room."""
    _, _, visit = seen
    squeezed: dict[str, list[str]] = {}
    for cell in visit.page.evaluate(SQUEEZED):
        squeezed.setdefault(f"table [{cell['table']} ...]", []).append(
            f"{cell['text']!r} ({cell['width']} px, {cell['lines']} lines)"
        )
    assert not squeezed, squeezed


def test_in_page_links_lead_somewhere(seen):
    lang, _, visit = seen
    links = [h for h in visit.page.evaluate(LINKS) if h.startswith("#")]
    ids = set(visit.page.evaluate(IDS))
    assert links, f"the {lang} report has no in-page link (no table of contents?)"
    dead = sorted({h for h in links if unquote(h[1:]) not in ids})
    assert not dead, dead
    contents = visit.page.evaluate(
        "() => [...document.querySelectorAll('nav.mm-contents a[href]')].length"
    )
    assert contents > 0, "no table of contents (nav.mm-contents)"


def test_table_links_name_files_beside_the_report(seen):
    _, report, visit = seen
    links = [h for h in visit.page.evaluate(LINKS) if h.startswith("tables/")]
    missing = [h for h in links if not (report.parent / unquote(urlsplit(h).path)).is_file()]
    assert not missing, missing
    # Nothing else leaves the page: no other relative or absolute file link.
    others = [
        h
        for h in visit.page.evaluate(LINKS)
        if not h.startswith(("#", "tables/", "http://", "https://", "mailto:"))
    ]
    assert not others, others


def test_no_error_and_nothing_fetched(seen):
    _, report, visit = seen
    assert not visit.console_errors, visit.console_errors
    assert not visit.page_errors, visit.page_errors
    fetched = [u for u in visit.requests if not u.startswith("data:")]
    assert fetched == [report.resolve().as_uri()], fetched  # self-contained


def test_page_language(seen):
    lang, _, visit = seen
    assert visit.page.evaluate("() => document.documentElement.lang") == LANGS[lang][1]


def test_print_stylesheet_applies(seen):
    _, _, visit = seen
    page = visit.page
    page.emulate_media(media="print")
    try:
        parts = page.evaluate(
            "() => [...document.querySelectorAll('.mm-body h1')]"
            ".map(h => getComputedStyle(h).breakBefore)"
        )
        images = page.evaluate(
            "() => [...document.images].map(i => getComputedStyle(i).breakInside)"
        )
    finally:
        page.emulate_media(media="screen")
    assert parts and set(parts) == {"page"}, parts  # each part starts a new page
    assert images and set(images) == {"avoid"}, set(images)  # no chart cut in two
    assert page.evaluate("() => matchMedia('print').matches") is False  # restored


def test_print_fits_the_width_of_a4(seen):
    """On paper nothing is wider than A4's printable width: Chromium would shrink every
    page of the PDF to fit the widest element (or cut it off)."""
    lang, _, visit = seen
    page = visit.page
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_TEXT_WIDTH, "height": VIEWPORT["height"]})
    try:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        boxes = page.evaluate(BOXES)
        shots = screenshots(page, SHOTS / lang, "print")
        print(f"\n{len(shots)} screenshot(s) of the {lang} print layout")
    finally:
        page.set_viewport_size(VIEWPORT)
        page.emulate_media(media="screen")
    # The outermost too-wide elements (their insides are too wide with them).
    wide = [b for b in boxes if b["right"] > A4_TEXT_WIDTH + 0.5]
    outer = [b for b in wide if b["tag"].startswith(("table", "img", "pre", "div", "p"))]
    assert width <= A4_TEXT_WIDTH and not wide, (width, (outer or wide)[:5])


def _pages(pdf: bytes) -> int:
    """The number of pages of a PDF (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_pdf_has_pages(executable, sample_report, tmp_path):
    from mentormatch.report import print_pdf

    target = print_pdf(sample_report, tmp_path / "report.pdf", chromium=executable)
    data = Path(target).read_bytes()
    assert data.startswith(b"%PDF")
    pages = _pages(data)
    print(f"\nreport.pdf: {pages} pages, {len(data) / 1e6:.1f} MB")
    assert pages > 1, pages


def test_page_counter_counts():
    # The PDF check must be able to fail: a one-page PDF counts as one.
    one = b"%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >>\n2 0 obj << /Type /Page >>"
    assert _pages(one) == 1
    assert _pages(one + b"\n3 0 obj << /Type/Page >>") == 2
