"""Results files: what "Download my results" saves and what "Load results" and the
instructor dashboard read. Pure: bytes and text in, progress records out.

JSON is the progress record itself (format "allcourse-progress") plus the time of the
export and a per-module summary, so one format serves the browser, the student's backup
and the instructor. CSV has one row per attempt, for spreadsheets; it can be loaded
back too (everything but the review schedule, which is rebuilt from the attempts).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from pydantic import ValidationError

from allcourse.app import review
from allcourse.app.progress import (
    HISTORY_LIMIT,
    AttemptRecord,
    Catalogue,
    ItemRecord,
    Parsed,
    Progress,
    ProgressError,
    dumps,
    module_progress,
    parse,
)

MAX_BYTES = 5_000_000  # far above a whole course's answers; refuses anything else
CSV_COLUMNS = (
    "student",
    "course_version",
    "module",
    "bank",
    "item_id",
    "status",
    "checks",
    "timestamp",
    "mode",
    "points",
    "max_points",
    "seconds",
    "response",
)
HOW_TO = "Choose a file saved with “Download my results” (its name starts with allcourse-results)."


class ResultsError(ValueError):
    """A file that cannot be loaded: `reason` is the short why, `message` the whole
    sentence for the student (file name, reason, what to choose instead)."""

    def __init__(self, name: str, reason: str):
        self.name, self.reason = name, reason
        self.message = f"“{name}” could not be loaded: {reason}. {HOW_TO}"
        super().__init__(self.message)


def results_filename(student: str, extension: str) -> str:
    """`allcourse-results-<name>.json`: the name is made safe for every file system."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", student).strip("-").lower()[:40]
    return f"allcourse-results{'-' + slug if slug else ''}.{extension}"


# --- export ---------------------------------------------------------------------------


def export_json(progress: Progress, cat: Catalogue, exported_at: str) -> str:
    """The student's whole record: every kept attempt with its response and score,
    plus a summary per module. Indented, so a person can read it too."""
    modules = [asdict(m) for m in module_progress(progress, cat)]
    text = dumps(progress, {"modules": modules}, exported_at=exported_at)
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _attempts(rec: ItemRecord) -> list[AttemptRecord]:
    """Every attempt the record keeps, the first one included, oldest first."""
    seen = {a.key(): a for a in [rec.first, *rec.history]}
    return sorted(seen.values(), key=lambda a: (a.when, a.key()))


def export_csv(progress: Progress, cat: Catalogue) -> str:
    """One row per attempt: who, which item, when, the response (as JSON) and the score."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for status, section in (("current", progress.items), ("parked", progress.parked)):
        for item_id in sorted(section):
            rec = section[item_id]
            module = cat.module_of_bank(rec.bank)
            for a in _attempts(rec):
                writer.writerow(
                    [
                        _cell(progress.student),
                        progress.course_version,
                        module.id if module else "",
                        rec.bank,
                        item_id,
                        status,
                        rec.checks,
                        a.timestamp,
                        a.mode,
                        _number(a.points),
                        _number(a.max_points),
                        _number(a.seconds),
                        json.dumps(a.response, ensure_ascii=False, sort_keys=True),
                    ]
                )
    return out.getvalue()


def _number(value: float) -> str:
    # Shortest text that reads back as the same float ("1", "0.3333333333333333").
    return str(int(value)) if value == int(value) else repr(value)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting with "=" as a formula: quote it.
    return "'" + text if text.startswith(_FORMULA) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA) else text


# --- import ---------------------------------------------------------------------------

EXCEL_CELL_LIMIT = 32_767  # characters a spreadsheet keeps in one cell; it cuts the rest
CSV_CELL_LIMIT = 1_000_000  # a response larger than this is not an answer to a question

# What a file starts with, when it is something else than text (what was chosen instead).
_MAGIC = (
    (b"PK\x03\x04", "it is a spreadsheet workbook or a zip archive, not a results file"),
    (b"\xd0\xcf\x11\xe0", "it is an old Excel workbook (.xls), not a results file"),
    (b"%PDF", "it is a PDF, not a results file"),
    (b"\x89PNG", "it is a picture, not a results file"),
    (b"\xff\xd8\xff", "it is a picture, not a results file"),
)
_RESAVE = "open it in the spreadsheet and save it again as “CSV UTF-8”"


def _decode(data: bytes, name: str) -> str:
    """The file's text, or ResultsError naming the real problem: empty, too large, not
    text, or text in an encoding other than UTF-8 (as spreadsheet programs save it)."""
    if not data.strip():
        raise ResultsError(name, "it is empty")
    if len(data) > MAX_BYTES:
        raise ResultsError(name, "it is too large to be a results file")
    for magic, reason in _MAGIC:
        if data.startswith(magic):
            raise ResultsError(name, reason)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ResultsError(
            name, f"it is saved as UTF-16 text (“Unicode text”), not UTF-8: {_RESAVE}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in data:
            raise ResultsError(name, "it is not a text file") from None
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            raise ResultsError(
                name, f"it is not UTF-8 text (byte {exc.start} cannot be read)"
            ) from None
        raise ResultsError(
            name,
            "it is not saved as UTF-8 but in a spreadsheet's own encoding (such as "
            f"Windows-1252): {_RESAVE}",
        ) from None
    if "\x00" in text:
        raise ResultsError(name, "it is not a text file")
    return text


def read_results(data: bytes, name: str, cat: Catalogue | None = None) -> Parsed:
    """Read a results file (JSON or CSV, told apart by content).

    Raises ResultsError (with `reason`, naming the file) when nothing in it can be used;
    otherwise returns what could be read with a note for each damaged part. Never raises
    anything else, whatever the bytes: a bad record is reported, and the rest loads.
    Every number is finite and within its limits (`AttemptRecord`); with `cat`, an
    attempt at a known item must also carry that item's own maximum (a record claiming
    7 points for a 1-point item is damaged).
    """
    try:
        text = _decode(data, name)
        if text.lstrip().startswith(("{", "[")):
            try:
                parsed = parse(text)
            except ProgressError as exc:
                raise ResultsError(name, exc.message) from None
        else:
            parsed = _read_csv(text, name)
    except ResultsError:
        raise
    except (RecursionError, MemoryError, ValueError, TypeError, KeyError) as exc:
        # A shape nobody foresaw: the file is refused with a reason, never a traceback.
        raise ResultsError(name, f"it is damaged ({type(exc).__name__})") from None
    return within_limits(parsed, cat) if cat is not None else parsed


def within_limits(parsed: Parsed, cat: Catalogue) -> Parsed:
    """`parsed` with each record of a known item whose attempts do not fit the item's
    maximum points moved to `damaged`, with a problem note saying why."""
    from allcourse.quiz.scoring import score

    problems, damaged = list(parsed.problems), dict(parsed.damaged)
    sections: dict[str, dict[str, ItemRecord]] = {}
    for section in ("items", "parked"):
        kept: dict[str, ItemRecord] = {}
        for item_id, rec in getattr(parsed.progress, section).items():
            found = cat.item(item_id)
            if found is not None:
                most = score(found[1], None).max_points
                bad = next(
                    (a for a in [rec.first, rec.last, *rec.history] if a.max_points != most), None
                )
                if bad is not None:
                    problems.append(
                        f"the answer record for {item_id} is damaged ({bad.points:g} of "
                        f"{bad.max_points:g} points, for an item worth {most:g})"
                    )
                    damaged[f"{section}.{item_id}"] = rec.model_dump(mode="json")
                    continue
            kept[item_id] = rec
        sections[section] = kept
    progress = parsed.progress.model_copy(update=sections)
    return Parsed(progress, problems, damaged)


def _dialect(text: str) -> str:
    """The column separator: a comma, or the semicolon or tab that spreadsheets in many
    languages write instead."""
    head = text.lstrip().split("\n", 1)[0]
    counts = {sep: head.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def _read_csv(text: str, name: str) -> Parsed:
    delimiter = _dialect(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[dict[str, Any]] = []
    try:
        limit = csv.field_size_limit()
        csv.field_size_limit(CSV_CELL_LIMIT)
        try:
            rows = list(reader)
        finally:
            csv.field_size_limit(limit)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ResultsError(
                name,
                f"a cell on line {reader.line_num} holds more than {CSV_CELL_LIMIT:,} "
                "characters, far more than an answer",
            ) from None
        where = f"line {reader.line_num}"
        raise ResultsError(name, f"it is not readable CSV ({where}: {exc})") from None
    header = [str(c).strip() for c in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if not rows or missing:
        if len(header) <= 1:
            raise ResultsError(name, "it is not a results file from this course")
        shown = ", ".join(missing[:4]) + (" …" if len(missing) > 4 else "")
        raise ResultsError(
            name,
            f"it is not a results file from this course (columns missing: {shown})"
            if missing
            else "it has the columns of a results file but no rows",
        )
    decimal_comma = delimiter == ";"  # such spreadsheets also write 0,5 for 0.5
    problems: list[str] = []
    damaged: dict[str, Any] = {}
    attempts: dict[tuple[str, str], list[AttemptRecord]] = {}
    meta: dict[tuple[str, str], tuple[str, int]] = {}
    for line, raw in enumerate(rows, start=2):
        row = {str(k).strip(): v if isinstance(v, str) else "" for k, v in raw.items()}
        try:
            attempt = AttemptRecord(
                response=_response(row["response"]),
                points=_float(row["points"], decimal_comma),
                max_points=_float(row["max_points"], decimal_comma),
                mode=row["mode"],
                seconds=_float(row["seconds"] or "0", decimal_comma),
                timestamp=row["timestamp"],
            )
            checks = int(row["checks"] or 1)
            if not row["item_id"] or row["status"] not in ("current", "parked"):
                raise ValueError("no item id or an unknown status")
            if not 1 <= checks <= 10_000_000:
                raise ValueError(f"{checks} checks")
        except (ValidationError, ValueError, TypeError, KeyError) as exc:
            problems.append(f"row {line} is damaged ({_why(exc)})")
            damaged[f"row {line}"] = row
            continue
        key = (row["status"], row["item_id"])
        attempts.setdefault(key, []).append(attempt)
        meta[key] = (row["bank"], max(checks, meta.get(key, ("", 0))[1]))
    sections: dict[str, dict[str, ItemRecord]] = {"current": {}, "parked": {}}
    for (status, item_id), found in attempts.items():
        found.sort(key=lambda a: (a.when, a.key()))
        bank, checks = meta[(status, item_id)]
        sections[status][item_id] = ItemRecord(
            bank=bank,
            checks=max(checks, len(found)),
            first=found[0],
            last=max(found, key=lambda a: (a.when, a.key())),
            history=found[-HISTORY_LIMIT:],
            card=review.replay(item_id, [(a.fraction, a.when) for a in found]),
        )
    first = {str(k).strip(): v for k, v in rows[0].items()}
    progress = Progress(
        course_version=first.get("course_version") or "",
        student=_uncell(first.get("student") or ""),
        items=sections["current"],
        parked=sections["parked"],
    )
    return Parsed(progress, problems, damaged)


def _float(text: str, decimal_comma: bool) -> float:
    t = text.strip()
    if decimal_comma and re.fullmatch(r"-?\d+,\d+", t):
        t = t.replace(",", ".")
    return float(t)


def _response(text: str) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if len(text) == EXCEL_CELL_LIMIT:
            raise ValueError(
                f"the response was cut at {EXCEL_CELL_LIMIT:,} characters, the most a "
                "spreadsheet keeps in one cell"
            ) from None
        raise ValueError(f"the response is not readable ({exc.msg})") from None


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        return f"{where}: {msg}" if where else msg
    return str(exc)


def describe_problems(problems: Iterable[str], limit: int = 3) -> str:
    """The first few problems as one sentence, and how many more there are."""
    problems = list(problems)
    shown = "; ".join(problems[:limit])
    more = len(problems) - limit
    return shown + (f"; and {more} more" if more > 0 else "")
