"""Content text to safe HTML, in the text format it was written in.

Notebook Markdown cells are rendered by Jupyter itself; this is for text that reaches
the page through widgets (stems, options, rationales, feedback, chart tabs). One
function, `to_html`, knows the four formats an item's `text_format` can name, so every
widget formats text the same way:

- `markdown`: the course's own format (Markdown; raw HTML inside it is allowed);
- `html`: HTML as written (Moodle's `[html]`);
- `moodle`: Moodle's default "Moodle auto-format": HTML is allowed and line breaks show;
- `plain`: text shown exactly as written, line breaks kept.

Whatever the format, the HTML that leaves `to_html` has been through the `nh3`
sanitiser (the Ammonia HTML sanitiser, maintained by the Rust and Python communities):
formatting (`<b>`, `<sup>`, lists, tables, links, images) stays; scripts, event
handlers (`onerror=`), `style`, forms, frames and `javascript:` or `data:` links go.
Text imported from Moodle is sanitised on import too (`unsafe_html` says what goes).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser

import mistune
import nh3

TEXT_FORMATS = ("markdown", "html", "moodle", "plain")

_md = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])

# Ammonia's default allow-list (formatting, lists, tables, links, images), plus `scope`
# on table headers for screen readers; `rel="noopener noreferrer"` is added to links.
ALLOWED_TAGS: frozenset[str] = frozenset(nh3.ALLOWED_TAGS)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"lang", "title"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "srcset", "poster"}
# Elements whose content is dropped with them (their text is code or styling, not content).
_DROP_WITH_CONTENT = frozenset({"script", "style"})


def sanitize(fragment: str) -> str:
    """An HTML fragment with everything but harmless formatting removed (nh3)."""
    attributes = {tag: set(a) for tag, a in ALLOWED_ATTRIBUTES.items()}
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes=attributes,
        url_schemes=set(URL_SCHEMES),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        link_rel="noopener noreferrer",
    )


# Text with none of these characters reads the same in every format: no parsing needed
# (most option labels), which keeps drawing a 25-item quiz fast.
_MARKUP = re.compile(r"[<>&*_`\[\]\\#~|!\n\r\"'=+-]|^\s*\d+[.)]|\s{2}|^\s|\s$")


@lru_cache(maxsize=8192)
def to_html(text: str | None, fmt: str = "markdown", *, inline: bool = False) -> str:
    """Content text in format `fmt` (an item's `text_format`) as sanitised HTML.

    `inline` leaves out the wrapping paragraph, for labels in tables and sentence pieces.
    An unknown `fmt` is read as plain text (shown as written, never as HTML).
    """
    if not text:
        return ""
    if not _MARKUP.search(text):
        return text if inline else f"<p>{text}</p>"
    if fmt == "markdown":
        out = _md(text).strip()
    elif fmt == "html":
        out = text.strip()
    elif fmt == "moodle":
        # Moodle auto-format: HTML allowed, each line break shows.
        out = re.sub(r"\r?\n", "<br>\n", text.strip())
    else:
        out = html.escape(text.strip(), quote=False).replace("\n", "<br>\n")
    out = sanitize(out)
    if inline:
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
    elif fmt != "markdown" and not _starts_block(out):
        out = f"<p>{out}</p>"
    return out


_BLOCK = re.compile(
    r"^<(p|div|ul|ol|table|blockquote|pre|h[1-6]|dl|figure|hr|details)\b", re.IGNORECASE
)


def _starts_block(fragment: str) -> bool:
    return bool(_BLOCK.match(fragment))


def md(text: str | None, fmt: str = "markdown") -> str:
    """Render content text to HTML, as a block. `fmt` follows the item's `text_format`."""
    return to_html(text, fmt)


def md_inline(text: str | None, fmt: str = "markdown") -> str:
    """Render a short piece of text without the wrapping <p> (for labels in tables)."""
    return to_html(text, fmt, inline=True)


def plain(text: str | None, fmt: str = "markdown") -> str:
    """Content text reduced to plain text, for accessible names and widget labels
    (which the browser shows as text, never as HTML)."""
    if not text:
        return ""
    if fmt == "plain":
        return " ".join(text.split())
    if not _MARKUP.search(text):
        return text
    s = re.sub(r"<br\s*/?>", " ", to_html(text, fmt, inline=True))
    s = html.unescape(re.sub(r"<[^>]+>", "", s)).strip()
    # In HTML a line break is a space; Markdown labels keep theirs as written.
    return s if fmt == "markdown" else " ".join(s.split())


# --- what the sanitiser removes, said in words (for import reports) --------------------


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[str] = []

    def _note(self, what: str) -> None:
        if what not in self.removed:
            self.removed.append(what)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self._note(f"<{tag}>")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
        for name, value in attrs:
            if name not in allowed:
                self._note(f"the {name} attribute of <{tag}>")
            elif name in _URL_ATTRIBUTES and value and _bad_url(value):
                scheme = value.strip().split(":", 1)[0].lower()
                self._note(f"a {scheme}: link in <{tag} {name}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self._note("an HTML comment")


def _bad_url(value: str) -> bool:
    v = re.sub(r"[\x00-\x20]", "", html.unescape(value))
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", v)
    return bool(m) and m.group(1).lower() not in URL_SCHEMES


def unsafe_html(text: str | None) -> list[str]:
    """What the sanitiser would remove from the HTML in `text`, in words
    (`["<script>", "the onerror attribute of <img>"]`); [] when it is all harmless."""
    if not text or "<" not in text:
        return []
    audit = _Audit()
    audit.feed(text)
    audit.close()
    return audit.removed
