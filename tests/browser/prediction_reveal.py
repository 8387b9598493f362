"""A "predict first, then check" question as a keyboard user meets it, for the module tests:
before the check its explanation is neither in the page nor in anything the kernel sent
over the websocket; a check without a prediction reveals nothing; a prediction chosen with
the arrow keys and checked with Enter reveals the explanation with a verdict in text and
icon, and its citations land in the page's source list."""

from __future__ import annotations

import html
import re

from playwright.sync_api import expect
from test_key_leak import Capture

from allcourse.scenarios.prediction import Prediction


def _flat(text: str) -> str:
    """Markup to comparable text: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def secrets(p: Prediction) -> list[str]:
    """What the student must not receive before checking: the explanation and the reasons."""
    return [_flat(x.text) for x in p.explanation] + [_flat(w.text) for w in p.why_not]


def open_with_capture(open_page, notebook: str):
    """The page, loaded again with every websocket frame captured from the first one."""
    cp = open_page(notebook)
    capture = Capture(cp.page)
    cp.goto(notebook)
    # Voila has no "rendered" event: the self-check is the last widget drawn on the page.
    cp.page.wait_for_selector(".allcourse-quiz .allcourse-item", timeout=60_000)
    return cp, capture


def choose_by_keyboard(page, select, label: str) -> None:
    """Pick an option of a native select with the arrow keys only."""
    select.focus()
    options = select.evaluate("s => Array.from(s.options).map(o => o.text)")
    assert label in options, options
    steps = options.index(label) - select.evaluate("s => s.selectedIndex")
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    expect(select).to_have_js_property("selectedIndex", options.index(label))


def assert_hidden_then_revealed(
    cp, capture: Capture, scope: str, p: Prediction, choice: str, verdict: str
) -> None:
    """Drive the prediction inside `scope` (a CSS selector) by keyboard: `choice` is the
    label to predict, `verdict` the verdict text expected after the check ("✔ ..." or
    "✘ ...")."""
    page = cp.page
    box = page.locator(scope)
    box.scroll_into_view_if_needed()
    expect(box.locator(".allcourse-prediction-question")).to_contain_text(_flat(p.question))

    # Before any interaction: the question came over the websocket, the explanation did not.
    sent, dom = capture.text(), _flat(page.content())
    assert _flat(p.question) in sent, "the question was not captured"
    for secret in secrets(p):
        assert secret not in sent, f"sent before the check: {secret!r}"
        assert secret not in dom, f"in the page before the check: {secret!r}"
    expect(box).not_to_contain_text("Check your prediction")
    expect(box).not_to_contain_text("Why not the other choices")

    # Check without a prediction: a message, nothing revealed.
    check = box.get_by_role("button", name="Check my prediction")
    check.focus()
    page.keyboard.press("Enter")
    status = box.locator(".allcourse-prediction .allcourse-status")
    expect(status).to_have_text("Choose your prediction first, then check it.")
    expect(box.locator(".allcourse-prediction-feedback")).to_have_count(0)

    # Predict with the arrow keys, Tab to the button, check with Enter.
    choose_by_keyboard(page, box.get_by_label("Your prediction"), choice)
    page.keyboard.press("Tab")
    expect(check).to_be_focused()
    page.keyboard.press("Enter")
    feedback = box.locator(".allcourse-prediction-feedback")
    expect(feedback.get_by_role("heading", name="Check your prediction")).to_be_visible()
    icon, words = verdict.split(" ", 1)
    expect(feedback.locator(".allcourse-verdict .allcourse-icon")).to_have_text(icon)
    expect(feedback.locator(".allcourse-verdict")).to_contain_text(words)
    expect(feedback.locator(".allcourse-verdict")).to_contain_text(f"you predicted “{choice}”")
    for secret in secrets(p):
        expect(feedback).to_contain_text(secret)
    for ref in sorted(p.source_ids()):
        expect(feedback.locator(f"a[href='#ref-{ref}']").first).to_be_attached()
        expect(page.locator(f".allcourse-sources li#ref-{ref}")).to_be_attached()
    expect(status).to_contain_text("The explanation follows.")
    # The capture would have seen a leak: the explanation arrives the same way now.
    assert secrets(p)[0] in capture.text()
