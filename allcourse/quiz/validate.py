"""`python -m allcourse validate`: is every bank complete enough to teach with?

The item models check shape (a bank that fails them cannot even be loaded). This goes
further, with the rules an instructor's bank must meet before students see it: every
fact is sourced, every choice has a rationale, items are mapped to the course's
objectives, numeric answers accept what the author meant, case studies follow the
clinical-judgment steps. Each problem is one line, `file: item-id: field: message`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from allcourse.course import paths
from allcourse.course.content import (
    ContentError,
    Problem,
    display_path,
    problems_from_validation,
    read_yaml,
)
from allcourse.course.course_map import Course, Module
from allcourse.course.references import load_references
from allcourse.quiz import item_writing
from allcourse.quiz import models as m
from allcourse.quiz.loopholes import loophole_problems
from allcourse.quiz.scoring import CREDIT_EPSILON


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    banks: int = 0
    items: int = 0
    warnings: list[Problem] = field(default_factory=list)  # item writing: fail only --strict
    cues: list[str] = field(default_factory=list)  # one item-writing summary line per bank

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        banks = f"{self.banks} bank" + ("" if self.banks == 1 else "s")
        items = f"{self.items} item" + ("" if self.items == 1 else "s")
        return f"ok: {banks}, {items}"

    def lines(self, *, cues: bool = False) -> list[str]:
        """The problems; or, when there are none, the ok line, the item-writing warnings and
        (when there are warnings or `cues` asks for it) the per-bank item-writing summary."""
        if self.problems:
            return [str(p) for p in self.problems]
        tail = self.cues if cues or self.warnings else []
        return [self.summary(), *(f"warning: {w}" for w in self.warnings), *tail]


# --- one item -------------------------------------------------------------------------


def _blank(text: str | None) -> bool:
    return not (text and text.strip())


def _rationale_problems(item: m.ItemBase) -> Iterable[tuple[str, str]]:
    """(field, what) for every part that needs a rationale and has none."""
    groups: list[tuple[str, list[Any], str]] = []
    if isinstance(item, m.SingleChoice | m.MultipleResponse | m.SelectN):
        groups.append(("options", item.options, "option"))
    elif isinstance(item, m.MatrixSingle | m.MatrixMultiple):
        groups.append(("rows", item.rows, "row's answer"))
    elif isinstance(item, m.Cloze | m.DropdownRationale):
        for b in item.blanks:
            groups.append((f"blanks[{b.id}].options", b.options, "choice"))
    elif isinstance(item, m.Ordering):
        groups.append(("steps", item.steps, "step's place"))
    elif isinstance(item, m.Matching):
        groups.append(("pairs", item.pairs, "match"))
    elif isinstance(item, m.Highlight):
        groups.append(("segments", item.selectable(), "segment"))
    elif isinstance(item, m.Bowtie):
        groups += [
            ("conditions", item.conditions, "condition"),
            ("actions", item.actions, "action"),
            ("parameters", item.parameters, "parameter"),
        ]
    for name, parts, what in groups:
        for part in parts:
            if _blank(part.rationale):
                yield (f"{name}[{part.id}].rationale", what)


def _credit_problems(item: m.ItemBase) -> Iterable[tuple[str, str]]:
    if isinstance(item, m.SingleChoice):
        for o in item.options:
            if o.credit is None:
                continue
            if o.correct and o.credit != 1:
                yield f"options[{o.id}].credit", "the correct option earns credit 1 (or none)"
            elif not o.correct and o.credit >= 1:
                yield (
                    f"options[{o.id}].credit",
                    "a wrong option cannot earn full credit: lower its credit or mark it correct",
                )
        return
    if isinstance(item, m.MultipleResponse) and item.rule == "weights":
        for o in item.options:
            credit = o.credit or 0.0
            if o.correct and credit <= 0:
                yield f"options[{o.id}].credit", "a correct option needs a positive credit"
            if not o.correct and credit > 0:
                yield (
                    f"options[{o.id}].credit",
                    "a wrong option cannot earn credit: make it 0 or negative, or mark it correct",
                )
        total = sum(o.credit for o in item.options if o.credit and o.credit > 0)
        if abs(total - 1) > CREDIT_EPSILON:
            yield (
                "options",
                f"the positive credits add up to {total:g}; they must add up to 1, "
                "so that choosing every correct option earns full marks",
            )
        return
    options: list[tuple[str, m.Option]] = []
    if isinstance(item, m.MultipleResponse | m.SelectN):
        options = [("options", o) for o in item.options]
    elif isinstance(item, m.Cloze | m.DropdownRationale):
        options = [(f"blanks[{b.id}].options", o) for b in item.blanks for o in b.options]
    elif isinstance(item, m.Bowtie):
        options = [("conditions", o) for o in item.conditions]
        options += [("actions", o) for o in item.actions]
        options += [("parameters", o) for o in item.parameters]
    for name, o in options:
        if o.credit is not None:
            yield (
                f"{name}[{o.id}].credit",
                "credit is only used by single-choice items and by sata items with rule: "
                "weights; this item type ignores it",
            )


def _numeric_problems(item: m.Numeric) -> Iterable[tuple[str, str]]:
    for i, a in enumerate(item.answers):
        if a.value is not None and a.value != 0 and a.tolerance > abs(a.value):
            lo, hi = a.bounds()
            yield (
                f"answers.{i}.tolerance",
                f"tolerance {a.tolerance:g} is larger than the value {a.value:g} itself "
                f"(it would accept anything from {lo:g} to {hi:g})",
            )
    for i, a in enumerate(item.answers):
        lo, hi = a.bounds()
        for j, b in enumerate(item.answers):
            blo, bhi = b.bounds()
            if j != i and b.credit > a.credit and blo <= lo and hi <= bhi:
                yield (
                    f"answers.{i}",
                    f"this answer can never be awarded: every value it accepts ({lo:g} to "
                    f"{hi:g}) earns more credit from answers.{j}",
                )
                break


def _short_answer_problems(item: m.ShortAnswer) -> Iterable[tuple[str, str]]:
    for i, a in enumerate(item.answers):
        if a.text.strip() == "*" and a.credit > 0:
            yield (
                f"answers.{i}.credit",
                "'*' accepts any answer: give it credit 0 and use its feedback for "
                "answers that match nothing else",
            )


def _shape_problems(item: m.ItemBase) -> Iterable[tuple[str, str]]:
    if isinstance(item, m.SelectN) and item.n == len(item.options):
        yield "n", f"n is {item.n} and there are {item.n} options: every option is correct"
    if isinstance(item, m.Matching):
        rights = {p.right: p.id for p in item.pairs}
        for i, d in enumerate(item.distractors):
            if d in rights:
                yield f"distractors.{i}", f"{d!r} is also the answer of pair {rights[d]!r}"
    if isinstance(item, m.Numeric):
        yield from _numeric_problems(item)
    if isinstance(item, m.ShortAnswer):
        yield from _short_answer_problems(item)


def item_problems(
    item: m.ItemBase,
    file: str,
    *,
    reference_ids: set[str] | None = None,
    course: Course | None = None,
    module: Module | None = None,
) -> list[Problem]:
    """Everything an instructor must complete or fix in one item.

    `reference_ids` None skips the source check, `course` None the objective check;
    `module` is the module whose bank this item belongs to, if any.
    """
    found: list[tuple[str, str]] = []
    if not item.sources:
        found.append(("sources", "no source: cite at least one id from assets/references.yml"))
    elif reference_ids is not None:
        for i, src in enumerate(item.sources):
            if src not in reference_ids:
                found.append((f"sources.{i}", f"unknown source {src!r} (not in references.yml)"))
    if _blank(item.explanation):
        found.append(("explanation", "no explanation: add one for students to read after checking"))
    if _blank(item.topic):
        found.append(("topic", "no topic: results are grouped by topic in test mode and review"))
    if item.difficulty is None:
        found.append(("difficulty", "no difficulty: use easy, medium or hard"))
    if item.objective is not None and course is not None:
        owner = item.objective.split(".")[0]
        if item.objective not in course.objective_ids():
            found.append(("objective", f"unknown objective {item.objective!r} (not in course.yml)"))
        elif module is not None and owner != module.id:
            found.append(
                (
                    "objective",
                    f"objective {item.objective!r} belongs to module {owner!r}, but this file is "
                    f"the bank of module {module.id!r}",
                )
            )
    for where, what in _rationale_problems(item):
        found.append((where, f"no rationale: tell the student why this {what} is right or wrong"))
    found += _credit_problems(item)
    found += _shape_problems(item)
    found += [f for f in loophole_problems(item) if f not in found]
    return [Problem(file, item.id, where, message) for where, message in found]


def _case_study_problems(case: m.CaseStudy, file: str) -> list[Problem]:
    problems = []
    previous: str | None = None
    order = ", ".join(m.CJMM_STEPS)
    for case_item in case.items:
        item = case_item.item
        if item.step is None:
            problems.append(Problem(file, item.id, "step", "a case-study item needs a step"))
            continue
        if previous is not None and m.CJMM_STEPS.index(item.step) <= m.CJMM_STEPS.index(previous):
            problems.append(
                Problem(
                    file,
                    item.id,
                    "step",
                    f"{item.step!r} cannot follow {previous!r}: a case study takes the "
                    f"clinical-judgment steps in order, each at most once ({order})",
                )
            )
        previous = item.step
    return problems


def bank_problems(
    bank: m.Bank,
    file: str,
    *,
    reference_ids: set[str] | None = None,
    course: Course | None = None,
    module: Module | None = None,
) -> list[Problem]:
    """Every problem `validate` reports for one loaded bank (ids across banks aside)."""
    problems: list[Problem] = []
    if not bank.all_items():
        problems.append(Problem(file, "-", "items", "the bank has no items"))
    for item in bank.all_items():
        problems += item_problems(
            item, file, reference_ids=reference_ids, course=course, module=module
        )
    for case in bank.case_studies:
        problems += _case_study_problems(case, file)
    return problems


# --- files ----------------------------------------------------------------------------


def _friendly(problem: Problem) -> Problem:
    """Pydantic's message for an unknown `type` is long; say it the way an author thinks."""
    prefix = "Input tag '"
    if problem.message.startswith(prefix):
        tag = problem.message[len(prefix) :].split("'", 1)[0]
        kinds = ", ".join(m.ITEM_TYPES)
        return Problem(
            problem.file, problem.item, "type", f"unknown item type {tag!r} (use one of: {kinds})"
        )
    return problem


def _schema(model: type[Any], data: Any, file: str) -> tuple[Any, list[Problem]]:
    if data is None:
        return None, [Problem(file, "-", "-", "file is empty")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_friendly(p) for p in problems_from_validation(file, data, exc)]


def _expand(targets: Sequence[Path | str], report: Report) -> list[Path]:
    files: list[Path] = []
    for t in targets:
        p = Path(t)
        if not p.is_dir():
            files.append(p)
        elif found := sorted(p.glob("*.yml")):
            files += found
        else:
            report.problems.append(
                Problem(display_path(p), "-", "-", "no .yml files in this folder")
            )
    return files


def _is_course_map(path: Path, data: Any) -> bool:
    return path.name == "course.yml" or (isinstance(data, dict) and "modules" in data)


def validate(
    targets: Sequence[Path | str] | None = None, *, root: Path | str | None = None
) -> Report:
    """Validate course maps and banks (default: course.yml and every quizzes/*.yml).

    A file is a course map if it is named course.yml or has `modules`; anything else is
    a bank. Objectives are checked against the first valid course map given, else the
    checkout's course.yml; sources against assets/references.yml under `root`.
    """
    root = Path(root) if root is not None else paths.ROOT
    report = Report()
    files = (
        _expand(targets, report)
        if targets
        else [root / "course.yml", *sorted((root / "quizzes").glob("*.yml"))]
    )

    parsed: list[tuple[Path, str, Any]] = []
    for path in files:
        name = display_path(path)
        try:
            parsed.append((path, name, read_yaml(path)))
        except ContentError as exc:
            report.problems += exc.problems

    # The course map: its own problems, then the bank files it names must exist.
    course: Course | None = None
    course_file: Path | None = None
    for path, name, data in parsed:
        if not _is_course_map(path, data):
            continue
        loaded, problems = _schema(Course, data, name)
        report.problems += problems
        if loaded is None:
            continue
        for module in loaded.modules:
            if module.bank and not (path.parent / "quizzes" / module.bank).is_file():
                where = display_path(path.parent / "quizzes" / module.bank)
                report.problems.append(Problem(name, module.id, "bank", f"{where} not found"))
        if course is None:
            course, course_file = loaded, path
    if course is None and not any(_is_course_map(p, d) for p, _, d in parsed):
        default = root / "course.yml"
        try:
            data = read_yaml(default)
        except ContentError as exc:
            report.problems += exc.problems
        else:
            course, problems = _schema(Course, data, display_path(default))
            report.problems += problems
            course_file = default

    reference_ids: set[str] | None = None
    try:
        reference_ids = load_references(root / "assets" / "references.yml").ids()
    except ContentError as exc:
        report.problems += exc.problems

    def module_of(path: Path) -> Module | None:
        if course is None or course_file is None:
            return None
        for module in course.modules:
            if (
                module.bank
                and (course_file.parent / "quizzes" / module.bank).resolve() == path.resolve()
            ):
                return module
        return None

    seen: dict[str, str] = {}  # item id -> file it was first seen in
    for path, name, data in parsed:
        if _is_course_map(path, data):
            continue
        bank, problems = _schema(m.Bank, data, name)
        report.problems += problems
        if bank is None:
            continue
        report.banks += 1
        report.items += len(bank.all_items())
        report.problems += bank_problems(
            bank, name, reference_ids=reference_ids, course=course, module=module_of(path)
        )
        found, cues = item_writing.bank_warnings(bank.all_items(), name)
        report.warnings += [Problem(name, *w) for w in found]
        report.cues.append(cues.line())
        for item in bank.all_items():
            report.warnings += [
                Problem(name, item.id, *w) for w in loophole_problems(item, severe=False)
            ]
        for item in bank.all_items():
            if item.id in seen:
                report.problems.append(
                    Problem(
                        name,
                        item.id,
                        "id",
                        f"{item.id!r} is also an item id in {seen[item.id]} "
                        "(item ids must be unique across all banks)",
                    )
                )
            else:
                seen[item.id] = name
    if not targets and course is not None and course_file is not None:
        if (course_file.parent / "notebooks").is_dir():  # a course with its pages
            report.problems += unshown_banks(course, course_file.parent)
    if not targets:
        report.problems += class_test_problems(root / "quizzes")
    return report


def class_test_problems(quizzes: Path) -> list[Problem]:
    """Class tests (quizzes/tests/*.yml): each must load, and its pools must name banks
    and stand-alone items that exist, drawing no more than a pool holds."""
    from allcourse.quiz.bank import load_bank
    from allcourse.quiz.class_test import TESTS_DIR, load_class_test, pools

    folder = quizzes / TESTS_DIR
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yml")):
        try:
            test = load_class_test(path.stem, folder)
            pools(test, lambda name: load_bank(quizzes / f"{name}.yml"))
        except ContentError as exc:
            problems += exc.problems
    return problems


# --- banks that no page shows ---------------------------------------------------------

_SELF_CHECK = re.compile(r"""self_check\(\s*["']([\w-]+)["']""")
_SHOW_QUIZ = re.compile(r"""show_quiz\(\s*["']([\w-]+)["']""")
# case_study("adult") or case_study("adult", "bank"): an unfolding case (default bank below).
_CASE_STUDY = re.compile(
    r"""case_study\(\s*["'][\w-]+["'](?:\s*,\s*(?:bank\s*=\s*)?["']([\w-]+)["'])?"""
)
_CASE_STUDY_BANK = "case_study"


def _code(notebook: Path) -> str:
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    cells = nb.get("cells", []) if isinstance(nb, dict) else []
    return "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")


def unshown_banks(course: Course, root: Path) -> list[Problem]:
    """Banks in quizzes/ that no student page shows: a bank is shown when the page of
    the module that names it calls `self_check("<module id>")`, or any page calls
    `show_quiz("<bank>")` or runs an unfolding case from it (`case_study("<case>")`).
    Counting toward completion a bank nobody can see is a trap."""
    code = {nb.name: _code(nb) for nb in sorted((root / "notebooks").glob("*.ipynb"))}
    quizzed = {name for text in code.values() for name in _SHOW_QUIZ.findall(text)}
    quizzed |= {
        bank or _CASE_STUDY_BANK for text in code.values() for bank in _CASE_STUDY.findall(text)
    }
    problems = []
    for bank_file in sorted((root / "quizzes").glob("*.yml")):
        name = bank_file.stem
        owner = next(
            (mod for mod in course.modules if mod.bank and Path(mod.bank).stem == name), None
        )
        if name in quizzed:
            continue
        if owner is not None and owner.id in _SELF_CHECK.findall(code.get(owner.notebook, "")):
            continue
        if owner is None:
            why = "no module in course.yml names it as its bank"
        else:
            why = (
                f"module {owner.id} names it, but {owner.notebook} does not call "
                f'self_check("{owner.id}")'
            )
        problems.append(
            Problem(display_path(bank_file), "-", "-", f"no page shows this bank: {why}")
        )
    return problems
