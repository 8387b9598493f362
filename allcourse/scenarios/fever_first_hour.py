"""The first hour of neutropenic fever: the student orders the nurse's actions and the
clock scores their timing.

The clinical rules the model applies (each finding cites them):
- Neutropenic fever is one oral temperature of 38.3 °C or more, or 38.0 °C or more
  sustained over 1 hour, with an ANC below 500/µL or expected to fall below 500 within
  48 hours [nc-idsa-2011]. One qualifying reading is enough: no recheck before acting.
- Empiric IV antibiotics start within 60 minutes; ASCO/IDSA 2018 counts the hour from
  triage, and on a ward the clock starts when the fever is found [nc-asco-idsa-2018];
  Surviving Sepsis 2021 asks for antimicrobials within an hour when sepsis is likely
  [nc-ssc-2021].
- Blood cultures (each catheter lumen and a peripheral vein) are drawn before the first
  dose, without delaying it [nc-idsa-2011, nc-asco-idsa-2018].
- The nurse assesses first (signs of infection may be few; sepsis cues), tells the
  provider at once, and reassesses after the dose [nc-idsa-2011, nc-ssc-2021].
- No rectal temperatures in neutropenia [nc-idsa-2011, R88].

The clock: the nurse does the chosen actions one after another, in the chosen order;
each takes the minutes given in the data file, which are ILLUSTRATIVE (no source gives
them) and only make the cost of a delay visible. Minute 0 is when the fever is reported.

Data: `assets/scenarios/fever_first_hour.yml`, loaded through `load_model`. Pure: no
widgets; the view (`fever_first_hour_view`) draws the plan and calls `run_clock()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from allcourse.course import paths
from allcourse.course.content import StrictModel, load_model

DATA = paths.ASSETS / "scenarios" / "fever_first_hour.yml"
ANTIBIOTIC_WITHIN_MIN = 60  # minutes from recognition to the first dose [nc-asco-idsa-2018]
SLOTS = 6  # how many steps the plan has room for
RULE_SOURCES = ("nc-idsa-2011", "nc-asco-idsa-2018", "nc-ssc-2021")

Role = Literal["assess", "notify", "cultures", "antibiotic", "reassess", "delay", "harm"]
# The roles a good plan needs, each exactly once, in the data file.
NEEDED: tuple[str, ...] = ("assess", "notify", "cultures", "antibiotic", "reassess")
# The rules the clock checks, in the order the feedback lists them.
RULE_TITLES: dict[str, str] = {
    "antibiotic": "IV antibiotic within 60 minutes",
    "cultures": "Blood cultures before the first dose",
    "assess": "Assess first",
    "notify": "Tell the provider at once",
    "reassess": "Reassess after the first dose",
    "harm": "Nothing that harms",
}


class Action(StrictModel):
    """One thing the nurse can do, how many (illustrative) minutes it takes, and why."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    text: str = Field(min_length=1)
    minutes: int = Field(ge=1, le=120)
    role: Role
    why: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class Patient(StrictModel):
    name: str
    age: int = Field(ge=0, le=120)
    story: str
    sources: tuple[str, ...] = Field(min_length=1)


class FeverScenario(StrictModel):
    """The data file: a fictional patient and the actions the student chooses from."""

    patient: Patient
    actions: tuple[Action, ...] = Field(min_length=len(NEEDED))

    @model_validator(mode="after")
    def _complete(self) -> FeverScenario:
        ids = [a.id for a in self.actions]
        if len(set(ids)) != len(ids):
            raise ValueError("action ids must be unique")
        for role in NEEDED:
            n = sum(1 for a in self.actions if a.role == role)
            if n != 1:
                raise ValueError(f"the scenario needs exactly one action with role {role!r}")
        best = sum(a.minutes for a in self.actions if a.role in NEEDED[:3])
        if best >= ANTIBIOTIC_WITHIN_MIN:
            raise ValueError("the best plan must reach the antibiotic within 60 minutes")
        return self

    def action(self, action_id: str) -> Action:
        for a in self.actions:
            if a.id == action_id:
                return a
        raise KeyError(action_id)


def load(path: Path | str | None = None) -> FeverScenario:
    """Read the scenario's data file (raises ContentError with file, field and message)."""
    return load_model(FeverScenario, path or DATA)


@cache
def scenario() -> FeverScenario:
    return load()


class PlanError(ValueError):
    """A plan the clock cannot run, with a message that says what to change."""


@dataclass(frozen=True)
class Step:
    """One action on the clock: it starts at `start` and ends at `end` (minutes)."""

    action: Action
    start: int
    end: int


Status = Literal["ok", "late", "missed", "harm"]


@dataclass(frozen=True)
class Finding:
    """One rule checked against the plan."""

    key: str
    title: str
    status: Status
    message: str
    sources: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class ClockResult:
    steps: tuple[Step, ...]
    findings: tuple[Finding, ...]
    antibiotic_minute: int | None  # when the first dose starts; None if never

    @property
    def met(self) -> int:
        return sum(1 for f in self.findings if f.ok)

    @property
    def total(self) -> int:
        return len(self.findings)


def check_plan(plan: Sequence[str | None]) -> str | None:
    """A message when the plan cannot be run (empty, a gap, a repeat), else None."""
    chosen = [p or "" for p in plan]
    while chosen and not chosen[-1]:
        chosen.pop()
    if not chosen:
        return "Choose at least one action for step 1, then start the clock."
    if "" in chosen:
        gap = chosen.index("") + 1
        return f"Step {gap} is empty but a later step is not: fill the steps in order."
    seen: set[str] = set()
    for i, a in enumerate(chosen, start=1):
        if a in seen:
            return f"Step {i} repeats an action chosen earlier: each action once."
        seen.add(a)
    return None


def schedule(plan: Sequence[str | None], data: FeverScenario | None = None) -> tuple[Step, ...]:
    """The clock: chosen actions one after another from minute 0. Raises PlanError."""
    data = data or scenario()
    message = check_plan(plan)
    if message:
        raise PlanError(message)
    steps, t = [], 0
    for action_id in [p for p in plan if p]:
        try:
            action = data.action(action_id)
        except KeyError:
            raise PlanError(f"Unknown action {action_id!r}.") from None
        steps.append(Step(action, t, t + action.minutes))
        t += action.minutes
    return tuple(steps)


def _first(steps: Sequence[Step], role: str) -> Step | None:
    return next((s for s in steps if s.action.role == role), None)


def _finding(key: str, status: Status, message: str, sources: tuple[str, ...]) -> Finding:
    return Finding(key, RULE_TITLES[key], status, message, sources)


def run_clock(plan: Sequence[str | None], data: FeverScenario | None = None) -> ClockResult:
    """Run the plan on the clock and check each rule. Raises PlanError for a bad plan."""
    data = data or scenario()
    steps = schedule(plan, data)
    by_role = {role: _first(steps, role) for role in NEEDED}
    abx = by_role["antibiotic"]
    findings: list[Finding] = []

    # 1. The first dose within 60 minutes.
    if abx is None:
        findings.append(
            _finding(
                "antibiotic",
                "missed",
                "The plan never starts the antibiotic. Neutropenic fever is an emergency: "
                f"the first dose starts within {ANTIBIOTIC_WITHIN_MIN} minutes.",
                ("nc-idsa-2011", "nc-asco-idsa-2018"),
            )
        )
    elif abx.start <= ANTIBIOTIC_WITHIN_MIN:
        findings.append(
            _finding(
                "antibiotic",
                "ok",
                f"The first dose starts at minute {abx.start}: within "
                f"{ANTIBIOTIC_WITHIN_MIN} minutes.",
                ("nc-idsa-2011", "nc-asco-idsa-2018", "nc-ssc-2021"),
            )
        )
    else:
        delays = [s for s in steps if s.action.role == "delay" and s.start < abx.start]
        cause = (
            " What held it up: " + "; ".join(s.action.text.lower() for s in delays) + "."
            if delays
            else ""
        )
        findings.append(
            _finding(
                "antibiotic",
                "late",
                f"The first dose starts at minute {abx.start}, "
                f"{abx.start - ANTIBIOTIC_WITHIN_MIN} minutes late.{cause} The 60-minute "
                "target is the guideline standard; in septic shock each hour of delay is "
                "linked to more deaths.",
                ("nc-idsa-2011", "nc-asco-idsa-2018", "nc-ssc-2021"),
            )
        )

    # 2. Cultures before the first dose.
    cultures = by_role["cultures"]
    if cultures is None:
        findings.append(
            _finding(
                "cultures",
                "missed",
                "No blood cultures: without them the organism may never be found. Draw them "
                "from each catheter lumen and a peripheral vein before the first dose.",
                ("nc-idsa-2011",),
            )
        )
    elif abx is not None and cultures.start > abx.start:
        findings.append(
            _finding(
                "cultures",
                "late",
                f"The cultures come after the antibiotic (minute {cultures.start}); the first "
                "dose can make them falsely negative. Draw them first: they take minutes and "
                "do not need to delay the dose.",
                ("nc-idsa-2011", "nc-asco-idsa-2018"),
            )
        )
    else:
        findings.append(
            _finding(
                "cultures",
                "ok",
                f"Cultures are drawn at minute {cultures.start}, before the first dose.",
                ("nc-idsa-2011", "nc-asco-idsa-2018"),
            )
        )

    # 3. Assess first.
    assess = by_role["assess"]
    if assess is None:
        findings.append(
            _finding(
                "assess",
                "missed",
                "The plan has no bedside assessment. Signs of infection can be few in "
                "neutropenia, and sepsis cues decide how urgent the call is.",
                ("nc-idsa-2011", "nc-ssc-2021"),
            )
        )
    elif assess.start == 0:
        findings.append(
            _finding(
                "assess",
                "ok",
                "You assess first: the call to the provider carries your findings.",
                ("nc-idsa-2011", "nc-ssc-2021"),
            )
        )
    else:
        findings.append(
            _finding(
                "assess",
                "late",
                f"The assessment starts at minute {assess.start}. Assess first: the provider "
                "needs the vital signs and sepsis cues, and a patient in shock needs help now.",
                ("nc-idsa-2011", "nc-ssc-2021"),
            )
        )

    # 4. Tell the provider at once (before the antibiotic, which needs an order).
    notify = by_role["notify"]
    if notify is None:
        findings.append(
            _finding(
                "notify",
                "missed",
                "The provider is never told. Neutropenic fever is reported at once.",
                ("nc-idsa-2011", "nc-asco-idsa-2018"),
            )
        )
    elif abx is not None and notify.start > abx.start:
        findings.append(
            _finding(
                "notify",
                "late",
                f"The provider hears at minute {notify.start}, after the antibiotic. Report "
                "the fever at once: the provider orders the antibiotic and the work-up.",
                ("nc-idsa-2011", "nc-asco-idsa-2018"),
            )
        )
    else:
        delays = [s for s in steps if s.action.role == "delay" and s.start < notify.start]
        status: Status = "late" if delays else "ok"
        message = (
            f"The provider hears at minute {notify.start}, after waiting: report at once."
            if delays
            else f"The provider hears at minute {notify.start}, with your findings."
        )
        findings.append(
            _finding(
                "notify",
                status,
                message,
                ("nc-idsa-2011", "nc-asco-idsa-2018"),
            )
        )

    # 5. Reassess after the dose.
    reassess = by_role["reassess"]
    if reassess is None or abx is None or reassess.start < abx.end:
        where = "is missing" if reassess is None else "comes before the first dose"
        findings.append(
            _finding(
                "reassess",
                "missed",
                f"Reassessment {where}. After the dose, watch blood pressure, respiratory "
                "rate, mental status and urine output: worsening cues mean sepsis and a "
                "rapid response call.",
                ("nc-ssc-2021",),
            )
        )
    else:
        findings.append(
            _finding(
                "reassess",
                "ok",
                f"You reassess at minute {reassess.start}, after the first dose.",
                ("nc-ssc-2021",),
            )
        )

    # 6. Nothing harmful.
    harms = [s for s in steps if s.action.role == "harm"]
    if harms:
        findings.append(
            _finding(
                "harm",
                "harm",
                " ".join(s.action.why.strip() for s in harms),
                tuple(dict.fromkeys(src for s in harms for src in s.action.sources)),
            )
        )
    else:
        findings.append(
            _finding(
                "harm",
                "ok",
                "No step puts the patient at risk.",
                ("nc-idsa-2011",),
            )
        )
    return ClockResult(steps, tuple(findings), abx.start if abx else None)


def best_plan(data: FeverScenario | None = None) -> tuple[str, ...]:
    """The plan the rules expect: assess, notify, cultures, antibiotic, reassess."""
    data = data or scenario()
    return tuple(next(a.id for a in data.actions if a.role == role) for role in NEEDED)


def source_ids() -> set[str]:
    """Every reference id the scenario can show (the notebook must cite each one)."""
    data = scenario()
    ids = set(RULE_SOURCES) | set(data.patient.sources) | {"R88"}
    for a in data.actions:
        ids.update(a.sources)
    return ids
