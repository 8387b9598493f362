"""Moodle GIFT import and export for question banks.

`import_gift(path)` reads a GIFT file into a `Bank` and a report: one line per question
saying what it became (or why it was skipped), with its line number, and one per text
that had to be converted. `export_gift(bank)` writes the items GIFT can express and
lists the others (bowtie, matrix, highlight, ordering, several-blank cloze, case
studies, ...): they are skipped, never squeezed into a type that scores differently.

How GIFT maps to items:

- multiple choice with `=` -> `single` (`~%50%` gives partial `credit`); without `=`
  (multiple answer with `%` weights) -> `sata` with rule `weights`, correct = credit > 0;
- true/false -> `single` with options True and False, the feedbacks as rationales;
- matching -> `matching` (an empty left side is a distractor); numerical -> `numeric`;
  short answer -> `short_answer` (`*` wildcards kept);
- `#feedback` -> the option's rationale, `####` -> `explanation`;
  `::name::` -> `id` (slugified, made unique), `$CATEGORY` -> the bank's `category` and
  each item's `topic`; `[html]` etc. -> `text_format`, which every text of the item
  (stem, options, rationales, feedback) then follows; a text written in another format
  is converted to it and the report says how;
- HTML is sanitised on import (nh3; the report names what was removed, such as a
  `<script>` or an `onerror` attribute) and again when a page shows it; an image held
  on the Moodle server (`@@PLUGINFILE@@/...`) is reported, with what to do;
- several `=` answers in one multiple-choice question (Moodle: each is fully right) ->
  `single` with the first as the key and the others at credit 1 (full marks);
- a scoring loophole (a response that ignores the question earns credit, such as
  ticking every box of a weighted question whose wrong answers weigh 0%) is reported
  with how to fix it (`allcourse.quiz.loopholes`).

Fields GIFT cannot hold (sources, objective, difficulty, option ids, ...) are written by
the export as one `// allcourse: {json}` comment above each question. Moodle ignores
comments; the import reads them back, so export -> import gives the same items.
Items from other GIFT files have no sources: the report says they must be completed.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import TypeAdapter, ValidationError

from allcourse.course.content import ContentError, Problem, display_path
from allcourse.course.markup import sanitize, unsafe_html
from allcourse.quiz import gift_write, loopholes
from allcourse.quiz import models as m
from allcourse.quiz.gift_parse import (
    BLANK_MARKER,
    GiftAnswer,
    GiftQuestion,
    GiftText,
    bank_meta,
    convert_text,
    parse_gift,
    parse_number,
    topic_for,
)

__all__ = [
    "ExportResult",
    "GiftQuestion",
    "ImportResult",
    "bank_yaml",
    "export_file",
    "export_gift",
    "import_file",
    "import_gift",
    "import_text",
    "parse_gift",
]

_ITEM = TypeAdapter(m.Item)
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/[^\s\"'<>)]*")
_DEFAULT_FORMAT = "moodle"  # what Moodle assumes when a text has no [format]
_SOURCES_NOTE = (
    "imported items have no sources, objective or difficulty, and options without GIFT "
    "feedback have no rationale: an instructor must add sources and rationales before "
    "students use this bank (`python -m allcourse validate` lists what is missing)"
)


# --- results --------------------------------------------------------------------------


class ImportResult(NamedTuple):
    """The bank read from a GIFT file and the report (unpacks as `bank, report`)."""

    bank: m.Bank
    report: list[str]

    def to_yaml(self) -> str:
        return bank_yaml(self.bank)


class ExportResult(NamedTuple):
    """The GIFT text and the report (unpacks as `text, report`)."""

    text: str
    report: list[str]


class _YamlDumper(yaml.SafeDumper):
    """Block scalars (`|`) for text with line breaks, so long stems stay readable."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)  # indent list items under their key


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_YamlDumper.add_representer(str, _str)


def bank_yaml(bank: m.Bank) -> str:
    """A bank as clean block-style YAML that `load_bank` reads back unchanged."""
    data = bank.model_dump(mode="json", exclude_defaults=True)
    for key in ("items",):
        data[key] = [_item_first(d) for d in data.get(key, [])]
    for case in data.get("case_studies", []):
        for ci in case["items"]:
            ci["item"] = _item_first(ci["item"])
    text = yaml.dump(data, Dumper=_YamlDumper, sort_keys=False, allow_unicode=True, width=100)
    if any(not it.sources for it in bank.all_items()):
        header = (
            "# Imported from Moodle GIFT (python -m allcourse gift import). Before students\n"
            "# see these items, add sources, objectives, difficulty and rationales, then run\n"
            "# `python -m allcourse validate`.\n"
        )
        text = header + text
    return text


def _item_first(d: dict[str, Any]) -> dict[str, Any]:
    """id and type first: what a reader of the YAML looks for."""
    return {
        "id": d["id"],
        "type": d["type"],
        **{k: v for k, v in d.items() if k not in ("id", "type")},
    }


# --- names and ids --------------------------------------------------------------------


def slugify(text: str, limit: int = 60) -> str:
    """`Jesus' hometown` -> `jesus-hometown`; a name that is already a valid id is kept."""
    if re.fullmatch(m.ID, text) and len(text) <= limit:
        return text
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['\u2019]", "", ascii_text).lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    out = ""
    for w in words:
        candidate = f"{out}-{w}" if out else w
        if len(candidate) > limit:
            break
        out = candidate
    return out or (words[0][:limit] if words else "")


def _stem_slug(stem: str) -> str:
    from allcourse.quiz.gift_parse import strip_tags

    words = strip_tags(stem).replace(BLANK_MARKER, " ").split()
    return slugify(" ".join(words[:6]), limit=40)


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    used.add(candidate)
    return candidate


def _letters(n: int) -> list[str]:
    """a, b, ..., z, aa, ab, ...: option ids as on a printed test."""
    out = []
    for i in range(n):
        s, k = "", i
        while True:
            s = chr(ord("a") + k % 26) + s
            k = k // 26 - 1
            if k < 0:
                break
        out.append(s)
    return out


# --- one question -> one item ---------------------------------------------------------


class _Skip(Exception):
    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(message)


@dataclass
class _Conversion:
    item: m.ItemBase | None = None
    lines: list[str] = field(default_factory=list)


def _pct(fraction: float) -> str:
    return f"{fraction * 100:g}%"


class _Builder:
    """Turns one parsed question into an item dict, collecting notes with line numbers."""

    def __init__(self, q: GiftQuestion):
        self.q = q
        self.fmt = q.format or _DEFAULT_FORMAT
        self.notes: list[tuple[int, str]] = list(q.notes)

    def note(self, line: int | None, message: str) -> None:
        self.notes.append((line or self.q.line, message))

    def text(self, piece: GiftText, dst: str, what: str, line: int, inline: bool = True) -> str:
        src = piece.format or self.fmt
        out, how = convert_text(piece.text, src, dst, inline=inline)
        if how and (piece.format or out != piece.text):
            self.note(line, f"{what}: [{src}] text in {_a(dst)} item: {how}")
        return self.safe(out, dst, what, line)

    def safe(self, text: str, fmt: str, what: str, line: int) -> str:
        """`text` with unsafe HTML removed (said in the report), and any image held on
        the Moodle server reported: this course cannot reach it."""
        for ref in dict.fromkeys(_PLUGINFILE.findall(text)):
            self.note(
                line,
                f"{what} shows {ref}, a file held on the Moodle server that this course "
                "cannot reach: add the image under assets/ (with alt text) and change the "
                "path to it in the bank",
            )
        removed = unsafe_html(text) if fmt != "plain" else []
        if not removed:
            return text
        self.note(
            line,
            f"{what}: unsafe HTML removed by the sanitiser ({', '.join(removed)}); "
            "check that the text still reads as meant",
        )
        return sanitize(text)

    def option_text(self, a: GiftAnswer, n: int) -> str:
        if not a.text.text:
            raise _Skip(f"answer {n} is empty", a.line)
        return self.text(a.text, self.fmt, f"answer {n} text", a.line)

    def rationale(self, piece: GiftText | None, what: str, line: int) -> str | None:
        """Feedback as a rationale, in the item's format (as Moodle reads it)."""
        if piece is None:
            return None
        return self.text(piece, self.fmt, what, line, inline=False) or None

    # -- per kind -----------------------------------------------------------------------

    def multichoice(self, d: dict[str, Any]) -> str:
        answers = self.q.answers
        if len(answers) < 2:
            raise _Skip("a multiple-choice question needs at least 2 answers")
        ids = _letters(len(answers))
        weights = []
        for n, a in enumerate(answers, 1):
            if a.marker == "=" and a.weight is not None:
                self.note(
                    a.line,
                    f"answer {n}: '=' with a weight ({_pct(a.weight)}): imported as "
                    f"{_pct(a.weight)} credit (Moodle reads '=' as 100% and keeps the % in "
                    "the text; write ~%50% instead)",
                )
            default = 1.0 if a.marker == "=" else 0.0
            weights.append(a.weight if a.weight is not None else default)
        options = []
        for n, (a, oid) in enumerate(zip(answers, ids, strict=True), 1):
            opt: dict[str, Any] = {"id": oid, "text": self.option_text(a, n)}
            why = self.rationale(a.feedback, f"answer {n} feedback", a.line)
            if why:
                opt["rationale"] = why
            options.append(opt)
        if any(a.marker == "=" for a in answers):
            full = [n for n, w in enumerate(weights, 1) if w >= 1]
            if not full:
                raise _Skip("no answer is worth 100%: a single-answer question needs one key")
            if len(full) > 1:
                # Moodle: each answer worth 100% is fully right. The first is the key the
                # answer display shows; the others keep full credit, so grading is Moodle's.
                others = [str(n) for n in full[1:]]
                listed = ", ".join(others[:-1]) + (" and " if len(others) > 1 else "") + others[-1]
                self.note(
                    self.q.answers_line,
                    f"answer{'s' if len(others) > 1 else ''} {listed} also worth 100% "
                    f"(Moodle: several right answers): answer {full[0]} is the key and "
                    f"{'they keep' if len(others) > 1 else 'it keeps'} credit 1, so choosing "
                    "any of them earns full marks; a course item has one defensible key, so "
                    "`validate` asks you to keep one",
                )
            partial = 0
            for opt, a, w in zip(options, answers, weights, strict=True):
                if w >= 1 and not any(o.get("correct") for o in options):
                    opt["correct"] = True
                elif w >= 1:
                    opt["credit"] = 1.0
                elif a.weight is not None:
                    opt["credit"] = w
                    partial += w > 0
            d.update(type="single", options=options)
            extra = f", partial credit on {partial}" if partial else ""
            if len(full) > 1:
                extra += f", {len(full)} answers earn full marks"
            return f"multiple choice -> single ({len(options)} options{extra})"
        for opt, w in zip(options, weights, strict=True):
            opt["credit"] = w
            if w > 0:
                opt["correct"] = True
        keys = sum(1 for w in weights if w > 0)
        if not keys:
            raise _Skip("no answer has a positive weight: a multiple-answer question needs one")
        total = sum(w for w in weights if w > 0)
        if abs(total - 1) > 1e-4:
            self.note(
                self.q.answers_line,
                f"the positive weights add up to {total * 100:g}%, not 100%: the validator "
                "will report it",
            )
        d.update(type="sata", rule="weights", options=options)
        verb = "earns" if keys == 1 else "earn"
        return (
            f"multiple answer with percentage weights -> sata "
            f"(rule weights; {keys} of {len(options)} options {verb} credit)"
        )

    def truefalse(self, d: dict[str, Any]) -> str:
        q = self.q
        line = q.answers_line or q.line
        wrong = self.rationale(q.wrong_feedback, "feedback if wrong", line)
        right = self.rationale(q.right_feedback, "feedback if right", line)
        true_opt: dict[str, Any] = {"id": "true", "text": "True"}
        false_opt: dict[str, Any] = {"id": "false", "text": "False"}
        key, other = (true_opt, false_opt) if q.truth else (false_opt, true_opt)
        key["correct"] = True
        if right:
            key["rationale"] = right
        if wrong:
            other["rationale"] = wrong
        d.update(type="single", options=[true_opt, false_opt])
        return f"true/false -> single (options True and False, key {key['text']})"

    def matching(self, d: dict[str, Any]) -> str:
        pairs: list[dict[str, Any]] = []
        distractors: list[str] = []
        for n, a in enumerate(self.q.answers, 1):
            # Moodle reads the right side as plain text, whatever the question's format.
            right, how = convert_text(a.right or "", "plain", self.fmt)
            if right != (a.right or ""):
                self.note(a.line, f"answer {n} right side (plain text): {how}")
            if not right.strip():
                raise _Skip(f"answer {n} has nothing after '->'", a.line)
            if not a.text.text:
                distractors.append(right)
                continue
            pair: dict[str, Any] = {
                "left": self.text(a.text, self.fmt, f"answer {n} left side", a.line),
                "right": right,
            }
            if a.feedback:
                pair["rationale"] = self.rationale(a.feedback, f"answer {n} feedback", a.line)
                self.note(
                    a.line,
                    f"answer {n}: '#' feedback imported as the pair's rationale (Moodle has "
                    "no per-pair feedback in matching and would show it in the answer)",
                )
            pairs.append(pair)
        if len(pairs) < 2:
            raise _Skip("a matching question needs at least 2 pairs with a left side")
        for pair, pid in zip(pairs, _letters(len(pairs)), strict=True):
            pair["id"] = pid
        pairs = [{"id": p.pop("id"), **p} for p in pairs]
        d.update(type="matching", pairs=pairs)
        if distractors:
            d["distractors"] = distractors
        extra = (
            f", {len(distractors)} distractor{'s' if len(distractors) > 1 else ''} "
            "from an empty left side"
            if distractors
            else ""
        )
        return f"matching -> matching ({len(pairs)} pairs{extra})"

    def numerical(self, d: dict[str, Any]) -> str:
        q = self.q
        answers: list[dict[str, Any]] = []
        for n, a in enumerate(q.answers, 1):
            which = f"answer {n}"
            raw = a.text.text
            credit = 1.0 if a.weight is None else a.weight
            if raw == "*":
                self.note(a.line, f"{which}: '*' (any other number) is not supported: dropped")
                continue
            ans: dict[str, Any] = {}
            if ".." in raw[1:]:  # min..max (as Moodle: ".." after the first character)
                lo_text, hi_text = raw.split("..", 1)
                lo, hi = parse_number(lo_text), parse_number(hi_text)
                if lo is None or hi is None:
                    raise _Skip(f"{which}: {raw!r} is not a range of numbers (min..max)", a.line)
                if lo > hi:
                    raise _Skip(f"{which}: the range {raw!r} starts above its end", a.line)
                ans.update(min=lo, max=hi)
                shown = f"{lo:g} to {hi:g}"
            else:
                value_text, _, tol_text = raw.partition(":")
                value = parse_number(value_text)
                tol = parse_number(tol_text) if tol_text.strip() else 0.0
                if value is None:
                    raise _Skip(f"{which}: {value_text.strip()!r} is not a number", a.line)
                if tol is None:
                    raise _Skip(
                        f"{which}: the tolerance {tol_text.strip()!r} is not a number", a.line
                    )
                if tol < 0:
                    raise _Skip(f"{which}: the tolerance {tol:g} is negative", a.line)
                ans["value"] = value
                if tol:
                    ans["tolerance"] = tol
                shown = f"{value:g}" + (f" \u00b1 {tol:g}" if tol else "")
            if credit <= 0:
                self.note(
                    a.line,
                    f"{which} ({shown}) has weight {_pct(credit)}: numeric answers here always "
                    "earn credit, so it was dropped",
                )
                continue
            if credit != 1:
                ans["credit"] = credit
            why = self.rationale(a.feedback, f"{which} feedback", a.line)
            if why:
                ans["feedback"] = why
            answers.append(ans)
        if q.wrong_feedback:
            self.note(
                q.answers_line,
                f"wrong-answer feedback ({q.wrong_feedback.text!r}) dropped: numeric items "
                "have no feedback for numbers that match no answer",
            )
        if not answers:
            raise _Skip("no usable numeric answer")
        if not any(a.get("credit", 1.0) == 1 for a in answers):
            raise _Skip("no answer is worth 100%")
        d.update(type="numeric", answers=answers)
        return f"numerical -> numeric ({len(answers)} answer{'s' if len(answers) > 1 else ''})"

    def shortanswer(self, d: dict[str, Any]) -> str:
        answers: list[dict[str, Any]] = []
        wild = 0
        for n, a in enumerate(self.q.answers, 1):
            if not a.text.text:
                raise _Skip(f"answer {n} is empty", a.line)
            credit = 1.0 if a.weight is None else a.weight
            if credit < 0:
                raise _Skip(f"answer {n} has a negative weight ({_pct(credit)})", a.line)
            key: dict[str, Any] = {"text": a.text.text}
            if credit != 1:
                key["credit"] = credit
            why = self.rationale(a.feedback, f"answer {n} feedback", a.line)
            if why:
                key["feedback"] = why
            wild += "*" in a.text.text.replace("\\*", "")
            answers.append(key)
        if not any(a.get("credit", 1.0) == 1 for a in answers):
            raise _Skip("no accepted answer is worth 100%")
        d.update(type="short_answer", answers=answers)
        extra = f", {wild} with * wildcards" if wild else ""
        plural = "s" if len(answers) > 1 else ""
        return f"short answer -> short_answer ({len(answers)} accepted answer{plural}{extra})"


_KIND_SKIPS = {
    "essay": "essay question ({}): there is no answer to score automatically",
    "description": "text without answers (a Moodle description), not a question",
}


def _apply_meta(d: dict[str, Any], meta: dict[str, Any], q: GiftQuestion, b: _Builder) -> None:
    """Put back the course's fields that our export wrote in `// allcourse: {...}`."""
    meta = dict(meta)
    parts = d.get("options") if "options" in d else d.get("pairs")
    for key in ("ids", "credits", "rationales"):
        if key not in meta:
            continue
        values = meta.pop(key)
        field_name = {"ids": "id", "credits": "credit", "rationales": "rationale"}[key]
        if not isinstance(values, list) or parts is None or len(values) != len(parts):
            b.note(q.line, f"allcourse comment: {key} do not fit the answers: ignored")
            continue
        for part, value in zip(parts, values, strict=True):
            if value is None:
                part.pop(field_name, None)
            else:
                part[field_name] = value
    if meta.get("rule") == "plus_minus" and d.get("type") == "sata":
        for opt in d["options"]:
            opt.pop("credit", None)
    cloze = meta.pop("cloze", None)
    for key, value in meta.items():
        if key in (
            "topic",
            "sources",
            "objective",
            "difficulty",
            "step",
            "rule",
            "unit",
            "thousands_separator",
            "worked_solution",
            "case_sensitive",
        ):
            if value is None:
                d.pop(key, None)
            else:
                d[key] = value
        else:
            b.note(q.line, f"allcourse comment: unknown field {key!r} ignored")
    if cloze is not None:
        _to_cloze(d, cloze, q)


def _to_cloze(d: dict[str, Any], cloze: Any, q: GiftQuestion) -> None:
    """A missing-word question our export wrote for a one-blank cloze, back to a cloze."""
    if not (isinstance(cloze, dict) and d.get("type") == "single"):
        raise ValueError("the cloze fields do not fit this question")
    stem, n, blank = d["stem"], cloze.get("stem_chars"), cloze.get("blank")
    at = q.blank_at if q.blank_at is not None else len(stem)
    if not (isinstance(n, int) and isinstance(blank, str) and stem[n : n + 2] == "\n\n"):
        raise ValueError("the cloze fields do not fit this question")
    if at < n + 2:
        raise ValueError("the cloze fields do not fit this question")
    after = stem[at + len(BLANK_MARKER) :] if q.blank_at is not None else ""
    template = stem[n + 2 : at] + "{{" + blank + "}}" + after
    b: dict[str, Any] = {"id": blank, "options": d.pop("options")}
    if cloze.get("label"):
        b["label"] = cloze["label"]
    d.update(type="cloze", stem=stem[:n], template=template, blanks=[b])


def _validate(d: dict[str, Any]) -> m.ItemBase:
    return _ITEM.validate_python(d)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        msg = err["msg"].removeprefix("Value error, ")
        where = ".".join(str(p) for p in err["loc"][1:])
        return f"{where}: {msg}" if where else msg
    return str(exc)


def convert_question(
    q: GiftQuestion,
    *,
    bank_category: str | None = None,
    used_ids: set[str] | None = None,
) -> _Conversion:
    """One parsed question -> one item (or None) and its report lines."""
    used = used_ids if used_ids is not None else set()
    out = _Conversion()

    def at(line: int | None, message: str) -> str:
        return f"line {line or q.line}: {q.label}: {message}"

    b = _Builder(q)
    try:
        if q.kind == "invalid":
            raise _Skip(q.error or "cannot be read", q.error_line)
        if q.kind in _KIND_SKIPS:
            raise _Skip(_KIND_SKIPS[q.kind])
        if not q.text.strip():
            raise _Skip("no question text")
        base_id = slugify(q.name) if q.name else ""
        base_id = base_id or _stem_slug(q.text) or f"question-{q.number}"
        stem = b.safe(q.text, b.fmt, "question text", q.line)
        d: dict[str, Any] = {"id": base_id, "stem": stem, "text_format": b.fmt}
        topic = topic_for(q.category, bank_category)
        if topic:
            d["topic"] = topic
        if q.general_feedback:
            gf_line = q.answers_line or q.line
            explanation = b.text(
                q.general_feedback, b.fmt, "general feedback", gf_line, inline=False
            )
            if explanation.strip():  # e.g. only an unknown tag, which the sanitiser removed
                d["explanation"] = explanation
        summary = getattr(b, q.kind)(d)
    except _Skip as skip:
        out.lines.append(at(skip.line, f"skipped: {skip.message}"))
        out.lines += [at(line, note) for line, note in b.notes]
        return out
    if q.blank_at is not None:
        summary += f"; missing-word format: the stem keeps {BLANK_MARKER} where the answer goes"
    item = None
    if q.meta:
        with_meta = copy.deepcopy(d)
        try:
            _apply_meta(with_meta, q.meta, q, b)
            with_meta["id"] = _unique(with_meta["id"], set(used))
            item = _validate(with_meta)
            summary += "; course fields restored from its // allcourse comment"
        except (ValidationError, ValueError, TypeError) as exc:
            b.note(q.line, f"allcourse comment ignored: {_error_text(exc)}")
    if item is None:
        try:
            d["id"] = _unique(d["id"], set(used))
            item = _validate(d)
        except ValidationError as exc:
            out.lines.append(at(q.line, f"skipped: {_error_text(exc)}"))
            out.lines += [at(line, note) for line, note in b.notes]
            return out
    used.add(item.id)
    for hole in loopholes.find_loopholes(item):
        b.note(q.answers_line, hole.message)
    head, _, rest = summary.partition(" -> ")
    _, _, detail = rest.partition(" ")
    out.item = item
    out.lines.append(at(q.line, f"{head} -> {item.type} {item.id!r} {detail}".rstrip()))
    out.lines += [at(line, note) for line, note in b.notes]
    return out


# --- import ---------------------------------------------------------------------------


def import_text(text: str, *, title: str = "Imported from GIFT") -> ImportResult:
    """Read GIFT text into a bank; never raises on malformed GIFT (the report says why)."""
    questions = parse_gift(text)
    header = bank_meta(text) or {}
    categories = [q.category for q in questions]
    if "category" in header:
        bank_category = header["category"]
    elif questions:
        bank_category = categories[0]
    else:
        found = re.search(r"^\s*\$CATEGORY:(.*)$", text, re.MULTILINE)
        bank_category = found.group(1).strip() if found else None
    used: set[str] = set()
    items: list[m.ItemBase] = []
    report: list[str] = []
    for q in questions:
        conv = convert_question(q, bank_category=bank_category, used_ids=used)
        report += conv.lines
        if conv.item is not None:
            items.append(conv.item)
    skipped = len(questions) - len(items)
    report.append(
        f"imported {len(items)} of {len(questions)} question{'s' if len(questions) != 1 else ''}"
        + (f"; skipped {skipped} (see above)" if skipped else "")
    )
    if any(not it.sources for it in items):
        report.append(_SOURCES_NOTE)
    bank_title = header.get("title") if isinstance(header.get("title"), str) else None
    bank = m.Bank(
        title=bank_title or title,
        category=bank_category if isinstance(bank_category, str) else None,
        items=items,
    )
    return ImportResult(bank, report)


def read_gift_file(path: Path | str) -> str:
    """The text of a GIFT file, or ContentError with a message (never a traceback)."""
    name = display_path(path)
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ContentError([Problem(name, "-", "-", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise ContentError(
            [Problem(name, "-", "-", f"not UTF-8 text (byte {exc.start}): save it as UTF-8")]
        ) from None
    except OSError as exc:
        raise ContentError([Problem(name, "-", "-", f"cannot read file: {exc}")]) from None


def import_gift(path: Path | str) -> ImportResult:
    """Read a GIFT file into a bank and a report; ContentError if the file cannot be read."""
    text = read_gift_file(path)
    return import_text(text, title=f"Imported from {Path(path).name}")


def import_file(src: Path | str, out: Path | str) -> list[str]:
    """Import `src` and write the bank YAML to `out`; returns the report lines."""
    result = import_gift(src)
    Path(out).write_text(result.to_yaml(), encoding="utf-8")
    return result.report


# --- export ---------------------------------------------------------------------------


def _reimport(
    text: str, category: str | None, bank_category: str | None, meta: dict[str, Any] | None
) -> m.ItemBase | None:
    questions = parse_gift(text)
    if len(questions) != 1:
        return None
    q = questions[0]
    q.category, q.meta = category, meta
    return convert_question(q, bank_category=bank_category).item


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def _differences(a: m.ItemBase, b: m.ItemBase | None) -> list[str]:
    if b is None:
        return ["the whole item"]
    da, db = _norm(a.model_dump(mode="json")), _norm(b.model_dump(mode="json"))
    keys = sorted(set(da) | set(db))
    return [k for k in keys if da.get(k) != db.get(k)]


def export_gift(bank: m.Bank) -> ExportResult:
    """The bank as GIFT text, and a report of what was skipped or kept only for us."""
    plan = gift_write.plan(bank)
    chunks = [gift_write.bank_header(bank)]
    report: list[str] = []
    exported = 0
    for entry in plan.entries:
        if entry.category_line:
            chunks.append(entry.category_line)
        if entry.written is None:
            report.append(entry.skip or f"item {entry.item.id!r}: not exported")
            continue
        item, w = entry.item, entry.written
        plain = _reimport(w.text, entry.category, bank.category, w.meta or None)
        meta = dict(w.meta)
        if plain is not None:
            mine, theirs = gift_write.meta_values(item), gift_write.meta_values(plain)
            meta.update({k: v for k, v in mine.items() if theirs.get(k, _MISSING) != v})
        final = _reimport(w.text, entry.category, bank.category, meta or None)
        report += w.notes
        lost = [gift_write.MOODLE_LOSES[k] for k in sorted(meta) if k in gift_write.MOODLE_LOSES]
        if lost:
            report.append(
                f"item {item.id!r}: Moodle will not have {'; '.join(lost)}: kept in the "
                "// allcourse comment for re-import only"
            )
        diff = _differences(item, final)
        if diff:
            report.append(
                f"item {item.id!r}: importing this GIFT back would change {', '.join(diff)}"
            )
        chunks.append(gift_write.with_meta(w.text, meta))
        exported += 1
    if plan.trailing_category:
        chunks.append(plan.trailing_category)
    report += plan.notes
    total = len(bank.all_items())
    report.append(f"exported {exported} of {total} item{'s' if total != 1 else ''}")
    return ExportResult("\n\n".join(c.rstrip("\n") for c in chunks) + "\n", report)


_MISSING = object()


def export_file(src: Path | str, out: Path | str) -> list[str]:
    """Export the bank file `src` to the GIFT file `out`; returns the report lines.

    Raises ContentError (file: item: field: message) if the bank cannot be loaded.
    """
    from allcourse.quiz.bank import load_bank

    result = export_gift(load_bank(src))
    Path(out).write_text(result.text, encoding="utf-8")
    return result.report


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiouh" else "a ") + word
