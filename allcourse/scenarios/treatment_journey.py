"""Treatment journey: a child or an adult, Ph-positive or Ph-negative, week by week
through the phases of ALL treatment.

The timelines are content, not code: `assets/treatment_timeline.yml`, validated here by
pydantic models (`Timeline`), with sources on every regimen, phase and MRD checkpoint.
The phase order and the durations the student sees come only from that file.

Pure: no widgets. The view (`treatment_journey_view`) asks `step(regimen, week)` what
to draw. Weeks are 1-based and whole (week 1 is the first week of induction).
Sources of the patterns: COG-style phases [R35, R37, R38, R39, tx-pdq-child-hp],
hyper-CVAD [tx-hypercvad], the 2024 ponatinib regimen [R45].
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from allcourse.course import paths
from allcourse.course.content import ContentError, Problem, StrictModel, display_path, load_model
from allcourse.course.references import references

TIMELINE_YML = paths.ASSETS / "treatment_timeline.yml"

Group = Literal["child", "adult"]
Ph = Literal["positive", "negative"]
GROUP_LABELS: dict[str, str] = {"child": "Child", "adult": "Adult"}
PH_LABELS: dict[str, str] = {"negative": "Ph-negative", "positive": "Ph-positive"}

_ID = r"^[a-z0-9][a-z0-9-]*$"


class Checkpoint(StrictModel):
    """An MRD (or response) check at a given week of its phase."""

    week: int = Field(ge=1)
    text: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class Phase(StrictModel):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    weeks: int = Field(ge=1, le=260)
    weeks_note: str | None = None
    goal: str = Field(min_length=1)
    drugs: str = Field(min_length=1)
    counts: str = Field(min_length=1)
    nadir_weeks: tuple[int, ...] = ()
    nursing: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    checkpoints: tuple[Checkpoint, ...] = ()

    @model_validator(mode="after")
    def _weeks_inside_phase(self) -> Phase:
        outside = [w for w in self.nadir_weeks if not 1 <= w <= self.weeks]
        if outside:
            raise ValueError(f"nadir_weeks {outside} are outside the phase's {self.weeks} weeks")
        late = [c.week for c in self.checkpoints if c.week > self.weeks]
        if late:
            raise ValueError(f"checkpoint weeks {late} are after the phase's {self.weeks} weeks")
        return self


class Regimen(StrictModel):
    id: str = Field(pattern=_ID)
    group: Group
    ph: Ph
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    phases: tuple[Phase, ...] = Field(min_length=1)

    @field_validator("phases")
    @classmethod
    def _unique_phase_ids(cls, phases: tuple[Phase, ...]) -> tuple[Phase, ...]:
        ids = [p.id for p in phases]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate phase ids {dupes}")
        return phases

    @property
    def label(self) -> str:
        return f"{GROUP_LABELS[self.group]}, {PH_LABELS[self.ph]}"


class Timeline(StrictModel):
    regimens: tuple[Regimen, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_regimen_per_choice(self) -> Timeline:
        seen: dict[tuple[str, str], str] = {}
        for r in self.regimens:
            key = (r.group, r.ph)
            if key in seen:
                raise ValueError(f"regimens {seen[key]!r} and {r.id!r} are both {key}")
            seen[key] = r.id
        missing = [f"{g} Ph-{p}" for g in GROUP_LABELS for p in PH_LABELS if (g, p) not in seen]
        if missing:
            raise ValueError(f"no regimen for: {', '.join(missing)}")
        return self

    def source_ids(self) -> set[str]:
        ids: set[str] = set()
        for r in self.regimens:
            ids.update(r.sources)
            for p in r.phases:
                ids.update(p.sources)
                for c in p.checkpoints:
                    ids.update(c.sources)
        return ids


def load_timeline(path: Path | str | None = None) -> Timeline:
    """Read and validate a timeline file; every cited id must be in references.yml.

    Raises ContentError (file, regimen, field, message) on any problem."""
    path = path or TIMELINE_YML
    timeline = load_model(Timeline, path)
    unknown = sorted(timeline.source_ids() - references().ids())
    if unknown:
        raise ContentError(
            [Problem(display_path(path), "-", "sources", f"unknown reference ids {unknown}")]
        )
    return timeline


@lru_cache(maxsize=1)
def timeline() -> Timeline:
    """The course's timeline (read once per kernel)."""
    return load_timeline()


def regimen(group: str, ph: str, tl: Timeline | None = None) -> Regimen:
    """The regimen for a child or adult with Ph-positive or Ph-negative ALL."""
    tl = tl or timeline()
    for r in tl.regimens:
        if r.group == group and r.ph == ph:
            return r
    raise KeyError(f"no regimen for {group!r}, {ph!r}")


def total_weeks(r: Regimen) -> int:
    return sum(p.weeks for p in r.phases)


@dataclass(frozen=True)
class Span:
    """A phase placed on the whole plan's week scale (first and last week, inclusive)."""

    index: int
    phase: Phase
    first: int
    last: int


def spans(r: Regimen) -> tuple[Span, ...]:
    """Each phase with its first and last week, in the file's order."""
    out, start = [], 1
    for i, p in enumerate(r.phases):
        out.append(Span(i, p, start, start + p.weeks - 1))
        start += p.weeks
    return tuple(out)


@dataclass(frozen=True)
class Step:
    """What the student sees at one week of the plan."""

    week: int
    total: int
    span: Span
    week_in_phase: int
    nadir: bool
    checkpoint: Checkpoint | None
    next_checkpoint: tuple[int, Span, Checkpoint] | None  # (plan week, its phase, check)

    @property
    def phase(self) -> Phase:
        return self.span.phase


class WeekError(ValueError):
    """A week outside the plan (a message for the student, not a traceback)."""


def step(r: Regimen, week: int) -> Step:
    """The phase, week in phase, nadir flag and MRD checkpoints at `week` (1-based)."""
    total = total_weeks(r)
    if isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= total:
        raise WeekError(f"Choose a week from 1 to {total}; got {week!r}.")
    all_spans = spans(r)
    span = next(s for s in all_spans if s.first <= week <= s.last)
    in_phase = week - span.first + 1
    here = next((c for c in span.phase.checkpoints if c.week == in_phase), None)
    upcoming = None
    for s in all_spans:
        for c in s.phase.checkpoints:
            at = s.first + c.week - 1
            if at > week and (upcoming is None or at < upcoming[0]):
                upcoming = (at, s, c)
    return Step(
        week=week,
        total=total,
        span=span,
        week_in_phase=in_phase,
        nadir=in_phase in span.phase.nadir_weeks,
        checkpoint=here,
        next_checkpoint=upcoming,
    )


def phase_start(r: Regimen, index: int) -> int:
    """The first week of phase `index` (clamped to the plan's phases)."""
    all_spans = spans(r)
    index = max(0, min(index, len(all_spans) - 1))
    return all_spans[index].first


def longest_phase(r: Regimen) -> tuple[Phase, int]:
    """The longest phase and its share of the whole plan, in whole percent."""
    p = max(r.phases, key=lambda ph: ph.weeks)
    return p, round(100 * p.weeks / total_weeks(r))


def source_ids() -> set[str]:
    """Every reference id the journey can show (the notebook must cite each one)."""
    return timeline().source_ids()
