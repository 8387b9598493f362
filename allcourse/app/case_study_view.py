"""Module 06's unfolding cases: a patient's stages one after another, in practice or test
mode, and a summary by clinical-judgment step that says what to reread.

Each stage is an NGN case study (six items, one per step) shown with the quiz engine's
own `Quiz` and its chart; a later stage appears only when the one before it is done, so
its chart cannot give away the earlier answers. Scoring and the summary's arithmetic are
pure (`allcourse.quiz.scoring`, `allcourse.quiz.case_summary`); this module only arranges
widgets around them.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w

from allcourse.course.content import ContentError
from allcourse.quiz import events
from allcourse.quiz import models as m
from allcourse.quiz.case_summary import StepSummary, stages, step_summary
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.feedback import points, points_phrase
from allcourse.quiz.scoring import Score
from allcourse.quiz.session import MODES, Mode, Quiz, QuizError

THIS_PAGE = "06_case_study.ipynb"
MODE_WORDS = {
    "practice": (
        "practice mode: check each answer, try again, read why each option is right or "
        "wrong, and show the answer"
    ),
    "test": (
        "test mode: submit each answer; the scores, rationales and answers come when you "
        "finish each stage"
    ),
}


def _link_html(link: m.RereadLink) -> str:
    """A reread link. Links into this page stay on it (a reload would clear the case);
    links to other modules open in a new tab, so the case stays open."""
    if link.href.startswith(THIS_PAGE + "#"):
        return f'<a href="{ui.esc(link.href[len(THIS_PAGE) :])}">{ui.esc(link.text)}</a>'
    return (
        f'<a href="{ui.esc(link.href)}" target="_blank" rel="noopener">{ui.esc(link.text)}'
        '<span class="allcourse-sr-only"> (opens in a new tab)</span></a>'
    )


def summary_html(rows: list[StepSummary], *, heading: str, basis: str) -> str:
    """The case summary: one row per clinical-judgment step with its points and, where
    points were lost, links to what to reread."""
    if not rows:
        return (
            '<section class="allcourse-summary-box allcourse-case-summary" '
            f'aria-label="{ui.esc(heading)}"><h3>{ui.esc(heading)}</h3>'
            "<p>No answers to summarise yet: answer the items of the stage first.</p></section>"
        )
    body = []
    for r in rows:
        if r.full_marks:
            advice = "Full marks: nothing to reread."
        elif r.reread:
            advice = "<ul>" + "".join(f"<li>{_link_html(x)}</li>" for x in r.reread) + "</ul>"
        else:
            advice = "Reread the rationales of this step's items above."
        body.append(
            f'<tr><th scope="row">{ui.esc(r.label)}</th><td>{points(r.points)}</td>'
            f"<td>{points(r.max_points)}</td><td>{r.fraction:.0%}</td><td>{advice}</td></tr>"
        )
    total = sum(r.points for r in rows)
    out_of = sum(r.max_points for r in rows)
    return (
        '<section class="allcourse-summary-box allcourse-case-summary" '
        f'aria-label="{ui.esc(heading)}"><h3>{ui.esc(heading)}</h3>'
        f"<p>{ui.esc(basis)} Total: {ui.esc(points_phrase(total, out_of))}"
        f"{f' ({total / out_of:.0%})' if out_of else ''}.</p>"
        '<div class="allcourse-scroll" role="region" tabindex="0" '
        'aria-label="Score by clinical-judgment step">'
        '<table class="allcourse-table allcourse-summary"><caption>Score by clinical-judgment '
        'step</caption><thead><tr><th scope="col">Step</th><th scope="col">Points</th>'
        '<th scope="col">Out of</th><th scope="col">Score</th>'
        '<th scope="col">What to reread</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></section>"
    )


class CaseRunner(w.VBox):
    """One patient's unfolding case: a choice of mode, the stages in turn, and the
    summary by clinical-judgment step after each stage (the last one ends the case)."""

    def __init__(self, bank: str, case: str, case_stages: Sequence[m.CaseStudy], mode: Mode):
        if mode not in MODES:
            raise ValueError(f"mode must be 'practice' or 'test', not {mode!r}")
        self.bank, self.case, self.stages = bank, case, list(case_stages)
        self.case_items = {ci.item.id: ci for s in self.stages for ci in s.items}
        self.mode: Mode = mode
        self.status = ui.LiveRegion()
        self.mode_line = ui.html("")
        self.practice_button = ui.button("Practise this case")
        self.practice_button.on_click(lambda _: self.restart("practice"))
        self.test_button = ui.button("Take this case as a test")
        self.test_button.on_click(lambda _: self.restart("test"))
        self.body = ui.box([], "allcourse-case-stages")
        self.next_button = ui.button("Continue", primary=True)
        self.next_button.on_click(lambda _: self.continue_case())
        self.nav = ui.box([], "allcourse-buttons", vertical=False)
        self.summary = ui.html("")
        n = len(self.stages)
        items = len(self.case_items)
        intro = ui.html(
            f'<p class="allcourse-meta">{n} {"stage" if n == 1 else "stages"} of six items, '
            f"{items} items in all. Choose how to work through the case; the summary by "
            "clinical-judgment step comes at the end of each stage.</p>"
        )
        super().__init__(
            [
                intro,
                ui.box(
                    [self.practice_button, self.test_button], "allcourse-buttons", vertical=False
                ),
                self.mode_line,
                self.status,
                self.body,
                self.nav,
                self.summary,
            ],
            layout=ui.layout(),
            _dom_classes=("allcourse-case-runner",),
        )
        events.subscribe(self._on_attempt)
        self._start(mode)

    def __repr__(self) -> str:
        n = len(self.stages)
        return (
            f"<Case {self.case}: {n} stage{'s' if n != 1 else ''}, "
            f"{len(self.case_items)} items, {self.mode} mode>"
        )

    # --- state --------------------------------------------------------------------------
    def _start(self, mode: Mode) -> None:
        self.mode = mode
        self.quizzes: list[Quiz] = []
        self.results: dict[str, Score] = {}  # item id -> score used in the summary
        self.done: set[int] = set()  # stages finished (test) or left (practice)
        self._confirm_restart: Mode | None = None
        self._confirm_continue = False
        self.summary.value = ""
        self.mode_line.value = f"<p><strong>Now in {ui.esc(MODE_WORDS[mode])}.</strong></p>"
        self.body.children = []
        self._open_stage(0)

    def _answered(self) -> int:
        return sum(1 for q in self.quizzes for c in q.cards if c.attempts)

    def restart(self, mode: Mode) -> None:
        """Start the case again in `mode`; asks once for confirmation if answers would be
        cleared from the page (the progress store keeps every answer already given)."""
        answered = self._answered()
        if answered and self._confirm_restart != mode:
            self._confirm_restart = mode
            self.status.say(
                f"You have answered {answered} item{'s' if answered != 1 else ''} here. "
                f"Starting again in {mode} mode clears them from this page; your saved "
                "progress keeps them. Press the button again to start again."
            )
            return
        self._start(mode)
        self.status.say(f"The case starts again from stage 1, in {mode} mode.")

    # --- stages -------------------------------------------------------------------------
    def _stage_title(self, index: int) -> str:
        return f"Stage {index + 1} of {len(self.stages)}: {self.stages[index].title}"

    def _open_stage(self, index: int) -> None:
        stage = self.stages[index]
        # The stage's own title heads its chart; the quiz heading says where it stands.
        n = len(self.stages)
        title = f"Stage {index + 1} of {n}" if n > 1 else "Six items, one per step"
        quiz = Quiz(self.bank, title, [], [(self.bank, stage)], self.mode)
        self.quizzes.append(quiz)
        self.body.children = [*self.body.children, quiz]
        if self.mode == "test":
            # Runs after the quiz's own handler has finished (or declined to finish) it.
            quiz.finish_button.on_click(lambda _, i=index: self._after_finish(i))
            self.nav.children = []
        else:
            last = index == len(self.stages) - 1
            self.next_button.description = (
                "Finish the case and see my summary"
                if last
                else f"Continue to {self._stage_title(index + 1).lower()}"
            )
            self.nav.children = [self.next_button]

    def _on_attempt(self, attempt: events.Attempt) -> None:
        # Practice: the summary counts each item's first check, not the retries.
        if (
            self.mode == "practice"
            and attempt.mode == "practice"
            and attempt.item_id in self.case_items
            and attempt.item_id not in self.results
            and any(attempt.item_id == c.item.id for c in self.quizzes[-1].cards)
        ):
            self.results[attempt.item_id] = Score(attempt.points, attempt.max_points)
            self._confirm_continue = False

    def _after_finish(self, index: int) -> None:
        quiz = self.quizzes[index]
        if not quiz.finished or index in self.done:
            return
        for card in quiz.cards:
            assert card.result is not None  # Quiz.finish scores every card
            self.results[card.item.id] = card.result
        self._stage_done(index)

    def continue_case(self) -> None:
        """Practice mode: leave the current stage for the next (or end the case)."""
        index = len(self.quizzes) - 1
        if self.mode != "practice" and index not in self.done:
            return
        if self.mode == "practice" and index not in self.done:
            unchecked = sum(1 for c in self.quizzes[index].cards if not c.attempts)
            if unchecked and not self._confirm_continue:
                self._confirm_continue = True
                self.status.say(
                    f"{unchecked} item{'s' if unchecked != 1 else ''} of this stage "
                    f"{'is' if unchecked == 1 else 'are'} not checked yet and will not count "
                    "in your summary. Check them, or press the button again to go on."
                )
                return
            self._stage_done(index)
            return
        self._next_stage()

    def _stage_done(self, index: int) -> None:
        self.done.add(index)
        last = index == len(self.stages) - 1
        self._show_summary(final=last)
        if last:
            self.nav.children = []
            self.status.say(
                "End of the case. Your summary by clinical-judgment step follows, with what "
                "to reread."
            )
        elif self.mode == "test":
            self.next_button.description = f"Continue to {self._stage_title(index + 1).lower()}"
            self.nav.children = [self.next_button]
            self.status.say(
                f"Stage {index + 1} finished. Your summary so far follows; continue when ready."
            )
        else:
            self._next_stage()

    def _next_stage(self) -> None:
        index = len(self.quizzes)
        if index >= len(self.stages):
            return
        self._confirm_continue = False
        self._open_stage(index)
        self.status.say(
            f"{self._stage_title(index)} begins below. Read the chart above its first item."
        )

    def _show_summary(self, *, final: bool) -> None:
        scored = [(self.case_items[i], s) for i, s in self.results.items()]
        rows = step_summary(scored)
        if final:
            heading = "End of the case: your summary by clinical-judgment step"
        else:
            finished = len(self.done)
            heading = (
                f"Your case so far ({finished} of {len(self.stages)} stages), by "
                "clinical-judgment step"
            )
        basis = (
            "Scored by the NCSBN rules on your submitted answers (an item not submitted scores 0)."
            if self.mode == "test"
            else "Scored by the NCSBN rules on your first check of each item."
        )
        self.summary.value = summary_html(rows, heading=heading, basis=basis)


def case_study(case: str, bank: str = "case_study", mode: Mode = "practice") -> w.Widget:
    """The unfolding case `case` of a bank (`case_study("adult")`), starting in `mode`;
    the student can switch to the other mode on the page. A bank that cannot be loaded
    shows what is wrong instead of a traceback."""
    from allcourse.quiz.bank import bank as load

    try:
        loaded = load(bank)
        found = stages(loaded, case)
    except ContentError as exc:
        return QuizError(bank, [str(p) for p in exc.problems] or [str(exc)])
    except (FileNotFoundError, KeyError) as exc:
        return QuizError(bank, [str(exc).strip("'\"")])
    return CaseRunner(bank, case, found, mode)
