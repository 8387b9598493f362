"""The transplant-pathway scenario on the page: a fictional patient's profile, a
prediction of the option the team will discuss first, then the three options (myeloablative
allogeneic, reduced-intensity allogeneic, no transplant now) with what weighs for and
against each. Education, not a decision tool. What the team weighs stays in the kernel
until the student has predicted and pressed the button.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from IPython.display import display

from allcourse.course.references import citation_links
from allcourse.quiz.render import widgets as ui
from allcourse.scenarios import transplant_pathway as model
from allcourse.scenarios.banner import illustrative_banner
from allcourse.scenarios.feedback import CheckSteps, mark, verdict_html
from allcourse.scenarios.prediction_view import ChoiceCheck
from allcourse.scenarios.transplant_pathway import Consideration, Profile, Weighing

NOTHING = "Nothing in this profile."
STATUS_TEXT = {
    "CR1": "first complete remission (CR1)",
    "CR2": "second complete remission (CR2), after a relapse",
    "refractory": "not in remission (refractory)",
}


def profile_html(p: Profile) -> str:
    risk = "; ".join(p.high_risk_features) or "none found"
    facts = [
        ("Age", f"{p.age} years"),
        ("Fitness and other illnesses", p.other_illnesses),
        ("Disease status", STATUS_TEXT[p.status]),
        (
            "MRD after treatment so far",
            "detectable (MRD-positive)" if p.mrd_positive else "not detected (MRD-negative)",
        ),
        ("High-risk features", risk),
        ("Donor", p.donor),
    ]
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in facts
    )
    return (
        "<section class='allcourse-pathway-profile' aria-labelledby='pathway-profile-heading'>"
        f"<h3 id='pathway-profile-heading'>{html.escape(p.title)} (fictional)</h3>"
        f"<div class='allcourse-counts-wrap'><table class='allcourse-counts'>"
        f"<caption>What the team knows about {html.escape(p.name)}</caption>"
        f"<tbody>{rows}</tbody></table></div></section>"
    )


def _items(cs: tuple[Consideration, ...], empty: str) -> str:
    if not cs:
        return f"<li>{html.escape(empty)}</li>"
    return "".join(f"<li>{html.escape(c.text)}{citation_links(c.sources)}</li>" for c in cs)


def weighing_html(w: Weighing, predicted: str) -> str:
    ok = predicted == w.first
    verdict = verdict_html(
        *mark(ok),
        f"{'Your prediction matches' if ok else 'Not quite'}: you predicted "
        f"“{html.escape(model.OPTION_LABELS[predicted])}”. The team is likely to discuss "
        f"“{html.escape(model.OPTION_LABELS[w.first])}” first.",
    )
    why = f"<p><strong>Why:</strong> {html.escape(w.why.text)}{citation_links(w.why.sources)}</p>"
    head = verdict + why
    cards = []
    for o in w.options:
        first = " (likely discussed first)" if o.option == w.first else ""
        cards.append(
            f"<section class='allcourse-pathway-option' data-option='{o.option}' "
            f"aria-labelledby='pathway-{o.option}'>"
            f"<h4 id='pathway-{o.option}'>{html.escape(o.label)}{first}</h4>"
            "<p class='allcourse-sign-cues-title'>Weighs for it:</p>"
            f"<ul>{_items(o.for_it, NOTHING)}</ul>"
            "<p class='allcourse-sign-cues-title'>Weighs against it:</p>"
            f"<ul>{_items(o.against_it, NOTHING)}</ul>"
            "</section>"
        )
    return (
        "<section class='allcourse-feedback allcourse-pathway-feedback' "
        "aria-label='What the team weighs'>"
        f"<h4>Check your prediction</h4>{head}{''.join(cards)}"
        "<p class='allcourse-counts-note'>Education, not a decision tool: the transplant team "
        "decides with the patient, and the questions the NMDP suggests patients ask (chances of "
        "cure with and without transplant, risks of waiting, side effects, quality of life) "
        f"belong in that conversation.{citation_links(('seed-nmdp-bmt',))}</p></section>"
    )


class TransplantPathway(widgets.VBox):
    def __init__(self, profile_id: str | None = None) -> None:
        first = profile_id or model.PROFILES[0].id
        self.chooser = widgets.Dropdown(
            options=[(p.title, p.id) for p in model.PROFILES],
            value=first,
            description="Patient profile",
            style=ui.description_style(),
            layout=ui.layout(width="auto"),
        )
        self.profile_box = ui.html("")
        self.question = ui.html(
            "<p class='allcourse-prediction-question'><strong>Predict first.</strong> "
            "Which option will the team most likely discuss first for this patient?</p>"
        )
        self.prediction = ChoiceCheck(
            "Your prediction",
            [(label, key) for key, label in model.OPTION_LABELS.items()],
            "Show what the team weighs",
            lambda _value: self.reveal(),
        )
        self.checks = CheckSteps(lambda: [self.prediction], self.reset)
        self.again = self.checks.again
        self.status, self.feedback = self.checks.status, self.checks.feedback
        self.profile: Profile = model.profile(first)
        super().__init__(
            [
                illustrative_banner("This pathway, with fictional patients and simplified rules,"),
                self.chooser,
                self.profile_box,
                self.question,
                self.prediction,
                self.checks.buttons,
                self.status,
                self.feedback,
            ],
            layout=ui.layout(),
            _dom_classes=("allcourse-scenario", "allcourse-pathway"),
        )
        self.show(first)
        self.chooser.observe(lambda change: self._chosen(change["new"]), names="value")

    def __repr__(self) -> str:
        return (
            f"<Transplant pathway scenario: {self.profile.title}, {len(model.PROFILES)} profiles>"
        )

    def _chosen(self, profile_id: str) -> None:
        self.show(profile_id)
        self.status.say(
            f"Showing {self.profile.title}. Predict first, then show what the team weighs."
        )

    def show(self, profile_id: str) -> None:
        self.profile = model.profile(profile_id)
        self.profile_box.value = profile_html(self.profile)
        self.reset(announce=False)

    def reveal(self) -> bool | None:
        try:
            ok = model.check_prediction(self.profile, self.prediction.value)
        except model.PredictionError as exc:
            self.status.say(str(exc))
            return None
        self.checks.checked(
            weighing_html(model.weigh(self.profile), self.prediction.value),
            ("Your prediction matches." if ok else "Not quite.")
            + " What the team weighs for each option follows.",
        )
        return ok

    def reset(self, *, announce: bool = True) -> None:
        self.checks.clear(
            "Prediction cleared. Predict again, then show what the team weighs."
            if announce
            else None
        )


def transplant_pathway(profile_id: str | None = None) -> None:
    """Show the transplant-pathway scenario (one line in a notebook)."""
    display(TransplantPathway(profile_id))
