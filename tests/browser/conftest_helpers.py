"""Assertions and helpers shared by browser tests."""

from __future__ import annotations

import json
from typing import Any


def assert_clean(cp) -> None:
    """No request left the machine and the browser console logged no error."""
    assert cp.external_requests == [], f"requests to other hosts: {cp.external_requests}"
    assert cp.console_errors == [], f"console errors: {cp.console_errors}"


def assert_accessible(page, where: str) -> None:
    """axe-core (bundled, offline) finds no WCAG A/AA violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}},
    )
    violations = results.response["violations"]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"accessibility violations on {where}:\n" + "\n".join(report)


def decode_kernel_message(payload: bytes | str) -> dict[str, Any] | None:
    """A kernel message from a websocket frame (the v1 binary protocol or JSON text)."""
    if isinstance(payload, str):
        try:
            return json.loads(payload)
        except ValueError:
            return None
    n = int.from_bytes(payload[:8], "little")
    offsets = [int.from_bytes(payload[8 + 8 * i : 16 + 8 * i], "little") for i in range(n)]
    parts = [payload[offsets[i] : offsets[i + 1]] for i in range(n - 1)]
    try:
        return {
            "channel": parts[0].decode(),
            "header": json.loads(parts[1]),
            "content": json.loads(parts[4]),
        }
    except (IndexError, ValueError, UnicodeDecodeError):
        return None


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def question_place(bank_name: str, text: str) -> tuple[int, int, int]:
    """Where a bank's question is in its self-check: (stop, steps within a case study,
    question number), found by `text` in its stem (else anywhere in the item, e.g. an
    exhibit). Raises if no item or more than one matches."""
    from allcourse.course.markup import plain
    from allcourse.quiz.bank import bank

    loaded = bank(bank_name)
    places = [(k, 0, it) for k, it in enumerate(loaded.items)]
    for c, case in enumerate(loaded.case_studies):
        places += [(len(loaded.items) + c, j, ci.item) for j, ci in enumerate(case.items)]
    wanted = _squash(text)
    for where in (lambda it: plain(it.stem), lambda it: it.model_dump_json()):
        found = [
            (k, j, n)
            for n, (k, j, it) in enumerate(places, start=1)
            if wanted in _squash(where(it))
        ]
        if len(found) == 1:
            return found[0]
        if found:
            raise AssertionError(f"{len(found)} questions of {bank_name} match {text!r}")
    raise AssertionError(f"no question of {bank_name} matches {text!r}")


def go_to_question(page, bank_name: str, text: str):
    """Go to a question of the page's self-check as a student would: choose its stop in
    "Go to question" (then "Next item" inside a case study). Returns the card's locator,
    visible. `text` is found in the bank (see `question_place`)."""
    import re

    from playwright.sync_api import expect

    stop, steps, number = question_place(bank_name, text)
    nav = page.locator(".allcourse-question-nav")
    nav.get_by_label("Go to question").select_option(index=stop)
    title = re.compile(rf"^Question {number} of \d+$")
    card = page.locator(".allcourse-quiz .allcourse-item").filter(
        has=page.locator(".allcourse-item-title", has_text=title)
    )
    if steps:
        case = page.locator(".allcourse-quiz .allcourse-case")
        expect(case.locator(".allcourse-item")).to_be_visible(timeout=30_000)
        for _ in range(steps):
            shown = case.locator(".allcourse-item-title").inner_text()
            case.get_by_role("button", name="Next item").click()
            expect(case.locator(".allcourse-item-title")).not_to_have_text(shown)
    expect(card).to_be_visible(timeout=30_000)
    return card


def visit_every_question(page, at_each=None) -> int:
    """Go to every stop of the page's self-check through "Go to question", as a student
    would, so that every question's card has been built in the kernel and sent; then back
    to the first. `at_each(page)` is called at each stop once it is shown. Returns the
    number of stops; 0 when the page has no paged self-check."""

    nav = page.locator(".allcourse-question-nav")
    if nav.count() == 0:
        return 0
    select = nav.get_by_label("Go to question")
    # ipywidgets writes option labels with no-break spaces.
    labels = [t.replace("\xa0", " ") for t in select.locator("option").all_inner_texts()]
    for i, label in enumerate(labels):
        select.select_option(index=i)
        _wait_for_stop(page, label.rsplit(": ", 1)[0])
        if at_each is not None:
            at_each(page)
    select.select_option(index=0)
    _wait_for_stop(page, labels[0].rsplit(": ", 1)[0])
    return len(labels)


def _wait_for_stop(page, name: str) -> None:
    """Wait until the stop `name` ("Question 3", "Questions 28-33: case study ...") is
    the one shown: its position line and its own heading (drawn in either order)."""
    import re

    from playwright.sync_api import expect

    expect(page.locator(".allcourse-question-nav .allcourse-position")).to_contain_text(name)
    case = re.match(r"Questions \d+-\d+: case study (.+)$", name)
    if case:
        heading = page.locator(".allcourse-quiz .allcourse-case-title")
        expect(heading).to_have_text(f"Case study: {case.group(1)}")
    else:
        heading = page.locator(".allcourse-quiz .allcourse-item-title")
        expect(heading.filter(has_text=re.compile(rf"^{name} of \d+$"))).to_be_visible()
