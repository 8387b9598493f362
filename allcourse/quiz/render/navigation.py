"""The navigation bar of a self-check shown one question at a time: "Previous
question", "Next question", a "Go to question" drop-down listing every stop with the
student's own status in words, the position, and a live region that announces each move.

It only draws what it is given (labels, position) and calls `on_go(stop index)`; the
quiz (session.py) decides what a stop is and what it shows. Labels carry only the
student's own results, never a key: nothing about correctness before a check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w

from allcourse.quiz.render import widgets as ui

NAV = "allcourse-question-nav"


class QuestionNav(w.VBox):
    """Previous / Next / Go to question, the position line and a `LiveRegion`.

    `labels`: one per stop, as the drop-down lists them. `on_go(index, focus)` is called
    with the stop the student asked for (0-based), also out of range from Previous at
    the first stop or Next at the last (the caller says so through `status`); `focus`
    is False when the drop-down asked, which keeps the focus (see below).
    """

    def __init__(self, labels: Sequence[str], on_go: Callable[[int, bool], None]):
        self.index = 0
        self._on_go = on_go
        self._quiet = False  # set while the kernel itself moves the drop-down
        self.previous = ui.button("Previous question")
        self.previous.on_click(lambda _: on_go(self.index - 1, True))
        self.next = ui.button("Next question")
        self.next.on_click(lambda _: on_go(self.index + 1, True))
        self.select = w.Dropdown(
            options=[(label, i) for i, label in enumerate(labels)],
            value=0,
            description="Go to question",
            style=ui.description_style(),
            layout=ui.layout(width="auto", max_width="100%"),
            _dom_classes=(ui.WRAP, "allcourse-go-to"),
        )
        self.select.observe(self._picked, names="value")
        self.position = ui.html("", "allcourse-position")
        self.status = ui.LiveRegion()
        # The drop-down comes last: choosing a question there keeps the focus on it (arrow
        # keys change a closed <select> one option at a time, and moving the focus away
        # would end that), and the next Tab lands in the question just shown below.
        bar = ui.box([self.previous, self.next, self.select], "allcourse-buttons", vertical=False)
        super().__init__(
            [self.position, bar, self.status],
            layout=ui.layout(),
            _dom_classes=(NAV,),
        )

    def _picked(self, change: dict) -> None:
        if not self._quiet and change["new"] is not None:
            self._on_go(change["new"], False)

    def show(self, index: int, position_html: str, labels: Sequence[str] | None = None) -> None:
        """Draw stop `index` as current, with its position line and (when given) new
        labels for the drop-down, without calling `on_go` again."""
        self.index = index
        self._quiet = True
        try:
            with self.select.hold_sync():
                if labels is not None and tuple(labels) != self.select._options_labels:
                    self.select.options = [(label, i) for i, label in enumerate(labels)]
                self.select.value = index
        finally:
            self._quiet = False
        self.position.value = position_html
