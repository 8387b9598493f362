"""The student's experience in a real Chromium against the course server (issue 14, and
issue 17 part 1):

- the value graded is the value on screen at the click, at full keyboard speed;
- a first wrong check does not give the key away; Show answer does;
- answers come back after a reload, with their result and status;
- one Tab reaches a question's radio group and the arrow keys move in it;
- a skip link takes the keyboard to the self-check;
- no page scrolls sideways on a 390 px phone; focus outlines are at least 2 px;
- review cannot be completed empty; the results download asks for a name first.
"""

from __future__ import annotations

import random
import re

import pytest
from conftest_helpers import assert_accessible, decode_kernel_message, go_to_question
from playwright.sync_api import expect
from test_key_leak import Capture

from allcourse.course.course_map import course
from allcourse.course.markup import plain
from allcourse.quiz.bank import bank
from allcourse.quiz.events import SEED_COOKIE

pytestmark = pytest.mark.browser

TOUR_PAGE = next(m.notebook for m in course().modules if m.bank == "tour.yml")
BLOOD = "01_blood_and_marrow.ipynb"
HOME = "00_start_here.ipynb"
REVIEW = "07_review.ipynb"
TOUR = bank("tour")


def item_card(page, item_id: str):
    """The card of a tour item, reached through the self-check's navigation."""
    expect(page.locator(".allcourse-question-nav")).to_be_visible(timeout=60_000)
    return go_to_question(page, "tour", plain(TOUR.item(item_id).stem))


def shown_order(card) -> list[str]:
    return card.locator(".allcourse-order-row select").evaluate_all(
        "ss => ss.map(s => s.options[s.selectedIndex].textContent)"
    )


def graded_order(feedback_text: str) -> list[str]:
    """The order the kernel graded, read back from the feedback ("Step — Position 3.")."""
    placed = re.findall(r"^(.+?) — Position (\d+)\.", feedback_text, re.M)
    return [step for step, _ in sorted(placed, key=lambda p: int(p[1]))]


# --- issue 17 part 1: the value graded is the value shown ----------------------------------


def test_ordering_graded_as_shown_at_full_keyboard_speed(open_page):
    """Reorder by keyboard and check at once, with no pause anywhere, 25 times: the
    kernel grades exactly the order on the screen every time."""
    cp = open_page(TOUR_PAGE)
    page = cp.page
    card = item_card(page, "tour-treatment-phases")
    card.scroll_into_view_if_needed()
    selects = card.locator(".allcourse-order-row select")
    n = selects.count()
    check = card.get_by_role("button", name="Check answer")
    rng = random.Random(17)
    mismatches = []
    for round_no in range(25):
        for _ in range(rng.randint(1, 4)):
            selects.nth(rng.randrange(n)).focus()
            for _ in range(rng.randint(1, 3)):
                page.keyboard.press(rng.choice(["ArrowDown", "ArrowUp"]))
        on_screen = shown_order(card)
        assert len(set(on_screen)) == n, f"the screen shows a half-made swap: {on_screen}"
        check.focus()
        page.keyboard.press("Enter")
        feedback = card.locator(".allcourse-feedback")
        feedback.wait_for()
        graded = graded_order(feedback.inner_text())
        if graded != on_screen:
            mismatches.append((round_no, on_screen, graded))
        # The verdict and feedback come first; then focus moves to "Try again".
        expect(card.get_by_role("button", name="Try again")).to_be_focused()
        page.keyboard.press("Enter")  # another try
        expect(card.locator(".allcourse-feedback")).to_have_count(0)
        expect(check).to_be_enabled()
    assert mismatches == []


def test_ticks_and_typing_graded_as_shown(open_page):
    """Tick and untick by keyboard, or type, then check at once: graded as shown."""
    cp = open_page(TOUR_PAGE)
    page = cp.page
    it = TOUR.item("tour-neutropenic-precautions")
    card = item_card(page, it.id)
    boxes = card.locator("input[type=checkbox]")
    rng = random.Random(14)
    for _ in range(8):
        for _ in range(rng.randint(1, 5)):
            boxes.nth(rng.randrange(boxes.count())).focus()
            page.keyboard.press("Space")
        ticked = boxes.evaluate_all(
            "bs => bs.filter(b => b.checked).map(b => b.closest('label').textContent.trim())"
        )
        card.get_by_role("button", name="Check answer").focus()
        page.keyboard.press("Enter")
        if not ticked:
            expect(card.locator(".allcourse-status")).to_contain_text("Choose at least one")
            continue
        feedback = card.locator(".allcourse-feedback")
        feedback.wait_for()
        chosen = re.findall(r"^(.+?) — You chose this", feedback.inner_text(), re.M)
        assert sorted(chosen) == sorted(ticked)
        expect(card.get_by_role("button", name="Try again")).to_be_focused()
        page.keyboard.press("Enter")
        expect(feedback).to_have_count(0)

    numeric = item_card(page, "tour-anc-calculation")
    box = numeric.get_by_role("textbox")
    box.focus()
    page.keyboard.type("840")
    page.keyboard.press("Shift+Tab")  # leave and come back: no pause for the kernel
    numeric.get_by_role("button", name="Check answer").focus()
    page.keyboard.press("Backspace")  # nothing: the box is not focused
    box.focus()
    page.keyboard.press("End")
    page.keyboard.type("0")  # 8400, still unsent when the click goes
    numeric.get_by_role("button", name="Check answer").click()
    expect(numeric.locator(".allcourse-feedback")).to_contain_text("Read as 8400")


# --- keys stay on the server ---------------------------------------------------------------


def test_first_wrong_check_does_not_reveal_the_key(open_page):
    cp = open_page(TOUR_PAGE)
    page = cp.page
    it = TOUR.item("tour-platelet-trend")
    key = next(o for o in it.options if o.correct)
    wrong = next(o for o in it.options if not o.correct)
    card = item_card(page, it.id)
    card.get_by_label(plain(wrong.text), exact=True).check()
    card.get_by_role("button", name="Check answer").click()
    feedback = card.locator(".allcourse-feedback")
    expect(feedback).to_contain_text("✘ Not correct")
    expect(feedback).to_contain_text("You chose this. It is not a correct answer.")
    html = page.content()
    for o in it.options:
        assert plain(o.rationale)[:40] not in html, "a rationale reached the page"
    assert plain(it.explanation)[:40] not in html
    assert plain(key.text) not in feedback.inner_text()
    assert card.locator(".allcourse-key").count() == 0
    # Try again is a real try: the answer stays, unlocked, and the key is still hidden.
    card.get_by_role("button", name="Try again").click()
    expect(card.get_by_label(plain(wrong.text), exact=True)).to_be_checked()
    expect(card.get_by_label(plain(key.text), exact=True)).to_be_enabled()
    card.get_by_role("button", name="Check answer").click()
    expect(feedback).to_contain_text("Try 2 of 3 (practice")
    card.get_by_role("button", name="Show answer").click()
    expect(card.locator(".allcourse-key")).to_contain_text(plain(key.text))
    expect(feedback).to_contain_text(plain(key.rationale)[:40])
    assert_accessible(page, f"{TOUR_PAGE} after a wrong try and Show answer")


# --- work is never lost --------------------------------------------------------------------


def test_answers_come_back_after_a_reload_with_result_and_status(open_page):
    cp = open_page(BLOOD)
    page = cp.page
    lymphoid, acute = "which cell a lymphoid stem cell becomes", 'what "acute" means'
    right = go_to_question(page, "blood", lymphoid)
    right.get_by_label("A lymphoblast").check()
    right.get_by_role("button", name="Check answer").click()
    expect(right.locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(right).to_contain_text("Status: Right")
    other = go_to_question(page, "blood", acute)
    wrong_label = re.compile("mild form", re.I)
    other.get_by_label(wrong_label).check()
    other.get_by_role("button", name="Check answer").click()
    expect(other.locator(".allcourse-verdict")).to_contain_text("✘ Not correct")
    expect(other).to_contain_text("Status: Wrong")
    options = page.locator(".allcourse-question-nav select option")
    expect(options.last).to_contain_text("Not tried yet")

    cp.reload()
    # The statuses are in "Go to question" before any card is built.
    labels = page.locator(".allcourse-question-nav select option")
    right_no, acute_no = (place[2] for place in map(_blood_place, (lymphoid, acute)))
    expect(labels.nth(right_no - 1)).to_have_text(f"Question {right_no}: Right", timeout=30_000)
    expect(labels.nth(acute_no - 1)).to_have_text(f"Question {acute_no}: Wrong")
    right = go_to_question(page, "blood", lymphoid)
    expect(right).to_contain_text("Status: Right", timeout=30_000)
    expect(right.get_by_label("A lymphoblast")).to_be_checked()
    expect(right.get_by_label("A lymphoblast")).to_be_disabled()
    expect(right.locator(".allcourse-feedback")).to_contain_text("Your saved answer from")
    other = go_to_question(page, "blood", acute)
    expect(other).to_contain_text("Status: Wrong")
    expect(other.get_by_label(wrong_label)).to_be_checked()
    expect(other.locator(".allcourse-verdict")).to_contain_text("✘ Not correct")
    assert other.locator(".allcourse-key").count() == 0, "a saved wrong answer hides the key"
    expect(other.get_by_role("button", name="Try again")).to_be_visible()
    expect(options.last).to_contain_text("Not tried yet")

    cp.goto(HOME)
    cont = page.locator(".allcourse-continue")
    expect(cont).to_contain_text("Continue where you left off", timeout=30_000)
    expect(cont.get_by_role("link")).to_have_attribute("href", re.compile(BLOOD))


def test_review_cannot_be_completed_empty(open_page):
    cp = open_page(REVIEW)
    page = cp.page
    finish = page.get_by_role("button", name="Finish test")
    finish.click()
    expect(page.locator(".allcourse-quiz .allcourse-status").last).to_contain_text(
        "You have not submitted any answer yet"
    )
    finish.click()
    expect(page.locator(".allcourse-summary-box").first).to_be_visible()
    cp.goto(HOME)
    row = page.locator(".allcourse-progress-table tr[data-module='review']")
    expect(row).to_have_attribute("data-status", re.compile("new|none"), timeout=30_000)


def test_download_asks_for_a_name_first(open_page):
    cp = open_page(HOME)
    page = cp.page
    button = page.get_by_role("button", name="Download my results (JSON)")
    button.click()
    status = page.locator(".allcourse-download-status")
    expect(status).to_contain_text("Type your name or student ID")
    expect(page.get_by_label(re.compile("Your name or student ID"))).to_be_focused()
    page.get_by_label(re.compile("Your name or student ID")).fill("Alex Kim")
    with page.expect_download() as download:
        button.click()
    assert "alex-kim" in download.value.suggested_filename
    expect(status).to_contain_text("Your browser is saving")


# --- keyboard and screen readers ----------------------------------------------------------


def test_one_tab_reaches_a_radio_group_and_arrows_move_in_it(open_page):
    cp = open_page(BLOOD)
    page = cp.page
    group = page.locator(".allcourse-quiz [role=radiogroup]").first
    labelled_by = group.get_attribute("aria-labelledby")
    assert labelled_by and page.locator(f"#{labelled_by.split()[0]}").inner_text().strip()
    radios = group.locator("input[type=radio]")
    assert radios.count() >= 3
    card = page.locator(".allcourse-quiz .allcourse-item").first
    # Voila takes its loading screen away before it draws the widgets: wait for the card.
    expect(card.get_by_role("button", name="Check answer")).to_be_visible()
    page.get_by_role("link", name="Skip to the self-check").focus()
    page.keyboard.press("Enter")  # keyboard reading resumes at the self-check
    # First the navigation bar, in reading order, then the question.
    nav = page.locator(".allcourse-question-nav")
    for control in (
        nav.get_by_role("button", name="Previous question"),
        nav.get_by_role("button", name="Next question"),
        nav.get_by_label("Go to question"),
    ):
        page.keyboard.press("Tab")
        expect(control).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.type")
    assert focused == "radio"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    after = page.evaluate(
        "() => ({type: document.activeElement.type, text: document.activeElement.textContent})"
    )
    assert after["type"] != "radio", "a second Tab left the group"
    assert after["text"].strip() == "Check answer"
    checked = radios.evaluate_all("rs => rs.findIndex(r => r.checked)")
    assert checked >= 0, "the arrow key chose an option"
    page.keyboard.press("Enter")
    feedback = card.locator(".allcourse-feedback")
    feedback.wait_for()
    label = radios.nth(checked).evaluate("r => r.closest('label').textContent.trim()")
    assert f"{label} — You chose this" in feedback.inner_text(), "the kernel got the pick"


def _reorders(capture: Capture) -> list[str]:
    """Option-order changes the kernel sent (radio and drop-down labels, ordering lists)."""
    found = []
    for frame in capture.frames:
        msg = decode_kernel_message(frame)
        data = (msg or {}).get("content", {}).get("data", {})
        if data.get("method") == "update":
            found += [k for k in data.get("state", {}) if k in ("_options_labels", "order")]
    return found


@pytest.mark.parametrize("visit", ["first", "again"])
def test_options_are_in_the_students_order_when_the_page_is_drawn(open_page, visit):
    """The shuffle seed goes with the page request, so the kernel never reorders options
    after the page is drawn (an option moving under the pointer, the keyboard focus lost):
    on a first visit (the server draws the seed) and on a later one (the browser's seed)."""
    cp = open_page(BLOOD)
    page = cp.page
    saved = "() => localStorage.getItem('allcourse-progress') !== null"
    page.wait_for_function(saved)
    seed = page.evaluate("() => localStorage.getItem('allcourse-seed')")
    if visit == "first":  # a browser the course has never seen
        cp.context.clear_cookies()
        page.evaluate("() => localStorage.clear()")
    capture = Capture(page)
    cp.reload()
    # The kernel has had the browser's seed and saved answers once the record is written.
    page.wait_for_function(saved)
    page.locator(".allcourse-quiz [role=radiogroup]").first.wait_for()
    page.wait_for_timeout(500)  # a reorder would follow the record at once
    assert _reorders(capture) == []
    cookie = {c["name"]: c["value"] for c in cp.context.cookies()}[SEED_COOKIE]
    stored = page.evaluate("() => localStorage.getItem('allcourse-seed')")
    assert cookie == stored, "the cookie and the browser's seed agree"
    if visit == "again":
        assert stored == seed, "a reload keeps the student's seed"


@pytest.mark.parametrize("module", [m for m in course().modules if m.id != "start"])
def test_skip_link_reaches_the_self_check(open_page, module):
    cp = open_page(module.notebook)
    page = cp.page
    link = page.get_by_role("link", name="Skip to the self-check")
    link.focus()
    page.keyboard.press("Enter")  # at once: the self-check may still be drawing
    page.wait_for_function("() => location.hash === '#self-check'")
    target = page.locator("#self-check")
    expect(target).to_be_in_viewport(timeout=60_000)
    expect(target).to_be_focused()
    if module.bank:
        page.keyboard.press("Tab")
        in_quiz = page.evaluate(
            "() => !!document.activeElement.closest('.allcourse-quiz, .allcourse-item')"
        )
        assert in_quiz, "the next Tab lands in the self-check"


@pytest.mark.parametrize("width", [320, 390])
def test_go_to_question_can_be_tapped_on_a_small_phone(open_page, width):
    # At 320 px (a small phone, or 400 % zoom) the list went below its label but its box
    # kept its one-line height: the status line was drawn over the list and took the tap.
    cp = open_page("01_blood_and_marrow.ipynb", viewport={"width": width, "height": 700})
    page = cp.page
    nav = page.locator(".allcourse-question-nav")
    nav.get_by_role("button", name="Next question").click()
    expect(nav.locator(".allcourse-status")).to_contain_text("Question 2 of")
    nav.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)  # the moved focus and the new labels are drawn
    select = nav.get_by_label("Go to question")
    box = select.bounding_box()
    status = nav.locator(".allcourse-status").bounding_box()
    assert box["y"] + box["height"] <= status["y"], "the status line is drawn over the list"
    assert box["height"] >= 24, "a target a thumb can hit"
    middle = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).tagName", middle) == (
        "SELECT"
    )


@pytest.mark.parametrize("module", list(course().modules))
def test_no_sideways_scroll_on_a_390px_phone(open_page, module):
    cp = open_page(module.notebook, viewport={"width": 390, "height": 844})
    page = cp.page
    page.wait_for_timeout(1500)  # widgets draw after the page shows
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"{module.notebook} is {width} px wide at 390 px"
    # Wide tables scroll in their own box, with a cue; no cell is squeezed to a few letters.
    for box in page.locator(".allcourse-table-scroll.is-wide").all():
        expect(box).to_have_attribute("tabindex", "0")
        cue = box.locator("xpath=preceding-sibling::p[1]")
        expect(cue).to_contain_text("Scroll sideways")
    narrow = page.evaluate(
        "() => [...document.querySelectorAll('#rendered_cells td, #rendered_cells th')]"
        ".filter(c => c.offsetParent && c.textContent.trim().length > 12"
        " && c.getBoundingClientRect().width < 48).length"
    )
    assert narrow == 0, f"{module.notebook}: {narrow} table cells squeezed under 48 px"


FOCUS_WIDTH = """el => {
  el.focus();
  const s = getComputedStyle(el);
  return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth);
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_focus_indicator_is_at_least_2px(open_page, theme, request):
    if theme == "dark":
        dark = request.getfixturevalue("dark_server")
        cp = open_page(dark + "voila/render/" + TOUR_PAGE)
    else:
        cp = open_page(TOUR_PAGE)
    page = cp.page
    page.wait_for_selector(".allcourse-quiz .allcourse-item", timeout=60_000)
    page.keyboard.press("Tab")  # keyboard use: :focus-visible applies from here on
    selectors = {
        "question navigation": ".allcourse-question-nav button",
        "go to question": ".allcourse-question-nav select",
        "drop-down": ".allcourse-item select",
        "radio": ".allcourse-item input[type=radio]",
        "checkbox": ".allcourse-item input[type=checkbox]",
        "text box": ".allcourse-item input[type=text]",
        "button": ".allcourse-item button",
        "link": "#rendered_cells a[href]",
        "chart tab": ".allcourse-chart .lm-TabBar-tab",
    }
    measured = {}
    for name, selector in selectors.items():
        _show_a_question_with(page, selector)
        el = page.locator(selector).first
        el.scroll_into_view_if_needed()
        el.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        measured[name] = el.evaluate(
            "el => { const s = getComputedStyle(document.activeElement);"
            " return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth); }"
        )
    assert all(width >= 2 for width in measured.values()), measured


def _show_a_question_with(page, selector: str) -> None:
    """Go through "Go to question" until the page shows `selector` (one question at a
    time: a drop-down or a chart tab is on the page only with its question)."""
    select = page.locator(".allcourse-question-nav").get_by_label("Go to question")
    n = select.locator("option").count()
    for i in range(n):
        if page.locator(selector).count():
            return
        select.select_option(index=i)
        title = re.compile(rf"^Question {i + 1} of|^Case study")
        expect(
            page.locator(".allcourse-quiz .allcourse-item-title, .allcourse-case-title").first
        ).to_have_text(title)
    page.locator(selector).first.wait_for(timeout=10_000)


def _blood_place(text: str) -> tuple[int, int, int]:
    from conftest_helpers import question_place

    return question_place("blood", text)


@pytest.fixture(scope="module")
def dark_server():
    from harness import start_voila, stop

    proc, base, _ = start_voila("--VoilaConfiguration.theme=dark")
    try:
        yield base
    finally:
        stop(proc)


def test_loading_screen_speaks_to_students(browser, voila_server):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(voila_server + "voila/render/" + BLOOD, wait_until="commit")
        loading = page.locator("#loading")
        loading.wait_for(state="attached")
        text = loading.inner_text()
        assert "Preparing your page" in text and "Blood and bone marrow" in text
        assert "Running" not in text and ".ipynb" not in text
    finally:
        context.close()
