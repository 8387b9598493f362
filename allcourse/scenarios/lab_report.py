"""Read the lab report: the absolute neutrophil count (ANC) from a CBC with differential.

The sourced facts the model applies:
- ANC = WBC x (% segmented neutrophils + % bands) / 100 [R91, rv-medscape-neutropenia].
- ANC bands, per mm³: normal 1,500 or more; mild neutropenia 1,000 to < 1,500; moderate
  500 to < 1,000; severe < 500 [R91, rv-medscape-neutropenia]. The bands are
  `marrow_crowding`'s, so the course has one definition of them.
- Neutropenic precautions: hand hygiene on entering and leaving, no ill visitors, no live
  plants or cut flowers, the patient masks outside the room [R92, R93]; no rectal
  temperatures [R88].
- Neutropenic fever: one oral temperature of 38.3 °C or more, or 38.0 °C or more for over
  an hour, with an ANC below 500 or expected to fall below 500 within 48 hours (IDSA 2011,
  kept by the ASCO/IDSA 2018 update) [rv-idsa-2011, rv-asco-idsa-2018]; blood cultures
  before the first antibiotic dose without delaying it, and IV antibiotics within 60
  minutes [rv-asco-idsa-2018, R89, R90]. Whether the ANC is expected to fall is a fact of
  the patient's care (a patient's `anc_expected_below_500`), not something the report
  shows, so the model takes it as given.

Units, explicitly. The ANC is worked out and reported in cells/mm³ (the same number as
cells/µL, since 1 µL = 1 mm³). A WBC reported as x10³/µL or x10⁹/L (the same number in
both) is multiplied by 1,000 first. Arithmetic is exact (decimals, not floats); the ANC
is reported rounded half up to a whole cell, and the band is read from the reported
value, so the number a student sees and the band shown always agree.

The sources do not say from which ANC a unit starts neutropenic precautions; this model
lists them for any neutropenia (ANC below 1,500/mm³) and says so.

Pure and deterministic: no widgets. The view (`lab_report_view`) draws the report and
renders the three practice items that `reading()` builds from the patient's data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from allcourse.quiz import models as m
from allcourse.scenarios.marrow_crowding import (
    ANC_MILD,
    ANC_MODERATE,
    ANC_NORMAL,
    ANC_SEVERE,
    ANC_SOURCES,
    Band,
    anc_band,
)

ANC_UNIT = "cells/mm³"
ANC_BANDS: tuple[Band, ...] = (ANC_NORMAL, ANC_MILD, ANC_MODERATE, ANC_SEVERE)
SEVERE_BELOW = 500  # neutropenic fever: ANC below this, or expected to fall below it
FEVER_SINGLE_C = Decimal("38.3")  # one oral reading at or above [rv-idsa-2011]
FEVER_SUSTAINED_C = Decimal("38.0")  # ... or at or above this for over an hour
FEVER_SUSTAINED_MINUTES = 60
# Plausible body temperatures in °C: a value outside is most likely °F or a typing slip.
TEMP_MIN_C, TEMP_MAX_C = Decimal(25), Decimal(45)


class LabInputError(ValueError):
    """A lab value the model cannot use, with a message that says what to fix."""


# --- units --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WbcUnit:
    """How a report gives the white cell count, and the factor to cells/mm³."""

    key: str
    label: str
    to_per_mm3: Decimal


CELLS_PER_MM3 = WbcUnit("per_mm3", "cells/mm³", Decimal(1))
CELLS_PER_UL = WbcUnit("per_ul", "cells/µL", Decimal(1))  # 1 µL = 1 mm³
THOUSANDS_PER_UL = WbcUnit("k_per_ul", "×10³/µL", Decimal(1000))
GIGA_PER_L = WbcUnit("g_per_l", "×10⁹/L", Decimal(1000))  # 10⁹/L = 10³/µL
UNITS: dict[str, WbcUnit] = {
    u.key: u for u in (CELLS_PER_MM3, CELLS_PER_UL, THOUSANDS_PER_UL, GIGA_PER_L)
}


def unit_of(unit: WbcUnit | str) -> WbcUnit:
    if isinstance(unit, WbcUnit):
        return unit
    by_label = {u.label: u for u in UNITS.values()}
    if isinstance(unit, str) and (unit in UNITS or unit in by_label):
        return UNITS.get(unit) or by_label[unit]
    accepted = ", ".join(u.label for u in UNITS.values())
    raise LabInputError(f"Unknown WBC unit {unit!r}; use one of: {accepted}.")


# --- numbers ------------------------------------------------------------------------------

THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")


def _decimal(value: object, what: str) -> Decimal:
    """A finite, non-negative number as an exact decimal (floats via their shortest text)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise LabInputError(f"{what} must be a number; got {value!r}.")
    # A float goes through its shortest text (1.8 -> "1.8"), so 1.8 x 1,000 is 1,800 exactly.
    text = str(value).strip()
    if isinstance(value, str) and "," in text:
        if not THOUSANDS.fullmatch(text):  # "1,5" is a decimal comma, not fifteen
            raise LabInputError(f"{what}: use a decimal point, not a comma; got {value!r}.")
        text = text.replace(",", "")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise LabInputError(f"{what} must be a number; got {value!r}.") from None
    if not d.is_finite():
        raise LabInputError(f"{what} must be a number; got {value!r}.")
    if d < 0:
        raise LabInputError(f"{what} cannot be negative; got {fmt(d)}.")
    return d


def fmt(value: Decimal | int | float) -> str:
    """1800 -> "1,800"; 1.80 -> "1.8"; no exponent, no trailing zeros."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d.normalize():,f}"


def percent(value: object, what: str) -> Decimal:
    d = _decimal(value, what)
    if d > 100:
        raise LabInputError(f"{what} is a percentage from 0 to 100; got {fmt(d)}.")
    return d


# --- the differential -----------------------------------------------------------------------

# (field, name on the report)
CELL_NAMES: tuple[tuple[str, str], ...] = (
    ("segs", "Segmented neutrophils (segs)"),
    ("bands", "Band neutrophils (bands)"),
    ("lymphs", "Lymphocytes"),
    ("monos", "Monocytes"),
    ("eos", "Eosinophils"),
    ("basos", "Basophils"),
    ("blasts", "Blasts"),
)


@dataclass(frozen=True)
class Differential:
    """The white cell differential, each cell type as a percentage of the WBC.

    Cell types not listed may be left at 0; the percentages may not add up to more
    than 100 (that is a typing or transcription error, not a count).
    """

    segs: Decimal
    bands: Decimal
    lymphs: Decimal = Decimal(0)
    monos: Decimal = Decimal(0)
    eos: Decimal = Decimal(0)
    basos: Decimal = Decimal(0)
    blasts: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        names = dict(CELL_NAMES)
        for f in fields(self):
            object.__setattr__(self, f.name, percent(getattr(self, f.name), f"{names[f.name]} %"))
        total = self.total()
        if total > 100:
            parts = " + ".join(
                f"{fmt(getattr(self, key))}" for key, _ in CELL_NAMES if getattr(self, key)
            )
            raise LabInputError(
                f"The differential adds up to {fmt(total)}% ({parts}); the percentages of "
                "the white cells cannot add up to more than 100%. Check the report."
            )

    def total(self) -> Decimal:
        return sum((getattr(self, key) for key, _ in CELL_NAMES), Decimal(0))

    def rows(self) -> list[tuple[str, str, Decimal]]:
        """(field, name, percent) in report order."""
        return [(key, name, getattr(self, key)) for key, name in CELL_NAMES]


# --- the ANC --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AncResult:
    wbc: Decimal  # as reported
    unit: WbcUnit
    wbc_per_mm3: Decimal
    neutrophil_percent: Decimal  # segs + bands
    exact: Decimal  # cells/mm³, before rounding
    reported: int  # cells/mm³, rounded half up
    band: Band
    segs: Decimal
    bands: Decimal

    @property
    def rounded(self) -> bool:
        return self.exact != self.reported

    def worked_solution(self) -> str:
        """The steps, in Markdown, with this patient's numbers."""
        steps = [
            f"1. Add the neutrophils, mature and young: segs {fmt(self.segs)}% + bands "
            f"{fmt(self.bands)}% = **{fmt(self.neutrophil_percent)}%**."
        ]
        if self.unit.to_per_mm3 == 1:
            steps.append(
                f"2. The WBC is already in cells per mm³: {fmt(self.wbc)} {self.unit.label}"
                + (
                    ""
                    if self.unit is CELLS_PER_MM3
                    else " = the same number per mm³ (1 µL = 1 mm³)"
                )
                + "."
            )
        else:
            steps.append(
                f"2. Put the WBC in cells/mm³: {fmt(self.wbc)} {self.unit.label} × "
                f"{fmt(self.unit.to_per_mm3)} = **{fmt(self.wbc_per_mm3)} cells/mm³** "
                "(×10³/µL and ×10⁹/L give the same number; 1 µL = 1 mm³)."
            )
        steps.append(
            f"3. ANC = WBC × (segs + bands) ÷ 100 = {fmt(self.wbc_per_mm3)} × "
            f"{fmt(self.neutrophil_percent)} ÷ 100 = **{fmt(self.exact)} {ANC_UNIT}**."
        )
        if self.rounded:
            steps.append(f"4. Rounded to a whole cell: **{fmt(self.reported)} {ANC_UNIT}**.")
        return "\n".join(steps)


def wbc_per_mm3(wbc: object, unit: WbcUnit | str) -> Decimal:
    u = unit_of(unit)
    return _decimal(wbc, f"WBC ({u.label})") * u.to_per_mm3


def compute_anc(wbc: object, unit: WbcUnit | str, segs: object, bands: object) -> AncResult:
    """ANC = WBC x (% segs + % bands) / 100 [R91, rv-medscape-neutropenia], in cells/mm³."""
    u = unit_of(unit)
    count = _decimal(wbc, f"WBC ({u.label})")
    s = percent(segs, "Segmented neutrophils (segs) %")
    b = percent(bands, "Band neutrophils (bands) %")
    if s + b > 100:
        raise LabInputError(
            f"Segs {fmt(s)}% + bands {fmt(b)}% = {fmt(s + b)}%: neutrophils cannot be more "
            "than 100% of the white cells."
        )
    per_mm3 = count * u.to_per_mm3
    exact = per_mm3 * (s + b) / 100
    reported = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return AncResult(
        wbc=count,
        unit=u,
        wbc_per_mm3=per_mm3,
        neutrophil_percent=s + b,
        exact=exact,
        reported=reported,
        band=anc_band(reported),
        segs=s,
        bands=b,
    )


def classify(anc: int | float | Decimal) -> Band:
    """The neutropenia band of an ANC in cells/mm³ [R91, rv-medscape-neutropenia]."""
    return anc_band(_decimal(anc, "ANC"))


def is_fever(temp_c: Decimal, minutes: int) -> bool:
    """IDSA's fever [rv-idsa-2011]: one oral temperature of 38.3 °C or more, or 38.0 °C or
    more lasting over an hour (`minutes` at that level)."""
    return temp_c >= FEVER_SINGLE_C or (
        temp_c >= FEVER_SUSTAINED_C and minutes > FEVER_SUSTAINED_MINUTES
    )


def neutropenic_fever(
    anc: int, temp_c: Decimal, minutes: int, *, expected_below_500: bool = False
) -> bool:
    """IDSA's definition (2011; ASCO/IDSA 2018) [rv-idsa-2011, rv-asco-idsa-2018]: a fever
    (`is_fever`) with an ANC below 500/mm³, or an ANC expected to fall below 500 within
    48 hours (`expected_below_500`)."""
    neutropenic = anc < SEVERE_BELOW or expected_below_500
    return neutropenic and is_fever(temp_c, minutes)


def temperature(value: object) -> Decimal:
    t = _decimal(value, "Temperature (°C)")
    if not TEMP_MIN_C <= t <= TEMP_MAX_C:
        hint = " It looks like °F: convert it to °C." if t > TEMP_MAX_C else ""
        raise LabInputError(
            f"Temperature {fmt(t)} °C is outside {TEMP_MIN_C}-{TEMP_MAX_C} °C.{hint}"
        )
    return t


# --- patients -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabPatient:
    """A fictional patient's white cell report and oral temperature."""

    id: str
    name: str
    age: int
    setting: str  # where the patient is in their care, shown with the report
    wbc: Decimal
    unit: WbcUnit
    differential: Differential
    temp_c: Decimal
    temp_minutes: int = 0  # how long the temperature has been at this level
    # The care team expects the ANC to fall below 500 within 48 hours (e.g. chemotherapy
    # days ago): part of the neutropenic-fever definition that a report cannot show.
    anc_expected_below_500: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", unit_of(self.unit))
        object.__setattr__(self, "wbc", _decimal(self.wbc, f"WBC ({self.unit.label})"))
        object.__setattr__(self, "temp_c", temperature(self.temp_c))
        if isinstance(self.temp_minutes, bool) or not isinstance(self.temp_minutes, int):
            raise LabInputError(
                f"Minutes at this temperature must be a whole number; got {self.temp_minutes!r}."
            )
        if self.temp_minutes < 0:
            raise LabInputError("Minutes at this temperature cannot be negative.")

    @property
    def is_child(self) -> bool:
        return self.age < 18

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


def _diff(**values: object) -> Differential:
    return Differential(**{k: Decimal(str(v)) for k, v in values.items()})


# The patients are fictional. Each report uses a different WBC unit on purpose.
PATIENTS: tuple[LabPatient, ...] = (
    LabPatient(
        id="daniel",
        name="Daniel Okafor",
        age=34,
        setting="Newly diagnosed B-cell ALL, before any treatment.",
        wbc=Decimal("42.0"),
        unit=THOUSANDS_PER_UL,
        differential=_diff(segs=2, bands=1, lymphs=5, monos=1, blasts=91),
        temp_c=Decimal("37.2"),
    ),
    LabPatient(
        id="ana",
        name="Ana Reyes",
        age=58,
        setting="Day 10 of induction chemotherapy.",
        wbc=Decimal(1200),
        unit=CELLS_PER_MM3,
        differential=_diff(segs=20, bands=5, lymphs=70, monos=5),
        temp_c=Decimal("38.4"),
    ),
    LabPatient(
        id="leo",
        name="Leo Martin",
        age=7,
        setting="Paediatric patient, day 15 of induction chemotherapy.",
        wbc=Decimal("3.6"),
        unit=THOUSANDS_PER_UL,
        differential=_diff(segs=18, bands=4, lymphs=70, monos=8),
        temp_c=Decimal("37.0"),
    ),
    LabPatient(
        id="grace",
        name="Grace Mensah",
        age=41,
        setting="Consolidation chemotherapy, day 12.",
        wbc=Decimal("1.8"),
        unit=GIGA_PER_L,
        differential=_diff(segs=22, bands=3, lymphs=68, monos=6, eos=1),
        temp_c=Decimal("38.1"),
        temp_minutes=75,
    ),
)


def patient(patient_id: str) -> LabPatient:
    for p in PATIENTS:
        if p.id == patient_id:
            return p
    raise KeyError(patient_id)


# --- what the nurse does --------------------------------------------------------------------


@dataclass(frozen=True)
class Precaution:
    """An action and when it applies ("neutropenia", "fever", or "never": a wrong action)."""

    id: str
    text: str
    applies: str
    why: str  # the sourced reason, shown in the rationale
    sources: tuple[str, ...]


ACTIONS: tuple[Precaution, ...] = (
    Precaution(
        "hands",
        "Clean hands on entering and on leaving the room.",
        "neutropenia",
        "Hand hygiene on entering and leaving the room is a neutropenic precaution.",
        ("R92",),
    ),
    Precaution(
        "visitors",
        "Ask visitors who are ill to stay away until they are well.",
        "neutropenia",
        "No ill visitors is a neutropenic precaution.",
        ("R92",),
    ),
    Precaution(
        "flowers",
        "Keep live plants and cut flowers out of the room.",
        "neutropenia",
        "Live plants and cut flowers are kept out of a neutropenic patient's room; CDC "
        "guidance excludes them where immunocompromised patients are treated (the evidence "
        "behind it is minimal).",
        ("R92", "R93"),
    ),
    Precaution(
        "mask",
        "Have the patient wear a mask when leaving the room.",
        "neutropenia",
        "The patient wears a mask outside the room: a neutropenic precaution.",
        ("R92",),
    ),
    Precaution(
        "oral",
        "Take temperatures by mouth, not rectally.",
        "neutropenia",
        "No rectal temperatures in neutropenia: a rectal thermometer can tear the mucosa and "
        "let bacteria into the blood.",
        ("R88",),
    ),
    Precaution(
        "antibiotics",
        "Report the fever at once: blood cultures, then IV antibiotics within 60 minutes.",
        "fever",
        "Neutropenic fever is one oral temperature of 38.3 °C or more, or 38.0 °C or more "
        "for over an hour, with an ANC below 500 or expected to fall below 500 within 48 "
        "hours. Blood cultures are drawn before the first dose without delaying it, and "
        "IDSA/ASCO guidance is IV antibiotics within 60 minutes.",
        ("rv-idsa-2011", "rv-asco-idsa-2018", "R89", "R90"),
    ),
    Precaution(
        "rectal",
        "Take a rectal temperature to confirm the reading.",
        "never",
        "Rectal temperatures are avoided in neutropenia: they can tear the mucosa and cause "
        "bacteremia.",
        ("R88",),
    ),
    Precaution(
        "masked-visitor",
        "Let a visitor with a cold stay at the bedside if the visitor wears a mask.",
        "never",
        "Ill visitors stay away from a neutropenic patient; a mask on the visitor is not "
        "one of the precautions.",
        ("R92",),
    ),
)

PRECAUTIONS_NOTE = (
    "The course's sources do not say from which ANC a unit starts neutropenic precautions; "
    "this course lists them for any neutropenia (ANC below 1,500/mm³). Follow your unit's "
    "policy."
)


@dataclass(frozen=True)
class Reading:
    """What the nurse reads from one patient's report."""

    patient: LabPatient
    anc: AncResult
    fever: bool
    actions: tuple[Precaution, ...]  # the right actions, in ACTIONS order

    @property
    def neutropenic(self) -> bool:
        return self.anc.band is not ANC_NORMAL

    def applies(self, action: Precaution) -> bool:
        if action.applies == "neutropenia":
            return self.neutropenic
        if action.applies == "fever":
            return self.fever
        return False


def read(p: LabPatient) -> Reading:
    d = p.differential
    anc = compute_anc(p.wbc, p.unit, d.segs, d.bands)
    fever = neutropenic_fever(
        anc.reported, p.temp_c, p.temp_minutes, expected_below_500=p.anc_expected_below_500
    )
    draft = Reading(p, anc, fever, ())
    return Reading(p, anc, fever, tuple(a for a in ACTIONS if draft.applies(a)))


def temperature_text(p: LabPatient) -> str:
    text = f"{fmt(p.temp_c)} °C by mouth"
    if p.temp_minutes:
        text += f", at this level for {p.temp_minutes} minutes"
    return text


# --- the practice items -----------------------------------------------------------------------

BANK = "diagnosis-lab"  # the name attempts are recorded under


def _anc_text(r: Reading) -> str:
    return f"{fmt(r.anc.reported)} {ANC_UNIT}"


def anc_item(r: Reading) -> m.Numeric:
    p, anc = r.patient, r.anc
    if anc.rounded:
        lo, hi = sorted((anc.exact, Decimal(anc.reported)))
        answers = [m.NumericAnswer(min=float(lo), max=float(hi))]
    else:
        answers = [m.NumericAnswer(value=anc.reported)]
    return m.Numeric(
        type="numeric",
        id=f"{BANK}-{p.id}-anc",
        stem=(
            f"**Step 1.** Use {p.first_name}'s lab report to calculate the absolute neutrophil "
            f"count (ANC), in {ANC_UNIT}. Round to a whole number."
        ),
        unit=ANC_UNIT,
        topic="absolute neutrophil count",
        objective="diagnosis.4",
        step="analyze_cues",
        difficulty="medium",
        sources=list(ANC_SOURCES),
        explanation=(
            "ANC = WBC × (% segmented neutrophils + % bands) ÷ 100, with the WBC in cells/mm³. "
            "Bands are young neutrophils and count too; lymphocytes, monocytes, eosinophils, "
            "basophils and blasts do not. A WBC reported as ×10³/µL or ×10⁹/L is multiplied "
            "by 1,000 first; cells/µL and cells/mm³ are the same number (1 µL = 1 mm³)."
        ),
        worked_solution=anc.worked_solution(),
        answers=answers,
    )


def band_item(r: Reading) -> m.SingleChoice:
    p, actual = r.patient, r.anc.band
    options = []
    for b in ANC_BANDS:
        if b is actual:
            why = f"Right: an ANC of {_anc_text(r)} is {b.range_text}."
        else:
            why = (
                f"{b.label} is {b.range_text}; {p.first_name}'s ANC, {_anc_text(r)}, is "
                f"{actual.range_text}."
            )
        options.append(
            m.Option(
                id=b.key, text=f"{b.label} ({b.range_text})", correct=b is actual, rationale=why
            )
        )
    return m.SingleChoice(
        type="single",
        id=f"{BANK}-{p.id}-band",
        stem=f"**Step 2.** Classify {p.first_name}'s ANC, the value you calculated in step 1.",
        topic="neutropenia",
        objective="diagnosis.4",
        step="analyze_cues",
        difficulty="easy",
        sources=list(ANC_SOURCES),
        explanation=(
            "ANC bands, per mm³: normal 1,500 or more; mild neutropenia 1,000 to less than "
            "1,500; moderate 500 to less than 1,000; severe less than 500. The edge belongs "
            "to the band above it: exactly 1,000 is mild, exactly 500 is moderate."
        ),
        options=options,
    )


def _action_rationale(r: Reading, a: Precaution) -> str:
    first = r.patient.first_name
    anc = _anc_text(r)
    if a.applies == "never":
        return f"Not this. {a.why}"
    if a.applies == "fever":
        if r.fever:
            return (
                f"Yes: ANC {anc} with a temperature of {temperature_text(r.patient)} is "
                f"neutropenic fever. {a.why}"
            )
        p = r.patient
        if not is_fever(p.temp_c, p.temp_minutes):
            # No fever: that, not the ANC, is why this is not neutropenic fever.
            return (
                f"Not now: {first} has no fever ({temperature_text(p)} is under 38.3 °C once, "
                f"and not 38.0 °C or more for over an hour). Keep checking: with a low ANC, "
                f"fever may be the first and only sign of infection. {a.why}"
            )
        return (
            f"Not as neutropenic fever: {first}'s ANC, {anc}, is not below 500 and is not "
            f"expected to fall below 500 within 48 hours. Still report the fever. {a.why}"
        )
    if r.neutropenic:
        return f"Yes: ANC {anc} is {r.anc.band.label.lower()}. {a.why}"
    return f"Not called for: ANC {anc} is normal (1,500/mm³ or more). {a.why}"


def care_item(r: Reading) -> m.MultipleResponse:
    p = r.patient
    options = [
        m.Option(id=a.id, text=a.text, correct=r.applies(a), rationale=_action_rationale(r, a))
        for a in ACTIONS
    ]
    if not r.neutropenic:
        # With a normal ANC none of the precautions is keyed, and a SATA needs a key.
        options.append(
            m.Option(
                id="none",
                text="No neutropenic precautions: the ANC is normal.",
                correct=True,
                rationale=f"Right: ANC {_anc_text(r)} is normal (1,500/mm³ or more).",
            )
        )
    sources = sorted({s for a in ACTIONS for s in a.sources} | set(ANC_SOURCES), key=_ref_order)
    return m.MultipleResponse(
        type="sata",
        id=f"{BANK}-{p.id}-care",
        stem=(
            f"**Step 3.** {p.first_name}'s temperature is {temperature_text(p)}. With the ANC "
            "you calculated, which actions does the nurse take now? Select all that apply."
        ),
        topic="neutropenic precautions",
        objective="diagnosis.4",
        step="take_action",
        difficulty="medium",
        sources=sources,
        explanation=(
            "Neutropenic precautions lower the patient's exposure to germs: hand hygiene, no "
            "ill visitors, no live plants or cut flowers, a mask outside the room, and no "
            "rectal temperatures. A fever with an ANC below 500, or expected to fall below "
            "500 within 48 hours, is neutropenic fever, an emergency: blood cultures, then IV "
            "antibiotics within 60 minutes. " + PRECAUTIONS_NOTE
        ),
        options=options,
    )


def _ref_order(ref_id: str) -> tuple[int, str]:
    return (int(ref_id[1:]), ref_id) if ref_id[1:].isdigit() else (0, ref_id)


def items(r: Reading) -> tuple[m.Numeric, m.SingleChoice, m.MultipleResponse]:
    """The three practice items for a patient: calculate, classify, act."""
    return anc_item(r), band_item(r), care_item(r)


def report_rows(p: LabPatient) -> list[tuple[str, str]]:
    """The report as (test, result) rows, as a student reads it."""
    rows = [("WBC (white blood cells)", f"{fmt(p.wbc)} {p.unit.label}")]
    rows += [(name, f"{fmt(value)}%") for _, name, value in p.differential.rows()]
    return rows


def source_ids() -> set[str]:
    """Every reference id the scenario can show (the notebook must cite each one)."""
    ids = set(ANC_SOURCES)
    for a in ACTIONS:
        ids.update(a.sources)
    for b in ANC_BANDS:
        ids.update(b.sources)
    return ids
