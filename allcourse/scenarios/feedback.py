"""What graded scenario views share: the verdict line and the check / try-again steps.

`verdict_html` is the score line at the top of a scenario's feedback: an icon hidden from
screen readers, then words that carry the verdict (never colour alone). The icons are the
quiz's (`allcourse.quiz.render.feedback`), so a scenario and a quiz item say "right" alike.

`CheckSteps` holds the controls around a check done in the kernel: the check button, the
try-again button, the live status line and the feedback. After a check the inputs lock,
the status line says the result and the focus moves to "Try again"; a reset clears the
inputs and the feedback, unlocks, says so and puts the focus on the first input. The
view builds the feedback HTML only inside the check's callback, so nothing of the key
reaches the browser before the student checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import ipywidgets as widgets

from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.feedback import ICON_BAD, ICON_OK, ICON_PART

__all__ = [
    "ICON_BAD",
    "ICON_OK",
    "ICON_PART",
    "CheckSteps",
    "icon_html",
    "mark",
    "score_mark",
    "verdict_html",
]


def icon_html(icon: str) -> str:
    """The icon as decoration: hidden from screen readers, the words around it speak."""
    return f"<span class='allcourse-icon' aria-hidden='true'>{icon}</span>"


def mark(ok: bool) -> tuple[str, str]:
    """(icon, css modifier) for one right or wrong answer: ("✔", "ok") or ("✘", "bad")."""
    return (ICON_OK, "ok") if ok else (ICON_BAD, "bad")


def score_mark(right: int, total: int) -> tuple[str, str]:
    """(icon, css modifier) for a score: all right "ok", some right "part", none "bad"."""
    if right == total:
        return ICON_OK, "ok"
    if right:
        return ICON_PART, "part"
    return ICON_BAD, "bad"


def verdict_html(icon: str, cls: str, text: str) -> str:
    """The verdict paragraph, e.g. `verdict_html(*score_mark(3, 4), "3 of 4 right")`;
    `text` is HTML (escape what the student or a data file wrote)."""
    return f"<p class='allcourse-verdict allcourse-verdict-{cls}'>{icon_html(icon)} {text}</p>"


class CheckSteps:
    """The check and try-again controls of a scenario graded in the kernel (not a widget).

    `inputs()` gives the controls a check locks and a reset clears (each has `disabled`,
    `value`, where "" means nothing chosen, and `focus()`). `check` is the check button, or
    None when an input checks by itself (a `ChoiceCheck` carries its own button). `buttons`
    is the row to put in the page; `status` and `feedback` go under it. `status_classes`
    mark the status line (given when it is made: one message fewer than `add_class`).
    """

    def __init__(
        self,
        inputs: Callable[[], Iterable[widgets.DOMWidget]],
        on_again: Callable[[], object],
        *,
        check_label: str | None = None,
        on_check: Callable[[], object] | None = None,
        again_label: str = "Try again",
        status_classes: tuple[str, ...] = (),
    ) -> None:
        self._inputs = inputs
        self.check: widgets.Button | None = None
        if check_label is not None:
            if on_check is None:
                raise ValueError("a check button needs on_check")
            self.check = ui.button(check_label, primary=True)
            self.check.on_click(lambda _b: on_check())
        self.again = ui.button(again_label, disabled=True)  # until a check
        self.again.on_click(lambda _b: on_again())
        self.status = ui.LiveRegion(_dom_classes=status_classes)
        self.feedback = ui.html("")
        row = [self.again] if self.check is None else [self.check, self.again]
        self.buttons = ui.box(row, "allcourse-buttons", vertical=False)

    def lock(self, locked: bool) -> None:
        """Lock the inputs and the check button after a check; unlock them for a new try."""
        for control in self._inputs():
            control.disabled = locked
        if self.check is not None:
            self.check.disabled = locked
        self.again.disabled = not locked

    def checked(self, feedback: str, message: str) -> None:
        """Show the feedback, lock, say `message` and move the focus to the again button."""
        self.feedback.value = feedback
        self.lock(True)
        self.status.say(message)
        self.again.focus()

    def clear(self, message: str | None) -> None:
        """Clear the inputs and the feedback and unlock; then, unless `message` is None
        (a silent reset while the view is drawn), say it and focus the first input."""
        for control in self._inputs():
            control.value = ""
        self.feedback.value = ""
        self.lock(False)
        if message is None:
            return
        self.status.say(message)
        first = next(iter(self._inputs()), None)
        if first is not None:
            first.focus()
