"""Step 1 of the page: load a roster (upload or the sample), with its problems and the
values the loader guessed."""

from __future__ import annotations

import ipywidgets as w

from mentormatch.app.view.widgets import _Busy, _classed, _div, _h, _row, _table, full
from mentormatch.app.words import say


class _LoadPanel:
    """Part of :class:`~mentormatch.app.view.App`: the load section."""

    def _build_load(self) -> w.VBox:
        """The load section: upload, sample, status, problems, warnings."""
        # 1. load
        self.load_head = _classed(w.HTML(), "mm-head")
        self.load_help = _classed(w.HTML(), "mm-help")
        self.upload = _classed(
            w.FileUpload(accept=".xlsx,.xlsm,.zip", multiple=False, description=""), "mm-upload"
        )
        self.upload.layout.width = "auto"
        self.upload.observe(self._on_upload, "value")
        self.sample = _classed(w.Button(), "mm-sample")
        self.sample.on_click(self._on_sample)
        self.load_busy = _Busy("load")
        self.status = _classed(w.HTML(layout=full()), "mm-status")
        self.problems = _classed(w.HTML(layout=full()), "mm-problems")
        self.warnings = _classed(w.HTML(layout=full()), "mm-warnings")
        return w.VBox(
            [
                self.load_head,
                self.load_help,
                _row([self.upload, self.sample]),
                self.load_busy.box,
                self.status,
                self.problems,
                self.warnings,
            ]
        )

    def _show_load(self) -> None:
        m = self.model
        lang = self.lang
        if m.problems:
            self.status.value = ""
            head = say("problems_head", lang, n=len(m.problems))
            more = (
                f"<p>{_h(say('problems_more', lang, n=len(m.problems)))}</p>"
                if m.problems_cut_short()
                else ""
            )
            self.problems.value = (
                f'<div class="mm-box-bad"><b>{_h(head)}</b>{_table(m.problem_table())}{more}</div>'
            )
        else:
            self.problems.value = ""
            if m.roster is not None:
                g = m.glance()
                text = say(
                    "loaded",
                    lang,
                    source=m.source_name,
                    in_post=g["in_post"],
                    mentors=g["mentors"],
                    bases=g["bases"],
                )
                if m.roster.synthetic:
                    text += say("synthetic_note", lang)
                self.status.value = _div("mm-box-ok", text)
            else:
                self.status.value = ""
        lines = m.warning_lines()
        if lines:
            items = "".join(f"<li>{_h(line)}</li>" for line in lines)
            self.warnings.value = (
                f'<div class="mm-box-warn"><b>{_h(say("warnings_head", lang, n=len(lines)))}</b>'
                f"<ul>{items}</ul></div>"
            )
        else:
            self.warnings.value = ""

    def _on_upload(self, change) -> None:
        if self._updating or not change["new"]:
            return
        item = change["new"][0]
        name, content = item["name"], bytes(item["content"])
        with self.load_busy.running(say("loading", self.lang)):
            self.model.load_upload(name, content)
            self._loaded()
        self._updating = True
        try:
            self.upload.value = ()
        finally:
            self._updating = False

    def _on_sample(self, _=None) -> None:
        with self.load_busy.running(say("loading", self.lang)):
            self.model.load_sample()
            self._loaded()

    def _loaded(self) -> None:
        self._chart_key = None
        self._n_groups_set = False
        self._clear_links()
        self.refresh()
