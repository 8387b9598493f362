"""Who do you see first? Four patients at shift change: prioritise, then delegate.

Priority, worked out from each patient's cues (never typed into the data):
- **Emergency** (see first): neutropenic fever, one oral temperature of 38.3 °C or more
  with an ANC below 500/µL [nc-idsa-2011]; a systolic pressure below 90 mm Hg, SpO₂ below
  90%, new confusion or active bleeding, cues of shock, hypoxia or haemorrhage that are
  treated at once [nc-ssc-2021].
- **Watch** (soon): platelets below 10,000/µL, the 2025 AABB/ICTMG threshold for a
  prophylactic platelet transfusion in chemotherapy [nc-aabb-ictmg-2025]; a neutropenic
  patient (ANC below 500/µL or expected to fall below 500 within 48 hours) with a
  temperature of 38.0-38.2 °C, which becomes neutropenic fever if it lasts an hour
  [nc-idsa-2011]; a fever of 38.0 °C or more at a higher ANC; sepsis cues without a fever.
- **Stable**: none of these.
Sepsis cues (respiratory rate 22 or more, systolic pressure 100 mm Hg or less, heart rate
above 100) make a febrile patient an emergency. Surviving Sepsis 2021 advises against
using such cues alone to screen [nc-ssc-2021], so without a fever they make the patient
"watch" (assess now), never "stable".

Delegation follows the NCSBN/ANA National Guidelines for Nursing Delegation (2019): the
RN keeps assessment, planning, evaluation, judgment and unstable patients; what an LPN or
assistive personnel may do depends on the state's nurse practice act and the employer,
so the data file states the unit's policy and each task's reason
[nc-ncsbn-delegation-2019].

Data: `assets/scenarios/shift_priorities.yml` through `load_model`. Pure: the model
builds two practice items (who first, who does each task) that the quiz renders and
grades in the kernel.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from allcourse.course import paths
from allcourse.course.content import StrictModel, load_model
from allcourse.quiz import models as m

DATA = paths.ASSETS / "scenarios" / "shift_priorities.yml"
BANK = "nursing-shift"  # practice attempts are recorded under this name, not as progress

NEUTROPENIC_BELOW = 500  # ANC /µL [nc-idsa-2011]
FEVER_SINGLE_C = 38.3  # one oral reading [nc-idsa-2011]
FEVER_SUSTAINED_C = 38.0  # ... or this for over an hour [nc-idsa-2011]
SBP_SHOCK_BELOW = 90  # mm Hg [nc-ssc-2021]
SPO2_BELOW = 90  # %
SEPSIS_RR_FROM = 22  # /min, a qSOFA cue [nc-ssc-2021]
SEPSIS_SBP_AT_MOST = 100  # mm Hg, a qSOFA cue [nc-ssc-2021]
PLATELET_TRANSFUSE_BELOW = 10_000  # /µL, prophylactic threshold [nc-aabb-ictmg-2025]

Level = Literal["emergency", "watch", "stable"]
RANK: dict[str, int] = {"emergency": 2, "watch": 1, "stable": 0}
LEVEL_TEXT: dict[str, str] = {
    "emergency": "an emergency",
    "watch": "at risk and needs attention soon",
    "stable": "stable",
}
Who = Literal["rn", "lpn", "ap"]
TEAM: dict[str, str] = {
    "rn": "Registered nurse (RN)",
    "lpn": "Licensed practical nurse (LPN)",
    "ap": "Assistive personnel (AP)",
}


class Patient(StrictModel):
    """A fictional patient at shift change, with the cues the nurse reads."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    age: int = Field(ge=0, le=120)
    summary: str
    anc: int = Field(ge=0)  # /µL
    anc_falling: bool = False  # expected to fall below 500/µL within 48 h [nc-idsa-2011]
    platelets: int = Field(ge=0)  # /µL
    temp_c: float = Field(ge=30, le=43)  # oral
    heart_rate: int = Field(ge=20, le=250)
    systolic_bp: int = Field(ge=40, le=260)
    resp_rate: int = Field(ge=4, le=60)
    spo2: int = Field(ge=50, le=100)
    mental_status: str
    confused: bool = False  # new confusion
    bleeding: bool = False  # active bleeding

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    def vitals_text(self) -> str:
        return (
            f"T {self.temp_c:.1f} °C, HR {self.heart_rate}, BP {self.systolic_bp} systolic, "
            f"RR {self.resp_rate}, SpO₂ {self.spo2}%; {self.mental_status}. ANC "
            f"{self.anc:,}/µL{' and falling' if self.anc_falling else ''}, platelets "
            f"{self.platelets:,}/µL."
        )


class Task(StrictModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    text: str
    who: Who
    why: str
    sources: tuple[str, ...] = Field(min_length=1)


class Shift(StrictModel):
    """The data file: the unit's delegation policy, the patients and the tasks."""

    unit_policy: str
    policy_sources: tuple[str, ...] = Field(min_length=1)
    patients: tuple[Patient, ...] = Field(min_length=2)
    tasks: tuple[Task, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_first(self) -> Shift:
        ids = [p.id for p in self.patients]
        if len(set(ids)) != len(ids):
            raise ValueError("patient ids must be unique")
        top = max(RANK[acuity(p).level] for p in self.patients)
        firsts = [p.id for p in self.patients if RANK[acuity(p).level] == top]
        if len(firsts) != 1:
            # "Who first?" needs one defensible answer.
            raise ValueError(f"exactly one patient must be the most urgent; got {firsts}")
        return self

    def patient(self, patient_id: str) -> Patient:
        for p in self.patients:
            if p.id == patient_id:
                return p
        raise KeyError(patient_id)


@dataclass(frozen=True)
class Acuity:
    """How urgent a patient is, and the cues behind it (each with its sources)."""

    level: Level
    cues: tuple[str, ...]
    sources: tuple[str, ...]


def acuity(p: Patient) -> Acuity:
    """The priority level of one patient from the rules in the module docstring."""
    emergency: list[str] = []
    watch: list[str] = []
    sources: list[str] = []
    # Neutropenic: an ANC below 500/µL, or expected to fall below 500 within 48 hours.
    neutropenic = p.anc < NEUTROPENIC_BELOW or p.anc_falling
    anc = f"an ANC of {p.anc:,}/µL" + (
        " expected to fall below 500/µL" if p.anc_falling and p.anc >= NEUTROPENIC_BELOW else ""
    )
    fever = p.temp_c >= FEVER_SUSTAINED_C
    if neutropenic and p.temp_c >= FEVER_SINGLE_C:
        emergency.append(f"neutropenic fever (oral {p.temp_c:.1f} °C with {anc})")
        sources.append("nc-idsa-2011")
    elif neutropenic and fever:
        watch.append(
            f"a temperature of {p.temp_c:.1f} °C with {anc}: neutropenic fever if it lasts an hour"
        )
        sources.append("nc-idsa-2011")
    elif fever:
        watch.append(
            f"a temperature of {p.temp_c:.1f} °C: not neutropenic fever at this ANC, but it is "
            "assessed and reported, and the ANC trend checked"
        )
        sources.append("nc-idsa-2011")
    if p.systolic_bp < SBP_SHOCK_BELOW:
        emergency.append(f"a systolic pressure of {p.systolic_bp} mm Hg")
    if p.spo2 < SPO2_BELOW:
        emergency.append(f"SpO₂ {p.spo2}%")
    if p.confused:
        emergency.append("new confusion")
    if p.bleeding:
        emergency.append("active bleeding")
    sepsis = []
    if p.resp_rate >= SEPSIS_RR_FROM:
        sepsis.append(f"respiratory rate {p.resp_rate}")
    if p.systolic_bp <= SEPSIS_SBP_AT_MOST:
        sepsis.append(f"systolic pressure {p.systolic_bp}")
    if p.heart_rate > 100:
        sepsis.append(f"heart rate {p.heart_rate}")
    if sepsis and fever:
        emergency.append("sepsis cues: " + ", ".join(sepsis))
        sources.append("nc-ssc-2021")
    elif sepsis and not emergency:
        # Not enough alone to call sepsis [nc-ssc-2021], but never "stable": assess now.
        watch.append("abnormal vital signs without a fever (" + ", ".join(sepsis) + ")")
        sources.append("nc-ssc-2021")
    if p.platelets < PLATELET_TRANSFUSE_BELOW:
        watch.append(
            f"platelets {p.platelets:,}/µL, below the 10,000/µL threshold for a prophylactic "
            "transfusion"
        )
        sources.append("nc-aabb-ictmg-2025")
    if emergency:
        return Acuity("emergency", tuple(emergency + watch), tuple(dict.fromkeys(sources)))
    if watch:
        return Acuity("watch", tuple(watch), tuple(dict.fromkeys(sources)))
    return Acuity("stable", ("vital signs and counts with no urgent cue",), ("nc-idsa-2011",))


def load(path: Path | str | None = None) -> Shift:
    return load_model(Shift, path or DATA)


@cache
def shift() -> Shift:
    return load()


def priority_order(data: Shift | None = None) -> tuple[Patient, ...]:
    """Patients from most to least urgent (ties keep the data file's order)."""
    data = data or shift()
    return tuple(sorted(data.patients, key=lambda p: -RANK[acuity(p).level]))


def first_patient(data: Shift | None = None) -> Patient:
    return priority_order(data)[0]


def _cues_text(a: Acuity) -> str:
    return "; ".join(a.cues)


def who_first_item(data: Shift | None = None) -> m.SingleChoice:
    """ "Who do you see first?" with the key and every rationale from `acuity()`."""
    data = data or shift()
    first = first_patient(data)
    options = []
    for p in data.patients:
        a = acuity(p)
        if p.id == first.id:
            why = (
                f"Right: {p.first_name} is {LEVEL_TEXT[a.level]}: {_cues_text(a)}. An "
                "unstable patient is seen first; the others can wait minutes safely."
            )
        else:
            why = (
                f"{p.first_name} is {LEVEL_TEXT[a.level]} ({_cues_text(a)}), so after "
                f"{first.first_name}, who is an emergency."
            )
        options.append(
            m.Option(
                id=p.id,
                text=f"{p.name}, {p.age}: {p.summary} {p.vitals_text()}",
                correct=p.id == first.id,
                rationale=why,
            )
        )
    sources = sorted({s for p in data.patients for s in acuity(p).sources})
    return m.SingleChoice(
        type="single",
        id=f"{BANK}-first",
        stem="**Step 1.** It is 07:00. Which patient does the nurse see first?",
        topic="prioritisation",
        objective="nursing.5",
        step="prioritize_hypotheses",
        difficulty="medium",
        sources=sources,
        explanation=(
            "See first the patient whose cues say a life is at risk now (airway, breathing, "
            "circulation, sepsis, bleeding); then the patient at risk; then the stable ones. "
            "Neutropenic fever is an emergency: antibiotics within 60 minutes."
        ),
        options=options,
    )


def delegation_item(data: Shift | None = None) -> m.MatrixSingle:
    """ "Who does each task?": one row per task, columns RN, LPN and AP."""
    data = data or shift()
    rows = [
        m.MatrixRow(id=t.id, text=t.text, correct=[t.who], rationale=f"{TEAM[t.who]}. {t.why}")
        for t in data.tasks
    ]
    sources = sorted({s for t in data.tasks for s in t.sources} | set(data.policy_sources))
    return m.MatrixSingle(
        type="matrix_single",
        id=f"{BANK}-delegate",
        stem=(
            "**Step 2.** You are the RN for all four patients, with an LPN and an assistive "
            "person. For each task, choose the team member it is best given to under the "
            "unit's policy (the lowest level allowed to do it safely)."
        ),
        topic="delegation",
        objective="nursing.5",
        step="take_action",
        difficulty="medium",
        sources=sources,
        explanation=(
            "The RN keeps assessment, planning, new teaching, evaluation and unstable "
            "patients, and gives what the unit reserves for RNs (blood products, "
            "chemotherapy and immunotherapy). Stable, predictable care goes to the LPN "
            "(scheduled oral medicines, reinforcing teaching) or to assistive personnel "
            "(vital signs, weights, intake and output, walking), who report back. The RN "
            "stays accountable for what is delegated."
        ),
        columns=[m.MatrixColumn(id=k, text=v) for k, v in TEAM.items()],
        rows=rows,
    )


def items(data: Shift | None = None) -> tuple[m.SingleChoice, m.MatrixSingle]:
    return who_first_item(data), delegation_item(data)


def source_ids() -> set[str]:
    data = shift()
    ids = set(data.policy_sources) | {"nc-idsa-2011", "nc-ssc-2021", "nc-aabb-ictmg-2025"}
    for t in data.tasks:
        ids.update(t.sources)
    return ids
