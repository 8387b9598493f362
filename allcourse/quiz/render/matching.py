"""Matching: a drop-down per left-hand entry, labelled by that entry."""

from __future__ import annotations

import ipywidgets as w

from allcourse.quiz import models as m
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.base import DropdownsRenderer, PartNote, parts_by_id
from allcourse.quiz.scoring import Score


class MatchingRenderer(DropdownsRenderer):
    item: m.Matching

    def build(self) -> w.Widget:
        # The model's choices are sorted, so their order says nothing about the pairs.
        choices = [(ui.label_text(text, self.fmt), text) for text in self.item.choices()]
        self.drops = {
            p.id: ui.dropdown(choices, ui.label_text(p.left, self.fmt), wide=True)
            for p in self.item.pairs
        }
        self.controls = list(self.drops.values())
        return ui.box(self.controls, "allcourse-matching")

    def notes(self, score: Score) -> list[PartNote]:
        parts = parts_by_id(score)
        out = []
        for p in self.item.pairs:
            part = parts.get(p.id)
            if not (part and part.chosen):
                out.append(
                    PartNote(
                        False, ui.label_text(p.left, self.fmt), "No match chosen.", p.rationale
                    )
                )
                continue
            verdict = "Correct." if part.correct else "Not correct."
            detail = f"Your match: {ui.label_text(part.chosen, self.fmt)}. {verdict}"
            out.append(PartNote(part.correct, ui.label_text(p.left, self.fmt), detail, p.rationale))
        return out

    def key_notes(self) -> list[PartNote]:
        return [
            PartNote(
                None,
                ui.label_text(p.left, self.fmt),
                f"Matches: {ui.label_text(p.right, self.fmt)}.",
                p.rationale,
            )
            for p in self.item.pairs
        ]
