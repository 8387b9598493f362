"""Writing items as Moodle GIFT text (the export side of `allcourse.quiz.gift`).

Each item GIFT can express becomes one question: `::id::[format]stem{answers}`, with
`=`/`~` and `%weights%`, `#feedback` from rationales, `####` from the explanation. Items
GIFT cannot express are not written; `plan` says why. What GIFT has no place for
(sources, objective, option ids, pair rationales, a numeric unit, ...) goes in a
`// allcourse: {json}` comment that Moodle ignores and our import reads back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from allcourse.quiz import models as m
from allcourse.quiz.gift_parse import (
    BANK_META_PREFIX,
    BLANK_MARKER,
    META_PREFIX,
    continues_sentence,
    convert_text,
)

# Fields of the allcourse comment that students see or that change grading in our app:
# Moodle will not have them, so the export report names them.
MOODLE_LOSES = {
    "rationales": "the pairs' rationales (GIFT matching has no per-pair feedback)",
    "worked_solution": "the worked solution",
    "unit": "the unit (Moodle will not accept a number typed with it)",
    "case_sensitive": "case-sensitive matching (Moodle ignores case)",
    "thousands_separator": "the rule on thousands separators",
}

_SPECIAL = {c: "\\" + c for c in "\\~=#{}:"}
_FORMAT_MARK = re.compile(r"\s*\[(html|moodle|plain|markdown)\]")
_SLOT = "\ue010"  # where the answers go in a stem, while it is being escaped

_NOT_IN_GIFT = {
    "select_n": "GIFT has no select-N question (Moodle's multiple answer does not limit "
    "the number of picks)",
    "matrix_single": "GIFT has no matrix question",
    "matrix_multiple": "GIFT has no matrix question",
    "rationale": "GIFT has no drop-down rationale question",
    "ordering": "GIFT has no ordering question",
    "highlight": "GIFT has no highlight question",
    "bowtie": "GIFT has no bowtie question",
}


def esc(text: str) -> str:
    """Escape GIFT's control characters (and the backslash itself)."""
    return "".join(_SPECIAL.get(c, c) for c in text)


def esc_inline(text: str) -> str:
    """An answer or feedback on one line: line breaks written as `\\n`."""
    return esc(text.strip()).replace("\r", "").replace("\n", "\\n")


def _stem(text: str) -> str:
    """Question text: line breaks kept, except where a raw line break would end the
    question (a blank line) or start a comment (`//`); those are written as `\\n`."""
    lines = esc(text.strip()).replace("\r", "").split("\n")
    out = lines[0]
    for line in lines[1:]:
        risky = not line.strip() or line.lstrip().startswith("//")
        out += ("\\n" if risky else "\n") + line
    return out


def _number(x: float) -> str:
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def _pct(fraction: float, *, digits: int | None = None) -> str:
    """`%50%`: the shortest percentage that reads back as exactly `fraction`."""
    value = fraction * 100
    if digits is not None:
        text = f"{round(value, digits):.{digits}f}".rstrip("0").rstrip(".")
        return f"%{text}%"
    for d in range(0, 16):
        text = f"{value:.{d}f}"
        if float(text) / 100 == fraction:
            break
    else:
        text = repr(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"%{text or '0'}%"


def _guard(text: str, fmt: str) -> str:
    """A text that would be misread at the start of an answer (`%..%` as a weight,
    `[..]` as a format) gets its format written in front of it."""
    return f"[{fmt}]" if text.lstrip().startswith(("%", "[")) else ""


def _feedback(text: str | None, fmt: str) -> str:
    """A rationale or feedback as GIFT feedback text, without the leading `#`.

    Rationales are written in the item's format, which unmarked GIFT feedback takes
    too; the format is written only where the text would be misread as one (`[html]`).
    """
    if not text or not text.strip():
        return ""
    t = text.strip()
    prefix = f"[{fmt}]" if _FORMAT_MARK.match(t) else ""
    return prefix + esc_inline(t)


def _block(lines: list[str], item: m.ItemBase, opener: str = "{") -> str:
    if item.explanation and item.explanation.strip():
        lines = [*lines, "####" + esc_inline(item.explanation)]
    return opener + "\n" + "\n".join(lines) + "\n}"


def _head(item: m.ItemBase) -> str:
    fmt = item.text_format
    prefix = "" if fmt == "moodle" and not item.stem.lstrip().startswith("[") else f"[{fmt}]"
    return f"::{esc(item.id)}::{prefix}"


def _question(item: m.ItemBase, stem: str, block: str) -> str:
    """Head, stem and answers; a stem with one BLANK_MARKER is written as a missing word."""
    before, marker, after = stem.strip().partition(BLANK_MARKER)
    if marker and BLANK_MARKER not in after and continues_sentence(after):
        text = _stem(before + _SLOT + after)
    else:
        text = _stem(stem) + _SLOT
    return _head(item) + text.replace(_SLOT, block)


@dataclass
class Written:
    text: str
    meta: dict[str, Any] = field(default_factory=dict)  # what the writer knows GIFT loses
    notes: list[str] = field(default_factory=list)


def _choice_lines(options: list[m.Option], fmt: str, weights: list[str | None]) -> list[str]:
    lines = []
    for o, weight in zip(options, weights, strict=True):
        marker = "=" if weight is None else "~" + weight
        fb = _feedback(o.rationale, fmt)
        lines.append(marker + _guard(o.text, fmt) + esc_inline(o.text) + (f"#{fb}" if fb else ""))
    return lines


def _single(item: m.SingleChoice) -> Written:
    fmt, opts = item.text_format, item.options
    notes = []
    if [o.text for o in opts] == ["True", "False"] and all(o.credit is None for o in opts):
        key = next(o for o in opts if o.correct)
        other = next(o for o in opts if not o.correct)
        right, wrong = _feedback(key.rationale, fmt), _feedback(other.rationale, fmt)
        answer = "TRUE" if key.text == "True" else "FALSE"
        if right:
            answer += f"#{wrong}#{right}"
        elif wrong:
            answer += f"#{wrong}"
        return Written(_question(item, item.stem, _block([answer], item)))
    weights: list[str | None] = []
    for o in opts:
        if o.correct:
            weights.append(None)
            if o.credit not in (None, 1):
                notes.append(
                    f"item {item.id!r}: the key's credit {o.credit:g} is not exported "
                    "(GIFT's = is worth 100%)"
                )
        else:
            weights.append("" if o.credit is None else _pct(o.credit))
    lines = _choice_lines(opts, fmt, weights)
    return Written(_question(item, item.stem, _block(lines, item)), notes=notes)


def _sata(item: m.MultipleResponse) -> Written:
    keys = sum(o.correct for o in item.options)
    weights: list[str | None] = []
    for o in item.options:
        if item.rule == "plus_minus":
            # +1/-1 per option over the number of keys, floored at 0: Moodle's weights
            # give exactly the NCSBN +/- score as a fraction.
            weights.append(_pct((1 if o.correct else -1) / keys, digits=5))
        else:
            weights.append(_pct(o.credit) if o.credit else "")
    lines = _choice_lines(item.options, item.text_format, weights)
    return Written(_question(item, item.stem, _block(lines, item)))


def _cloze(item: m.Cloze) -> Written | str:
    if item.layout != "sentence" or len(item.blanks) != 1 or item.template is None:
        n = len(item.blanks)
        if item.layout == "table":
            return "GIFT has no drop-down table"
        return f"GIFT has one blank per question; this cloze has {n}"
    blank = item.blanks[0]
    template = item.template.strip()
    # Find the blank as written ({{ x }} is allowed too).
    start = template.find("{{")
    end = template.find("}}", start) + 2
    if template.count("{{") != 1 or start < 0 or end < 2:
        return "its template does not have exactly one blank"
    weights = [None if o.correct else "" for o in blank.options]
    lines = _choice_lines(blank.options, item.text_format, weights)
    stem = item.stem.strip()
    sentence = template[:start] + BLANK_MARKER + template[end:]
    meta: dict[str, Any] = {"cloze": {"blank": blank.id, "stem_chars": len(stem)}}
    if blank.label:
        meta["cloze"]["label"] = blank.label
    text = _question(item, stem + "\n\n" + sentence, _block(lines, item))
    return Written(text, meta)


def _matching(item: m.Matching) -> Written | str:
    fmt = item.text_format
    lines, notes = [], []
    for p in item.pairs:
        if "->" in p.left:
            return f"the left side of pair {p.id!r} contains '->', which GIFT reads as the arrow"
    for left, right in [(p.left, p.right) for p in item.pairs] + [
        ("", d) for d in item.distractors
    ]:
        plain, how = convert_text(right.strip(), fmt, "plain")
        if how and "lost" in how:
            notes.append(f"item {item.id!r}: right side {right!r}: Moodle shows plain text, {how}")
        left_text = _guard(left, fmt) + esc_inline(left) if left else ""
        lines.append(f"={left_text} -> {esc_inline(plain)}")
    if len(set(item.choices())) < 3:
        notes.append(
            f"item {item.id!r}: Moodle needs at least 3 answers in a matching question: "
            "add a distractor"
        )
    return Written(_question(item, item.stem, _block(lines, item)), notes=notes)


def _numeric(item: m.Numeric) -> Written:
    lines = []
    for a in item.answers:
        if a.value is not None:
            number = _number(a.value) + (f":{_number(a.tolerance)}" if a.tolerance else "")
        else:
            number = f"{_number(a.min)}..{_number(a.max)}"  # type: ignore[arg-type]
        weight = "" if a.credit == 1 else _pct(a.credit)
        fb = _feedback(a.feedback, item.text_format)
        lines.append(f"={weight}{number}" + (f"#{fb}" if fb else ""))
    return Written(_question(item, item.stem, _block(lines, item, opener="{#")))


def _short(item: m.ShortAnswer) -> Written | str:
    lines = []
    for a in item.answers:
        if "->" in a.text:
            return f"the answer {a.text!r} contains '->', which GIFT would read as matching"
        weight = "" if a.credit == 1 else _pct(a.credit)
        fb = _feedback(a.feedback, item.text_format)
        text = _guard(a.text, item.text_format) + esc_inline(a.text)
        lines.append(f"={weight}{text}" + (f"#{fb}" if fb else ""))
    return Written(_question(item, item.stem, _block(lines, item)))


_WRITERS = {
    m.SingleChoice: _single,
    m.MultipleResponse: _sata,
    m.Cloze: _cloze,
    m.Matching: _matching,
    m.Numeric: _numeric,
    m.ShortAnswer: _short,
}


def write_item(item: m.ItemBase) -> Written | str:
    """The GIFT question for one item, or the reason it cannot be written."""
    if item.type in _NOT_IN_GIFT:  # type: ignore[attr-defined]
        return _NOT_IN_GIFT[item.type]  # type: ignore[attr-defined]
    if item.exhibit is not None:
        return "it has a trend exhibit, which GIFT cannot show"
    writer = _WRITERS.get(type(item))
    if writer is not None:
        return writer(item)
    return f"GIFT has no {item.type} question"  # type: ignore[attr-defined]


def meta_values(item: m.ItemBase) -> dict[str, Any]:
    """Every field the allcourse comment may carry, as this item has it."""
    v: dict[str, Any] = {
        "sources": list(item.sources),
        "objective": item.objective,
        "difficulty": item.difficulty,
        "step": item.step,
        "topic": item.topic,
    }
    options: list[m.Option] | None = None
    if isinstance(item, m.SingleChoice | m.MultipleResponse):
        options = item.options
    elif isinstance(item, m.Cloze) and len(item.blanks) == 1:
        options = item.blanks[0].options
    if options is not None:
        v["ids"] = [o.id for o in options]
        if not (isinstance(item, m.MultipleResponse) and item.rule == "plus_minus"):
            v["credits"] = [o.credit for o in options]
    if isinstance(item, m.MultipleResponse):
        v["rule"] = item.rule
    if isinstance(item, m.Matching):
        v["ids"] = [p.id for p in item.pairs]
        v["rationales"] = [p.rationale for p in item.pairs]
    if isinstance(item, m.Numeric):
        v.update(
            unit=item.unit,
            thousands_separator=item.thousands_separator,
            worked_solution=item.worked_solution,
        )
    if isinstance(item, m.ShortAnswer):
        v["case_sensitive"] = item.case_sensitive
    return v


def with_meta(text: str, meta: dict[str, Any]) -> str:
    if not meta:
        return text
    return f"{META_PREFIX} {json.dumps(meta, ensure_ascii=False)}\n{text}"


def bank_header(bank: m.Bank) -> str:
    data = json.dumps({"title": bank.title, "category": bank.category}, ensure_ascii=False)
    return (
        f"// {bank.title}: exported by python -m allcourse gift export.\n"
        f'// Lines starting with "{META_PREFIX}" keep the course\'s own fields (sources,\n'
        "// objectives, ids); Moodle ignores comments.\n"
        f"{BANK_META_PREFIX} {data}"
    )


@dataclass
class Entry:
    item: m.ItemBase
    written: Written | None
    skip: str | None
    category: str | None  # the $CATEGORY the question is under
    category_line: str | None  # a `$CATEGORY:` line to write before it


@dataclass
class Plan:
    entries: list[Entry]
    notes: list[str]
    trailing_category: str | None = None  # a bank with no items still keeps its category


def _last(category: str) -> str:
    return category.rstrip("/").rsplit("/", 1)[-1].strip()


def plan(bank: m.Bank) -> Plan:
    """Each stand-alone item written (or why not), with the `$CATEGORY` lines it needs.

    A topic becomes a subcategory of the bank's category (`ALL/Blood/lymphocyte jobs`),
    which the import turns back into the topic.
    """
    cat = bank.category
    current = cat
    pending = f"$CATEGORY: {cat}" if cat else None
    entries: list[Entry] = []
    notes: list[str] = []
    for item in bank.items:
        topic = item.topic
        if cat:
            target = f"{cat}/{topic}" if topic and topic != _last(cat) else cat
        else:
            target = topic
        line, pending = pending, None
        if target and target != current:
            line, current = f"$CATEGORY: {target}", target
        written = write_item(item)
        if isinstance(written, str):
            kind = item.type  # type: ignore[attr-defined]
            skip = f"item {item.id!r} ({kind}): not exported: {written}"
            entries.append(Entry(item, None, skip, current, line))
            continue
        if topic is None and current and not cat:
            notes.append(f"item {item.id!r} has no topic: Moodle will file it under {current!r}")
        entries.append(Entry(item, written, None, current, line))
    for case in bank.case_studies:
        notes.append(
            f"case study {case.id!r} ({len(case.items)} items): not exported: GIFT has no "
            "unfolding case study (its items need the shared chart)"
        )
    return Plan(entries, notes, pending)
