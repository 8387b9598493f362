"""The notice every scenario view shows on screen: an illustrative model, not clinical."""

from __future__ import annotations

import html

import ipywidgets as widgets

from allcourse.quiz.render import widgets as ui


def illustrative_banner(what: str = "This scenario") -> widgets.HTML:
    """The notice every illustrative model shows: cause and effect, not clinical values."""
    return ui.html(
        "<p class='allcourse-illustrative' role='note'>"
        f"<strong>Illustrative model, not clinical.</strong> {html.escape(what)} shows cause "
        "and effect with simplified numbers; it does not predict any patient's values.</p>"
    )
