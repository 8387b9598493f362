"""Loading a class's results: every answer re-scored from the bank, edited files flagged,
answers to removed items reported, damaged files listed, and the gradebook export."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
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
BLOOD = bank("blood")
SINGLES = [it for it in BLOOD.items if isinstance(it, m.SingleChoice)]
EXPORTED = "2026-03-06T17:00:00+00:00"


def wrong(item: m.SingleChoice) -> str:
    return next(o.id for o in item.options if not o.correct)


def record(name: str, answers: list[tuple[m.ItemBase, object]]) -> P.Progress:
    p = P.empty(CAT.course_version, name)
    for i, (item, response) in enumerate(answers):
        s = score(item, response)
        attempt = Attempt(
            item.id, "blood", response, s.points, s.max_points, "practice", 1, 10.0,
            f"2026-03-01T10:{i:02d}:00+00:00",
        )  # fmt: skip
        p = P.record(p, attempt)
    return p


def write(folder: Path, name: str, progress: P.Progress, edit=None) -> Path:
    data = json.loads(results_io.export_json(progress, CAT, EXPORTED))
    if edit is not None:
        edit(data)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def full_points(data: dict) -> None:
    for rec in data["items"].values():
        for a in [rec["first"], rec["last"], *rec["history"]]:
            a["points"] = a["max_points"]


def test_a_file_edited_to_full_points_is_flagged_and_rescored(tmp_path):
    answers = [(it, wrong(it)) for it in SINGLES[:3]]
    write(tmp_path, "honest", record("Ana", answers))
    write(tmp_path, "edited", record("Ben", answers), full_points)
    results = A.load_folder(tmp_path, CAT)
    by_name = {f.name: f for f in results.files}
    assert not by_name["honest.json"].tampered
    edited = by_name["edited.json"]
    assert edited.tampered and len(edited.disagreements) == 3
    first = edited.disagreements[0]
    assert (first.stored, first.rescored, first.max_points) == (1.0, 0.0, 1.0)
    assert "the file says 1 of 1, the key gives 0" in A.loading.file_notes(edited)[0]
    # The statistics use the re-scored points: Ben scored 0, not 3 of 3.
    ben = results.answers[results.answers["student"] == "Ben"]
    assert ben["points"].sum() == 0 and ben["stored_points"].sum() == 3
    assert results.files_frame.set_index("file").loc["edited.json", "tampered"] == 3
    assert A.student_table(results).loc["Ben", "flagged"]
    assert not A.student_table(results).loc["Ana", "flagged"]


def test_answers_to_items_no_longer_in_the_banks_are_reported_not_counted(tmp_path):
    def add_removed_item(data: dict) -> None:
        rec = next(iter(data["items"].values()))
        data["items"]["blood-removed-last-year"] = rec

    write(tmp_path, "old", record("Cy", [(SINGLES[0], key_response(SINGLES[0]))]), add_removed_item)
    results = A.load_folder(tmp_path, CAT)
    (f,) = results.files
    assert f.unknown_items == ("blood-removed-last-year",) and not f.tampered
    assert "no longer in the banks" in A.loading.file_notes(f)[0]
    assert list(results.answers["item_id"]) == [SINGLES[0].id]


def test_fixture_folder_loads_good_files_lists_bad_ones_and_flags_the_edited_one():
    results = A.load_folder(EXPORTS, CAT)
    bad = {b.name: b.reason for b in results.bad}
    assert set(bad) == {
        "damaged-cut-short.json",
        "newer-format.json",
        "not-results.json",
        "notes.txt",
        "wrong-columns.csv",
    }
    assert "newer version" in bad["newer-format.json"]
    assert [f.name for f in results.tampered] == ["allcourse-results-student-14.json"]
    partly = next(f for f in results.files if f.name == "damaged-one-record.json")
    assert len(partly.problems) == 1
    # Student 05 handed in the same results as JSON and CSV: one student, not two.
    practice = [f for f in results.files if f.test is None]
    assert [f.student for f in practice].count("Student 05") == 2
    assert len(results.students) == len({f.student.casefold() for f in practice})
    # The class test's files are kept apart from practice, with each student's order.
    tests = [f for f in results.files if f.test is not None]
    assert len(tests) == 10 and set(results.tests) == {"sample_check"}
    assert len(results.tests["sample_check"]) == 10
    orders = results.test_orders["sample_check"]
    assert all(len(order) == 3 for order in orders.values())
    in_test = results.answers[results.answers["test_id"] == "sample_check"]
    assert set(in_test["mode"]) == {"test"} and len(in_test) == 30  # 10 students x 3 items
    assert in_test["response"].isna().sum() == 1  # one ran out of time before the last


def test_class_test_statistics_use_positions_for_the_test_and_givers_for_items():
    results = A.load_folder(EXPORTS, CAT)
    answers = results.answers[results.answers["test_id"] == "sample_check"]
    orders = results.test_orders["sample_check"]
    items = {it.id: it for it in BLOOD.all_items()}
    stats, overall = A.class_test_report(answers, orders, items)
    assert (overall.students, overall.items, overall.max_total) == (10, 3, 3.0)
    totals = [answers[answers["student"] == who]["points"].sum() for who in orders]
    assert overall.mean == pytest.approx(sum(totals) / 10)
    # Each item's n is the number of students who were given it.
    given = pd.Series([i for order in orders.values() for i in order]).value_counts()
    assert stats["s"].to_dict() == given.to_dict()
    for item_id, row in stats.iterrows():
        mine = answers[answers["item_id"] == item_id]["points"]
        expected = 100 * mine.sum() / given[item_id]  # not answered in time: 0
        assert row["facility"] == pytest.approx(expected)


def test_a_folder_that_does_not_exist_is_reported(tmp_path):
    results = A.load_folder(tmp_path / "nowhere", CAT)
    assert results.students == {} and "does not exist" in results.bad[0].reason
    assert results.answers.empty


def test_gradebook_export_csv_and_xlsx_keep_names_as_text(tmp_path):
    write(tmp_path, "a", record('=HYPERLINK("x")', [(SINGLES[0], key_response(SINGLES[0]))]))
    write(tmp_path, "b", record("Dana Ólafsdóttir", [(SINGLES[0], wrong(SINGLES[0]))]))
    table = A.student_table(A.load_folder(tmp_path, CAT))
    out_csv = A.write_csv(table, tmp_path / "gradebook.csv")
    rows = list(csv.DictReader(out_csv.read_text(encoding="utf-8-sig").splitlines()))
    names = [r["student"] for r in rows]
    assert names == ['\'=HYPERLINK("x")', "Dana Ólafsdóttir"]
    blood_col = next(c for c in rows[0] if c.startswith("blood score"))
    n_points = sum(score(it, None).max_points for it in BLOOD.all_items())
    assert float(rows[0][blood_col]) == pytest.approx(round(100 / n_points, 1))
    out_xlsx = A.write_xlsx(table, tmp_path / "gradebook.xlsx")
    ws = openpyxl.load_workbook(out_xlsx).active
    header = [c.value for c in ws[1]]
    assert header[0] == "student" and "last activity" in header
    cell = ws.cell(row=2, column=1)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"  # text, never a formula
    assert ws.cell(row=3, column=1).value == "Dana Ólafsdóttir"


def test_dashboard_reads_the_folder_named_in_the_environment(tmp_path, monkeypatch):
    shutil.copy(EXPORTS / "allcourse-results-student-01.json", tmp_path)
    (tmp_path / "broken.json").write_text("{")
    monkeypatch.setenv(A.RESULTS_ENV, str(tmp_path))
    dash = A.Dashboard()
    assert repr(dash) == "<Class results: 1 students, 1 files, 1 not used, 0 flagged>"
    shown = dash.files().data
    assert "broken.json" in shown and "Student 01" in shown
    stats, overall = dash.module_report("blood")
    assert overall.students == 1 and stats["discrimination_index"].isna().all()


def test_charts_are_images_with_their_numbers_in_words():
    svg = A.histogram_svg([5, 50, 55, 100], "Blood scores")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "0–10%: 1, 50–60%: 2, 90–100%: 1" in svg
    assert svg == A.histogram_svg([5, 50, 55, 100], "Blood scores")  # stable for nbval
