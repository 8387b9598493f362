"""Practice and test modes: the item card (stem, controls, buttons, feedback), case
studies with their chart, and the quiz that holds a whole bank.

Practice: "Check answer" scores in the kernel and shows feedback for each part, the
explanation, the score and the sources; "Try again" clears; "Show answer" gives the key.
Test: "Submit" locks an item; "Finish test" shows every item's feedback and the score
by topic and by clinical-judgment step. Each check or submit publishes an `Attempt`.
A page that keeps a test's state elsewhere (a class test in the server's ledger, the
review module's final self-check in the browser's progress store) passes `gate` (may
refuse a submit, e.g. after the time limit), `on_submit` and `on_finish`, and after a
reload puts submitted answers back with `Quiz.restore`.
"""

from __future__ import annotations

import itertools
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import ipywidgets as w

from allcourse.course.content import ContentError
from allcourse.quiz import events
from allcourse.quiz import models as m
from allcourse.quiz.render import feedback as fb
from allcourse.quiz.render import renderer_for
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.case import CaseChart
from allcourse.quiz.render.controls import CheckButton, apply_snapshot, mark_controls
from allcourse.quiz.render.exhibit import trend_html
from allcourse.quiz.render.navigation import QuestionNav
from allcourse.quiz.scoring import Score, check_response, score, score_breakdown

Mode = Literal["practice", "test"]
MODES = ("practice", "test")

HINTS: dict[type[m.ItemBase], str] = {
    m.SingleChoice: "Choose one answer.",
    m.MultipleResponse: "Select all that apply.",
    m.MatrixSingle: "Choose one answer for each row.",
    m.MatrixMultiple: "Tick every box that applies; a row may have more than one.",
    m.Cloze: "Choose an answer in each drop-down list.",
    m.DropdownRationale: "Choose an answer in each drop-down list.",
    m.Ordering: "Put the steps in order: choose the step for each position.",
    m.Matching: "Choose a match for each entry.",
    m.Highlight: "Tick each part that applies; ticked parts are highlighted.",
    m.Bowtie: "Choose 2 actions to take, the condition, and 2 parameters to monitor.",
    m.Numeric: "Type a number.",
    m.ShortAnswer: "Type a word or short phrase.",
}


def _hint(item: m.ItemBase) -> str:
    if isinstance(item, m.SelectN):
        return f"Choose {item.n}."
    return HINTS.get(type(item), "")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _weakly(owner: Any, call: Callable[[Any, Any], None]) -> Callable[[Any], None]:
    """An events listener that calls `call(owner, value)` while `owner` lives: the
    listener holds it weakly, so a card or quiz that is gone is not kept alive by it."""
    ref = weakref.ref(owner)

    def listener(value: Any) -> None:
        alive = ref()
        if alive is not None:
            call(alive, value)

    return listener


def _watch_seed(card: ItemCard) -> None:
    """Reorder the card's options when the student's seed arrives from the browser."""
    events.on_seed(_weakly(card, lambda c, seed: c.renderer.reorder(seed)))


def _restore_saved(card: ItemCard, saved: dict[str, events.SavedAnswer]) -> None:
    if card.item.id in saved:
        card.restore(saved[card.item.id])


def _watch_saved(card: ItemCard) -> None:
    """Show the student's saved answer when the browser's record arrives."""
    events.on_saved(_weakly(card, _restore_saved))


MAX_TRIES = 3  # practice: after the third try that is not right, the answer is shown
STATUS_WORDS = {
    # (icon, words): the words carry the meaning; the icon is decoration.
    "new": ("○", "Not tried yet"),
    "ok": (fb.ICON_OK, "Right"),
    "part": (fb.ICON_PART, "Partly right"),
    "bad": (fb.ICON_BAD, "Wrong"),
}


def _status_of(result: Score | None) -> str:
    if result is None:
        return "new"
    return fb.verdict(result)[2]


class ItemCard(w.VBox):
    """One item: heading, exhibit, stem, answer controls, buttons, status, feedback.

    Practice mode works as Moodle's "interactive with multiple tries": "Check answer"
    says how the student did and marks only what the student chose, with a hint;
    "Try again" unlocks the same answer for another try; "Show answer" (or a third try
    that is not right) gives the key with every rationale. The first try is the one
    published as an `Attempt` (progress, review scheduling and class results count it);
    later tries are practice and are labelled so.
    """

    def __init__(
        self,
        item: m.ItemBase,
        bank: str,
        mode: Mode = "practice",
        *,
        heading: str = "Question",
        on_submit: Callable[[ItemCard], None] | None = None,
        gate: Callable[[ItemCard, Any, Score], str | None] | None = None,
        restore: bool = False,
        anchor: str | None = None,
        on_counted: Callable[[ItemCard], None] | None = None,
    ):
        """`anchor`: an id for the heading, which can then take the focus (a paged
        self-check moves there). `on_counted(card)`: practice mode, called when the
        counted result changes (the first check, or a saved answer shown again)."""
        if mode not in MODES:
            raise ValueError(f"mode must be 'practice' or 'test', not {mode!r}")
        self.item, self.bank, self.mode = item, bank, mode
        self.on_submit = on_submit
        self.on_counted = on_counted
        self.anchor = anchor
        self.gate = gate  # test mode: may refuse a submit (returns the reason)
        self.renderer = renderer_for(item, events.student_seed())
        self.status = ui.LiveRegion()
        self.renderer.announce = self.status.say
        self.controls = mark_controls(self.renderer.controls)
        self.attempts = 0  # checks or submits made on this page
        self.counted: Score | None = None  # the first try (what progress counts)
        self.restored = False  # showing an answer saved on an earlier visit
        self.revealed = False  # the key has been shown
        self.shown_at = time.monotonic()
        self.result: Score | None = None  # the last checked or submitted score
        self.submitted = False
        # Feedback and answer HTML, drawn below the status line (see `_show`).
        self.feedback: str | None = None
        self.key: str | None = None
        self._heading = heading

        self.top = ui.html(self._top_html())
        parts: list[w.Widget] = [self.top, self.renderer.widget]
        if mode == "practice":
            self.check = CheckButton("Check answer", layout=ui.layout(width="auto"))
            self.check.on_click(self.check_answer)
            self._after_check: tuple[w.Button, w.Button] | None = None  # made when needed
            self.buttons = ui.box([self.check], "allcourse-buttons", vertical=False)
        else:
            self.submit_button = CheckButton("Submit", layout=ui.layout(width="auto"))
            self.submit_button.on_click(self.submit)
            self.buttons = ui.box([self.submit_button], "allcourse-buttons", vertical=False)
        parts += [self.buttons, self.status]
        super().__init__(parts, layout=ui.layout(), _dom_classes=(ui.ITEM,))
        _watch_seed(self)
        if restore and mode == "practice":
            _watch_saved(self)

    def __repr__(self) -> str:
        return f"<QuizItem {self.item.id}: {self.item.type}, {self.mode} mode>"  # type: ignore[attr-defined]

    def _top_html(self) -> str:
        item = self.item
        meta = [f"<span>{ui.esc(_hint(item))}</span>"] if _hint(item) else []
        if item.step:
            meta.insert(
                0, f"<span>Clinical-judgment step: {ui.esc(m.CJMM_LABELS[item.step])}</span>"
            )
        status = ""
        if self.mode == "practice":
            icon, words = STATUS_WORDS[_status_of(self.counted)]
            status = (
                f'<span class="allcourse-item-status" data-status="{_status_of(self.counted)}">'
                f'<span aria-hidden="true">{icon}</span> Status: {ui.esc(words)}</span>'
            )
            meta.append(status)
        # Heading, exhibit and stem in one HTML widget: fewer models to send on load.
        # A heading with an id takes the focus when a paged self-check moves to it.
        focus = f' id="{ui.esc(self.anchor)}" tabindex="-1"' if self.anchor else ""
        top = (
            f'<h4 class="allcourse-item-title"{focus}>{ui.esc(self._heading)}</h4>'
            f'<p class="allcourse-meta">{" · ".join(meta)}</p>'
        )
        if item.exhibit is not None:
            top += f'<div class="allcourse-exhibit">{trend_html(item.exhibit)}</div>'
        top += f'<div class="allcourse-stem">{ui.block_html(item.stem, item.text_format)}</div>'
        return top

    # --- shared ---------------------------------------------------------------------
    def response(self) -> Any:
        return self.renderer.response()

    def _read(self, snapshot: dict[str, Any] | None) -> tuple[Any, str | None]:
        """The response shown on the page at the click (see controls.py), or why there
        is none yet."""
        if snapshot:
            apply_snapshot(self.controls, snapshot)
        message = self.renderer.empty_message()
        response = self.response()
        return response, message or check_response(self.item, response)

    def _attempt(self, response: Any, result: Score) -> None:
        events.publish(
            events.Attempt(
                item_id=self.item.id,
                bank=self.bank,
                response=response,
                points=result.points,
                max_points=result.max_points,
                mode=self.mode,
                attempts=self.attempts,
                seconds=round(time.monotonic() - self.shown_at, 1),
                timestamp=_now(),
            )
        )

    def _show(self, message: str | None = None, html: str | None = None) -> None:
        """Draw `html` (by default the feedback and the answer, when set) below the
        status line and say `message`: one message to the page, so the verdict and its
        feedback arrive and are drawn together."""
        if html is None:
            html = (self.feedback or "") + (self.key or "")
        self.status.show(html, message)

    def _feedback_html(self, result: Score, *, submitted: bool = True, line: str = "") -> str:
        notes = self.renderer.notes(result) if submitted else []
        return fb.feedback_html(self.item, result, notes, submitted=submitted, line=line)

    # --- practice mode --------------------------------------------------------------
    # "Try again" and "Show answer" are made on the first check or restore: fewer models
    # for the browser to receive while the page loads.
    @property
    def try_again(self) -> w.Button:
        return self._make_after_check_buttons()[0]

    @property
    def show_answer(self) -> w.Button:
        return self._make_after_check_buttons()[1]

    def _make_after_check_buttons(self) -> tuple[w.Button, w.Button]:
        if self._after_check is None:
            try_again = ui.button("Try again")
            try_again.on_click(lambda _: self.reset())
            show_answer = ui.button("Show answer")
            show_answer.on_click(lambda _: self.reveal_key())
            self._after_check = (try_again, show_answer)
        return self._after_check

    def check_answer(self, snapshot: dict[str, Any] | None = None) -> Score | None:
        if self.check.disabled:
            return None
        response, message = self._read(snapshot)
        if message is not None:
            # Nothing is graded and nothing is cleared: the student fixes the answer.
            self.status.say(message)
            return None
        result = score(self.item, response)
        self.attempts += 1
        first = self.attempts == 1 and not self.restored
        self.result = result
        tries = self.attempts + (1 if self.restored else 0)
        line = fb.try_line(tries, MAX_TRIES, first)
        if result.correct or tries >= MAX_TRIES or self.revealed:
            self._reveal(result, line)
            extra = line if result.correct else f"{line} The answer is shown below."
        else:
            notes = self.renderer.try_notes(result)
            self.feedback = fb.try_feedback_html(self.item, result, notes, line)
            self.key = None
            extra = f"{line} Feedback follows."
        # The verdict and its feedback go out first and at once (`send_now`), the first
        # try's record (the progress write) right behind them, then the locking and the
        # new buttons (made on the first check): the browser handles the kernel's messages
        # one after another, so each message ahead of the verdict delayed it (the record by
        # 1.5-2 ms, a sixth of the check, measured in Chromium). Both leave in this call,
        # about 1 ms apart on one socket. A second click meanwhile waits its turn and finds
        # the check disabled.
        self._show(fb.announcement(self.item, result, extra))
        ui.send_now()
        if first:
            self.counted = result
            self._attempt(response, result)
        self.renderer.set_locked(True)
        self.check.disabled = True
        after = [self.try_again] if self.revealed else [self.try_again, self.show_answer]
        self.buttons.children = [self.check, *after]
        self.try_again.focus()
        if first:  # the heading's status line: after the verdict the student waits for
            self.top.value = self._top_html()
            if self.on_counted is not None:
                self.on_counted(self)
        return result

    def _reveal(self, result: Score, line: str = "") -> None:
        """Set everything to show: each part with its rationale, the key, the explanation,
        the sources. The caller draws it (`_show`) and puts "Try again" (and no "Show
        answer") in the buttons."""
        self.revealed = True
        self.feedback = self._feedback_html(result, line=line)
        # Right answers need no key, except typed ones: the accepted answers and the
        # worked solution are worth seeing even after getting it right.
        typed = isinstance(self.item, m.Numeric | m.ShortAnswer)
        show_key = typed or not result.correct
        self.key = fb.key_html(self.renderer.key_notes(), self.renderer.fmt) if show_key else None

    def reset(self) -> None:
        """Another try: the same answer, unlocked, to change what the student thinks is
        wrong (Moodle's "Try again")."""
        self.renderer.set_locked(False)
        self.check.disabled = False
        self.buttons.children = [self.check]
        self.feedback = self.key = None
        self.shown_at = time.monotonic()
        self._show(
            "Change your answer, then check it again. This is a practice try: your first "
            "try is the one that counts."
        )
        self.renderer.focus()

    def reveal_key(self) -> None:
        if self.result is None:  # only after a check: the key never leaves early
            return
        self._reveal(self.result)
        self._show("The answer and the reason for each part are shown below.")
        self.buttons.children = [self.check, self.try_again]
        self.try_again.focus()

    def restore(self, saved: events.SavedAnswer) -> None:
        """Show the answer saved on an earlier visit, marked as it was graded, unless the
        student has already started answering on this page."""
        if self.attempts or self.mode != "practice":
            return
        if (
            self.renderer.empty_message() is None
            and check_response(self.item, self.response()) is None
        ):
            return  # the student is answering already: keep what is on the screen
        try:
            self.renderer.restore(saved.response)
        except Exception:  # noqa: BLE001 - a saved answer that no longer fits is not shown
            return
        response = self.response()
        if self.renderer.empty_message() is not None or check_response(self.item, response):
            self.renderer.clear()
            return
        result = score(self.item, response)
        self.restored = True
        self.result = self.counted = result
        self.top.value = self._top_html()
        self.renderer.set_locked(True)
        self.check.disabled = True
        line = f"Your saved answer from {saved.when}. It is the one that counts."
        if result.correct:
            self._reveal(result, line)
            self.buttons.children = [self.check, self.try_again]
        else:
            notes = self.renderer.try_notes(result)
            self.feedback = fb.try_feedback_html(self.item, result, notes, line)
            self.buttons.children = [self.check, self.try_again, self.show_answer]
        self._show()
        if self.on_counted is not None:
            self.on_counted(self)

    # --- test mode ------------------------------------------------------------------
    def submit(self, snapshot: dict[str, Any] | None = None) -> Score | None:
        if self.submitted:
            return self.result
        response, message = self._read(snapshot)
        if message is not None:
            self.status.say(message)
            return None
        result = score(self.item, response)
        if self.gate is not None:
            refused = self.gate(self, response, result)
            if refused:
                self.status.say(refused)
                return None
        self.result = result
        self.attempts += 1
        self._lock_submitted()
        self.status.say(
            "Submitted. Your answer is locked; you see results when you finish the test."
        )
        self._attempt(response, self.result)
        if self.on_submit is not None:
            self.on_submit(self)
        return self.result

    def _lock_submitted(self) -> None:
        self.submitted = True
        self.renderer.set_locked(True)
        self.submit_button.disabled = True
        self.submit_button.description = "Submitted"

    def restore_submitted(self, response: Any) -> None:
        """An answer submitted before the page was reloaded: locked and counted again,
        not published again. The controls show it where the renderer can set a response."""
        self.result = score(self.item, response)
        self.attempts = max(self.attempts, 1)
        setter = getattr(self.renderer, "set_response", None)
        if callable(setter):
            setter(response)
            note = "Submitted earlier; your answer is locked."
        else:
            note = "Submitted earlier (before the page was reloaded); your answer is kept."
        self._lock_submitted()
        self._show(html=f'<p class="allcourse-meta">{ui.esc(note)}</p>')

    def finish(self, *, reveal: bool = True) -> Score:
        """End of the test: lock, and show the feedback and the answer (unless the test
        keeps its answers back: then only that the answer is recorded)."""
        self.renderer.set_locked(True)
        if not self.submitted:
            self.submit_button.disabled = True
            self.submit_button.description = "Not submitted"
            empty = score(self.item, None)
            self.result = Score(0.0, empty.max_points, empty.parts)
        assert self.result is not None
        if not reveal:
            done = "Your answer is recorded." if self.submitted else "Not answered."
            # "" clears "results come when you finish", which no longer holds.
            self._show("", html=f'<p class="allcourse-meta">{done}</p>')
            return self.result
        self.feedback = self._feedback_html(self.result, submitted=self.submitted)
        self.key = fb.key_html(self.renderer.key_notes(), self.renderer.fmt)
        self._show("The test is finished: this item's feedback and answer are below.")
        return self.result


class CaseStudyView(w.VBox):
    """An unfolding case: intro, the chart in tabs, one item at a time, and buttons to
    move between items (the chart changes as the case unfolds)."""

    def __init__(self, case: m.CaseStudy, cards: list[ItemCard], *, anchor: str | None = None):
        """`anchor`: an id for the case's title, which can then take the focus."""
        self.case, self.cards = case, cards
        self.chart = CaseChart(case)
        self.index = 0
        self.status = ui.LiveRegion()
        self.previous = ui.button("Previous item")
        self.previous.on_click(lambda _: self.go(self.index - 1))
        self.next = ui.button("Next item")
        self.next.on_click(lambda _: self.go(self.index + 1))
        self.position = ui.html("")
        focus = f' id="{ui.esc(anchor)}" tabindex="-1"' if anchor else ""
        intro = ui.html(
            f'<h4 class="allcourse-case-title"{focus}>Case study: {ui.esc(case.title)}</h4>'
            f'{ui.block_html(case.intro)}<p class="allcourse-meta">The patient\'s chart:</p>'
        )
        self.nav = ui.box([self.previous, self.next], "allcourse-buttons", vertical=False)
        super().__init__([], layout=ui.layout(), _dom_classes=("allcourse-case",))
        self._intro = intro
        self._layout()

    def _layout(self) -> None:
        n = len(self.cards)
        step = self.cards[self.index].item.step
        label = f" · {m.CJMM_LABELS[step]}" if step else ""
        self.position.value = (
            f'<p class="allcourse-meta">Case item {self.index + 1} of {n}{ui.esc(label)}</p>'
        )
        # The item buttons come before the item, so after "Next item" the next Tab
        # lands in the new item's answers.
        self.children = [
            self._intro,
            self.chart.widget,
            self.position,
            self.nav,
            self.status,
            self.cards[self.index],
        ]

    def go(self, index: int) -> None:
        n = len(self.cards)
        if index < 0:
            self.status.say("This is the first item of the case.")
            return
        if index >= n:
            self.status.say("This is the last item of the case.")
            return
        self.index = index
        changed = self.chart.show(index)
        self._layout()
        message = f"Case item {index + 1} of {n}."
        step = self.cards[index].item.step
        if step:
            message += f" Step: {m.CJMM_LABELS[step]}."
        if changed:
            message += f" New in the chart: {', '.join(changed)}."
        self.status.say(message)


_QUIZ_NUMBER = itertools.count(1)  # quizzes drawn in this kernel (one kernel per page)


@dataclass(frozen=True)
class Stop:
    """One place in a quiz's sequence: a stand-alone item, or a whole case study.
    `first` is the index of its first item among the quiz's items, `count` how many."""

    first: int
    count: int = 1
    bank: str = ""
    case: m.CaseStudy | None = None


class Quiz(w.VBox):
    """A bank (or a chosen list of items) in practice or test mode.

    `paged` (practice mode): one stop at a time (a question, or a case study with its own
    item-by-item navigation) with a `QuestionNav` bar; each stop's cards are built when
    the student first goes there and kept, so an answer in progress survives leaving
    and coming back. Otherwise every card is built at once. `cards` lists the cards
    built so far, in the quiz's order (all of them unless paged).
    """

    def __init__(
        self,
        name: str,
        title: str,
        items: Sequence[tuple[str, m.ItemBase]],
        cases: Sequence[tuple[str, m.CaseStudy]] = (),
        mode: Mode = "practice",
        *,
        gate: Callable[[ItemCard, Any, Score], str | None] | None = None,
        on_submit: Callable[[ItemCard], None] | None = None,
        on_finish: Callable[[list[tuple[m.ItemBase, Score]]], None] | None = None,
        reveal_answers: bool = True,
        restore: bool = False,
        anchor: str | None = None,
        paged: bool = False,
    ):
        if mode not in MODES:
            raise ValueError(f"mode must be 'practice' or 'test', not {mode!r}")
        if paged and mode != "practice":
            raise ValueError("only a practice self-check is shown one question at a time")
        self.name, self.mode = name, mode
        # The page's first quiz is where "Skip to the self-check" goes; ids stay unique.
        # A quiz that replaces another on the page (a retake) passes on its `anchor`.
        n = next(_QUIZ_NUMBER)
        self.anchor = anchor or ("self-check" if n == 1 else f"self-check-{n}")
        self.on_finish = on_finish
        self.reveal_answers = reveal_answers
        self._after_submit = on_submit
        self._gate, self._restore, self.paged = gate, restore, paged
        # Every item in order (stand-alone items, then each case's), and the stops.
        self.items: list[tuple[str, m.ItemBase]] = list(items)
        self.stops: list[Stop] = [Stop(i, 1, b) for i, (b, _) in enumerate(items)]
        for b, case in cases:
            self.stops.append(Stop(len(self.items), len(case.items), b, case))
            self.items += [(b, ci.item) for ci in case.items]
        self.n_items = len(self.items)
        self._built: dict[int, ItemCard] = {}  # item index -> its card, once built
        self._views: dict[int, w.Widget] = {}  # stop index -> its card or case view
        self._saved_status: dict[str, str] = {}  # paged: item id -> a saved answer's status
        self.finished = False
        self._confirm_finish = False

        what = (
            "practice: check each answer as you go"
            if mode == "practice"
            else ("test: submit each answer; results come when you finish")
        )
        if paged:
            what = "practice, one question at a time: check each answer as you go"
        self.title = title
        header = ui.html(self._header_html(what))
        self.header = header
        if paged:
            self.stop = 0
            self.nav = QuestionNav(self._labels(), self.go)
            first = self._view(0)
            self.nav.show(0, self._position_html(0))
            super().__init__([header, self.nav, first], layout=ui.layout(), _dom_classes=(ui.QUIZ,))
            if restore:
                _watch_saved_statuses(self)
            return
        children: list[w.Widget] = [header, *(self._view(k) for k in range(len(self.stops)))]
        if mode == "test":
            self.progress = ui.html(self._progress_text())
            self.finish_button = ui.button("Finish test", primary=True)
            self.finish_button.on_click(lambda _: self.finish())
            self.status = ui.LiveRegion()
            self.results: w.HTML | None = None
            children += [
                self.progress,
                ui.box([self.finish_button], "allcourse-buttons", vertical=False),
                self.status,
            ]
        super().__init__(children, layout=ui.layout(), _dom_classes=(ui.QUIZ,))

    @property
    def cards(self) -> list[ItemCard]:
        """The cards built so far, in the quiz's order."""
        return [self._built[i] for i in sorted(self._built)]

    # --- building stops -----------------------------------------------------------------
    def _heading_id(self, k: int) -> str:
        """The id of stop `k`'s heading (a question's, or a case study's title), which
        takes the focus when a paged quiz moves there."""
        stop = self.stops[k]
        if stop.case is None:
            return f"{self.anchor}-q{stop.first + 1}"
        return f"{self.anchor}-case{k + 1}"

    def _card(self, index: int, anchor: str | None = None) -> ItemCard:
        bank, item = self.items[index]
        card = ItemCard(
            item,
            bank,
            self.mode,
            heading=f"Question {index + 1} of {self.n_items}",
            on_submit=self._on_submit if self.mode == "test" else None,
            gate=self._gate,
            restore=self._restore,
            anchor=anchor,
            on_counted=self._counted if self.paged else None,
        )
        self._built[index] = card
        return card

    def _view(self, k: int) -> w.Widget:
        """Stop `k`'s widget, built on first use and kept."""
        if k not in self._views:
            stop = self.stops[k]
            anchor = self._heading_id(k) if self.paged else None
            if stop.case is None:
                self._views[k] = self._card(stop.first, anchor)
            else:
                cards = [self._card(i) for i in range(stop.first, stop.first + stop.count)]
                self._views[k] = CaseStudyView(stop.case, cards, anchor=anchor)
        return self._views[k]

    # --- paged: statuses and moving -----------------------------------------------------
    def item_status(self, index: int) -> str:
        """The student's own status of item `index`: "new", "ok", "part" or "bad" (the
        counted try on this page, else the answer saved on an earlier visit)."""
        card = self._built.get(index)
        if card is not None and card.counted is not None:
            return _status_of(card.counted)
        return self._saved_status.get(self.items[index][1].id, "new")

    def _stop_words(self, k: int) -> str:
        stop = self.stops[k]
        if stop.case is None:
            return STATUS_WORDS[self.item_status(stop.first)][1]
        tried = sum(
            self.item_status(i) != "new" for i in range(stop.first, stop.first + stop.count)
        )
        return STATUS_WORDS["new"][1] if not tried else f"{tried} of {stop.count} tried"

    def _stop_name(self, k: int) -> str:
        stop = self.stops[k]
        if stop.case is None:
            return f"Question {stop.first + 1}"
        last = stop.first + stop.count
        return f"Questions {stop.first + 1}-{last}: case study {stop.case.title}"

    def _labels(self) -> list[str]:
        return [f"{self._stop_name(k)}: {self._stop_words(k)}" for k in range(len(self.stops))]

    def _position_html(self, k: int) -> str:
        stop = self.stops[k]
        if stop.case is None:
            icon, _ = STATUS_WORDS[self.item_status(stop.first)]
            where = f"Question {stop.first + 1} of {self.n_items}"
        else:
            icon = ""
            where = self._stop_name(k)
        mark = f'<span aria-hidden="true">{icon}</span> ' if icon else ""
        return (
            f'<p class="allcourse-meta"><strong>{ui.esc(where)}</strong> · '
            f"{mark}Status: {ui.esc(self._stop_words(k))}</p>"
        )

    def _refresh(self) -> None:
        self.nav.show(self.stop, self._position_html(self.stop), self._labels())

    def _counted(self, _card: ItemCard) -> None:
        self._refresh()

    def saved_arrived(self, saved: dict[str, events.SavedAnswer]) -> None:
        """The student's saved answers (item id -> answer): the status of each item
        not built yet, scored again here (the key may have changed since); built cards
        restore themselves (`_watch_saved`)."""
        statuses = {}
        for _, item in self.items:
            if item.id in saved and check_response(item, saved[item.id].response) is None:
                try:
                    statuses[item.id] = _status_of(score(item, saved[item.id].response))
                except Exception:  # noqa: BLE001 - a saved answer that no longer fits
                    continue
        self._saved_status = statuses
        self._refresh()

    def go(self, k: int, focus: bool = True) -> None:
        """Show stop `k` (0-based), building it on first visit; announce the position
        and (with `focus`) move the keyboard focus to its heading. Out of range: say so,
        change nothing."""
        if k < 0:
            self.nav.status.say("This is the first question. There is no previous one.")
            return
        if k >= len(self.stops):
            tried = sum(self.item_status(i) != "new" for i in range(self.n_items))
            end = (
                "This case study is the last part of the self-check: its Next item button "
                "goes through its questions."
                if self.stops[-1].case is not None
                else "This is the last question."
            )
            self.nav.status.say(f"{end} You have tried {tried} of {self.n_items}.")
            return
        view = self._view(k)
        self.stop = k
        self.children = [self.header, self.nav, view]
        self._refresh()
        stop = self.stops[k]
        # A case's name already says which questions it holds ("Questions 16-18: ...").
        where = self._stop_name(k) if stop.case else f"{self._stop_name(k)} of {self.n_items}"
        self.nav.status.say(f"{where}. {self._stop_words(k)}.")
        if focus:
            self.nav.status.focus_element(self._heading_id(k))

    def _header_html(self, what: str) -> str:
        n = self.n_items
        return (
            f'<h3 class="allcourse-quiz-title" id="{self.anchor}">{ui.esc(self.title)}</h3>'
            f'<p class="allcourse-meta">{n} {"item" if n == 1 else "items"} · {what}.</p>'
        )

    def __repr__(self) -> str:
        label = f"Quiz {self.name}" if self.name else "Quiz"
        unit = "item" if self.n_items == 1 else "items"
        return f"<{label}: {self.n_items} {unit}, {self.mode} mode>"

    # --- test mode ------------------------------------------------------------------
    def _submitted(self) -> int:
        return sum(1 for c in self.cards if c.submitted)

    def submitted_count(self) -> int:
        """How many items the student has submitted (test mode)."""
        return self._submitted()

    def _progress_text(self) -> str:
        return f'<p class="allcourse-meta">Submitted {self._submitted()} of {self.n_items}.</p>'

    def _on_submit(self, card: ItemCard) -> None:
        self._confirm_finish = False
        self.progress.value = self._progress_text()
        if self._after_submit is not None:
            self._after_submit(card)

    def restore(self, submitted: dict[str, Any]) -> None:
        """Put back answers submitted before a reload (item id -> response)."""
        for c in self.cards:
            if c.item.id in submitted and not c.submitted:
                c.restore_submitted(submitted[c.item.id])
        self.progress.value = self._progress_text()

    def finish(self, *, force: bool = False) -> list[tuple[m.ItemBase, Score]] | None:
        """End the test. Asks first (a second press confirms) when items are not
        submitted, unless `force` (the time limit has run out)."""
        if self.finished:
            return None
        missing = self.n_items - self._submitted()
        if missing and not self._confirm_finish and not force:
            self._confirm_finish = True
            unit = "item is" if missing == 1 else "items are"
            if missing == self.n_items:
                message = (
                    "You have not submitted any answer yet. Answer and submit the items, or "
                    "press Finish test again to finish with a score of 0."
                )
            else:
                message = (
                    f"{missing} {unit} not submitted yet. Submit them, or press Finish test "
                    "again to finish now; items not submitted score 0."
                )
            self.status.say(message)
            return None
        self.finished = True
        results = [(c.item, c.finish(reveal=self.reveal_answers)) for c in self.cards]
        total = sum(r.points for _, r in results)
        max_points = sum(r.max_points for _, r in results)
        self.results = ui.html(
            fb.summary_html(
                total,
                max_points,
                score_breakdown(results, by="topic"),
                score_breakdown(results, by="step"),
            )
        )
        self.finish_button.disabled = True
        self.header.value = self._header_html("test finished: each item shows its feedback")
        self.progress.value = (
            f'<p class="allcourse-meta">Test finished. You submitted {self._submitted()} of '
            f"{self.n_items}.</p>"
        )
        self.children = [*self.children, self.results]
        shown = (
            "each item now shows its feedback."
            if self.reveal_answers
            else "the answers to each item are not shown for this test."
        )
        self.status.say(
            f"Test finished: {fb.points_phrase(total, max_points)}. "
            f"The results by topic and by step follow; {shown}"
        )
        if self.on_finish is not None:
            self.on_finish(results)
        return results


def _watch_saved_statuses(quiz: Quiz) -> None:
    """Update a paged quiz's statuses when the saved answers arrive."""
    events.on_saved(_weakly(quiz, Quiz.saved_arrived))


class QuizError(w.HTML):
    """What a student sees when a bank cannot be loaded: a message, not a traceback."""

    def __init__(self, name: str, lines: list[str]):
        items = "".join(f"<li>{ui.esc(line)}</li>" for line in lines)
        super().__init__(
            f'<div class="allcourse-quiz-error" role="alert"><p><strong>The self-check '
            f"“{ui.esc(name)}” could not be loaded.</strong> Please tell your instructor:</p>"
            f"<ul>{items}</ul></div>"
        )
        self.name = name

    def __repr__(self) -> str:
        return f"<Quiz {self.name}: could not be loaded>"


def show_quiz(
    bank: str | None = None,
    *,
    items: Sequence[tuple[str, m.ItemBase]] | None = None,
    mode: Mode = "practice",
    title: str | None = None,
) -> w.Widget:
    """A bank's self-check (stand-alone items, then case studies), or the given
    `(bank name, item)` pairs, in practice or test mode."""
    if mode not in MODES:
        raise ValueError(f"mode must be 'practice' or 'test', not {mode!r}")
    if bank is None and items is None:
        raise ValueError("give a bank name or items")
    if items is not None:
        return Quiz(bank or "", title or "Self-check", list(items), (), mode)
    from allcourse.quiz.bank import bank as load

    try:
        loaded = load(bank)
    except ContentError as exc:
        return QuizError(bank, [str(p) for p in exc.problems] or [str(exc)])
    except FileNotFoundError as exc:
        return QuizError(bank, [str(exc)])
    return Quiz(
        bank,
        title or loaded.title,
        [(bank, it) for it in loaded.items],
        [(bank, c) for c in loaded.case_studies],
        mode,
        restore=mode == "practice",
        paged=mode == "practice",  # one question at a time: a page builds one card first
    )


def render_item(item: m.ItemBase, bank: str, mode: Mode = "practice") -> w.Widget:
    """One item. In test mode it comes with its own "Finish test" to see the result."""
    if mode == "test":
        return Quiz(bank, "Test item", [(bank, item)], (), "test")
    return ItemCard(item, bank, mode)
