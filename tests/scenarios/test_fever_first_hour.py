"""The neutropenic-fever clock: each rule scores the timing of a plan (antibiotic within
60 minutes, cultures first, assess first, tell the provider at once, reassess, nothing
harmful); bad plans and bad data files give messages; the view leaks nothing."""

from __future__ import annotations

import pytest
import yaml
from leak_check import states_json

from allcourse.course.content import ContentError
from allcourse.scenarios import fever_first_hour as fh
from allcourse.scenarios.fever_first_hour import PlanError, best_plan, run_clock

BEST = list(best_plan())


def statuses(plan):
    return {f.key: f.status for f in run_clock(plan).findings}


def test_the_best_plan_meets_every_rule_and_the_first_dose_starts_at_minute_25():
    result = run_clock(BEST)
    assert [s.action.id for s in result.steps] == [
        "assess",
        "notify",
        "cultures",
        "antibiotic",
        "reassess",
    ]
    assert result.met == result.total == 6
    assert result.antibiotic_minute == 5 + 5 + 15  # assess, notify, cultures


def test_the_clock_runs_the_steps_one_after_another_from_minute_0():
    steps = run_clock(BEST).steps
    assert steps[0].start == 0
    for before, after in zip(steps, steps[1:], strict=False):
        assert after.start == before.end
        assert before.end - before.start == before.action.minutes


@pytest.mark.parametrize(
    ("delay", "minute"),
    [("recheck", 85), ("acetaminophen", 85), ("xray", 70)],
)
def test_a_delay_before_the_antibiotic_makes_it_late_by_its_minutes(delay, minute):
    plan = ["assess", "notify", "cultures", delay, "antibiotic", "reassess"]
    result = run_clock(plan)
    assert result.antibiotic_minute == minute
    antibiotic = next(f for f in result.findings if f.key == "antibiotic")
    assert antibiotic.status == "late"
    assert f"{minute - 60} minutes late" in antibiotic.message
    assert fh.scenario().action(delay).text.lower() in antibiotic.message


def test_sixty_minutes_is_on_time_and_sixty_one_is_late(tmp_path):
    # A data file whose cultures take exactly long enough to land the dose on minute 60/61.
    raw = yaml.safe_load(fh.DATA.read_text(encoding="utf-8"))
    for minutes, expected in ((35, "ok"), (36, "late")):
        for a in raw["actions"]:
            if a["id"] == "xray":
                a["minutes"] = minutes
        path = tmp_path / f"fever-{minutes}.yml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        data = fh.load(path)
        plan = ["assess", "notify", "cultures", "xray", "antibiotic", "reassess"]
        result = run_clock(plan, data)
        assert result.antibiotic_minute == 25 + minutes
        assert {f.key: f.status for f in result.findings}["antibiotic"] == expected


def test_cultures_after_the_first_dose_are_flagged_and_missing_ones_are_missed():
    assert (
        statuses(["assess", "notify", "antibiotic", "cultures", "reassess"])["cultures"] == "late"
    )
    assert statuses(["assess", "notify", "antibiotic", "reassess"])["cultures"] == "missed"


def test_calling_before_assessing_makes_the_assessment_late():
    s = statuses(["notify", "assess", "cultures", "antibiotic", "reassess"])
    assert s["assess"] == "late"
    assert s["notify"] == "ok"


def test_notifying_after_the_antibiotic_or_after_waiting_is_late():
    assert statuses(["assess", "cultures", "antibiotic", "notify", "reassess"])["notify"] == "late"
    s = statuses(["assess", "recheck", "notify", "cultures", "antibiotic", "reassess"])
    assert s["notify"] == "late"


def test_no_antibiotic_is_missed_and_reassessing_before_the_dose_counts_as_missed():
    result = run_clock(["assess", "notify", "cultures", "reassess"])
    s = {f.key: f.status for f in result.findings}
    assert s["antibiotic"] == "missed" and result.antibiotic_minute is None
    assert s["reassess"] == "missed"


def test_a_rectal_temperature_is_harm_with_its_reason():
    result = run_clock(["assess", "rectal", "notify", "cultures", "antibiotic", "reassess"])
    harm = next(f for f in result.findings if f.key == "harm")
    assert harm.status == "harm"
    assert "mucosa" in harm.message
    assert "R88" in harm.sources


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ([], "Choose at least one action"),
        (["", "", ""], "Choose at least one action"),
        (["assess", "", "notify"], "Step 2 is empty"),
        (["assess", "assess"], "Step 2 repeats"),
    ],
)
def test_a_plan_that_cannot_run_gets_a_message(plan, message):
    assert fh.check_plan(plan).startswith(message)
    with pytest.raises(PlanError, match=message):
        run_clock(plan)


def test_an_unknown_action_is_a_plan_error_not_a_key_error():
    with pytest.raises(PlanError, match="Unknown action"):
        run_clock(["assess", "forged"])


def test_trailing_empty_steps_are_ignored():
    assert run_clock(BEST + ["", None]).met == 6


def test_a_data_file_missing_a_needed_role_names_the_problem(tmp_path):
    raw = yaml.safe_load(fh.DATA.read_text(encoding="utf-8"))
    raw["actions"] = [a for a in raw["actions"] if a["role"] != "cultures"]
    path = tmp_path / "no-cultures.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="role 'cultures'"):
        fh.load(path)


def test_the_view_sends_no_finding_before_the_clock_runs():
    from allcourse.scenarios.fever_first_hour_view import FeverFirstHour

    view = FeverFirstHour()
    before = states_json(view)
    for f in run_clock(BEST).findings:
        assert f.message not in before
    assert "Check your prediction" not in before
    assert view.run() is None
    assert view.status.message.startswith("Choose at least one action")
    for dd, action in zip(view.steps, BEST, strict=False):
        dd.value = action
    result = view.run()
    assert result.met == 6
    after = states_json(view)
    assert "Check your prediction" in after and "14:25" in after
    assert all(dd.disabled for dd in view.steps)
    view.reset()
    assert all(dd.value == "" and not dd.disabled for dd in view.steps)
    assert view.feedback.value == ""
