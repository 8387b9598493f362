"""The quiz works with the keyboard alone: Tab to each control (in reading order),
Space for radios and checkboxes, arrow keys in drop-downs, typing in text boxes, Enter
on buttons. Practice mode on the question-types page (every item type, one question at a
time through "Next question", and the case study's chart tabs and item buttons); a saved
answer found again after a reload through "Go to question"; test mode on a page that
shows the tour as a test.
A question's radio buttons are one group: one Tab reaches it, the arrow keys choose.

The test reads where the focus is (element, accessible name) but acts only with
`page.keyboard`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from harness import start_voila, stop
from playwright.sync_api import expect

from allcourse.course.course_map import course
from allcourse.course.markup import plain
from allcourse.quiz import models as m
from allcourse.quiz.bank import bank
from allcourse.quiz.scoring import key_response, score

pytestmark = pytest.mark.browser

TOUR = bank("tour")
TOUR_PAGE = next(m.notebook for m in course().modules if m.bank == "tour.yml")
MAX_TABS = 300  # enough to cross the whole tour (about 110 tab stops)

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const clean = s => (s || '').replace(/\\u00a0/g, ' ').replace(/\\s+/g, ' ').trim();
  let name = '';
  if (e.labels && e.labels.length) name = e.labels[0].textContent;
  else name = e.getAttribute('aria-label') || e.textContent;
  const card = e.closest('.allcourse-item');
  const title = card ? card.querySelector('.allcourse-item-title') : null;
  return {
    tag: e.tagName.toLowerCase(), type: e.type || '', role: e.getAttribute('role') || '',
    name: clean(name), checked: !!e.checked, disabled: !!e.disabled,
    options: e.tagName === 'SELECT' ? [...e.options].map(o => clean(o.textContent)) : [],
    selected: e.tagName === 'SELECT' ? e.selectedIndex : -1,
    card: title ? clean(title.textContent) : '',
  };
}"""


@dataclass
class Plan:
    """What the student does in one item: names of radios/checkboxes to tick, the
    option to pick in each named drop-down, the text to type."""

    tick: set[str] = field(default_factory=set)
    pick: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    # Ordering: picking a step swaps it with the step that was there, in the kernel. Until
    # the swap comes back, two drop-downs show the same step: wait for that to clear.
    distinct: bool = False


def plan_for(it: m.ItemBase) -> Plan:
    """The keyboard plan that answers `it` with its key (names as the page shows them)."""
    p = Plan()
    if isinstance(it, m.SingleChoice | m.MultipleResponse | m.SelectN):
        p.tick = {plain(o.text) for o in it.options if o.correct}
    elif isinstance(it, m.MatrixSingle):
        cols = {c.id: plain(c.text) for c in it.columns}
        p.pick = {plain(r.text): cols[r.correct[0]] for r in it.rows}
    elif isinstance(it, m.MatrixMultiple):
        cols = {c.id: plain(c.text) for c in it.columns}
        p.tick = {f"{plain(r.text)} – {cols[c]}" for r in it.rows for c in r.correct}
    elif isinstance(it, m.Cloze) and it.layout == "table":
        column = plain(it.table_header[1]) if it.table_header else ""
        for b in it.blanks:
            key = next(o for o in b.options if o.correct)
            p.pick[f"{plain(b.label)} – {column}"] = plain(key.text)
    elif isinstance(it, m.Cloze | m.DropdownRationale):
        order = m.BLANK.findall(it.template or "")
        by_id = {b.id: b for b in it.blanks}
        for i, bid in enumerate(order):
            key = next(o for o in by_id[bid].options if o.correct)
            p.pick[f"Blank {i + 1} of {len(order)}"] = plain(key.text)
    elif isinstance(it, m.Ordering):
        p.distinct = True
        n = len(it.steps)
        for i, s in enumerate(it.steps):
            name = f"Position {i + 1}" + (" (first)" if i == 0 else " (last)" if i == n - 1 else "")
            p.pick[name] = plain(s.text)
    elif isinstance(it, m.Matching):
        p.pick = {plain(pair.left): plain(pair.right) for pair in it.pairs}
    elif isinstance(it, m.Highlight):
        for s in it.selectable():
            if s.correct:
                cells = " – ".join(plain(c) for c in s.cells) if s.cells else ""
                p.tick.add(f"Highlight row: {cells}" if it.layout == "table" else plain(s.text))
    elif isinstance(it, m.Bowtie):
        for group in (it.conditions, it.actions, it.parameters):
            p.tick |= {plain(o.text) for o in group if o.correct}
    elif isinstance(it, m.Numeric | m.ShortAnswer):
        p.text = key_response(it)
    assert p.tick or p.pick or p.text, f"no keyboard plan for {it.id}"
    return p


class Keyboard:
    def __init__(self, page):
        self.page = page

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def tab_until(self, want, *, back: bool = False, limit: int = MAX_TABS) -> dict:
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            f = self.focused()
            if f and want(f):
                return f
        raise AssertionError(f"focus never reached the target; last: {self.focused()}")

    def pick_option(self, f: dict, label: str) -> None:
        """Move a focused drop-down to `label` with the arrow keys."""
        target = f["options"].index(label)
        step = "ArrowDown" if target > f["selected"] else "ArrowUp"
        for _ in range(abs(target - f["selected"])):
            self.page.keyboard.press(step)
            self.page.wait_for_timeout(120)  # each move is a round trip to the kernel
        self.page.wait_for_function(
            "t => document.activeElement.selectedIndex === t", arg=target, timeout=5_000
        )

    def answer(self, title: str, plan: Plan, button: str) -> None:
        """Tab through the item titled `title`, answer it by `plan`, press `button`."""
        done: set[str] = set()
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            f = self.focused()
            if not f or f["card"] != title:
                continue
            assert f["name"], f"a control without an accessible name in {title}: {f}"
            if f["tag"] == "button" and f["name"] == button:
                self.page.keyboard.press("Enter")
                break
            if f["type"] == "radio":
                # One tab stop per group: the arrow keys move to (and choose) the target.
                for _ in range(12):
                    if f["name"] in plan.tick:
                        break
                    self.page.keyboard.press("ArrowDown")
                    f = self.focused()
                assert f["name"] in plan.tick, f"no target in the radio group of {title}"
                if not f["checked"]:
                    self.page.keyboard.press("Space")
                done.add(f["name"])
            elif f["type"] == "checkbox" and f["name"] in plan.tick:
                assert not f["checked"]
                self.page.keyboard.press("Space")
                done.add(f["name"])
            elif f["tag"] == "select" and f["name"] in plan.pick:
                self.pick_option(f, plan.pick[f["name"]])
                done.add(f["name"])
                if plan.distinct:
                    self.page.wait_for_function(
                        "t => { const card = [...document.querySelectorAll('.allcourse-item')]"
                        ".find(c => c.querySelector('.allcourse-item-title')"
                        ".textContent.trim() === t);"
                        " const v = [...card.querySelectorAll('select')].map(s => s.value);"
                        " return new Set(v).size === v.length; }",
                        arg=title,
                        timeout=5_000,
                    )
            elif f["type"] == "text" and plan.text is not None:
                self.page.keyboard.type(plan.text)
                done.add("text")
        else:
            raise AssertionError(f"never reached the {button!r} button of {title}")
        wanted = plan.tick | set(plan.pick) | ({"text"} if plan.text is not None else set())
        assert done == wanted, f"{title}: not reached by Tab: {wanted - done}"


def card(page, title: str):
    return page.locator(".allcourse-item").filter(
        has=page.locator(".allcourse-item-title", has_text=re.compile(f"^{re.escape(title)}$"))
    )


# What a stop held when its heading took the focus: a Tab right then goes to the next
# control drawn, so a heading focused before its question was drawn sent it past.
RECORD_HEADING_FOCUS = """() => {
  window.allcourseHeadingFocus = [];
  document.addEventListener("focusin", e => {
    const t = e.target;
    if (t.tagName !== "H4" || t.getAttribute("tabindex") !== "-1") return;
    const box = t.closest(".widget-container");
    window.allcourseHeadingFocus.push({
      heading: t.textContent.trim(),
      controls: box.querySelectorAll("input, select, textarea").length,
      check: [...box.querySelectorAll("button")].some(b => b.textContent.trim() === "Check answer"),
    });
  }, true);
}"""


def test_practice_every_item_type_by_keyboard(open_page):
    cp = open_page(TOUR_PAGE)
    page = cp.page
    page.wait_for_selector(".allcourse-quiz .allcourse-item", timeout=60_000)
    page.evaluate(RECORD_HEADING_FOCUS)
    kb = Keyboard(page)
    items = TOUR.all_items()
    total = len(items)
    n_standalone = len(TOUR.items)

    for k, it in enumerate(items, start=1):
        title = f"Question {k} of {total}"
        if 1 < k <= n_standalone + 1:
            # One question at a time: back to "Next question" above the card; the focus
            # then moves to the next question's (or the case study's) heading.
            kb.tab_until(lambda f: f["name"] == "Next question", back=True)
            page.keyboard.press("Enter")
            heading = title if k <= n_standalone else f"Case study: {TOUR.case_studies[0].title}"
            page.wait_for_function(
                "t => document.activeElement.tagName === 'H4'"
                " && document.activeElement.textContent.trim() === t",
                arg=heading,
            )
            # The focus came once the question was drawn: its Check answer button and
            # every one of its controls (as many as it has now) were in the page.
            at_focus = page.evaluate("() => window.allcourseHeadingFocus.at(-1)")
            assert at_focus["heading"] == heading and at_focus["check"], at_focus
            if k <= n_standalone:
                drawn = card(page, title).locator("input, select, textarea").count()
                assert at_focus["controls"] == drawn, (at_focus, drawn)
        if k == n_standalone + 1:
            # The case study: its chart tabs are reachable and switch with the arrow keys.
            f = kb.tab_until(lambda f: f["role"] == "tab")
            assert f["name"] == "History"
            page.keyboard.press("ArrowRight")
            page.keyboard.press("Enter")
            page.wait_for_function(
                "() => document.activeElement.getAttribute('role') === 'tab'"
                " && document.activeElement.textContent.trim() === 'Vitals'"
            )
            vitals = page.locator(".allcourse-chart .allcourse-chart-page").nth(1)
            vitals.wait_for(state="visible")
            assert "38.5 °C" in vitals.inner_text()
        elif k > n_standalone + 1:
            kb.tab_until(lambda f: f["name"] == "Next item", back=True)
            page.keyboard.press("Enter")
            card(page, title).wait_for()
        kb.answer(title, plan_for(it), "Check answer")

        feedback = card(page, title).locator(".allcourse-feedback")
        feedback.wait_for()
        text = feedback.inner_text()
        assert "✔ Correct" in text, f"{it.id}: {text[:300]}"
        assert re.search(r"Correct: (\d+) of \1 points?\.", text), text[:300]
        # The scoring rule is a details line for those who want it, not in the verdict.
        assert "NCSBN" not in text.split("How this question is scored")[0]
        if it.type in ("sata", "highlight", "matrix_multiple"):
            assert "NCSBN +/- rule" in feedback.locator("details").text_content()
        # Focus moves to "Try again" (after the verdict): the next Tab goes on, not back
        # to the top.
        expect(card(page, title).get_by_role("button", name="Try again")).to_be_focused()

    # The result is also announced in the item's live region (role="status").
    status = card(page, f"Question {total} of {total}").locator("[role=status]")
    page.wait_for_function(
        "el => el.textContent.startsWith('✔ Correct')", arg=status.element_handle()
    )


# --- test mode, on a page that shows the tour as a test ----------------------------------


@pytest.fixture(scope="module")
def test_mode_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quiz_test_mode")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tour as a test"),
        nbformat.v4.new_code_cell(
            'from allcourse.quiz import show_quiz\nshow_quiz("tour", mode="test")'
        ),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, Path(folder) / "tour_test.ipynb")
    proc, base, _ = start_voila(str(folder))
    try:
        yield base
    finally:
        stop(proc)


def test_test_mode_by_keyboard(browser, test_mode_server):
    """Every stand-alone item type answered and submitted by keyboard, then the summary.

    All are answered with their key except one select-all-that-apply item, where one
    distractor is ticked too: the NCSBN +/- rule takes one point off that item only."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(test_mode_server + "voila/render/tour_test.ipynb")
        page.wait_for_selector("#loading", state="detached", timeout=90_000)
        page.wait_for_selector(".allcourse-quiz .allcourse-item", timeout=60_000)
        kb = Keyboard(page)
        items = TOUR.all_items()
        total = len(items)
        sata_no = next(
            k for k, it in enumerate(TOUR.items, 1) if isinstance(it, m.MultipleResponse)
        )
        sata = TOUR.items[sata_no - 1]
        keys = sum(o.correct for o in sata.options)
        expected = 0.0
        for k, it in enumerate(TOUR.items, start=1):
            title = f"Question {k} of {total}"
            plan = plan_for(it)
            if k == sata_no:
                plan.tick.add(plain(next(o.text for o in sata.options if not o.correct)))
            kb.answer(title, plan, "Submit")
            status = card(page, title).locator(".allcourse-status")
            page.wait_for_function(
                "el => el.textContent.startsWith('Submitted')", arg=status.element_handle()
            )
            assert card(page, title).locator(".allcourse-feedback").count() == 0
            disabled = card(page, title).locator("input:disabled, select:disabled")
            assert disabled.count() > 0, f"{title} is not locked after submitting"
            expected += score(it, key_response(it)).max_points
        expected -= 1  # the distractor ticked in the select-all-that-apply item

        kb.tab_until(lambda f: f["name"] == "Finish test", limit=400)
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.allcourse-status')]"
            ".some(e => e.textContent.includes('not submitted yet'))"
        )
        assert kb.focused()["name"] == "Finish test"
        page.keyboard.press("Enter")  # the case-study items stay unanswered
        summary = page.locator(".allcourse-summary-box")
        summary.wait_for()
        text = summary.inner_text()
        assert "Score by topic" in text and "Score by clinical-judgment step" in text
        total_line = re.search(r"Total: ([\d.]+) of ([\d.]+) points", text)
        assert total_line and float(total_line.group(1)) == expected, text[:400]
        shown = len(TOUR.items) + 1  # stand-alone items and the case item on screen
        assert page.locator(".allcourse-feedback").count() == shown
        sata_feedback = card(page, f"Question {sata_no} of {total}").locator(".allcourse-feedback")
        sata_text = sata_feedback.inner_text()
        assert f"Partly correct: {keys - 1} of {keys} points." in sata_text, sata_text
        first = card(page, f"Question 1 of {total}").locator(".allcourse-feedback").inner_text()
        assert "✔ Correct" in first
        case_item = card(page, f"Question {len(TOUR.items) + 1} of {total}")
        assert "Not submitted" in case_item.locator(".allcourse-feedback").inner_text()
    finally:
        context.close()


def test_a_later_question_by_keyboard_and_its_saved_answer_after_a_reload(open_page):
    """Keyboard only: "Next question" twice, "Go to question" to a later one, answer and
    check it; after a reload its status is in "Go to question" and the question shows
    the saved answer."""
    cp = open_page(TOUR_PAGE)
    page = cp.page
    page.wait_for_selector(".allcourse-quiz .allcourse-item", timeout=60_000)
    kb = Keyboard(page)
    total = len(TOUR.all_items())
    k = next(i for i, it in enumerate(TOUR.items, 1) if it.type == "numeric")
    it = TOUR.items[k - 1]
    title = f"Question {k} of {total}"

    nav = page.locator(".allcourse-question-nav")
    kb.tab_until(lambda f: f["name"] == "Next question")
    for n in (2, 3):
        page.keyboard.press("Enter")
        page.wait_for_function(  # the focus lands on the new question's heading
            "t => document.activeElement.textContent.trim() === t", arg=f"Question {n} of {total}"
        )
        expect(nav.locator("[role=status]")).to_have_text(
            f"Question {n} of {total}. Not tried yet."
        )
        kb.tab_until(lambda f: f["name"] == "Next question", back=True)
    f = kb.tab_until(lambda f: f["tag"] == "select" and f["name"] == "Go to question")
    kb.pick_option(f, f"Question {k}: Not tried yet")
    kb.answer(title, plan_for(it), "Check answer")  # Tab goes on into the question
    expect(card(page, title).locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(nav.locator(f"select option >> nth={k - 1}")).to_have_text(f"Question {k}: Right")
    page.wait_for_function(
        f"(localStorage.getItem('allcourse-progress') || '').includes('{it.id}')"
    )

    cp.reload()
    page.wait_for_selector(".allcourse-quiz .allcourse-item", timeout=60_000)
    expect(nav.locator(f"select option >> nth={k - 1}")).to_have_text(
        f"Question {k}: Right", timeout=30_000
    )
    f = kb.tab_until(lambda f: f["tag"] == "select" and f["name"] == "Go to question")
    kb.pick_option(f, f"Question {k}: Right")
    saved = card(page, title)
    expect(saved).to_contain_text("Status: Right")
    expect(saved.locator(".allcourse-feedback")).to_contain_text("Your saved answer from")
    expect(saved.get_by_role("textbox")).to_have_value(str(key_response(it)))
    expect(nav.locator(".allcourse-position")).to_contain_text(f"Question {k} of {total}")
    expect(nav.locator(".allcourse-position")).to_contain_text("Status: Right")
    # The next Tab from "Go to question" is in the question (its first control).
    page.keyboard.press("Tab")
    assert kb.focused()["card"] == title
