"""Therapy and target: match each drug to its target or mechanism and to its signature
toxicity, round by round.

Each round has four drugs. The rounds are fixed sets chosen so that no option offered in
a round also fits another drug of that round (two defensible answers would make the
grading unfair); the drug order and the option order are shuffled per round with the
round number as the seed, so a second round looks different and outputs stay stable.
After the last set the sets repeat, reshuffled.

Pure: no widgets. The view shows only labels until the student checks; `grade()` runs
in the kernel. Every drug names its sources (mechanisms: NCI Drug Dictionary
[tx-nci-drug-dictionary] plus the drug-specific source; toxicities: labels and reviews).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

TARGETS: dict[str, str] = {
    "bcr-abl1": "The BCR-ABL1 tyrosine kinase made by the Philadelphia chromosome",
    "cd19-cd3": "CD19 on B cells, bridged to CD3 on the patient's T cells",
    "cd22-toxin": "CD22 on B cells; the antibody carries a toxin into the cell",
    "microtubules": "Microtubules: stops cells dividing (a vinca alkaloid)",
    "cd19-car": "CD19, through the patient's own T cells given a chimeric antigen receptor",
    "cd20": "CD20 on B cells (a monoclonal antibody)",
    "asparagine": "Breaks down asparagine, which leukemia cells cannot make enough of",
    "purine": "A purine antimetabolite: blocks the building blocks of DNA",
    "topo2": "DNA and topoisomerase II (an anthracycline)",
    "folate": "A folate antagonist: blocks dihydrofolate reductase",
    "glucocorticoid": "The glucocorticoid receptor: makes lymphoid cells die",
}

TOXICITIES: dict[str, str] = {
    "fluid": "Fluid retention, such as fluid around the lungs",
    "crs-neuro": "Cytokine release syndrome and neurologic events (confusion, tremor, seizures)",
    "liver-vod": "Liver injury, including veno-occlusive disease",
    "neuropathy": "Peripheral neuropathy and constipation",
    "b-aplasia": "Long-lasting B-cell aplasia with low antibody levels",
    "infusion-hbv": "Infusion reactions and hepatitis B reactivation",
    "pancreas-clots": "Pancreatitis and blood clots",
    "marrow-tpmt": "Marrow suppression, severe with inherited TPMT or NUDT15 deficiency",
    "arterial": "Arterial blockages and high blood pressure",
    "heart": "Heart muscle damage that adds up with the lifetime dose",
    "mucositis-kidney": "Mouth sores and kidney injury unless rescued with leucovorin on time",
    "glucose-bone": "High blood sugar, mood changes and bone damage (osteonecrosis)",
}


@dataclass(frozen=True)
class Drug:
    id: str
    name: str
    target: str  # key of TARGETS
    toxicity: str  # key of TOXICITIES
    why_target: str
    why_toxicity: str
    sources: tuple[str, ...]


DRUGS: dict[str, Drug] = {
    d.id: d
    for d in (
        Drug(
            "dasatinib",
            "Dasatinib",
            "bcr-abl1",
            "fluid",
            "Dasatinib is an oral tyrosine kinase inhibitor that blocks BCR-ABL1, the protein "
            "of Ph-positive ALL (FDA: adults 2006; children with chemotherapy 2018).",
            "Fluid retention is among its label warnings; check weight, breathing and swelling.",
            ("tx-nci-drug-dictionary", "R22", "tx-fda-dasatinib", "tx-label-dasatinib"),
        ),
        Drug(
            "blinatumomab",
            "Blinatumomab",
            "cd19-cd3",
            "crs-neuro",
            "A bispecific T-cell engager: one arm binds CD3 on T cells, the other CD19 on B "
            "cells, so the T cell kills the leukemia cell.",
            "Cytokine release syndrome and neurologic events are its serious toxicities; it "
            "runs as a continuous infusion, and the line is not flushed (a bolus would be an "
            "overdose).",
            ("R49", "R50"),
        ),
        Drug(
            "inotuzumab",
            "Inotuzumab ozogamicin",
            "cd22-toxin",
            "liver-vod",
            "An antibody-drug conjugate: an anti-CD22 antibody linked to calicheamicin, a "
            "toxin released inside the cell (FDA: adults 2017, children 1 year and older 2024).",
            "Its boxed warning is hepatotoxicity, including fatal veno-occlusive disease, and "
            "more deaths after a later transplant: watch weight, right-upper-quadrant pain, "
            "bilirubin.",
            ("R47", "R48", "tx-fda-inotuzumab-2017", "R30"),
        ),
        Drug(
            "vincristine",
            "Vincristine",
            "microtubules",
            "neuropathy",
            "A vinca alkaloid that binds tubulin and stops the mitotic spindle, so cells "
            "cannot divide.",
            "Its cumulative neuropathy causes tingling, lost ankle reflexes, foot drop, jaw "
            "pain and constipation. It is for IV use only: fatal if given intrathecally.",
            ("tx-nci-drug-dictionary", "R106", "R103"),
        ),
        Drug(
            "tisagenlecleucel",
            "Tisagenlecleucel (CAR T cells)",
            "cd19-car",
            "b-aplasia",
            "The patient's own T cells, given a chimeric antigen receptor against CD19 "
            "(FDA 2017: patients up to 25 years with refractory or second-or-later relapse).",
            "CAR T cells kill normal B cells too: B-cell aplasia and low antibody levels "
            "last months to years, so infections follow and IVIG may be given (after the "
            "early risks of cytokine release and ICANS).",
            ("R53", "tx-fda-tisagenlecleucel", "R62", "R60"),
        ),
        Drug(
            "rituximab",
            "Rituximab",
            "cd20",
            "infusion-hbv",
            "A monoclonal antibody against CD20; added to chemotherapy for adults with "
            "CD20-positive Ph-negative B-ALL (GRAALL-2005, published 2016).",
            "Its boxed warning includes fatal infusion-related reactions and hepatitis B "
            "reactivation: premedicate and watch the first infusion closely; screen for "
            "hepatitis B before it starts.",
            ("tx-nci-drug-dictionary", "R46", "tx-label-rituximab"),
        ),
        Drug(
            "pegaspargase",
            "Pegaspargase",
            "asparagine",
            "pancreas-clots",
            "An asparaginase: it breaks down asparagine in the blood, and leukemia cells, "
            "unlike healthy cells, cannot make enough of their own.",
            "Pancreatitis and thrombosis are among its main toxicities (with allergy, high "
            "blood sugar and liver effects): report abdominal pain, headache or limb swelling.",
            ("tx-nci-drug-dictionary", "R107", "R108"),
        ),
        Drug(
            "mercaptopurine",
            "6-Mercaptopurine",
            "purine",
            "marrow-tpmt",
            "A purine antimetabolite, taken by mouth every day in maintenance; it is made "
            "into thioguanine nucleotides that stop DNA synthesis.",
            "Its main effect is marrow suppression; inherited TPMT deficiency causes severe "
            "toxicity at standard doses, and allopurinol means the dose is cut by about 75%.",
            ("tx-nci-drug-dictionary", "R38", "R40"),
        ),
        Drug(
            "ponatinib",
            "Ponatinib",
            "bcr-abl1",
            "arterial",
            "An oral TKI against BCR-ABL1, active against the T315I mutation too (FDA 2024: "
            "with chemotherapy for adults with newly diagnosed Ph-positive ALL).",
            "High blood pressure is among its common effects and arterial occlusive events "
            "head its boxed warning: check blood pressure at every visit and teach the signs "
            "of a stroke or heart attack.",
            ("tx-nci-drug-dictionary", "R45", "tx-label-ponatinib"),
        ),
        Drug(
            "daunorubicin",
            "Daunorubicin",
            "topo2",
            "heart",
            "An anthracycline: it slips into DNA and blocks topoisomerase II.",
            "Anthracycline heart damage adds up with the lifetime dose (a cumulative limit "
            "is tracked, as for doxorubicin), and it is a vesicant.",
            ("tx-nci-drug-dictionary", "R40", "R116"),
        ),
        Drug(
            "methotrexate",
            "High-dose methotrexate",
            "folate",
            "mucositis-kidney",
            "A folate antagonist that blocks dihydrofolate reductase; high doses reach the CNS.",
            "High doses need leucovorin rescue on schedule, hydration and level checks; "
            "mouth sores and kidney injury follow when clearance is slow.",
            ("tx-nci-drug-dictionary", "R37", "R101"),
        ),
        Drug(
            "dexamethasone",
            "Dexamethasone",
            "glucocorticoid",
            "glucose-bone",
            "A glucocorticoid: steroids are toxic to lymphoid cells, which is why standard "
            "multi-drug chemotherapy for ALL includes one (prednisone or dexamethasone).",
            "High blood sugar (especially with asparaginase), mood swings and sleep problems, "
            "and osteonecrosis; dexamethasone brings more hyperglycemia, infection and "
            "osteonecrosis than prednisone.",
            ("seed-hu-treatment", "R110", "R111", "R112"),
        ),
    )
}


@dataclass(frozen=True)
class RoundSet:
    drugs: tuple[str, ...]
    extra_targets: tuple[str, ...]  # distractors that fit no drug of the set
    extra_toxicities: tuple[str, ...]


ROUND_SETS: tuple[RoundSet, ...] = (
    RoundSet(
        ("dasatinib", "blinatumomab", "inotuzumab", "vincristine"),
        ("cd20", "folate"),
        ("pancreas-clots", "mucositis-kidney"),
    ),
    RoundSet(
        ("tisagenlecleucel", "rituximab", "pegaspargase", "mercaptopurine"),
        ("bcr-abl1", "microtubules"),
        ("neuropathy", "heart"),
    ),
    RoundSet(
        ("ponatinib", "daunorubicin", "methotrexate", "dexamethasone"),
        ("cd22-toxin", "cd20"),
        ("infusion-hbv", "b-aplasia"),
    ),
)


class RoundError(ValueError):
    """An answer the grader cannot score, with a message for the student."""


@dataclass(frozen=True)
class Round:
    number: int  # 1, 2, 3, ...
    drugs: tuple[Drug, ...]
    targets: tuple[tuple[str, str], ...]  # (key, label), shuffled
    toxicities: tuple[tuple[str, str], ...]


def make_round(number: int) -> Round:
    """Round `number` (1-based): its set of four drugs and the options, shuffled with
    the round number as the seed (stable outputs; a new round looks different)."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise RoundError(f"Rounds are numbered from 1; got {number!r}.")
    rs = ROUND_SETS[(number - 1) % len(ROUND_SETS)]
    rng = random.Random(number)
    drugs = [DRUGS[d] for d in rs.drugs]
    rng.shuffle(drugs)
    targets = sorted({d.target for d in drugs} | set(rs.extra_targets))
    toxicities = sorted({d.toxicity for d in drugs} | set(rs.extra_toxicities))
    rng.shuffle(targets)
    rng.shuffle(toxicities)
    return Round(
        number,
        tuple(drugs),
        tuple((k, TARGETS[k]) for k in targets),
        tuple((k, TOXICITIES[k]) for k in toxicities),
    )


@dataclass(frozen=True)
class PairResult:
    drug: Drug
    kind: str  # "target" or "toxicity"
    chosen: str  # key
    correct: bool

    @property
    def expected(self) -> str:
        return self.drug.target if self.kind == "target" else self.drug.toxicity

    @property
    def chosen_label(self) -> str:
        return (TARGETS if self.kind == "target" else TOXICITIES)[self.chosen]

    @property
    def expected_label(self) -> str:
        return (TARGETS if self.kind == "target" else TOXICITIES)[self.expected]

    @property
    def rationale(self) -> str:
        return self.drug.why_target if self.kind == "target" else self.drug.why_toxicity


@dataclass(frozen=True)
class RoundResult:
    round: Round
    pairs: tuple[PairResult, ...]

    @property
    def right(self) -> int:
        return sum(p.correct for p in self.pairs)

    @property
    def total(self) -> int:
        return len(self.pairs)


Answers = Mapping[str, Mapping[str, str | None]]  # drug id -> {"target": key, "toxicity": key}


def missing(rnd: Round, answers: Answers) -> list[str]:
    """Plain-language list of what is not chosen yet."""
    out = []
    for d in rnd.drugs:
        a = answers.get(d.id, {})
        if not a.get("target"):
            out.append(f"{d.name}: target")
        if not a.get("toxicity"):
            out.append(f"{d.name}: toxicity")
    return out


def grade(rnd: Round, answers: Answers) -> RoundResult:
    """Score each drug-target and drug-toxicity pair (1 each); raise RoundError for an
    incomplete or impossible answer (a value no drop-down of this round offers)."""
    gaps = missing(rnd, answers)
    if gaps:
        raise RoundError(
            f"Choose all {len(rnd.drugs) * 2} matches first; missing: {'; '.join(gaps)}."
        )
    offered = {"target": {k for k, _ in rnd.targets}, "toxicity": {k for k, _ in rnd.toxicities}}
    unknown = sorted(set(answers) - {d.id for d in rnd.drugs})
    if unknown:
        raise RoundError(f"These drugs are not in round {rnd.number}: {', '.join(unknown)}.")
    pairs = []
    for d in rnd.drugs:
        for kind in ("target", "toxicity"):
            chosen = str(answers[d.id][kind])
            if chosen not in offered[kind]:
                raise RoundError(f"{chosen!r} is not one of this round's {kind} options.")
            expected = d.target if kind == "target" else d.toxicity
            pairs.append(PairResult(d, kind, chosen, chosen == expected))
    return RoundResult(rnd, tuple(pairs))


def source_ids() -> set[str]:
    """Every reference id the game can show (the notebook must cite each one)."""
    return {s for d in DRUGS.values() for s in d.sources}
