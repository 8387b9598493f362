"""The server's record of class-test attempts: where a test's start time and submitted
answers live, so that neither a reload nor a cleared browser resets the clock.

Every Voila page is a fresh kernel, but the kernel runs on the server and this ledger is
a folder on the server (`$ALLCOURSE_CLASS_TEST_DATA`, default `class-test-data/` in the
checkout, never under notebooks/ and so never served). A student's attempt is keyed by
the test and the name or student id they type: typing it again after a reload resumes
the same attempt, with the same items, answers and deadline. The deadline is computed
from the server's clock at the start; a submit after it (plus a few seconds for the
network) is refused, and an attempt found past its deadline is finished as it stands.

One JSON file per student and test, written atomically under a lock (two tabs of one
student cannot lose each other's answers). Pure file I/O with an injectable clock, so
it is tested without a browser.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from allcourse.course import paths
from allcourse.course.content import write_atomic

DATA_ENV = "ALLCOURSE_CLASS_TEST_DATA"
GRACE_SECONDS = 5.0  # a submit sent just before the deadline may arrive just after it


def data_folder() -> Path:
    return Path(os.environ.get(DATA_ENV) or paths.ROOT / "class-test-data")


def student_key(student: str) -> str:
    """The same key for "Ana Silva", " ana  silva " and "ANA SILVA"."""
    return " ".join(student.split()).casefold()


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40]
    # Two names that slug alike ("Ana-Silva", "ana silva"?) must not share a file.
    return f"{slug or 'student'}-{abs(hash_key(text)) % 10**8:08d}"


def hash_key(text: str) -> int:
    """A stable hash (Python's own hash() changes per process)."""
    h = 0
    for ch in text.encode("utf-8"):
        h = (h * 131 + ch) % (2**61 - 1)
    return h


@dataclass
class Submission:
    item_id: str
    bank: str
    response: Any
    points: float
    max_points: float
    at: str  # server time, ISO 8601 UTC


@dataclass
class AttemptState:
    number: int  # 1 for the first attempt
    items: list[tuple[str, str]]  # (bank, item id) in the order shown
    started: str  # server time, ISO 8601 UTC
    deadline: str
    submitted: dict[str, Submission] = field(default_factory=dict)
    finished: str = ""  # when it was finished ("" while in progress)
    timed_out: bool = False  # finished by the clock, not by the student

    @property
    def in_progress(self) -> bool:
        return not self.finished

    def seconds_left(self, now: datetime) -> float:
        return (datetime.fromisoformat(self.deadline) - now).total_seconds()

    @property
    def points(self) -> float:
        return sum(s.points for s in self.submitted.values())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AttemptState:
        subs = {k: Submission(**v) for k, v in data.get("submitted", {}).items()}
        items = [tuple(x) for x in data["items"]]
        return cls(
            number=data["number"],
            items=items,  # type: ignore[arg-type]
            started=data["started"],
            deadline=data["deadline"],
            submitted=subs,
            finished=data.get("finished", ""),
            timed_out=data.get("timed_out", False),
        )


@dataclass
class StudentRecord:
    test_id: str
    student: str  # as first typed
    attempts: list[AttemptState] = field(default_factory=list)

    @property
    def current(self) -> AttemptState | None:
        return next((a for a in self.attempts if a.in_progress), None)

    def seen(self) -> set[str]:
        return {item_id for a in self.attempts for _, item_id in a.items}


class LedgerError(ValueError):
    """What cannot be done, in words for the student (e.g. time is up)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds")


class Ledger:
    """Attempts of every student at every class test, in `folder`."""

    def __init__(self, folder: Path | None = None, clock: Callable[[], datetime] = _now):
        self.folder = Path(folder) if folder is not None else data_folder()
        self.clock = clock

    # --- files ---------------------------------------------------------------------
    def _path(self, test_id: str, student: str) -> Path:
        return self.folder / test_id / "attempts" / f"{_slug(student_key(student))}.json"

    def results_folder(self, test_id: str) -> Path:
        """Where finished attempts are written as results files (for the dashboard)."""
        return self.folder / test_id / "results"

    @contextlib.contextmanager
    def _locked(self, test_id: str, student: str) -> Iterator[Path]:
        path = self._path(test_id, student)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield path
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self, path: Path, test_id: str, student: str) -> StudentRecord:
        if not path.exists():
            return StudentRecord(test_id, " ".join(student.split()))
        data = json.loads(path.read_text(encoding="utf-8"))
        return StudentRecord(
            data["test_id"], data["student"], [AttemptState.from_json(a) for a in data["attempts"]]
        )

    def _write(self, path: Path, record: StudentRecord) -> None:
        text = json.dumps(asdict(record), indent=2, ensure_ascii=False, sort_keys=True)
        write_atomic(path, (text + "\n").encode("utf-8"), 0o600)  # a student's own record

    def students(self, test_id: str) -> list[str]:
        """Everyone with an attempt at the test (names as first typed), sorted."""
        names = []
        for path in sorted((self.folder / test_id / "attempts").glob("*.json")):
            try:
                names.append(json.loads(path.read_text(encoding="utf-8"))["student"])
            except (OSError, ValueError, KeyError):
                continue  # a file this ledger did not write: not a student of the test
        return sorted(names, key=str.casefold)

    # --- what the page does ----------------------------------------------------------
    def record(self, test_id: str, student: str) -> StudentRecord:
        """The student's attempts, with one past its deadline finished first."""
        with self._locked(test_id, student) as path:
            rec = self._read(path, test_id, student)
            if self._expire(rec):
                self._write(path, rec)
            return rec

    def _expire(self, rec: StudentRecord) -> bool:
        current = rec.current
        now = self.clock()
        if current is not None and current.seconds_left(now) < -GRACE_SECONDS:
            current.finished = current.deadline
            current.timed_out = True
            return True
        return False

    def start(
        self,
        test_id: str,
        student: str,
        items: list[tuple[str, str]],
        seconds: float,
        max_attempts: int,
    ) -> AttemptState:
        """Begin a new attempt now (server time), ending `seconds` later. Refused while
        another attempt is in progress or when no attempt is left."""
        with self._locked(test_id, student) as path:
            rec = self._read(path, test_id, student)
            self._expire(rec)
            if rec.current is not None:
                raise LedgerError("You already have an attempt in progress.")
            if len(rec.attempts) >= max_attempts:
                raise LedgerError(
                    f"You have used all {max_attempts} attempt"
                    f"{'' if max_attempts == 1 else 's'} at this test."
                )
            now = self.clock()
            attempt = AttemptState(
                number=len(rec.attempts) + 1,
                items=items,
                started=_iso(now),
                deadline=_iso(now + timedelta(seconds=seconds)),
            )
            rec.attempts.append(attempt)
            self._write(path, rec)
            return attempt

    def submit(self, test_id: str, student: str, number: int, sub: Submission) -> AttemptState:
        """Keep one submitted answer. Refused after the deadline (the attempt is then
        finished as it stands), after finishing, or for an item not in the attempt."""
        with self._locked(test_id, student) as path:
            rec = self._read(path, test_id, student)
            expired = self._expire(rec)
            attempt = next((a for a in rec.attempts if a.number == number), None)
            if attempt is None:
                raise LedgerError("This attempt is not on record.")
            if expired or not attempt.in_progress:
                if expired:
                    self._write(path, rec)
                raise LedgerError(
                    "Time is up: this answer was not saved."
                    if attempt.timed_out
                    else "This attempt is finished: the answer was not saved."
                )
            if sub.item_id not in {i for _, i in attempt.items}:
                raise LedgerError("This question is not part of your attempt.")
            if sub.item_id in attempt.submitted:
                raise LedgerError("This answer was already submitted.")
            sub.at = _iso(self.clock())
            attempt.submitted[sub.item_id] = sub
            self._write(path, rec)
            return attempt

    def finish(self, test_id: str, student: str, number: int) -> AttemptState:
        """Finish the attempt (idempotent: finishing twice keeps the first time)."""
        with self._locked(test_id, student) as path:
            rec = self._read(path, test_id, student)
            self._expire(rec)
            attempt = next((a for a in rec.attempts if a.number == number), None)
            if attempt is None:
                raise LedgerError("This attempt is not on record.")
            if attempt.in_progress:
                attempt.finished = _iso(self.clock())
            self._write(path, rec)
            return attempt
