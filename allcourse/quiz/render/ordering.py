"""Ordering: a drop-down per position. Picking a step for a position swaps it with
the step that was there (in the browser, at once), so the list is always a complete
order and every move can be made from the keyboard (Tab to a position, arrow keys to
pick). An order the student has not touched is not an answer."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from allcourse.quiz import models as m
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.base import PartNote, Renderer, rng_for, shuffled
from allcourse.quiz.render.controls import OrderList, control_classes
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
        self.choices = sorted(
            ((ui.label_text(s.text, self.fmt), s.id) for s in self.item.steps),
            key=lambda c: c[0].casefold(),
        )
        self._index = {step_id: i for i, (_, step_id) in enumerate(self.choices)}
        self.list = OrderList(
            labels=[label for label, _ in self.choices],
            positions=[_position_name(i, n) for i in range(n)],
            order=self._indices(self._start_order(self.seed)),
            layout=ui.layout(width="100%", max_width="48em"),
            _dom_classes=("allcourse-ordering", *control_classes()),
        )
        self.controls = [self.list]
        return self.list

    def _indices(self, order: list[str]) -> list[int]:
        return [self._index[step_id] for step_id in order]

    @property
    def touched(self) -> bool:
        return self.list.touched

    def reorder(self, seed: int) -> None:
        if seed != self.seed and not self.list.touched:
            self.list.order = self._indices(self._start_order(seed))
        super().reorder(seed)

    def response(self) -> Any:
        """The order on screen, or None while the student has not moved a step: the
        start order is a starting point, not an answer."""
        if not self.list.touched:
            return None
        return [self.choices[i][1] for i in self.list.order]

    def empty_message(self) -> str | None:
        if self.list.touched:
            return None
        return (
            "The steps start in a mixed order: that is only a starting point. Move the "
            "steps into the order you choose, then check."
        )

    def restore(self, response: Any) -> None:
        if isinstance(response, list) and sorted(response) == sorted(self._index):
            self.list.order = self._indices(response)
            self.list.touched = True

    def clear(self) -> None:
        self.list.order = self._indices(self._start_order(self.seed))
        self.list.touched = False

    def set_locked(self, locked: bool) -> None:
        self.list.disabled = locked

    def focus(self) -> None:
        self.list.focus()

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
