"""Server settings a class depends on: kernels of pages that vanish without a word are
culled, open pages keep theirs, students see no tracebacks, and URL overrides of
template/theme are off."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest
from harness import ROOT, start_voila, stop

CONFIG = json.loads((ROOT / "assets" / "voila" / "voila.json").read_text())


def test_config_culls_orphans_within_minutes_and_hides_tracebacks():
    kernels = CONFIG["MappingKernelManager"]
    assert kernels["cull_idle_timeout"] + kernels["cull_interval"] <= 5 * 60
    assert kernels["cull_connected"] is False  # a student still on the page keeps the kernel
    voila = CONFIG["VoilaConfiguration"]
    assert voila["show_tracebacks"] is False
    assert voila["allow_template_override"] == voila["allow_theme_override"] == "NO"


def _kernel_alive(base: str, kernel_id: str) -> bool:
    try:
        urllib.request.urlopen(f"{base}api/kernels/{kernel_id}", timeout=5)
        return True
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return False
        raise


@pytest.mark.browser
def test_kernel_of_a_left_page_is_culled_but_an_open_one_is_not(browser):
    # Same configuration, culling sped up so the test takes seconds, not minutes.
    proc, base, _ = start_voila(
        "--MappingKernelManager.cull_idle_timeout=4", "--MappingKernelManager.cull_interval=1"
    )
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "voila/render/03_treatment_phases.ipynb")
        page.wait_for_selector("#loading", state="detached", timeout=90_000)
        config = json.loads(page.locator("#jupyter-config-data").text_content())
        kernel_id = config["kernelId"]
        time.sleep(8)
        assert _kernel_alive(base, kernel_id), "kernel culled while the student was on the page"
        context.close()  # gone without `beforeunload` (a crash, a killed tab): only the cull helps
        deadline = time.monotonic() + 30
        while _kernel_alive(base, kernel_id) and time.monotonic() < deadline:
            time.sleep(1)
        assert not _kernel_alive(base, kernel_id), "orphaned kernel was not culled"
    finally:
        stop(proc)


@pytest.mark.browser
@pytest.mark.parametrize(
    "query", ["template=lab&theme=dark", "template=../../../instructor&theme=../../etc/passwd"]
)
def test_template_and_theme_overrides_are_ignored(open_page, query):
    cp = open_page(f"03_treatment_phases.ipynb?{query}")
    assert "theme-light" in cp.page.locator("body").get_attribute("class")
    assert cp.page.locator("header.allcourse-header").count() == 1
