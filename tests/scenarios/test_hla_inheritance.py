"""HLA inheritance: the 25/50/25 split for one sibling, the at-least-one-match formula
1 - 0.75**N checked against the seeded simulation, and the view keeps its prediction's
explanation in the kernel until the student checks."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from leak_check import states_json

from allcourse.scenarios import hla_inheritance as hla
from allcourse.scenarios.hla_inheritance import FULL, HALF, NONE, Child


def test_four_equally_likely_children_one_haplotype_from_each_parent():
    children = hla.possible_children()
    assert len(children) == 4 == len(set(children))
    for c in children:
        assert c.maternal in hla.MOTHER and c.paternal in hla.FATHER


@pytest.mark.parametrize("patient", hla.possible_children(), ids=lambda c: c.label)
def test_each_sibling_splits_25_50_25_whichever_child_the_patient_is(patient):
    assert hla.match_distribution(patient) == {
        FULL: Fraction(1, 4),
        HALF: Fraction(1, 2),
        NONE: Fraction(1, 4),
    }


def test_match_level_counts_shared_haplotypes():
    ac = Child("a", "c")
    assert hla.match_level(ac, Child("a", "c")) == FULL
    assert hla.match_level(ac, Child("a", "d")) == HALF
    assert hla.match_level(ac, Child("b", "c")) == HALF
    assert hla.match_level(ac, Child("b", "d")) == NONE


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, Fraction(0)), (1, Fraction(1, 4)), (2, Fraction(7, 16)), (3, Fraction(37, 64))],
)
def test_at_least_one_full_match_formula(n, expected):
    assert hla.p_at_least_one_full_match(n) == expected == 1 - Fraction(3, 4) ** n


@given(st.integers(min_value=0, max_value=hla.MAX_SIBLINGS))
def test_formula_rises_with_more_siblings_and_never_reaches_certainty(n):
    p = hla.p_at_least_one_full_match(n)
    assert 0 <= p < 1
    if n:
        assert p > hla.p_at_least_one_full_match(n - 1)


@pytest.mark.parametrize("n", range(1, hla.MAX_SIBLINGS + 1))
def test_simulation_agrees_with_the_formula(n):
    # 20,000 families: the simulated share lies within 4 standard errors of 1 - 0.75**N,
    # and the seed makes the check deterministic.
    families = hla.simulate_families(n, 20_000)
    share = sum(f.has_full_match for f in families) / len(families)
    p = float(hla.p_at_least_one_full_match(n))
    assert abs(share - p) < 4 * math.sqrt(p * (1 - p) / len(families))


def test_simulated_siblings_split_about_25_50_25():
    levels = hla.simulate(3, 20_000).sibling_levels()
    total = sum(levels.values())
    for level, share in ((FULL, 0.25), (HALF, 0.5), (NONE, 0.25)):
        assert abs(levels[level] / total - share) < 0.015, level


def test_simulation_is_seeded_so_the_page_is_stable():
    assert hla.simulate(4).families == hla.simulate(4).families
    assert hla.simulate(4).families != hla.simulate(5).families[:1000]


@pytest.mark.parametrize("bad", [-1, hla.MAX_SIBLINGS + 1, 2.5, "3", True, None])
def test_a_sibling_count_the_model_cannot_use_gets_a_message(bad):
    with pytest.raises(hla.SiblingCountError):
        hla.p_at_least_one_full_match(bad)


def test_percent_text():
    assert hla.percent(Fraction(3, 4)) == "75%"
    assert hla.percent(Fraction(37, 64)) == "57.8%"


def test_view_reveals_the_prediction_only_after_a_check():
    from allcourse.scenarios.hla_inheritance_view import HlaInheritance

    view = HlaInheritance()
    before = states_json(view.widget)
    assert "Check your prediction" not in before
    assert "chances do not add up" not in before
    pred = view.prediction
    assert pred.check_prediction() is None  # nothing chosen: a message, no reveal
    assert "Check your prediction" not in states_json(view.widget)
    pred.choice.value = "p75"
    assert pred.check_prediction() is False
    after = states_json(view.widget)
    assert "Check your prediction" in after and "chances do not add up" in after


def test_the_check_message_grades_the_choice_the_browser_shows():
    # The browser's click carries the shown option: it can overtake the drop-down's own
    # (throttled) state update, so the kernel must grade the index in the message.
    from allcourse.scenarios.prediction_view import PredictionCheck

    pred = PredictionCheck("Q?", [("A", "a"), ("B", "b")], "b", lambda: "<p>why</p>")
    assert pred.choice.options == ["A", "B"]  # labels only: no values, no key
    pred.choice._message(pred.choice, {"event": "check", "index": 1}, None)
    assert pred.choice.value == "b"
    assert "Your prediction was right" in pred.feedback.value
    pred.choice._message(pred.choice, {"event": "check", "index": 7}, None)  # forged
    assert pred.choice.value == ""
    assert pred.status.message == "Choose your prediction first, then check it."
    pred.choice._message(pred.choice, {"event": "other"}, None)  # ignored
    assert pred.status.message == "Choose your prediction first, then check it."


def test_view_redraws_for_the_sibling_count():
    from allcourse.scenarios.hla_inheritance_view import HlaInheritance

    view = HlaInheritance()
    assert "data-siblings='1'" in view.result.value and ">25%<" in view.result.value
    view.siblings.value = 3
    assert "data-siblings='3'" in view.result.value
    assert "57.8%" in view.result.value
    assert "3 siblings: formula 57.8%" in view.status.message
