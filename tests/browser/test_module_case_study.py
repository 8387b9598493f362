"""Module 06 as a student uses it, by keyboard alone: switch Karim's case to test mode,
read the chart, answer and submit the six items of stage 1 (one answered wrongly on
purpose), finish the stage, read the summary by clinical-judgment step with what to
reread, and continue to stage 2, whose chart has moved on. A real Chromium against the
course server; axe after the interaction."""

from __future__ import annotations

import re

import pytest
from conftest_helpers import assert_accessible, assert_clean
from playwright.sync_api import expect
from test_quiz_keyboard import Keyboard, plan_for

from allcourse.course.markup import plain
from allcourse.quiz import models as m
from allcourse.quiz.bank import bank
from allcourse.quiz.case_summary import stages
from allcourse.quiz.scoring import key_response, score

pytestmark = pytest.mark.browser

STAGE_1 = stages(bank("case_study"), "adult")[0]


def test_case_one_stage_one_in_test_mode_by_keyboard(open_page):
    cp = open_page("06_case_study.ipynb")
    page = cp.page
    expect(page.locator("h1#module-title")).to_contain_text("Unfolding case study")
    runner = page.locator(".allcourse-case-runner").first
    expect(runner).to_contain_text("Now in practice mode")
    kb = Keyboard(page)

    # --- switch to test mode with the keyboard ------------------------------------------------
    kb.tab_until(lambda f: f["name"] == "Take this case as a test")
    page.keyboard.press("Enter")
    expect(runner).to_contain_text("Now in test mode")
    expect(runner.get_by_role("button", name="Submit")).to_have_count(1)
    expect(runner.locator(".allcourse-case")).to_have_count(1)  # stage 2 not yet shown
    expect(runner.locator(".allcourse-case-title")).to_contain_text("Presentation and diagnosis")

    def card(title: str):
        return runner.locator(".allcourse-item").filter(
            has=page.locator(".allcourse-item-title", has_text=re.compile(f"^{title}$"))
        )

    items = [ci.item for ci in STAGE_1.items]
    wrong_item = items[-1]  # evaluate outcomes: answered wrongly on purpose
    assert isinstance(wrong_item, m.SingleChoice)
    distractor = next(o for o in wrong_item.options if not o.correct)
    expected = 0.0
    for k, it in enumerate(items, start=1):
        title = f"Question {k} of {len(items)}"
        if k > 1:
            kb.tab_until(lambda f: f["name"] == "Next item", back=True)
            page.keyboard.press("Enter")
            card(title).wait_for()
        plan = plan_for(it)
        if it is wrong_item:
            plan.tick = {plain(distractor.text)}
        else:
            expected += score(it, key_response(it)).max_points
        kb.answer(title, plan, "Submit")
        expect(card(title).locator(".allcourse-status")).to_contain_text("Submitted")
        expect(card(title).locator(".allcourse-feedback")).to_have_count(0)

    # The chart moved on within the stage: the evaluate-outcomes item's labs are new.
    expect(runner.locator(".allcourse-chart")).to_contain_text("Day 1, 06:00")

    # --- finish the stage: the summary by step ---------------------------------------------------
    kb.tab_until(lambda f: f["name"] == "Finish test")
    page.keyboard.press("Enter")
    summary = runner.locator(".allcourse-case-summary")
    expect(summary).to_contain_text("Your case so far (1 of 3 stages), by clinical-judgment step")
    max_points = expected + 1
    expect(summary).to_contain_text(f"Total: {expected:g} of {max_points:g} points")
    rows = summary.locator("tbody tr")
    expect(rows).to_have_count(6)
    for i, label in enumerate(m.CJMM_LABELS.values()):
        expect(rows.nth(i).locator("th")).to_have_text(label)
    for i in range(5):
        expect(rows.nth(i)).to_contain_text("Full marks: nothing to reread.")
    evaluate = rows.nth(5)
    expect(evaluate).to_contain_text("0%")
    link = evaluate.get_by_role("link", name=re.compile("^Module 05: nursing care"))
    expect(link).to_have_attribute("href", "05_nursing_care.ipynb")
    expect(link).to_have_attribute("target", "_blank")
    # Each item now shows its feedback; the wrong one says so in words.
    last = card(f"Question {len(items)} of {len(items)}")
    expect(last.locator(".allcourse-verdict")).to_contain_text("✘ Not correct")

    # --- continue: stage 2 opens with a chart that has moved on ---------------------------------
    kb.tab_until(lambda f: f["name"].startswith("Continue to stage 2 of 3"))
    page.keyboard.press("Enter")
    expect(runner.locator(".allcourse-case")).to_have_count(2)
    stage_2 = runner.locator(".allcourse-case").nth(1)
    expect(stage_2.locator(".allcourse-case-title")).to_contain_text("tumour lysis syndrome")
    expect(stage_2.locator(".allcourse-chart")).to_contain_text("Day 4, 04:00")

    assert cp.cell_errors() == [], "a cell shows an error"
    assert_accessible(page, "06_case_study.ipynb after finishing stage 1 in test mode")
    assert_clean(cp)
