"""The reference list (`assets/references.yml`): every source the course cites."""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator

from allcourse.course import paths
from allcourse.course.content import StrictModel, load_model

CITATION = re.compile(r"\(#ref-([A-Za-z0-9][A-Za-z0-9_-]*)\)")


class Reference(StrictModel):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    date: str | None = None
    url: str | None = Field(default=None, pattern=r"^https?://")
    note: str | None = None

    def citation(self) -> str:
        """One line of plain text, e.g. for a rationale's footer."""
        parts = [self.publisher]
        if self.title != self.publisher:
            parts.append(f"“{self.title}”")
        if self.date:
            parts.append(self.date)
        return ", ".join(parts)

    def html_item(self) -> str:
        title = html.escape(self.title)
        if self.url:
            title = f'<a href="{html.escape(self.url)}" rel="noopener">{title}</a>'
        text = f"<strong>[{html.escape(self.id)}]</strong> "
        if self.title != self.publisher:
            text += f"{html.escape(self.publisher)}. "
        text += title
        if self.date:
            text += f" ({html.escape(self.date)})"
        if self.note:
            text += f". <small>{html.escape(self.note)}</small>"
        return f'<li id="ref-{html.escape(self.id)}">{text}</li>'


class ReferenceList(StrictModel):
    references: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ReferenceList:
        seen: set[str] = set()
        for r in self.references:
            if r.id in seen:
                raise ValueError(f"duplicate reference id {r.id!r}")
            seen.add(r.id)
        return self

    def ids(self) -> set[str]:
        return {r.id for r in self.references}

    def get(self, ref_id: str) -> Reference:
        for r in self.references:
            if r.id == ref_id:
                return r
        raise KeyError(ref_id)

    def html(self, only: set[str] | None = None) -> str:
        items = [r.html_item() for r in self.references if only is None or r.id in only]
        return '<ol class="allcourse-references">' + "".join(items) + "</ol>"


def load_references(path: Path | str | None = None) -> ReferenceList:
    return load_model(ReferenceList, path or paths.REFERENCES_YML, cache=True)


@lru_cache(maxsize=1)
def references() -> ReferenceList:
    return load_references()


def citation_links(ids) -> str:
    """In-page citation links for widget HTML, e.g. ` [R91, R94]`, pointing at the page's
    source list (so the notebook must cite each id in its Markdown too)."""
    if not ids:
        return ""
    links = ", ".join(f"<a href='#ref-{html.escape(i)}'>{html.escape(i)}</a>" for i in ids)
    return f" <span class='allcourse-cite'>[{links}]</span>"


def cited_ids(notebook: str) -> list[str]:
    """Reference ids cited as `[label](#ref-ID)` in a notebook's Markdown, in first-use order."""
    nb = json.loads((paths.NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    seen: dict[str, None] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for ref_id in CITATION.findall("".join(cell.get("source", ""))):
                seen.setdefault(ref_id, None)
    return list(seen)
