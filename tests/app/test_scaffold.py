"""`python -m allcourse new-module`: on a copy of the course, a new module gets a page,
a bank and a course-map entry; it appears in the navigation; its page runs and shows
"coming soon" until the bank has a question, then renders the bank; `validate` reports
a bank that no page shows."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    for name in ("course.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("notebooks", "quizzes", "assets"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ALLCOURSE_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=root, timeout=120
    )


# display() prints HTML as its markup and widgets as their repr.
SHOW = """
import IPython.display as _d
def _show(*objs, **kw):
    for o in objs:
        print(o.data if isinstance(o, _d.HTML) else repr(o))
_d.display = _show
"""


def run_page(root: Path, notebook: Path) -> str:
    """Run a page's code cells in order, as Voila would."""
    code = SHOW + "\n".join(
        "".join(c["source"])
        for c in json.loads(notebook.read_text())["cells"]
        if c["cell_type"] == "code"
    )
    result = run(root, "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_new_module_is_in_the_navigation_and_renders_its_bank(course_copy: Path):
    made = run(
        course_copy, "-m", "allcourse", "new-module", "infection_control", "Infection control"
    )
    assert made.returncode == 0, made.stderr
    assert "wrote notebooks/09_infection_control.ipynb" in made.stdout
    data = yaml.safe_load((course_copy / "course.yml").read_text())
    ids = [m["id"] for m in data["modules"]]
    assert ids[ids.index("infection_control") + 1] == "review"  # placed before Review
    module = data["modules"][ids.index("infection_control")]
    assert (module["notebook"], module["bank"]) == (
        "09_infection_control.ipynb",
        "infection_control.yml",
    )

    # The navigation every page carries lists the new module, with a link to its page.
    header = run(
        course_copy,
        "-c",
        "from allcourse.app.template_parts import course_header\n"
        "print(course_header('01_blood_and_marrow.ipynb'))",
    )
    assert header.returncode == 0, header.stderr
    assert 'href="09_infection_control.ipynb"' in header.stdout.replace("'", '"')
    assert "Infection control" in header.stdout

    page = course_copy / "notebooks" / "09_infection_control.ipynb"
    first = run_page(course_copy, page)
    assert "<h1 id='module-title'>09 Infection control</h1>" in first
    assert "Coming soon" in first  # no question in the bank yet

    # The instructor adds a question to the bank: the page shows it, no notebook edit.
    blood = yaml.safe_load((course_copy / "quizzes" / "blood.yml").read_text())
    item = next(it for it in blood["items"] if it["type"] == "single")
    item = {**item, "id": "infection-first-question", "objective": "infection_control.1"}
    bank_file = course_copy / "quizzes" / "infection_control.yml"
    bank = yaml.safe_load(bank_file.read_text())
    bank["items"] = [item]
    bank_file.write_text(yaml.safe_dump(bank, allow_unicode=True))
    shown = run_page(course_copy, page)
    assert "<Quiz infection_control: 1 item, practice mode>" in shown

    # Every bank is shown by a page: validate has nothing to say about the new one.
    checked = run(course_copy, "-m", "allcourse", "validate")
    assert "infection_control.yml: -: -: no page shows" not in checked.stdout


def test_new_module_refuses_a_bad_id_or_an_existing_module_and_changes_nothing(course_copy):
    before = (course_copy / "course.yml").read_text()
    for args, message in (
        (("Infection Control", "Infection"), "cannot be a module id"),
        (("blood", "Blood again"), "already has a module 'blood'"),
        (("new_one", "   "), "give the module a title"),
    ):
        result = run(course_copy, "-m", "allcourse", "new-module", *args)
        assert result.returncode == 1 and message in result.stderr
        assert "Traceback" not in result.stderr
    assert (course_copy / "course.yml").read_text() == before
    assert not list((course_copy / "notebooks").glob("09_*"))


def test_validate_reports_a_bank_that_no_page_shows(course_copy: Path):
    # A module names its bank, but its page still says "coming soon" instead of self_check.
    page = course_copy / "notebooks" / "02_diagnosis_and_risk.ipynb"
    nb = json.loads(page.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            text = "".join(cell["source"])
            text = text.replace('show_quiz("diagnosis")', "").replace('self_check("diagnosis")', "")
            cell["source"] = text
    page.write_text(json.dumps(nb))
    # And a bank that no module names at all.
    shutil.copy(course_copy / "quizzes" / "tour.yml", course_copy / "quizzes" / "spare.yml")
    result = run(course_copy, "-m", "allcourse", "validate")
    assert result.returncode == 1
    assert (
        "quizzes/diagnosis.yml: -: -: no page shows this bank: module diagnosis names it, "
        'but 02_diagnosis_and_risk.ipynb does not call self_check("diagnosis")'
    ) in result.stdout
    assert (
        "quizzes/spare.yml: -: -: no page shows this bank: no module in course.yml names it"
        in result.stdout
    )
