"""Module 05 as a keyboard user meets it: plan the first hour of neutropenic fever on the
clock (a late plan, then a good one), classify a TLS trend and pick the most dangerous
value, prioritise and delegate at shift change, and answer one self-check question. Only
`page.keyboard` acts (Tab, arrow keys, Space, Enter); the page is read to know where the
focus is. A real Chromium against the course server; axe after all of it."""

from __future__ import annotations

import pytest
from conftest_helpers import assert_accessible, assert_clean
from playwright.sync_api import expect

from allcourse.course.markup import plain
from allcourse.quiz.bank import bank
from allcourse.scenarios import fever_first_hour, shift_priorities, tls_watch

pytestmark = pytest.mark.browser

MAX_TABS = 400

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const clean = s => (s || '').replace(/\\u00a0/g, ' ').replace(/\\s+/g, ' ').trim();
  let name = '';
  if (e.labels && e.labels.length) name = e.labels[0].textContent;
  else name = e.getAttribute('aria-label') || e.textContent;
  const scenario = e.closest('.allcourse-scenario');
  const card = e.closest('.allcourse-item');
  const title = card ? card.querySelector('.allcourse-item-title') : null;
  return {
    tag: e.tagName.toLowerCase(), type: e.type || '', name: clean(name),
    checked: !!e.checked, disabled: !!e.disabled,
    options: e.tagName === 'SELECT' ? [...e.options].map(o => clean(o.textContent)) : [],
    selected: e.tagName === 'SELECT' ? e.selectedIndex : -1,
    scenario: scenario ? [...scenario.classList].join(' ') : '',
    card: title ? clean(title.textContent) : '',
    inQuiz: !!e.closest('.allcourse-quiz'),
  };
}"""


class Keyboard:
    def __init__(self, page):
        self.page = page

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, want, *, limit: int = MAX_TABS) -> dict:
        """Press Tab until the focused control satisfies `want`; every control passed on
        the way must have an accessible name."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            f = self.focused()
            if f and f["tag"] in ("select", "input", "button"):
                assert f["name"], f"a control without an accessible name: {f}"
            if f and want(f):
                return f
        raise AssertionError(f"Tab never reached the target; last focus: {self.focused()}")

    def pick(self, label: str) -> None:
        """Move the focused drop-down to `label` with the arrow keys."""
        f = self.focused()
        target = f["options"].index(label)
        key = "ArrowDown" if target > f["selected"] else "ArrowUp"
        for _ in range(abs(target - f["selected"])):
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(100)  # each move is a round trip to the kernel
        self.page.wait_for_function(
            "t => document.activeElement.selectedIndex === t", arg=target, timeout=5_000
        )

    def choose_radio(self, where, name) -> None:
        """Tab into the radio group `where` accepts and check the radio named `name`
        (`name` may be a predicate). Works whether each radio is a Tab stop or the group
        is one stop moved through with the arrow keys (which check as they move)."""
        match = name if callable(name) else (lambda n: n == name)
        self.tab_to(lambda f: where(f) and f["type"] == "radio")
        for _ in range(12):
            f = self.focused()
            if match(f["name"]):
                if not f["checked"]:
                    self.page.keyboard.press("Space")
                self.page.wait_for_function("() => document.activeElement.checked")
                return
            self.page.keyboard.press("ArrowDown")
            after = self.focused()
            if after["name"] == f["name"]:  # not a roving group: the next radio is a Tab away
                self.page.keyboard.press("Tab")
                assert where(self.focused()), "left the radio group without finding the option"
        raise AssertionError(f"no radio matching {name!r}")

    def select_in(self, scenario: str, name: str, label: str) -> None:
        self.tab_to(
            lambda f: scenario in f["scenario"] and f["tag"] == "select" and f["name"] == name
        )
        self.pick(label)

    def press_button(self, scenario: str, name: str) -> None:
        self.tab_to(
            lambda f: scenario in f["scenario"] and f["tag"] == "button" and f["name"] == name
        )
        self.page.keyboard.press("Enter")


def test_nursing_module_scenarios_and_self_check_by_keyboard(open_page):
    cp = open_page("05_nursing_care.ipynb")
    page = cp.page
    expect(page.locator("h1#module-title")).to_contain_text("Nursing care")
    page.wait_for_selector(".allcourse-quiz .allcourse-item", timeout=60_000)
    expect(page.locator(".allcourse-illustrative")).to_have_count(3)
    expect(page.get_by_text("Check your prediction")).to_have_count(0)  # not before acting
    kb = Keyboard(page)
    fever = page.locator(".allcourse-fever")
    texts = {a.id: a.text for a in fever_first_hour.scenario().actions}

    # --- the first hour: recheck first, so the antibiotic is late ------------------------------
    late = ["recheck", "assess", "notify", "cultures", "antibiotic", "reassess"]
    for i, action in enumerate(late, start=1):
        kb.select_in("allcourse-fever", f"Step {i}", texts[action])
    kb.press_button("allcourse-fever", "Start the clock")
    feedback = fever.locator(".allcourse-fever-feedback")
    expect(feedback.locator(".allcourse-verdict")).to_have_text(
        "◐ 3 of 6 rules met; first antibiotic dose at minute 85 (15:25)"
    )
    antibiotic = feedback.locator("[data-rule='antibiotic']")
    expect(antibiotic).to_contain_text("✘ Late: IV antibiotic within 60 minutes.")
    expect(antibiotic).to_contain_text("25 minutes late")
    expect(antibiotic.locator("a[href='#ref-nc-idsa-2011']")).to_have_count(1)
    expect(page.locator(".allcourse-sources li#ref-nc-idsa-2011")).to_be_attached()
    expect(fever.get_by_text("Check your prediction")).to_have_count(1)
    assert kb.focused()["name"] == "Try again"  # focus moved to the next thing to do
    page.keyboard.press("Enter")
    expect(feedback).to_have_count(0)
    page.wait_for_function("() => document.activeElement.tagName === 'SELECT'")
    assert kb.focused()["name"] == "Step 1"
    expect(fever.get_by_label("Step 1", exact=True)).to_have_value("Choose…")

    # ... and a plan that meets every rule, from the first step that now has focus.
    kb.pick(texts["assess"])
    for i, action in enumerate(["notify", "cultures", "antibiotic", "reassess"], start=2):
        kb.select_in("allcourse-fever", f"Step {i}", texts[action])
    kb.press_button("allcourse-fever", "Start the clock")
    expect(feedback.locator(".allcourse-verdict")).to_have_text(
        "✔ 6 of 6 rules met; first antibiotic dose at minute 25 (14:25)"
    )
    expect(feedback.locator("table")).to_contain_text("Draw blood cultures")

    # --- TLS watch: classify the trend (48 h wrong on purpose) -------------------------------
    tls = page.locator(".allcourse-tls")
    expect(tls.locator("table.allcourse-trend-table")).to_contain_text("Potassium (mmol/L)")
    expect(tls.locator("svg[role=img][aria-label*='48 h: 6.6']")).to_have_count(1)
    answers = {c.time: c.label for c in tls_watch.timeline()}
    answers["48 h"] = tls_watch.LEVELS["laboratory"]
    for time, label in answers.items():
        kb.select_in("allcourse-tls", f"At {time}", label)
    kb.press_button("allcourse-tls", "Check classification")
    tls_feedback = tls.locator(".allcourse-tls-feedback")
    expect(tls_feedback.locator(".allcourse-verdict")).to_have_text(
        "◐ 5 of 6 time points classified as the criteria do"
    )
    wrong = tls_feedback.locator("[data-time='48 h']")
    expect(wrong).to_contain_text("✘ Wrong. 48 h")
    expect(wrong).to_contain_text("acute kidney injury makes it clinical TLS")
    expect(tls.get_by_text("Check your prediction")).to_have_count(1)

    # ... then the most dangerous value at 48 hours (a practice item in the scenario).
    danger = tls_watch.danger_item()
    key = plain(next(o.text for o in danger.options if o.correct))
    kb.choose_radio(lambda f: "allcourse-tls" in f["scenario"] and f["type"] == "radio", key)
    kb.press_button("allcourse-tls", "Check answer")
    danger_card = tls.locator(".allcourse-item").filter(has_text="most dangerous right now")
    expect(danger_card.locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(danger_card).to_contain_text("fatal arrhythmia")

    # --- shift change: who first, then who does each task -------------------------------------
    shift = page.locator(".allcourse-shift-priorities")
    expect(shift.locator(".allcourse-shift-table")).to_contain_text("Marcus Lee, 24")
    kb.choose_radio(  # a plausible wrong first choice
        lambda f: "allcourse-shift" in f["scenario"] and f["type"] == "radio",
        lambda n: n.startswith("Eleanor Park"),
    )
    kb.press_button("allcourse-shift", "Check answer")
    first_card = shift.locator(".allcourse-item").filter(
        has_text="Which patient does the nurse see first"
    )
    expect(first_card.locator(".allcourse-verdict").first).to_contain_text("✘ Not correct")
    expect(first_card).not_to_contain_text("after Marcus, who is an emergency")  # key hidden
    kb.press_button("allcourse-shift", "Show answer")
    expect(first_card).to_contain_text("after Marcus, who is an emergency")
    expect(shift.get_by_text("Check your prediction")).to_have_count(1)

    team = {k: v for k, v in shift_priorities.TEAM.items()}
    for task in shift_priorities.shift().tasks:
        kb.select_in("allcourse-shift", task.text, team[task.who])
    kb.press_button("allcourse-shift", "Check answer")
    delegate = shift.locator(".allcourse-item").filter(
        has_text="For each task, choose the team member"
    )
    expect(delegate.locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(delegate).to_contain_text("the line is never flushed")

    # --- the self-check: the lumbar-puncture platelet question --------------------------------
    nursing = bank("nursing")
    k = next(i for i, it in enumerate(nursing.items, start=1) if it.id == "nursing-lp-platelets")
    title = f"Question {k} of {len(nursing.all_items())}"
    lp = next(it for it in nursing.items if it.id == "nursing-lp-platelets")
    lp_key = plain(next(o.text for o in lp.options if o.correct))
    # To the question by keyboard: "Go to question", the arrow keys, then Tab into it.
    kb.tab_to(lambda f: f["inQuiz"] and f["tag"] == "select" and f["name"] == "Go to question")
    kb.pick(f"Question {k}: Not tried yet")
    expect(
        page.locator(".allcourse-quiz .allcourse-item-title").filter(has_text=title)
    ).to_be_visible()
    kb.choose_radio(lambda f: f["card"] == title and f["type"] == "radio", lp_key)
    kb.tab_to(lambda f: f["card"] == title and f["tag"] == "button" and f["name"] == "Check answer")
    page.keyboard.press("Enter")
    lp_card = page.locator(".allcourse-quiz .allcourse-item").filter(
        has_text="is due for a lumbar puncture"
    )
    expect(lp_card.locator(".allcourse-verdict")).to_contain_text("✔ Correct")
    expect(lp_card).to_contain_text("above the 2025 threshold of 20,000/µL")

    assert cp.cell_errors() == [], "a cell shows an error"
    assert_accessible(page, "05_nursing_care.ipynb after using the scenarios and the self-check")
    assert_clean(cp)
