"""The content cache (parsed YAML, validated models): faster page start-up, never stale,
never in the way."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from allcourse.course import content
from allcourse.course.content import ContentError, load_model, read_yaml
from allcourse.course.course_map import Course


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setattr(content, "CACHE_DIR", folder)
    return folder


def test_second_read_comes_from_the_cache_and_equals_the_yaml(tmp_path, cache):
    f = tmp_path / "bank.yml"
    f.write_text("title: Blood\nitems:\n  - id: a1\n    points: 1.5\n", encoding="utf-8")
    first = read_yaml(f)
    [cached] = cache.glob("bank-*.json")
    # The cache file is what the second read returns: change it and the change shows.
    cached.write_text('{"title": "from the cache"}', encoding="utf-8")
    assert first == {"title": "Blood", "items": [{"id": "a1", "points": 1.5}]}
    assert read_yaml(f) == {"title": "from the cache"}


def test_an_edited_file_is_read_again_and_the_old_entry_removed(tmp_path, cache):
    f = tmp_path / "course.yml"
    f.write_text("title: Old\n", encoding="utf-8")
    assert read_yaml(f) == {"title": "Old"}
    f.write_text("title: New\n", encoding="utf-8")
    assert read_yaml(f) == {"title": "New"}
    assert len(list(cache.glob("course-*.json"))) == 1


def test_a_damaged_cache_file_falls_back_to_the_yaml(tmp_path, cache):
    f = tmp_path / "refs.yml"
    f.write_text("a: 1\n", encoding="utf-8")
    read_yaml(f)
    [cached] = cache.glob("refs-*.json")
    cached.write_bytes(b"\x00{not json")
    assert read_yaml(f) == {"a": 1}


def test_values_json_cannot_hold_are_not_cached(tmp_path, cache):
    f = tmp_path / "dates.yml"
    f.write_text("when: 2018-02-20\n3: three\n", encoding="utf-8")
    assert read_yaml(f) == {"when": dt.date(2018, 2, 20), 3: "three"}
    assert read_yaml(f) == {"when": dt.date(2018, 2, 20), 3: "three"}
    assert not list(cache.glob("dates-*.json"))


def test_a_cache_folder_that_cannot_be_made_still_reads(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(content, "CACHE_DIR", blocker / "content")  # under a file
    f = tmp_path / "x.yml"
    f.write_text("a: 1\n", encoding="utf-8")
    assert read_yaml(f) == {"a": 1}


def test_bad_yaml_still_reports_its_line_and_is_not_cached(tmp_path, cache):
    f = tmp_path / "bad.yml"
    f.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid YAML: line"):
        read_yaml(f)
    assert not list(cache.glob("bad-*.json"))


# --- validated models (load_model(..., cache=True)) ----------------------------------
COURSE = """\
title: T
short_title: T
version: 1.0.0
modules:
  - id: start
    notebook: 00_start.ipynb
    title: {title}
    objectives:
      - id: start.1
        text: Describe what the course covers.
      - id: start.2
        text: Explain how progress is saved.
      - id: start.3
        text: Identify where the sources are listed.
"""


def _course_file(tmp_path, title="Start here"):
    f = tmp_path / "course.yml"
    f.write_text(COURSE.format(title=title), encoding="utf-8")
    return f


def _no_validation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("validated again instead of read from the cache")

    monkeypatch.setattr(Course, "model_validate", refuse)


def test_a_validated_model_is_read_back_without_validating_again(tmp_path, cache, monkeypatch):
    f = _course_file(tmp_path)
    first = load_model(Course, f, cache=True)
    _no_validation(monkeypatch)
    again = load_model(Course, f, cache=True)
    assert again == first and again is not first
    assert again.modules[0].label == "00 Start here"


def test_an_edited_file_is_validated_again(tmp_path, cache):
    f = _course_file(tmp_path)
    load_model(Course, f, cache=True)
    _course_file(tmp_path, title="Begin here")
    assert load_model(Course, f, cache=True).modules[0].title == "Begin here"
    assert len(list(cache.glob("course-*.pickle"))) == 1  # the old entry is gone


def test_a_damaged_or_foreign_pickle_is_ignored(tmp_path, cache):
    f = _course_file(tmp_path)
    load_model(Course, f, cache=True)
    [cached] = cache.glob("course-*.pickle")
    cached.write_bytes(b"\x80\x05garbage")
    assert load_model(Course, f, cache=True).title == "T"
    cached.write_bytes(pickle.dumps({"title": "not a course"}))
    assert isinstance(load_model(Course, f, cache=True), Course)


def test_a_pickle_others_may_write_is_not_read(tmp_path, cache, monkeypatch):
    f = _course_file(tmp_path)
    load_model(Course, f, cache=True)
    [cached] = cache.glob("course-*.pickle")
    cached.chmod(0o666)  # e.g. a cache folder shared with other users
    validated = []
    real = Course.model_validate
    monkeypatch.setattr(
        Course, "model_validate", lambda *a, **k: validated.append(1) or real(*a, **k)
    )
    assert load_model(Course, f, cache=True).title == "T"
    assert validated == [1]


def test_an_invalid_file_is_reported_every_time_and_not_cached(tmp_path, cache):
    f = tmp_path / "course.yml"
    f.write_text(COURSE.format(title="").replace("version: 1.0.0", "version: one"), "utf-8")
    for _ in range(2):
        with pytest.raises(ContentError, match="version"):
            load_model(Course, f, cache=True)
    assert not list(cache.glob("course-*.pickle"))


def test_models_are_cached_only_when_asked(tmp_path, cache):
    load_model(Course, _course_file(tmp_path))
    assert not list(cache.glob("*.pickle"))


# --- derived results (load_derived) -----------------------------------------------------


def test_a_derived_result_is_computed_once_per_file_version(tmp_path, cache):
    f = tmp_path / "bank.yml"
    f.write_text("title: A\n", encoding="utf-8")
    calls = []

    def count_lines():
        calls.append(1)
        return len(f.read_text(encoding="utf-8").splitlines())

    assert content.load_derived(int, f, count_lines) == 1
    assert content.load_derived(int, f, count_lines) == 1 and calls == [1]  # from the cache
    f.write_text("title: A\nitems: []\n", encoding="utf-8")
    assert content.load_derived(int, f, count_lines) == 2 and calls == [1, 1]
    # Its own entry, beside (never instead of) the validated model of the same file.
    assert len(list(cache.glob("derived.bank-*.pickle"))) == 1
    assert not list(cache.glob("bank-*.pickle"))


def test_a_derived_result_that_fails_is_raised_and_not_cached(tmp_path, cache):
    f = tmp_path / "bank.yml"
    f.write_text("title: A\n", encoding="utf-8")

    def broken():
        raise ContentError([])

    with pytest.raises(ContentError):
        content.load_derived(int, f, broken)
    assert not list(cache.glob("*.pickle"))
