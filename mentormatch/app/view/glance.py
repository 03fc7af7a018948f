"""Step 2 of the page: the district at a glance (mentees, mentors, places)."""

from __future__ import annotations

import ipywidgets as w

from mentormatch.app.view.widgets import _classed, _div, _h, full
from mentormatch.app.words import say


class _GlancePanel:
    """Part of :class:`~mentormatch.app.view.App`: the at-a-glance section."""

    def _build_glance(self) -> w.VBox:
        """The at-a-glance section: cards of the key counts."""
        # 2. at a glance
        self.glance_head = _classed(w.HTML(), "mm-head")
        self.glance = _classed(w.HTML(layout=full()), "mm-glance")
        return w.VBox([self.glance_head, self.glance])

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
