"""Step 6 of the page: download the plan workbook, the salon groups and the report."""

from __future__ import annotations

import base64

import ipywidgets as w

from mentormatch.app.model import Download
from mentormatch.app.view.widgets import _Busy, _classed, _div, _h, _row, full
from mentormatch.app.words import say


class _DownloadPanel:
    """Part of :class:`~mentormatch.app.view.App`: the download section."""

    def _build_download(self) -> w.VBox:
        """The download section: three files, each with its link."""
        # 6. download
        self.download_head = _classed(w.HTML(), "mm-head")
        self.download_plan = _classed(w.Button(), "mm-download-plan")
        self.download_plan.on_click(self._on_download_plan)
        self.link_plan = _classed(w.HTML(), "mm-link-plan")
        self.n_groups_label = w.Label()
        self.n_groups = _classed(
            w.BoundedIntText(min=1, max=100, value=10, layout=w.Layout(width="80px")), "mm-n-groups"
        )
        self.n_groups_help = _classed(w.HTML(), "mm-help")
        self.download_groups = _classed(w.Button(), "mm-download-groups")
        self.download_groups.on_click(self._on_download_groups)
        self.link_groups = _classed(w.HTML(), "mm-link-groups")
        self.download_report = _classed(w.Button(), "mm-download-report")
        self.download_report.on_click(self._on_download_report)
        self.link_report = _classed(w.HTML(), "mm-link-report")
        self.report_help = _classed(w.HTML(), "mm-help")
        self.download_busy = _Busy("download")
        self.download_error = _classed(w.HTML(layout=full()), "mm-download-error")
        return w.VBox(
            [
                self.download_head,
                _row([self.download_plan, self.link_plan]),
                _row([self.n_groups_label, self.n_groups, self.download_groups, self.link_groups]),
                self.n_groups_help,
                _row([self.download_report, self.link_report]),
                self.report_help,
                self.download_busy.box,
                self.download_error,
            ]
        )

    def _show_download(self) -> None:
        m = self.model
        self.download_plan.disabled = not m.solved
        if not self._n_groups_set:
            self.n_groups.value = m.groups_size()
        self.n_groups_help.value = _h(say("n_groups_help", self.lang, n=m.groups_size()))

    @staticmethod
    def _link(target: w.HTML, download: Download, lang: str) -> None:
        data = base64.b64encode(download.content).decode("ascii")
        text = say("link", lang, name=download.name, size=download.size_text)
        target.value = (
            f'<a class="mm-link" download="{_h(download.name)}" '
            f'href="data:{download.mime};base64,{data}">{_h(text)}</a>'
        )

    def _clear_links(self, plan_only: bool = False) -> None:
        self.link_plan.value = ""
        if not plan_only:
            self.link_groups.value = ""
            self.link_report.value = ""

    def _download(self, target: w.HTML, message: str, make) -> None:
        self.download_error.value = ""
        target.value = ""
        try:
            with self.download_busy.running(message):
                download = make()
        except Exception as error:  # shown to the planner, who can act on it
            from mentormatch.errors import DataError

            text = error.message(self.lang) if isinstance(error, DataError) else str(error)
            self.download_error.value = _div("mm-box-bad", say("failed", self.lang, message=text))
            return
        self._link(target, download, self.lang)

    def _on_download_plan(self, _=None) -> None:
        if self.model.solved:
            self._download(self.link_plan, say("writing", self.lang), self.model.plan_workbook)

    def _on_download_groups(self, _=None) -> None:
        self._n_groups_set = int(self.n_groups.value) != self.model.groups_size()
        self._download(
            self.link_groups,
            say("grouping", self.lang),
            lambda: self.model.groups_workbook(int(self.n_groups.value)),
        )

    def _on_download_report(self, _=None) -> None:
        from mentormatch.report import notebook_dir

        n = len(list(notebook_dir().glob("[0-9][0-9]_*.ipynb")))
        busy = self.download_busy

        def progress(done: int, total: int) -> None:
            busy.progress(done, total)
            busy.say(
                say("reporting", self.lang, n=total)
                + " "
                + say("report_progress", self.lang, done=done, n=total)
            )

        def make() -> Download:
            busy.progress(0, n)
            return self.model.report(progress)

        self._download(self.link_report, say("reporting", self.lang, n=n), make)
