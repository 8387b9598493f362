"""The "Day -7 to +100" scenario on the page: a labelled day slider (a native range
input, keyboard-operable), one button per stage, and the stage the day falls in, with what
happens, the infections of the window and the nursing priorities, each line cited. Draws
what `transplant_timeline` loads from assets/transplant_timeline.yml.
"""

from __future__ import annotations

import html

import anywidget
import ipywidgets as widgets
import traitlets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.scenarios import transplant_timeline as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.prediction_view import PredictionCheck
from allcourse.scenarios.transplant_timeline import CitedLine, Stage


class DaySlider(anywidget.AnyWidget):
    """A labelled native range input for the transplant day, with a live status line.

    The browser reads the value as "Day +14" (aria-valuetext), not a bare number; arrows
    move one day, Page Up/Down larger steps, Home/End to the ends."""

    _esm = """
    let counter = 0;
    const dayText = (v) => "Day " + (v < 0 ? "\\u2212" + (-v) : (v === 0 ? "0" : "+" + v));
    function render({ model, el }) {
      const id = "allcourse-day-" + (++counter) + "-" + Date.now().toString(36);
      const wrap = document.createElement("div");
      wrap.className = "allcourse-range";
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = model.get("label");
      const input = document.createElement("input");
      input.type = "range";
      input.id = id;
      input.min = model.get("min");
      input.max = model.get("max");
      input.step = 1;
      const out = document.createElement("output");
      out.htmlFor = id;
      out.setAttribute("aria-hidden", "true");
      const show = () => {
        const v = model.get("value");
        input.value = v;
        input.setAttribute("aria-valuetext", dayText(v));
        out.textContent = dayText(v);
      };
      input.addEventListener("input", () => {
        model.set("value", Number(input.value));
        model.save_changes();
        show();
      });
      model.on("change:value", show);
      show();
      const status = document.createElement("p");
      status.className = "allcourse-scenario-status";
      status.setAttribute("role", "status");
      const showStatus = () => { status.textContent = model.get("status"); };
      model.on("change:status", showStatus);
      showStatus();
      wrap.append(label, input, out);
      el.append(wrap, status);
      return () => {
        model.off("change:value", show);
        model.off("change:status", showStatus);
      };
    }
    export default { render };
    """

    value = traitlets.Int(0).tag(sync=True)
    min = traitlets.Int(-7).tag(sync=True)
    max = traitlets.Int(200).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)

    def __repr__(self) -> str:
        return f"DaySlider(label={self.label!r}, value={self.value})"


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
            b = widgets.Button(description=stage.title, layout=widgets.Layout(width="auto"))
            b.add_class("allcourse-preset")
            b.on_click(lambda _b, start=stage.day_from: self.set_day(start))
            self.buttons.append(b)
        controls = widgets.HBox(
            [
                widgets.HTML("<span class='allcourse-presets-label'>Go to a stage:</span>"),
                *self.buttons,
            ]
        )
        controls.add_class("allcourse-presets")
        self.card = widgets.HTML()
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
        self.widget = widgets.VBox(
            [
                illustrative_banner("The timeline"),
                self.prediction,
                self.slider,
                controls,
                self.card,
            ]
        )
        self.widget.add_class("allcourse-scenario")
        self.widget.add_class("allcourse-timeline")
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
