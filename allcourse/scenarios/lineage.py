"""The blood stem cell tree as data: which cell comes from which, what each does, and
what goes wrong in ALL.

Every statement carries the reference ids behind it (assets/references.yml). The tree
follows NCI's plain-language account [seed-nci-adult-all, R1]: a blood stem cell becomes a
myeloid or a lymphoid stem cell; the myeloid stem cell becomes red cells, platelets or
granulocytes; the lymphoid stem cell becomes a lymphoblast and then a B lymphocyte, a T
lymphocyte or a natural killer cell. NCI's adult patient page also names the thymus as a
place blood stem cells are made; that is loose: stem cells live in the bone marrow, and the
thymus is where T lymphocytes mature [rv-nci-dict-thymus, rv-nci-dict-tcell]. Normal ranges
are typical adult values from a laboratory reference (labs differ) [rv-merck-cbc, R91].

Pure data and lookups: no widgets (the view is `lineage_view`).
"""

from __future__ import annotations

from dataclasses import dataclass

from allcourse.scenarios.marrow_crowding import ANC_SOURCES, PLATELET_BLEEDING_SOURCES, Cited

NO_RANGE = "Not covered in this course's sources."


@dataclass(frozen=True)
class CellType:
    """One cell of the tree."""

    id: str
    name: str
    parent: str | None  # id of the cell it comes from; None for the blood stem cell
    stage: str  # "stem cell", "immature cell" or "mature cell"
    job: Cited
    normal_range: Cited | None  # None: no sourced range (the view says so)
    thresholds: tuple[Cited, ...]  # sourced counts a nurse acts on, where any
    in_all: Cited  # what goes wrong in ALL

    def facts(self) -> tuple[Cited, ...]:
        extra = (self.normal_range,) if self.normal_range else ()
        return (self.job, *extra, *self.thresholds, self.in_all)

    def sources(self) -> tuple[str, ...]:
        """Reference ids behind this cell's facts, in first-use order."""
        seen: dict[str, None] = {}
        for fact in self.facts():
            for ref in fact.sources:
                seen.setdefault(ref, None)
        return tuple(seen)


CELLS: tuple[CellType, ...] = (
    CellType(
        id="blood_stem_cell",
        name="Blood stem cell",
        parent=None,
        stage="stem cell",
        job=Cited(
            "An immature cell that becomes mature blood cells over time, first by becoming "
            "either a myeloid or a lymphoid stem cell. Blood stem cells live in the bone "
            "marrow. (NCI's adult patient page also names the thymus; the thymus is where T "
            "cells mature, not where stem cells are made.)",
            ("seed-nci-adult-all", "R1", "rv-nci-dict-tcell", "rv-nci-dict-thymus"),
        ),
        normal_range=None,
        thresholds=(),
        in_all=Cited(
            "ALL is caused by changes in how blood stem cells work, especially in how they "
            "grow and divide into new cells.",
            ("seed-nci-adult-all",),
        ),
    ),
    CellType(
        id="myeloid_stem_cell",
        name="Myeloid stem cell",
        parent="blood_stem_cell",
        stage="stem cell",
        job=Cited(
            "Becomes one of three kinds of mature cell: red blood cells, platelets or "
            "granulocytes (white blood cells).",
            ("R1",),
        ),
        normal_range=None,
        thresholds=(),
        in_all=Cited(
            "ALL does not start here, but its cells are crowded out: as leukemia cells fill "
            "the marrow there is less room to make red cells, platelets and healthy white "
            "cells.",
            ("seed-nci-adult-all", "R1"),
        ),
    ),
    CellType(
        id="lymphoid_stem_cell",
        name="Lymphoid stem cell",
        parent="blood_stem_cell",
        stage="stem cell",
        job=Cited(
            "Becomes a lymphoblast, which then becomes one of three kinds of lymphocyte (white "
            "blood cell).",
            ("seed-nci-adult-all", "R1"),
        ),
        normal_range=None,
        thresholds=(),
        in_all=Cited(
            "In ALL too many stem cells become lymphoblasts or B or T lymphocytes: the "
            "leukemia cells.",
            ("seed-nci-adult-all", "R1"),
        ),
    ),
    CellType(
        id="lymphoblast",
        name="Lymphoblast",
        parent="lymphoid_stem_cell",
        stage="immature cell",
        job=Cited(
            "The immature stage between the lymphoid stem cell and a mature lymphocyte.",
            ("seed-nci-adult-all", "R1"),
        ),
        normal_range=None,
        thresholds=(),
        in_all=Cited(
            "The marrow makes too many immature lymphocytes. These leukemia cells do not "
            "fight infection well, and they grow and crowd out the marrow so it cannot make "
            "the normal cells the body needs.",
            ("R1", "seed-nci-adult-all", "seed-nmdp-bmt"),
        ),
    ),
    CellType(
        id="b_lymphocyte",
        name="B lymphocyte",
        parent="lymphoblast",
        stage="mature cell",
        job=Cited("Makes antibodies that help fight infection.", ("R1",)),
        normal_range=None,
        thresholds=(),
        in_all=Cited(
            "B-cell ALL is the commoner type: about 85% of ALL starts in B cells, and in "
            "adults about 70-75% of ALL is precursor B-ALL.",
            ("R6", "R7"),
        ),
    ),
    CellType(
        id="t_lymphocyte",
        name="T lymphocyte",
        parent="lymphoblast",
        stage="mature cell",
        job=Cited(
            "Matures in the thymus. Helper T cells help B lymphocytes make antibodies; "
            "cytotoxic T cells kill infected cells and cancer cells. (NCI's plain-language "
            "page mentions only the helping.)",
            ("R1", "rv-nci-dict-thymus", "rv-nci-dict-ctl"),
        ),
        normal_range=None,
        thresholds=(),
        in_all=Cited(
            "T-cell ALL is about 15% of ALL, and 20-25% of ALL in adults. Because T cells "
            "mature in the thymus, in the chest, T-cell ALL can present with a mass in the "
            "mediastinum that presses on the airway (breathlessness, stridor); CNS "
            "involvement is more common than in B-cell ALL.",
            ("R6", "R7", "R4", "rv-nci-dict-thymus"),
        ),
    ),
    CellType(
        id="nk_cell",
        name="Natural killer (NK) cell",
        parent="lymphoblast",
        stage="mature cell",
        job=Cited("Attacks cancer cells and viruses.", ("R1",)),
        normal_range=None,
        thresholds=(),
        in_all=Cited(
            "Not one of the ALL types the course's sources describe (those are B-cell and "
            "T-cell ALL). Like other healthy white cells, NK cells lose room in a crowded "
            "marrow.",
            ("R6", "seed-nci-adult-all"),
        ),
    ),
    CellType(
        id="red_blood_cell",
        name="Red blood cell",
        parent="myeloid_stem_cell",
        stage="mature cell",
        job=Cited("Carries oxygen and other substances to all the tissues of the body.", ("R1",)),
        normal_range=Cited(
            "Hemoglobin about 14-17 g/dL (men) and 12-16 g/dL (women) in adults; labs differ "
            "and children's ranges depend on age. Red cells live about 115 days.",
            ("rv-merck-cbc", "rv-franco-2012"),
        ),
        thresholds=(),
        in_all=Cited(
            "Crowded out of the marrow, so anemia follows: tiredness and weakness, shortness "
            "of breath.",
            ("seed-nci-adult-all", "R2"),
        ),
    ),
    CellType(
        id="platelet",
        name="Platelet",
        parent="myeloid_stem_cell",
        stage="mature cell",
        job=Cited("Forms blood clots to stop bleeding.", ("R1",)),
        normal_range=Cited(
            "About 140,000-450,000/µL in adults (labs differ). Platelets last up to about 10 days.",
            ("rv-merck-cbc", "rv-fliedner-2002"),
        ),
        thresholds=(
            Cited("Below 50,000/mm³: bleeding precautions.", PLATELET_BLEEDING_SOURCES),
            Cited(
                "Below 20,000/mm³: bleeding can happen without any injury.",
                PLATELET_BLEEDING_SOURCES,
            ),
        ),
        in_all=Cited(
            "Crowded out of the marrow, so bleeding comes easily: bruising, bleeding gums, "
            "petechiae and purpura.",
            ("seed-nci-adult-all", "R2"),
        ),
    ),
    CellType(
        id="granulocyte",
        name="Granulocyte (white blood cell)",
        parent="myeloid_stem_cell",
        stage="mature cell",
        job=Cited(
            "Fights infection and disease. Neutrophils, counted as the absolute neutrophil "
            "count (ANC), are the granulocytes nurses track.",
            ("R1", "R91"),
        ),
        normal_range=Cited(
            "ANC of 1,500/mm³ or more. The total white count (every kind of white cell) is "
            "about 4,500-11,000/µL in adults; labs differ. Neutrophils circulate for only "
            "hours (half-life 6-8 h), so the ANC is the first count to fall when the marrow "
            "fails.",
            ("R91", "rv-merck-cbc", "rv-summers-2010"),
        ),
        thresholds=(
            Cited(
                "ANC 1,000 to less than 1,500: mild; 500 to less than 1,000: moderate; less "
                "than 500/mm³: severe neutropenia.",
                ANC_SOURCES,
            ),
        ),
        in_all=Cited(
            "Crowded out of the marrow, so infections come easily: fever or night sweats, "
            "infections that keep coming back.",
            ("seed-nci-adult-all", "R2"),
        ),
    ),
)

_BY_ID = {c.id: c for c in CELLS}
ROOT_ID = "blood_stem_cell"


def cell(cell_id: str) -> CellType:
    """The cell with this id; KeyError names the ids that exist."""
    try:
        return _BY_ID[cell_id]
    except KeyError:
        raise KeyError(f"no cell {cell_id!r}; cells are: {', '.join(_BY_ID)}") from None


def children(cell_id: str) -> tuple[CellType, ...]:
    """The cells this one becomes, in the order they are listed."""
    return tuple(c for c in CELLS if c.parent == cell_id)


def path_to_root(cell_id: str) -> tuple[CellType, ...]:
    """This cell, its parent, ... up to the blood stem cell. Raises on a loop."""
    chain: list[CellType] = []
    current: CellType | None = cell(cell_id)
    while current is not None:
        if current in chain:
            raise ValueError(f"the tree loops at {current.id!r}")
        chain.append(current)
        current = cell(current.parent) if current.parent else None
    return tuple(chain)


def lineage_text(cell_id: str) -> str:
    """'Blood stem cell → Lymphoid stem cell → Lymphoblast', ending at this cell."""
    return " → ".join(c.name for c in reversed(path_to_root(cell_id)))


def source_ids() -> set[str]:
    """Every reference id the tree shows (the notebook must cite each one)."""
    return {ref for c in CELLS for ref in c.sources()}
