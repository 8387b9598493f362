"""Typed answers: a number (a text box, not a number box, so that "1,5" or "500 mL"
reaches the scorer and gets a message instead of being silently dropped) and words."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from allcourse.quiz import models as m
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.base import PartNote, Renderer
from allcourse.quiz.render.controls import control_classes
from allcourse.quiz.scoring import Score


def _number(value: float) -> str:
    return f"{value:,.10g}" if abs(value) >= 10_000 else f"{value:.10g}"


def numeric_answer_text(answer: m.NumericAnswer, unit: str | None) -> str:
    suffix = f" {unit}" if unit else ""
    if answer.value is not None:
        text = _number(answer.value)
        if answer.tolerance:
            text += f" ± {_number(answer.tolerance)}"
    else:
        text = f"{_number(answer.min)} to {_number(answer.max)}"  # type: ignore[arg-type]
    return text + suffix


def _credit(credit: float) -> str:
    return f"{credit:.0%}"


class _TypedRenderer(Renderer):
    description = "Your answer"
    placeholder = ""

    def build(self) -> w.Widget:
        # Sync on change (Tab away, Enter), not per keystroke: per-keystroke updates are
        # throttled in the browser, so "840" typed fast and checked at once could reach
        # the kernel after the click, as "8".
        self.text = w.Text(
            value="",
            continuous_update=False,
            description=self.description,
            placeholder=self.placeholder,
            style=ui.text_style(),
            layout=ui.layout(width="auto"),
            _dom_classes=(ui.WRAP, *control_classes()),
        )
        self.controls = [self.text]
        return ui.box([self.text], "allcourse-typed")

    def response(self) -> Any:
        return self.text.value

    def clear(self) -> None:
        self.text.value = ""

    def restore(self, response: Any) -> None:
        if isinstance(response, str | int | float) and not isinstance(response, bool):
            self.text.value = str(response)[:500]

    def notes(self, score: Score) -> list[PartNote]:
        part = score.parts[0] if score.parts else None
        # What was graded (a parsed number, or the text), not what the box holds now.
        chosen = part.chosen if part else None
        if isinstance(chosen, float):
            number = f"{chosen:,.10g}" if abs(chosen) >= 10_000 else f"{chosen:.10g}"
            said = f"Read as {number}"
        else:
            said = f"You typed: {str(chosen or '').strip()}"
        if score.correct:
            verdict = "Correct."
        elif score.points > 0:
            verdict = "Partly correct."
        else:
            verdict = "Not correct."
        return [
            PartNote(
                bool(part and part.correct),
                "Your answer",
                f"{said}. {verdict}",
                score.feedback,
            )
        ]


class NumericRenderer(_TypedRenderer):
    item: m.Numeric
    placeholder = "a number"

    def build(self) -> w.Widget:
        unit = self.item.unit
        self.description = f"Your answer ({unit})" if unit else "Your answer"
        return super().build()

    def key_notes(self) -> list[PartNote]:
        out = []
        for a in sorted(self.item.answers, key=lambda a: -a.credit):
            label = numeric_answer_text(a, self.item.unit)
            if a.credit >= 1:
                out.append(PartNote(None, label, "Accepted answer.", self.item.worked_solution))
            else:
                out.append(
                    PartNote(None, label, f"Partial credit ({_credit(a.credit)}).", a.feedback)
                )
        return out


class ShortAnswerRenderer(_TypedRenderer):
    item: m.ShortAnswer
    placeholder = "a word or phrase"

    def key_notes(self) -> list[PartNote]:
        out = []
        for a in sorted(self.item.answers, key=lambda a: -a.credit):
            if a.credit <= 0:
                continue  # a catch-all answer carries feedback, not an answer
            label = a.text.replace("\\*", "\0").replace("*", "…").replace("\0", "*")
            detail = (
                "Accepted answer." if a.credit >= 1 else f"Partial credit ({_credit(a.credit)})."
            )
            out.append(PartNote(None, label, detail, a.feedback))
        return out
