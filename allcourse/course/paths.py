"""Where the course's files live. One place, so nothing hard-codes a path."""

import os
from pathlib import Path


def _find_root() -> Path:
    # ALLCOURSE_ROOT lets tests point at a copy; otherwise the checkout this package lives in.
    env = os.environ.get("ALLCOURSE_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


ROOT = _find_root()
COURSE_YML = ROOT / "course.yml"
NOTEBOOKS = ROOT / "notebooks"
QUIZZES = ROOT / "quizzes"
ASSETS = ROOT / "assets"
REFERENCES_YML = ASSETS / "references.yml"
GLOSSARY_YML = ASSETS / "glossary.yml"
