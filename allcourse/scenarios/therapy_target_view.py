"""Therapy and target on the page: for each of four drugs, choose its target or
mechanism and its signature toxicity from two drop-downs (native selects), check, read
why for every pair, then start a new, reshuffled round. Grading is
`therapy_target.grade()` in the kernel: the drop-downs carry only labels, and nothing
about the right matches reaches the browser before the student checks.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import therapy_target as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.feedback import CheckSteps, icon_html, mark, score_mark, verdict_html
from allcourse.scenarios.therapy_target import Round, RoundResult

KINDS = {"target": "Target or mechanism", "toxicity": "Signature toxicity"}


def feedback_html(result: RoundResult) -> str:
    """After a check: the score, then each drug's two pairs with the reason and sources."""
    head = verdict_html(
        *score_mark(result.right, result.total), f"{result.right} of {result.total} matches right"
    )
    rows = []
    for d in result.round.drugs:
        notes = []
        for p in (p for p in result.pairs if p.drug.id == d.id):
            icon, cls = mark(p.correct)
            if p.correct:
                said = f"{html.escape(p.chosen_label)}"
            else:
                said = (
                    f"you chose “{html.escape(p.chosen_label)}”; the match is "
                    f"“{html.escape(p.expected_label)}”"
                )
            notes.append(
                f"<li class='allcourse-note allcourse-note-{cls}' "
                f"data-pair='{html.escape(d.id)}-{p.kind}'>"
                f"{icon_html(icon)} "
                f"<strong>{'Right' if p.correct else 'Wrong'}.</strong> {KINDS[p.kind]}: "
                f"{said}. {html.escape(p.rationale)}</li>"
            )
        rows.append(
            f"<li data-drug='{html.escape(d.id)}'><strong>{html.escape(d.name)}</strong>"
            f"{citation_links(d.sources)}<ul>{''.join(notes)}</ul></li>"
        )
    return (
        "<section class='allcourse-feedback allcourse-target-feedback' aria-label='Feedback'>"
        f"{head}<ul class='allcourse-notes'>{''.join(rows)}</ul></section>"
    )


def prediction_html() -> str:
    """Shown only after a first check."""
    return (
        "<section class='allcourse-prediction' aria-labelledby='target-prediction-heading'>"
        "<h4 id='target-prediction-heading'>Check your prediction</h4>"
        "<p>Blinatumomab, inotuzumab, rituximab and the CAR T cells all aim at markers on B "
        "cells (CD19, CD22, CD20), so they hit healthy B cells too (B-cell aplasia after CAR "
        "T cells), and none of them works against T-cell ALL. The "
        "tyrosine kinase inhibitors act only where BCR-ABL1 is present, which is why they "
        f"are given for Ph-positive ALL.{citation_links(('R49', 'R47', 'R46', 'R62', 'R24'))}"
        "</p></section>"
    )


def _choice(drug: str, kind: str, options) -> widgets.Dropdown:
    """A native select whose empty first entry says what to choose (visible), while its
    accessible name also names the drug ("Vincristine: Target or mechanism")."""
    dd = widgets.Dropdown(
        options=[(f"{KINDS[kind]}: choose…", "")] + [(label, key) for key, label in options],
        value="",
        description=f"{drug}: {KINDS[kind]}",
        style=ui.description_style(),
        layout=ui.layout(width="auto"),
        _dom_classes=(ui.SR_LABEL, "allcourse-target-choice"),
    )
    return dd


class TherapyTarget(widgets.VBox):
    """The game's widget: a round heading, two drop-downs per drug, check and new-round
    buttons, a live status line, the feedback and the prediction check."""

    def __init__(self) -> None:
        self.round: Round = model.make_round(1)
        self.heading = ui.html("")
        self.rows_box = ui.box([], "allcourse-target-rows")
        self.choices: dict[str, dict[str, widgets.Dropdown]] = {}
        # "New round" takes the place of "Try again": a new round is a fresh try.
        self.checks = CheckSteps(
            self._inputs,
            self.new_round,
            check_label="Check matches",
            on_check=self.check_round,
            again_label="New round",
        )
        self.check, self.next_round = self.checks.check, self.checks.again
        self.status, self.feedback = self.checks.status, self.checks.feedback
        self.prediction = ui.html("")
        self.result: RoundResult | None = None
        super().__init__(
            [
                illustrative_banner("This matching game"),
                self.heading,
                self.rows_box,
                self.checks.buttons,
                self.status,
                self.feedback,
                self.prediction,
            ],
            layout=ui.layout(),
            _dom_classes=("allcourse-scenario", "allcourse-target-game"),
        )
        self._draw()

    def __repr__(self) -> str:
        return f"<Therapy and target scenario: round {self.round.number}>"

    def _draw(self) -> None:
        rnd = self.round
        self.heading.value = (
            f"<h3 class='allcourse-round-heading'>Round {rnd.number}: "
            f"{', '.join(html.escape(d.name) for d in rnd.drugs)}</h3>"
            "<p>For each drug, choose what it acts on and the toxicity it is best known "
            "for. Then check.</p>"
        )
        rows = []
        self.choices = {}
        for d in rnd.drugs:
            name = ui.html(
                f"<p class='allcourse-target-drug'><strong>{html.escape(d.name)}</strong></p>"
            )
            target = _choice(d.name, "target", rnd.targets)
            tox = _choice(d.name, "toxicity", rnd.toxicities)
            self.choices[d.id] = {"target": target, "toxicity": tox}
            rows.append(ui.box([name, target, tox], "allcourse-target-row"))
        self.rows_box.children = rows

    def _inputs(self) -> list[widgets.Dropdown]:
        return [dd for pair in self.choices.values() for dd in pair.values()]

    def answers(self) -> dict[str, dict[str, str]]:
        return {d: {k: dd.value for k, dd in pair.items()} for d, pair in self.choices.items()}

    def check_round(self) -> RoundResult | None:
        """Grade in the kernel; an incomplete answer gets a message and nothing is cleared."""
        try:
            result = model.grade(self.round, self.answers())
        except model.RoundError as exc:
            self.status.say(str(exc))
            return None
        self.result = result
        self.prediction.value = prediction_html()
        self.checks.checked(
            feedback_html(result),
            f"{result.right} of {result.total} matches right. The reason for each follows.",
        )
        return result

    def new_round(self) -> None:
        self.round = model.make_round(self.round.number + 1)
        self.result = None
        self._draw()
        self.checks.clear(
            f"Round {self.round.number}: {', '.join(d.name for d in self.round.drugs)}."
        )


def therapy_target() -> None:
    """Show the therapy-and-target game (one line in a notebook)."""
    display(TherapyTarget())
