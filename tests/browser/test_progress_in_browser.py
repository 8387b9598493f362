"""Progress that survives: answers saved in the browser's localStorage, seen after a
reload and on the home page, brought back in review, downloaded, cleared, loaded back;
damaged storage set aside with a message; finished modules marked in the navigation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest_helpers import assert_accessible, go_to_question
from playwright.sync_api import expect

from allcourse.quiz.bank import bank

pytestmark = pytest.mark.browser

HOME = "00_start_here.ipynb"
BLOOD = "01_blood_and_marrow.ipynb"
REVIEW = "07_review.ipynb"
KEY = "allcourse-progress"
BLOOD_ITEMS = len(bank("blood").items)  # the home page counts every item of the bank
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
LYMPHOID = "which cell a lymphoid stem cell becomes"
ACUTE = 'what "acute" means in acute lymphoblastic leukemia'


def watch_responses(cp) -> list[str]:
    refused: list[str] = []
    cp.page.on("response", lambda r: refused.append(r.url) if r.status >= 400 else None)
    return refused


def assert_no_refusals(cp, refused: list[str]) -> None:
    # The kernel-shutdown beacon a page sends when left is accepted too (no 403 any more).
    assert cp.external_requests == []
    assert refused == []
    assert cp.console_errors == []


def saved(page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem('{KEY}')") or "null") or {}


def answer_two_items(page) -> None:
    """One right answer, and one deliberately wrong one (for review to bring back)."""
    right = go_to_question(page, "blood", LYMPHOID)
    right.scroll_into_view_if_needed()
    right.get_by_label("A lymphoblast").check()
    right.get_by_role("button", name="Check answer").click()
    expect(right).to_contain_text("✔")
    other = go_to_question(page, "blood", ACUTE)
    other.scroll_into_view_if_needed()
    other.get_by_label(re.compile("mild form", re.I)).check()
    other.get_by_role("button", name="Check answer").click()
    expect(other).to_contain_text("✘")


def blood_row(page):
    return page.locator(".allcourse-progress-table tr[data-module='blood']")


def test_answers_survive_a_reload_and_show_on_the_home_page_and_in_review(open_page):
    cp = open_page(BLOOD)
    refused = watch_responses(cp)
    page = cp.page
    answer_two_items(page)
    page.wait_for_function(
        f"(JSON.parse(localStorage.getItem('{KEY}') || '{{}}').items || {{}})"
        "['blood-acute-meaning'] !== undefined"
    )
    items = saved(page)["items"]
    assert set(items) == {"blood-lymphoid-path", "blood-acute-meaning"}
    assert items["blood-lymphoid-path"]["last"]["points"] == 1
    assert items["blood-acute-meaning"]["last"]["points"] == 0
    seed = page.evaluate("localStorage.getItem('allcourse-seed')")
    assert seed and int(seed) > 0

    cp.reload()  # a fresh kernel: the answers are still there, nothing is reported damaged
    expect(page.locator(".allcourse-storage-notice")).to_be_hidden()
    assert set(saved(page)["items"]) == {"blood-lymphoid-path", "blood-acute-meaning"}
    assert page.evaluate("localStorage.getItem('allcourse-seed')") == seed

    cp.goto(HOME)
    row = blood_row(page)
    expect(row).to_contain_text(f"2 of {BLOOD_ITEMS}")
    expect(row).to_contain_text("1 of")
    expect(row).to_contain_text("In progress")
    expect(page.locator(".allcourse-progress-total")).to_contain_text("You have answered 2 of")
    assert_accessible(page, "home page with the progress panel")

    cp.goto(REVIEW)
    review = page.locator(".allcourse-review")
    expect(review).to_contain_text("This round: 1 question")
    expect(review).to_contain_text("You missed this last time")
    expect(review.locator(".allcourse-item")).to_contain_text(ACUTE)
    expect(page.locator(".allcourse-score-report")).to_contain_text("To reread")
    assert cp.cell_errors() == []
    assert_no_refusals(cp, refused)


def test_download_clear_and_load_back_gives_the_same_progress(open_page, tmp_path):
    cp = open_page(BLOOD)
    refused = watch_responses(cp)
    page = cp.page
    answer_two_items(page)
    page.wait_for_function(f"(localStorage.getItem('{KEY}') || '').includes('blood-acute')")
    before = saved(page)["items"]

    cp.goto(HOME)
    page.get_by_label("Your name or student ID (goes into the file)").fill("Alex Kim")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my results (JSON)").click()
    assert download.value.suggested_filename == "allcourse-results-alex-kim.json"
    exported = tmp_path / "mine.json"
    download.value.save_as(exported)
    data = json.loads(exported.read_text())
    assert data["student"] == "Alex Kim" and set(data["items"]) == set(before)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my results (CSV)").click()
    assert "blood-acute-meaning" in Path(download.value.path()).read_text()

    page.evaluate("localStorage.clear()")
    cp.reload()
    expect(blood_row(page)).to_contain_text("Not started")

    status = page.locator(".allcourse-panel-status .allcourse-status")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("Load results")).click()
    chooser.value.set_files(str(exported))
    expect(status).to_contain_text("Loaded “mine.json”. 2 new questions")
    expect(blood_row(page)).to_contain_text(f"2 of {BLOOD_ITEMS}")
    cp.reload()  # written to the browser, not only shown
    expect(blood_row(page)).to_contain_text(f"2 of {BLOOD_ITEMS}")
    assert saved(page)["items"] == before
    assert saved(page)["student"] == "Alex Kim"

    # A damaged file changes nothing, and says why.
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("Load results")).click()
    chooser.value.set_files(str(FIXTURE / "damaged-cut-short.json"))
    expect(status).to_contain_text("could not be loaded: it is not complete, readable JSON")
    expect(status).to_contain_text("Nothing was changed")
    assert saved(page)["items"] == before

    # A classmate's complete record finishes two modules: the navigation marks them with
    # an icon and words, not colour alone.
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("Load results")).click()
    chooser.value.set_files(str(FIXTURE / "allcourse-results-student-01.json"))
    expect(status).to_contain_text("The file belongs to “Student 01”")
    blood_link = page.locator("a.allcourse-nav-link[data-module='blood']")
    expect(blood_link.locator(".allcourse-nav-done")).to_contain_text("✔")
    expect(
        page.get_by_role("link", name=re.compile(r"Blood and bone marrow \(completed\)"))
    ).to_be_visible()
    expect(
        page.locator("a.allcourse-nav-link[data-module='review'] .allcourse-nav-done")
    ).to_have_count(0)
    expect(blood_row(page)).to_contain_text("Complete")
    cp.goto(BLOOD)  # every page marks them, from the saved data (the tour's answers too)
    expect(
        page.locator("a.allcourse-nav-link[data-module='tour'] .allcourse-nav-done")
    ).to_have_count(1)
    assert_no_refusals(cp, refused)


def test_reset_asks_first_and_damaged_storage_is_kept_aside(open_page):
    cp = open_page(BLOOD)
    refused = watch_responses(cp)
    page = cp.page
    answer_two_items(page)
    page.wait_for_function(f"(localStorage.getItem('{KEY}') || '').includes('blood-acute')")
    cp.goto(HOME)
    status = page.locator(".allcourse-panel-status .allcourse-status")

    page.get_by_role("button", name="Reset my progress").click()
    expect(page.get_by_role("button", name="No, keep my progress")).to_be_focused()
    page.keyboard.press("Enter")  # keyboard only: the safe choice
    expect(status).to_contain_text("Nothing was deleted")
    expect(blood_row(page)).to_contain_text(f"2 of {BLOOD_ITEMS}")
    page.get_by_role("button", name="Reset my progress").click()
    page.get_by_role("button", name="Yes, delete my progress").click()
    expect(status).to_contain_text("Your progress has been reset")
    expect(blood_row(page)).to_contain_text("Not started")
    assert saved(page)["items"] == {}
    kept = page.evaluate(f"localStorage.getItem('{KEY}.before-reset')")
    assert "blood-acute-meaning" in kept

    page.evaluate(f"localStorage.setItem('{KEY}', '{{\"format\": \"allcourse-progress\", ')")
    cp.reload()
    notice = page.locator(".allcourse-storage-notice")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text("could not be read")
    expect(notice).to_contain_text(f"{KEY}.damaged.1")
    assert page.evaluate(f"localStorage.getItem('{KEY}.damaged.1')") == (
        '{"format": "allcourse-progress", '
    )
    page.wait_for_function(f"(localStorage.getItem('{KEY}') || '').includes('\"summary\"')")
    assert saved(page)["items"] == {}  # a fresh record, written only after the copy
    assert cp.cell_errors() == []
    assert_no_refusals(cp, refused)


def test_another_tab_sees_new_answers_without_a_reload(open_page):
    home = open_page(HOME)
    refused = watch_responses(home)
    expect(blood_row(home.page)).to_contain_text(f"0 of {BLOOD_ITEMS}")
    # A second tab of the same browser: the student answers there.
    tab = home.context.new_page()
    tab.goto(home.url_for(BLOOD))
    tab.wait_for_selector("#loading", state="detached", timeout=90_000)
    answer_two_items(tab)
    # The home tab's kernel hears of the change and redraws; both tabs keep every answer.
    expect(blood_row(home.page)).to_contain_text(f"2 of {BLOOD_ITEMS}")
    home.page.get_by_label("Your name or student ID (goes into the file)").fill("Sam")
    home.page.get_by_role("button", name="Download my results (JSON)").click()
    tab.wait_for_function(f"(localStorage.getItem('{KEY}') || '').includes('\"Sam\"')")
    assert set(saved(tab)["items"]) == {"blood-lymphoid-path", "blood-acute-meaning"}
    tab.close()
    assert_no_refusals(home, refused)


# --- the final self-check (test mode) survives a reload and can be retaken --------------


FINAL_SIZE = 15  # items in an attempt at the final self-check (review.FINAL_SIZE)
WHAT_ALL_IS = "What is actually wrong with my blood"
WRONG_WHAT_ALL_IS = re.compile("too many red blood cells")


def test_final_self_check_survives_a_reload_then_finishes_and_is_retaken_fresh(open_page):
    cp = open_page(REVIEW)
    refused = watch_responses(cp)
    page = cp.page
    final = page.locator(".allcourse-final-check")
    cards = final.locator(".allcourse-item")
    expect(cards).to_have_count(FINAL_SIZE, timeout=30_000)
    stems = [cards.nth(i).locator(".allcourse-stem").inner_text() for i in range(FINAL_SIZE)]

    # Two answers submitted: one right, one deliberately wrong.
    right = cards.filter(has_text=LYMPHOID)
    right.get_by_label("A lymphoblast").check()
    right.get_by_role("button", name="Submit").click()
    expect(right.get_by_role("button", name="Submitted")).to_be_disabled()
    wrong = cards.filter(has_text=WHAT_ALL_IS)
    wrong.get_by_label(WRONG_WHAT_ALL_IS).check()
    wrong.get_by_role("button", name="Submit").click()
    expect(wrong.get_by_role("button", name="Submitted")).to_be_disabled()
    expect(final).to_contain_text("Submitted 2 of 15")
    page.wait_for_function(
        f"Object.keys(((JSON.parse(localStorage.getItem('{KEY}') || '{{}}').tests || {{}})"
        "['review.final'] || [{}])[0].submitted || {}).length === 2"
    )

    # --- reload in the middle: the same questions, both answers locked as submitted ------
    cp.reload()
    expect(final).to_contain_text(
        "goes on where you left it: 2 answers were already submitted", timeout=30_000
    )
    cards = final.locator(".allcourse-item")
    assert [cards.nth(i).locator(".allcourse-stem").inner_text() for i in range(FINAL_SIZE)] == (
        stems
    )
    right, wrong = cards.filter(has_text=LYMPHOID), cards.filter(has_text=WHAT_ALL_IS)
    expect(right.get_by_label("A lymphoblast")).to_be_checked()
    expect(right.get_by_label("A lymphoblast")).to_be_disabled()
    expect(right.get_by_role("button", name="Submitted")).to_be_disabled()
    expect(right).to_contain_text("Submitted earlier")
    expect(wrong.get_by_label(WRONG_WHAT_ALL_IS)).to_be_checked()
    expect(wrong.get_by_role("button", name="Submitted")).to_be_disabled()
    expect(final).to_contain_text("Submitted 2 of 15")

    finish = final.get_by_role("button", name="Finish test")
    finish.click()  # warns first: 13 questions are not submitted
    expect(final.locator(".allcourse-quiz .allcourse-status").last).to_contain_text(
        "13 items are not submitted yet"
    )
    finish.click()
    expect(final.locator(".allcourse-quiz .allcourse-status").last).to_contain_text("Test finished")
    expect(right.locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(wrong.locator(".allcourse-verdict")).to_contain_text("✘ Not correct")
    expect(final.get_by_role("button", name="Retake the final self-check")).to_be_visible()
    page.wait_for_function(
        f"((JSON.parse(localStorage.getItem('{KEY}') || '{{}}').tests || {{}})"
        "['review.final'] || [{}])[0].finished"
    )
    assert "review.finished" in saved(page)["milestones"]

    # --- reload after finishing: finished, with its results, and the offer of a retake ----
    cp.reload()
    expect(final).to_contain_text(
        "You finished attempt 1 of the final self-check on", timeout=30_000
    )
    cards = final.locator(".allcourse-item")
    right, wrong = cards.filter(has_text=LYMPHOID), cards.filter(has_text=WHAT_ALL_IS)
    expect(final).to_contain_text("Test finished. You submitted 2 of 15")
    expect(right.locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(wrong.locator(".allcourse-verdict")).to_contain_text("✘ Not correct")
    expect(wrong.locator(".allcourse-key")).to_be_visible()  # the answers are shown at the end
    expect(final.locator(".allcourse-summary-box")).to_be_visible()
    expect(final.get_by_role("button", name="Finish test")).to_be_disabled()
    assert_accessible(page, f"{REVIEW} with a finished final self-check after a reload")

    # --- a retake: a fresh attempt, new questions first -----------------------------------
    final.get_by_role("button", name="Retake the final self-check").focus()
    page.keyboard.press("Enter")  # keyboard only
    expect(final.locator(".allcourse-quiz-title")).to_contain_text("(attempt 2)")
    # The button is gone: the focus moves to the first new question, not to the page top.
    page.wait_for_function(
        "() => { const c = document.querySelector('.allcourse-final-check .allcourse-item');"
        " return c !== null && c.contains(document.activeElement); }"
    )
    expect(final).to_contain_text("Submitted 0 of 15")
    cards = final.locator(".allcourse-item")
    expect(cards).to_have_count(FINAL_SIZE)
    expect(final.get_by_role("button", name="Submitted")).to_have_count(0)
    expect(final.get_by_role("button", name="Finish test")).to_be_enabled()
    again = [cards.nth(i).locator(".allcourse-stem").inner_text() for i in range(FINAL_SIZE)]
    assert len(set(again) - set(stems)) >= FINAL_SIZE // 2, "a retake draws new questions"
    assert cp.cell_errors() == []
    assert_no_refusals(cp, refused)
