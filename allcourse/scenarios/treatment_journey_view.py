"""The treatment journey on the page: choose a child or an adult and Ph-positive or
Ph-negative ALL, then step week by week (a labelled native range input, or the
week and phase buttons) through the phases. It only draws what
`treatment_journey.step()` returns; the timeline itself is `assets/treatment_timeline.yml`.

"Check your prediction" is not in the page until the student has stepped into the
longest phase of the plan they chose: it is built in the kernel callback then.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import traitlets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import treatment_journey as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.feedback import icon_html
from allcourse.scenarios.range_input import RangeInput
from allcourse.scenarios.treatment_journey import Regimen, Step

ICON_NADIR = "▼"
ICON_MRD = "◆"
ICON_HERE = "●"


class WeekSlider(RangeInput):
    """The week of treatment, shown as "Week 3 of 40"; the kernel writes the spoken value
    (`valuetext`: the week, the phase and what happens that week). Arrows move one week,
    Page Up/Down bigger steps, Home/End the first and last week."""

    value = traitlets.Int(1).tag(sync=True)
    min = traitlets.Int(1).tag(sync=True)
    max = traitlets.Int(1).tag(sync=True)
    label = traitlets.Unicode("Week of treatment").tag(sync=True)
    prefix = traitlets.Unicode("Week ").tag(sync=True)
    of_max = traitlets.Bool(True).tag(sync=True)
    extra_class = traitlets.Unicode("allcourse-week-range").tag(sync=True)

    def __repr__(self) -> str:
        return f"WeekSlider(value={self.value}, max={self.max})"


def _cited(text: str, sources) -> str:
    return html.escape(text) + citation_links(tuple(sources))


def timeline_bar_html(r: Regimen, s: Step) -> str:
    """The whole plan as a bar of phases, widths by weeks; the current phase is marked
    by text and an icon, not colour alone."""
    items = []
    for span in model.spans(r):
        here = span.index == s.span.index
        mark = f"{icon_html(ICON_HERE)} " if here else ""
        where = " <strong>(you are here)</strong>" if here else ""
        items.append(
            f"<li class='allcourse-phase{' is-current' if here else ''}' "
            f"style='flex-grow:{span.phase.weeks}' data-phase='{html.escape(span.phase.id)}'>"
            f"{mark}{html.escape(span.phase.name)}<br><small>weeks {span.first}–{span.last}"
            f"</small>{where}</li>"
        )
    return (
        "<ol class='allcourse-phase-bar' aria-label='Phases of this plan, in order'>"
        f"{''.join(items)}</ol>"
    )


def step_html(r: Regimen, s: Step) -> str:
    """The card for one week: phase, goal, drugs, counts, MRD checkpoint, nursing focus."""
    p = s.phase
    if s.nadir:
        counts = (
            f"<p class='allcourse-nadir'>{icon_html(ICON_NADIR)} "
            "<strong>Counts expected to be at their lowest this week."
            f"</strong></p><p>{html.escape(p.counts)}</p>"
        )
    else:
        counts = f"<p>{html.escape(p.counts)}</p>"
    if s.checkpoint is not None:
        mrd = (
            f"<p class='allcourse-mrd-now'>{icon_html(ICON_MRD)} "
            "<strong>MRD checkpoint this week.</strong> "
            f"{_cited(s.checkpoint.text, s.checkpoint.sources)}</p>"
        )
    elif s.next_checkpoint is not None:
        at, span, _ = s.next_checkpoint
        mrd = (
            f"<p>Next MRD checkpoint: week {at} ({html.escape(span.phase.name)}), "
            f"{at - s.week} week{'s' if at - s.week != 1 else ''} from now.</p>"
        )
    else:
        mrd = (
            "<p>No more scheduled MRD checkpoints in this plan; tests continue during "
            "follow-up to look for relapse.</p>"
        )
    note = (
        f"<p class='allcourse-weeks-note'><small>{html.escape(p.weeks_note)}</small></p>"
        if p.weeks_note
        else ""
    )
    fields = [
        ("Goal", f"<p>{html.escape(p.goal)}</p>"),
        ("Typical drugs", f"<p>{html.escape(p.drugs)}</p>"),
        ("Blood counts", counts),
        ("MRD", mrd),
        ("Nursing focus", f"<p>{html.escape(p.nursing)}</p>"),
    ]
    body = "".join(
        f"<h4>{name}</h4><div class='allcourse-step-field' data-field='{name.lower()}'>"
        f"{value}</div>"
        for name, value in fields
    )
    return (
        "<section class='allcourse-journey-step' aria-labelledby='journey-step-heading'>"
        f"<h3 id='journey-step-heading'>Week {s.week} of {s.total}: {html.escape(p.name)} "
        f"(week {s.week_in_phase} of {p.weeks})</h3>{note}{body}"
        f"<p class='allcourse-step-sources'>Sources for this phase:"
        f"{citation_links(p.sources)}</p></section>"
    )


def regimen_html(r: Regimen) -> str:
    return (
        f"<div class='allcourse-journey-regimen'><p><strong>{html.escape(r.title)}</strong>. "
        f"{_cited(r.summary, r.sources)}</p></div>"
    )


def prediction_html(r: Regimen) -> str:
    """The reveal, built only once the student has stepped into the longest phase."""
    longest, share = model.longest_phase(r)
    return (
        "<section class='allcourse-prediction' aria-labelledby='journey-prediction-heading'>"
        "<h4 id='journey-prediction-heading'>Check your prediction</h4>"
        f"<p>In this plan ({html.escape(r.label)}), <strong>{html.escape(longest.name)}</strong>"
        f" is the longest phase: {longest.weeks} of {model.total_weeks(r)} weeks, about "
        f"{share}% of the plan. The intensive phases come first and are short; the long, "
        "low-intensity phase that follows is mostly given at home, which is why adherence "
        f"to daily oral drugs matters so much.{citation_links(('R38', 'R39', 'tx-6mp-adherence'))}"
        "</p></section>"
    )


class TreatmentJourney(widgets.VBox):
    """The scenario's widget: two choices, a week slider, week and phase buttons, the
    phase bar, the card for the week, a live status line and the prediction check."""

    def __init__(self, group: str = "child", ph: str = "negative") -> None:
        self.group_choice = widgets.Dropdown(
            options=[(label, key) for key, label in model.GROUP_LABELS.items()],
            value=group,
            description="Patient",
            style=ui.description_style(),
            layout=ui.layout(width="auto"),
        )
        self.ph_choice = widgets.Dropdown(
            options=[(label, key) for key, label in model.PH_LABELS.items()],
            value=ph,
            description="Philadelphia chromosome",
            style=ui.description_style(),
            layout=ui.layout(width="auto"),
        )
        self.slider = WeekSlider()
        self.prev_week = ui.button("Previous week")
        self.next_week = ui.button("Next week")
        self.prev_phase = ui.button("Previous phase")
        self.next_phase = ui.button("Next phase")
        self.prev_week.on_click(lambda _b: self.go(self.slider.value - 1))
        self.next_week.on_click(lambda _b: self.go(self.slider.value + 1))
        self.prev_phase.on_click(lambda _b: self._jump_phase(-1))
        self.next_phase.on_click(lambda _b: self._jump_phase(+1))
        self.regimen_box = ui.html("")
        self.bar = ui.html("")
        self.card = ui.html("")
        self.status = ui.LiveRegion()
        self.prediction = ui.html("")
        self.regimen: Regimen = model.regimen(group, ph)
        self.step: Step | None = None
        self._revealed = False
        super().__init__(
            [
                illustrative_banner("This journey, a simplified teaching plan,"),
                ui.box([self.group_choice, self.ph_choice], "allcourse-journey-choices"),
                self.regimen_box,
                self.slider,
                ui.box(
                    [self.prev_phase, self.prev_week, self.next_week, self.next_phase],
                    "allcourse-buttons",
                    vertical=False,
                ),
                self.status,
                self.bar,
                self.card,
                self.prediction,
            ],
            layout=ui.layout(),
            _dom_classes=("allcourse-scenario", "allcourse-journey"),
        )
        self._choose()
        self.group_choice.observe(lambda _c: self._choose(announce=True), names="value")
        self.ph_choice.observe(lambda _c: self._choose(announce=True), names="value")
        self.slider.observe(lambda c: self.go(c["new"]), names="value")

    def __repr__(self) -> str:
        return f"<Treatment journey scenario: {self.regimen.label}, week {self.slider.value}>"

    def _choose(self, announce: bool = False) -> None:
        self.regimen = model.regimen(self.group_choice.value, self.ph_choice.value)
        self.regimen_box.value = regimen_html(self.regimen)
        self.prediction.value = ""
        self._revealed = False
        self.slider.max = model.total_weeks(self.regimen)
        if self.slider.value != 1:
            self.slider.value = 1  # the observer draws week 1
        else:
            self.go(1, announce=False)
        if announce:
            self.status.say(
                f"{self.regimen.label}: {len(self.regimen.phases)} phases over "
                f"{self.slider.max} weeks. Showing week 1."
            )

    def _jump_phase(self, delta: int) -> None:
        current = self.step.span.index if self.step else 0
        self.go(model.phase_start(self.regimen, current + delta))

    def go(self, week: int, announce: bool = True) -> None:
        """Show `week`, clamped to the plan; moves the slider too."""
        week = max(1, min(int(week), model.total_weeks(self.regimen)))
        s = model.step(self.regimen, week)
        self.step = s
        text = (
            f"Week {s.week} of {s.total}: {s.phase.name}, week {s.week_in_phase} of {s.phase.weeks}"
        )
        if s.nadir:
            text += ". Counts expected to be lowest"
        if s.checkpoint is not None:
            text += ". MRD checkpoint"
        self.slider.valuetext = text
        if self.slider.value != week:
            self.slider.value = week
        self.bar.value = timeline_bar_html(self.regimen, s)
        self.card.value = step_html(self.regimen, s)
        last = len(self.regimen.phases) - 1
        self.prev_week.disabled = week == 1
        self.next_week.disabled = week == s.total
        self.prev_phase.disabled = s.span.index == 0
        self.next_phase.disabled = s.span.index == last
        longest, _ = model.longest_phase(self.regimen)
        if not self._revealed and s.phase.id == longest.id and announce:
            self._revealed = True
            self.prediction.value = prediction_html(self.regimen)
        if announce:
            self.status.say(text + ".")


def treatment_journey(group: str = "child", ph: str = "negative") -> None:
    """Show the treatment journey (one line in a notebook)."""
    display(TreatmentJourney(group, ph))
