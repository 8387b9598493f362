"""Module 01 as a student uses it: the lineage explorer, the marrow slider moved with the
keyboard, and one self-check question, in a real Chromium against the course server."""

from __future__ import annotations

import re

import pytest
from conftest_helpers import assert_accessible, assert_clean
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SLIDER_NAME = "Blasts in the marrow (percent of the marrow)"


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

    # The keyboard works too, and the one sourced normal range is shown with its source.
    granulocyte = lineage.get_by_role("button", name="Granulocyte (white blood cell)", exact=True)
    granulocyte.focus()
    page.keyboard.press("Enter")
    expect(details.locator("h3")).to_have_text("Granulocyte (white blood cell)")
    normal = details.locator("[data-field='normal-count']")
    expect(normal).to_contain_text("ANC of 1,500/mm³ or more")
    expect(normal.locator("a")).to_have_attribute("href", "#ref-R91")
    expect(page.locator(".allcourse-sources li#ref-R91")).to_be_attached()
    expect(lineage.get_by_role("button", name="Lymphoblast", exact=True)).to_be_visible()

    # --- marrow crowding: move the slider with the keyboard ------------------------------
    marrow = page.locator(".allcourse-marrow")
    expect(marrow.locator(".allcourse-illustrative")).to_contain_text("not clinical")
    slider = marrow.get_by_role("slider", name=SLIDER_NAME)
    status = marrow.locator(".allcourse-scenario-status")
    picture = marrow.get_by_role("img", name=re.compile("Picture of the bone marrow"))
    expect(status).to_contain_text("Blasts 0% of the marrow")
    expect(marrow.locator(".allcourse-no-signs")).to_be_visible()
    expect(picture.locator("circle.cell-blast")).to_have_count(0)

    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(status).to_contain_text("Blasts 1% of the marrow")
    for _ in range(9):
        page.keyboard.press("PageUp")  # +10 each
    expect(slider).to_have_value("91")
    expect(status).to_have_text(
        "Blasts 91% of the marrow: hemoglobin 1.3 g/dL, ANC 360/mm³, platelets 22,500/mm³. "
        "Signs shown: anemia, infection, bleeding."
    )
    expect(slider).to_be_focused()  # the redraw does not steal focus
    expect(picture).to_have_attribute("aria-label", re.compile("blasts fill 91 of 100 places"))
    expect(picture.locator("circle.cell-blast")).to_have_count(91)
    anc_row = marrow.locator("tr[data-count='anc']")
    expect(anc_row).to_contain_text("360/mm³")
    expect(anc_row).to_contain_text("Severe neutropenia")
    signs = marrow.locator(".allcourse-sign")
    expect(signs).to_have_count(3)
    infection = marrow.locator(".allcourse-sign[data-sign='infection']")
    expect(infection.get_by_role("heading")).to_have_text("⚠ Infection")
    expect(infection).to_contain_text("Neutropenic fever")
    expect(infection).to_contain_text("never rectally")
    expect(marrow.locator(".allcourse-sign[data-sign='bleeding']")).to_contain_text(
        "below 50,000/mm³: bleeding precautions"
    )

    # Back down: Home goes to 0 and the signs go away; a preset sets a share directly.
    page.keyboard.press("Home")
    expect(status).to_contain_text("Blasts 0% of the marrow")
    expect(signs).to_have_count(0)
    marrow.get_by_role("button", name="20% blasts").click()
    expect(slider).to_have_value("20")
    expect(status).to_contain_text("Blasts 20% of the marrow")
    expect(signs).to_have_count(1)
    expect(marrow.locator(".allcourse-sign[data-sign='anemia']")).to_contain_text(
        "shortness of breath"
    )

    # --- self-check: answer one question and read the feedback ---------------------------
    item = page.locator(".allcourse-item").filter(
        has_text="which cell a lymphoid stem cell becomes"
    )
    item.scroll_into_view_if_needed()
    item.get_by_label("A lymphoblast").check()
    item.get_by_role("button", name="Check answer").click()
    expect(item).to_contain_text("✔")
    expect(item).to_contain_text(re.compile(r"\bCorrect\b"))
    expect(item).to_contain_text("The lymphoblast is the immature stage")

    assert cp.cell_errors() == [], "a cell shows an error"
    assert_accessible(page, "01_blood_and_marrow.ipynb after using the scenarios")
    assert_clean(cp)
