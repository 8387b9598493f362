"""The course map: the real one loads, and a broken one is reported by field, not traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from allcourse.course import paths
from allcourse.course.content import ContentError
from allcourse.course.course_map import load_course

EXPECTED_ORDER = [
    "start",
    "blood",
    "diagnosis",
    "treatment",
    "transplant",
    "nursing",
    "case_study",
    "review",
    "tour",  # the question types, a preview page that does not count toward progress
]


def test_course_map_has_the_modules_in_order():
    c = load_course()
    assert [m.id for m in c.modules] == EXPECTED_ORDER
    assert [m.number for m in c.modules] == [f"{i:02d}" for i in range(9)]
    assert [m.id for m in c.modules if m.preview] == ["tour"]
    for m in c.modules:
        assert 3 <= len(m.objectives) <= 6
        assert (paths.NOTEBOOKS / m.notebook).exists(), f"{m.notebook} missing"


def test_neighbours_follow_course_order():
    c = load_course()
    prev, nxt = c.neighbours("blood")
    assert (prev.id, nxt.id) == ("start", "diagnosis")
    assert c.neighbours("start")[0] is None
    assert c.neighbours("review")[1].id == "tour"
    assert c.neighbours("tour")[1] is None


def _broken(tmp_path: Path, mutate) -> list[str]:
    data = yaml.safe_load(paths.COURSE_YML.read_text())
    mutate(data)
    f = tmp_path / "course.yml"
    f.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError) as info:
        load_course(f)
    return [f"{p.item}: {p.field}: {p.message}" for p in info.value.problems]


def test_missing_title_names_the_module_and_field(tmp_path):
    msgs = _broken(tmp_path, lambda d: d["modules"][1].pop("title"))
    assert msgs == ["blood: title: Field required"]


def test_objective_without_measurable_verb_is_rejected(tmp_path):
    def mutate(d):
        d["modules"][2]["objectives"][0]["text"] = "Understand the diagnostic work-up of ALL."

    msgs = _broken(tmp_path, mutate)
    assert len(msgs) == 1
    assert msgs[0].startswith("diagnosis: objectives.0.text: objective should start with")
    assert "'Understand'" in msgs[0]


def test_duplicate_module_and_foreign_objective_id(tmp_path):
    def mutate(d):
        d["modules"][3]["id"] = "blood"

    msgs = _broken(tmp_path, mutate)
    assert any("objective treatment.1 must start with the module id 'blood'" in m for m in msgs)


def test_bad_yaml_gives_line_number(tmp_path):
    f = tmp_path / "course.yml"
    f.write_text("title: x\nmodules: [\n  - id: a\n")
    with pytest.raises(ContentError) as info:
        load_course(f)
    (problem,) = info.value.problems
    assert problem.message.startswith("not valid YAML: line ")


def test_cli_reports_broken_map_without_traceback(tmp_path):
    data = yaml.safe_load(paths.COURSE_YML.read_text())
    data["modules"][0]["notebook"] = "start.ipynb"
    f = tmp_path / "course.yml"
    f.write_text(yaml.safe_dump(data))
    out = subprocess.run(
        [sys.executable, "-m", "allcourse", "validate", str(f)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert ": start: notebook: String should match pattern" in out.stdout
