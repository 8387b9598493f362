"""Module 06's case runner without a browser: stages open one at a time, test mode
summarises after each stage by clinical-judgment step with reread links, practice mode
counts the first check of each item, switching mode asks first, a bad case name shows a
message. Answers go in through the card's response (the renderer's own widgets are
tested in tests/quiz/test_render.py)."""

from __future__ import annotations

import html
import re

import pytest
from leak_check import secrets, states_json

from allcourse.app.case_study_view import CaseRunner, case_study, summary_html
from allcourse.course.markup import plain
from allcourse.quiz import events
from allcourse.quiz import models as m
from allcourse.quiz.case_summary import step_summary
from allcourse.quiz.scoring import Score, key_response
from allcourse.quiz.session import ItemCard, QuizError


@pytest.fixture(autouse=True)
def fresh_events(monkeypatch):
    monkeypatch.setattr(events, "_seed", None)
    monkeypatch.setattr(events, "_seed_listeners", [])
    monkeypatch.setattr(events, "_listeners", [])


def give(card: ItemCard, response) -> None:
    card.renderer.response = lambda: response  # what the student's widgets would hold


def wrong(item: m.ItemBase):
    """A scorable answer worth less than full marks."""
    if isinstance(item, m.SingleChoice):
        return next(o.id for o in item.options if not o.correct)
    if isinstance(item, m.Numeric):
        return "1"
    raise AssertionError(f"no wrong answer helper for {item.type}")


def text(widget) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", widget.value))


def test_test_mode_stage_one_then_summary_by_step_then_stage_two():
    runner = case_study("adult", mode="test")
    assert isinstance(runner, CaseRunner) and repr(runner).endswith("test mode>")
    assert len(runner.quizzes) == 1, "later stages stay hidden until this one is done"
    quiz = runner.quizzes[0]
    evaluate = quiz.cards[-1]
    for card in quiz.cards:
        answer = wrong(card.item) if card is evaluate else key_response(card.item)
        give(card, answer)
        assert card.submit() is not None
    quiz.finish_button.click()
    assert quiz.finished
    summary = text(runner.summary)
    assert "Your case so far (1 of 3 stages), by clinical-judgment step" in summary
    for label in m.CJMM_LABELS.values():
        assert label in summary
    assert "Full marks: nothing to reread." in summary
    # The missed evaluate-outcomes item points to what teaches it, in a new tab.
    assert 'href="05_nursing_care.ipynb" target="_blank"' in runner.summary.value
    assert runner.nav.children == (runner.next_button,)
    assert "stage 2 of 3" in runner.next_button.description
    runner.next_button.click()
    assert len(runner.quizzes) == 2 and runner.quizzes[1].cards[0].item.id == "cs-adult-2-cues"


def test_finish_declined_with_unsubmitted_items_shows_no_summary():
    runner = case_study("child", mode="test")
    quiz = runner.quizzes[0]
    quiz.finish_button.click()  # first press only warns: 6 items not submitted
    assert not quiz.finished and runner.summary.value == ""
    quiz.finish_button.click()
    assert quiz.finished
    assert "End of the case" in text(runner.summary) and "Total: 0 of" in text(runner.summary)


def test_practice_counts_the_first_check_not_the_retry():
    runner = case_study("child")
    first = runner.quizzes[0].cards[2]  # prioritize hypotheses, multiple choice
    give(first, wrong(first.item))
    first.check_answer()
    first.reset()
    give(first, key_response(first.item))
    first.check_answer()
    assert runner.results["cs-child-priority"].points == 0
    runner.next_button.click()  # five items unchecked: asks first
    assert runner.summary.value == ""
    runner.next_button.click()
    summary = text(runner.summary)
    assert "End of the case" in summary and "first check" in summary
    assert "Prioritize hypotheses" in summary and "Recognize cues" not in summary


def test_switching_mode_asks_before_clearing_answers():
    runner = case_study("child")
    card = runner.quizzes[0].cards[0]
    give(card, key_response(card.item))
    card.check_answer()
    runner.test_button.click()
    assert runner.mode == "practice", "the first press only warns"
    runner.test_button.click()
    assert runner.mode == "test" and runner.results == {}
    assert not runner.quizzes[0].cards[0].attempts


def test_a_case_that_does_not_exist_is_a_message_not_a_traceback():
    shown = case_study("nobody")
    assert isinstance(shown, QuizError)
    assert "no case 'nobody' in this bank; cases: adult, child" in html.unescape(shown.value)


STEPS = "The-six-clinical-judgment-steps"


def test_summary_links_on_this_page_stay_on_it():
    ci = m.CaseItem.model_validate(
        {
            "item": {
                "id": "x",
                "type": "single",
                "step": "analyze_cues",
                "stem": "?",
                "options": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}],
            },
            "reread": [{"text": "Steps", "href": f"06_case_study.ipynb#{STEPS}"}],
        }
    )
    page = summary_html(step_summary([(ci, Score(0, 1))]), heading="H", basis="B.")
    assert f'<a href="#{STEPS}">Steps</a>' in page
    assert "target=" not in page


@pytest.mark.parametrize("mode", ["practice", "test"])
def test_no_rationale_or_explanation_reaches_the_browser_before_answering(mode):
    runner = case_study("adult", mode=mode)
    visible = plain(states_json(runner))
    for ci in runner.stages[0].items:
        for secret in secrets(ci.item):
            assert secret not in visible, f"{ci.item.id}: {secret[:60]!r} leaked"
    assert runner.summary.value == ""
