"""Drop-down cloze (a sentence or a table) and drop-down rationale ("X because Y")."""

from __future__ import annotations

import ipywidgets as w

from allcourse.quiz import models as m
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.base import DropdownsRenderer, PartNote, parts_by_id, rng_for, shuffled
from allcourse.quiz.scoring import Score


class BlanksRenderer(DropdownsRenderer):
    """A drop-down per blank, placed in the template's sentence or in a table."""

    item: m.Cloze | m.DropdownRationale

    def _blanks(self) -> list[m.Blank]:
        """Blanks in reading order (the template's order for sentences)."""
        if self.item.template is not None and self._sentence():
            by_id = {b.id: b for b in self.item.blanks}
            return [by_id[i] for i in m.BLANK.findall(self.item.template)]
        return list(self.item.blanks)

    def _sentence(self) -> bool:
        return not (isinstance(self.item, m.Cloze) and self.item.layout == "table")

    def _name(self, index: int, blank: m.Blank) -> str:
        """The drop-down's accessible name: its row in a table, its place in a sentence."""
        if blank.label:
            header = self.item.table_header if isinstance(self.item, m.Cloze) else None
            column = (
                f" – {ui.label_text(header[1], self.fmt)}" if header and len(header) > 1 else ""
            )
            return ui.label_text(blank.label, self.fmt) + column
        return f"Blank {index + 1} of {len(self.item.blanks)}"

    def _choices(self, rng) -> dict[str, list[tuple[str, str]]]:
        return {
            b.id: [(ui.label_text(o.text, self.fmt), o.id) for o in shuffled(rng, b.options)]
            for b in self._blanks()
        }

    def build(self) -> w.Widget:
        choices = self._choices(rng_for(self.seed, self.item.id))
        blanks = self._blanks()
        self.drops = {
            b.id: ui.dropdown(choices[b.id], self._name(i, b), hidden_label=True)
            for i, b in enumerate(blanks)
        }
        self.controls = [self.drops[b.id] for b in blanks]
        if self._sentence():
            return self._build_sentence()
        return self._build_table(blanks)

    def _build_sentence(self) -> w.Widget:
        pieces: list[w.Widget] = []
        template = (self.item.template or "").strip()
        for i, chunk in enumerate(m.BLANK.split(template)):
            if i % 2:  # odd pieces are the blank ids captured by the pattern
                pieces.append(self.drops[chunk])
            elif chunk.strip():
                pieces.append(ui.html(ui.inline_html(chunk.strip(), self.fmt), "allcourse-text"))
        return ui.box(pieces, ui.INLINE, "allcourse-cloze")

    def _build_table(self, blanks: list[m.Blank]) -> w.Widget:
        header = (self.item.table_header if isinstance(self.item, m.Cloze) else None) or [
            "Item",
            "Answer",
        ]
        cells: list[w.Widget] = [
            ui.html(f"<strong>{ui.inline_html(h, self.fmt)}</strong>", "allcourse-grid-head")
            for h in header[:2]
        ]
        for b in blanks:
            cells.append(ui.html(ui.inline_html(b.label, self.fmt), "allcourse-grid-row"))
            cells.append(self.drops[b.id])
        grid = w.GridBox(
            cells,
            layout=ui.layout(grid_template_columns="minmax(6em, 1fr) minmax(10em, 1fr)"),
            _dom_classes=("allcourse-grid",),
        )
        return grid

    def reorder(self, seed: int) -> None:
        if seed != self.seed:
            for bid, choices in self._choices(rng_for(seed, self.item.id)).items():
                ui.set_dropdown_choices(self.drops[bid], choices)
        super().reorder(seed)

    def notes(self, score: Score) -> list[PartNote]:
        parts = parts_by_id(score)
        out = []
        for i, b in enumerate(self._blanks()):
            part = parts.get(b.id)
            picked = next((o for o in b.options if part and o.id == part.chosen), None)
            if picked is None:
                out.append(PartNote(False, self._name(i, b), "No answer chosen."))
                continue
            verdict = "Correct." if part.correct else "Not correct."
            detail = f"Your choice: {ui.label_text(picked.text, self.fmt)}. {verdict}"
            out.append(PartNote(part.correct, self._name(i, b), detail, picked.rationale))
        return out

    def key_notes(self) -> list[PartNote]:
        out = []
        for i, b in enumerate(self._blanks()):
            key = next(o for o in b.options if o.correct)
            detail = f"Correct answer: {ui.label_text(key.text, self.fmt)}."
            out.append(PartNote(None, self._name(i, b), detail, key.rationale))
        return out
