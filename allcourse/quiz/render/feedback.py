"""Feedback HTML: built only after the student checks (practice) or finishes (test).

Correctness is always said in words with an icon ("✔ Correct"), never by colour alone;
the colours in quiz.css are `--jp-*` variables so both themes read.
"""

from __future__ import annotations

from collections.abc import Iterable

from allcourse.quiz import models as m
from allcourse.quiz.render.base import PartNote
from allcourse.quiz.render.widgets import block_html, esc
from allcourse.quiz.scoring import BreakdownRow, Score

ICON_OK, ICON_BAD, ICON_PART = "✔", "✘", "◐"


def points(value: float) -> str:
    return f"{value:g}"


def points_phrase(earned: float, max_points: float) -> str:
    unit = "point" if max_points == 1 else "points"
    return f"{points(earned)} of {points(max_points)} {unit}"


def verdict(score: Score) -> tuple[str, str, str]:
    """(icon, words, css modifier) for a scored response: a short plain sentence."""
    earned = points_phrase(score.points, score.max_points)
    if score.correct:
        return ICON_OK, f"Correct: {earned}.", "ok"
    if score.points > 0:
        return ICON_PART, f"Partly correct: {earned}.", "part"
    return ICON_BAD, f"Not correct: {earned}.", "bad"


def rule_name(item: m.ItemBase) -> str:
    """How the item is scored, in the words the NCLEX review books use."""
    if isinstance(item, m.SingleChoice):
        partial = any(not o.correct and 0 < (o.credit or 0) < 1 for o in item.options)
        return "partial credit by option" if partial else "NCSBN 0/1 rule"
    if isinstance(item, m.MultipleResponse):
        return "weighted options" if item.rule == "weights" else "NCSBN +/- rule"
    if isinstance(item, m.SelectN):
        return "NCSBN 0/1 rule, 1 point per correct choice"
    if isinstance(item, m.MatrixSingle):
        return "NCSBN 0/1 rule, 1 point per row"
    if isinstance(item, m.MatrixMultiple):
        return "NCSBN +/- rule" + (", floored per column" if item.floor == "column" else "")
    if isinstance(item, m.Cloze):
        return "NCSBN 0/1 rule, 1 point per drop-down"
    if isinstance(item, m.DropdownRationale):
        if len(item.blanks) == 2:
            return "NCSBN rationale rule: 1 point only if both parts are right"
        if item.triad_rule == "pairs":
            return "triad rule: 1 point per right pair, none if the first part is wrong"
        return "all or nothing"
    if isinstance(item, m.Ordering):
        return (
            "all or nothing" if item.rule == "all_or_nothing" else "1 point per step in its place"
        )
    if isinstance(item, m.Matching):
        return "NCSBN 0/1 rule, 1 point per pair"
    if isinstance(item, m.Highlight):
        return "NCSBN +/- rule"
    if isinstance(item, m.Bowtie):
        return "NCSBN 0/1 rule: 1 condition, 2 actions, 2 parameters"
    return "1 point for an accepted answer"


def scoring_details(item: m.ItemBase) -> str:
    """How the item is scored, for students who want to know (a closed details line)."""
    return (
        '<details class="allcourse-scoring"><summary>How this question is scored</summary>'
        f"<p>Scored by the {esc(rule_name(item))}.</p></details>"
    )


def try_line(tries: int, max_tries: int, counted: bool) -> str:
    """Which try this was, and which one counts (practice mode)."""
    if counted:
        return f"Try {tries} of {max_tries}. This first try is the one that counts."
    return f"Try {tries} of {max_tries} (practice: your first try is the one that counts)."


def announcement(item: m.ItemBase, score: Score, extra: str = "") -> str:
    """What the live region says after a check (plain text, icon included)."""
    icon, words, _ = verdict(score)
    return f"{icon} {words} {extra}".strip()


def _note_html(note: PartNote, fmt: str = "markdown") -> str:
    if note.ok is None:
        mark, cls = "", "key"
    elif note.ok:
        mark, cls = f'<span class="allcourse-icon" aria-hidden="true">{ICON_OK}</span> ', "ok"
    else:
        mark, cls = f'<span class="allcourse-icon" aria-hidden="true">{ICON_BAD}</span> ', "bad"
    # The icon is decoration for sighted readers; the words carry the verdict.
    words = "" if note.ok is None else ("Right. " if note.ok else "Wrong. ")
    rationale = block_html(note.rationale, fmt) if note.rationale else ""
    return (
        f'<li class="allcourse-note allcourse-note-{cls}">{mark}'
        f'<span class="allcourse-sr-only">{words}</span>'
        f"<strong>{esc(note.label)}</strong> — {esc(note.detail)}"
        f"{f'<div class=allcourse-rationale>{rationale}</div>' if rationale else ''}</li>"
    )


def notes_html(notes: Iterable[PartNote], fmt: str = "markdown") -> str:
    """Rationales are written in the item's `text_format` (`fmt`)."""
    return '<ul class="allcourse-notes">' + "".join(_note_html(n, fmt) for n in notes) + "</ul>"


def sources_html(item: m.ItemBase) -> str:
    if not item.sources:
        return ""
    from allcourse.course.references import references

    refs = references()
    entries = []
    for ref_id in item.sources:
        try:
            ref = refs.get(ref_id)
        except KeyError:
            continue  # the validator reports unknown ids; a student needs no id
        text = esc(ref.citation())
        if ref.url:
            text = f'<a href="{esc(ref.url)}" rel="noopener" target="_blank">{text}</a>'
        entries.append(f"<li>{text}</li>")
    return (
        '<p class="allcourse-sources-title">Sources</p>'
        f'<ul class="allcourse-sources">{"".join(entries)}</ul>'
    )


def _verdict_html(score: Score, *, submitted: bool = True) -> str:
    if not submitted:
        return (
            '<p class="allcourse-verdict allcourse-verdict-bad">'
            f'<span class="allcourse-icon" aria-hidden="true">{ICON_BAD}</span> '
            "Not submitted: 0 points.</p>"
        )
    icon, words, cls = verdict(score)
    return (
        f'<p class="allcourse-verdict allcourse-verdict-{cls}">'
        f'<span class="allcourse-icon" aria-hidden="true">{icon}</span> {esc(words)}</p>'
    )


def feedback_html(
    item: m.ItemBase,
    score: Score,
    notes: list[PartNote],
    *,
    submitted: bool = True,
    line: str = "",
) -> str:
    """The full feedback once the answer may be known (right, shown, out of tries, test
    finished): the verdict once, each part with its rationale, explanation, sources."""
    explanation = ""
    if item.explanation:
        explanation = (
            '<div class="allcourse-explanation"><p class="allcourse-sources-title">Explanation</p>'
            f"{block_html(item.explanation, item.text_format)}</div>"
        )
    extra = f'<p class="allcourse-meta">{esc(line)}</p>' if line else ""
    return (
        '<section class="allcourse-feedback" aria-label="Feedback">'
        f"{_verdict_html(score, submitted=submitted)}{extra}"
        f"{notes_html(notes, item.text_format)}{scoring_details(item)}{explanation}"
        f"{sources_html(item)}</section>"
    )


def try_feedback_html(item: m.ItemBase, score: Score, notes: list[PartNote], line: str) -> str:
    """A try that is not right yet: the verdict, what the student chose marked right or
    wrong, and a hint. Nothing about options the student left alone, no rationale, no
    explanation: the key stays hidden until the student asks for it."""
    right = sum(1 for n in notes if n.ok)
    wrong = sum(1 for n in notes if n.ok is False)
    if wrong and right:
        hint = (
            f"Hint: {right} of the parts you answered {'is' if right == 1 else 'are'} right "
            f"and {wrong} {'is' if wrong == 1 else 'are'} not. Press Try again to change "
            "your answer, or Show answer to see the answer and why."
        )
    else:
        hint = (
            "Hint: reread the question and the parts marked wrong. Press Try again to "
            "change your answer, or Show answer to see the answer and why."
        )
    return (
        '<section class="allcourse-feedback allcourse-feedback-try" aria-label="Feedback">'
        f'{_verdict_html(score)}<p class="allcourse-meta">{esc(line)}</p>'
        f'{notes_html(notes, item.text_format)}<p class="allcourse-hint">{esc(hint)}</p>'
        f"{scoring_details(item)}</section>"
    )


def key_html(notes: list[PartNote], fmt: str = "markdown") -> str:
    return (
        '<section class="allcourse-key" aria-label="Answer">'
        '<p class="allcourse-sources-title">Answer</p>'
        f"{notes_html(notes, fmt)}</section>"
    )


def breakdown_table(rows: list[BreakdownRow], heading: str) -> str:
    if not rows:
        return ""
    body = "".join(
        f'<tr><th scope="row">{esc(r.label)}</th><td>{points(r.points)}</td>'
        f"<td>{points(r.max_points)}</td><td>{r.n_items}</td><td>{r.fraction:.0%}</td></tr>"
        for r in rows
    )
    return (
        f'<table class="allcourse-table allcourse-summary"><caption>{esc(heading)}</caption>'
        f'<thead><tr><th scope="col">{esc(heading.split(" by ")[-1].capitalize())}</th>'
        '<th scope="col">Points</th><th scope="col">Out of</th><th scope="col">Items</th>'
        '<th scope="col">Score</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def summary_html(
    total: float, max_points: float, by_topic: list[BreakdownRow], by_step: list[BreakdownRow]
) -> str:
    pct = f" ({total / max_points:.0%})" if max_points else ""
    return (
        '<section class="allcourse-summary-box" aria-label="Test results">'
        f'<h4>Test results</h4><p class="allcourse-score">Total: '
        f"{esc(points_phrase(total, max_points))}{pct}.</p>"
        f"{breakdown_table(by_topic, 'Score by topic')}"
        f"{breakdown_table(by_step, 'Score by clinical-judgment step')}"
        "</section>"
    )
