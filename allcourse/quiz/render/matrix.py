"""Matrix items: one drop-down per row (matrix multiple choice) or a grid of
checkboxes (matrix multiple response)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from allcourse.quiz import models as m
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.base import DropdownsRenderer, PartNote, Renderer, parts_by_id
from allcourse.quiz.scoring import Score


def _columns_text(item: m.MatrixSingle | m.MatrixMultiple, ids: list[str]) -> str:
    names = {c.id: ui.label_text(c.text, item.text_format) for c in item.columns}
    return ", ".join(names.get(i, i) for i in ids) if ids else "nothing"


def _key_notes(item: m.MatrixSingle | m.MatrixMultiple) -> list[PartNote]:
    """The key of a matrix, row by row, with each row's rationale."""
    return [
        PartNote(
            None,
            ui.label_text(r.text, item.text_format),
            f"Correct answer: {_columns_text(item, list(r.correct))}.",
            r.rationale,
        )
        for r in item.rows
    ]


class MatrixSingleRenderer(DropdownsRenderer):
    """A drop-down per row: the row text is the drop-down's label, so every control is
    named by its row (a radio grid would name each radio by its column only)."""

    item: m.MatrixSingle

    def build(self) -> w.Widget:
        choices = [(ui.label_text(c.text, self.fmt), c.id) for c in self.item.columns]
        self.drops = {
            r.id: ui.dropdown(choices, ui.label_text(r.text, self.fmt), wide=True)
            for r in self.item.rows
        }
        self.controls = list(self.drops.values())
        return ui.box(self.controls, "allcourse-matrix-single")

    def notes(self, score: Score) -> list[PartNote]:
        parts = parts_by_id(score)
        out = []
        for r in self.item.rows:
            part = parts.get(r.id)
            chosen = part.chosen if part else None
            if not chosen:
                detail = "No answer chosen."
            else:
                verdict = "Correct." if part.correct else "Not correct."
                detail = f"Your answer: {_columns_text(self.item, [chosen])}. {verdict}"
            out.append(
                PartNote(
                    bool(part and part.correct),
                    ui.label_text(r.text, self.fmt),
                    detail,
                    r.rationale,
                )
            )
        return out

    def key_notes(self) -> list[PartNote]:
        return _key_notes(self.item)


class MatrixMultipleRenderer(Renderer):
    """A grid with a checkbox in every cell, each named "row text – column text"."""

    item: m.MatrixMultiple

    def build(self) -> w.Widget:
        cols = self.item.columns
        cells: list[w.Widget] = [ui.html("", "allcourse-grid-corner")]
        cells += [
            ui.html(f"<strong>{ui.inline_html(c.text, self.fmt)}</strong>", "allcourse-grid-head")
            for c in cols
        ]
        self.cells: dict[tuple[str, str], w.Checkbox] = {}
        for r in self.item.rows:
            cells.append(ui.html(ui.inline_html(r.text, self.fmt), "allcourse-grid-row"))
            for c in cols:
                name = f"{ui.label_text(r.text, self.fmt)} – {ui.label_text(c.text, self.fmt)}"
                cb = ui.checkbox(name, hidden_label=True)
                self.cells[(r.id, c.id)] = cb
                cells.append(cb)
        self.controls = list(self.cells.values())
        grid = w.GridBox(
            cells,
            layout=ui.layout(
                grid_template_columns=f"minmax(6em, 2fr) repeat({len(cols)}, minmax(3.5em, 1fr))",
                width="100%",
            ),
            _dom_classes=("allcourse-grid",),
        )
        return grid

    def response(self) -> Any:
        out: dict[str, list[str]] = {}
        for r in self.item.rows:
            ticked = [c.id for c in self.item.columns if self.cells[(r.id, c.id)].value]
            if ticked:
                out[r.id] = ticked
        return out

    def clear(self) -> None:
        for cb in self.cells.values():
            cb.value = False

    def restore(self, response: Any) -> None:
        if isinstance(response, dict):
            for (row, col), cb in self.cells.items():
                ticked = response.get(row)
                cb.value = isinstance(ticked, list) and col in ticked

    def notes(self, score: Score, *, reveal: bool = True) -> list[PartNote]:
        """Each row; with `reveal=False` (a try not yet right) only the ticked cells are
        marked, and correct cells the student left empty are not named."""
        parts = parts_by_id(score)
        names = {c.id: ui.label_text(c.text, self.fmt) for c in self.item.columns}
        out = []
        for r in self.item.rows:
            part = parts.get(r.id)
            ticked = list(part.chosen) if part and part.chosen else []
            # Each ticked cell is marked, as each option of a select-all item is.
            marks = [
                f"{names[c]} ({'correct' if c in r.correct else 'not correct'})" for c in ticked
            ]
            missed = [names[c] for c in r.correct if c not in ticked]
            detail = f"You ticked: {', '.join(marks) if marks else 'nothing'}."
            if missed and reveal:
                detail += f" Not ticked, but correct: {', '.join(missed)}."
            if not reveal and not ticked:
                continue
            out.append(
                PartNote(
                    bool(part and part.correct),
                    ui.label_text(r.text, self.fmt),
                    detail,
                    r.rationale,
                )
            )
        return out

    def try_notes(self, score: Score) -> list[PartNote]:
        # A row is "right" only with every correct cell ticked; a try says so per row
        # ("not correct") without naming the cells that are missing.
        return [PartNote(n.ok, n.label, n.detail) for n in self.notes(score, reveal=False)]

    def key_notes(self) -> list[PartNote]:
        return _key_notes(self.item)
