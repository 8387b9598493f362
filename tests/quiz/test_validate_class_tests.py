"""`validate` checks class tests (quizzes/tests/*.yml) too: a test that names a missing
bank or item, or draws more than a pool holds, is reported with file, pool and field."""

from __future__ import annotations

import shutil
from pathlib import Path

from allcourse.quiz.validate import validate

ROOT = Path(__file__).resolve().parents[2]


def test_validate_reports_a_broken_class_test(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "course.yml", tmp_path / "course.yml")
    for folder in ("quizzes", "assets", "notebooks"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    assert validate(root=tmp_path).ok  # the sample test is valid
    (tmp_path / "quizzes" / "tests" / "broken.yml").write_text(
        "title: Broken\nopen: true\ntime_limit_minutes: 5\n"
        "pools:\n  - bank: blood\n    draw: 99\n  - bank: nowhere\n"
    )
    (tmp_path / "quizzes" / "tests" / "no_limit.yml").write_text(
        "title: No limit\nopen: true\npools:\n  - bank: blood\n"
    )
    lines = [str(p) for p in validate(root=tmp_path).problems]
    assert lines[0].startswith("quizzes/tests/broken.yml: pools.0: draw: draws 99 items")
    assert lines[1] == "quizzes/tests/broken.yml: pools.1: bank: bank 'nowhere' not found"
    assert lines[2].startswith("quizzes/tests/no_limit.yml: -: time_limit_minutes:")
    assert len(lines) == 3
