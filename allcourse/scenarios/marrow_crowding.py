"""Marrow crowding: how the share of the marrow taken by blasts lowers the blood count.

An illustrative model, not a clinical one. In ALL, leukemia cells fill the bone marrow and
leave less room for the cells that become red cells, white cells and platelets, which
causes anemia, infection and easy bleeding [seed-nci-adult-all, R1]. The model takes that
one idea literally: each healthy line makes cells in proportion to the share of the marrow
that is still healthy, so the count is `starting value x healthy share`. Real counts do not
fall in a straight line; the point is cause and effect.

What is sourced and what is not:
- The starting values are illustrative. The course's sources give no normal range for
  hemoglobin or platelets; for the ANC they give only the floor of normal, 1,500/mm³ [R91],
  and the starting ANC sits above it.
- The thresholds that decide which signs show are sourced: the ANC bands [R91], the
  platelet counts for bleeding precautions and for bleeding without injury [R94]. The
  sources give no hemoglobin cut-off for anemia, so anemia cues show once blasts pass 5% of
  the marrow, the most NCI's definition of remission allows [R28].

Pure and deterministic: no widgets, no randomness, no clock. The view
(`marrow_crowding_view`) only draws what `crowd()` returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_PERCENT = 0
MAX_PERCENT = 100
GRID_CELLS = 100  # the marrow picture: a 10 x 10 grid, one cell per percent

# NCI: remission includes no more than 5% blasts in the marrow; untreated ALL, more [R28].
REMISSION_BLAST_LIMIT = 5


class InvalidBlastShare(ValueError):
    """The blast share is not a number from 0 to 100."""


@dataclass(frozen=True)
class Cited:
    """A piece of teaching text and the reference ids (assets/references.yml) behind it."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CountSpec:
    """One blood count the model follows, and the healthy value it starts from."""

    key: str
    name: str
    unit: str
    start: float
    decimals: int
    start_note: Cited


HEMOGLOBIN = CountSpec(
    key="hemoglobin",
    name="Hemoglobin",
    unit="g/dL",
    start=14.0,
    decimals=1,
    start_note=Cited(
        "Illustrative starting value; the course's sources give no normal range for hemoglobin.",
        (),
    ),
)
ANC = CountSpec(
    key="anc",
    name="Absolute neutrophil count (ANC)",
    unit="/mm³",
    start=4000,
    decimals=0,
    start_note=Cited(
        "Illustrative starting value, above the floor of normal: an ANC of 1,500/mm³ or more "
        "is normal.",
        ("R91",),
    ),
)
PLATELETS = CountSpec(
    key="platelets",
    name="Platelets",
    unit="/mm³",
    start=250_000,
    decimals=0,
    start_note=Cited(
        "Illustrative starting value; the course's sources give no normal range for platelets.",
        (),
    ),
)
COUNTS: tuple[CountSpec, ...] = (HEMOGLOBIN, ANC, PLATELETS)


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


# ANC bands, per mm³ [R91]: normal >= 1,500; mild 1,000 to < 1,500; moderate 500 to < 1,000;
# severe < 500.
ANC_NORMAL = Band("normal", "Normal ANC", "1,500/mm³ or more", ("R91",))
ANC_MILD = Band("mild", "Mild neutropenia", "1,000 to less than 1,500/mm³", ("R91",))
ANC_MODERATE = Band("moderate", "Moderate neutropenia", "500 to less than 1,000/mm³", ("R91",))
ANC_SEVERE = Band("severe", "Severe neutropenia", "less than 500/mm³", ("R91",))

# Platelets, per mm³ [R94]: below 50,000 bleeding precautions; below 20,000 bleeding can
# happen without injury.
PLATELETS_ABOVE = Band(
    "above_50000", "At or above 50,000/mm³", "50,000/mm³ or more: no bleeding threshold", ("R94",)
)
PLATELETS_PRECAUTIONS = Band(
    "below_50000", "Below 50,000/mm³", "below 50,000/mm³: bleeding precautions", ("R94",)
)
PLATELETS_SPONTANEOUS = Band(
    "below_20000",
    "Below 20,000/mm³",
    "below 20,000/mm³: bleeding can happen without any injury",
    ("R94",),
)


def anc_band(anc: float) -> Band:
    """The ANC band a value falls in [R91]."""
    if anc >= 1500:
        return ANC_NORMAL
    if anc >= 1000:
        return ANC_MILD
    if anc >= 500:
        return ANC_MODERATE
    return ANC_SEVERE


def platelet_band(platelets: float) -> Band:
    """The bleeding threshold a platelet count falls under, if any [R94]."""
    if platelets < 20_000:
        return PLATELETS_SPONTANEOUS
    if platelets < 50_000:
        return PLATELETS_PRECAUTIONS
    return PLATELETS_ABOVE


@dataclass(frozen=True)
class Sign:
    """A problem the crowding causes, why it shows, and what the nurse assesses or does."""

    key: str  # "anemia", "infection", "bleeding"
    title: str
    finding: str  # why this sign shows at this blast share
    cues: tuple[Cited, ...]
    sources: tuple[str, ...]  # behind the finding itself


@dataclass(frozen=True)
class Preset:
    percent: int
    label: str


PRESETS: tuple[Preset, ...] = (
    Preset(0, "0% healthy marrow"),
    Preset(REMISSION_BLAST_LIMIT, "5% remission limit"),
    Preset(20, "20% blasts"),
    Preset(50, "50% blasts"),
    Preset(90, "90% blasts"),
)


@dataclass(frozen=True)
class MarrowState:
    """Everything the view shows for one blast share."""

    blast_percent: float
    healthy_percent: float
    count: BloodCount
    anc_band: Band
    platelet_band: Band
    signs: tuple[Sign, ...]
    cells: tuple[str, ...]  # GRID_CELLS entries: "blast", "red", "white" or "platelet"

    def sign(self, key: str) -> Sign | None:
        return next((s for s in self.signs if s.key == key), None)


def check_percent(value: object) -> float:
    """The blast share as a float, or InvalidBlastShare with a message a student can act on."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidBlastShare(
            f"The blast share must be a number from {MIN_PERCENT} to {MAX_PERCENT} (percent of "
            f"the marrow); got {value!r}."
        )
    if math.isnan(value):
        raise InvalidBlastShare(
            f"The blast share must be a number from {MIN_PERCENT} to {MAX_PERCENT}; got NaN "
            "(not a number)."
        )
    if not MIN_PERCENT <= value <= MAX_PERCENT:
        raise InvalidBlastShare(
            f"The blast share must be from {MIN_PERCENT} to {MAX_PERCENT} percent of the "
            f"marrow; got {value:g}."
        )
    return float(value)


def _round(spec: CountSpec, value: float) -> float:
    # Round half up, so a count shown as 1,500 is exactly the value the band was read from.
    factor = 10**spec.decimals
    return math.floor(value * factor + 0.5) / factor


def blood_count(blast_percent: float) -> BloodCount:
    """The illustrative count when blasts fill `blast_percent` of the marrow."""
    healthy_share = (MAX_PERCENT - check_percent(blast_percent)) / MAX_PERCENT
    values = {spec.key: _round(spec, spec.start * healthy_share) for spec in COUNTS}
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


def _anemia(blast_percent: float, healthy_percent: float) -> Sign | None:
    if blast_percent <= REMISSION_BLAST_LIMIT:
        return None
    return Sign(
        key="anemia",
        title="Anemia",
        finding=(
            f"Blasts fill more than {REMISSION_BLAST_LIMIT}% of the marrow, so red-cell "
            f"production is down to {_fmt(healthy_percent)}% of normal in this model."
        ),
        cues=(
            Cited(
                "Ask about tiredness and weakness; note what activity the patient manages.", ("R2",)
            ),
            Cited("Watch for shortness of breath (dyspnea), at rest and on exertion.", ("R2",)),
        ),
        sources=("seed-nci-adult-all", "R1", "R28"),
    )


def _infection(count: BloodCount, band: Band) -> Sign | None:
    if band is ANC_NORMAL:
        return None
    cues = [
        Cited("Check for fever or night sweats and for infections that keep coming back.", ("R2",)),
        Cited("Take temperatures by mouth, never rectally, in a neutropenic patient.", ("R88",)),
    ]
    if band is ANC_SEVERE:
        cues.append(
            Cited(
                "Neutropenic fever: one oral temperature of 38.3 °C (101 °F) or more, or 38.0 °C "
                "(100.4 °F) or more for over an hour, with an ANC below 500. Report it at once.",
                ("R87",),
            )
        )
    return Sign(
        key="infection",
        title="Infection",
        finding=f"ANC {_fmt(count.anc)}/mm³: {band.label.lower()} ({band.range_text}).",
        cues=tuple(cues),
        sources=("seed-nci-adult-all", "R91"),
    )


def _bleeding(count: BloodCount, band: Band) -> Sign | None:
    if band is PLATELETS_ABOVE:
        return None
    cues = [
        Cited(
            "Inspect skin, mouth and gums for bruising, petechiae, purpura and bleeding gums.",
            ("R2",),
        ),
        Cited(
            "Bleeding precautions: soft toothbrush, no blade razor, no aspirin or NSAIDs, "
            "5 minutes of pressure after venipuncture.",
            ("R94", "R95"),
        ),
    ]
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
        sources=("seed-nci-adult-all", "R94"),
    )


def crowd(blast_percent: float) -> MarrowState:
    """The marrow, the count and the signs when blasts fill `blast_percent` of the marrow."""
    share = check_percent(blast_percent)
    count = blood_count(share)
    anc = anc_band(count.anc)
    plt = platelet_band(count.platelets)
    healthy = MAX_PERCENT - share
    signs = tuple(
        s
        for s in (_anemia(share, healthy), _infection(count, anc), _bleeding(count, plt))
        if s is not None
    )
    return MarrowState(
        blast_percent=share,
        healthy_percent=healthy,
        count=count,
        anc_band=anc,
        platelet_band=plt,
        signs=signs,
        cells=marrow_cells(share),
    )


def source_ids() -> set[str]:
    """Every reference id the model can show (the notebook must cite each one)."""
    ids: set[str] = set()
    for spec in COUNTS:
        ids.update(spec.start_note.sources)
    for band in (
        ANC_NORMAL,
        ANC_MILD,
        ANC_MODERATE,
        ANC_SEVERE,
        PLATELETS_ABOVE,
        PLATELETS_PRECAUTIONS,
        PLATELETS_SPONTANEOUS,
    ):
        ids.update(band.sources)
    for state in (crowd(p) for p in (REMISSION_BLAST_LIMIT + 1, MAX_PERCENT)):
        for sign in state.signs:
            ids.update(sign.sources)
            for cue in sign.cues:
                ids.update(cue.sources)
    return ids
