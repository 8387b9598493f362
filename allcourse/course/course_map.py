"""The course map (`course.yml`): modules in order, their objectives and question banks.

This is the one place that knows the course order; navigation, the home page, the
review module and the validator all ask it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from allcourse.course import paths
from allcourse.course.content import StrictModel, load_model

# Objectives must be observable: they start with a measurable verb (Bloom's taxonomy).
MEASURABLE_VERBS = frozenset(
    """
    analyze answer apply assess calculate classify compare compute contrast define
    demonstrate describe differentiate distinguish evaluate explain identify interpret
    list locate name plan prioritise prioritize recognise recognize relate retrieve select
    sequence state summarise summarize teach trace
    """.split()
)

_ID = r"^[a-z][a-z0-9_]*$"


Strict = StrictModel  # unknown keys are errors; loaded content is frozen


class Objective(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*\.[0-9]+$")
    text: str = Field(min_length=10)

    @field_validator("text")
    @classmethod
    def _measurable(cls, text: str) -> str:
        verb = text.split()[0].lower()
        if verb not in MEASURABLE_VERBS:
            raise ValueError(
                f"objective should start with a measurable verb (e.g. Explain, Calculate), "
                f"not {text.split()[0]!r}"
            )
        return text


class Module(Strict):
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    notebook: str = Field(pattern=r"^[0-9]{2}_[a-z0-9_]+\.ipynb$")
    objectives: list[Objective] = Field(min_length=3, max_length=6)
    bank: str | None = Field(default=None, pattern=r"^[a-z0-9_]+\.yml$")
    # A preview page (the tour of question types): its answers are kept, but it does not
    # count toward the course's progress.
    preview: bool = False

    @model_validator(mode="after")
    def _objective_ids_belong(self) -> Module:
        for obj in self.objectives:
            if obj.id.split(".")[0] != self.id:
                raise ValueError(f"objective {obj.id} must start with the module id {self.id!r}")
        return self

    @property
    def number(self) -> str:
        return self.notebook[:2]

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


class Course(Strict):
    title: str
    short_title: str
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    modules: list[Module] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Course:
        for attr in ("id", "notebook"):
            seen: set[str] = set()
            for m in self.modules:
                value = getattr(m, attr)
                if value in seen:
                    raise ValueError(f"duplicate module {attr} {value!r}")
                seen.add(value)
        return self

    def module(self, module_id: str) -> Module:
        for m in self.modules:
            if m.id == module_id:
                return m
        raise KeyError(module_id)

    def module_for_notebook(self, notebook: str) -> Module | None:
        name = Path(notebook).name
        return next((m for m in self.modules if m.notebook == name), None)

    def neighbours(self, module_id: str) -> tuple[Module | None, Module | None]:
        ids = [m.id for m in self.modules]
        i = ids.index(module_id)
        prev = self.modules[i - 1] if i > 0 else None
        nxt = self.modules[i + 1] if i + 1 < len(self.modules) else None
        return prev, nxt

    def objective_ids(self) -> set[str]:
        return {o.id for m in self.modules for o in m.objectives}


def load_course(path: Path | str | None = None) -> Course:
    """Load and validate the course map; raises ContentError with file/field messages."""
    return load_model(Course, path or paths.COURSE_YML, cache=True)


@lru_cache(maxsize=1)
def course() -> Course:
    """The course map of this checkout, loaded once per process."""
    return load_course()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
