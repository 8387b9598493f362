"""Read the lab report: the ANC formula and its units, the band edges, rounding, the
neutropenic-fever rule, the practice items built from each patient, and bad input."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from leak_check import states_json

from allcourse.quiz import models as m
from allcourse.quiz.scoring import check_response, score
from allcourse.scenarios import lab_report as lr
from allcourse.scenarios.lab_report import (
    Differential,
    LabInputError,
    LabPatient,
    classify,
    compute_anc,
    neutropenic_fever,
)

# --- the formula and its units [R91] --------------------------------------------------------


def test_anc_is_wbc_times_segs_plus_bands_over_100():
    r = compute_anc(2000, "per_mm3", segs=20, bands=5)
    assert r.neutrophil_percent == 25
    assert r.exact == 500
    assert r.reported == 500


@pytest.mark.parametrize(
    ("wbc", "unit", "per_mm3"),
    [
        (1800, lr.CELLS_PER_MM3, 1800),
        (1800, lr.CELLS_PER_UL, 1800),  # 1 µL = 1 mm³
        (1.8, lr.THOUSANDS_PER_UL, 1800),  # x10³/µL: times 1,000
        (1.8, lr.GIGA_PER_L, 1800),  # x10⁹/L is the same number as x10³/µL
        ("1.8", "k_per_ul", 1800),
        ("1,800", lr.CELLS_PER_MM3, 1800),  # a thousands separator in text is fine
        (1.8, "×10⁹/L", 1800),  # the unit's label works as well as its key
    ],
)
def test_every_wbc_unit_gives_the_same_anc_in_cells_per_mm3(wbc, unit, per_mm3):
    r = compute_anc(wbc, unit, segs=22, bands=3)
    assert r.wbc_per_mm3 == per_mm3
    assert r.reported == 450


def test_floats_are_exact_so_a_thousand_times_a_decimal_is_not_off_by_a_hair():
    # In floats 1.15 * 1000 is 1149.9999999999998; the model works in decimals.
    r = compute_anc(1.15, lr.THOUSANDS_PER_UL, segs=100, bands=0)
    assert r.exact == Decimal("1150")
    assert r.band is lr.ANC_MILD


def test_bands_count_and_other_cells_do_not():
    d = Differential(segs=10, bands=10, lymphs=40, monos=10, eos=5, basos=5, blasts=20)
    r = compute_anc(5000, lr.CELLS_PER_MM3, d.segs, d.bands)
    assert r.reported == 1000  # only the 20% segs + bands


# --- the bands, at their exact edges [R91] ----------------------------------------------------


@pytest.mark.parametrize(
    ("anc", "key"),
    [
        (0, "severe"),
        (499, "severe"),
        (500, "moderate"),
        (999, "moderate"),
        (1000, "mild"),
        (1499, "mild"),
        (1500, "normal"),
        (4000, "normal"),
    ],
)
def test_band_edges(anc, key):
    assert classify(anc).key == key
    # ... and the same edges reached through the formula: WBC anc x 100 / 100% neutrophils.
    assert compute_anc(anc, lr.CELLS_PER_MM3, segs=100, bands=0).band.key == key


# --- rounding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wbc", "segs", "exact", "reported", "key"),
    [
        (1998, 25, Decimal("499.5"), 500, "moderate"),  # half rounds up, then the band
        (1997, 25, Decimal("499.25"), 499, "severe"),
        (5999, 25, Decimal("1499.75"), 1500, "normal"),
        (3999, 25, Decimal("999.75"), 1000, "mild"),
    ],
)
def test_anc_is_reported_rounded_half_up_and_banded_as_shown(wbc, segs, exact, reported, key):
    r = compute_anc(wbc, lr.CELLS_PER_MM3, segs=segs, bands=0)
    assert r.exact == exact
    assert r.reported == reported
    assert r.band.key == key
    assert r.rounded
    assert f"Rounded to a whole cell: **{reported:,} cells/mm³**" in r.worked_solution()


def test_rounded_numeric_item_accepts_the_exact_and_the_rounded_value():
    p = LabPatient(
        id="edge",
        name="Test Patient",
        age=40,
        setting="Edge case.",
        wbc=Decimal(1998),
        unit=lr.CELLS_PER_MM3,
        differential=Differential(segs=Decimal(25), bands=Decimal(0)),
        temp_c=Decimal(37),
    )
    item = lr.anc_item(lr.read(p))
    assert score(item, "499.5").correct
    assert score(item, "500").correct
    assert not score(item, "499").correct
    assert not score(item, "501").correct


@given(
    wbc=st.integers(min_value=0, max_value=500_000),
    segs=st.integers(min_value=0, max_value=100),
    bands=st.integers(min_value=0, max_value=100),
)
def test_reported_anc_is_never_more_than_half_a_cell_from_the_exact_value(wbc, segs, bands):
    if segs + bands > 100:
        with pytest.raises(LabInputError):
            compute_anc(wbc, lr.CELLS_PER_MM3, segs, bands)
        return
    r = compute_anc(wbc, lr.CELLS_PER_MM3, segs, bands)
    assert abs(r.exact - r.reported) <= Decimal("0.5")
    assert r.exact == Decimal(wbc) * (segs + bands) / 100
    assert 0 <= r.reported <= wbc


# --- neutropenic fever [rv-idsa-2011, rv-asco-idsa-2018] ---------------------------------------


@pytest.mark.parametrize(
    ("anc", "temp", "minutes", "fever"),
    [
        (499, "38.3", 0, True),  # one reading of 38.3 or more
        (499, "38.2", 0, False),
        (499, "38.0", 61, True),  # 38.0 or more for over an hour
        (499, "38.0", 60, False),  # an hour exactly is not over an hour
        (499, "37.9", 120, False),
        (500, "39.0", 0, False),  # ANC must be below 500
        (0, "38.3", 0, True),
    ],
)
def test_neutropenic_fever_rule(anc, temp, minutes, fever):
    assert neutropenic_fever(anc, Decimal(temp), minutes) is fever


def test_an_anc_expected_to_fall_below_500_counts_too():
    assert neutropenic_fever(800, Decimal("38.3"), 0, expected_below_500=True)
    assert not neutropenic_fever(800, Decimal("38.3"), 0)
    assert not neutropenic_fever(800, Decimal("37.5"), 0, expected_below_500=True)
    item = lr.care_item(lr.read(lr.patient("ana")))
    assert "expected to fall below 500 within 48 hours" in item.explanation


# --- the fictional patients ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pid", "anc", "band", "fever"),
    [
        ("daniel", 1260, "mild", False),  # high WBC, mostly blasts: still neutropenic
        ("ana", 300, "severe", True),  # 38.4 °C once
        ("leo", 792, "moderate", False),
        ("grace", 450, "severe", True),  # 38.1 °C for 75 minutes
    ],
)
def test_each_patient_reads_as_expected(pid, anc, band, fever):
    r = lr.read(lr.patient(pid))
    assert r.anc.reported == anc
    assert r.anc.band.key == band
    assert r.fever is fever
    ids = [a.id for a in r.actions]
    assert {"hands", "visitors", "flowers", "mask", "oral"} <= set(ids)
    assert ("antibiotics" in ids) is fever
    assert "rectal" not in ids and "masked-visitor" not in ids


def test_the_patients_use_every_kind_of_wbc_unit_but_cells_per_ul():
    units = {p.unit for p in lr.PATIENTS}
    assert {lr.CELLS_PER_MM3, lr.THOUSANDS_PER_UL, lr.GIGA_PER_L} <= units
    assert any(p.is_child for p in lr.PATIENTS), "a paediatric note needs a child"


def test_differentials_of_the_patients_add_up_to_100():
    for p in lr.PATIENTS:
        assert p.differential.total() == 100, p.id


# --- the practice items -----------------------------------------------------------------------


@pytest.mark.parametrize("p", lr.PATIENTS, ids=lambda p: p.id)
def test_items_are_valid_and_their_keys_come_from_the_model(p):
    r = lr.read(p)
    anc, band, care = lr.items(r)
    for item in (anc, band, care):
        # Round-trip through the item union: the items are what a bank would hold.
        m.Bank(title="t", items=[item.model_dump()])
        assert item.objective == "diagnosis.4"
        assert item.sources
        assert item.explanation
    assert score(anc, f"{r.anc.reported:,}").correct
    assert score(anc, f"{r.anc.reported} cells/mm³").correct
    assert not score(anc, str(r.anc.reported + 1)).correct
    assert r.anc.worked_solution() == anc.worked_solution
    assert score(band, r.anc.band.key).correct
    wrong_band = next(b.key for b in lr.ANC_BANDS if b is not r.anc.band)
    assert not score(band, wrong_band).correct
    keyed = [o.id for o in care.options if o.correct]
    assert keyed == [a.id for a in r.actions]
    assert score(care, keyed).correct
    for item in (anc, band, care):
        for o in getattr(item, "options", []):
            assert o.rationale, f"{item.id} option {o.id} has no rationale"


def test_numeric_item_gives_a_message_for_a_decimal_comma():
    anc = lr.anc_item(lr.read(lr.patient("ana")))
    assert "decimal point" in check_response(anc, "300,5")


def test_worked_solution_shows_the_unit_conversion_for_x10_units():
    sol = lr.read(lr.patient("grace")).anc.worked_solution()
    assert "1.8 ×10⁹/L × 1,000 = **1,800 cells/mm³**" in sol
    assert "segs 22% + bands 3% = **25%**" in sol
    assert "1,800 × 25 ÷ 100 = **450 cells/mm³**" in sol
    sol_mm3 = lr.read(lr.patient("ana")).anc.worked_solution()
    assert "already in cells per mm³" in sol_mm3


def test_care_item_rationales_explain_the_fever_decision():
    def rationale(pid: str, option: str) -> str:
        care = lr.care_item(lr.read(lr.patient(pid)))
        return next(o.rationale for o in care.options if o.id == option)

    assert rationale("ana", "antibiotics").startswith("Yes: ANC 300 cells/mm³")
    # Leo (ANC 792) and Daniel (ANC 1,260) have no fever: that is the reason, not the ANC.
    for pid in ("leo", "daniel"):
        why = rationale(pid, "antibiotics")
        assert why.startswith("Not now:") and "has no fever" in why
        assert "not below 500" not in why
    assert rationale("daniel", "rectal").startswith("Not this.")


def test_a_fever_with_an_anc_of_500_or_more_is_not_called_neutropenic_fever_but_reported():
    p = LabPatient(
        id="feverish",
        name="Feverish Patient",
        age=30,
        setting="Consolidation.",
        wbc=Decimal("1.6"),
        unit=lr.THOUSANDS_PER_UL,
        differential=Differential(segs=Decimal(50), bands=Decimal(0), lymphs=Decimal(50)),
        temp_c=Decimal("38.6"),
    )
    r = lr.read(p)
    assert r.anc.reported == 800 and not r.fever
    why = next(o.rationale for o in lr.care_item(r).options if o.id == "antibiotics")
    assert why.startswith("Not as neutropenic fever:") and "Still report the fever" in why
    expected = lr.read(dataclasses.replace(p, anc_expected_below_500=True))
    assert expected.fever


def test_a_normal_anc_gives_a_keyed_none_of_these_option():
    p = LabPatient(
        id="well",
        name="Well Patient",
        age=30,
        setting="Maintenance.",
        wbc=Decimal("5.2"),
        unit=lr.THOUSANDS_PER_UL,
        differential=Differential(segs=Decimal(52), bands=Decimal(3), lymphs=Decimal(45)),
        temp_c=Decimal("38.5"),
    )
    r = lr.read(p)
    assert r.anc.reported == 2860 and not r.neutropenic and not r.fever
    care = lr.care_item(r)
    assert [o.id for o in care.options if o.correct] == ["none"]


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"segs": 60, "bands": 50}, "cannot be more than 100%"),
        ({"segs": -5, "bands": 10}, "cannot be negative"),
        ({"segs": 101, "bands": 0}, "percentage from 0 to 100"),
        ({"segs": "ten", "bands": 0}, "must be a number"),
        ({"segs": float("nan"), "bands": 0}, "must be a number"),
        ({"segs": True, "bands": 0}, "must be a number"),
    ],
)
def test_bad_percentages_are_rejected_with_a_message(kwargs, words):
    with pytest.raises(LabInputError, match=words):
        compute_anc(2000, lr.CELLS_PER_MM3, **kwargs)


@pytest.mark.parametrize(
    ("wbc", "unit", "words"),
    [
        (-1, lr.CELLS_PER_MM3, "cannot be negative"),
        (None, lr.CELLS_PER_MM3, "must be a number"),
        (float("inf"), lr.CELLS_PER_MM3, "must be a number"),
        (2000, "cells per litre", "Unknown WBC unit"),
        (2000, ["cells/mm³"], "Unknown WBC unit"),
        ("1,5", lr.THOUSANDS_PER_UL, "decimal point, not a comma"),
    ],
)
def test_bad_wbc_is_rejected_with_a_message(wbc, unit, words):
    with pytest.raises(LabInputError, match=words):
        compute_anc(wbc, unit, 20, 5)


def test_a_differential_over_100_percent_names_the_total():
    with pytest.raises(LabInputError, match=r"adds up to 105%"):
        Differential(segs=Decimal(50), bands=Decimal(5), lymphs=Decimal(50))


def test_a_fahrenheit_temperature_is_caught():
    with pytest.raises(LabInputError, match="looks like °F"):
        lr.temperature(101)
    with pytest.raises(LabInputError, match="outside"):
        lr.temperature(20)


# --- the view: keys stay in the kernel ----------------------------------------------------------


@pytest.mark.parametrize("p", lr.PATIENTS, ids=lambda p: p.id)
def test_view_sends_no_anc_band_or_rationale_before_checking(p):
    import re

    from allcourse.scenarios.lab_report_view import LabReport

    view = LabReport(p.id)
    r = lr.read(p)
    dump = states_json(view)
    for number in {str(r.anc.reported), f"{r.anc.reported:,}"}:
        assert not re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d.,])", dump), number
    anc, band, care = lr.items(r)
    assert r.anc.worked_solution().splitlines()[-1] not in dump
    for item in (anc, band, care):
        assert item.explanation[:60] not in dump
        for o in getattr(item, "options", []):
            assert o.rationale not in dump, o.id
    # The positive control: once checked, the feedback is there for the student.
    card = view.cards[0]
    card.renderer.text.value = str(r.anc.reported)
    assert card.check_answer().correct
    assert "multiplied by 1,000 first" in states_json(view)


def test_view_switches_patient_and_builds_fresh_items():
    from allcourse.scenarios.lab_report_view import LabReport

    view = LabReport()
    view.chooser.value = "grace"
    assert "Grace Mensah" in view.report.value and "1.8 ×10⁹/L" in view.report.value
    assert [c.item.id for c in view.cards] == [
        "diagnosis-lab-grace-anc",
        "diagnosis-lab-grace-band",
        "diagnosis-lab-grace-care",
    ]
    assert "Grace Mensah" in view.status.message
