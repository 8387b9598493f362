"""Option lists: multiple choice (radio buttons), select all that apply and select N
(checkboxes), and the bowtie (one radio group and two checkbox groups)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from allcourse.quiz import models as m
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.base import PartNote, Renderer, option_detail, parts_by_id, rng_for
from allcourse.quiz.render.controls import control_classes
from allcourse.quiz.scoring import Score, full_credit

TRUE_FALSE = ("true", "false")


def _display_order(options: list[m.Option], rng) -> list[m.Option]:
    texts = [o.text.strip().casefold() for o in options]
    if sorted(texts) == sorted(TRUE_FALSE):
        # True/false reads oddly as "False, True": keep the conventional order.
        return sorted(options, key=lambda o: TRUE_FALSE.index(o.text.strip().casefold()))
    out = list(options)
    rng.shuffle(out)
    return out


def _option_notes(options: list[m.Option], score: Score, *, prefix: str = "", fmt="markdown"):
    parts = parts_by_id(score)
    notes = []
    for o in options:
        part = parts.get(o.id)
        chosen = bool(part and part.chosen)
        detail = option_detail(chosen, full_credit(o))
        if chosen and not full_credit(o) and o.credit:
            detail = "You chose this. It is not the best answer, but earns partial credit."
        notes.append(
            PartNote(
                part.correct if part else False,
                prefix + ui.label_text(o.text, fmt),
                detail,
                o.rationale,
                chosen=chosen,
            )
        )
    return notes


def _key_notes(
    options: list[m.Option], *, prefix: str = "", fmt: str = "markdown"
) -> list[PartNote]:
    return [
        PartNote(None, prefix + ui.label_text(o.text, fmt), "Correct answer.", o.rationale)
        for o in options
        if full_credit(o)
    ]


class RadioGroup:
    """One choice among options (radio buttons; values stay in the kernel)."""

    def __init__(self, options: list[m.Option], rng, description: str = "", fmt="markdown"):
        self.fmt = fmt
        self.order = _display_order(options, rng)
        self.radio = w.RadioButtons(
            options=[(ui.label_text(o.text, self.fmt), o.id) for o in self.order],
            value=None,
            description=description,
            layout=ui.layout(width="auto"),
            style=ui.description_style(),
            _dom_classes=(ui.WRAP, *control_classes()),
        )

    def restore(self, value: Any) -> None:
        if isinstance(value, str) and value in {o.id for o in self.order}:
            self.radio.value = value

    def reorder(self, options: list[m.Option], rng) -> None:
        value = self.radio.value
        self.order = _display_order(options, rng)
        self.radio.options = [(ui.label_text(o.text, self.fmt), o.id) for o in self.order]
        self.radio.value = value


class CheckGroup:
    """Any number of options (one checkbox each), optionally at most `limit`."""

    def __init__(
        self,
        options: list[m.Option],
        rng,
        *,
        limit: int | None = None,
        what: str = "options",
        fmt: str = "markdown",
    ):
        self.limit = limit
        self.what = what
        self.announce = lambda message: None
        self.boxes: dict[str, w.Checkbox] = {}
        for o in options:
            cb = ui.checkbox(ui.label_text(o.text, fmt))
            cb.observe(self._on_tick, names="value")
            self.boxes[o.id] = cb
        self.order = [o.id for o in _display_order(options, rng)]
        self.box = ui.box([self.boxes[i] for i in self.order], "allcourse-options")

    def _on_tick(self, change) -> None:
        if not change["new"] or self.limit is None:
            return
        if len(self.chosen()) > self.limit:
            # Enforce "no more than N" at once, and say why the tick did not stay.
            change["owner"].value = False
            self.announce(
                f"Choose no more than {self.limit} {self.what}. Untick one to choose another."
            )

    def reorder(self, options: list[m.Option], rng) -> None:
        self.order = [o.id for o in _display_order(options, rng)]
        self.box.children = [self.boxes[i] for i in self.order]

    def chosen(self) -> list[str]:
        return [i for i in self.order if self.boxes[i].value]

    def clear(self) -> None:
        for cb in self.boxes.values():
            cb.value = False

    def restore(self, chosen: Any) -> None:
        if isinstance(chosen, list):
            for option_id, cb in self.boxes.items():
                cb.value = option_id in chosen

    def options_in_order(self, options: list[m.Option]) -> list[m.Option]:
        by_id = {o.id: o for o in options}
        return [by_id[i] for i in self.order]


class SingleRenderer(Renderer):
    item: m.SingleChoice

    def build(self) -> w.Widget:
        self.group = RadioGroup(self.item.options, rng_for(self.seed, self.item.id), fmt=self.fmt)
        self.controls = [self.group.radio]
        return self.group.radio

    def reorder(self, seed: int) -> None:
        if seed != self.seed:
            self.group.reorder(self.item.options, rng_for(seed, self.item.id))
        super().reorder(seed)

    def response(self) -> Any:
        return self.group.radio.value

    def clear(self) -> None:
        self.group.radio.value = None

    def restore(self, response: Any) -> None:
        self.group.restore(response)

    def notes(self, score: Score) -> list[PartNote]:
        return _option_notes(self.group.order, score, fmt=self.fmt)

    def key_notes(self) -> list[PartNote]:
        return _key_notes(self.group.order, fmt=self.fmt)


class MultipleRenderer(Renderer):
    """Select all that apply (no limit) and select N (at most n)."""

    item: m.MultipleResponse | m.SelectN

    def build(self) -> w.Widget:
        limit = self.item.n if isinstance(self.item, m.SelectN) else None
        self.group = CheckGroup(
            self.item.options, rng_for(self.seed, self.item.id), limit=limit, fmt=self.fmt
        )
        self.group.announce = lambda message: self.announce(message)
        self.controls = [self.group.boxes[i] for i in self.group.order]
        return self.group.box

    def reorder(self, seed: int) -> None:
        if seed != self.seed:
            self.group.reorder(self.item.options, rng_for(seed, self.item.id))
            self.controls = [self.group.boxes[i] for i in self.group.order]
        super().reorder(seed)

    def response(self) -> Any:
        return self.group.chosen()

    def clear(self) -> None:
        self.group.clear()

    def restore(self, response: Any) -> None:
        self.group.restore(response)

    def notes(self, score: Score) -> list[PartNote]:
        return _option_notes(self.group.options_in_order(self.item.options), score, fmt=self.fmt)

    def key_notes(self) -> list[PartNote]:
        return _key_notes(self.group.options_in_order(self.item.options), fmt=self.fmt)


class BowtieRenderer(Renderer):
    item: m.Bowtie

    def build(self) -> w.Widget:
        rng = rng_for(self.seed, self.item.id)
        self.actions = CheckGroup(
            self.item.actions, rng, limit=2, what="actions to take", fmt=self.fmt
        )
        self.condition = RadioGroup(self.item.conditions, rng, fmt=self.fmt)
        self.parameters = CheckGroup(
            self.item.parameters, rng, limit=2, what="parameters to monitor", fmt=self.fmt
        )
        for group in (self.actions, self.parameters):
            group.announce = lambda message: self.announce(message)
        self.controls = [
            *(self.actions.boxes[i] for i in self.actions.order),
            self.condition.radio,
            *(self.parameters.boxes[i] for i in self.parameters.order),
        ]
        # Left to right as on the NCLEX: actions, the condition in the middle, parameters.
        columns = [
            ("Actions to take (choose 2)", self.actions.box),
            ("Condition most likely developing (choose 1)", self.condition.radio),
            ("Parameters to monitor (choose 2)", self.parameters.box),
        ]
        return ui.box(
            [
                ui.box([ui.html(f"<h5>{ui.esc(title)}</h5>"), body], "allcourse-bowtie-part")
                for title, body in columns
            ],
            "allcourse-bowtie",
            vertical=False,
        )

    def reorder(self, seed: int) -> None:
        if seed != self.seed:
            rng = rng_for(seed, self.item.id)
            self.actions.reorder(self.item.actions, rng)
            self.condition.reorder(self.item.conditions, rng)
            self.parameters.reorder(self.item.parameters, rng)
        super().reorder(seed)

    def response(self) -> Any:
        return {
            "condition": self.condition.radio.value,
            "actions": self.actions.chosen(),
            "parameters": self.parameters.chosen(),
        }

    def clear(self) -> None:
        self.condition.radio.value = None
        self.actions.clear()
        self.parameters.clear()

    def restore(self, response: Any) -> None:
        if isinstance(response, dict):
            self.condition.restore(response.get("condition"))
            self.actions.restore(response.get("actions"))
            self.parameters.restore(response.get("parameters"))

    def _groups(self):
        return (
            ("Action: ", self.actions.options_in_order(self.item.actions)),
            ("Condition: ", self.condition.order),
            ("Parameter: ", self.parameters.options_in_order(self.item.parameters)),
        )

    def notes(self, score: Score) -> list[PartNote]:
        out: list[PartNote] = []
        for prefix, options in self._groups():
            out += _option_notes(options, score, prefix=prefix, fmt=self.fmt)
        return out

    def key_notes(self) -> list[PartNote]:
        out: list[PartNote] = []
        for prefix, options in self._groups():
            out += _key_notes(options, prefix=prefix, fmt=self.fmt)
        return out
