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

import base64
import contextlib
import html
import time
from collections.abc import Iterator

import ipywidgets as w

from mentormatch.app.model import OBJECTIVES, Download, Workbench
from mentormatch.app.words import DISTANCE_WORDS, RULE_WORDS, WEIGHT_WORDS, say
from mentormatch.present.format import to_html
from mentormatch.scoring import MENTOR_WEIGHTS

__all__ = ["App", "CSS", "CLASSES"]

#: The page's stylesheet: every rule inside ``.mm-app``, so that in JupyterLab the page
#: restyles nothing else (the report's tables share the class ``mm-table``).
CSS = """
.mm-app { max-width: 1200px; margin: 0 auto; color: #1f2937;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
    "Microsoft YaHei", sans-serif; font-size: 14px; }
.mm-app .widget-html-content { line-height: 1.55; }
.mm-app .widget-label,
.mm-app .widget-radio-box label,
.mm-app .widget-checkbox label,
.mm-app select,
.mm-app button { font-family: inherit; font-size: 13px; }
.mm-app .widget-radio-box label { line-height: 1.7; }
.mm-app .mm-title h1 { font-size: 22px; margin: 4px 0 0 0; }
.mm-app .mm-title p { margin: 0; color: #4b5563; }
.mm-app .mm-section { border: 1px solid #e5e7eb; border-radius: 8px; padding: 10px 16px 14px;
  margin: 10px 0; background: #ffffff; }
.mm-app .mm-head h2 { font-size: 17px; margin: 2px 0 4px; color: #111827; }
.mm-app .mm-head h3 { font-size: 14px; margin: 8px 0 2px; color: #374151; }
.mm-app .mm-help { color: #4b5563; font-size: 13px; }
.mm-app table.mm-table { border-collapse: collapse; width: 100%; font-size: 13px;
  margin: 4px 0 8px; }
.mm-app table.mm-table th,
.mm-app table.mm-table td { border-bottom: 1px solid #e5e7eb; padding: 4px 8px;
  text-align: left; vertical-align: top; }
.mm-app table.mm-table th { background: #f3f4f6; white-space: nowrap; font-weight: 600; }
.mm-app table.mm-table .num { text-align: right; white-space: nowrap; }
.mm-app .mm-cards { display: flex; gap: 10px; flex-wrap: wrap; margin: 4px 0; }
.mm-app .mm-card { border: 1px solid #e5e7eb; border-radius: 8px; padding: 6px 16px;
  min-width: 120px; }
.mm-app .mm-card .k { color: #4b5563; font-size: 13px; }
.mm-app .mm-card .v { font-size: 22px; font-weight: 600; }
.mm-app .mm-card.bad .v { color: #b91c1c; }
.mm-app .mm-card.good .v { color: #047857; }
.mm-app .mm-box-bad { border-left: 4px solid #b91c1c; background: #fef2f2; padding: 6px 12px;
  margin: 6px 0; }
.mm-app .mm-box-warn { border-left: 4px solid #d97706; background: #fffbeb; padding: 6px 12px;
  margin: 6px 0; }
.mm-app .mm-box-ok { border-left: 4px solid #047857; background: #ecfdf5; padding: 6px 12px;
  margin: 6px 0; }
.mm-app .mm-box-bad ul,
.mm-app .mm-box-warn ul { margin: 2px 0; padding-left: 20px; }
.mm-app .mm-mentor-head { font-weight: 600; margin-top: 8px; color: #1e3a8a; }
.mm-app .mm-spinner { display: inline-block; width: 14px; height: 14px; border: 2px solid #bfdbfe;
  border-top-color: #1d4ed8; border-radius: 50%; animation: mm-spin 0.8s linear infinite;
  vertical-align: -2px; margin-right: 8px; }
@keyframes mm-spin { to { transform: rotate(360deg); } }
.mm-app .mm-busy-text { color: #1d4ed8; }
.mm-app a.mm-link { display: inline-block; padding: 4px 12px; border-radius: 4px;
  background: #1d4ed8; color: #ffffff !important; text-decoration: none; margin: 2px 0; }
.mm-app .mm-upload { font-size: 0 !important; }
.mm-app .mm-upload i { font-size: 13px; margin-right: 6px; }
.mm-app .mm-upload::after { font-size: 13px; content: var(--mm-upload-label); }
.mm-app .mm-chart img { max-width: 100%; height: auto; }
.mm-app .mm-row { gap: 4px 10px; align-items: center; }
.mm-app table.mm-table td { white-space: nowrap; }
.mm-app table.mm-table td.mm-wrap,
.mm-app .mm-plan table.mm-table td:nth-child(8),
.mm-app .mm-unplaced table.mm-table td:nth-child(5),
.mm-app .mm-problems table.mm-table td:nth-child(n+4) {
  white-space: normal; min-width: 12em; }
.mm-app .mm-plan table.mm-table td:nth-child(8) { width: 100%; }
.mm-app .mm-plan table.mm-table th:nth-child(-n+5) { width: 7em; }
.mm-app .mm-plan table.mm-table th:nth-child(5) { width: 11em; }
.mm-app .mm-plan table.mm-table th:nth-child(6),
.mm-app .mm-plan table.mm-table th:nth-child(7) { width: 5em; }
.mm-app .mm-places table.mm-table,
.mm-app .mm-cost table.mm-table { width: auto; min-width: 480px; }
.mm-app .mm-places .widget-html-content { max-height: 340px; overflow-y: auto; }
.mm-app .mm-places th { position: sticky; top: 0; }
"""


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


class App:
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
        def full() -> w.Layout:  # a Layout each: showing or hiding one must not touch others
            return w.Layout(width="100%")

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
        load = w.VBox(
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

        # 2. at a glance
        self.glance_head = _classed(w.HTML(), "mm-head")
        self.glance = _classed(w.HTML(layout=full()), "mm-glance")
        glance = w.VBox([self.glance_head, self.glance])

        # 3. rules
        self.rules_head = _classed(w.HTML(), "mm-head")
        self.objective_head = _classed(w.HTML(), "mm-head")
        self.objective = _classed(w.RadioButtons(layout=w.Layout(width="auto")), "mm-objective")
        self.objective.observe(self._on_objective, "value")
        self.weights_head = _classed(w.HTML(), "mm-head")
        self.weight_labels = {k: w.Label(layout=w.Layout(width="8em")) for k in MENTOR_WEIGHTS}
        self.sliders = {
            k: _classed(
                w.FloatSlider(
                    value=v,
                    min=0.0,
                    max=1.0,
                    step=0.05,
                    readout_format=".2f",
                    continuous_update=False,
                    layout=w.Layout(width="360px"),
                ),
                f"mm-weight-{k}",
            )
            for k, v in MENTOR_WEIGHTS.items()
        }
        for k, slider in self.sliders.items():
            slider.observe(lambda change, k=k: self._on_weight(k, change), "value")
        self.weight_shares = _classed(w.HTML(layout=full()), "mm-weight-shares")
        self.distance_head = _classed(w.HTML(), "mm-head")
        self.distance = _classed(w.Dropdown(layout=w.Layout(width="320px")), "mm-distance")
        self.distance.observe(self._on_distance, "value")
        self.places_head = _classed(w.HTML(), "mm-head")
        self.places_help = _classed(w.HTML(), "mm-help")
        self.cap_mentor = _classed(w.Dropdown(layout=w.Layout(width="280px")), "mm-cap-mentor")
        self.cap_mentor.observe(self._on_cap_mentor, "value")
        self.cap_value = _classed(
            w.BoundedIntText(min=0, max=10_000, layout=w.Layout(width="90px")), "mm-cap-value"
        )
        self.cap_apply = _classed(w.Button(), "mm-cap-apply")
        self.cap_apply.on_click(self._on_cap_apply)
        self.places = _classed(w.HTML(layout=full()), "mm-places")
        self.pairs_head = _classed(w.HTML(), "mm-head")
        self.pairs_help = _classed(w.HTML(), "mm-help")
        self.rule_mentee = _classed(w.Dropdown(layout=w.Layout(width="380px")), "mm-rule-mentee")
        self.rule_mentor = _classed(w.Dropdown(layout=w.Layout(width="280px")), "mm-rule-mentor")
        self.rule_kind = _classed(w.ToggleButtons(options=[("keep", "keep")]), "mm-rule-kind")
        self.rule_kind.style.button_width = "72px"
        self.rule_add = _classed(w.Button(), "mm-rule-add")
        self.rule_add.on_click(self._on_rule_add)
        self.rule_list = _classed(
            w.SelectMultiple(rows=5, layout=w.Layout(width="720px")), "mm-rules"
        )
        self.rule_remove = _classed(w.Button(), "mm-rule-remove")
        self.rule_remove.on_click(self._on_rule_remove)
        self.partial = _classed(
            w.Checkbox(indent=False, layout=w.Layout(width="auto")), "mm-partial"
        )
        self.partial.observe(self._on_partial, "value")
        self.partial_help = _classed(w.HTML(), "mm-help")
        self.rule_error = _classed(w.HTML(layout=full()), "mm-rule-error")
        self.rules_busy = _Busy("rules")
        rules = w.VBox(
            [
                self.rules_head,
                self.objective_head,
                self.objective,
                self.weights_head,
                *[w.HBox([self.weight_labels[k], self.sliders[k]]) for k in MENTOR_WEIGHTS],
                self.weight_shares,
                self.distance_head,
                self.distance,
                self.places_head,
                self.places_help,
                _row([self.cap_mentor, self.cap_value, self.cap_apply]),
                self.places,
                self.pairs_head,
                self.pairs_help,
                _row([self.rule_mentee, self.rule_mentor, self.rule_kind, self.rule_add]),
                self.rule_list,
                self.rule_remove,
                self.partial,
                self.partial_help,
                self.rules_busy.box,
                self.rule_error,
            ]
        )

        # 4. solve and review
        self.solve_head = _classed(w.HTML(), "mm-head")
        self.solve_help = _classed(w.HTML(), "mm-help")
        self.solve = _classed(w.Button(button_style="primary"), "mm-solve")
        self.solve.on_click(self._on_solve)
        self.solve_busy = _Busy("solve")
        self.stale = _classed(w.HTML(layout=full()), "mm-stale")
        self.error = _classed(w.HTML(layout=full()), "mm-error")
        self.headline = _classed(w.HTML(layout=full()), "mm-headline")
        self.plan_head = _classed(w.HTML(), "mm-head")
        self.plan_mentor = _classed(w.Dropdown(layout=w.Layout(width="320px")), "mm-plan-mentor")
        self.plan_mentor.observe(self._on_plan_mentor, "value")
        self.plan = _classed(w.HTML(layout=full()), "mm-plan")
        self.unplaced = _classed(w.HTML(layout=full()), "mm-unplaced")
        self.charts_head = _classed(w.HTML(), "mm-head")
        self.chart_scores = _classed(
            w.Image(format="png", layout=w.Layout(width="680px", max_width="100%")),
            "mm-chart-scores",
        )
        self.chart_random = _classed(
            w.Image(format="png", layout=w.Layout(width="960px", max_width="100%")),
            "mm-chart-random",
        )
        self.results = w.VBox(
            [
                self.headline,
                self.plan_head,
                self.plan_mentor,
                self.plan,
                self.unplaced,
                self.charts_head,
                _classed(w.VBox([self.chart_scores, self.chart_random]), "mm-chart"),
            ]
        )
        solve = w.VBox(
            [
                self.solve_head,
                self.solve_help,
                self.solve,
                self.solve_busy.box,
                self.stale,
                self.error,
                self.results,
            ]
        )

        # 5. adjust
        self.adjust_head = _classed(w.HTML(), "mm-head")
        self.adjust_help = _classed(w.HTML(), "mm-help")
        self.adjust_mentee = _classed(
            w.Dropdown(layout=w.Layout(width="420px")), "mm-adjust-mentee"
        )
        self.adjust_mentee.observe(self._on_adjust_mentee, "value")
        self.adjust_mentor = _classed(
            w.Dropdown(layout=w.Layout(width="300px")), "mm-adjust-mentor"
        )
        self.lock = _classed(w.Button(), "mm-lock")
        self.lock.on_click(self._on_lock)
        self.unlock = _classed(w.Button(), "mm-unlock")
        self.unlock.on_click(self._on_unlock)
        self.move = _classed(w.Button(), "mm-move")
        self.move.on_click(self._on_move)
        self.resolve = _classed(w.Button(button_style="primary"), "mm-resolve")
        self.resolve.on_click(self._on_resolve)
        self.undo = _classed(w.Button(), "mm-undo")
        self.undo.on_click(self._on_undo)
        self.adjust_busy = _Busy("adjust")
        self.adjust_error = _classed(w.HTML(layout=full()), "mm-adjust-error")
        self.locks = _classed(w.HTML(layout=full()), "mm-locks")
        self.cost_head = _classed(w.HTML(), "mm-head")
        self.cost = _classed(w.HTML(layout=w.Layout(width="640px")), "mm-cost")
        self.broken = _classed(w.HTML(layout=full()), "mm-broken")
        self.blocking_help = _classed(w.HTML(layout=full()), "mm-help")
        self.adjust_need = _classed(w.HTML(layout=full()), "mm-help")
        self.adjust_body = w.VBox(
            [
                _row([self.adjust_mentee, self.adjust_mentor]),
                _row([self.lock, self.move, self.unlock, self.resolve, self.undo]),
                self.adjust_busy.box,
                self.adjust_error,
                self.locks,
                self.cost_head,
                self.cost,
                self.broken,
                self.blocking_help,
            ]
        )
        adjust = w.VBox([self.adjust_head, self.adjust_help, self.adjust_need, self.adjust_body])

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
        download = w.VBox(
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

    def _show_glance(self) -> None:
        g = self.model.glance()
        lang = self.lang

        def card(key: str, value: object, mood: str = "") -> str:
            return (
                f'<div class="mm-card {mood}"><div class="k">{_h(say(key, lang))}</div>'
                f'<div class="v">{_h(value)}</div></div>'
            )

        per = (
            str(g["places_min"])
            if g["places_min"] == g["places_max"]
            else say("range", lang, low=g["places_min"], high=g["places_max"])
        )
        cards = [
            card("glance_mentees", g["mentees"]),
            card("glance_mentors", g["mentors"]),
            card("glance_per_mentor", per),
            card("glance_places", g["places"]),
        ]
        if g["shortfall"]:
            cards.append(card("glance_shortfall", g["shortfall"], "bad"))
            note = _div("mm-box-warn", say("glance_short_note", lang, n=g["shortfall"]))
        else:
            cards.append(card("glance_spare", g["spare"], "good"))
            note = _div("mm-help", say("glance_ok_note", lang))
        self.glance.value = f'<div class="mm-cards">{"".join(cards)}</div>{note}'

    def _show_rules(self) -> None:
        m = self.model
        lang = self.lang
        self.objective.value = m.rules.objective
        for k, slider in self.sliders.items():
            slider.value = float(m.rules.weights.get(k, 0.0))
        self.weight_shares.value = _div(
            "mm-help", say("weights_help", lang, shares=m.weight_shares())
        )
        self.distance.value = m.rules.distance or ""
        mentors = m.district.mentors
        options = [
            (f"{n}（{i}）" if lang == "zh" else f"{n} ({i})", i)
            for i, n in zip(mentors["mentor_id"], mentors["name"], strict=True)
        ]
        self._set_options(self.cap_mentor, options, options[0][1] if options else None)
        self._set_options(self.rule_mentor, options, options[0][1] if options else None)
        self._show_cap_value()
        self.places.value = _table(m.mentor_places())
        mentees = m.district.mentees
        self._set_options(
            self.rule_mentee,
            [
                (
                    f"{n}（{i}）· {c}" if lang == "zh" else f"{n} ({i}) · {c}",
                    i,
                )
                for i, n, c in zip(
                    mentees["secretary_id"], mentees["name"], mentees["community_name"], strict=True
                )
            ],
            None,
        )
        lines = m.pair_lines()
        self.rule_list.options = [(line, pair) for line, pair in lines] or [
            (say("no_pairs", lang), None)
        ]
        self.rule_list.value = ()
        self.rule_remove.disabled = not lines
        self.partial.value = m.partial
        self.rule_error.value = _div("mm-box-bad", m.rule_error) if m.rule_error else ""

    def _show_cap_value(self) -> None:
        mid = self.cap_mentor.value
        if mid is None:
            return
        mentors = self.model.district.mentors.set_index("mentor_id")
        self.cap_value.value = int(mentors.at[mid, "capacity"])

    def _show_plan(self) -> None:
        m = self.model
        lang = self.lang
        self.stale.value = _div("mm-box-warn", say("stale", lang)) if m.stale and m.solved else ""
        self.error.value = _div("mm-box-bad", m.error_text()) if m.error is not None else ""
        self.results.layout.display = "" if m.solved else "none"
        if not m.solved:
            return
        self.headline.value = _div("mm-box-ok", m.headline())
        names = m.district.mentors.set_index("mentor_id")["name"]
        options = [(say("all_mentors", lang), "")] + [
            (f"{names[i]}（{i}）" if lang == "zh" else f"{names[i]} ({i})", i)
            for i in m.mentor_ids()
        ]
        self._set_options(self.plan_mentor, options, "")
        self._show_plan_table()
        unplaced = m.unplaced()
        if len(unplaced):
            self.unplaced.value = (
                f"<h3>{_h(say('unplaced_head', lang, n=len(unplaced)))}</h3>{_table(unplaced)}"
            )
        else:
            self.unplaced.value = _div("mm-help", say("unplaced_none", lang))

    def _show_plan_table(self) -> None:
        m = self.model
        lang = self.lang
        kinds = m.plan_kinds()
        parts = []
        for heading, table in m.by_mentor(self.plan_mentor.value or None):
            parts.append(_div("mm-mentor-head", heading))
            if len(table):
                parts.append(_table(table, kinds))
            else:
                parts.append(_div("mm-help", say("no_mentees", lang)))
        if not self.plan_mentor.value and m.mentors_cut_short():
            shown = len(parts) // 2
            parts.append(_div("mm-help", say("rows_cut", lang, shown=shown, n=len(m.mentor_ids()))))
        self.plan.value = "".join(parts)

    def _show_charts(self) -> None:
        """Draw the charts of the plan (the random comparison takes a moment: the
        spinner says so)."""
        from mentormatch.app.chart import against_random, score_spread

        m = self.model
        if not m.solved:
            return
        key = (id(m.current), id(m.reference), self.lang)
        if key == self._chart_key:
            return
        plans = {say("col_solved", self.lang): m.reference}
        if m.current is not m.reference:
            plans[say("col_current", self.lang)] = m.current
        self.chart_scores.value = score_spread(plans, self.lang, m.district.synthetic)
        self.chart_random.value = against_random(m.comparison(), self.lang)
        self._chart_key = key

    def _show_adjust(self) -> None:
        m = self.model
        lang = self.lang
        self.adjust_need.layout.display = "none" if m.solved else ""
        self.adjust_body.layout.display = "" if m.solved else "none"
        if not m.solved:
            return
        self._set_options(self.adjust_mentee, m.mentee_options(), None)
        self._set_options(
            self.adjust_mentor, [*m.mentor_options(), (say("nobody", lang), "")], None
        )
        self._show_current_mentor()
        locks = m.lock_lines()
        if locks:
            items = "".join(f"<li>{_h(line)}</li>" for line in locks)
            self.locks.value = f"<b>{_h(say('locks_head', lang, n=len(locks)))}</b><ul>{items}</ul>"
        else:
            self.locks.value = _div("mm-help", say("no_locks", lang))
        self.resolve.disabled = False
        self.cost.value = _table(m.cost_table(), ["text", "float", "float", "float"])
        broken = m.broken_lines()
        if broken:
            items = "".join(f"<li>{_h(line)}</li>" for line in broken)
            self.broken.value = (
                f'<div class="mm-box-bad"><b>{_h(say("broken_head", lang, n=len(broken)))}</b>'
                f"<ul>{items}</ul></div>"
            )
        else:
            self.broken.value = _div("mm-box-ok", say("broken_none", lang))
        self.adjust_error.value = ""

    def _show_current_mentor(self) -> None:
        """The mentor list starts at the chosen mentee's mentor (or none)."""
        sid = self.adjust_mentee.value
        if sid is None or self.model.assignment is None:
            return
        mid = self.model.assignment.get(sid)
        self.adjust_mentor.value = mid if isinstance(mid, str) else ""

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

    def _rules_changed(self) -> None:
        with self.rules_busy.running(say("busy", self.lang)):
            self.refresh()

    def _on_objective(self, change) -> None:
        if self._updating or change["new"] is None:
            return
        self.model.set_objective(change["new"])
        self._rules_changed()

    def _on_weight(self, component: str, change) -> None:
        if self._updating:
            return
        self.model.set_weight(component, change["new"])
        self._rules_changed()

    def _on_distance(self, change) -> None:
        if self._updating:
            return
        self.model.set_distance(change["new"] or None)
        self._rules_changed()

    def _on_partial(self, change) -> None:
        if self._updating:
            return
        self.model.set_partial(bool(change["new"]))
        self._rules_changed()

    def _on_cap_mentor(self, change) -> None:
        if self._updating:
            return
        self._show_cap_value()

    def _on_cap_apply(self, _=None) -> None:
        if self.cap_mentor.value is None:
            return
        self.model.set_capacity(self.cap_mentor.value, int(self.cap_value.value))
        self._rules_changed()

    def _on_rule_add(self, _=None) -> None:
        if self.rule_mentee.value is None or self.rule_mentor.value is None:
            return
        self.model.add_pair(self.rule_mentee.value, self.rule_mentor.value, self.rule_kind.value)
        self._rules_changed()

    def _on_rule_remove(self, _=None) -> None:
        chosen = [p for p in self.rule_list.value if p is not None]
        if chosen:
            self.model.remove_pairs(chosen)
            self._rules_changed()

    def _on_solve(self, _=None) -> None:
        started = time.perf_counter()
        with self.solve_busy.running(say("solving", self.lang)):
            self.model.solve()
            self._clear_links(plan_only=True)
            self.refresh()
            if self.model.solved:
                self.solve_busy.say(say("comparing", self.lang))
                self._show_charts()
        self.last_seconds = time.perf_counter() - started

    def _on_plan_mentor(self, change) -> None:
        if self._updating or not self.model.solved:
            return
        self._show_plan_table()

    def _after_adjust(self) -> None:
        self._clear_links(plan_only=True)
        self.refresh()
        self.adjust_busy.say(say("comparing", self.lang))
        self._show_charts()

    def _on_adjust_mentee(self, change) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            self._show_current_mentor()
        finally:
            self._updating = False

    def _on_lock(self, _=None) -> None:
        sid = self.adjust_mentee.value
        if sid is None or not self.model.solved:
            return
        with self.adjust_busy.running(say("busy", self.lang)):
            self.model.lock(sid)
            self.refresh()

    def _on_unlock(self, _=None) -> None:
        sid = self.adjust_mentee.value
        if sid is None or not self.model.solved:
            return
        with self.adjust_busy.running(say("busy", self.lang)):
            self.model.unlock(sid)
            self.refresh()

    def _on_move(self, _=None) -> None:
        sid = self.adjust_mentee.value
        if sid is None or self.adjust_mentor.value is None or not self.model.solved:
            return
        with self.adjust_busy.running(say("measuring", self.lang)):
            self.model.move(sid, self.adjust_mentor.value or None)
            self._after_adjust()

    def _on_resolve(self, _=None) -> None:
        if not self.model.solved:
            return
        with self.adjust_busy.running(say("solving", self.lang)):
            ok = self.model.resolve()
            if ok:
                self._after_adjust()
            else:
                self.refresh()
                self.adjust_error.value = _div("mm-box-bad", self.model.error_text())

    def _on_undo(self, _=None) -> None:
        if not self.model.solved:
            return
        with self.adjust_busy.running(say("measuring", self.lang)):
            self.model.undo()
            self._after_adjust()

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


#: The CSS classes of the widgets a person or a test acts on.
CLASSES = (
    "mm-app",
    "mm-title",
    "mm-lang",
    "mm-step-load",
    "mm-step-glance",
    "mm-step-rules",
    "mm-step-solve",
    "mm-step-adjust",
    "mm-step-download",
    "mm-busy",
    "mm-busy-solve",
    "mm-busy-download",
    "mm-progress-download",
    "mm-weight-challenge",
    "mm-weight-type",
    "mm-weight-proximity",
    "mm-weight-continuity",
    "mm-stale",
    "mm-upload",
    "mm-sample",
    "mm-status",
    "mm-problems",
    "mm-warnings",
    "mm-glance",
    "mm-objective",
    "mm-distance",
    "mm-cap-mentor",
    "mm-cap-value",
    "mm-cap-apply",
    "mm-places",
    "mm-rule-mentee",
    "mm-rule-mentor",
    "mm-rule-kind",
    "mm-rule-add",
    "mm-rules",
    "mm-rule-remove",
    "mm-partial",
    "mm-solve",
    "mm-headline",
    "mm-error",
    "mm-plan-mentor",
    "mm-plan",
    "mm-unplaced",
    "mm-chart-scores",
    "mm-chart-random",
    "mm-adjust-mentee",
    "mm-adjust-mentor",
    "mm-lock",
    "mm-move",
    "mm-unlock",
    "mm-resolve",
    "mm-undo",
    "mm-locks",
    "mm-cost",
    "mm-broken",
    "mm-download-plan",
    "mm-link-plan",
    "mm-n-groups",
    "mm-download-groups",
    "mm-link-groups",
    "mm-download-report",
    "mm-link-report",
)
