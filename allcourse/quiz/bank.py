"""Loading question banks from quizzes/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from allcourse.course import paths
from allcourse.course.content import load_model
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
