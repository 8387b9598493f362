"""The review module's widgets: a round of spaced retrieval, the mixed final self-check,
and the score report that says what to reread. Scheduling is `review.py`'s job; the
student's history comes from the progress store once the browser has sent it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime

import ipywidgets as w

from allcourse.app import review
from allcourse.app.progress import ProgressStore, milestone_name
from allcourse.app.storage_widget import ensure_storage
from allcourse.quiz import render_item, show_quiz
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.feedback import breakdown_table, points_phrase
from allcourse.quiz.scoring import Score, score_breakdown

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


def final_check() -> w.Widget:
    """The mixed final self-check in test mode; finishing it completes the review module."""
    store = ensure_storage()
    cat = store.catalogue
    modules = [
        (m.module.id, m.bank, [it for it in m.items if it.id in m.standalone])
        for m in cat.modules
        if m.bank
    ]
    items = review.final_selection(modules)
    if not items:
        return ui.html(
            "<p>The final self-check needs question banks, and none is available yet.</p>"
        )
    quiz = show_quiz(
        items=items, mode="test", title="Final self-check: questions from every module"
    )
    finish = getattr(quiz, "finish_button", None)
    if finish is not None:

        def finished(_: w.Button) -> None:
            # Finishing with nothing submitted does not complete the review module.
            if getattr(quiz, "finished", False) and quiz.submitted_count() > 0:
                store.mark(milestone_name("review"), _now().isoformat())

        finish.on_click(finished)  # runs after the quiz's own handler has finished it
    return quiz


def score_report() -> ScoreReport:
    return ScoreReport(ensure_storage())
