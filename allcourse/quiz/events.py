"""What the quiz tells the rest of the course when a student checks or submits an item.

The renderer publishes an `Attempt`; the progress store subscribes. The quiz knows
nothing of storage, and storage knows nothing of widgets.
"""

from __future__ import annotations

import os
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


# --- the student's shuffle seed -------------------------------------------------------
# Options are shuffled with a per-student seed that must be stable across reloads, so it
# lives in the browser (the progress store's widget reads it from localStorage). The
# course server also hands it to the page's kernel with the page request (a cookie the
# browser keeps in step, passed on as SEED_ENV), so options are shuffled right when the
# page is built: reordering them after the page is drawn would move an option under the
# student's pointer and drop the keyboard focus. Without it (a preheated kernel, nbval,
# JupyterLab) the seed arrives after the page has rendered: views register a callback and
# reorder themselves when it does.

SEED_COOKIE = "allcourse_seed"
SEED_HEADER = "X-Allcourse-Seed"  # the server copies the cookie here; Voila passes it on
SEED_ENV = "HTTP_X_ALLCOURSE_SEED"  # ... as this environment variable of the kernel
MAX_SEED = 2147483646  # the browser draws seeds in 1..MAX_SEED


def parse_seed(text: str | None) -> int | None:
    """A seed from a cookie or the environment: an integer in 1..MAX_SEED, else None."""
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    seed = int(text)
    return seed if 1 <= seed <= MAX_SEED else None


_seed: int | None = parse_seed(os.environ.get(SEED_ENV))
_seed_listeners: list[Callable[[int], None]] = []


def student_seed() -> int:
    """The seed known so far (0 until the browser has sent one, e.g. under nbval)."""
    return _seed or 0


def on_seed(listener: Callable[[int], None]) -> None:
    """Call `listener(seed)` now if the seed is known, and whenever it changes."""
    _seed_listeners.append(listener)
    if _seed is not None:
        listener(_seed)


def set_seed(seed: int) -> None:
    global _seed
    if seed == _seed:
        return
    _seed = seed
    for listener in list(_seed_listeners):
        listener(seed)


# --- answers saved on an earlier visit ------------------------------------------------
# The progress store lives above the quiz (in the app) and gets the browser's saved
# record after the page has rendered. The app hands the quiz what it needs, one
# `SavedAnswer` per item, through this channel; the quiz never imports the app.


@dataclass(frozen=True)
class SavedAnswer:
    """The answer to show again for one item: the latest counted attempt."""

    response: Any  # in the shape `scoring.score` takes
    points: float
    max_points: float
    timestamp: str  # ISO 8601, UTC

    @property
    def when(self) -> str:
        """The day it was saved, as a student reads it (e.g. "30 Nov 2026")."""
        from datetime import datetime

        try:
            day = datetime.fromisoformat(self.timestamp.replace("Z", "+00:00"))
        except ValueError:
            return "an earlier visit"
        return f"{day.day} {day:%b %Y}"


_saved: dict[str, SavedAnswer] | None = None
_saved_listeners: list[Callable[[dict[str, SavedAnswer]], None]] = []


def on_saved(listener: Callable[[dict[str, SavedAnswer]], None]) -> None:
    """Call `listener(saved)` now if the saved answers are known, and when they arrive."""
    _saved_listeners.append(listener)
    if _saved is not None:
        listener(_saved)


def set_saved(saved: dict[str, SavedAnswer]) -> None:
    """The app passes the saved answers of this student (item id -> answer)."""
    global _saved
    _saved = dict(saved)
    for listener in list(_saved_listeners):
        listener(_saved)
