"""Spaced retrieval: which answered items should come back, and when (FSRS).

Pure: no widgets. Each item's FSRS card is kept in the progress store (`ItemRecord.card`,
the dict `fsrs.Card.to_dict()` gives). Every check or submit anywhere in the course is a
review: the score fraction becomes a rating and the scheduler sets the next due date.
Fuzzing is off so the same answers always give the same schedule (tests, merges).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from fsrs import Card, Rating, Scheduler


class _Last(Protocol):
    points: float
    max_points: float


class ItemRecord(Protocol):
    """What review reads of a progress record (`progress.ItemRecord` has this shape);
    a protocol, so that the progress store can use review without a circular import."""

    card: dict[str, Any] | None

    @property
    def last(self) -> _Last: ...


DESIRED_RETENTION = 0.9  # FSRS's default: items come back when recall drops to about 90%
SCHEDULER = Scheduler(desired_retention=DESIRED_RETENTION, enable_fuzzing=False)

# Score fraction -> rating, lowest band first. Full marks is "Easy"; most of the credit
# "Good"; some "Hard"; under half is "Again" (the item comes back within minutes).
RATING_BANDS: tuple[tuple[float, Rating], ...] = (
    (0.5, Rating.Again),
    (0.8, Rating.Hard),
    (1.0, Rating.Good),
)
ROUND_SIZE = 8  # items per review round: enough to practise, short enough to finish


def rating_for(fraction: float) -> Rating:
    """The FSRS rating for a score fraction (points / max points)."""
    for upper, rating in RATING_BANDS:
        if fraction < upper - 1e-9:
            return rating
    return Rating.Easy


def parse_time(stamp: str) -> datetime:
    """An ISO 8601 timestamp as an aware datetime (naive ones are taken as UTC)."""
    when = datetime.fromisoformat(stamp)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def card_id(item_id: str) -> int:
    # Stable across kernels and browsers (fsrs would otherwise use the clock).
    return zlib.crc32(item_id.encode("utf-8")) or 1


def load_card(data: Mapping[str, Any] | None) -> Card | None:
    """A card from its stored dict; None when missing or unreadable (it is then rebuilt)."""
    if not data:
        return None
    try:
        return Card.from_dict(dict(data))  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        return None


def card_after(
    card: Mapping[str, Any] | None, item_id: str, fraction: float, when: datetime
) -> dict[str, Any]:
    """The card after one more review of `item_id` scored `fraction` at `when`."""
    current = load_card(card) or Card(card_id=card_id(item_id), due=when)
    if current.last_review is not None and when < current.last_review:
        when = current.last_review  # a clock that went backwards must not break the card
    updated, _ = SCHEDULER.review_card(current, rating_for(fraction), review_datetime=when)
    return updated.to_dict()


def replay(item_id: str, reviews: Iterable[tuple[float, datetime]]) -> dict[str, Any] | None:
    """The card built from (fraction, time) reviews in time order (None: no reviews)."""
    card: dict[str, Any] | None = None
    for fraction, when in sorted(reviews, key=lambda r: r[1]):
        card = card_after(card, item_id, fraction, when)
    return card


@dataclass(frozen=True)
class ReviewEntry:
    """One item to bring back, and why."""

    item_id: str
    bank: str
    due: datetime
    recall: float  # FSRS's estimate of the chance of recalling it now (0..1)
    last_fraction: float
    missed: bool  # the last answer did not earn full marks

    @property
    def reason(self) -> str:
        if self.missed and self.last_fraction <= 0:
            return "You missed this last time."
        if self.missed:
            return "You got part of this last time."
        return "You have not seen this for a while."


def _entry(item_id: str, bank: str, record: ItemRecord, now: datetime) -> ReviewEntry | None:
    card = load_card(record.card)
    if card is None:
        return None
    last = record.last
    fraction = last.points / last.max_points if last.max_points else 0.0
    return ReviewEntry(
        item_id=item_id,
        bank=bank,
        due=card.due,
        recall=SCHEDULER.get_card_retrievability(card, now),
        last_fraction=fraction,
        missed=fraction < 1 - 1e-9,
    )


def entries(
    records: Mapping[str, ItemRecord], available: Mapping[str, str], now: datetime
) -> list[ReviewEntry]:
    """Every answered item that can be reviewed (`available`: item id -> bank name)."""
    out = []
    for item_id, record in records.items():
        if item_id in available:
            entry = _entry(item_id, available[item_id], record, now)
            if entry is not None:
                out.append(entry)
    return out


def review_queue(
    records: Mapping[str, ItemRecord],
    available: Mapping[str, str],
    now: datetime,
    limit: int = ROUND_SIZE,
) -> list[ReviewEntry]:
    """Items to bring back now: missed ones first, then those whose review is due
    (earliest due first). Items answered well and not yet due wait their turn."""
    candidates = [e for e in entries(records, available, now) if e.missed or e.due <= now]
    candidates.sort(key=lambda e: (not e.missed, e.due, e.item_id))
    return candidates[:limit]


def practise_ahead(
    records: Mapping[str, ItemRecord],
    available: Mapping[str, str],
    now: datetime,
    limit: int = ROUND_SIZE,
) -> list[ReviewEntry]:
    """When nothing is due: the items the student is most likely to have forgotten."""
    pending = entries(records, available, now)
    pending.sort(key=lambda e: (e.recall, e.due, e.item_id))
    return pending[:limit]


def next_due(
    records: Mapping[str, ItemRecord], available: Mapping[str, str], now: datetime
) -> datetime | None:
    """When the next item comes due (None: nothing answered yet)."""
    dues = [e.due for e in entries(records, available, now)]
    return min(dues) if dues else None


def when_phrase(due: datetime, now: datetime) -> str:
    """'in 3 days', 'in 5 hours', 'in 10 minutes', 'now' (for the student)."""
    seconds = (due - now).total_seconds()
    if seconds <= 0:
        return "now"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = round(seconds / size)
            return f"in {n} {unit}{'' if n == 1 else 's'}"
    return "in less than a minute"


# --- the mixed final self-check ---------------------------------------------------------

FINAL_SIZE = 15  # items in the final self-check
FINAL_SKIP = frozenset({"start", "tour", "review"})  # the format tour and the review page itself


def final_selection(
    modules: Iterable[tuple[str, str, list[Any]]],
    size: int = FINAL_SIZE,
    earlier: Sequence[Iterable[str]] = (),
) -> list[tuple[str, Any]]:
    """The mix for one attempt at the final self-check: `modules` are (module id, bank
    name, stand-alone items). Each module gets an even share; within a module, items are
    taken one objective at a time (round robin, in bank order) so every objective is
    asked before any is asked twice. Modules in FINAL_SKIP count only if nothing else
    exists. A module with fewer items than its share gives what it has.

    `earlier` holds the item ids of each earlier attempt, oldest first: a retake takes
    the items not asked before first, then those asked least often and longest ago, so
    it is drawn fresh as far as the banks allow. Deterministic: the same banks and the
    same earlier attempts give the same mix (an attempt is drawn again after a reload)."""
    asked: dict[str, tuple[int, int]] = {}  # item id -> (times asked, last attempt index)
    for n, ids in enumerate(earlier):
        for item_id in set(ids):
            times, _ = asked.get(item_id, (0, -1))
            asked[item_id] = (times + 1, n)
    pool = [(mid, bank, items) for mid, bank, items in modules if items]
    content = [p for p in pool if p[0] not in FINAL_SKIP]
    pool = content or pool
    if not pool:
        return []
    # Even shares; the first modules take one more each until `size` is reached.
    shares = [size // len(pool) + (1 if i < size % len(pool) else 0) for i in range(len(pool))]
    chosen: list[tuple[str, Any]] = []
    for (_, bank, items), share in zip(pool, shares, strict=True):
        fresh = [it for it in items if it.id not in asked]
        again = sorted(
            (it for it in items if it.id in asked), key=lambda it: asked[it.id]
        )  # sorted() is stable: bank order among items asked alike
        picked = _round_robin(fresh, share)
        picked += _round_robin(again, share - len(picked))
        chosen.extend((bank, item) for item in picked)
    return chosen[:size]


def _round_robin(items: list[Any], n: int) -> list[Any]:
    """Up to `n` items, one objective at a time (objectives in order of first use)."""
    by_objective: dict[str, list[Any]] = {}
    for item in items:
        by_objective.setdefault(item.objective or "", []).append(item)
    queues = list(by_objective.values())
    picked: list[Any] = []
    while len(picked) < n and any(queues):
        for queue in queues:
            if queue and len(picked) < n:
                picked.append(queue.pop(0))
    return picked
