"""Quiz widgets without a browser: build every item type, answer through the widgets'
values (as the browser would set them), press the buttons, read what the student sees.

Also the widget-level key-leak check: before an item is checked, no widget state holds
a rationale, an explanation, an accepted answer or a correct flag.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from typing import Any

import ipywidgets as w
import pytest
import traitlets
from leak_check import secrets, states_json, widget_states

from allcourse.course.markup import plain
from allcourse.course.references import references
from allcourse.quiz import events, render_item, show_quiz
from allcourse.quiz import models as m
from allcourse.quiz.bank import bank
from allcourse.quiz.render import exhibit
from allcourse.quiz.render.controls import OrderList, apply_snapshot
from allcourse.quiz.scoring import key_response
from allcourse.quiz.session import ItemCard, Quiz, QuizError

TOUR = bank("tour")
TOUR_ITEMS = TOUR.all_items()


@pytest.fixture(autouse=True)
def fresh_events(monkeypatch):
    """Each test starts with no seed from the browser and its own list of attempts."""
    monkeypatch.setattr(events, "_seed", None)
    monkeypatch.setattr(events, "_seed_listeners", [])
    monkeypatch.setattr(events, "_listeners", [])
    attempts: list[events.Attempt] = []
    events.subscribe(attempts.append)
    return attempts


# --- answering through the widgets --------------------------------------------------


def pick(control: w.Widget, label: str) -> None:
    """Choose an option by its visible label, the way the browser does (by index)."""
    control.index = list(control._options_labels).index(label)


def answer(card: ItemCard, response: Any) -> None:
    """Put `response` (in the scorer's shape) into the card's widgets."""
    item, r = card.item, card.renderer
    if isinstance(item, m.SingleChoice):
        text = next(o.text for o in item.options if o.id == response)
        pick(r.group.radio, plain(text))
    elif isinstance(item, m.MultipleResponse | m.SelectN):
        for oid in response:
            r.group.boxes[oid].value = True
    elif isinstance(item, m.MatrixSingle):
        cols = {c.id: plain(c.text) for c in item.columns}
        for row, col in response.items():
            pick(r.drops[row], cols[col])
    elif isinstance(item, m.MatrixMultiple):
        for row, cols in response.items():
            for col in cols:
                r.cells[(row, col)].value = True
    elif isinstance(item, m.Cloze | m.DropdownRationale):
        for blank in item.blanks:
            if blank.id in response:
                text = next(o.text for o in blank.options if o.id == response[blank.id])
                pick(r.drops[blank.id], plain(text))
    elif isinstance(item, m.Ordering):
        # As the browser does: the whole order at once, and the list marked as moved.
        labels = list(r.list.labels)
        steps = {s.id: plain(s.text) for s in item.steps}
        r.list.order = [labels.index(steps[step_id]) for step_id in response]
        r.list.touched = True
    elif isinstance(item, m.Matching):
        for pair_id, right in response.items():
            pick(r.drops[pair_id], plain(right))
    elif isinstance(item, m.Highlight):
        for sid in response:
            r.marks[sid].value = True
    elif isinstance(item, m.Bowtie):
        text = next(o.text for o in item.conditions if o.id == response["condition"])
        pick(r.condition.radio, plain(text))
        for oid in response["actions"]:
            r.actions.boxes[oid].value = True
        for oid in response["parameters"]:
            r.parameters.boxes[oid].value = True
    elif isinstance(item, m.Numeric | m.ShortAnswer):
        r.text.value = response
    else:  # pragma: no cover - a new type needs a line here
        raise AssertionError(f"no answer helper for {type(item).__name__}")


def feedback_text(card: ItemCard) -> str:
    """The feedback as the page draws it: the text of the HTML below the status line."""
    assert card.feedback is not None, "no feedback shown"
    assert card.feedback in card.status.html, "the feedback is drawn below the status line"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card.feedback))


def item(item_id: str) -> m.ItemBase:
    return TOUR.item(item_id)


# --- every type: answered right, checked, scored, published --------------------------


@pytest.mark.parametrize("it", TOUR_ITEMS, ids=lambda it: f"{it.type}:{it.id}")
def test_key_answer_is_marked_correct_and_published(it, fresh_events):
    card = render_item(it, "tour")
    answer(card, key_response(it))
    card.check.click()

    text = feedback_text(card)
    assert "✔ Correct" in text
    # The result line appears once, in plain words; the rule is in a details line.
    assert len(re.findall(r"(\d+(\.\d+)?) of \1 points?\.", text)) == 1, text
    assert "How this question is scored" in text
    if it.explanation:
        assert plain(it.explanation)[:40] in text
    # Sources are named for students (publisher, title), not by their internal ids.
    ref = references().get(it.sources[0])
    assert "Sources" in text and html.escape(ref.publisher) in text
    assert f"[{it.sources[0]}]" not in text
    assert all(c.disabled for c in card.renderer.controls), "answers are locked after checking"
    assert card.status.message.startswith("✔ Correct")

    [attempt] = fresh_events
    assert (attempt.item_id, attempt.bank, attempt.mode) == (it.id, "tour", "practice")
    assert attempt.points == attempt.max_points > 0
    assert attempt.attempts == 1 and attempt.seconds >= 0
    assert json.loads(json.dumps(attempt.response)) == attempt.response
    assert datetime.fromisoformat(attempt.timestamp).utcoffset().total_seconds() == 0


@pytest.mark.parametrize("it", TOUR_ITEMS, ids=lambda it: f"{it.type}:{it.id}")
def test_empty_answer_gets_a_message_and_is_not_graded(it, fresh_events):
    card = render_item(it, "tour")
    card.check.click()  # an ordering item not yet touched holds only a starting order
    assert card.feedback is None
    assert card.status.message and "✔" not in card.status.message
    assert not card.check.disabled and not any(c.disabled for c in card.renderer.controls)
    assert fresh_events == []


def test_select_all_worked_example_is_two_of_four():
    # NCSBN worked example: 4 keys; all 4 chosen plus 2 distractors = 2 of 4.
    sata = m.MultipleResponse(
        id="t-sata",
        type="sata",
        stem="Which?",
        options=[m.Option(id=f"k{i}", text=f"Key {i}", correct=True) for i in range(4)]
        + [m.Option(id=f"d{i}", text=f"Distractor {i}") for i in range(3)],
    )
    card = render_item(sata, "t")
    answer(card, ["k0", "k1", "k2", "k3", "d0", "d1"])
    card.check.click()
    text = feedback_text(card)
    assert "◐ Partly correct: 2 of 4 points." in text
    assert "Scored by the NCSBN +/- rule" in text
    assert "You chose this. It is not a correct answer." in text
    # A first try marks only what the student chose: the one key left out is not named.
    assert "Distractor 2" not in text and "Not chosen" not in text


def test_single_choice_wrong_try_keeps_the_key_until_show_answer(fresh_events):
    it = item("tour-platelet-trend")
    card = render_item(it, "tour")
    answer(card, "d7")
    card.check.click()
    text = feedback_text(card)
    assert "✘ Not correct: 0 of 1 point." in text and "Scored by the NCSBN 0/1 rule" in text
    assert "Day 7 — You chose this. It is not a correct answer." in text
    assert "Try 1 of 3. This first try is the one that counts." in text
    assert "Hint:" in text
    # Nothing names the key or explains it: no other option, no rationale, no explanation.
    for o in it.options:
        assert plain(o.rationale) not in text
        if o.id != "d7":
            assert plain(o.text) not in text
    assert card.key is None and plain(it.explanation)[:30] not in text
    assert fresh_events[0].points == 0

    card.show_answer.click()
    text = feedback_text(card)
    for o in it.options:
        assert plain(o.rationale) in text, "Show answer gives every rationale"
    assert "Day 10 — You did not choose this, but it is a correct answer." in text
    assert "Correct answer." in card.key


def test_matrix_partly_right_names_rows_and_rule():
    card = render_item(item("tour-marrow-crowding"), "tour")
    answer(card, {"anemia": "red", "infection": "white", "bleeding": "red"})
    card.check.click()
    text = feedback_text(card)
    assert "◐ Partly correct: 2 of 3 points." in text and "1 point per row" in text
    assert "Easy bleeding and bruising — Your answer: Too few red blood cells. Not correct." in text


def test_select_n_refuses_more_than_n_with_a_message():
    card = render_item(item("tour-bleeding-teaching"), "tour")
    boxes = card.renderer.group.boxes
    boxes["floss"].value = True
    boxes["razor"].value = True
    boxes["brush"].value = True  # a third tick
    assert boxes["brush"].value is False
    assert card.status.message == "Choose no more than 2 options. Untick one to choose another."
    assert set(card.renderer.response()) == {"floss", "razor"}


def test_bowtie_limits_each_side_to_two():
    card = render_item(item("tour-tls-bowtie"), "tour")
    actions = card.renderer.actions.boxes
    for oid in ("notify", "monitor", "potassium"):
        actions[oid].value = True
    assert not actions["potassium"].value
    assert "no more than 2 actions to take" in card.status.message


def test_numeric_malformed_input_is_explained_and_kept(fresh_events):
    card = render_item(item("tour-anc-calculation"), "tour")
    card.renderer.text.value = "8,4"
    card.check.click()
    assert card.feedback is None and fresh_events == []
    assert "decimal point" in card.status.message
    assert card.renderer.text.value == "8,4", "the student's input is not lost"
    card.renderer.text.value = "840 cells/µL"
    card.check.click()
    assert "✔ Correct" in feedback_text(card)


def test_typed_answers_sync_when_the_student_leaves_the_box():
    # Per-keystroke updates are throttled by the browser and could reach the kernel after
    # the click on "Check answer" (the browser test caught "840" graded as "8").
    for item_id in ("tour-anc-calculation", "tour-philadelphia"):
        assert render_item(item(item_id), "tour").renderer.text.continuous_update is False


def test_numeric_partial_credit_shows_the_authors_feedback():
    partial = item("tour-anc-calculation").model_copy(
        update={
            "answers": [
                m.NumericAnswer(value=840),
                m.NumericAnswer(
                    min=835, max=845, credit=0.5, feedback="Close: check the rounding."
                ),
            ]
        }
    )
    card = render_item(partial, "tour")
    card.renderer.text.value = "842"
    card.check.click()
    text = feedback_text(card)
    assert "◐ Partly correct: 0.5 of 1 point." in text
    card.show_answer.click()
    assert "check the rounding" in feedback_text(card)


def test_short_answer_ignores_case_and_gives_catch_all_feedback():
    card = render_item(item("tour-philadelphia"), "tour")
    card.renderer.text.value = "  philadelphia  "
    card.check.click()
    assert "✔ Correct" in feedback_text(card)
    other = render_item(item("tour-philadelphia"), "tour")
    other.renderer.text.value = "Boston"
    other.check.click()
    assert "✘ Not correct" in feedback_text(other)
    assert "named after the city" not in feedback_text(other), "no answer on a first try"
    other.show_answer.click()
    assert "named after the city" in feedback_text(other)


def test_ordering_starts_shuffled_but_never_in_key_order():
    it = item("tour-treatment-phases")
    key = [s.id for s in it.steps]
    for seed in range(40):
        events._seed = seed
        r = render_item(it, "tour").renderer
        order = [r.choices[i][1] for i in r.list.order]
        assert sorted(order) == sorted(key) and order != key


def test_ordering_not_touched_is_not_graded(fresh_events):
    card = render_item(item("tour-treatment-phases"), "tour")
    assert card.renderer.response() is None
    card.check.click()
    assert card.feedback is None and fresh_events == []
    assert "only a starting point" in card.status.message


def test_ordering_list_refuses_an_order_that_is_not_whole():
    r = render_item(item("tour-treatment-phases"), "tour").renderer
    with pytest.raises(traitlets.TraitError):
        r.list.order = [0, 0, 1, 2, 3]


def test_try_again_keeps_the_answer_and_only_the_first_try_counts(fresh_events):
    it = item("tour-neutropenic-precautions")
    card = render_item(it, "tour")
    answer(card, ["hands", "flowers"])
    card.check.click()
    assert "✘ Not correct" in feedback_text(card), "1 key - 1 distractor = 0 (+/- rule)"
    card.try_again.click()
    assert card.feedback is None and card.key is None
    assert sorted(card.renderer.response()) == ["flowers", "hands"], "a try starts from it"
    assert not any(c.disabled for c in card.renderer.controls) and not card.check.disabled
    card.renderer.group.boxes["flowers"].value = False
    answer(card, key_response(it))
    card.check.click()
    text = feedback_text(card)
    assert "✔ Correct" in text and "Try 2 of 3 (practice: your first try" in text
    assert [(a.attempts, a.points) for a in fresh_events] == [(1, 0)], "first try counts"
    assert "Status: Wrong" in card.top.value, "the status shows the counted try"


def test_a_check_sends_the_verdict_and_its_feedback_first_in_one_message(monkeypatch):
    """The browser handles a kernel's messages one after another (drawing a frame of a
    big page between some of them): the verdict and the feedback travel together, before
    the controls are locked and the new buttons made, so the student sees them at once."""
    sent: list[tuple[w.Widget, dict]] = []
    monkeypatch.setattr(w.Widget, "_send", lambda self, msg, buffers=None: sent.append((self, msg)))
    card = render_item(item("tour-platelet-trend"), "tour")
    answer(card, "d7")
    sent.clear()
    card.check.click()
    first_widget, first = sent[0]
    assert first_widget is card.status and first["method"] == "update"
    assert "Not correct" in first["state"]["message"]
    assert 'class="allcourse-feedback' in first["state"]["html"]
    assert len(sent) > 1, "locking and the new buttons follow"

    sent.clear()
    card.show_answer.click()  # the answer and the words saying so: one message too
    assert [msg["state"].keys() >= {"html", "message"} for _, msg in sent[:1]] == [True]
    assert 'class="allcourse-key' in sent[0][1]["state"]["html"]


def test_third_wrong_try_shows_the_answer(fresh_events):
    card = render_item(item("tour-platelet-trend"), "tour")
    answer(card, "d7")
    for _ in range(2):
        card.check.click()
        assert card.key is None
        card.try_again.click()
    card.check.click()
    assert card.key is not None and "Day 10" in card.key
    assert card.show_answer not in card.buttons.children


def test_show_answer_reveals_key_and_rationales_only_after_checking():
    it = item("tour-anc-table")
    card = render_item(it, "tour")
    card.reveal_key()
    assert card.key is None, "no key before a check"
    answer(card, {"anc1800": "mild"})
    card.check.click()
    text = feedback_text(card)
    assert "Normal" not in text and "Severe neutropenia" not in text, "the key stays hidden"
    card.show_answer.click()
    key = card.key
    assert "Correct answer: Normal." in key and "Correct answer: Severe neutropenia." in key
    assert "300 is under 500/mm³: severe neutropenia." in key
    assert card.show_answer not in card.buttons.children


def _wrong_response(it: m.ItemBase) -> Any:
    """An answer that is not fully right, in the scorer's shape."""
    key = key_response(it)
    if isinstance(it, m.SingleChoice):
        return next(o.id for o in it.options if not o.correct)
    if isinstance(it, m.Ordering):
        return key[1:] + key[:1]
    if isinstance(it, m.Numeric):
        return "1"
    if isinstance(it, m.ShortAnswer):
        return "zzz"
    if isinstance(it, m.Bowtie):
        return {**key, "actions": key["actions"][:1]}
    if isinstance(key, list):
        return key[:1] if len(key) > 1 else key
    if isinstance(key, dict):
        first = next(iter(key))
        return {first: key[first]}
    return key


def _key_texts(it: m.ItemBase) -> list[str]:
    """What "Show answer" must show: each key part's text (or accepted answer)."""
    if isinstance(it, m.SingleChoice | m.MultipleResponse | m.SelectN):
        return [o.text for o in it.options if o.correct]
    if isinstance(it, m.Bowtie):
        return [o.text for g in (it.conditions, it.actions, it.parameters) for o in g if o.correct]
    if isinstance(it, m.MatrixSingle | m.MatrixMultiple):
        cols = {c.id: c.text for c in it.columns}
        return [cols[c] for r in it.rows for c in r.correct]
    if isinstance(it, m.Cloze | m.DropdownRationale):
        return [o.text for b in it.blanks for o in b.options if o.correct]
    if isinstance(it, m.Ordering):
        return [f"{s.text} — Position {i + 1}." for i, s in enumerate(it.steps)]
    if isinstance(it, m.Matching):
        return [p.right for p in it.pairs]
    if isinstance(it, m.Highlight):
        return [s.text or " – ".join(s.cells or []) for s in it.selectable() if s.correct]
    if isinstance(it, m.Numeric):
        return [f"{a.value:g}" for a in it.answers if a.credit == 1]
    return [a.text for a in it.answers if a.credit == 1]


@pytest.mark.parametrize("it", TOUR_ITEMS, ids=lambda it: f"{it.type}:{it.id}")
def test_show_answer_lists_every_key_part(it):
    card = render_item(it, "tour")
    card.check.click()  # nothing chosen: a message only, so the key is not shown
    card.reveal_key()
    assert card.key is None
    answer(card, _wrong_response(it))
    card.check.click()
    card.show_answer.click()
    key = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card.key))
    for text in _key_texts(it):
        assert plain(text) in key, f"{it.id}: {text!r} missing from the answer"


def test_numeric_show_answer_gives_value_and_worked_solution():
    card = render_item(item("tour-anc-calculation"), "tour")
    card.renderer.text.value = "100"
    card.check.click()
    card.show_answer.click()
    assert "840 cells/µL" in card.key and "2,400 × (30 + 5)" in card.key


# --- test mode ------------------------------------------------------------------------


def test_test_mode_locks_on_submit_and_reports_by_topic_and_step(fresh_events):
    quiz = show_quiz("tour", mode="test")
    assert repr(quiz) == "<Quiz tour: 18 items, test mode>"
    first, second, *rest = quiz.cards
    answer(first, key_response(first.item))
    first.submit_button.click()
    assert first.submitted and all(c.disabled for c in first.renderer.controls)
    assert first.feedback is None, "no feedback before the test is finished"
    assert fresh_events[-1].mode == "test" and fresh_events[-1].points == 1

    second.submit_button.click()  # empty: a message, not a submission
    assert not second.submitted and second.status.message == "Choose an answer before checking."

    for card in rest:
        answer(card, key_response(card.item))
        card.submit_button.click()
    assert quiz.finish() is None, "first press warns that an item is not submitted"
    assert "1 item is not submitted" in quiz.status.message
    results = quiz.finish()
    assert results is not None and quiz.finish_button.disabled

    summary = quiz.results.value
    assert "Score by topic" in summary and "Score by clinical-judgment step" in summary
    assert '<th scope="row">neutropenic fever</th>' in summary
    assert '<th scope="row">Recognize cues</th>' in summary
    total_max = sum(r.max_points for _, r in results)
    assert f"Total: {total_max - 1:g} of {total_max:g} points" in summary
    assert "Not submitted" in second.feedback and second.key is not None
    assert "✔ Correct" in feedback_text(first)
    assert len(fresh_events) == len(quiz.cards) - 1


def test_render_item_in_test_mode_has_its_own_finish():
    view = render_item(item("tour-philadelphia"), "tour", mode="test")
    assert isinstance(view, Quiz) and repr(view) == "<Quiz tour: 1 item, test mode>"


# --- shuffling --------------------------------------------------------------------------


def _labels(card: ItemCard) -> list[str]:
    return list(card.renderer.group.radio._options_labels)


def test_options_are_shuffled_per_student_and_reordered_when_the_seed_arrives():
    it = item("tour-neutropenic-precautions")
    orders = set()
    for seed in range(12):
        events._seed = seed
        card = render_item(it, "tour")
        orders.add(tuple(card.renderer.group.order))
    assert len(orders) > 3, "different students see different orders"

    events._seed = None
    card = render_item(it, "tour")
    card.renderer.group.boxes["mask"].value = True
    seed = next(s for s in range(1, 50) if _order_for(it, s) != card.renderer.group.order)
    events.set_seed(seed)
    shown = [cb.description for cb in card.renderer.group.box.children]
    assert card.renderer.group.order == _order_for(it, seed)
    assert shown == [
        plain(next(o.text for o in it.options if o.id == i)) for i in _order_for(it, seed)
    ]
    assert card.renderer.response() == ["mask"], "the student's choice survives the reorder"


def _order_for(it: m.ItemBase, seed: int) -> list[str]:
    events_seed = events._seed
    events._seed = seed
    try:
        return list(render_item(it, "tour").renderer.group.order)
    finally:
        events._seed = events_seed


def test_radio_choice_survives_reorder():
    it = item("tour-platelet-trend")
    card = render_item(it, "tour")
    answer(card, "d10")
    card.renderer.reorder(7)
    assert card.renderer.response() == "d10"
    assert card.renderer.group.radio.label == "Day 10"


def test_true_false_keeps_true_first():
    card = render_item(item("tour-true-false-spread"), "tour")
    assert _labels(card) == ["True", "False"]


# --- the whole bank, case studies, exhibits ------------------------------------------


def visit_all(quiz: Quiz) -> list[ItemCard]:
    """Go to every stop of a paged self-check, as a student would: every card built."""
    for k in range(len(quiz.stops)):
        quiz.go(k)
    return quiz.cards


def test_show_quiz_tour_has_every_type_heading_counter_and_stable_repr():
    quiz = show_quiz("tour")
    assert repr(quiz) == "<Quiz tour: 18 items, practice mode>"
    assert quiz._repr_mimebundle_()["text/plain"] == repr(quiz)
    assert {c.item.type for c in visit_all(quiz)} == set(m.ITEM_TYPES)
    assert "Try each question type" in quiz.children[0].value
    assert "Question 1 of 18" in quiz.cards[0].children[0].value
    assert "Question 18 of 18" in quiz.cards[-1].children[0].value


def test_case_study_chart_changes_between_items_and_shows_the_step():
    quiz = show_quiz("tour")
    quiz.go(len(quiz.stops) - 1)  # the case study is the last stop
    case = next(ch for ch in quiz.children if type(ch).__name__ == "CaseStudyView")
    vitals = case.chart.pages["vitals"]
    assert "14:00" in vitals.value, "the first item's chart update is already shown"
    assert "14:20" not in case.chart.pages["orders"].value
    assert "Recognize cues" in case.position.value
    assert "Clinical-judgment step: Recognize cues" in case.cards[0].children[0].value

    case.next.click()
    case.next.click()
    assert "Take action" in case.position.value
    assert "14:20" in case.chart.pages["orders"].value
    assert "Orders (new)" in case.chart.widget.titles
    assert "New in the chart: Orders" in case.status.message
    assert case.cards[2] in case.children
    case.next.click()
    assert case.status.message == "This is the last item of the case."


def test_trend_exhibit_is_a_table_and_a_labelled_svg_chart():
    it = item("tour-platelet-trend")
    html = exhibit.trend_html(it.exhibit)
    assert "<caption>Platelet count during induction</caption>" in html
    assert 'role="img"' in html
    label = re.search(r'<svg role="img" aria-label="([^"]+)"', html).group(1)
    assert "Day 1: 140" in label and "Day 13: 31" in label and "falling from 140 to 31" in label


def test_trend_chart_leaves_a_gap_for_values_not_measured():
    series = m.TrendSeries(name="ANC", values=[300, None, 800])
    svg = exhibit.trend_svg(["Day 1", "Day 2", "Day 3"], series)
    assert "Day 2: not measured" in svg
    assert svg.count("<path") == 0, "no line across the gap, single points only"
    assert svg.count("<circle") == 2


def test_a_broken_bank_shows_a_message_not_a_traceback(tmp_path, monkeypatch):
    from allcourse.course import paths

    (tmp_path / "broken.yml").write_text("title: x\nitems:\n  - id: a\n    type: single\n")
    monkeypatch.setattr(paths, "QUIZZES", tmp_path)
    bank.cache_clear()
    try:
        view = show_quiz("broken")
    finally:
        bank.cache_clear()
    assert isinstance(view, QuizError)
    assert "could not be loaded" in view.value and "broken.yml" in view.value
    assert repr(view) == "<Quiz broken: could not be loaded>"


def test_every_control_has_an_accessible_name():
    quiz = show_quiz("tour")
    for card in visit_all(quiz):
        for control in card.renderer.controls:
            if isinstance(control, w.RadioButtons):
                assert all(label.strip() for label in control._options_labels)
            elif isinstance(control, OrderList):
                # Each position's drop-down is labelled by its position.
                assert control.positions and all(p.strip() for p in control.positions)
            else:
                assert control.description.strip(), f"{card.item.id}: unnamed {control}"
        for button in card.buttons.children:
            assert button.description.strip()


# --- keys stay on the server ------------------------------------------------------------


def _numbers(it: m.ItemBase) -> list[str]:
    if not isinstance(it, m.Numeric):
        return []
    return [f"{a.value:g}" for a in it.answers if a.value is not None]


def _assert_no_key(root: w.Widget, it: m.ItemBase) -> None:
    states = widget_states(root)
    dump = states_json(root)
    visible = plain(dump)
    for secret in secrets(it):
        assert secret not in visible and secret not in dump, f"{it.id}: {secret!r} leaked"
    for number in _numbers(it):
        assert not re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d.,])", dump), (
            f"{it.id}: numeric answer {number} leaked"
        )
    for state in states:
        assert not {"correct", "rationale", "explanation", "answers"} & set(state), state
        assert not any(
            re.search(r"correct|right|wrong|key", c) for c in state.get("_dom_classes", ())
        ), state["_dom_classes"]
    # Selection widgets send labels and an index, never the option ids.
    assert not any("_options_values" in s or "options" in s for s in states)


@pytest.mark.parametrize("it", TOUR_ITEMS, ids=lambda it: f"{it.type}:{it.id}")
def test_no_key_in_any_widget_state_before_checking(it):
    practice = render_item(it, "tour")
    _assert_no_key(practice, it)

    test = show_quiz(items=[("tour", it)], mode="test")
    card = test.cards[0]
    # A typed answer is the student's own text; type a wrong one so it cannot mask a leak.
    typed = {m.Numeric: "100", m.ShortAnswer: "Boston"}.get(type(it))
    answer(card, typed or key_response(it))
    card.submit_button.click()
    assert card.submitted
    _assert_no_key(test, it)  # submitted is not finished: still no feedback

    # The check is not vacuous: after checking, the same walk does find the feedback.
    answer(practice, key_response(it))
    practice.check.click()
    after = json.dumps(widget_states(practice), ensure_ascii=False)
    assert plain(it.explanation)[:30] in plain(after)


def test_whole_tour_page_state_has_no_key():
    quiz = show_quiz("tour")
    assert len(visit_all(quiz)) == len(TOUR_ITEMS)  # every card, and the drop-down's labels
    for it in TOUR_ITEMS:
        _assert_no_key(quiz, it)


# --- the value graded is the value shown (issue 17, part 1) ------------------------------


def test_check_grades_the_snapshot_the_page_showed_at_the_click(fresh_events):
    """The browser may still hold back a change when the click goes out; the click
    carries what every control showed, and that is what is graded."""
    it = item("tour-treatment-phases")
    card = render_item(it, "tour")
    r = card.renderer
    labels = list(r.list.labels)
    key = [labels.index(plain(s.text)) for s in it.steps]
    [order_key] = [k for k, c in card.controls.items() if c is r.list]
    card.check.click({order_key: {"order": key}})  # the kernel still has the start order
    assert "✔ Correct" in feedback_text(card)
    assert fresh_events[0].response == [s.id for s in it.steps]


def test_snapshot_for_radios_boxes_drop_downs_and_text(fresh_events):
    single = render_item(item("tour-platelet-trend"), "tour")
    radio = single.renderer.group.radio
    [rk] = single.controls
    single.check.click({rk: {"index": list(radio._options_labels).index("Day 10")}})
    assert fresh_events[-1].response == "d10"
    # The label wins over the index: the options may have been reordered on the way.
    again = render_item(item("tour-platelet-trend"), "tour")
    [rk] = again.controls
    wrong_index = (list(again.renderer.group.radio._options_labels).index("Day 7") + 1) % 4
    again.check.click({rk: {"index": wrong_index, "label": "Day 7"}})
    assert fresh_events[-1].response == "d7"

    typed = render_item(item("tour-anc-calculation"), "tour")
    [tk] = typed.controls
    typed.check.click({tk: {"text": "840"}})
    assert fresh_events[-1].response == "840"

    sata = render_item(item("tour-neutropenic-precautions"), "tour")
    shown = {
        k: {"checked": c is sata.renderer.group.boxes["hands"]} for k, c in sata.controls.items()
    }
    sata.check.click(shown)
    assert fresh_events[-1].response == ["hands"]


def test_a_snapshot_that_does_not_fit_is_ignored():
    card = render_item(item("tour-treatment-phases"), "tour")
    before = list(card.renderer.list.order)
    [key] = card.controls
    apply_snapshot(card.controls, {key: {"order": [0, 0, 0, 0, 0]}, "x": 1, "1": "junk"})
    assert card.renderer.list.order == before and not card.renderer.list.touched


# --- answers saved on an earlier visit ---------------------------------------------------


@pytest.fixture
def saved_channel(monkeypatch):
    monkeypatch.setattr(events, "_saved", None)
    monkeypatch.setattr(events, "_saved_listeners", [])


@pytest.mark.parametrize("it", TOUR_ITEMS, ids=lambda it: f"{it.type}:{it.id}")
def test_saved_answer_comes_back_with_its_result(it, saved_channel, fresh_events):
    quiz = Quiz("tour", "Tour", [("tour", it)], restore=True)
    card = quiz.cards[0]
    wrong = _wrong_response(it)
    result = score_of(it, wrong)
    events.set_saved(
        {it.id: events.SavedAnswer(wrong, result.points, result.max_points, "2026-11-29T09:00:00")}
    )
    assert card.restored and card.counted == result
    assert score_of(it, card.renderer.response()).points == result.points
    if isinstance(it, m.Ordering):
        assert card.renderer.list.disabled
    else:
        assert all(c.disabled for c in card.renderer.controls)
    text = feedback_text(card)
    assert "Your saved answer from 29 Nov 2026" in text
    words = {"ok": "Right", "part": "Partly right", "bad": "Wrong"}
    from allcourse.quiz.render.feedback import verdict

    assert f"Status: {words[verdict(result)[2]]}" in card.top.value
    assert fresh_events == [], "showing a saved answer is not a new attempt"
    if not result.correct:
        assert card.key is None, "a saved wrong answer does not give the key away"


def score_of(it, response):
    from allcourse.quiz.scoring import score

    return score(it, response)


def test_saved_answer_does_not_overwrite_an_answer_in_progress(saved_channel):
    it = item("tour-platelet-trend")
    quiz = Quiz("tour", "Tour", [("tour", it)], restore=True)
    card = quiz.cards[0]
    answer(card, "d4")
    events.set_saved({it.id: events.SavedAnswer("d7", 0, 1, "2026-11-29T09:00:00")})
    assert card.renderer.response() == "d4" and not card.restored


def test_review_cards_do_not_restore(saved_channel):
    it = item("tour-platelet-trend")
    events.set_saved({it.id: events.SavedAnswer("d7", 0, 1, "2026-11-29T09:00:00")})
    card = render_item(it, "tour")
    assert card.renderer.response() is None and not card.restored
