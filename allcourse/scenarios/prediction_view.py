"""Choose-then-check controls for the transplant scenario views.

`ChoiceCheck` is one widget holding a labelled native drop-down and its check button. The
button's message carries the option the student sees selected, so the kernel grades that
option even when the drop-down's own state update is still queued in the browser:
ipywidgets throttles state updates while earlier ones are unanswered, but a button's click
goes out at once, so a drop-down and a separate button can reach the kernel out of order
on a busy server (the student would be graded on an older choice).

Only the option labels reach the browser; the values they stand for stay in the kernel.

`PredictionCheck` is a "predict first, then check" box built on it: the key and the
explanation are plain Python attributes, so the "Check your prediction" text reaches the
browser only after the student has predicted and pressed the button. `prediction_check`
builds one from a `prediction.Prediction` (the question as data, modules 01 and 02).
"""

from __future__ import annotations

from collections.abc import Callable

import anywidget
import ipywidgets as widgets
import traitlets

from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios.feedback import mark, verdict_html
from allcourse.scenarios.prediction import Prediction


class ChoiceCheck(anywidget.AnyWidget):
    """A labelled drop-down and a button; `on_check(value)` runs when the button is pressed.

    `value` (a Python property, not synced) is the value of the selected option, "" when
    nothing is chosen; setting it selects that option."""

    _esm = (
        ui.UNIQUE_ID_JS
        + """
    function render({ model, el }) {
      const id = uniqueId("allcourse-choice");
      const wrap = document.createElement("div");
      wrap.className = "allcourse-choice-check";
      Object.assign(wrap.style, {
        display: "flex", flexWrap: "wrap", alignItems: "center", gap: "0.4em 0.8em",
      });
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = model.get("label");
      const select = document.createElement("select");
      select.id = id;
      select.className = "allcourse-choice-select";
      select.style.maxWidth = "100%";
      const fill = () => {
        select.replaceChildren();
        const none = document.createElement("option");
        none.value = "-1";
        none.textContent = model.get("placeholder");
        select.append(none);
        model.get("options").forEach((text, i) => {
          const o = document.createElement("option");
          o.value = String(i);
          o.textContent = text;
          select.append(o);
        });
        select.value = String(model.get("index"));
      };
      const button = document.createElement("button");
      button.type = "button";
      button.className = "jupyter-button widget-button allcourse-choice-button";
      button.textContent = model.get("button");
      // ipywidgets' button class has a fixed width and cuts long labels: let it grow.
      Object.assign(button.style, {
        width: "auto", maxWidth: "100%", height: "auto", minHeight: "28px",
        whiteSpace: "normal", padding: "0.2em 0.8em",
      });
      select.addEventListener("change", () => {
        model.set("index", Number(select.value));
        model.save_changes();
      });
      // The click carries the shown choice: it may overtake a queued state update.
      button.addEventListener("click", () => {
        model.send({ event: "check", index: Number(select.value) });
      });
      const sync = () => {
        select.value = String(model.get("index"));
        select.disabled = model.get("disabled");
        button.disabled = model.get("disabled");
      };
      const focus = () => select.focus();
      model.on("change:options", fill);
      model.on("change:index", sync);
      model.on("change:disabled", sync);
      model.on("change:focus_count", focus);
      fill();
      sync();
      wrap.append(label, select, button);
      el.append(wrap);
      return () => {
        model.off("change:options", fill);
        model.off("change:index", sync);
        model.off("change:disabled", sync);
        model.off("change:focus_count", focus);
      };
    }
    export default { render };
    """
    )

    label = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode(ui.PLACEHOLDER).tag(sync=True)
    options = traitlets.List(traitlets.Unicode()).tag(sync=True)  # labels only
    index = traitlets.Int(-1).tag(sync=True)  # -1: nothing chosen
    button = traitlets.Unicode("Check").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    focus_count = traitlets.Int(0).tag(sync=True)

    def __init__(
        self,
        label: str,
        choices: list[tuple[str, str]],
        button: str,
        on_check: Callable[[str], object],
    ) -> None:
        # Choices given when made (not set afterwards): one message fewer per control.
        super().__init__(
            label=label,
            button=button,
            options=[text for text, _value in choices],
            layout=ui.layout(),  # shared: one Layout model, not one each
        )
        self._values: list[str] = [value for _text, value in choices]
        self._on_check = on_check
        self.on_msg(self._message)

    def __repr__(self) -> str:
        return f"ChoiceCheck(label={self.label!r}, {len(self.options)} options)"

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        """New (label, value) choices; nothing is selected afterwards."""
        self.index = -1
        self._values = [value for _label, value in choices]
        self.options = [label for label, _value in choices]

    @property
    def value(self) -> str:
        return self._values[self.index] if 0 <= self.index < len(self._values) else ""

    @value.setter
    def value(self, value: str) -> None:
        self.index = self._values.index(value) if value else -1

    def focus(self) -> None:
        self.focus_count += 1

    def check(self) -> object:
        """Press the button from the kernel side (tests, and the browser's message)."""
        return self._on_check(self.value)

    def _message(self, _widget: object, content: dict, _buffers: object) -> None:
        if not isinstance(content, dict) or content.get("event") != "check":
            return
        index = content.get("index")
        if isinstance(index, int) and not isinstance(index, bool):
            # A forged index outside the options selects nothing: the view asks for a choice.
            self.index = index if -1 <= index < len(self._values) else -1
        self.check()


class PredictionCheck(widgets.VBox):
    """One prediction question. `reveal` builds the explanation HTML when checked."""

    def __init__(
        self,
        question: str,
        choices: list[tuple[str, str]],
        key: str,
        reveal: Callable[[], str],
    ) -> None:
        if key not in {value for _label, value in choices}:
            raise ValueError(f"the key {key!r} is not one of the choices")
        self._key = key  # kept in the kernel: not a trait, never synced
        self._labels = {value: label for label, value in choices}
        self._reveal = reveal
        self.question = ui.html(
            "<p class='allcourse-prediction-question'><strong>Predict first.</strong> "
            f"{ui.esc(question)}</p>"
        )
        self.choice = ChoiceCheck(
            "Your prediction", choices, "Check my prediction", lambda _v: self.check_prediction()
        )
        self.status = ui.LiveRegion()
        self.feedback = ui.html("")
        super().__init__(
            [self.question, self.choice, self.status, self.feedback],
            layout=ui.layout(),
            _dom_classes=("allcourse-prediction",),
        )

    def __repr__(self) -> str:
        return "<Prediction check>"

    def check_prediction(self) -> bool | None:
        """Reveal the explanation; without a prediction, ask for one and reveal nothing."""
        picked = self.choice.value
        if not picked:
            self.status.say("Choose your prediction first, then check it.")
            return None
        ok = picked == self._key
        verdict = verdict_html(
            *mark(ok),
            f"{'Your prediction was right' if ok else 'Not quite'}: you predicted "
            f"“{ui.esc(self._labels[picked])}”.",
        )
        self.feedback.value = (
            "<section class='allcourse-feedback allcourse-prediction-feedback' "
            "aria-label='Check your prediction'><h4>Check your prediction</h4>"
            f"{verdict}{self._reveal()}</section>"
        )
        self.status.say(
            ("Your prediction was right." if ok else "Not quite.") + " The explanation follows."
        )
        return ok


def explanation_html(p: Prediction) -> str:
    """The explanation of a `Prediction`, with its citations, then why each other choice is
    wrong: the HTML that `PredictionCheck` reveals after the check."""
    paragraphs = "".join(
        f"<p>{ui.esc(x.text)}{citation_links(x.sources)}</p>" for x in p.explanation
    )
    reasons = "".join(
        f"<li data-choice='{ui.esc(w.value)}'><strong>{ui.esc(p.label(w.value))}</strong>: "
        f"{ui.esc(w.text)}{citation_links(w.sources)}</li>"
        for w in p.why_not
    )
    return (
        f"{paragraphs}<p class='allcourse-why-not-title'>Why not the other choices</p>"
        f"<ul class='allcourse-why-not'>{reasons}</ul>"
    )


def prediction_check(p: Prediction) -> PredictionCheck:
    """A `PredictionCheck` for a `Prediction`: only the question and the choice labels reach
    the browser before the student checks."""
    return PredictionCheck(p.question, list(p.choices), p.key, lambda: explanation_html(p))
