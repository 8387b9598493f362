"""Module 04 as a keyboard user works through it: predict and reveal what the team weighs
for a patient, predict the sibling-match chance and change the number of siblings, pick a
donor and read each candidate's match, move along the day -7 to +100 timeline with the
arrow keys and the stage buttons, and answer one self-check question. A real Chromium
against the course server; axe after the interaction."""

from __future__ import annotations

import re

import pytest
from conftest_helpers import assert_accessible, assert_clean, go_to_question
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NOTEBOOK = "04_stem_cell_transplant.ipynb"


def _choose(page, select, label: str) -> None:
    """Pick an option of a native select with the arrow keys only."""
    select.focus()
    # ipywidgets writes option labels with non-breaking spaces.
    options = select.evaluate(
        "s => Array.from(s.options).map(o => o.text.replace(/\\u00a0/g, ' '))"
    )
    assert label in options, options
    steps = options.index(label) - select.evaluate("s => s.selectedIndex")
    key = "ArrowDown" if steps > 0 else "ArrowUp"
    for _ in range(abs(steps)):
        page.keyboard.press(key)
    expect(select).to_have_js_property("selectedIndex", options.index(label))


def _press(page, button) -> None:
    button.focus()
    page.keyboard.press("Enter")


def test_transplant_module_by_keyboard(open_page):
    cp = open_page(NOTEBOOK)
    page = cp.page
    expect(page.locator("h1#module-title")).to_contain_text("Stem cell transplant")
    # Voila has no "rendered" event: wait for the last widget on the page (the self-check)
    # to be drawn; on a busy machine the widgets arrive seconds after #loading goes.
    page.wait_for_selector(".allcourse-quiz .allcourse-item", timeout=60_000)

    # --- transplant pathway ---------------------------------------------------------------
    pathway = page.locator(".allcourse-pathway")
    expect(pathway.locator(".allcourse-illustrative")).to_contain_text("not clinical")
    _choose(page, pathway.get_by_label("Patient profile", exact=True), "Adult: Helen, 63")
    expect(pathway.locator("#pathway-profile-heading")).to_have_text("Adult: Helen, 63 (fictional)")
    show = pathway.get_by_role("button", name="Show what the team weighs")
    _press(page, show)
    expect(pathway.locator(".allcourse-status")).to_have_text(
        "Choose the option you predict first, then check."
    )
    expect(pathway).not_to_contain_text("Weighs for it")
    _choose(
        page,
        pathway.get_by_label("Your prediction"),
        "Allogeneic transplant with reduced-intensity conditioning",
    )
    _press(page, show)
    feedback = pathway.locator(".allcourse-pathway-feedback")
    expect(feedback.locator(".allcourse-verdict")).to_contain_text("✔ Your prediction matches")
    ric = feedback.locator("[data-option='ric']")
    expect(ric.get_by_role("heading")).to_contain_text("(likely discussed first)")
    expect(ric).to_contain_text("opened transplant to older or less fit patients")
    expect(ric.locator("a[href='#ref-R73']")).to_have_count(1)
    expect(page.locator(".allcourse-sources li#ref-R73")).to_be_attached()
    expect(pathway.get_by_role("button", name="Try again")).to_be_focused()

    # --- HLA inheritance -----------------------------------------------------------------
    hla = page.locator(".allcourse-hla")
    hla.scroll_into_view_if_needed()
    square = hla.locator(".allcourse-hla-square")
    expect(square.locator("[data-child='ac']")).to_contain_text("full match")
    expect(square.locator("[data-child='bd']")).to_contain_text("no match")
    expect(hla).not_to_contain_text("Check your prediction")
    _choose(page, hla.get_by_label("Your prediction"), "About 58%")
    _press(page, hla.get_by_role("button", name="Check my prediction"))
    expect(hla.locator(".allcourse-prediction-feedback")).to_contain_text(
        "✔ Your prediction was right"
    )
    expect(hla.locator(".allcourse-prediction-feedback")).to_contain_text(
        "the chances do not add up"
    )
    result = hla.locator(".allcourse-hla-result")
    expect(result.locator(".allcourse-hla-formula")).to_have_text("25%")
    _choose(page, hla.get_by_label("Number of brothers and sisters"), "3")
    expect(result).to_have_attribute("data-siblings", "3")
    expect(result.locator(".allcourse-hla-formula")).to_have_text("57.8%")
    expect(result.locator(".allcourse-hla-simulated")).to_contain_text(
        re.compile(r"\(5\d(\.\d)?%\)")
    )
    expect(hla.locator(".allcourse-hla-status .allcourse-status")).to_contain_text(
        "3 siblings: formula 57.8%"
    )

    # --- find a donor --------------------------------------------------------------------
    donor = page.locator(".allcourse-donor")
    donor.scroll_into_view_if_needed()
    expect(donor.locator("#donor-family-heading")).to_have_text("Amara, 24 (fictional)")
    expect(donor).not_to_contain_text("Matched sibling donor")  # no grade before a check
    pick = donor.get_by_label("Your donor choice")
    _choose(page, pick, "Donor 4471 (unrelated registry donor, 34)")
    _press(page, donor.get_by_role("button", name="Check my choice"))
    fb = donor.locator(".allcourse-donor-feedback")
    expect(fb.locator(".allcourse-verdict")).to_contain_text("✘ Not the best choice here")
    expect(fb.locator("tr[data-candidate='kofi']")).to_contain_text("8/8")
    expect(fb.locator("tr[data-candidate='kofi']")).to_contain_text("✔ best available")
    expect(fb.locator("tr[data-candidate='ama']")).to_contain_text("4/8")
    expect(fb).to_contain_text("Better here: Kofi (sibling, 27)")
    _press(page, donor.get_by_role("button", name="Try again"))
    expect(fb).to_have_count(0)
    expect(pick).to_be_focused()
    _choose(page, pick, "Kofi (sibling, 27)")
    _press(page, donor.get_by_role("button", name="Check my choice"))
    expect(donor.locator(".allcourse-verdict")).to_contain_text("✔ A sound choice")

    # --- day -7 to +100 ------------------------------------------------------------------
    tl = page.locator(".allcourse-timeline")
    tl.scroll_into_view_if_needed()
    slider = tl.get_by_role("slider", name="Day after the stem cell infusion")
    status = tl.locator(".allcourse-scenario-status")
    expect(status).to_have_text("Day −7: Conditioning (Day −7 to −1).")
    expect(slider).to_have_attribute("aria-valuetext", "Day −7")
    slider.focus()
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    expect(status).to_have_text("Day 0: Day 0: stem cell infusion (Day 0).")
    expect(slider).to_have_attribute("aria-valuetext", "Day 0")
    expect(tl.locator("[data-stage='infusion']")).to_be_visible()
    page.keyboard.press("End")
    expect(tl.locator("[data-stage='late']")).to_contain_text("Chronic GVHD")
    expect(slider).to_be_focused()  # the redraw does not steal focus
    _press(page, tl.get_by_role("button", name="Engraftment", exact=True))
    expect(slider).to_have_value("14")
    expect(slider).to_have_attribute("aria-valuetext", "Day +14")
    expect(tl.locator(".allcourse-range output")).to_have_text("Day +14")  # the shown value
    stage = tl.locator("[data-stage='engraftment']")
    expect(stage).to_contain_text("first of 3 days in a row with an ANC of 500/µL or more")
    expect(stage.locator(".allcourse-stage-nursing")).to_contain_text("acute GVHD")
    _choose(page, tl.get_by_label("Your prediction"), "Platelets")
    _press(page, tl.get_by_role("button", name="Check my prediction"))
    expect(tl.locator(".allcourse-prediction-feedback")).to_contain_text("✘ Not quite")
    expect(tl.locator(".allcourse-prediction-feedback")).to_contain_text(
        "White cells come back first"
    )

    # --- self-check: one question, by keyboard ---------------------------------------------
    item = go_to_question(page, "transplant", "on which day did neutrophil engraftment occur")
    item.scroll_into_view_if_needed()
    choice = item.get_by_label("Day +14", exact=True)
    choice.focus()
    page.keyboard.press("Space")
    expect(choice).to_be_checked()
    _press(page, item.get_by_role("button", name="Check answer"))
    expect(item.locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(item).to_contain_text("the run of 3 days starts on day +14")

    assert cp.cell_errors() == [], "a cell shows an error"
    assert_accessible(page, f"{NOTEBOOK} after using the scenarios")
    assert_clean(cp)
