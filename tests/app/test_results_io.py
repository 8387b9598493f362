"""Results files: what "Download my results" writes, and what "Load results" and the
dashboard accept or refuse (with a reason) — including the damaged fixture files."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "it is a picture"),
        (b"\x00\x01\x02binary\x00", "not a text file"),
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


# --- a bad results file never breaks the class dashboard (issue 15) -----------------------

STUDENT = EXPORTS / "allcourse-results-student-01.json"


def _with_attempt(change: dict) -> tuple[bytes, str]:
    """A real student's file with the first attempt of one record changed; its item id."""
    data = json.loads(STUDENT.read_bytes())
    item_id = sorted(data["items"])[0]
    for attempt in ("first", "last"):
        data["items"][item_id][attempt].update(change)
    for a in data["items"][item_id]["history"]:
        a.update(change)
    return json.dumps(data).encode(), item_id


@pytest.mark.parametrize(
    "change, why",
    [
        ({"points": 1e999}, "finite number"),  # the example: json reads it as inf
        ({"points": float("nan")}, "finite number"),
        ({"max_points": float("inf")}, "finite number"),
        ({"seconds": float("-inf")}, "seconds"),
        ({"points": -1}, "greater than or equal to 0"),
        ({"points": 3, "max_points": 1}, "3 points out of 1"),
        ({"max_points": 1e9, "points": 1e9}, "less than or equal to 1000"),
        ({"seconds": 1e12}, "seconds"),
        ({"points": "1"}, None),  # a number written as text is read, as JSON readers do
    ],
)
def test_every_number_in_a_json_file_is_finite_and_within_limits(change, why):
    data, item_id = _with_attempt(change)
    loaded = R.read_results(data, "student-01.json")
    total = len(json.loads(data)["items"])
    if why is None:
        assert loaded.complete
        return
    (problem,) = loaded.problems
    assert problem.startswith(f"the answer record for {item_id} is damaged") and why in problem
    assert item_id not in loaded.progress.items
    assert len(loaded.progress.items) == total - 1  # the rest of the file still loads


def test_nan_and_infinity_literals_are_damaged_records_not_crashes():
    text = STUDENT.read_text(encoding="utf-8")
    data = json.loads(text)
    item_id = sorted(data["items"])[0]
    points = data["items"][item_id]["first"]["points"]
    needle = f'"points": {json.dumps(points)}'
    assert needle in json.dumps(data)
    for literal in ("NaN", "Infinity", "-Infinity", "1e999"):
        bad = json.dumps(data).replace(needle, f'"points": {literal}', 1)
        loaded = R.read_results(bad.encode(), "x.json")
        assert any(item_id in p for p in loaded.problems), literal


def test_with_the_catalogue_points_must_fit_the_items_own_maximum(record):
    it = ITEMS[0]
    most = score(it, None).max_points
    forged = P.record(
        P.empty(CAT.course_version, "Forger"),
        Attempt(it.id, "tour", None, 7.0, 7.0, "test", 1, 3.0, "2026-03-01T10:00:00+00:00"),
    )
    forged = P.record(forged, attempt(ITEMS[1], 2))
    text = R.export_json(forged, CAT, EXPORTED).encode()
    assert R.read_results(text, "f.json").complete  # 7 of 7 is fine without the course
    loaded = R.read_results(text, "f.json", CAT)
    assert loaded.problems == [
        f"the answer record for {it.id} is damaged (7 of 7 points, for an item worth {most:g})"
    ]
    assert set(loaded.progress.items) == {ITEMS[1].id}
    assert R.read_results(R.export_json(record, CAT, EXPORTED).encode(), "a.json", CAT).complete


def test_a_csv_with_a_non_finite_number_loses_that_row_only(record):
    lines = R.export_csv(record, CAT).splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("points")] = "inf"
    lines[1] = ",".join(cells)
    loaded = R.read_results("\n".join(lines).encode(), "x.csv")
    assert loaded.problems == ["row 2 is damaged (points: Input should be a finite number)"]


# Files re-saved by spreadsheet programs: the message names the real problem.


def test_a_csv_saved_in_windows_1252_says_so(record):
    text = R.export_csv(record.model_copy(update={"student": "Zoë Müller"}), CAT)
    with pytest.raises(R.ResultsError) as exc:
        R.read_results(text.encode("cp1252"), "zoe.csv")
    assert "not saved as UTF-8" in exc.value.reason and "CSV UTF-8" in exc.value.reason
    assert "not a results file" not in exc.value.reason


def test_a_utf16_file_says_so(record):
    text = R.export_csv(record, CAT)
    for encoding in ("utf-16", "utf-16-be"):
        data = text.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        with pytest.raises(R.ResultsError) as exc:
            R.read_results(data, "x.txt")
        assert "UTF-16" in exc.value.reason and "CSV UTF-8" in exc.value.reason


def test_a_workbook_says_what_it_is():
    with pytest.raises(R.ResultsError) as exc:
        R.read_results(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "results.xlsx")
    assert "spreadsheet workbook" in exc.value.reason


def test_a_semicolon_csv_with_decimal_commas_loads(record):
    text = R.export_csv(record, CAT)
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    points = rows[0].index("seconds")
    for i, row in enumerate(rows):
        if i:
            row[points] = row[points].replace(".", ",")
        writer.writerow(row)
    loaded = R.read_results(out.getvalue().encode(), "semicolons.csv")
    assert loaded.complete and loaded.progress.items == record.items


def test_a_cell_too_large_is_named(record):
    lines = R.export_csv(record, CAT).splitlines()
    lines.append(lines[1] + ',"' + "x" * (R.CSV_CELL_LIMIT + 10) + '"')
    with pytest.raises(R.ResultsError) as exc:
        R.read_results("\n".join(lines).encode(), "big.csv")
    assert "more than 1,000,000 characters" in exc.value.reason


def test_a_response_cut_by_a_spreadsheets_cell_limit_is_named(record):
    text = R.export_csv(record, CAT)
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][rows[0].index("response")] = json.dumps(["x" * 40_000])[: R.EXCEL_CELL_LIMIT]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    loaded = R.read_results(out.getvalue().encode(), "cut.csv")
    (problem,) = loaded.problems
    assert "cut at 32,767 characters" in problem


def test_columns_missing_are_named():
    with pytest.raises(R.ResultsError) as exc:
        R.read_results(b"student,points\nAlex,1\n", "grades.csv")
    assert "columns missing: course_version, module, bank, item_id" in exc.value.reason


# Fuzzing: no file, however damaged, raises anything but ResultsError, and whatever
# loads holds only finite numbers within their limits.

JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_sane(loaded: P.Parsed) -> None:
    for section in (loaded.progress.items, loaded.progress.parked):
        for rec in section.values():
            for a in [rec.first, rec.last, *rec.history]:
                assert math.isfinite(a.points) and math.isfinite(a.max_points)
                assert math.isfinite(a.seconds) and a.seconds >= 0
                assert 0 <= a.points <= a.max_points + 1e-6 <= P.MAX_ITEM_POINTS + 1e-6
                assert 0 <= a.fraction <= 1 + 1e-9


def _read(data: bytes) -> None:
    try:
        loaded = R.read_results(data, "fuzz", CAT)
    except R.ResultsError as exc:
        assert exc.reason and "fuzz" in exc.message
        return
    _assert_sane(loaded)


@FUZZ
@given(st.binary(max_size=400))
def test_fuzz_any_bytes(data):
    _read(data)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


@FUZZ
@given(st.data())
def test_fuzz_a_real_json_file_with_any_part_replaced(data):
    doc = json.loads(STUDENT.read_bytes())
    paths = list(_paths(doc))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        new = data.draw(JSON_VALUE)
        if not path:
            doc = new
            break
        target = doc
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = new
        except (KeyError, IndexError, TypeError):
            continue
    _read(json.dumps(doc, allow_nan=True).encode())


@FUZZ
@given(st.data())
def test_fuzz_a_real_csv_file_with_any_cell_or_byte_changed(data):
    text = R.export_csv(P.parse((STUDENT).read_bytes()).progress, CAT)
    rows = list(csv.reader(io.StringIO(text)))
    for _ in range(data.draw(st.integers(1, 4))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = data.draw(
            st.one_of(st.text(max_size=40), st.sampled_from(["inf", "nan", "1e999", "-0", ""]))
        )
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    raw = bytearray(out.getvalue().encode())
    if data.draw(st.booleans()) and raw:
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at : at + 1] = data.draw(st.binary(max_size=3))
    _read(bytes(raw))


def test_deeply_nested_json_is_refused_not_a_recursion_error():
    for data in (
        b"[" * 100_000,
        b'{"format": "allcourse-progress", "version": 1, "items": '
        + b'{"a": ' * 50_000
        + b"1"
        + b"}" * 50_001,
    ):
        _read(data)


def test_huge_integers_are_refused_not_a_crash():
    doc = json.loads(STUDENT.read_bytes())
    item_id = sorted(doc["items"])[0]
    text = json.dumps(doc).replace(
        f'"{item_id}": {{', f'"{item_id}": {{"checks": {"9" * 5000}, ', 1
    )
    _read(text.encode())
