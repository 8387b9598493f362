"""Loading a folder of students' results files: bad files are listed with the reason, the
rest still load."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from allcourse.app import progress as P
from allcourse.app.results_io import ResultsError, read_results
from allcourse.course import paths

RESULTS_ENV = "ALLCOURSE_RESULTS"  # the folder of collected results files
DEFAULT_FOLDER = paths.ROOT / "tests" / "fixtures" / "exports"


# --- loading --------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedFile:
    name: str
    student: str
    answers: int
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class BadFile:
    name: str
    reason: str


@dataclass
class ClassResults:
    """Each student's merged record (files of one student are merged), keyed by name."""

    folder: str
    students: dict[str, P.Progress]
    files: list[LoadedFile]
    bad: list[BadFile]
    catalogue: P.Catalogue
    unknown_items: set[str] = field(default_factory=set)

    def first_attempts(self) -> dict[str, dict[str, P.AttemptRecord]]:
        """student -> item id -> first attempt, for items of the current banks."""
        known = self.catalogue.known()
        return {
            s: {i: rec.first for i, rec in p.items.items() if i in known}
            for s, p in self.students.items()
        }


def results_folder() -> Path:
    """$ALLCOURSE_RESULTS, or the fixture exports that come with the course."""
    return Path(os.environ.get(RESULTS_ENV) or DEFAULT_FOLDER)


def _shown(folder: Path) -> str:
    try:
        return str(folder.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(folder)


def load_folder(folder: Path | str | None = None, cat: P.Catalogue | None = None) -> ClassResults:
    """Read every .json and .csv file in `folder` (not its subfolders). Files that cannot
    be read are listed with the reason; the others still load."""
    folder = Path(folder) if folder is not None else results_folder()
    cat = cat or P.catalogue()
    students: dict[str, P.Progress] = {}
    files: list[LoadedFile] = []
    bad: list[BadFile] = []
    if not folder.is_dir():
        bad.append(BadFile(_shown(folder), "this folder does not exist"))
        return ClassResults(_shown(folder), students, files, bad, cat)
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix.lower() not in (".json", ".csv"):
            bad.append(BadFile(path.name, "not a results file (.json or .csv)"))
            continue
        try:
            parsed = read_results(path.read_bytes(), path.name)
        except ResultsError as exc:
            bad.append(BadFile(path.name, exc.reason))
            continue
        except OSError as exc:
            bad.append(BadFile(path.name, f"could not be read ({exc.strerror})"))
            continue
        record = parsed.progress
        who = record.student.strip() or path.stem
        key = who.casefold()
        students[key] = P.merge(students[key], record) if key in students else record
        files.append(LoadedFile(path.name, who, len(record.items), tuple(parsed.problems)))
    known = cat.known()
    unknown = {i for p in students.values() for i in p.items if i not in known}
    return ClassResults(_shown(folder), students, files, bad, cat, unknown)
