"""HLA inheritance: why each full sibling has a 25% chance of being a full HLA match.

The HLA genes sit close together on chromosome 6 and are passed on as a block, a
*haplotype*: half of a person's HLA markers come from the mother and half from the father
[sct-nmdp-hla]. Each parent has two haplotypes and gives one of them, at random, to each
child. A brother or sister of the patient therefore shares

- both haplotypes (a full match, "HLA-identical"): 1 in 4, 25%;
- one haplotype (half-matched, "haploidentical"): 2 in 4, 50%;
- neither haplotype (no match): 1 in 4, 25%;

so each full sibling has a 25% chance of being a match [sct-nmdp-hla, R68], and with N
siblings the chance that at least one matches is 1 - 0.75**N (each sibling inherits
independently). A parent or a child of the patient always shares exactly one haplotype:
they are haploidentical [R68, seed-acs-transplant].

Simplification, stated on screen: crossing-over inside the HLA region, which can break a
haplotype, is rare and left out; identical twins are left out.

Pure: no widgets. Exact probabilities are Fractions from enumerating the four equally
likely children; simulated families use a seeded `random.Random`, so a given seed always
gives the same families (stable notebook outputs).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from itertools import product

FULL = "full"
HALF = "half"
NONE = "none"
MATCH_LABELS: dict[str, str] = {
    FULL: "Full match (shares both haplotypes)",
    HALF: "Half match, haploidentical (shares one haplotype)",
    NONE: "No match (shares neither haplotype)",
}
MATCH_SHORT: dict[str, str] = {FULL: "full match", HALF: "half match", NONE: "no match"}

# The patient's parents: the mother carries haplotypes "a" and "b", the father "c" and "d".
MOTHER: tuple[str, str] = ("a", "b")
FATHER: tuple[str, str] = ("c", "d")
MAX_SIBLINGS = 10
SIMULATED_FAMILIES = 1000
SEED = 2026  # simulations use SEED + number of siblings: the same choice, the same families


class SiblingCountError(ValueError):
    """A number of siblings the model cannot use (with a message for the student)."""


@dataclass(frozen=True)
class Child:
    """One child of the two parents: the haplotype from the mother and from the father."""

    maternal: str
    paternal: str

    @property
    def haplotypes(self) -> frozenset[str]:
        return frozenset((self.maternal, self.paternal))

    @property
    def label(self) -> str:
        return f"{self.maternal}{self.paternal}"


def possible_children() -> tuple[Child, ...]:
    """The four equally likely children: one maternal times one paternal haplotype."""
    return tuple(Child(m, f) for m, f in product(MOTHER, FATHER))


def shared_haplotypes(patient: Child, sibling: Child) -> int:
    """How many haplotypes two children of the same parents share: 0, 1 or 2.

    Each parent passes one haplotype, so the count is the number of parents who passed the
    same one to both children."""
    return int(patient.maternal == sibling.maternal) + int(patient.paternal == sibling.paternal)


def match_level(patient: Child, sibling: Child) -> str:
    """FULL (2 shared), HALF (1, haploidentical) or NONE (0)."""
    return {2: FULL, 1: HALF, 0: NONE}[shared_haplotypes(patient, sibling)]


def match_distribution(patient: Child | None = None) -> dict[str, Fraction]:
    """Exact chance of each match level for one full sibling of `patient`.

    Enumerates the four equally likely children; the answer is 1/4, 1/2, 1/4 whichever
    child the patient is."""
    patient = patient or possible_children()[0]
    counts = Counter(match_level(patient, c) for c in possible_children())
    total = sum(counts.values())
    return {level: Fraction(counts[level], total) for level in (FULL, HALF, NONE)}


def _siblings(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise SiblingCountError(
            f"The number of brothers and sisters must be a whole number; got {n!r}."
        )
    if not 0 <= n <= MAX_SIBLINGS:
        raise SiblingCountError(
            f"Choose between 0 and {MAX_SIBLINGS} brothers and sisters; got {n}."
        )
    return n


def p_at_least_one_full_match(n_siblings: int) -> Fraction:
    """Chance that at least one of N full siblings is a full HLA match: 1 - (3/4)**N."""
    n = _siblings(n_siblings)
    return 1 - Fraction(3, 4) ** n


def percent(p: Fraction, decimals: int = 1) -> str:
    """3/4 -> '75%'; 37/64 -> '57.8%' (trailing .0 dropped)."""
    text = f"{float(p) * 100:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


@dataclass(frozen=True)
class Family:
    """A simulated family: the patient and their full siblings, each a random child."""

    patient: Child
    siblings: tuple[Child, ...]

    def levels(self) -> tuple[str, ...]:
        return tuple(match_level(self.patient, s) for s in self.siblings)

    @property
    def has_full_match(self) -> bool:
        return FULL in self.levels()


def random_child(rng: random.Random) -> Child:
    return Child(rng.choice(MOTHER), rng.choice(FATHER))


def simulate_families(
    n_siblings: int, n_families: int = SIMULATED_FAMILIES, seed: int | None = None
) -> tuple[Family, ...]:
    """`n_families` random families, each a patient with `n_siblings` full siblings.

    Seeded (default SEED + n_siblings) so the same choice always shows the same families."""
    n = _siblings(n_siblings)
    if n_families < 1:
        raise SiblingCountError("Simulate at least one family.")
    rng = random.Random(SEED + n if seed is None else seed)
    return tuple(
        Family(random_child(rng), tuple(random_child(rng) for _ in range(n)))
        for _ in range(n_families)
    )


@dataclass(frozen=True)
class SimulationSummary:
    n_siblings: int
    families: tuple[Family, ...]

    @property
    def with_full_match(self) -> int:
        return sum(1 for f in self.families if f.has_full_match)

    @property
    def share(self) -> Fraction:
        return Fraction(self.with_full_match, len(self.families))

    @property
    def expected(self) -> Fraction:
        return p_at_least_one_full_match(self.n_siblings)

    def sibling_levels(self) -> Counter[str]:
        """How many simulated siblings were a full, half or no match (should be ~25/50/25)."""
        return Counter(level for f in self.families for level in f.levels())


def simulate(n_siblings: int, n_families: int = SIMULATED_FAMILIES) -> SimulationSummary:
    """Simulated families next to the formula, for the view."""
    return SimulationSummary(n_siblings, simulate_families(n_siblings, n_families))


SOURCES: tuple[str, ...] = ("sct-nmdp-hla", "R68", "seed-acs-transplant")


def source_ids() -> set[str]:
    """Every reference id the scenario shows (the notebook must cite each one)."""
    return set(SOURCES)
