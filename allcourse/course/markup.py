"""Markdown to HTML for content written in YAML (stems, rationales, chart tabs).

Notebook Markdown cells are rendered by Jupyter itself; this is for text that reaches
the page through widgets. One renderer, so every widget formats text the same way.
"""

from __future__ import annotations

import html

import mistune

_md = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def md(text: str | None, fmt: str = "markdown") -> str:
    """Render content text to HTML. `fmt` follows the item's `text_format`."""
    if not text:
        return ""
    if fmt == "html":
        return text
    if fmt in ("plain", "moodle"):
        return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"
    return _md(text).strip()


def md_inline(text: str | None) -> str:
    """Render a short piece of Markdown without the wrapping <p> (for labels in tables)."""
    out = md(text)
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def plain(text: str | None) -> str:
    """Markdown reduced to plain text, for accessible names and widget labels."""
    if not text:
        return ""
    import re

    s = re.sub(r"<[^>]+>", "", md_inline(text))
    return html.unescape(s).strip()
