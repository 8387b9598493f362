"""What every course page shows around its own content, drawn from course.yml.

Notebooks call these one-liners so that titles, objectives, the module map and the
reference lists are typed once (in course.yml / references.yml), not in each notebook.
"""

from __future__ import annotations

import html

from IPython.display import HTML, display

from allcourse.course.course_map import Module, course
from allcourse.course.references import Reference, cited_ids, references

NOTICE = "For education only, not medical advice."


def _objectives_html(module: Module) -> str:
    items = "".join(f"<li>{html.escape(o.text)}</li>" for o in module.objectives)
    return f"<ul class='allcourse-objectives'>{items}</ul>"


def trim_memory_after_each_cell() -> None:
    """Once per kernel: after each cell the page runs, hand the memory the cell freed back
    to the operating system (glibc's `malloc_trim`; elsewhere nothing happens).

    Building a page (unpickling content, rendering text, making widgets) frees much of what
    it allocates, but glibc keeps freed memory for reuse, so it stays in the kernel's
    resident set; a server holds one kernel per open page. Measured on module 01's kernel:
    1.4 MB less, under 1 ms per cell."""
    global _trimming
    if _trimming:
        return
    _trimming = True
    try:
        import ctypes

        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return  # not glibc (macOS, musl): the allocator keeps its own counsel
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.events.register("post_execute", lambda: trim(0))


_trimming = False


def _enable_progress() -> None:
    # Imported here: the server imports this module for NOTICE and needs no progress store.
    from allcourse.app.storage_widget import ensure_storage

    ensure_storage()
    _pass_saved_answers()


def _pass_saved_answers() -> None:
    """Hand the quiz the answers saved in this browser once they arrive, so each
    self-check question shows its last answer, result and status again. The quiz is a
    lower layer: it gets plain `SavedAnswer`s through its events channel."""
    from allcourse.app.storage_widget import ensure_storage
    from allcourse.quiz import events

    def send(store) -> None:
        saved = {}
        for item_id, rec in store.progress.items.items():
            practice = [a for a in rec.history if a.mode == "practice"] or [rec.last]
            last = max(practice, key=lambda a: a.when)
            saved[item_id] = events.SavedAnswer(
                last.response, last.points, last.max_points, last.timestamp
            )
        events.set_saved(saved)

    global _passing
    if not _passing:  # once per kernel
        _passing = True
        ensure_storage().on_load(send)


_passing = False


def module_intro(module_id: str) -> None:
    """The module's title, a link that skips to its self-check, its learning objectives,
    and the course's browser storage."""
    module = course().module(module_id)
    # Citations are many tab stops: the link takes keyboard users straight to the questions.
    skip = (
        "<p class='allcourse-skip-check'><a href='#self-check'>Skip to the self-check</a></p>"
        if module.bank or module.id != "start"
        else ""
    )
    display(
        HTML(
            f"<h1 id='module-title'>{html.escape(module.label)}</h1>{skip}"
            "<section class='allcourse-intro' aria-labelledby='objectives-heading'>"
            "<h2 id='objectives-heading'>In this module you will</h2>"
            f"{_objectives_html(module)}</section>"
        )
    )
    _enable_progress()
    trim_memory_after_each_cell()


def reference_item(ref: Reference, number: int) -> str:
    """One numbered entry of a student-facing list: publisher, title (linked), date. The
    `ref-ID` anchor is what citations link to; `data-n` is the number the page's script
    shows in each citation ("[3]"). Authors' notes (seed file names) are not shown."""
    title = html.escape(ref.title)
    if ref.url:
        title = f'<a href="{html.escape(ref.url)}" rel="noopener">{title}</a>'
    text = f"{html.escape(ref.publisher)}. " if ref.title != ref.publisher else ""
    text += title
    if ref.date:
        text += f" ({html.escape(ref.date)})"
    return (
        f'<li id="ref-{html.escape(ref.id)}" data-n="{number}" '
        f'data-cite="{html.escape(ref.citation())}">'
        f'<span class="allcourse-ref-number">[{number}]</span><span>{text}.</span></li>'
    )


def numbered_list(refs: list[Reference]) -> str:
    items = "".join(reference_item(r, n) for n, r in enumerate(refs, start=1))
    return f"<ol class='allcourse-references allcourse-numbered'>{items}</ol>"


def module_sources(module_id: str) -> None:
    """The references cited on this module's page, numbered in the order the page first
    cites them, each with an anchor the citations link to."""
    module = course().module(module_id)
    refs = references()
    ids = cited_ids(module.notebook)
    unknown = [i for i in ids if i not in refs.ids()]
    if unknown:
        # A content error an author must fix; shown, not raised, so the page still works.
        names = html.escape(", ".join(unknown))
        display(HTML(f"<p role='alert'>Unknown reference ids cited: {names}</p>"))
    ordered = [refs.get(i) for i in ids if i in refs.ids()]
    display(
        HTML(
            "<section class='allcourse-sources' aria-labelledby='sources-heading'>"
            "<h2 id='sources-heading'>Sources for this page</h2>"
            f"{numbered_list(ordered)}"
            "<p>The full list is on the <a href='00_start_here.ipynb#references'>Start here</a> "
            "page.</p></section>"
        )
    )


def coming_soon(module_id: str) -> None:
    """The one placeholder the course allows: a module whose content is not written yet."""
    module = course().module(module_id)
    display(
        HTML(
            "<section class='allcourse-coming-soon' aria-labelledby='soon-heading'>"
            "<h2 id='soon-heading'><span id='self-check'></span>Coming soon</h2>"
            "<p>This module is being written. When it is ready you will be able to:</p>"
            f"{_objectives_html(module)}"
            "<p>Until then, the earlier modules and the references on the "
            "<a href='00_start_here.ipynb'>Start here</a> page cover the basics.</p></section>"
        )
    )


def self_check(module_id: str) -> None:
    """The module's self-check, from the bank course.yml names for it; a module without a
    bank shows what it will cover. Naming a bank in course.yml is enough to show it."""
    module = course().module(module_id)
    if module.bank is None:
        coming_soon(module_id)
        return
    from allcourse.course.content import ContentError
    from allcourse.quiz import show_quiz
    from allcourse.quiz.bank import bank

    name = module.bank.removesuffix(".yml")
    try:
        empty = not bank(name).all_items()
    except (ContentError, FileNotFoundError):
        empty = False  # show_quiz explains what is wrong with the bank
    if empty:  # a new module's bank before its first question
        coming_soon(module_id)
        return
    display(show_quiz(name))
    # A right answer's feedback names its sources: read the reference list once the page
    # is drawn and the kernel idle, not while the student waits for the first verdict
    # (about 2 ms of a fresh kernel's first check).
    from allcourse.app.storage_widget import ensure_storage

    ensure_storage().on_load(lambda _store: references())


def module_map() -> None:
    """Every module with its objectives, in course order (for the home page)."""
    parts = []
    for m in course().modules:
        parts.append(
            f"<li><a href='{html.escape(m.notebook)}'>{html.escape(m.label)}</a>"
            f"{_objectives_html(m)}</li>"
        )
    display(
        HTML(
            "<nav class='allcourse-module-map' aria-label='Module map'>"
            f"<ol>{''.join(parts)}</ol></nav>"
        )
    )


def reference_list() -> None:
    """The course's whole reference list, numbered (for the home page)."""
    display(HTML(f"<div id='references'>{numbered_list(list(references().references))}</div>"))
