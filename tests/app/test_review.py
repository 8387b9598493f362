"""Spaced retrieval: score -> rating, the FSRS schedule, what comes back and in what
order, the final self-check's mix, and the review page's widgets driven without a browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from allcourse.app import progress as P
from allcourse.app import review as RV
from allcourse.app import review_view, storage_widget
from allcourse.quiz import events
from allcourse.quiz import models as m
from allcourse.quiz.bank import bank
from allcourse.quiz.events import Attempt
from allcourse.quiz.scoring import key_response, score

CAT = P.catalogue()
BLOOD = bank("blood")
A, B, C = BLOOD.items[:3]
T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def attempt(item, when: datetime, right: bool = True) -> Attempt:
    response = key_response(item) if right else None
    s = score(item, response)
    return Attempt(
        item.id, "blood", response, s.points, s.max_points, "practice", 1, 9.0,
        when.isoformat(timespec="seconds"),
    )  # fmt: skip


def build(*attempts: Attempt) -> P.Progress:
    p = P.empty(CAT.course_version)
    for a in attempts:
        p = P.record(p, a)
    return p


@pytest.mark.parametrize(
    ("fraction", "rating"),
    [
        (0.0, Rating.Again),
        (0.49, Rating.Again),
        (0.5, Rating.Hard),
        (0.79, Rating.Hard),
        (0.8, Rating.Good),
        (0.99, Rating.Good),
        (1.0, Rating.Easy),
    ],
)
def test_score_fraction_maps_to_a_rating(fraction, rating):
    assert RV.rating_for(fraction) == rating


def test_a_miss_comes_back_sooner_than_a_right_answer_and_intervals_grow():
    missed = RV.card_after(None, A.id, 0.0, T0)
    right = RV.card_after(None, A.id, 1.0, T0)
    assert RV.parse_time(missed["due"]) - T0 < timedelta(hours=1)
    assert RV.parse_time(right["due"]) - T0 > timedelta(days=1)
    again = RV.card_after(right, A.id, 1.0, RV.parse_time(right["due"]))
    first_gap = RV.parse_time(right["due"]) - T0
    second_gap = RV.parse_time(again["due"]) - RV.parse_time(right["due"])
    assert second_gap > first_gap
    # Same answers, same schedule (no fuzzing, no clock): merges and tests rely on it.
    assert RV.card_after(None, A.id, 1.0, T0) == right
    assert RV.replay(A.id, [(1.0, T0), (1.0, RV.parse_time(right["due"]))]) == again


def test_a_clock_that_goes_backwards_does_not_break_the_card():
    card = RV.card_after(None, A.id, 1.0, T0)
    later = RV.card_after(card, A.id, 0.0, T0 - timedelta(days=3))
    assert RV.parse_time(later["last_review"]) >= T0


def test_queue_brings_back_misses_first_then_what_is_due():
    p = build(
        attempt(A, T0, right=True),
        attempt(B, T0 + timedelta(minutes=1), right=False),
        attempt(C, T0 + timedelta(minutes=2), right=True),
    )
    available = CAT.standalone()
    soon = T0 + timedelta(hours=1)
    assert [e.item_id for e in RV.review_queue(p.items, available, soon)] == [B.id]
    due_a = RV.parse_time(p.items[A.id].card["due"])
    later = max(due_a, RV.parse_time(p.items[C.id].card["due"])) + timedelta(minutes=1)
    queue = RV.review_queue(p.items, available, later)
    assert [e.item_id for e in queue][0] == B.id and set(e.item_id for e in queue) == {
        A.id,
        B.id,
        C.id,
    }
    assert queue[0].reason == "You missed this last time."
    assert queue[1].reason == "You have not seen this for a while."
    assert len(RV.review_queue(p.items, available, later, limit=2)) == 2
    # Items that cannot be shown alone (or are no longer in the course) never come back here.
    assert RV.review_queue(p.items, {}, later) == []


def test_practise_ahead_offers_the_most_forgotten_first():
    p = build(attempt(A, T0), attempt(B, T0 + timedelta(days=5)))
    now = T0 + timedelta(days=6)
    ahead = RV.practise_ahead(p.items, CAT.standalone(), now)
    assert [e.item_id for e in ahead] == [A.id, B.id]
    assert ahead[0].recall < ahead[1].recall
    assert RV.next_due(p.items, CAT.standalone(), now) == RV.parse_time(p.items[A.id].card["due"])


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [(-5, "now"), (30, "in less than a minute"), (600, "in 10 minutes"), (3 * 86400, "in 3 days")],
)
def test_when_phrase(seconds, phrase):
    assert RV.when_phrase(T0 + timedelta(seconds=seconds), T0) == phrase


def _items(prefix: str, objectives: list[str]) -> list[m.SingleChoice]:
    return [
        m.SingleChoice(
            id=f"{prefix}-{i}", type="single", stem="?", objective=o,
            options=[{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}],
        )
        for i, o in enumerate(objectives)
    ]  # fmt: skip


def test_final_mix_shares_modules_and_covers_objectives_before_repeating():
    one = _items("one", ["x.1", "x.1", "x.1", "x.2", "x.3"])
    two = _items("two", ["y.1", "y.2"])
    tour = _items("tour", ["start.1"] * 4)
    chosen = RV.final_selection(
        [("start", "tour", tour), ("one", "one", one), ("two", "two", two)], size=6
    )
    ids = [it.id for _, it in chosen]
    assert ids == ["one-0", "one-3", "one-4", "two-0", "two-1"]  # 3 + 3 asked, two has 2
    assert RV.final_selection([("start", "tour", tour)], size=3) == [("tour", t) for t in tour[:3]]
    assert RV.final_selection([], size=3) == []


def test_the_real_final_check_has_a_full_mix():
    modules = [
        (mi.module.id, mi.bank, [it for it in mi.items if it.id in mi.standalone])
        for mi in CAT.modules
        if mi.bank
    ]
    chosen = RV.final_selection(modules)
    assert len(chosen) == RV.FINAL_SIZE
    assert "tour" not in {b for b, _ in chosen}
    skip = {"start", "tour"}
    assert len({b for b, _ in chosen}) == len([mo for mo in modules if mo[2] and mo[0] not in skip])


# --- the review page's widgets ---------------------------------------------------------


@pytest.fixture
def page(monkeypatch):
    """A fresh store and storage widget, as on a newly opened review page."""
    monkeypatch.setattr(events, "_seed", None)
    monkeypatch.setattr(events, "_seed_listeners", [])
    monkeypatch.setattr(events, "_listeners", [])
    monkeypatch.setattr(P, "_store", None)
    monkeypatch.setattr(storage_widget, "_widget", None)
    monkeypatch.setattr(storage_widget, "display", lambda *a, **k: None)
    store = storage_widget.ensure_storage()
    widget = storage_widget.storage_widget()
    monkeypatch.setattr(widget, "send", lambda *a, **k: None)
    return store, widget


def loaded(widget, saved: str | None) -> None:
    widget._on_message(widget, {"type": "loaded", "saved": saved, "seed": 3, "available": True}, [])


def test_review_with_nothing_saved_says_what_to_do_first(page):
    store, widget = page
    view = review_view.review_round()
    assert "Reading your saved progress" in view.message.value
    loaded(widget, None)
    assert "Nothing to review yet" in view.message.value
    assert 'href="01_blood_and_marrow.ipynb"' in view.message.value
    assert view.items.children == () and view.buttons.children == ()
    assert "appear here once you have answered" in review_view.score_report().report.value


def test_review_round_shows_missed_items_and_records_new_answers(page):
    store, widget = page
    view = review_view.review_round()
    now = datetime.now(UTC)
    loaded(widget, P.dumps(build(attempt(A, now - timedelta(minutes=30), right=False))))
    assert "This round: 1 question" in view.message.value
    why, card = view.items.children
    assert "You missed this last time" in why.value
    assert 'href="01_blood_and_marrow.ipynb"' in why.value
    card.renderer.group.radio.index = next(
        i for i, (_, v) in enumerate(card.renderer.group.radio.options) if v == key_response(A)
    )  # choose the right answer, as the browser would
    card.check_answer()
    assert store.progress.items[A.id].checks == 2
    assert store.progress.items[A.id].last.points == 1
    view.new_round.click()
    assert "Nothing is due for review right now" in view.message.value
    assert view.buttons.children == (view.ahead,)
    view.ahead.click()
    assert "Practising ahead: 1 question" in view.message.value


def test_score_report_links_modules_to_reread(page):
    store, widget = page
    report = review_view.score_report()
    loaded(widget, P.dumps(build(attempt(A, T0, right=False), attempt(B, T0))))
    html = report.report.value
    out_of = score(A, None).max_points + score(B, None).max_points
    got = score(B, key_response(B)).points
    assert f"Latest answers to 2 questions: {got:g} of {out_of:g} points" in html
    assert f"({got / out_of:.0%})" in html
    assert ("To reread" in html) == (got / out_of < review_view.REREAD_BELOW)
    assert '<a href="01_blood_and_marrow.ipynb">01 Blood and bone marrow</a>' in html
    assert "Score by clinical-judgment step" in html


def test_finishing_the_final_check_completes_the_review_module(page):
    store, widget = page
    loaded(widget, None)
    view = review_view.final_check()
    quiz = view.quiz
    assert repr(quiz) == f"<Quiz: {RV.FINAL_SIZE} items, test mode>"
    quiz.finish_button.click()  # first press only warns: nothing was submitted
    assert "not submitted any answer" in quiz.status.message
    assert P.milestone_name("review") not in store.progress.milestones
    card = quiz.cards[0]
    card.renderer.restore(key_response(card.item))
    card.submit_button.click()
    quiz.finish_button.click()  # warns again: the other items are not submitted
    quiz.finish_button.click()
    assert P.milestone_name("review") in store.progress.milestones
    assert "review" in P.summary(store.progress, CAT)["completed"]


def test_finishing_the_final_check_empty_does_not_complete_review(page):
    store, widget = page
    loaded(widget, None)
    quiz = review_view.final_check().quiz
    quiz.finish_button.click()
    quiz.finish_button.click()  # confirmed: finished, with nothing submitted
    assert quiz.finished
    assert P.milestone_name("review") not in store.progress.milestones
    assert "review" not in P.summary(store.progress, CAT)["completed"]
