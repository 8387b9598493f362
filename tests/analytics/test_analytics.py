"""Instructor analytics: loading a folder of results (damaged files listed, the rest
loaded), item statistics on a class whose answers we chose, and the charts' text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from allcourse import analytics as A
from allcourse.app import progress as P
from allcourse.app import results_io
from allcourse.quiz import models as m
from allcourse.quiz.bank import bank
from allcourse.quiz.events import Attempt
from allcourse.quiz.scoring import key_response, score

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
CAT = P.catalogue()
TOUR = bank("tour")
BLOOD = bank("blood")
SINGLES = [it for it in BLOOD.items if isinstance(it, m.SingleChoice)]
BANK_OF = {it.id: name for name in ("tour", "blood") for it in bank(name).all_items()}


def attempt(item, response, minute: int) -> Attempt:
    s = score(item, response)
    return Attempt(
        item.id, BANK_OF[item.id], response, s.points, s.max_points, "practice", 1, 10.0,
        f"2026-03-01T10:{minute:02d}:00+00:00",
    )  # fmt: skip


def wrong_option(item: m.SingleChoice, n: int = 0) -> str:
    return [o.id for o in item.options if not o.correct][n]


def class_results(records: dict[str, P.Progress]) -> A.ClassResults:
    return A.ClassResults("class", records, [], [], CAT)


def student(answers: list[tuple[m.ItemBase, object]]) -> P.Progress:
    p = P.empty(CAT.course_version)
    for i, (item, response) in enumerate(answers):
        p = P.record(p, attempt(item, response, i))
    return p


# --- the numbers ----------------------------------------------------------------------


def test_pearson_and_upper_lower_on_hand_worked_numbers():
    # sxy = 0.7, sxx = 1, syy = 0.5
    assert A.pearson([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == pytest.approx(0.7 / 0.5**0.5)
    assert A.pearson([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]) == pytest.approx(-0.7 / 0.5**0.5)
    assert A.pearson([1, 1, 1, 1], [0.1, 0.2, 0.8, 0.9]) is None  # the item does not vary
    # 8 students -> groups of round(8 * 0.27) = 2: top two both right, bottom two one right.
    correct = [1, 0, 1, 0, 1, 1, 1, 1]
    rest = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    assert A.upper_lower(correct, rest) == pytest.approx(1.0 - 0.5)


def test_wrong_choices_name_what_was_chosen():
    single = SINGLES[0]
    wrong = next(o for o in single.options if not o.correct)
    assert A.wrong_choices(single, wrong.id) == [A._label(wrong.text)]
    assert A.wrong_choices(single, key_response(single)) == []
    for item in TOUR.all_items():
        assert A.wrong_choices(item, key_response(item)) == [], item.id
    matrix = next(it for it in TOUR.items if isinstance(it, m.MatrixSingle))
    row = matrix.rows[0]
    other = next(c for c in matrix.columns if c.id != row.correct[0])
    response = {**key_response(matrix), row.id: other.id}
    assert A.wrong_choices(matrix, response) == [f"{A._label(row.text)}: {A._label(other.text)}"]
    typed = next(it for it in TOUR.items if isinstance(it, m.Numeric))
    assert A.wrong_choices(typed, " 15 ") == ["typed: 15"]


def test_item_statistics_and_flags_on_a_chosen_class():
    good, reversed_item, hard = SINGLES[:3]
    records = {}
    # Six students; ability = how many of the `good` style items they get right.
    for n in range(6):
        strong = n >= 3
        flawed = wrong_option(reversed_item) if strong else key_response(reversed_item)
        records[f"s{n}"] = student(
            [
                (good, key_response(good) if strong else wrong_option(good)),
                # Stronger students miss this one, weaker ones get it: a flawed item.
                (reversed_item, flawed),
                (hard, key_response(hard) if n == 5 else wrong_option(hard)),
                *[(it, key_response(it) if strong else wrong_option(it)) for it in SINGLES[3:]],
            ]
        )
    stats = {s.item_id: s for s in A.item_stats(class_results(records))}
    g, r, h = stats[good.id], stats[reversed_item.id], stats[hard.id]
    assert (g.n, g.p) == (6, 0.5)
    assert g.r_pb > 0.9 and g.d_ul == pytest.approx(1.0)
    assert g.flags == ()
    assert r.r_pb < 0 and any("negative discrimination" in f for f in r.flags)
    assert h.p == pytest.approx(1 / 6, abs=1e-6) and any("very hard" in f for f in h.flags)
    # Five chose the same wrong option and one the key: the distractor beat the key.
    assert h.top_wrong == (
        A._label(next(o for o in hard.options if o.id == wrong_option(hard)).text),
        5,
    )
    assert any("more often than the key" in f for f in h.flags)


def test_first_tries_count_not_the_retry_after_feedback():
    item = SINGLES[0]
    p = student([(item, wrong_option(item))])
    p = P.record(p, attempt(item, key_response(item), 30))  # right after seeing feedback
    stats = A.item_stats(class_results({"s": p}))
    assert stats[0].p == 0.0 and stats[0].r_pb is None  # one student: no discrimination


def test_completion_and_step_profile():
    every = [(it, key_response(it)) for it in TOUR.all_items()]
    half = every[:5]
    results = class_results({"a": student(every), "b": student(half)})
    tour = next(c for c in A.completion(results) if c.module_id == "tour")
    assert (tour.completed, tour.started, tour.students) == (1, 2, 2)
    assert tour.scores == (1.0, 1.0)
    steps = A.step_profile(results)
    assert [s.step for s in steps] == [s for s in m.CJMM_STEPS if s in {s.step for s in steps}]
    assert all(s.mean == 1.0 for s in steps)
    tagged = sum(1 for it in TOUR.all_items() if it.step)
    assert sum(s.answers for s in steps) == tagged + sum(1 for it, _ in half if it.step)


# --- loading a folder -----------------------------------------------------------------


def test_fixture_folder_loads_good_files_and_lists_bad_ones():
    results = A.load_folder(EXPORTS, CAT)
    bad = {b.name: b.reason for b in results.bad}
    assert set(bad) == {
        "damaged-cut-short.json",
        "newer-format.json",
        "not-results.json",
        "notes.txt",
        "wrong-columns.csv",
    }
    assert "not complete, readable JSON" in bad["damaged-cut-short.json"]
    assert "newer version" in bad["newer-format.json"]
    # The file with one damaged record still loads, with the record noted.
    partly = next(f for f in results.files if f.name == "damaged-one-record.json")
    assert len(partly.problems) == 1 and "damaged" in partly.problems[0]
    # Student 05 handed in the same results as JSON and CSV: one student, not two.
    assert [f.student for f in results.files].count("Student 05") == 2
    assert len(results.students) == len({f.student.casefold() for f in results.files})
    json_only = results_io.read_results(
        (EXPORTS / "allcourse-results-student-05.json").read_bytes(), "s05.json"
    ).progress
    assert results.students["student 05"].items.keys() == json_only.items.keys()
    assert all(
        results.students["student 05"].items[i].checks == rec.checks
        for i, rec in json_only.items.items()
    )
    assert A.item_stats(results), "the fixture class yields item statistics"


def test_a_folder_that_does_not_exist_is_reported(tmp_path):
    results = A.load_folder(tmp_path / "nowhere", CAT)
    assert results.students == {} and "does not exist" in results.bad[0].reason


def test_dashboard_reads_the_folder_named_in_the_environment(tmp_path, monkeypatch):
    shutil.copy(EXPORTS / "allcourse-results-student-01.json", tmp_path)
    (tmp_path / "broken.json").write_text("{")
    monkeypatch.setenv(A.RESULTS_ENV, str(tmp_path))
    dash = A.Dashboard()
    assert repr(dash) == "<Class results: 1 students, 1 files not used>"
    assert "broken.json" in dash.files().data
    assert "Student 01" in dash.files().data


# --- drawing --------------------------------------------------------------------------


def test_histogram_is_an_image_with_its_numbers_in_words():
    svg = A.histogram_svg([0.05, 0.5, 0.55, 1.0], "Blood scores")
    assert 'role="img"' in svg
    assert "0–10%: 1, 50–60%: 2, 90–100%: 1" in svg
    assert svg.count("<rect") == 10


def test_flagged_table_lists_only_flagged_items():
    item = SINGLES[0]
    records = {f"s{n}": student([(item, key_response(item))]) for n in range(6)}
    stats = A.item_stats(class_results(records))
    assert "very easy" in A.items_html(stats, flagged_only=True)
    unflagged = [s for s in stats if not s.flags]
    assert A.items_html(unflagged, flagged_only=True) == "<p>No item is flagged.</p>"
