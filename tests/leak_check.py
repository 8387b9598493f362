"""What the browser would receive, and what it must not receive before a check.

Shared by the key-leak tests of the quiz renderer, the scenario views and the browser.
"""

from __future__ import annotations

import json
import re

from allcourse.course.markup import plain
from allcourse.quiz import models as m


def widget_states(root) -> list[dict]:
    """The synced state of `root` and of every widget it references (what Voila sends)."""
    from ipywidgets.widgets.widget import _instances

    seen: dict[str, dict] = {}
    todo = [root]
    while todo:
        widget = todo.pop()
        if widget.model_id in seen:
            continue
        state = widget.get_state()
        seen[widget.model_id] = state
        for value in state.values():
            for v in value if isinstance(value, list | tuple) else [value]:
                if isinstance(v, str) and v.startswith("IPY_MODEL_") and v[10:] in _instances:
                    todo.append(_instances[v[10:]])
    return list(seen.values())


# Names that are not content: model ids (random hex) and the keys that mark controls
# for the snapshot ("allcourse-ctl-840", numbered as controls are made). An answer of 840
# must not be found in either.
IDS = re.compile(r"IPY_MODEL_[0-9a-f]+|allcourse-ctl-\d+")


def states_json(root) -> str:
    """`widget_states` as JSON text, with model ids and control keys removed."""
    return IDS.sub("", json.dumps(widget_states(root), ensure_ascii=False))


def secrets(it: m.ItemBase) -> list[str]:
    """Text of an item that must not reach the browser before the item is checked."""
    texts: list[str | None] = [it.explanation]
    for field in ("options", "rows", "steps", "pairs", "conditions", "actions", "parameters"):
        texts += [part.rationale for part in getattr(it, field, [])]
    if isinstance(it, m.Highlight):
        texts += [s.rationale for s in it.segments]
    if isinstance(it, m.Cloze | m.DropdownRationale):
        texts += [o.rationale for b in it.blanks for o in b.options]
    if isinstance(it, m.Numeric):
        texts += [it.worked_solution] + [a.feedback for a in it.answers]
    if isinstance(it, m.ShortAnswer):
        texts += [a.feedback for a in it.answers]
        texts += [a.text for a in it.answers if a.text != "*"]
    return [plain(t) for t in texts if t]


_SECRET_FIELDS = {"rationale", "explanation", "worked_solution", "feedback", "answers", "correct"}
# Metadata a card does not show before checking (the topic may name the answer itself).
_UNSHOWN = {"id", "topic", "objective", "sources", "difficulty", "step", "type", "category"}


def public_text(bank: m.Bank) -> str:
    """Everything of a bank a student is meant to see before checking (stems, options,
    rows, steps, charts...), as plain text: a 'secret' found here is the bank's own
    wording (one item naming another's answer), not a key leaked by the engine."""
    texts: list[str] = []

    def walk(value, key=""):
        if key in _SECRET_FIELDS or key in _UNSHOWN:
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            texts.append(plain(value))

    walk(bank.model_dump(mode="json"))
    return " ".join(" ".join(texts).split())
