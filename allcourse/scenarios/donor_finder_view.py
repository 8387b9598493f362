"""The find-a-donor scenario on the page: a fictional patient's HLA typing and the
candidates found, a drop-down to pick a donor, and after checking each candidate's match
locus by locus with the reasoning of the donor order. Grading is
`donor_finder.grade_choice()`, in the kernel; no grade or category reaches the browser
before the student checks.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import donor_finder as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.donor_finder import ChoiceResult, Family
from allcourse.scenarios.feedback import CheckSteps, mark, verdict_html
from allcourse.scenarios.prediction_view import ChoiceCheck


def _alleles(pair: tuple[str, str]) -> str:
    return " / ".join(html.escape(a) for a in pair)


def typing_html(family: Family) -> str:
    """The patient's typing and every candidate's, as one table (no grades)."""
    head = "".join(f"<th scope='col'>HLA-{locus}</th>" for locus in model.LOCI)
    rows = [
        f"<tr class='allcourse-hla-patient'><th scope='row'>{html.escape(family.patient_name)} "
        "(patient)</th>"
        + "".join(f"<td>{_alleles(family.patient_typing[locus])}</td>" for locus in model.LOCI)
        + "</tr>"
    ]
    for c in family.candidates:
        rows.append(
            f"<tr data-candidate='{html.escape(c.id)}'><th scope='row'>{html.escape(c.title)}</th>"
            + "".join(f"<td>{_alleles(c.typing[locus])}</td>" for locus in model.LOCI)
            + "</tr>"
        )
    return (
        "<section class='allcourse-donor-family' aria-labelledby='donor-family-heading'>"
        f"<h3 id='donor-family-heading'>{html.escape(family.title)} (fictional)</h3>"
        f"<p>{html.escape(family.story)} High-resolution typing at five loci, two alleles "
        f"each, one from each parent.{citation_links(('sct-dehn-2019', 'sct-nmdp-hla'))}</p>"
        "<div class='allcourse-counts-wrap' tabindex='0' role='region' "
        "aria-label='HLA typing table (scrolls sideways on small screens)'>"
        "<table class='allcourse-counts allcourse-donor-typing'>"
        "<caption>HLA typing of the patient and the candidates</caption>"
        f"<thead><tr><th scope='col'>Person</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        "<p>Compare each candidate with the patient, then choose the donor the classic "
        "donor order points to.</p></section>"
    )


def feedback_html(result: ChoiceResult) -> str:
    ok = result.correct
    chosen = result.chosen
    head = verdict_html(
        *mark(ok),
        f"{'A sound choice' if ok else 'Not the best choice here'}: you chose "
        f"{html.escape(chosen.candidate.title)}, {html.escape(chosen.label.lower())}, "
        f"{chosen.grade.text}.",
    )
    rows = []
    for a in result.rows:
        mism = (
            ", ".join(f"{locus} ({a.grade.mismatches[locus]})" for locus in a.grade.mismatched_loci)
            or "none"
        )
        best = " ✔ best available" if a.candidate.id in result.accepted else ""
        rows.append(
            f"<tr data-candidate='{html.escape(a.candidate.id)}'>"
            f"<th scope='row'>{html.escape(a.candidate.title)}</th>"
            f"<td class='allcourse-count-value'>{a.grade.of_8}/8</td>"
            f"<td class='allcourse-count-value'>{a.grade.of_10}/10</td>"
            f"<td>{html.escape(mism)}</td><td>{html.escape(a.label)}{best}</td></tr>"
        )
    table = (
        "<div class='allcourse-counts-wrap' tabindex='0' role='region' "
        "aria-label='Match of each candidate (scrolls sideways on small screens)'>"
        "<table class='allcourse-counts allcourse-donor-grades'>"
        "<caption>Each candidate against the patient</caption><thead><tr>"
        "<th scope='col'>Candidate</th><th scope='col'>A, B, C, DRB1</th>"
        "<th scope='col'>With DQB1</th><th scope='col'>Mismatched loci (alleles)</th>"
        "<th scope='col'>Where it stands</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    text, sources = model.CATEGORY_REASONS[chosen.category]
    reasons = [
        f"<p><strong>{html.escape(chosen.label)}.</strong> {html.escape(text)}"
        f"{citation_links(sources)}</p>"
    ]
    if not ok:
        best = next(a for a in result.rows if a.candidate.id in result.accepted)
        btext, bsources = model.CATEGORY_REASONS[best.category]
        reasons.append(
            f"<p><strong>Better here: {html.escape(best.candidate.title)}, "
            f"{html.escape(best.label.lower())}.</strong> {html.escape(btext)}"
            f"{citation_links(bsources)}</p>"
        )
    if result.alternatives_only:
        note, nsources = model.ALTERNATIVES_NOTE
        reasons.append(f"<p>{html.escape(note)}{citation_links(nsources)}</p>")
    return (
        "<section class='allcourse-feedback allcourse-donor-feedback' aria-label='Feedback'>"
        f"{head}{table}{''.join(reasons)}</section>"
    )


class DonorFinder(widgets.VBox):
    """Family chooser, typing table, a donor drop-down, check and try-again, feedback."""

    def __init__(self, family_id: str | None = None) -> None:
        first = family_id or model.FAMILIES[0].id
        self.chooser = widgets.Dropdown(
            options=[(f.title, f.id) for f in model.FAMILIES],
            value=first,
            description="Patient",
            style=ui.description_style(),
            layout=ui.layout(width="auto"),
        )
        self.family_box = ui.html("")
        self.pick = ChoiceCheck("Your donor choice", [], "Check my choice", self._checked)
        self.checks = CheckSteps(lambda: [self.pick], self.reset)
        self.again = self.checks.again
        self.status, self.feedback = self.checks.status, self.checks.feedback
        self.result: ChoiceResult | None = None
        self.family: Family = model.family(first)
        super().__init__(
            [
                illustrative_banner("This donor search, with fictional families and typings,"),
                self.chooser,
                self.family_box,
                self.pick,
                self.checks.buttons,
                self.status,
                self.feedback,
            ],
            layout=ui.layout(),
            _dom_classes=("allcourse-scenario", "allcourse-donor"),
        )
        self.show(first)
        self.chooser.observe(lambda change: self._chosen(change["new"]), names="value")

    def __repr__(self) -> str:
        return f"<Donor finder scenario: {self.family.title}, {len(model.FAMILIES)} patients>"

    def _chosen(self, family_id: str) -> None:
        self.show(family_id)
        self.status.say(
            f"Showing {self.family.title}: {len(self.family.candidates)} candidates to compare."
        )

    def show(self, family_id: str) -> None:
        self.family = model.family(family_id)
        self.family_box.value = typing_html(self.family)
        self.pick.set_choices([(c.title, c.id) for c in self.family.candidates])
        self.reset(announce=False)

    def _checked(self, _value: str) -> None:
        self.check_choice()

    def check_choice(self) -> ChoiceResult | None:
        try:
            result = model.grade_choice(self.family, self.pick.value)
        except model.ChoiceError as exc:
            self.status.say(str(exc))
            return None
        self.result = result
        self.checks.checked(
            feedback_html(result),
            ("A sound choice." if result.correct else "Not the best choice here.")
            + " Each candidate's match and the reasoning follow.",
        )
        return result

    def reset(self, *, announce: bool = True) -> None:
        self.result = None
        self.checks.clear(
            "Your choice is cleared. Choose a donor again, then check." if announce else None
        )


def donor_finder(family_id: str | None = None) -> None:
    """Show the find-a-donor scenario (one line in a notebook)."""
    display(DonorFinder(family_id))
