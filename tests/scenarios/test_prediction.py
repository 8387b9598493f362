"""The "predict first, then check" question as data (`prediction`) and its view
(`prediction_view.prediction_check`): an authoring error is caught when the question is
built, and before the check the browser gets the question and the choice labels only."""

from __future__ import annotations

import html

import pytest
from leak_check import states_json

from allcourse.scenarios.prediction import Paragraph, Prediction, WhyNot
from allcourse.scenarios.prediction_view import explanation_html, prediction_check

CHOICES = (("Neutrophils", "anc"), ("Platelets", "plt"))


def _prediction(**changes) -> Prediction:
    fields = {
        "question": "Which count falls first?",
        "choices": CHOICES,
        "key": "anc",
        "explanation": (Paragraph("Neutrophils live hours.", ("rv-summers-2010",)),),
        "why_not": (WhyNot("plt", "Platelets last about 10 days.", ("rv-fliedner-2002",)),),
    }
    return Prediction(**{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"key": "rbc"}, "the key 'rbc' is not one of the choices"),
        ({"choices": (*CHOICES, ("Again", "plt"))}, "choice values repeat"),
        ({"why_not": ()}, "give one reason for each wrong choice ['plt']"),
        ({"why_not": (WhyNot("anc", "the key is not wrong"),)}, "got ['anc']"),
    ],
)
def test_an_authoring_error_is_named_when_the_question_is_built(changes, words):
    with pytest.raises(ValueError, match=words.replace("[", r"\[").replace("]", r"\]")):
        _prediction(**changes)


def test_the_sources_of_the_explanation_and_of_every_reason_are_listed():
    assert _prediction().source_ids() == {"rv-summers-2010", "rv-fliedner-2002"}
    assert _prediction().label("plt") == "Platelets"


def test_the_explanation_names_each_wrong_choice_with_its_reason_and_citations():
    text = explanation_html(_prediction())
    assert "Neutrophils live hours." in text and "href='#ref-rv-summers-2010'" in text
    assert "Why not the other choices" in text
    assert "<strong>Platelets</strong>: Platelets last about 10 days." in text
    assert "href='#ref-rv-fliedner-2002'" in text


def test_only_the_question_and_the_labels_reach_the_browser_before_the_check():
    check = prediction_check(_prediction())
    before = states_json(check)
    assert "Which count falls first?" in before and "Platelets" in before
    for secret in ("Neutrophils live hours.", "last about 10 days", "Check your prediction"):
        assert secret not in before
    assert '"anc"' not in before and '"plt"' not in before  # values stay in the kernel
    check.choice.value = "plt"
    assert check.check_prediction() is False
    after = states_json(check)
    assert html.escape("Neutrophils live hours.") in after
    assert "✘" in after and "Not quite" in after and "you predicted “Platelets”" in after
