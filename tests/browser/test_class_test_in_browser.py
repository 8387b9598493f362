"""A class test as a student takes it: type a name, start the timed test, submit an
answer, reload the page in the middle, find the same questions with the answer kept and
the clock still running (not reset), finish, see the results and the offer of a retake;
the server has written the results file, marked with the test. A real Chromium against
the course server."""

from __future__ import annotations

import json
import re
import shutil
import uuid

import pytest
from conftest_helpers import assert_accessible, assert_clean
from harness import ROOT
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGE = "class_test.ipynb?test=sample_check"
DATA = ROOT / "class-test-data" / "sample_check"


def _seconds(text: str) -> int:
    minutes, seconds = re.search(r"Time left: (\d+):(\d\d)", text).groups()
    return int(minutes) * 60 + int(seconds)


@pytest.fixture
def student():
    name = f"Browser check {uuid.uuid4().hex[:8]}"
    yield name
    # Leave the server's ledger as it was: remove this student's attempt and results.
    slug = name.lower().replace(" ", "-")
    for folder in (DATA / "attempts", DATA / "results"):
        for path in folder.glob(f"*{slug}*"):
            path.unlink()
    if DATA.exists() and not any(DATA.rglob("*.json")):
        shutil.rmtree(DATA)  # only lock files were left: the folder was made by this test
        if not any(DATA.parent.iterdir()):
            DATA.parent.rmdir()


def test_class_test_survives_a_reload_and_finishes(open_page, student):
    cp = open_page(PAGE)
    page = cp.page
    expect(page.locator("h1#class-test-title")).to_have_text("Sample check: blood and bone marrow")
    expect(page.locator(".allcourse-test-rules")).to_contain_text("3 questions, 10 minutes")

    start = page.get_by_role("button", name="Start test")
    start.click()
    expect(page.locator(".allcourse-class-test")).to_contain_text(
        "Type your name or student ID first."
    )
    page.get_by_label("Your name or student ID").fill(student)
    start.click()

    clock = page.locator(".allcourse-test-clock")
    expect(clock).to_contain_text("Time left:")
    before = _seconds(clock.inner_text())
    assert 540 < before <= 600
    cards = page.locator(".allcourse-item")
    expect(cards).to_have_count(3)
    stems = [cards.nth(i).locator(".allcourse-stem").inner_text() for i in range(3)]

    first = cards.nth(0)
    first.get_by_role("radio").first.check()
    first.get_by_role("button", name="Submit").click()
    expect(first.get_by_role("button", name="Submitted")).to_be_disabled()
    expect(page.locator(".allcourse-quiz")).to_contain_text("Submitted 1 of 3")

    # --- reload in the middle of the test ---------------------------------------------
    cp.reload()
    expect(page.locator(".allcourse-class-test")).to_contain_text(
        f"Taking the test as {student}", timeout=30_000
    )  # the browser remembered the name: the attempt resumes without retyping it
    cards = page.locator(".allcourse-item")
    expect(cards).to_have_count(3)
    assert [cards.nth(i).locator(".allcourse-stem").inner_text() for i in range(3)] == stems
    expect(cards.nth(0).get_by_role("button", name="Submitted")).to_be_disabled()
    expect(cards.nth(0)).to_contain_text("Submitted earlier")
    expect(page.locator(".allcourse-quiz")).to_contain_text("Submitted 1 of 3")
    after = _seconds(page.locator(".allcourse-test-clock").inner_text())
    assert after <= before  # the clock was not reset by the reload

    for i in (1, 2):
        card = cards.nth(i)
        card.get_by_role("radio").first.check()
        card.get_by_role("button", name="Submit").click()
        expect(card.get_by_role("button", name="Submitted")).to_be_disabled()
    page.get_by_role("button", name="Finish test").click()
    quiz = page.locator(".allcourse-quiz")
    expect(quiz.locator(".allcourse-status").last).to_contain_text("Test finished")
    expect(cards.nth(0).locator(".allcourse-key")).to_be_visible()  # answers shown at the end
    expect(page.get_by_role("button", name="Retake test")).to_be_visible()
    expect(page.locator(".allcourse-test-clock")).to_have_count(0)

    # The server wrote the results file for the instructor, marked with the test.
    files = list((DATA / "results").glob(f"*{student.lower().replace(' ', '-')}*.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text(encoding="utf-8"))
    assert data["student"] == student and data["test"]["id"] == "sample_check"
    assert data["test"]["attempt"] == 1 and len(data["items"]) == 3

    assert_accessible(page, "class_test.ipynb after finishing a test")
    assert_clean(cp)
