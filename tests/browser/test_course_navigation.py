"""The course as a student meets it: landing page, navigation, landmarks, offline, themes."""

from __future__ import annotations

import pytest
from conftest_helpers import assert_accessible, assert_clean
from harness import start_voila, stop
from playwright.sync_api import expect

from allcourse.course.course_map import course

pytestmark = pytest.mark.browser


def test_home_navigation_reaches_every_module_and_back(open_page):
    cp = open_page("/")
    page = cp.page
    modules = course().modules

    # `/` lands on the course home, not a file listing.
    assert page.url.endswith("/voila/render/00_start_here.ipynb")
    assert page.locator("html").get_attribute("lang") == "en"
    for landmark in ("header", "nav[aria-label='Course modules']", "main", "footer"):
        expect(page.locator(landmark).first).to_be_attached()
    expect(page.locator("footer")).to_contain_text("For education only, not medical advice")
    expect(page.locator("footer a[href='00_start_here.ipynb#references']")).to_be_visible()
    assert page.locator("link[rel='icon']").count() == 1

    # Skip link: the first Tab stop, and it moves focus to the main content.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"

    nav_links = page.locator("a.allcourse-nav-link")
    expect(nav_links).to_have_count(len(modules))

    for i, module in enumerate(modules):
        page.locator(f"a.allcourse-nav-link[data-module='{module.id}']").click()
        cp.wait_rendered()
        assert page.url.endswith("/" + module.notebook)
        current = page.locator("a.allcourse-nav-link[aria-current='page']")
        expect(current).to_have_count(1)
        assert current.get_attribute("data-module") == module.id
        expect(page.locator("h1#module-title")).to_have_text(module.label)
        # Objectives come from course.yml.
        expect(page.locator(".allcourse-objectives").first).to_contain_text(
            module.objectives[0].text
        )
        assert module.title in page.title()
        pager = page.locator("nav.allcourse-pager")
        if i > 0:
            expect(pager.locator("a[rel='prev']")).to_have_attribute(
                "href", modules[i - 1].notebook
            )
        if i + 1 < len(modules):
            expect(pager.locator("a[rel='next']")).to_have_attribute(
                "href", modules[i + 1].notebook
            )
        assert cp.cell_errors() == [], f"{module.notebook} shows an error"
        # Reading order: header, then the cells inside <main>, then the footer.
        assert page.evaluate(
            "document.querySelector('main#main-content').contains("
            "document.querySelector('#rendered_cells .jp-Cell'))"
            " && !!(document.querySelector('main').compareDocumentPosition("
            "document.querySelector('footer')) & Node.DOCUMENT_POSITION_FOLLOWING)"
        ), "the page's content is not inside <main>, before the footer"
        # One document that scrolls: the cells are not a scroll box of their own.
        assert page.evaluate(
            "(() => { const c = document.querySelector('#rendered_cells');"
            " const f = document.querySelector('footer').getBoundingClientRect();"
            " return c.scrollHeight <= c.clientHeight + 1"
            " && f.top >= c.getBoundingClientRect().bottom - 1; })()"
        ), "the cells scroll inside their own box instead of with the page"
        assert_accessible(page, module.notebook)

    # And back home through the course title.
    page.locator(".allcourse-course-title a").click()
    cp.wait_rendered()
    assert page.url.endswith("/00_start_here.ipynb")
    expect(page.locator("#references li#ref-seed-nci-adult-all")).to_be_attached()
    assert_clean(cp)


def test_file_tree_is_not_shown(open_page, voila_server):
    cp = open_page(voila_server + "voila/tree")
    assert cp.page.url.endswith("/voila/render/00_start_here.ipynb")


def test_dark_theme_is_readable(browser):
    """The same pages served in the dark theme pass axe's colour-contrast rules."""
    proc, base, _ = start_voila("--VoilaConfiguration.theme=dark")
    try:
        context = browser.new_context()
        page = context.new_page()
        for notebook in ("00_start_here.ipynb", course().modules[1].notebook):
            page.goto(base + "voila/render/" + notebook)
            page.wait_for_selector("#loading", state="detached", timeout=90_000)
            assert "theme-dark" in page.locator("body").get_attribute("class")
            bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert bg != "rgb(255, 255, 255)", "dark theme still has a white page"
            assert_accessible(page, f"{notebook} (dark)")
        context.close()
    finally:
        stop(proc)


def test_custom_widgets_get_more_than_two_seconds_to_load(open_page):
    """anywidget gives a widget 2 s (AbortSignal.timeout(2000)) to load its script before
    it gives up on drawing it; the course page lengthens that one limit (course.js)."""
    cp = open_page("01_blood_and_marrow.ipynb")
    aborted = cp.page.evaluate(
        """() => new Promise((resolve) => {
             const anywidgets = AbortSignal.timeout(2000), other = AbortSignal.timeout(100);
             setTimeout(() => resolve([anywidgets.aborted, other.aborted]), 2500);
           })"""
    )
    assert aborted == [False, True]
