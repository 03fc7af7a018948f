"""The casebook as one self-contained HTML page: its own stylesheet, no script, no
file it needs beside it (the workbook beside it is linked, not needed).

The page follows the report's house style (:mod:`mentormatch.report`): the same CJK
font stack, colours and A4 print layout. Every text from the roster or the records is
escaped; nothing in the page depends on the time it was made.
"""

from __future__ import annotations

import html

import pandas as pd

from mentormatch.salon_book.compile import (
    KIND_ORDER,
    counts_sentence,
    kind_label,
    sections,
    topic_label,
    topic_order,
)
from mentormatch.salon_book.words import PLURALS, group_text, month_text, w

__all__ = ["STYLE", "render"]

#: The page's stylesheet (inline in the page).
STYLE = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --shade: #f0f4f8;
  --accent: #2f5d8a; --warm: #b44b3c; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.65;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
    "Microsoft YaHei", "WenQuanYi Zen Hei", system-ui, -apple-system, "Segoe UI", sans-serif; }
html[lang="en"] body {
  /* Latin text in a Latin face first (CJK faces draw wide punctuation); names stay CJK. */
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans",
    "Noto Sans CJK SC", sans-serif; }
main { max-width: 920px; margin: 0 auto; padding: 24px 32px 64px; }
h1, h2, h3 { line-height: 1.3; }
a { color: var(--accent); }
.cb-front { margin-bottom: 2rem; }
.cb-title { font-size: 2rem; margin: 0.6rem 0 0.3rem; }
.cb-subtitle { color: var(--muted); margin: 0 0 0.8rem; }
.cb-synthetic { display: inline-block; margin: 0.2rem 0; padding: 0.2rem 0.7rem;
  border-radius: 4px; background: #fdf0ed; color: var(--warm); font-weight: 600; }
.cb-counts { font-weight: 600; margin: 0.6rem 0 0.2rem; }
.cb-note { color: var(--muted); font-size: 0.9rem; margin: 0.2rem 0; }
.cb-contents { margin: 1.4rem 0; padding: 0.6rem 1.2rem 0.8rem; border: 1px solid var(--line);
  border-radius: 6px; background: #fafcfe; }
.cb-contents h2 { margin: 0.4rem 0 0.5rem; font-size: 1.2rem; }
.cb-contents ol { margin: 0; padding-left: 1.6rem; }
.cb-contents li { margin: 0.25rem 0; }
.cb-contents .cb-n { color: var(--muted); font-size: 0.88rem; margin-left: 0.5em; }
.cb-topic { margin-top: 2.2rem; }
.cb-topic > h2 { font-size: 1.45rem; margin: 0 0 0.6rem; padding-bottom: 0.3rem;
  border-bottom: 2px solid var(--accent); }
.cb-topic > h2 .cb-n { font-size: 0.95rem; font-weight: normal; color: var(--muted);
  margin-left: 0.6em; }
.cb-topic h3 { font-size: 1.1rem; margin: 1.3rem 0 0.4rem; color: var(--accent); }
.cb-records { list-style: none; margin: 0; padding: 0; }
.cb-record { margin: 0.5rem 0; padding: 0.45rem 0.9rem; border-left: 4px solid var(--line);
  background: #fbfcfd; }
.cb-record.cb-idea { border-left-color: #d9a53c; }
.cb-record.cb-case { border-left-color: #3c8d5a; }
.cb-record.cb-question { border-left-color: var(--accent); }
.cb-text { margin: 0; white-space: normal; overflow-wrap: anywhere; }
.cb-meta { margin: 0.15rem 0 0; color: var(--muted); font-size: 0.86rem; }
.cb-answers { list-style: none; margin: 0.4rem 0 0.1rem; padding: 0 0 0 1.2rem; }
.cb-answers .cb-record { background: #fff; border-left-color: #9fb3c8; }
.cb-badge { display: inline-block; margin-right: 0.5em; padding: 0 0.4em; border-radius: 3px;
  background: var(--shade); color: var(--muted); font-size: 0.8rem; font-weight: 600; }
.cb-none { color: var(--muted); font-size: 0.86rem; margin: 0.3rem 0 0 1.2rem; }
.cb-top { font-size: 0.85rem; margin: 0.8rem 0 0; }
.cb-foot { margin-top: 3rem; padding-top: 0.6rem; border-top: 1px solid var(--line);
  color: var(--muted); font-size: 0.88rem; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  html { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .cb-topic { break-before: page; }
  h2, h3 { break-after: avoid; }
  .cb-record { break-inside: avoid; }
  .cb-top { display: none; }
}
"""


def _e(text: object) -> str:
    """Escaped text, line breaks kept."""
    return html.escape(str(text)).replace("\r\n", "\n").replace("\n", "<br>")


def _who(row, lang: str) -> str:
    name, community = row["contributor"], row["community"]
    if pd.isna(name):
        return w("unsigned", lang)
    if pd.isna(community):
        return str(name)
    return f"{name}（{community}）" if lang == "zh" else f"{name} ({community})"


def _meta(row, lang: str) -> str:
    parts = [month_text(row["month"], lang), group_text(row["group"], lang), _who(row, lang)]
    return " · ".join(html.escape(p) for p in parts)


def _record(row, lang: str, *, badge: bool = False) -> str:
    kind = row["kind"]
    mark = f'<span class="cb-badge">{html.escape(kind_label(kind, lang))}</span>' if badge else ""
    return (
        f'<li class="cb-record cb-{html.escape(kind)}">'
        f'<p class="cb-text">{mark}{_e(row["text"])}</p>'
        f'<p class="cb-meta">{_meta(row, lang)}</p>'
    )


def _kind_heading(kind: str, lang: str) -> str:
    """金点子 / Ideas: the vocabulary's label, in English in the plural."""
    return kind_label(kind, lang) if lang == "zh" else PLURALS.get(kind, kind_label(kind, lang))


def _heading(kind: str, n: int, lang: str) -> str:
    label = _kind_heading(kind, lang)
    count = f"（{n}）" if lang == "zh" else f" ({n})"
    return f"<h3>{html.escape(label)}{count}</h3>"


def _kind_counts(here: pd.DataFrame, lang: str) -> str:
    counts = here["kind"].value_counts()
    parts = [
        w("kind_count", lang, label=_kind_heading(k, lang), n=int(counts[k]))
        for k in KIND_ORDER
        if k in counts.index
    ]
    return w("list_sep", lang).join(parts)


def _n_records(n: int, lang: str) -> str:
    return w("record_one" if n == 1 else "records", lang, n=n)


def _section(number: int, topic: str, records: pd.DataFrame, lang: str) -> str:
    """One topic: its ideas, cases and questions (each with its answers), then answers
    that answer nothing in the records."""
    own = records[sections(records) == topic]
    label = topic_label(topic, lang)
    parts = [
        f'<section class="cb-topic" id="t-{html.escape(topic)}">'
        f'<h2>{number}. {html.escape(label)}<span class="cb-n">'
        f"{html.escape(_n_records(len(own), lang))}</span></h2>"
    ]
    answers = records[records["thread"].notna()]
    by_head: dict[str, pd.DataFrame] = {k: g for k, g in answers.groupby("thread", sort=False)}
    for kind in ("idea", "case", "question"):
        heads = own[own["kind"] == kind]
        if heads.empty:
            continue
        parts.append(_heading(kind, len(heads), lang))
        parts.append('<ul class="cb-records">')
        for _, row in heads.iterrows():
            parts.append(_record(row, lang))
            replies = by_head.get(row["record_id"])
            if replies is not None and len(replies):
                parts.append('<ul class="cb-answers">')
                parts += [_record(a, lang, badge=True) + "</li>" for _, a in replies.iterrows()]
                parts.append("</ul>")
            elif kind == "question":
                parts.append(f'<p class="cb-none">{html.escape(w("no_answer", lang))}</p>')
            parts.append("</li>")
        parts.append("</ul>")
    loose = own[(own["kind"] == "answer") & own["thread"].isna()]
    if len(loose):
        n = len(loose)
        count = f"（{n}）" if lang == "zh" else f" ({n})"
        parts.append(f"<h3>{html.escape(w('loose_answers', lang))}{count}</h3>")
        parts.append(f'<p class="cb-note">{html.escape(w("loose_note", lang))}</p>')
        parts.append('<ul class="cb-records">')
        parts += [_record(a, lang, badge=True) + "</li>" for _, a in loose.iterrows()]
        parts.append("</ul>")
    parts.append(
        f'<p class="cb-top"><a href="#contents">↑ {html.escape(w("contents", lang))}</a></p>'
    )
    parts.append("</section>")
    return "".join(parts)


def render(
    records: pd.DataFrame,
    *,
    lang: str = "zh",
    synthetic: bool = False,
    pseudonymized: bool = False,
    workbook: str | None = None,
) -> str:
    """The casebook page from :func:`~mentormatch.salon_book.compile.compile_records`.

    Parameters
    ----------
    records : DataFrame
        The compiled records, in the book's order.
    lang : {"zh", "en"}
        The page's language (the records' texts stay as written).
    synthetic : bool
        Say that the data are synthetic.
    pseudonymized : bool
        Say that names are codes.
    workbook : str or None
        The file name of the workbook beside the page, linked at the foot.

    Returns
    -------
    str
        The whole page.

    Examples
    --------
    >>> import pandas as pd
    >>> records = pd.DataFrame({"record_id": ["I1"], "topic": "parking", "kind": "idea",
    ...     "month": "2025-03", "group": 2, "secretary_id": None, "contributor": None,
    ...     "community": None, "text": "<b>Share</b> spaces", "reply_to": None, "thread": None})
    >>> page = render(records, lang="en")
    >>> "&lt;b&gt;Share&lt;/b&gt; spaces" in page, "<b>" in page
    (True, False)
    """
    order = topic_order(records)
    toc = []
    for topic in order:
        here = records[sections(records) == topic]
        toc.append(
            f'<li><a href="#t-{html.escape(topic)}">{html.escape(topic_label(topic, lang))}</a>'
            f'<span class="cb-n">{html.escape(_n_records(len(here), lang))}'
            f"{'：' if lang == 'zh' else ': '}{html.escape(_kind_counts(here, lang))}</span></li>"
        )
    front = [
        '<header class="cb-front">',
        f'<h1 class="cb-title">{html.escape(w("title", lang))}</h1>',
        f'<p class="cb-subtitle">{html.escape(w("subtitle", lang))}</p>',
    ]
    if synthetic:
        front.append(f'<p class="cb-synthetic">{html.escape(w("synthetic", lang))}</p>')
    front.append(f'<p class="cb-counts">{html.escape(counts_sentence(records, lang))}</p>')
    if pseudonymized:
        front.append(f'<p class="cb-note">{html.escape(w("coded", lang))}</p>')
    front.append(
        f'<nav class="cb-contents" id="contents"><h2>{html.escape(w("contents", lang))}</h2>'
        f"<ol>{''.join(toc)}</ol></nav></header>"
    )
    bodies = [_section(n, t, records, lang) for n, t in enumerate(order, start=1)]
    foot = [html.escape(w("same", lang))]
    if workbook:
        link = f'<a href="{html.escape(workbook)}">{html.escape(workbook)}</a>'
        foot.append(f"{html.escape(w('workbook', lang))} {link}{'。' if lang == 'zh' else '.'}")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(w('title', lang))}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "".join(front)
        + "\n"
        + "\n".join(bodies)
        + f'\n<footer class="cb-foot"><p>{("" if lang == "zh" else " ").join(foot)}</p></footer>\n'
        "</main>\n</body>\n</html>\n"
    )
