"""A page the student leaves gives its kernel back at once, not after the idle cull.

Voila's page script posts the kernel id to `/voila/api/shutdown/<id>` on `beforeunload`;
upstream, that request is refused for want of an `_xsrf` cookie and every visited page
keeps a ~70 MB kernel for minutes. The course's page handler sets the cookie
(allcourse/app/server.py). A real Chromium against the session's server.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def _alive(base: str, kernel_id: str) -> bool:
    try:
        urllib.request.urlopen(f"{base}api/kernels/{kernel_id}", timeout=5)
        return True
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return False
        raise


def _kernel_id(page) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def _gone_within(base: str, kernel_id: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(base, kernel_id):
            return True
        time.sleep(0.2)
    return False


def test_leaving_a_page_or_closing_its_tab_frees_its_kernel_within_seconds(open_page):
    cp = open_page("01_blood_and_marrow.ipynb")
    first = _kernel_id(cp.page)
    assert _alive(cp.base, first)

    cp.goto("02_diagnosis_and_risk.ipynb")  # the student follows a link to the next module
    assert _gone_within(cp.base, first, 5), "the left page's kernel is still running"
    second = _kernel_id(cp.page)
    assert second != first and _alive(cp.base, second)

    cp.page.close(run_before_unload=True)  # the student closes the tab
    assert _gone_within(cp.base, second, 5), "the closed tab's kernel is still running"
    assert cp.console_errors == []  # the shutdown request was accepted, not refused (403)
