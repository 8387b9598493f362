"""Loading a folder of students' results files into data frames an instructor can trust.

Every file is read with the app's own reader (`results_io.read_results`); a file that
cannot be read is listed with the reason and the others still load. The points written
in a file are never taken at face value: every kept attempt is scored again from the
current bank with the engine's `score()`, and a file whose stored points disagree is
flagged (edited by hand, or the question's key changed since). Answers to items that no
longer exist are reported, not counted.

The result, `ClassResults`, holds two pandas data frames (see `ANSWER_COLUMNS` and
`FILE_COLUMNS`) that the statistics and the dashboard build on.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from allcourse.app import progress as P
from allcourse.app.results_io import ResultsError, read_results
from allcourse.course import paths
from allcourse.quiz import models as m
from allcourse.quiz.scoring import score

RESULTS_ENV = "ALLCOURSE_RESULTS"  # the folder of collected results files
DEFAULT_FOLDER = paths.ROOT / "tests" / "fixtures" / "exports"
TOLERANCE = 1e-6  # stored and re-scored points closer than this agree

# One row per student and item: the student's FIRST attempt (later tries come after the
# feedback, so they measure the feedback, not the item), re-scored from the bank.
ANSWER_COLUMNS = (
    "student",  # the name or id as the student typed it
    "module_id",
    "module",
    "bank",
    "item_id",
    "type",
    "step",  # CJMM step id or None
    "topic",
    "points",  # re-scored points of the first attempt
    "max_points",
    "fraction",  # points / max_points
    "stored_points",  # what the file said
    "tries",  # how many times the student checked the item
    "mode",  # practice or test
    "test_id",  # the class test it was answered in, or ""
    "timestamp",  # of the first attempt (UTC)
    "last_timestamp",  # of the latest attempt
    "response",  # the first attempt's response, in the shape score() takes
)
FILE_COLUMNS = (
    "file",
    "student",
    "answers",  # item records in the file
    "damaged_parts",  # records the reader had to skip
    "tampered",  # attempts whose stored points disagree with the re-scored points
    "unknown_items",  # answered items no longer in the banks
    "test_id",  # set when the file was written by a class test
    "problems",  # every note about the file, in words
)


@dataclass(frozen=True)
class Disagreement:
    """One attempt whose stored points are not what the bank's key gives."""

    item_id: str
    timestamp: str
    stored: float
    rescored: float
    max_points: float

    def __str__(self) -> str:
        return (
            f"{self.item_id} at {self.timestamp}: the file says {_n(self.stored)} of "
            f"{_n(self.max_points)}, the key gives {_n(self.rescored)}"
        )


def _n(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class LoadedFile:
    name: str
    student: str
    answers: int
    problems: tuple[str, ...] = ()  # damaged parts the reader skipped
    disagreements: tuple[Disagreement, ...] = ()
    unknown_items: tuple[str, ...] = ()
    test: dict[str, Any] | None = None  # the class-test block of a file written by a test

    @property
    def tampered(self) -> bool:
        return bool(self.disagreements)


@dataclass(frozen=True)
class BadFile:
    name: str
    reason: str


@dataclass
class ClassResults:
    """A class's results: each student's merged record (files of one student are merged
    the way the course merges them), the files read, the files that could not be used,
    and the data frames `answers` and `files`."""

    folder: str
    students: dict[str, P.Progress]  # keyed by the casefolded name
    files: list[LoadedFile]
    bad: list[BadFile]
    catalogue: P.Catalogue
    unknown_items: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)  # casefolded -> as typed
    # Files written by a class test are kept apart from practice: test id -> student -> record.
    tests: dict[str, dict[str, P.Progress]] = field(default_factory=dict)
    test_info: dict[str, dict[str, Any]] = field(default_factory=dict)  # test id -> block
    # test id -> student (as typed) -> the item ids of their first attempt, in order
    test_orders: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    _answers: pd.DataFrame | None = None
    _scorer: Any = None  # the loader's remembered scores, reused for the answers frame

    @property
    def answers(self) -> pd.DataFrame:
        """One row per student and answered item (first attempt, re-scored), practice
        and class tests (`test_id` tells them apart)."""
        if self._answers is None:
            scorer = self._scorer or Scorer()
            frames = [answers_frame(self.students, self.catalogue, self.names, "", scorer)]
            for test_id, records in sorted(self.tests.items()):
                frames.append(answers_frame(records, self.catalogue, self.names, test_id, scorer))
            frames = [f for f in frames if not f.empty]
            self._answers = (
                pd.concat(frames, ignore_index=True)
                if frames
                else pd.DataFrame(columns=list(ANSWER_COLUMNS))
            )
        return self._answers

    def practice(self) -> pd.DataFrame:
        """The answers given while practising (not in a class test)."""
        a = self.answers
        return a[a["test_id"] == ""]

    @property
    def files_frame(self) -> pd.DataFrame:
        rows = [
            {
                "file": f.name,
                "student": f.student,
                "answers": f.answers,
                "damaged_parts": len(f.problems),
                "tampered": len(f.disagreements),
                "unknown_items": len(f.unknown_items),
                "test_id": (f.test or {}).get("id", ""),
                "problems": "; ".join(file_notes(f)),
            }
            for f in self.files
        ]
        return pd.DataFrame(rows, columns=list(FILE_COLUMNS))

    @property
    def tampered(self) -> list[LoadedFile]:
        return [f for f in self.files if f.tampered]


def file_notes(f: LoadedFile, limit: int = 3) -> list[str]:
    """What an instructor should know about one file, in words."""
    notes = []
    if f.disagreements:
        shown = "; ".join(str(d) for d in f.disagreements[:limit])
        more = len(f.disagreements) - limit
        notes.append(
            f"stored points disagree with the key for {len(f.disagreements)} answer(s) "
            f"(the file was edited, or a key changed since): {shown}"
            + (f"; and {more} more" if more > 0 else "")
        )
    if f.unknown_items:
        notes.append(
            f"answers to {len(f.unknown_items)} item(s) no longer in the banks, not "
            f"counted: {', '.join(f.unknown_items)}"
        )
    notes.extend(f"damaged part skipped: {p}" for p in f.problems)
    return notes


def results_folder() -> Path:
    """$ALLCOURSE_RESULTS, or the fixture exports that come with the course."""
    return Path(os.environ.get(RESULTS_ENV) or DEFAULT_FOLDER)


def _shown(folder: Path) -> str:
    try:
        return str(folder.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(folder)


def _items(cat: P.Catalogue) -> dict[str, tuple[str, m.ItemBase, P.ModuleItems]]:
    """item id -> (bank, item, module) for every item of every bank that loaded."""
    return {it.id: (mod.bank, it, mod) for mod in cat.modules if mod.bank for it in mod.items}


def _attempts(rec: P.ItemRecord) -> list[P.AttemptRecord]:
    """Every kept attempt once (the first and the latest are usually in the history too)."""
    seen: dict[tuple[str, float, str], P.AttemptRecord] = {}
    for a in (rec.first, rec.last, *rec.history):
        seen.setdefault((a.timestamp, a.points, repr(a.response)), a)
    return list(seen.values())


class Scorer:
    """`score()` with a memory: a class gives the same responses again and again (the
    key above all), and scoring is pure, so each distinct response is scored once."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], Any] = {}

    def __call__(self, item: m.ItemBase, response: Any):
        try:
            key = (item.id, json.dumps(response, sort_keys=True))
        except (TypeError, ValueError):
            return score(item, response)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = score(item, response)
        return found


def check_record(
    progress: P.Progress,
    items: dict[str, tuple[str, m.ItemBase, P.ModuleItems]],
    scorer: Any = score,
) -> tuple[list[Disagreement], list[str]]:
    """Score every kept attempt again from the bank. Returns the attempts whose stored
    points (or maximum) disagree, and the answered item ids no longer in any bank."""
    disagree: list[Disagreement] = []
    unknown: list[str] = []
    for item_id, rec in sorted(progress.items.items()):
        found = items.get(item_id)
        if found is None:
            unknown.append(item_id)
            continue
        item = found[1]
        for a in sorted(_attempts(rec), key=lambda a: a.timestamp):
            s = scorer(item, a.response)
            if abs(s.points - a.points) > TOLERANCE or abs(s.max_points - a.max_points) > TOLERANCE:
                disagree.append(
                    Disagreement(item_id, a.timestamp, a.points, s.points, s.max_points)
                )
    return disagree, unknown


def _test_block(data: bytes) -> dict[str, Any] | None:
    """The `test` block a class test writes into its results files (JSON only)."""
    if b'"test"' not in data:  # most files: no second parse
        return None
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    block = parsed.get("test") if isinstance(parsed, dict) else None
    return block if isinstance(block, dict) and isinstance(block.get("id"), str) else None


def load_folder(folder: Path | str | None = None, cat: P.Catalogue | None = None) -> ClassResults:
    """Read every .json and .csv file in `folder` (not its subfolders). Files that cannot
    be read are listed with the reason; the others still load, each checked against the
    bank (see `check_record`)."""
    folder = Path(folder) if folder is not None else results_folder()
    cat = cat or P.catalogue()
    students: dict[str, P.Progress] = {}
    names: dict[str, str] = {}
    files: list[LoadedFile] = []
    bad: list[BadFile] = []
    tests: dict[str, dict[str, P.Progress]] = {}
    test_info: dict[str, dict[str, Any]] = {}
    first_attempts: dict[tuple[str, str], tuple[int, list[str]]] = {}
    if not folder.is_dir():
        bad.append(BadFile(_shown(folder), "this folder does not exist"))
        return ClassResults(_shown(folder), students, files, bad, cat)
    items = _items(cat)
    scorer = Scorer()
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix.lower() not in (".json", ".csv"):
            bad.append(BadFile(path.name, "not a results file (.json or .csv)"))
            continue
        try:
            data = path.read_bytes()
            parsed = read_results(data, path.name)
        except ResultsError as exc:
            bad.append(BadFile(path.name, exc.reason))
            continue
        except OSError as exc:
            bad.append(BadFile(path.name, f"could not be read ({exc.strerror or exc})"))
            continue
        except (ValueError, RecursionError) as exc:
            # The reader's own errors are ResultsError; anything else is still one bad
            # file, never a dashboard that stops.
            bad.append(BadFile(path.name, f"could not be read ({type(exc).__name__})"))
            continue
        record = parsed.progress
        who = record.student.strip() or path.stem
        key = who.casefold()
        disagree, unknown = check_record(record, items, scorer)
        test = _test_block(data) if path.suffix.lower() == ".json" else None
        into = students if test is None else tests.setdefault(test["id"], {})
        if test is not None:
            test_info.setdefault(test["id"], test)
            number = test.get("attempt") if isinstance(test.get("attempt"), int) else 1
            order = [i for i in test.get("items", []) if isinstance(i, str)]
            held = first_attempts.get((test["id"], key))
            if held is None or number < held[0]:
                first_attempts[(test["id"], key)] = (number, order)
        into[key] = P.merge(into[key], record) if key in into else record
        names.setdefault(key, who)
        files.append(
            LoadedFile(
                path.name,
                who,
                len(record.items),
                tuple(parsed.problems),
                tuple(disagree),
                tuple(unknown),
                test,
            )
        )
    records = [*students.values(), *(r for t in tests.values() for r in t.values())]
    unknown_all = {i for p in records for i in p.items if i not in items}
    orders: dict[str, dict[str, list[str]]] = {}
    for (test_id, key), (_, order) in first_attempts.items():
        orders.setdefault(test_id, {})[names.get(key, key)] = order
    return ClassResults(
        _shown(folder),
        students,
        files,
        bad,
        cat,
        unknown_all,
        names,
        tests,
        test_info,
        orders,
        _scorer=scorer,
    )


def answers_frame(
    students: dict[str, P.Progress],
    cat: P.Catalogue,
    names: dict[str, str] | None = None,
    test_id: str = "",
    scorer: Any = None,
) -> pd.DataFrame:
    """One row per student and answered item of the current banks (see ANSWER_COLUMNS);
    points are re-scored from the bank, never read from the file."""
    items = _items(cat)
    names = names or {}
    scorer = scorer or Scorer()
    rows = []
    for key, progress in students.items():
        who = names.get(key) or progress.student or key
        for item_id, rec in progress.items.items():
            found = items.get(item_id)
            if found is None:
                continue
            bank, item, mod = found
            first = rec.first
            s = scorer(item, first.response)
            rows.append(
                (
                    who,
                    mod.module.id,
                    mod.module.label,
                    bank,
                    item_id,
                    item.type,  # type: ignore[attr-defined]
                    item.step,
                    item.topic or "",
                    s.points,
                    s.max_points,
                    s.fraction,
                    first.points,
                    rec.checks,
                    first.mode,
                    test_id,
                    first.timestamp,
                    rec.last.timestamp,
                    first.response,
                )
            )
    frame = pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))
    if not frame.empty:
        for col in ("timestamp", "last_timestamp"):
            frame[col] = pd.to_datetime(frame[col], utc=True, format="ISO8601")
    return frame.sort_values(["student", "module_id", "item_id"], ignore_index=True)
