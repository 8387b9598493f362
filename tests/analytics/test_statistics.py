"""Moodle's quiz statistics on a small class worked out by hand, and what the course adds
(random-guess score per item type, distractors, NCSBN partial credit, CJMM profile).

The hand-worked class: 5 students, 3 items (max marks 1, 1 and 2).

    student  x1  x2  x3   T     rest X1  X2  X3
    a         1   1   2   4             3   3   2
    b         1   1   1   3             2   2   2
    c         1   0   2   3             2   3   1
    d         0   1   0   1             1   0   1
    e         0   0   0   0             0   0   0

Totals: mean 2.2, median 3; deviations 1.8, 0.8, 0.8, -1.2, -2.2 give sums of powers
10.8 (2), -5.52 (3), 36.816 (4). So SD = sqrt(10.8/4) = 1.643168; m2 = 2.16,
m3 = -1.104, m4 = 7.3632; k2 = 2.7, k3 = 25(-1.104)/12 = -2.3, skewness = -2.3/2.7^1.5 =
-0.518420; k4 = 25(6(7.3632) - 12(2.16^2))/24 = -12.3, kurtosis = -12.3/2.7^2 = -1.687243.
Item variances (S-1): 0.3, 0.3, 1.0 (sum 1.6), so CIC = 150(1 - 1.6/2.7) = 61.1111%,
error ratio = 100 sqrt(0.388889) = 62.3610%, SE = 0.623610 x 1.643168 = 1.024695 marks.

Item 1: facility 60%, SD 100 sqrt(0.3) = 54.7723%; cov(x1, X1) = 2.2/4 = 0.55,
V(X1) = 1.3, so D = 55/sqrt(0.39) = 88.0705%; sorted pairs give the same covariance:
DE = 100%.
Item 2: cov = 0.2/4 = 0.05, V(X2) = 2.3: D = 5/sqrt(0.69) = 6.0193%; sorted covariance
3.2/4 = 0.8: DE = 6.25% (under 15%: dubious).
Item 3 (max 2): facility 1/2 = 50%, SD 100 x 1/2 = 50%; cov = 2.0/4 = 0.5, V(X3) = 0.7:
D = 50/sqrt(0.7) = 59.7614%; sorted covariance 3.0/4 = 0.75: DE = 66.6667%.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from allcourse import analytics as A
from allcourse.quiz import models as m
from allcourse.quiz.bank import bank
from allcourse.quiz.scoring import key_response, score

HAND = A.ScoreMatrix(
    pd.DataFrame(
        {"q1": [1, 1, 1, 0, 0], "q2": [1, 1, 0, 1, 0], "q3": [2, 1, 2, 0, 0]},
        index=pd.Index(list("abcde"), name="student"),
    ).astype(float),
    pd.Series({"q1": 1.0, "q2": 1.0, "q3": 2.0}),
)


def test_whole_test_figures_match_the_hand_worked_class():
    t = A.overall_statistics(HAND)
    assert (t.students, t.items, t.max_total) == (5, 3, 4.0)
    assert t.mean == pytest.approx(2.2)
    assert t.median == pytest.approx(3.0)
    assert t.sd == pytest.approx(1.643168, abs=1e-6)
    assert t.skewness == pytest.approx(-0.518420, abs=1e-6)
    assert t.kurtosis == pytest.approx(-1.687243, abs=1e-6)
    assert t.cic == pytest.approx(61.1111, abs=1e-4)
    assert t.error_ratio == pytest.approx(62.3610, abs=1e-4)
    assert t.standard_error == pytest.approx(1.024695, abs=1e-6)
    # As Moodle shows them: per cent of the maximum total (4 marks).
    assert (t.mean_pct, t.median_pct) == (pytest.approx(55.0), pytest.approx(75.0))
    assert t.sd_pct == pytest.approx(41.0792, abs=1e-4)
    assert t.standard_error_pct == pytest.approx(25.6174, abs=1e-4)


def test_item_figures_match_the_hand_worked_class():
    s = A.item_statistics(HAND, {"q1": 0.25, "q2": 0.5, "q3": None})
    assert list(s["s"]) == [5, 5, 5]
    assert list(s["facility"]) == pytest.approx([60.0, 60.0, 50.0])
    assert list(s["sd"]) == pytest.approx([54.7723, 54.7723, 50.0], abs=1e-4)
    assert list(s["discrimination_index"]) == pytest.approx([88.0705, 6.0193, 59.7614], abs=1e-4)
    assert list(s["discriminative_efficiency"]) == pytest.approx([100.0, 6.25, 66.6667], abs=1e-4)
    assert s.loc["q1", "random_guess"] == 25.0 and math.isnan(s.loc["q3", "random_guess"])
    assert list(s["dubious"]) == [False, True, False]  # Moodle: DE under 15%


def test_figures_that_need_more_students_are_left_blank():
    one = A.ScoreMatrix(HAND.points.iloc[:1], HAND.max_points)
    t = A.overall_statistics(one)
    assert t.mean == 4.0 and all(math.isnan(v) for v in (t.sd, t.skewness, t.cic))
    same = A.ScoreMatrix(
        pd.DataFrame({"q1": [1.0, 1.0, 1.0], "q2": [1.0, 0.0, 1.0]}),
        pd.Series({"q1": 1.0, "q2": 1.0}),
    )
    s = A.item_statistics(same)
    # Everyone got q1: it cannot discriminate; Moodle leaves the figure blank.
    assert math.isnan(s.loc["q1", "discrimination_index"])
    assert math.isnan(s.loc["q1", "discriminative_efficiency"])


TOUR = bank("tour")
BLOOD = bank("blood")
ALL_ITEMS = TOUR.all_items() + BLOOD.all_items()


def _first(kind: type) -> m.ItemBase:
    return next(it for it in ALL_ITEMS if isinstance(it, kind))


def test_random_guess_score_per_item_type():
    single = _first(m.SingleChoice)
    assert A.random_guess_score(single) == pytest.approx(1 / len(single.options))
    matrix = _first(m.MatrixSingle)
    # One point per row, one right column of k per row: 1/k whatever the number of rows.
    assert A.random_guess_score(matrix) == pytest.approx(1 / len(matrix.columns))
    select = _first(m.SelectN)
    # Exactly: the mean score over every n-subset, by the engine's own scorer.
    import itertools

    subsets = list(itertools.combinations([o.id for o in select.options], select.n))
    expected = sum(score(select, list(c)).fraction for c in subsets) / len(subsets)
    assert A.random_guess_score(select) == pytest.approx(expected)
    assert A.random_guess_score(_first(m.Numeric)) == 0.0
    for item in ALL_ITEMS:
        g = A.random_guess_score(item)
        assert g is not None and 0 <= g < 1, item.id  # guessing never earns full marks


def _answers(rows: list[tuple[str, m.ItemBase, object]]) -> pd.DataFrame:
    out = []
    for who, item, response in rows:
        s = score(item, response)
        out.append(
            {
                "student": who,
                "item_id": item.id,
                "step": item.step,
                "points": s.points,
                "max_points": s.max_points,
                "fraction": s.fraction,
                "response": response,
            }
        )
    return pd.DataFrame(out)


def test_distractor_analysis_counts_every_choice_and_who_chose_it():
    single = next(it for it in BLOOD.items if isinstance(it, m.SingleChoice))
    key = key_response(single)
    wrong = [o for o in single.options if not o.correct]
    rows = [("a", single, key), ("b", single, key), ("c", single, wrong[0].id)]
    rows += [("d", single, wrong[0].id), ("e", single, wrong[1].id)]
    table = A.distractors(_answers(rows), {single.id: single})
    by_choice = {r.choice: r for r in table.itertuples()}
    key_text = A.statistics._label(next(o.text for o in single.options if o.correct))
    assert by_choice[key_text].chosen_by == 2 and by_choice[key_text].is_key
    first_wrong = by_choice[A.statistics._label(wrong[0].text)]
    assert (first_wrong.chosen_by, first_wrong.share, first_wrong.is_key) == (2, 40.0, False)
    assert first_wrong.chooser_mean == 0.0 and by_choice[key_text].chooser_mean == 100.0


def test_partial_credit_tells_full_partial_and_none_apart():
    sata = next(it for it in TOUR.all_items() if isinstance(it, m.MultipleResponse))
    key = key_response(sata)
    wrong = [o.id for o in sata.options if not o.correct]
    rows = [("a", sata, key), ("b", sata, key[:1]), ("c", sata, wrong)]
    credit = A.partial_credit(_answers(rows)).loc[sata.id]
    assert credit["n"] == 3
    assert (credit["full"], credit["partial"], credit["none"]) == pytest.approx((100 / 3,) * 3)
    partial = score(sata, key[:1]).fraction
    assert credit["mean_score"] == pytest.approx(100 * (1 + partial) / 3)


def test_step_profile_follows_the_model_order():
    tagged = [it for it in ALL_ITEMS if it.step][:6]
    rows = [("a", it, key_response(it)) for it in tagged] + [("b", tagged[0], None)]
    profile = A.step_profile(_answers(rows))
    assert list(profile["step"]) == [s for s in m.CJMM_STEPS if s in {it.step for it in tagged}]
    first = profile.set_index("step").loc[tagged[0].step]
    n_first = sum(1 for it in tagged if it.step == tagged[0].step)
    assert first["answers"] == n_first + 1 and first["students"] == 2
    assert first["mean_score"] == pytest.approx(100 * n_first / (n_first + 1))
