"""Results files: what "Download my results" writes, and what "Load results" and the
dashboard accept or refuse (with a reason) — including the damaged fixture files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from allcourse.app import progress as P
from allcourse.app import results_io as R
from allcourse.quiz.bank import bank
from allcourse.quiz.events import Attempt
from allcourse.quiz.scoring import key_response, score

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
CAT = P.catalogue()
ITEMS = bank("tour").items[:4]
EXPORTED = "2026-03-06T17:00:00+00:00"


def attempt(item, minute: int, right: bool = True, mode: str = "practice") -> Attempt:
    response = key_response(item) if right else None
    s = score(item, response)
    return Attempt(
        item.id, "tour", response, s.points, s.max_points, mode, 1, 7.25,
        f"2026-03-01T10:{minute:02d}:00+00:00",
    )  # fmt: skip


@pytest.fixture
def record() -> P.Progress:
    p = P.empty(CAT.course_version, "Alex Kim")
    p = P.record(p, attempt(ITEMS[0], 0, right=False))
    p = P.record(p, attempt(ITEMS[0], 1))
    p = P.record(p, attempt(ITEMS[1], 2, mode="test"))
    p = P.record(p, attempt(ITEMS[2], 3, right=False))
    # An answer to a question that has left the course is exported too.
    parked = P.record(P.empty(), attempt(ITEMS[3], 4)).items
    return p.model_copy(update={"parked": {"retired-item": parked[ITEMS[3].id]}})


@pytest.mark.parametrize(
    ("student", "name"),
    [
        ("Alex Kim", "allcourse-results-alex-kim.json"),
        ("", "allcourse-results.json"),
        ("../../etc/passwd", "allcourse-results-etc-passwd.json"),
        ("s1234567", "allcourse-results-s1234567.json"),
    ],
)
def test_file_names_are_safe(student, name):
    assert R.results_filename(student, "json") == name


def test_json_export_holds_every_response_and_score_and_loads_back(record):
    text = R.export_json(record, CAT, EXPORTED)
    data = json.loads(text)
    assert data["format"] == "allcourse-progress" and data["version"] == P.VERSION
    assert data["course_version"] == CAT.course_version and data["student"] == "Alex Kim"
    assert data["exported_at"] == EXPORTED
    first = data["items"][ITEMS[0].id]
    assert [a["points"] for a in first["history"]] == [
        0,
        score(ITEMS[0], key_response(ITEMS[0])).points,
    ]
    assert first["history"][1]["response"] == key_response(ITEMS[0])
    tour = next(m for m in data["summary"]["modules"] if m["module_id"] == "tour")
    assert tour["answered"] == 3
    loaded = R.read_results(text.encode(), "alex.json")
    assert loaded.complete and loaded.progress == record


def test_csv_has_a_row_per_attempt_and_loads_back(record):
    text = R.export_csv(record, CAT)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == R.CSV_COLUMNS
    assert len(rows) == 5
    assert {r["status"] for r in rows if r["item_id"] == "retired-item"} == {"parked"}
    mine = [r for r in rows if r["item_id"] == ITEMS[0].id]
    assert [json.loads(r["response"]) for r in mine] == [None, key_response(ITEMS[0])]
    assert [r["checks"] for r in mine] == ["2", "2"]
    loaded = R.read_results(text.encode(), "alex.csv")
    assert loaded.complete
    back = loaded.progress
    assert back.student == "Alex Kim" and back.course_version == record.course_version
    assert back.items == record.items  # attempts, counts and the rebuilt review cards
    assert back.parked.keys() == {"retired-item"}


def test_csv_cells_cannot_become_spreadsheet_formulas(record):
    sneaky = record.model_copy(update={"student": '=HYPERLINK("http://x","y")'})
    text = R.export_csv(sneaky, CAT)
    assert list(csv.DictReader(io.StringIO(text)))[0]["student"].startswith("'=")
    assert R.read_results(text.encode(), "x.csv").progress.student == sneaky.student


def test_a_csv_with_one_damaged_row_loads_the_rest(record):
    lines = R.export_csv(record, CAT).splitlines()
    lines[2] = lines[2].replace(",practice,", ",guessing,")
    loaded = R.read_results("\n".join(lines).encode(), "edited.csv")
    assert len(loaded.problems) == 1 and loaded.problems[0].startswith("row 3 is damaged")
    assert set(loaded.progress.items) == {it.id for it in ITEMS[:3]}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "it is empty"),
        (b"   \n", "it is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not a text file"),
        (b"{" + b" " * R.MAX_BYTES, "too large"),
        (b"name,score\nAlex,90\n", "not a results file from this course"),
        (b"::Q1:: What? {=yes ~no}", "not a results file from this course"),
    ],
)
def test_wrong_files_are_refused_with_the_reason(data, reason):
    with pytest.raises(R.ResultsError) as exc:
        R.read_results(data, "upload.bin")
    assert reason in exc.value.reason
    assert exc.value.message.startswith("“upload.bin” could not be loaded:")
    assert "Download my results" in exc.value.message  # says what to choose instead


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("damaged-cut-short.json", "not complete, readable JSON"),
        ("not-results.json", "does not hold progress from this course"),
        ("newer-format.json", "newer version of the course"),
        ("wrong-columns.csv", "not a results file from this course"),
    ],
)
def test_damaged_fixture_files_are_refused(fixture, reason):
    with pytest.raises(R.ResultsError) as exc:
        R.read_results((EXPORTS / fixture).read_bytes(), fixture)
    assert reason in exc.value.reason


def test_partly_damaged_fixture_keeps_every_readable_record():
    data = (EXPORTS / "damaged-one-record.json").read_bytes()
    loaded = R.read_results(data, "damaged-one-record.json")
    raw = json.loads(data)
    assert len(loaded.problems) == 1
    assert len(loaded.progress.items) == len(raw["items"]) - 1
    assert R.describe_problems(["a", "b", "c", "d", "e"]) == "a; b; c; and 2 more"


def test_every_good_fixture_loads_completely():
    good = sorted(EXPORTS.glob("allcourse-results-*"))
    assert len(good) >= 10
    for path in good:
        loaded = R.read_results(path.read_bytes(), path.name)
        assert loaded.complete, path.name
        assert loaded.progress.student.startswith("Student")
