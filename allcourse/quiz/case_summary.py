"""An unfolding case's stages, and the end-of-case summary by clinical-judgment step.

Pure functions: no widgets. A bank's case studies that share a `case` id are the stages
of one patient's story (`stages`). After the student answers, `step_summary` adds up the
points by NCSBN Clinical Judgment Measurement Model step (layer 3: recognize cues ...
evaluate outcomes) and lists, for each step, where the course teaches what the student
lost points on (each case item's `reread` links).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from allcourse.quiz.models import CJMM_LABELS, CJMM_STEPS, Bank, CaseItem, CaseStudy, RereadLink
from allcourse.quiz.scoring import Score


def case_ids(bank: Bank) -> list[str]:
    """The unfolding cases of a bank, in file order (case studies without `case` are
    each their own case, under their own id)."""
    seen: list[str] = []
    for cs in bank.case_studies:
        key = cs.case or cs.id
        if key not in seen:
            seen.append(key)
    return seen


def stages(bank: Bank, case: str) -> list[CaseStudy]:
    """The stages of `case`, in file order. Raises KeyError if the bank has none."""
    found = [cs for cs in bank.case_studies if (cs.case or cs.id) == case]
    if not found:
        raise KeyError(f"no case {case!r} in this bank; cases: {', '.join(case_ids(bank))}")
    return found


@dataclass(frozen=True)
class StepSummary:
    """One clinical-judgment step of a case: points earned out of `max_points` over
    `n_items` items, and what to reread (links of the step's items that lost points,
    first appearance first, each link once)."""

    step: str
    label: str
    points: float
    max_points: float
    n_items: int
    reread: tuple[RereadLink, ...]

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def full_marks(self) -> bool:
        return self.max_points > 0 and self.points >= self.max_points


def step_summary(results: Iterable[tuple[CaseItem, Score]]) -> list[StepSummary]:
    """Points by CJMM step, in CJMM order, over the scored case items given (steps with
    no scored item are left out; items without a step are ignored). An item short of
    full marks puts its `reread` links on its step's list."""
    totals: dict[str, list[float]] = {}
    reread: dict[str, list[RereadLink]] = {}
    for case_item, result in results:
        step = case_item.item.step
        if step is None:
            continue
        row = totals.setdefault(step, [0.0, 0.0, 0])
        row[0] += result.points
        row[1] += result.max_points
        row[2] += 1
        links = reread.setdefault(step, [])
        if not result.correct:
            for link in case_item.reread:
                if link not in links:
                    links.append(link)
    return [
        StepSummary(
            step=s,
            label=CJMM_LABELS[s],
            points=round(totals[s][0], 6),
            max_points=totals[s][1],
            n_items=int(totals[s][2]),
            reread=tuple(reread[s]),
        )
        for s in CJMM_STEPS
        if s in totals
    ]
