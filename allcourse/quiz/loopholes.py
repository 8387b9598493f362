"""Scoring loopholes: responses that ignore the question and still earn credit.

A Moodle multiple-answer question whose wrong answers weigh 0% gives full marks to a
student who ticks every box; an item whose every option earns partial credit rewards
any click. Scoring stays as the item's rule says (Moodle's weights are Moodle's), but an
author must hear about it before students do: `validate` and the GIFT import report
list each loophole with how to close it.

The check is generic: for each item type, the responses a student could give without
reading the question (tick everything, the same column in every row, a bare guess in a
text box) are scored with `scoring.score`, the same pure function that grades students,
so a loophole is reported exactly when grading has one. Pure functions; no widgets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from allcourse.quiz import models as m
from allcourse.quiz.scoring import score

# Texts a student types without knowing the answer (short-answer items).
GUESSES: tuple[str, ...] = ("?", "x", "I don't know")
HUGE = 1e12  # a numeric answer accepting -HUGE..HUGE accepts any number a student types


@dataclass(frozen=True)
class Loophole:
    """A response that ignores the question, what it earns, and how to fix the item.

    `field` is where the fix goes (validate's `file: item: field: message` form).
    """

    field: str
    response: str  # the response, in words ("ticking every option")
    points: float
    max_points: float
    fix: str

    @property
    def severe(self) -> bool:
        """Full marks for ignoring the question, or credit under a rule the author set
        (Moodle weights, partial-credit options, a catch-all answer). Partial credit left
        by the published NCSBN +/- rule on an item with more keys than distractors is a
        warning: the rule is NCSBN's, the fix is more distractors."""
        return self.points >= self.max_points or not self.nclex_rule

    nclex_rule: bool = False  # scored by the NCSBN +/- rule as published

    @property
    def message(self) -> str:
        share = self.points / self.max_points if self.max_points else 0.0
        earned = "full marks" if share >= 1 else f"{share:.0%} of the marks"
        return f"scoring loophole: {self.response} earns {earned}; {self.fix}"


def _earns(item: m.ItemBase, response: Any) -> tuple[float, float]:
    s = score(item, response)
    return s.points, s.max_points


def _tick_all(item: m.ItemBase) -> Iterator[Loophole]:
    if isinstance(item, m.MultipleResponse):
        parts, what, where = item.options, "ticking every option", "options"
    else:
        parts, what, where = item.selectable(), "highlighting every part", "segments"
    ids = [p.id for p in parts]
    points, most = _earns(item, ids)
    if points <= 0:
        return
    keys = sum(1 for p in parts if p.correct)
    others = len(ids) - keys
    if isinstance(item, m.MultipleResponse) and item.rule == "weights":
        fix = (
            "give the wrong options negative weights that add up to -100% (for example "
            f"{-100 / max(others, 1):g}% each), or score it with the NCSBN +/- rule "
            "(rule: plus_minus)"
        )
    elif others == 0:
        fix = "every option is a key: add plausible wrong options (distractors)"
    else:
        fix = (
            f"with {keys} keys and {others} wrong option{'' if others == 1 else 's'} the "
            "NCSBN +/- rule leaves credit; add distractors so that there are at least as "
            "many wrong options as keys"
        )
    nclex = not (isinstance(item, m.MultipleResponse) and item.rule == "weights")
    yield Loophole(where, what, points, most, fix, nclex_rule=nclex)


def _single(item: m.SingleChoice) -> Iterator[Loophole]:
    least = min(_earns(item, o.id)[0] for o in item.options)
    if least > 0:
        yield Loophole(
            "options",
            "choosing any option",
            least,
            1.0,
            "give the wrong options credit 0 (or no credit), keeping partial credit for "
            "answers that are partly right",
        )


def _same_everywhere(item: m.MatrixSingle | m.Matching) -> Iterator[Loophole]:
    if isinstance(item, m.MatrixSingle):
        if len(item.rows) < 3:
            return  # one or two rows: the same answer twice is common and fair
        picks = [(c.text, {r.id: c.id for r in item.rows}) for c in item.columns]
        where = "rows"
    else:
        if len(item.pairs) < 3:
            return
        picks = [(right, {p.id: right for p in item.pairs}) for right in item.choices()]
        where = "pairs"
    for text, response in picks:
        points, most = _earns(item, response)
        if points >= most:
            yield Loophole(
                where,
                f"choosing {text!r} every time",
                points,
                most,
                f"every one of the {where} has the same answer: vary the {where} so that "
                "each must be read",
            )


def _tick_every_cell(item: m.MatrixMultiple) -> Iterator[Loophole]:
    response = {r.id: [c.id for c in item.columns] for r in item.rows}
    points, most = _earns(item, response)
    if points > 0:
        yield Loophole(
            "rows",
            "ticking every box of the grid",
            points,
            most,
            "more cells are keys than not: add rows or columns whose boxes stay empty, or "
            "use floor: item so that wrong ticks cancel right ones across the grid",
            nclex_rule=True,
        )


def _typed(item: m.Numeric | m.ShortAnswer) -> Iterator[Loophole]:
    if isinstance(item, m.Numeric):
        # Numbers are not guesses (a key may well be 0 or 1): one answer accepting both
        # ends of any plausible range accepts everything.
        for i, a in enumerate(item.answers):
            lo, hi = a.bounds()
            if lo <= -HUGE and hi >= HUGE:
                yield Loophole(
                    f"answers.{i}",
                    "typing any number",
                    a.credit,
                    1.0,
                    "this answer accepts every number (an infinite or huge tolerance or "
                    "range): give the range the author meant",
                )
        return
    best = max(_earns(item, guess)[0] for guess in GUESSES)
    if best > 0:
        field = "answers"
        for i, a in enumerate(item.answers):
            if a.credit > 0 and not a.text.replace("*", "").strip():
                field = f"answers.{i}"
        yield Loophole(
            field,
            "typing a guess such as '?'",
            best,
            1.0,
            "an accepted answer matches any text (a '*' with nothing else): give it credit 0 "
            "and use its feedback for answers that match nothing else",
        )


def find_loopholes(item: m.ItemBase) -> list[Loophole]:
    """Every response that ignores `item`'s question and still earns credit (empty when
    none does). Pure; never raises for a valid item."""
    if isinstance(item, m.MultipleResponse | m.Highlight):
        return list(_tick_all(item))
    if isinstance(item, m.SingleChoice):
        return list(_single(item))
    if isinstance(item, m.MatrixSingle | m.Matching):
        return list(_same_everywhere(item))
    if isinstance(item, m.MatrixMultiple):
        return list(_tick_every_cell(item))
    if isinstance(item, m.Numeric | m.ShortAnswer):
        return list(_typed(item))
    # Select N and bowtie: more picks than allowed earn nothing (scoring.py). Cloze,
    # rationale and ordering items start unanswered or shuffled away from the key.
    return []


def loophole_problems(item: m.ItemBase, *, severe: bool = True) -> list[tuple[str, str]]:
    """(field, message) for `validate`'s report, one per loophole: the severe ones (a
    problem to fix) or, with `severe=False`, the others (warnings)."""
    return [(h.field, h.message) for h in find_loopholes(item) if h.severe == severe]
