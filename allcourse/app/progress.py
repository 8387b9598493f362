"""The student's progress: every answer, kept in the browser and never lost.

Pure data (no widgets): the stored format and its checks, recording an `Attempt`,
merging two records (another tab, a loaded results file), keeping what still matches
after the course changes, and the per-module summary. The browser side is
`storage_widget.py`, which uses this store; pages enable it with one call,
`storage_widget.ensure_storage()`.

Stored format (JSON, one key in localStorage):
    {"format": "allcourse-progress", "version": 1, "course_version": "0.1.0",
     "student": "", "items": {item id: ItemRecord}, "parked": {...},
     "milestones": {name: timestamp}, "tests": {name: [SelfTestAttempt]}, "summary": {...}}
`parked` keeps answers to questions no longer in the course; `tests` keeps the attempts
at a self-check taken in test mode (the review module's final self-check), so that a
test in progress survives a reload; `summary` is derived (which modules are complete)
for the navigation script and is recomputed on load.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from allcourse.app import review
from allcourse.quiz.events import Attempt

if TYPE_CHECKING:
    from allcourse.course.course_map import Course, Module
    from allcourse.quiz.bank import BankIndex
    from allcourse.quiz.models import ItemBase

FORMAT = "allcourse-progress"
VERSION = 1
STORAGE_KEY = "allcourse-progress"  # localStorage key (also read by static/progress.js)
HISTORY_LIMIT = 50  # attempts kept per item; the count of checks goes on beyond it
NOT_WRITTEN = "its question bank is not written yet"


class ProgressError(ValueError):
    """Data that cannot be read as progress. `message` is written for the student."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# --- the stored shape -----------------------------------------------------------------


class _Record(BaseModel):
    # Unknown keys are ignored rather than refused: a record written by a later course
    # version with an extra field still loads. Validators are built on first use: a page
    # whose browser has no saved progress yet never builds them.
    model_config = ConfigDict(extra="ignore", defer_build=True)


MAX_ITEM_POINTS = 1000.0  # far above any item (a bowtie is worth 5): larger is damage
MAX_SECONDS = 366 * 24 * 3600.0  # time on one attempt: a year is already a stale tab


class AttemptRecord(_Record):
    """One check or submit of an item. Every number is finite and within its limits
    (a results file is student-supplied: `1e999` or NaN must not reach a dashboard)."""

    response: Any = None
    points: float = Field(ge=0, le=MAX_ITEM_POINTS, allow_inf_nan=False)
    max_points: float = Field(ge=0, le=MAX_ITEM_POINTS, allow_inf_nan=False)
    mode: Literal["practice", "test"] = "practice"
    seconds: float = Field(default=0, ge=0, le=MAX_SECONDS, allow_inf_nan=False)
    timestamp: str

    @model_validator(mode="after")
    def _points_within_max(self) -> AttemptRecord:
        if self.points > self.max_points + 1e-6:
            raise ValueError(f"{self.points:g} points out of {self.max_points:g}")
        return self

    @field_validator("timestamp")
    @classmethod
    def _iso(cls, value: str) -> str:
        review.parse_time(value)  # raises ValueError for anything that is not ISO 8601
        return value

    @property
    def when(self):
        return review.parse_time(self.timestamp)

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    def key(self) -> tuple[str, float, str, str]:
        """What makes two copies of an attempt the same attempt (for merging)."""
        return (
            self.when.isoformat(),
            round(self.points, 6),
            self.mode,
            json.dumps(self.response, sort_keys=True),
        )

    @classmethod
    def from_attempt(cls, attempt: Attempt) -> AttemptRecord:
        return cls(
            response=attempt.response,
            points=attempt.points,
            max_points=attempt.max_points,
            mode=attempt.mode,
            seconds=max(attempt.seconds, 0.0),
            timestamp=attempt.timestamp,
        )


class ItemRecord(_Record):
    """Everything known about one item: how often it was checked, the first and the
    latest attempt, recent attempts, and its review card."""

    bank: str
    checks: int = Field(ge=1, le=10_000_000)
    first: AttemptRecord
    last: AttemptRecord
    history: list[AttemptRecord] = Field(default_factory=list)
    card: dict[str, Any] | None = None


def _iso_or_empty(value: str) -> str:
    """An ISO 8601 time (`review.parse_time` raises ValueError otherwise), or "" for not set."""
    if value:
        review.parse_time(value)
    return value


class SelfTestAnswer(_Record):
    """One answer submitted in a test-mode self-check (re-scored when shown again)."""

    response: Any = None
    at: str  # when it was submitted, ISO 8601

    @field_validator("at")
    @classmethod
    def _iso(cls, value: str) -> str:
        review.parse_time(value)
        return value


class SelfTestAttempt(_Record):
    """One attempt at a test-mode self-check: the items drawn for it, in the order shown,
    the answers submitted so far, and when it was finished ("" while in progress).
    The same shape as a class test's attempt in the server's ledger, without the clock:
    a self-check is the student's own, untimed, and kept in their browser."""

    number: int = Field(ge=1, le=100_000)
    items: list[tuple[str, str]] = Field(min_length=1, max_length=1000)  # (bank, item id)
    started: str
    submitted: dict[str, SelfTestAnswer] = Field(default_factory=dict)
    finished: str = ""

    @field_validator("started")
    @classmethod
    def _started_iso(cls, value: str) -> str:
        review.parse_time(value)
        return value

    @field_validator("finished")
    @classmethod
    def _finished_iso(cls, value: str) -> str:
        return _iso_or_empty(value)

    @property
    def in_progress(self) -> bool:
        return not self.finished

    @property
    def item_ids(self) -> list[str]:
        return [item_id for _, item_id in self.items]


class Progress(_Record):
    format: Literal["allcourse-progress"] = FORMAT
    version: int = VERSION
    course_version: str = ""
    student: str = ""
    items: dict[str, ItemRecord] = Field(default_factory=dict)
    parked: dict[str, ItemRecord] = Field(default_factory=dict)
    milestones: dict[str, str] = Field(default_factory=dict)
    tests: dict[str, list[SelfTestAttempt]] = Field(default_factory=dict)
    # When the student last reset their progress (ISO 8601; "" if never): another tab
    # holding older answers must not bring them back.
    reset_at: str = ""

    @field_validator("reset_at")
    @classmethod
    def _reset_iso(cls, value: str) -> str:
        return _iso_or_empty(value)


def empty(course_version: str = "", student: str = "") -> Progress:
    return Progress(course_version=course_version, student=student)


# --- reading stored or uploaded text --------------------------------------------------


@dataclass
class Parsed:
    """What could be read: the progress, and a note per part that could not."""

    progress: Progress
    problems: list[str] = field(default_factory=list)
    damaged: dict[str, Any] = field(default_factory=dict)  # raw records that failed

    @property
    def complete(self) -> bool:
        return not self.problems


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "record"
    return f"{where}: {err['msg']}"


def parse(text: str | bytes) -> Parsed:
    """Read progress from JSON text. Raises ProgressError when nothing can be used (not
    JSON, not this course's format, a newer format version); otherwise returns what
    could be read, with a problem note for each damaged item record."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ProgressError("it is not a text file") from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise ProgressError("it is not complete, readable JSON (it may be damaged)") from None
    return from_data(data)


def from_data(data: Any) -> Parsed:
    if not isinstance(data, dict):
        raise ProgressError("it does not hold course progress")
    if data.get("format") != FORMAT:
        raise ProgressError("it does not hold progress from this course")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProgressError("its format version is missing or not a number")
    if version > VERSION:
        # Written by a later release of the course: reading it could lose what we do
        # not understand, so it is kept as it is instead.
        raise ProgressError(
            f"it was saved by a newer version of the course (format {version}); "
            "ask your instructor to update the course"
        )
    problems: list[str] = []
    damaged: dict[str, Any] = {}
    sections: dict[str, dict[str, ItemRecord]] = {"items": {}, "parked": {}}
    for section, records in sections.items():
        raw = data.get(section, {})
        if not isinstance(raw, dict):
            problems.append(f"the list of {section} is damaged")
            damaged[section] = raw
            continue
        for item_id, rec in raw.items():
            try:
                records[item_id] = ItemRecord.model_validate(rec)
            except ValidationError as exc:
                problems.append(f"the answer record for {item_id} is damaged ({_first_error(exc)})")
                damaged[f"{section}.{item_id}"] = rec
    milestones = data.get("milestones", {})
    if not isinstance(milestones, dict) or not all(isinstance(v, str) for v in milestones.values()):
        problems.append("the list of finished activities is damaged")
        damaged["milestones"] = milestones
        milestones = {}
    tests = _read_tests(data.get("tests", {}), problems, damaged)
    student = data.get("student", "")
    reset_at = data.get("reset_at", "")
    try:
        reset_at = Progress(reset_at=reset_at).reset_at
    except ValidationError:
        problems.append("the time of the last reset is damaged")
        damaged["reset_at"] = reset_at
        reset_at = ""
    progress = Progress(
        reset_at=reset_at,
        course_version=str(data.get("course_version") or ""),
        student=student if isinstance(student, str) else "",
        items=sections["items"],
        parked=sections["parked"],
        milestones=milestones,
        tests=tests,
    )
    return Parsed(progress, problems, damaged)


@lru_cache(maxsize=1)
def _attempts() -> TypeAdapter[list[SelfTestAttempt]]:
    # Built on first use: most pages never read a saved test.
    return TypeAdapter(list[SelfTestAttempt])


def _read_tests(raw: Any, problems: list[str], damaged: dict[str, Any]) -> dict[str, list]:
    """The test-mode attempts that can be read; a damaged test's record is noted (and kept
    aside with the saved text by the storage widget) and that test starts afresh."""
    if not isinstance(raw, dict):
        problems.append("the record of your self-check tests is damaged")
        damaged["tests"] = raw
        return {}
    tests = {}
    for name, attempts in raw.items():
        try:
            tests[name] = _attempts().validate_python(attempts)
        except ValidationError as exc:
            problems.append(f"the record of the test {name} is damaged ({_first_error(exc)})")
            damaged[f"tests.{name}"] = attempts
    return tests


def dumps(progress: Progress, summary: Mapping[str, Any] | None = None, **extra: Any) -> str:
    """Canonical JSON (sorted keys), so the same progress always gives the same text."""
    data = progress.model_dump(mode="json")
    if summary is not None:
        data["summary"] = summary
    data.update(extra)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# --- recording and merging ------------------------------------------------------------


def _review_of(a: AttemptRecord) -> tuple[float, Any]:
    return a.fraction, a.when


def build_record_validators() -> None:
    """Build the validators `record` needs, if they are not built yet (they are deferred,
    see `_Record`). The store calls this once the browser's data is in: the page is drawn
    and the kernel idle, whereas the first check would otherwise build them while the
    student waits for its verdict (about 3 ms of a fresh kernel's first check)."""
    for model in (AttemptRecord, ItemRecord):
        if not model.__pydantic_complete__:
            model.model_rebuild()


def record(progress: Progress, attempt: Attempt) -> Progress:
    """The progress with one more attempt."""
    new = AttemptRecord.from_attempt(attempt)
    old = progress.items.get(attempt.item_id)
    card = review.card_after(old.card if old else None, attempt.item_id, new.fraction, new.when)
    if old is None:
        rec = ItemRecord(bank=attempt.bank, checks=1, first=new, last=new, history=[new], card=card)
    else:
        history = sorted([*old.history, new], key=lambda a: a.when)[-HISTORY_LIMIT:]
        rec = ItemRecord(
            bank=attempt.bank,
            checks=old.checks + 1,
            first=min(old.first, new, key=lambda a: a.when),
            last=max(old.last, new, key=lambda a: a.when),
            history=history,
            card=card,
        )
    return progress.model_copy(update={"items": {**progress.items, attempt.item_id: rec}})


def _order(a: AttemptRecord) -> tuple[Any, ...]:
    # A total order on attempts, so that merging gives the same result either way round.
    return (a.when, a.key())


def _pick_card(a: dict[str, Any] | None, b: dict[str, Any] | None) -> dict[str, Any] | None:
    cards = [c for c in (a, b) if c]
    return max(cards, key=lambda c: json.dumps(c, sort_keys=True)) if cards else None


def merge_records(item_id: str, a: ItemRecord, b: ItemRecord) -> ItemRecord:
    """One item's records from two places: every attempt kept once, the newest attempt
    is the latest, and checks counted once where both places saw them. Symmetric:
    merge_records(a, b) == merge_records(b, a), so two tabs settle on the same record."""
    keys_a = {x.key() for x in a.history}
    keys_b = {x.key() for x in b.history}
    union = {x.key(): x for x in [*a.history, *b.history]}
    history = sorted(union.values(), key=_order)[-HISTORY_LIMIT:]
    if keys_a == keys_b:
        checks, card = max(a.checks, b.checks), _pick_card(a.card, b.card)
    elif keys_b < keys_a and b.checks <= a.checks:
        checks, card = a.checks, a.card  # b is an older copy of a (a file loaded again)
    elif keys_a < keys_b and a.checks <= b.checks:
        checks, card = b.checks, b.card
    else:  # each saw attempts the other did not: rebuild the schedule from all of them
        checks = a.checks + b.checks - len(keys_a & keys_b)
        card = review.replay(item_id, [_review_of(x) for x in history])
    last = max(a.last, b.last, key=_order)
    return ItemRecord(
        bank=a.bank if last is a.last else b.bank,
        checks=max(checks, len(history)),
        first=min(a.first, b.first, key=_order),
        last=last,
        history=history,
        card=card,
    )


def _merge_section(
    a: Mapping[str, ItemRecord], b: Mapping[str, ItemRecord]
) -> dict[str, ItemRecord]:
    out = dict(a)
    for item_id, rec in b.items():
        out[item_id] = merge_records(item_id, out[item_id], rec) if item_id in out else rec
    return out


def merge(a: Progress, b: Progress, *, prefer: Literal["a", "b"] = "a") -> Progress:
    """Everything in `a` and `b`; no attempt from either is dropped. Where they differ in
    the course version or the student's name, `prefer` wins (an empty name never does);
    milestones keep the earliest time."""
    milestones = dict(a.milestones)
    for name, when in b.milestones.items():
        if name not in milestones or review.parse_time(when) < review.parse_time(milestones[name]):
            milestones[name] = when
    items = _merge_section(a.items, b.items)
    parked = _merge_section(a.parked, b.parked)
    # An item answered in one place and parked in the other is answered.
    for item_id in list(parked):
        if item_id in items:
            items[item_id] = merge_records(item_id, items[item_id], parked.pop(item_id))
    first, second = (a, b) if prefer == "a" else (b, a)
    return Progress(
        reset_at=max(a.reset_at, b.reset_at, key=_reset_order),
        course_version=first.course_version or second.course_version,
        student=first.student or second.student,
        items=items,
        parked=parked,
        milestones=milestones,
        tests=_merge_tests(a.tests, b.tests),
    )


def _stamp_order(stamp: str) -> tuple[Any, str]:
    return review.parse_time(stamp), stamp


def _attempt_order(a: SelfTestAttempt) -> tuple[Any, ...]:
    return (*_stamp_order(a.started), json.dumps(a.model_dump(mode="json"), sort_keys=True))


def _answer_order(a: SelfTestAnswer) -> tuple[Any, ...]:
    return (*_stamp_order(a.at), json.dumps(a.response, sort_keys=True))


def merge_attempts(a: SelfTestAttempt, b: SelfTestAttempt) -> SelfTestAttempt:
    """One test attempt as two tabs saw it: every submitted answer kept (where both
    submitted an item, the earlier answer), started at the earlier time, finished at the
    earlier finish. Two tabs that drew different items for the same attempt cannot be
    joined: the attempt started first is kept whole. Symmetric, like `merge_records`."""
    if a.items != b.items:
        return min(a, b, key=_attempt_order)
    submitted = dict(a.submitted)
    for item_id, answer in b.submitted.items():
        if item_id not in submitted or _answer_order(answer) < _answer_order(submitted[item_id]):
            submitted[item_id] = answer
    finished = min((x for x in (a.finished, b.finished) if x), key=_stamp_order, default="")
    return SelfTestAttempt(
        number=a.number,
        items=a.items,
        started=min(a.started, b.started, key=_stamp_order),
        submitted=dict(sorted(submitted.items())),
        finished=finished,
    )


def _merge_tests(
    a: Mapping[str, list[SelfTestAttempt]], b: Mapping[str, list[SelfTestAttempt]]
) -> dict[str, list[SelfTestAttempt]]:
    out: dict[str, list[SelfTestAttempt]] = {}
    for name in sorted({*a, *b}):
        by_number: dict[int, SelfTestAttempt] = {}
        for attempt in [*a.get(name, []), *b.get(name, [])]:
            old = by_number.get(attempt.number)
            by_number[attempt.number] = attempt if old is None else merge_attempts(old, attempt)
        out[name] = [by_number[n] for n in sorted(by_number)]
    return out


# --- test-mode self-checks: the attempt in progress and the finished ones -------------


class SelfTestError(ValueError):
    """What cannot be done with a test attempt, in words for the student."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def attempts_at(progress: Progress, name: str) -> list[SelfTestAttempt]:
    """The attempts at the test `name`, oldest first (none yet: an empty list)."""
    return list(progress.tests.get(name, []))


def _with_attempt(
    progress: Progress, name: str, number: int, items: list[tuple[str, str]], at: str
) -> tuple[list[SelfTestAttempt], int]:
    """The test's attempts and the index of attempt `number`, added (started `at`) if it
    is not on record yet: an attempt is written on its first submit or finish, so a page
    that is only looked at writes nothing."""
    attempts = attempts_at(progress, name)
    index = next((i for i, a in enumerate(attempts) if a.number == number), None)
    if index is None:
        attempts.append(SelfTestAttempt(number=number, items=items, started=at))
        attempts.sort(key=lambda a: a.number)
        index = next(i for i, a in enumerate(attempts) if a.number == number)
    elif [tuple(x) for x in attempts[index].items] != [tuple(x) for x in items]:
        raise SelfTestError(
            "This attempt was started with other questions in another tab or window. "
            "Reload the page to go on with it there."
        )
    return attempts, index


def submit_test_answer(
    progress: Progress,
    name: str,
    number: int,
    items: list[tuple[str, str]],
    item_id: str,
    response: Any,
    at: str,
) -> Progress:
    """The progress with one more answer submitted in attempt `number` of the test
    (drawn as `items`, (bank, item id) in order). Raises SelfTestError when the
    attempt is finished, the item is not in it, or the item was already submitted."""
    attempts, i = _with_attempt(progress, name, number, items, at)
    attempt = attempts[i]
    if not attempt.in_progress:
        raise SelfTestError(
            "This attempt was finished (perhaps in another tab): the answer was not saved. "
            "Reload the page to see its results."
        )
    if item_id not in attempt.item_ids:
        raise SelfTestError("This question is not part of your attempt.")
    if item_id in attempt.submitted:
        raise SelfTestError("This answer was already submitted.")
    answer = SelfTestAnswer(response=response, at=at)
    attempts[i] = attempt.model_copy(update={"submitted": {**attempt.submitted, item_id: answer}})
    return progress.model_copy(update={"tests": {**progress.tests, name: attempts}})


def finish_test(
    progress: Progress, name: str, number: int, items: list[tuple[str, str]], at: str
) -> Progress:
    """The progress with attempt `number` finished `at` (finishing twice keeps the first
    time; an attempt finished with nothing submitted is recorded too)."""
    attempts, i = _with_attempt(progress, name, number, items, at)
    if attempts[i].in_progress:
        attempts[i] = attempts[i].model_copy(update={"finished": at})
    return progress.model_copy(update={"tests": {**progress.tests, name: attempts}})


def _reset_order(stamp: str) -> Any:
    return review.parse_time(stamp) if stamp else review.parse_time("0001-01-01T00:00:00")


def since(progress: Progress, stamp: str) -> Progress:
    """Only the attempts made after `stamp` (what a reset elsewhere must not remove)."""
    cutoff = _reset_order(stamp)

    def keep(section: Mapping[str, ItemRecord]) -> dict[str, ItemRecord]:
        out = {}
        for item_id, rec in section.items():
            history = [a for a in rec.history if a.when > cutoff]
            if history:
                out[item_id] = ItemRecord(
                    bank=rec.bank,
                    checks=len(history),
                    first=history[0],
                    last=max(history, key=_order),
                    history=history,
                    card=review.replay(item_id, [_review_of(a) for a in history]),
                )
        return out

    milestones = {k: v for k, v in progress.milestones.items() if review.parse_time(v) > cutoff}
    tests = {
        name: kept
        for name, attempts in progress.tests.items()
        if (kept := [a for a in attempts if review.parse_time(a.started) > cutoff])
    }
    return progress.model_copy(
        update={
            "items": keep(progress.items),
            "parked": keep(progress.parked),
            "milestones": milestones,
            "tests": tests,
            "reset_at": stamp,
        }
    )


@dataclass(frozen=True)
class MergeReport:
    new_items: int  # items answered only in the loaded data
    updated_items: int  # items where the loaded data had attempts the store did not
    attempts_added: int


def merge_report(before: Progress, after: Progress) -> MergeReport:
    new = updated = added = 0
    for item_id, rec in after.items.items():
        old = before.items.get(item_id) or before.parked.get(item_id)
        if old is None:
            new += 1
            added += len(rec.history)
            continue
        extra = {x.key() for x in rec.history} - {x.key() for x in old.history}
        if extra:
            updated += 1
            added += len(extra)
    return MergeReport(new, updated, added)


# --- the course's items, and what still matches after a change ------------------------


class LazyItems(Sequence["ItemBase"]):
    """A bank's items, loaded the first time they are read; their ids and count are known
    without loading them (a module page needs every bank's ids, not their text)."""

    def __init__(self, ids: tuple[str, ...], load: Callable[[], Sequence[ItemBase]]):
        self.ids = ids
        self._load = load
        self._items: tuple[ItemBase, ...] | None = None

    def _loaded(self) -> tuple[ItemBase, ...]:
        if self._items is None:
            self._items = tuple(self._load())
        return self._items

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):  # noqa: ANN001 - int or slice, as for a tuple
        return self._loaded()[index]

    def __repr__(self) -> str:
        return f"<{len(self.ids)} items{'' if self._items is not None else ', not loaded'}>"


@dataclass(frozen=True)
class ModuleItems:
    """A module and the items of its bank (none if it has no bank or the bank is broken)."""

    module: Module
    bank: str | None  # bank name, e.g. "blood"
    items: Sequence[ItemBase] = ()  # every item, case-study items included (may be LazyItems)
    standalone: frozenset[str] = frozenset()  # ids of items shown on their own
    max_points: Mapping[str, float] = field(default_factory=dict)
    error: str | None = None  # why the bank could not be loaded

    @property
    def ids(self) -> tuple[str, ...]:
        """Every item id, in `items` order, without loading the items."""
        if isinstance(self.items, LazyItems):
            return self.items.ids
        return tuple(it.id for it in self.items)

    @property
    def total(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Catalogue:
    """The course's modules with their items: what progress is measured against."""

    course_version: str
    modules: tuple[ModuleItems, ...]

    def known(self) -> dict[str, str]:
        """item id -> bank name, for every item of every bank that loaded."""
        return {i: m.bank for m in self.modules if m.bank for i in m.ids}

    def standalone(self) -> dict[str, str]:
        """item id -> bank name, for items that make sense without a case study's chart."""
        return {i: m.bank for m in self.modules if m.bank for i in m.standalone}

    def unavailable_banks(self) -> set[str]:
        return {m.bank for m in self.modules if m.bank and m.error}

    def item(self, item_id: str) -> tuple[str, ItemBase] | None:
        for m in self.modules:
            for it in m.items:
                if it.id == item_id and m.bank:
                    return m.bank, it
        return None

    def module_of_bank(self, bank: str) -> Module | None:
        return next((m.module for m in self.modules if m.bank == bank), None)


def build_catalogue(
    course: Course,
    load_bank: Callable[[str], Any],
    load_index: Callable[[str], BankIndex] | None = None,
) -> Catalogue:
    """Each module with its bank: the items come from `load_bank(name)`, read when first
    used when `load_index(name)` gives their ids and points (`bank.bank_index`); without
    it every bank is loaded now. A bank that fails is noted, not raised, so progress for
    the other modules still works."""
    from allcourse.course.content import ContentError
    from allcourse.quiz.bank import BankIndex

    modules = []
    for module in course.modules:
        if module.bank is None:
            modules.append(ModuleItems(module, None))
            continue
        name = module.bank.removesuffix(".yml")
        try:
            index = load_index(name) if load_index else BankIndex.of(load_bank(name))
        except (ContentError, FileNotFoundError) as exc:
            problems = getattr(exc, "problems", [])
            missing = not problems or any(p.message == "file not found" for p in problems)
            error = NOT_WRITTEN if missing else str(exc).splitlines()[0]
            modules.append(ModuleItems(module, name, error=error))
            continue
        items = LazyItems(index.ids, lambda name=name: load_bank(name).all_items())
        modules.append(ModuleItems(module, name, items, index.standalone, index.max_points))
    return Catalogue(course.version, tuple(modules))


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """This checkout's course and banks (loaded once per kernel)."""
    from allcourse.course.course_map import course
    from allcourse.quiz.bank import bank, bank_index

    return build_catalogue(course(), bank, bank_index)


def reconcile(progress: Progress, cat: Catalogue) -> tuple[Progress, list[str]]:
    """Fit saved progress to the course as it is now: answers to items that no longer
    exist are parked (kept, not counted); parked answers whose item is back return.
    Items of a bank that failed to load are left alone. Returns notes for the student."""
    known = cat.known()
    unavailable = cat.unavailable_banks()
    items: dict[str, ItemRecord] = {}
    parked = dict(progress.parked)
    newly_parked = []
    for item_id, rec in progress.items.items():
        if item_id in known:
            items[item_id] = rec.model_copy(update={"bank": known[item_id]})
        elif rec.bank in unavailable:
            items[item_id] = rec
        else:
            parked[item_id] = (
                merge_records(item_id, parked[item_id], rec) if item_id in parked else rec
            )
            newly_parked.append(item_id)
    restored = [i for i in parked if i in known]
    for item_id in restored:
        rec = parked.pop(item_id).model_copy(update={"bank": known[item_id]})
        items[item_id] = merge_records(item_id, items[item_id], rec) if item_id in items else rec
    notes = []
    if newly_parked:
        n = len(newly_parked)
        notes.append(
            f"The course has changed: {n} of your saved answers "
            f"{'is' if n == 1 else 'are'} for questions no longer in it. "
            f"{'It is' if n == 1 else 'They are'} kept (and included when you download your "
            "results) but no longer counted."
        )
    if restored:
        n = len(restored)
        notes.append(f"{n} saved answer{'' if n == 1 else 's'} set aside earlier now count again.")
    fitted = progress.model_copy(
        update={"items": items, "parked": parked, "course_version": cat.course_version}
    )
    return fitted, notes


# --- summaries ------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleProgress:
    module_id: str
    label: str
    notebook: str
    answered: int
    total: int
    points: float
    max_points: float  # of every item in the module's bank
    completed: bool
    bank_error: str | None = None

    @property
    def has_items(self) -> bool:
        return self.total > 0


def milestone_name(module_id: str) -> str:
    """The milestone that completes a module without a bank of its own (e.g. review)."""
    return f"{module_id}.finished"


def module_progress(progress: Progress, cat: Catalogue) -> list[ModuleProgress]:
    """For each module in course order: items answered of all items, points (latest
    attempt) of the maximum, and whether it is complete."""
    out = []
    for m in cat.modules:
        answered = [i for i in m.ids if i in progress.items]
        points = sum(progress.items[i].last.points for i in answered)
        if m.ids:
            completed = len(answered) == len(m.ids)
        else:
            completed = milestone_name(m.module.id) in progress.milestones
        out.append(
            ModuleProgress(
                module_id=m.module.id,
                label=m.module.label,
                notebook=m.module.notebook,
                answered=len(answered),
                total=m.total,
                points=round(points, 6),
                max_points=round(sum(m.max_points.values()), 6),
                completed=completed,
                bank_error=m.error,
            )
        )
    return out


def summary(progress: Progress, cat: Catalogue) -> dict[str, Any]:
    """What the navigation script needs (completed module ids), stored beside the data."""
    rows = module_progress(progress, cat)
    return {
        "completed": [r.module_id for r in rows if r.completed],
        "answered": {r.module_id: [r.answered, r.total] for r in rows if r.has_items},
    }


# --- the store of this kernel ---------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    """What happened when the browser's saved data arrived."""

    messages: list[str]
    set_aside: bool  # the saved text could not be fully read and must be kept elsewhere


class ProgressStore:
    """The progress of the student on this page. Records every published `Attempt`,
    takes in the browser's saved data when it arrives, and tells listeners (the storage
    widget, the home page, the review module) whenever anything changes."""

    def __init__(self, cat: Callable[[], Catalogue] = catalogue):
        self._catalogue = cat
        self.progress = empty(self.catalogue.course_version)
        self.loaded = False  # the browser's saved data has arrived
        self._listeners: list[Callable[[ProgressStore], None]] = []
        self._load_listeners: list[Callable[[ProgressStore], None]] = []

    @property
    def catalogue(self) -> Catalogue:
        return self._catalogue()

    # --- listening ---------------------------------------------------------------------
    def on_change(self, listener: Callable[[ProgressStore], None]) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def on_load(self, listener: Callable[[ProgressStore], None]) -> None:
        """Call `listener(store)` once the browser's data is in (now, if it already is)."""
        self._load_listeners.append(listener)
        if self.loaded:
            listener(self)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    # --- changes -----------------------------------------------------------------------
    def record(self, attempt: Attempt) -> None:
        # Practice items built by scenarios (e.g. the lab report's ANC) belong to no bank
        # of the course: they are exercises, not progress, and would only be parked later.
        if attempt.bank not in {m.bank for m in self.catalogue.modules if m.bank}:
            return
        try:
            self.progress = record(self.progress, attempt)
        except (ValidationError, ValueError):
            return  # a malformed attempt must never break the student's check button
        self._changed()

    def mark(self, name: str, timestamp: str) -> None:
        """Note that something was finished (kept at its first time)."""
        if name not in self.progress.milestones:
            milestones = {**self.progress.milestones, name: timestamp}
            self.progress = self.progress.model_copy(update={"milestones": milestones})
            self._changed()

    def submit_test_answer(
        self,
        name: str,
        number: int,
        items: list[tuple[str, str]],
        item_id: str,
        response: Any,
        at: str,
    ) -> None:
        """Keep an answer submitted in a test-mode self-check (see `submit_test_answer`);
        raises SelfTestError, with words for the student, when it cannot be kept."""
        try:
            updated = submit_test_answer(self.progress, name, number, items, item_id, response, at)
        except ValidationError as exc:  # e.g. a response that is not JSON data
            raise SelfTestError("This answer could not be saved.") from exc
        self.progress = updated
        self._changed()

    def finish_test(self, name: str, number: int, items: list[tuple[str, str]], at: str) -> None:
        """Note that attempt `number` of a test-mode self-check is finished."""
        updated = finish_test(self.progress, name, number, items, at)
        if updated != self.progress:
            self.progress = updated
            self._changed()

    def set_student(self, student: str) -> None:
        student = student.strip()
        if student != self.progress.student:
            self.progress = self.progress.model_copy(update={"student": student})
            self._changed()

    def merge_in(
        self, other: Progress, *, prefer: Literal["a", "b"] = "a"
    ) -> tuple[MergeReport, list[str]]:
        """Add another record (a loaded file, the browser's saved data) to this one.
        `prefer="b"` lets the other record's student name win (it is the newer one)."""
        fitted, notes = reconcile(other, self.catalogue)
        before = self.progress
        self.progress = merge(before, fitted, prefer=prefer)
        report = merge_report(before, self.progress)
        if self.progress != before:
            self._changed()
        return report, notes

    def reset(self, timestamp: str) -> Progress:
        """Start again (after the student confirmed) at `timestamp`. Returns what was
        there, for the storage widget to keep aside. The student's name stays."""
        old = self.progress
        fresh = empty(self.catalogue.course_version, old.student)
        self.progress = fresh.model_copy(update={"reset_at": timestamp})
        self._changed()
        return old

    def load_saved(self, text: str | None) -> LoadResult:
        """The browser's saved text has arrived (None: nothing saved yet). Whatever was
        recorded on this page before it arrived is kept too."""
        messages: list[str] = []
        set_aside = False
        if text:
            try:
                parsed = parse(text)
            except ProgressError as exc:
                set_aside = True
                messages.append(f"Your saved progress in this browser could not be read: {exc}.")
            else:
                if parsed.problems:
                    set_aside = True
                    n = len(parsed.problems)
                    messages.append(
                        f"Part of your saved progress could not be read ({n} "
                        f"{'record' if n == 1 else 'records'}): {parsed.problems[0]}."
                    )
                before = self.progress
                _, notes = self.merge_in(parsed.progress, prefer="b")
                messages.extend(notes)
                if self.progress == before:
                    self._changed()  # write back the course version / summary
        self.loaded = True
        for listener in list(self._load_listeners):
            listener(self)
        build_record_validators()
        return LoadResult(messages, set_aside)

    def merge_external(self, text: str | None) -> bool:
        """Another tab of the course saved its progress: take in what it has. Data this
        store cannot read is left to the tab that wrote it. Returns whether anything
        changed here."""
        if not text:
            return False
        try:
            parsed = parse(text)
        except ProgressError:
            return False
        before = mine = self.progress
        theirs, _ = reconcile(parsed.progress, self.catalogue)
        if _reset_order(theirs.reset_at) > _reset_order(mine.reset_at):
            # The other tab reset the progress: keep only what was answered here since.
            mine = since(mine, theirs.reset_at)
        self.progress = merge(mine, theirs, prefer="b")
        if self.progress != before:
            self._changed()
            return True
        return False

    # --- reading -----------------------------------------------------------------------
    def modules(self) -> list[ModuleProgress]:
        return module_progress(self.progress, self.catalogue)

    def text(self) -> str:
        """The JSON written to the browser (with the derived summary)."""
        return dumps(self.progress, summary(self.progress, self.catalogue))


_store: ProgressStore | None = None


def store() -> ProgressStore:
    """This kernel's progress store, recording every attempt the quiz publishes."""
    global _store
    if _store is None:
        from allcourse.quiz import events

        _store = ProgressStore()
        events.subscribe(_store.record)
    return _store
