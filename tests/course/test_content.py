"""The parsed-content cache: faster page start-up, never stale, never in the way."""

from __future__ import annotations

import datetime as dt

import pytest

from allcourse.course import content
from allcourse.course.content import ContentError, read_yaml


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
