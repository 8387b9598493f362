"""Scenario views load with few widget messages: each widget is made with its classes
(no `add_class` afterwards, which is one more message for the kernel and the server while
the page loads), and widgets that look alike share one Layout and one Style model
instead of one each (every model is a message, and a model the browser builds)."""

from __future__ import annotations

from collections import Counter

import ipywidgets as widgets
import pytest

from allcourse.scenarios import (
    donor_finder_view,
    drug_reach_view,
    fever_first_hour_view,
    hla_inheritance_view,
    lab_report_view,
    lineage_view,
    marrow_crowding_view,
    risk_sorter_view,
    shift_priorities_view,
    therapy_target_view,
    tls_watch_view,
    transplant_pathway_view,
    transplant_timeline_view,
    treatment_journey_view,
)

VIEWS = {
    "donor finder": lambda: donor_finder_view.DonorFinder(),
    "drug reach": lambda: drug_reach_view.DrugReach(),
    "fever first hour": lambda: fever_first_hour_view.FeverFirstHour(),
    "HLA inheritance": lambda: hla_inheritance_view.HlaInheritance().widget,
    "lab report": lambda: lab_report_view.LabReport(),
    "lineage": lambda: lineage_view.LineageExplorer().widget,
    "marrow crowding": lambda: marrow_crowding_view.MarrowCrowding(40).widget,
    "risk sorter": lambda: risk_sorter_view.RiskSorter(),
    "shift priorities": lambda: shift_priorities_view.ShiftPriorities(),
    "therapy target": lambda: therapy_target_view.TherapyTarget(),
    "TLS watch": lambda: tls_watch_view.TlsWatch(),
    "transplant pathway": lambda: transplant_pathway_view.TransplantPathway(),
    "transplant timeline": lambda: transplant_timeline_view.TransplantTimeline(14).widget,
    "treatment journey": lambda: treatment_journey_view.TreatmentJourney(),
}

# What a view may still send after a widget is made: its first drawing (HTML values,
# status lines, a slider's spoken value, a box's children), never how it looks.
LOOKS = {"_dom_classes", "layout", "style"}


def _tree(root: widgets.Widget) -> list[widgets.Widget]:
    found, todo = [], [root]
    while todo:
        w = todo.pop()
        found.append(w)
        todo.extend(getattr(w, "children", ()))
    return found


def _sent_while_building(monkeypatch, build) -> tuple[widgets.Widget, Counter]:
    sent: Counter = Counter()
    send_state = widgets.Widget.send_state

    def record(self, key=None):
        keys = [key] if isinstance(key, str) else list(key or ["<all>"])
        for k in keys:
            sent[(type(self).__name__, k)] += 1
        return send_state(self, key)

    monkeypatch.setattr(widgets.Widget, "send_state", record)
    return build(), sent


@pytest.mark.parametrize("name", list(VIEWS))
def test_a_view_is_built_without_class_or_layout_updates(monkeypatch, name):
    _view, sent = _sent_while_building(monkeypatch, VIEWS[name])
    looks = {key: n for key, n in sent.items() if key[1] in LOOKS}
    assert looks == {}, f"{name}: set after the widget was made: {looks}"


@pytest.mark.parametrize("name", list(VIEWS))
def test_widgets_that_look_alike_share_one_layout_and_one_style(name):
    tree = _tree(VIEWS[name]())
    for trait in ("layout", "style"):
        models: dict[tuple, set[int]] = {}
        for w in tree:
            model = getattr(w, trait, None)
            if model is None:
                continue
            state = model.get_state()
            look = (type(model).__name__,) + tuple(
                sorted((k, repr(v)) for k, v in state.items() if not k.startswith("_"))
            )
            models.setdefault(look, set()).add(id(model))
        repeated = {look: len(ids) for look, ids in models.items() if len(ids) > 1}
        assert repeated == {}, f"{name}: one {trait} model per widget for {repeated}"
