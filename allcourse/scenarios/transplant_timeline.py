"""Day -7 to +100 and beyond: the stages of an allogeneic transplant as data.

The stages live in `assets/transplant_timeline.yml` (conditioning, day 0, nadir,
engraftment, day +30 to +100, after day +100), each with what happens, the infections of
the window and the nursing priorities, every line with its sources. This module is the
pydantic model of that file (loaded with `load_model`, so a bad file names the file, the
stage and the field) and the pure look-up the view uses: `stage_at(day)`.

The windows are the usual teaching phases of infection risk after allogeneic transplant
(pre-engraftment to about day 30, day 30-100, after day 100) [sct-tomblyn-2009]; real
timings vary with conditioning, stem cell source and patient.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from allcourse.course import paths
from allcourse.course.content import StrictModel, load_model
from allcourse.course.references import references

TIMELINE_YML = paths.ASSETS / "transplant_timeline.yml"


class CitedLine(StrictModel):
    """One line of teaching text and the reference ids behind it."""

    text: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _known(cls, ids: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(ids) - references().ids())
        if unknown:
            raise ValueError(f"unknown reference ids: {', '.join(unknown)}")
        return ids


class Stage(StrictModel):
    """One window of the transplant course; `day_to` None means open-ended."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str = Field(min_length=1)
    day_from: int
    day_to: int | None
    summary: str = Field(min_length=1)
    happens: tuple[CitedLine, ...] = Field(min_length=1)
    infections: tuple[CitedLine, ...] = Field(min_length=1)
    nursing: tuple[CitedLine, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Stage:
        if self.day_to is not None and self.day_to < self.day_from:
            raise ValueError(f"day_to ({self.day_to}) is before day_from ({self.day_from})")
        return self

    def contains(self, day: int) -> bool:
        return self.day_from <= day and (self.day_to is None or day <= self.day_to)

    @property
    def days_text(self) -> str:
        """'Day −7 to −1', 'Day 0', 'Day +101 onwards' (typographic minus, explicit plus)."""
        start = day_text(self.day_from)
        if self.day_to is None:
            return f"{start} onwards"
        if self.day_to == self.day_from:
            return start
        return f"{start} to {signed(self.day_to)}"

    def source_ids(self) -> set[str]:
        return {s for line in self.happens + self.infections + self.nursing for s in line.sources}


class Timeline(StrictModel):
    """The whole course: stages in day order, no gaps and no overlaps."""

    title: str
    first_day: int
    last_day: int
    stages: tuple[Stage, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _contiguous(self) -> Timeline:
        ids = [s.id for s in self.stages]
        if len(ids) != len(set(ids)):
            raise ValueError("stage ids must be unique")
        if self.stages[0].day_from != self.first_day:
            raise ValueError(f"the first stage must start on first_day ({self.first_day})")
        for before, after in zip(self.stages, self.stages[1:], strict=False):
            if before.day_to is None or after.day_from != before.day_to + 1:
                raise ValueError(f"stage {after.id!r} must start the day after {before.id!r} ends")
        if self.stages[-1].day_to is not None:
            raise ValueError("the last stage must be open-ended (day_to: null)")
        if self.last_day <= self.stages[-1].day_from:
            raise ValueError("last_day must fall inside the last stage")
        return self

    def stage_at(self, day: int) -> Stage:
        """The stage a day falls in; a day outside first_day..last_day raises DayError."""
        if isinstance(day, bool) or not isinstance(day, int):
            raise DayError(f"The day must be a whole number; got {day!r}.")
        if not self.first_day <= day <= self.last_day:
            raise DayError(
                f"Choose a day from {day_text(self.first_day)} to {day_text(self.last_day)}; "
                f"got {day}."
            )
        for stage in self.stages:
            if stage.contains(day):
                return stage
        raise DayError(f"No stage covers day {day}.")  # unreachable: stages are contiguous

    def stage(self, stage_id: str) -> Stage:
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)

    def source_ids(self) -> set[str]:
        return set().union(*(s.source_ids() for s in self.stages))


class DayError(ValueError):
    """A day the timeline does not cover (with a message for the student)."""


def signed(day: int) -> str:
    """-7 -> '−7', 0 -> '0', 14 -> '+14' (transplant days carry their sign)."""
    if day < 0:
        return f"−{-day}"
    return "0" if day == 0 else f"+{day}"


def day_text(day: int) -> str:
    return f"Day {signed(day)}"


def load_timeline(path: Path | str | None = None) -> Timeline:
    """Read and check the stages file; ContentError names file, stage and field."""
    return load_model(Timeline, path or TIMELINE_YML)


@lru_cache(maxsize=1)
def timeline() -> Timeline:
    return load_timeline()


def source_ids() -> set[str]:
    """Every reference id the timeline can show (the notebook must cite each one)."""
    return timeline().source_ids()
