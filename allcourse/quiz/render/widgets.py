"""Small widgets and HTML helpers shared by every item renderer.

Keys stay on the server: nothing here is given a correct flag, a rationale or an
answer. Feedback HTML is built in `feedback.py`, and only inside check callbacks.
"""

from __future__ import annotations

import threading
from functools import cache
from html import escape as _escape
from typing import Any

import anywidget
import ipywidgets as w
import traitlets
from IPython import get_ipython
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from allcourse.course.markup import md, md_inline, plain
from allcourse.quiz.render.controls import control_classes

# CSS classes (styled in assets/voila/templates/allcourse/static/quiz.css).
QUIZ = "allcourse-quiz"
ITEM = "allcourse-item"
SR_LABEL = "allcourse-sr-label"  # the widget's description is read aloud, not shown
WRAP = "allcourse-wrap"  # long descriptions wrap instead of being cut with an ellipsis
INLINE = "allcourse-inline"  # children flow like text (cloze sentences, highlighted notes)
LOCKED = "allcourse-locked"
PLACEHOLDER = "Choose…"


class LiveRegion(anywidget.AnyWidget):
    """A `role="status"` element that stays in the page, so screen readers announce
    each new message (a region created together with its text is often not read).

    `html` is drawn below the region, outside it, so it is not read out as a whole:
    an item card puts its feedback and answer there, so that a check's verdict and its
    feedback reach the page in one message and are drawn in the same frame (the
    browser handles a kernel's messages one after another, and a page of a few
    thousand elements takes about 15 ms a frame). The HTML is built in the kernel from
    escaped or sanitised text (`feedback.py`)."""

    _esm = """
    function render({ model, el }) {
      const region = document.createElement("div");
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      region.className = "allcourse-status";
      const body = document.createElement("div");
      body.className = "allcourse-response";
      let timer = null;
      const show = () => {
        const message = model.get("message");
        clearTimeout(timer);
        if (region.textContent !== message) {
          region.textContent = message;  // new words are announced as they are written
          return;
        }
        // The same message again: clear first, then write after a beat, so it is read twice.
        region.textContent = "";
        timer = setTimeout(() => { region.textContent = message; }, 60);
      };
      const draw = () => { body.innerHTML = model.get("html"); };
      region.textContent = model.get("message");
      draw();
      model.on("change:count", show);
      model.on("change:html", draw);
      // Focus an element of the page by id (see `focus_element`) once the widget box
      // that holds it is wholly drawn: focused earlier, a quick Tab went past the
      // controls not drawn yet (a question's heading took the focus before its "Check
      // answer" button existed). Drawing is not over while the box holds a placeholder:
      // an empty <div class="lm-Widget">, which ipywidgets puts where a child is still
      // being drawn and which an anywidget view is until its module has rendered.
      // Look again each frame; after 5 s, focus what there is.
      const drawing = box => [...box.querySelectorAll(".lm-Widget")].some(
        e => e.classList.length === 1 && !e.firstElementChild);
      let seek = null;
      model.on("msg:custom", msg => {
        if (!msg || msg.do !== "focus" || typeof msg.id !== "string") return;
        cancelAnimationFrame(seek);
        const until = Date.now() + 5000;
        const find = () => {
          const target = document.getElementById(msg.id);
          const box = target && (target.closest(".widget-container") || target);
          if (target && (!drawing(box) || Date.now() >= until)) target.focus();
          else if (Date.now() < until) seek = requestAnimationFrame(find);
        };
        find();
      });
      el.append(region, body);
      return () => { clearTimeout(timer); cancelAnimationFrame(seek); };
    }
    export default { render };
    """
    message = traitlets.Unicode("").tag(sync=True)
    count = traitlets.Int(0).tag(sync=True)
    html = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("layout", layout())  # shared: one Layout model, not one per card
        super().__init__(**kwargs)

    def say(self, message: str) -> None:
        with self.hold_sync():  # one message to the page, not two
            self.message = message
            self.count += 1

    def show(self, html: str, message: str | None = None) -> None:
        """Replace the HTML below the region and, when given, say `message`: one
        message to the page."""
        with self.hold_sync():
            self.html = html
            if message is not None:
                self.say(message)

    def clear(self) -> None:
        self.say("")

    def focus_element(self, element_id: str) -> None:
        """Move the keyboard focus to the page element with this id (e.g. a question's
        heading with `tabindex="-1"`), once the page has drawn it and every widget of
        the box that holds it (the question's controls and buttons)."""
        self.send({"do": "focus", "id": element_id})


# An element id unique in the page, for a `<label for>`. anywidget may load a widget's
# module once per model, so a counter kept in the module restarts at 1 for each: two
# widgets drawn in the same millisecond then shared an id, and one control was named by
# both labels. The counter lives on the page instead. Prepend to an `_esm`.
UNIQUE_ID_JS = """
const uniqueId = (prefix) =>
  prefix + "-" + (globalThis.allcourseIds = (globalThis.allcourseIds || 0) + 1);
"""


# Shared layouts and styles: each widget otherwise gets its own Layout and Style
# model, and every model is a message to the browser when the page loads.
@cache
def layout(**kwargs: str) -> w.Layout:
    return w.Layout(**kwargs)


@cache
def description_style(width: str = "initial") -> DescriptionStyle:
    return DescriptionStyle(description_width=width)


@cache
def checkbox_style() -> CheckboxStyle:
    return CheckboxStyle(description_width="initial")


@cache
def html_style() -> HTMLStyle:
    return HTMLStyle()


@cache
def button_style() -> ButtonStyle:
    return ButtonStyle()


@cache
def text_style() -> TextStyle:
    return TextStyle(description_width="initial")


# Classes are given at construction (`_dom_classes=`): each `add_class` afterwards is one
# more message per widget for the kernel and the server to send while the page loads.
def html(value: str, *classes: str) -> w.HTML:
    return w.HTML(value, layout=layout(), style=html_style(), _dom_classes=classes)


def box(children: list[w.Widget], *classes: str, vertical: bool = True) -> w.Box:
    return (w.VBox if vertical else w.HBox)(children, layout=layout(), _dom_classes=classes)


def dropdown(
    choices: list[tuple[str, str]], description: str, *, hidden_label: bool = False, wide=False
) -> w.Dropdown:
    """A drop-down whose first entry asks for a choice. `choices` are (label, value);
    values stay in the kernel (only labels and the selected index reach the browser)."""
    dd = w.Dropdown(
        options=[(PLACEHOLDER, "")] + choices,
        value="",
        description=description,
        style=description_style("initial" if hidden_label or not wide else "45%"),
        layout=layout(width="auto") if not wide else layout(width="100%", max_width="48em"),
        _dom_classes=(SR_LABEL if hidden_label else WRAP, *control_classes()),
    )
    return dd


def set_dropdown_choices(dd: w.Dropdown, choices: list[tuple[str, str]]) -> None:
    """Reorder a drop-down's choices and keep what the student picked."""
    value = dd.value
    dd.options = [(PLACEHOLDER, "")] + choices
    dd.value = value


def checkbox(description: str, *classes: str, hidden_label: bool = False) -> w.Checkbox:
    return w.Checkbox(
        value=False,
        description=description,
        indent=False,
        style=checkbox_style(),
        layout=layout(),
        _dom_classes=(SR_LABEL if hidden_label else WRAP, *classes, *control_classes()),
    )


def button(
    description: str, *classes: str, primary: bool = False, disabled: bool = False
) -> w.Button:
    return w.Button(
        description=description,
        button_style="primary" if primary else "",
        disabled=disabled,
        layout=layout(width="auto"),
        style=button_style(),
        _dom_classes=classes,
    )


def label_text(text: str | None, fmt: str = "markdown") -> str:
    """Content text as a widget label (labels are plain text, not HTML); `fmt` is the
    item's `text_format`."""
    return plain(text, fmt)


def inline_html(text: str | None, fmt: str = "markdown") -> str:
    """Content text as sanitised HTML without a wrapping paragraph."""
    return md_inline(text, fmt)


def block_html(text: str | None, fmt: str = "markdown") -> str:
    """Content text as sanitised HTML (`allcourse.course.markup.to_html`)."""
    return md(text, fmt)


def esc(text: str) -> str:
    return _escape(text, quote=True)


def send_now(timeout_s: float = 0.05) -> None:
    """Send the messages this kernel has queued for the page so far before going on.

    A kernel hands its messages to its IOPub thread, which needs the GIL to send them. A
    handler that goes on working after its verdict keeps the GIL, so the verdict waited
    for the rest of the handler's work: 2-3 ms on a first check, measured by timing the
    kernel's sends against the page's click. Waiting here, as ipykernel's own stream
    flush does, lets that thread send at once (at most `timeout_s` seconds): a first
    check's round trip went from 1.21-1.38x to 1.08-1.15x of the one-button page's, side
    by side. Outside a kernel (tests, scripts) it does nothing."""
    iopub = getattr(getattr(get_ipython(), "kernel", None), "iopub_thread", None)
    if iopub is None or not iopub.thread.is_alive():
        return
    sent = threading.Event()
    iopub.schedule(sent.set)
    sent.wait(timeout_s)
