"""The server compiles each page template once, not once per page request."""

from __future__ import annotations

import json
import os

import jinja2
from voila.exporter import VoilaExporter
from voila.paths import collect_template_paths

from allcourse.app import server
from allcourse.course import paths


def _exporter() -> VoilaExporter:
    """The exporter as Voila makes it for one page request of the course's template."""
    os.environ["JUPYTER_PATH"] = str(paths.ASSETS)  # as server.main() sets it
    template_paths = collect_template_paths(["voila", "nbconvert"], "allcourse", prune=True)
    conf = json.loads((server.CONFIG_DIR / "voila.json").read_text(encoding="utf-8"))
    return VoilaExporter(
        template_paths=template_paths,
        template_name="allcourse",
        theme="light",
        base_url="/",
        filters=conf["VoilaExporter"]["filters"],
    )


def test_a_second_exporter_loads_compiled_templates_instead_of_compiling(monkeypatch):
    server.cache_compiled_templates()
    server.cache_compiled_templates()  # twice: still one wrapper
    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    first = _exporter().environment.get_template("index.html.j2")
    assert "index.html.j2" in compiled  # compiled (or loaded) the first time
    compiled.clear()
    second = _exporter().environment.get_template("index.html.j2")  # a new request
    assert second is not first  # a new environment, as Voila makes per request
    assert compiled == []  # ... whose templates come from the cache


def test_an_edited_template_is_compiled_again(tmp_path):
    server.cache_compiled_templates()
    (tmp_path / "page.j2").write_text("one", encoding="utf-8")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=server.TEMPLATE_CACHE
    )
    assert env.get_template("page.j2").render() == "one"
    (tmp_path / "page.j2").write_text("two", encoding="utf-8")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=server.TEMPLATE_CACHE
    )
    assert env.get_template("page.j2").render() == "two"
