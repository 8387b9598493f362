"""Where do the drugs reach? A route of treatment and the three places ALL lives: the
bone marrow and blood, the central nervous system (CNS: brain, spinal cord and the
cerebrospinal fluid), and the testes.

The CNS and the testes are sanctuary sites: many drugs at standard doses cross the
blood-brain barrier and the blood-testis barrier poorly [seed-nci-adult-all, R41, R3].
That is why every plan adds CNS-directed therapy in every phase: intrathecal
chemotherapy plus CNS-penetrating systemic drugs, with cranial radiation kept for
selected patients [R41, tx-pdq-child-hp].

Pure: no widgets. Three levels per site: "reaches", "partly", "not". Each verdict says
why, with sources. The view draws `assets/body_diagram.svg` with these verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass

REACHES, PARTLY, NOT = "reaches", "partly", "not"
LEVEL_TEXT: dict[str, str] = {
    REACHES: "reached",
    PARTLY: "partly reached",
    NOT: "not reached",
}

SITES: dict[str, str] = {
    "marrow": "Bone marrow and blood",
    "cns": "Brain and spinal cord (CNS and cerebrospinal fluid)",
    "testes": "Testes",
}


@dataclass(frozen=True)
class Reach:
    level: str
    why: str
    sources: tuple[str, ...]

    @property
    def text(self) -> str:
        return LEVEL_TEXT[self.level]


# The diagram's parts for each site (ids in assets/body_diagram.svg).
PARTS: dict[str, tuple[str, ...]] = {
    "marrow": ("site-marrow",),
    "cns": ("site-cns-brain", "site-cns-spine"),
    "testes": ("site-testes",),
}


@dataclass(frozen=True)
class Route:
    id: str
    name: str
    example: str
    sites: dict[str, Reach]
    parts: tuple[tuple[str, str], ...] = ()  # (diagram part, level) where it differs

    def part_level(self, part: str) -> str:
        """The level the diagram shows for one part: its site's, unless overridden."""
        for name, level in self.parts:
            if name == part:
                return level
        site = next(s for s, names in PARTS.items() if part in names)
        return self.sites[site].level


_SYSTEMIC_MARROW = Reach(
    REACHES,
    "Drugs taken by mouth or given into a vein travel in the blood to the marrow, where "
    "the leukemia starts.",
    ("seed-nci-adult-all", "R41"),
)
_TESTES_BARRIER = Reach(
    PARTLY,
    "The blood-testis barrier made the testes a sanctuary site; with today's intensive "
    "systemic chemotherapy, testicular relapse has fallen to about 2% or less.",
    ("R3",),
)

ROUTES: dict[str, Route] = {
    r.id: r
    for r in (
        Route(
            "oral",
            "Oral systemic chemotherapy",
            "for example daily 6-mercaptopurine in maintenance",
            {
                "marrow": _SYSTEMIC_MARROW,
                "cns": Reach(
                    PARTLY,
                    "Standard doses of chemotherapy may not reach leukemia cells in the CNS: "
                    "the blood-brain barrier keeps most of the drug out, so cells can hide there.",
                    ("seed-nci-adult-all", "R41"),
                ),
                "testes": _TESTES_BARRIER,
            },
        ),
        Route(
            "iv-standard",
            "IV systemic chemotherapy at standard doses",
            "for example vincristine or daunorubicin",
            {
                "marrow": _SYSTEMIC_MARROW,
                "cns": Reach(
                    PARTLY,
                    "As with oral drugs, standard IV doses cross the blood-brain barrier "
                    "poorly; the CNS stays a sanctuary site.",
                    ("seed-nci-adult-all", "R41"),
                ),
                "testes": _TESTES_BARRIER,
            },
        ),
        Route(
            "iv-high-dose",
            "CNS-penetrating systemic chemotherapy",
            "for example high-dose methotrexate, high-dose cytarabine or dexamethasone",
            {
                "marrow": _SYSTEMIC_MARROW,
                "cns": Reach(
                    PARTLY,
                    "High doses (and CNS-penetrating drugs such as dexamethasone) do reach "
                    "leukemia cells in the CNS, but on their own they are not enough to "
                    "prevent CNS relapse: standard CNS-directed therapy pairs them with "
                    "intrathecal chemotherapy.",
                    ("seed-nci-adult-all", "R41", "tx-pdq-child-hp"),
                ),
                "testes": Reach(
                    REACHES,
                    "Intensive systemic chemotherapy, including high-dose methotrexate, can "
                    "clear leukemia from the testes despite the blood-testis barrier; that is "
                    "why testicular relapse is now about 2% or less and radiation is rarely "
                    "needed.",
                    ("R3", "tx-pdq-child-hp"),
                ),
            },
        ),
        Route(
            "intrathecal",
            "Intrathecal chemotherapy",
            "methotrexate, or methotrexate with cytarabine and hydrocortisone, by lumbar "
            "puncture or through an Ommaya reservoir",
            {
                "marrow": Reach(
                    NOT,
                    "Intrathecal drugs are put into the cerebrospinal fluid to treat the CNS; "
                    "they are not the treatment for the marrow, which is why they are always "
                    "given alongside systemic chemotherapy.",
                    ("seed-nci-adult-all", "R41"),
                ),
                "cns": Reach(
                    REACHES,
                    "The drug goes straight into the cerebrospinal fluid, past the blood-brain "
                    "barrier, by lumbar puncture or through an Ommaya reservoir under the scalp.",
                    ("seed-nci-adult-all", "seed-hu-treatment", "R44", "R42"),
                ),
                "testes": Reach(
                    NOT,
                    "The cerebrospinal fluid does not bathe the testes; intrathecal therapy "
                    "treats the CNS only.",
                    ("seed-nci-adult-all", "R3"),
                ),
            },
        ),
        Route(
            "cranial-radiation",
            "Cranial radiation",
            "for selected patients only, such as those with CNS3 disease at diagnosis",
            {
                "marrow": Reach(
                    NOT,
                    "Radiation treats only the field it is aimed at; cranial radiation does "
                    "not treat the marrow of the rest of the body.",
                    ("tx-pdq-child-hp", "seed-nci-adult-all"),
                ),
                "cns": Reach(
                    PARTLY,
                    "Radiation to the brain reaches leukemia cells there, but the spinal cord "
                    "is outside the field (spinal radiation is no longer used), so intrathecal "
                    "chemotherapy continues. Today most children are treated without cranial "
                    "radiation; it is kept for those at highest risk of CNS relapse, such as CNS3.",
                    ("seed-nci-adult-all", "R41", "tx-pdq-child-hp"),
                ),
                "testes": Reach(
                    NOT,
                    "The testes are outside the cranial field; testicular disease is treated "
                    "with systemic chemotherapy, and radiation to the testes only for disease "
                    "that persists.",
                    ("seed-hu-treatment", "tx-pdq-child-hp"),
                ),
            },
            parts=(("site-cns-brain", REACHES), ("site-cns-spine", NOT)),
        ),
    )
}


class RouteError(KeyError):
    """An unknown route (an authoring or tampering error)."""


def reach(route_id: str) -> Route:
    """The route with its verdict for each site."""
    if route_id not in ROUTES:
        raise RouteError(f"Unknown route {route_id!r}; choose one of: {', '.join(ROUTES)}.")
    return ROUTES[route_id]


def routes_reaching_all(level: str = REACHES) -> list[str]:
    """Routes that reach every site at `level` (the prediction check: none does)."""
    return [r.id for r in ROUTES.values() if all(s.level == level for s in r.sites.values())]


def source_ids() -> set[str]:
    """Every reference id the diagram can show (the notebook must cite each one)."""
    return {s for r in ROUTES.values() for site in r.sites.values() for s in site.sources}
