"""Take the README's screenshots of the running course (`make screenshot`)."""

from __future__ import annotations

from harness import CHROMIUM_ARGS, RENDER_TIMEOUT_MS, ROOT, find_chromium, start_voila, stop
from playwright.sync_api import sync_playwright

SHOTS = [
    # (theme, notebook, file, viewport)
    ("light", "00_start_here.ipynb", "screenshot-home.png", {"width": 1280, "height": 900}),
    (
        "dark",
        "01_blood_and_marrow.ipynb",
        "screenshot-module-dark.png",
        {"width": 1280, "height": 900},
    ),
]


def main() -> None:
    executable = find_chromium()
    if executable is None:
        raise SystemExit("No Chromium found: install Debian's chromium or set $CHROMIUM.")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for theme, notebook, name, viewport in SHOTS:
            proc, base, _ = start_voila(f"--VoilaConfiguration.theme={theme}")
            try:
                page = browser.new_page(viewport=viewport)
                page.goto(base + "voila/render/" + notebook)
                page.wait_for_selector("#loading", state="detached", timeout=RENDER_TIMEOUT_MS)
                page.wait_for_timeout(1500)  # let widgets finish drawing
                page.screenshot(path=str(ROOT / "assets" / name))
                page.close()
                print(f"assets/{name}")
            finally:
                stop(proc)
        browser.close()


if __name__ == "__main__":
    main()
