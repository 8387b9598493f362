"""Marrow crowding: counts fall in the order of their cells' life spans (neutrophils, then
platelets, then red cells), no sign shows while every count is in its normal range, the
sign thresholds sit exactly where the sources put them, bad input gets a clear message."""

from __future__ import annotations

import html
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from leak_check import states_json

from allcourse.scenarios import marrow_crowding as mc
from allcourse.scenarios.marrow_crowding import (
    InvalidBlastShare,
    InvalidDays,
    anc_band,
    blood_count,
    crowd,
    hemoglobin_band,
    marrow_cells,
    platelet_band,
)

shares = st.floats(min_value=0, max_value=100, allow_nan=False)
days = st.floats(min_value=0, max_value=mc.MAX_DAYS, allow_nan=False)


def fraction(count: mc.BloodCount, spec: mc.CountSpec) -> float:
    return count.value(spec.key) / spec.start


# --- the order in which counts fall ------------------------------------------------------


def test_the_counts_are_listed_in_the_order_their_cells_run_out():
    assert [s.key for s in mc.COUNTS] == ["anc", "platelets", "hemoglobin"]
    assert mc.ANC.supply_days < mc.PLATELETS.supply_days < mc.HEMOGLOBIN.supply_days


@pytest.mark.parametrize("blasts", [40, 50, 75, 90, 100])
def test_neutrophils_fall_below_normal_first_then_platelets_then_hemoglobin(blasts):
    anc, plt, hgb = (mc.first_day_below_limit(spec, blasts) for spec in mc.COUNTS)
    assert anc is not None and plt is not None and hgb is not None
    assert anc < plt < hgb


def test_the_signs_appear_day_by_day_in_that_order():
    seen: list[str] = []
    for day in range(mc.MAX_DAYS + 1):
        for sign in crowd(90, day).signs:
            if sign.key not in seen:
                seen.append(sign.key)
    assert seen == ["infection", "bleeding", "anemia"]
    assert [s.key for s in crowd(90, mc.MAX_DAYS).signs] == seen  # shown in that order too


@given(blasts=shares, day=days)
def test_at_any_moment_the_anc_has_fallen_most_and_the_hemoglobin_least(blasts, day):
    count = blood_count(blasts, day)
    anc, plt, hgb = (fraction(count, spec) for spec in mc.COUNTS)
    slack = 0.004  # the shown values are rounded (hemoglobin to 0.1 g/dL of 15)
    assert anc <= plt + slack
    assert plt <= hgb + slack


def test_the_order_holds_at_every_share_where_a_count_ever_falls_below_normal():
    for tenth in range(0, 1001):
        blasts = tenth / 10
        days_below = [mc.first_day_below_limit(spec, blasts) for spec in mc.COUNTS]
        reached = [d for d in days_below if d is not None]
        # whichever counts do fall below normal, they do so ANC first, then platelets, then Hb
        assert days_below[: len(reached)] == reached, (blasts, days_below)
        assert reached == sorted(reached), (blasts, days_below)


@given(blasts=shares, a=days, b=days)
def test_counts_never_rise_as_the_days_pass(blasts, a, b):
    early, late = sorted((a, b))
    before, after = blood_count(blasts, early), blood_count(blasts, late)
    for spec in mc.COUNTS:
        assert after.value(spec.key) <= before.value(spec.key)


@given(a=shares, b=shares, day=days)
def test_counts_never_rise_as_blasts_rise(a, b, day):
    low, high = sorted((a, b))
    before, after = blood_count(low, day), blood_count(high, day)
    for spec in mc.COUNTS:
        assert after.value(spec.key) <= before.value(spec.key)


def test_on_the_day_the_marrow_is_crowded_the_blood_still_holds_its_cells():
    assert blood_count(100, 0) == blood_count(0, 0)
    assert crowd(100, 0).signs == ()


def test_after_each_supply_time_only_the_healthy_share_is_left():
    count = blood_count(40, mc.MAX_DAYS)  # the neutrophil and platelet supplies are gone
    assert count.anc == pytest.approx(mc.ANC.start * 0.6)
    assert count.platelets == pytest.approx(mc.PLATELETS.start * 0.6)
    # red cells: 60 of their 115 days have passed
    assert count.hemoglobin == pytest.approx(mc.HEMOGLOBIN.start * (0.6 + 0.4 * 55 / 115), abs=0.05)
    # halfway through the platelets' supply time, half the old platelets are left
    assert blood_count(100, 5).platelets == pytest.approx(mc.PLATELETS.start / 2)


# --- no sign at normal values ------------------------------------------------------------


def test_the_healthy_starts_are_inside_the_normal_ranges():
    for spec in mc.COUNTS:
        assert spec.start >= spec.lower_limit
        assert spec.reference.sources


@given(day=days)
def test_a_healthy_marrow_shows_no_sign_on_any_day(day):
    state = crowd(0, day)
    assert state.signs == ()
    assert state.count == blood_count(0, 0)


@given(blasts=shares, day=days)
def test_no_sign_shows_while_every_count_is_in_its_normal_range(blasts, day):
    state = crowd(blasts, day)
    c = state.count
    assert (state.sign("infection") is None) == (c.anc >= mc.ANC.lower_limit)
    assert (state.sign("bleeding") is None) == (c.platelets >= mc.PLATELETS.lower_limit)
    assert (state.sign("anemia") is None) == (c.hemoglobin >= mc.HEMOGLOBIN.lower_limit)


def test_the_normal_marrow_blast_limit_shows_no_sign():
    for day in range(0, mc.MAX_DAYS + 1, 5):
        assert crowd(mc.NORMAL_MARROW_BLAST_LIMIT, day).signs == ()


# --- sourced thresholds [R91] [R94] [rv-merck-cbc] ---------------------------------------


@pytest.mark.parametrize(
    ("anc", "band"),
    [
        (4000, mc.ANC_NORMAL),
        (1500, mc.ANC_NORMAL),
        (1499.99, mc.ANC_MILD),
        (1000, mc.ANC_MILD),
        (999.99, mc.ANC_MODERATE),
        (500, mc.ANC_MODERATE),
        (499.99, mc.ANC_SEVERE),
        (0, mc.ANC_SEVERE),
    ],
)
def test_anc_band_boundaries(anc, band):
    assert anc_band(anc) is band


@pytest.mark.parametrize(
    ("platelets", "band"),
    [
        (140_000, mc.PLATELETS_NORMAL),
        (139_999, mc.PLATELETS_LOW),
        (50_000, mc.PLATELETS_LOW),
        (49_999, mc.PLATELETS_PRECAUTIONS),
        (20_000, mc.PLATELETS_PRECAUTIONS),
        (19_999, mc.PLATELETS_SPONTANEOUS),
        (0, mc.PLATELETS_SPONTANEOUS),
    ],
)
def test_platelet_band_boundaries(platelets, band):
    assert platelet_band(platelets) is band


def test_hemoglobin_band_boundary():
    assert hemoglobin_band(12.0) is mc.HEMOGLOBIN_NORMAL
    assert hemoglobin_band(11.9) is mc.HEMOGLOBIN_LOW


def test_severe_neutropenia_adds_the_full_neutropenic_fever_definition():
    moderate = crowd(50, 14).sign("infection")  # ANC 900
    severe = crowd(90, 14).sign("infection")  # ANC 180
    assert moderate is not None and severe is not None
    assert not any("38.3" in c.text for c in moderate.cues)
    fever = [c for c in severe.cues if "38.3" in c.text]
    assert fever and "expected to fall below 500 within 48 hours" in fever[0].text
    assert fever[0].sources == ("rv-idsa-2011", "rv-asco-idsa-2018")
    assert any("fever may be the only sign" in c.text for c in moderate.cues)
    assert "severe neutropenia" in severe.finding


def test_bleeding_cues_escalate_at_the_sourced_platelet_counts():
    def cues(blasts: float, day: float) -> str:
        sign = crowd(blasts, day).sign("bleeding")
        assert sign is not None
        return " ".join(c.text for c in sign.cues)

    assert "Bleeding precautions" not in cues(25, 14)  # 127,500: low, above 50,000
    assert "Bleeding precautions" in cues(80, 14)  # 37,400
    assert "no injury" not in cues(80, 14)
    assert "no injury" in cues(90, 14)  # 17,000


def test_shown_count_is_the_value_the_band_was_read_from():
    # Values are rounded before banding, so the table never shows "1,500" beside "mild".
    state = crowd(100 / 6, 14)
    assert state.count.anc == 1500
    assert state.anc_band is mc.ANC_NORMAL


# --- the picture --------------------------------------------------------------------------


@given(share=shares)
def test_picture_has_one_blast_per_percent_rounded(share):
    cells = marrow_cells(share)
    assert len(cells) == mc.GRID_CELLS
    assert cells.count("blast") == math.floor(share + 0.5)


def test_more_blasts_never_move_the_ones_already_drawn():
    previous: set[int] = set()
    for p in range(0, 101):
        blasts = {i for i, kind in enumerate(marrow_cells(p)) if kind == "blast"}
        assert previous <= blasts
        previous = blasts


def test_blasts_are_scattered_not_filled_row_by_row():
    assert marrow_cells(10)[:10].count("blast") < 10


def test_healthy_places_show_all_three_lines():
    assert set(marrow_cells(0)) == {"red", "white", "platelet"}


def test_the_presets_set_what_their_labels_say():
    labels = {p.value: p.label for p in mc.BLAST_PRESETS}
    assert labels[0] == "Healthy marrow (0% blasts)"
    for preset in mc.BLAST_PRESETS:
        assert f"{preset.value}%" in preset.label
    for preset in mc.DAY_PRESETS:
        assert preset.label == f"Day {preset.value}"


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (-1, "got -1"),
        (100.5, "got 100.5"),
        (float("nan"), "NaN"),
        (float("inf"), "got inf"),
        ("40", "got '40'"),
        (None, "got None"),
        (True, "got True"),
    ],
)
def test_invalid_shares_are_rejected_with_a_clear_message(value, words):
    for fn in (crowd, blood_count, marrow_cells):
        with pytest.raises(InvalidBlastShare) as exc:
            fn(value)
        assert "from 0 to 100" in str(exc.value)
        assert words in str(exc.value)


@pytest.mark.parametrize(("value", "words"), [(-1, "got -1"), (61, "got 61"), ("7", "'7'")])
def test_invalid_days_are_rejected_with_a_clear_message(value, words):
    for fn in (crowd, blood_count):
        with pytest.raises(InvalidDays) as exc:
            fn(50, value)
        assert f"from 0 to {mc.MAX_DAYS}" in str(exc.value) and words in str(exc.value)


# --- the view (no browser: widgets built in the kernel) ---------------------------------------


def test_view_redraws_counts_signs_and_picture_when_either_slider_moves():
    from allcourse.scenarios.marrow_crowding_view import MarrowCrowding

    view = MarrowCrowding()
    assert "Signs shown: none" in view.slider.status
    assert "No count is below its normal range" in view.signs.value
    view.slider.value = 90
    assert "day 14: ANC 180/mm³, platelets 17,000/mm³" in view.slider.status
    assert "data-sign='bleeding'" in view.signs.value
    assert "data-sign='anemia'" not in view.signs.value  # red cells last for months
    assert "blasts fill 90 of 100 places" in view.picture.value
    assert ">180/mm³<" in view.table.value
    view.days.value = 60
    assert "data-sign='anemia'" in view.signs.value
    assert "Blasts 90% of the marrow, day 60" in view.slider.status


def test_view_presets_set_the_sliders():
    from allcourse.scenarios.marrow_crowding_view import MarrowCrowding

    view = MarrowCrowding(50)
    healthy = next(b for b in view.presets if b.description.startswith("Healthy"))
    healthy.click()
    assert view.slider.value == 0
    next(b for b in view.day_presets if b.description == "Day 3").click()
    assert view.days.value == 3
    assert "Blasts 0% of the marrow, day 3" in view.slider.status


def test_view_answers_an_impossible_value_with_a_message():
    from allcourse.scenarios.marrow_crowding_view import MarrowCrowding

    view = MarrowCrowding(20)
    picture = view.picture.value
    view.slider.value = 150  # a student can send any value over the widget channel
    assert "from 0 to 100" in view.slider.status and "got 150" in view.slider.status
    assert view.picture.value == picture  # the last good picture stays
    view.slider.value = 20
    view.days.value = 500
    assert "got 500" in view.slider.status


# --- the prediction ------------------------------------------------------------------------------


def _secrets(p) -> list[str]:
    return [x.text for x in p.explanation] + [w.text for w in p.why_not]


def _sent(text: str, states: str) -> bool:
    return text in states or html.escape(text) in states


def test_the_prediction_key_is_the_count_the_model_drops_first():
    p = mc.prediction()
    order = mc.fall_order(mc.PREDICTION_BLAST_PERCENT)
    assert [spec.key for spec, _day in order] == ["anc", "platelets", "hemoglobin"]
    days = [day for _spec, day in order]
    assert days[0] < days[1] < days[2]  # strictly: no two counts on the same day
    assert p.key == "anc"
    assert p.label(p.key) == "Neutrophils (the ANC)"
    assert "90%" in p.question and "first" in p.question
    model_days = p.explanation[1].text
    assert f"the ANC is below 1,500/mm³ from day {days[0]}" in model_days
    assert f"the hemoglobin is below 12.0 g/dL from day {days[2]}" in model_days
    # The days are labelled as the model's, not as a forecast for a patient.
    assert model_days.startswith("In this illustrative model")
    assert "not a forecast for a patient" in model_days
    assert "In the model" in p.question and "about a fifth above" in p.question


def test_the_prediction_choices_carry_no_absolute_words_and_the_key_is_not_longest():
    p = mc.prediction()
    absolute = {"always", "never", "only", "all", "none", "cannot", "nothing", "every", "must"}
    for label, _value in p.choices:
        assert not absolute & set(label.lower().replace(",", " ").split()), label
    assert len(p.label(p.key)) < max(len(label) for label, _v in p.choices)


def test_the_prediction_says_why_each_other_count_is_not_first_with_life_spans():
    p = mc.prediction()
    reasons = {w.value: w for w in p.why_not}
    assert set(reasons) == {"platelets", "hemoglobin", "same"}
    assert "about 10 days" in reasons["platelets"].text
    assert "about 115 days" in reasons["hemoglobin"].text
    assert "life spans differ" in reasons["same"].text
    assert "rv-franco-2012" in reasons["hemoglobin"].sources
    assert p.source_ids() <= mc.source_ids()  # so the notebook test checks they are cited


def test_view_reveals_the_prediction_only_after_a_prediction_and_a_check():
    from allcourse.scenarios.marrow_crowding_view import MarrowCrowding

    view = MarrowCrowding()
    p = mc.prediction()
    before = states_json(view.widget)
    assert p.question in before
    assert "Check your prediction" not in before
    for secret in _secrets(p):
        assert not _sent(secret, before), secret
    view.slider.value = 90  # moving the model reveals nothing by itself
    assert "Check your prediction" not in states_json(view.widget)
    assert view.prediction.check_prediction() is None  # nothing chosen: a message only
    assert "Choose your prediction first" in view.prediction.status.message
    assert "Check your prediction" not in states_json(view.widget)
    view.prediction.choice.value = "hemoglobin"
    assert view.prediction.check_prediction() is False
    after = states_json(view.widget)
    assert "Check your prediction" in after and "✘" in after and "Not quite" in after
    for secret in _secrets(p):
        assert _sent(secret, after), secret
    assert "#ref-rv-franco-2012" in after
