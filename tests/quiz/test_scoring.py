"""Scoring rules per item type (NCSBN 0/1, +/-, rationale; Moodle weights and answers),
response messages, and properties that hold for every generated item."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from allcourse.quiz.models import Item
from allcourse.quiz.scoring import (
    ResponseError,
    Score,
    check_response,
    key_response,
    parse_number,
    require_valid,
    score,
    score_breakdown,
)

ITEM = TypeAdapter(Item)


def make(type_: str, **fields):
    return ITEM.validate_python({"id": "q", "stem": "Stem", "type": type_, **fields})


def opts(*keys: bool, **credits: float) -> list[dict]:
    """Options a, b, c, ... with `correct` from `keys` and optional credits by id."""
    out = []
    for i, correct in enumerate(keys):
        oid = "abcdefgh"[i]
        option = {"id": oid, "text": oid.upper(), "correct": correct}
        if oid in credits:
            option["credit"] = credits[oid]
        out.append(option)
    return out


def points(item, response) -> tuple[float, float]:
    s = score(item, response)
    return s.points, s.max_points


# --- the reference's worked example and the +/- rule ----------------------------------


def test_worked_example_four_keys_and_two_distractors_chosen_scores_two_of_four():
    item = make("sata", options=opts(True, True, True, True, False, False, False))
    assert points(item, ["a", "b", "c", "d", "e", "f"]) == (2, 4)


def test_sata_plus_minus_is_floored_at_zero_and_misses_cost_nothing():
    item = make("sata", options=opts(True, True, False, False, False))
    assert points(item, ["a", "c", "d", "e"]) == (0, 2)
    assert points(item, ["a"]) == (1, 2)
    assert points(item, ["a", "b"]) == (2, 2)


def test_sata_unknown_ids_count_as_wrong_choices():
    item = make("sata", options=opts(True, True, False))
    assert points(item, ["a", "b", "zz"]) == (1, 2)


def test_sata_parts_say_which_options_were_answered_right():
    item = make("sata", options=opts(True, True, False))
    parts = score(item, ["a", "c"]).parts
    assert [(p.id, p.chosen, p.correct) for p in parts] == [
        ("a", True, True),
        ("b", False, False),
        ("c", True, False),
    ]


def test_sata_weights_sum_credits_floored_at_zero_and_capped_at_one():
    item = make(
        "sata", rule="weights", options=opts(True, True, False, False, a=0.5, b=0.5, c=-0.5, d=-1)
    )
    assert points(item, ["a", "b"]) == (1, 1)
    assert points(item, ["a"]) == (0.5, 1)
    assert points(item, ["a", "c"]) == (0, 1)
    assert points(item, ["a", "b", "c", "d"]) == (0, 1)
    generous = make("sata", rule="weights", options=opts(True, True, True, a=0.5, b=0.5, c=0.5))
    assert points(generous, ["a", "b", "c"]) == (1, 1)


def test_sata_weights_of_a_third_add_up_to_full_marks():
    third = 0.3333333
    item = make(
        "sata",
        rule="weights",
        options=opts(True, True, True, False, a=third, b=third, c=third, d=-1),
    )
    assert score(item, ["a", "b", "c"]).correct


# --- 0/1 rule ------------------------------------------------------------------------


def test_single_choice_scores_one_for_the_key_and_partial_credit_options():
    item = make("single", options=opts(True, False, False, b=0.5, c=-0.5))
    assert points(item, "a") == (1, 1)
    assert points(item, "b") == (0.5, 1)
    assert points(item, "c") == (0, 1)  # negative credit is floored
    assert points(item, "zz") == (0, 1)


def test_select_n_scores_one_per_correct_pick_and_nothing_for_too_many():
    item = make("select_n", n=2, options=opts(True, True, False, False))
    assert points(item, ["a", "c"]) == (1, 2)
    assert points(item, ["a", "b"]) == (2, 2)
    assert points(item, ["a", "b", "c"]) == (0, 2)
    assert check_response(item, ["a", "b", "c"]) == "Choose no more than 2 options."
    assert check_response(item, []) == "Choose 2 options before checking."


def _grid(**fields):
    columns = [{"id": "yes", "text": "Indicated"}, {"id": "no", "text": "Not indicated"}]
    rows = [
        {"id": "r1", "text": "Row 1", "correct": ["yes"]},
        {"id": "r2", "text": "Row 2", "correct": ["no"]},
        {"id": "r3", "text": "Row 3", "correct": ["yes"]},
    ]
    return {"columns": columns, "rows": rows, **fields}


def test_matrix_single_scores_one_per_row():
    item = make("matrix_single", **_grid())
    assert points(item, {"r1": "yes", "r2": "yes", "r3": "yes"}) == (2, 3)
    assert points(item, {"r1": "yes", "r2": "no", "r3": "yes"}) == (3, 3)
    assert points(item, {"r1": "maybe"}) == (0, 3)
    assert [p.chosen for p in score(item, {"r2": "no"}).parts] == [None, "no", None]


def test_matrix_multiple_floors_the_item_or_each_column():
    columns = [{"id": "A", "text": "A"}, {"id": "B", "text": "B"}]
    rows = [
        {"id": "r1", "text": "1", "correct": ["A"]},
        {"id": "r2", "text": "2", "correct": ["A"]},
        {"id": "r3", "text": "3", "correct": []},
    ]
    response = {"r1": ["A", "B"], "r3": ["B"]}  # column A: +1; column B: -2
    by_item = make("matrix_multiple", columns=columns, rows=rows, floor="item")
    by_column = make("matrix_multiple", columns=columns, rows=rows, floor="column")
    assert points(by_item, response) == (0, 2)
    assert points(by_column, response) == (1, 2)
    assert points(by_item, {"r1": ["A"], "r2": ["A"]}) == (2, 2)
    assert [p.correct for p in score(by_item, {"r1": ["A"], "r2": []}).parts] == [True, False, True]


def _blanks(n: int) -> list[dict]:
    return [{"id": f"b{i}", "options": opts(True, False, False)} for i in range(n)]


def test_cloze_scores_one_per_drop_down():
    item = make("cloze", template="{{b0}} then {{b1}} then {{b2}}", blanks=_blanks(3))
    assert points(item, {"b0": "a", "b1": "b", "b2": "a"}) == (2, 3)
    assert points(item, {"b0": "a", "b1": "a", "b2": "a"}) == (3, 3)


def test_rationale_dyad_scores_one_only_when_both_are_right():
    blanks = [{"id": "x", "options": opts(True, False)}, {"id": "y", "options": opts(True, False)}]
    item = make("rationale", template="Do {{x}} because {{y}}.", blanks=blanks)
    assert points(item, {"x": "a", "y": "a"}) == (1, 1)
    assert points(item, {"x": "a", "y": "b"}) == (0, 1)
    assert points(item, {"x": "b", "y": "a"}) == (0, 1)


def _triad(rule: str):
    # Blanks listed out of template order: X is the first blank *in the template*.
    blanks = [{"id": bid, "options": opts(True, False)} for bid in ("z", "y", "x")]
    return make(
        "rationale", template="{{x}} because {{y}} and {{z}}", blanks=blanks, triad_rule=rule
    )


def test_rationale_triad_pairs_rule_one_per_right_pair_and_nothing_if_x_is_wrong():
    item = _triad("pairs")
    assert points(item, {"x": "a", "y": "a", "z": "a"}) == (2, 2)
    assert points(item, {"x": "a", "y": "a", "z": "b"}) == (1, 2)
    assert points(item, {"x": "b", "y": "a", "z": "a"}) == (0, 2)


def test_rationale_triad_all_or_nothing():
    item = _triad("all_or_nothing")
    assert points(item, {"x": "a", "y": "a", "z": "a"}) == (1, 1)
    assert points(item, {"x": "a", "y": "a", "z": "b"}) == (0, 1)


def _steps() -> list[dict]:
    return [{"id": s, "text": s.upper()} for s in ("s1", "s2", "s3", "s4")]


def test_ordering_all_or_nothing():
    item = make("ordering", steps=_steps())
    assert points(item, ["s1", "s2", "s3", "s4"]) == (1, 1)
    assert points(item, ["s1", "s2", "s4", "s3"]) == (0, 1)
    assert points(item, ["s1", "s2", "s3", "s4", "s4"]) == (0, 1)


def test_ordering_position_rule_scores_each_step_in_its_place():
    item = make("ordering", steps=_steps(), rule="position")
    assert points(item, ["s1", "s2", "s4", "s3"]) == (2, 4)
    assert points(item, ["s2", "s1", "s4", "s3"]) == (0, 4)
    assert [p.chosen for p in score(item, ["s2", "s1", "s4", "s3"]).parts] == [1, 0, 3, 2]
    assert check_response(item, ["s1", "s1", "s2", "s3"]) == "Place every step exactly once."


def test_matching_scores_one_per_pair():
    item = make(
        "matching",
        pairs=[
            {"id": "p1", "left": "Induction", "right": "Remission"},
            {"id": "p2", "left": "Consolidation", "right": "Kill remaining cells"},
            {"id": "p3", "left": "Maintenance", "right": "Prevent relapse"},
        ],
        distractors=["Cure every patient"],
    )
    good = {"p1": "Remission", "p2": "Kill remaining cells", "p3": "Cure every patient"}
    assert points(item, good) == (2, 3)
    assert "Cure every patient" in item.choices()


def test_highlight_uses_the_plus_minus_rule():
    segments = [
        {"text": "Patient is "},
        {"id": "s1", "text": "pale", "correct": True},
        {"id": "s2", "text": "bruised", "correct": True},
        {"id": "s3", "text": "hungry"},
        {"id": "s4", "text": "talkative"},
    ]
    item = make("highlight", segments=segments)
    assert points(item, ["s1", "s3"]) == (0, 2)
    assert points(item, ["s1", "s2", "s3"]) == (1, 2)
    assert [p.id for p in score(item, []).parts] == ["s1", "s2", "s3", "s4"]


def _bowtie():
    return make(
        "bowtie",
        conditions=opts(True, False, False),
        actions=[{"id": f"a{i}", "text": f"A{i}", "correct": i < 2} for i in range(4)],
        parameters=[{"id": f"p{i}", "text": f"P{i}", "correct": i < 2} for i in range(4)],
    )


def test_bowtie_is_worth_five_points_one_per_right_pick():
    item = _bowtie()
    full = {"condition": "a", "actions": ["a0", "a1"], "parameters": ["p0", "p1"]}
    assert points(item, full) == (5, 5)
    assert points(item, {"condition": "b", "actions": ["a0", "a2"], "parameters": ["p1"]}) == (2, 5)
    too_many = {"condition": "a", "actions": ["a0", "a1", "a2"], "parameters": ["p0"]}
    assert points(item, too_many) == (2, 5)
    assert check_response(item, too_many) == "Choose no more than 2 actions to take."


# --- typed answers ---------------------------------------------------------------------


def _anc(**fields):
    return make("numeric", unit="cells/µL", answers=[{"value": 1500, "tolerance": 0}], **fields)


@pytest.mark.parametrize(
    "typed", ["1500", "1,500", " 1500 ", "1500.0", "1500 cells/µL", "1500cells/µl", "+1500"]
)
def test_numeric_accepts_the_usual_ways_of_typing_a_number(typed):
    assert check_response(_anc(), typed) is None
    assert points(_anc(), typed) == (1, 1)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1,5", "Use a decimal point (1.5), not a comma."),
        ("12,75", "Use a decimal point (12.75), not a comma."),
        ("1.500,5", "Use a decimal point (1.5), not a comma."),
        ("", "Type a number, for example 12.5."),
        ("   ", "Type a number, for example 12.5."),
        ("fifteen hundred", "Type a number, for example 12.5."),
        ("1500 mg", "Type only the number, in cells/µL, for example 12.5."),
    ],
)
def test_numeric_explains_what_it_cannot_read(typed, message):
    assert check_response(_anc(), typed) == message
    assert points(_anc(), typed) == (0, 1)


def test_numeric_example_is_never_the_answer():
    item = make("numeric", answers=[{"value": 12.5}])
    assert check_response(item, "abc") == "Type a number, for example 1500."


def test_numeric_without_thousands_separator_asks_for_the_number_without_a_comma():
    item = _anc(thousands_separator=False)
    assert "without a comma" in check_response(item, "1,500")
    assert points(item, "1500") == (1, 1)


def test_numeric_tolerance_range_and_best_partial_credit():
    item = make(
        "numeric",
        answers=[
            {"value": 900, "tolerance": 50},
            {"min": 800, "max": 1000, "credit": 0.5, "feedback": "Close: check your rounding."},
            {"value": 90, "credit": 0.25, "feedback": "Check the units."},
        ],
    )
    assert points(item, "949.9") == (1, 1)
    assert score(item, "960").points == 0.5
    assert score(item, "960").feedback == "Close: check your rounding."
    assert points(item, "90") == (0.25, 1)
    assert points(item, "1001") == (0, 1)
    assert points(item, 900) == (1, 1)  # a number widget may send a number


def test_numeric_tolerance_is_not_defeated_by_float_rounding():
    item = make("numeric", answers=[{"value": 0.3}])
    assert points(item, "0.30") == (1, 1)
    assert score(make("numeric", answers=[{"value": 0.1 + 0.2}]), "0.3").correct


def test_parse_number_raises_response_error_with_the_message():
    with pytest.raises(ResponseError) as err:
        parse_number("1,5")
    assert err.value.message == "Use a decimal point (1.5), not a comma."
    assert parse_number("−3.5") == -3.5  # a typographic minus sign


def test_short_answer_ignores_case_and_extra_spaces_unless_case_sensitive():
    item = make("short_answer", answers=[{"text": "Philadelphia chromosome"}])
    assert points(item, "  philadelphia   CHROMOSOME ") == (1, 1)
    strict = make("short_answer", answers=[{"text": "BCR-ABL1"}], case_sensitive=True)
    assert points(strict, "bcr-abl1") == (0, 1)
    assert points(strict, "BCR-ABL1") == (1, 1)


def test_short_answer_wildcards_and_best_credit_with_feedback():
    item = make(
        "short_answer",
        answers=[
            {"text": "methotrexate"},
            {"text": "MTX", "credit": 0.5, "feedback": "Spell out the drug name."},
            {
                "text": "*",
                "credit": 0,
                "feedback": "Think of the drug given into the spinal fluid.",
            },
        ],
    )
    assert points(item, "Methotrexate") == (1, 1)
    assert score(item, "mtx").points == 0.5
    assert score(item, "mtx").feedback == "Spell out the drug name."
    wrong = score(item, "vincristine")
    assert (wrong.points, wrong.feedback) == (0, "Think of the drug given into the spinal fluid.")
    assert points(item, "") == (0, 1)
    prefix = make("short_answer", answers=[{"text": "leuk*mia"}, {"text": "5\\*"}])
    assert points(prefix, "leukaemia") == (1, 1)
    assert points(prefix, "5*") == (1, 1)
    assert points(prefix, "55") == (0, 1)


# --- response messages ----------------------------------------------------------------


@pytest.mark.parametrize(
    "item, empty, message",
    [
        (make("single", options=opts(True, False)), None, "Choose an answer before checking."),
        (
            make("sata", options=opts(True, False)),
            [],
            "Choose at least one option before checking.",
        ),
        (make("matrix_single", **_grid()), {}, "Choose an answer in the grid before checking."),
        (
            make("matrix_multiple", **_grid()),
            {"r1": []},
            "Tick at least one box in the grid before checking.",
        ),
        (
            make("cloze", template="{{b0}}", blanks=_blanks(1)),
            {"b0": ""},
            "Choose an answer from the drop-down lists before checking.",
        ),
        (make("ordering", steps=_steps()), [], "Put the steps in order before checking."),
        (make("short_answer", answers=[{"text": "x"}]), " ", "Type an answer before checking."),
        (_bowtie(), {}, "Choose the condition, the actions and the parameters before checking."),
    ],
)
def test_check_response_asks_for_an_answer(item, empty, message):
    assert check_response(item, empty) == message
    assert score(item, empty).points == 0
    with pytest.raises(ResponseError):
        require_valid(item, empty)


def test_check_response_accepts_a_partial_answer():
    item = make("matrix_single", **_grid())
    assert check_response(item, {"r1": "yes"}) is None
    assert (
        check_response(make("single", options=opts(True, False)), "zz")
        == "Choose one of the options."
    )


# --- totals ---------------------------------------------------------------------------


def test_score_breakdown_by_topic_and_by_clinical_judgment_step():
    def item(qid, topic, step):
        return make("single", options=opts(True, False)).model_copy(
            update={"id": qid, "topic": topic, "step": step}
        )

    results = [
        (item("q1", "anemia", "take_action"), Score(1, 1)),
        (item("q2", None, "recognize_cues"), Score(0, 1)),
        (item("q3", "infection", None), Score(2, 4)),
        (item("q4", "anemia", "recognize_cues"), Score(0.5, 1)),
    ]
    assert score_breakdown(results) == [
        ("anemia", 1.5, 2, 2),
        ("infection", 2, 4, 1),
        ("Other", 0, 1, 1),
    ]
    by_step = score_breakdown(results, by="step")
    assert by_step == [("Recognize cues", 0.5, 2, 2), ("Take action", 1, 1, 1)]
    assert by_step[0].fraction == 0.25


def test_score_fraction_and_correct():
    assert Score(2, 4).fraction == 0.5
    assert not Score(2, 4).correct
    assert Score(4, 4).correct
    assert Score(0, 0).fraction == 0


# --- properties over generated items of every type --------------------------------------


def _ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


@st.composite
def _options(draw, n_min=2, n_max=6, keys=None, credits=False):
    n = draw(st.integers(n_min, n_max))
    if keys is None:
        k = draw(st.integers(1, n))
    else:
        k = keys
    out = [{"id": oid, "text": oid, "correct": i < k} for i, oid in enumerate(_ids("o", n))]
    if credits:
        for o in out:
            o["credit"] = 1 / k if o["correct"] else -draw(st.sampled_from([0, 0.25, 0.5, 1]))
    return out


@st.composite
def items(draw):
    kind = draw(
        st.sampled_from(
            [
                "single",
                "sata",
                "select_n",
                "matrix_single",
                "matrix_multiple",
                "cloze",
                "rationale",
                "ordering",
                "matching",
                "highlight",
                "bowtie",
                "numeric",
                "short_answer",
            ]
        )
    )
    f: dict = {}
    if kind == "single":
        f["options"] = draw(_options(keys=1))
        for o in f["options"][1:]:
            o["credit"] = draw(st.sampled_from([None, -0.5, 0, 0.25, 0.5]))
    elif kind == "sata":
        f["rule"] = draw(st.sampled_from(["plus_minus", "weights"]))
        f["options"] = draw(_options(credits=f["rule"] == "weights"))
    elif kind == "select_n":
        n = draw(st.integers(1, 3))
        f["n"] = n
        f["options"] = draw(_options(n_min=n + 1, keys=n))
    elif kind in ("matrix_single", "matrix_multiple"):
        cols = _ids("c", draw(st.integers(2, 4)))
        f["columns"] = [{"id": c, "text": c} for c in cols]
        rows = []
        for rid in _ids("r", draw(st.integers(1, 4))):
            if kind == "matrix_single":
                correct = [draw(st.sampled_from(cols))]
            else:
                correct = draw(st.lists(st.sampled_from(cols), unique=True))
            rows.append({"id": rid, "text": rid, "correct": correct})
        if kind == "matrix_multiple":
            rows[0]["correct"] = rows[0]["correct"] or [cols[0]]
            f["floor"] = draw(st.sampled_from(["item", "column"]))
        f["rows"] = rows
    elif kind in ("cloze", "rationale"):
        n = draw(st.integers(2, 3)) if kind == "rationale" else draw(st.integers(1, 3))
        ids = _ids("b", n)
        f["blanks"] = [{"id": b, "options": draw(_options(keys=1))} for b in ids]
        f["template"] = " and ".join("{{" + b + "}}" for b in ids)
        if kind == "rationale":
            f["triad_rule"] = draw(st.sampled_from(["pairs", "all_or_nothing"]))
    elif kind == "ordering":
        f["steps"] = [{"id": s, "text": s} for s in _ids("s", draw(st.integers(2, 5)))]
        f["rule"] = draw(st.sampled_from(["all_or_nothing", "position"]))
    elif kind == "matching":
        pool = ["Remission", "Relapse", "Refractory", "Maintenance"]
        f["pairs"] = [
            {"id": p, "left": p, "right": draw(st.sampled_from(pool))}
            for p in _ids("p", draw(st.integers(2, 4)))
        ]
        f["distractors"] = draw(st.lists(st.sampled_from(["Cure", "None"]), unique=True))
    elif kind == "highlight":
        n = draw(st.integers(2, 6))
        segs = [{"id": s, "text": s, "correct": draw(st.booleans())} for s in _ids("s", n)]
        segs[0]["correct"] = True
        f["segments"] = [{"text": "Note: "}, *segs]
    elif kind == "bowtie":
        f["conditions"] = draw(_options(keys=1))
        f["actions"] = [{**o, "id": "a" + o["id"]} for o in draw(_options(n_min=3, keys=2))]
        f["parameters"] = [{**o, "id": "p" + o["id"]} for o in draw(_options(n_min=3, keys=2))]
    elif kind == "numeric":
        value = draw(st.integers(-5000, 5000)) / draw(st.sampled_from([1, 10, 100]))
        tol = draw(st.sampled_from([0, 0.5, 10]))
        f["answers"] = [{"value": value, "tolerance": tol}]
        if draw(st.booleans()):
            f["answers"].append({"min": value - 100, "max": value + 100, "credit": 0.5})
        f["unit"] = draw(st.sampled_from([None, "mL", "%"]))
        f["thousands_separator"] = draw(st.booleans())
    else:
        texts = ["methotrexate", "MTX", "leuk*", "*", "blast cells"]
        keys = draw(st.lists(st.sampled_from(texts), min_size=1, max_size=3, unique=True))
        f["answers"] = [{"text": t, "credit": 1 if i == 0 else 0.5} for i, t in enumerate(keys)]
        f["case_sensitive"] = draw(st.booleans())
    return make(kind, **f)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


def _known_ids(item) -> list[str]:
    dumped = item.model_dump()
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                found.append(node["id"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(dumped)
    found += [c for c in ("condition", "actions", "parameters")]
    return found


@st.composite
def item_and_response(draw):
    """An item and a response built from its own ids (plus junk): answers a widget sends."""
    item = draw(items())
    ids = _known_ids(item) + ["zz", ""]
    choice = st.sampled_from(ids)
    some = st.lists(choice, max_size=6)
    response = draw(
        st.one_of(
            choice,
            some,
            st.dictionaries(choice, choice | some, max_size=5),
            st.fixed_dictionaries({"condition": choice, "actions": some, "parameters": some}),
            st.sampled_from(["1500", "1,500", "1,5", "methotrexate", "MTX", " 12.5 mL"]),
            JSON,
        )
    )
    return item, response


def _permuted(item, rng: random.Random):
    """The same item with its options (rows, columns, blanks, pairs, answers) reordered."""
    data = item.model_dump(exclude_none=True)

    def shuffle(key, node=data):
        if isinstance(node.get(key), list):
            rng.shuffle(node[key])

    for key in (
        "options",
        "columns",
        "rows",
        "pairs",
        "answers",
        "distractors",
        "conditions",
        "actions",
        "parameters",
        "blanks",
    ):
        shuffle(key)
    for blank in data.get("blanks", []):
        shuffle("options", blank)
    if data["type"] == "highlight":
        head, *segments = data["segments"]
        rng.shuffle(segments)
        data["segments"] = [head, *segments]
    return ITEM.validate_python(data)


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(item_and_response())
def test_points_stay_between_zero_and_max_and_nothing_raises(case):
    item, response = case
    result = score(item, response)
    assert 0 <= result.points <= result.max_points
    assert result.max_points > 0
    message = check_response(item, response)
    assert message is None or (isinstance(message, str) and message)


@PROPERTY
@given(items(), JSON)
def test_garbage_responses_never_raise(item, garbage):
    result = score(item, garbage)
    assert 0 <= result.points <= result.max_points
    check_response(item, garbage)


@PROPERTY
@given(items())
def test_the_key_scores_full_marks_and_is_a_well_formed_response(item):
    key = key_response(item)
    assert score(item, key).correct
    assert check_response(item, key) is None
    assert all(p.correct for p in score(item, key).parts)


@PROPERTY
@given(items(), st.sampled_from([None, "", " ", [], {}, ()]))
def test_an_empty_response_scores_zero(item, empty):
    assert score(item, empty).points == 0
    assert check_response(item, empty) is not None


@PROPERTY
@given(item_and_response(), st.randoms(use_true_random=False))
def test_option_order_in_the_model_does_not_change_the_score(case, rng):
    item, response = case
    if item.type == "ordering":
        return  # the steps' order *is* the key
    shuffled = _permuted(item, rng)
    assert score(shuffled, response).points == score(item, response).points


def test_a_very_long_typed_answer_is_matched_quickly():
    item = make("short_answer", answers=[{"text": "*a*b*c*d*"}])
    assert points(item, "a" * 200_000) == (0, 1)
    assert points(item, "a" * 200_000 + "bcd") == (1, 1)


@settings(max_examples=300, deadline=None)
@given(st.text("ab*", max_size=6), st.text("ab", max_size=8))
def test_wildcard_matching_agrees_with_a_regular_expression(answer, typed):
    answer = answer or "a"  # an accepted answer is never empty
    regex = ".*".join(re.escape(piece) for piece in answer.split("*"))
    item = make("short_answer", answers=[{"text": answer}], case_sensitive=True)
    # An empty response is never scored, even against "*".
    expected = bool(typed) and re.fullmatch(regex, typed) is not None
    assert score(item, typed).correct == expected


# --- what students type, read as they meant it (issue 15) ------------------------------


def _wbc():
    # White cells per litre, as lab reports write them: 2.5 x 10^9/L.
    return make("numeric", answers=[{"value": 2.5e9, "tolerance": 0}])


@pytest.mark.parametrize(
    "typed",
    [
        "2.5e9",
        "2.5E9",
        "25e8",
        "2.5e+9",
        "0.25e10",
        "2.5 x 10^9",
        "2.5 X 10^9",
        "2.5×10^9",
        "2.5 × 10⁹",
        "2.5*10**9",
        "2,500,000,000",
        "２.５e９",  # full-width digits from a phone keyboard
    ],
)
def test_numeric_accepts_scientific_and_lab_notation(typed):
    assert check_response(_wbc(), typed) is None
    assert points(_wbc(), typed) == (1, 1)


@pytest.mark.parametrize(
    "typed, value",
    [("2.5 x 10^-3", 0.0025), ("2.5×10⁻³", 0.0025), ("−3", -3), ("‒3", -3), ("1 500", None)],
)
def test_negative_exponents_and_phone_minus_signs(typed, value):
    if value is None:
        with pytest.raises(ResponseError):
            parse_number(typed)
    else:
        assert parse_number(typed) == pytest.approx(value)


@pytest.mark.parametrize(
    "typed, message",
    [
        # A digit after "x 10" without ^ is not a power: 2 x 105 is not read as 2e5.
        ("2 x 105", "Type only the number, without a unit, for example 12.5."),
        ("2.5e9 cells", "Type only the number, without a unit, for example 12.5."),
        ("1e999", "That number is too large. Type a number, for example 12.5."),
        ("-1e999", "That number is too large. Type a number, for example 12.5."),
    ],
)
def test_numbers_that_are_not_read_still_get_the_right_message(typed, message):
    assert check_response(_wbc(), typed) == message
    assert points(_wbc(), typed) == (0, 1)


def test_units_messages_stay_for_real_units():
    assert check_response(_anc(), "1.5e3 cells/µL") is None
    assert check_response(_anc(), "1.5e3 mg") == (
        "Type only the number, in cells/µL, for example 12.5."
    )


def _hodgkin(**fields):
    return make("short_answer", answers=[{"text": "Hodgkin's lymphoma"}], **fields)


@pytest.mark.parametrize(
    "typed",
    [
        "Hodgkin’s lymphoma",  # right single quotation mark (iOS, Android smart punctuation)
        "Hodgkin‘s lymphoma",  # left single quotation mark
        "Hodgkinʼs lymphoma",  # modifier letter apostrophe
        "Hodgkin′s lymphoma",  # prime
        "Hodgkin`s lymphoma",  # grave accent
        "Hodgkin´s lymphoma",  # acute accent
        "Hodgkin＇s lymphoma",  # full-width apostrophe
        "Hodgkin's\u00a0lymphoma",  # no-break space
        "Hodgkin's\u202flymphoma",  # narrow no-break space
        "Hodgkin's  lymphoma ",  # double space, trailing space
        "Hodgkin's lymphoma.",  # the full stop a phone adds after a double space
        "Hodgkin\u200b's lymphoma",  # zero-width space pasted from a web page
        "hodgkin's LYMPHOMA",
        "Ｈｏｄｇｋｉｎ's lymphoma",  # full-width letters
    ],
)
def test_short_answer_reads_smart_punctuation_and_device_spacing(typed):
    assert points(_hodgkin(), typed) == (1, 1)


@pytest.mark.parametrize(
    "key, typed",
    [
        ("non-Hodgkin lymphoma", "non–Hodgkin lymphoma"),  # en dash
        ("non-Hodgkin lymphoma", "non—Hodgkin lymphoma"),  # em dash
        ("non-Hodgkin lymphoma", "non‑Hodgkin lymphoma"),  # non-breaking hyphen
        ("non-Hodgkin lymphoma", "non - Hodgkin lymphoma"),
        ('"B symptoms"', "“B symptoms”"),  # typographic double quotes
        ("café au lait spots", "cafe\u0301 au lait spots"),  # decomposed accent (NFD)
        ("fibrin", "ﬁbrin"),  # ligature
        ("Hodgkin’s lymphoma", "Hodgkin's lymphoma"),  # a key typed with a curly quote
        ("Hodgkin's*", "Hodgkin’s disease"),  # wildcards too
    ],
)
def test_short_answer_quote_dash_and_unicode_variants_match(key, typed):
    assert points(make("short_answer", answers=[{"text": key}]), typed) == (1, 1)


def test_short_answer_normalisation_keeps_different_answers_different():
    assert points(_hodgkin(), "Hodgkins lymphoma") == (0, 1)
    assert points(_hodgkin(), "non-Hodgkin's lymphoma") == (0, 1)
    assert points(_hodgkin(case_sensitive=True), "hodgkin’s lymphoma") == (0, 1)
    assert points(_hodgkin(case_sensitive=True), "Hodgkin’s lymphoma") == (1, 1)


def test_several_full_credit_options_each_score_full_marks_and_are_not_marked_wrong():
    # Moodle's several "=" answers: the key plus an option with credit 1.
    item = make("single", options=opts(True, False, False, b=1.0))
    for choice in ("a", "b"):
        s = score(item, choice)
        assert s.correct
        assert all(p.correct for p in s.parts)  # the other full-credit answer is not "missed"
    wrong = score(item, "c")
    assert not wrong.correct
    assert [p.correct for p in wrong.parts] == [False, False, False]


@pytest.mark.parametrize("typed", ["1260 cells/mm³", "1,260 cells/mm3", "1.26e3 cells/mm³"])
def test_a_unit_with_a_superscript_is_not_read_as_a_power(typed):
    item = make("numeric", unit="cells/mm³", answers=[{"value": 1260}])
    assert check_response(item, typed) is None
    assert points(item, typed) == (1, 1)
