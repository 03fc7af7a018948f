"""Step 3 of the page: the rules (objective, weights, distance, places per mentor,
pairs to keep or forbid, partial plans)."""

from __future__ import annotations

import ipywidgets as w

from mentormatch.app.view.widgets import _Busy, _classed, _div, _row, _table, full
from mentormatch.app.words import say
from mentormatch.scoring import MENTOR_WEIGHTS


class _RulesPanel:
    """Part of :class:`~mentormatch.app.view.App`: the rules section."""

    def _build_rules(self) -> w.VBox:
        """The rules section: every setting the planner may change."""
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
        return w.VBox(
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
