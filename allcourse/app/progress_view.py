"""The home page's progress panel: progress per module, reset (with a confirmation),
download of results (JSON, CSV) and loading results back in.

The data arrives from the browser after the page renders, so the table redraws
whenever the store changes. Downloads are made in the browser by the storage widget.
"""

from __future__ import annotations

from datetime import UTC, datetime

import ipywidgets as w

from allcourse.app import results_io
from allcourse.app.progress import ModuleProgress, ProgressStore, dumps
from allcourse.app.storage_widget import ensure_storage, storage_widget
from allcourse.quiz.render import widgets as ui
from allcourse.quiz.render.feedback import points

PANEL = "allcourse-progress-panel"
STATUS = {
    # (icon, words): the words carry the meaning; the icon is decoration.
    "done": ("✔", "Complete"),
    "started": ("◐", "In progress"),
    "new": ("○", "Not started"),
    "none": ("–", "No self-check yet"),
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _status(row: ModuleProgress) -> str:
    if row.completed:
        return "done"
    if not row.has_items:
        return "none"
    return "started" if row.answered else "new"


def progress_table(rows: list[ModuleProgress], previews: frozenset[str] = frozenset()) -> str:
    """Each module: questions answered, points (latest answers), and its status. Modules
    in `previews` (the tour of question types) are shown but not counted in the total;
    the home page itself (the first module, without questions) has no row."""
    body = []
    for i, r in enumerate(rows):
        if i == 0 and not r.has_items:
            continue
        preview = r.module_id in previews
        icon, words = ("◇", "Preview, not counted") if preview else STATUS[_status(r)]
        if r.has_items:
            answered = f"{r.answered} of {r.total}"
            score = f"{points(r.points)} of {points(r.max_points)}"
        else:
            answered = score = "–"
        body.append(
            f'<tr data-module="{ui.esc(r.module_id)}" data-status="{_status(r)}">'
            f'<th scope="row"><a href="{ui.esc(r.notebook)}">{ui.esc(r.label)}</a></th>'
            f"<td>{answered}</td><td>{score}</td>"
            f'<td><span aria-hidden="true">{icon}</span> {words}</td></tr>'
        )
    counted = [r for r in rows if r.module_id not in previews]
    answered = sum(r.answered for r in counted)
    total = sum(r.total for r in counted)
    return (
        f'<p class="allcourse-progress-total">You have answered {answered} of {total} '
        "self-check questions.</p>"
        '<table class="allcourse-table allcourse-progress-table">'
        "<caption>Your progress by module</caption>"
        '<thead><tr><th scope="col">Module</th><th scope="col">Questions answered</th>'
        '<th scope="col">Points (latest answers)</th><th scope="col">Status</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _previews(store: ProgressStore) -> frozenset[str]:
    return frozenset(m.module.id for m in store.catalogue.modules if m.module.preview)


def continue_html(store: ProgressStore) -> str:
    """Where the student stopped: the module of the latest answer (or, if that module is
    complete, the next one not complete), as a link. Empty before any answer."""
    progress, cat = store.progress, store.catalogue
    previews = _previews(store)
    answered = [
        rec
        for rec in progress.items.values()
        if (m := cat.module_of_bank(rec.bank)) is not None and m.id not in previews
    ]
    if not answered:
        return ""
    rec = max(answered, key=lambda r: r.last.when)
    module = cat.module_of_bank(rec.bank)
    if module is None:
        return ""
    rows = store.modules()
    by_id = {r.module_id: r for r in rows}
    row = by_id.get(module.id)
    note = "you answered a question there last"
    if row is not None and row.completed:
        later = [r for r in rows[rows.index(row) + 1 :] if not r.completed]
        if later:
            nxt = later[0]
            return (
                '<p class="allcourse-continue"><strong>Continue where you left off:</strong> '
                f'<a href="{ui.esc(nxt.notebook)}">{ui.esc(nxt.label)}</a> '
                f"(you finished {ui.esc(row.label)}).</p>"
            )
    where = f"{row.answered} of {row.total} answered" if row is not None and row.total else ""
    return (
        '<p class="allcourse-continue"><strong>Continue where you left off:</strong> '
        f'<a href="{ui.esc(module.notebook)}#self-check">{ui.esc(module.label)}</a> '
        f"({note}{'; ' + where if where else ''}).</p>"
    )


class ProgressPanel(w.VBox):
    """Progress table, reset, download and load, for the student's own record."""

    def __init__(self, store: ProgressStore):
        self.store = store
        self.resume = ui.html(continue_html(store))
        self.table = ui.html(progress_table(store.modules(), _previews(store)))

        # --- reset, with a confirmation step -------------------------------------------
        self.reset_button = ui.button("Reset my progress")
        self.reset_button.on_click(lambda _: self.ask_reset())
        self.confirm_yes = w.Button(
            description="Yes, delete my progress",
            button_style="danger",
            layout=ui.layout(width="auto"),
            style=ui.button_style(),
        )
        self.confirm_yes.on_click(lambda _: self.reset())
        self.confirm_no = ui.button("No, keep my progress")
        self.confirm_no.on_click(lambda _: self.cancel_reset())
        self.confirm = ui.box(
            [
                ui.html(
                    '<p class="allcourse-confirm"><strong>Delete all your saved answers in this '
                    "browser?</strong> Your progress, scores and review schedule start again "
                    "from nothing. To keep a copy, download your results first.</p>"
                ),
                ui.box([self.confirm_yes, self.confirm_no], "allcourse-buttons", vertical=False),
            ],
            "allcourse-confirm-box",
        )
        self.reset_area = ui.box([self.reset_button], "allcourse-buttons", vertical=False)

        # --- download ----------------------------------------------------------------------
        self.name = w.Text(
            value=store.progress.student,
            description="Your name or student ID (goes into the file)",
            placeholder="e.g. Alex Kim or s1234567",
            style=ui.text_style(),
            layout=ui.layout(width="auto"),
        )
        self.download_json = ui.button("Download my results (JSON)", primary=True)
        self.download_json.on_click(lambda _: self.download("json"))
        self.download_csv = ui.button("Download my results (CSV)")
        self.download_csv.on_click(lambda _: self.download("csv"))
        # The confirmation (or what is missing) appears next to the buttons.
        self.download_status = ui.LiveRegion(_dom_classes=("allcourse-download-status",))

        # --- load --------------------------------------------------------------------------
        self.upload = w.FileUpload(
            accept=".json,.csv",
            multiple=False,
            description="Load results",
            layout=ui.layout(width="auto"),
            style=ui.button_style(),
        )
        self.upload.observe(self._on_upload, names="value")

        # Reset and load messages.
        self.status = ui.LiveRegion(_dom_classes=("allcourse-panel-status",))
        super().__init__(
            [
                self.resume,
                self.table,
                ui.html("<h3>Keep or move your results</h3>"),
                ui.html(
                    "<p>Your answers are saved in this browser on this computer only. Download "
                    "them to keep a copy, to hand them in, or to carry on in another browser: "
                    "there, use <em>Load results</em>. Loading adds to what is already saved; "
                    "where both have the same question, the newest answer counts.</p>"
                ),
                self.name,
                ui.box(
                    [self.download_json, self.download_csv], "allcourse-buttons", vertical=False
                ),
                self.download_status,
                ui.box([self.upload], "allcourse-buttons", vertical=False),
                ui.html("<h3>Start again</h3>"),
                self.reset_area,
                self.status,
            ],
            layout=ui.layout(),
            _dom_classes=(PANEL,),
        )
        store.on_change(lambda _: self.refresh())
        store.on_load(lambda _: self._loaded())

    def __repr__(self) -> str:
        return "<Progress panel: progress by module, download, load, reset>"

    def refresh(self) -> None:
        self.table.value = progress_table(self.store.modules(), _previews(self.store))
        self.resume.value = continue_html(self.store)

    def _loaded(self) -> None:
        if self.store.progress.student and not self.name.value:
            self.name.value = self.store.progress.student
        self.refresh()

    # --- reset ---------------------------------------------------------------------------
    def ask_reset(self) -> None:
        self.reset_area.children = [self.confirm]
        self.status.say("Confirm: delete all your saved answers? Choose yes or no.")
        self.confirm_no.focus()  # the safe choice has the focus

    def cancel_reset(self) -> None:
        self.reset_area.children = [self.reset_button]
        self.status.say("Nothing was deleted. Your progress is kept.")
        self.reset_button.focus()

    def reset(self) -> None:
        widget = storage_widget()
        old = self.store.reset(_now())
        if widget is not None and (old.items or old.parked):
            # Kept in the browser (not shown) so an instructor can help undo a mistake.
            widget.keep_aside(dumps(old), "before-reset")
        self.reset_area.children = [self.reset_button]
        self.status.say("Your progress has been reset. Every module starts again from nothing.")
        self.reset_button.focus()

    # --- download ------------------------------------------------------------------------
    def download(self, kind: str) -> None:
        widget = storage_widget()
        if widget is None:
            self.download_status.say("Downloads work on the course's web pages only.")
            return
        if not self.name.value.strip():
            # The file goes to an instructor: it must say whose results they are.
            self.download_status.say(
                "Type your name or student ID first: it goes into the file, so your "
                "instructor knows whose results these are. Then press Download again."
            )
            self.name.focus()
            return
        self.store.set_student(self.name.value)
        progress, cat = self.store.progress, self.store.catalogue
        filename = results_io.results_filename(progress.student, kind)
        if kind == "csv":
            widget.download(filename, results_io.export_csv(progress, cat), "text/csv")
        else:
            content = results_io.export_json(progress, cat, exported_at=_now())
            widget.download(filename, content, "application/json")
        answered = len(progress.items)
        what = (
            "It has no answers yet: answer some self-check questions first."
            if not answered
            else f"It holds your answers to {answered} question{'s' if answered != 1 else ''}."
        )
        self.download_status.say(
            f"Your browser is saving “{filename}” (look in your Downloads). {what}"
        )

    # --- load ----------------------------------------------------------------------------
    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        for f in files:
            self.load_file(bytes(f["content"]), f["name"])
        self.upload.value = ()  # so the same file can be chosen again

    def load_file(self, data: bytes, name: str) -> None:
        try:
            parsed = results_io.read_results(data, name)
        except results_io.ResultsError as exc:
            self.status.say(f"{exc.message} Nothing was changed.")
            return
        report, notes = self.store.merge_in(parsed.progress)
        parts = [f"Loaded “{name}”."]
        if report.attempts_added:
            parts.append(
                f"{report.new_items} new question{'s' if report.new_items != 1 else ''} and "
                f"{report.updated_items} with newer answers were added "
                f"({report.attempts_added} answer{'s' if report.attempts_added != 1 else ''})."
            )
        else:
            parts.append("Everything in it was already here; nothing changed.")
        if parsed.problems:
            parts.append(
                f"Some parts of the file could not be read and were skipped: "
                f"{results_io.describe_problems(parsed.problems)}."
            )
        if parsed.progress.student and parsed.progress.student != self.store.progress.student:
            parts.append(f"The file belongs to “{parsed.progress.student}”.")
        parts.extend(notes)
        self.status.say(" ".join(parts))


def progress_overview() -> ProgressPanel:
    """The home page's progress panel (also enables the browser storage)."""
    return ProgressPanel(ensure_storage())
