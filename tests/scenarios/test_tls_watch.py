"""TLS watch: each time point is classified by the Cairo-Bishop 2004 criteria (two or
more values past their lines or changed by 25% from baseline; kidney injury, an
arrhythmia or a seizure on top makes it clinical), at the edges of each line and of the
25% change; grading, the most dangerous value,
the trend exhibit, bad data, and a view that leaks nothing before a check."""

from __future__ import annotations

import pytest
import yaml
from leak_check import secrets, states_json

from allcourse.course.content import ContentError
from allcourse.scenarios import tls_watch as tw
from allcourse.scenarios.tls_watch import AnswerError, classify, grade, timeline

NORMAL = dict(uric_acid=5.0, potassium=4.2, phosphate=3.5, calcium=9.2, creatinine=0.9)
ULN = 1.2


def level(**changes) -> str:
    return classify({**NORMAL, **changes}, ULN).level


def test_each_time_point_of_the_scenario_is_classified():
    got = [(c.time, c.level) for c in timeline()]
    assert got == [
        ("0 h", "none"),
        ("12 h", "none"),  # uric acid alone
        ("24 h", "laboratory"),  # uric acid + phosphate
        ("36 h", "laboratory"),  # + potassium 5.9: under 6.0 but 34% above 4.4
        ("48 h", "clinical"),  # potassium, phosphate, calcium + creatinine 2.0 >= 1.8
        ("72 h", "none"),  # phosphate alone; creatinine still above the upper limit
    ]
    assert timeline()[2].abnormal == ("uric_acid", "phosphate")  # K 5.4 is only 23% up
    assert timeline()[3].abnormal == ("uric_acid", "potassium", "phosphate")
    assert "potassium 5.9 mmol/L (34% above baseline)" in timeline()[3].reason
    assert "still above the upper limit" in timeline()[5].reason
    # ... and "not met" at 72 h does not read as "TLS is over"
    assert "TLS was already present from 24 h: the diagnosis stands" in timeline()[5].reason
    assert "already present" not in timeline()[1].reason  # before any TLS


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (dict(uric_acid=8.0), "none"),  # one value alone is not TLS
        (dict(uric_acid=8.0, potassium=6.0), "laboratory"),  # both exactly on the line
        (dict(uric_acid=7.9, potassium=6.0), "none"),
        (dict(uric_acid=8.0, potassium=5.9), "none"),
        (dict(phosphate=4.5, calcium=7.0), "laboratory"),
        (dict(phosphate=4.4, calcium=7.0), "none"),
        (dict(phosphate=4.5, calcium=7.1), "none"),
        (dict(uric_acid=9, phosphate=5, creatinine=1.8), "clinical"),  # 1.5 x 1.2
        (dict(uric_acid=9, phosphate=5, creatinine=1.79), "laboratory"),
        (dict(uric_acid=9, creatinine=3.0), "none"),  # kidney injury without lab TLS
    ],
)
def test_the_lines_of_laboratory_and_clinical_tls(changes, expected):
    assert level(**changes) == expected


BASE = dict(uric_acid=4.0, potassium=4.0, phosphate=3.2, calcium=10.0, creatinine=0.8)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (dict(uric_acid=5.0, potassium=5.0), "laboratory"),  # both exactly 25% up
        (dict(uric_acid=4.9, potassium=5.0), "none"),  # uric acid 22.5% up is not enough
        (dict(phosphate=4.0, potassium=5.0), "laboratory"),  # phosphate 25% up, under 4.5
        (dict(potassium=5.0, calcium=7.5), "laboratory"),  # calcium 25% down, above 7.0
        (dict(potassium=5.0, calcium=7.6), "none"),  # calcium 24% down
        (dict(uric_acid=3.0, potassium=3.0), "none"),  # falls do not count for these
    ],
)
def test_a_25_percent_change_from_baseline_counts_like_a_line(changes, expected):
    values = {**BASE, **changes}
    assert classify(values, ULN, baseline=BASE).level == expected


def test_without_a_baseline_only_the_lines_count():
    values = {**BASE, "uric_acid": 5.0, "potassium": 5.0}
    assert classify(values, ULN).level == "none"


def test_the_most_dangerous_value_at_48_hours_is_potassium():
    assert tw.most_dangerous() == "potassium"
    item = tw.danger_item()
    assert [o.id for o in item.options if o.correct] == ["potassium"]
    assert all(o.rationale for o in item.options)
    assert "6.6 mmol/L" in next(o.text for o in item.options if o.correct)


def test_the_actions_item_keys_monitoring_and_rejects_calcium_bicarbonate_and_stopping_fluids():
    item = tw.actions_item()
    keys = {o.id for o in item.options if o.correct}
    assert keys == {"monitor", "notify", "output", "no-potassium"}
    assert {"calcium", "bicarbonate", "restrict", "rasburicase-again"}.isdisjoint(keys)


def test_grading_counts_each_time_point_and_refuses_a_missing_or_unknown_choice():
    right = {c.time: c.level for c in timeline()}
    assert grade(right).right == 6
    wrong = dict(right, **{"48 h": "laboratory"})
    result = grade(wrong)
    assert result.right == 5
    assert next(p for p in result.points if not p.correct).expected.time == "48 h"
    with pytest.raises(AnswerError, match="1 left: 72 h"):
        grade({k: v for k, v in right.items() if k != "72 h"})
    with pytest.raises(AnswerError, match="Unknown choice"):
        grade(dict(right, **{"0 h": "severe"}))


def test_the_trend_exhibit_has_every_value_and_a_text_alternative():
    from allcourse.quiz.render.exhibit import chart_label
    from allcourse.scenarios.tls_watch_view import trend_figure_html

    ex = tw.exhibit()
    assert ex.times == ["0 h", "12 h", "24 h", "36 h", "48 h", "72 h"]
    potassium = next(s for s in ex.series if s.name == "Potassium")
    assert potassium.values == [4.4, 4.9, 5.4, 5.9, 6.6, 5.2]
    label = chart_label(ex.times, potassium)
    assert "48 h: 6.6" in label
    page = trend_figure_html()
    assert "<table" in page and page.count('role="img"') == 5
    assert "<figcaption>Potassium (mmol/L)</figcaption>" in page


def test_a_data_file_with_a_missing_value_names_the_field(tmp_path):
    raw = yaml.safe_load(tw.DATA.read_text(encoding="utf-8"))
    raw["labs"]["potassium"] = raw["labs"]["potassium"][:-1]
    path = tmp_path / "short.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="labs.potassium needs one value"):
        tw.load(path)


def test_a_bad_tls_file_names_the_file_the_item_and_the_field(tmp_path):
    raw = yaml.safe_load(tw.DATA.read_text(encoding="utf-8"))
    raw["creatinine_uln"] = 0
    raw["actions"][0]["correct"] = "maybe"
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        tw.load(path)
    where = {(p.item, p.field) for p in err.value.problems}
    assert where == {("-", "creatinine_uln"), (raw["actions"][0]["id"], "correct")}
    assert all(p.file.endswith("bad.yml") for p in err.value.problems)
    with pytest.raises(ContentError, match=r"missing\.yml: .*file not found"):
        tw.load(tmp_path / "missing.yml")


def test_the_view_leaks_no_classification_or_rationale_before_a_check():
    from allcourse.scenarios.tls_watch_view import TlsWatch

    view = TlsWatch()
    sent = states_json(view)
    for c in timeline():
        assert c.reason not in sent
    for item in tw.items():
        for text in secrets(item):
            assert text not in sent
    assert "Check your prediction" not in sent
    assert view.check_points() is None
    assert view.status.message.startswith("Classify every time point first")
    for dd in view.points.values():
        dd.value = "laboratory"
    result = view.check_points()
    assert result.right == 2
    after = states_json(view)
    assert timeline()[4].reason in after and "Check your prediction" in after
    view.reset()
    assert all(dd.value == "" and not dd.disabled for dd in view.points.values())
