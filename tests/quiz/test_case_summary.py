"""The end-of-case arithmetic: stages grouped by case, points by clinical-judgment step in
CJMM order, and reread links only for steps where points were lost."""

from __future__ import annotations

import pytest

from allcourse.quiz import models as m
from allcourse.quiz.case_summary import case_ids, stages, step_summary
from allcourse.quiz.scoring import Score


def _case_item(item_id: str, step: str, hrefs: list[str]) -> m.CaseItem:
    return m.CaseItem.model_validate(
        {
            "item": {
                "id": item_id,
                "type": "single",
                "step": step,
                "stem": "Which?",
                "options": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}],
            },
            "reread": [{"text": f"Read {h}", "href": h} for h in hrefs],
        }
    )


def _case(case_id: str, case: str | None, steps: list[str]) -> m.CaseStudy:
    return m.CaseStudy(
        id=case_id,
        title=case_id,
        intro="x",
        chart={"history": "x"},
        items=[_case_item(f"{case_id}-{i}", s, []) for i, s in enumerate(steps)],
        case=case,
    )


def test_stages_of_a_case_in_file_order_and_lone_case_studies_are_their_own_case():
    bank = m.Bank(
        title="t",
        case_studies=[
            _case("a1", "adult", ["recognize_cues"]),
            _case("solo", None, ["recognize_cues"]),
            _case("a2", "adult", ["recognize_cues"]),
        ],
    )
    assert case_ids(bank) == ["adult", "solo"]
    assert [s.id for s in stages(bank, "adult")] == ["a1", "a2"]
    with pytest.raises(KeyError, match="no case 'child'"):
        stages(bank, "child")


def test_points_add_up_by_step_in_cjmm_order_with_links_only_where_points_were_lost():
    take = _case_item("t1", "take_action", ["05_nursing_care.ipynb"])
    cues1 = _case_item("c1", "recognize_cues", ["02_x.ipynb#A", "05_nursing_care.ipynb"])
    cues2 = _case_item("c2", "recognize_cues", ["02_x.ipynb#A", "01_y.ipynb"])
    rows = step_summary(
        [
            (take, Score(1, 1)),  # full marks: nothing to reread
            (cues1, Score(0.5, 2)),
            (cues2, Score(0, 1)),
        ]
    )
    assert [r.step for r in rows] == ["recognize_cues", "take_action"]
    cues, action = rows
    assert (cues.points, cues.max_points, cues.n_items) == (0.5, 3, 2)
    assert cues.label == "Recognize cues" and cues.fraction == pytest.approx(1 / 6)
    # Each link once, in the order the items gave them.
    assert [x.href for x in cues.reread] == [
        "02_x.ipynb#A",
        "05_nursing_care.ipynb",
        "01_y.ipynb",
    ]
    assert action.full_marks and action.reread == ()


def test_no_scored_items_no_rows():
    assert step_summary([]) == []


def test_a_reread_link_must_name_a_course_notebook():
    with pytest.raises(ValueError):
        m.RereadLink(text="x", href="https://example.org/page")
