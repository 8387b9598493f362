"""The instructor dashboard: data frames to sort, filter and export in JupyterLab, HTML
tables for the notebook, and charts drawn with matplotlib as SVG, each with a text
alternative (an `aria-label` on the image and the same numbers in a caption).

Charts are the same on every run (fixed hash salt, no date in the SVG), so the
dashboard's stored outputs can be compared by nbval.
"""

from __future__ import annotations

import hashlib
import html
import io
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: charts are written as SVG text

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from allcourse.analytics import export  # noqa: E402
from allcourse.analytics.loading import ClassResults, file_notes, load_folder  # noqa: E402
from allcourse.analytics.statistics import (  # noqa: E402
    OverallStatistics,
    class_test_report,
    completion,
    distractors,
    item_report,
    step_profile,
    student_table,
)

_RC = {
    "svg.hashsalt": "allcourse",  # stable element ids: the same SVG on every run
    "svg.fonttype": "none",  # text stays text (smaller, selectable, read by screen readers)
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BAR = "#1f5fa8"  # dark enough for 4.5:1 on white


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


# --- charts --------------------------------------------------------------------------------


def svg_figure(fig: Any, label: str) -> str:
    """A matplotlib figure as inline SVG, marked as one image with `label` as its text
    alternative (the chart's numbers in words)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prologue and doctype: inline in HTML
    # Clip-path ids hash object addresses: renumber them from the label, so the SVG is
    # the same on every run and two charts on one page never share an id.
    prefix = "c" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:8]
    for n, old in enumerate(dict.fromkeys(re.findall(r'id="([^"]+)"', svg))):
        new = f"{prefix}-{n}"
        svg = (
            svg.replace(f'id="{old}"', f'id="{new}"')
            .replace(f"#{old})", f"#{new})")
            .replace(f'href="#{old}"', f'href="#{new}"')
        )
    return svg.replace("<svg ", f'<svg role="img" aria-label="{esc(label)}" ', 1)


def histogram_svg(scores: Sequence[float], title: str, bins: int = 10) -> str:
    """Students per score band (0-100 %, `bins` bands) as an accessible SVG bar chart."""
    counts = [0] * bins
    for v in scores:
        counts[min(int(v / 100 * bins), bins - 1)] += 1
    bands = [f"{i * 100 // bins}–{(i + 1) * 100 // bins}%" for i in range(bins)]
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(4.2, 1.9))
        ax.bar(range(bins), counts, color=BAR, width=0.85)
        ax.set_xticks(range(bins), [b.split("–")[0] for b in bands])
        ax.set_xlabel("first-try score (%)")
        ax.set_ylabel("students")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_title(title, fontsize=9)
    described = ", ".join(f"{b}: {c}" for b, c in zip(bands, counts, strict=True) if c)
    return svg_figure(fig, f"{title}. Students per score band: {described or 'none'}.")


def steps_svg(profile: pd.DataFrame) -> str:
    """The class's mean first-try score per CJMM step, as horizontal bars."""
    labels = list(profile["label"])
    values = list(profile["mean_score"])
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(5, 0.35 * len(labels) + 0.6))
        ax.barh(range(len(labels)), values, color=BAR)
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("mean first-try score (%)")
        for i, v in enumerate(values):
            ax.text(v + 1, i, f"{v:.0f}%", va="center")
    words = ", ".join(f"{lab} {v:.0f}%" for lab, v in zip(labels, values, strict=True))
    return svg_figure(fig, f"Class first-try score by clinical-judgment step: {words}.")


def facility_svg(stats: pd.DataFrame, title: str) -> str:
    """Facility index and discriminative efficiency per item (Moodle's report chart)."""
    ids = list(stats.index)
    fac = [0 if math.isnan(v) else v for v in stats["facility"]]
    eff = [0 if math.isnan(v) else v for v in stats["discriminative_efficiency"]]
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(max(4, 0.32 * len(ids) + 1.5), 2.4))
        xs = range(len(ids))
        ax.bar([x - 0.2 for x in xs], fac, width=0.4, color=BAR, label="facility index")
        ax.bar(
            [x + 0.2 for x in xs],
            eff,
            width=0.4,
            color="#b35900",
            label="discriminative efficiency",
        )
        ax.set_xticks(list(xs), [str(i + 1) for i in xs])
        ax.set_xlabel("item (number in the table)")
        ax.set_ylabel("%")
        ax.set_ylim(min(0, *eff) if eff else 0, 100)
        ax.legend(frameon=False, fontsize=8)
        ax.set_title(title, fontsize=9)
    words = "; ".join(
        f"item {i + 1} facility {f:.0f}%, efficiency {e:.0f}%"
        for i, (f, e) in enumerate(zip(fac, eff, strict=True))
    )
    return svg_figure(fig, f"{title}: {words}.")


# --- tables ----------------------------------------------------------------------------


def table_html(frame: pd.DataFrame, caption: str, *, index: bool = True, digits: int = 1) -> str:
    """A data frame as an accessible HTML table: a caption, column headers with scope,
    numbers rounded to `digits`, empty figures shown as a dash."""
    shown = frame.copy()
    for col in shown.columns:
        if pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: "–" if pd.isna(v) else f"{v:.{digits}f}")
        elif pd.api.types.is_bool_dtype(shown[col]):
            shown[col] = shown[col].map({True: "yes", False: "no"})
    body = shown.to_html(index=index, escape=True, na_rep="–", border=0, classes="allcourse-table")
    opening = f'class="allcourse-table"><caption>{esc(caption)}</caption>'
    body = body.replace("<th>", '<th scope="col">')
    body = body.replace('class="dataframe allcourse-table">', opening, 1)
    return body.replace('<th scope="col"></th>', "<td></td>")


def overall_html(stats: OverallStatistics, title: str) -> str:
    """Moodle's whole-test figures as a two-column table, in its order and wording."""

    def num(v: float, unit: str = "") -> str:
        return "–" if math.isnan(v) else f"{v:.2f}{unit}"

    rows = [
        ("Number of complete attempts", str(stats.students)),
        ("Items", str(stats.items)),
        ("Average score", f"{num(stats.mean_pct, '%')} ({num(stats.mean)} of {stats.max_total:g})"),
        ("Median score", f"{num(stats.median_pct, '%')} ({num(stats.median)})"),
        ("Standard deviation", f"{num(stats.sd_pct, '%')} ({num(stats.sd)})"),
        ("Score distribution skewness", num(stats.skewness)),
        ("Score distribution kurtosis", num(stats.kurtosis)),
        ("Coefficient of internal consistency (Cronbach's alpha)", num(stats.cic, "%")),
        ("Error ratio", num(stats.error_ratio, "%")),
        ("Standard error", f"{num(stats.standard_error_pct, '%')} ({num(stats.standard_error)})"),
    ]
    body = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows)
    caption = f"<caption>{esc(title)}</caption>"
    return f'<table class="allcourse-table">{caption}<tbody>{body}</tbody></table>'


_STYLE = (
    "<style>.allcourse-dashboard th, .allcourse-dashboard td { text-align: left; "
    "vertical-align: top; } .allcourse-dashboard caption { text-align: left; "
    "font-weight: bold; } .allcourse-dashboard figure { margin: 0.5em 0; }</style>"
)


def _html(markup: str):
    from IPython.display import HTML

    return HTML(f'<div class="allcourse-dashboard">{_STYLE}{markup}</div>')


# --- the dashboard ---------------------------------------------------------------------


class Dashboard:
    """The class's results, loaded once. Attributes that are data frames (`answers`,
    `students`, `completion_table`, `steps_table`) can be sorted, filtered and exported
    with pandas; the methods that return HTML are the notebook's sections."""

    def __init__(self, folder: Path | str | None = None):
        self.results: ClassResults = load_folder(folder)
        self.answers = self.results.answers
        self.students = student_table(self.results)
        self.completion_table = completion(self.results)
        self.steps_table = step_profile(self.results.practice())
        self._items = {it.id: it for mod in self.results.catalogue.modules for it in mod.items}

    def __repr__(self) -> str:
        r = self.results
        return (
            f"<Class results: {len(r.students)} students, {len(r.files)} files, "
            f"{len(r.bad)} not used, {len(r.tampered)} flagged>"
        )

    # --- data frames ---------------------------------------------------------------
    def module_report(self, module_id: str) -> tuple[pd.DataFrame, OverallStatistics]:
        """Moodle's item statistics (data frame) and whole-test figures for a module."""
        mod = next(mi for mi in self.results.catalogue.modules if mi.module.id == module_id)
        stats, overall, _ = item_report(self.results.practice(), list(mod.items))
        return stats, overall

    def class_test_report(self, test_id: str) -> tuple[pd.DataFrame, OverallStatistics]:
        """The same for a class test, on each student's first attempt: whole-test figures
        by question position, item figures over the students who were given the item."""
        answers = self.answers[self.answers["test_id"] == test_id]
        orders = self.results.test_orders.get(test_id, {})
        return class_test_report(answers, orders, self._items)

    def distractor_table(self, module_id: str | None = None) -> pd.DataFrame:
        answers = self.results.practice()
        if module_id is not None:
            mod = next(mi for mi in self.results.catalogue.modules if mi.module.id == module_id)
            answers = answers[answers["item_id"].isin({it.id for it in mod.items})]
        return distractors(answers, self._items)

    def export_gradebook(self, path: Path | str) -> Path:
        """Write the per-student table as .csv or .xlsx (by the file name)."""
        path = Path(path)
        if path.suffix.lower() == ".xlsx":
            return export.write_xlsx(self.students, path)
        if path.suffix.lower() == ".csv":
            return export.write_csv(self.students, path)
        raise ValueError(f"{path.name}: choose a name ending in .csv or .xlsx")

    # --- notebook sections ---------------------------------------------------------
    def files(self):
        r = self.results
        frame = r.files_frame.drop(
            columns=["answers", "damaged_parts", "tampered", "unknown_items"]
        )
        bad = "".join(f"<li><code>{esc(b.name)}</code>: {esc(b.reason)}</li>" for b in r.bad)
        flagged = "".join(
            f"<li><code>{esc(f.name)}</code> ({esc(f.student)}): {esc(file_notes(f)[0])}</li>"
            for f in r.tampered
        )
        return _html(
            f"<p>Folder <code>{esc(r.folder)}</code>: {len(r.files)} files loaded for "
            f"{len(r.students)} students; {len(r.bad)} could not be used; "
            f"{len(r.tampered)} flagged.</p>"
            + (
                "<p><strong>⚑ Files whose stored points disagree with the key</strong> "
                "(the statistics use the re-scored points):</p>"
                f"<ul>{flagged}</ul>"
                if flagged
                else ""
            )
            + (f"<p><strong>Files that could not be used</strong></p><ul>{bad}</ul>" if bad else "")
            + table_html(frame.set_index("file"), "Files loaded")
        )

    def student_summary(self):
        return _html(table_html(self.students, "Students: first-try scores per module"))

    def completion(self):
        charts = []
        practice = self.results.practice()
        for mod in self.results.catalogue.modules:
            if not mod.items or practice.empty:
                continue
            mine = practice[practice["item_id"].isin({it.id for it in mod.items})]
            per = mine.groupby("student")[["points", "max_points"]].sum()
            if per.empty:
                continue
            scores = list(100 * per["points"] / per["max_points"])
            title = f"{mod.module.label}: first-try scores of the {len(scores)} who started"
            charts.append(f"<figure>{histogram_svg(scores, title)}</figure>")
        return _html(
            table_html(self.completion_table, "Completion per module")
            + f'<div class="allcourse-charts">{"".join(charts)}</div>'
        )

    def moodle(self, module_id: str):
        """Moodle's quiz statistics for one module: the whole-test figures, a chart, and
        the per-item table with NCSBN partial credit and flags."""
        stats, overall = self.module_report(module_id)
        label = next(
            mi.module.label for mi in self.results.catalogue.modules if mi.module.id == module_id
        )
        numbered = stats.copy()
        numbered.insert(0, "number", range(1, len(numbered) + 1))
        return _html(
            overall_html(overall, f"{label}: whole-test statistics (complete attempts)")
            + f"<figure>{facility_svg(stats, label + ': facility and efficiency')}</figure>"
            + table_html(numbered, f"{label}: item statistics (per cent)")
        )

    def tests(self):
        """Every class test found in the folder: who took it, Moodle's figures, items."""
        info = self.results.test_info
        if not info:
            return _html(
                "<p>No class-test results in this folder. A class test writes them on the "
                "server, in <code>class-test-data/TEST/results/</code>.</p>"
            )
        parts = []
        for test_id in sorted(info):
            stats, overall = self.class_test_report(test_id)
            title = str(info[test_id].get("title") or test_id)
            timed_out = sum(
                1 for f in self.results.files if f.test and f.test.get("id") == test_id
                and f.test.get("timed_out")
            )  # fmt: skip
            parts.append(
                f"<h3>{esc(title)} <code>{esc(test_id)}</code></h3>"
                f"<p>{overall.students} students (first attempts); {timed_out} attempt(s) "
                "ended by the time limit.</p>"
                + overall_html(overall, f"{title}: whole-test statistics")
                + table_html(stats, f"{title}: item statistics (per cent)")
            )
        return _html("".join(parts))

    def distractors(self, module_id: str, *, min_share: float = 0.0):
        table = self.distractor_table(module_id)
        table = table[table["share"] >= min_share]
        return _html(table_html(table, "Choices made on the first try", index=False))

    def steps(self):
        if self.steps_table.empty:
            return _html("<p>No answered item has a clinical-judgment step.</p>")
        return _html(
            f"<figure>{steps_svg(self.steps_table)}</figure>"
            + table_html(
                self.steps_table.drop(columns=["step"]).set_index("label"),
                "Class profile by clinical-judgment step",
            )
        )
