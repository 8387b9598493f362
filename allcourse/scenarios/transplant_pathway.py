"""Transplant pathway: what a transplant team weighs for one patient, and why.

Education, not a decision tool: real decisions are made by a transplant team with the
patient. The rules only sort the considerations the course's sources give:

- Transplant is done once the ALL is in remission: as consolidation in first remission
  (CR1) for patients whose ALL has high-risk features, or after a relapse once a second
  remission is reached [seed-acs-transplant]. Without a remission, the first aim is to get
  one [seed-acs-transplant, seed-nmdp-bmt].
- In adults, allogeneic transplant in CR1 is a standard of care for Ph-negative ALL with a
  high risk of relapse; an inadequate MRD response is the most commonly accepted reason,
  and study groups sort risk differently [sct-ewall-2019, R85]. MRD is the key unifying
  risk factor [R25].
- In children most standard-risk ALL is cured with chemotherapy alone; transplant in CR1
  is kept for the few at very high risk, such as induction failure or persisting MRD
  [R64, R85].
- Myeloablative conditioning suits younger, fitter patients; reduced-intensity
  conditioning, which leans on the graft-versus-leukemia effect, opened transplant to
  older or less fit patients [seed-acs-transplant, R73]. Age alone does not rule
  transplant out [sct-nmdp-consult].
- A donor is needed: a matched sibling or unrelated donor, or now, with post-transplant
  cyclophosphamide, a haploidentical or mismatched donor [seed-acs-transplant, R69].

Pure: profiles are data; the option the team is likely to discuss first is computed by
`weigh()` from the facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MAC, RIC, NO_TRANSPLANT = "mac", "ric", "none"
OPTION_LABELS: dict[str, str] = {
    MAC: "Allogeneic transplant with myeloablative conditioning",
    RIC: "Allogeneic transplant with reduced-intensity conditioning",
    NO_TRANSPLANT: "No transplant now",
}
Status = Literal["CR1", "CR2", "refractory"]
Group = Literal["adult", "child"]


class ProfileError(ValueError):
    """A profile no rule covers (an authoring error)."""


class PredictionError(ValueError):
    """A prediction the view cannot check (with a message for the student)."""


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    group: Group
    age: int
    fit_for_myeloablative: bool  # fitness and other illnesses, as the team judges them
    other_illnesses: str
    status: Status
    mrd_positive: bool
    high_risk_features: tuple[str, ...]
    donor: str  # who is available, e.g. "matched sibling", "haploidentical parent"

    @property
    def title(self) -> str:
        who = "Child" if self.group == "child" else "Adult"
        return f"{who}: {self.name}, {self.age}"


@dataclass(frozen=True)
class Consideration:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class OptionView:
    option: str
    for_it: tuple[Consideration, ...]
    against_it: tuple[Consideration, ...]

    @property
    def label(self) -> str:
        return OPTION_LABELS[self.option]


@dataclass(frozen=True)
class Weighing:
    profile: Profile
    first: str  # the option the team is likely to discuss first
    why: Consideration
    options: tuple[OptionView, ...]


_Sides = tuple[list[Consideration], list[Consideration]]  # (for it, against it)


def _transplant_indicated(p: Profile) -> Consideration | None:
    """Why transplant is on the table in remission, or None when it is not (yet)."""
    if p.status == "CR2":
        return Consideration(
            f"{p.name} relapsed and is in a second remission: transplant is an option once a "
            "relapse is put into remission again.",
            ("seed-acs-transplant", "sct-nmdp-consult"),
        )
    if p.status != "CR1":
        return None
    if p.mrd_positive:
        return Consideration(
            "MRD is still detectable after induction: inadequate MRD response is a commonly "
            "accepted reason for an allogeneic transplant in first remission.",
            ("R85", "sct-ewall-2019"),
        )
    if p.high_risk_features:
        return Consideration(
            f"High-risk features ({'; '.join(p.high_risk_features)}): transplant in first "
            "remission is considered when the ALL has a high risk of coming back.",
            ("seed-acs-transplant", "sct-ewall-2019"),
        )
    return None


def weigh(p: Profile) -> Weighing:
    """Lay out the three options for this profile and the one likely to be discussed first."""
    if p.group not in ("adult", "child") or p.status not in ("CR1", "CR2", "refractory"):
        raise ProfileError(f"No rule covers {p.group!r} in {p.status!r}.")
    donor = Consideration(
        f"Donor: {p.donor}. A matched sibling or unrelated donor, or with post-transplant "
        "cyclophosphamide a haploidentical or mismatched donor, can be used.",
        ("seed-acs-transplant", "R69"),
    )
    intensive = Consideration(
        "Myeloablative conditioning is intense: its side effects are often too severe for "
        "people who are older or have other health problems.",
        ("seed-acs-transplant",),
    )
    ric_for = Consideration(
        "Reduced-intensity conditioning uses lower doses and relies on the graft-versus-leukemia "
        "effect; it lowered transplant-related deaths and opened transplant to older or less "
        "fit patients.",
        ("seed-acs-transplant", "R73"),
    )
    ric_against = Consideration(
        "Less conditioning kills fewer leukemia cells directly, so more of the work falls to "
        "the donor's immune cells.",
        ("seed-acs-transplant",),
    )
    fit = Consideration(
        f"Fitness: {p.other_illnesses}. Transplant is more likely to be a good option for "
        "people who are younger and have no other serious health conditions.",
        ("seed-acs-transplant",),
    )
    indicated = _transplant_indicated(p)

    if p.status == "refractory":
        first = NO_TRANSPLANT
        why = Consideration(
            f"{p.name} is not in remission. Transplant is done once the ALL is in remission, "
            "so the first aim is a remission with other treatment; the transplant doctor is "
            "seen now and the donor search starts now, so no time is lost later.",
            ("seed-acs-transplant", "seed-nmdp-bmt", "sct-nmdp-consult"),
        )
    elif indicated is None:
        first = NO_TRANSPLANT
        why = Consideration(
            f"{p.name} is in first remission, MRD-negative, with no high-risk feature: "
            + (
                "most children with ALL are cured by chemotherapy alone, so transplant is kept "
                "for very high-risk disease."
                if p.group == "child"
                else "the profile has none of the reasons the sources give for a transplant in "
                "first remission (study groups sort risk in different ways, so the team "
                "follows its own protocol)."
            ),
            ("R64", "R85") if p.group == "child" else ("sct-ewall-2019", "R85"),
        )
    else:
        first = MAC if p.fit_for_myeloablative else RIC
        why = indicated

    # Why a transplant is on the table weighs for both transplants and against waiting;
    # why it is not (yet) weighs the other way. The donor weighs for both transplants.
    reason = [indicated] if indicated is not None else []
    not_yet = [why] if indicated is None else []

    def transplant(option: str, if_fit: _Sides, if_not_fit: _Sides) -> OptionView:
        """One transplant option: the reason, then what fitness adds, then the donor."""
        fit_for, fit_against = if_fit if p.fit_for_myeloablative else if_not_fit
        return OptionView(option, tuple(reason + fit_for + [donor]), tuple(fit_against + not_yet))

    options = (
        transplant(MAC, if_fit=([fit], []), if_not_fit=([], [fit, intensive])),
        transplant(RIC, if_fit=([], [ric_against]), if_not_fit=([ric_for], [])),
        OptionView(NO_TRANSPLANT, tuple(not_yet), tuple(reason)),
    )
    return Weighing(p, first, why, options)


def check_prediction(p: Profile, option: str | None) -> bool:
    """Did the student predict the option the team is likely to discuss first?"""
    if not option:
        raise PredictionError("Choose the option you predict first, then check.")
    if option not in OPTION_LABELS:
        raise PredictionError(f"Choose one of the three options; got {option!r}.")
    return weigh(p).first == option


PROFILES: tuple[Profile, ...] = (
    Profile(
        id="dev",
        name="Dev",
        group="adult",
        age=28,
        fit_for_myeloablative=True,
        other_illnesses="fit, no other illness",
        status="CR1",
        mrd_positive=True,
        high_risk_features=("Philadelphia chromosome",),
        donor="a matched sibling",
    ),
    Profile(
        id="helen",
        name="Helen",
        group="adult",
        age=63,
        fit_for_myeloablative=False,
        other_illnesses="diabetes and mild kidney disease",
        status="CR1",
        mrd_positive=True,
        high_risk_features=("KMT2A rearrangement",),
        donor="a haploidentical son",
    ),
    Profile(
        id="noah",
        name="Noah",
        group="child",
        age=6,
        fit_for_myeloablative=True,
        other_illnesses="fit, no other illness",
        status="CR1",
        mrd_positive=False,
        high_risk_features=(),
        donor="a matched unrelated donor found on a preliminary search",
    ),
    Profile(
        id="rosa",
        name="Rosa",
        group="adult",
        age=37,
        fit_for_myeloablative=True,
        other_illnesses="fit, no other illness",
        status="refractory",
        mrd_positive=True,
        high_risk_features=("no remission within 28 days of starting chemotherapy",),
        donor="search started; a 7/8 unrelated donor and a haploidentical brother so far",
    ),
)


def profile(profile_id: str) -> Profile:
    for p in PROFILES:
        if p.id == profile_id:
            return p
    raise KeyError(profile_id)


def source_ids() -> set[str]:
    """Every reference id the pathway can show (the notebook must cite each one)."""
    ids: set[str] = set()
    for p in PROFILES:
        w = weigh(p)
        ids.update(w.why.sources)
        for o in w.options:
            for c in o.for_it + o.against_it:
                ids.update(c.sources)
    return ids
