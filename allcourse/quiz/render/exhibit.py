"""Trend exhibits: a flowsheet table and a small SVG line chart per series, drawn here
in Python (no plotting library, no image file, nothing fetched), themed by CSS."""

from __future__ import annotations

from allcourse.quiz import models as m
from allcourse.quiz.render.widgets import esc

WIDTH, HEIGHT = 360, 170
LEFT, RIGHT, TOP, BOTTOM = 52, 20, 22, 34
NOT_MEASURED = (
    '<span aria-hidden="true">—</span><span class="allcourse-sr-only">not measured</span>'
)


def _fmt(value: float) -> str:
    return f"{value:,.6g}" if abs(value) >= 10_000 else f"{value:.6g}"


def _unit(series: m.TrendSeries) -> str:
    return f" ({series.unit})" if series.unit else ""


def _direction(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    if len(known) < 2 or known[0] == known[-1]:
        return "no overall change"
    verb = "rising" if known[-1] > known[0] else "falling"
    return f"{verb} from {_fmt(known[0])} to {_fmt(known[-1])}"


def chart_label(times: list[str], series: m.TrendSeries) -> str:
    """The chart's text alternative: every value, then the overall direction."""
    points = "; ".join(
        f"{t}: {_fmt(v) if v is not None else 'not measured'}"
        for t, v in zip(times, series.values, strict=True)
    )
    trend = _direction(series.values)
    return f"Line chart of {series.name}{_unit(series)}. {points}. Overall {trend}."


def trend_svg(times: list[str], series: m.TrendSeries) -> str:
    known = [v for v in series.values if v is not None]
    lo, hi = (min(known), max(known)) if known else (0.0, 1.0)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / (len(times) - 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(v: float) -> float:
        return TOP + (hi - v) / (hi - lo) * plot_h

    parts = [
        f'<svg role="img" aria-label="{esc(chart_label(times, series))}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'class="allcourse-trend-chart" xmlns="http://www.w3.org/2000/svg">',
        f'<line class="allcourse-trend-axis" x1="{LEFT}" y1="{TOP + plot_h}" '
        f'x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"/>',
        f'<line class="allcourse-trend-axis" x1="{LEFT}" y1="{TOP}" '
        f'x2="{LEFT}" y2="{TOP + plot_h}"/>',
        f'<text class="allcourse-trend-tick" x="{LEFT - 6}" y="{TOP + 4}" '
        f'text-anchor="end">{esc(_fmt(hi))}</text>',
        f'<text class="allcourse-trend-tick" x="{LEFT - 6}" y="{TOP + plot_h + 4}" '
        f'text-anchor="end">{esc(_fmt(lo))}</text>',
    ]
    # One path per run of measured values: a gap where a value was not measured.
    runs: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(series.values):
        if v is None:
            runs.append([])
        else:
            runs[-1].append((x(i), y(v)))
    for run in runs:
        if len(run) > 1:
            d = " ".join(
                f"{'M' if k == 0 else 'L'}{px:.1f},{py:.1f}" for k, (px, py) in enumerate(run)
            )
            parts.append(f'<path class="allcourse-trend-line" d="{d}"/>')
    for i, (t, v) in enumerate(zip(times, series.values, strict=True)):
        parts.append(
            f'<text class="allcourse-trend-tick" x="{x(i):.1f}" y="{HEIGHT - 10}" '
            f'text-anchor="middle">{esc(t)}</text>'
        )
        if v is not None:
            parts.append(
                f'<circle class="allcourse-trend-point" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5"/>'
            )
            parts.append(
                f'<text class="allcourse-trend-value" x="{x(i):.1f}" y="{y(v) - 8:.1f}" '
                f'text-anchor="middle">{esc(_fmt(v))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def trend_table(exhibit: m.TrendExhibit) -> str:
    head = "".join(f'<th scope="col">{esc(t)}</th>' for t in exhibit.times)
    rows = []
    for s in exhibit.series:
        cells = "".join(
            f"<td>{esc(_fmt(v)) if v is not None else NOT_MEASURED}</td>" for v in s.values
        )
        rows.append(f'<tr><th scope="row">{esc(s.name + _unit(s))}</th>{cells}</tr>')
    # A narrow screen scrolls the table sideways; the region can take focus so that
    # keyboard users can scroll it too.
    return (
        '<div class="allcourse-scroll" role="region" tabindex="0" '
        f'aria-label="{esc(exhibit.title)}">'
        '<table class="allcourse-table allcourse-trend-table">'
        f"<caption>{esc(exhibit.title)}</caption>"
        f'<thead><tr><th scope="col">Measure</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def trend_html(exhibit: m.TrendExhibit) -> str:
    charts = "".join(trend_svg(exhibit.times, s) for s in exhibit.series)
    return (
        '<figure class="allcourse-trend">'
        f"{trend_table(exhibit)}"
        f'<div class="allcourse-trend-charts">{charts}</div>'
        "</figure>"
    )
