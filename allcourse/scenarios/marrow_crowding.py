"""Marrow crowding: how blasts filling the marrow lower the blood count, and in what order.

An illustrative model, not a clinical one. In ALL, leukemia cells fill the bone marrow and
leave less room for the cells that become red cells, white cells and platelets, which
causes infection, bleeding and anemia [seed-nci-adult-all, R1]. Two inputs drive it:

- the **blast share** of the marrow: healthy production is taken as proportional to the
  share that is still healthy (the simplification: real production does not fall in a
  straight line);
- the **days since the marrow became crowded**: the cells already in the blood are not
  replaced as they die, so each count falls at the speed of its cells' life span. Healthy
  cells are assumed to be of every age, evenly, so the cells made before the crowding run
  out in a straight line over one life span.

The life spans are sourced, and they set the order in which counts fall when the marrow
fails: neutrophils circulate with a half-life of 6-8 hours [rv-summers-2010] and the
marrow's maturing granulocytes keep the blood supplied for about 4 days; platelets last up
to about 10 days [rv-fliedner-2002]; red cells about 115 days [rv-franco-2012]. So the ANC
falls first, then the platelets, and the hemoglobin falls slowly.

    count(days) = start x (healthy share + blast share x max(0, 1 - days / supply days))

The signs show at real limits: an ANC below 1,500/mm³, where neutropenia
begins [R91, rv-medscape-neutropenia]; platelets below 140,000/µL and hemoglobin below 12 g/dL,
the lower ends of typical adult reference ranges (each laboratory sets its own)
[rv-merck-cbc]; the nursing thresholds for platelets (50,000 and 20,000/mm³)
[R94, rv-merck-platelet-bleeding]. The healthy starting values are illustrative values inside
those ranges, each about a fifth above its lower limit (ANC 1,800/mm³, platelets
170,000/mm³, hemoglobin 15.0 g/dL), so the counts cross their limits in the order of their
cells' life spans at every blast share, as in real marrow failure; with counts further
from their limits the timing changes, not the order in which the counts fall.

Pure and deterministic: no widgets, no randomness, no clock. The view
(`marrow_crowding_view`) only draws what `crowd()` returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from allcourse.scenarios.prediction import Paragraph, Prediction, WhyNot

MIN_PERCENT = 0
MAX_PERCENT = 100
MIN_DAYS = 0
MAX_DAYS = 60  # about two months: long enough to see anemia follow, short of absurd values
DEFAULT_DAYS = 14
GRID_CELLS = 100  # the marrow picture: a 10 x 10 grid, one cell per percent

# Normal marrow has up to about 5% blasts; NCI's remission allows no more than 5% [R28].
NORMAL_MARROW_BLAST_LIMIT = 5
# WHO: lymphoblastic leukemia is generally not diagnosed below 20% marrow blasts [rv-who-2017].
WHO_ACUTE_LEUKEMIA_BLASTS = 20


class InvalidInput(ValueError):
    """An input the model cannot use, with a message a student can act on."""


class InvalidBlastShare(InvalidInput):
    """The blast share is not a number from 0 to 100."""


class InvalidDays(InvalidInput):
    """The days since crowding are not a number from 0 to MAX_DAYS."""


@dataclass(frozen=True)
class Cited:
    """A piece of teaching text and the reference ids (assets/references.yml) behind it."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CountSpec:
    """One blood count the model follows: its healthy start, how long the cells already in
    the blood keep it up (`supply_days`), and the limit below which its sign shows."""

    key: str
    name: str
    unit: str
    start: float
    decimals: int
    supply_days: float
    lower_limit: float
    reference: Cited  # the normal range, with its source
    life_span: Cited


# The sources of the ANC formula and the neutropenia bands (Medscape defines neutropenia
# and its grades; only R91 calls 1,500 or more "normal"), and of the platelet bleeding
# thresholds.
ANC_SOURCES = ("R91", "rv-medscape-neutropenia")
PLATELET_BLEEDING_SOURCES = ("R94", "rv-merck-platelet-bleeding")

HEMOGLOBIN = CountSpec(
    key="hemoglobin",
    name="Hemoglobin",
    unit="g/dL",
    start=15.0,
    decimals=1,
    supply_days=115,
    lower_limit=12.0,
    reference=Cited(
        "Adults: about 14-17 g/dL (men), 12-16 g/dL (women); labs differ.", ("rv-merck-cbc",)
    ),
    life_span=Cited("Red cells live about 115 days.", ("rv-franco-2012",)),
)
ANC = CountSpec(
    key="anc",
    name="Absolute neutrophil count (ANC)",
    unit="/mm³",
    start=1800,
    decimals=0,
    supply_days=4,
    lower_limit=1500,
    reference=Cited("1,500/mm³ or more is normal.", ("R91",)),
    life_span=Cited(
        "Neutrophils circulate for hours (half-life 6-8 h); the marrow's maturing cells keep "
        "the blood supplied for about 4 days.",
        ("rv-summers-2010", "rv-fliedner-2002"),
    ),
)
PLATELETS = CountSpec(
    key="platelets",
    name="Platelets",
    unit="/mm³",
    start=170_000,
    decimals=0,
    supply_days=10,
    lower_limit=140_000,
    reference=Cited("Adults: about 140,000-450,000/µL; labs differ.", ("rv-merck-cbc",)),
    life_span=Cited("Platelets last up to about 10 days.", ("rv-fliedner-2002",)),
)
# In the order they fall when the marrow fails (shortest supply first).
COUNTS: tuple[CountSpec, ...] = (ANC, PLATELETS, HEMOGLOBIN)


@dataclass(frozen=True)
class BloodCount:
    """The model's illustrative count (rounded as shown: Hb to 0.1, ANC and platelets to 1)."""

    hemoglobin: float
    anc: float
    platelets: float

    def value(self, key: str) -> float:
        return getattr(self, key)


@dataclass(frozen=True)
class Band:
    """Where a count falls among sourced cut-offs."""

    key: str
    label: str
    range_text: str
    sources: tuple[str, ...]


# ANC bands, per mm³: normal >= 1,500; mild 1,000 to < 1,500; moderate 500 to < 1,000;
# severe < 500.
ANC_NORMAL = Band("normal", "Normal ANC", "1,500/mm³ or more", ("R91",))
ANC_MILD = Band("mild", "Mild neutropenia", "1,000 to less than 1,500/mm³", ANC_SOURCES)
ANC_MODERATE = Band("moderate", "Moderate neutropenia", "500 to less than 1,000/mm³", ANC_SOURCES)
ANC_SEVERE = Band("severe", "Severe neutropenia", "less than 500/mm³", ANC_SOURCES)

# Platelets: the lower end of the adult reference range [rv-merck-cbc]; below 50,000/mm³
# bleeding precautions, below 20,000/mm³ bleeding can happen without injury
# (PLATELET_BLEEDING_SOURCES).
PLATELETS_NORMAL = Band(
    "normal",
    "Within the normal range",
    "140,000/µL or more (lower end of normal)",
    ("rv-merck-cbc",),
)
PLATELETS_LOW = Band(
    "low", "Below the normal range", "below 140,000/µL: low, not yet 50,000", ("rv-merck-cbc",)
)
PLATELETS_PRECAUTIONS = Band(
    "below_50000",
    "Below 50,000/mm³",
    "below 50,000/mm³: bleeding precautions",
    PLATELET_BLEEDING_SOURCES,
)
PLATELETS_SPONTANEOUS = Band(
    "below_20000",
    "Below 20,000/mm³",
    "below 20,000/mm³: bleeding can happen without any injury",
    PLATELET_BLEEDING_SOURCES,
)
HEMOGLOBIN_NORMAL = Band("normal", "Within the adult range", "12 g/dL or more", ("rv-merck-cbc",))
HEMOGLOBIN_LOW = Band(
    "low",
    "Below the adult range",
    "below 12 g/dL: low for any adult (men's range starts at 14)",
    ("rv-merck-cbc",),
)


def anc_band(anc: float) -> Band:
    """The ANC band a value falls in [R91, rv-medscape-neutropenia]."""
    if anc >= 1500:
        return ANC_NORMAL
    if anc >= 1000:
        return ANC_MILD
    if anc >= 500:
        return ANC_MODERATE
    return ANC_SEVERE


def platelet_band(platelets: float) -> Band:
    """Where a platelet count falls: normal, low, or under a bleeding threshold
    [R94, rv-merck-platelet-bleeding]."""
    if platelets < 20_000:
        return PLATELETS_SPONTANEOUS
    if platelets < 50_000:
        return PLATELETS_PRECAUTIONS
    if platelets < PLATELETS.lower_limit:
        return PLATELETS_LOW
    return PLATELETS_NORMAL


def hemoglobin_band(hemoglobin: float) -> Band:
    """Whether a hemoglobin is below the adult reference range [rv-merck-cbc]."""
    return HEMOGLOBIN_LOW if hemoglobin < HEMOGLOBIN.lower_limit else HEMOGLOBIN_NORMAL


@dataclass(frozen=True)
class Sign:
    """A problem the crowding causes, why it shows, and what the nurse assesses or does."""

    key: str  # "infection", "bleeding", "anemia"
    title: str
    finding: str  # why this sign shows at this share and day
    cues: tuple[Cited, ...]
    sources: tuple[str, ...]  # behind the finding itself


@dataclass(frozen=True)
class Preset:
    value: int
    label: str


BLAST_PRESETS: tuple[Preset, ...] = (
    Preset(0, "Healthy marrow (0% blasts)"),
    Preset(NORMAL_MARROW_BLAST_LIMIT, "5% blasts (upper limit of normal)"),
    Preset(WHO_ACUTE_LEUKEMIA_BLASTS, "20% blasts (WHO line)"),
    Preset(50, "50% blasts"),
    Preset(90, "90% blasts"),
)
DAY_PRESETS: tuple[Preset, ...] = (
    Preset(0, "Day 0"),
    Preset(3, "Day 3"),
    Preset(7, "Day 7"),
    Preset(14, "Day 14"),
    Preset(60, "Day 60"),
)


@dataclass(frozen=True)
class MarrowState:
    """Everything the view shows for one blast share and day."""

    blast_percent: float
    days: float
    healthy_percent: float
    count: BloodCount
    anc_band: Band
    platelet_band: Band
    hemoglobin_band: Band
    signs: tuple[Sign, ...]  # in the order they appear as the days pass
    cells: tuple[str, ...]  # GRID_CELLS entries: "blast", "red", "white" or "platelet"

    def sign(self, key: str) -> Sign | None:
        return next((s for s in self.signs if s.key == key), None)


def _check_number(value: object, low: float, high: float, what: str, error: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise error(f"{what} must be a number from {low} to {high}; got {value!r}.")
    if math.isnan(value):
        raise error(f"{what} must be a number from {low} to {high}; got NaN (not a number).")
    if not low <= value <= high:
        raise error(f"{what} must be from {low} to {high}; got {value:g}.")
    return float(value)


def check_percent(value: object) -> float:
    """The blast share as a float, or InvalidBlastShare with a message a student can act on."""
    return _check_number(
        value,
        MIN_PERCENT,
        MAX_PERCENT,
        "The blast share (percent of the marrow)",
        InvalidBlastShare,
    )


def check_days(value: object) -> float:
    """The days since crowding as a float, or InvalidDays with a clear message."""
    return _check_number(
        value, MIN_DAYS, MAX_DAYS, "The days since the marrow was crowded", InvalidDays
    )


def _round(spec: CountSpec, value: float) -> float:
    # Round half up, so a count shown as 1,500 is exactly the value the band was read from.
    factor = 10**spec.decimals
    return math.floor(value * factor + 0.5) / factor


def remaining_share(spec: CountSpec, days: float) -> float:
    """Share of the cells made before the crowding still in the blood after `days`
    (a straight fall to 0 over the cells' supply time)."""
    return max(0.0, 1.0 - check_days(days) / spec.supply_days)


def blood_count(blast_percent: float, days: float = DEFAULT_DAYS) -> BloodCount:
    """The illustrative count `days` after blasts came to fill `blast_percent` of the marrow."""
    blast_share = check_percent(blast_percent) / MAX_PERCENT
    check_days(days)
    values = {
        spec.key: _round(
            spec,
            spec.start * ((1 - blast_share) + blast_share * remaining_share(spec, days)),
        )
        for spec in COUNTS
    }
    return BloodCount(**values)


def _scatter(n: int, seed: int) -> tuple[int, ...]:
    # A fixed shuffle (Fisher-Yates driven by a small linear congruential generator) so
    # the picture looks irregular, like marrow, yet is the same on every run and machine.
    order = list(range(n))
    state = seed
    for i in range(n - 1, 0, -1):
        state = (state * 1103515245 + 12345) % 2**31
        j = (state >> 16) % (i + 1)  # the high bits: an LCG's low bits repeat quickly
        order[i], order[j] = order[j], order[i]
    return tuple(order)


# Blasts take places in this order, so they appear all over the picture rather than row
# by row, and a higher share only adds blasts.
FILL_ORDER = _scatter(GRID_CELLS, seed=2024)
HEALTHY_KINDS = ("red", "white", "platelet")
# Which healthy line each place shows while it is not a blast (also scattered).
_HEALTHY_AT = tuple(HEALTHY_KINDS[i % 3] for i in _scatter(GRID_CELLS, seed=7))


def blast_cell_count(blast_percent: float) -> int:
    """How many of the picture's cells are blasts (the share rounded half up)."""
    share = check_percent(blast_percent)
    return math.floor(share * GRID_CELLS / MAX_PERCENT + 0.5)


def marrow_cells(blast_percent: float) -> tuple[str, ...]:
    """The picture of the marrow: the kind of cell at each place of the grid.

    Raising the share only turns healthy places into blasts; it never moves a blast.
    """
    blasts = set(FILL_ORDER[: blast_cell_count(blast_percent)])
    return tuple("blast" if i in blasts else _HEALTHY_AT[i] for i in range(GRID_CELLS))


def _fmt(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def _infection(count: BloodCount, band: Band) -> Sign | None:
    if band is ANC_NORMAL:
        return None
    cues = [
        Cited(
            "Check the temperature and ask about chills: with few neutrophils, fever may be "
            "the only sign of an infection.",
            ("rv-idsa-2011",),
        ),
        Cited("Take temperatures by mouth, never rectally, in a neutropenic patient.", ("R88",)),
    ]
    if band is ANC_SEVERE:
        cues.append(
            Cited(
                "Neutropenic fever: one oral temperature of 38.3 °C (101 °F) or more, or 38.0 °C "
                "(100.4 °F) or more for over an hour, with an ANC below 500 or expected to fall "
                "below 500 within 48 hours. Report it at once: IV antibiotics are due within "
                "60 minutes.",
                ("rv-idsa-2011", "rv-asco-idsa-2018"),
            )
        )
    return Sign(
        key="infection",
        title="Infection",
        finding=f"ANC {_fmt(count.anc)}/mm³: {band.label.lower()} ({band.range_text}).",
        cues=tuple(cues),
        sources=("seed-nci-adult-all", *ANC_SOURCES),
    )


def _bleeding(count: BloodCount, band: Band) -> Sign | None:
    if band is PLATELETS_NORMAL:
        return None
    cues = [
        Cited(
            "Inspect skin, mouth and gums for bruising, petechiae, purpura and bleeding gums.",
            ("R2",),
        ),
    ]
    if band in (PLATELETS_PRECAUTIONS, PLATELETS_SPONTANEOUS):
        cues.append(
            Cited(
                "Bleeding precautions: soft toothbrush, no blade razor, no aspirin or NSAIDs, "
                "5 minutes of pressure after venipuncture.",
                ("R94", "R95"),
            )
        )
    if band is PLATELETS_SPONTANEOUS:
        cues.append(
            Cited(
                "Look for bleeding with no injury; avoid IM injections, rectal temperatures and "
                "suppositories.",
                ("R94", "R96"),
            )
        )
    return Sign(
        key="bleeding",
        title="Bleeding",
        finding=f"Platelets {_fmt(count.platelets)}/mm³: {band.range_text}.",
        cues=tuple(cues),
        sources=("seed-nci-adult-all", *band.sources),
    )


def _anemia(count: BloodCount, band: Band) -> Sign | None:
    if band is HEMOGLOBIN_NORMAL:
        return None
    return Sign(
        key="anemia",
        title="Anemia",
        finding=f"Hemoglobin {_fmt(count.hemoglobin, 1)} g/dL: {band.range_text}.",
        cues=(
            Cited(
                "Ask about tiredness and weakness; note what activity the patient manages.",
                ("R2",),
            ),
            Cited("Watch for shortness of breath (dyspnea), at rest and on exertion.", ("R2",)),
        ),
        sources=("seed-nci-adult-all", "rv-merck-cbc"),
    )


def crowd(blast_percent: float, days: float = DEFAULT_DAYS) -> MarrowState:
    """The marrow, the count and the signs `days` after blasts came to fill
    `blast_percent` of the marrow."""
    share = check_percent(blast_percent)
    elapsed = check_days(days)
    count = blood_count(share, elapsed)
    anc, plt, hgb = (
        anc_band(count.anc),
        platelet_band(count.platelets),
        hemoglobin_band(count.hemoglobin),
    )
    signs = tuple(
        s
        for s in (_infection(count, anc), _bleeding(count, plt), _anemia(count, hgb))
        if s is not None
    )
    return MarrowState(
        blast_percent=share,
        days=elapsed,
        healthy_percent=MAX_PERCENT - share,
        count=count,
        anc_band=anc,
        platelet_band=plt,
        hemoglobin_band=hgb,
        signs=signs,
        cells=marrow_cells(share),
    )


def first_day_below_limit(spec: CountSpec, blast_percent: float) -> int | None:
    """The first whole day the count is below its sign's limit, or None within MAX_DAYS."""
    for day in range(MIN_DAYS, MAX_DAYS + 1):
        if blood_count(blast_percent, day).value(spec.key) < spec.lower_limit:
            return day
    return None


# --- the prediction ("predict first, then check") --------------------------------------------

PREDICTION_BLAST_PERCENT = 90
SAME_TIME = "same"


def fall_order(blast_percent: float) -> tuple[tuple[CountSpec, int | None], ...]:
    """The counts with the first whole day each is below its sign's limit at
    `blast_percent`, earliest first (a count still above its limit on day MAX_DAYS: None,
    last). Ties keep the order of COUNTS."""
    days = [(spec, first_day_below_limit(spec, blast_percent)) for spec in COUNTS]
    return tuple(sorted(days, key=lambda d: (d[1] is None, d[1] or 0)))


def _first_to_fall(blast_percent: float) -> str:
    order = fall_order(blast_percent)
    first_day = order[0][1]
    if first_day is not None and all(day == first_day for _spec, day in order):
        return SAME_TIME
    return order[0][0].key


_SUBJECT = {
    ANC.key: "the ANC is",
    PLATELETS.key: "the platelets are",
    HEMOGLOBIN.key: "the hemoglobin is",
}


def _model_days(blast_percent: float) -> str:
    parts = []
    for spec, day in fall_order(blast_percent):
        sep = "" if spec.unit.startswith("/") else " "
        limit = f"{_fmt(spec.lower_limit, spec.decimals)}{sep}{spec.unit}"
        if day is None:
            parts.append(f"{_SUBJECT[spec.key]} still at or above {limit} on day {MAX_DAYS}")
        else:
            parts.append(f"{_SUBJECT[spec.key]} below {limit} from day {day}")
    return (
        f"In this illustrative model at {blast_percent:g}% blasts: {'; '.join(parts)}. On day 0 "
        "the model's count is still normal, because the cells already in the blood have not "
        "yet died. These days are the model's, from its made-up starting counts and straight-"
        "line falls, not a forecast for a patient: in a patient the timing depends on the "
        "starting counts and on how fast the marrow fills. The order, set by the life spans, "
        "is what carries over."
    )


def prediction() -> Prediction:
    """The marrow model's prediction at PREDICTION_BLAST_PERCENT blasts: which count falls
    below its normal range first. The key is the model's own first count to fall (the ANC,
    by life span) [rv-summers-2010, rv-fliedner-2002, rv-franco-2012]; the days come from
    the model and are labelled as the model's; the clinical text is cited.

    The question states the model's set-up (every count starting about a fifth above its
    lower limit), because which count crosses its limit first in a real patient also
    depends on how close to the limit each count starts; the order in which the counts
    *fall* is set by the life spans."""
    blast_percent = PREDICTION_BLAST_PERCENT
    return Prediction(
        question=(
            f"In the model, blasts come to fill {blast_percent}% of the marrow on day 0, and "
            "each count starts about a fifth above the lower end of its normal range. As the "
            "days pass, which count falls below its normal range first?"
        ),
        choices=(
            ("Neutrophils (the ANC)", ANC.key),
            ("Platelets", PLATELETS.key),
            ("Hemoglobin (red cells)", HEMOGLOBIN.key),
            ("The three together, on the same day", SAME_TIME),
        ),
        key=_first_to_fall(blast_percent),
        explanation=(
            Paragraph(
                "When a crowded marrow makes fewer new cells, each count falls only as fast as "
                "the cells already in the blood die. Neutrophils circulate for hours (half-life "
                "6–8 hours) and the marrow's maturing cells keep the blood supplied for about "
                "4 days; platelets last up to about 10 days; red cells live about 115 days. So "
                "the ANC falls first, then the platelets, and the hemoglobin falls slowly, over "
                "weeks.",
                ("rv-summers-2010", "rv-fliedner-2002", "rv-franco-2012"),
            ),
            Paragraph(_model_days(blast_percent)),
            Paragraph(
                "For the nurse: a patient can have severe neutropenia with a near-normal "
                "hemoglobin, so assess for infection and bleeding even when the patient does "
                "not look pale, and assess for all three whenever the marrow is crowded.",
                ("seed-nci-adult-all",),
            ),
            Paragraph(
                "With few neutrophils the usual signs of infection may be missing: fever may "
                "be the only one.",
                ("rv-idsa-2011",),
            ),
        ),
        why_not=(
            WhyNot(
                PLATELETS.key,
                "they come second, not first: platelets last up to about 10 days, longer than "
                "the marrow's neutrophil supply of about 4 days, so the platelet count holds up "
                "a few days longer than the ANC.",
                ("rv-fliedner-2002",),
            ),
            WhyNot(
                HEMOGLOBIN.key,
                "it falls last: red cells live about 115 days, so anemia deepens slowly, over "
                "weeks. A normal hemoglobin, and no pallor, says little about the ANC or the "
                "platelets.",
                ("rv-franco-2012",),
            ),
            WhyNot(
                SAME_TIME,
                "the crowded marrow makes fewer of all three at once, but each count falls "
                "only as fast as the cells already in the blood die, and their life spans "
                "differ.",
                ("rv-summers-2010", "rv-fliedner-2002", "rv-franco-2012"),
            ),
        ),
    )


def source_ids() -> set[str]:
    """Every reference id the model can show (the notebook must cite each one)."""
    ids: set[str] = prediction().source_ids()
    for spec in COUNTS:
        ids.update(spec.reference.sources)
        ids.update(spec.life_span.sources)
    for band in (
        ANC_NORMAL,
        ANC_MILD,
        ANC_MODERATE,
        ANC_SEVERE,
        PLATELETS_NORMAL,
        PLATELETS_LOW,
        PLATELETS_PRECAUTIONS,
        PLATELETS_SPONTANEOUS,
        HEMOGLOBIN_NORMAL,
        HEMOGLOBIN_LOW,
    ):
        ids.update(band.sources)
    for state in (crowd(MAX_PERCENT, d) for d in (5, 9, MAX_DAYS)):
        for sign in state.signs:
            ids.update(sign.sources)
            for cue in sign.cues:
                ids.update(cue.sources)
    return ids
