"""Find a donor: grade each candidate's HLA match locus by locus, and the donor order.

HLA typing for transplant is done at high resolution (allele level) at five loci, HLA-A,
-B, -C, -DRB1 and -DQB1, two alleles each (one from each parent) [sct-dehn-2019,
sct-nmdp-hla]. An unrelated adult donor is "8/8 matched" when all 8 alleles at A, B, C
and DRB1 match; "10/10" adds DQB1 [sct-dehn-2019]. A 7/8 donor is a mismatched unrelated
donor (MMUD) [sct-dehn-2019, seed-acs-transplant].

Mismatch counting, per locus: the patient's two alleles and the donor's two alleles are
compared as multisets; mismatches = 2 - (alleles in common). So A*02:01/A*24:02 against
A*02:01/A*03:01 is 1 mismatch, and a patient homozygous A*02:01/A*02:01 against a donor
A*02:01/A*03:01 is 1 mismatch as well. (Transplant labs also count the two directions,
graft-versus-host and host-versus-graft, separately; this model keeps one count.)

Donor order taught (ACS 2025 seed; NMDP/CIBMTR 2025 guideline):
1. a matched sibling (often the best option);
2. a matched unrelated donor, 8/8;
3. when no fully matched donor exists: a haploidentical relative, a mismatched unrelated
   donor or cord blood [seed-acs-transplant, R69]. Post-transplant cyclophosphamide
   (PTCy) made haploidentical and mismatched donors much safer, and the 2025 NMDP/CIBMTR
   guideline weighs non-HLA factors (such as donor age and how soon the donor can donate)
   alongside the match among these alternatives [sct-nmdp-cibmtr-2025, sct-ptcy-2023].
   The model accepts any of them and says what the team weighs. No minimum match is
   modelled for mismatched unrelated donors or cord units (how much mismatch a team
   accepts depends on the GVHD prophylaxis); the families' candidates are 7/8 and 6/8.

Pure: families are data; every grade and verdict is computed from the typing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

LOCI: tuple[str, ...] = ("A", "B", "C", "DRB1", "DQB1")
EIGHT_LOCI: tuple[str, ...] = ("A", "B", "C", "DRB1")
Relation = Literal["sibling", "parent", "child", "unrelated", "cord"]

MSD, MUD, HAPLO, MMUD, CORD, NOT_SUITABLE = "msd", "mud", "haplo", "mmud", "cord", "none"
CATEGORY_LABELS: dict[str, str] = {
    MSD: "Matched sibling donor",
    MUD: "Matched unrelated donor (8/8)",
    HAPLO: "Haploidentical (half-matched) relative",
    MMUD: "Mismatched unrelated donor",
    CORD: "Umbilical cord blood unit",
    NOT_SUITABLE: "Not a suitable donor",
}
# Tier 3 holds the alternatives with no fixed order among them (see the module docstring).
TIERS: dict[str, int] = {MSD: 1, MUD: 2, HAPLO: 3, MMUD: 3, CORD: 3, NOT_SUITABLE: 9}


class TypingError(ValueError):
    """A typing the model cannot grade (an authoring error)."""


class ChoiceError(ValueError):
    """A choice the grader cannot score, with a message for the student."""


@dataclass(frozen=True)
class Haplotype:
    """One parent's block of HLA alleles, as inherited together."""

    name: str
    alleles: Mapping[str, str]


def typing_of(h1: Haplotype, h2: Haplotype) -> dict[str, tuple[str, str]]:
    """A person's typing from their two haplotypes: locus -> (allele, allele)."""
    for h in (h1, h2):
        missing = [locus for locus in LOCI if locus not in h.alleles]
        if missing:
            raise TypingError(f"Haplotype {h.name!r} has no allele at {', '.join(missing)}.")
    return {locus: (h1.alleles[locus], h2.alleles[locus]) for locus in LOCI}


def locus_mismatches(patient: tuple[str, str], donor: tuple[str, str]) -> int:
    """Mismatched alleles at one locus: 2 minus the alleles the two share (as multisets)."""
    if len(patient) != 2 or len(donor) != 2:
        raise TypingError("Each locus has exactly two alleles.")
    common = Counter(patient) & Counter(donor)
    return 2 - sum(common.values())


@dataclass(frozen=True)
class MatchGrade:
    """Mismatches per locus, and the match out of 8 (A, B, C, DRB1) and 10 (+ DQB1)."""

    mismatches: Mapping[str, int]

    @property
    def of_8(self) -> int:
        return 8 - sum(self.mismatches[locus] for locus in EIGHT_LOCI)

    @property
    def of_10(self) -> int:
        return 10 - sum(self.mismatches[locus] for locus in LOCI)

    @property
    def mismatched_loci(self) -> tuple[str, ...]:
        return tuple(locus for locus in LOCI if self.mismatches[locus])

    @property
    def text(self) -> str:
        return f"{self.of_8}/8 ({self.of_10}/10)"


def grade_match(
    patient: Mapping[str, tuple[str, str]], donor: Mapping[str, tuple[str, str]]
) -> MatchGrade:
    """Compare two typings locus by locus."""
    return MatchGrade({locus: locus_mismatches(patient[locus], donor[locus]) for locus in LOCI})


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    relation: Relation
    age: int
    haplotypes: tuple[Haplotype, Haplotype]
    note: str = ""

    @property
    def typing(self) -> dict[str, tuple[str, str]]:
        return typing_of(*self.haplotypes)

    @property
    def title(self) -> str:
        kind = {
            "sibling": "sibling",
            "parent": "parent",
            "child": "child",
            "unrelated": "unrelated registry donor",
            "cord": "cord blood unit",
        }[self.relation]
        age = "" if self.relation == "cord" else f", {self.age}"
        return f"{self.name} ({kind}{age})"


@dataclass(frozen=True)
class Family:
    """A fictional patient, their typing and the candidates found for them."""

    id: str
    patient_name: str
    patient_age: int
    story: str
    patient_haplotypes: tuple[Haplotype, Haplotype]
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def patient_typing(self) -> dict[str, tuple[str, str]]:
        return typing_of(*self.patient_haplotypes)

    @property
    def title(self) -> str:
        return f"{self.patient_name}, {self.patient_age}"

    def candidate(self, candidate_id: str) -> Candidate:
        for c in self.candidates:
            if c.id == candidate_id:
                return c
        raise ChoiceError(f"No candidate {candidate_id!r} for {self.patient_name}.")


def shared_haplotypes(family: Family, candidate: Candidate) -> int:
    """Haplotypes a relative shares with the patient (by descent: the same named block)."""
    patient = {h.name for h in family.patient_haplotypes}
    return len(patient & {h.name for h in candidate.haplotypes})


def _category(family: Family, candidate: Candidate, grade: MatchGrade) -> str:
    """Where a candidate stands in the donor order, from relation and typing."""
    if candidate.relation == "cord":
        # Cord blood needs a less strict match than an adult donor [sct-dehn-2019].
        return CORD
    if candidate.relation == "unrelated":
        if grade.of_8 == 8:
            return MUD
        # Any mismatch makes an unrelated donor "mismatched"; how many mismatches a team
        # accepts depends on the GVHD prophylaxis (PTCy) and is not modelled.
        return MMUD
    shared = shared_haplotypes(family, candidate)
    if candidate.relation == "sibling" and shared == 2:
        return MSD
    if shared == 1:
        return HAPLO
    return NOT_SUITABLE


@dataclass(frozen=True)
class Assessment:
    candidate: Candidate
    grade: MatchGrade
    category: str

    @property
    def tier(self) -> int:
        return TIERS[self.category]

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.category]


def assessment(family: Family, candidate: Candidate) -> Assessment:
    """One candidate graded against the patient: the match and the place in the order."""
    grade = grade_match(family.patient_typing, candidate.typing)
    return Assessment(candidate, grade, _category(family, candidate, grade))


def category(family: Family, candidate: Candidate) -> str:
    """Where a candidate stands in the donor order, from relation and typing."""
    return assessment(family, candidate).category


def assess(family: Family) -> tuple[Assessment, ...]:
    """Every candidate graded against the patient."""
    return tuple(assessment(family, c) for c in family.candidates)


def _best_tier(rows: tuple[Assessment, ...]) -> frozenset[str]:
    best = min(a.tier for a in rows)
    return frozenset(a.candidate.id for a in rows if a.tier == best)


def best_ids(family: Family) -> set[str]:
    """The candidates in the best tier available (several when the alternatives are left)."""
    return set(_best_tier(assess(family)))


CATEGORY_REASONS: dict[str, tuple[str, tuple[str, ...]]] = {
    MSD: (
        "A brother or sister who inherited the same two haplotypes matches at every locus: "
        "a matched sibling is often the best option. Each full sibling has a 25% chance.",
        ("seed-acs-transplant", "sct-nmdp-hla"),
    ),
    MUD: (
        "With no matched sibling, an unrelated registry donor matched at all 8 alleles of "
        "HLA-A, -B, -C and -DRB1 is the next choice in the classic order.",
        ("seed-acs-transplant", "sct-dehn-2019"),
    ),
    HAPLO: (
        "A parent, a child or a half-matched sibling shares one haplotype. With "
        "post-transplant cyclophosphamide, haploidentical transplants became a common "
        "option when no fully matched donor exists; almost every patient has one.",
        ("seed-acs-transplant", "R68", "R69"),
    ),
    MMUD: (
        "An unrelated donor who is not 8/8 is mismatched (a 7/8 donor at one allele). With "
        "post-transplant "
        "cyclophosphamide, mismatched unrelated donors are an option when no fully matched "
        "donor exists.",
        ("seed-acs-transplant", "sct-dehn-2019", "R69"),
    ),
    CORD: (
        "A cord blood unit needs a less strict HLA match than an adult donor, and its cell "
        "dose matters too; engraftment is slower than with blood or marrow stem cells.",
        ("seed-acs-transplant", "sct-dehn-2019", "sct-astct-recovery-2021"),
    ),
    NOT_SUITABLE: (
        "This candidate is not matched closely enough to be a donor.",
        ("sct-nmdp-hla",),
    ),
}

ALTERNATIVES_NOTE = (
    "When no fully matched donor exists there is no single right answer among a "
    "haploidentical relative, a mismatched unrelated donor and cord blood. The 2025 "
    "NMDP/CIBMTR guideline asks the team to weigh non-HLA factors too, such as a younger "
    "donor and how soon the donor can give cells, now that post-transplant cyclophosphamide "
    "has made mismatched transplants safer.",
    ("sct-nmdp-cibmtr-2025", "sct-ptcy-2023"),
)


@dataclass(frozen=True)
class ChoiceResult:
    family: Family
    chosen: Assessment
    accepted: frozenset[str]
    rows: tuple[Assessment, ...]

    @property
    def correct(self) -> bool:
        return self.chosen.candidate.id in self.accepted

    @property
    def alternatives_only(self) -> bool:
        return all(TIERS[a.category] == 3 for a in self.rows if a.candidate.id in self.accepted)


def grade_choice(family: Family, candidate_id: str | None) -> ChoiceResult:
    """Grade the student's pick; an empty or unknown pick raises ChoiceError."""
    if not candidate_id:
        raise ChoiceError("Choose a donor first, then check.")
    candidate = family.candidate(candidate_id)  # unknown: ChoiceError naming the patient
    rows = assess(family)  # one row per candidate, in the family's order
    return ChoiceResult(family, rows[family.candidates.index(candidate)], _best_tier(rows), rows)


# --- fictional families ------------------------------------------------------------------


def _h(name: str, a: str, b: str, c: str, drb1: str, dqb1: str) -> Haplotype:
    return Haplotype(
        name,
        {
            "A": f"A*{a}",
            "B": f"B*{b}",
            "C": f"C*{c}",
            "DRB1": f"DRB1*{drb1}",
            "DQB1": f"DQB1*{dqb1}",
        },
    )


# Family 1: the parents' haplotypes; the patient inherited m1 and f1.
_M1 = _h("m1", "02:01", "07:02", "07:02", "15:01", "06:02")
_M2 = _h("m2", "01:01", "08:01", "07:01", "03:01", "02:01")
_F1 = _h("f1", "03:01", "35:01", "04:01", "01:01", "05:01")
_F2 = _h("f2", "24:02", "44:02", "05:01", "04:01", "03:02")

# Family 2
_N1 = _h("n1", "11:01", "15:01", "03:04", "04:04", "03:02")
_N2 = _h("n2", "02:01", "44:02", "05:01", "04:01", "03:01")
_P1 = _h("p1", "24:02", "35:01", "04:01", "11:01", "03:01")
_P2 = _h("p2", "01:01", "57:01", "06:02", "07:01", "03:03")

# Family 3
_Q1 = _h("q1", "68:01", "39:05", "07:02", "04:07", "03:02")
_Q2 = _h("q2", "02:01", "35:12", "04:01", "08:02", "04:02")
_R1 = _h("r1", "31:01", "40:02", "03:04", "14:06", "03:01")
_R2 = _h("r2", "24:02", "51:01", "14:02", "04:04", "03:02")


def _unrelated(name: str, like: Haplotype, **changes: str) -> Haplotype:
    """An unrelated donor's haplotype: the same alleles as `like` except `changes`."""
    alleles = dict(like.alleles)
    alleles.update(changes)
    return Haplotype(name, alleles)


FAMILIES: tuple[Family, ...] = (
    Family(
        id="amara",
        patient_name="Amara",
        patient_age=24,
        story="B-cell ALL in first remission, MRD still detectable after induction.",
        patient_haplotypes=(_M1, _F1),
        candidates=(
            Candidate("kofi", "Kofi", "sibling", 27, (_M1, _F1)),
            Candidate("ama", "Ama", "sibling", 21, (_M1, _F2)),
            Candidate("esi", "Esi", "parent", 52, (_M1, _M2), "mother"),
            Candidate(
                "donor-4471",
                "Donor 4471",
                "unrelated",
                34,
                (_unrelated("u1", _M1), _unrelated("u2", _F1)),
            ),
        ),
    ),
    Family(
        id="tom",
        patient_name="Tom",
        patient_age=45,
        story="T-cell ALL in first remission with high-risk features.",
        patient_haplotypes=(_N1, _P1),
        candidates=(
            Candidate("clare", "Clare", "sibling", 49, (_N2, _P2)),
            Candidate("sam", "Sam", "sibling", 41, (_N1, _P2)),
            Candidate("lily", "Lily", "child", 19, (_P1, _M2), "daughter"),
            Candidate(
                "donor-2208",
                "Donor 2208",
                "unrelated",
                26,
                (_unrelated("u3", _N1), _unrelated("u4", _P1)),
            ),
            Candidate(
                "cord-118",
                "Cord unit 118",
                "cord",
                0,
                (_unrelated("u5", _N1, DRB1="DRB1*04:01"), _unrelated("u6", _P1, C="C*04:01")),
            ),
        ),
    ),
    Family(
        id="lucia",
        patient_name="Lucía",
        patient_age=33,
        story="B-cell ALL in second remission after a relapse; an only child.",
        patient_haplotypes=(_Q1, _R1),
        candidates=(
            Candidate("marta", "Marta", "parent", 58, (_Q1, _Q2), "mother"),
            Candidate(
                "donor-9035",
                "Donor 9035",
                "unrelated",
                29,
                (_unrelated("u7", _Q1, C="C*07:01"), _unrelated("u8", _R1)),
            ),
            Candidate(
                "cord-402",
                "Cord unit 402",
                "cord",
                0,
                (_unrelated("u9", _Q1, B="B*39:01"), _unrelated("u10", _R1, DRB1="DRB1*14:54")),
            ),
        ),
    ),
)


def family(family_id: str) -> Family:
    for f in FAMILIES:
        if f.id == family_id:
            return f
    raise KeyError(family_id)


def source_ids() -> set[str]:
    """Every reference id the scenario can show (the notebook must cite each one)."""
    ids = set(ALTERNATIVES_NOTE[1])
    for _text, sources in CATEGORY_REASONS.values():
        ids.update(sources)
    return ids
