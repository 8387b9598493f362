"""Item-writing warnings: each cue is found where it is and not where it is not, a bank
whose keys are mostly the longest option is flagged, and `validate` reports warnings
without failing unless `--strict`."""

from __future__ import annotations

from pathlib import Path

import pytest

from allcourse.app.cli import main
from allcourse.quiz import item_writing as iw
from allcourse.quiz import models as m
from allcourse.quiz.bank import load_bank
from allcourse.quiz.validate import validate

ROOT = Path(__file__).resolve().parents[2]
CUED = "tests/fixtures/item_writing/cued.yml"


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def single(stem: str, key: str, *wrong: str, item_id: str = "x") -> m.SingleChoice:
    options = [m.Option(id="k", text=key, correct=True, rationale="r")]
    options += [m.Option(id=f"d{i}", text=t, rationale="r") for i, t in enumerate(wrong)]
    return m.SingleChoice(type="single", id=item_id, stem=stem, options=options)


def fields(item: m.ItemBase) -> list[str]:
    return [where for where, _ in iw.item_warnings(item)]


# --- absolute words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Radiation always leads to leukemia.", ["always"]),
        ("It cannot be done; nothing helps.", ["cannot", "nothing"]),
        ("Only if he smokes", ["only"]),
        ("Every patient must have a CT", ["every", "must"]),
        ("None of them; all are wrong", ["none", "all"]),
        ("Can't be measured", ["can't"]),
    ],
)
def test_absolute_words_are_found(text, words):
    assert iw.absolute_words(text) == words


@pytest.mark.parametrize(
    "text",
    [
        "In adults, T-cell ALL is the more common type.",  # ALL is the disease
        "Rectal temperatures every 4 hours",  # a frequency
        "Usually more than 25% blasts",  # 'all' inside a word
        "Onlyness is not a word, allele is",
        "Take temperatures by mouth",
    ],
)
def test_words_that_only_look_absolute_are_not_flagged(text):
    assert iw.absolute_words(text) == []


def test_an_absolute_word_in_a_distractor_is_warned_but_not_in_the_key():
    item = single("Which is right?", "Always use the mouth", "Take rectal temperatures")
    assert fields(item) == []
    item = single("Which is right?", "Take temperatures by mouth", "Never take temperatures")
    assert fields(item) == ["options[d0].text"]


def test_absolute_words_are_checked_in_sata_bowtie_dropdown_and_matching_distractors():
    sata = m.MultipleResponse(
        type="sata",
        id="s",
        stem="Select all that apply.",  # the stem's "all" is not a distractor
        options=[
            m.Option(id="a", text="Hand hygiene", correct=True, rationale="r"),
            m.Option(id="b", text="Flowers are always fine", rationale="r"),
        ],
    )
    assert fields(sata) == ["options[b].text"]
    cloze = m.Cloze(
        type="cloze",
        id="c",
        stem="Complete.",
        template="{{x}}",
        blanks=[
            m.Blank(
                id="x",
                options=[
                    m.Option(id="a", text="segs plus bands", correct=True, rationale="r"),
                    m.Option(id="b", text="all white cells", rationale="r"),
                ],
            )
        ],
    )
    assert fields(cloze) == ["blanks[x].options[b].text"]
    matching = m.Matching(
        type="matching",
        id="mt",
        stem="Match.",
        pairs=[
            m.MatchPair(id="a", left="B cell", right="Makes antibodies", rationale="r"),
            m.MatchPair(id="b", left="NK cell", right="Attacks viruses", rationale="r"),
        ],
        distractors=["Only carries oxygen"],
    )
    assert fields(matching) == ["distractors.0"]


# --- the longest key ---------------------------------------------------------------------


def test_a_key_clearly_longer_than_every_distractor_is_warned():
    item = single(
        "Which is accurate?",
        "The ANC is below 500/mm³, which is severe neutropenia",
        "The ANC is normal",
        "Mild neutropenia",
    )
    assert fields(item) == ["options"]


def test_a_key_a_little_longer_is_not_a_cue():
    item = single("Which is accurate?", "Severe neutropenia", "Mild neutropenia", "Normal")
    assert iw.key_longest(item.options)
    assert fields(item) == []


def test_a_bank_whose_keys_are_mostly_longest_gets_a_bank_warning():
    items = [
        single("Q?", f"The correct answer number {i}", "Wrong", "Also wrong", item_id=f"q{i}")
        for i in range(3)
    ]
    items.append(single("Q?", "Short", "A longer wrong answer", item_id="q3"))
    found, cues = iw.bank_warnings(items, "bank.yml")
    assert (cues.choices, cues.key_longest) == (4, 3)
    assert cues.key_longest_too_often
    assert ("-", "items") in [(i, f) for i, f, _ in found]
    assert "3 of 4 one-answer choices (75%)" in found[-1][2]
    assert cues.line() == (
        f"bank.yml: item writing: {len(found)} warnings; 3/4 one-answer keys longest (75%)"
    )


def test_a_bank_with_keys_longest_in_a_third_or_less_passes():
    items = [single("Q?", "Short", "A longer wrong answer", item_id=f"q{i}") for i in range(2)]
    items.append(single("Q?", "The longest one here", "Wrong", item_id="q2"))
    found, cues = iw.bank_warnings(items[:2] + items[2:], "b.yml")
    assert not cues.key_longest_too_often  # 1 of 3, below the 4-choice minimum anyway
    items.append(single("Q?", "Tiny", "Much longer wrong answer", item_id="q3"))
    found, cues = iw.bank_warnings(items, "b.yml")
    assert (cues.choices, cues.key_longest) == (4, 1)
    assert not cues.key_longest_too_often
    assert not [f for f in found if f[0] == "-"]


# --- all/none of the above; negative stems ---------------------------------------------------


@pytest.mark.parametrize("text", ["All of the above", "none of these", "None of the  above"])
def test_all_or_none_of_the_above_is_warned(text):
    item = single("Which?", "Fatigue", text)
    assert any("of the above" in what for _, what in iw.item_warnings(item))


@pytest.mark.parametrize(
    ("stem", "word"),
    [
        ("Which instruction should the nurse not give?", "not"),
        ("All of these are bleeding precautions except which one?", "except"),
        ("A client asks. Which statement isn't accurate?", "n't"),
        ("Which finding is least likely?", "least"),
    ],
)
def test_a_negative_lead_in_without_emphasis_is_warned(stem, word):
    assert iw.unemphasised_negative(stem) == word


@pytest.mark.parametrize(
    "stem",
    [
        "Which instruction should the nurse **not** give?",
        "All are precautions EXCEPT which one?",
        "Which instruction should the nurse <strong>not</strong> give?",
        # "not" in the case, before the question, is not a negative lead-in
        "A child not yet treated has started to limp. Which response is accurate?",
        'She says, "I can\'t sleep." What should the nurse do first?',
    ],
)
def test_emphasised_or_earlier_negatives_are_not_warned(stem):
    assert iw.unemphasised_negative(stem) is None


# --- validate and the CLI ---------------------------------------------------------------


def test_the_cued_fixture_has_exactly_one_warning_per_item():
    bank = load_bank(ROOT / CUED)
    for item in bank.all_items():
        assert len(iw.item_warnings(item)) == 1, (item.id, iw.item_warnings(item))
    report = validate([CUED])
    assert report.ok  # warnings are not problems
    assert sorted({w.item for w in report.warnings}) == sorted(i.id for i in bank.all_items())


def test_warnings_do_not_fail_validate_but_fail_it_with_strict(capsys):
    assert main(["validate", CUED]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "ok: 1 bank, 4 items"
    assert f"warning: {CUED}: cued-negative-stem: stem: negative lead-in ('not') without " in (
        "\n".join(out)
    )
    assert out[-1].startswith(f"{CUED}: item writing: 4 warnings;")
    assert main(["validate", "--strict", CUED]) == 1
    assert "--strict: 4 item-writing warning(s) count as failures" in capsys.readouterr().out


def test_the_course_banks_pass_strict(capsys):
    assert main(["validate", "--strict"]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out.splitlines()
    banks = [line for line in out if ": item writing: 0 warnings;" in line]
    assert len(banks) >= 3, out  # a per-bank summary line for every bank
