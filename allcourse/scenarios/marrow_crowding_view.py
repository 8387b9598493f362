"""The marrow-crowding scenario on the page: two sliders (blast share, days since the
marrow was crowded), presets, a picture of the marrow, the illustrative count and the signs
a nurse assesses, and a "predict first" question whose explanation reaches the browser
only after the student has predicted and checked. It only draws what the model returns.
"""

from __future__ import annotations

import html

import traitlets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import marrow_crowding as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.marrow_crowding import Cited, MarrowState
from allcourse.scenarios.prediction_view import prediction_check
from allcourse.scenarios.range_input import RangeInput


class RangeSlider(RangeInput):
    """The blast share as a labelled native range input, read as "40 percent"; it carries
    the scenario's live status line. The days slider is one too, with its own unit and
    no status line (`has_status=False`). Arrows move 1, Page Up/Down 10, Home/End to the
    ends."""

    min = traitlets.Int(model.MIN_PERCENT).tag(sync=True)
    max = traitlets.Int(model.MAX_PERCENT).tag(sync=True)
    unit = traitlets.Unicode("%").tag(sync=True)
    unit_text = traitlets.Unicode(" percent").tag(sync=True)
    has_status = traitlets.Bool(True).tag(sync=True)  # one live region per scenario


def _cited(fact: Cited) -> str:
    return html.escape(fact.text) + citation_links(fact.sources)


# --- the picture --------------------------------------------------------------------------

CELL = 26  # px per grid place
GRID = 10


def _cell_svg(kind: str, cx: float, cy: float) -> str:
    # Shapes differ by kind, so the picture does not rely on colour alone.
    if kind == "blast":
        return (
            f"<circle class='cell-blast' cx='{cx}' cy='{cy}' r='11'/>"
            f"<circle class='cell-blast-nucleus' cx='{cx}' cy='{cy}' r='8'/>"
        )
    if kind == "red":
        return (
            f"<circle class='cell-red' cx='{cx}' cy='{cy}' r='8'/>"
            f"<circle class='cell-red-centre' cx='{cx}' cy='{cy}' r='3.5'/>"
        )
    if kind == "white":
        return (
            f"<circle class='cell-white' cx='{cx}' cy='{cy}' r='8'/>"
            f"<circle class='cell-white-lobe' cx='{cx - 3}' cy='{cy - 2}' r='2.2'/>"
            f"<circle class='cell-white-lobe' cx='{cx + 3}' cy='{cy - 2}' r='2.2'/>"
            f"<circle class='cell-white-lobe' cx='{cx}' cy='{cy + 3}' r='2.2'/>"
        )
    return f"<rect class='cell-platelet' x='{cx - 3.5}' y='{cy - 3.5}' width='7' height='7'/>"


def marrow_svg(state: MarrowState) -> str:
    """The marrow as a grid of cells, with a text alternative giving the shares."""
    blasts = state.cells.count("blast")
    healthy = len(state.cells) - blasts
    label = (
        f"Picture of the bone marrow: blasts fill {blasts} of {len(state.cells)} places "
        f"({state.blast_percent:g}%); {healthy} places hold healthy cells that become red "
        "cells, white cells and platelets."
    )
    size = CELL * GRID
    shapes = "".join(
        _cell_svg(kind, (i % GRID) * CELL + CELL / 2, (i // GRID) * CELL + CELL / 2)
        for i, kind in enumerate(state.cells)
    )
    return (
        f"<svg class='allcourse-marrow-svg' role='img' aria-label='{html.escape(label)}' "
        f"viewBox='0 0 {size} {size}' width='{size}' height='{size}'>"
        f"<title>{html.escape(label)}</title>"
        f"<rect class='marrow-background' x='0' y='0' width='{size}' height='{size}' rx='8'/>"
        f"{shapes}</svg>"
    )


def _legend() -> str:
    items = [
        ("blast", "Blast (leukemia cell)"),
        ("red", "Becoming a red cell"),
        ("white", "Becoming a white cell"),
        ("platelet", "Becoming platelets"),
    ]
    parts = "".join(
        "<li><svg aria-hidden='true' width='26' height='26' viewBox='0 0 26 26'>"
        f"{_cell_svg(kind, 13, 13)}</svg> {html.escape(text)}</li>"
        for kind, text in items
    )
    return f"<ul class='allcourse-marrow-legend' aria-label='Key to the picture'>{parts}</ul>"


# --- the count and the signs ----------------------------------------------------------------


def _fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _with_unit(value: float, spec: model.CountSpec) -> str:
    sep = "" if spec.unit.startswith("/") else " "
    return f"{_fmt(value, spec.decimals)}{sep}{spec.unit}"


def counts_table(state: MarrowState) -> str:
    bands = {
        "hemoglobin": state.hemoglobin_band,
        "anc": state.anc_band,
        "platelets": state.platelet_band,
    }
    rows = []
    for spec in model.COUNTS:
        value = state.count.value(spec.key)
        band = bands[spec.key]
        share = value / spec.start * 100
        rows.append(
            f"<tr data-count='{spec.key}'><th scope='row'>{html.escape(spec.name)}</th>"
            f"<td class='allcourse-count-value'>{_with_unit(value, spec)}</td>"
            f"<td>{share:.0f}%</td>"
            f"<td>{html.escape(band.label)}: {html.escape(band.range_text)}"
            f"{citation_links(band.sources)}</td>"
            f"<td>{_cited(spec.reference)}</td>"
            f"<td>{_cited(spec.life_span)}</td></tr>"
        )
    return (
        "<div class='allcourse-counts-wrap'><table class='allcourse-counts'>"
        f"<caption>Illustrative blood count {state.days:g} days after blasts came to fill "
        f"{state.blast_percent:g}% of the marrow</caption>"
        "<thead><tr><th scope='col'>Count</th><th scope='col'>Model value</th>"
        "<th scope='col'>% of healthy start</th><th scope='col'>Where it falls</th>"
        "<th scope='col'>Normal range</th><th scope='col'>Life span</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        "<p class='allcourse-counts-note'>Model value = healthy start × (share of the marrow "
        "still healthy + share of the cells made before the crowding still alive). The "
        "healthy starts (ANC 1,800/mm³, platelets 170,000/mm³, hemoglobin 15.0 g/dL) are "
        "illustrative values inside the normal ranges, each about a fifth above its lower "
        "limit; your laboratory's ranges may differ."
        "</p></div>"
    )


def signs_html(state: MarrowState) -> str:
    if not state.signs:
        return (
            "<div class='allcourse-signs'><h3>Signs to assess</h3>"
            "<p class='allcourse-no-signs'><span aria-hidden='true'>✔</span> No count is "
            "below its normal range yet, so no infection, bleeding or anemia cues show. "
            "A crowded marrow can still give a normal count early on: the cells already in "
            "the blood have not yet died.</p></div>"
        )
    cards = []
    for sign in state.signs:
        cues = "".join(f"<li>{_cited(c)}</li>" for c in sign.cues)
        cards.append(
            f"<section class='allcourse-sign' data-sign='{sign.key}' "
            f"aria-labelledby='sign-{sign.key}'>"
            f"<h4 id='sign-{sign.key}'><span aria-hidden='true'>⚠</span> {html.escape(sign.title)}"
            "</h4>"
            f"<p>{html.escape(sign.finding)}{citation_links(sign.sources)}</p>"
            f"<p class='allcourse-sign-cues-title'>The nurse assesses:</p><ul>{cues}</ul>"
            "</section>"
        )
    return f"<div class='allcourse-signs'><h3>Signs to assess</h3>{''.join(cards)}</div>"


def status_text(state: MarrowState) -> str:
    c = state.count
    signs = ", ".join(s.title.lower() for s in state.signs) or "none"
    return (
        f"Blasts {state.blast_percent:g}% of the marrow, day {state.days:g}: ANC "
        f"{_fmt(c.anc, 0)}/mm³, platelets {_fmt(c.platelets, 0)}/mm³, hemoglobin "
        f"{_fmt(c.hemoglobin, 1)} g/dL. Signs shown: {signs}."
    )


# --- the widget -----------------------------------------------------------------------------


def _preset_row(label: str, presets: tuple[model.Preset, ...], on_pick) -> tuple:
    buttons = [ui.button(p.label, "allcourse-preset") for p in presets]
    for button, preset in zip(buttons, presets, strict=True):
        button.on_click(lambda _b, value=preset.value: on_pick(value))
    row = ui.box(
        [
            ui.html(f"<span class='allcourse-presets-label'>{html.escape(label)}</span>"),
            *buttons,
        ],
        "allcourse-presets",
        vertical=False,
    )
    return row, buttons


class MarrowCrowding:
    """Builds the scenario's widgets; `.widget` is what the page shows."""

    def __init__(self, blast_percent: int = 0, days: int = model.DEFAULT_DAYS) -> None:
        self.slider = RangeSlider(
            value=blast_percent, label="Blasts in the marrow (percent of the marrow)"
        )
        self.days = RangeSlider(
            value=days,
            min=model.MIN_DAYS,
            max=model.MAX_DAYS,
            label="Days since the marrow became crowded",
            unit=" days",
            unit_text=" days",
            has_status=False,
        )
        blast_row, self.presets = _preset_row(
            "Blast presets:", model.BLAST_PRESETS, self.set_percent
        )
        day_row, self.day_presets = _preset_row("Day presets:", model.DAY_PRESETS, self.set_days)
        self.prediction = prediction_check(model.prediction())
        self.picture = ui.html("")
        self.table = ui.html("")
        self.signs = ui.html("")
        self.slider.observe(self._redraw, names="value")
        self.days.observe(self._redraw, names="value")
        picture = ui.box([self.picture, ui.html(_legend())], "allcourse-marrow-picture")
        body = ui.box([picture, self.table], "allcourse-marrow-body", vertical=False)
        self.widget = ui.box(
            [
                illustrative_banner("The marrow-crowding model"),
                self.prediction,
                self.slider,
                blast_row,
                self.days,
                day_row,
                body,
                self.signs,
            ],
            "allcourse-scenario",
            "allcourse-marrow",
        )
        self.show(blast_percent, days)

    def set_percent(self, percent: int) -> None:
        self.slider.value = percent

    def set_days(self, days: int) -> None:
        self.days.value = days

    def _redraw(self, _change: dict) -> None:
        self.show(self.slider.value, self.days.value)

    def show(self, blast_percent: object, days: object = model.DEFAULT_DAYS) -> None:
        """Redraw for this share and day; a value out of range gets a message, not a
        traceback, and the last good picture stays."""
        try:
            state = model.crowd(blast_percent, days)
        except model.InvalidInput as exc:
            self.slider.status = str(exc)
            return
        self.picture.value = marrow_svg(state)
        self.table.value = counts_table(state)
        self.slider.status = status_text(state)
        self.signs.value = signs_html(state)


def marrow_crowding(blast_percent: int = 0, days: int = model.DEFAULT_DAYS) -> None:
    """Show the marrow-crowding scenario (one line in a notebook)."""
    display(MarrowCrowding(blast_percent, days).widget)
