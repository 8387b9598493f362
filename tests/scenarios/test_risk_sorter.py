"""Risk sorter: one test per sourced rule, at its edges, for children and for adults;
the profiles' expected answers come from the rules; grading and bad sortings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from leak_check import states_json

from allcourse.scenarios import risk_sorter as rs
from allcourse.scenarios.risk_sorter import (
    HIGHER,
    LOWER,
    ProfileError,
    SortError,
    adult_age,
    adult_mrd,
    adult_wbc,
    child_age,
    child_lineage,
    child_mrd,
    child_wbc,
    features,
    grade,
    nci_child_group,
)

# --- children: NCI age and WBC [R26] --------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "direction"),
    [
        (Decimal("0.5"), HIGHER),  # infant: outside the standard-risk ages
        (Decimal("0.99"), HIGHER),
        (1, LOWER),  # 1 to under 10: standard-risk age
        (4, LOWER),
        (Decimal("9.99"), LOWER),
        (10, HIGHER),  # 10 or more: high risk
        (17, HIGHER),
    ],
)
def test_child_age_rule(age, direction):
    v = child_age(age)
    assert v.direction == direction
    assert "R26" in v.sources


def test_infant_verdict_cites_nmdp_advice():
    assert "seed-nmdp-bmt" in child_age(Decimal("0.5")).sources


@pytest.mark.parametrize(
    ("wbc", "direction"),
    [(0, LOWER), (49_999, LOWER), (50_000, HIGHER), (300_000, HIGHER)],
)
def test_child_wbc_rule(wbc, direction):
    assert child_wbc(wbc).direction == direction


@pytest.mark.parametrize(
    ("age", "wbc", "group"),
    [
        (Decimal("0.9"), 10_000, "infant"),
        (1, 49_999, "standard"),
        (Decimal("9.9"), 49_999, "standard"),
        (10, 10_000, "high"),  # age alone
        (4, 50_000, "high"),  # WBC alone
        (12, 80_000, "high"),  # both
    ],
)
def test_nci_child_risk_group_needs_both_age_and_wbc_for_standard(age, wbc, group):
    assert nci_child_group(age, wbc) == group


# --- children: lineage, genetics, MRD [R9] [R27] ------------------------------------------------


def test_child_lineage_rule():
    assert child_lineage("B").direction == LOWER
    assert child_lineage("T").direction == HIGHER
    assert "age does not predict" in child_lineage("T").reason
    with pytest.raises(ProfileError):
        child_lineage("X")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "direction"),
    [
        ("t12_21", LOWER),
        ("hyperdiploidy", LOWER),
        ("ph", HIGHER),
        ("kmt2a", HIGHER),
        ("hypodiploidy", HIGHER),
        ("iamp21", HIGHER),
    ],
)
def test_child_genetics_rule(key, direction):
    v = rs.genetics("child", key)
    assert v.direction == direction
    assert v.sources == ("R9",)


@pytest.mark.parametrize(
    ("mrd", "direction", "words"),
    [
        (0, LOWER, "88%"),
        (Decimal("0.009"), LOWER, "MRD-negative"),
        (Decimal("0.01"), HIGHER, "59%"),  # 0.01% is detectable
        (Decimal("0.05"), HIGHER, "MRD of 0.01-0.1% gave a 59%"),
        (Decimal("0.1"), HIGHER, "above the 0.01-0.1% range"),
        (5, HIGHER, "strongest prognostic factor"),
    ],
)
def test_child_mrd_rule(mrd, direction, words):
    v = child_mrd(mrd)
    assert v.direction == direction
    assert words in v.reason
    assert v.sources == ("R27",)


# --- adults [R25] ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "direction"),
    [(18, LOWER), (55, LOWER), (Decimal("55.5"), HIGHER), (56, HIGHER), (80, HIGHER)],
)
def test_adult_age_rule_is_over_55(age, direction):
    assert adult_age(age).direction == direction


@pytest.mark.parametrize(
    ("wbc", "lineage", "direction"),
    [
        (30_000, "B", LOWER),  # "over 30 x10⁹/L": 30 exactly is not over
        (30_001, "B", HIGHER),
        (40_000, "B", HIGHER),
        (40_000, "T", LOWER),  # the same count under the T-cell line
        (100_000, "T", LOWER),
        (100_001, "T", HIGHER),
    ],
)
def test_adult_wbc_rule_depends_on_lineage(wbc, lineage, direction):
    v = adult_wbc(wbc, lineage)
    assert v.direction == direction
    assert {"R25", "R83"} <= set(v.sources)


def test_adult_wbc_says_how_the_older_nmdp_list_read_the_count_with_its_year_and_scope():
    # 40,000/µL in T-cell ALL: under ASH's T line, inside the 2017 NMDP/ASBMT 30,000-50,000
    # list, which was for adults over 35 and has been replaced by one with no WBC line.
    t = adult_wbc(40_000, "T")
    assert "An older list read this count differently" in t.reason
    assert "2017 NMDP/ASBMT" in t.reason and "adults over 35" in t.reason
    assert "2021, updated 2024" in t.reason and "names no WBC line" in t.reason
    assert "sct-nmdp-consult" in t.sources
    assert "older list" not in adult_wbc(20_000, "T").reason
    b = adult_wbc(40_000, "B").reason
    assert "variably considered" in b and "2017 NMDP/ASBMT referral list (since replaced)" in b


@pytest.mark.parametrize(
    ("mrd", "direction", "words"),
    [
        (0, LOWER, "MRD-negative"),
        (Decimal("0.009"), LOWER, "MRD-negative"),
        (Decimal("0.01"), HIGHER, "by the 0.01% threshold, though not by the 0.1% one"),
        (Decimal("0.099"), HIGHER, "though not by the 0.1% one"),
        (Decimal("0.1"), HIGHER, "by both thresholds"),
    ],
)
def test_adult_mrd_rule_names_the_threshold_met(mrd, direction, words):
    v = adult_mrd(mrd)
    assert v.direction == direction
    assert words in v.reason


def test_adult_genetics_rules_and_the_ones_the_sources_do_not_cover():
    assert rs.genetics("adult", "ph").direction == HIGHER
    assert "tyrosine kinase inhibitor" in rs.genetics("adult", "ph").reason
    assert rs.genetics("adult", "kmt2a").direction == HIGHER
    with pytest.raises(ProfileError, match="no adult rule"):
        rs.genetics("adult", "t12_21")
    with pytest.raises(ProfileError, match="Unknown genetic change"):
        rs.genetics("child", "t(1;19)")


@pytest.mark.parametrize("bad", [-1, float("nan"), "4", None, True])
def test_bad_numbers_in_a_rule_raise_profile_error(bad):
    with pytest.raises(ProfileError):
        child_age(bad)


# --- the profiles ------------------------------------------------------------------------------


def test_same_wbc_sorts_differently_for_the_child_and_the_adult():
    aiden, ken, ingrid = rs.profile("aiden"), rs.profile("ken"), rs.profile("ingrid")
    assert aiden.wbc_per_ul == ken.wbc_per_ul == ingrid.wbc_per_ul

    def wbc(p):
        return next(f for f in features(p) if f.key == "wbc").verdict.direction

    assert (wbc(aiden), wbc(ken), wbc(ingrid)) == (LOWER, HIGHER, LOWER)


def test_there_is_a_child_and_an_adult_and_each_has_both_directions():
    groups = {p.group for p in rs.PROFILES}
    assert groups == {"child", "adult"}
    for p in rs.PROFILES:
        directions = {f.verdict.direction for f in features(p)}
        assert directions == {HIGHER, LOWER}, f"{p.id}: sort into both piles"


def test_children_sort_lineage_and_adults_do_not():
    for p in rs.PROFILES:
        keys = [f.key for f in features(p)]
        assert ("lineage" in keys) is (p.group == "child")
        assert keys[0] == "age" and keys[-1] == "mrd"


def test_profiles_cover_the_main_cytogenetic_changes():
    shown = {p.genetics for p in rs.PROFILES}
    assert {"ph", "kmt2a", "t12_21"} <= shown


def test_group_summary_for_each_child_follows_nci():
    assert "standard-risk group" in rs.group_summary(rs.profile("aiden"))[0]
    assert "high-risk group" in rs.group_summary(rs.profile("maya"))[0]
    assert "no single risk-group rule" in rs.group_summary(rs.profile("ken"))[0]


# --- grading -------------------------------------------------------------------------------------


def _key(p):
    return {f.key: f.verdict.direction for f in features(p)}


@pytest.mark.parametrize("p", rs.PROFILES, ids=lambda p: p.id)
def test_the_key_scores_full_marks_and_one_flip_loses_one(p):
    result = grade(p, _key(p))
    assert result.all_correct and result.right == result.total == len(features(p))
    answers = _key(p)
    first = next(iter(answers))
    answers[first] = HIGHER if answers[first] == LOWER else LOWER
    flipped = grade(p, answers)
    assert flipped.right == flipped.total - 1
    assert [r.feature.key for r in flipped.results if not r.correct] == [first]


def test_sorting_everything_as_higher_is_not_all_correct():
    p = rs.profile("aiden")
    result = grade(p, {f.key: HIGHER for f in features(p)})
    assert result.right == 1  # only MRD is higher for Aiden


def test_an_unsorted_feature_is_named_and_not_graded():
    p = rs.profile("ken")
    answers = _key(p)
    answers["mrd"] = ""
    assert "1 not sorted yet (MRD after induction" in rs.check_answers(p, answers)
    with pytest.raises(SortError, match="Sort every feature first"):
        grade(p, answers)
    del answers["age"]
    assert "2 not sorted yet" in rs.check_answers(p, answers)


def test_unknown_features_and_directions_are_rejected():
    p = rs.profile("ingrid")
    with pytest.raises(SortError, match="Unknown features"):
        grade(p, {**_key(p), "lineage": LOWER})  # adults have no lineage feature
    with pytest.raises(SortError, match="Sort each feature as"):
        grade(p, {**_key(p), "age": "medium"})


# --- the view -----------------------------------------------------------------------------------


@pytest.mark.parametrize("p", rs.PROFILES, ids=lambda p: p.id)
def test_view_sends_no_reason_before_checking_and_grades_in_the_kernel(p):
    from allcourse.scenarios.risk_sorter_view import RiskSorter

    view = RiskSorter(p.id)
    feats = features(p)
    before = states_json(view)
    for f in feats:
        assert f.verdict.reason not in before, f.key
    assert "sorted as the sources do" not in before

    assert view.check_sorting() is None  # nothing sorted: a message, no grading
    assert view.status.message.startswith("Sort each of")
    for f in feats:
        view.sorts[f.key].value = f.verdict.direction
    result = view.check_sorting()
    assert result is not None and result.all_correct
    after = states_json(view)
    for f in feats:
        assert f.verdict.reason.replace("'", "&#x27;") in after, f.key
    assert all(dd.disabled for dd in view.sorts.values())
    view.reset()
    assert all(dd.value == "" and not dd.disabled for dd in view.sorts.values())
    assert view.feedback.value == ""


def test_view_turns_an_ungradable_sorting_into_a_message(monkeypatch):
    # A drop-down cannot hold another value, but a widget message can be forged.
    from allcourse.scenarios.risk_sorter_view import RiskSorter

    view = RiskSorter("ken")
    forged = {f.key: "medium" for f in features(view.profile)}
    monkeypatch.setattr(view, "answers", lambda: forged)
    assert view.check_sorting() is None
    assert "Sort each feature as" in view.status.message
    assert view.feedback.value == ""
    assert not any(dd.disabled for dd in view.sorts.values())


# --- the prediction ------------------------------------------------------------------------------


def test_the_prediction_key_comes_from_the_rules_only_kens_count_is_high():
    assert rs.high_wbc() == ("ken",)
    p = rs.prediction()
    assert p.key == "ken" and p.label(p.key) == "Ken alone"
    wbcs = {rs.profile(i).wbc_per_ul for i in rs.SAME_WBC}
    assert wbcs == {40_000}
    assert "40,000/µL" in p.question
    # The stem names the rule, and each patient's age and lineage, so one key is defensible.
    assert "line this page gives for each patient's age group and lineage" in p.question
    for text in (
        "Aiden (4 years, B-cell ALL)",
        "Ken (62 years, B-cell ALL)",
        "Ingrid (29 years, T-cell ALL)",
    ):
        assert text in p.question


def test_the_prediction_choices_carry_no_absolute_words_and_the_key_is_not_longest():
    p = rs.prediction()
    absolute = {"always", "never", "only", "all", "none", "cannot", "nothing", "every", "must"}
    for label, _value in p.choices:
        assert not absolute & set(label.lower().replace(",", " ").split()), label
    assert len(p.label(p.key)) < max(len(label) for label, _v in p.choices)


def test_the_prediction_keeps_the_lines_and_says_where_the_sources_disagree():
    p = rs.prediction()
    text = " ".join(x.text for x in p.explanation)
    assert "children's line of 50,000/µL" in text
    assert "adult line of 30 ×10⁹/L" in text and "adult T-cell line of 100 ×10⁹/L" in text
    # The older NMDP/ASBMT list with its year, its scope and its replacement.
    assert "2017 NMDP/ASBMT transplant-referral list" in text
    assert "30,000–50,000, with no split by lineage" in text and "adults over 35" in text
    assert "(Ingrid is 29)" in text
    assert "NMDP/ASTCT guidelines (2021, updated 2024)" in text and "no WBC line" in text
    assert "NCI risk criteria, 1996" in text and "UKALL XII/ECOG 2993" in text
    assert {i for x in p.explanation for i in x.sources} == {
        "R26",
        "pr-smith-1996",
        "R25",
        "pr-marks-2009",
        "R83",
        "sct-nmdp-consult",
    }
    reasons = {w.value: w.text for w in p.why_not}
    assert set(reasons) == {"aiden+ken+ingrid", "aiden", "ken+ingrid"}
    assert "under the children's line of 50,000/µL" in reasons["aiden+ken+ingrid"]
    assert "100 ×10⁹/L for T-cell ALL" in reasons["ken+ingrid"]
    assert p.source_ids() <= rs.source_ids()  # so the notebook test checks they are cited


def test_view_reveals_the_prediction_only_after_a_prediction_and_a_check():
    import html

    from allcourse.scenarios.risk_sorter_view import RiskSorter

    view = RiskSorter("ken")
    p = rs.prediction()
    secrets = [x.text for x in p.explanation] + [w.text for w in p.why_not]
    before = states_json(view)
    assert html.escape(p.question) in before or p.question in before
    assert "Check your prediction" not in before
    for secret in secrets:
        assert secret not in before and html.escape(secret) not in before, secret
    for f in features(view.profile):  # sorting and checking the sorter reveals nothing of it
        view.sorts[f.key].value = f.verdict.direction
    assert view.check_sorting() is not None
    assert "One number, three readings" not in states_json(view)
    view.prediction.choice.value = "ken"
    assert view.prediction.check_prediction() is True
    after = states_json(view)
    assert "Check your prediction" in after and "✔" in after
    assert "Your prediction was right" in after
    for secret in secrets:
        assert html.escape(secret) in after, secret
