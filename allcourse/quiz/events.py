"""What the quiz tells the rest of the course when a student checks or submits an item.

The renderer publishes an `Attempt`; the progress store subscribes. The quiz knows
nothing of storage, and storage knows nothing of widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class Attempt:
    item_id: str
    bank: str  # bank name, e.g. "blood"
    response: Any  # JSON-serialisable, in the shape `scoring.score` takes
    points: float
    max_points: float
    mode: Literal["practice", "test"]
    attempts: int  # how many times the student has checked this item (1 = first)
    seconds: float  # time from the item being shown to this check
    timestamp: str  # ISO 8601, UTC

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_listeners: list[Callable[[Attempt], None]] = []


def subscribe(listener: Callable[[Attempt], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def unsubscribe(listener: Callable[[Attempt], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def publish(attempt: Attempt) -> None:
    for listener in list(_listeners):
        listener(attempt)
