"""TLS watch on the page: the laboratory trend as a table and a chart per value (each
chart with a text alternative listing every value), one drop-down per time point to
classify it, then two practice items built by `tls_watch` (the most dangerous value now,
the nurse's actions). Classification is graded by `tls_watch.grade()` in the kernel and
the items by the quiz; no key reaches the browser before the student checks.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz import render_item
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.exhibit import trend_svg, trend_table
from allcourse.scenarios import tls_watch as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.feedback import CheckSteps, icon_html, mark, score_mark, verdict_html
from allcourse.scenarios.tls_watch import TimelineResult


def prediction_html() -> str:
    return (
        "<p class='allcourse-prediction'><strong>Check your prediction.</strong> Uric acid "
        "crosses its line first (12 h), but one value alone is not TLS; two values together "
        "make laboratory TLS at 24 h, and kidney injury makes it clinical TLS at 48 h. After "
        "rasburicase, uric acid falls within hours while potassium and phosphate keep rising: "
        "a normal uric acid does not mean the danger is over"
        f"{citation_links(['nc-howard-tls-2011', 'nc-elitek-label'])}.</p>"
    )


def trend_figure_html() -> str:
    """The flowsheet table, then one chart per value with a visible caption naming it (the
    chart's text alternative lists every value and the direction)."""
    ex = model.exhibit()
    charts = "".join(
        "<figure class='allcourse-tls-chart'>"
        f"<figcaption>{html.escape(s.name)} ({html.escape(s.unit or '')})</figcaption>"
        f"{trend_svg(ex.times, s)}</figure>"
        for s in ex.series
    )
    return (
        f"<div class='allcourse-trend'>{trend_table(ex)}"
        f"<div class='allcourse-trend-charts'>{charts}</div></div>"
    )


def story_html() -> str:
    data = model.scenario()
    p = data.patient
    notes = "".join(
        f"<li><strong>{html.escape(t)}:</strong> {html.escape(n)}</li>"
        for t, n in data.notes.items()
    )
    return (
        "<section class='allcourse-tls-story' aria-labelledby='tls-heading'>"
        f"<h3 id='tls-heading'>{html.escape(p.name)}, {p.age} (fictional patient)</h3>"
        f"<p>{html.escape(p.story.strip())}{citation_links(p.sources)}</p>"
        f"<p>Creatinine upper limit of normal at this laboratory: {data.creatinine_uln:.1f} "
        "mg/dL. Calcium is corrected for albumin. The 0 h values are his baseline: "
        "Cairo-Bishop counts a value past its line or changed by 25% from baseline"
        f"{citation_links(['nc-cairo-bishop-2004'])}.</p>"
        f"<p>Nursing notes:</p><ul>{notes}</ul></section>"
    )


def feedback_html(result: TimelineResult) -> str:
    notes = []
    for p in result.points:
        ok = p.correct
        note_icon, note_cls = mark(ok)
        notes.append(
            f"<li class='allcourse-note allcourse-note-{note_cls}' "
            f"data-time='{html.escape(p.expected.time)}'>"
            f"{icon_html(note_icon)} "
            f"<strong>{'Right' if ok else 'Wrong'}. {html.escape(p.expected.time)}</strong>: "
            f"you chose {html.escape(model.LEVELS[p.answer])}; the criteria: "
            f"{html.escape(p.expected.label)}. {html.escape(p.expected.reason)}"
            f"{citation_links(model.RULE_SOURCES)}</li>"
        )
    head = verdict_html(
        *score_mark(result.right, result.total),
        f"{result.right} of {result.total} time points classified as the criteria do",
    )
    return (
        "<section class='allcourse-feedback allcourse-tls-feedback' aria-label='Feedback'>"
        f"{head}<ul class='allcourse-notes'>{''.join(notes)}</ul>{prediction_html()}</section>"
    )


class TlsWatch(widgets.VBox):
    """The scenario's widget: story, trend, one drop-down per time, check and try again,
    a status line, the feedback and the two practice items."""

    def __init__(self) -> None:
        data = model.scenario()
        choices = [(label, key) for key, label in model.LEVELS.items()]
        self.points: dict[str, widgets.Dropdown] = {}
        for t in data.times:
            dd = widgets.Dropdown(
                options=[(ui.PLACEHOLDER, "")] + choices,
                value="",
                description=f"At {t}",
                style=ui.description_style("4.5em"),
                layout=ui.layout(width="auto", min_width="18em"),
                _dom_classes=("allcourse-tls-point",),
            )
            self.points[t] = dd
        self.checks = CheckSteps(
            self.points.values,
            self.reset,
            check_label="Check classification",
            on_check=self.check_points,
        )
        self.check, self.again = self.checks.check, self.checks.again
        self.status, self.feedback = self.checks.status, self.checks.feedback
        self.result: TimelineResult | None = None
        self.cards = [render_item(it, model.BANK, mode="practice") for it in model.items()]
        super().__init__(
            [
                illustrative_banner("This trend, with a fictional patient,"),
                ui.html(story_html()),
                ui.html(trend_figure_html()),
                ui.html(
                    "<p><strong>Step 1.</strong> Classify each time point: criteria not met, "
                    "laboratory TLS or clinical TLS.</p>"
                ),
                ui.box(list(self.points.values()), "allcourse-tls-points"),
                self.checks.buttons,
                self.status,
                self.feedback,
                *self.cards,
            ],
            layout=ui.layout(),
            _dom_classes=("allcourse-scenario", "allcourse-tls"),
        )

    def __repr__(self) -> str:
        return f"<TLS watch scenario: {len(self.points)} time points>"

    def answers(self) -> dict[str, str]:
        return {t: dd.value for t, dd in self.points.items()}

    def check_points(self) -> TimelineResult | None:
        """Grade in the kernel; a missing choice gets a message and nothing is cleared."""
        try:
            result = model.grade(self.answers())
        except model.AnswerError as exc:
            self.status.say(str(exc))
            return None
        self.result = result
        self.checks.checked(
            feedback_html(result),
            f"{result.right} of {result.total} time points classified as the criteria do. "
            "The reason for each follows.",
        )
        return result

    def reset(self) -> None:
        self.result = None
        self.checks.clear("Your classification is cleared. Classify the time points again.")


def tls_watch() -> None:
    """Show the TLS watch scenario (one line in a notebook)."""
    display(TlsWatch())
