"""A case study's chart: tabs (history, vitals, labs, notes, orders) that change as
the student moves from one item of the case to the next."""

from __future__ import annotations

import ipywidgets as w

from allcourse.quiz import models as m
from allcourse.quiz.render import widgets as ui

TAB_ORDER: tuple[str, ...] = ("history", "vitals", "labs", "notes", "orders")
TAB_TITLES = {t: t.capitalize() for t in TAB_ORDER}


class CaseChart:
    """The chart as it stands before item `index` of the case."""

    def __init__(self, case: m.CaseStudy):
        self.case = case
        present = set(case.chart)
        for case_item in case.items:
            present |= set(case_item.chart_update)
        self.tabs = [t for t in TAB_ORDER if t in present]
        self.pages = {t: ui.html("", "allcourse-chart-page") for t in self.tabs}
        self.widget = w.Tab(
            children=[self.pages[t] for t in self.tabs],
            layout=ui.layout(),
            _dom_classes=("allcourse-chart",),
        )
        self.index = -1
        self.show(0)

    def show(self, index: int) -> list[str]:
        """Show the chart at item `index`; return the titles of tabs that just changed."""
        chart = self.case.chart_at(index)
        changed = list(self.case.items[index].chart_update) if index > 0 else []
        for t in self.tabs:
            text = chart.get(t)
            self.pages[t].value = (
                ui.block_html(text) if text else "<p><em>Nothing recorded yet.</em></p>"
            )
        self.widget.titles = tuple(
            TAB_TITLES[t] + (" (new)" if t in changed else "") for t in self.tabs
        )
        self.index = index
        return [TAB_TITLES[t] for t in self.tabs if t in changed]
