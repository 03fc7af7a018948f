"""Step 4 of the page: solve and review (the plan by mentor, the unplaced, the charts)."""

from __future__ import annotations

import time

import ipywidgets as w

from mentormatch.app.view.widgets import _Busy, _classed, _div, _h, _table, full
from mentormatch.app.words import say


class _SolvePanel:
    """Part of :class:`~mentormatch.app.view.App`: the solve-and-review section."""

    def _build_solve(self) -> w.VBox:
        """The solve section: the button, the plan by mentor and the charts."""
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
        return w.VBox(
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
