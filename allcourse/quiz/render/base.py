"""The renderer contract: one subclass per item type draws the answer controls, reads
the student's response in the shape `scoring.score` takes, and describes each scored
part for the feedback. Grading itself is `scoring.score`'s job, never a renderer's.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import ipywidgets as w

from allcourse.quiz.models import ItemBase
from allcourse.quiz.scoring import PartResult, Score

T = TypeVar("T")


@dataclass(frozen=True)
class PartNote:
    """One line of feedback: an option, row, blank, step, pair or segment.

    `ok` is whether the student handled this part right (None: not judged, as in the
    answer key). `label` and `detail` are plain text; `rationale` is Markdown.
    `chosen` is False for a part the student left alone (an option not ticked): a try
    that is not yet answered right says nothing of those, so it cannot give the key away.
    """

    ok: bool | None
    label: str
    detail: str
    rationale: str | None = None
    chosen: bool = True


def rng_for(seed: int, item_id: str) -> random.Random:
    """The shuffle for one student and one item: stable across reloads and kernels."""
    return random.Random(f"{seed}:{item_id}")


def shuffled(rng: random.Random, values: Sequence[T]) -> list[T]:
    out = list(values)
    rng.shuffle(out)
    return out


class Renderer:
    """Draws one item's answer controls. Subclasses fill `controls` (every input, so
    they can be locked) and implement the methods below."""

    def __init__(self, item: ItemBase, seed: int):
        self.item = item
        self.seed = seed
        self.controls: list[w.DOMWidget] = []
        # Set by the item card: how a renderer tells the student something right away
        # (e.g. "Choose no more than 2 options") through the card's live region.
        self.announce: Callable[[str], None] = lambda message: None
        self.widget: w.Widget = self.build()

    @property
    def fmt(self) -> str:
        """The item's `text_format`: every text of the item is written in it."""
        return self.item.text_format

    # --- drawing ----------------------------------------------------------------------
    def build(self) -> w.Widget:
        raise NotImplementedError

    def reorder(self, seed: int) -> None:
        """The student's own seed has arrived: put options in that student's order,
        keeping every choice already made. Types that do not shuffle ignore it."""
        self.seed = seed

    # --- the response -----------------------------------------------------------------
    def response(self) -> Any:
        raise NotImplementedError

    def clear(self) -> None:
        """Forget the student's answer (put the controls back as they started)."""
        raise NotImplementedError

    def restore(self, response: Any) -> None:
        """Show a saved response (in `scoring.score`'s shape) in the controls; parts that
        no longer fit the item are left empty."""
        raise NotImplementedError

    def set_response(self, response: Any) -> None:
        """The same as `restore` (the name the test mode's reload uses)."""
        self.restore(response)

    def empty_message(self) -> str | None:
        """Why the controls hold no answer yet, beyond what `check_response` says."""
        return None

    def set_locked(self, locked: bool) -> None:
        for c in self.controls:
            c.disabled = locked

    # --- feedback (called only after the item is checked) --------------------------------
    def notes(self, score: Score) -> list[PartNote]:
        """Each scored part: what the student did, whether it is right, and why."""
        raise NotImplementedError

    def key_notes(self) -> list[PartNote]:
        """The answer key, part by part, with rationales ("Show answer")."""
        raise NotImplementedError

    def try_notes(self, score: Score) -> list[PartNote]:
        """A try that is not right yet: only what the student chose, marked right or
        wrong, without rationales (a rationale can name the answer)."""
        return [replace(n, rationale=None) for n in self.notes(score) if n.chosen]

    def focus(self) -> None:
        if self.controls:
            self.controls[0].focus()


class DropdownsRenderer(Renderer):
    """Items answered with one drop-down per part (matrix row, blank, matching pair):
    `drops` maps the part id to its drop-down; an unset drop-down's value is ""."""

    drops: dict[str, w.Dropdown]

    def response(self) -> Any:
        return {part: dd.value for part, dd in self.drops.items() if dd.value}

    def clear(self) -> None:
        for dd in self.drops.values():
            dd.value = ""

    def restore(self, response: Any) -> None:
        if not isinstance(response, dict):
            return
        for part, dd in self.drops.items():
            value = response.get(part)
            if isinstance(value, str) and value in {v for _, v in dd.options}:
                dd.value = value


def parts_by_id(score: Score) -> dict[str, PartResult]:
    return {p.id: p for p in score.parts}


_DETAILS = {
    # (chosen, is a key) -> sentence, for options and for highlighted segments
    "chose": {
        (True, True): "You chose this. It is a correct answer.",
        (True, False): "You chose this. It is not a correct answer.",
        (False, True): "You did not choose this, but it is a correct answer.",
        (False, False): "Not chosen, and not a correct answer.",
    },
    "highlighted": {
        (True, True): "You highlighted this. It should be highlighted.",
        (True, False): "You highlighted this. It should not be highlighted.",
        (False, True): "You did not highlight this, but it should be highlighted.",
        (False, False): "Not highlighted, and it should not be.",
    },
}


def option_detail(chosen: bool, correct: bool, *, verb: str = "chose") -> str:
    """What the student did with an option (or segment), and what the key says of it."""
    return _DETAILS[verb][(bool(chosen), bool(correct))]
