"""Questions: item models, pure scoring, widget rendering, validation and GIFT import/export.

`show_quiz` and `render_item` import the widget code on first use, so that scoring,
validation and the CLI can import this package without loading ipywidgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ipywidgets

    from allcourse.quiz.models import ItemBase


def show_quiz(
    bank: str | None = None,
    *,
    items: Any = None,
    mode: str = "practice",
    title: str | None = None,
) -> ipywidgets.Widget:
    """The self-check for a bank (`show_quiz("blood")`), or for explicit
    `(bank name, item)` pairs; `mode` is "practice" or "test". Returns the widget."""
    from allcourse.quiz.session import show_quiz as _show_quiz

    return _show_quiz(bank, items=items, mode=mode, title=title)  # type: ignore[arg-type]


def render_item(item: ItemBase, bank: str, mode: str = "practice") -> ipywidgets.Widget:
    """One item as a widget (practice: check, try again, show answer; test: submit)."""
    from allcourse.quiz.session import render_item as _render_item

    return _render_item(item, bank, mode)  # type: ignore[arg-type]


__all__ = ["render_item", "show_quiz"]
