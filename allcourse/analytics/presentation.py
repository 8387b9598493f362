"""Drawing the statistics for the instructor dashboard: plain HTML tables and inline SVG
charts, the same on every run; `Dashboard` gives one HTML output per notebook cell."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from allcourse.analytics.loading import ClassResults, load_folder
from allcourse.analytics.statistics import (
    ItemStat,
    ModuleCompletion,
    StepProfile,
    completion,
    item_stats,
    step_profile,
)

# --- drawing --------------------------------------------------------------------------


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def files_html(results: ClassResults) -> str:
    rows = "".join(
        f"<tr><td>{esc(f.name)}</td><td>{esc(f.student)}</td><td>{f.answers}</td>"
        f"<td>{esc('; '.join(f.problems)) if f.problems else 'none'}</td></tr>"
        for f in results.files
    )
    bad = "".join(f"<li><code>{esc(b.name)}</code>: {esc(b.reason)}</li>" for b in results.bad)
    unknown = (
        f"<p>{len(results.unknown_items)} answered item ids are not in the current question "
        "banks (an older or newer course version); they are left out of the statistics: "
        f"{esc(', '.join(sorted(results.unknown_items)))}.</p>"
        if results.unknown_items
        else ""
    )
    return (
        f"<p>Folder <code>{esc(results.folder)}</code>: {len(results.files)} files loaded for "
        f"{len(results.students)} students; {len(results.bad)} could not be used.</p>"
        '<table class="allcourse-table"><caption>Files loaded</caption><thead><tr>'
        '<th scope="col">File</th><th scope="col">Student</th><th scope="col">Items answered'
        '</th><th scope="col">Damaged parts skipped</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        + (f"<p><strong>Files that could not be used</strong></p><ul>{bad}</ul>" if bad else "")
        + unknown
    )


def histogram_svg(values: Sequence[float], title: str, bins: int = 10) -> str:
    """A bar chart of scores (0..1) in `bins` bands, as accessible inline SVG."""
    counts = [0] * bins
    for v in values:
        counts[min(int(v * bins), bins - 1)] += 1
    width, height, pad = 320, 140, 24
    bar_w = (width - 2 * pad) / bins
    top = max(counts) or 1
    bars = []
    for i, c in enumerate(counts):
        h = (height - 2 * pad) * c / top
        x = pad + i * bar_w
        y = height - pad - h
        band = f"{i * 100 // bins}–{(i + 1) * 100 // bins}%"
        bars.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
            f'fill="var(--jp-brand-color1, #1976d2)"><title>{band}: {c}</title></rect>'
        )
        if c:
            bars.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f'font-size="10" fill="currentColor">{c}</text>'
            )
    described = ", ".join(
        f"{i * 100 // bins}–{(i + 1) * 100 // bins}%: {c}" for i, c in enumerate(counts) if c
    )
    axis = (
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="currentColor"/>'
        f'<text x="{pad}" y="{height - 8}" font-size="10" fill="currentColor">0%</text>'
        f'<text x="{width - pad}" y="{height - 8}" font-size="10" text-anchor="end" '
        'fill="currentColor">100%</text>'
    )
    label = f"{title}. Students per score band: {described or 'none'}."
    return (
        f'<svg role="img" aria-label="{esc(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{esc(label)}</title>{''.join(bars)}{axis}</svg>"
    )


def completion_html(rows: Iterable[ModuleCompletion]) -> str:
    body, charts = [], []
    for r in rows:
        median = _median(r.scores)
        body.append(
            f'<tr><th scope="row">{esc(r.label)}</th><td>{r.total_items}</td>'
            f"<td>{r.completed} of {r.students}</td><td>{r.started} of {r.students}</td>"
            f"<td>{'–' if median is None else _pct(median)}</td></tr>"
        )
        if r.scores:
            charts.append(
                f"<figure><figcaption>{esc(r.label)}: first-try scores of the "
                f"{len(r.scores)} students who started it</figcaption>"
                f"{histogram_svg(r.scores, esc(r.label) + ' first-try scores')}</figure>"
            )
    return (
        '<table class="allcourse-table"><caption>Completion per module</caption><thead><tr>'
        '<th scope="col">Module</th><th scope="col">Items</th><th scope="col">Completed (every '
        'item answered)</th><th scope="col">Started</th><th scope="col">Median first-try '
        "score</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
        f'<div class="allcourse-charts">{"".join(charts)}</div>'
    )


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def items_html(stats: Iterable[ItemStat], *, flagged_only: bool = False) -> str:
    rows = []
    for s in stats:
        if flagged_only and not s.flags:
            continue
        top = f"{esc(s.top_wrong[0])} ({s.top_wrong[1]} of {s.n})" if s.top_wrong else "–"
        flags = "<br>".join(f"⚑ {esc(f)}" for f in s.flags) or "–"
        rows.append(
            f'<tr data-item="{esc(s.item_id)}"><th scope="row"><code>{esc(s.item_id)}</code>'
            f"</th><td>{esc(s.bank)}</td><td>{esc(s.type)}</td><td>{s.n}</td>"
            f"<td>{s.p:.2f}</td><td>{s.mean:.2f}</td><td>{_num(s.r_pb)}</td>"
            f"<td>{_num(s.d_ul)}</td><td>{top}</td><td>{flags}</td></tr>"
        )
    if not rows:
        return "<p>No item is flagged.</p>" if flagged_only else "<p>No answers yet.</p>"
    caption = "Items worth a second look" if flagged_only else "Every answered item"
    return (
        f'<table class="allcourse-table"><caption>{caption}</caption><thead><tr>'
        '<th scope="col">Item</th><th scope="col">Bank</th><th scope="col">Type</th>'
        '<th scope="col">n</th><th scope="col">p (full marks)</th><th scope="col">Mean '
        'score</th><th scope="col">r<sub>pb</sub></th><th scope="col">D (27%)</th>'
        '<th scope="col">Most-chosen wrong answer</th><th scope="col">Flags</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def steps_svg(rows: Sequence[StepProfile]) -> str:
    width, bar_h, gap, left = 420, 18, 8, 170
    height = len(rows) * (bar_h + gap) + gap
    parts = []
    for i, r in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = (width - left - 50) * r.mean
        parts.append(
            f'<text x="{left - 6}" y="{y + bar_h - 5}" text-anchor="end" font-size="11" '
            f'fill="currentColor">{esc(r.label)}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" '
            'fill="var(--jp-brand-color1, #1976d2)"/>'
            f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 5}" font-size="11" '
            f'fill="currentColor">{_pct(r.mean)}</text>'
        )
    label = "Class first-try score by clinical-judgment step: " + ", ".join(
        f"{r.label} {_pct(r.mean)}" for r in rows
    )
    return (
        f'<svg role="img" aria-label="{esc(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{esc(label)}</title>{''.join(parts)}</svg>"
    )


def steps_html(rows: Sequence[StepProfile]) -> str:
    if not rows:
        return "<p>No answered item has a clinical-judgment step.</p>"
    body = "".join(
        f'<tr><th scope="row">{esc(r.label)}</th><td>{r.answers}</td><td>{r.students}</td>'
        f"<td>{_pct(r.mean)}</td></tr>"
        for r in rows
    )
    return (
        steps_svg(rows)
        + '<table class="allcourse-table"><caption>Class profile by clinical-judgment step'
        '</caption><thead><tr><th scope="col">Step</th><th scope="col">Answers</th>'
        '<th scope="col">Students</th><th scope="col">Mean first-try score</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


# JupyterLab right-aligns table cells; text columns read better on the left.
_STYLE = (
    "<style>.allcourse-dashboard th, .allcourse-dashboard td { text-align: left; "
    "vertical-align: top; } .allcourse-dashboard figure { margin: 0.5em 0; }</style>"
)


class Dashboard:
    """The instructor dashboard's sections, each an HTML output for a notebook cell."""

    def __init__(self, folder: Path | str | None = None):
        self.results = load_folder(folder)
        self.stats = item_stats(self.results)

    def __repr__(self) -> str:
        r = self.results
        return f"<Class results: {len(r.students)} students, {len(r.bad)} files not used>"

    @staticmethod
    def _html(markup: str):
        from IPython.display import HTML

        return HTML(f'<div class="allcourse-dashboard">{_STYLE}{markup}</div>')

    def files(self):
        return self._html(files_html(self.results))

    def completion(self):
        return self._html(completion_html(completion(self.results)))

    def flagged(self):
        return self._html(items_html(self.stats, flagged_only=True))

    def items(self):
        return self._html(items_html(self.stats))

    def steps(self):
        return self._html(steps_html(step_profile(self.results)))
