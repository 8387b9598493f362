"""The stem cell tree: every cell reaches the blood stem cell, has a job and sources that
resolve, and shows a normal range only where a source gives one."""

from __future__ import annotations

import pytest

from allcourse.course.references import references
from allcourse.scenarios import lineage
from allcourse.scenarios.lineage import CELLS, ROOT_ID

CELL_IDS = [c.id for c in CELLS]


def test_ids_are_unique_and_there_is_one_root():
    assert len(set(CELL_IDS)) == len(CELL_IDS)
    roots = [c for c in CELLS if c.parent is None]
    assert [c.id for c in roots] == [ROOT_ID]


@pytest.mark.parametrize("cell_id", CELL_IDS)
def test_every_cell_has_a_path_to_the_blood_stem_cell(cell_id):
    path = lineage.path_to_root(cell_id)
    assert path[0].id == cell_id
    assert path[-1].id == ROOT_ID


@pytest.mark.parametrize("cell", CELLS, ids=CELL_IDS)
def test_every_cell_has_a_job_and_what_goes_wrong_in_all(cell):
    assert cell.job.text.strip() and cell.job.sources
    assert cell.in_all.text.strip() and cell.in_all.sources


@pytest.mark.parametrize("cell", CELLS, ids=CELL_IDS)
def test_every_fact_has_sources_that_resolve(cell):
    known = references().ids()
    for fact in cell.facts():
        assert fact.sources, f"{cell.id}: unsourced fact {fact.text!r}"
        assert set(fact.sources) <= known


def test_the_tree_is_the_one_nci_describes():
    assert lineage.lineage_text("b_lymphocyte") == (
        "Blood stem cell → Lymphoid stem cell → Lymphoblast → B lymphocyte"
    )
    assert {c.id for c in lineage.children(ROOT_ID)} == {"myeloid_stem_cell", "lymphoid_stem_cell"}
    assert {c.id for c in lineage.children("lymphoblast")} == {
        "b_lymphocyte",
        "t_lymphocyte",
        "nk_cell",
    }
    assert {c.id for c in lineage.children("myeloid_stem_cell")} == {
        "red_blood_cell",
        "platelet",
        "granulocyte",
    }


def test_the_mature_myeloid_cells_show_sourced_normal_ranges_and_say_labs_differ():
    with_range = {c.id: c.normal_range for c in CELLS if c.normal_range is not None}
    assert set(with_range) == {"red_blood_cell", "platelet", "granulocyte"}
    assert "1,500" in with_range["granulocyte"].text and "R91" in with_range["granulocyte"].sources
    assert "12-16 g/dL" in with_range["red_blood_cell"].text
    assert "140,000-450,000" in with_range["platelet"].text
    for normal in with_range.values():
        assert "labs differ" in normal.text and "rv-merck-cbc" in normal.sources


def test_stem_cells_live_in_the_marrow_and_t_cells_mature_in_the_thymus():
    stem = lineage.cell("blood_stem_cell").job.text
    assert "live in the bone marrow" in stem
    assert "not where stem cells are made" in stem
    t_cell = lineage.cell("t_lymphocyte").job.text
    assert "thymus" in t_cell and "kill infected cells and cancer cells" in t_cell


def test_platelet_thresholds_are_the_sourced_ones():
    platelet = lineage.cell("platelet")
    texts = " ".join(t.text for t in platelet.thresholds)
    assert "50,000" in texts and "20,000" in texts
    assert all(t.sources == ("R94", "rv-merck-platelet-bleeding") for t in platelet.thresholds)


def test_unknown_cell_names_the_cells_that_exist():
    with pytest.raises(KeyError, match="lymphoblast"):
        lineage.cell("monocyte")


def test_a_loop_in_the_tree_is_reported(monkeypatch):
    looped = lineage.CellType(
        id="blood_stem_cell",
        name="Blood stem cell",
        parent="lymphoid_stem_cell",
        stage="stem cell",
        job=lineage.CELLS[0].job,
        normal_range=None,
        thresholds=(),
        in_all=lineage.CELLS[0].in_all,
    )
    monkeypatch.setitem(lineage._BY_ID, "blood_stem_cell", looped)
    with pytest.raises(ValueError, match="loops"):
        lineage.path_to_root("lymphoblast")


# --- the view (no browser) ----------------------------------------------------------------


def test_view_selecting_a_cell_shows_its_details_and_marks_it():
    from allcourse.scenarios.lineage_view import LineageExplorer

    view = LineageExplorer()
    assert "Choose a cell" in view.details.value
    assert set(view.buttons) == set(CELL_IDS)
    view.buttons["lymphoblast"].click()
    assert "<h3 id='cell-details-heading'>Lymphoblast</h3>" in view.details.value
    assert "Not covered in this course&#x27;s sources." in view.details.value
    assert view.buttons["lymphoblast"].description == "Lymphoblast (selected)"
    assert "Lymphoblast:" in view.status.text

    view.buttons["granulocyte"].click()
    assert "1,500/mm³ or more" in view.details.value
    assert "href='#ref-R91'" in view.details.value
    assert view.buttons["lymphoblast"].description == "Lymphoblast"
    assert "is-selected" not in view.buttons["lymphoblast"]._dom_classes
    assert "is-selected" in view.buttons["granulocyte"]._dom_classes
