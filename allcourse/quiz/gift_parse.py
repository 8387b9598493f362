"""Reading Moodle GIFT text into `GiftQuestion` records, with line numbers.

This is a pure parser: it knows GIFT, not the course's item models (`gift.py` turns
questions into items). It follows what Moodle's own importer (question/format/gift)
does, so a file Moodle accepts reads the same here:

- questions are separated by blank lines; lines starting with `//` are comments;
- `\\~ \\= \\# \\{ \\} \\:` escape the control characters, `\\\\` is a backslash and
  `\\n` a line break;
- `::name::` names a question, `[html]`/`[moodle]`/`[plain]`/`[markdown]` set the format
  of the text that follows (question text, answer or feedback);
- the first `{` ... `}` holds the answers; the type follows from what is inside:
  nothing (essay), `#` first (numerical), a `~` (multiple choice), `=` and `->`
  (matching), `T`/`TRUE`/`F`/`FALSE` (true/false), else short answer;
- `####` starts the general feedback, `%50%` weights an answer, `#` starts an
  answer's feedback; text after `}` makes a missing-word question (the text keeps
  `_____` where the answers were).

Where Moodle would guess silently (text after `}` that is only stray punctuation, a
malformed weight or number, braces that do not close), a question gets a `note` or an
`error` with the line it is on, so the importer can say exactly what it did.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("html", "moodle", "plain", "markdown")
BLANK_MARKER = "_____"
META_PREFIX = "// allcourse:"  # course fields GIFT cannot hold, written by our export
BANK_META_PREFIX = "// allcourse-bank:"

# Escaped control characters become private-use placeholders while parsing, so that
# splitting on `~ = # { } :` never splits on an escaped one (Moodle does the same).
_ESCAPES = {
    "\\": "\ue000",
    ":": "\ue001",
    "#": "\ue002",
    "=": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    "~": "\ue006",
    "n": "\ue007",
}
_RESTORE = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()}
_RESTORE_TABLE = str.maketrans(_RESTORE)

_WEIGHT = re.compile(r"%(?P<w>[^%\s]*)%")
_PERCENT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")
_SENTENCE_END = re.compile(r"[.?!\u2026]+[\"'\u201d\u2019)\]]*")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def protect(text: str) -> str:
    """Replace GIFT escapes (`\\~`, `\\\\`, ...) by placeholders, left to right."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPES:
            out.append(_ESCAPES[text[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def restore(text: str) -> str:
    """Placeholders back to the characters they stand for."""
    return text.translate(_RESTORE_TABLE)


@dataclass(frozen=True)
class GiftText:
    """A piece of text and the `[format]` written in front of it, if any."""

    text: str
    format: str | None = None


@dataclass
class GiftAnswer:
    """One answer inside the braces.

    `marker` is `=`, `~` or "" (an answer written without one); `weight` is the `%N%`
    percentage as a fraction (None when not written); `right` is the right-hand side of
    a matching pair.
    """

    line: int
    text: GiftText
    marker: str = ""
    weight: float | None = None
    feedback: GiftText | None = None
    right: str | None = None


@dataclass
class GiftQuestion:
    """One question as written. `kind` is one of multichoice, truefalse, matching,
    numerical, shortanswer, essay, description or invalid (`error` says why)."""

    number: int  # 1-based position among the file's questions
    line: int  # line of the question's first character
    kind: str
    name: str | None = None
    text: str = ""  # question text without the answers; BLANK_MARKER for a missing word
    format: str | None = None  # [format] of the question text
    category: str | None = None  # the $CATEGORY in effect
    answers: list[GiftAnswer] = field(default_factory=list)
    general_feedback: GiftText | None = None
    wrong_feedback: GiftText | None = None  # numerical `~#...`; true/false: if wrong
    right_feedback: GiftText | None = None  # true/false: if right
    truth: bool | None = None  # true/false: the key
    blank_at: int | None = None  # index of BLANK_MARKER in `text` (missing-word format)
    error: str | None = None
    error_line: int | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)
    meta: dict[str, Any] | None = None  # the `// allcourse:` comment, if any
    answers_line: int | None = None  # line of the opening brace

    @property
    def label(self) -> str:
        """How reports name the question: `question 3 'Kanji Origins'`."""
        return f"question {self.number}" + (f" {self.name!r}" if self.name else "")


class _Invalid(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


def split_format(text: str) -> GiftText:
    """`[html]text` -> GiftText(text, "html"); the text is not yet restored or stripped."""
    stripped = text.lstrip()
    m = _FORMAT.match(stripped)
    if m:
        return GiftText(stripped[m.end() :], m.group(1))
    return GiftText(text, None)


def _clean(text: str) -> str:
    """Answer or feedback text: each written line stripped (indentation in a GIFT file is
    layout), escapes restored. Escaped line breaks (`\\n`) are kept as written."""
    return restore("\n".join(line.strip() for line in text.split("\n")).strip())


def _piece(text: str) -> GiftText:
    t = split_format(text.strip())
    return GiftText(_clean(t.text), t.format)


def _feedback(text: str | None) -> GiftText | None:
    if text is None:
        return None
    piece = _piece(text)
    return piece if piece.text else None


def parse_number(text: str) -> float | None:
    """A GIFT number (`1822`, `-3.5`, `1e3`), or None."""
    t = text.strip()
    return float(t) if _NUMBER.fullmatch(t) else None


def _weight(text: str, line: int, which: str) -> tuple[float | None, str]:
    """Take a leading `%N%` off an answer: (fraction or None, the rest)."""
    t = text.lstrip()
    if not t.startswith("%"):
        return None, t
    m = _WEIGHT.match(t)
    if m is None or not _PERCENT.fullmatch(m.group("w")):
        shown = m.group(0) if m else t.split()[0][:20]
        raise _Invalid(
            line,
            f"{which}: bad weight {restore(shown)!r}: write a percentage such as %50% or %-25%",
        )
    percent = float(m.group("w"))
    if not -100 <= percent <= 100:
        raise _Invalid(line, f"{which}: weight {percent:g}% is outside -100% to 100%")
    return percent / 100, t[m.end() :]


class _Block:
    """The text of one question with positions mapped back to file lines."""

    def __init__(self, text: str, first_line: int):
        self.text = text
        self.first_line = first_line

    def line(self, pos: int) -> int:
        return self.first_line + self.text.count("\n", 0, max(pos, 0))


def _split_at(text: str, seps: str, base: int) -> list[tuple[int, str, str]]:
    """Split at every character in `seps`: (position, separator or "", piece)."""
    out: list[tuple[int, str, str]] = []
    start, sep = 0, ""
    for i, c in enumerate(text):
        if c in seps:
            out.append((base + start, sep, text[start:i]))
            start, sep = i + 1, c
    out.append((base + start, sep, text[start:]))
    return out


def _answer_pieces(block: _Block, body: str, base: int, seps: str) -> list[tuple[int, str, str]]:
    """Answers as Moodle splits them; the empty piece before the first marker is dropped."""
    pieces = _split_at(body, seps, base)
    if pieces and not pieces[0][2].strip():
        pieces = pieces[1:]
    return [(block.line(pos + len(p) - len(p.lstrip())), sep, p) for pos, sep, p in pieces]


def _comment(text: str) -> tuple[str, str | None]:
    """Moodle's comment parser: answer text, then feedback after the first `#`."""
    if "#" in text:
        answer, feedback = text.split("#", 1)
        return answer, feedback
    return text, None


def _multichoice(q: GiftQuestion, block: _Block, body: str, base: int) -> None:
    for n, (line, sep, piece) in enumerate(_answer_pieces(block, body, base, "~="), 1):
        which = f"answer {n}"
        if sep == "":
            q.notes.append(
                (line, f"{which}: text before the first ~ or = is read as a wrong answer")
            )
        weight, rest = _weight(piece, line, which)
        answer, feedback = _comment(rest)
        q.answers.append(GiftAnswer(line, _piece(answer), sep or "~", weight, _feedback(feedback)))


def _matching(q: GiftQuestion, block: _Block, body: str, base: int) -> None:
    for n, (line, _sep, piece) in enumerate(_answer_pieces(block, body, base, "="), 1):
        if "->" not in piece:
            raise _Invalid(line, f"answer {n} has no '->': matching answers are =left -> right")
        left, right = piece.split("->", 1)
        right, feedback = _comment(right)
        q.answers.append(
            GiftAnswer(line, _piece(left), "=", None, _feedback(feedback), _clean(right))
        )


def _numerical(q: GiftQuestion, block: _Block, body: str, base: int) -> None:
    body = body[1:]  # the leading "#"
    base += 1
    if "~" in body:
        at = body.index("~")
        _, wrong = _comment(body[at + 1 :])
        if wrong is None:
            q.notes.append(
                (
                    block.line(base + at),
                    "'~' without '#' after the numbers: ignored "
                    "(wrong-answer feedback is written ~#feedback)",
                )
            )
        q.wrong_feedback = _feedback(wrong)
        body = body[:at]
    pieces = _answer_pieces(block, body, base, "=")
    if not pieces:
        raise _Invalid(block.line(base), "a numerical question needs at least one number")
    for n, (line, sep, piece) in enumerate(pieces, 1):
        which = f"answer {n}"
        weight, rest = _weight(piece, line, which)
        value, feedback = _comment(rest)
        value = restore(value).strip()
        if not value:
            raise _Invalid(line, f"{which}: no number")
        q.answers.append(GiftAnswer(line, GiftText(value), sep, weight, _feedback(feedback)))


def _shortanswer(q: GiftQuestion, block: _Block, body: str, base: int) -> None:
    for n, (line, sep, piece) in enumerate(_answer_pieces(block, body, base, "="), 1):
        weight, rest = _weight(piece, line, f"answer {n}")
        answer, feedback = _comment(rest)
        text = _piece(answer)
        q.answers.append(GiftAnswer(line, GiftText(text.text), sep, weight, _feedback(feedback)))


def _truefalse(q: GiftQuestion, body: str) -> None:
    bits = body.strip().split("#", 2)
    q.truth = _TRUE_FALSE[bits[0].strip()]
    q.wrong_feedback = _feedback(bits[1]) if len(bits) > 1 else None
    q.right_feedback = _feedback(bits[2]) if len(bits) > 2 else None


def _kind(answers: str) -> str:
    a = answers.strip()
    if not a:
        return "essay"
    if a[0] == "#":
        return "numerical"
    if "~" in a:
        return "multichoice"
    if "=" in a and "->" in a:
        return "matching"
    if a.split("#", 1)[0].strip() in _TRUE_FALSE:
        return "truefalse"
    return "shortanswer"


def continues_sentence(tail: str) -> bool:
    """Text after the answers that makes a missing-word question: words, or the end of
    the sentence (`.`, `?`). Stray punctuation such as `";` does not."""
    t = tail.strip()
    return bool(t) and (any(c.isalnum() for c in t) or bool(_SENTENCE_END.fullmatch(t)))


def _question_text(q: GiftQuestion, block: _Block, before: str, after: str, close: int) -> None:
    """Question text and format; a missing word leaves BLANK_MARKER where the answers were."""
    tail = after.strip()
    blank = False
    if tail:
        if continues_sentence(restore(tail)):
            blank = True
        else:
            q.notes.append(
                (
                    block.line(close),
                    f"text after the closing brace ({restore(tail)!r}) is not part of a "
                    "sentence: ignored",
                )
            )
    head = split_format(before.lstrip())
    q.format = head.format
    start = restore(head.text).lstrip()
    if blank:
        text = start + BLANK_MARKER + restore(after.rstrip())
        q.text = text.rstrip()
        q.blank_at = len(start)
    else:
        q.text = start.rstrip()


def _parse_question(q: GiftQuestion, block: _Block) -> None:
    s = block.text
    pos = len(s) - len(s.lstrip())
    if s.startswith("::", pos):
        end = s.find("::", pos + 2)
        if end < 0:
            q.notes.append((block.line(pos), "'::' starts a name that never ends: read as text"))
            pos += 2
        else:
            q.name = " ".join(restore(s[pos + 2 : end]).split()) or None
            pos = end + 2
    body = s[pos:]
    open_, close = body.find("{"), body.find("}")
    if open_ < 0 and close < 0:
        q.kind = "description"
        head = split_format(body.strip())
        q.format, q.text = head.format, restore(head.text).strip()
        return
    if open_ < 0:
        raise _Invalid(block.line(pos + close), "'}' without an opening '{'")
    if close < 0:
        raise _Invalid(block.line(pos + open_), "'{' is never closed: add the missing '}'")
    if close < open_:
        raise _Invalid(block.line(pos + close), "'}' comes before the opening '{'")
    after = body[close + 1 :]
    for c in "{}":
        extra = after.find(c)
        if extra >= 0:
            raise _Invalid(
                block.line(pos + close + 1 + extra),
                f"a second {c!r} after the answers: GIFT allows one {{...}} per question "
                "(escape a literal brace as \\{ or \\})",
            )
    q.answers_line = block.line(pos + open_)
    _question_text(q, block, body[:open_], after, pos + close)
    answers = body[open_ + 1 : close]
    base = pos + open_ + 1
    gf = answers.rfind("####")
    if gf >= 0:
        q.general_feedback = _feedback(answers[gf + 4 :])
        answers = answers[:gf]
    q.kind = _kind(answers)
    if q.kind == "multichoice":
        _multichoice(q, block, answers, base)
    elif q.kind == "matching":
        _matching(q, block, answers, base)
    elif q.kind == "numerical":
        lead = len(answers) - len(answers.lstrip())
        _numerical(q, block, answers.strip(), base + lead)
    elif q.kind == "shortanswer":
        _shortanswer(q, block, answers, base)
    elif q.kind == "truefalse":
        _truefalse(q, answers)


def _meta(lines: list[tuple[int, str]], q: GiftQuestion) -> None:
    for number, line in lines:
        raw = line.strip()[len(META_PREFIX) :]
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            q.notes.append((number, "the // allcourse: comment is not a JSON object: ignored"))
            continue
        q.meta = {**(q.meta or {}), **data}


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Groups of (line number, line) separated by blank lines."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def bank_meta(text: str) -> dict[str, Any] | None:
    """The `// allcourse-bank: {...}` header our export writes, if the file has one."""
    for line in text.splitlines():
        if line.strip().startswith(BANK_META_PREFIX):
            try:
                data = json.loads(line.strip()[len(BANK_META_PREFIX) :])
            except ValueError:
                return None
            return data if isinstance(data, dict) else None
    return None


def parse_gift(text: str) -> list[GiftQuestion]:
    """Every question block of a GIFT file, in order (categories are attached to them)."""
    text = text.lstrip("\ufeff")
    questions: list[GiftQuestion] = []
    category: str | None = None
    for lines in _blocks(text):
        meta_lines = [(n, ln) for n, ln in lines if ln.strip().startswith(META_PREFIX)]
        content = [(n, "" if ln.strip().startswith("//") else ln) for n, ln in lines]
        while content and not content[0][1].strip():
            content.pop(0)
        if not content:
            continue  # only comments
        first = content[0][0]
        joined = protect("\n".join(ln for _, ln in content))
        notes: list[tuple[int, str]] = []
        if joined.lstrip().startswith("$CATEGORY:"):
            head, _, rest = joined.lstrip().partition("\n")
            category = restore(head[len("$CATEGORY:") :]).strip() or None
            if not rest.strip():
                continue
            skipped = joined.lstrip()[: len(head) + 1].count("\n")
            first += skipped
            joined = rest
            notes.append(
                (
                    first,
                    "no blank line after $CATEGORY: Moodle would read this question as part "
                    "of the category name",
                )
            )
        q = GiftQuestion(number=len(questions) + 1, line=first, kind="invalid", category=category)
        q.notes.extend(notes)
        _meta(meta_lines, q)
        block = _Block(joined, first)
        try:
            _parse_question(q, block)
        except _Invalid as exc:
            q.kind, q.error, q.error_line = "invalid", exc.message, exc.line
        questions.append(q)
    return questions


def topic_for(category: str | None, bank_category: str | None) -> str | None:
    """An item's topic from its $CATEGORY: the part below the bank's category, else the
    category's last part (`$course$/top/ALL/Blood` -> `Blood`)."""
    if not category:
        return None
    if bank_category and category.startswith(bank_category + "/"):
        return category[len(bank_category) + 1 :] or None
    return category.rstrip("/").rsplit("/", 1)[-1].strip() or None


# --- text formats ---------------------------------------------------------------------
# GIFT texts carry a format (Moodle's default is "moodle": text in which HTML is allowed
# and line breaks show). Items keep one `text_format` for stem, options, rationales and
# feedback, so texts written in another format are converted
# where that is exact and reported where it is not.

_MD_INLINE = re.compile(r"([\\`*_\[\]|])")
# A line of only "=" and "-" underlines the line above as a heading: mistune takes a mix
# ("=-") too, where CommonMark takes one character repeated.
_MD_LINE_START = re.compile(r"^(?:[#+-](?=\s|$)|>|[=-]+\s*$)")
_MD_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")
_TAG = re.compile(r"<[^>]*>")


def md_escape(text: str, *, allow_html: bool) -> str:
    """Text that Markdown shows exactly as `text` reads in Moodle's plain (`allow_html`
    False) or moodle/html format (True): Markdown's punctuation is backslash-escaped."""
    out = []
    for line in text.split("\n"):
        s = _MD_INLINE.sub(r"\\\1", line.strip()).replace("~~", "\\~\\~")
        if not allow_html:
            s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        s = _MD_LINE_START.sub(lambda m: "\\" + m.group(0), s)
        s = _MD_ORDERED.sub(r"\1\\\2", s)
        out.append(s)
    return "\n".join(out)


def strip_tags(text: str) -> str:
    import html

    return html.unescape(_TAG.sub("", text))


def convert_text(text: str, src: str, dst: str, *, inline: bool = False) -> tuple[str, str | None]:
    """(text in format `dst`, how it was converted) for text written in format `src`.

    The note is None when the formats are the same; it says "formatting lost" when the
    conversion could not keep everything.
    """
    import html

    from allcourse.course.markup import md, md_inline, plain

    if src == dst:
        return text, None
    if dst == "markdown":
        if src == "html":
            return text, "kept as HTML, which Markdown shows as written"
        out = md_escape(text, allow_html=src == "moodle")
        return out, ("escaped for Markdown" if out != text else "nothing to convert")
    if src == "markdown":
        rendered = md_inline(text) if inline else md(text)
        if dst == "plain":
            out = plain(text)
            lost = out != text
            return out, (
                "converted to plain text: Markdown formatting lost"
                if lost
                else "nothing to convert"
            )
        out = rendered if dst == "html" else rendered.replace("\n", "")
        return out, ("rendered to HTML" if out != text else "nothing to convert")
    if dst == "plain":  # from html or moodle
        out = strip_tags(text)
        return out, (
            "converted to plain text: HTML tags removed" if out != text else "nothing to convert"
        )
    if src == "plain":  # to html or moodle
        out = html.escape(text, quote=False)
        if dst == "html":
            out = out.replace("\n", "<br>\n")
        return out, ("HTML-escaped" if out != text else "nothing to convert")
    if dst == "html":  # from moodle: HTML allowed, line breaks show
        out = text.replace("\n", "<br>\n")
        return out, ("line breaks written as <br>" if out != text else "nothing to convert")
    out = " ".join(text.split("\n"))  # html -> moodle: a line break in HTML is a space
    return out, ("line breaks joined" if out != text else "nothing to convert")
