"""The first hour of neutropenic fever on the page: the student puts actions into steps
(one native drop-down per step: keyboard and screen-reader friendly), starts the clock,
and reads the timeline and what was late and why. Scoring is `fever_first_hour.run_clock()`
in the kernel; nothing of the expected plan reaches the browser before the clock runs.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import fever_first_hour as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.feedback import (
    ICON_BAD,
    ICON_OK,
    CheckSteps,
    icon_html,
    score_mark,
    verdict_html,
)
from allcourse.scenarios.fever_first_hour import ClockResult

ICON = {"ok": ICON_OK, "late": ICON_BAD, "missed": ICON_BAD, "harm": "⚠"}
WORD = {"ok": "Met", "late": "Late", "missed": "Missed", "harm": "Harm"}
START_HOUR = 14  # the fever is reported at 14:00 (minute 0)

PREDICTION = (
    "<p><strong>Check your prediction.</strong> Waiting an hour to recheck the temperature "
    "before calling puts the first dose at about minute 85 on this clock, past the 60-minute "
    "target; assessing, calling, drawing cultures and then giving the antibiotic puts it at "
    "minute 25. One oral reading of 38.3 °C or more is already neutropenic fever"
    f"{citation_links(['nc-idsa-2011'])}.</p>"
)


def clock_time(minute: int) -> str:
    """Minute on the clock -> time of day, from 14:00."""
    h, m = divmod(START_HOUR * 60 + minute, 60)
    return f"{h % 24:02d}:{m:02d}"


def patient_html() -> str:
    p = model.scenario().patient
    return (
        "<section class='allcourse-fever-patient' aria-labelledby='fever-patient-heading'>"
        f"<h3 id='fever-patient-heading'>{html.escape(p.name)}, {p.age} (fictional patient)</h3>"
        f"<p>{html.escape(p.story.strip())}{citation_links(p.sources)}</p>"
        "<p>Plan the next hour: choose an action for each step, in the order you would do "
        "them, then start the clock. Leave the last steps empty if you need fewer. Minute 0 "
        "is 14:00, when the fever is reported. How long each action takes is illustrative.</p>"
        "</section>"
    )


def feedback_html(result: ClockResult) -> str:
    """After the clock runs: the score, the timeline, each rule, and the prediction."""
    dose = (
        f"first antibiotic dose at minute {result.antibiotic_minute} "
        f"({clock_time(result.antibiotic_minute)})"
        if result.antibiotic_minute is not None
        else "no antibiotic given"
    )
    head = verdict_html(
        *score_mark(result.met, result.total), f"{result.met} of {result.total} rules met; {dose}"
    )
    rows = "".join(
        f"<tr><td>{s.start}–{s.end}</td><td>{clock_time(s.start)}</td>"
        f"<td>{html.escape(s.action.text)}</td></tr>"
        for s in result.steps
    )
    table = (
        "<div class='allcourse-scroll' role='region' tabindex='0' aria-label='Your timeline'>"
        "<table class='allcourse-table allcourse-fever-timeline'><caption>Your timeline</caption>"
        "<thead><tr><th scope='col'>Minutes</th><th scope='col'>Clock</th>"
        "<th scope='col'>Action</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )
    notes = []
    for f in result.findings:
        ok = "ok" if f.ok else "bad"
        notes.append(
            f"<li class='allcourse-note allcourse-note-{ok}' data-rule='{html.escape(f.key)}'>"
            f"{icon_html(ICON[f.status])} "
            f"<strong>{WORD[f.status]}: {html.escape(f.title)}.</strong> "
            f"{html.escape(f.message)}{citation_links(f.sources)}</li>"
        )
    return (
        "<section class='allcourse-feedback allcourse-fever-feedback' aria-label='Feedback'>"
        f"{head}{table}<ul class='allcourse-notes'>{''.join(notes)}</ul>"
        f"{PREDICTION}</section>"
    )


def _step(choices: list[tuple[str, str]], i: int) -> widgets.Dropdown:
    """Step i: a drop-down whose value stays "" (Choose…) until an action is picked."""
    dd = widgets.Dropdown(
        options=[(ui.PLACEHOLDER, "")] + choices,
        value="",
        description=f"Step {i}",
        style=ui.description_style("4.5em"),
        # Full width less the widget margins, so a phone does not scroll sideways.
        layout=ui.layout(width="calc(100% - 6px)", max_width="52em"),
        _dom_classes=(ui.WRAP, "allcourse-fever-step"),
    )
    return dd


class FeverFirstHour(widgets.VBox):
    """The scenario's widget: the patient, one drop-down per step, start and try-again
    buttons, a status line and the feedback."""

    def __init__(self) -> None:
        data = model.scenario()
        # Alphabetical: the data file's order would give the expected plan away.
        choices = sorted(((a.text, a.id) for a in data.actions), key=lambda c: c[0].casefold())
        self.steps = [_step(choices, i) for i in range(1, model.SLOTS + 1)]
        self.checks = CheckSteps(
            lambda: self.steps, self.reset, check_label="Start the clock", on_check=self.run
        )
        self.start, self.again = self.checks.check, self.checks.again
        self.status, self.feedback = self.checks.status, self.checks.feedback
        self.result: ClockResult | None = None
        super().__init__(
            [
                illustrative_banner("This clock, with a fictional patient and made-up minutes,"),
                ui.html(patient_html()),
                ui.box(list(self.steps), "allcourse-fever-plan"),
                self.checks.buttons,
                self.status,
                self.feedback,
            ],
            layout=ui.layout(),
            _dom_classes=("allcourse-scenario", "allcourse-fever"),
        )

    def __repr__(self) -> str:
        return f"<Neutropenic fever clock: {model.SLOTS} steps>"

    def plan(self) -> list[str]:
        return [dd.value for dd in self.steps]

    def run(self) -> ClockResult | None:
        """Run the clock in the kernel; a plan that cannot run gets a message, nothing lost."""
        try:
            result = model.run_clock(self.plan())
        except model.PlanError as exc:
            self.status.say(str(exc))
            return None
        self.result = result
        self.checks.checked(
            feedback_html(result),
            f"Clock run: {result.met} of {result.total} rules met. The timeline and the reason "
            "for each rule follow.",
        )
        return result

    def reset(self) -> None:
        self.result = None
        self.checks.clear("Your plan is cleared. Choose the steps again, then start the clock.")


def fever_first_hour() -> None:
    """Show the neutropenic-fever clock (one line in a notebook)."""
    display(FeverFirstHour())
