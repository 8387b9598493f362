"""A bank's practice self-check shows one question at a time (issue 17, part 4): only
the current card is built, navigation builds and keeps cards, statuses follow checks
and saved answers, and the ends of the sequence say so."""

from __future__ import annotations

import pytest
from test_render import answer, fresh_events, item  # noqa: F401 - fixture

from allcourse.quiz import events, show_quiz
from allcourse.quiz.scoring import key_response, score
from allcourse.quiz.session import CaseStudyView, ItemCard, Quiz


@pytest.fixture
def saved_channel(monkeypatch):
    monkeypatch.setattr(events, "_saved", None)
    monkeypatch.setattr(events, "_saved_listeners", [])


def shown(quiz: Quiz):
    """The stop's widget on the page (after the header and the navigation bar)."""
    header, nav, view = quiz.children
    assert nav is quiz.nav
    return view


def labels(quiz: Quiz) -> list[str]:
    return list(quiz.nav.select._options_labels)


def test_only_the_first_question_is_built_at_first():
    quiz = show_quiz("tour")
    assert quiz.paged and len(quiz.cards) == 1
    assert quiz.cards[0].item.id == quiz.items[0][1].id
    assert shown(quiz) is quiz.cards[0]
    assert "Question 1 of 18" in quiz.nav.position.value
    assert len(labels(quiz)) == len(quiz.stops)
    assert labels(quiz)[0] == "Question 1: Not tried yet"
    assert labels(quiz)[-1].startswith("Questions 16-18: case study ")
    assert f'id="{quiz.anchor}"' in quiz.header.value  # "Skip to the self-check" lands here


def test_test_mode_and_chosen_items_still_build_every_card():
    assert len(show_quiz("tour", mode="test").cards) == 18
    its = [("tour", item("tour-philadelphia")), ("tour", item("tour-platelet-trend"))]
    assert len(show_quiz(items=its).cards) == 2
    with pytest.raises(ValueError, match="one question at a time"):
        Quiz("tour", "Tour", its, mode="test", paged=True)


def test_next_previous_and_go_to_build_cards_once_and_keep_them():
    quiz = show_quiz("tour")
    first = quiz.cards[0]
    answer(first, key_response(first.item))  # half done: chosen, not checked
    quiz.nav.next.click()
    assert quiz.stop == 1 and len(quiz.cards) == 2 and shown(quiz) is quiz.cards[1]
    assert quiz.nav.select.value == 1
    assert quiz.nav.status.message == "Question 2 of 18. Not tried yet."
    quiz.nav.select.value = 5  # "Go to question"
    assert quiz.stop == 5 and len(quiz.cards) == 3
    assert "Question 6 of 18" in shown(quiz).top.value
    quiz.nav.previous.click()
    quiz.go(0)
    assert shown(quiz) is first, "the same card, kept"
    assert first.response() == key_response(first.item), "the unchecked answer survives"
    assert len(quiz.cards) == 4


def test_moving_sends_the_focus_to_the_new_question(monkeypatch):
    quiz = show_quiz("tour")
    sent = []
    monkeypatch.setattr(quiz.nav.status, "send", sent.append)
    quiz.nav.next.click()
    assert sent == [{"do": "focus", "id": f"{quiz.anchor}-q2"}]
    assert f'id="{quiz.anchor}-q2" tabindex="-1"' in quiz.cards[1].top.value
    quiz.go(len(quiz.stops) - 1)
    assert sent[-1] == {"do": "focus", "id": f"{quiz.anchor}-case{len(quiz.stops)}"}
    case = shown(quiz)
    assert isinstance(case, CaseStudyView) and len(case.cards) == quiz.stops[-1].count == 3
    assert f'id="{quiz.anchor}-case{len(quiz.stops)}"' in case._intro.value


def test_the_ends_say_so_and_change_nothing():
    quiz = show_quiz("tour")
    quiz.nav.previous.click()
    assert quiz.stop == 0 and len(quiz.cards) == 1
    assert quiz.nav.status.message == "This is the first question. There is no previous one."
    quiz.go(len(quiz.stops) - 1)
    title = quiz.stops[-1].case.title
    assert quiz.nav.status.message == f"Questions 16-18: case study {title}. Not tried yet."
    built = len(quiz.cards)
    quiz.nav.next.click()
    assert quiz.stop == len(quiz.stops) - 1 and len(quiz.cards) == built
    # The last stop of this bank is a case study: Next question points to its own buttons.
    assert quiz.nav.status.message == (
        "This case study is the last part of the self-check: its Next item button goes "
        "through its questions. You have tried 0 of 18."
    )
    assert f"Questions 16-18: case study {title}" in quiz.nav.position.value
    assert "(of 18)" not in quiz.nav.position.value


def test_a_bank_ending_on_a_question_says_it_is_the_last_question():
    quiz = show_quiz("blood")
    assert quiz.stops[-1].case is None
    quiz.go(len(quiz.stops) - 1)
    quiz.nav.next.click()
    assert quiz.nav.status.message.startswith("This is the last question. You have tried 0 of ")


def test_status_follows_the_first_check(fresh_events):  # noqa: F811
    quiz = show_quiz("tour")
    quiz.go(2)
    card = quiz.cards[1]
    answer(card, key_response(card.item))
    card.check.click()
    assert labels(quiz)[2] == "Question 3: Right"
    assert "Status: Right" in quiz.nav.position.value
    assert labels(quiz)[0] == "Question 1: Not tried yet"
    card.try_again.click()  # later tries are practice: the status stays the first try's
    quiz.nav.next.click()
    assert labels(quiz)[2] == "Question 3: Right"


def _saved(it, response) -> events.SavedAnswer:
    result = score(it, response)
    return events.SavedAnswer(response, result.points, result.max_points, "2026-11-29T09:00:00")


def test_saved_answers_give_statuses_and_come_back_on_cards_built_later(saved_channel):
    quiz = show_quiz("tour")
    second, fourth = quiz.items[1][1], quiz.items[3][1]
    events.set_saved(
        {second.id: _saved(second, key_response(second)), fourth.id: _saved(fourth, None)}
    )
    assert labels(quiz)[1] == "Question 2: Right"
    assert labels(quiz)[3] == "Question 4: Not tried yet", "a saved answer that does not fit"
    assert len(quiz.cards) == 1, "statuses need no card"
    quiz.nav.next.click()
    card = quiz.cards[1]
    assert isinstance(card, ItemCard) and card.restored
    assert card.response() == key_response(second)
    assert "Status: Right" in card.top.value and "Status: Right" in quiz.nav.position.value


def test_a_quiz_made_after_the_saved_answers_arrived_shows_them(saved_channel):
    first = item("tour-philadelphia")
    events.set_saved({first.id: _saved(first, key_response(first))})
    quiz = show_quiz("tour")
    k = next(i for i, (_, it) in enumerate(quiz.items) if it.id == first.id)
    assert "Right" in labels(quiz)[k]
    quiz.go(k)
    assert quiz.cards[-1].restored if k else quiz.cards[0].restored


def test_case_stop_counts_tried_items(fresh_events):  # noqa: F811
    quiz = show_quiz("tour")
    last = len(quiz.stops) - 1
    quiz.go(last)
    case = shown(quiz)
    card = case.cards[0]
    answer(card, key_response(card.item))
    card.check.click()
    assert labels(quiz)[last].endswith(": 1 of 3 tried")
    assert case.cards[0] in quiz.cards


def test_go_to_question_keeps_the_focus_on_the_drop_down(monkeypatch):
    """Arrow keys move a closed drop-down one option at a time: taking the focus away
    after the first would stop the student there."""
    quiz = show_quiz("tour")
    sent = []
    monkeypatch.setattr(quiz.nav.status, "send", sent.append)
    quiz.nav.select.value = 3
    assert quiz.stop == 3 and sent == []
    assert quiz.nav.status.message == "Question 4 of 18. Not tried yet."
