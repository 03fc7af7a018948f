"""Joining executed notebooks into one page for readers.

Only the report's language is kept (markdown cells tagged ``zh`` or ``en``; untagged
cells are shared), code and warnings are hidden, every headline (see
:func:`mentormatch.present.headline`) is collected into the summary on the first
screen with a link to where it is shown, every long table (see
:func:`mentormatch.present.table`) gets its whole content in the appendix, and the page
carries its own stylesheet for screen and print, with no script at all.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from mentormatch.present import HEADLINE_MIME, TABLE_MIME

__all__ = ["Page", "render", "STYLESHEET"]

STYLESHEET = Path(__file__).with_name("report.css")

_WORDS = {
    "title": ("带教结对分析报告", "Mentoring programme report"),
    "synthetic": (
        "合成数据：名册为程序生成，不涉及任何真实人员。",
        "Synthetic data: the roster was generated; no real person is in it.",
    ),
    "data": ("数据", "Data"),
    "seed": ("随机种子", "Seed"),
    "names": ("姓名", "Names"),
    "names_coded": (
        "书记、带教老师、居民区与基地均以固定代码代替",
        "secretaries, mentors, communities and bases replaced by stable codes",
    ),
    "names_plain": ("按名册", "as in the roster"),
    "version": ("版本", "Version"),
    "same": (
        "同一数据、随机种子与版本生成同一份报告。",
        "The same data, seed and version give the same report.",
    ),
    "summary": ("要点", "At a glance"),
    "no_headline": (
        "本报告的各部分都没有可汇总的结果。",
        "No part of this report produced a figure to sum up.",
    ),
    "more": ("详见", "see"),
    "contents": ("目录", "Contents"),
    "appendix": ("附录：完整表格", "Appendix: full tables"),
    "appendix_intro": (
        "正文中较长的表格只列出前几行，完整内容在此，"
        "并以 CSV 与 XLSX 文件保存在报告旁的 tables 文件夹中。",
        "Long tables are shortened in the body; here they are whole. Each is also saved "
        "beside the report in the tables folder, as CSV and XLSX.",
    ),
    "files": ("文件", "Files"),
    "rows": ("行", "rows"),
    "shortened": (
        "共 {total:,} 行，此处列出前 {shown} 行；完整表格见",
        "{total:,} rows, the first {shown} shown here; the whole table is in",
    ),
    "in_appendix": ("附录", "the appendix"),
    "saved": ("此表另存为", "This table is also saved as"),
    "and_file": ("及文件", "and in"),
}


def _w(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


@dataclass
class Table:
    """A long table: where it is shown and its whole content."""

    name: str
    title: str
    html: str
    columns: list
    kinds: list
    rows: list
    total: int = 0
    shortened: bool = True


@dataclass
class Page:
    """The report page and what goes beside it."""

    html: str
    tables: list[Table] = field(default_factory=list)
    headlines: list[tuple[str, str]] = field(default_factory=list)


def _keep(cell, lang: str) -> bool:
    tags = set(cell.metadata.get("tags", []))
    if tags & {"parameters", "injected-parameters"}:
        return False
    other = {"zh", "en"} - {lang}
    return not (tags & other)


def _unique(name: str, taken: set[str]) -> str:
    stem, n = re.sub(r"[^\w-]+", "_", name).strip("_") or "table", 1
    candidate = stem
    while candidate in taken:
        n += 1
        candidate = f"{stem}_{n}"
    taken.add(candidate)
    return candidate


def _merge(notebooks: list, lang: str) -> tuple[object, list, list[Table]]:
    """One notebook of the cells a reader sees, with headlines and long tables marked."""
    import nbformat

    merged = nbformat.v4.new_notebook()
    merged.metadata = {"language_info": {"name": "python"}}
    headlines, tables, taken = [], [], set()
    for nb in notebooks:
        for cell in nb.cells:
            if not _keep(cell, lang):
                continue
            if cell.cell_type == "code":
                outputs = []
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "stream":
                        continue  # warnings and prints to stderr are for developers
                    if out.get("output_type") == "error":
                        continue
                    data = out.get("data", {})
                    if HEADLINE_MIME in data:
                        anchor = f"kf-{len(headlines) + 1}"
                        text = data[HEADLINE_MIME]["text"]
                        headlines.append((anchor, text))
                        out = nbformat.v4.new_output(
                            "display_data",
                            data={
                                "text/html": f'<div class="mm-headline" id="{anchor}">'
                                f"<strong>{html.escape(_w('summary', lang))}</strong>"
                                f"<span>{html.escape(text)}</span></div>"
                            },
                        )
                    elif TABLE_MIME in data:
                        spec = data[TABLE_MIME]
                        name = _unique(spec["name"], taken)
                        table = Table(
                            name=name,
                            title=spec.get("title") or name,
                            html=spec["html"],
                            columns=spec["columns"],
                            kinds=spec["kinds"],
                            rows=spec["rows"],
                            total=len(spec["rows"]),
                            shortened=bool(spec.get("shortened", True)),
                        )
                        tables.append(table)
                        shown = data["text/html"]
                        if table.shortened:
                            shown = _link_note(shown, table, lang)
                        else:
                            shown = shown.replace("</div>", _file_note(table, lang) + "</div>")
                        out = nbformat.v4.new_output("display_data", data={"text/html": shown})
                    outputs.append(out)
                if not outputs:
                    continue
                cell = nbformat.v4.new_code_cell(cell.source)
                cell.outputs = outputs
            else:
                cell = nbformat.v4.new_markdown_cell(cell.source)
            merged.cells.append(cell)
    for i, cell in enumerate(merged.cells):
        cell["id"] = f"c{i:04d}"  # stable (nbconvert would draw random ones)
    return merged, headlines, tables


def _files(table: Table) -> str:
    return (
        f'<a href="tables/{table.name}.xlsx">tables/{table.name}.xlsx</a> · '
        f'<a href="tables/{table.name}.csv">tables/{table.name}.csv</a>'
    )


def _file_note(table: Table, lang: str) -> str:
    return f'<p class="mm-note">{html.escape(_w("saved", lang))} {_files(table)}</p>'


def _link_note(shown: str, table: Table, lang: str) -> str:
    """Replace a shortened table's note by links to the appendix and the files."""
    n_shown = shown.count("<tr>") - 1
    note = (
        '<p class="mm-note">'
        + html.escape(_w("shortened", lang).format(total=table.total, shown=n_shown))
        + f' <a href="#appendix-{table.name}">{html.escape(_w("in_appendix", lang))}</a> '
        + html.escape(_w("and_file", lang))
        + f' <a href="tables/{table.name}.xlsx">tables/{table.name}.xlsx</a>'
        + ("。" if lang == "zh" else ".")
        + "</p>"
    )
    return re.sub(r'<p class="mm-note">.*?</p>', lambda _: note, shown, count=1, flags=re.S)


_HEADING = re.compile(
    r'<h([1-3]) id="[^"]*">(.*?)(?:<a class="anchor-link"[^>]*>¶</a>)?</h\1>', re.S
)


def _number_headings(body: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Give every heading a stable id (``s-1``, ``s-2``, ...); returns the headings."""
    found = []

    def rename(m: re.Match) -> str:
        level, inner = int(m.group(1)), m.group(2)
        anchor = f"s-{len(found) + 1}"
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
        found.append((level, anchor, text))
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    return _HEADING.sub(rename, body), found


_ALT = 'alt="No description has been provided for this image"'


def _describe_images(body: str, lang: str) -> str:
    """Give every chart an alternative text in the report's language: the section it
    illustrates (nbconvert would write an English placeholder)."""
    section = [""]
    word = "图表" if lang == "zh" else "Chart"

    def visit(m: re.Match) -> str:
        if m.group("heading") is not None:
            section[0] = html.unescape(re.sub(r"<[^>]+>", "", m.group("heading"))).strip()
            return m.group(0)
        label = f"{word}：{section[0]}" if lang == "zh" else f"{word}: {section[0]}"
        return f'alt="{html.escape(label)}"'

    pattern = re.compile(r"<h[1-3][^>]*>(?P<heading>.*?)</h[1-3]>|" + re.escape(_ALT), re.S)
    return pattern.sub(visit, body)


def _contents(headings: list[tuple[int, str, str]]) -> str:
    items, open_sub = [], False
    for level, anchor, text in headings:
        if level > 2:
            continue
        link = f'<a href="#{anchor}">{html.escape(text)}</a>'
        if level == 1:
            if open_sub:
                items.append("</ul></li>")
                open_sub = False
            elif items:
                items.append("</li>")
            items.append(f"<li>{link}")
        else:
            if not open_sub:
                items.append("<ul>")
                open_sub = True
            items.append(f"<li>{link}</li>")
    if open_sub:
        items.append("</ul></li>")
    elif items:
        items.append("</li>")
    return '<ul class="mm-toc">' + "".join(items) + "</ul>"


def _front(info: dict, lang: str, headlines: list, headings: list) -> str:
    names = _w("names_coded" if info["pseudonymize"] else "names_plain", lang)
    rows = [
        (_w("data", lang), info["data_name"]),
        (_w("seed", lang), str(info["seed"])),
        (_w("names", lang), names),
        (_w("version", lang), f"mentormatch {info['version']}"),
    ]
    meta = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    parts = [f'<header class="mm-front"><h1 class="mm-title">{_w("title", lang)}</h1>']
    if info["synthetic"]:
        parts.append(f'<p class="mm-synthetic">{html.escape(_w("synthetic", lang))}</p>')
    parts.append(f'<table class="mm-meta">{meta}</table>')
    parts.append(f'<p class="mm-note">{html.escape(_w("same", lang))}</p>')
    parts.append(f'<section class="mm-summary"><h2>{_w("summary", lang)}</h2>')
    if headlines:
        more = html.escape(_w("more", lang))
        parts.append(
            "<ul>"
            + "".join(
                f'<li>{html.escape(text)} <a href="#{anchor}">{more} →</a></li>'
                for anchor, text in headlines
            )
            + "</ul>"
        )
    else:
        parts.append(f"<p>{html.escape(_w('no_headline', lang))}</p>")
    parts.append("</section>")
    parts.append(
        f'<nav class="mm-contents"><h2>{_w("contents", lang)}</h2>{_contents(headings)}</nav>'
    )
    parts.append("</header>")
    return "".join(parts)


def _appendix(tables: list[Table], lang: str) -> str:
    tables = [t for t in tables if t.shortened]
    if not tables:
        return ""
    parts = [
        f'<section class="mm-appendix"><h1 id="appendix">{_w("appendix", lang)}</h1>',
        f"<p>{html.escape(_w('appendix_intro', lang))}</p>",
    ]
    for table in tables:
        files = _files(table)
        parts.append(
            f'<h2 id="appendix-{table.name}">{html.escape(table.title)}</h2>'
            f'<p class="mm-note">{table.total:,} {_w("rows", lang)} · {files}</p>'
            f'<div class="mm-table-wrap">{table.html}</div>'
        )
    parts.append("</section>")
    return "".join(parts)


def render(notebooks: list, info: dict, lang: str) -> Page:
    """The report page from executed notebooks.

    ``info`` holds ``data_name`` (the data folder's or workbook's name, never its
    path), ``seed``, ``pseudonymize``, ``synthetic`` and ``version``.
    """
    from nbconvert import HTMLExporter

    merged, headlines, tables = _merge(notebooks, lang)
    exporter = HTMLExporter(template_name="basic")
    exporter.log.setLevel("ERROR")  # it warns about the alt texts given below
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(merged)
    body = re.sub(r"<script\b.*?</script>\s*", "", body, flags=re.S | re.I)
    body, headings = _number_headings(body)
    body = _describe_images(body, lang)
    appendix = _appendix(tables, lang)
    if appendix:
        headings.append((1, "appendix", _w("appendix", lang)))
    front = _front(info, lang, headlines, headings)
    css = STYLESHEET.read_text(encoding="utf-8")
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(_w('title', lang))} · {html.escape(info['data_name'])}</title>\n"
        f"<style>\n{css}</style>\n</head>\n<body>\n<main>\n{front}\n"
        f'<div class="mm-body">\n{body}\n</div>\n{appendix}\n</main>\n</body>\n</html>\n'
    )
    return Page(html=page, tables=tables, headlines=headlines)
