"""Module 01 as a student uses it: the lineage explorer, the marrow model's two sliders
moved with the keyboard (counts fall neutrophils first, anemia last), its presets, and one
self-check question, in a real Chromium against the course server."""

from __future__ import annotations

import re

import pytest
from conftest_helpers import assert_accessible, assert_clean, go_to_question
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SLIDER_NAME = "Blasts in the marrow (percent of the marrow)"
DAYS_NAME = "Days since the marrow became crowded"


def test_blood_module_scenarios_and_self_check(open_page):
    cp = open_page("01_blood_and_marrow.ipynb")
    page = cp.page
    expect(page.locator("h1#module-title")).to_contain_text("Blood and bone marrow")

    # --- lineage explorer: choose a cell, read its job ----------------------------------
    lineage = page.locator(".allcourse-lineage")
    details = lineage.locator(".allcourse-cell-details")
    expect(details).to_contain_text("Choose a cell")
    lineage.get_by_role("button", name="Lymphoblast", exact=True).click()
    expect(details.locator("h3")).to_have_text("Lymphoblast")
    expect(details.locator("[data-field='its-job']")).to_contain_text(
        "immature stage between the lymphoid stem cell and a mature lymphocyte"
    )
    expect(details.locator("[data-field='normal-count']")).to_have_text(
        "Not covered in this course's sources."
    )
    expect(details.locator("[data-field='what-goes-wrong-in-all']")).to_contain_text(
        "do not fight infection well"
    )
    expect(lineage.get_by_role("button", name="Lymphoblast (selected)")).to_be_visible()
    expect(lineage.locator(".allcourse-scenario-status")).to_contain_text("Lymphoblast:")

    # The keyboard works too, and the normal range is shown with its sources.
    granulocyte = lineage.get_by_role("button", name="Granulocyte (white blood cell)", exact=True)
    granulocyte.focus()
    page.keyboard.press("Enter")
    expect(details.locator("h3")).to_have_text("Granulocyte (white blood cell)")
    normal = details.locator("[data-field='normal-count']")
    expect(normal).to_contain_text("ANC of 1,500/mm³ or more")
    expect(normal).to_contain_text("labs differ")
    expect(normal.locator("a[href='#ref-R91']")).to_have_count(1)
    expect(page.locator(".allcourse-sources li#ref-R91")).to_be_attached()
    expect(page.locator(".allcourse-sources li#ref-rv-merck-cbc")).to_be_attached()
    lineage.get_by_role("button", name="T lymphocyte", exact=True).click()
    expect(details.locator("[data-field='its-job']")).to_contain_text(
        "cytotoxic T cells kill infected cells and cancer cells"
    )
    expect(lineage.get_by_role("button", name="Lymphoblast", exact=True)).to_be_visible()

    # --- marrow crowding: move the sliders with the keyboard ------------------------------
    marrow = page.locator(".allcourse-marrow")
    expect(marrow.locator(".allcourse-illustrative")).to_contain_text("not clinical")
    slider = marrow.get_by_role("slider", name=SLIDER_NAME)
    days = marrow.get_by_role("slider", name=DAYS_NAME)
    # Each control is named by its own label alone, however fast the page drew them: no two
    # elements share an id (two sliders drawn in the same millisecond once did).
    ids = page.eval_on_selector_all("[id^='allcourse-']", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids)), f"elements share an id: {sorted(ids)}"
    expect(marrow.get_by_role("slider", name=DAYS_NAME, exact=True)).to_have_count(1)
    expect(marrow.get_by_role("slider", name=SLIDER_NAME, exact=True)).to_have_count(1)
    status = marrow.locator(".allcourse-scenario-status")
    picture = marrow.get_by_role("img", name=re.compile("Picture of the bone marrow"))
    signs = marrow.locator(".allcourse-sign")
    expect(status).to_contain_text("Blasts 0% of the marrow, day 14")
    expect(marrow.locator(".allcourse-no-signs")).to_be_visible()
    expect(picture.locator("circle.cell-blast")).to_have_count(0)

    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(status).to_contain_text("Blasts 1% of the marrow")
    for _ in range(9):
        page.keyboard.press("PageUp")  # +10 each
    expect(slider).to_have_value("91")
    # Two weeks on, the short-lived cells are gone: neutrophils and platelets are low,
    # red cells (about 115 days) still keep the hemoglobin up.
    expect(status).to_have_text(
        "Blasts 91% of the marrow, day 14: ANC 162/mm³, platelets 15,300/mm³, hemoglobin "
        "13.3 g/dL. Signs shown: infection, bleeding."
    )
    expect(slider).to_be_focused()  # the redraw does not steal focus
    expect(picture).to_have_attribute("aria-label", re.compile("blasts fill 91 of 100 places"))
    expect(picture.locator("circle.cell-blast")).to_have_count(91)
    anc_row = marrow.locator("tr[data-count='anc']")
    expect(anc_row).to_contain_text("162/mm³")
    expect(anc_row).to_contain_text("Severe neutropenia")
    expect(anc_row.locator("a[href='#ref-R91']").first).to_be_attached()
    expect(marrow.locator("tr[data-count='platelets']")).to_contain_text("labs differ")
    expect(signs).to_have_count(2)
    infection = marrow.locator(".allcourse-sign[data-sign='infection']")
    expect(infection.get_by_role("heading")).to_have_text("⚠ Infection")
    expect(infection).to_contain_text("expected to fall below 500 within 48 hours")
    expect(infection).to_contain_text("fever may be the only sign")
    expect(infection).to_contain_text("never rectally")
    expect(marrow.locator(".allcourse-sign[data-sign='bleeding']")).to_contain_text(
        "bleeding can happen without any injury"
    )

    # Later, anemia follows: the days slider with the keyboard (End = day 60).
    days.focus()
    page.keyboard.press("End")
    expect(days).to_have_value("60")
    expect(status).to_contain_text("day 60:")
    expect(status).to_contain_text("Signs shown: infection, bleeding, anemia.")
    expect(signs).to_have_count(3)
    expect(signs.nth(2)).to_have_attribute("data-sign", "anemia")
    expect(marrow.locator(".allcourse-sign[data-sign='anemia']")).to_contain_text(
        "shortness of breath"
    )

    # The presets: the healthy marrow shows no sign; on day 0 a crowded marrow still
    # gives a normal count, because the cells already in the blood have not died yet.
    marrow.get_by_role("button", name="Healthy marrow (0% blasts)").click()
    expect(slider).to_have_value("0")
    expect(signs).to_have_count(0)
    marrow.get_by_role("button", name="90% blasts").click()
    expect(slider).to_have_value("90")
    marrow.get_by_role("button", name="Day 0", exact=True).click()
    expect(days).to_have_value("0")
    expect(status).to_contain_text("Blasts 90% of the marrow, day 0")
    expect(signs).to_have_count(0)
    marrow.get_by_role("button", name="Day 3", exact=True).click()
    expect(status).to_contain_text("Signs shown: infection, bleeding.")

    # --- self-check: answer one question and read the feedback ---------------------------
    item = go_to_question(page, "blood", "which cell a lymphoid stem cell becomes")
    item.scroll_into_view_if_needed()
    item.get_by_label("A lymphoblast").check()
    item.get_by_role("button", name="Check answer").click()
    expect(item).to_contain_text("✔")
    expect(item).to_contain_text(re.compile(r"\bCorrect\b"))
    expect(item).to_contain_text("The lymphoblast is the immature stage")

    assert cp.cell_errors() == [], "a cell shows an error"
    assert_accessible(page, "01_blood_and_marrow.ipynb after using the scenarios")
    assert_clean(cp)


def test_marrow_prediction_is_revealed_only_after_a_keyboard_prediction_and_check(open_page):
    from prediction_reveal import assert_hidden_then_revealed, open_with_capture

    from allcourse.scenarios import marrow_crowding

    cp, capture = open_with_capture(open_page, "01_blood_and_marrow.ipynb")
    p = marrow_crowding.prediction()
    # A wrong prediction on purpose: the reason the hemoglobin falls last is part of it.
    assert_hidden_then_revealed(
        cp, capture, ".allcourse-marrow", p, "Hemoglobin (red cells)", "✘ Not quite"
    )
    feedback = cp.page.locator(".allcourse-marrow .allcourse-prediction-feedback")
    expect(feedback).to_contain_text("the ANC is below 1,500/mm³ from day 1")
    expect(feedback.locator("[data-choice='hemoglobin']")).to_contain_text("about 115 days")
    assert cp.cell_errors() == [], "a cell shows an error"
    assert_accessible(cp.page, "01_blood_and_marrow.ipynb after checking the prediction")
    assert_clean(cp)
