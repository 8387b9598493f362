"""Read the lab report on the page: choose a fictional patient, read the white cell part of
the CBC, then answer three practice items built by `lab_report` from that patient's data
(calculate the ANC, classify it, choose the nurse's actions). Grading is the quiz's:
each item is rendered with `allcourse.quiz.render_item`, so keys stay in the kernel.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from IPython.display import display

from allcourse.quiz import render_item
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import lab_report as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.lab_report import LabPatient


def _patient_label(p: LabPatient) -> str:
    child = ", child" if p.is_child else ""
    return f"{p.name} ({p.age}{child})"


def report_html(p: LabPatient) -> str:
    """The patient's white cell report as a table, with the setting and temperature."""
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(test)}</th>"
        f"<td class='allcourse-count-value'>{html.escape(result)}</td></tr>"
        for test, result in model.report_rows(p)
    )
    return (
        "<section class='allcourse-lab-report' aria-labelledby='lab-report-heading'>"
        f"<h3 id='lab-report-heading'>Lab report: {html.escape(p.name)}, {p.age} "
        "(fictional patient)</h3>"
        f"<p>{html.escape(p.setting)} Oral temperature: "
        f"{html.escape(model.temperature_text(p))}.</p>"
        "<div class='allcourse-counts-wrap'><table class='allcourse-counts'>"
        "<caption>Complete blood count: white cell count and differential</caption>"
        "<thead><tr><th scope='col'>Test</th><th scope='col'>Result</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div></section>"
    )


class LabReport(widgets.VBox):
    """The scenario's widget: a patient chooser, the report and three practice items."""

    def __init__(self, patient_id: str | None = None) -> None:
        first = patient_id or model.PATIENTS[0].id
        self.chooser = widgets.Dropdown(
            options=[(_patient_label(p), p.id) for p in model.PATIENTS],
            value=first,
            description="Patient",
            style=ui.description_style(),
            layout=ui.layout(width="auto"),
            _dom_classes=("allcourse-patient-chooser",),
        )
        self.report = ui.html("")
        self.status = ui.LiveRegion()
        self.cards: list[widgets.Widget] = []
        self.items_box = ui.box([], "allcourse-lab-items")
        self.patient: LabPatient = model.patient(first)
        super().__init__(
            [
                illustrative_banner("This lab-report exercise, with fictional patients,"),
                self.chooser,
                self.status,
                self.report,
                self.items_box,
            ],
            layout=ui.layout(),
            _dom_classes=("allcourse-scenario", "allcourse-lab"),
        )
        self.show(first)
        self.chooser.observe(self._on_choose, names="value")

    def __repr__(self) -> str:
        # Stable text (no memory address): stored notebook outputs include widget reprs.
        return f"<Lab report scenario: {self.patient.name}, {len(model.PATIENTS)} patients>"

    def _on_choose(self, change: dict) -> None:
        self.show(change["new"])
        self.status.say(
            f"Showing {self.patient.name}'s lab report. Three questions follow it: calculate "
            "the ANC, classify it, choose the nurse's actions."
        )

    def show(self, patient_id: str) -> None:
        """Draw one patient's report and fresh practice items for it."""
        self.patient = model.patient(patient_id)
        reading = model.read(self.patient)
        self.report.value = report_html(self.patient)
        self.cards = [
            render_item(item, model.BANK, mode="practice") for item in model.items(reading)
        ]
        self.items_box.children = self.cards


def lab_report(patient_id: str | None = None) -> None:
    """Show the lab-report scenario (one line in a notebook)."""
    display(LabReport(patient_id))
