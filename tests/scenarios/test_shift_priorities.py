"""Who do you see first? The priority model reads each patient's cues (neutropenic fever,
shock, hypoxia, confusion, bleeding, platelets below 10,000), the key of "who first" comes
from it, a shift with two equally urgent patients is refused, and delegation rows keep
the RN's work with the RN."""

from __future__ import annotations

import pytest
import yaml
from leak_check import secrets, states_json

from allcourse.course.content import ContentError
from allcourse.quiz.scoring import key_response, score
from allcourse.scenarios import shift_priorities as sp
from allcourse.scenarios.shift_priorities import Patient, acuity

STABLE = dict(
    id="p",
    name="Pat Doe",
    age=40,
    summary="Stable.",
    anc=2000,
    platelets=150_000,
    temp_c=36.8,
    heart_rate=80,
    systolic_bp=120,
    resp_rate=16,
    spo2=98,
    mental_status="alert",
)


def patient(**changes) -> Patient:
    return Patient(**{**STABLE, **changes})


def test_a_patient_with_normal_cues_is_stable():
    assert acuity(patient()).level == "stable"


@pytest.mark.parametrize(
    ("changes", "level"),
    [
        (dict(anc=499, temp_c=38.3), "emergency"),  # neutropenic fever, one reading
        (dict(anc=500, temp_c=39.0), "watch"),  # not neutropenic fever, still a fever
        (dict(anc=700, anc_falling=True, temp_c=38.3), "emergency"),  # expected below 500
        (dict(anc=700, anc_falling=True, temp_c=38.1), "watch"),
        (dict(heart_rate=101), "watch"),  # abnormal vital signs are never "stable"
        (dict(anc=200, temp_c=38.2), "watch"),  # 38.0-38.2: fever if it lasts an hour
        (dict(anc=200, temp_c=37.9), "stable"),
        (dict(systolic_bp=89), "emergency"),
        (dict(systolic_bp=90), "watch"),  # not shock, but 100 or less is a sepsis cue
        (dict(systolic_bp=101), "stable"),
        (dict(spo2=89), "emergency"),
        (dict(confused=True), "emergency"),
        (dict(bleeding=True), "emergency"),
        (dict(platelets=9_999), "watch"),  # below the 2025 prophylactic threshold
        (dict(platelets=10_000), "stable"),
    ],
)
def test_each_cue_sets_the_level_at_its_line(changes, level):
    assert acuity(patient(**changes)).level == level


def test_sepsis_cues_alone_make_watch_not_an_emergency_and_are_named_with_a_fever():
    assert acuity(patient(resp_rate=24, heart_rate=120)).level == "watch"
    low_platelets = acuity(patient(platelets=8_000, heart_rate=110))
    assert low_platelets.level == "watch"  # low platelets + tachycardia is not sepsis
    assert not any(c.startswith("sepsis cues") for c in low_platelets.cues)
    a = acuity(patient(anc=100, temp_c=38.6, resp_rate=24, systolic_bp=94))
    assert a.level == "emergency"
    assert any(c.startswith("sepsis cues") and "respiratory rate 24" in c for c in a.cues)
    assert "nc-ssc-2021" in a.sources


def test_the_unit_sees_marcus_first_and_the_order_follows_acuity():
    order = [p.id for p in sp.priority_order()]
    assert order[0] == "marcus"
    assert order[1] == "eleanor"  # platelets below 10,000: next
    assert sp.first_patient().id == "marcus"


def test_the_who_first_item_is_keyed_from_the_model_and_every_option_has_a_reason():
    item = sp.who_first_item()
    assert [o.id for o in item.options if o.correct] == ["marcus"]
    assert all(o.rationale for o in item.options)
    assert score(item, "marcus").points == 1
    assert score(item, "eleanor").points == 0
    key = next(o for o in item.options if o.correct)
    assert len(key.text) < max(len(o.text) for o in item.options)  # the key is not the longest


def test_delegation_keeps_assessment_teaching_blood_and_immunotherapy_with_the_rn():
    item = sp.delegation_item()
    key = key_response(item)
    assert key["marcus-sepsis"] == "rn"
    assert key["sofia-teach"] == "rn"
    assert key["eleanor-platelets"] == "rn"
    assert key["ahmed-bag"] == "rn"
    assert key["ahmed-antiemetic"] == "lpn"
    assert key["eleanor-walk"] == "ap" and key["ahmed-weight"] == "ap"
    assert score(item, key).points == len(item.rows)


def test_a_shift_with_two_equally_urgent_patients_is_refused(tmp_path):
    raw = yaml.safe_load(sp.DATA.read_text(encoding="utf-8"))
    raw["patients"][2]["confused"] = True  # Sofia now an emergency too
    path = tmp_path / "two-first.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="exactly one patient must be the most urgent"):
        sp.load(path)


def test_a_bad_shift_file_names_the_file_the_patient_and_the_field(tmp_path):
    raw = yaml.safe_load(sp.DATA.read_text(encoding="utf-8"))
    raw["patients"][1]["age"] = "old"
    path = tmp_path / "bad-age.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        sp.load(path)
    (problem,) = err.value.problems
    assert problem.file.endswith("bad-age.yml")
    assert (problem.item, problem.field) == (raw["patients"][1]["id"], "age")
    broken = tmp_path / "broken.yml"
    broken.write_text("patients: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"broken\.yml: .*not valid YAML: line 2"):
        sp.load(broken)


def test_the_view_sends_no_key_or_rationale_before_a_check():
    from allcourse.scenarios.shift_priorities_view import ShiftPriorities

    view = ShiftPriorities()
    sent = states_json(view)
    for item in sp.items():
        for text in secrets(item):
            assert text not in sent
    assert "Check your prediction" not in sent
    # The positive control: after a check, the rationale and the prediction are shown.
    card = view.cards[0]
    card.renderer.set_response("eleanor")
    assert not card.check_answer().correct
    card.reveal_key()  # a wrong first try keeps the key hidden until the student asks
    after = states_json(view)
    assert "who is an emergency" in after
    assert "Check your prediction" in after
