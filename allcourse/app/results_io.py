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


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise ResultsError(name, "it is empty")
    if len(data) > MAX_BYTES:
        raise ResultsError(name, "it is too large to be a results file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ResultsError(name, "it is not a text file") from None


def read_results(data: bytes, name: str) -> Parsed:
    """Read a results file (JSON or CSV, told apart by content). Raises ResultsError
    when nothing in it can be used; otherwise returns what could be read with a note
    for each damaged part."""
    text = _decode(data, name)
    if text.lstrip().startswith(("{", "[")):
        try:
            return parse(text)
        except ProgressError as exc:
            raise ResultsError(name, exc.message) from None
    return _read_csv(text, name)


def _read_csv(text: str, name: str) -> Parsed:
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error:
        rows = []
    header = set(rows[0].keys()) if rows else set()
    missing = [c for c in CSV_COLUMNS if c not in header]
    if not rows or missing:
        raise ResultsError(name, "it is not a results file from this course")
    problems: list[str] = []
    damaged: dict[str, Any] = {}
    attempts: dict[tuple[str, str], list[AttemptRecord]] = {}
    meta: dict[tuple[str, str], tuple[str, int]] = {}
    for line, row in enumerate(rows, start=2):
        try:
            attempt = AttemptRecord(
                response=json.loads(row["response"]) if row["response"] else None,
                points=float(row["points"]),
                max_points=float(row["max_points"]),
                mode=row["mode"],
                seconds=float(row["seconds"] or 0),
                timestamp=row["timestamp"],
            )
            checks = int(row["checks"] or 1)
            if not row["item_id"] or row["status"] not in ("current", "parked"):
                raise ValueError("no item id or an unknown status")
        except (ValidationError, ValueError, TypeError, KeyError) as exc:
            reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            problems.append(f"row {line} is damaged ({reason})")
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
    first = rows[0]
    progress = Progress(
        course_version=first.get("course_version") or "",
        student=_uncell(first.get("student") or ""),
        items=sections["current"],
        parked=sections["parked"],
    )
    return Parsed(progress, problems, damaged)


def describe_problems(problems: Iterable[str], limit: int = 3) -> str:
    """The first few problems as one sentence, and how many more there are."""
    problems = list(problems)
    shown = "; ".join(problems[:limit])
    more = len(problems) - limit
    return shown + (f"; and {more} more" if more > 0 else "")
