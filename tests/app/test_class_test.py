"""Class tests: the YAML definition and its checks, the draw (fresh items on a retake),
the server's ledger (the deadline cannot be reset; a late submit is refused), and the
page on a clock we control: start, reload mid-test, time up, retake, results file."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from allcourse import analytics as A
from allcourse.app import class_test_page as page
from allcourse.app import progress as P
from allcourse.app.attempt_ledger import Ledger, LedgerError, Submission
from allcourse.course.content import ContentError
from allcourse.quiz.bank import bank
from allcourse.quiz.class_test import ClassTest, draw, load_class_test, pools
from allcourse.quiz.scoring import key_response, score

START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def make_test(**changes) -> ClassTest:
    data = {
        "id": "week3",
        "title": "Week 3 check",
        "open": True,
        "time_limit_minutes": 10,
        "attempts": 2,
        "pools": [{"bank": "tour", "draw": 2}, {"bank": "blood", "draw": 3}],
    }
    return ClassTest.model_validate({**data, **changes})


# --- the definition ----------------------------------------------------------------------


def test_the_sample_test_loads_and_its_pools_are_valid():
    test = load_class_test("sample_check")
    assert test.id == "sample_check" and test.time_limit_minutes == 10
    (pool,) = pools(test, bank)
    assert [it.id for _, it in pool] == test.pools[0].items
    assert len(draw(test, [pool], "ana:1")) == 3


def test_pool_problems_name_the_pool_and_field():
    bad = make_test(
        pools=[
            {"bank": "tour", "draw": 500},
            {"bank": "blood", "items": ["no-such-item"]},
            {"bank": "nowhere"},
        ]
    )
    with pytest.raises(ContentError) as err:
        pools(bad, bank)
    lines = [f"{p.item}: {p.field}: {p.message}" for p in err.value.problems]
    assert lines == [
        f"pools.0: draw: draws 500 items from a pool of {len(bank('tour').items)}",
        "pools.1: items: 'no-such-item' is not a stand-alone item of blood.yml",
        "pools.2: bank: bank 'nowhere' not found",
    ]
    with pytest.raises(ValueError, match="needs a closing time"):
        make_test(show_answers="after_close")
    with pytest.raises(ValueError, match="give a time zone"):
        make_test(opens="2026-03-10T09:00:00")


def test_open_window_and_when_answers_are_shown():
    test = make_test(open=False, opens=START, closes=START + timedelta(hours=2))
    assert test.is_open(START - timedelta(minutes=1))[0] is False
    assert "opens on 10 March 2026" in test.is_open(START - timedelta(minutes=1))[1]
    assert test.is_open(START)[0] and not test.is_open(START + timedelta(hours=2))[0]
    assert not make_test(open=False).is_open(START)[0]
    later = make_test(closes=START + timedelta(hours=1), show_answers="after_close")
    assert not later.answers_shown(START) and later.answers_shown(START + timedelta(hours=1))


def test_a_retake_draws_fresh_items_where_the_pool_allows():
    test = make_test(pools=[{"bank": "blood", "draw": 3}])
    drawn = pools(test, bank)
    first = {it.id for _, it in draw(test, drawn, "ana:1")}
    again = {it.id for _, it in draw(test, drawn, "ana:1")}
    assert first == again and len(first) == 3  # the same seed draws the same items
    second = {it.id for _, it in draw(test, drawn, "ana:2", seen=first)}
    assert not first & second  # 26 items in the pool: all three are new
    small = make_test(pools=[{"bank": "blood", "items": [i for i in first], "draw": 2}])
    retake = draw(small, pools(small, bank), "ana:2", seen={sorted(first)[0]})
    assert sorted(first)[0] not in {it.id for _, it in retake}  # the one seen item stays out


# --- the ledger -------------------------------------------------------------------------


def test_the_deadline_is_kept_on_the_server_and_a_late_submit_is_refused(tmp_path):
    clock = Clock()
    ledger = Ledger(tmp_path, clock)
    a = ledger.start("week3", "Ana Silva", [("blood", "x1"), ("blood", "x2")], 600, 1)
    assert a.deadline == "2026-03-10T09:10:00+00:00"
    clock.advance(minutes=5)
    # A reload, a new kernel, the name typed differently: the same attempt and deadline.
    again = Ledger(tmp_path, clock).record("week3", "  ana   SILVA ").current
    assert again is not None and again.deadline == a.deadline and again.seconds_left(clock()) == 300
    with pytest.raises(LedgerError, match="already have an attempt"):
        ledger.start("week3", "ana silva", [("blood", "x1")], 600, 1)
    ledger.submit("week3", "Ana Silva", 1, Submission("x1", "blood", "a", 1, 1, ""))
    with pytest.raises(LedgerError, match="already submitted"):
        ledger.submit("week3", "Ana Silva", 1, Submission("x1", "blood", "b", 0, 1, ""))
    clock.advance(minutes=6)  # past the deadline and the few seconds of grace
    with pytest.raises(LedgerError, match="Time is up"):
        ledger.submit("week3", "Ana Silva", 1, Submission("x2", "blood", "a", 1, 1, ""))
    rec = ledger.record("week3", "Ana Silva")
    (done,) = rec.attempts
    assert done.timed_out and done.finished == a.deadline and list(done.submitted) == ["x1"]
    with pytest.raises(LedgerError, match="used all 1 attempt"):
        ledger.start("week3", "Ana Silva", [("blood", "x1")], 600, 1)


# --- the page, on a clock we control -------------------------------------------------------


def answer(quiz, n: int) -> None:
    """Submit the key to the first `n` cards not yet submitted."""
    for card in [c for c in quiz.cards if not c.submitted][:n]:
        card.renderer.set_response(key_response(card.item))  # as if answered on the page
        assert card.submit() is not None


def test_a_reload_mid_test_resumes_the_attempt_and_time_up_finishes_it(tmp_path):
    clock = Clock()
    ledger = Ledger(tmp_path, clock)
    test = make_test()
    first = page.ClassTestPage(test, ledger=ledger, clock=clock, timers=False)
    first.name.value = "Ana Silva"
    first.start()
    drawn = [c.item.id for c in first.quiz.cards]
    assert len(drawn) == 5 and "Time left: <strong>10:00</strong>" in first.clock_line.value
    answer(first.quiz, 2)
    clock.advance(minutes=4)

    # Reload: a new kernel, a new page; the student types the name again.
    second = page.ClassTestPage(test, ledger=Ledger(tmp_path, clock), clock=clock, timers=False)
    second.name.value = "ana silva"
    second.start()
    assert [c.item.id for c in second.quiz.cards] == drawn  # the same questions
    assert [c.submitted for c in second.quiz.cards] == [True, True, False, False, False]
    assert "Submitted 2 of 5" in second.quiz.progress.value
    assert "Time left: <strong>6:00</strong>" in second.clock_line.value  # not reset
    assert "goes on where you left it: 2 answers" in second.status.message

    clock.advance(minutes=7)  # the time limit has passed
    card = next(c for c in second.quiz.cards if not c.submitted)
    card.response = lambda: key_response(card.item)
    assert card.submit() is None and "Time is up" in card.status.message
    assert second.quiz.finished and not card.submitted
    files = list(ledger.results_folder("week3").glob("*.json"))
    assert len(files) == 1
    assert re.fullmatch(r"allcourse-results-ana-silva-\d{6}-attempt-1\.json", files[0].name)
    data = json.loads(files[0].read_text())
    assert data["test"]["id"] == "week3" and data["test"]["timed_out"] is True
    assert len(data["items"]) == 5
    assert sum(i["first"]["points"] for i in data["items"].values()) == sum(
        score(c.item, key_response(c.item)).points for c in second.quiz.cards[:2]
    )
    # A retake is offered (2 attempts allowed), with fresh items.
    retake = next(
        b for box in second.body.children if hasattr(box, "children")
        for b in box.children if getattr(b, "description", "") == "Retake test"
    )  # fmt: skip
    retake.click()
    assert second.attempt.number == 2 and second.quiz is not None
    fresh = {c.item.id for c in second.quiz.cards}
    assert not fresh & set(drawn)


def test_finish_with_nothing_submitted_asks_first_and_results_reach_the_dashboard(tmp_path):
    clock = Clock()
    ledger = Ledger(tmp_path, clock)
    test = make_test(attempts=1, show_answers="never")
    p = page.ClassTestPage(test, ledger=ledger, clock=clock, timers=False)
    p.name.value = "Ben"
    p.start()
    assert p.quiz.finish() is None and not p.quiz.finished
    assert "not submitted any answer yet" in p.quiz.status.message
    answer(p.quiz, 5)
    assert p.quiz.finish() is not None  # everything submitted: no question asked
    # Answers are kept back for this test: no key in any card after finishing.
    assert all(c.key is None and c.feedback is None for c in p.quiz.cards)
    assert not p.quiz.cards[0].status.message  # "results come when you finish" is gone
    results = A.load_folder(ledger.results_folder("week3"), P.catalogue())
    assert results.test_info["week3"]["title"] == "Week 3 check"
    rows = results.answers
    assert set(rows["test_id"]) == {"week3"} and rows["fraction"].eq(1.0).all()
    assert results.students == {}  # a test file is not mixed into practice results
    # A reload after the end: no attempt left, the score is shown.
    again = page.ClassTestPage(test, ledger=Ledger(tmp_path, clock), clock=clock, timers=False)
    again.name.value = "Ben"
    again.start()
    assert again.quiz is None and "used every attempt" in again.status.message


def test_the_example_in_the_instructor_guide_is_a_valid_test():
    guide = (Path(__file__).resolve().parents[2] / "instructor" / "README.md").read_text()
    example = guide.split("## Class tests", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    test = ClassTest.model_validate({**yaml.safe_load(example), "id": "week3"})
    assert [len(p) for p in pools(test, bank)] == [len(bank("blood").items), 2]
    assert len(draw(test, pools(test, bank), "ana:1")) == 4


def test_collecting_finishes_attempts_left_open_when_the_time_ran_out(tmp_path):
    clock = Clock()
    ledger = Ledger(tmp_path, clock)
    test = make_test(attempts=1)
    p = page.ClassTestPage(test, ledger=ledger, clock=clock, timers=False)
    p.name.value = "Cy"
    p.start()
    answer(p.quiz, 1)  # then the student closes the page and never comes back
    folder, written, running = page.collect(test, ledger)
    assert (written, running) == (0, 1)  # still within the time limit
    clock.advance(minutes=11)
    folder, written, running = page.collect(test, ledger)
    assert (written, running) == (1, 0)
    (path,) = folder.glob("*.json")
    data = json.loads(path.read_text())
    assert data["test"]["timed_out"] and data["student"] == "Cy"
    assert sum(1 for rec in data["items"].values() if rec["first"]["response"] is not None) == 1


def test_an_attempt_ends_when_the_test_closes(tmp_path):
    clock = Clock()
    test = make_test(closes=START + timedelta(minutes=4))  # 10-minute limit, 4 minutes left
    p = page.ClassTestPage(test, ledger=Ledger(tmp_path, clock), clock=clock, timers=False)
    p.name.value = "Di"
    p.start()
    assert p.attempt.deadline == "2026-03-10T09:04:00+00:00"
    assert "Time left: <strong>4:00</strong>" in p.clock_line.value


def test_not_you_leaves_the_other_attempt_running_and_starts_afresh(tmp_path):
    clock = Clock()
    ledger = Ledger(tmp_path, clock)
    p = page.ClassTestPage(make_test(), ledger=ledger, clock=clock, timers=False)
    p.name.value = "Eve"
    p.start()
    p.switch_student()
    assert p.quiz is None and p.name.value == "" and "Start test" in repr(p._start_box.children)
    p.name.value = "Fay"
    p.start()
    assert p.student == "Fay" and p.attempt.number == 1
    assert ledger.record("week3", "Eve").current is not None  # Eve's attempt is untouched
