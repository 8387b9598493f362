"""Notebooks are what course.yml says, are thin, and carry stored outputs for nbval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from allcourse.course import paths
from allcourse.course.course_map import course
from allcourse.course.references import cited_ids, references

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb")) + sorted((ROOT / "instructor").glob("*.ipynb"))
MAX_CODE_LINES = 4  # thin notebooks: logic lives in the package
PAGES_NOT_MODULES = ["class_test.ipynb"]  # served, but not a module: the class-test page


def test_notebooks_folder_is_exactly_the_course_map():
    on_disk = sorted(p.name for p in paths.NOTEBOOKS.glob("*.ipynb"))
    assert on_disk == sorted([m.notebook for m in course().modules] + PAGES_NOT_MODULES)


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_present_and_cells_thin(nb_path):
    nb = json.loads(nb_path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "a course notebook has at least one code cell"
    for i, cell in enumerate(code):
        src = "".join(cell["source"])
        assert cell.get("execution_count") is not None, (
            f"code cell {i} was never executed: run `make notebooks` to store outputs"
        )
        assert cell["outputs"], f"code cell {i} has no stored output: run `make notebooks`"
        lines = [ln for ln in src.splitlines() if ln.strip()]
        assert len(lines) <= MAX_CODE_LINES, f"code cell {i} holds logic: move it to the package"
    counts = [c["execution_count"] for c in code]
    assert counts == sorted(counts), "stored outputs are from an out-of-order run"


@pytest.mark.parametrize("nb_path", sorted(paths.NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_citations_resolve(nb_path):
    unknown = set(cited_ids(nb_path.name)) - references().ids()
    assert not unknown, f"cites unknown reference ids: {sorted(unknown)}"
