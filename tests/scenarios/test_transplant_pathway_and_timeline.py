"""Transplant pathway rules and the day -7 to +100 timeline data: the option the team is
likely to discuss first follows remission, risk and fitness; the stages file is checked
(contiguous days, known sources) and a bad file names the file and the field."""

from __future__ import annotations

from dataclasses import replace

import pytest
from leak_check import states_json

from allcourse.course.content import ContentError
from allcourse.scenarios import transplant_pathway as tp
from allcourse.scenarios import transplant_timeline as tt
from allcourse.scenarios.transplant_pathway import MAC, NO_TRANSPLANT, RIC

# --- pathway ----------------------------------------------------------------------------

BASE = tp.profile("dev")


@pytest.mark.parametrize(
    ("changes", "first"),
    [
        ({}, MAC),  # young, fit, CR1 with MRD: myeloablative allogeneic
        ({"fit_for_myeloablative": False}, RIC),  # the same disease, not fit: reduced intensity
        ({"status": "refractory"}, NO_TRANSPLANT),  # no remission yet
        ({"status": "CR2", "mrd_positive": False, "high_risk_features": ()}, MAC),
        ({"mrd_positive": False}, MAC),  # high-risk feature alone
        ({"mrd_positive": False, "high_risk_features": ()}, NO_TRANSPLANT),  # standard risk
    ],
)
def test_first_option_follows_remission_risk_and_fitness(changes, first):
    assert tp.weigh(replace(BASE, **changes)).first == first


def test_standard_risk_child_gets_the_childrens_reason():
    w = tp.weigh(tp.profile("noah"))
    assert w.first == NO_TRANSPLANT
    assert "children" in w.why.text and "R64" in w.why.sources


def test_every_profile_lays_out_all_three_options():
    for p in tp.PROFILES:
        w = tp.weigh(p)
        assert [o.option for o in w.options] == [MAC, RIC, NO_TRANSPLANT]
        assert w.why.sources


def test_prediction_check():
    assert tp.check_prediction(tp.profile("helen"), RIC)
    assert not tp.check_prediction(tp.profile("helen"), MAC)
    for bad in ("", None, "auto"):
        with pytest.raises(tp.PredictionError):
            tp.check_prediction(tp.profile("helen"), bad)


def test_pathway_view_reveals_what_the_team_weighs_only_after_a_prediction():
    from allcourse.scenarios.transplant_pathway_view import TransplantPathway

    view = TransplantPathway("rosa")
    assert "Weighs for it" not in states_json(view)
    assert view.reveal() is None
    assert "Weighs for it" not in states_json(view)
    view.prediction.value = MAC
    assert view.reveal() is False
    after = states_json(view)
    assert "Weighs for it" in after and "not in remission" in after
    view.reset()
    assert view.feedback.value == "" and view.prediction.value == ""


# --- timeline ---------------------------------------------------------------------------


def test_stages_cover_every_day_in_order():
    tl = tt.timeline()
    assert [s.id for s in tl.stages] == [
        "conditioning",
        "infusion",
        "nadir",
        "engraftment",
        "early-recovery",
        "late",
    ]
    for day in range(tl.first_day, tl.last_day + 1):
        assert tl.stage_at(day).contains(day)
    assert tl.stage_at(0).id == "infusion"
    assert tl.stage_at(-1).id == "conditioning"
    assert tl.stage_at(100).id == "early-recovery"
    assert tl.stage_at(101).id == "late"


@pytest.mark.parametrize("bad", [-8, 201, 1.5, "3", True])
def test_a_day_outside_the_timeline_gets_a_message(bad):
    with pytest.raises(tt.DayError):
        tt.timeline().stage_at(bad)


def test_day_text_carries_its_sign():
    assert [tt.day_text(d) for d in (-7, 0, 14)] == ["Day −7", "Day 0", "Day +14"]


def test_every_stage_has_cited_nursing_priorities():
    for stage in tt.timeline().stages:
        assert stage.nursing and all(line.sources for line in stage.nursing)


def test_engraftment_stage_teaches_the_astct_definition_and_white_cells_first():
    text = " ".join(x.text for x in tt.timeline().stage("engraftment").happens)
    assert "first of 3 days in a row with an ANC of 500/µL or more" in text
    assert "White cells engraft first" in text


def _write(tmp_path, text):
    path = tmp_path / "timeline.yml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_STAGE = """
  - id: {id}
    title: T
    day_from: {start}
    day_to: {end}
    summary: S
    happens: [{{text: x, sources: [R79]}}]
    infections: [{{text: x, sources: [R79]}}]
    nursing: [{{text: x, sources: [{src}]}}]
"""


def test_a_gap_between_stages_is_reported_with_file_and_field(tmp_path):
    text = (
        "title: t\nfirst_day: -7\nlast_day: 20\nstages:"
        + GOOD_STAGE.format(id="a", start=-7, end=0, src="R79")
        + GOOD_STAGE.format(id="b", start=2, end="null", src="R79")
    )
    with pytest.raises(ContentError) as err:
        tt.load_timeline(_write(tmp_path, text))
    assert "timeline.yml" in str(err.value)
    assert "must start the day after" in str(err.value)


def test_an_unknown_source_is_reported(tmp_path):
    text = "title: t\nfirst_day: 0\nlast_day: 20\nstages:" + GOOD_STAGE.format(
        id="a", start=0, end="null", src="R99999"
    )
    with pytest.raises(ContentError) as err:
        tt.load_timeline(_write(tmp_path, text))
    assert "unknown reference ids: R99999" in str(err.value)
    assert "nursing" in str(err.value)


def test_timeline_view_moves_by_day_and_hides_the_prediction_key():
    from allcourse.scenarios.transplant_timeline_view import TransplantTimeline

    view = TransplantTimeline()
    assert "data-stage='conditioning'" in view.card.value
    assert "White cells come back first" not in states_json(view.widget)
    view.set_day(20)
    assert "data-stage='engraftment'" in view.card.value
    assert view.slider.status == "Day +20: Engraftment (Day +14 to +30)."
    view.slider.value = 500  # a forged value: a message, the card stays
    assert view.slider.status.startswith("Choose a day from Day −7")
    assert "data-stage='engraftment'" in view.card.value
    view.buttons[-1].click()
    assert "data-stage='late'" in view.card.value
