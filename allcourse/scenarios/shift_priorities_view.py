"""Who do you see first? on the page: the four patients at shift change as a table, the
unit's delegation policy, and two practice items built by `shift_priorities` (who first,
who does each task). The quiz renders and grades the items in the kernel, so no key
reaches the browser before the student checks; "Check your prediction" appears only
after the student has checked an item.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz import events, render_item
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import shift_priorities as model
from allcourse.scenarios.banner import illustrative_banner

PREDICTION = (
    "<p class='allcourse-prediction'><strong>Check your prediction.</strong> Marcus has "
    "neutropenic fever with sepsis cues: he is seen first, and his assessment, cultures and "
    f"first antibiotic dose stay with the RN{citation_links(['nc-idsa-2011', 'nc-ssc-2021'])}. "
    "Eleanor's platelets are below 10,000/µL, so her transfusion comes next, but she is not "
    f"bleeding{citation_links(['nc-aabb-ictmg-2025'])}. The RN keeps new teaching and the "
    "blinatumomab bag; vital signs, weights and walking go to assistive personnel, the "
    f"scheduled oral medicine to the LPN{citation_links(['nc-ncsbn-delegation-2019'])}.</p>"
)


def patients_html() -> str:
    data = model.shift()
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(p.name)}, {p.age}</th>"
        f"<td>{html.escape(p.summary)}</td>"
        f"<td>{p.temp_c:.1f} °C</td><td>{p.heart_rate}</td><td>{p.systolic_bp}</td>"
        f"<td>{p.resp_rate}</td><td>{p.spo2}%</td><td>{html.escape(p.mental_status)}</td>"
        f"<td>{p.anc:,}</td><td>{p.platelets:,}</td></tr>"
        for p in data.patients
    )
    return (
        "<section class='allcourse-shift' aria-labelledby='shift-heading'>"
        "<h3 id='shift-heading'>07:00 handover: four fictional patients</h3>"
        "<div class='allcourse-scroll' role='region' tabindex='0' aria-label='Handover table'>"
        "<table class='allcourse-table allcourse-shift-table'>"
        "<caption>Handover: the latest vital signs (oral temperature) and counts (per µL)"
        "</caption><thead><tr><th scope='col'>Patient</th><th scope='col'>Handover</th>"
        "<th scope='col'>Temp</th><th scope='col'>Heart rate</th>"
        "<th scope='col'>Systolic BP</th><th scope='col'>Resp. rate</th>"
        "<th scope='col'>SpO₂</th><th scope='col'>Mental status</th>"
        "<th scope='col'>ANC</th><th scope='col'>Platelets</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
        f"<p><strong>Unit policy.</strong> {html.escape(data.unit_policy.strip())}"
        f"{citation_links(data.policy_sources)}</p></section>"
    )


class ShiftPriorities(widgets.VBox):
    """The scenario's widget: the handover table and the two practice items."""

    def __init__(self) -> None:
        self.cards = [render_item(it, model.BANK, mode="practice") for it in model.items()]
        self.prediction = ui.html("")
        super().__init__(
            [
                illustrative_banner("This shift, with fictional patients,"),
                ui.html(patients_html()),
                *self.cards,
                self.prediction,
            ],
            layout=ui.layout(),
            _dom_classes=("allcourse-scenario", "allcourse-shift-priorities"),
        )
        events.subscribe(self._on_attempt)

    def __repr__(self) -> str:
        return f"<Shift priorities scenario: {len(model.shift().patients)} patients>"

    def _on_attempt(self, attempt: events.Attempt) -> None:
        if attempt.bank == model.BANK and not self.prediction.value:
            self.prediction.value = PREDICTION


def shift_priorities() -> None:
    """Show the shift-change scenario (one line in a notebook)."""
    display(ShiftPriorities())
