"""Take the README's screenshots of the running course (`make screenshot`)."""

from __future__ import annotations

from harness import CHROMIUM_ARGS, RENDER_TIMEOUT_MS, ROOT, find_chromium, start_voila, stop
from playwright.sync_api import sync_playwright


def wrong_first_try(page) -> None:
    """Practice mode after a first wrong check: only the chosen option is marked."""
    card = page.locator(".allcourse-quiz .allcourse-item").first
    card.wait_for(timeout=RENDER_TIMEOUT_MS)
    card.get_by_label("Day 7", exact=True).check()  # not the answer
    card.get_by_role("button", name="Check answer").click()
    card.locator(".allcourse-feedback").wait_for()
    card.scroll_into_view_if_needed()


def navigation_after_a_check(page) -> None:
    """A self-check's navigation bar after the first question was checked: its status
    shows in the position line and in Go to question."""
    wrong_first_try(page)
    nav = page.locator(".allcourse-question-nav").first
    nav.evaluate("el => el.scrollIntoView({block: 'start'})")


SHOTS = [
    # (theme, notebook, file, viewport, what to do before the picture)
    ("light", "00_start_here.ipynb", "screenshot-home.png", {"width": 1280, "height": 900}, None),
    (
        "dark",
        "01_blood_and_marrow.ipynb",
        "screenshot-module-dark.png",
        {"width": 1280, "height": 900},
        None,
    ),
    (
        "light",
        "08_question_types.ipynb",
        "screenshot-practice-phone.png",
        {"width": 390, "height": 844},
        wrong_first_try,
    ),
    (
        "light",
        "08_question_types.ipynb",
        "screenshot-navigation-phone.png",
        {"width": 390, "height": 844},
        navigation_after_a_check,
    ),
]


def main() -> None:
    executable = find_chromium()
    if executable is None:
        raise SystemExit("No Chromium found: install Debian's chromium or set $CHROMIUM.")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for theme, notebook, name, viewport, act in SHOTS:
            proc, base, _ = start_voila(f"--VoilaConfiguration.theme={theme}")
            try:
                page = browser.new_page(viewport=viewport)
                page.goto(base + "voila/render/" + notebook)
                page.wait_for_selector("#loading", state="detached", timeout=RENDER_TIMEOUT_MS)
                page.wait_for_timeout(1500)  # let widgets finish drawing
                if act is not None:
                    act(page)
                    page.wait_for_timeout(500)
                page.screenshot(path=str(ROOT / "assets" / name))
                page.close()
                print(f"assets/{name}")
            finally:
                stop(proc)
        browser.close()


if __name__ == "__main__":
    main()
