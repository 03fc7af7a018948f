"""What the notebooks show: formatted tables, sentences that follow the data, headlines.

The notebooks are thin: they compute with the package and show results through these
helpers, in the language of their ``LANG`` parameter (:func:`start` sets it).

* :func:`table` shows a table for people (:mod:`~mentormatch.present.format`): labels,
  digits, no index; a long table is shortened, and the report puts the whole of it in
  its appendix and writes it beside the report as CSV and XLSX.
* :func:`say` shows a sentence in the current language; :func:`bullets` a list.
* :func:`headline` shows a key figure; the report collects them into its summary.
* :func:`unavailable` says what a section would show and which table it needs, when a
  roster lacks it, so that every valid roster gives a report.
* :func:`sliders` shows widgets in JupyterLab, and a static result of the defaults in
  a report.

The report reads two kinds of output these helpers write, by their MIME types:
:data:`TABLE_MIME` (a long table's whole content) and :data:`HEADLINE_MIME`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from mentormatch import lang as _lang
from mentormatch.present.format import MISSING, for_export, for_people, resolve_columns, to_html

__all__ = [
    "start",
    "table",
    "figures",
    "say",
    "bullets",
    "headline",
    "unavailable",
    "sliders",
    "TABLE_MIME",
    "HEADLINE_MIME",
    "MAX_ROWS",
    "MISSING",
    "for_people",
]

TABLE_MIME = "application/vnd.mentormatch.table+json"
HEADLINE_MIME = "application/vnd.mentormatch.headline+json"
#: Rows of a table shown in the body before it is shortened.
MAX_ROWS = 15


def _display(bundle: dict) -> None:
    from IPython.display import display

    display(bundle, raw=True)


def start(data, *, lang: str = "zh", pseudonymize: bool = False):
    """Load the roster at ``data`` for a notebook, in language ``lang``.

    Sets the language of charts, tables and sentences, pseudonymises names and
    communities when asked, and returns the District.
    """
    from mentormatch.io import load_district
    from mentormatch.plot import set_language

    set_language(lang)
    d = load_district(data)
    return d.pseudonymized() if pseudonymize else d


def table(
    df: pd.DataFrame | pd.Series,
    *,
    name: str | None = None,
    title: tuple[str, str] | None = None,
    max_rows: int | None = MAX_ROWS,
    labels: Mapping[str, object] | None = None,
    decimals: Mapping[str, int] | None = None,
) -> None:
    """Show ``df`` formatted for people (see :func:`mentormatch.present.format.for_people`).

    Parameters
    ----------
    name : str, optional
        File name (no extension) of the whole table beside the report, as CSV and
        XLSX; needed when the table may be longer than ``max_rows`` (the report then
        also puts the whole table in its appendix).
    title : (zh, en), optional
        A caption above the table.
    max_rows : int or None
        Rows shown before the table is shortened; ``None`` shows every row.
    """
    lang = _lang.current()
    shown = for_people(df, lang=lang, labels=labels, decimals=decimals)
    kinds = [c.kind for c in resolve_columns(_frame_of(df), lang, labels)]
    caption = _lang.pick(*title) if title else ""
    total = len(shown)
    long = max_rows is not None and total > max_rows
    if long and not name:
        raise ValueError("a table that may be shortened needs a name for its full copy")
    parts = [f'<p class="mm-caption">{html.escape(caption)}</p>'] if caption else []
    if total == 0:
        parts.append(f'<p class="mm-note">{_lang.pick("（无记录）", "(none)")}</p>')
    else:
        parts.append(to_html(shown.head(max_rows) if long else shown, kinds))
    if long:
        parts.append(
            '<p class="mm-note">'
            + html.escape(
                _lang.pick(
                    f"共 {total:,} 行，此处列出前 {max_rows} 行；完整表格见报告附录及报告旁的 "
                    f"tables/{name}.xlsx。",
                    f"{total:,} rows; the first {max_rows} are shown here. The whole table is "
                    f"in the report's appendix and beside the report as tables/{name}.xlsx.",
                )
            )
            + "</p>"
        )
    bundle = {"text/plain": (caption + "\n" if caption else "") + shown.to_string(index=False)}
    if name and total:
        # The whole table, for the report's appendix (when shortened here) and its files.
        export, number_kinds = for_export(df, lang=lang, labels=labels)
        bundle[TABLE_MIME] = {
            "name": name,
            "title": caption,
            "shortened": bool(long),
            "html": to_html(shown, kinds),
            "columns": list(export.columns),
            "kinds": [number_kinds[c] for c in export.columns],
            "rows": export.astype(object).where(export.notna(), None).values.tolist(),
        }
    bundle["text/html"] = '<div class="mm-table-wrap">' + "".join(parts) + "</div>"
    _display(bundle)


def _frame_of(df: pd.DataFrame | pd.Series) -> pd.DataFrame:
    from mentormatch.present.format import _frame

    return _frame(df)


def figures(
    values: Mapping[str, object] | pd.Series,
    labels: Mapping[str, tuple[str, ...]],
    *,
    title: tuple[str, str] | None = None,
) -> None:
    """Show named figures as a two-column table (figure, value), each value formatted
    by its own kind: ``labels`` maps a key to ``(zh, en)`` or ``(zh, en, kind)``."""
    lang = _lang.current()
    rows = []
    for key, spec in labels.items():
        if key not in values:
            continue
        kind = spec[2] if len(spec) > 2 else "float"
        frame = pd.DataFrame({key: [values[key]]})
        text = for_people(frame, lang=lang, labels={key: (spec[0], spec[1], kind)}).iloc[0, 0]
        rows.append({"figure": _lang.pick(spec[0], spec[1]), "value": text})
    table(pd.DataFrame(rows, columns=["figure", "value"]), title=title, max_rows=None)


def say(zh: str, en: str) -> None:
    """Show one paragraph (Markdown) in the current language."""
    text = _lang.pick(zh, en)
    _display({"text/markdown": text, "text/plain": text})


def bullets(lines: Sequence[str]) -> None:
    """Show a bulleted list (Markdown)."""
    text = "\n".join(f"- {line}" for line in lines)
    _display({"text/markdown": text, "text/plain": text})


def headline(key: str, zh: str, en: str) -> None:
    """Show a key figure; the report lists every headline on its first screen, each
    linking to the section that shows it."""
    text = _lang.pick(zh, en)
    marker = _lang.pick("要点", "Key figure")
    _display(
        {
            "text/markdown": f"> **{marker}**: {text}",
            "text/plain": f"{marker}: {text}",
            HEADLINE_MIME: {"key": key, "text": text},
        }
    )


def unavailable(d, analysis: str) -> bool:
    """When ``d`` lacks what ``analysis`` needs, say what the section would show and
    which table enables it, and return True; else return False and show nothing.

    The analyses are those of :func:`mentormatch.evaluate.needs.missing`.
    """
    from mentormatch.evaluate.needs import explain

    why = explain(d, analysis, _lang.current())
    if why is None:
        return False
    _display({"text/markdown": f"*{why}*", "text/plain": why})
    return True


def sliders(
    function: Callable[..., object],
    defaults: Mapping[str, float],
    *,
    interactive: bool = True,
    step: float = 0.05,
    labels: Mapping[str, tuple[str, str]] | None = None,
) -> None:
    """Sliders (0 to 1) that call ``function(**values)`` on every change; with
    ``interactive=False`` (a static report), one call with the defaults instead."""
    if not interactive:
        function(**defaults)
        return
    import ipywidgets as widgets
    from IPython.display import display

    controls = {
        key: widgets.FloatSlider(
            value=value,
            min=0,
            max=1,
            step=step,
            description=_lang.pick(*labels[key]) if labels and key in labels else key,
            style={"description_width": "initial"},
        )
        for key, value in defaults.items()
    }
    display(widgets.interactive(function, **controls))
