"""The browser side of the progress store: one anywidget that bridges localStorage.

Every Voila page is a fresh kernel, so progress lives in the browser. When the widget
renders, its script (storage_widget.js) sends the saved text and the student's shuffle
seed; from then on the kernel sends the whole record back whenever it changes. Messages
are used rather than a synced trait because a message arrives even when its value is
the same as the last one.

Nothing is written before the saved data has arrived, so a page can never overwrite
progress it has not read. Data that cannot be read is kept under another key, never
deleted, and the student is told in plain words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets
from IPython.display import display

from allcourse.app.progress import STORAGE_KEY, ProgressStore, store
from allcourse.quiz import events

SEED_KEY = "allcourse-seed"

_CSS = """
.allcourse-storage-notice {
  margin: 0.5em 0;
  padding: 0.5em 0.75em;
  border: 2px solid var(--jp-warn-color1, #f57c00);
  border-radius: 4px;
  background: var(--jp-layout-color1, transparent);
  color: var(--jp-ui-font-color1, inherit);
}
.allcourse-storage-notice::before { content: "⚠ "; }
"""


class BrowserStorage(anywidget.AnyWidget):
    """Invisible unless it has something to tell the student (`notice`)."""

    _esm = Path(__file__).with_name("storage_widget.js")
    _css = _CSS
    key = traitlets.Unicode(STORAGE_KEY).tag(sync=True)
    seed_key = traitlets.Unicode(SEED_KEY).tag(sync=True)
    seed_cookie = traitlets.Unicode(events.SEED_COOKIE).tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)

    def __init__(self, store: ProgressStore, **kwargs: Any):
        super().__init__(**kwargs)
        self.store = store
        self.available = True  # the browser lets us use localStorage
        self._saved: str | None = None  # the text the browser holds, as far as we know
        self._holding = False  # waiting for damaged data to be copied aside before writing
        self._notes: list[str] = []
        self.on_msg(self._on_message)
        store.on_change(self._write)

    def __repr__(self) -> str:
        return "<Course progress storage>"

    # --- from the browser ---------------------------------------------------------------
    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "loaded":
            self._loaded(content)
        elif kind == "ping":
            self.send({"type": "pong", "n": content.get("n")})
        elif kind == "external":
            value = content.get("value")
            self._saved = value if isinstance(value, str) else None
            if self._saved is None and self.store.progress.items:
                # Another tab (or the browser's "clear site data") removed the saved record;
                # this page still holds it, so it is written back rather than lost.
                self._say(
                    "Your saved answers were cleared in another tab or window. This page "
                    "still had them and has saved them again; download your results from "
                    "the Start here page to keep a copy."
                )
                self._write(self.store)
            else:
                self.store.merge_external(self._saved)
        elif kind == "set_aside_done" and content.get("slot") == "damaged":
            self._holding = False
            self._write(self.store)
            self._say(
                f"The unreadable data is kept in this browser under the name "
                f"“{content.get('key')}” (your instructor can help recover it), and a fresh "
                "record has been started."
            )
        elif kind == "set_aside_failed" and content.get("slot") == "damaged":
            self._say(
                "The unreadable data could not be copied aside, so it has been left where it "
                "is and nothing new will be saved over it on this page. Download your results "
                "before leaving."
            )
            self.available = False
        elif kind == "write_failed":
            self._say(
                "Your browser did not let the course save your latest answers (its storage "
                "may be full or blocked). Download your results from the Start here page to "
                "keep them."
            )

    def _loaded(self, content: dict[str, Any]) -> None:
        seed = content.get("seed")
        if isinstance(seed, int) and not isinstance(seed, bool) and seed > 0:
            events.set_seed(seed)
        self.available = bool(content.get("available", True))
        saved = content.get("saved")
        saved = saved if isinstance(saved, str) else None
        if not self.available:
            self._say(
                "This browser does not let the course save your progress (its storage is "
                "blocked, for example in a private window). Answers on this page still count "
                "until you leave it; download your results from the Start here page to keep them."
            )
        self._saved = saved
        result = self.store.load_saved(saved)
        if result.set_aside and saved is not None:
            # Keep the original text; nothing is written over it until it is safe.
            self._holding = True
            self.send({"type": "set_aside", "value": saved, "slot": "damaged"})
        for message in result.messages:
            self._say(message)
        self._write(self.store)

    # --- to the browser -----------------------------------------------------------------
    def _say(self, message: str) -> None:
        self._notes.append(message)
        self.notice = " ".join(self._notes)

    def _write(self, store: ProgressStore) -> None:
        if not store.loaded or not self.available or self._holding:
            return  # never overwrite saved progress that has not been read or kept aside
        text = store.text()
        if text != self._saved:
            self._saved = text
            self.send({"type": "write", "value": text})

    def keep_aside(self, text: str, slot: str) -> None:
        """Keep a copy of `text` in the browser under `<key>.<slot>` (e.g. before a reset)."""
        self.send({"type": "set_aside", "value": text, "slot": slot})

    def download(self, filename: str, content: str, mime: str) -> None:
        """Save `content` as a file on the student's computer (made in the browser)."""
        self.send({"type": "download", "filename": filename, "mime": mime, "content": content})


_widget: BrowserStorage | None = None


def ensure_widget(store: ProgressStore) -> BrowserStorage:
    """Display the storage widget the first time a page asks for it (once per kernel)."""
    global _widget
    if _widget is None:
        _widget = BrowserStorage(store)
        display(_widget)
    return _widget


def storage_widget() -> BrowserStorage | None:
    """The widget shown on this page, if any (downloads and resets go through it)."""
    return _widget


def ensure_storage() -> ProgressStore:
    """Show the browser-storage widget once per kernel (it is invisible unless it has
    something to tell the student) and return the store. Pages call this on load."""
    ensure_widget(store())
    return store()
