"""Scoring: pure functions from (item, response) to points. No widgets here.

Every item type in `models.py` is scored by the rules NCSBN publishes for the Next
Generation NCLEX (0/1, +/- and rationale rules), plus the Moodle rules that GIFT
imports bring with them (weights, partial-credit answers, `*` wildcards).

A student can send any widget value through the comm channel, so `score` never raises
on a response: an unknown id counts as a wrong choice, a value of the wrong type counts
as no answer, and no answer scores 0. `check_response` turns an empty or malformed
response into a message for the student, before anything is scored.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from allcourse.quiz import models as m
from allcourse.quiz.models import CJMM_LABELS, CJMM_STEPS, ItemBase

# Positive Moodle weights such as 33.33333% add up to a hair under 1.
CREDIT_EPSILON = 1e-4


class ResponseError(ValueError):
    """A response that cannot be scored; `message` is written for the student."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class PartResult:
    """One option, row, blank, pair, segment or step, and whether the student got it right.

    `chosen` is what the student did with this part: True/False for an option or segment
    (picked or not), the picked id for a row or blank, the ids picked in a grid row, the
    right-hand text for a pair, the 0-based position for an ordering step, the parsed
    number or the typed text for numeric and short-answer items.
    """

    id: str
    chosen: Any
    correct: bool


@dataclass(frozen=True)
class Score:
    """Points earned out of `max_points`; `parts` follow the item's own order.

    `feedback` is the author's feedback for the numeric or short answer the student's
    text matched, if there is one.
    """

    points: float
    max_points: float
    parts: list[PartResult] = field(default_factory=list)
    feedback: str | None = None

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def correct(self) -> bool:
        """Full marks."""
        return self.max_points > 0 and self.points >= self.max_points


# --- reading responses defensively ----------------------------------------------------


def _text(response: Any) -> str | None:
    return response if isinstance(response, str) and response.strip() else None


def _ids(response: Any) -> list[str]:
    """A list of ids, de-duplicated in order; anything that is not a list is no answer."""
    if not isinstance(response, list | tuple):
        return []
    seen: dict[str, None] = {}
    for value in response:
        if isinstance(value, str):
            seen.setdefault(value, None)
    return list(seen)


def _mapping(response: Any) -> dict[str, Any]:
    if not isinstance(response, dict):
        return {}
    return {k: v for k, v in response.items() if isinstance(k, str)}


def _clean(points: float, max_points: float) -> float:
    # Round away float noise (0.30000000000000004) and keep 0 <= points <= max.
    return min(max(round(points, 6), 0.0), max_points)


def _plus_minus(options: Iterable[tuple[str, bool]], chosen: list[str]) -> tuple[int, int]:
    """(+1 per key chosen - 1 per other choice, number of keys). Unknown ids are wrong."""
    keys = {oid for oid, correct in options if correct}
    net = sum(1 if c in keys else -1 for c in chosen)
    return net, len(keys)


def _option_parts(options: list[m.Option], chosen: list[str]) -> list[PartResult]:
    picked = set(chosen)
    return [PartResult(o.id, o.id in picked, (o.id in picked) == o.correct) for o in options]


# --- one function per item type -------------------------------------------------------


def full_credit(option: m.Option) -> bool:
    """An option that earns full marks: the key, or (Moodle: several answers each worth
    100%) a wrong-flagged option with credit 1."""
    return option.correct or (option.credit or 0.0) >= 1


def _single(item: m.SingleChoice, response: Any) -> Score:
    chosen = _text(response)
    points = 0.0
    for o in item.options:
        if o.id == chosen:
            points = o.credit if o.credit is not None else (1.0 if o.correct else 0.0)
    right = any(o.id == chosen and full_credit(o) for o in item.options)
    # Choosing one fully right answer is right; leaving another one unchosen is not wrong.
    parts = []
    for o in item.options:
        picked = o.id == chosen
        ok = full_credit(o) if picked else (right or not full_credit(o))
        parts.append(PartResult(o.id, picked, ok))
    return Score(_clean(points, 1.0), 1.0, parts)


def _sata(item: m.MultipleResponse, response: Any) -> Score:
    chosen = _ids(response)
    parts = _option_parts(item.options, chosen)
    if item.rule == "weights":
        credit = {o.id: o.credit or 0.0 for o in item.options}
        total = sum(credit.get(c, 0.0) for c in chosen)
        if total >= 1 - CREDIT_EPSILON:
            total = 1.0
        return Score(_clean(total, 1.0), 1.0, parts)
    net, keys = _plus_minus(((o.id, o.correct) for o in item.options), chosen)
    return Score(_clean(net, keys), float(keys), parts)


def _select_n(item: m.SelectN, response: Any) -> Score:
    chosen = _ids(response)
    parts = _option_parts(item.options, chosen)
    keys = {o.id for o in item.options if o.correct}
    # More picks than allowed earn nothing; otherwise picking everything would win.
    points = 0 if len(chosen) > item.n else sum(1 for c in chosen if c in keys)
    return Score(float(points), float(item.n), parts)


def _matrix_single(item: m.MatrixSingle, response: Any) -> Score:
    answers = _mapping(response)
    parts = []
    for row in item.rows:
        chosen = _text(answers.get(row.id))
        parts.append(PartResult(row.id, chosen, chosen == row.correct[0]))
    points = sum(1 for p in parts if p.correct)
    return Score(float(points), float(len(item.rows)), parts)


def _matrix_multiple(item: m.MatrixMultiple, response: Any) -> Score:
    answers = _mapping(response)
    keys = {(r.id, c) for r in item.rows for c in r.correct}
    by_column: dict[str, int] = {}
    for row_id, cols in answers.items():
        for col in _ids(cols):
            by_column[col] = by_column.get(col, 0) + (1 if (row_id, col) in keys else -1)
    if item.floor == "column":
        points = sum(max(v, 0) for v in by_column.values())
    else:
        points = max(sum(by_column.values()), 0)
    parts = []
    for row in item.rows:
        chosen = _ids(answers.get(row.id))
        parts.append(PartResult(row.id, chosen, set(chosen) == set(row.correct)))
    return Score(_clean(points, len(keys)), float(len(keys)), parts)


def _blank_parts(blanks: list[m.Blank], response: Any) -> list[PartResult]:
    answers = _mapping(response)
    parts = []
    for blank in blanks:
        chosen = _text(answers.get(blank.id))
        key = next(o.id for o in blank.options if o.correct)
        parts.append(PartResult(blank.id, chosen, chosen == key))
    return parts


def _cloze(item: m.Cloze, response: Any) -> Score:
    parts = _blank_parts(item.blanks, response)
    return Score(float(sum(p.correct for p in parts)), float(len(item.blanks)), parts)


def _rationale(item: m.DropdownRationale, response: Any) -> Score:
    parts = _blank_parts(item.blanks, response)
    right = {p.id: p.correct for p in parts}
    x, *because = [b.id for b in item.ordered_blanks()]
    if len(because) == 2 and item.triad_rule == "pairs":
        points = sum(1 for b in because if right[x] and right[b])
        return Score(float(points), 2.0, parts)
    return Score(1.0 if all(right.values()) else 0.0, 1.0, parts)


def _ordering(item: m.Ordering, response: Any) -> Score:
    order = list(response) if isinstance(response, list | tuple) else []
    parts = []
    for i, step in enumerate(item.steps):
        position = next((j for j, s in enumerate(order) if s == step.id), None)
        parts.append(PartResult(step.id, position, i < len(order) and order[i] == step.id))
    if item.rule == "position":
        return Score(float(sum(p.correct for p in parts)), float(len(item.steps)), parts)
    exact = len(order) == len(item.steps) and all(p.correct for p in parts)
    return Score(1.0 if exact else 0.0, 1.0, parts)


def _matching(item: m.Matching, response: Any) -> Score:
    answers = _mapping(response)
    parts = []
    for pair in item.pairs:
        chosen = _text(answers.get(pair.id))
        parts.append(PartResult(pair.id, chosen, chosen == pair.right))
    return Score(float(sum(p.correct for p in parts)), float(len(item.pairs)), parts)


def _highlight(item: m.Highlight, response: Any) -> Score:
    chosen = _ids(response)
    segments = item.selectable()
    net, keys = _plus_minus(((s.id, s.correct) for s in segments), chosen)  # type: ignore[misc]
    picked = set(chosen)
    parts = [PartResult(s.id, s.id in picked, (s.id in picked) == s.correct) for s in segments]  # type: ignore[arg-type]
    return Score(_clean(net, keys), float(keys), parts)


def _bowtie(item: m.Bowtie, response: Any) -> Score:
    answers = _mapping(response)
    condition = _text(answers.get("condition"))
    actions = _ids(answers.get("actions"))
    parameters = _ids(answers.get("parameters"))
    points = sum(1 for o in item.conditions if o.correct and o.id == condition)
    for options, picked in ((item.actions, actions), (item.parameters, parameters)):
        if len(picked) <= 2:  # more than the two allowed earns nothing for that side
            points += sum(1 for o in options if o.correct and o.id in picked)
    parts = [
        PartResult(o.id, o.id == condition, (o.id == condition) == o.correct)
        for o in item.conditions
    ]
    parts += _option_parts(item.actions, actions) + _option_parts(item.parameters, parameters)
    return Score(float(points), 5.0, parts)


# --- typed answers --------------------------------------------------------------------

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# "2.5 x 10^9", "2.5×10⁹", "2.5*10**9": how lab values are written by hand.
_TIMES_TEN = re.compile(
    r"(?P<m>[+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*[x×X*·]\s*10\s*(?:\^|\*\*)\s*(?P<e>[+-]?\d+)"
)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_SUPERSCRIPTS = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+")
# What phones and word processors type for "-" and spaces: minus, dashes, no-break spaces.
_NUMBER_CHARS = str.maketrans(
    {"\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-",
     "\uff0d": "-", "\u066b": ".", "\u00a0": " ", "\u202f": " ", "\u2009": " "}
)  # fmt: skip
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
# A number followed by a word or a unit sign: the student typed a unit we do not expect.
_NUMBER_THEN_TEXT = re.compile(r"[+-]?(?:[\d,]+(?:\.\d*)?|\.\d+)\s*(?:[^\W\d_]|[%°µ/]).*")


def _example(item: m.Numeric) -> str:
    """An example number for messages that is not one of the accepted answers."""
    for text in ("12.5", "1500", "40", "0.75"):
        value = float(text)
        if not any(lo <= value <= hi for lo, hi in (a.bounds() for a in item.answers)):
            return text
    return "12.5"


def parse_number(
    text: str, *, unit: str | None = None, thousands_separator: bool = True, example: str = "1500"
) -> float:
    """Read a typed number: "1500", " 1,500 ", "1500.5", "-3", "1500 mL" (with `unit`),
    scientific notation ("2.5e9", "2.5E9", "25e8") and lab notation ("2.5 x 10^9",
    "2.5×10⁹"); full-width digits, the minus sign and dashes as phones type them.

    Raises ResponseError with a message for the student ("Use a decimal point ...").
    """
    t = " ".join(text.translate(_NUMBER_CHARS).split())
    if unit:  # the unit first: "mm³" has a superscript that is not a power of ten
        for u in dict.fromkeys((unit, unicodedata.normalize("NFKC", unit))):
            if t.casefold().endswith(u.casefold()):
                t = t[: -len(u)].rstrip()
                break
    t = _SUPERSCRIPTS.sub(lambda sup: "^" + sup.group(0).translate(_SUPERSCRIPT), t)
    t = " ".join(unicodedata.normalize("NFKC", t).split())
    if not t:
        raise ResponseError(f"Type a number, for example {example}.")
    if _PLAIN.fullmatch(t):
        return _finite(float(t), example)
    if times_ten := _TIMES_TEN.fullmatch(t):
        mantissa, exponent = times_ten.group("m"), times_ten.group("e")
        return _finite(float(f"{mantissa}e{exponent}"), example)
    if "," in t:
        if _GROUPED.fullmatch(t):
            if thousands_separator:
                return float(t.replace(",", ""))
            raise ResponseError(
                "Type the number without a comma: no thousands separator (1500), "
                "and a decimal point for decimals (1.5)."
            )
        swapped = t.replace(",", ".")
        if t.count(",") == 1 and _PLAIN.fullmatch(swapped):
            raise ResponseError(f"Use a decimal point ({swapped}), not a comma.")
        if re.fullmatch(r"[+-]?[\d.,]+", t):
            raise ResponseError("Use a decimal point (1.5), not a comma.")
    if _NUMBER_THEN_TEXT.fullmatch(t):
        if unit:
            raise ResponseError(f"Type only the number, in {unit}, for example {example}.")
        raise ResponseError(f"Type only the number, without a unit, for example {example}.")
    raise ResponseError(f"Type a number, for example {example}.")


def _finite(value: float, example: str) -> float:
    if not math.isfinite(value):
        raise ResponseError(f"That number is too large. Type a number, for example {example}.")
    return value


def _numeric_value(item: m.Numeric, response: Any) -> float:
    """The student's number, or ResponseError."""
    if isinstance(response, int | float) and not isinstance(response, bool):
        value = float(response)
    elif isinstance(response, str):
        value = parse_number(
            response,
            unit=item.unit,
            thousands_separator=item.thousands_separator,
            example=_example(item),
        )
    else:
        raise ResponseError(f"Type a number, for example {_example(item)}.")
    if not math.isfinite(value):
        raise ResponseError(f"Type a number, for example {_example(item)}.")
    return value


def _numeric(item: m.Numeric, response: Any) -> Score:
    try:
        value = _numeric_value(item, response)
    except ResponseError:
        chosen = response if isinstance(response, str) else None
        return Score(0.0, 1.0, [PartResult("answer", chosen, False)])
    best: m.NumericAnswer | None = None
    for answer in item.answers:
        lo, hi = answer.bounds()
        slack = 1e-9 * max(1.0, abs(lo), abs(hi))  # 0.1 + 0.2 is still 0.3
        if lo - slack <= value <= hi + slack and (best is None or answer.credit > best.credit):
            best = answer
    points = best.credit if best else 0.0
    feedback = best.feedback if best else None
    return Score(_clean(points, 1.0), 1.0, [PartResult("answer", value, points >= 1)], feedback)


# What students' devices type in place of the plain characters a key is written with:
# curly and modifier apostrophes, primes, typographic double quotes, every dash.
_TEXT_CHARS = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u02bb\u2032\u00b4\u0060\uff07", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad"),  # invisible: removed
    }
)


def normalise_text(text: str, case_sensitive: bool = False) -> str:
    """Typed text as it was meant: Unicode NFKC (full-width letters, ligatures, composed
    accents), curly quotes and dashes as plain ones, invisible characters removed, runs
    of spaces (no-break and thin spaces too) as one, spaces around a hyphen dropped, and
    the full stop a phone adds after a double space dropped. Keys go through it too."""
    # Before NFKC too: it would split an acute accent used as an apostrophe in two.
    text = unicodedata.normalize("NFKC", text.translate(_TEXT_CHARS)).translate(_TEXT_CHARS)
    text = " ".join(text.split())
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"(?<=\w)\.$", "", text)
    return text if case_sensitive else text.casefold()


def _normalise(text: str, case_sensitive: bool) -> str:
    return normalise_text(text, case_sensitive)


def _matches(answer: str, typed: str, case_sensitive: bool) -> bool:
    """Moodle short-answer matching: `*` matches any characters, `\\*` is a real asterisk.

    Pieces between stars are found left to right (no regex), so a long typed answer
    cannot make matching slow.
    """
    marker = "\x00"
    pieces = [
        p.replace(marker, "*")
        for p in _normalise(answer, case_sensitive).replace("\\*", marker).split("*")
    ]
    if len(pieces) == 1:
        return typed == pieces[0]
    first, *middle, last = pieces
    if len(first) + len(last) > len(typed):
        return False
    if not (typed.startswith(first) and typed.endswith(last)):
        return False
    pos, end = len(first), len(typed) - len(last)
    for piece in middle:
        found = typed.find(piece, pos, end)
        if found < 0:
            return False
        pos = found + len(piece)
    return True


def _short_answer(item: m.ShortAnswer, response: Any) -> Score:
    text = _text(response)
    if text is None:
        return Score(0.0, 1.0, [PartResult("answer", None, False)])
    typed = _normalise(text, item.case_sensitive)
    best: m.ShortAnswerKey | None = None
    for answer in item.answers:
        if _matches(answer.text, typed, item.case_sensitive):
            if best is None or answer.credit > best.credit:
                best = answer
    points = best.credit if best else 0.0
    feedback = best.feedback if best else None
    return Score(_clean(points, 1.0), 1.0, [PartResult("answer", text, points >= 1)], feedback)


_SCORERS: dict[type, Callable[[Any, Any], Score]] = {
    m.SingleChoice: _single,
    m.MultipleResponse: _sata,
    m.SelectN: _select_n,
    m.MatrixSingle: _matrix_single,
    m.MatrixMultiple: _matrix_multiple,
    m.Cloze: _cloze,
    m.DropdownRationale: _rationale,
    m.Ordering: _ordering,
    m.Matching: _matching,
    m.Highlight: _highlight,
    m.Bowtie: _bowtie,
    m.Numeric: _numeric,
    m.ShortAnswer: _short_answer,
}


def score(item: ItemBase, response: Any) -> Score:
    """Score a response in the shape the item type's docstring gives. Never raises on
    the response; raises TypeError only if `item` is not an item model."""
    scorer = _SCORERS.get(type(item))
    if scorer is None:
        raise TypeError(f"not a quiz item: {type(item).__name__}")
    return scorer(item, response)


# --- messages for empty or malformed responses ----------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def check_response(item: ItemBase, response: Any) -> str | None:
    """A message for the student when the response is empty or cannot be scored, else None.

    A partly answered item (one row of three, one blank of two) can be scored: the
    renderer decides whether to ask for the rest.
    """
    if isinstance(item, m.SingleChoice):
        chosen = _text(response)
        if chosen is None:
            return "Choose an answer before checking."
        if chosen not in {o.id for o in item.options}:
            return "Choose one of the options."
        return None
    if isinstance(item, m.MultipleResponse):
        return None if _ids(response) else "Choose at least one option before checking."
    if isinstance(item, m.SelectN):
        chosen = _ids(response)
        if not chosen:
            return f"Choose {_plural(item.n, 'option')} before checking."
        if len(chosen) > item.n:
            return f"Choose no more than {_plural(item.n, 'option')}."
        return None
    if isinstance(item, m.MatrixSingle):
        answers = _mapping(response)
        if not any(_text(answers.get(r.id)) for r in item.rows):
            return "Choose an answer in the grid before checking."
        return None
    if isinstance(item, m.MatrixMultiple):
        answers = _mapping(response)
        if not any(_ids(answers.get(r.id)) for r in item.rows):
            return "Tick at least one box in the grid before checking."
        return None
    if isinstance(item, m.Cloze | m.DropdownRationale):
        answers = _mapping(response)
        if not any(_text(answers.get(b.id)) for b in item.blanks):
            return "Choose an answer from the drop-down lists before checking."
        return None
    if isinstance(item, m.Ordering):
        order = response if isinstance(response, list | tuple) else []
        if not order:
            return "Put the steps in order before checking."
        if sorted(map(str, order)) != sorted(s.id for s in item.steps):
            return "Place every step exactly once."
        return None
    if isinstance(item, m.Matching):
        answers = _mapping(response)
        if not any(_text(answers.get(p.id)) for p in item.pairs):
            return "Match at least one item before checking."
        return None
    if isinstance(item, m.Highlight):
        if _ids(response):
            return None
        what = "row" if item.layout == "table" else "part of the text"
        return f"Highlight at least one {what} before checking."
    if isinstance(item, m.Bowtie):
        answers = _mapping(response)
        condition = _text(answers.get("condition"))
        actions = _ids(answers.get("actions"))
        parameters = _ids(answers.get("parameters"))
        if not (condition or actions or parameters):
            return "Choose the condition, the actions and the parameters before checking."
        if len(actions) > 2:
            return "Choose no more than 2 actions to take."
        if len(parameters) > 2:
            return "Choose no more than 2 parameters to monitor."
        return None
    if isinstance(item, m.Numeric):
        try:
            _numeric_value(item, response)
        except ResponseError as exc:
            return exc.message
        return None
    if isinstance(item, m.ShortAnswer):
        return None if _text(response) else "Type an answer before checking."
    raise TypeError(f"not a quiz item: {type(item).__name__}")


def require_valid(item: ItemBase, response: Any) -> None:
    """Raise ResponseError when `check_response` has a message."""
    message = check_response(item, response)
    if message is not None:
        raise ResponseError(message)


# --- the key, as a response -----------------------------------------------------------


def _plain_number(value: float) -> str:
    text = format(Decimal(repr(value)), "f")
    return text[:-2] if text.endswith(".0") else text


def key_response(item: ItemBase) -> Any:
    """A response that earns full marks, in the shape `score` takes (for tests, demos and
    "show the answer" after checking; never send it to the browser before that)."""
    if isinstance(item, m.SingleChoice):
        return next(o.id for o in item.options if o.correct)
    if isinstance(item, m.MultipleResponse):
        if item.rule == "weights":
            return [o.id for o in item.options if (o.credit or 0) > 0]
        return [o.id for o in item.options if o.correct]
    if isinstance(item, m.SelectN):
        return [o.id for o in item.options if o.correct]
    if isinstance(item, m.MatrixSingle | m.MatrixMultiple):
        single = isinstance(item, m.MatrixSingle)
        return {r.id: (r.correct[0] if single else list(r.correct)) for r in item.rows}
    if isinstance(item, m.Cloze | m.DropdownRationale):
        return {b.id: next(o.id for o in b.options if o.correct) for b in item.blanks}
    if isinstance(item, m.Ordering):
        return [s.id for s in item.steps]
    if isinstance(item, m.Matching):
        return {p.id: p.right for p in item.pairs}
    if isinstance(item, m.Highlight):
        return [s.id for s in item.selectable() if s.correct]
    if isinstance(item, m.Bowtie):
        return {
            "condition": next(o.id for o in item.conditions if o.correct),
            "actions": [o.id for o in item.actions if o.correct],
            "parameters": [o.id for o in item.parameters if o.correct],
        }
    if isinstance(item, m.Numeric):
        lo, hi = next(a for a in item.answers if a.credit == 1).bounds()
        return _plain_number(lo if lo == hi else (lo + hi) / 2)
    if isinstance(item, m.ShortAnswer):
        text = next(a.text for a in item.answers if a.credit == 1)
        return re.sub(r"(?<!\\)\*", "x", text).replace("\\*", "*")
    raise TypeError(f"not a quiz item: {type(item).__name__}")


# --- totals by topic and by clinical-judgment step ------------------------------------


class BreakdownRow(NamedTuple):
    label: str
    points: float
    max_points: float
    n_items: int

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


NO_TOPIC = "Other"


def score_breakdown(
    results: Iterable[tuple[ItemBase, Score]], by: Literal["topic", "step"] = "topic"
) -> list[BreakdownRow]:
    """Add up scored items by topic (in order of first appearance, untagged items last
    as "Other") or by clinical-judgment step (in CJMM order; items without a step are
    left out)."""
    totals: dict[str, list[float]] = {}
    for item, result in results:
        if by == "step":
            if item.step is None:
                continue
            key = item.step
        else:
            key = item.topic or NO_TOPIC
        row = totals.setdefault(key, [0.0, 0.0, 0])
        row[0] += result.points
        row[1] += result.max_points
        row[2] += 1
    if by == "step":
        keys = [s for s in CJMM_STEPS if s in totals]
        labels = CJMM_LABELS
    else:
        keys = [k for k in totals if k != NO_TOPIC] + ([NO_TOPIC] if NO_TOPIC in totals else [])
        labels = {}
    return [
        BreakdownRow(labels.get(k, k), round(totals[k][0], 6), totals[k][1], int(totals[k][2]))
        for k in keys
    ]
