"""The review module's widgets: a round of spaced retrieval, the mixed final self-check,
and the score report that says what to reread. Scheduling is `review.py`'s job; the
student's history comes from the progress store once the browser has sent it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import ipywidgets as w

from allcourse.app import review
from allcourse.app.progress import (
    ProgressStore,
    SelfTestAttempt,
    SelfTestError,
    attempts_at,
    milestone_name,
)
from allcourse.app.storage_widget import ensure_storage
from allcourse.quiz import models as qm
from allcourse.quiz import render_item
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.feedback import breakdown_table, points_phrase
from allcourse.quiz.scoring import Score, check_response, score, score_breakdown
from allcourse.quiz.session import ItemCard, Quiz

REREAD_BELOW = 0.8  # a module or topic under 80% of the points is worth rereading
FIRST_MODULE = "blood"  # where a student with nothing to review is sent first
STEP_HEADING = "Score by clinical-judgment step"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _module_link(store: ProgressStore, bank: str) -> str:
    module = store.catalogue.module_of_bank(bank)
    if module is None:
        return ""
    return f'<a href="{ui.esc(module.notebook)}">{ui.esc(module.label)}</a>'


def _start_link(store: ProgressStore) -> str:
    for m in store.catalogue.modules:
        if m.module.id == FIRST_MODULE:
            return f'<a href="{ui.esc(m.module.notebook)}">{ui.esc(m.module.label)}</a>'
    return "the first module"


class ReviewRound(w.VBox):
    """Items the student missed or has not seen for a while, each in practice mode."""

    def __init__(self, store: ProgressStore, clock: Callable[[], datetime] = _now):
        self.store, self.clock = store, clock
        self.message = ui.html(
            '<p class="allcourse-meta">Reading your saved progress from this browser…</p>'
        )
        self.items = ui.box([], "allcourse-review-items")
        self.new_round = ui.button("Start a new round", primary=True)
        self.new_round.on_click(lambda _: self.build(announce=True))
        self.ahead = ui.button("Practise ahead anyway")
        self.ahead.on_click(lambda _: self.build(ahead=True, announce=True))
        self.buttons = ui.box([], "allcourse-buttons", vertical=False)
        self.status = ui.LiveRegion()
        self.entries: list[review.ReviewEntry] = []
        super().__init__(
            [self.message, self.items, self.buttons, self.status],
            layout=ui.layout(),
            _dom_classes=("allcourse-review",),
        )
        store.on_load(lambda _: self.build())

    def __repr__(self) -> str:
        return "<Review round: items come from your saved progress>"

    def build(self, *, ahead: bool = False, announce: bool = False) -> None:
        """A new round from the store as it is now."""
        now = self.clock()
        records = self.store.progress.items
        available = self.store.catalogue.standalone()
        pick = review.practise_ahead if ahead else review.review_queue
        self.entries = pick(records, available, now)
        cards: list[w.Widget] = []
        for i, entry in enumerate(self.entries, start=1):
            found = self.store.catalogue.item(entry.item_id)
            if found is None:
                continue
            bank, item = found
            where = _module_link(self.store, bank)
            cards.append(
                ui.html(
                    f'<p class="allcourse-meta allcourse-review-why">Review {i} of '
                    f"{len(self.entries)} · from {where} · {ui.esc(entry.reason)}</p>"
                )
            )
            cards.append(render_item(item, bank, "practice"))
        self.items.children = cards
        if self.entries:
            self.message.value = self._round_text(ahead)
            self.buttons.children = [self.new_round]
        elif not any(i in available for i in records):
            self.message.value = (
                "<p><strong>Nothing to review yet.</strong> Review brings back questions you "
                "have already answered. Work through a module's self-check first (start with "
                f"{_start_link(self.store)}), then come back: the questions you miss, and the "
                "ones you have not seen for a while, will be waiting here.</p>"
            )
            self.buttons.children = []
        else:
            due = review.next_due(records, available, now)
            when = review.when_phrase(due, now) if due else "later"
            self.message.value = (
                "<p><strong>Nothing is due for review right now.</strong> You answered "
                f"everything recently and well. The next question comes back {when}. You can "
                "practise ahead, or take the final self-check below.</p>"
            )
            self.buttons.children = [self.ahead]
        if announce:
            self.status.say(
                f"New round: {len(self.entries)} question{'s' if len(self.entries) != 1 else ''}."
                if self.entries
                else "Nothing is due for review right now."
            )

    def _round_text(self, ahead: bool) -> str:
        n = len(self.entries)
        unit = "question" if n == 1 else "questions"
        if ahead:
            return (
                f"<p><strong>Practising ahead: {n} {unit}</strong>, the ones you are most "
                "likely to have forgotten. Check each answer; your review schedule updates.</p>"
            )
        missed = sum(e.missed for e in self.entries)
        return (
            f"<p><strong>This round: {n} {unit}.</strong> {missed} you did not get fully "
            f"right last time, {n - missed} due again because some time has passed. Answer "
            "each one from memory before checking; your first try is the one your schedule "
            "counts. When you finish, start a new round.</p>"
        )


class ScoreReport(w.VBox):
    """The student's latest answers by module, topic and clinical-judgment step, with
    links to the modules to reread. Redraws whenever the progress changes."""

    def __init__(self, store: ProgressStore):
        self.store = store
        self.report = ui.html(self.html())
        super().__init__(
            [self.report], layout=ui.layout(), _dom_classes=("allcourse-score-report",)
        )
        store.on_change(lambda _: self.refresh())
        store.on_load(lambda _: self.refresh())

    def __repr__(self) -> str:
        return "<Score report: by module, topic and clinical-judgment step>"

    def refresh(self) -> None:
        self.report.value = self.html()

    def html(self) -> str:
        cat = self.store.catalogue
        results_by_bank: dict[str, list] = {}
        for item_id, rec in self.store.progress.items.items():
            found = cat.item(item_id)
            if found is not None:
                bank, item = found
                score = Score(rec.last.points, rec.last.max_points)
                results_by_bank.setdefault(bank, []).append((item, score))
        results = [r for rs in results_by_bank.values() for r in rs]
        if not results:
            return (
                "<p>Your results appear here once you have answered self-check questions "
                "(in the modules, in the review rounds or in the final self-check).</p>"
            )
        total = sum(s.points for _, s in results)
        max_points = sum(s.max_points for _, s in results)
        rows, reread = [], []
        for m in cat.modules:
            got = results_by_bank.get(m.bank or "", [])
            if not got:
                continue
            earned = sum(s.points for _, s in got)
            out_of = sum(s.max_points for _, s in got)
            fraction = earned / out_of if out_of else 0.0
            link = f'<a href="{ui.esc(m.module.notebook)}">{ui.esc(m.module.label)}</a>'
            advice = "Reread" if fraction < REREAD_BELOW else "Keep reviewing"
            rows.append(
                f'<tr><th scope="row">{link}</th><td>{len(got)} of {m.total}</td>'
                f"<td>{ui.esc(points_phrase(earned, out_of))}</td><td>{fraction:.0%}</td>"
                f"<td>{advice}</td></tr>"
            )
            if fraction < REREAD_BELOW:
                weak = [
                    r.label
                    for r in score_breakdown(got, by="topic")
                    if r.max_points and r.points / r.max_points < REREAD_BELOW
                ]
                topics = f": {html.escape(', '.join(weak))}" if weak else ""
                reread.append(f"<li>{link}{topics}</li>")
        by_module = (
            '<table class="allcourse-table allcourse-summary"><caption>Score by module'
            '</caption><thead><tr><th scope="col">Module</th><th scope="col">Answered</th>'
            '<th scope="col">Points</th><th scope="col">Score</th><th scope="col">Advice'
            f"</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
        advice = (
            "<p><strong>To reread</strong> (under "
            f"{REREAD_BELOW:.0%} of the points on your latest answers):</p><ul>"
            f"{''.join(reread)}</ul>"
            if reread
            else f"<p>Every module is at {REREAD_BELOW:.0%} or more on your latest answers.</p>"
        )
        pct = f" ({total / max_points:.0%})" if max_points else ""
        return (
            '<section class="allcourse-summary-box" aria-label="Your results">'
            f"<p>Latest answers to {len(results)} question{'' if len(results) == 1 else 's'}: "
            f"{ui.esc(points_phrase(total, max_points))}{pct}.</p>"
            f"{advice}{by_module}"
            f"{breakdown_table(score_breakdown(results, by='topic'), 'Score by topic')}"
            f"{breakdown_table(score_breakdown(results, by='step'), STEP_HEADING)}"
            "</section>"
        )


def review_round() -> ReviewRound:
    """This page's round of spaced review (enables the browser storage too)."""
    return ReviewRound(ensure_storage())


# The final self-check's attempts are kept in the student's browser, in the progress
# store with the rest of their answers, not in the server's ledger the class tests use.
# A self-check is the student's own practice: untimed (no clock for the server to guard),
# taken without a name, and with nothing for an instructor to collect. The browser
# already keeps, merges across tabs and downloads the student's answers; the attempt
# travels with them, and a reset clears it with them.
FINAL_TEST = "review.final"  # the final self-check's key in the store's `tests`
FINAL_TITLE = "Final self-check: questions from every module"


def _final_modules(store: ProgressStore) -> list[tuple[str, str, list[qm.ItemBase]]]:
    """(module id, bank, stand-alone items) of every module with a bank, for the draw."""
    return [
        (mi.module.id, mi.bank, [it for it in mi.items if it.id in mi.standalone])
        for mi in store.catalogue.modules
        if mi.bank
    ]


def _restorable(item: qm.ItemBase, response: Any) -> bool:
    """Whether a saved answer can be shown and scored again (the data is the browser's:
    it may be damaged, or the question may have changed since)."""
    try:
        return check_response(item, response) is None and score(item, response) is not None
    except Exception:  # noqa: BLE001 - an answer that no longer fits is not shown
        return False


class FinalCheck(w.VBox):
    """The mixed final self-check in test mode, as the class tests work: the items of an
    attempt are drawn once the browser's saved progress has arrived; each submitted answer
    is kept in the progress store, so after a reload the attempt goes on with the same
    items and its answers; a finished attempt shows its results and offers a retake,
    drawn fresh where the banks allow. Finishing with at least one answer submitted
    completes the review module."""

    def __init__(self, store: ProgressStore, clock: Callable[[], datetime] = _now):
        self.store, self.clock = store, clock
        self.message = ui.html(
            '<p class="allcourse-meta">Reading your saved progress from this browser…</p>'
        )
        self.body = ui.box([], "allcourse-final-check-body")
        self.retake = ui.button("Retake the final self-check", primary=True)
        self.retake.on_click(lambda _: self.start_retake())
        self.buttons = ui.box([], "allcourse-buttons", vertical=False)
        self.status = ui.LiveRegion()
        self.quiz: Quiz | None = None
        self.number = 0  # the attempt shown (1 for the first)
        self.items: list[tuple[str, str]] = []  # its (bank, item id), as drawn
        self._replaying = False  # finishing a saved attempt again to show its results
        super().__init__(
            [self.message, self.body, self.buttons, self.status],
            layout=ui.layout(),
            _dom_classes=("allcourse-final-check",),
        )
        store.on_load(lambda _: self.show_saved())

    def __repr__(self) -> str:
        return "<Final self-check: questions from every module, in test mode>"

    # --- drawing and showing an attempt -------------------------------------------------
    def _modules(self) -> list[tuple[str, str, list[qm.ItemBase]]]:
        return _final_modules(self.store)

    def _attempts(self) -> list[SelfTestAttempt]:
        return attempts_at(self.store.progress, FINAL_TEST)

    def _draw(self, number: int, earlier: list[list[str]]) -> None:
        chosen = review.final_selection(self._modules(), earlier=earlier)
        self._build(number, [(b, it.id) for b, it in chosen], chosen)

    def _build(
        self,
        number: int,
        drawn: list[tuple[str, str]],
        items: list[tuple[str, qm.ItemBase]],
    ) -> None:
        self.number, self.items = number, drawn
        title = FINAL_TITLE if number == 1 else f"{FINAL_TITLE} (attempt {number})"
        self.quiz = Quiz(
            "",
            title,
            items,
            (),
            "test",
            gate=self._gate,
            on_finish=self._finished,
            anchor=self.quiz.anchor if self.quiz is not None else None,
        )
        self.body.children = [self.quiz]
        self.buttons.children = []

    def show_saved(self) -> None:
        """The browser's saved progress is in: go on with the attempt in progress, show the
        last finished one with its results, or draw the first."""
        attempts = self._attempts()
        if not attempts:
            self._draw(1, [])
            self.message.value = ""
            return
        last = attempts[-1]
        found = [self.store.catalogue.item(item_id) for item_id in last.item_ids]
        items = [f for f in found if f is not None]
        if not items:
            self._draw(last.number + 1, [a.item_ids for a in attempts])
            self.message.value = (
                "<p>The questions of your saved final self-check are no longer in the course, "
                "so a new attempt has been drawn.</p>"
            )
            return
        self._build(last.number, [(b, i) for b, i in last.items], items)
        assert self.quiz is not None
        known = {it.id: it for _, it in items}
        answers, unreadable = {}, 0
        for item_id, answer in last.submitted.items():
            if item_id not in known:
                continue
            if _restorable(known[item_id], answer.response):
                answers[item_id] = answer.response
            else:
                answers[item_id], unreadable = None, unreadable + 1  # locked, scores 0
        self.quiz.restore(answers)
        notes = []
        if len(items) < len(found):
            n = len(found) - len(items)
            notes.append(
                f"{n} question{' is' if n == 1 else 's are'} no longer in the course and "
                f"{'is' if n == 1 else 'are'} left out."
            )
        if unreadable:
            notes.append(
                f"{unreadable} saved answer{' ' if unreadable == 1 else 's '}could not be read "
                f"back and {'counts' if unreadable == 1 else 'count'} as not answered (0 points)."
            )
        extra = f" {' '.join(notes)}" if notes else ""
        if last.in_progress:
            n = len(answers)
            self.message.value = (
                f"<p>Your attempt {last.number} goes on where you left it: {n} "
                f"answer{' was' if n == 1 else 's were'} already submitted.{ui.esc(extra)}</p>"
            )
            return
        self._replaying = True
        try:
            results = self.quiz.finish(force=True) or []
        finally:
            self._replaying = False
        total = sum(r.points for _, r in results)
        out_of = sum(r.max_points for _, r in results)
        day = review.parse_time(last.finished).strftime("%d %B %Y").lstrip("0")
        self.message.value = (
            f"<p>You finished attempt {last.number} of the final self-check on {day}: "
            f"{ui.esc(points_phrase(total, out_of))}. Its results are below. Retake it for "
            f"a new mix of questions (new ones first, where the banks allow).{ui.esc(extra)}</p>"
        )
        self.buttons.children = [self.retake]

    def start_retake(self) -> None:
        """A new attempt, drawn fresh where the banks allow (written on its first submit)."""
        attempts = self._attempts()
        number = max((a.number for a in attempts), default=self.number) + 1
        self._draw(number, [a.item_ids for a in attempts])
        self.message.value = (
            f"<p>Attempt {number}: questions you have not had in the final self-check come "
            "first, where the banks have them.</p>"
        )
        self.status.say(
            f"Attempt {number} started: {len(self.items)} questions. Submit each answer, "
            "then finish the test."
        )
        if self.quiz is not None and self.quiz.cards:
            self.quiz.cards[0].renderer.focus()  # the Retake button is gone: keep the focus

    # --- the quiz's hooks ----------------------------------------------------------------
    def _gate(self, card: ItemCard, response: Any, result: Score) -> str | None:
        """Keep the answer in the store before the quiz locks it; a refusal (the attempt
        was finished in another tab) is said to the student instead."""
        try:
            self.store.submit_test_answer(
                FINAL_TEST, self.number, self.items, card.item.id, response,
                self.clock().isoformat(),
            )  # fmt: skip
        except SelfTestError as exc:
            return exc.message
        return None

    def _finished(self, results: list[tuple[qm.ItemBase, Score]]) -> None:
        if self._replaying or self.quiz is None:
            return
        now = self.clock().isoformat()
        try:
            self.store.finish_test(FINAL_TEST, self.number, self.items, now)
        except SelfTestError as exc:
            self.status.say(exc.message)
        # Finishing with nothing submitted does not complete the review module.
        if self.quiz.submitted_count() > 0:
            self.store.mark(milestone_name("review"), now)
        self.message.value = ""
        self.buttons.children = [self.retake]


def final_check() -> w.Widget:
    """The mixed final self-check in test mode; finishing it completes the review module.
    A test in progress survives a reload, and a finished one can be retaken."""
    store = ensure_storage()
    if not review.final_selection(_final_modules(store)):
        return ui.html(
            "<p>The final self-check needs question banks, and none is available yet.</p>"
        )
    return FinalCheck(store)


def score_report() -> ScoreReport:
    return ScoreReport(ensure_storage())
