"""Module 02 as a student uses it: read a lab report and compute the ANC (a wrong unit
first, then the right value, then the worked solution), classify it, choose the nurse's
actions; sort an adult's and a child's risk features and read why; answer one
self-check question. A real Chromium against the course server."""

from __future__ import annotations

import re

import pytest
from conftest_helpers import assert_accessible, assert_clean, go_to_question
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HIGHER, LOWER = "Higher relapse risk", "Lower relapse risk"


def test_diagnosis_module_lab_report_risk_sorter_and_self_check(open_page):
    cp = open_page("02_diagnosis_and_risk.ipynb")
    page = cp.page
    expect(page.locator("h1#module-title")).to_contain_text("Diagnosis and risk")

    # --- read the lab report: Grace's WBC is in x10⁹/L -----------------------------------
    lab = page.locator(".allcourse-lab")
    expect(lab.locator(".allcourse-illustrative")).to_contain_text("not clinical")
    expect(lab.locator("#lab-report-heading")).to_contain_text("Daniel Okafor")
    lab.get_by_label("Patient", exact=True).select_option(label="Grace Mensah (41)")
    report = lab.locator(".allcourse-lab-report")
    expect(report.locator("h3")).to_have_text("Lab report: Grace Mensah, 41 (fictional patient)")
    expect(report).to_contain_text("1.8 ×10⁹/L")
    expect(report).to_contain_text("38.1 °C by mouth, at this level for 75 minutes")

    cards = lab.locator(".allcourse-item")
    expect(cards).to_have_count(3)
    anc = cards.nth(0)
    expect(anc).to_contain_text("calculate the absolute neutrophil count")
    answer = anc.get_by_label("Your answer (cells/mm³)")
    # Forgetting to turn x10⁹/L into cells/mm³ gives 0.45: marked wrong, not crashed.
    answer.fill("0.45")
    anc.get_by_role("button", name="Check answer").click()
    expect(anc.locator(".allcourse-verdict")).to_contain_text("✘ Not correct")
    expect(anc).to_contain_text("Read as 0.45")
    # A first try keeps the answer hidden: no explanation, no worked solution.
    expect(anc).not_to_contain_text("multiplied by 1,000 first")
    expect(anc).not_to_contain_text("1,800 cells/mm³")
    anc.get_by_role("button", name="Try again").click()
    expect(answer).to_have_value("0.45")  # a real second try starts from the answer
    answer.fill("450")
    anc.get_by_role("button", name="Check answer").click()
    expect(anc.locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(anc).to_contain_text("Try 2 of 3 (practice")
    key = anc.locator(".allcourse-key")  # right: the worked solution comes with it
    expect(key).to_contain_text("1.8 ×10⁹/L × 1,000 = 1,800 cells/mm³")
    expect(key).to_contain_text("1,800 × 25 ÷ 100 = 450 cells/mm³")

    band = cards.nth(1)
    band.get_by_label("Severe neutropenia (less than 500/mm³)").check()
    band.get_by_role("button", name="Check answer").click()
    expect(band.locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(band).to_contain_text("Right: an ANC of 450 cells/mm³ is less than 500/mm³")

    care = cards.nth(2)
    expect(care).to_contain_text("38.1 °C by mouth, at this level for 75 minutes")
    care.get_by_label(re.compile("^Report the fever at once")).check()
    care.get_by_label("Take temperatures by mouth, not rectally.").check()
    care.get_by_label("Take a rectal temperature to confirm the reading.").check()
    care.get_by_role("button", name="Check answer").click()
    # NCSBN +/- rule: 2 keys chosen, 1 wrong option chosen, 6 keys in all.
    expect(care.locator(".allcourse-verdict")).to_contain_text("◐ Partly correct: 1 of 6 points")
    expect(care).not_to_contain_text("they can tear the mucosa")  # no rationale on a try
    care.get_by_role("button", name="Show answer").click()
    expect(care).to_contain_text("is neutropenic fever")
    expect(care).to_contain_text("they can tear the mucosa")

    # --- risk sorter: an adult -----------------------------------------------------------
    sorter = page.locator(".allcourse-risk-sorter")
    sorter.scroll_into_view_if_needed()
    expect(sorter.locator(".allcourse-illustrative")).to_contain_text("not clinical")
    sorter.get_by_label("Patient profile", exact=True).select_option(label="Adult: Ken, 62 years")
    expect(sorter.locator("#risk-profile-heading")).to_have_text("Adult: Ken, 62 years (fictional)")
    check = sorter.get_by_role("button", name="Check sorting")
    status = sorter.locator(".allcourse-sort-status .allcourse-status")
    check.click()
    expect(status).to_have_text("Sort each of the 4 features first, then check.")
    expect(sorter.locator(".allcourse-sort-feedback")).to_have_count(0)

    sorter.get_by_label("Age at diagnosis: 62 years").select_option(label=HIGHER)
    sorter.get_by_label(re.compile(r"^WBC at diagnosis: 40,000/µL")).select_option(label=HIGHER)
    sorter.get_by_label(re.compile(r"^Cytogenetics: t\(9;22\)")).select_option(label=HIGHER)
    # Ken is MRD-negative: sorting MRD as higher risk is wrong on purpose.
    sorter.get_by_label(re.compile("^MRD after induction")).select_option(label=HIGHER)
    expect(sorter).not_to_contain_text("the adult line for B-cell ALL")  # no reason yet
    check.click()
    feedback = sorter.locator(".allcourse-sort-feedback")
    expect(feedback.locator(".allcourse-verdict")).to_have_text("◐ 3 of 4 sorted as the sources do")
    mrd = feedback.locator("[data-feature='mrd']")
    expect(mrd).to_contain_text("✘ Wrong.")
    expect(mrd).to_contain_text("you sorted: Higher relapse risk; the sources: Lower relapse risk")
    expect(mrd).to_contain_text("MRD-negative after induction")
    wbc = feedback.locator("[data-feature='wbc']")
    expect(wbc).to_contain_text("✔ Right.")
    expect(wbc).to_contain_text("over 30 ×10⁹/L, the adult line for B-cell ALL")
    expect(wbc.locator("a[href='#ref-R83']")).to_have_count(1)
    expect(page.locator(".allcourse-sources li#ref-R83")).to_be_attached()
    expect(feedback).to_contain_text("no single risk-group rule for adults")
    expect(sorter.get_by_label("Age at diagnosis: 62 years")).to_be_disabled()

    # --- the same WBC in a child: a different rule -----------------------------------------
    sorter.get_by_label("Patient profile", exact=True).select_option(label="Child: Aiden, 4 years")
    expect(sorter.locator(".allcourse-sort-feedback")).to_have_count(0)
    sorter.get_by_label("Age at diagnosis: 4 years").select_option(label=LOWER)
    sorter.get_by_label("WBC at diagnosis: 40,000/µL (40 ×10⁹/L)").select_option(label=LOWER)
    sorter.get_by_label("Lineage: B-cell ALL").select_option(label=LOWER)
    sorter.get_by_label("Cytogenetics: t(12;21)").select_option(label=LOWER)
    sorter.get_by_label(re.compile("^MRD in the marrow at day 29")).select_option(label=HIGHER)
    check.click()
    feedback = sorter.locator(".allcourse-sort-feedback")
    expect(feedback.locator(".allcourse-verdict")).to_have_text("✔ 5 of 5 sorted as the sources do")
    expect(feedback.locator("[data-feature='wbc']")).to_contain_text(
        "under NCI's 50,000/µL line for children"
    )
    expect(feedback).to_contain_text("NCI's standard-risk group")
    sorter.get_by_role("button", name="Try again").click()
    expect(sorter.locator(".allcourse-sort-feedback")).to_have_count(0)
    expect(sorter.get_by_label("Lineage: B-cell ALL")).to_be_enabled()
    expect(sorter.get_by_label("Lineage: B-cell ALL")).to_have_value("Choose…")

    # --- self-check: one question ------------------------------------------------------------
    item = go_to_question(page, "diagnosis", "In which of NCI's risk groups is the child?")
    item.scroll_into_view_if_needed()
    item.get_by_label("High risk", exact=True).check()
    item.get_by_role("button", name="Check answer").click()
    expect(item.locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(item).to_contain_text("a WBC of 50,000/µL or more makes it high risk")

    # The lumbar-puncture item follows the 2025 AABB/ICTMG guideline (below 20,000/µL).
    lp = go_to_question(page, "diagnosis", "38,000/µL")
    lp.scroll_into_view_if_needed()
    lp.get_by_label("Hold the procedure and ask for a platelet transfusion first.").check()
    lp.get_by_role("button", name="Check answer").click()
    expect(lp.locator(".allcourse-verdict").first).to_contain_text("✘ Not correct")
    expect(lp).not_to_contain_text("the 2025 guideline lowered the level")  # key still hidden
    lp.get_by_role("button", name="Show answer").click()
    expect(lp).to_contain_text("the 2025 guideline lowered the level to 20,000/µL")

    assert cp.cell_errors() == [], "a cell shows an error"
    assert_accessible(page, "02_diagnosis_and_risk.ipynb after using the scenarios")
    assert_clean(cp)


def test_risk_prediction_is_revealed_only_after_a_keyboard_prediction_and_check(open_page):
    from prediction_reveal import assert_hidden_then_revealed, open_with_capture

    from allcourse.scenarios import risk_sorter

    cp, capture = open_with_capture(open_page, "02_diagnosis_and_risk.ipynb")
    p = risk_sorter.prediction()
    assert_hidden_then_revealed(
        cp, capture, ".allcourse-risk-sorter", p, "Ken alone", "✔ Your prediction was right"
    )
    feedback = cp.page.locator(".allcourse-risk-sorter .allcourse-prediction-feedback")
    expect(feedback).to_contain_text("One number, three readings")
    expect(feedback.locator("[data-choice='ken+ingrid']")).to_contain_text("100 ×10⁹/L")
    # The sorter below still works on its own: its status line is not the prediction's.
    sorter_status = cp.page.locator(".allcourse-risk-sorter .allcourse-sort-status")
    expect(sorter_status).to_have_count(1)
    assert cp.cell_errors() == [], "a cell shows an error"
    assert_accessible(cp.page, "02_diagnosis_and_risk.ipynb after checking the prediction")
    assert_clean(cp)
