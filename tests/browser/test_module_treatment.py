"""Module 03 as a student uses it, by keyboard where the scenario is about stepping:
walk the treatment journey for a Ph-positive adult and a Ph-negative child (choices,
the week slider, the phase buttons), play one round of therapy-and-target and start a
second, use the body diagram, answer one self-check question; then axe finds no
violation after all that interaction. A real Chromium against the course server."""

from __future__ import annotations

import re

import pytest
from conftest_helpers import assert_accessible, assert_clean, go_to_question
from harness import RENDER_TIMEOUT_MS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_treatment_module_journey_target_game_body_diagram_and_self_check(open_page):
    cp = open_page("03_treatment_phases.ipynb")
    page = cp.page
    expect(page.locator("h1#module-title")).to_contain_text("Treatment phases")
    expect(page.locator(".allcourse-coming-soon")).to_have_count(0)

    # Widgets draw after Voila's spinner goes; on a busy machine that takes a while, so
    # wait (as for the page itself) until each scenario and the self-check are drawn.
    for root in (".allcourse-journey", ".allcourse-drug-reach", ".allcourse-target-game"):
        page.locator(f"{root} .allcourse-illustrative").wait_for(timeout=RENDER_TIMEOUT_MS)
    page.locator(".allcourse-quiz .allcourse-item").first.wait_for(timeout=RENDER_TIMEOUT_MS)

    # --- the treatment journey: an adult with Ph-positive ALL, by keyboard -------------
    journey = page.locator(".allcourse-journey")
    expect(journey.locator(".allcourse-illustrative")).to_contain_text("not clinical")
    heading = journey.locator("#journey-step-heading")
    expect(heading).to_have_text("Week 1 of 112: Induction (week 1 of 4)")
    expect(journey.locator(".allcourse-prediction")).to_have_count(0)  # nothing to check yet

    patient = journey.get_by_label("Patient", exact=True)
    patient.focus()
    page.keyboard.press("ArrowDown")  # Child -> Adult
    expect(patient).to_have_value("Adult")
    ph = journey.get_by_label("Philadelphia chromosome", exact=True)
    ph.focus()
    page.keyboard.press("ArrowDown")  # Ph-negative -> Ph-positive
    expect(journey.locator(".allcourse-journey-regimen")).to_contain_text(
        "Adult with Ph-positive B-ALL: a TKI with lower-intensity chemotherapy"
    )
    expect(heading).to_have_text("Week 1 of 80: Induction (cycles 1 to 3) (week 1 of 12)")
    card = journey.locator(".allcourse-journey-step")
    expect(card.locator("[data-field='typical drugs']")).to_contain_text("ponatinib")
    expect(card.locator("[data-field='blood counts']")).to_contain_text(
        "Counts expected to be at their lowest this week."
    )

    slider = journey.get_by_role("slider", name="Week of treatment")
    slider.focus()
    for _ in range(11):
        page.keyboard.press("ArrowRight")
    expect(heading).to_have_text("Week 12 of 80: Induction (cycles 1 to 3) (week 12 of 12)")
    expect(slider).to_be_focused()  # redrawing the card does not steal focus
    expect(slider).to_have_attribute("aria-valuetext", re.compile("MRD checkpoint"))
    expect(journey.locator(".allcourse-range output")).to_have_text("Week 12 of 80")
    mrd = card.locator("[data-field='mrd']")
    expect(mrd).to_contain_text("MRD checkpoint this week.")
    expect(mrd).to_contain_text("30% reached MRD-negative remission with ponatinib")
    expect(mrd.locator("a[href='#ref-R45']")).to_have_count(1)
    expect(page.locator(".allcourse-sources li#ref-R45")).to_be_attached()

    journey.get_by_role("button", name="Next phase").focus()
    page.keyboard.press("Enter")
    expect(heading).to_have_text("Week 13 of 80: Consolidation (cycles 4 to 9) (week 1 of 24)")
    expect(journey.locator(".allcourse-phase.is-current")).to_contain_text("(you are here)")
    expect(journey.locator(".allcourse-phase.is-current")).to_contain_text("Consolidation")
    expect(journey.locator(".allcourse-prediction")).to_have_count(0)
    slider.focus()
    page.keyboard.press("End")
    expect(heading).to_have_text("Week 80 of 80: Maintenance (cycles 10 to 20) (week 44 of 44)")
    prediction = journey.locator(".allcourse-prediction")
    expect(prediction).to_contain_text("is the longest phase: 44 of 80 weeks, about 55%")
    expect(journey.get_by_role("button", name="Next phase")).to_be_disabled()

    # --- the same journey for a child with Ph-negative ALL --------------------------------
    patient.focus()
    page.keyboard.press("ArrowUp")  # Adult -> Child
    ph.focus()
    page.keyboard.press("ArrowUp")  # Ph-positive -> Ph-negative
    expect(journey.locator(".allcourse-journey-regimen")).to_contain_text(
        "Child with Ph-negative B-ALL: a COG-style plan"
    )
    expect(heading).to_have_text("Week 1 of 112: Induction (week 1 of 4)")
    expect(journey.locator(".allcourse-prediction")).to_have_count(0)  # a new plan
    expect(card.locator("[data-field='mrd']")).to_contain_text(
        "Next MRD checkpoint: week 4 (Induction), 3 weeks from now."
    )
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(heading).to_have_text("Week 4 of 112: Induction (week 4 of 4)")
    expect(card.locator("[data-field='mrd']")).to_contain_text("End-of-induction (day 29)")
    for name in ("Next phase", "Next phase", "Next phase"):
        journey.get_by_role("button", name=name).focus()
        page.keyboard.press("Enter")
    expect(heading).to_have_text("Week 17 of 112: Delayed intensification (week 1 of 8)")
    journey.get_by_role("button", name="Next phase").focus()
    page.keyboard.press("Space")
    expect(heading).to_have_text("Week 25 of 112: Maintenance (week 1 of 88)")
    expect(card.locator("[data-field='nursing focus']")).to_contain_text(
        "less than 95% of their 6-mercaptopurine doses"
    )
    expect(journey.locator(".allcourse-prediction")).to_contain_text("88 of 112 weeks, about 79%")
    expect(journey.locator(".allcourse-status")).to_contain_text(
        "Week 25 of 112: Maintenance, week 1 of 88."
    )

    # --- the body diagram: two routes, then the prediction check ------------------------
    reach = page.locator(".allcourse-drug-reach")
    reach.scroll_into_view_if_needed()
    expect(reach.locator(".allcourse-illustrative")).to_contain_text("not clinical")
    diagram = reach.get_by_role("img", name=re.compile("Body diagram"))
    expect(diagram).to_be_visible()
    it = reach.get_by_role("button", name="Intrathecal chemotherapy", exact=True)
    it.focus()
    page.keyboard.press("Enter")
    expect(reach.get_by_role("button", name="Intrathecal chemotherapy (selected)")).to_be_visible()
    expect(reach.locator("#label-cns")).to_contain_text("✔ reached")
    expect(reach.locator("#label-marrow")).to_contain_text("✘ not reached")
    expect(diagram.locator("#site-cns-spine")).to_have_class(re.compile("body-reach-reaches"))
    results = reach.locator(".allcourse-reach-results")
    expect(results.locator("[data-site='marrow']")).to_contain_text(
        "always given alongside systemic chemotherapy"
    )
    expect(reach.locator(".allcourse-prediction")).to_have_count(0)
    reach.get_by_role("button", name="Oral systemic chemotherapy", exact=True).click()
    expect(reach.locator("#label-cns")).to_contain_text("◐ partly reached")
    expect(reach.locator("#label-marrow")).to_contain_text("✔ reached")
    expect(reach.locator("#body-desc")).to_contain_text(
        "Body diagram for Oral systemic chemotherapy."
    )
    expect(reach.locator(".allcourse-prediction")).to_contain_text(
        "No single route reaches all three places well."
    )

    # --- therapy and target: one round, then a new one ----------------------------------
    game = page.locator(".allcourse-target-game")
    game.scroll_into_view_if_needed()
    expect(game.locator(".allcourse-round-heading")).to_have_text(
        "Round 1: Vincristine, Dasatinib, Inotuzumab ozogamicin, Blinatumomab"
    )
    check = game.get_by_role("button", name="Check matches")
    check.click()
    expect(game.locator(".allcourse-status")).to_contain_text("Choose all 8 matches first")
    picks = {
        "Vincristine": ("Microtubules", "Peripheral neuropathy"),
        "Dasatinib": ("The BCR-ABL1", "Fluid retention"),
        "Inotuzumab ozogamicin": ("CD22 on B cells", "Liver injury"),
        # A wrong toxicity on purpose: blinatumomab's is cytokine release.
        "Blinatumomab": ("CD19 on B cells, bridged", "Pancreatitis and blood clots"),
    }
    for drug, (target, toxicity) in picks.items():
        for kind, start in (("Target or mechanism", target), ("Signature toxicity", toxicity)):
            select = game.get_by_label(f"{drug}: {kind}", exact=True)
            label = select.locator("option", has_text=start).first.inner_text()
            select.select_option(label=label)
    expect(game).not_to_contain_text("matches right")  # no feedback before the check
    check.click()
    feedback = game.locator(".allcourse-target-feedback")
    expect(feedback.locator(".allcourse-verdict")).to_have_text("◐ 7 of 8 matches right")
    wrong = feedback.locator("[data-pair='blinatumomab-toxicity']")
    expect(wrong).to_contain_text("✘ Wrong.")
    expect(wrong).to_contain_text("the line is not flushed")
    expect(feedback.locator("[data-pair='vincristine-toxicity']")).to_contain_text("✔ Right.")
    expect(game.locator(".allcourse-prediction")).to_contain_text("(CD19, CD22, CD20)")
    expect(game.get_by_label("Vincristine: Target or mechanism", exact=True)).to_be_disabled()
    game.get_by_role("button", name="New round").click()
    expect(game.locator(".allcourse-round-heading")).to_contain_text("Round 2:")
    expect(game.locator(".allcourse-target-feedback")).to_have_count(0)
    expect(game.get_by_label("Pegaspargase: Signature toxicity", exact=True)).to_be_enabled()

    # --- self-check: one question -----------------------------------------------------------
    item = go_to_question(page, "treatment", "Day 29 results for a 7-year-old")
    item.scroll_into_view_if_needed()
    item.get_by_label(re.compile("^Your child is in remission and the MRD test")).check()
    item.get_by_role("button", name="Check answer").click()
    expect(item.locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(item).to_contain_text("remission is not cure")

    assert cp.cell_errors() == [], "a cell shows an error"
    assert_accessible(page, "03_treatment_phases.ipynb after using the scenarios")
    assert_clean(cp)
