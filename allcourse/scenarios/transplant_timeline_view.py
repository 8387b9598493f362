"""The "Day -7 to +100" scenario on the page: a labelled day slider (a native range
input, keyboard-operable), one button per stage, and the stage the day falls in, with what
happens, the infections of the window and the nursing priorities, each line cited. Draws
what `transplant_timeline` loads from assets/transplant_timeline.yml.
"""

from __future__ import annotations

import html

import traitlets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import transplant_timeline as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.prediction_view import PredictionCheck
from allcourse.scenarios.range_input import RangeInput
from allcourse.scenarios.transplant_timeline import CitedLine, Stage


class DaySlider(RangeInput):
    """The transplant day, read as "Day +14" (aria-valuetext), not a bare number; arrows
    move one day, Page Up/Down larger steps, Home/End to the ends. It carries the
    scenario's live status line."""

    min = traitlets.Int(-7).tag(sync=True)
    max = traitlets.Int(200).tag(sync=True)
    prefix = traitlets.Unicode("Day ").tag(sync=True)
    signed = traitlets.Bool(True).tag(sync=True)
    has_status = traitlets.Bool(True).tag(sync=True)


def _lines(lines: tuple[CitedLine, ...]) -> str:
    return "".join(f"<li>{html.escape(x.text)}{citation_links(x.sources)}</li>" for x in lines)


def stage_html(stage: Stage, day: int) -> str:
    return (
        f"<section class='allcourse-stage' data-stage='{html.escape(stage.id)}' "
        "aria-labelledby='stage-heading'>"
        f"<h3 id='stage-heading'>{html.escape(stage.title)} "
        f"<small>({html.escape(stage.days_text)}; "
        f"you are on {html.escape(model.day_text(day))})</small></h3>"
        f"<p>{html.escape(stage.summary)}</p>"
        f"<h4>What happens</h4><ul>{_lines(stage.happens)}</ul>"
        f"<h4>Infections in this window</h4><ul>{_lines(stage.infections)}</ul>"
        "<h4>Nursing priorities</h4>"
        f"<ul class='allcourse-stage-nursing'>{_lines(stage.nursing)}</ul>"
        "</section>"
    )


def _reveal() -> str:
    eng = model.timeline().stage("engraftment")
    line = eng.happens[1]
    return (
        f"<p>White cells come back first: {html.escape(line.text)}{citation_links(line.sources)} "
        "That is why the daily ANC is the number the team and the patient watch; until it "
        "rises, the risk of infection is at its highest.</p>"
    )


class TransplantTimeline:
    """Builds the scenario's widgets; `.widget` is what the page shows."""

    def __init__(self, day: int = -7) -> None:
        tl = model.timeline()
        self.slider = DaySlider(
            value=day, min=tl.first_day, max=tl.last_day, label="Day after the stem cell infusion"
        )
        self.buttons = []
        for stage in tl.stages:
            b = ui.button(stage.title, "allcourse-preset")
            b.on_click(lambda _b, start=stage.day_from: self.set_day(start))
            self.buttons.append(b)
        controls = ui.box(
            [ui.html("<span class='allcourse-presets-label'>Go to a stage:</span>"), *self.buttons],
            "allcourse-presets",
            vertical=False,
        )
        self.card = ui.html("")
        self.prediction = PredictionCheck(
            "When the new marrow starts working (engraftment), which blood cells come back first?",
            [
                ("Red blood cells", "red"),
                ("White blood cells (neutrophils)", "white"),
                ("Platelets", "platelets"),
                ("All three on the same day", "same"),
            ],
            "white",
            _reveal,
        )
        self.slider.observe(lambda change: self.show(change["new"]), names="value")
        self.widget = ui.box(
            [
                illustrative_banner("The timeline"),
                self.prediction,
                self.slider,
                controls,
                self.card,
            ],
            "allcourse-scenario",
            "allcourse-timeline",
        )
        self.show(day)

    def set_day(self, day: int) -> None:
        self.slider.value = day

    def show(self, day: object) -> None:
        """Redraw for a day; a day outside the timeline gets a message, not a traceback."""
        try:
            stage = model.timeline().stage_at(day)  # type: ignore[arg-type]
        except model.DayError as exc:
            self.slider.status = str(exc)
            return
        self.card.value = stage_html(stage, int(day))  # type: ignore[call-overload]
        self.slider.status = f"{model.day_text(int(day))}: {stage.title} ({stage.days_text})."  # type: ignore[call-overload]


def transplant_timeline(day: int = -7) -> None:
    """Show the day -7 to +100 timeline (one line in a notebook)."""
    display(TransplantTimeline(day).widget)
