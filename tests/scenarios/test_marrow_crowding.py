"""Marrow crowding: the illustrative count falls as blasts fill the marrow, the sign
thresholds sit exactly where the sources put them, bad input gets a clear message."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allcourse.scenarios import marrow_crowding as mc
from allcourse.scenarios.marrow_crowding import (
    InvalidBlastShare,
    anc_band,
    blood_count,
    crowd,
    marrow_cells,
    platelet_band,
)

shares = st.floats(min_value=0, max_value=100, allow_nan=False)


# --- counts -----------------------------------------------------------------------------


def test_healthy_marrow_gives_the_starting_count_and_no_signs():
    state = crowd(0)
    assert state.count == mc.BloodCount(hemoglobin=14.0, anc=4000, platelets=250_000)
    assert state.signs == ()
    assert state.cells.count("blast") == 0


def test_full_marrow_leaves_nothing_and_every_sign():
    state = crowd(100)
    assert state.count == mc.BloodCount(hemoglobin=0, anc=0, platelets=0)
    assert [s.key for s in state.signs] == ["anemia", "infection", "bleeding"]
    assert set(state.cells) == {"blast"}
    assert state.anc_band is mc.ANC_SEVERE
    assert state.platelet_band is mc.PLATELETS_SPONTANEOUS


def test_count_is_starting_value_times_healthy_share():
    count = blood_count(40)
    assert count.hemoglobin == pytest.approx(8.4)
    assert count.anc == 2400
    assert count.platelets == 150_000


@given(a=shares, b=shares)
def test_counts_never_rise_as_blasts_rise(a, b):
    low, high = sorted((a, b))
    before, after = blood_count(low), blood_count(high)
    for spec in mc.COUNTS:
        assert after.value(spec.key) <= before.value(spec.key)


def test_counts_strictly_fall_over_whole_percent_steps():
    counts = [blood_count(p) for p in range(0, 101)]
    for earlier, later in zip(counts, counts[1:], strict=False):
        assert later.anc < earlier.anc
        assert later.platelets < earlier.platelets
        assert later.hemoglobin < earlier.hemoglobin


# --- sourced thresholds [R91] [R94] -------------------------------------------------------


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
        (50_000, mc.PLATELETS_ABOVE),
        (49_999, mc.PLATELETS_PRECAUTIONS),
        (20_000, mc.PLATELETS_PRECAUTIONS),
        (19_999, mc.PLATELETS_SPONTANEOUS),
        (0, mc.PLATELETS_SPONTANEOUS),
    ],
)
def test_platelet_band_boundaries(platelets, band):
    assert platelet_band(platelets) is band


@pytest.mark.parametrize(
    ("percent", "anc", "anc_key", "platelets", "platelet_key"),
    [
        (62, 1520, "normal", 95_000, "above_50000"),
        (63, 1480, "mild", 92_500, "above_50000"),
        (75, 1000, "mild", 62_500, "above_50000"),  # exactly 1,000: still mild
        (76, 960, "moderate", 60_000, "above_50000"),
        (80, 800, "moderate", 50_000, "above_50000"),  # exactly 50,000: not below it
        (81, 760, "moderate", 47_500, "below_50000"),
        (87, 520, "moderate", 32_500, "below_50000"),
        (88, 480, "severe", 30_000, "below_50000"),
        (92, 320, "severe", 20_000, "below_50000"),  # exactly 20,000: not below it
        (93, 280, "severe", 17_500, "below_20000"),
    ],
)
def test_where_the_model_crosses_each_threshold(percent, anc, anc_key, platelets, platelet_key):
    state = crowd(percent)
    assert state.count.anc == anc
    assert state.anc_band.key == anc_key
    assert state.count.platelets == platelets
    assert state.platelet_band.key == platelet_key
    assert (state.sign("infection") is not None) == (anc_key != "normal")
    assert (state.sign("bleeding") is not None) == (platelet_key != "above_50000")


def test_anemia_cues_start_above_the_remission_blast_limit():
    assert crowd(mc.REMISSION_BLAST_LIMIT).sign("anemia") is None
    assert crowd(mc.REMISSION_BLAST_LIMIT + 0.1).sign("anemia") is not None
    cues = " ".join(c.text for c in crowd(50).sign("anemia").cues).lower()
    assert "tiredness" in cues and "shortness of breath" in cues


def test_severe_neutropenia_adds_the_neutropenic_fever_cue():
    moderate = crowd(87).sign("infection")
    severe = crowd(88).sign("infection")
    assert not any("38.3" in c.text for c in moderate.cues)
    fever = [c for c in severe.cues if "38.3" in c.text]
    assert fever and fever[0].sources == ("R87",)
    assert "severe neutropenia" in severe.finding


def test_very_low_platelets_add_the_no_injury_bleeding_cue():
    assert not any("no injury" in c.text for c in crowd(92).sign("bleeding").cues)
    assert any("no injury" in c.text for c in crowd(93).sign("bleeding").cues)


def test_shown_count_is_the_value_the_band_was_read_from():
    # A share that is not a whole percent: values are rounded before banding, so the
    # table never shows "1,500" beside "mild neutropenia".
    state = crowd(62.5)
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
    first_row = marrow_cells(10)[:10]
    assert first_row.count("blast") < 10


def test_healthy_places_show_all_three_lines():
    assert set(marrow_cells(0)) == {"red", "white", "platelet"}


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (-1, "got -1"),
        (-0.5, "got -0.5"),
        (100.5, "got 100.5"),
        (1000, "got 1000"),
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
        message = str(exc.value)
        assert "from 0 to 100" in message
        assert words in message


# --- sources ------------------------------------------------------------------------------


def test_start_values_that_are_not_sourced_say_so():
    for spec in mc.COUNTS:
        assert "illustrative" in spec.start_note.text.lower()
        if not spec.start_note.sources:
            assert "no normal range" in spec.start_note.text


# --- the view (no browser: widgets built in the kernel) ---------------------------------------


def test_view_redraws_counts_signs_and_picture_when_the_slider_moves():
    from allcourse.scenarios.marrow_crowding_view import MarrowCrowding

    view = MarrowCrowding()
    assert "Signs shown: none" in view.slider.status
    assert "No sign threshold is crossed" in view.signs.value
    view.slider.value = 90
    assert "ANC 400/mm³" in view.slider.status
    assert "data-sign='bleeding'" in view.signs.value
    assert "blasts fill 90 of 100 places" in view.picture.value
    assert ">400/mm³<" in view.table.value


def test_view_presets_set_the_slider():
    from allcourse.scenarios.marrow_crowding_view import MarrowCrowding

    view = MarrowCrowding()
    preset = next(b for b in view.presets if b.description.startswith("90%"))
    preset.click()
    assert view.slider.value == 90
    assert "Blasts 90%" in view.slider.status


def test_view_answers_an_impossible_share_with_a_message():
    from allcourse.scenarios.marrow_crowding_view import MarrowCrowding

    view = MarrowCrowding(20)
    picture = view.picture.value
    view.slider.value = 150  # a student can send any value over the widget channel
    assert "from 0 to 100" in view.slider.status and "got 150" in view.slider.status
    assert view.picture.value == picture  # the last good picture stays
