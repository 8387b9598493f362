"""How a class did, from a folder of the students' exported results files.

Pure (no widgets): loading (bad files are listed with the reason; the rest still load),
completion per module, score distributions, classical item analysis (difficulty,
discrimination, the most-chosen wrong answer, flags for items worth a second look)
and the class profile by clinical-judgment step. The `*_html` functions draw plain
HTML tables and inline SVG charts for the instructor dashboard (instructor/), so the
output is the same on every run.

Item statistics use each student's *first* attempt: later attempts come after the
feedback, so they measure the feedback, not the item.
"""

from __future__ import annotations

import html
import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allcourse import paths
from allcourse.app import progress as P
from allcourse.app.results_io import ResultsError, read_results
from allcourse.markup import plain
from allcourse.quiz import models as m
from allcourse.quiz.scoring import score

RESULTS_ENV = "ALLCOURSE_RESULTS"  # the folder of collected results files
DEFAULT_FOLDER = paths.ROOT / "tests" / "fixtures" / "exports"
MIN_N = 5  # fewer answers than this: no discrimination index (too unstable)
UPPER_LOWER = 0.27  # Kelley's upper and lower 27%
HARD_P, EASY_P = 0.20, 0.95  # difficulty flags (proportion correct)
WEAK_DISCRIMINATION = 0.20  # point-biserial under this discriminates poorly


# --- loading --------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedFile:
    name: str
    student: str
    answers: int
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class BadFile:
    name: str
    reason: str


@dataclass
class ClassResults:
    """Each student's merged record (files of one student are merged), keyed by name."""

    folder: str
    students: dict[str, P.Progress]
    files: list[LoadedFile]
    bad: list[BadFile]
    catalogue: P.Catalogue
    unknown_items: set[str] = field(default_factory=set)

    def first_attempts(self) -> dict[str, dict[str, P.AttemptRecord]]:
        """student -> item id -> first attempt, for items of the current banks."""
        known = self.catalogue.known()
        return {
            s: {i: rec.first for i, rec in p.items.items() if i in known}
            for s, p in self.students.items()
        }


def results_folder() -> Path:
    """$ALLCOURSE_RESULTS, or the fixture exports that come with the course."""
    return Path(os.environ.get(RESULTS_ENV) or DEFAULT_FOLDER)


def _shown(folder: Path) -> str:
    try:
        return str(folder.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(folder)


def load_folder(folder: Path | str | None = None, cat: P.Catalogue | None = None) -> ClassResults:
    """Read every .json and .csv file in `folder` (not its subfolders). Files that cannot
    be read are listed with the reason; the others still load."""
    folder = Path(folder) if folder is not None else results_folder()
    cat = cat or P.catalogue()
    students: dict[str, P.Progress] = {}
    files: list[LoadedFile] = []
    bad: list[BadFile] = []
    if not folder.is_dir():
        bad.append(BadFile(_shown(folder), "this folder does not exist"))
        return ClassResults(_shown(folder), students, files, bad, cat)
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix.lower() not in (".json", ".csv"):
            bad.append(BadFile(path.name, "not a results file (.json or .csv)"))
            continue
        try:
            parsed = read_results(path.read_bytes(), path.name)
        except ResultsError as exc:
            bad.append(BadFile(path.name, exc.reason))
            continue
        except OSError as exc:
            bad.append(BadFile(path.name, f"could not be read ({exc.strerror})"))
            continue
        record = parsed.progress
        who = record.student.strip() or path.stem
        key = who.casefold()
        students[key] = P.merge(students[key], record) if key in students else record
        files.append(LoadedFile(path.name, who, len(record.items), tuple(parsed.problems)))
    known = cat.known()
    unknown = {i for p in students.values() for i in p.items if i not in known}
    return ClassResults(_shown(folder), students, files, bad, cat, unknown)


# --- completion and scores ------------------------------------------------------------


@dataclass(frozen=True)
class ModuleCompletion:
    module_id: str
    label: str
    total_items: int
    students: int
    completed: int  # students who answered every item
    started: int  # students who answered at least one
    scores: tuple[float, ...]  # each starter's first-try score (0..1) on the items answered


def completion(results: ClassResults) -> list[ModuleCompletion]:
    out = []
    for mod in results.catalogue.modules:
        if not mod.items:
            continue
        ids = [it.id for it in mod.items]
        done = started = 0
        scores = []
        for record in results.students.values():
            answered = [record.items[i].first for i in ids if i in record.items]
            if answered:
                started += 1
                scores.append(
                    sum(a.points for a in answered) / sum(a.max_points for a in answered)
                    if sum(a.max_points for a in answered)
                    else 0.0
                )
            if len(answered) == len(ids):
                done += 1
        out.append(
            ModuleCompletion(
                mod.module.id,
                mod.module.label,
                len(ids),
                len(results.students),
                done,
                started,
                tuple(sorted(round(s, 6) for s in scores)),
            )
        )
    return out


# --- item analysis --------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Correlation; None when either variable does not vary. With a 0/1 `xs` this is
    the point-biserial correlation."""
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def upper_lower(correct: Sequence[float], rest: Sequence[float]) -> float | None:
    """Upper-lower discrimination: proportion correct in the top 27% by rest score minus
    the bottom 27% (ties broken by order, so the groups never overlap)."""
    n = len(correct)
    k = max(1, round(n * UPPER_LOWER))
    if n < 2 * k:
        return None
    order = sorted(range(n), key=lambda i: rest[i])
    low, high = order[:k], order[-k:]
    return _mean([correct[i] for i in high]) - _mean([correct[i] for i in low])


def _label(text: str | None) -> str:
    return plain(text or "").strip()


def wrong_choices(item: m.ItemBase, response: Any) -> list[str]:
    """What the student chose that the key does not have, in words an instructor reads:
    a wrong option, "row: wrong column", "blank: wrong word", a typed wrong answer."""
    result = score(item, response)
    by_id = {p.id: p for p in result.parts}
    out: list[str] = []
    if isinstance(item, m.SingleChoice | m.MultipleResponse | m.SelectN):
        out = [_label(o.text) for o in item.options if by_id[o.id].chosen and not o.correct]
    elif isinstance(item, m.Bowtie):
        for o in item.conditions + item.actions + item.parameters:
            if by_id[o.id].chosen and not o.correct:
                out.append(_label(o.text))
    elif isinstance(item, m.Highlight):
        out = [
            _label(s.text or " | ".join(s.cells or []))
            for s in item.selectable()
            if by_id[s.id].chosen and not s.correct  # type: ignore[index]
        ]
    elif isinstance(item, m.MatrixSingle):
        cols = {c.id: _label(c.text) for c in item.columns}
        for row in item.rows:
            part = by_id[row.id]
            if part.chosen and not part.correct:
                out.append(f"{_label(row.text)}: {cols.get(part.chosen, part.chosen)}")
    elif isinstance(item, m.MatrixMultiple):
        cols = {c.id: _label(c.text) for c in item.columns}
        for row in item.rows:
            for col in by_id[row.id].chosen or []:
                if col not in row.correct:
                    out.append(f"{_label(row.text)}: {cols.get(col, col)}")
    elif isinstance(item, m.Cloze | m.DropdownRationale):
        for blank in item.blanks:
            part = by_id[blank.id]
            if part.chosen and not part.correct:
                words = {o.id: _label(o.text) for o in blank.options}
                name = _label(blank.label) or blank.id
                out.append(f"{name}: {words.get(part.chosen, part.chosen)}")
    elif isinstance(item, m.Matching):
        for pair in item.pairs:
            part = by_id[pair.id]
            if part.chosen and not part.correct:
                out.append(f"{_label(pair.left)}: {_label(part.chosen)}")
    elif isinstance(item, m.Ordering):
        if result.points < result.max_points and isinstance(response, list) and response:
            first = next((s for s in item.steps if s.id == response[0]), None)
            if first is not None and first.id != item.steps[0].id:
                out.append(f"put first: {_label(first.text)}")
    elif isinstance(item, m.Numeric | m.ShortAnswer):
        if isinstance(response, str) and response.strip() and result.points < result.max_points:
            out.append(f"typed: {response.strip()}")
    return out


@dataclass(frozen=True)
class ItemStat:
    item_id: str
    bank: str
    module_label: str
    module_notebook: str
    type: str
    step: str | None
    n: int  # students who answered it
    p: float  # proportion with full marks on the first try (classical difficulty)
    mean: float  # mean first-try score fraction
    r_pb: float | None  # corrected item-total (point-biserial) correlation
    d_ul: float | None  # upper-lower 27% index
    top_wrong: tuple[str, int] | None  # the most-chosen wrong answer and how many chose it
    flags: tuple[str, ...]


def _flags(stat: dict[str, Any], key_count: int) -> tuple[str, ...]:
    flags = []
    if stat["n"] >= MIN_N:
        if stat["r_pb"] is not None and stat["r_pb"] < 0:
            flags.append("negative discrimination: stronger students did worse (check the key)")
        elif stat["r_pb"] is not None and stat["r_pb"] < WEAK_DISCRIMINATION:
            flags.append(f"weak discrimination (under {WEAK_DISCRIMINATION:.2f})")
        if stat["p"] < HARD_P:
            flags.append(f"very hard (p under {HARD_P:.2f}): check the key and the teaching")
        if stat["p"] > EASY_P:
            flags.append(f"very easy (p over {EASY_P:.2f}): tells little")
    top = stat["top_wrong"]
    if stat["single"] and top is not None and top[1] > key_count:
        flags.append("a wrong option was chosen more often than the key")
    return tuple(flags)


def item_stats(results: ClassResults) -> list[ItemStat]:
    """Every item of the current banks that at least one student answered, in bank order."""
    firsts = results.first_attempts()
    # Each student's overall first-try score, to split it into "rest" scores per item.
    totals = {
        s: (sum(a.points for a in f.values()), sum(a.max_points for a in f.values()))
        for s, f in firsts.items()
    }
    out = []
    for mod in results.catalogue.modules:
        for item in mod.items:
            answered = [(s, f[item.id]) for s, f in sorted(firsts.items()) if item.id in f]
            if not answered:
                continue
            correct, fractions, rest = [], [], []
            wrong: Counter[str] = Counter()
            for s, a in answered:
                correct.append(1.0 if a.max_points and a.points >= a.max_points else 0.0)
                fractions.append(a.fraction)
                pts, mx = totals[s]
                rest_max = mx - a.max_points
                rest.append((pts - a.points) / rest_max if rest_max > 0 else 0.0)
                wrong.update(set(wrong_choices(item, a.response)))
            n = len(answered)
            r_pb = pearson(correct, rest) if n >= MIN_N else None
            d_ul = upper_lower(correct, rest) if n >= MIN_N else None
            top = min(wrong.items(), key=lambda kv: (-kv[1], kv[0])) if wrong else None
            single = isinstance(item, m.SingleChoice)
            stat = {"n": n, "p": _mean(correct), "r_pb": r_pb, "top_wrong": top, "single": single}
            out.append(
                ItemStat(
                    item_id=item.id,
                    bank=mod.bank or "",
                    module_label=mod.module.label,
                    module_notebook=mod.module.notebook,
                    type=item.type,  # type: ignore[attr-defined]
                    step=item.step,
                    n=n,
                    p=round(_mean(correct), 6),
                    mean=round(_mean(fractions), 6),
                    r_pb=None if r_pb is None else round(r_pb, 6),
                    d_ul=None if d_ul is None else round(d_ul, 6),
                    top_wrong=top,
                    flags=_flags(stat, int(sum(correct))),
                )
            )
    return out


@dataclass(frozen=True)
class StepProfile:
    step: str
    label: str
    answers: int
    students: int
    mean: float  # mean first-try score fraction over every answer at this step


def step_profile(results: ClassResults) -> list[StepProfile]:
    """The class's first-try score at each clinical-judgment step, in CJMM order."""
    fractions: dict[str, list[float]] = {s: [] for s in m.CJMM_STEPS}
    who: dict[str, set[str]] = {s: set() for s in m.CJMM_STEPS}
    for student, firsts in results.first_attempts().items():
        for item_id, a in firsts.items():
            found = results.catalogue.item(item_id)
            if found is None or found[1].step is None:
                continue
            fractions[found[1].step].append(a.fraction)
            who[found[1].step].add(student)
    return [
        StepProfile(
            s, m.CJMM_LABELS[s], len(fractions[s]), len(who[s]), round(_mean(fractions[s]), 6)
        )
        for s in m.CJMM_STEPS
        if fractions[s]
    ]


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
