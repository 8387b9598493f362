"""The review module's final self-check as the class tests work: the attempt in progress
kept in the progress store (its items and submitted answers), merged across tabs,
cleared by a reset, read back after a reload, damaged records set aside; a finished
attempt shown with its results and retaken with items drawn fresh. No browser: the
storage widget is driven with the messages its script would send."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from allcourse.app import progress as P
from allcourse.app import review as RV
from allcourse.app import review_view, storage_widget
from allcourse.quiz import events
from allcourse.quiz import models as m
from allcourse.quiz.scoring import key_response

NAME = review_view.FINAL_TEST
T0 = "2026-03-01T10:00:00+00:00"
T1 = "2026-03-01T10:05:00+00:00"
T2 = "2026-03-01T10:09:00+00:00"
ITEMS = [("blood", "blood-a"), ("blood", "blood-b"), ("blood", "blood-c")]


def _items(prefix: str, objectives: list[str]) -> list[m.SingleChoice]:
    return [
        m.SingleChoice(
            id=f"{prefix}-{i}", type="single", stem="?", objective=o,
            options=[{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}],
        )
        for i, o in enumerate(objectives)
    ]  # fmt: skip


# --- the draw ------------------------------------------------------------------------------


def test_a_retake_takes_items_not_asked_before_then_the_least_asked():
    one = _items("one", ["x.1", "x.1", "x.1", "x.2"])
    two = _items("two", ["y.1", "y.2", "y.3"])
    modules = [("one", "one", one), ("two", "two", two)]
    first = [it.id for _, it in RV.final_selection(modules, size=4)]
    assert first == ["one-0", "one-3", "two-0", "two-1"]  # objectives covered first
    assert [it.id for _, it in RV.final_selection(modules, size=4)] == first  # stable
    second = [it.id for _, it in RV.final_selection(modules, size=4, earlier=[first])]
    assert second == ["one-1", "one-2", "two-2", "two-0"]  # fresh first; two had 1 fresh
    third = RV.final_selection(modules, size=4, earlier=[first, second])
    # Nothing fresh is left: the least asked, longest ago, first (two-0 was asked twice),
    # still one objective at a time.
    assert [it.id for _, it in third] == ["one-0", "one-3", "two-1", "two-2"]


# --- the attempt in the progress store (pure) ------------------------------------------------


def test_an_attempt_is_written_on_its_first_submit_and_keeps_each_answer_once():
    p = P.empty()
    assert P.attempts_at(p, NAME) == []
    p = P.submit_test_answer(p, NAME, 1, ITEMS, "blood-b", "x", T0)
    (a,) = P.attempts_at(p, NAME)
    assert a.number == 1 and a.items == ITEMS and a.started == T0 and a.in_progress
    assert a.submitted["blood-b"].response == "x"
    with pytest.raises(P.SelfTestError, match="already submitted"):
        P.submit_test_answer(p, NAME, 1, ITEMS, "blood-b", "y", T1)
    with pytest.raises(P.SelfTestError, match="not part of your attempt"):
        P.submit_test_answer(p, NAME, 1, ITEMS, "other", "y", T1)
    with pytest.raises(P.SelfTestError, match="other questions"):
        P.submit_test_answer(p, NAME, 1, ITEMS[:2], "blood-a", "y", T1)
    done = P.finish_test(p, NAME, 1, ITEMS, T1)
    assert P.finish_test(done, NAME, 1, ITEMS, T2) == done  # the first finish stays
    assert P.attempts_at(done, NAME)[0].finished == T1
    with pytest.raises(P.SelfTestError, match="finished"):
        P.submit_test_answer(done, NAME, 1, ITEMS, "blood-a", "y", T2)
    # An attempt finished with nothing submitted is on record too (it shows as finished).
    empty = P.finish_test(P.empty(), NAME, 1, ITEMS, T1)
    assert P.attempts_at(empty, NAME)[0].submitted == {}


def test_attempts_round_trip_and_a_damaged_test_record_loses_nothing_else():
    p = P.submit_test_answer(P.empty(), NAME, 1, ITEMS, "blood-a", {"r1": "c"}, T0)
    parsed = P.parse(P.dumps(p))
    assert parsed.complete and parsed.progress.tests == p.tests
    data = json.loads(P.dumps(p))
    data["milestones"] = {"tour.finished": T0}
    for bad in ("garbage", [{"number": 1, "items": [], "started": T0}], [{"number": 1}]):
        data["tests"] = {NAME: bad}
        parsed = P.parse(json.dumps(data))
        assert parsed.problems == [parsed.problems[0]]
        assert f"the record of the test {NAME} is damaged" in parsed.problems[0]
        assert parsed.damaged == {f"tests.{NAME}": bad}  # kept aside by the storage widget
        assert parsed.progress.tests == {} and parsed.progress.milestones == {"tour.finished": T0}
    data["tests"] = "garbage"
    assert P.parse(json.dumps(data)).problems == ["the record of your self-check tests is damaged"]


def test_two_tabs_merge_an_attempt_and_agree():
    base = P.submit_test_answer(P.empty(), NAME, 1, ITEMS, "blood-a", "a", T0)
    tab1 = P.submit_test_answer(base, NAME, 1, ITEMS, "blood-b", "b", T1)
    tab2 = P.finish_test(P.submit_test_answer(base, NAME, 1, ITEMS, "blood-c", "c", T1), NAME, 1,
                         ITEMS, T2)  # fmt: skip
    one, two = P.merge(tab1, tab2), P.merge(tab2, tab1)
    assert one.tests == two.tests
    (a,) = P.attempts_at(one, NAME)
    assert set(a.submitted) == {"blood-a", "blood-b", "blood-c"} and a.finished == T2
    # The same attempt drawn with other items in another tab: the one started first wins.
    other = P.submit_test_answer(P.empty(), NAME, 1, ITEMS[:2], "blood-a", "z", T1)
    assert P.merge(base, other).tests == P.merge(other, base).tests == base.tests
    # A retake in one tab is kept beside the first attempt of the other.
    retake = P.submit_test_answer(P.finish_test(base, NAME, 1, ITEMS, T1), NAME, 2, ITEMS,
                                  "blood-c", "c", T2)  # fmt: skip
    assert [a.number for a in P.attempts_at(P.merge(base, retake), NAME)] == [1, 2]


def test_a_reset_elsewhere_clears_attempts_started_before_it():
    p = P.submit_test_answer(P.empty(), NAME, 1, ITEMS, "blood-a", "a", T0)
    p = P.submit_test_answer(P.finish_test(p, NAME, 1, ITEMS, T0), NAME, 2, ITEMS, "blood-a",
                             "a", T2)  # fmt: skip
    assert [a.number for a in P.attempts_at(P.since(p, T1), NAME)] == [2]
    assert P.since(p, T2).tests == {}


# --- the page, driven without a browser ------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def open_review_page(monkeypatch, saved: str | None):
    """A newly opened review page (fresh kernel) whose browser holds `saved`."""
    monkeypatch.setattr(events, "_seed", None)
    monkeypatch.setattr(events, "_seed_listeners", [])
    monkeypatch.setattr(events, "_listeners", [])
    monkeypatch.setattr(P, "_store", None)
    monkeypatch.setattr(storage_widget, "_widget", None)
    monkeypatch.setattr(storage_widget, "display", lambda *a, **k: None)
    store = storage_widget.ensure_storage()
    widget = storage_widget.storage_widget()
    sent: list[dict] = []
    monkeypatch.setattr(widget, "send", lambda content, *a, **k: sent.append(content))
    view = review_view.FinalCheck(store, clock=Clock())
    assert view.quiz is None and "Reading your saved progress" in view.message.value
    widget._on_message(widget, {"type": "loaded", "saved": saved, "seed": 3, "available": True}, [])
    return store, widget, view, sent


def written(sent: list[dict]) -> str:
    """What the page last wrote to the browser's storage."""
    return [c["value"] for c in sent if c["type"] == "write"][-1]


def submit_key(card) -> None:
    card.renderer.restore(key_response(card.item))  # as the student's clicks would
    card.submit_button.click()


def stems(view) -> list[str]:
    return [c.item.id for c in view.quiz.cards]


def test_an_attempt_survives_a_reload_then_finishes_and_is_retaken_fresh(monkeypatch):
    store, _, view, sent = open_review_page(monkeypatch, None)
    first_ids = stems(view)
    assert len(first_ids) == RV.FINAL_SIZE
    assert P.attempts_at(store.progress, NAME) == []  # only looking writes no attempt
    for card in view.quiz.cards[:2]:
        submit_key(card)
    saved = written(sent)

    store, _, view, sent = open_review_page(monkeypatch, saved)  # reload
    assert stems(view) == first_ids  # the same items, in the same order
    done = [c for c in view.quiz.cards if c.submitted]
    assert [c.item.id for c in done] == first_ids[:2]
    assert all(c.submit_button.disabled and c.result.correct for c in done)
    assert done[0].renderer.response() == key_response(done[0].item)  # shown again
    assert "Submitted 2 of 15" in view.quiz.progress.value
    assert "goes on where you left it: 2 answers were already submitted" in view.message.value
    submit_key(view.quiz.cards[2])
    view.quiz.finish_button.click()
    view.quiz.finish_button.click()  # confirmed: the others are not submitted
    assert P.milestone_name("review") in store.progress.milestones
    assert view.buttons.children == (view.retake,)
    saved = written(sent)

    store, _, view, sent = open_review_page(monkeypatch, saved)  # reload after finishing
    assert view.quiz.finished and stems(view) == first_ids
    assert "You finished attempt 1 of the final self-check on 1 March 2026" in view.message.value
    assert "Test finished. You submitted 3 of 15" in view.quiz.progress.value
    assert view.quiz.results is not None and "allcourse-summary" in view.quiz.results.value
    assert view.buttons.children == (view.retake,)
    assert len(P.attempts_at(store.progress, NAME)) == 1  # showing it again wrote nothing

    view.retake.click()
    assert not view.quiz.finished and view.number == 2
    assert "(attempt 2)" in view.quiz.header.value
    fresh = set(stems(view)) - set(first_ids)
    assert len(fresh) >= RV.FINAL_SIZE // 2  # the banks have enough for a mostly new mix
    submit_key(view.quiz.cards[0])
    assert [a.number for a in P.attempts_at(store.progress, NAME)] == [1, 2]


def test_finishing_empty_does_not_complete_review_but_shows_as_finished(monkeypatch):
    store, _, view, sent = open_review_page(monkeypatch, None)
    view.quiz.finish_button.click()
    assert "not submitted any answer" in view.quiz.status.message
    view.quiz.finish_button.click()
    assert view.quiz.finished
    assert P.milestone_name("review") not in store.progress.milestones
    _, _, view, _ = open_review_page(monkeypatch, written(sent))
    assert view.quiz.finished and "Test finished. You submitted 0 of 15" in view.quiz.progress.value


def test_damaged_saved_attempts_start_fresh_and_keep_the_other_progress(monkeypatch):
    store, _, view, sent = open_review_page(monkeypatch, None)
    submit_key(view.quiz.cards[0])
    data = json.loads(written(sent))
    answered = set(data["items"])
    data["tests"][NAME][0]["items"] = "not a list"
    store, widget, view, sent = open_review_page(monkeypatch, json.dumps(data))
    assert set(store.progress.items) == answered  # the other answers are kept
    assert "could not be read" in widget.notice
    assert sent[0] == {"type": "set_aside", "value": json.dumps(data), "slot": "damaged"}
    assert view.number == 1 and not any(c.submitted for c in view.quiz.cards)


def test_a_saved_answer_that_no_longer_fits_counts_as_not_answered(monkeypatch):
    store, _, view, sent = open_review_page(monkeypatch, None)
    for card in view.quiz.cards[:2]:
        submit_key(card)
    data = json.loads(written(sent))
    first = view.quiz.cards[0].item.id
    data["tests"][NAME][0]["submitted"][first]["response"] = {"nonsense": [1, 2]}
    gone = view.quiz.cards[1].item.id
    data["tests"][NAME][0]["items"].append(["blood", "no-longer-in-the-course"])
    _, _, view, _ = open_review_page(monkeypatch, json.dumps(data))
    cards = {c.item.id: c for c in view.quiz.cards}
    assert cards[first].submitted and cards[first].result.points == 0
    assert cards[gone].submitted and cards[gone].result.correct
    assert len(view.quiz.cards) == RV.FINAL_SIZE  # the missing question is left out
    assert "1 question is no longer in the course" in view.message.value
    assert "1 saved answer could not be read back" in view.message.value


def test_a_submit_after_another_tab_finished_the_attempt_is_refused(monkeypatch):
    store, widget, view, sent = open_review_page(monkeypatch, None)
    submit_key(view.quiz.cards[0])
    other = P.finish_test(store.progress, NAME, 1, view.items, T2)
    widget._on_message(widget, {"type": "external", "value": P.dumps(other)}, [])
    card = view.quiz.cards[1]
    submit_key(card)
    assert not card.submitted
    assert "finished (perhaps in another tab)" in card.status.message
