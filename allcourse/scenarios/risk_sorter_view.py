"""The risk sorter on the page: choose a fictional child or adult, sort each feature of
their ALL into higher or lower relapse risk with a drop-down (a native select: keyboard
and screen-reader friendly), check, and read why for each feature with its sources.
Grading is `risk_sorter.grade()`, run in the kernel; nothing of the key reaches the
browser before the student checks. Above the sorter, a "predict first" question on the
three patients with the same WBC; its explanation also stays in the kernel until checked.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import risk_sorter as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.feedback import CheckSteps, icon_html, mark, score_mark, verdict_html
from allcourse.scenarios.prediction_view import prediction_check
from allcourse.scenarios.risk_sorter import Profile, SortResult

RULEBOOK = {
    "child": "Rules for children: NCI risk groups, COG day-29 MRD, Canadian Cancer Society "
    "genetics.",
    "adult": "Rules for adults: an ASH table of prognostic factors in adult ALL.",
}


def profile_html(p: Profile) -> str:
    return (
        "<section class='allcourse-risk-profile' aria-labelledby='risk-profile-heading'>"
        f"<h3 id='risk-profile-heading'>{html.escape(p.title)} (fictional)</h3>"
        f"<p>{html.escape(p.story)} {html.escape(RULEBOOK[p.group])}</p>"
        "<p>Sort each feature: does it point to a <strong>higher</strong> or a "
        "<strong>lower</strong> risk of relapse? Then check.</p></section>"
    )


def feedback_html(result: SortResult) -> str:
    """After a check: the score, then each feature with the verdict, the reason and sources."""
    # all_correct is right == total (risk_sorter.SortResult), score_mark's "all right".
    head = verdict_html(
        *score_mark(result.right, result.total),
        f"{result.right} of {result.total} sorted as the sources do",
    )
    notes = []
    for r in result.results:
        ok = r.correct
        icon, cls = mark(ok)
        verdict = r.feature.verdict
        notes.append(
            f"<li class='allcourse-note allcourse-note-{cls}' "
            f"data-feature='{html.escape(r.feature.key)}'>"
            f"{icon_html(icon)} "
            f"<strong>{'Right' if ok else 'Wrong'}.</strong> "
            f"<strong>{html.escape(r.feature.label)}</strong> — you sorted: "
            f"{html.escape(model.DIRECTIONS[r.answer])}; the sources: "
            f"{html.escape(verdict.label)}."
            f"<div class='allcourse-rationale'><p>{html.escape(verdict.reason)}"
            f"{citation_links(verdict.sources)}</p></div></li>"
        )
    summary, sources = model.group_summary(result.profile)
    return (
        "<section class='allcourse-feedback allcourse-sort-feedback' aria-label='Feedback'>"
        f"{head}<ul class='allcourse-notes'>{''.join(notes)}</ul>"
        "<p class='allcourse-sources-title'>Risk group</p>"
        f"<p>{html.escape(summary)}{citation_links(sources)}</p></section>"
    )


# Feature labels are long ("WBC at diagnosis: 40,000/µL (40 ×10⁹/L), T-cell ALL") and an
# ipywidgets label is one fixed-height line, so the visible text is an HTML paragraph that
# wraps, and the drop-down carries the same text as its (visually hidden) accessible name.
# The row wraps too, so on a phone the drop-down goes under its text.


def _sort_row(label: str, choices: list[tuple[str, str]]) -> tuple[widgets.Box, widgets.Dropdown]:
    """One feature: its text and a drop-down whose value stays "" until it is sorted."""
    text = widgets.HTML(
        f"<p class='allcourse-sort-label' aria-hidden='true'>{html.escape(label)}</p>",
        layout=ui.layout(flex="0 1 30em", margin="0 1em 0 0"),
        style=ui.html_style(),
    )
    dd = widgets.Dropdown(
        options=[(ui.PLACEHOLDER, "")] + choices,
        value="",
        description=label,
        style=ui.description_style(),
        layout=ui.layout(width="auto", min_width="14em"),
        _dom_classes=(ui.SR_LABEL, "allcourse-sort-choice"),
    )
    row = widgets.HBox(
        [text, dd],
        layout=ui.layout(flex_flow="row wrap", align_items="center", width="100%"),
        _dom_classes=("allcourse-sort-row",),
    )
    return row, dd


class RiskSorter(widgets.VBox):
    """The scenario's widget: a profile chooser, one drop-down per feature, check and
    try-again buttons, a status line and the feedback."""

    def __init__(self, profile_id: str | None = None) -> None:
        first = profile_id or model.PROFILES[0].id
        self.chooser = widgets.Dropdown(
            options=[(p.title, p.id) for p in model.PROFILES],
            value=first,
            description="Patient profile",
            style=ui.description_style(),
            layout=ui.layout(width="auto"),
            _dom_classes=("allcourse-profile-chooser",),
        )
        self.profile_box = ui.html("")
        self.sorts: dict[str, widgets.Dropdown] = {}
        self.sort_box = ui.box([], "allcourse-risk-features")
        # A lambda: show() replaces self.sorts with each profile's drop-downs.
        self.checks = CheckSteps(
            lambda: self.sorts.values(),
            self.reset,
            check_label="Check sorting",
            on_check=self.check_sorting,
            status_classes=("allcourse-sort-status",),  # the prediction has its own
        )
        self.check, self.again = self.checks.check, self.checks.again
        self.status, self.feedback = self.checks.status, self.checks.feedback
        self.result: SortResult | None = None
        self.profile: Profile = model.profile(first)
        self.prediction = prediction_check(model.prediction())
        super().__init__(
            [
                illustrative_banner("This sorter, with fictional patients,"),
                self.prediction,
                self.chooser,
                self.profile_box,
                self.sort_box,
                self.checks.buttons,
                self.status,
                self.feedback,
            ],
            layout=ui.layout(),
            _dom_classes=("allcourse-scenario", "allcourse-risk-sorter"),
        )
        self.show(first)
        self.chooser.observe(self._on_choose, names="value")

    def __repr__(self) -> str:
        return f"<Risk sorter scenario: {self.profile.title}, {len(model.PROFILES)} profiles>"

    def _on_choose(self, change: dict) -> None:
        self.show(change["new"])
        n = len(self.sorts)
        self.status.say(f"Showing {self.profile.title}: {n} features to sort.")

    def show(self, profile_id: str) -> None:
        """Draw one profile with a fresh, unsorted drop-down per feature."""
        self.profile = model.profile(profile_id)
        self.result = None
        self.profile_box.value = profile_html(self.profile)
        choices = [(label, key) for key, label in model.DIRECTIONS.items()]
        rows = {f.key: _sort_row(f.label, choices) for f in model.features(self.profile)}
        self.sorts = {key: dd for key, (_, dd) in rows.items()}
        self.sort_box.children = [row for row, _ in rows.values()]
        self.checks.clear(None)

    def answers(self) -> dict[str, str]:
        return {key: dd.value for key, dd in self.sorts.items()}

    def check_sorting(self) -> SortResult | None:
        """Grade in the kernel; an unsorted feature gets a message and nothing is cleared."""
        answers = self.answers()
        message = model.check_answers(self.profile, answers)
        if message:
            self.status.say(message)
            return None
        try:
            result = model.grade(self.profile, answers)
        except model.SortError as exc:  # a value no drop-down offers (a tampered widget)
            self.status.say(str(exc))
            return None
        self.result = result
        self.checks.checked(
            feedback_html(result),
            f"{result.right} of {result.total} sorted as the sources do. The reason for each "
            "feature follows.",
        )
        return result

    def reset(self) -> None:
        self.result = None
        self.checks.clear("Your sorting is cleared. Sort the features again, then check.")


def risk_sorter(profile_id: str | None = None) -> None:
    """Show the risk sorter (one line in a notebook)."""
    display(RiskSorter(profile_id))
