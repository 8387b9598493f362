"""Risk sorter: is each feature of a patient's ALL a sign of higher or lower relapse risk?

The rules differ for children and adults, and the model keeps them apart:

Children
- Age and WBC at diagnosis (NCI): standard risk is age 1 to under 10 *and* WBC under
  50,000/µL; high risk is age 10 or more and/or WBC 50,000/µL or more [R26] (the NCI risk
  criteria of 1996, set for B-cell ALL [pr-smith-1996]). NCI's two
  groups as the course's source gives them leave out infants (under 1); NMDP advises a
  transplant doctor early when a child is diagnosed as an infant [seed-nmdp-bmt].
- Lineage: B-cell ALL has a better prognosis than T-cell ALL [R9].
- Genetics: favourable t(12;21), high hyperdiploidy (> 50 chromosomes), trisomies 4/10/17;
  unfavourable t(9;22), KMT2A/t(4;11), hypodiploidy, iAMP21 [R9].
- MRD in the marrow at day 29 (COG): the strongest prognostic factor; MRD 0.01-0.1% gave
  a 59% 5-year event-free survival against 88% when MRD-negative [R27].

Adults (an ASH table of prognostic factors) [R25]
- Age acts continuously; over 55 is an older adult.
- WBC over 30 x10⁹/L in B-cell ALL or over 100 x10⁹/L in T-cell ALL ("variably
  considered"); the same lines predicted survival in the UKALL XII/ECOG 2993 adult trial
  (2009 report) [pr-marks-2009]. The 2017 NMDP/ASBMT transplant-referral list named a WBC
  over 30,000-50,000 with no split by lineage among the high-risk features of adults over
  35 [R83]; its replacement (NMDP/ASTCT 2021, updated 2024) names no WBC line
  [sct-nmdp-consult].
- Ph+ (t(9;22)) and KMT2A rearrangement are adverse.
- MRD is the "key unifying factor"; MRD-positive after induction is >= 0.1% or >= 0.01%
  depending on the study, so the model says which of the two a value meets.

NMDP's seed page frames these factors as predictors of relapse [seed-nmdp-bmt], which is
why the student sorts them as higher or lower *relapse* risk.

Pure: profiles are data; every expected answer is computed by a rule function from the
profile's facts, never typed in. The view (`risk_sorter_view`) only draws and calls
`grade()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from allcourse.scenarios.prediction import Paragraph, Prediction, WhyNot

HIGHER = "higher"
LOWER = "lower"
DIRECTIONS: dict[str, str] = {HIGHER: "Higher relapse risk", LOWER: "Lower relapse risk"}

Group = Literal["child", "adult"]
Lineage = Literal["B", "T"]

# Children (NCI) [R26]
CHILD_STANDARD_AGE_FROM = Decimal(1)
CHILD_STANDARD_AGE_BELOW = Decimal(10)
CHILD_WBC_HIGH_FROM = 50_000  # /µL
# Adults [R25]
ADULT_OLDER_OVER = Decimal(55)
ADULT_WBC_OVER = {"B": 30_000, "T": 100_000}  # /µL (30 and 100 x10⁹/L)
NMDP_WBC_FROM = 30_000  # 2017 NMDP/ASBMT high-risk list (over 35): WBC > 30,000-50,000/µL [R83]
# MRD, percent of marrow cells
MRD_POSITIVE_LOW = Decimal("0.01")  # >= 0.01%: positive in COG [R27] and some adult studies
MRD_POSITIVE_HIGH = Decimal("0.1")  # >= 0.1%: positive in other adult studies [R25]


class ProfileError(ValueError):
    """A profile whose facts no sourced rule covers (an authoring error)."""


class SortError(ValueError):
    """A sorting the grader cannot score, with a message for the student."""


@dataclass(frozen=True)
class Verdict:
    """Where the sources put one feature, and why."""

    direction: str  # HIGHER or LOWER
    reason: str
    sources: tuple[str, ...]

    @property
    def label(self) -> str:
        return DIRECTIONS[self.direction]


def _num(value: Decimal | int | float, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise ProfileError(f"{what} must be a number; got {value!r}.")
    d = Decimal(str(value))
    if not d.is_finite() or d < 0:
        raise ProfileError(f"{what} must be a number of 0 or more; got {value!r}.")
    return d


def wbc_text(wbc_per_ul: int) -> str:
    """40000 -> "40,000/µL (40 ×10⁹/L)": children's rules use /µL, adults' x10⁹/L."""
    giga = Decimal(wbc_per_ul) / 1000
    giga_text = f"{giga.normalize():f}" if giga != giga.to_integral_value() else f"{int(giga)}"
    return f"{wbc_per_ul:,}/µL ({giga_text} ×10⁹/L)"


def _years(age: Decimal) -> str:
    if age == age.to_integral_value():
        n = int(age)
        return f"{n} year" + ("" if n == 1 else "s")
    return f"{age.normalize():f} years"


def mrd_text(percent: Decimal) -> str:
    if percent < MRD_POSITIVE_LOW:
        return "not detected (MRD-negative, below 0.01%)"
    return f"{percent.normalize():f}%"


# --- rules for children -------------------------------------------------------------------


def child_age(age_years: Decimal | int | float) -> Verdict:
    age = _num(age_years, "Age")
    if age < CHILD_STANDARD_AGE_FROM:
        return Verdict(
            HIGHER,
            "Under 1 year is outside NCI's standard-risk ages (1 to under 10), and NMDP "
            "advises seeing a transplant doctor early when a child is diagnosed as an infant.",
            ("R26", "seed-nmdp-bmt"),
        )
    if age < CHILD_STANDARD_AGE_BELOW:
        return Verdict(
            LOWER,
            f"{_years(age)} is within NCI's standard-risk ages, 1 to under 10.",
            ("R26",),
        )
    return Verdict(
        HIGHER,
        f"{_years(age)}: NCI puts children aged 10 or more in the high-risk group.",
        ("R26",),
    )


def child_wbc(wbc_per_ul: int) -> Verdict:
    wbc = _num(wbc_per_ul, "WBC")
    if wbc < CHILD_WBC_HIGH_FROM:
        return Verdict(
            LOWER,
            f"{wbc_text(int(wbc))} is under NCI's 50,000/µL line for children: standard risk "
            "if the age fits too. (In an adult with B-cell ALL the same count would be over "
            "the adult line of 30 ×10⁹/L.)",
            ("R26", "R25"),
        )
    return Verdict(
        HIGHER,
        f"{wbc_text(int(wbc))} is at or over NCI's 50,000/µL line: high risk in children.",
        ("R26",),
    )


def child_lineage(lineage: Lineage) -> Verdict:
    if lineage == "B":
        return Verdict(
            LOWER, "In children, B-cell ALL has a better prognosis than T-cell ALL.", ("R9",)
        )
    if lineage == "T":
        return Verdict(
            HIGHER,
            "In children, T-cell ALL has a poorer prognosis than B-cell ALL (and age does not "
            "predict the outcome in T-cell ALL).",
            ("R9",),
        )
    raise ProfileError(f"Lineage must be 'B' or 'T'; got {lineage!r}.")


def child_mrd(percent: Decimal | int | float) -> Verdict:
    mrd = _num(percent, "MRD")
    if mrd < MRD_POSITIVE_LOW:
        return Verdict(
            LOWER,
            "MRD-negative at the end of induction: in the COG study, children who were "
            "MRD-negative at day 29 had an 88% 5-year event-free survival.",
            ("R27",),
        )
    if mrd < MRD_POSITIVE_HIGH:
        detail = "MRD of 0.01-0.1% gave a 59% 5-year event-free survival, against 88% when "
    else:
        detail = (
            "this is above the 0.01-0.1% range, which already gave a 59% 5-year event-free "
            "survival, against 88% when "
        )
    return Verdict(
        HIGHER,
        f"MRD {mrd.normalize():f}% at day 29: leukemia is still detectable. Day-29 marrow MRD "
        f"was the strongest prognostic factor in the COG study; {detail}MRD-negative.",
        ("R27",),
    )


# --- rules for adults ---------------------------------------------------------------------


def adult_age(age_years: Decimal | int | float) -> Verdict:
    age = _num(age_years, "Age")
    if age > ADULT_OLDER_OVER:
        return Verdict(
            HIGHER,
            f"{_years(age)}: over 55 counts as an older adult, and risk rises with age.",
            ("R25",),
        )
    return Verdict(
        LOWER,
        f"{_years(age)} is under the over-55 'older adult' line. Age acts continuously, so "
        "this is lower risk compared with an older adult, not no risk.",
        ("R25",),
    )


def adult_wbc(wbc_per_ul: int, lineage: Lineage) -> Verdict:
    if lineage not in ADULT_WBC_OVER:
        raise ProfileError(f"Lineage must be 'B' or 'T'; got {lineage!r}.")
    wbc = int(_num(wbc_per_ul, "WBC"))
    line = ADULT_WBC_OVER[lineage]
    name = f"{lineage}-cell ALL"
    if wbc > line:
        return Verdict(
            HIGHER,
            f"{wbc_text(wbc)} is over {line // 1000} ×10⁹/L, the adult line for {name}. The "
            "adult lines are only 'variably considered'; the 2017 NMDP/ASBMT referral list "
            "(since replaced) gave 30,000-50,000/µL, and children's line is 50,000/µL.",
            ("R25", "R83", "R26"),
        )
    other = "T" if lineage == "B" else "B"
    reason = (
        f"{wbc_text(wbc)} is not over {line // 1000} ×10⁹/L, the adult line for {name} (for "
        f"{other}-cell ALL the line is {ADULT_WBC_OVER[other] // 1000} ×10⁹/L)."
    )
    if wbc > NMDP_WBC_FROM:
        # An older list read this count differently: say so, with its year and its scope.
        reason += (
            " An older list read this count differently: the 2017 NMDP/ASBMT transplant-"
            "referral list named a WBC over 30,000-50,000/µL, with no split by lineage, among "
            "the high-risk features of adults over 35. Its replacement (NMDP/ASTCT, 2021, "
            "updated 2024) names no WBC line. This sorter follows the ASH table, which sets a "
            "different line for B- and T-cell ALL and calls its lines 'variably considered'."
        )
        return Verdict(LOWER, reason, ("R25", "R83", "sct-nmdp-consult", "R26"))
    reason += " It is not over any adult WBC line the course's sources give."
    return Verdict(LOWER, reason, ("R25", "R83", "R26"))


def adult_mrd(percent: Decimal | int | float) -> Verdict:
    mrd = _num(percent, "MRD")
    if mrd < MRD_POSITIVE_LOW:
        return Verdict(
            LOWER,
            "MRD-negative after induction. MRD is the key unifying prognostic factor in adult ALL.",
            ("R25",),
        )
    if mrd < MRD_POSITIVE_HIGH:
        which = "MRD-positive by the 0.01% threshold, though not by the 0.1% one (studies use both)"
    else:
        which = "MRD-positive by both thresholds in use (0.1% and 0.01%)"
    return Verdict(
        HIGHER,
        f"MRD {mrd.normalize():f}% after induction is {which}. MRD is the key unifying "
        "prognostic factor in adult ALL.",
        ("R25",),
    )


# --- genetics -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Genetics:
    label: str
    child: Verdict | None
    adult: Verdict | None  # None: the course's sources do not cover it for adults


GENETICS: dict[str, Genetics] = {
    "t12_21": Genetics(
        "t(12;21)",
        Verdict(LOWER, "t(12;21) is a favourable change in childhood ALL.", ("R9",)),
        None,
    ),
    "hyperdiploidy": Genetics(
        "High hyperdiploidy (more than 50 chromosomes)",
        Verdict(
            LOWER,
            "High hyperdiploidy (more than 50 chromosomes) is favourable in childhood ALL.",
            ("R9",),
        ),
        None,
    ),
    "ph": Genetics(
        "t(9;22), the Philadelphia chromosome (BCR-ABL1)",
        Verdict(HIGHER, "t(9;22) (Philadelphia chromosome) is unfavourable in children.", ("R9",)),
        Verdict(
            HIGHER,
            "Ph+ ALL (t(9;22)) is an adverse factor in adults. It also changes treatment: an "
            "oral tyrosine kinase inhibitor, which blocks the BCR-ABL1 protein, is given with "
            "the chemotherapy.",
            ("R25", "R22", "R24"),
        ),
    ),
    "kmt2a": Genetics(
        "KMT2A rearrangement, such as t(4;11)",
        Verdict(
            HIGHER, "KMT2A rearrangement (such as t(4;11)) is unfavourable in children.", ("R9",)
        ),
        Verdict(HIGHER, "KMT2A rearrangement is an adverse factor in adults.", ("R25",)),
    ),
    "hypodiploidy": Genetics(
        "Hypodiploidy",
        Verdict(HIGHER, "Hypodiploidy is unfavourable in childhood ALL.", ("R9",)),
        None,
    ),
    "iamp21": Genetics(
        "iAMP21",
        Verdict(HIGHER, "iAMP21 is unfavourable in childhood ALL.", ("R9",)),
        None,
    ),
}


def genetics(group: Group, key: str) -> Verdict:
    if key not in GENETICS:
        raise ProfileError(f"Unknown genetic change {key!r}; known: {', '.join(GENETICS)}.")
    verdict = GENETICS[key].child if group == "child" else GENETICS[key].adult
    if verdict is None:
        raise ProfileError(
            f"The course's sources give no adult rule for {GENETICS[key].label}; do not use it "
            "in an adult profile."
        )
    return verdict


# --- profiles -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A fictional patient: the facts of their ALL at diagnosis and after induction."""

    id: str
    name: str
    group: Group
    age_years: Decimal
    lineage: Lineage
    wbc_per_ul: int
    genetics: str | None
    mrd_percent: Decimal  # at the end of induction; below 0.01 means not detected
    story: str

    @property
    def title(self) -> str:
        who = "Child" if self.group == "child" else "Adult"
        return f"{who}: {self.name}, {_years(self.age_years)}"


@dataclass(frozen=True)
class Feature:
    key: str
    label: str  # what the student sorts
    verdict: Verdict


def features(p: Profile) -> tuple[Feature, ...]:
    """The features the student sorts, each with the sourced verdict for this patient."""
    age = f"Age at diagnosis: {_years(p.age_years)}"
    if p.group == "child":
        out = [
            Feature("age", age, child_age(p.age_years)),
            Feature("wbc", f"WBC at diagnosis: {wbc_text(p.wbc_per_ul)}", child_wbc(p.wbc_per_ul)),
            Feature("lineage", f"Lineage: {p.lineage}-cell ALL", child_lineage(p.lineage)),
        ]
        mrd_when = "MRD in the marrow at day 29 (end of induction)"
        mrd = child_mrd(p.mrd_percent)
    elif p.group == "adult":
        # In adults lineage is not a factor of its own in the source; it sets the WBC line.
        out = [
            Feature("age", age, adult_age(p.age_years)),
            Feature(
                "wbc",
                f"WBC at diagnosis: {wbc_text(p.wbc_per_ul)}, {p.lineage}-cell ALL",
                adult_wbc(p.wbc_per_ul, p.lineage),
            ),
        ]
        mrd_when = "MRD after induction"
        mrd = adult_mrd(p.mrd_percent)
    else:
        raise ProfileError(f"Group must be 'child' or 'adult'; got {p.group!r}.")
    if p.genetics is not None:
        verdict = genetics(p.group, p.genetics)  # raises for a change no rule covers
        out.append(Feature("genetics", f"Cytogenetics: {GENETICS[p.genetics].label}", verdict))
    out.append(Feature("mrd", f"{mrd_when}: {mrd_text(p.mrd_percent)}", mrd))
    return tuple(out)


# The patients are fictional. Aiden and Ken share a WBC of 40,000/µL on purpose: the same
# count sorts differently for a child and for an adult with B-cell ALL; Ingrid has the same
# count in T-cell ALL.
PROFILES: tuple[Profile, ...] = (
    Profile(
        id="aiden",
        name="Aiden",
        group="child",
        age_years=Decimal(4),
        lineage="B",
        wbc_per_ul=40_000,
        genetics="t12_21",
        mrd_percent=Decimal("0.05"),
        story="Diagnosed with B-cell ALL after two weeks of tiredness and bruising.",
    ),
    Profile(
        id="maya",
        name="Maya",
        group="child",
        age_years=Decimal(13),
        lineage="B",
        wbc_per_ul=72_000,
        genetics="kmt2a",
        mrd_percent=Decimal(0),
        story="Diagnosed with B-cell ALL after bone pain and fevers.",
    ),
    Profile(
        id="ken",
        name="Ken",
        group="adult",
        age_years=Decimal(62),
        lineage="B",
        wbc_per_ul=40_000,
        genetics="ph",
        mrd_percent=Decimal(0),
        story="Diagnosed with B-cell ALL after weeks of fatigue and night sweats.",
    ),
    Profile(
        id="ingrid",
        name="Ingrid",
        group="adult",
        age_years=Decimal(29),
        lineage="T",
        wbc_per_ul=40_000,
        genetics=None,
        mrd_percent=Decimal("0.2"),
        story="Diagnosed with T-cell ALL; no Philadelphia chromosome or KMT2A change found.",
    ),
)


def profile(profile_id: str) -> Profile:
    for p in PROFILES:
        if p.id == profile_id:
            return p
    raise KeyError(profile_id)


# --- summaries ------------------------------------------------------------------------------


def nci_child_group(age_years: Decimal | int | float, wbc_per_ul: int) -> str:
    """NCI's risk group for a child from age and WBC [R26]: "standard", "high", or
    "infant" (under 1: not in the two groups the course's source gives)."""
    age = _num(age_years, "Age")
    wbc = _num(wbc_per_ul, "WBC")
    if age < CHILD_STANDARD_AGE_FROM:
        return "infant"
    if age < CHILD_STANDARD_AGE_BELOW and wbc < CHILD_WBC_HIGH_FROM:
        return "standard"
    return "high"


def group_summary(p: Profile) -> tuple[str, tuple[str, ...]]:
    """One sentence on the patient's risk group under their age group's rules."""
    if p.group == "child":
        group = nci_child_group(p.age_years, p.wbc_per_ul)
        if group == "infant":
            text = (
                f"{p.name} is under 1: NCI's standard- and high-risk groups, as the course's "
                "source gives them, start at age 1."
            )
        elif group == "standard":
            text = (
                f"By age and WBC, {p.name} is in NCI's standard-risk group (age 1 to under 10 "
                "and WBC under 50,000/µL). Genetics and MRD then refine the risk."
            )
        else:
            text = (
                f"By age and WBC, {p.name} is in NCI's high-risk group (age 10 or more and/or "
                "WBC 50,000/µL or more). Genetics and MRD then refine the risk."
            )
        return text, ("R26",)
    return (
        "The course's sources give no single risk-group rule for adults: the ASH table lists "
        "age, WBC and genetics as factors and calls MRD the key unifying factor.",
        ("R25",),
    )


# --- grading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeatureResult:
    feature: Feature
    answer: str

    @property
    def correct(self) -> bool:
        return self.answer == self.feature.verdict.direction


@dataclass(frozen=True)
class SortResult:
    profile: Profile
    results: tuple[FeatureResult, ...]

    @property
    def right(self) -> int:
        return sum(1 for r in self.results if r.correct)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def all_correct(self) -> bool:
        return self.right == self.total


def check_answers(p: Profile, answers: Mapping[str, str | None]) -> str | None:
    """A message for a sorting that cannot be graded yet (something not sorted), or None."""
    feats = features(p)
    unsorted = [f.label for f in feats if not answers.get(f.key)]
    if unsorted and len(unsorted) == len(feats):
        return f"Sort each of the {len(feats)} features first, then check."
    if unsorted:
        n = len(unsorted)
        return (
            f"Sort every feature first: {n} not sorted yet ({'; '.join(unsorted)})."
            if n > 1
            else f"Sort every feature first: 1 not sorted yet ({unsorted[0]})."
        )
    return None


def grade(p: Profile, answers: Mapping[str, str | None]) -> SortResult:
    """Compare the student's sorting with the sourced verdicts, feature by feature."""
    feats = features(p)
    known = {f.key for f in feats}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise SortError(f"Unknown features for {p.name}: {', '.join(unknown)}.")
    bad = {k: v for k, v in answers.items() if v and v not in DIRECTIONS}
    if bad:
        raise SortError(
            f"Sort each feature as {' or '.join(repr(d) for d in DIRECTIONS)}; got {bad}."
        )
    message = check_answers(p, answers)
    if message:
        raise SortError(message)
    return SortResult(p, tuple(FeatureResult(f, str(answers[f.key])) for f in feats))


# --- the prediction ("predict first, then check") --------------------------------------------

# The three fictional patients with the same WBC at diagnosis (40,000/µL): a child, an adult
# with B-cell ALL and an adult with T-cell ALL.
SAME_WBC = ("aiden", "ken", "ingrid")


def wbc_verdict(p: Profile) -> Verdict:
    """The WBC-at-diagnosis verdict under the rule for the patient's age group and lineage:
    NCI for children [R26], the ASH table for adults [R25]."""
    return next(f.verdict for f in features(p) if f.key == "wbc")


def high_wbc(profile_ids: tuple[str, ...] = SAME_WBC) -> tuple[str, ...]:
    """The ids of the patients whose WBC sorts as higher relapse risk under their rule."""
    return tuple(i for i in profile_ids if wbc_verdict(profile(i)).direction == HIGHER)


def prediction() -> Prediction:
    """Whose WBC of 40,000/µL is on the higher-risk side of the line this page gives for
    each patient's age group and lineage (NCI for children [R26, pr-smith-1996], the ASH
    table for adults [R25])? The stem names that rule, so one answer is defensible: the
    superseded 2017 NMDP/ASBMT list [R83] is explained, not keyed. The key is computed from
    the rule functions; the choices name sets of patients by their ids joined with "+"."""
    aiden, ken, ingrid = (profile(i) for i in SAME_WBC)
    if len({aiden.wbc_per_ul, ken.wbc_per_ul, ingrid.wbc_per_ul}) != 1:
        raise ProfileError("The prediction needs the three patients to share one WBC.")
    wbc = wbc_text(aiden.wbc_per_ul)

    def who(p: Profile) -> str:
        return f"{p.name} ({_years(p.age_years)}, {p.lineage}-cell ALL)"

    return Prediction(
        question=(
            f"{who(aiden)}, {who(ken)} and {who(ingrid)} each had a WBC of {wbc} at "
            "diagnosis. Read against the WBC line this page gives for each patient's age "
            "group and lineage, whose count is on the higher-risk side?"
        ),
        choices=(
            (f"{aiden.name}, {ken.name} and {ingrid.name}", "+".join(SAME_WBC)),
            (f"{aiden.name} alone", aiden.id),
            (f"{ken.name} alone", ken.id),
            (f"{ken.name} and {ingrid.name} (the adults)", f"{ken.id}+{ingrid.id}"),
        ),
        key="+".join(high_wbc()),
        explanation=(
            Paragraph(
                f"For {aiden.name}, a child with B-cell ALL, the count is under the children's "
                "line of 50,000/µL (NCI risk criteria, 1996, set for B-cell ALL): by age and "
                "WBC he is in the standard-risk group.",
                ("R26", "pr-smith-1996"),
            ),
            Paragraph(
                f"For {ken.name}, with B-cell ALL, it is over the adult line of 30 ×10⁹/L; for "
                f"{ingrid.name}, with T-cell ALL, it is under the adult T-cell line of "
                "100 ×10⁹/L. The same two lines predicted survival in the UKALL XII/ECOG 2993 "
                "adult trial (2009 report).",
                ("R25", "pr-marks-2009"),
            ),
            Paragraph(
                "An older list read adult counts differently: the 2017 NMDP/ASBMT transplant-"
                "referral list named a WBC over 30,000–50,000, with no split by lineage, among "
                f"the high-risk features of adults over 35 ({ingrid.name} is "
                f"{ingrid.age_years.normalize():f}).",
                ("R83",),
            ),
            Paragraph(
                "Its replacement, the NMDP/ASTCT guidelines (2021, updated 2024), recommends "
                "an early transplant consultation for every adult with ALL (its adult list "
                "starts at 40) and names no WBC line. One number, three readings: ask which "
                "rule your team uses.",
                ("sct-nmdp-consult",),
            ),
        ),
        why_not=(
            WhyNot(
                "+".join(SAME_WBC),
                f"{wbc} is under the children's line of 50,000/µL and under the adult T-cell "
                "line of 100 ×10⁹/L; the same number does not mean the same risk.",
                ("R26", "R25"),
            ),
            WhyNot(
                aiden.id,
                "the children's line (50,000/µL) is higher than the adult B-cell line "
                f"(30 ×10⁹/L, that is 30,000/µL), so {wbc} is under the line for a child "
                "and over it for an adult with B-cell ALL.",
                ("R26", "R25"),
            ),
            WhyNot(
                f"{ken.id}+{ingrid.id}",
                "in adults the lineage sets the line: 30 ×10⁹/L for B-cell ALL but 100 ×10⁹/L "
                f"for T-cell ALL, so {ingrid.name}'s count is under her line. A reading of "
                "the 2017 NMDP/ASBMT list would not change that: its WBC feature was for "
                "adults over 35, and the list has been replaced.",
                ("R25", "R83", "sct-nmdp-consult"),
            ),
        ),
    )


def source_ids() -> set[str]:
    """Every reference id the sorter can show (the notebook must cite each one)."""
    ids: set[str] = prediction().source_ids()
    for p in PROFILES:
        for f in features(p):
            ids.update(f.verdict.sources)
        ids.update(group_summary(p)[1])
    return ids
