"""Therapy and target: every drug resolves to sources; rounds are fair (no option offered
in a round fits a second drug) and reshuffle; grading is per pair; nothing of the key
reaches the browser before a check."""

from __future__ import annotations

import pytest
from leak_check import states_json

from allcourse.course.references import references
from allcourse.scenarios import therapy_target as tt
from allcourse.scenarios.therapy_target import RoundError, grade, make_round


def test_every_drug_resolves_to_known_sources():
    ids = references().ids()
    for d in tt.DRUGS.values():
        assert d.sources, d.id
        assert set(d.sources) <= ids, d.id
        assert d.target in tt.TARGETS and d.toxicity in tt.TOXICITIES


def test_each_round_offers_one_fitting_option_per_drug():
    for n in range(1, len(tt.ROUND_SETS) + 1):
        rnd = make_round(n)
        targets = [d.target for d in rnd.drugs]
        toxes = [d.toxicity for d in rnd.drugs]
        assert len(set(toxes)) == len(toxes), n  # no two drugs share a toxicity option
        offered_t = {k for k, _ in rnd.targets}
        offered_x = {k for k, _ in rnd.toxicities}
        assert set(targets) <= offered_t and set(toxes) <= offered_x
        # the extra options fit no drug of the round
        assert not (set(tt.ROUND_SETS[n - 1].extra_targets) & set(targets))
        assert not (set(tt.ROUND_SETS[n - 1].extra_toxicities) & set(toxes))


def test_every_drug_appears_in_some_round():
    in_rounds = {d for rs in tt.ROUND_SETS for d in rs.drugs}
    assert in_rounds == set(tt.DRUGS)


def test_a_second_round_is_reshuffled_and_stable():
    one, four = make_round(1), make_round(1 + len(tt.ROUND_SETS))
    assert {d.id for d in one.drugs} == {d.id for d in four.drugs}
    assert [d.id for d in one.drugs] != [d.id for d in four.drugs]
    assert make_round(2) == make_round(2)  # seeded: stored outputs stay stable
    assert {d.id for d in make_round(2).drugs} != {d.id for d in one.drugs}


def _answers(rnd, wrong=()):
    out = {}
    for d in rnd.drugs:
        tox = d.toxicity
        if d.id in wrong:
            tox = next(k for k, _ in rnd.toxicities if k != d.toxicity)
        out[d.id] = {"target": d.target, "toxicity": tox}
    return out


def test_grading_is_per_pair_with_a_rationale():
    rnd = make_round(1)
    result = grade(rnd, _answers(rnd))
    assert (result.right, result.total) == (8, 8)
    wrong = rnd.drugs[0]
    result = grade(rnd, _answers(rnd, wrong=(wrong.id,)))
    assert result.right == 7
    bad = next(p for p in result.pairs if not p.correct)
    assert bad.drug == wrong and bad.kind == "toxicity"
    assert (
        bad.rationale == wrong.why_toxicity and bad.expected_label == tt.TOXICITIES[wrong.toxicity]
    )


def test_incomplete_and_forged_answers_are_messages():
    rnd = make_round(2)
    answers = _answers(rnd)
    answers[rnd.drugs[1].id]["target"] = ""
    with pytest.raises(RoundError, match="missing: .*target"):
        grade(rnd, answers)
    answers = _answers(rnd)
    answers[rnd.drugs[0].id]["target"] = "cd33"
    with pytest.raises(RoundError, match="not one of this round"):
        grade(rnd, answers)
    with pytest.raises(RoundError):
        make_round(0)


def test_view_keeps_the_key_on_the_server_until_the_check():
    from allcourse.scenarios.therapy_target_view import TherapyTarget

    view = TherapyTarget()
    before = states_json(view)
    for d in view.round.drugs:
        assert d.why_toxicity not in before and d.why_target not in before
    assert "matches right" not in before and "Check your prediction" not in before
    assert view.check_round() is None  # nothing chosen: a message, no grading
    assert view.status.message.startswith("Choose all 8 matches first")
    for d in view.round.drugs:
        view.choices[d.id]["target"].value = d.target
        view.choices[d.id]["toxicity"].value = d.toxicity
    result = view.check_round()
    assert result is not None and result.right == 8
    assert "Check your prediction" in view.prediction.value
    assert all(dd.disabled for pair in view.choices.values() for dd in pair.values())
    view.new_round()
    assert view.round.number == 2 and view.feedback.value == ""
    assert not any(dd.disabled for pair in view.choices.values() for dd in pair.values())
