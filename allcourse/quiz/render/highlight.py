"""Highlight text or table rows: a checkbox per selectable segment (a native control,
so its state is announced and it works with Space), styled as a highlighter."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from allcourse.quiz import models as m
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.base import PartNote, Renderer, option_detail, parts_by_id
from allcourse.quiz.scoring import Score


def _row_text(segment: m.Segment, fmt: str = "markdown") -> str:
    if segment.cells:
        return " – ".join(ui.label_text(c, fmt) for c in segment.cells)
    return ui.label_text(segment.text, fmt)


class HighlightRenderer(Renderer):
    item: m.Highlight

    def build(self) -> w.Widget:
        self.marks: dict[str, w.Checkbox] = {}
        if self.item.layout == "table":
            body = self._build_table()
        else:
            body = self._build_text()
        self.controls = list(self.marks.values())
        return body

    def _build_text(self) -> w.Widget:
        pieces: list[w.Widget] = []
        for s in self.item.segments:
            if s.id is None:
                if s.text.strip():
                    pieces.append(
                        ui.html(ui.inline_html(s.text.strip(), self.fmt), "allcourse-text")
                    )
                continue
            cb = ui.checkbox(ui.label_text(s.text, self.fmt), "allcourse-mark")
            self.marks[s.id] = cb
            pieces.append(cb)
        return ui.box(pieces, ui.INLINE, "allcourse-highlight")

    def _build_table(self) -> w.Widget:
        header = list(self.item.table_header or [])
        width = max([len(header)] + [len(s.cells or []) for s in self.item.segments] + [1])
        header += [""] * (width - len(header))
        cells: list[w.Widget] = [ui.html("<strong>Highlight</strong>", "allcourse-grid-head")]
        cells += [
            ui.html(f"<strong>{ui.inline_html(h, self.fmt)}</strong>", "allcourse-grid-head")
            for h in header
        ]
        for s in self.item.segments:
            if s.id is not None:
                cb = ui.checkbox(
                    f"Highlight row: {_row_text(s, self.fmt)}", "allcourse-mark", hidden_label=True
                )
                self.marks[s.id] = cb
                cells.append(cb)
            else:
                cells.append(ui.html("", "allcourse-grid-row"))
            row = list(s.cells or [s.text])
            row += [""] * (width - len(row))
            cells += [ui.html(ui.inline_html(c, self.fmt), "allcourse-grid-row") for c in row]
        grid = w.GridBox(
            cells,
            layout=ui.layout(
                grid_template_columns=f"7em repeat({width}, minmax(6em, 1fr))", width="100%"
            ),
            _dom_classes=("allcourse-grid", "allcourse-highlight-table"),
        )
        return grid

    def response(self) -> Any:
        return [sid for sid, cb in self.marks.items() if cb.value]

    def clear(self) -> None:
        for cb in self.marks.values():
            cb.value = False

    def restore(self, response: Any) -> None:
        if isinstance(response, list):
            for sid, cb in self.marks.items():
                cb.value = sid in response

    def notes(self, score: Score) -> list[PartNote]:
        parts = parts_by_id(score)
        out = []
        for s in self.item.selectable():
            part = parts.get(s.id or "")
            chosen = bool(part and part.chosen)
            out.append(
                PartNote(
                    bool(part and part.correct),
                    _row_text(s, self.fmt),
                    option_detail(chosen, s.correct, verb="highlighted"),
                    s.rationale,
                    chosen=chosen,
                )
            )
        return out

    def key_notes(self) -> list[PartNote]:
        return [
            PartNote(None, _row_text(s, self.fmt), "Highlight this.", s.rationale)
            for s in self.item.selectable()
            if s.correct
        ]
