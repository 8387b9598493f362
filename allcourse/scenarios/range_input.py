"""A labelled native range input for scenario views, with an optional live status line.

ipywidgets' own slider gives its handle no accessible name; a native `<input type="range">`
with a `<label>` has one, and keeps the browser's keyboard steps (arrows: one step, Page
Up/Down: bigger steps, Home/End: the ends). The status line is a live region that stays in
the page, so screen readers announce each new `status`.

The value is shown and spoken as `prefix`, the number (with a sign and a true minus when
`signed`: "Day −7", "Day 0", "Day +14"), " of `max`" when `of_max`, then `unit` (shown) or
`unit_text` (spoken: "40%" is read "40 percent"). A view that knows more than the number
(the phase of a week) writes `valuetext`, which the browser then speaks instead.
"""

from __future__ import annotations

import anywidget
import traitlets

from allcourse.quiz.render import widgets as ui


class RangeInput(anywidget.AnyWidget):
    """A labelled native range input; subclass it to set the defaults of one scenario."""

    _esm = (
        ui.UNIQUE_ID_JS
        + """
    const NAMES = ["value", "min", "max", "step", "valuetext"];
    function number(v, signed) {
      if (!signed) return String(v);
      return v < 0 ? "\\u2212" + (-v) : (v === 0 ? "0" : "+" + v);
    }
    function render({ model, el }) {
      const id = uniqueId("allcourse-range");
      const wrap = document.createElement("div");
      wrap.className = ("allcourse-range " + model.get("extra_class")).trim();
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = model.get("label");
      const input = document.createElement("input");
      input.type = "range";
      input.id = id;
      const out = document.createElement("output");
      out.htmlFor = id;
      out.setAttribute("aria-hidden", "true");
      const show = () => {
        const v = model.get("value");
        input.min = model.get("min");
        input.max = model.get("max");
        input.step = model.get("step");
        input.value = v;
        const text = model.get("prefix") + number(v, model.get("signed"))
          + (model.get("of_max") ? " of " + model.get("max") : "");
        const spoken = model.get("valuetext") || text + model.get("unit_text");
        input.setAttribute("aria-valuetext", spoken);
        out.textContent = text + model.get("unit");
      };
      input.addEventListener("input", () => {
        model.set("value", Number(input.value));
        model.save_changes();
        show();
      });
      NAMES.forEach((name) => model.on("change:" + name, show));
      show();
      wrap.append(label, input, out);
      el.append(wrap);
      const status = document.createElement("p");
      const showStatus = () => { status.textContent = model.get("status"); };
      if (model.get("has_status")) {
        status.className = "allcourse-scenario-status";
        status.setAttribute("role", "status");
        model.on("change:status", showStatus);
        showStatus();
        el.append(status);
      }
      return () => {
        NAMES.forEach((name) => model.off("change:" + name, show));
        model.off("change:status", showStatus);
      };
    }
    export default { render };
    """
    )

    value = traitlets.Int(0).tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(100).tag(sync=True)
    step = traitlets.Int(1).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    prefix = traitlets.Unicode("").tag(sync=True)  # "Day ": said before the number
    signed = traitlets.Bool(False).tag(sync=True)  # "+14", "0", "−7"
    of_max = traitlets.Bool(False).tag(sync=True)  # "Week 3 of 40"
    unit = traitlets.Unicode("").tag(sync=True)  # shown after the number: "%"
    unit_text = traitlets.Unicode("").tag(sync=True)  # spoken after it: " percent"
    valuetext = traitlets.Unicode("").tag(sync=True)  # the view's words, spoken instead
    status = traitlets.Unicode("").tag(sync=True)
    has_status = traitlets.Bool(False).tag(sync=True)  # one live region per scenario
    extra_class = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("layout", ui.layout())  # shared: one Layout model, not one each
        super().__init__(**kwargs)

    def __repr__(self) -> str:
        # Stable text (no memory address): stored notebook outputs include widget reprs.
        return f"{type(self).__name__}(label={self.label!r}, value={self.value})"
