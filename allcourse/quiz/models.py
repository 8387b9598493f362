"""Item models: the one definition of what a question looks like.

A question bank is a YAML file in `quizzes/` validated by `Bank`. Each item type is a
pydantic model; `Item` is the tagged union over them (the `type` field picks the model).

These models describe *shape* (what the renderer and the scorer need). Whether an item
is complete enough to teach with (a rationale for every option, sources that resolve,
an objective of the right module) is checked by `allcourse.quiz.validate`, so that an
item imported from Moodle can be loaded, reported on and completed by an instructor.

Responses: each type documents the JSON-serialisable response the scorer takes
(`allcourse.quiz.scoring.score(item, response)`), so the progress store can save it.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from allcourse.course.content import StrictModel

# NCSBN Clinical Judgment Measurement Model, layer 3, in order.
CJMM_STEPS: tuple[str, ...] = (
    "recognize_cues",
    "analyze_cues",
    "prioritize_hypotheses",
    "generate_solutions",
    "take_action",
    "evaluate_outcomes",
)
CJMM_LABELS: dict[str, str] = {
    "recognize_cues": "Recognize cues",
    "analyze_cues": "Analyze cues",
    "prioritize_hypotheses": "Prioritize hypotheses",
    "generate_solutions": "Generate solutions",
    "take_action": "Take action",
    "evaluate_outcomes": "Evaluate outcomes",
}
Step = Literal[
    "recognize_cues",
    "analyze_cues",
    "prioritize_hypotheses",
    "generate_solutions",
    "take_action",
    "evaluate_outcomes",
]
Difficulty = Literal["easy", "medium", "hard"]
TextFormat = Literal["markdown", "html", "plain", "moodle"]

ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
BLANK = re.compile(r"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


Strict = StrictModel  # unknown keys are errors; loaded content is frozen


class Option(Strict):
    """A choice the student can pick. `rationale` says why it is right or wrong."""

    id: str = Field(pattern=ID)
    text: str = Field(min_length=1)
    correct: bool = False
    rationale: str | None = None
    # Moodle-style weight as a fraction (-1..1); None means 1 if correct else 0.
    credit: float | None = Field(default=None, ge=-1, le=1)


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"duplicate {what} {v!r}")
        seen.add(v)


def _count_correct(options: list[Option]) -> int:
    return sum(1 for o in options if o.correct)


# --- exhibits -------------------------------------------------------------------------


class TrendSeries(Strict):
    name: str
    unit: str | None = None
    values: list[float | None]


class TrendExhibit(Strict):
    """Values over time, shown as a table and a chart beside the item."""

    kind: Literal["trend"] = "trend"
    title: str
    times: list[str] = Field(min_length=2)
    series: list[TrendSeries] = Field(min_length=1)

    @model_validator(mode="after")
    def _lengths(self) -> TrendExhibit:
        for s in self.series:
            if len(s.values) != len(self.times):
                raise ValueError(
                    f"series {s.name!r} has {len(s.values)} values for {len(self.times)} times"
                )
        return self


# --- item types -----------------------------------------------------------------------


class ItemBase(Strict):
    id: str = Field(pattern=ID)
    stem: str = Field(min_length=1)  # Markdown (or `text_format`)
    text_format: TextFormat = "markdown"
    topic: str | None = None
    objective: str | None = None  # an objective id from course.yml, e.g. "blood.3"
    step: Step | None = None  # clinical-judgment step, where it applies
    difficulty: Difficulty | None = None
    sources: list[str] = Field(default_factory=list)  # ids in assets/references.yml
    explanation: str | None = None  # general explanation shown after checking
    exhibit: TrendExhibit | None = None


class SingleChoice(ItemBase):
    """Multiple choice, one answer (true/false is two options). Response: option id."""

    type: Literal["single"]
    options: list[Option] = Field(min_length=2)

    @model_validator(mode="after")
    def _check(self) -> SingleChoice:
        _unique([o.id for o in self.options], "option id")
        if _count_correct(self.options) != 1:
            raise ValueError("a single-choice item needs exactly one option with correct: true")
        return self


class MultipleResponse(ItemBase):
    """Select all that apply. Response: list of option ids.

    rule `plus_minus` (NCSBN +/-, floored at 0) or `weights` (Moodle: sum of credits,
    floored at 0 and capped at 1).
    """

    type: Literal["sata"]
    options: list[Option] = Field(min_length=2)
    rule: Literal["plus_minus", "weights"] = "plus_minus"

    @model_validator(mode="after")
    def _check(self) -> MultipleResponse:
        _unique([o.id for o in self.options], "option id")
        if _count_correct(self.options) < 1:
            raise ValueError("select-all-that-apply needs at least one option with correct: true")
        if self.rule == "weights" and any(o.credit is None for o in self.options):
            raise ValueError("rule 'weights' needs a credit on every option")
        return self


class SelectN(ItemBase):
    """Select exactly N. Response: list of option ids (at most n)."""

    type: Literal["select_n"]
    n: int = Field(ge=1)
    options: list[Option] = Field(min_length=2)

    @model_validator(mode="after")
    def _check(self) -> SelectN:
        _unique([o.id for o in self.options], "option id")
        if _count_correct(self.options) != self.n:
            raise ValueError(f"select-N needs exactly n={self.n} options with correct: true")
        return self


class MatrixColumn(Strict):
    id: str = Field(pattern=ID)
    text: str = Field(min_length=1)


class MatrixRow(Strict):
    id: str = Field(pattern=ID)
    text: str = Field(min_length=1)
    correct: list[str]  # column ids that are keys for this row
    rationale: str | None = None


class _Matrix(ItemBase):
    columns: list[MatrixColumn] = Field(min_length=2)
    rows: list[MatrixRow] = Field(min_length=1)

    def _check_matrix(self) -> None:
        _unique([c.id for c in self.columns], "column id")
        _unique([r.id for r in self.rows], "row id")
        cols = {c.id for c in self.columns}
        for r in self.rows:
            _unique(r.correct, f"correct column in row {r.id!r}")
            for c in r.correct:
                if c not in cols:
                    raise ValueError(f"row {r.id!r} names unknown column {c!r}")


class MatrixSingle(_Matrix):
    """Matrix multiple choice: one column per row. Response: {row id: column id}."""

    type: Literal["matrix_single"]

    @model_validator(mode="after")
    def _check(self) -> MatrixSingle:
        self._check_matrix()
        for r in self.rows:
            if len(r.correct) != 1:
                raise ValueError(f"row {r.id!r} needs exactly one correct column")
        return self


class MatrixMultiple(_Matrix):
    """Matrix multiple response: any cells. Response: {row id: [column ids]}.

    +/- rule; `floor` says whether the floor at 0 applies to the whole item or per column.
    """

    type: Literal["matrix_multiple"]
    floor: Literal["item", "column"] = "item"

    @model_validator(mode="after")
    def _check(self) -> MatrixMultiple:
        self._check_matrix()
        if not any(r.correct for r in self.rows):
            raise ValueError("a matrix multiple-response item needs at least one correct cell")
        return self


class Blank(Strict):
    id: str = Field(pattern=ID)
    label: str | None = None  # row label in a table layout
    options: list[Option] = Field(min_length=2)

    @model_validator(mode="after")
    def _check(self) -> Blank:
        _unique([o.id for o in self.options], "option id")
        if _count_correct(self.options) != 1:
            raise ValueError(f"blank {self.id!r} needs exactly one option with correct: true")
        return self


class _Blanks(ItemBase):
    template: str | None = None  # text with {{blank-id}} where each drop-down goes
    blanks: list[Blank] = Field(min_length=1)

    def _check_blanks(self) -> None:
        ids = [b.id for b in self.blanks]
        _unique(ids, "blank id")
        if self.template is not None:
            used = BLANK.findall(self.template)
            if sorted(used) != sorted(ids):
                raise ValueError(
                    f"template blanks {sorted(used)} do not match the blanks defined {sorted(ids)}"
                )


class Cloze(_Blanks):
    """Drop-down cloze (a sentence with blanks) or drop-down table (a row per blank).

    Response: {blank id: option id}. 0/1 rule: one point per drop-down.
    """

    type: Literal["cloze"]
    layout: Literal["sentence", "table"] = "sentence"
    table_header: list[str] | None = None  # e.g. ["Finding", "Interpretation"]

    @model_validator(mode="after")
    def _check(self) -> Cloze:
        self._check_blanks()
        if self.layout == "sentence" and self.template is None:
            raise ValueError("a sentence cloze needs a template with {{blank}} markers")
        if self.layout == "table" and any(b.label is None for b in self.blanks):
            raise ValueError("every blank of a table cloze needs a label")
        return self


class DropdownRationale(_Blanks):
    """Drop-down rationale: "X because of Y" (dyad) or "X because of Y and Z" (triad).

    The first blank in the template is X. Response: {blank id: option id}.
    Dyad: 1 point only if both are right. Triad: `triad_rule` pairs (1 per right X-Y and
    X-Z pair, 0 if X is wrong, max 2) or all_or_nothing (max 1).
    """

    type: Literal["rationale"]
    triad_rule: Literal["pairs", "all_or_nothing"] = "pairs"

    @model_validator(mode="after")
    def _check(self) -> DropdownRationale:
        self._check_blanks()
        if self.template is None:
            raise ValueError("a rationale item needs a template with {{blank}} markers")
        if len(self.blanks) not in (2, 3):
            raise ValueError("a rationale item has 2 blanks (dyad) or 3 (triad)")
        return self

    def ordered_blanks(self) -> list[Blank]:
        """Blanks in the order they appear in the template (X first)."""
        by_id = {b.id: b for b in self.blanks}
        return [by_id[i] for i in BLANK.findall(self.template or "")]


class OrderStep(Strict):
    id: str = Field(pattern=ID)
    text: str = Field(min_length=1)
    rationale: str | None = None


class Ordering(ItemBase):
    """Put steps in order; `steps` are listed in the correct order.

    Response: list of step ids in the student's order. rule `all_or_nothing` (1 point,
    as the NCLEX's ordered-response items were scored) or `position` (1 per step in its
    correct place).
    """

    type: Literal["ordering"]
    steps: list[OrderStep] = Field(min_length=2)
    rule: Literal["all_or_nothing", "position"] = "all_or_nothing"

    @model_validator(mode="after")
    def _check(self) -> Ordering:
        _unique([s.id for s in self.steps], "step id")
        return self


class MatchPair(Strict):
    id: str = Field(pattern=ID)
    left: str = Field(min_length=1)
    right: str = Field(min_length=1)
    rationale: str | None = None


class Matching(ItemBase):
    """Match each left entry to a right entry. Response: {pair id: right text}.

    0/1 rule: one point per pair. `distractors` are extra right entries that match nothing.
    """

    type: Literal["matching"]
    pairs: list[MatchPair] = Field(min_length=2)
    distractors: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Matching:
        _unique([p.id for p in self.pairs], "pair id")
        return self

    def choices(self) -> list[str]:
        """Right-hand entries a student may pick from (each once, sorted for stability)."""
        return sorted({p.right for p in self.pairs} | set(self.distractors))


class Segment(Strict):
    """A piece of a nurse's note, or a table row. Only segments with an id can be marked."""

    id: str | None = Field(default=None, pattern=ID)
    text: str = ""
    cells: list[str] | None = None  # table layout: the row's cells
    correct: bool = False
    rationale: str | None = None


class Highlight(ItemBase):
    """Highlight text or table rows. Response: list of segment ids. +/- rule."""

    type: Literal["highlight"]
    layout: Literal["text", "table"] = "text"
    table_header: list[str] | None = None
    segments: list[Segment] = Field(min_length=2)

    @model_validator(mode="after")
    def _check(self) -> Highlight:
        marked = [s for s in self.segments if s.id is not None]
        _unique([s.id for s in marked], "segment id")  # type: ignore[misc]
        if not any(s.correct for s in marked):
            raise ValueError("a highlight item needs at least one segment with correct: true")
        if any(s.correct and s.id is None for s in self.segments):
            raise ValueError("a correct segment needs an id")
        if self.layout == "table" and any(s.cells is None for s in marked):
            raise ValueError("every selectable segment of a table highlight needs cells")
        return self

    def selectable(self) -> list[Segment]:
        return [s for s in self.segments if s.id is not None]


class Bowtie(ItemBase):
    """Condition (1), actions to take (2), parameters to monitor (2). 0/1 rule, 5 points.

    Response: {"condition": id, "actions": [id, id], "parameters": [id, id]}.
    """

    type: Literal["bowtie"]
    conditions: list[Option] = Field(min_length=2)
    actions: list[Option] = Field(min_length=3)
    parameters: list[Option] = Field(min_length=3)

    @model_validator(mode="after")
    def _check(self) -> Bowtie:
        _unique([o.id for o in self.conditions + self.actions + self.parameters], "option id")
        for name, opts, need in (
            ("conditions", self.conditions, 1),
            ("actions", self.actions, 2),
            ("parameters", self.parameters, 2),
        ):
            if _count_correct(opts) != need:
                raise ValueError(f"a bowtie needs exactly {need} correct {name}")
        return self


class NumericAnswer(Strict):
    """An accepted value: `value` ± `tolerance`, or the range `min`..`max`."""

    value: float | None = None
    tolerance: float = Field(default=0, ge=0)
    min: float | None = None
    max: float | None = None
    credit: float = Field(default=1.0, gt=0, le=1)
    feedback: str | None = None

    @model_validator(mode="after")
    def _check(self) -> NumericAnswer:
        has_value = self.value is not None
        has_range = self.min is not None or self.max is not None
        if has_value == has_range:
            raise ValueError("give either value (with tolerance) or min and max")
        if has_range and (self.min is None or self.max is None):
            raise ValueError("a range needs both min and max")
        if has_range and self.min > self.max:  # type: ignore[operator]
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self

    def bounds(self) -> tuple[float, float]:
        if self.value is not None:
            return self.value - self.tolerance, self.value + self.tolerance
        return self.min, self.max  # type: ignore[return-value]


class Numeric(ItemBase):
    """A number typed by the student. Response: the text as typed (the scorer parses it).

    Accepted formats: digits with a decimal point, optional thousands separators
    ("1,500") when `thousands_separator` is true, and the item's unit after the number.
    """

    type: Literal["numeric"]
    answers: list[NumericAnswer] = Field(min_length=1)
    unit: str | None = None
    thousands_separator: bool = True
    worked_solution: str | None = None  # Markdown shown with the key (Show answer, end of test)

    @model_validator(mode="after")
    def _check(self) -> Numeric:
        if not any(a.credit == 1 for a in self.answers):
            raise ValueError("a numeric item needs one answer with full credit")
        return self


class ShortAnswerKey(Strict):
    text: str = Field(min_length=1)
    credit: float = Field(default=1.0, ge=0, le=1)
    feedback: str | None = None


class ShortAnswer(ItemBase):
    """Typed words. Response: the text. Matched ignoring case and extra spaces unless
    `case_sensitive`."""

    type: Literal["short_answer"]
    answers: list[ShortAnswerKey] = Field(min_length=1)
    case_sensitive: bool = False

    @model_validator(mode="after")
    def _check(self) -> ShortAnswer:
        if not any(a.credit == 1 for a in self.answers):
            raise ValueError("a short-answer item needs one accepted answer with full credit")
        return self


Item = Annotated[
    SingleChoice
    | MultipleResponse
    | SelectN
    | MatrixSingle
    | MatrixMultiple
    | Cloze
    | DropdownRationale
    | Ordering
    | Matching
    | Highlight
    | Bowtie
    | Numeric
    | ShortAnswer,
    Field(discriminator="type"),
]

ITEM_TYPES: dict[str, type[ItemBase]] = {
    "single": SingleChoice,
    "sata": MultipleResponse,
    "select_n": SelectN,
    "matrix_single": MatrixSingle,
    "matrix_multiple": MatrixMultiple,
    "cloze": Cloze,
    "rationale": DropdownRationale,
    "ordering": Ordering,
    "matching": Matching,
    "highlight": Highlight,
    "bowtie": Bowtie,
    "numeric": Numeric,
    "short_answer": ShortAnswer,
}

# --- case studies and banks -----------------------------------------------------------

ChartTab = Literal["history", "vitals", "labs", "notes", "orders"]


class RereadLink(Strict):
    """Where the course teaches what a case item tests: a module notebook, with a heading
    anchor where the heading is known (`02_diagnosis_and_risk.ipynb#Self-check`)."""

    text: str = Field(min_length=1)
    href: str = Field(pattern=r"^[0-9]{2}_[A-Za-z0-9_]+\.ipynb(#[^\s#]+)?$")


class CaseItem(Strict):
    """One item of a case study, with the chart changes that come before it."""

    chart_update: dict[ChartTab, str] = Field(default_factory=dict)  # tab -> new Markdown
    item: Item
    # What to reread when the item loses points: listed in the end-of-case summary.
    reread: list[RereadLink] = Field(default_factory=list)


class CaseStudy(Strict):
    """An unfolding case: a shared chart with tabs; items in clinical-judgment order."""

    id: str = Field(pattern=ID)
    title: str
    intro: str
    chart: dict[ChartTab, str]
    items: list[CaseItem] = Field(min_length=1)
    # Case studies that share `case` are the stages of one patient's unfolding case,
    # in file order (an NGN case study is six items; a longer story has several).
    case: str | None = Field(default=None, pattern=ID)

    def chart_at(self, index: int) -> dict[str, str]:
        """The chart as the student sees it at item `index` (updates accumulate)."""
        chart = dict(self.chart)
        for case_item in self.items[: index + 1]:
            chart.update(case_item.chart_update)
        return chart


class Bank(Strict):
    """A question bank: one YAML file in quizzes/."""

    title: str
    category: str | None = None  # Moodle $CATEGORY, kept for GIFT round-trips
    items: list[Item] = Field(default_factory=list)
    case_studies: list[CaseStudy] = Field(default_factory=list)

    def all_items(self) -> list[ItemBase]:
        """Every item, stand-alone ones first, then each case study's in order."""
        return list(self.items) + [ci.item for cs in self.case_studies for ci in cs.items]

    def item(self, item_id: str) -> ItemBase:
        for it in self.all_items():
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @model_validator(mode="after")
    def _unique_ids(self) -> Bank:
        _unique([i.id for i in self.all_items()], "item id")
        _unique([c.id for c in self.case_studies], "case study id")
        return self
