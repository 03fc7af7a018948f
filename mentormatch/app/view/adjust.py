"""Step 5 of the page: adjust by hand (lock, move, unlock, solve again, undo) and what
the change costs."""

from __future__ import annotations

import ipywidgets as w

from mentormatch.app.view.widgets import _Busy, _classed, _div, _h, _row, _table, full
from mentormatch.app.words import say


class _AdjustPanel:
    """Part of :class:`~mentormatch.app.view.App`: the adjust section."""

    def _build_adjust(self) -> w.VBox:
        """The adjust section: moves by hand, locks and their cost."""
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
        return w.VBox([self.adjust_head, self.adjust_help, self.adjust_need, self.adjust_body])

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
