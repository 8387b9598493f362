"""A "predict first, then check" box for scenario views.

The student picks a prediction from a native drop-down and presses "Check my
prediction". The key and the explanation stay in the kernel (plain Python attributes,
not widget traits): the "Check your prediction" text reaches the browser only after the
student has predicted and pressed the button.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from allcourse.quiz.render import widgets as ui

ICON_OK, ICON_BAD = "✔", "✘"


class PredictionCheck(widgets.VBox):
    """One prediction question. `reveal` builds the explanation HTML when checked."""

    def __init__(
        self,
        question: str,
        choices: list[tuple[str, str]],
        key: str,
        reveal: Callable[[], str],
    ) -> None:
        if key not in {value for _label, value in choices}:
            raise ValueError(f"the key {key!r} is not one of the choices")
        self._key = key  # kept in the kernel: not a trait, never synced
        self._labels = dict((value, label) for label, value in choices)
        self._reveal = reveal
        self.question = ui.html(
            "<p class='allcourse-prediction-question'><strong>Predict first.</strong> "
            f"{ui.esc(question)}</p>"
        )
        self.choice = ui.dropdown(choices, "Your prediction")
        self.check = ui.button("Check my prediction")
        self.check.on_click(lambda _b: self.check_prediction())
        self.status = ui.LiveRegion()
        self.feedback = widgets.HTML()
        super().__init__([self.question, self.choice, self.check, self.status, self.feedback])
        self.add_class("allcourse-prediction")

    def __repr__(self) -> str:
        return "<Prediction check>"

    def check_prediction(self) -> bool | None:
        """Reveal the explanation; without a prediction, ask for one and reveal nothing."""
        picked = self.choice.value
        if not picked:
            self.status.say("Choose your prediction first, then check it.")
            return None
        ok = picked == self._key
        verdict = (
            f"<p class='allcourse-verdict allcourse-verdict-{'ok' if ok else 'bad'}'>"
            f"<span class='allcourse-icon' aria-hidden='true'>{ICON_OK if ok else ICON_BAD}</span> "
            f"{'Your prediction was right' if ok else 'Not quite'}: you predicted "
            f"“{ui.esc(self._labels[picked])}”.</p>"
        )
        self.feedback.value = (
            "<section class='allcourse-feedback allcourse-prediction-feedback' "
            "aria-label='Check your prediction'><h4>Check your prediction</h4>"
            f"{verdict}{self._reveal()}</section>"
        )
        self.status.say(
            ("Your prediction was right." if ok else "Not quite.") + " The explanation follows."
        )
        return ok
