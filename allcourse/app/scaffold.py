"""`python -m allcourse new-module ID "Title"`: a new module, ready to fill in.

Writes three things and checks them before keeping any:
- notebooks/NN_ID.ipynb: the module's page (title and objectives, a Markdown cell to
  write the teaching in, the self-check and the sources), as thin as every module page;
- quizzes/ID.yml: the module's question bank, empty (add items; quizzes/README.md
  describes every type);
- an entry in course.yml (before the Review module), which puts the module in the
  navigation, the home page's module map and progress.
The self-check renders from course.yml's `bank` alone (`self_check`), so adding questions
never means editing the notebook. If anything fails, nothing is left half-written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from allcourse.course.content import ContentError, display_path
from allcourse.course.course_map import Course, load_course

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
DRAFT_OBJECTIVES = (
    "Describe the first thing a student will be able to do after this module (draft: "
    "rewrite in course.yml).",
    "Explain the second learning objective of this module (draft: rewrite in course.yml).",
    "Apply the third learning objective of this module (draft: rewrite in course.yml).",
)
NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


class ScaffoldError(ValueError):
    """Why the module cannot be made; written for the instructor."""


@dataclass(frozen=True)
class Scaffold:
    notebook: Path
    bank: Path
    course_yml: Path


def _cell(kind: str, source: str, n: int) -> dict:
    cell = {"cell_type": kind, "id": f"scaffold-{n}", "metadata": {}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def notebook_json(module_id: str, title: str) -> str:
    """The page of a new module: intro, a Markdown cell for the teaching, self-check,
    sources. The guidance is an HTML comment, so students never see it."""
    cells = [
        _cell(
            "code",
            "from allcourse.app.page import module_intro, module_sources, self_check\n\n"
            f'module_intro("{module_id}")',
            0,
        ),
        _cell(
            "markdown",
            f"<!-- {title}: write the module's teaching here, in Markdown. Cite every fact "
            "as [label](#ref-ID) with an id from assets/references.yml; the sources list at "
            "the end of the page is made from these citations. -->",
            1,
        ),
        _cell("code", f'self_check("{module_id}")', 2),
        _cell("code", f'module_sources("{module_id}")', 3),
    ]
    nb = {"cells": cells, "metadata": NOTEBOOK_METADATA, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def bank_yaml(module_id: str, title: str) -> str:
    return (
        f"# Question bank of the module {module_id!r} ({title}).\n"
        "# Add items under `items:`; quizzes/README.md describes every item type and field.\n"
        "# Check it with `python -m allcourse validate`. The module's page shows these\n"
        "# items as its self-check as soon as they are here (no notebook edit needed).\n"
        f"title: {json.dumps(title + ': self-check', ensure_ascii=False)}\n"
        "items: []\n"
    )


def course_block(module_id: str, title: str, notebook: str) -> str:
    objectives = "".join(
        f"      - id: {module_id}.{i}\n        text: {json.dumps(text)}\n"
        for i, text in enumerate(DRAFT_OBJECTIVES, start=1)
    )
    return (
        f"  - id: {module_id}\n"
        f"    title: {json.dumps(title, ensure_ascii=False)}\n"
        f"    notebook: {notebook}\n"
        "    objectives:\n"
        f"{objectives}"
        f"    bank: {module_id}.yml\n\n"
    )


def _insert(text: str, block: str, before: str | None) -> str:
    """`block` before the module `before` in course.yml's text (comments kept), or at
    the end of the modules list."""
    if before is not None:
        match = re.search(rf"^  - id: {re.escape(before)}\s*$", text, re.MULTILINE)
        if match:
            return text[: match.start()] + block + text[match.start() :]
    return text.rstrip("\n") + "\n\n" + block.rstrip("\n") + "\n"


def new_module(root: Path, module_id: str, title: str) -> Scaffold:
    """Write the notebook, the bank and the course-map entry of a new module under
    `root`. Raises ScaffoldError (nothing written) when the id or title is not usable,
    the module exists, or the course map would not load afterwards."""
    if not ID_PATTERN.match(module_id):
        raise ScaffoldError(
            f"{module_id!r} cannot be a module id: use lower-case letters, digits and _, "
            "starting with a letter (e.g. infection_control)"
        )
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError('give the module a title, e.g. "Infection control"')
    course_yml = root / "course.yml"
    try:
        course: Course = load_course(course_yml)
    except ContentError as exc:
        raise ScaffoldError(f"fix course.yml first: {exc.problems[0]}") from None
    if any(m.id == module_id for m in course.modules):
        raise ScaffoldError(f"course.yml already has a module {module_id!r}")
    numbers = [int(m.number) for m in course.modules]
    number = max(numbers, default=-1) + 1
    if number > 99:
        raise ScaffoldError("the course already has 100 notebooks")
    notebook = root / "notebooks" / f"{number:02d}_{module_id}.ipynb"
    bank = root / "quizzes" / f"{module_id}.yml"
    for path in (notebook, bank):
        if path.exists():
            raise ScaffoldError(f"{display_path(path)} already exists: choose another id")
    before = "review" if any(m.id == "review" for m in course.modules) else None
    old_text = course_yml.read_text(encoding="utf-8")
    new_text = _insert(old_text, course_block(module_id, title, notebook.name), before)
    written: list[Path] = []
    try:
        notebook.write_text(notebook_json(module_id, title), encoding="utf-8")
        written.append(notebook)
        bank.write_text(bank_yaml(module_id, title), encoding="utf-8")
        written.append(bank)
        course_yml.write_text(new_text, encoding="utf-8")
        load_course(course_yml)  # the course map still loads, with the new module in it
    except (OSError, ContentError) as exc:
        course_yml.write_text(old_text, encoding="utf-8")
        for path in written:
            path.unlink(missing_ok=True)
        reason = exc.problems[0] if isinstance(exc, ContentError) else exc
        raise ScaffoldError(f"nothing was changed: {reason}") from None
    return Scaffold(notebook, bank, course_yml)
