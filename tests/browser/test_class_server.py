"""A server set up for a class (`--CourseVoila.class_size`): the class's module waits in
preheated kernels that the idle cull leaves alone; a student's page comes from the pool,
works, and the pool refills. A real Chromium against a real server."""

from __future__ import annotations

import json
import time

import pytest
from harness import RENDER_TIMEOUT_MS, start_voila, stop
from load import kernel_processes
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BLOOD = "01_blood_and_marrow.ipynb"


def _kernels_when_settled(pid: int, want: int, seconds: float = 90) -> int:
    deadline = time.monotonic() + seconds
    n = len(kernel_processes(pid))
    while n != want and time.monotonic() < deadline:
        time.sleep(0.5)
        n = len(kernel_processes(pid))
    return n


def test_class_pool_survives_the_cull_serves_a_working_page_and_refills(browser):
    proc, base, log = start_voila(
        "--CourseVoila.class_size=2",
        "--CourseVoila.class_module=blood",
        "--CourseVoila.class_pool_others=0",
        # Culling sped up, though longer than a kernel takes to start running its notebook
        # (until then Voila cannot tell a pooled kernel from an idle one).
        "--MappingKernelManager.cull_idle_timeout=15",
        "--MappingKernelManager.cull_interval=1",
    )
    try:
        deadline = time.monotonic() + 120
        while "is filled with 2 kernel(s)" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(17)  # longer than the idle cull: pooled kernels have no page, and stay
        assert len(kernel_processes(proc.pid)) == 2
        assert len(kernel_processes(proc.pid)) == 2

        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(RENDER_TIMEOUT_MS)
        page.goto(base + "voila/render/" + BLOOD)
        page.wait_for_selector("#loading", state="detached", timeout=90_000)
        kernel_id = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
        assert f"Using pre-heated kernel: {kernel_id}" in log.read_text()
        item = page.locator(".allcourse-item").filter(has=page.locator("input[type=radio]"))
        item = item.filter(has=page.get_by_role("button", name="Check answer")).first
        item.scroll_into_view_if_needed()
        item.locator("input[type=radio]").first.check()
        item.get_by_role("button", name="Check answer").click()
        expect(item.locator(".allcourse-status")).to_contain_text("orrect")
        # The page's kernel plus a refilled pool of two.
        assert _kernels_when_settled(proc.pid, 3) == 3
        page.close(run_before_unload=True)
        assert _kernels_when_settled(proc.pid, 2) == 2  # back to the pool
        context.close()
    finally:
        stop(proc)
