"""A "predict first, then check" question as data, for the scenarios of modules 01 and 02.

The question and the choice labels are what the student sees before checking; the key, the
explanation and the reason each other choice is wrong stay in the kernel until the student
has predicted and pressed the button (`prediction_view.prediction_check` draws it).

Pure: no widgets. Each paragraph carries the reference ids behind it, so a scenario's
`source_ids()` can include them and the notebook test checks that its page cites them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paragraph:
    """One piece of explanation text and the reference ids (assets/references.yml) behind it;
    no ids for a statement about the model itself."""

    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class WhyNot:
    """Why one wrong choice is wrong (`value` is the choice's value)."""

    value: str
    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prediction:
    """One prediction question: (label, value) choices, the key's value, the explanation
    shown after the check, and a short reason for every other choice.

    Raises ValueError when the key is not a choice, a value repeats, or the reasons do not
    cover exactly the wrong choices (an authoring error, caught when the module loads)."""

    question: str
    choices: tuple[tuple[str, str], ...]
    key: str
    explanation: tuple[Paragraph, ...]
    why_not: tuple[WhyNot, ...]

    def __post_init__(self) -> None:
        values = [value for _label, value in self.choices]
        if len(set(values)) != len(values):
            raise ValueError(f"choice values repeat: {values}")
        if self.key not in values:
            raise ValueError(f"the key {self.key!r} is not one of the choices {values}")
        wrong = [v for v in values if v != self.key]
        explained = [w.value for w in self.why_not]
        if sorted(explained) != sorted(wrong):
            raise ValueError(f"give one reason for each wrong choice {wrong}; got {explained}")

    def label(self, value: str) -> str:
        """The label of the choice with this value (KeyError for an unknown value)."""
        return {v: label for label, v in self.choices}[value]

    def source_ids(self) -> set[str]:
        """Every reference id the explanation cites."""
        ids = {i for p in self.explanation for i in p.sources}
        ids.update(i for w in self.why_not for i in w.sources)
        return ids
