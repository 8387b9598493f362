"""Ordering: a drop-down per position. Picking a step for a position swaps it with
the step that was there, so the list is always a complete order and every move can
be made from the keyboard (Tab to a position, arrow keys to pick)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from allcourse.quiz import models as m
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.base import PartNote, Renderer, rng_for, shuffled
from allcourse.quiz.scoring import Score


def _position_name(i: int, n: int) -> str:
    if i == 0:
        return "Position 1 (first)"
    if i == n - 1:
        return f"Position {n} (last)"
    return f"Position {i + 1}"


class OrderingRenderer(Renderer):
    item: m.Ordering

    def _start_order(self, seed: int) -> list[str]:
        """A shuffled order that is never the answer itself."""
        key = [s.id for s in self.item.steps]
        order = shuffled(rng_for(seed, self.item.id), key)
        if order == key:
            order = order[1:] + order[:1]
        return order

    def build(self) -> w.Widget:
        n = len(self.item.steps)
        # Choices listed alphabetically: the authored order is the key, never show it.
        choices = sorted(
            ((ui.label_text(s.text, self.fmt), s.id) for s in self.item.steps),
            key=lambda c: c[0].casefold(),
        )
        self._swapping = False
        self.touched = False
        self.positions = []
        for i, step_id in enumerate(self._start_order(self.seed)):
            dd = w.Dropdown(
                options=choices,
                value=step_id,
                description=_position_name(i, n),
                style=ui.description_style("9em"),
                layout=ui.layout(width="100%", max_width="48em"),
            )
            dd.add_class(ui.WRAP)
            dd.observe(self._on_pick, names="value")
            self.positions.append(dd)
        self.controls = list(self.positions)
        return ui.box(self.controls, "allcourse-ordering")

    def _on_pick(self, change) -> None:
        if self._swapping:
            return
        self.touched = True
        owner, old, new = change["owner"], change["old"], change["new"]
        self._swapping = True
        try:
            for dd in self.positions:
                if dd is not owner and dd.value == new:
                    dd.value = old
                    break
        finally:
            self._swapping = False

    def _arrange(self, order: list[str]) -> None:
        self._swapping = True
        try:
            for dd, step_id in zip(self.positions, order, strict=True):
                dd.value = step_id
        finally:
            self._swapping = False

    def reorder(self, seed: int) -> None:
        if seed != self.seed and not self.touched:
            self._arrange(self._start_order(seed))
        super().reorder(seed)

    def response(self) -> Any:
        return [dd.value for dd in self.positions]

    def clear(self) -> None:
        self._arrange(self._start_order(self.seed))
        self.touched = False

    def notes(self, score: Score) -> list[PartNote]:
        """Steps in the order the student submitted (read from the score, so feedback
        always describes what was graded)."""
        steps = {s.id: s for s in self.item.steps}
        placed = sorted(
            (p for p in score.parts if isinstance(p.chosen, int)), key=lambda p: p.chosen
        )
        out = []
        for part in placed:
            step = steps[part.id]
            verdict = "In its right place." if part.correct else "Not its place."
            out.append(
                PartNote(
                    part.correct,
                    ui.label_text(step.text, self.fmt),
                    f"Position {part.chosen + 1}. {verdict}",
                    step.rationale,
                )
            )
        return out

    def key_notes(self) -> list[PartNote]:
        return [
            PartNote(None, ui.label_text(s.text, self.fmt), f"Position {i + 1}.", s.rationale)
            for i, s in enumerate(self.item.steps)
        ]
