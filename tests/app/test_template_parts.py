"""Header, pager and footer HTML built from the course map."""

from __future__ import annotations

from allcourse.app.template_parts import course_footer, course_header, course_pager, drop_remote


def test_header_marks_only_the_current_module():
    html = course_header("02_diagnosis_and_risk")
    assert html.count('aria-current="page"') == 1
    assert 'data-module="diagnosis" href="02_diagnosis_and_risk.ipynb" aria-current="page"' in html
    assert html.count('class="allcourse-nav-link"') == 9
    assert 'href="#main-content">Skip to content' in html


def test_pager_links_neighbours_and_ends():
    assert 'rel="prev" href="01_blood_and_marrow.ipynb"' in course_pager("02_diagnosis_and_risk")
    assert 'rel="next" href="03_treatment_phases.ipynb"' in course_pager("02_diagnosis_and_risk")
    assert 'rel="prev"' not in course_pager("00_start_here.ipynb")
    assert 'rel="next"' not in course_pager("08_question_types")
    assert course_pager("scratch") == ""


def test_footer_carries_the_notice():
    assert "For education only, not medical advice." in course_footer("00_start_here")


def test_drop_remote_keeps_local_assets():
    markup = (
        '<link rel="stylesheet" href="https://cdn.example.org/fa.css" type="text/css" />'
        '<link rel="stylesheet" href="/voila/static/x.css">'
        '<script src="https://cdn.example.org/a.js"></script><script src="/local.js"></script>'
    )
    assert drop_remote(markup) == (
        '<link rel="stylesheet" href="/voila/static/x.css"><script src="/local.js"></script>'
    )
