"""Browser-test harness: one real Voila server per session, driven by a real Chromium.

Fixtures:
- `voila_server`: base URL of the course served exactly as `make app` serves it.
- `browser`: a Playwright Chromium (Debian's /usr/bin/chromium, $CHROMIUM, or a
  Playwright-installed one). Without a browser the tests are skipped loudly, except on CI
  (CI=true), where a missing browser is a failure.
- `open_page(path)`: a rendered course page in a fresh browser context, recording
  requests to other hosts and console errors.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from harness import (
    CHROMIUM_ARGS,
    LOCAL_HOSTS,
    RENDER_TIMEOUT_MS,
    find_chromium,
    start_voila,
    stop,
)
from playwright.sync_api import Error as PlaywrightError


@pytest.fixture(scope="session")
def voila_server() -> Iterator[str]:
    proc, base, _ = start_voila()
    try:
        yield base
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    if executable is None:
        message = (
            "NO CHROMIUM FOUND: browser tests cannot run. Install Debian's chromium "
            "(apt-get install chromium), set $CHROMIUM, or run `playwright install chromium`."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        sys.stderr.write(f"\n\n*** {message} Skipping browser tests. ***\n\n")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class CoursePage:
    """A course page in a browser context, with what it requested and logged."""

    context: object
    page: object
    base: str
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def url_for(self, path: str) -> str:
        if path.startswith("http"):
            return path
        if path == "/":
            return self.base
        return self.base + "voila/render/" + path.lstrip("/")

    def goto(self, path: str) -> CoursePage:
        self.page.goto(self.url_for(path))
        self.wait_rendered()
        return self

    def wait_rendered(self) -> None:
        """Voila has no 'rendered' event: wait for its spinner to go and the cells to show."""
        self.page.wait_for_selector("#loading", state="detached", timeout=RENDER_TIMEOUT_MS)
        self.page.wait_for_selector("#rendered_cells", state="visible", timeout=RENDER_TIMEOUT_MS)

    def cell_errors(self) -> list[str]:
        """Text of every error or stderr output shown to the student."""
        return self.page.eval_on_selector_all(
            "[data-mime-type='application/vnd.jupyter.stderr'], .jp-OutputArea-output.jp-mod-error,"
            " [data-mime-type='application/vnd.jupyter.error']",
            "els => els.map(e => e.innerText)",
        )

    def reload(self) -> CoursePage:
        self.page.reload()
        self.wait_rendered()
        return self


@pytest.fixture
def open_page(browser, voila_server):
    """Factory: `open_page("01_blood_and_marrow.ipynb")` -> rendered CoursePage."""
    contexts = []

    def _open(path: str = "/", *, viewport: dict | None = None) -> CoursePage:
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        cp = CoursePage(context=context, page=page, base=voila_server)

        def on_request(request):
            host = urlparse(request.url).hostname or ""
            if request.url.startswith(("http:", "https:", "ws:", "wss:")) and (
                host not in LOCAL_HOSTS
            ):
                cp.external_requests.append(request.url)

        page.on("request", on_request)

        def on_console(msg):
            if msg.type == "error":
                cp.console_errors.append(msg.text)

        page.on("console", on_console)
        page.on("pageerror", lambda exc: cp.console_errors.append(str(exc)))
        page.set_default_timeout(30_000)
        return cp.goto(path)

    yield _open
    for context in contexts:
        for page in context.pages:
            # As a student closing the tab: the page's shutdown beacon frees its kernel.
            # A page the test closed itself may still be listed while it unloads.
            with contextlib.suppress(PlaywrightError):
                page.close(run_before_unload=True)
        context.close()
