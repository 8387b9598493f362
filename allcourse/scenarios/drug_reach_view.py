"""Where do the drugs reach? on the page: one button per route; choosing one marks the
body diagram (`assets/body_diagram.svg`) and lists, for each site, whether the route
reaches it and why. The diagram says it in words as well as by fill pattern, and its
text alternative is rewritten for each route.

"Check your prediction" is built in the kernel only after the student has tried two
different routes.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from functools import lru_cache

import ipywidgets as widgets
from IPython.display import display

from allcourse.course import paths
from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import drug_reach as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.drug_reach import Route
from allcourse.scenarios.feedback import ICON_BAD, ICON_OK, ICON_PART, icon_html

SVG_NS = "http://www.w3.org/2000/svg"
BODY_SVG = paths.ASSETS / "body_diagram.svg"
ICONS = {model.REACHES: ICON_OK, model.PARTLY: ICON_PART, model.NOT: ICON_BAD}
SELECTED = " (selected)"
ROUTES_BEFORE_REVEAL = 2

ET.register_namespace("", SVG_NS)


@lru_cache(maxsize=1)
def _svg_text() -> str:
    return BODY_SVG.read_text(encoding="utf-8")


def body_svg(route: Route | None) -> str:
    """The diagram with each site marked for `route` (None: nothing chosen yet)."""
    root = ET.fromstring(_svg_text())
    q = f"{{{SVG_NS}}}"
    for site, parts in model.PARTS.items():
        groups = [root.find(f".//{q}g[@id='{part}']") for part in parts]
        label = root.find(f".//{q}text[@id='label-{site}']")
        if any(g is None for g in groups) or label is None:  # an edited asset: say which
            raise ValueError(f"{BODY_SVG.name} lacks one of {parts} or label-{site}")
        state = label.find(f"{q}tspan")
        if route is None:
            continue
        for part, group in zip(parts, groups, strict=True):
            group.set("class", f"body-site-group body-reach-{route.part_level(part)}")
        verdict = route.sites[site]
        if state is not None:
            state.text = f"{ICONS[verdict.level]} {verdict.text}"
    if route is not None:
        desc = root.find(f"{q}desc")
        if desc is not None:
            parts = "; ".join(f"{model.SITES[s]}: {v.text}" for s, v in route.sites.items())
            desc.text = f"Body diagram for {route.name}. {parts}."
    return ET.tostring(root, encoding="unicode")


def results_html(route: Route) -> str:
    items = "".join(
        f"<li class='allcourse-reach allcourse-reach-{v.level}' data-site='{site}'>"
        f"{icon_html(ICONS[v.level])} "
        f"<strong>{html.escape(model.SITES[site])}: {html.escape(v.text)}.</strong> "
        f"{html.escape(v.why)}{citation_links(v.sources)}</li>"
        for site, v in route.sites.items()
    )
    return (
        "<section class='allcourse-reach-results' aria-labelledby='reach-heading'>"
        f"<h3 id='reach-heading'>{html.escape(route.name)}</h3>"
        f"<p>{html.escape(route.example[:1].upper() + route.example[1:])}.</p>"
        f"<ul>{items}</ul></section>"
    )


def prediction_html() -> str:
    none = not model.routes_reaching_all()
    lead = "No single route reaches all three places well. " if none else ""
    return (
        "<section class='allcourse-prediction' aria-labelledby='reach-prediction-heading'>"
        "<h4 id='reach-prediction-heading'>Check your prediction</h4>"
        f"<p>{lead}Systemic chemotherapy treats the marrow and, at the doses of modern "
        "intensive plans, the testes; the CNS needs intrathecal chemotherapy together with "
        "CNS-penetrating systemic drugs, and cranial radiation is kept for selected "
        "patients. That is why every plan gives CNS-directed therapy in every "
        "phase, from induction to maintenance."
        f"{citation_links(('R33', 'R41', 'R3', 'seed-nci-adult-all'))}"
        "</p></section>"
    )


class DrugReach(widgets.VBox):
    """Route buttons, the diagram, the per-site results, a status line and the
    prediction check."""

    def __init__(self) -> None:
        self.buttons: dict[str, widgets.Button] = {}
        for r in model.ROUTES.values():
            b = ui.button(r.name, "allcourse-route")
            b.on_click(lambda _b, rid=r.id: self.choose(rid))
            self.buttons[r.id] = b
        self.diagram = ui.html(body_svg(None), "allcourse-body-diagram")
        self.results = ui.html("<p>Choose a route to see which places it reaches.</p>")
        self.status = ui.LiveRegion()
        self.prediction = ui.html("")
        self.tried: set[str] = set()
        self.selected: str | None = None
        super().__init__(
            [
                illustrative_banner("This diagram"),
                ui.html("<p id='route-heading'><strong>Route of treatment</strong></p>"),
                ui.box(
                    list(self.buttons.values()),
                    "allcourse-buttons",
                    "allcourse-routes",
                    vertical=False,
                ),
                self.status,
                ui.box([self.diagram, self.results], "allcourse-reach-panel", vertical=False),
                self.prediction,
            ],
            layout=ui.layout(),
            _dom_classes=("allcourse-scenario", "allcourse-drug-reach"),
        )

    def __repr__(self) -> str:
        return f"<Drug reach scenario: {len(model.ROUTES)} routes, selected {self.selected}>"

    def choose(self, route_id: str) -> None:
        """Show one route on the diagram; mark its button by text as well as style."""
        route = model.reach(route_id)
        if self.selected is not None:
            old = self.buttons[self.selected]
            old.description = model.ROUTES[self.selected].name
            old.remove_class("is-selected")
        b = self.buttons[route_id]
        b.description = route.name + SELECTED
        b.add_class("is-selected")
        self.selected = route_id
        self.tried.add(route_id)
        self.diagram.value = body_svg(route)
        self.results.value = results_html(route)
        said = "; ".join(f"{model.SITES[s]} {v.text}" for s, v in route.sites.items())
        self.status.say(f"{route.name}: {said}.")
        if len(self.tried) >= ROUTES_BEFORE_REVEAL and not self.prediction.value:
            self.prediction.value = prediction_html()


def drug_reach() -> None:
    """Show the body diagram scenario (one line in a notebook)."""
    display(DrugReach())
