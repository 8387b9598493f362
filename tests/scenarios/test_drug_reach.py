"""Where do the drugs reach? Sanctuary sites are taught right (standard systemic doses
reach the CNS only partly; intrathecal drugs treat the CSF, not the marrow; cranial
radiation reaches the CNS only); the diagram says each verdict in words; the
prediction check waits for two routes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from allcourse.course.references import references
from allcourse.scenarios import drug_reach as dr
from allcourse.scenarios.drug_reach import NOT, PARTLY, REACHES, RouteError, reach


def test_every_verdict_has_a_known_source():
    ids = references().ids()
    for r in dr.ROUTES.values():
        assert set(r.sites) == set(dr.SITES)
        for v in r.sites.values():
            assert v.sources and set(v.sources) <= ids


def test_sanctuary_sites():
    for route in ("oral", "iv-standard"):
        assert reach(route).sites["marrow"].level == REACHES
        assert reach(route).sites["cns"].level == PARTLY  # the CNS is a sanctuary site
    high = reach("iv-high-dose").sites
    # reaches the CNS, but is not enough alone: intrathecal therapy is always added [R41]
    assert (high["cns"].level, high["testes"].level) == (PARTLY, REACHES)
    it = reach("intrathecal").sites
    assert (it["cns"].level, it["marrow"].level, it["testes"].level) == (REACHES, NOT, NOT)
    crt = reach("cranial-radiation")
    levels = (crt.sites["cns"].level, crt.sites["marrow"].level, crt.sites["testes"].level)
    assert levels == (PARTLY, NOT, NOT)
    # the brain is in the field, the spinal cord is not (spinal radiation is no longer used)
    assert crt.part_level("site-cns-brain") == REACHES
    assert crt.part_level("site-cns-spine") == NOT
    assert reach("intrathecal").part_level("site-cns-spine") == REACHES


def test_no_route_reaches_all_three_places_fully():
    assert dr.routes_reaching_all() == []


def test_unknown_route_is_a_clear_error():
    with pytest.raises(RouteError, match="choose one of"):
        reach("rectal")


def test_diagram_text_alternative_and_labels_follow_the_route():
    from allcourse.scenarios.drug_reach_view import body_svg

    blank = ET.fromstring(body_svg(None))
    ns = "{http://www.w3.org/2000/svg}"
    assert blank.get("role") == "img" and blank.find(f"{ns}title").text
    svg = ET.fromstring(body_svg(reach("intrathecal")))
    desc = svg.find(f"{ns}desc").text
    assert "Intrathecal chemotherapy" in desc and "not reached" in desc
    label = svg.find(f".//{ns}text[@id='label-marrow']/{ns}tspan").text
    assert label.endswith("not reached")
    group = svg.find(f".//{ns}g[@id='site-cns-spine']")
    assert "body-reach-reaches" in group.get("class")
    crt = ET.fromstring(body_svg(reach("cranial-radiation")))
    spine = crt.find(f".//{ns}g[@id='site-cns-spine']")
    assert "body-reach-not" in spine.get("class")


def test_view_reveals_the_prediction_after_two_routes():
    from allcourse.scenarios.drug_reach_view import DrugReach

    view = DrugReach()
    view.choose("intrathecal")
    assert view.prediction.value == ""
    assert view.buttons["intrathecal"].description.endswith("(selected)")
    view.choose("intrathecal")  # the same route again is not a second route
    assert view.prediction.value == ""
    view.choose("oral")
    assert "Check your prediction" in view.prediction.value
    assert not view.buttons["intrathecal"].description.endswith("(selected)")
