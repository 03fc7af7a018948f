"""The workbench page: ipywidgets over a :class:`~mentormatch.app.model.Workbench`.

The page shows the model's state and calls its actions; it computes nothing itself.
Six sections follow the planner's work: load, the district at a glance, rules, solve
and review, adjust by hand, download. Until a roster is loaded without problems only
the first section shows. Every widget a test or a person acts on carries a CSS class
``mm-...`` (:data:`CLASSES` lists them), so that browser tests find it by name.

Long steps show a spinner with what is being done (a CSS animation: it turns while the
kernel works); the report, which runs notebooks for half a minute, also shows how many
are done.
"""

from __future__ import annotations

import ipywidgets as w

from mentormatch.app.model import OBJECTIVES, Workbench
from mentormatch.app.view.adjust import _AdjustPanel
from mentormatch.app.view.download import _DownloadPanel
from mentormatch.app.view.glance import _GlancePanel
from mentormatch.app.view.load import _LoadPanel
from mentormatch.app.view.rules import _RulesPanel
from mentormatch.app.view.solve import _SolvePanel
from mentormatch.app.view.style import CLASSES, CSS
from mentormatch.app.view.widgets import _classed, _h, full
from mentormatch.app.words import DISTANCE_WORDS, RULE_WORDS, WEIGHT_WORDS, say

__all__ = ["App", "CSS", "CLASSES"]


def _warm_up() -> None:
    """Import what solving and drawing need while the planner picks a roster (in a
    thread: the page answers meanwhile), so that the first solve does not wait for it."""
    import threading

    def imports() -> None:
        import mentormatch.app.chart  # noqa: F401
        import mentormatch.evaluate.baselines  # noqa: F401
        import mentormatch.export  # noqa: F401
        import mentormatch.plot.match  # noqa: F401

    threading.Thread(target=imports, name="mentormatch-app-imports", daemon=True).start()


class App(_LoadPanel, _GlancePanel, _RulesPanel, _SolvePanel, _AdjustPanel, _DownloadPanel):
    """The planner's workbench as one widget (:attr:`widget`), for Voilà or JupyterLab.

    Parameters
    ----------
    lang : {"zh", "en"}, optional
        The page's language; by default the one the page was opened with
        (:func:`mentormatch.app.page_language`), Chinese unless told otherwise.

    Examples
    --------
    In JupyterLab:

    >>> from mentormatch.app import App
    >>> app = App(lang="en")
    >>> app.sample.click()  # the same as pressing "Use the sample roster"
    >>> app.model.ready
    True
    """

    def __init__(self, lang: str | None = None, *, model: Workbench | None = None):
        if lang is None:
            from mentormatch.app import page_language

            lang = page_language()
        self.model = model or Workbench(lang)
        self.model.set_language(lang)
        self._updating = False
        self._chart_key: tuple | None = None
        #: The planner chose the number of salon groups (else: the report's, per roster).
        self._n_groups_set = False
        #: Seconds the last solve took, until the plan and its charts were shown.
        self.last_seconds: float | None = None
        self._build()
        self.refresh()
        _warm_up()

    @property
    def lang(self) -> str:
        return self.model.lang

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.style = w.HTML()
        self.title = _classed(w.HTML(layout=full()), "mm-title")
        self.language = _classed(
            w.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=self.lang),
            "mm-lang",
        )
        self.language.style.button_width = "80px"
        self.language.layout = w.Layout(width="auto", flex="0 0 auto")
        self.language.observe(self._on_language, "value")
        header = w.HBox(
            [self.title, self.language],
            layout=w.Layout(justify_content="space-between", align_items="center"),
        )

        load = self._build_load()
        glance = self._build_glance()
        rules = self._build_rules()
        solve = self._build_solve()
        adjust = self._build_adjust()
        download = self._build_download()

        for button in (
            self.download_plan,
            self.download_groups,
            self.download_report,
            self.sample,
            self.cap_apply,
            self.rule_add,
            self.rule_remove,
            self.solve,
            self.lock,
            self.unlock,
            self.move,
            self.resolve,
            self.undo,
        ):
            # Buttons as wide as their words, wherever they sit.
            button.layout.width = "auto"
            button.layout.align_self = "flex-start"
        self.sections = {
            name: _classed(_classed(box, "mm-section"), f"mm-step-{name}")
            for name, box in (
                ("load", load),
                ("glance", glance),
                ("rules", rules),
                ("solve", solve),
                ("adjust", adjust),
                ("download", download),
            )
        }
        self.widget = _classed(w.VBox([self.style, header, *self.sections.values()]), "mm-app")

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # --- showing -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the model's state: every label in the language, every section's content."""
        self._updating = True
        try:
            self._labels()
            self._show_load()
            ready = self.model.ready
            for name in ("glance", "rules", "solve", "adjust", "download"):
                self.sections[name].layout.display = "" if ready else "none"
            if ready:
                self._show_glance()
                self._show_rules()
                self._show_plan()
                self._show_adjust()
                self._show_download()
        finally:
            self._updating = False

    def _heading(self, key: str, level: int = 2) -> str:
        return f"<h{level}>{_h(say(key, self.lang))}</h{level}>"

    def _labels(self) -> None:
        lang = self.lang
        label = say("upload", lang).replace('"', "")
        self.style.value = f'<style>{CSS}\n.mm-app {{ --mm-upload-label: "{label}"; }}</style>'
        self.title.value = f"<h1>{_h(say('title', lang))}</h1><p>{_h(say('subtitle', lang))}</p>"
        self.load_head.value = self._heading("step_load")
        self.load_help.value = _h(say("load_help", lang))
        self.upload.description = ""
        self.upload.tooltip = say("upload", lang)
        self.sample.description = say("use_sample", lang)
        self.glance_head.value = self._heading("step_glance")
        self.rules_head.value = self._heading("step_rules")
        self.objective_head.value = self._heading("objective", 3)
        self.weights_head.value = self._heading("weights", 3)
        for k, lab in self.weight_labels.items():
            lab.value = WEIGHT_WORDS[k][0 if lang == "zh" else 1]
        self.distance_head.value = self._heading("distance", 3)
        self.places_head.value = self._heading("places", 3)
        self.places_help.value = _h(say("places_help", lang))
        self.cap_apply.description = say("set_places", lang)
        self.pairs_head.value = self._heading("pairs", 3)
        self.pairs_help.value = _h(say("pairs_help", lang))
        self.rule_add.description = say("add_pair", lang)
        self.rule_remove.description = say("remove_pairs", lang)
        self.partial.description = say("partial", lang)
        self.partial_help.value = _h(say("partial_help", lang))
        self.solve_head.value = self._heading("step_solve")
        self.solve_help.value = _h(say("solve_help", lang))
        self.solve.description = say("solve", lang)
        self.plan_head.value = self._heading("plan_by_mentor", 3)
        self.plan_mentor.description = ""
        self.charts_head.value = self._heading("charts", 3)
        self.adjust_head.value = self._heading("step_adjust")
        self.adjust_help.value = _h(say("adjust_help", lang))
        self.adjust_need.value = _h(say("need_plan", lang))
        self.lock.description = say("lock", lang)
        self.unlock.description = say("unlock", lang)
        self.move.description = say("move", lang)
        self.resolve.description = say("resolve", lang)
        self.undo.description = say("undo", lang)
        self.cost_head.value = self._heading("cost_head", 3)
        self.blocking_help.value = _h(say("blocking_help", lang))
        self.download_head.value = self._heading("step_download")
        self.download_plan.description = say("download_plan", lang)
        self.download_groups.description = say("download_groups", lang)
        self.download_report.description = say("download_report", lang)
        self.report_help.value = _h(say("report_help", lang))
        self.n_groups_label.value = say("n_groups", lang)
        i = 0 if lang == "zh" else 1
        self._set_options(self.rule_kind, [(RULE_WORDS[r][i], r) for r in RULE_WORDS], "keep")
        # A Dropdown's value None means nothing chosen: "no rule" is the empty string here.
        self._set_options(
            self.distance, [(words[i], code or "") for code, words in DISTANCE_WORDS.items()], ""
        )
        from mentormatch.export.plan_book import OBJECTIVE_WORDS

        options = []
        for code in OBJECTIVES:
            name, explained = OBJECTIVE_WORDS[code][i]
            options.append((f"{name}{'：' if lang == 'zh' else ': '}{explained}", code))
        self._set_options(self.objective, options, "total")

    @staticmethod
    def _set_options(widget, options: list, default) -> None:
        """New options (labels in the language), keeping the value chosen."""
        value = widget.value
        values = [v for _, v in options]
        widget.options = options
        widget.value = (
            value
            if value in values
            else (default if default in values else values[0] if values else None)
        )

    # --- acting ------------------------------------------------------------------------

    def _on_language(self, change) -> None:
        if self._updating:
            return
        self.model.set_language(change["new"])
        self._chart_key = None
        self._clear_links()
        self.refresh()
        if self.model.solved:
            self._show_charts()
