"""No key, correct flag, rationale or numeric answer in the widget state of any item of
any bank the course map names, before the student checks (the browser check on each
module's page, tests/browser/test_key_leak.py, cannot tell a one-digit answer from the
page's other numbers; this one looks at each item's own widgets)."""

from __future__ import annotations

import re

import pytest
from leak_check import secrets, states_json, widget_states

from allcourse.course.course_map import course
from allcourse.quiz import models as m
from allcourse.quiz import render_item
from allcourse.quiz.bank import bank

ITEMS = [
    (module.bank.removesuffix(".yml"), it)
    for module in course().modules
    if module.bank
    for it in bank(module.bank.removesuffix(".yml")).all_items()
]


@pytest.mark.parametrize(("bank_name", "it"), ITEMS, ids=lambda x: getattr(x, "id", x))
def test_no_key_in_an_items_widgets_before_checking(bank_name, it):
    card = render_item(it, bank_name)
    states, dump = widget_states(card), states_json(card)
    for secret in secrets(it):
        assert secret not in dump, f"{it.id}: {secret!r} leaked"
    if isinstance(it, m.Numeric):
        for answer in it.answers:
            if answer.value is not None:
                number = f"{answer.value:g}"
                assert not re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d.,])", dump), (
                    f"{it.id}: numeric answer {number} leaked"
                )
    for state in states:
        assert not {"correct", "rationale", "explanation", "answers"} & set(state), state
