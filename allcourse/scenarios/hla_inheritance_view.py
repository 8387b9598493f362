"""The HLA-inheritance scenario on the page: the parents' haplotypes, the four equally
likely children and how each matches the patient, then a sibling count with the formula
1 - 0.75^N beside 1,000 simulated (seeded) families. Draws what `hla_inheritance`
computes; the prediction's explanation stays in the kernel until the student checks.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import hla_inheritance as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.prediction_view import PredictionCheck

ICONS = {model.FULL: "●", model.HALF: "◐", model.NONE: "○"}
SHOWN_FAMILIES = 8
PATIENT = model.Child("a", "c")


def _level_text(level: str) -> str:
    return f"<span aria-hidden='true'>{ICONS[level]}</span> {html.escape(model.MATCH_SHORT[level])}"


def square_html() -> str:
    """The Punnett square: mother's haplotypes by father's, each child's match to the patient."""
    head = "".join(f"<th scope='col'>Father gives {f}</th>" for f in model.FATHER)
    rows = []
    for m in model.MOTHER:
        cells = []
        for f in model.FATHER:
            child = model.Child(m, f)
            level = model.match_level(PATIENT, child)
            who = " (the patient)" if child == PATIENT else ""
            cells.append(
                f"<td data-child='{child.label}'><strong>{child.label}</strong>{who}<br>"
                f"{_level_text(level)}</td>"
            )
        rows.append(f"<tr><th scope='row'>Mother gives {m}</th>{''.join(cells)}</tr>")
    dist = model.match_distribution(PATIENT)
    shares = "; ".join(
        f"{html.escape(model.MATCH_LABELS[level])}: {model.percent(dist[level])}"
        for level in (model.FULL, model.HALF, model.NONE)
    )
    return (
        "<div class='allcourse-counts-wrap'><table class='allcourse-counts allcourse-hla-square'>"
        "<caption>The four equally likely children of a mother with haplotypes a and b and a "
        "father with haplotypes c and d. The patient inherited a and c.</caption>"
        f"<thead><tr><th scope='col'>Each child gets one from each parent</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f"<p class='allcourse-hla-distribution'>For each brother or sister of the patient: "
        f"{shares}.{citation_links(model.SOURCES[:2])}</p>"
        "<p class='allcourse-counts-note'>Simplified: rare crossing-over inside the HLA region "
        "and identical twins are left out. A parent or a child of the patient always shares "
        "exactly one haplotype (haploidentical)."
        f"{citation_links(('R68', 'seed-acs-transplant'))}</p>"
    )


def simulation_html(summary: model.SimulationSummary) -> str:
    n = summary.n_siblings
    expected = model.percent(summary.expected)
    seen = model.percent(summary.share)
    rows = []
    for i, family in enumerate(summary.families[:SHOWN_FAMILIES], start=1):
        sibs = ", ".join(
            f"{s.label}: {_level_text(level)}"
            for s, level in zip(family.siblings, family.levels(), strict=True)
        )
        found = "yes" if family.has_full_match else "no"
        rows.append(
            f"<tr><th scope='row'>Family {i}</th><td>{family.patient.label}</td>"
            f"<td>{sibs}</td><td>{found}</td></tr>"
        )
    levels = summary.sibling_levels()
    total = sum(levels.values())
    split = ", ".join(
        f"{model.MATCH_SHORT[lv]} {model.percent(model.Fraction(levels[lv], total))}"
        for lv in (model.FULL, model.HALF, model.NONE)
    )
    sibs_word = "brother or sister" if n == 1 else "brothers and sisters"
    return (
        f"<div class='allcourse-hla-result' data-siblings='{n}'>"
        f"<p><strong>Formula:</strong> chance that at least one of {n} {sibs_word} is a full "
        f"match = 1 − 0.75<sup>{n}</sup> = <strong class='allcourse-hla-formula'>{expected}"
        "</strong></p>"
        f"<p><strong>Simulation:</strong> in {len(summary.families):,} simulated families, "
        f"<strong class='allcourse-hla-simulated'>{summary.with_full_match:,} ({seen})</strong> "
        f"had at least one full match. Across all their {total:,} simulated siblings: {split}.</p>"
        "<div class='allcourse-counts-wrap'><table class='allcourse-counts'>"
        f"<caption>The first {SHOWN_FAMILIES} simulated families (patient's haplotypes, "
        "then each sibling's)</caption><thead><tr><th scope='col'>Family</th>"
        "<th scope='col'>Patient</th><th scope='col'>Siblings</th>"
        "<th scope='col'>Full match found?</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></div>"
    )


def _reveal() -> str:
    p = model.p_at_least_one_full_match(3)
    return (
        f"<p>With 3 brothers and sisters the chance is 1 − 0.75<sup>3</sup> = 1 − 0.42 = "
        f"about {model.percent(p, 0)}, not 75%: each sibling has its own 25% chance, so the "
        "chances do not add up. That is why about 70% of patients have no fully matched "
        "donor in the family and a registry search starts early."
        f"{citation_links(('sct-nmdp-hla',))}</p>"
    )


class HlaInheritance:
    """Builds the scenario's widgets; `.widget` is what the page shows."""

    def __init__(self, n_siblings: int = 1) -> None:
        self.prediction = PredictionCheck(
            "A patient has 3 full brothers and sisters. What is the chance that at least one "
            "of them is a full HLA match?",
            [("25%", "p25"), ("About 58%", "p58"), ("75%", "p75"), ("100%", "p100")],
            "p58",
            _reveal,
        )
        self.siblings = widgets.Dropdown(
            options=[(str(n), n) for n in range(1, model.MAX_SIBLINGS + 1)],
            value=n_siblings,
            description="Number of brothers and sisters",
            style=ui.description_style(),
            layout=ui.layout(width="auto"),
            _dom_classes=("allcourse-hla-siblings",),
        )
        self.status = ui.LiveRegion(_dom_classes=("allcourse-hla-status",))
        self.result = ui.html("")
        self.siblings.observe(lambda change: self.show(change["new"]), names="value")
        self.widget = ui.box(
            [
                illustrative_banner("The inheritance model"),
                ui.html(square_html()),
                self.prediction,
                self.siblings,
                self.status,
                self.result,
            ],
            "allcourse-scenario",
            "allcourse-hla",
        )
        self.show(n_siblings, announce=False)

    def show(self, n_siblings: object, *, announce: bool = True) -> None:
        """Redraw for N siblings; a value the model cannot use gets a message."""
        try:
            summary = model.simulate(n_siblings)  # type: ignore[arg-type]
        except model.SiblingCountError as exc:
            self.status.say(str(exc))
            return
        self.result.value = simulation_html(summary)
        if announce:
            self.status.say(
                f"{summary.n_siblings} siblings: formula {model.percent(summary.expected)}, "
                f"simulated {model.percent(summary.share)} of families with a full match."
            )


def hla_inheritance(n_siblings: int = 1) -> None:
    """Show the HLA-inheritance scenario (one line in a notebook)."""
    display(HlaInheritance(n_siblings).widget)
