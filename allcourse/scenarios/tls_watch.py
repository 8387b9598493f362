"""TLS watch: laboratory values over the 72 hours after induction starts, classified at
each time point, then what is most dangerous now and what the nurse does.

The classification (adults), Cairo-Bishop 2004:
- **Laboratory TLS**: two or more of these, from 3 days before to 7 days after treatment
  starts: uric acid 8.0 mg/dL or more, or a 25% rise from baseline; potassium 6.0 mmol/L
  or more, or a 25% rise; phosphate 4.5 mg/dL or more (children 6.5), or a 25% rise;
  corrected calcium 7.0 mg/dL or less, or a 25% fall [nc-cairo-bishop-2004]. The
  baseline is the first time point (hour 0, before treatment acts). The model checks the
  values of each time point together. Howard et al. 2011 proposed dropping the 25% change
  (a change within the normal range means little) and asking for the abnormalities at
  the same time [nc-howard-tls-2011]; in this scenario's data the two definitions give
  the same level at every time point (only the reason at 36 h lists one more value).
- **Clinical TLS**: laboratory TLS plus acute kidney injury (here: creatinine 1.5 times
  the upper limit of normal or more), a cardiac arrhythmia or sudden death, or a seizure
  [nc-cairo-bishop-2004, nc-howard-tls-2011]. Howard also counts a creatinine rise of
  0.3 mg/dL or oliguria (below 0.5 mL/kg/h for 6 hours) as kidney injury; the scenario's
  note gives the urine output where it matters.
- Hyperkalaemia is the most immediately dangerous finding: it can cause a fatal
  arrhythmia with little warning [nc-howard-tls-2011].
- Rasburicase lowers uric acid within hours but is contraindicated in G6PD deficiency
  (haemolysis, methaemoglobinaemia); blood for uric acid after it is kept on ice
  [nc-elitek-label].

The phosphate line is the adult one (children: 6.5 mg/dL) [nc-cairo-bishop-2004].

Data: `assets/scenarios/tls_watch.yml` through `load_model`. Pure: the view draws the
trend and the classification drop-downs and calls `grade()`; the two practice items are
built here and graded by the quiz.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from allcourse.course import paths
from allcourse.course.content import StrictModel, load_model
from allcourse.quiz import models as m

DATA = paths.ASSETS / "scenarios" / "tls_watch.yml"
BANK = "nursing-tls"

URIC_ACID_FROM = 8.0  # mg/dL [nc-cairo-bishop-2004]
POTASSIUM_FROM = 6.0  # mmol/L
PHOSPHATE_FROM = 4.5  # mg/dL, adults
CALCIUM_AT_MOST = 7.0  # mg/dL, corrected
CHANGE_FROM_BASELINE = 0.25  # a 25% rise (uric acid, K, phosphate) or fall (calcium)
CREATININE_ULN_TIMES = 1.5  # clinical TLS: creatinine >= 1.5 x ULN
RULE_SOURCES = ("nc-cairo-bishop-2004", "nc-howard-tls-2011")

Analyte = Literal["uric_acid", "potassium", "phosphate", "calcium", "creatinine"]
NAMES: dict[str, str] = {
    "uric_acid": "Uric acid",
    "potassium": "Potassium",
    "phosphate": "Phosphate",
    "calcium": "Calcium (corrected)",
    "creatinine": "Creatinine",
}
UNITS: dict[str, str] = {
    "uric_acid": "mg/dL",
    "potassium": "mmol/L",
    "phosphate": "mg/dL",
    "calcium": "mg/dL",
    "creatinine": "mg/dL",
}
Level = Literal["none", "laboratory", "clinical"]
LEVELS: dict[str, str] = {
    "none": "Criteria not met at this time",
    "laboratory": "Laboratory TLS",
    "clinical": "Clinical TLS",
}


class Patient(StrictModel):
    name: str
    age: int = Field(ge=18, le=120)  # adult thresholds
    story: str
    sources: tuple[str, ...] = Field(min_length=1)


class Labs(StrictModel):
    uric_acid: tuple[float, ...]
    potassium: tuple[float, ...]
    phosphate: tuple[float, ...]
    calcium: tuple[float, ...]
    creatinine: tuple[float, ...]


class ActionChoice(StrictModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    text: str
    correct: bool
    why: str
    sources: tuple[str, ...] = Field(min_length=1)


class TlsScenario(StrictModel):
    """The data file: a fictional patient, labs at each time, notes, and the actions."""

    patient: Patient
    creatinine_uln: float = Field(gt=0)
    times: tuple[str, ...] = Field(min_length=2)
    labs: Labs
    notes: dict[str, str] = Field(default_factory=dict)
    now: str
    actions: tuple[ActionChoice, ...] = Field(min_length=3)

    @model_validator(mode="after")
    def _shape(self) -> TlsScenario:
        n = len(self.times)
        for name in NAMES:
            if len(getattr(self.labs, name)) != n:
                raise ValueError(f"labs.{name} needs one value for each of the {n} times")
        for key in [*self.notes, self.now]:
            if key not in self.times:
                raise ValueError(f"{key!r} is not one of the times {list(self.times)}")
        if not any(a.correct for a in self.actions):
            raise ValueError("at least one action must be correct")
        return self

    def values_at(self, time: str) -> dict[str, float]:
        i = self.times.index(time)
        return {name: getattr(self.labs, name)[i] for name in NAMES}


def load(path: Path | str | None = None) -> TlsScenario:
    return load_model(TlsScenario, path or DATA)


@cache
def scenario() -> TlsScenario:
    return load()


@dataclass(frozen=True)
class Classification:
    """What one time point shows, and why."""

    time: str
    level: Level
    abnormal: tuple[str, ...]  # analytes meeting a criterion (not creatinine)
    kidney_injury: bool
    reason: str

    @property
    def label(self) -> str:
        return LEVELS[self.level]


def _fmt(v: float) -> str:
    return f"{v:.1f}"


def _changed(name: str, value: float, baseline: Mapping[str, float] | None) -> bool:
    """A 25% rise from baseline (a 25% fall for calcium) [nc-cairo-bishop-2004]."""
    if baseline is None or baseline[name] <= 0:
        return False
    ratio = value / baseline[name]
    if name == "calcium":
        return ratio <= 1 - CHANGE_FROM_BASELINE + 1e-9
    return ratio >= 1 + CHANGE_FROM_BASELINE - 1e-9


def abnormal_values(
    values: Mapping[str, float], baseline: Mapping[str, float] | None = None
) -> list[str]:
    """The laboratory criteria a set of values meets, in a fixed order: each value past its
    line, or changed by 25% from `baseline` when one is given [nc-cairo-bishop-2004]."""
    past = {
        "uric_acid": values["uric_acid"] >= URIC_ACID_FROM,
        "potassium": values["potassium"] >= POTASSIUM_FROM,
        "phosphate": values["phosphate"] >= PHOSPHATE_FROM,
        "calcium": values["calcium"] <= CALCIUM_AT_MOST,
    }
    return [a for a, hit in past.items() if hit or _changed(a, values[a], baseline)]


def _describe(a: str, values: Mapping[str, float], baseline: Mapping[str, float] | None) -> str:
    """'potassium 5.9 mmol/L (34% above baseline)' when only the change meets the criterion."""
    text = f"{NAMES[a].lower()} {_fmt(values[a])} {UNITS[a]}"
    if a in abnormal_values(values) or baseline is None:
        return text
    pct = round(abs(values[a] / baseline[a] - 1) * 100)
    return f"{text} ({pct}% {'below' if a == 'calcium' else 'above'} baseline)"


def classify(
    values: Mapping[str, float],
    creatinine_uln: float,
    time: str = "",
    baseline: Mapping[str, float] | None = None,
) -> Classification:
    """Classify one time point (see the module docstring for the rules and sources).

    `values` and `baseline` map analyte names to mg/dL (potassium mmol/L); without a
    baseline only the absolute lines count."""
    abnormal = abnormal_values(values, baseline)
    aki = values["creatinine"] >= CREATININE_ULN_TIMES * creatinine_uln
    listed = ", ".join(_describe(a, values, baseline) for a in abnormal)
    if len(abnormal) < 2:
        level: Level = "none"
        if abnormal:
            reason = (
                f"Only one value meets a criterion ({listed}); laboratory TLS needs two or "
                "more. Keep watching the trend."
            )
        else:
            reason = "No value is past its line or 25% changed from baseline."
        if values["creatinine"] > creatinine_uln:
            reason += (
                f" Creatinine {_fmt(values['creatinine'])} mg/dL is still above the upper "
                f"limit of {_fmt(creatinine_uln)}: keep watching the kidneys."
            )
    elif aki:
        level = "clinical"
        reason = (
            f"{len(abnormal)} values meet the criteria ({listed}) and creatinine "
            f"{_fmt(values['creatinine'])} mg/dL, at least 1.5 times the upper limit of "
            f"{_fmt(creatinine_uln)}: acute kidney injury makes it clinical TLS."
        )
    else:
        level = "laboratory"
        reason = (
            f"{len(abnormal)} values meet the criteria ({listed}): laboratory "
            f"TLS. Creatinine {_fmt(values['creatinine'])} mg/dL is below 1.5 times the upper "
            "limit, so not (yet) clinical TLS."
        )
    return Classification(time, level, tuple(abnormal), aki, reason)


def timeline(data: TlsScenario | None = None) -> tuple[Classification, ...]:
    """Every time point, classified."""
    data = data or scenario()
    baseline = data.values_at(data.times[0])
    out: list[Classification] = []
    first_met = ""
    for t in data.times:
        c = classify(data.values_at(t), data.creatinine_uln, t, baseline)
        if c.level != "none" and not first_met:
            first_met = t
        elif c.level == "none" and first_met:
            # Falling values after treatment do not undo a diagnosis made earlier in the
            # window [nc-cairo-bishop-2004]; say so, so that "not met" never reads "over".
            c = replace(
                c,
                reason=f"{c.reason} These values alone do not meet the criteria, but TLS was "
                f"already present from {first_met}: the diagnosis stands and the care and "
                "monitoring go on; the falling values show the treatment working.",
            )
        out.append(c)
    return tuple(out)


class AnswerError(ValueError):
    """An answer the grader cannot use (a missing or unknown choice)."""


@dataclass(frozen=True)
class PointResult:
    expected: Classification
    answer: str

    @property
    def correct(self) -> bool:
        return self.answer == self.expected.level


@dataclass(frozen=True)
class TimelineResult:
    points: tuple[PointResult, ...]

    @property
    def right(self) -> int:
        return sum(1 for p in self.points if p.correct)

    @property
    def total(self) -> int:
        return len(self.points)


def check_answers(answers: Mapping[str, str | None], data: TlsScenario | None = None) -> str | None:
    data = data or scenario()
    missing = [t for t in data.times if not answers.get(t)]
    if missing:
        return f"Classify every time point first ({len(missing)} left: {', '.join(missing)})."
    return None


def grade(answers: Mapping[str, str | None], data: TlsScenario | None = None) -> TimelineResult:
    """Compare the student's level for each time with the model's. Raises AnswerError."""
    data = data or scenario()
    message = check_answers(answers, data)
    if message:
        raise AnswerError(message)
    results = []
    for c in timeline(data):
        answer = answers[c.time]
        if answer not in LEVELS:
            raise AnswerError(f"Unknown choice {answer!r} for {c.time}.")
        results.append(PointResult(c, answer))  # type: ignore[arg-type]
    return TimelineResult(tuple(results))


def exhibit(data: TlsScenario | None = None) -> m.TrendExhibit:
    """The trend as a quiz exhibit: one table and one chart per analyte."""
    data = data or scenario()
    return m.TrendExhibit(
        title=f"{data.patient.name}: laboratory values after induction starts",
        times=list(data.times),
        series=[
            m.TrendSeries(name=NAMES[a], unit=UNITS[a], values=list(getattr(data.labs, a)))
            for a in NAMES
        ],
    )


# Why each value matters at the time point "now", for the rationales [nc-howard-tls-2011].
DANGER: dict[str, str] = {
    "potassium": "can cause a fatal arrhythmia with little warning: it is the most "
    "immediately dangerous value",
    "phosphate": "binds calcium and deposits in the kidneys, worsening kidney injury over hours",
    "calcium": "can cause tetany, seizures or an arrhythmia when symptoms appear; it is "
    "low because phosphate is high",
    "uric_acid": "has already fallen after rasburicase",
    "creatinine": "shows the kidney injury; it is the result of the other values, not the "
    "first threat to life",
}


def most_dangerous(data: TlsScenario | None = None) -> str:
    """The value that threatens life soonest at "now": potassium when it is past its line,
    otherwise the first abnormal value (hyperkalaemia first) [nc-howard-tls-2011]."""
    data = data or scenario()
    values = data.values_at(data.now)
    abnormal = abnormal_values(values, data.values_at(data.times[0]))
    if "potassium" in abnormal:
        return "potassium"
    return abnormal[0] if abnormal else "potassium"


def danger_item(data: TlsScenario | None = None) -> m.SingleChoice:
    data = data or scenario()
    values = data.values_at(data.now)
    key = most_dangerous(data)
    note = data.notes.get(data.now, "")
    options = []
    for a in NAMES:
        text = f"{NAMES[a]} {_fmt(values[a])} {UNITS[a]}"
        why = f"{text} {DANGER[a]}."
        options.append(
            m.Option(
                id=a, text=text, correct=a == key, rationale=("Right: " if a == key else "") + why
            )
        )
    return m.SingleChoice(
        type="single",
        id=f"{BANK}-danger",
        stem=(
            f"**Step 2.** It is hour {data.now.split()[0]}. {note} Which value is the most "
            "dangerous right now?"
        ),
        topic="tumour lysis syndrome",
        objective="nursing.3",
        step="prioritize_hypotheses",
        difficulty="medium",
        sources=list(RULE_SOURCES),
        explanation=(
            "In tumour lysis syndrome high potassium is the first threat to life: it can "
            "stop the heart. High phosphate, low calcium and kidney injury follow from the "
            "same cell breakdown."
        ),
        options=options,
    )


def actions_item(data: TlsScenario | None = None) -> m.MultipleResponse:
    data = data or scenario()
    sources = sorted({s for a in data.actions for s in a.sources})
    return m.MultipleResponse(
        type="sata",
        id=f"{BANK}-actions",
        stem=(
            f"**Step 3.** Hour {data.now.split()[0]}: which actions does the nurse take now? "
            "Select all that apply."
        ),
        topic="tumour lysis syndrome",
        objective="nursing.3",
        step="take_action",
        difficulty="hard",
        sources=sources,
        explanation=(
            "Clinical TLS with hyperkalaemia: monitor the heart, tell the provider now, "
            "measure urine output closely, and add no potassium or phosphate. Calcium is "
            "not given for a low number alone, urine is no longer alkalinised, and fluids "
            "change only on orders."
        ),
        options=[
            m.Option(
                id=a.id,
                text=a.text,
                correct=a.correct,
                rationale=("Yes. " if a.correct else "No. ") + a.why.strip(),
            )
            for a in data.actions
        ],
    )


def items(data: TlsScenario | None = None) -> tuple[m.SingleChoice, m.MultipleResponse]:
    return danger_item(data), actions_item(data)


def source_ids() -> set[str]:
    data = scenario()
    ids = set(RULE_SOURCES) | set(data.patient.sources)
    for a in data.actions:
        ids.update(a.sources)
    return ids
