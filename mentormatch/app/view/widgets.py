"""What every panel of the page builds with: escaped text, boxes of the stylesheet,
tables, rows of widgets, CSS classes and the spinner shown while something runs."""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterator

import ipywidgets as w

from mentormatch.present.format import to_html


def full() -> w.Layout:  # a Layout each: showing or hiding one must not touch others
    return w.Layout(width="100%")


def _h(text: object) -> str:
    return html.escape(str(text))


def _div(css: str, text: object) -> str:
    """A sentence in a box of the page's stylesheet (escaped)."""
    return f'<div class="{css}">{_h(text)}</div>'


def _table(frame, kinds=None) -> str:
    return to_html(frame, kinds)


def _row(children: list, **layout) -> w.HBox:
    """Widgets side by side, a little apart (the page's ``mm-row``), wrapping when narrow."""
    return _classed(w.HBox(children, layout=w.Layout(flex_flow="row wrap", **layout)), "mm-row")


def _classed(widget: w.Widget, name: str) -> w.Widget:
    widget.add_class(name)
    return widget


class _Busy:
    """A spinner with a message (and, for long steps, a progress bar), shown while
    something runs."""

    def __init__(self, name: str):
        self.label = _classed(w.HTML(layout=w.Layout(display="none")), f"mm-busy-{name}")
        self.label.add_class("mm-busy")
        self.bar = _classed(
            w.IntProgress(min=0, max=1, value=0, layout=w.Layout(display="none", width="320px")),
            f"mm-progress-{name}",
        )
        self.box = _row([self.label, self.bar])

    def say(self, text: str) -> None:
        self.label.value = (
            f'<span class="mm-spinner"></span><span class="mm-busy-text">{_h(text)}</span>'
        )
        self.label.layout.display = ""

    def progress(self, done: int, n: int) -> None:
        self.bar.max = max(1, n)
        self.bar.value = min(done, n)
        self.bar.layout.display = ""

    def hide(self) -> None:
        self.label.layout.display = "none"
        self.bar.layout.display = "none"
        self.bar.value = 0

    @contextlib.contextmanager
    def running(self, text: str) -> Iterator[None]:
        self.say(text)
        try:
            yield
        finally:
            self.hide()
