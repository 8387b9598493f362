"""Faults a class meets, survived with nothing lost: the page's kernel dies mid-quiz, the
server restarts, the browser's storage is full, blocked, or cleared by another tab.
Each time the student is told in plain words, the page keeps working where it can, what
was saved stays saved, and the results download still works. Real Chromium, real server.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess

import pytest
from conftest import CoursePage
from conftest_helpers import decode_kernel_message, go_to_question
from harness import start_voila, stop
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BLOOD = "01_blood_and_marrow.ipynb"
HOME = "00_start_here.ipynb"
KEY = "allcourse-progress"
LYMPHOID = "which cell a lymphoid stem cell becomes"
ACUTE = 'what "acute" means in acute lymphoblastic leukemia'
LOST_WITHIN_MS = 20_000  # the page waits 10 s for its kernel to answer before it says so


def _saved_items(page) -> dict:
    return (json.loads(page.evaluate(f"localStorage.getItem('{KEY}')") or "null") or {}).get(
        "items", {}
    )


def _answer_first_item(page):
    item = go_to_question(page, "blood", LYMPHOID)
    item.scroll_into_view_if_needed()
    item.get_by_label("A lymphoblast").check()
    item.get_by_role("button", name="Check answer").click()
    expect(item).to_contain_text("✔")
    page.wait_for_function(
        f"(JSON.parse(localStorage.getItem('{KEY}') || '{{}}').items || {{}})"
        "['blood-lymphoid-path'] !== undefined"
    )
    return item


def _change_without_checking(page) -> str:
    """Choose an answer to another item and do not check it; return that item's title."""
    item = go_to_question(page, "blood", ACUTE)
    item.scroll_into_view_if_needed()
    item.get_by_label(re.compile("mild form", re.I)).check()
    return item.locator(".allcourse-item-title").inner_text().strip()


def _kernel_id(page) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def _expect_lost_message(page, unsaved_title: str) -> None:
    alert = page.locator(".allcourse-connection-lost[role='alert']")
    expect(alert).to_be_visible(timeout=LOST_WITHIN_MS)
    expect(alert).to_contain_text("lost its connection to the course")
    expect(alert).to_contain_text("Your checked answers are saved in this browser")
    expect(alert.locator(".allcourse-connection-unsaved")).to_contain_text(unsaved_title)
    reload = alert.get_by_role("button", name="Reload the page")
    expect(reload).to_be_focused()
    return reload


def test_kernel_killed_mid_quiz_says_so_and_a_reload_keeps_every_saved_answer(open_page):
    cp = open_page(BLOOD)
    page = cp.page
    _answer_first_item(page)
    title = _change_without_checking(page)

    pids = subprocess.run(
        ["pgrep", "-f", f"kernel-{_kernel_id(page)}"], capture_output=True, text=True
    ).stdout.split()
    assert pids, "the page's kernel process was not found"
    for pid in pids:
        os.kill(int(pid), signal.SIGKILL)

    reload = _expect_lost_message(page, title)
    reload.click()
    cp.wait_rendered()
    expect(page.locator(".allcourse-connection-lost")).to_have_count(0)
    assert "blood-lymphoid-path" in _saved_items(page)
    # The new kernel grades again.
    item = go_to_question(page, "blood", ACUTE)
    item.scroll_into_view_if_needed()
    item.get_by_label(re.compile("mild form", re.I)).check()
    item.get_by_role("button", name="Check answer").click()
    expect(item).to_contain_text("✘")


def test_server_restart_says_so_and_the_restarted_server_has_every_saved_answer(browser):
    proc, base, _ = start_voila()
    port = int(base.rsplit(":", 1)[1].strip("/"))
    try:
        page = browser.new_context().new_page()
        page.goto(base + "voila/render/" + BLOOD)
        page.wait_for_selector("#loading", state="detached", timeout=90_000)
        _answer_first_item(page)
        title = _change_without_checking(page)
        stop(proc)
        _expect_lost_message(page, title)
        proc, base, _ = start_voila(port=port)
        page.get_by_role("button", name="Reload the page").click()
        page.wait_for_selector("#loading", state="detached", timeout=90_000)
        expect(page.locator(".allcourse-connection-lost")).to_have_count(0)
        assert "blood-lymphoid-path" in _saved_items(page)
        page.context.close()
    finally:
        stop(proc)


def _expect_drawn(page) -> None:
    """Every widget of module 01 is on the page: both scenarios and the self-check."""
    for widget in (".allcourse-lineage", ".allcourse-marrow", ".allcourse-item"):
        expect(page.locator(widget).first).to_be_attached(timeout=60_000)


def test_a_brief_drop_that_reconnects_to_the_same_kernel_shows_nothing(open_page):
    cp = open_page(BLOOD)
    page = cp.page
    _expect_drawn(page)
    page.context.set_offline(True)  # closes the page's sockets
    page.wait_for_timeout(1000)
    page.context.set_offline(False)
    page.wait_for_timeout(12_000)  # longer than the page waits for its kernel's answer
    expect(page.locator(".allcourse-connection-lost")).to_have_count(0)
    _answer_first_item(page)


def _drop_when_widgets_are_requested(page, *, reconnects: bool) -> list:
    """Close the page's kernel socket right after the page asks its kernel for its widgets
    (before the answer arrives). `reconnects`: the page's next sockets go through; if not,
    each is closed at once, as when the server cannot be reached. Returns the sockets."""
    connections = []

    def kernel_socket(ws):
        connections.append(ws)
        if len(connections) > 1:
            if reconnects:
                ws.connect_to_server()  # everything goes through
            else:
                ws.close()
            return
        server = ws.connect_to_server()

        def to_server(message):
            server.send(message)
            data = (decode_kernel_message(message) or {}).get("content", {}).get("data") or {}
            if data.get("method") == "request_states":
                ws.close()  # the drop, before the kernel's answer reaches the page

        ws.on_message(to_server)

    page.route_web_socket(re.compile(r"/api/kernels/[^/]+/channels"), kernel_socket)
    return connections


def test_a_drop_while_the_page_is_drawing_finishes_drawing_and_raises_no_alarm(
    browser, voila_server
):
    """The socket drops right after the page asked its kernel for its widgets: the page
    reconnects and finishes drawing, and no "lost connection" box appears (the page used to
    ask a widget that was not drawn yet whether the kernel was there, and with no answer it
    raised the alarm)."""
    context = browser.new_context()
    page = context.new_page()
    try:
        connections = _drop_when_widgets_are_requested(page, reconnects=True)
        page.goto(voila_server + "voila/render/" + BLOOD)
        _expect_drawn(page)
        assert len(connections) == 2, "the drop did not happen while the page was drawing"
        page.wait_for_timeout(LOST_WITHIN_MS + 2_000)  # past the page's wait after a drop
        expect(page.locator(".allcourse-connection-lost")).to_have_count(0)
        _answer_first_item(page)
    finally:
        context.close()


def test_a_page_left_half_drawn_by_a_drop_says_parts_are_missing_and_to_reload(
    browser, voila_server
):
    """The same drop, and the server cannot be reached again: the page never gets its
    widgets. Once it has waited for them (twice the usual wait), it tells the student that
    the connection dropped while loading, that parts are missing, and offers the reload."""
    context = browser.new_context()
    page = context.new_page()
    try:
        connections = _drop_when_widgets_are_requested(page, reconnects=False)
        page.goto(voila_server + "voila/render/" + BLOOD)
        alert = page.locator(".allcourse-connection-lost[role='alert']")
        expect(alert).to_be_visible(timeout=2 * LOST_WITHIN_MS)
        expect(alert).to_contain_text("dropped while the page was loading")
        expect(alert).to_contain_text("parts of it are missing")
        expect(alert.get_by_role("button", name="Reload the page")).to_be_focused()
        expect(page.locator(".allcourse-item")).to_have_count(0)  # it was indeed half drawn
        assert len(connections) >= 2
    finally:
        context.close()


def _download(cp) -> dict:
    """Download the results from the home page as the student would; the file's JSON."""
    cp.goto(HOME)
    page = cp.page
    page.get_by_label(re.compile("name or student ID", re.I)).fill("Alex Kim")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile(r"Download my results \(JSON\)")).click()
    assert download.value.suggested_filename.endswith(".json")
    with open(download.value.path(), encoding="utf-8") as f:
        return json.load(f)


FULL = """
(() => {
  const real = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (key === "allcourse-progress") {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    }
    return real.call(this, key, value);
  };
})();
"""

BLOCKED = """
Object.defineProperty(window, "localStorage", {
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});
"""


@pytest.mark.parametrize(
    ("script", "message"),
    [
        (FULL, "did not let the course save your latest answers"),
        (BLOCKED, "does not let the course save your progress"),
    ],
    ids=["storage-full", "storage-blocked"],
)
def test_full_or_blocked_storage_is_told_and_checks_and_downloads_still_work(
    browser, voila_server, script, message
):
    context = browser.new_context()
    context.add_init_script(script)
    cp = CoursePage(context=context, page=context.new_page(), base=voila_server)
    try:
        cp.goto(BLOOD)
        item = go_to_question(cp.page, "blood", LYMPHOID)
        item.scroll_into_view_if_needed()
        item.get_by_label("A lymphoblast").check()
        item.get_by_role("button", name="Check answer").click()
        expect(item).to_contain_text("✔")
        expect(cp.page.locator(".allcourse-storage-notice[role='alert']")).to_contain_text(message)
        assert cp.cell_errors() == []
        assert _download(cp)["student"] == "Alex Kim"
    finally:
        context.close()


def test_storage_that_fills_up_later_still_downloads_what_was_saved(browser, voila_server):
    context = browser.new_context()
    cp = CoursePage(context=context, page=context.new_page(), base=voila_server)
    try:
        cp.goto(BLOOD)
        _answer_first_item(cp.page)
        context.add_init_script(FULL)  # from the next page on, the storage is full
        assert "blood-lymphoid-path" in json.dumps(_download(cp))
    finally:
        context.close()


def test_storage_cleared_in_another_tab_is_told_and_written_back(open_page):
    cp = open_page(BLOOD)
    page = cp.page
    _answer_first_item(page)
    other = cp.context.new_page()
    other.goto(cp.base + "voila/templates/allcourse/static/favicon.svg")  # same origin
    other.evaluate("localStorage.clear()")
    notice = page.locator(".allcourse-storage-notice[role='alert']")
    expect(notice).to_contain_text("cleared in another tab")
    page.wait_for_function(f"localStorage.getItem('{KEY}') !== null")
    assert "blood-lymphoid-path" in _saved_items(page)
    other.close()
