"""Treatment journey: the phase order and durations come from the data file; the file
is validated (bad files get a message, not a traceback); step() answers the right
phase, nadir and MRD checkpoint at phase edges; the view reveals its prediction check
only after the student reaches the longest phase."""

from __future__ import annotations

import pytest
import yaml
from leak_check import states_json

from allcourse.course.content import ContentError
from allcourse.scenarios import treatment_journey as tj
from allcourse.scenarios.treatment_journey import WeekError, load_timeline, regimen, spans, step


def _raw() -> dict:
    return yaml.safe_load(tj.TIMELINE_YML.read_text(encoding="utf-8"))


def test_phase_order_and_durations_come_from_the_data_file():
    raw = _raw()
    for data in raw["regimens"]:
        r = regimen(data["group"], data["ph"])
        assert [p.id for p in r.phases] == [p["id"] for p in data["phases"]]
        assert [s.last - s.first + 1 for s in spans(r)] == [p["weeks"] for p in data["phases"]]
        assert tj.total_weeks(r) == sum(p["weeks"] for p in data["phases"])


def test_a_changed_file_changes_the_journey(tmp_path):
    raw = _raw()
    raw["regimens"][0]["phases"][0]["weeks"] = 5  # induction one week longer
    path = tmp_path / "timeline.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    r = regimen(raw["regimens"][0]["group"], raw["regimens"][0]["ph"], load_timeline(path))
    assert spans(r)[1].first == 6
    assert step(r, 5).phase.id == "induction"


def test_every_choice_has_a_plan_and_children_start_with_four_weeks_of_induction():
    for group in ("child", "adult"):
        for ph in ("negative", "positive"):
            r = regimen(group, ph)
            assert r.phases[0].id == "induction"
            assert r.phases[-1].id == "maintenance"
    assert regimen("child", "negative").phases[0].weeks == 4  # about 4 weeks [R33]


def test_child_maintenance_ends_two_years_after_interim_maintenance_starts():
    # COG: 2 years from the start of interim maintenance I, girls and boys alike [R39].
    for ph in ("negative", "positive"):
        r = regimen("child", ph)
        im = next(s for s in spans(r) if s.phase.id == "interim-maintenance")
        assert spans(r)[-1].last - im.first + 1 == 104


def test_whole_plans_last_about_two_to_three_years_or_follow_the_approved_cycles():
    for group, ph in (("child", "negative"), ("child", "positive"), ("adult", "negative")):
        weeks = tj.total_weeks(regimen(group, ph))
        assert 104 <= weeks <= 156, (group, ph, weeks)  # 2-3 years [R33]
    # Ph+ adults: 20 cycles of 4 weeks with ponatinib (2024 approval) [R45]
    assert tj.total_weeks(regimen("adult", "positive")) == 80


def test_step_at_phase_edges_and_checkpoints():
    r = regimen("child", "negative")
    first = step(r, 1)
    assert (first.phase.id, first.week_in_phase, first.nadir) == ("induction", 1, True)
    assert first.checkpoint is None and first.next_checkpoint[0] == 4
    end = step(r, 4)
    assert end.checkpoint is not None and "day 29" in end.checkpoint.text
    assert not end.nadir
    assert step(r, 5).phase.id == "consolidation"
    last = step(r, tj.total_weeks(r))
    assert last.phase.id == "maintenance" and last.next_checkpoint is None


@pytest.mark.parametrize("week", [0, -1, 10_000, 2.5, "3", True])
def test_weeks_outside_the_plan_are_refused_with_a_message(week):
    with pytest.raises(WeekError, match="Choose a week from 1 to"):
        step(regimen("adult", "negative"), week)


def _write(tmp_path, raw) -> str:
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return str(path)


def test_bad_files_name_the_problem(tmp_path):
    raw = _raw()
    raw["regimens"][0]["phases"][0]["nadir_weeks"] = [9]
    with pytest.raises(ContentError, match="outside the phase"):
        load_timeline(_write(tmp_path, raw))
    raw = _raw()
    raw["regimens"][0]["phases"][1]["sources"] = ["no-such-ref"]
    with pytest.raises(ContentError, match="no-such-ref"):
        load_timeline(_write(tmp_path, raw))
    raw = _raw()
    raw["regimens"].pop()
    with pytest.raises(ContentError, match="no regimen for"):
        load_timeline(_write(tmp_path, raw))
    raw = _raw()
    raw["regimens"][0]["phases"][0]["weeks"] = 0
    with pytest.raises(ContentError, match="weeks"):
        load_timeline(_write(tmp_path, raw))


def test_longest_phase_is_maintenance_in_every_plan():
    for r in tj.timeline().regimens:
        phase, share = tj.longest_phase(r)
        assert phase.id == "maintenance" and 50 <= share < 100


def test_view_reveals_the_prediction_only_in_the_longest_phase():
    from allcourse.scenarios.treatment_journey_view import TreatmentJourney

    view = TreatmentJourney("adult", "positive")
    assert "Check your prediction" not in states_json(view)
    view._jump_phase(+1)
    assert view.step.phase.id == "consolidation"
    assert "Check your prediction" not in states_json(view)
    view._jump_phase(+1)
    assert view.step.phase.id == "maintenance"
    assert "Check your prediction" in view.prediction.value
    assert view.next_phase.disabled and not view.prev_phase.disabled
    view.ph_choice.value = "negative"  # a new plan: the check hides again
    assert view.prediction.value == "" and view.slider.value == 1
    assert view.slider.max == tj.total_weeks(regimen("adult", "negative"))


def test_view_slider_and_buttons_stay_inside_the_plan():
    from allcourse.scenarios.treatment_journey_view import TreatmentJourney

    view = TreatmentJourney()
    assert view.prev_week.disabled
    view.go(10_000)
    assert view.slider.value == tj.total_weeks(view.regimen)
    assert view.next_week.disabled
    view.slider.value = 4
    assert "MRD checkpoint" in view.slider.valuetext
    assert "MRD checkpoint this week" in view.card.value
