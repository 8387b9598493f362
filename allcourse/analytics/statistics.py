"""Class statistics (pure): completion per module, classical item analysis (difficulty,
discrimination, the most-chosen wrong answer, flags for items worth a second look) and
the class profile by clinical-judgment step.

Item statistics use each student's *first* attempt: later attempts come after the
feedback, so they measure the feedback, not the item.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from allcourse.analytics.loading import ClassResults
from allcourse.course.markup import plain
from allcourse.quiz import models as m
from allcourse.quiz.scoring import score

MIN_N = 5  # fewer answers than this: no discrimination index (too unstable)
UPPER_LOWER = 0.27  # Kelley's upper and lower 27%
HARD_P, EASY_P = 0.20, 0.95  # difficulty flags (proportion correct)
WEAK_DISCRIMINATION = 0.20  # point-biserial under this discriminates poorly


# --- completion and scores ------------------------------------------------------------


@dataclass(frozen=True)
class ModuleCompletion:
    module_id: str
    label: str
    total_items: int
    students: int
    completed: int  # students who answered every item
    started: int  # students who answered at least one
    scores: tuple[float, ...]  # each starter's first-try score (0..1) on the items answered


def completion(results: ClassResults) -> list[ModuleCompletion]:
    out = []
    for mod in results.catalogue.modules:
        if not mod.items:
            continue
        ids = [it.id for it in mod.items]
        done = started = 0
        scores = []
        for record in results.students.values():
            answered = [record.items[i].first for i in ids if i in record.items]
            if answered:
                started += 1
                scores.append(
                    sum(a.points for a in answered) / sum(a.max_points for a in answered)
                    if sum(a.max_points for a in answered)
                    else 0.0
                )
            if len(answered) == len(ids):
                done += 1
        out.append(
            ModuleCompletion(
                mod.module.id,
                mod.module.label,
                len(ids),
                len(results.students),
                done,
                started,
                tuple(sorted(round(s, 6) for s in scores)),
            )
        )
    return out


# --- item analysis --------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Correlation; None when either variable does not vary. With a 0/1 `xs` this is
    the point-biserial correlation."""
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def upper_lower(correct: Sequence[float], rest: Sequence[float]) -> float | None:
    """Upper-lower discrimination: proportion correct in the top 27% by rest score minus
    the bottom 27% (ties broken by order, so the groups never overlap)."""
    n = len(correct)
    k = max(1, round(n * UPPER_LOWER))
    if n < 2 * k:
        return None
    order = sorted(range(n), key=lambda i: rest[i])
    low, high = order[:k], order[-k:]
    return _mean([correct[i] for i in high]) - _mean([correct[i] for i in low])


def _label(text: str | None) -> str:
    return plain(text or "").strip()


def wrong_choices(item: m.ItemBase, response: Any) -> list[str]:
    """What the student chose that the key does not have, in words an instructor reads:
    a wrong option, "row: wrong column", "blank: wrong word", a typed wrong answer."""
    result = score(item, response)
    by_id = {p.id: p for p in result.parts}
    out: list[str] = []
    if isinstance(item, m.SingleChoice | m.MultipleResponse | m.SelectN):
        out = [_label(o.text) for o in item.options if by_id[o.id].chosen and not o.correct]
    elif isinstance(item, m.Bowtie):
        for o in item.conditions + item.actions + item.parameters:
            if by_id[o.id].chosen and not o.correct:
                out.append(_label(o.text))
    elif isinstance(item, m.Highlight):
        out = [
            _label(s.text or " | ".join(s.cells or []))
            for s in item.selectable()
            if by_id[s.id].chosen and not s.correct  # type: ignore[index]
        ]
    elif isinstance(item, m.MatrixSingle):
        cols = {c.id: _label(c.text) for c in item.columns}
        for row in item.rows:
            part = by_id[row.id]
            if part.chosen and not part.correct:
                out.append(f"{_label(row.text)}: {cols.get(part.chosen, part.chosen)}")
    elif isinstance(item, m.MatrixMultiple):
        cols = {c.id: _label(c.text) for c in item.columns}
        for row in item.rows:
            for col in by_id[row.id].chosen or []:
                if col not in row.correct:
                    out.append(f"{_label(row.text)}: {cols.get(col, col)}")
    elif isinstance(item, m.Cloze | m.DropdownRationale):
        for blank in item.blanks:
            part = by_id[blank.id]
            if part.chosen and not part.correct:
                words = {o.id: _label(o.text) for o in blank.options}
                name = _label(blank.label) or blank.id
                out.append(f"{name}: {words.get(part.chosen, part.chosen)}")
    elif isinstance(item, m.Matching):
        for pair in item.pairs:
            part = by_id[pair.id]
            if part.chosen and not part.correct:
                out.append(f"{_label(pair.left)}: {_label(part.chosen)}")
    elif isinstance(item, m.Ordering):
        if result.points < result.max_points and isinstance(response, list) and response:
            first = next((s for s in item.steps if s.id == response[0]), None)
            if first is not None and first.id != item.steps[0].id:
                out.append(f"put first: {_label(first.text)}")
    elif isinstance(item, m.Numeric | m.ShortAnswer):
        if isinstance(response, str) and response.strip() and result.points < result.max_points:
            out.append(f"typed: {response.strip()}")
    return out


@dataclass(frozen=True)
class ItemStat:
    item_id: str
    bank: str
    module_label: str
    module_notebook: str
    type: str
    step: str | None
    n: int  # students who answered it
    p: float  # proportion with full marks on the first try (classical difficulty)
    mean: float  # mean first-try score fraction
    r_pb: float | None  # corrected item-total (point-biserial) correlation
    d_ul: float | None  # upper-lower 27% index
    top_wrong: tuple[str, int] | None  # the most-chosen wrong answer and how many chose it
    flags: tuple[str, ...]


def _flags(stat: dict[str, Any], key_count: int) -> tuple[str, ...]:
    flags = []
    if stat["n"] >= MIN_N:
        if stat["r_pb"] is not None and stat["r_pb"] < 0:
            flags.append("negative discrimination: stronger students did worse (check the key)")
        elif stat["r_pb"] is not None and stat["r_pb"] < WEAK_DISCRIMINATION:
            flags.append(f"weak discrimination (under {WEAK_DISCRIMINATION:.2f})")
        if stat["p"] < HARD_P:
            flags.append(f"very hard (p under {HARD_P:.2f}): check the key and the teaching")
        if stat["p"] > EASY_P:
            flags.append(f"very easy (p over {EASY_P:.2f}): tells little")
    top = stat["top_wrong"]
    if stat["single"] and top is not None and top[1] > key_count:
        flags.append("a wrong option was chosen more often than the key")
    return tuple(flags)


def item_stats(results: ClassResults) -> list[ItemStat]:
    """Every item of the current banks that at least one student answered, in bank order."""
    firsts = results.first_attempts()
    # Each student's overall first-try score, to split it into "rest" scores per item.
    totals = {
        s: (sum(a.points for a in f.values()), sum(a.max_points for a in f.values()))
        for s, f in firsts.items()
    }
    out = []
    for mod in results.catalogue.modules:
        for item in mod.items:
            answered = [(s, f[item.id]) for s, f in sorted(firsts.items()) if item.id in f]
            if not answered:
                continue
            correct, fractions, rest = [], [], []
            wrong: Counter[str] = Counter()
            for s, a in answered:
                correct.append(1.0 if a.max_points and a.points >= a.max_points else 0.0)
                fractions.append(a.fraction)
                pts, mx = totals[s]
                rest_max = mx - a.max_points
                rest.append((pts - a.points) / rest_max if rest_max > 0 else 0.0)
                wrong.update(set(wrong_choices(item, a.response)))
            n = len(answered)
            r_pb = pearson(correct, rest) if n >= MIN_N else None
            d_ul = upper_lower(correct, rest) if n >= MIN_N else None
            top = min(wrong.items(), key=lambda kv: (-kv[1], kv[0])) if wrong else None
            single = isinstance(item, m.SingleChoice)
            stat = {"n": n, "p": _mean(correct), "r_pb": r_pb, "top_wrong": top, "single": single}
            out.append(
                ItemStat(
                    item_id=item.id,
                    bank=mod.bank or "",
                    module_label=mod.module.label,
                    module_notebook=mod.module.notebook,
                    type=item.type,  # type: ignore[attr-defined]
                    step=item.step,
                    n=n,
                    p=round(_mean(correct), 6),
                    mean=round(_mean(fractions), 6),
                    r_pb=None if r_pb is None else round(r_pb, 6),
                    d_ul=None if d_ul is None else round(d_ul, 6),
                    top_wrong=top,
                    flags=_flags(stat, int(sum(correct))),
                )
            )
    return out


@dataclass(frozen=True)
class StepProfile:
    step: str
    label: str
    answers: int
    students: int
    mean: float  # mean first-try score fraction over every answer at this step


def step_profile(results: ClassResults) -> list[StepProfile]:
    """The class's first-try score at each clinical-judgment step, in CJMM order."""
    fractions: dict[str, list[float]] = {s: [] for s in m.CJMM_STEPS}
    who: dict[str, set[str]] = {s: set() for s in m.CJMM_STEPS}
    for student, firsts in results.first_attempts().items():
        for item_id, a in firsts.items():
            found = results.catalogue.item(item_id)
            if found is None or found[1].step is None:
                continue
            fractions[found[1].step].append(a.fraction)
            who[found[1].step].add(student)
    return [
        StepProfile(
            s, m.CJMM_LABELS[s], len(fractions[s]), len(who[s]), round(_mean(fractions[s]), 6)
        )
        for s in m.CJMM_STEPS
        if fractions[s]
    ]
