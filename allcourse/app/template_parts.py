"""HTML around every page (header, navigation, pager, footer), built from course.yml.

Registered as Jinja filters of the course's Voila template (see assets/voila/voila.json),
so the navigation is drawn from the one course map rather than typed into the template.
"""

from __future__ import annotations

import html
import json
import re

from allcourse.app.page import NOTICE
from allcourse.course.content import ContentError
from allcourse.course.course_map import Course, Module, course


def _current(name: str) -> tuple[Course, Module | None]:
    c = course()
    notebook = name if name.endswith(".ipynb") else f"{name}.ipynb"
    return c, c.module_for_notebook(notebook)


def _link(module: Module, current: Module | None, css: str) -> str:
    here = current is not None and module.id == current.id
    aria = ' aria-current="page"' if here else ""
    return (
        f'<a class="{css}" data-module="{html.escape(module.id)}" '
        f'href="{html.escape(module.notebook)}"{aria}>'
        f'<span class="allcourse-nav-number">{module.number}</span> '
        f"{html.escape(module.title)}</a>"
    )


def course_header(name: str) -> str:
    """Skip link, course title and the module navigation (current page marked)."""
    try:
        c, current = _current(name)
    except ContentError as exc:
        error = html.escape(str(exc))
        return f'<header class="allcourse-header"><p role="alert">{error}</p></header>'
    title = f"{current.label} – {c.short_title}" if current else c.short_title
    links = "".join(f"<li>{_link(m, current, 'allcourse-nav-link')}</li>" for m in c.modules)
    return (
        '<a class="allcourse-skip-link" href="#main-content">Skip to content</a>'
        '<header class="allcourse-header">'
        '<p class="allcourse-course-title">'
        f'<a href="00_start_here.ipynb">{html.escape(c.title)}</a></p>'
        '<nav class="allcourse-nav" aria-label="Course modules">'
        f'<ol class="allcourse-nav-list">{links}</ol></nav>'
        "</header>"
        f"<script>document.title = {json.dumps(title)};</script>"
    )


def course_pager(name: str) -> str:
    """Previous / next links at the end of a module."""
    try:
        c, current = _current(name)
    except ContentError:
        return ""
    if current is None:
        return ""
    prev, nxt = c.neighbours(current.id)
    parts = []
    if prev:
        parts.append(
            f'<a class="allcourse-pager-prev" rel="prev" href="{html.escape(prev.notebook)}">'
            f'<span aria-hidden="true">← </span>Previous: {html.escape(prev.label)}</a>'
        )
    if nxt:
        parts.append(
            f'<a class="allcourse-pager-next" rel="next" href="{html.escape(nxt.notebook)}">'
            f'Next: {html.escape(nxt.label)}<span aria-hidden="true"> →</span></a>'
        )
    label = "Previous and next module"
    return f'<nav class="allcourse-pager" aria-label="{label}">{"".join(parts)}</nav>'


def course_footer(name: str) -> str:
    """The notice every page carries, and the way to the sources."""
    return (
        '<footer class="allcourse-footer">'
        f'<p class="allcourse-notice"><strong>{html.escape(NOTICE)}</strong> '
        "Follow your institution's protocols and the prescriber's orders in practice.</p>"
        '<p><a href="00_start_here.ipynb#references">References for this course</a></p>'
        "</footer>"
    )


_REMOTE = re.compile(
    r"<link\b[^>]*\bhref=[\"']https?://[^>]*>|<script\b[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>",
    re.IGNORECASE,
)


def drop_remote(markup: str) -> str:
    """Remove stylesheets and scripts loaded from other hosts (the course works offline)."""
    return _REMOTE.sub("", markup)
