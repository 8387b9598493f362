"""Item-writing warnings: the mechanical test-wise cues an NCLEX item writer avoids.

Pure functions over the item models (no files, no printing). `validate` reports what they
find as warnings: they fail the run only with `--strict`. The rules, as item-writing guides
for nursing exams give them (NCSBN item writers; Haladyna, Downing & Rodriguez's
multiple-choice item-writing guidelines, 2002):

- the key should not be the option that is clearly the longest (a test-wise student picks
  the longest, most qualified option), and across a bank the key should be the longest
  option in well under half of the one-answer choices;
- no absolute words (always, never, only, all, none, cannot, nothing, every, must) in the
  distractors, which mark them as wrong to a test-wise student;
- no "all of the above" / "none of the above";
- a negative lead-in ("Which is **not** ...", "... EXCEPT") must be emphasised.

Each function returns `(field, message)` pairs in the style of `validate`'s problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from allcourse.quiz import models as m

# A key at least this much longer than every distractor (in characters, both conditions)
# is "clearly" the longest: small differences are not a cue.
CLEARLY_LONGER_RATIO = 1.25
CLEARLY_LONGER_CHARS = 10
# Across a bank, the key may be the longest option in at most this share of one-answer
# choices (four options by chance give 25%; "well under half" is the aim).
BANK_KEY_LONGEST_MAX_SHARE = 1 / 3
BANK_KEY_LONGEST_MIN_CHOICES = 4  # fewer choices than this: no bank-level verdict

ABSOLUTE_WORDS = (
    "always",
    "never",
    "only",
    "all",
    "none",
    "cannot",
    "can't",
    "nothing",
    "every",
    "must",
)
_ABSOLUTE = re.compile(
    r"(?<![\w'])(" + "|".join(map(re.escape, ABSOLUTE_WORDS)) + r")(?![\w'])(?!\s+\d)", re.I
)  # "every 4 hours" is a frequency, not an absolute
_ALL_NONE_ABOVE = re.compile(r"\b(all|none)\s+of\s+(the\s+above|these)\b", re.I)
_NEGATIVE = re.compile(r"\b(not|except|least)\b|n't\b", re.I)
_EMPHASIS = re.compile(r"\*\*[^*]+\*\*|__[^_]+__|<(strong|b|em)>.*?</\1>", re.I | re.S)


def _plain(text: str) -> str:
    """Text as a student reads it: Markdown emphasis and quotes do not count as length."""
    return re.sub(r"[*_`\"“”]", "", text).strip()


def absolute_words(text: str) -> list[str]:
    """The absolute words in `text`, lower-cased, in order ("Only if..." -> ["only"])."""
    # "ALL" in capitals is the disease (acute lymphoblastic leukemia), not the word "all".
    return [w.lower() for w in _ABSOLUTE.findall(_plain(text)) if w != "ALL"]


def says_all_or_none_of_the_above(text: str) -> bool:
    return bool(_ALL_NONE_ABOVE.search(text))


def key_clearly_longest(options: Sequence[m.Option]) -> bool:
    """True when a one-answer choice's key is clearly longer than every distractor."""
    keys = [o for o in options if o.correct]
    others = [o for o in options if not o.correct]
    if len(keys) != 1 or not others:
        return False
    key = len(_plain(keys[0].text))
    longest = max(len(_plain(o.text)) for o in others)
    return key >= longest * CLEARLY_LONGER_RATIO and key - longest >= CLEARLY_LONGER_CHARS


def key_longest(options: Sequence[m.Option]) -> bool:
    """True when the key is strictly the longest option (the bank-level count)."""
    keys = [o for o in options if o.correct]
    others = [o for o in options if not o.correct]
    if len(keys) != 1 or not others:
        return False
    return len(_plain(keys[0].text)) > max(len(_plain(o.text)) for o in others)


def one_answer_choices(item: m.ItemBase) -> list[tuple[str, list[m.Option]]]:
    """(field, options) for every choice with exactly one key: a single-choice item's
    options, and each drop-down of a cloze or rationale item."""
    if isinstance(item, m.SingleChoice):
        return [("options", list(item.options))]
    if isinstance(item, m.Cloze | m.DropdownRationale):
        return [(f"blanks[{b.id}].options", list(b.options)) for b in item.blanks]
    return []


def _distractors(item: m.ItemBase) -> Iterable[tuple[str, str]]:
    """(field, text) of every wrong option a student can pick."""
    groups: list[tuple[str, list[m.Option]]] = []
    if isinstance(item, m.SingleChoice | m.MultipleResponse | m.SelectN):
        groups.append(("options", list(item.options)))
    elif isinstance(item, m.Cloze | m.DropdownRationale):
        groups += [(f"blanks[{b.id}].options", list(b.options)) for b in item.blanks]
    elif isinstance(item, m.Bowtie):
        groups += [
            ("conditions", item.conditions),
            ("actions", item.actions),
            ("parameters", item.parameters),
        ]
    for name, options in groups:
        for o in options:
            if not o.correct:
                yield f"{name}[{o.id}].text", o.text
    if isinstance(item, m.Matching):
        for i, text in enumerate(item.distractors):
            yield f"distractors.{i}", text


def _all_option_texts(item: m.ItemBase) -> Iterable[tuple[str, str]]:
    groups: list[tuple[str, list[m.Option]]] = one_answer_choices(item)
    if isinstance(item, m.MultipleResponse | m.SelectN):
        groups = [("options", list(item.options))]
    elif isinstance(item, m.Bowtie):
        groups = [("conditions", item.conditions), ("actions", item.actions)]
        groups.append(("parameters", item.parameters))
    for name, options in groups:
        for o in options:
            yield f"{name}[{o.id}].text", o.text
    if isinstance(item, m.Matching):
        for i, text in enumerate(item.distractors):
            yield f"distractors.{i}", text


def lead_in(stem: str) -> str:
    """The stem's last sentence: the question the student answers."""
    # A sentence ends at . ? ! or : and any closing quote ("... without me." What ...).
    sentences = [
        s for s in re.split(r"(?:(?<=[.?!:])|(?<=[.?!:][\"”’]))\s+", stem.strip()) if s.strip()
    ]
    return sentences[-1] if sentences else ""


def unemphasised_negative(stem: str) -> str | None:
    """The negative word of a lead-in that does not emphasise it (**not**, NOT), or None."""
    question = lead_in(stem)
    shown = _EMPHASIS.sub(" ", question)
    for match in _NEGATIVE.finditer(shown):
        word = match.group(0)
        if word.isupper() and len(word) > 1:  # NOT, EXCEPT: emphasised by capitals
            continue
        return word
    return None


def item_warnings(item: m.ItemBase) -> list[tuple[str, str]]:
    """(field, message) for every item-writing cue in one item."""
    found: list[tuple[str, str]] = []
    for name, options in one_answer_choices(item):
        if key_clearly_longest(options):
            found.append(
                (
                    name,
                    "the key is clearly the longest option: shorten it or lengthen the "
                    "distractors so length gives nothing away",
                )
            )
    for where, text in _distractors(item):
        # "None of the above" gets its own warning below, not a second one for "none".
        words = [] if says_all_or_none_of_the_above(text) else absolute_words(text)
        if words:
            listed = ", ".join(dict.fromkeys(words))
            found.append(
                (
                    where,
                    f"absolute word in a distractor ({listed}): it marks the option as "
                    "wrong; say what is wrong with it instead",
                )
            )
    for where, text in _all_option_texts(item):
        if says_all_or_none_of_the_above(text):
            found.append((where, "'all/none of the above' (or 'of these'): write a real option"))
    word = unemphasised_negative(item.stem)
    if word is not None:
        found.append(
            (
                "stem",
                f"negative lead-in ({word!r}) without emphasis: write **{word}** or "
                f"{word.upper()}, or ask the question positively",
            )
        )
    return found


@dataclass(frozen=True)
class BankCues:
    """How often a bank's one-answer keys are the longest option, and its warning count."""

    file: str
    items: int
    choices: int  # one-answer choices (single-choice items and drop-downs)
    key_longest: int  # of those, how many have the key strictly longest
    warnings: int

    @property
    def key_longest_share(self) -> float:
        return self.key_longest / self.choices if self.choices else 0.0

    @property
    def key_longest_too_often(self) -> bool:
        return (
            self.choices >= BANK_KEY_LONGEST_MIN_CHOICES
            and self.key_longest_share > BANK_KEY_LONGEST_MAX_SHARE
        )

    def line(self) -> str:
        share = f"{self.key_longest}/{self.choices} one-answer keys longest"
        if self.choices:
            share += f" ({self.key_longest_share:.0%})"
        noun = "warning" if self.warnings == 1 else "warnings"
        return f"{self.file}: item writing: {self.warnings} {noun}; {share}"


def bank_warnings(
    items: Sequence[m.ItemBase], file: str
) -> tuple[list[tuple[str, str, str]], BankCues]:
    """Every item's warnings as (item id, field, message), plus the bank-level verdict on
    how often the key is the longest option (itself a warning when too often)."""
    found: list[tuple[str, str, str]] = []
    choices = longest = 0
    for item in items:
        found += [(item.id, where, what) for where, what in item_warnings(item)]
        for _, options in one_answer_choices(item):
            choices += 1
            longest += key_longest(options)
    cues = BankCues(file, len(items), choices, longest, 0)
    if cues.key_longest_too_often:
        found.append(
            (
                "-",
                "items",
                f"the key is the longest option in {longest} of {choices} one-answer choices "
                f"({cues.key_longest_share:.0%}); keep it well under half "
                f"(at most {BANK_KEY_LONGEST_MAX_SHARE:.0%})",
            )
        )
    return found, BankCues(file, len(items), choices, longest, len(found))
