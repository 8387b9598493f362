"""Find a donor: mismatches counted per locus, 8/8 and 10/10 grades, donor categories and
the donor order, grading of a pick, and no grade in the page before the student checks."""

from __future__ import annotations

import pytest
from leak_check import states_json

from allcourse.scenarios import donor_finder as df
from allcourse.scenarios.donor_finder import (
    CORD,
    HAPLO,
    MMUD,
    MSD,
    MUD,
    NOT_SUITABLE,
    locus_mismatches,
)


@pytest.mark.parametrize(
    ("patient", "donor", "mismatches"),
    [
        (("A*02:01", "A*24:02"), ("A*02:01", "A*24:02"), 0),
        (("A*02:01", "A*24:02"), ("A*24:02", "A*02:01"), 0),  # order does not matter
        (("A*02:01", "A*24:02"), ("A*02:01", "A*03:01"), 1),
        (("A*02:01", "A*24:02"), ("A*01:01", "A*03:01"), 2),
        (("A*02:01", "A*02:01"), ("A*02:01", "A*03:01"), 1),  # homozygous patient
        (("A*02:01", "A*03:01"), ("A*02:01", "A*02:01"), 1),  # homozygous donor
        (("A*02:01", "A*02:01"), ("A*02:01", "A*02:01"), 0),
        (("C*07:01", "C*07:02"), ("C*07:02", "C*07:04"), 1),  # allele level, not antigen
    ],
)
def test_mismatches_are_counted_per_locus(patient, donor, mismatches):
    assert locus_mismatches(patient, donor) == mismatches


def test_a_locus_has_exactly_two_alleles():
    with pytest.raises(df.TypingError):
        locus_mismatches(("A*02:01",), ("A*02:01", "A*03:01"))


def _typing(**changes):
    base = {
        "A": ("A*02:01", "A*24:02"),
        "B": ("B*07:02", "B*44:02"),
        "C": ("C*07:02", "C*05:01"),
        "DRB1": ("DRB1*15:01", "DRB1*04:01"),
        "DQB1": ("DQB1*06:02", "DQB1*03:02"),
    }
    base.update(changes)
    return base


def test_eight_of_eight_counts_a_b_c_drb1_and_ten_adds_dqb1():
    g = df.grade_match(_typing(), _typing())
    assert (g.of_8, g.of_10, g.mismatched_loci) == (8, 10, ())
    g = df.grade_match(_typing(), _typing(C=("C*07:01", "C*05:01")))
    assert (g.of_8, g.of_10, g.mismatched_loci) == (7, 9, ("C",))
    g = df.grade_match(_typing(), _typing(DQB1=("DQB1*06:03", "DQB1*03:02")))
    assert (g.of_8, g.of_10) == (8, 9)  # DQB1 is outside the 8
    g = df.grade_match(_typing(), _typing(A=("A*01:01", "A*03:01"), B=("B*08:01", "B*44:02")))
    assert g.of_8 == 5 and dict(g.mismatches)["A"] == 2 and dict(g.mismatches)["B"] == 1


def _assessments(family_id):
    fam = df.family(family_id)
    return {a.candidate.id: a for a in df.assess(fam)}


def test_categories_follow_relation_and_typing():
    a = _assessments("amara")
    assert a["kofi"].category == MSD and a["kofi"].grade.of_10 == 10
    assert a["ama"].category == HAPLO  # a sibling who shares one haplotype
    assert a["esi"].category == HAPLO  # a parent shares exactly one
    assert a["donor-4471"].category == MUD
    t = _assessments("tom")
    assert t["clare"].category == NOT_SUITABLE  # a sibling who shares neither
    assert t["lily"].category == HAPLO  # a child shares exactly one
    assert t["cord-118"].category == CORD
    lu = _assessments("lucia")
    assert lu["donor-9035"].category == MMUD and lu["donor-9035"].grade.of_8 == 7


def test_any_mismatch_makes_an_unrelated_donor_mismatched_and_a_no_share_sibling_unsuitable():
    fam = df.family("amara")
    m1, f1 = fam.patient_haplotypes
    six_of_eight = df.Candidate(
        "u",
        "U",
        "unrelated",
        30,
        (df._unrelated("x1", m1, C="C*07:01"), df._unrelated("x2", f1, B="B*35:03")),
    )
    assert df.grade_match(fam.patient_typing, six_of_eight.typing).of_8 == 6
    assert df.category(fam, six_of_eight) == MMUD
    stranger = df.Candidate("s", "S", "sibling", 30, (fam.candidates[2].haplotypes[1], df._F2))
    assert df.category(fam, stranger) == NOT_SUITABLE


def test_parents_and_children_always_share_exactly_one_haplotype():
    for fam in df.FAMILIES:
        for c in fam.candidates:
            if c.relation in ("parent", "child"):
                assert df.shared_haplotypes(fam, c) == 1, c.id


def test_donor_order_matched_sibling_then_matched_unrelated_then_any_alternative():
    assert df.best_ids(df.family("amara")) == {"kofi"}  # sibling before an 8/8 MUD
    assert df.best_ids(df.family("tom")) == {"donor-2208"}  # MUD before haplo and cord
    assert df.best_ids(df.family("lucia")) == {"marta", "donor-9035", "cord-402"}


def test_grading_a_pick():
    amara = df.family("amara")
    assert df.grade_choice(amara, "kofi").correct
    wrong = df.grade_choice(amara, "donor-4471")
    assert not wrong.correct and wrong.chosen.category == MUD
    lucia = df.grade_choice(df.family("lucia"), "cord-402")
    assert lucia.correct and lucia.alternatives_only
    for bad in ("", None, "nobody"):
        with pytest.raises(df.ChoiceError):
            df.grade_choice(amara, bad)


def test_view_keeps_grades_and_reasons_in_the_kernel_until_checked():
    from allcourse.scenarios.donor_finder_view import DonorFinder

    view = DonorFinder()
    before = states_json(view)
    assert "Matched sibling donor" not in before
    assert "8/8" not in before and "best available" not in before
    assert view.check_choice() is None
    assert view.status.message == "Choose a donor first, then check."
    view.pick.value = "ama"
    result = view.check_choice()
    assert result is not None and not result.correct
    after = states_json(view)
    assert "Not the best choice here" in after and "Better here: Kofi" in after
    view.chooser.value = "lucia"  # another patient: fresh, unpicked, no feedback
    assert view.pick.value == "" and view.feedback.value == ""
    view.pick.value = "donor-9035"
    assert view.check_choice().correct
    assert "no single right answer" in view.feedback.value
