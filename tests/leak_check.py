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


def states_json(root) -> str:
    """`widget_states` as JSON text, model ids removed (random hex is not an answer)."""
    text = json.dumps(widget_states(root), ensure_ascii=False)
    return re.sub(r"IPY_MODEL_[0-9a-f]+", "", text)


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
