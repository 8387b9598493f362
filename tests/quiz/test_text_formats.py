"""Text formats are honoured everywhere, the same way (issue 15).

Every item type, in each of the four `text_format`s, is drawn, checked and its key shown;
then every piece of HTML the browser would receive is read back: the item's texts (stem,
options, rows, steps, blanks, rationales, explanation, feedback) follow the item's
format, and nothing unsafe (a script, an event handler, a javascript: link) reaches the
page in any format.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from leak_check import widget_states
from pydantic import TypeAdapter

from allcourse.course.markup import plain, sanitize, to_html, unsafe_html
from allcourse.quiz import events, render_item
from allcourse.quiz.models import Item
from allcourse.quiz.scoring import key_response

ITEM = TypeAdapter(Item)

# A text with formatting, Markdown emphasis and an attack, as an imported bank may hold.
SAFE = "Na<sup>+</sup> *is* <b>135</b> & up"
ATTACK = (
    '<img src="x" onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">l</a>'
)
T = SAFE + ATTACK

EXPECTED = {  # how SAFE reads in the HTML the page gets, per format
    "markdown": "Na<sup>+</sup> <em>is</em> <b>135</b> &amp; up",
    "html": "Na<sup>+</sup> *is* <b>135</b> &amp; up",
    "moodle": "Na<sup>+</sup> *is* <b>135</b> &amp; up",
    "plain": "Na&lt;sup&gt;+&lt;/sup&gt; *is* &lt;b&gt;135&lt;/b&gt; &amp; up",
}
LABEL = {  # how SAFE reads as a widget label (plain text)
    "markdown": "Na+ is 135 & up",
    "html": "Na+ *is* 135 & up",
    "moodle": "Na+ *is* 135 & up",
    "plain": "Na<sup>+</sup> *is* <b>135</b> & up",
}


def opt(i: str, correct: bool = False) -> dict:
    return {"id": i, "text": f"{i} {T}", "correct": correct, "rationale": f"why {i} {T}"}


def items() -> dict[str, dict]:
    three = [opt("a", True), opt("b", True), opt("c")]
    blank = {"id": "x", "label": f"label {T}", "options": [opt("a", True), opt("b")]}
    return {
        "single": {"options": [opt("a", True), opt("b")]},
        "sata": {"options": [opt("a", True), opt("b")]},
        "select_n": {"n": 1, "options": [opt("a", True), opt("b")]},
        "matrix_single": {
            "columns": [{"id": "y", "text": f"yes {T}"}, {"id": "n", "text": "no"}],
            "rows": [{"id": "r", "text": f"row {T}", "correct": ["y"], "rationale": f"why {T}"}],
        },
        "matrix_multiple": {
            "columns": [{"id": "y", "text": f"yes {T}"}, {"id": "n", "text": "no"}],
            "rows": [{"id": "r", "text": f"row {T}", "correct": ["y"], "rationale": f"why {T}"}],
        },
        "cloze": {"template": f"{T} {{{{x}}}} after {T}", "blanks": [blank]},
        "rationale": {
            "template": "{{x}} because {{z}}",
            "blanks": [blank, {**blank, "id": "z"}],
        },
        "ordering": {
            "steps": [
                {"id": "s1", "text": f"first {T}", "rationale": f"why {T}"},
                {"id": "s2", "text": "second"},
            ]
        },
        "matching": {
            "pairs": [
                {"id": "p", "left": f"left {T}", "right": f"right {T}", "rationale": f"why {T}"},
                {"id": "q", "left": "other", "right": "two"},
            ]
        },
        "highlight": {
            "segments": [
                {"text": f"before {T}"},
                {"id": "s", "text": f"mark {T}", "correct": True, "rationale": f"why {T}"},
                {"id": "t", "text": "not this"},
            ]
        },
        "bowtie": {"conditions": [opt("c1", True), opt("c2")], "actions": three, "parameters": [
            {**o, "id": "p" + o["id"]} for o in three]},
        "numeric": {"answers": [{"value": 5, "feedback": f"fb {T}"}], "worked_solution": f"ws {T}"},
        "short_answer": {"answers": [{"text": "yes", "feedback": f"fb {T}"}]},
    }  # fmt: skip


def make(kind: str, fields: dict, fmt: str):
    return ITEM.validate_python(
        {
            "id": f"fmt-{kind}",
            "type": kind,
            "stem": f"stem {T}",
            "explanation": f"explained {T}",
            "text_format": fmt,
            **fields,
        }
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "iframe", "object"):
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad.append(f"{tag} {name}={value}")


def shown(card) -> tuple[list[str], list[str]]:
    """(every HTML value, every plain-text label) in the browser's state of `card`."""
    htmls, labels = [], []
    for state in widget_states(card):
        if state.get("_model_name") == "HTMLModel":
            htmls.append(state["value"])
        if state.get("html"):  # a card's feedback and answer, below its status line
            htmls.append(state["html"])
        if state.get("description"):
            labels.append(state["description"])
        labels += [str(x) for x in state.get("_options_labels", ())]
        labels += [str(x) for x in state.get("labels", ())]  # the ordering list's steps
    return htmls, labels


@pytest.fixture(autouse=True)
def quiet_events(monkeypatch):
    monkeypatch.setattr(events, "_seed", None)
    monkeypatch.setattr(events, "_seed_listeners", [])
    monkeypatch.setattr(events, "_listeners", [])


@pytest.mark.parametrize("fmt", ["markdown", "html", "moodle", "plain"])
@pytest.mark.parametrize("kind", list(items()))
def test_every_text_of_every_type_follows_the_items_format_and_nothing_unsafe_shows(kind, fmt):
    item = make(kind, items()[kind], fmt)
    card = render_item(item, "t")
    card.renderer.set_response(key_response(item))  # answered: the display is tested here
    card.check_answer()
    card.reveal_key()
    htmls, labels = shown(card)
    page = "\n".join(htmls)
    # Nothing unsafe, in any format: no script, no event handler, no javascript: link.
    for value in htmls:
        tags = _Tags()
        tags.feed(value)
        assert not tags.bad, (kind, fmt, tags.bad, value)
    # The stem, the explanation and the rationales or feedback read in the item's format.
    assert f"stem {EXPECTED[fmt]}" in page
    assert f"explained {EXPECTED[fmt]}" in page
    if kind not in ("short_answer", "numeric"):
        assert f"why {EXPECTED[fmt]}" in page or f"why a {EXPECTED[fmt]}" in page, page
    else:
        assert f"fb {EXPECTED[fmt]}" in page or f"ws {EXPECTED[fmt]}" in page, page
    # Options, rows, steps and pairs are labels: plain text, in the same format's reading.
    if kind in ("single", "sata", "select_n", "ordering", "matching", "bowtie", "cloze"):
        assert LABEL[fmt] in "\n".join(labels), labels


@pytest.mark.parametrize("fmt", ["markdown", "html", "moodle"])
def test_the_issue_example_sodium_stem_shows_its_formatting(fmt):
    stem = "The normal serum Na<sup>+</sup> range is <b>135 to 145</b> mEq/L."
    out = to_html(stem, fmt)
    assert "Na<sup>+</sup>" in out and "<b>135 to 145</b>" in out
    assert "&lt;" not in out


def test_plain_text_stays_plain_and_keeps_its_line_breaks():
    assert to_html("a <b> b\nc", "plain") == "<p>a &lt;b&gt; b<br>\nc</p>"
    assert plain("a <b> b\nc", "plain") == "a <b> b c"


def test_moodle_format_shows_line_breaks_and_html():
    assert to_html("line one\n<i>two</i>", "moodle") == "<p>line one<br>\n<i>two</i></p>"
    assert to_html("<ul><li>a</li></ul>", "html") == "<ul><li>a</li></ul>"


@pytest.mark.parametrize(
    "attack, removed",
    [
        ('<img src="x" onerror="alert(1)">', "the onerror attribute of <img>"),
        ("<script>alert(1)</script>", "<script>"),
        ('<a href="javascript:alert(1)">x</a>', "a javascript: link in <a href>"),
        ('<a href="JaVaScRiPt&colon;alert(1)">x</a>', "a javascript: link in <a href>"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "a data: link in <img src>"),
        ('<svg onload="alert(1)"></svg>', "<svg>"),
        ('<iframe src="https://example.org"></iframe>', "<iframe>"),
        ('<p style="background:url(x)">x</p>', "the style attribute of <p>"),
        ('<form action="https://example.org"><input name="q"></form>', "<form>"),
        ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "<math>"),
        ('<object data="x.swf"></object>', "<object>"),
        ('<meta http-equiv="refresh" content="0;url=https://example.org">', "<meta>"),
        ('<base href="https://example.org/">', "<base>"),
    ],
)
def test_the_sanitiser_removes_what_can_run_and_says_so(attack, removed):
    assert removed in unsafe_html(attack)
    for fmt in ("markdown", "html", "moodle"):
        out = to_html(f"ok {attack} ok", fmt)
        tags = _Tags()
        tags.feed(out)
        assert not tags.bad, out
        assert "javascript" not in out.lower() and "data:" not in out
        assert not re.search(r"<(script|iframe|svg|form|object|meta|base|math)\b", out)


@pytest.mark.parametrize(
    "text",
    [
        "<b>bold</b> <i>it</i> <sup>+</sup> <sub>2</sub>",
        "<ul><li>a</li></ul><ol><li>b</li></ol>",
        "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
        '<a href="https://www.cancer.gov/">NCI</a>',
        '<img src="assets/smear.svg" alt="Blood smear">',
    ],
)
def test_harmless_formatting_is_kept(text):
    assert unsafe_html(text) == []
    assert sanitize(text).replace(' rel="noopener noreferrer"', "") == text


def test_the_course_markdown_goes_through_the_same_sanitiser():
    out = to_html('**Bold** <span onclick="x()">s</span> [NCI](https://www.cancer.gov/)')
    assert "<strong>Bold</strong>" in out and "onclick" not in out
    assert '<a href="https://www.cancer.gov/" rel="noopener noreferrer">NCI</a>' in out
    assert "javascript" not in to_html("[x](javascript:alert(1))")


def test_the_fast_path_for_plain_words_gives_what_parsing_gives(monkeypatch):
    """Texts without markup skip the parser; over every text of the course's banks the
    result is the same as parsing them."""
    from allcourse.course import course_map, markup
    from allcourse.quiz.bank import bank

    texts: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            texts.add(value)

    for module in course_map.course().modules:
        if module.bank:
            walk(bank(module.bank.removesuffix(".yml")).model_dump(mode="json"))
    fast = sorted(t for t in texts if not markup._MARKUP.search(t))
    assert len(fast) > 100
    formats = markup.TEXT_FORMATS
    quick = {
        (t, f): (to_html(t, f), to_html(t, f, inline=True), plain(t, f))
        for t in fast
        for f in formats
    }
    markup.to_html.cache_clear()
    monkeypatch.setattr(markup, "_MARKUP", re.compile(r"(?!)"))  # never take the fast path
    try:
        for (t, f), got in quick.items():
            assert got == (to_html(t, f), to_html(t, f, inline=True), plain(t, f)), (t, f)
    finally:
        markup.to_html.cache_clear()
