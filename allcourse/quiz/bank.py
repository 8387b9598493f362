"""Loading question banks from quizzes/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from allcourse.course import paths
from allcourse.course.content import load_derived, load_model
from allcourse.quiz.models import Bank


def bank_path(name: str) -> Path:
    """`blood` or `blood.yml` -> quizzes/blood.yml."""
    return paths.QUIZZES / (name if name.endswith(".yml") else f"{name}.yml")


def load_bank(path: Path | str) -> Bank:
    """Validate one bank file; raises ContentError with `file: item-id: field: message`."""
    return load_model(Bank, path, cache=True)


@cache
def bank(name: str) -> Bank:
    """A bank of this checkout by name, loaded once per kernel."""
    return load_bank(bank_path(name))


@dataclass(frozen=True)
class BankIndex:
    """What progress needs to know of a bank without its items' text.

    `ids`: every item id in `Bank.all_items()` order (case-study items included);
    `standalone`: ids of the items shown on their own; `max_points`: id -> the most an
    answer can score (`scoring.score(item, None).max_points`)."""

    ids: tuple[str, ...]
    standalone: frozenset[str]
    max_points: dict[str, float]

    @classmethod
    def of(cls, loaded: Bank) -> BankIndex:
        from allcourse.quiz.scoring import score

        items = loaded.all_items()
        return cls(
            tuple(it.id for it in items),
            frozenset(it.id for it in loaded.items),
            {it.id: score(it, None).max_points for it in items},
        )


@cache
def bank_index(name: str) -> BankIndex:
    """The index of bank `name`, kept in the content cache: a page's kernel that needs every
    bank's ids (to fit saved progress to the course) reads a few KB instead of loading the
    other banks (about 1.4 MB per kernel, measured). Raises what `bank(name)` raises."""
    return load_derived(BankIndex, bank_path(name), lambda: BankIndex.of(bank(name)))
