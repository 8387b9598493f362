"""Keys stay on the server: on every module page with a question bank, before anything is
checked, the browser holds no rationale, explanation, worked solution, accepted answer or
correct flag of any item of that bank: not in the page, and not in any message the kernel
sent over the websocket (every widget's state arrives that way). The banks are read from
course.yml when the tests run, so a module added later is covered without a new test."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from conftest_helpers import decode_kernel_message, visit_every_question
from leak_check import IDS, public_text, secrets

from allcourse.course.course_map import course
from allcourse.course.markup import plain
from allcourse.quiz import models as m
from allcourse.quiz.bank import bank

pytestmark = pytest.mark.browser

PAGE = next(m.notebook for m in course().modules if m.bank == "tour.yml")
TOUR = bank("tour")


def _numbers(it: m.ItemBase) -> list[str]:
    if isinstance(it, m.Numeric):
        return [f"{a.value:g}" for a in it.answers if a.value is not None]
    return []


def _walk(obj: Any, strings: list[str], keys: set[str]) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            keys.add(str(k))
            _walk(v, strings, keys)
    elif isinstance(obj, list | tuple):
        for v in obj:
            _walk(v, strings, keys)
    elif isinstance(obj, str):
        strings.append(obj)


def _flat(text: str) -> str:
    """Markup to comparable text: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


class Capture:
    """Every frame the browser receives on the page's websockets."""

    def __init__(self, page):
        self.frames: list[bytes | str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda p: self.frames.append(p)))

    def widget_states(self) -> tuple[list[str], set[str]]:
        """Strings and keys of every widget state the kernel sent."""
        strings: list[str] = []
        keys: set[str] = set()
        for frame in self.frames:
            msg = decode_kernel_message(frame)
            if msg is None:
                continue
            data = msg.get("content", {}).get("data", {})
            for state in (data.get("states") or {}).values():
                _walk(state, strings, keys)
            if "state" in data:
                _walk(data["state"], strings, keys)
        return strings, keys

    def text(self) -> str:
        raw = []
        for frame in self.frames:
            msg = decode_kernel_message(frame)
            if msg is not None:
                _walk(msg, raw, set())
            else:
                raw.append(frame.decode("utf-8", "replace") if isinstance(frame, bytes) else frame)
        return _flat(" ".join(raw))


def _assert_no_key_before_checking(
    page, capture: Capture, quiz: m.Bank, where: str, pages: list[str]
) -> None:
    """`pages`: the page's HTML at each question of its self-check (one at a time)."""
    states, keys = capture.widget_states()
    frames_text = capture.text()
    dom_text = _flat(" ".join([page.content(), *pages]))
    # The capture is not empty: every visible stem arrived through it and is on the page.
    assert states, f"{where}: no widget state was captured from the websocket"
    for it in quiz.items:
        stem = plain(it.stem, it.text_format)[:50]
        assert stem in frames_text and stem in dom_text, f"{where}: {it.id}: stem not seen"

    own_words = public_text(quiz)
    for it in quiz.all_items():
        for secret in secrets(it):
            if secret in own_words:
                continue  # the bank shows these words itself (another item's stem, say)
            assert secret not in frames_text, f"{it.id}: {secret!r} was sent to the browser"
            assert secret not in dom_text, f"{it.id}: {secret!r} is in the page"
        for number in _numbers(it):
            if len(number) == 1:
                # A one-digit answer cannot be told apart from a page's other numbers (a
                # scenario's "8 h"); test_render checks every item's own widgets for it.
                continue
            pattern = re.compile(rf"(?<![\w.,]){re.escape(number)}(?![\d.,])")
            leaked = [s for s in states if pattern.search(IDS.sub("", s))]
            assert not leaked, f"{it.id}: the numeric answer {number} is in widget state"
    assert not {"correct", "rationale", "explanation", "answers", "worked_solution"} & keys
    markup = page.content() + " ".join(states)
    assert not re.search(r"allcourse-(note|verdict|feedback|key)\b", markup), "feedback shown"


def _opened_with_capture(open_page, notebook: str):
    """The page loaded with the capture listening, after going to every question of its
    self-check (each card is built when the student first goes to it); returns the page,
    the capture and the page's HTML at each question."""
    cp = open_page(notebook)
    capture = Capture(cp.page)
    cp.goto(notebook)  # load again with the capture listening from the first frame
    cp.page.wait_for_selector(".allcourse-quiz .allcourse-item", timeout=60_000)
    pages: list[str] = []
    visit_every_question(cp.page, lambda page: pages.append(page.content()))
    return cp.page, capture, pages


def test_no_key_reaches_the_browser_before_checking(open_page):
    page, capture, pages = _opened_with_capture(open_page, PAGE)
    assert len(pages) == len(TOUR.items) + len(TOUR.case_studies)
    _assert_no_key_before_checking(page, capture, TOUR, PAGE, pages)

    # The capture would see a leak: after a check, the feedback does arrive.
    first = TOUR.items[0]
    chosen = next(o for o in first.options if not o.correct)
    card = page.locator(".allcourse-item").first
    card.get_by_label(plain(chosen.text), exact=True).check()
    card.get_by_role("button", name="Check answer").click()
    card.locator(".allcourse-feedback").wait_for()
    assert "✘ Not correct" in card.inner_text()
    # A first wrong check marks only the chosen option: no rationale, no explanation and
    # nothing that names the key reaches the browser.
    for secret in secrets(first):
        assert secret not in capture.text(), f"{secret!r} sent after a first wrong check"
    key = next(o for o in first.options if o.correct)
    assert plain(key.text) not in card.locator(".allcourse-feedback").inner_text()
    card.get_by_role("button", name="Show answer").click()
    card.locator(".allcourse-key").wait_for()
    assert plain(chosen.rationale) in capture.text()


# Every other module page with a bank, as course.yml names them now.
MODULES = [mod for mod in course().modules if mod.bank and mod.notebook != PAGE]


@pytest.mark.parametrize("module", MODULES, ids=[mod.id for mod in MODULES])
def test_no_key_of_a_modules_bank_reaches_its_page_before_checking(open_page, module):
    page, capture, pages = _opened_with_capture(open_page, module.notebook)
    quiz = bank(module.bank.removesuffix(".yml"))
    _assert_no_key_before_checking(page, capture, quiz, module.notebook, pages)
