"""The class-test page (notebooks/class_test.ipynb): `class_test()` shows the test named
in the address (`class_test.ipynb?test=ID`), or the list of tests.

The student types a name or student id and starts; items are drawn for this attempt,
the start time and each submitted answer are kept in the server's ledger
(`attempt_ledger`), and the time left is counted on the server. After a reload the page
finds the attempt again (the name is remembered in the browser, or typed again) and puts
the submitted answers back, with the original deadline. A finished attempt is written as
a results file marked with the test (`results/` beside the ledger) for the instructor's
dashboard, and, where the test allows more attempts, can be retaken with items drawn
fresh.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as w
from IPython.display import HTML, display

from allcourse.app import progress as P
from allcourse.app.attempt_ledger import (
    AttemptState,
    Ledger,
    LedgerError,
    StudentRecord,
    Submission,
    hash_key,
    student_key,
)
from allcourse.app.results_io import results_filename
from allcourse.course.content import ContentError
from allcourse.quiz import models as m
from allcourse.quiz.bank import bank as load_bank
from allcourse.quiz.class_test import ClassTest, class_test_ids, draw, load_class_test, pools
from allcourse.quiz.events import Attempt
from allcourse.quiz.render import feedback as fb
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.scoring import Score, score
from allcourse.quiz.session import ItemCard, Quiz

PAGE = "class_test.ipynb"


def _now() -> datetime:
    return datetime.now(UTC)


def _clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


# --- the results file of a finished attempt ------------------------------------------------


def attempt_progress(
    test: ClassTest, student: str, attempt: AttemptState, items: dict[str, m.ItemBase]
) -> P.Progress:
    """The attempt as a progress record: every drawn item once, in test mode, its
    submitted answer (re-scored) or, if none, no answer and 0 points."""
    progress = P.empty(P.catalogue().course_version, student)
    for bank, item_id in attempt.items:
        item = items[item_id]
        sub = attempt.submitted.get(item_id)
        response = sub.response if sub else None
        result = score(item, response)
        progress = P.record(
            progress,
            Attempt(
                item_id=item_id,
                bank=bank,
                response=response,
                points=result.points if sub else 0.0,
                max_points=result.max_points,
                mode="test",
                attempts=1,
                seconds=0.0,
                timestamp=sub.at if sub else attempt.finished,
            ),
        )
    return progress


def results_text(
    test: ClassTest, student: str, attempt: AttemptState, items: dict[str, m.ItemBase]
) -> str:
    """The results file of a finished attempt: the course's results format plus a
    `test` block (test id and title, attempt number, server times, whether the clock
    ended it) that marks it as from a class test."""
    progress = attempt_progress(test, student, attempt, items)
    cat = P.catalogue()
    modules = [vars(r) for r in P.module_progress(progress, cat)]
    block = {
        "id": test.id,
        "title": test.title,
        "attempt": attempt.number,
        "started": attempt.started,
        "deadline": attempt.deadline,
        "finished": attempt.finished,
        "timed_out": attempt.timed_out,
        "time_limit_minutes": test.time_limit_minutes,
        "items": [item_id for _, item_id in attempt.items],
    }
    text = P.dumps(progress, {"modules": modules}, exported_at=attempt.finished, test=block)
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_results(
    ledger: Ledger,
    test: ClassTest,
    student: str,
    attempt: AttemptState,
    items: dict[str, m.ItemBase],
) -> Path:
    folder = ledger.results_folder(test.id)
    folder.mkdir(parents=True, exist_ok=True)
    # The key's hash keeps apart two names that make the same file name ("Ana-Silva").
    tag = f"{hash_key(student_key(student)) % 10**6:06d}"
    stem = results_filename(f"{student} {tag} attempt {attempt.number}", "json")
    path = folder / stem
    path.write_text(results_text(test, student, attempt, items), encoding="utf-8")
    return path


def collect(test: ClassTest, ledger: Ledger) -> tuple[Path, int, int]:
    """Write a results file for every finished attempt at `test`, finishing first those
    whose time ran out while the page was closed (nobody came back to finish them).
    Returns the results folder, the files written and the attempts still in progress."""
    items = {it.id: it for pool in pools(test, load_bank) for _, it in pool}
    written = running = 0
    for student in ledger.students(test.id):
        rec = ledger.record(test.id, student)  # finishes an attempt past its deadline
        for attempt in rec.attempts:
            if attempt.in_progress:
                running += 1
                continue
            write_results(ledger, test, rec.student, attempt, items)
            written += 1
    return ledger.results_folder(test.id), written, running


# --- the page ---------------------------------------------------------------------------


class ClassTestPage(w.VBox):
    """One class test: the student's name, then the attempt with its clock, then the
    result (and a retake where the test allows one)."""

    def __init__(
        self,
        test: ClassTest,
        *,
        ledger: Ledger | None = None,
        clock: Callable[[], datetime] = _now,
        store: P.ProgressStore | None = None,
        timers: bool = True,
    ):
        self.test = test
        self.ledger = ledger or Ledger(clock=clock)
        self.clock = clock
        self.store = store
        self.timers = timers
        self.pool_items = pools(test, load_bank)
        self.items = {it.id: it for pool in self.pool_items for _, it in pool}
        self.student = ""
        self.attempt: AttemptState | None = None
        self.quiz: Quiz | None = None
        self._timer: threading.Timer | None = None
        # The clock's thread and the student's clicks may end the test at the same moment.
        self._lock = threading.RLock()

        self.status = ui.LiveRegion()
        self.name = w.Text(
            description="Your name or student ID",
            placeholder="e.g. Alex Kim or s1234567",
            style=ui.text_style(),
            layout=ui.layout(width="auto"),
        )
        self.start_button = ui.button("Start test", primary=True)
        self.start_button.on_click(lambda _: self.start())
        self.clock_line = ui.html("")
        self.body = ui.box([], "allcourse-class-test-body")
        super().__init__(
            [ui.html(self._intro_html()), self._start_area(), self.status, self.body],
            layout=ui.layout(),
        )
        self.add_class("allcourse-class-test")
        if store is not None:
            store.on_load(self._remembered)

    def __repr__(self) -> str:
        return f"<Class test {self.test.id}: {self.test.title}>"

    def _start_area(self) -> w.Box:
        self._start_box = ui.box([self.name, self.start_button], "allcourse-buttons")
        return self._start_box

    def _intro_html(self) -> str:
        t = self.test
        minutes = f"{t.time_limit_minutes:g} minute" + ("" if t.time_limit_minutes == 1 else "s")
        attempts = f"{t.attempts} attempt" + ("" if t.attempts == 1 else "s")
        answers = {
            "after_finish": "You see each answer and its explanation when you finish.",
            "after_close": "Answers are shown after the test closes.",
            "never": "Answers are not shown for this test; you see your score.",
        }[t.show_answers]
        n = sum(
            len(p) if pool.draw is None else pool.draw
            for pool, p in zip(t.pools, self.pool_items, strict=True)
        )
        description = ui.block_html(t.description) if t.description else ""
        return (
            f'<h1 id="class-test-title">{ui.esc(t.title)}</h1>{description}'
            f'<ul class="allcourse-test-rules"><li>{n} questions, {minutes}. The clock starts '
            "when you press Start test and keeps running if you leave or reload the page.</li>"
            f"<li>You have {attempts}.</li><li>{ui.esc(answers)}</li>"
            "<li>Type your name or student ID as your instructor asked: your results are "
            "saved under it.</li></ul>"
        )

    # --- starting and resuming ---------------------------------------------------------
    def _remembered(self, store: P.ProgressStore) -> None:
        """The browser's saved name has arrived: resume an attempt in progress at once."""
        saved = store.progress.student
        if saved and not self.name.value and self.attempt is None:
            self.name.value = saved
            rec = self.ledger.record(self.test.id, saved)
            if rec.current is not None:
                self.start()

    def start(self) -> None:
        student = " ".join(self.name.value.split())
        if not student:
            self.status.say("Type your name or student ID first.")
            return
        open_now, why = self.test.is_open(self.clock())
        rec = self.ledger.record(self.test.id, student)
        if rec.current is None:
            self._write_unwritten(rec)
            if not open_now:
                self.status.say(why)
                return
            if len(rec.attempts) >= self.test.attempts:
                self.student = rec.student
                self._show_finished(rec, "You have used every attempt at this test.")
                return
            n = len(rec.attempts) + 1
            chosen = draw(self.test, self.pool_items, f"{student_key(student)}:{n}", rec.seen())
            seconds = self.test.seconds
            if self.test.closes is not None:  # an attempt ends when the test closes
                seconds = min(seconds, (self.test.closes - self.clock()).total_seconds())
            try:
                attempt = self.ledger.start(
                    self.test.id,
                    student,
                    [(b, it.id) for b, it in chosen],
                    seconds,
                    self.test.attempts,
                )
            except LedgerError as exc:
                self.status.say(str(exc))
                return
            message = f"Attempt {attempt.number} started."
        else:
            attempt = rec.current
            message = (
                f"Your attempt {attempt.number} goes on where you left it: "
                f"{len(attempt.submitted)} answers were already submitted."
            )
        self.student = rec.student
        if self.store is not None:
            self.store.set_student(student)
        self._run(attempt)
        self.status.say(f"{message} Time left: {self._time_left_words()}.")

    def _run(self, attempt: AttemptState) -> None:
        self.attempt = attempt
        items = [(b, self.items[i]) for b, i in attempt.items]
        self.quiz = Quiz(
            self.test.id,
            f"{self.test.title} (attempt {attempt.number} of {self.test.attempts})",
            items,
            (),
            "test",
            gate=self._gate,
            on_finish=self._finished,
            reveal_answers=self.test.answers_shown(self.clock()),
        )
        self.quiz.restore({k: s.response for k, s in attempt.submitted.items()})
        not_you = ui.button("Not you? Start with another name")
        not_you.on_click(lambda _: self.switch_student())
        self._start_box.children = [
            ui.html(f"<p>Taking the test as <strong>{ui.esc(self.student)}</strong>.</p>"),
            not_you,
        ]
        self.body.children = [self.clock_line, self.quiz]
        self._tick()

    def switch_student(self) -> None:
        """A shared computer remembered someone else's name: leave their attempt as it is
        (its clock goes on, on the server) and let this student type their own."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self.attempt, self.quiz, self.student = None, None, ""
            self.body.children = []
            self.clock_line.value = ""
            self.name.value = ""
            self._start_box.children = [self.name, self.start_button]
            self.status.say("Type your name or student ID, then press Start test.")
            self.name.focus()

    # --- the clock (on the server) -------------------------------------------------------
    def seconds_left(self) -> float:
        return self.attempt.seconds_left(self.clock()) if self.attempt else 0.0

    def _time_left_words(self) -> str:
        left = self.seconds_left()
        minutes = int(left // 60)
        return f"{minutes} min {int(left % 60):02d} s" if left > 0 else "none"

    def _tick(self) -> None:
        if self.quiz is None or self.quiz.finished:
            return
        left = self.seconds_left()
        if left <= 0:
            self.time_up()
            return
        deadline = datetime.fromisoformat(self.attempt.deadline).strftime("%H:%M:%S UTC")  # type: ignore[union-attr]
        self.clock_line.value = (
            f'<p class="allcourse-test-clock" role="timer">Time left: '
            f"<strong>{_clock_text(left)}</strong> (the test ends at {deadline}).</p>"
        )
        if self.timers:
            # Every 15 s, then every 5 s in the last two minutes; never past the deadline.
            step = min(15.0 if left > 120 else 5.0, left)
            self._timer = threading.Timer(step, self._tick)
            self._timer.daemon = True
            self._timer.start()

    def time_up(self) -> None:
        """The time limit has run out: finish with what was submitted."""
        with self._lock:
            self._time_up()

    def _time_up(self) -> None:
        if self.quiz is not None and not self.quiz.finished:
            self.clock_line.value = '<p class="allcourse-test-clock" role="timer">Time is up.</p>'
            self.quiz.finish(force=True)
            self.status.say("Time is up: the test is finished with the answers you submitted.")

    # --- submits and the end ---------------------------------------------------------------
    def _gate(self, card: ItemCard, response: Any, result: Score) -> str | None:
        with self._lock:
            return self._submit(card, response, result)

    def _submit(self, card: ItemCard, response: Any, result: Score) -> str | None:
        assert self.attempt is not None
        if self.quiz is not None and self.quiz.finished:
            return "The test is finished: this answer was not saved."
        try:
            self.attempt = self.ledger.submit(
                self.test.id,
                self.student,
                self.attempt.number,
                Submission(card.item.id, card.bank, response, result.points, result.max_points, ""),
            )
        except LedgerError as exc:
            if self.seconds_left() <= 0:
                self.time_up()  # the server's clock has run out: finish now
            return str(exc)
        return None

    def _finished(self, results: list[tuple[m.ItemBase, Score]]) -> None:
        assert self.attempt is not None
        if self._timer is not None:
            self._timer.cancel()
        try:
            self.attempt = self.ledger.finish(self.test.id, self.student, self.attempt.number)
        except LedgerError as exc:
            self.status.say(str(exc))
            return
        write_results(self.ledger, self.test, self.student, self.attempt, self.items)
        rec = self.ledger.record(self.test.id, self.student)
        self.clock_line.value = ""
        left = self.test.attempts - len(rec.attempts)
        self._retake_area(left)

    def _retake_area(self, left: int) -> None:
        if left <= 0:
            note = "Your results are saved for your instructor. You have no attempts left."
            self.body.children = [*self.body.children, ui.html(f"<p>{note}</p>")]
            return
        again = ui.button("Retake test", primary=True)
        again.on_click(lambda _: self._retake())
        note = (
            f"Your results are saved for your instructor. You may take the test again "
            f"({left} attempt{'' if left == 1 else 's'} left); new questions are drawn where "
            "the question pools allow."
        )
        self.body.children = [
            *self.body.children,
            ui.html(f"<p>{ui.esc(note)}</p>"),
            ui.box([again], "allcourse-buttons", vertical=False),
        ]

    def _retake(self) -> None:
        self.attempt, self.quiz = None, None
        self.body.children = []
        self.name.value = self.student
        self.start()

    def _write_unwritten(self, rec: StudentRecord) -> None:
        """An attempt the clock finished while the student was away still gets its file."""
        for attempt in rec.attempts:
            if attempt.timed_out:
                write_results(self.ledger, self.test, rec.student, attempt, self.items)

    def _show_finished(self, rec: StudentRecord, message: str) -> None:
        rows = "".join(
            f"<li>Attempt {a.number}: {fb.points_phrase(a.points, self._max(a))}"
            f"{' (ended by the time limit)' if a.timed_out else ''}</li>"
            for a in rec.attempts
        )
        self.body.children = [ui.html(f"<p>{ui.esc(message)}</p><ul>{rows}</ul>")]
        self.status.say(message)

    def _max(self, attempt: AttemptState) -> float:
        return sum(score(self.items[i], None).max_points for _, i in attempt.items)


# --- the notebook's one call -----------------------------------------------------------


def _requested_test() -> str:
    query = parse_qs(os.environ.get("QUERY_STRING", ""))
    return (query.get("test") or [""])[0]


def tests_list_html(now: datetime) -> str:
    """Every class test with its state, linked to its page."""
    rows = []
    for test_id in class_test_ids():
        try:
            t = load_class_test(test_id)
        except ContentError as exc:
            rows.append(f"<li>{ui.esc(test_id)}: cannot be used ({ui.esc(exc.problems[0])})</li>")
            continue
        open_now, why = t.is_open(now)
        state = "open now" if open_now else why
        rows.append(
            f'<li><a href="{PAGE}?test={ui.esc(test_id)}">{ui.esc(t.title)}</a>: '
            f"{t.time_limit_minutes:g} minutes; {ui.esc(state)}</li>"
        )
    body = f"<ul>{''.join(rows)}</ul>" if rows else "<p>No class test is set.</p>"
    return f'<h1 id="class-tests">Class tests</h1>{body}'


def class_test(test_id: str | None = None) -> None:
    """The page: the test in the address (`?test=ID`), else the list of tests."""
    from allcourse.app.storage_widget import ensure_storage

    store = ensure_storage()
    test_id = test_id if test_id is not None else _requested_test()
    if not test_id:
        display(HTML(tests_list_html(_now())))
        return
    try:
        test = load_class_test(test_id)
        display(ClassTestPage(test, store=store))
    except ContentError as exc:
        items = "".join(f"<li>{ui.esc(p)}</li>" for p in exc.problems)
        display(
            HTML(
                f'<div class="allcourse-quiz-error" role="alert"><p><strong>The test '
                f"“{ui.esc(test_id)}” cannot be opened.</strong> Please tell your "
                f"instructor:</p><ul>{items}</ul></div>"
            )
        )
