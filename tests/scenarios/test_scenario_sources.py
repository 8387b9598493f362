"""Every source a scenario shows exists, and is cited in its notebook's Markdown, so the
view's citation links land on an anchor in the page's own source list."""

from __future__ import annotations

import pytest

from allcourse.course.references import cited_ids, references
from allcourse.scenarios import (
    donor_finder,
    drug_reach,
    fever_first_hour,
    hla_inheritance,
    lab_report,
    lineage,
    marrow_crowding,
    risk_sorter,
    shift_priorities,
    therapy_target,
    tls_watch,
    transplant_pathway,
    transplant_timeline,
    treatment_journey,
)

SCENARIOS = [
    (marrow_crowding, "01_blood_and_marrow.ipynb"),
    (lineage, "01_blood_and_marrow.ipynb"),
    (lab_report, "02_diagnosis_and_risk.ipynb"),
    (risk_sorter, "02_diagnosis_and_risk.ipynb"),
    (treatment_journey, "03_treatment_phases.ipynb"),
    (therapy_target, "03_treatment_phases.ipynb"),
    (drug_reach, "03_treatment_phases.ipynb"),
    (hla_inheritance, "04_stem_cell_transplant.ipynb"),
    (donor_finder, "04_stem_cell_transplant.ipynb"),
    (transplant_pathway, "04_stem_cell_transplant.ipynb"),
    (transplant_timeline, "04_stem_cell_transplant.ipynb"),
    (fever_first_hour, "05_nursing_care.ipynb"),
    (shift_priorities, "05_nursing_care.ipynb"),
    (tls_watch, "05_nursing_care.ipynb"),
]


@pytest.mark.parametrize(("model", "notebook"), SCENARIOS, ids=lambda v: getattr(v, "__name__", v))
def test_every_source_the_scenario_shows_exists_and_is_cited_on_its_page(model, notebook):
    ids = model.source_ids()
    assert ids <= references().ids()
    missing = ids - set(cited_ids(notebook))
    assert not missing, f"cite these in {notebook}'s Markdown: {sorted(missing)}"
