"""Two controls that make the grade match the screen.

ipywidgets sends a control's change to the kernel at once, but while an earlier change
of the same control is still being processed it holds the new one back, while a button
click goes out straight away. A student who changes an answer and presses "Check" at
once could be graded on the answer before the change. So:

- `CheckButton` ("Check answer", "Submit") carries, with its click, what every control
  of its item card shows at that moment (a snapshot read from the page). The card puts
  those values into its controls before grading: the value graded is the value shown.
- `OrderList` (ordering items) does its swaps in the browser, so the screen always
  shows a whole order (one step per position), never a half-made swap waiting for the
  kernel.

The snapshot holds only what the student can see and set anyway (an option's index, a
tick, typed text); nothing here carries a key, a correct flag or a rationale.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

CONTROL = "allcourse-ctl"  # marks a control whose shown value the snapshot reads
_keys = itertools.count()


def control_classes() -> tuple[str, str]:
    """The classes that mark a new control for the snapshot: pass them when the control is
    made (`_dom_classes=`), so marking it costs no extra message while the page loads."""
    return CONTROL, f"{CONTROL}-{next(_keys)}"


_CHECK_ESM = """
const CONTROL = "allcourse-ctl";

function snapshot(card) {
  // What each control of the card shows now, keyed by its allcourse-ctl-<n> class.
  const out = {};
  if (!card) return out;
  for (const el of card.querySelectorAll("." + CONTROL)) {
    const key = [...el.classList].find(c => c.startsWith(CONTROL + "-"));
    if (!key) continue;
    const id = key.slice(CONTROL.length + 1);
    const selects = el.querySelectorAll("select");
    const radios = el.querySelectorAll("input[type=radio]");
    const box = el.querySelector("input[type=checkbox]");
    const text = el.querySelector("input[type=text], textarea");
    if (el.dataset.kind === "order") {
      out[id] = { order: [...selects].map(s => s.selectedIndex) };
    } else if (selects.length === 1) {
      const s = selects[0];
      const option = s.options[s.selectedIndex];
      out[id] = { index: s.selectedIndex, label: option ? option.textContent : null };
    } else if (radios.length) {
      const i = [...radios].findIndex(r => r.checked);
      const label = i >= 0 ? radios[i].closest("label") : null;
      out[id] = { index: i, label: label ? label.textContent : null };
    } else if (box) {
      out[id] = { checked: box.checked };
    } else if (text) {
      out[id] = { text: text.value };
    }
  }
  return out;
}

function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "jupyter-widgets jupyter-button widget-button";
  const draw = () => {
    button.textContent = model.get("description");
    button.disabled = model.get("disabled");
    button.classList.toggle("mod-primary", model.get("primary"));
  };
  draw();
  model.on("change:description", draw);
  model.on("change:disabled", draw);
  button.addEventListener("click", () => {
    if (button.disabled) return;
    model.send({ event: "click", snapshot: snapshot(el.closest(".allcourse-item")) });
  });
  model.on("msg:custom", msg => { if (msg && msg.do === "focus") button.focus(); });
  el.appendChild(button);
}
export default { render };
"""


class CheckButton(anywidget.AnyWidget):
    """A button whose click brings the card's shown answer with it (see module doc)."""

    _esm = _CHECK_ESM
    description = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    primary = traitlets.Bool(True).tag(sync=True)

    def __init__(self, description: str, **kwargs: Any):
        super().__init__(description=description, **kwargs)
        self._handlers: list[Callable[[dict[str, Any]], None]] = []
        self.on_msg(self._on_message)

    def on_click(self, handler: Callable[[dict[str, Any]], None]) -> None:
        """`handler(snapshot)` on each click (snapshot: control key -> shown value)."""
        self._handlers.append(handler)

    def click(self, snapshot: dict[str, Any] | None = None) -> None:
        """Press the button from Python (tests, notebooks): no snapshot, kernel values."""
        for handler in list(self._handlers):
            handler(snapshot or {})

    def focus(self) -> None:
        self.send({"do": "focus"})

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "click" and not self.disabled:
            snap = content.get("snapshot")
            self.click(snap if isinstance(snap, dict) else {})


_ORDER_ESM = """
function render({ model, el }) {
  el.dataset.kind = "order";
  const box = document.createElement("div");
  box.className = "allcourse-order-list";
  const selects = [];
  const uid = "ord-" + Math.random().toString(36).slice(2);
  const labels = model.get("labels");
  model.get("positions").forEach((name, i) => {
    const row = document.createElement("div");
    row.className = "allcourse-order-row";
    const label = document.createElement("label");
    label.htmlFor = `${uid}-${i}`;
    label.textContent = name;
    const select = document.createElement("select");
    select.id = `${uid}-${i}`;
    labels.forEach((text, j) => {
      const option = document.createElement("option");
      option.value = String(j);
      option.textContent = text;
      select.appendChild(option);
    });
    // The order when this position was entered: arrow keys step through the choices
    // one by one, and each step is a swap from this order, so passing over a step on
    // the way to another leaves the other positions as they were.
    let base = null;
    select.addEventListener("focus", () => { base = [...model.get("order")]; });
    select.addEventListener("blur", () => { base = null; });
    select.addEventListener("change", () => {
      // Swap here, at once: the page never shows the same step in two positions.
      const order = [...(base || model.get("order"))];
      const picked = select.selectedIndex;
      const from = order.indexOf(picked);
      if (from >= 0 && from !== i) order[from] = order[i];
      order[i] = picked;
      model.set("order", order);
      model.set("touched", true);
      model.save_changes();
      draw();
    });
    row.append(label, select);
    box.appendChild(row);
    selects.push(select);
  });
  const draw = () => {
    const order = model.get("order");
    selects.forEach((s, i) => {
      if (s.selectedIndex !== order[i]) s.selectedIndex = order[i];
      s.disabled = model.get("disabled");
    });
  };
  draw();
  model.on("change:order", draw);
  model.on("change:disabled", draw);
  model.on("msg:custom", msg => {
    if (msg && msg.do === "focus" && selects[0]) selects[0].focus();
  });
  el.appendChild(box);
}
export default { render };
"""


class OrderList(anywidget.AnyWidget):
    """Positions, each a labelled drop-down of every step; picking a step for a position
    swaps it with the step that was there (in the browser). `order[i]` is the index in
    `labels` of the step at position i; `touched` turns true on the student's first move."""

    _esm = _ORDER_ESM
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    positions = traitlets.List(traitlets.Unicode()).tag(sync=True)
    order = traitlets.List(traitlets.Int()).tag(sync=True)
    touched = traitlets.Bool(False).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    @traitlets.validate("order")
    def _whole_order(self, proposal: Any) -> list[int]:
        order = list(proposal["value"])
        if self.labels and sorted(order) != list(range(len(self.labels))):
            raise traitlets.TraitError("an order names each step once")
        return order

    def focus(self) -> None:
        self.send({"do": "focus"})


def apply_snapshot(controls: dict[str, w.Widget], snapshot: dict[str, Any]) -> None:
    """Put into each control the value the page showed (see module doc). Anything that
    does not fit its control is ignored: the student can send any message."""
    for key, shown in snapshot.items():
        control = controls.get(str(key))
        if control is None or not isinstance(shown, dict):
            continue
        try:
            _apply(control, shown)
        except (traitlets.TraitError, TypeError, ValueError, IndexError):
            continue


def _apply(control: w.Widget, shown: dict[str, Any]) -> None:
    if isinstance(control, OrderList):
        order = shown.get("order")
        if isinstance(order, list) and order != control.order:
            control.order = [int(i) for i in order]
            control.touched = True
    elif isinstance(control, w.Dropdown | w.RadioButtons):
        index = shown.get("index")
        label = shown.get("label")
        labels = list(control._options_labels)
        if isinstance(label, str) and labels.count(label.strip()) == 1:
            # The label names the option even if the options were reordered on the way.
            index = labels.index(label.strip())
        if isinstance(index, int) and not isinstance(index, bool):
            if 0 <= index < len(control.options):
                if control.index != index:
                    control.index = index
            elif index == -1 and isinstance(control, w.RadioButtons):
                control.index = None
    elif isinstance(control, w.Checkbox):
        checked = shown.get("checked")
        if isinstance(checked, bool) and control.value != checked:
            control.value = checked
    elif isinstance(control, w.Text | w.Textarea):
        text = shown.get("text")
        if isinstance(text, str) and control.value != text:
            control.value = text[:500]


def mark_controls(controls: list[w.Widget]) -> dict[str, w.Widget]:
    """Key -> control, the key being what the snapshot reports the control's value under
    (its `allcourse-ctl-<key>` class); a control made without `control_classes()` gets
    its classes now."""
    out = {}
    prefix = f"{CONTROL}-"
    for control in controls:
        key = next((c[len(prefix) :] for c in control._dom_classes if c.startswith(prefix)), None)
        if key is None:
            classes = control_classes()
            control._dom_classes = (*control._dom_classes, *classes)
            key = classes[1][len(prefix) :]
        out[key] = control
    return out
