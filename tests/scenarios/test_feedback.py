"""The shared verdict line and check steps: the verdict says it in words with an icon
hidden from screen readers; a check locks the inputs and unlocks "Try again"; a reset
clears, unlocks and (unless silent) announces itself."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from allcourse.scenarios.feedback import CheckSteps, mark, score_mark, verdict_html


@pytest.mark.parametrize(
    ("right", "total", "expected"),
    [(4, 4, ("✔", "ok")), (1, 4, ("◐", "part")), (0, 4, ("✘", "bad")), (0, 0, ("✔", "ok"))],
)
def test_score_mark_says_all_some_or_none(right, total, expected):
    assert score_mark(right, total) == expected


def test_the_verdict_is_words_with_a_hidden_icon():
    html = verdict_html(*mark(False), "Not quite: you chose A.")
    assert html == (
        "<p class='allcourse-verdict allcourse-verdict-bad'>"
        "<span class='allcourse-icon' aria-hidden='true'>✘</span> Not quite: you chose A.</p>"
    )


def _dropdowns() -> list[widgets.Dropdown]:
    return [widgets.Dropdown(options=[("Choose…", ""), ("A", "a")], value="") for _ in range(2)]


def test_a_check_locks_and_a_reset_clears_and_unlocks():
    inputs = _dropdowns()
    steps = CheckSteps(lambda: inputs, lambda: None, check_label="Check", on_check=lambda: None)
    assert steps.again.disabled and not steps.check.disabled
    assert list(steps.buttons.children) == [steps.check, steps.again]
    inputs[0].value = "a"
    steps.checked("<p>feedback</p>", "1 of 2 right.")
    assert steps.feedback.value == "<p>feedback</p>"
    assert steps.status.message == "1 of 2 right."
    assert all(dd.disabled for dd in inputs) and steps.check.disabled and not steps.again.disabled
    steps.clear("Cleared.")
    assert steps.feedback.value == "" and steps.status.message == "Cleared."
    assert all(dd.value == "" and not dd.disabled for dd in inputs)
    assert not steps.check.disabled and steps.again.disabled


def test_a_silent_reset_says_nothing_and_an_input_may_carry_its_own_button():
    inputs = _dropdowns()
    steps = CheckSteps(lambda: inputs, lambda: None)  # e.g. a ChoiceCheck checks itself
    assert steps.check is None and list(steps.buttons.children) == [steps.again]
    steps.checked("<p>x</p>", "Checked.")
    said = steps.status.count
    steps.clear(None)
    assert steps.status.count == said and steps.feedback.value == ""
    assert not inputs[0].disabled and steps.again.disabled
    with pytest.raises(ValueError):
        CheckSteps(lambda: inputs, lambda: None, check_label="Check")
