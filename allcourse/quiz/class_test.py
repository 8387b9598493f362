"""A class test, defined by the instructor in YAML (quizzes/tests/ID.yml): which banks or
items, how many drawn from each pool, a time limit, how many attempts, when it is open
and whether and when answers are shown. Pure: the model, its checks and the draw.

    title: "Week 3 check: blood and diagnosis"
    open: true                        # or opens:/closes: (ISO 8601, with a time zone)
    time_limit_minutes: 20
    attempts: 2                       # a retake draws fresh items where the pools allow
    show_answers: after_finish        # after_finish | after_close | never
    pools:
      - bank: blood                   # every stand-alone item of the bank ...
        draw: 3                       # ... of which 3 are drawn for each attempt
      - bank: diagnosis
        items: [diagnosis-anc-calc, diagnosis-lp-platelets]   # only these
        draw: 1

Only stand-alone items are drawn: a case-study item needs its chart. The page that runs
the test (and where the start time is kept) is the app's; this module knows no widgets.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from allcourse.course import paths
from allcourse.course.content import (
    ContentError,
    Problem,
    StrictModel,
    display_path,
    load_model,
)
from allcourse.quiz import models as m

TESTS_DIR = "tests"  # under quizzes/
MAX_MINUTES = 600


def tests_dir() -> Path:
    return paths.QUIZZES / TESTS_DIR


class Pool(StrictModel):
    bank: str = Field(pattern=r"^[a-z0-9_]+$")
    items: list[str] = Field(default_factory=list)  # empty: every stand-alone item
    draw: int | None = Field(default=None, ge=1)  # None: every item of the pool


class ClassTest(StrictModel):
    id: str = Field(default="", pattern=r"^$|^[a-z0-9_-]+$")  # from the file name
    title: str = Field(min_length=1)
    description: str = ""
    open: bool = False
    opens: datetime | None = None
    closes: datetime | None = None
    time_limit_minutes: float = Field(gt=0, le=MAX_MINUTES)
    attempts: int = Field(default=1, ge=1, le=20)
    show_answers: Literal["after_finish", "after_close", "never"] = "after_finish"
    pools: list[Pool] = Field(min_length=1)

    @field_validator("opens", "closes")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2026-03-10T09:00:00+01:00 or ...Z")
        return value

    @model_validator(mode="after")
    def _window(self) -> ClassTest:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValueError("closes must be after opens")
        if self.show_answers == "after_close" and self.closes is None:
            raise ValueError("show_answers: after_close needs a closing time (closes:)")
        return self

    @property
    def seconds(self) -> float:
        return self.time_limit_minutes * 60

    def is_open(self, now: datetime) -> tuple[bool, str]:
        """Whether students may start (or go on with) the test at `now`, and if not why."""
        if self.opens is not None and now < self.opens:
            return False, f"This test opens on {_when(self.opens)}."
        if self.closes is not None and now >= self.closes:
            return False, f"This test closed on {_when(self.closes)}."
        if not self.open and self.opens is None:
            return False, "This test is not open yet: your instructor will open it."
        return True, ""

    def answers_shown(self, now: datetime) -> bool:
        """Whether a finished attempt shows each item's feedback and the key at `now`."""
        if self.show_answers == "never":
            return False
        if self.show_answers == "after_close":
            return self.closes is not None and now >= self.closes
        return True


def _when(t: datetime) -> str:
    return t.strftime("%d %B %Y at %H:%M %Z").lstrip("0")


def class_test_path(test_id: str) -> Path:
    return tests_dir() / f"{test_id}.yml"


def load_class_test(test_id: str, folder: Path | None = None) -> ClassTest:
    """quizzes/tests/ID.yml as a ClassTest; ContentError (file, field, message) if it is
    missing or wrong."""
    if not test_id or not all(c.isalnum() or c in "_-" for c in test_id):
        raise ContentError([Problem(test_id or "-", "-", "-", "not a test id")])
    path = (folder or tests_dir()) / f"{test_id}.yml"
    if not path.is_file():
        raise ContentError([Problem(display_path(path), "-", "-", "file not found")])
    return load_model(ClassTest, path).model_copy(update={"id": test_id})


def class_test_ids(folder: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (folder or tests_dir()).glob("*.yml"))


PoolItems = list[tuple[str, m.ItemBase]]


def pools(test: ClassTest, load_bank: Callable[[str], m.Bank]) -> list[PoolItems]:
    """Each pool's (bank, item) pairs. Raises ContentError naming the pool and the
    problem: a bank that does not load, an item id not in its bank (or in a case study),
    a draw larger than the pool."""
    problems: list[Problem] = []
    out: list[PoolItems] = []
    where = f"quizzes/{TESTS_DIR}/{test.id or '?'}.yml"
    for i, pool in enumerate(test.pools):
        try:
            bank = load_bank(pool.bank)
        except (ContentError, FileNotFoundError):
            problems.append(Problem(where, f"pools.{i}", "bank", f"bank {pool.bank!r} not found"))
            continue
        standalone = {it.id: it for it in bank.items}
        if pool.items:
            missing = [i_ for i_ in pool.items if i_ not in standalone]
            for item_id in missing:
                problems.append(
                    Problem(
                        where,
                        f"pools.{i}",
                        "items",
                        f"{item_id!r} is not a stand-alone item of {pool.bank}.yml",
                    )
                )
            chosen = [standalone[i_] for i_ in pool.items if i_ in standalone]
        else:
            chosen = list(bank.items)
        if pool.draw is not None and pool.draw > len(chosen):
            problems.append(
                Problem(
                    where,
                    f"pools.{i}",
                    "draw",
                    f"draws {pool.draw} items from a pool of {len(chosen)}",
                )
            )
        out.append([(pool.bank, it) for it in chosen])
    if problems:
        raise ContentError(problems)
    return out


def draw(
    test: ClassTest,
    pool_items: Sequence[PoolItems],
    seed: str,
    seen: set[str] = frozenset(),  # type: ignore[assignment]
) -> PoolItems:
    """The items of one attempt: from each pool, `draw` items (all if no draw), chosen
    with `seed`, preferring items the student has not had in an earlier attempt, so a
    retake is drawn fresh as far as the pool allows. Pools stay in their order."""
    rng = random.Random(f"{test.id}:{seed}")
    out: PoolItems = []
    for pool, items in zip(test.pools, pool_items, strict=True):
        n = len(items) if pool.draw is None else pool.draw
        fresh = [x for x in items if x[1].id not in seen]
        again = [x for x in items if x[1].id in seen]
        rng.shuffle(fresh)
        rng.shuffle(again)
        picked = (fresh + again)[:n]
        order = {x[1].id: i for i, x in enumerate(items)}
        out += sorted(picked, key=lambda x: order[x[1].id]) if pool.draw is None else picked
    return out
