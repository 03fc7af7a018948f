"""Reading a report as a person does: its visible text, parts, headings, tables, images.

Used by the report tests; the browser tests check what only a browser can tell (images
decode, nothing wider than the window).
"""

from __future__ import annotations

import html as _html
import re
from pathlib import Path

from mentormatch.vocab import VOCABULARIES

#: Text a reader must never see in a report, by what it is.
DEBUG_TEXT = {
    "progress-bar text": r"\d+%\|",
    "object repr": r"\b(ClusterResult|SalonPlan|Plan|District|Assignment|StrategyComparison|"
    r"DiDResult|EventStudy|Retention|RareEvents|DoseResponse|DataFrame|Series)\(",
    "widget repr": r"\b(interactive|FloatSlider|IntSlider|VBox|HBox|Output)\(",
    "raw missing value": r"(?<![\w-])(NaN|nan|None|NaT|<NA>)(?![\w-])",
    "Python boolean": r"(?<![\w-])(True|False)(?![\w-])",
    "tuple": r"\(\s*'|\(\s*\d+\.\d+\s*,",
    "dtype": r"\bdtype\b",
    "traceback": r"Traceback|Error:",
    "unformatted float": r"\d\.\d{5,}",
    "memory address": r"0x[0-9a-f]{6,}",
}
CJK = re.compile(r"[\u3400-\u9fff]")
#: Vocabulary codes that cannot be ordinary words (they hold an underscore).
CODES = sorted({term.code for vocab in VOCABULARIES.values() for term in vocab if "_" in term.code})
ALL_CODES = {term.code for vocab in VOCABULARIES.values() for term in vocab}


def page(path: Path) -> str:
    return Path(path).read_text(encoding="utf-8")


def visible(html: str) -> str:
    """The text a reader sees: no style, script, tags or image data."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S | re.I)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", _html.unescape(body))


def parts(html: str) -> dict[str, str]:
    """Part number ("01".."08") -> that part's HTML, from its heading to the next part."""
    body = html.split('<div class="mm-body">', 1)[-1]
    pieces = re.split(r"(?=<h1 id=\"s-\d+\">)", body)
    out = {}
    for piece in pieces:
        m = re.match(r'<h1 id="s-\d+">\s*(\d\d)\b', piece)
        if m:
            out[m.group(1)] = piece
    return out


def images(html: str) -> int:
    return len(re.findall(r'<img[^>]+src="data:image/png;base64,', html))


def headings(html: str) -> list[str]:
    return [
        _html.unescape(re.sub(r"<[^>]+>", "", m))
        for m in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, flags=re.S)
    ]


def header_cells(html: str) -> list[str]:
    return [
        _html.unescape(re.sub(r"<[^>]+>", "", m)).strip()
        for m in re.findall(r"<th[^>]*>(.*?)</th>", html, flags=re.S)
    ]


def data_cells(html: str) -> list[str]:
    return [
        _html.unescape(re.sub(r"<[^>]+>", "", m)).strip()
        for m in re.findall(r"<td[^>]*>(.*?)</td>", html, flags=re.S)
    ]


def debug_text(html: str) -> dict[str, list[str]]:
    """Every kind of debug text found in the visible text, with examples."""
    text = visible(html)
    found = {}
    for what, pattern in DEBUG_TEXT.items():
        hits = [m.group(0) for m in re.finditer(pattern, text)]
        if hits:
            found[what] = hits[:5]
    codes = [c for c in CODES if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)]
    if codes:
        found["vocabulary code"] = codes[:5]
    cells = [c for c in data_cells(html) + header_cells(html) if c in ALL_CODES]
    if cells:
        found["code in a table cell"] = cells[:5]
    return found
