"""Class statistics on pandas data frames (pure: data frames in, data frames out).

The anchor is Moodle's quiz statistics report (docs.moodle.org/dev/Quiz_statistics_calculations;
Moodle's `question/classes/statistics/questions/calculator.php` and
`mod/quiz/report/statistics/classes/calculator.php`), computed the same way on the same
data:

Per item i, over the S students in the analysis, x_i = marks on the item (max m_i),
X_i = marks on the rest of the test, T = total:
- facility index F = 100 * mean(x_i) / m_i
- standard deviation SD = 100 * sqrt(V(x_i)) / m_i, V the sample variance (S - 1)
- random-guess score: the mean score of a uniformly random complete response (Moodle's
  per-type rule, applied to this course's item types; 0 for typed answers)
- discrimination index D = 100 * C(x_i, X_i) / sqrt(V(x_i) V(X_i)), C the sample covariance
- discriminative efficiency DE = 100 * C(x_i, X_i) / C_max, where C_max pairs x_i and X_i
  each sorted (the largest covariance those marks allow). Moodle marks DE under 15% dubious.
Per test (T over S students, P items):
- mean, median, SD (sample), skewness k3 / k2^(3/2), kurtosis k4 / k2^2, with
  k2 = S m2 / (S-1), k3 = S^2 m3 / ((S-1)(S-2)),
  k4 = S^2 ((S+1) m4 - 3 (S-1) m2^2) / ((S-1)(S-2)(S-3)), m_r = sum((T - mean)^r) / S
- coefficient of internal consistency (Cronbach's alpha; KR-20 for 0/1 items)
  CIC = 100 * P / (P-1) * (1 - sum V(x_i) / k2)
- error ratio ER = 100 * sqrt(1 - CIC/100); standard error SE = ER/100 * SD.
Mean, median, SD and SE are also given as a percentage of the maximum total, as Moodle
shows them.

Moodle counts finished attempts, where every question has a mark. Here a student enters
a module's analysis when they answered every item of it (a complete attempt); others are
counted and left out. Everything uses each student's FIRST attempt: later tries come
after the feedback, so they measure the feedback, not the item.

Beyond Moodle: the clinical-judgment (CJMM) step profile, the share of each option or
choice (distractor analysis) and NCSBN partial credit (full, partial, none).
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from allcourse.analytics.loading import ClassResults
from allcourse.course.markup import plain
from allcourse.quiz import models as m
from allcourse.quiz.scoring import score

DUBIOUS_EFFICIENCY = 15.0  # Moodle marks an item with DE under 15% as dubious
EASY_FACILITY, HARD_FACILITY = 95.0, 20.0  # facility flags (per cent)
MIN_STUDENTS = 5  # fewer complete attempts than this: no discrimination is shown
GUESS_ENUMERATION_LIMIT = 20_000  # responses enumerated exactly; beyond, a seeded sample
GUESS_SAMPLE = 4_000


@functools.lru_cache(maxsize=4096)
def _label(text: str | None) -> str:
    # Option texts are Markdown; the same few hundred are labelled again and again.
    return plain(text or "").strip()


# --- the score matrix ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreMatrix:
    """Marks of the students in an analysis: `points` (students x items, first attempts,
    re-scored), `max_points` per item, and how many students were left out because
    they did not answer every item."""

    points: pd.DataFrame
    max_points: pd.Series
    left_out: int = 0

    @property
    def students(self) -> int:
        return len(self.points)


def score_matrix(answers: pd.DataFrame, item_ids: Sequence[str] | None = None) -> ScoreMatrix:
    """Students x items from an answers frame (see loading.ANSWER_COLUMNS). With
    `item_ids` (a module's bank, in order) only students who answered all of them are
    kept (a complete attempt, as Moodle analyses finished attempts)."""
    if answers.empty:
        return ScoreMatrix(pd.DataFrame(), pd.Series(dtype=float))
    table = answers.pivot_table(
        index="student", columns="item_id", values="points", aggfunc="first"
    )
    maxima = answers.groupby("item_id")["max_points"].max()
    ids = list(item_ids) if item_ids is not None else sorted(table.columns)
    table = table.reindex(columns=ids)
    complete = table.dropna(how="any")
    return ScoreMatrix(
        complete.astype(float), maxima.reindex(ids).astype(float), len(table) - len(complete)
    )


# --- Moodle: per item --------------------------------------------------------------------


def _sample_var(values: np.ndarray) -> float:
    return float(np.var(values, ddof=1)) if len(values) > 1 else math.nan


def _sample_cov(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) < 2:
        return math.nan
    return float(np.sum((a - a.mean()) * (b - b.mean())) / (len(a) - 1))


def item_statistics(
    matrix: ScoreMatrix, guess: dict[str, float | None] | None = None
) -> pd.DataFrame:
    """Moodle's per-item statistics, one row per item (index: item id), in per cent:
    s (students), facility, sd, random_guess, discrimination_index,
    discriminative_efficiency, and `dubious` (DE under 15%, Moodle's rule). A figure
    that cannot be computed (one student, an item or rest score that does not vary)
    is NaN, as Moodle leaves it blank."""
    pts, mx = matrix.points, matrix.max_points
    guess = guess or {}
    rows = []
    total = pts.sum(axis=1).to_numpy() if not pts.empty else np.array([])
    for item_id in pts.columns:
        x = pts[item_id].to_numpy(dtype=float)
        rest = total - x
        s = len(x)
        mark_var, rest_var = _sample_var(x), _sample_var(rest)
        cov = _sample_cov(x, rest)
        cov_max = _sample_cov(np.sort(x), np.sort(rest)) if s > 1 else math.nan
        di = (
            100 * cov / math.sqrt(mark_var * rest_var)
            if s > 1 and mark_var * rest_var > 0
            else math.nan
        )
        de = 100 * cov / cov_max if s > 1 and cov_max else math.nan
        max_i = float(mx[item_id])
        g = guess.get(item_id)
        rows.append(
            {
                "item_id": item_id,
                "s": s,
                "facility": 100 * x.mean() / max_i if s and max_i else math.nan,
                "sd": 100 * math.sqrt(mark_var) / max_i if s > 1 and max_i else math.nan,
                "random_guess": math.nan if g is None else 100 * g,
                "discrimination_index": di,
                "discriminative_efficiency": de,
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "item_id",
            "s",
            "facility",
            "sd",
            "random_guess",
            "discrimination_index",
            "discriminative_efficiency",
        ],
    ).set_index("item_id")
    frame["dubious"] = frame["discriminative_efficiency"] < DUBIOUS_EFFICIENCY
    return frame


# --- Moodle: per test --------------------------------------------------------------------


@dataclass(frozen=True)
class OverallStatistics:
    """Moodle's whole-test figures. Marks are raw points (max `max_total`); the `_pct`
    fields are per cent of the maximum, as Moodle's report shows them. NaN where a
    figure needs more students (SD: 2, skewness: 3, kurtosis: 4) or items (CIC: 2)."""

    students: int
    items: int
    max_total: float
    mean: float
    median: float
    sd: float
    skewness: float
    kurtosis: float
    cic: float  # coefficient of internal consistency (Cronbach's alpha / KR-20), per cent
    error_ratio: float  # per cent
    standard_error: float  # in marks
    mean_pct: float
    median_pct: float
    sd_pct: float
    standard_error_pct: float

    def as_series(self) -> pd.Series:
        return pd.Series(asdict(self))


def overall_statistics(matrix: ScoreMatrix) -> OverallStatistics:
    """Mean, median, SD, skewness, kurtosis, CIC, error ratio and standard error of the
    students' totals, computed as Moodle's quiz statistics calculator does."""
    pts = matrix.points
    s, p = pts.shape if not pts.empty else (0, len(matrix.max_points))
    max_total = float(matrix.max_points.sum())
    nan = math.nan
    if s == 0:
        return OverallStatistics(0, p, max_total, *([nan] * 12))
    t = pts.sum(axis=1).to_numpy(dtype=float)
    mean = float(t.mean())
    median = float(np.median(t))
    sd = skew = kurt = cic = er = se = nan
    if s > 1:
        d = t - mean
        power2, power3, power4 = (float(np.sum(d**k)) for k in (2, 3, 4))
        sd = math.sqrt(power2 / (s - 1))
        if s > 2:
            m2, m3, m4 = power2 / s, power3 / s, power4 / s
            k2 = s * m2 / (s - 1)
            k3 = s * s * m3 / ((s - 1) * (s - 2))
            if k2 != 0:
                skew = k3 / k2**1.5
                if s > 3:
                    k4 = (
                        s
                        * s
                        * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2)
                        / ((s - 1) * (s - 2) * (s - 3))
                    )
                    kurt = k4 / (k2 * k2)
                if p > 1:
                    sum_var = float(pts.var(axis=0, ddof=1).sum())
                    cic = (100 * p / (p - 1)) * (1 - sum_var / k2)
                    er = 100 * math.sqrt(1 - cic / 100) if cic <= 100 else nan
                    se = er * sd / 100
    pct = (lambda v: 100 * v / max_total) if max_total else (lambda v: nan)
    return OverallStatistics(
        s, p, max_total, mean, median, sd, skew, kurt, cic, er, se,
        pct(mean), pct(median), pct(sd), pct(se),
    )  # fmt: skip


# --- random-guess score ----------------------------------------------------------------


def _subsets(values: Sequence[Any], sizes: Iterable[int]) -> list[list[Any]]:
    return [list(c) for k in sizes for c in itertools.combinations(values, k)]


def _guess_space(item: m.ItemBase) -> tuple[list[list[Any]], Callable[[tuple], Any]] | None:
    """The item's complete responses as a product of independent choices, and how to
    build a response from one pick of each. None for typed answers."""
    if isinstance(item, m.SingleChoice):
        return [[o.id for o in item.options]], lambda c: c[0]
    if isinstance(item, m.SelectN):
        return [_subsets([o.id for o in item.options], [item.n])], lambda c: c[0]
    if isinstance(item, m.MultipleResponse):
        ids = [o.id for o in item.options]
        return [_subsets(ids, range(1, len(ids) + 1))], lambda c: c[0]
    if isinstance(item, m.Highlight):
        ids = [s.id for s in item.selectable()]
        return [_subsets(ids, range(1, len(ids) + 1))], lambda c: c[0]
    if isinstance(item, m.MatrixSingle):
        rows = [r.id for r in item.rows]
        cols = [c.id for c in item.columns]
        return [cols for _ in rows], lambda c: dict(zip(rows, c, strict=True))
    if isinstance(item, m.MatrixMultiple):
        rows = [r.id for r in item.rows]
        cols = [c.id for c in item.columns]
        options = _subsets(cols, range(1, len(cols) + 1))
        return [options for _ in rows], lambda c: dict(zip(rows, c, strict=True))
    if isinstance(item, m.Cloze | m.DropdownRationale):
        blanks = [b.id for b in item.blanks]
        return [[o.id for o in b.options] for b in item.blanks], lambda c: dict(
            zip(blanks, c, strict=True)
        )
    if isinstance(item, m.Ordering):
        perms = [list(p) for p in itertools.permutations([s.id for s in item.steps])]
        return [perms], lambda c: c[0]
    if isinstance(item, m.Matching):
        pairs = [p.id for p in item.pairs]
        return [item.choices() for _ in pairs], lambda c: dict(zip(pairs, c, strict=True))
    if isinstance(item, m.Bowtie):
        return (
            [
                [o.id for o in item.conditions],
                _subsets([o.id for o in item.actions], [2]),
                _subsets([o.id for o in item.parameters], [2]),
            ],
            lambda c: {"condition": c[0], "actions": c[1], "parameters": c[2]},
        )
    return None


def random_guess_score(item: m.ItemBase) -> float | None:
    """The expected score fraction (0..1) of a uniformly random complete response,
    scored by the engine (Moodle's random-guess score, e.g. 1/k for one of k options).
    Typed answers (numeric, short answer) give 0, as in Moodle. Exact up to
    GUESS_ENUMERATION_LIMIT responses; above that, the mean of a seeded sample."""
    space = _guess_space(item)
    if space is None:
        return 0.0 if isinstance(item, m.Numeric | m.ShortAnswer) else None
    factors, build = space
    size = math.prod(len(f) for f in factors)
    if size == 0:
        return None
    max_points = score(item, None).max_points
    if not max_points:
        return None
    if size <= GUESS_ENUMERATION_LIMIT:
        picks: Iterable[tuple] = itertools.product(*factors)
        n = size
    else:
        rng = random.Random(f"guess:{item.id}")
        picks = [tuple(rng.choice(f) for f in factors) for _ in range(GUESS_SAMPLE)]
        n = GUESS_SAMPLE
    total = sum(score(item, build(pick)).points for pick in picks)
    return total / n / max_points


# --- what was chosen: distractor analysis -------------------------------------------------


def choices(item: m.ItemBase, response: Any) -> list[tuple[str, str, bool]]:
    """What the student chose, as (part, choice, is the key): an option, a row's column,
    a blank's word, a pair's match, the step put first, a typed answer. Read from the
    engine's score parts, so every type is described the way it is graded."""
    result = score(item, response)
    by_id = {p.id: p for p in result.parts}
    out: list[tuple[str, str, bool]] = []
    if isinstance(item, m.SingleChoice | m.MultipleResponse | m.SelectN):
        out = [("", _label(o.text), o.correct) for o in item.options if by_id[o.id].chosen]
    elif isinstance(item, m.Bowtie):
        for part, opts in (
            ("condition", item.conditions),
            ("action", item.actions),
            ("parameter", item.parameters),
        ):
            out += [(part, _label(o.text), o.correct) for o in opts if by_id[o.id].chosen]
    elif isinstance(item, m.Highlight):
        out = [
            ("", _label(s.text or " | ".join(s.cells or [])), s.correct)
            for s in item.selectable()
            if by_id[s.id].chosen  # type: ignore[index]
        ]
    elif isinstance(item, m.MatrixSingle | m.MatrixMultiple):
        cols = {c.id: _label(c.text) for c in item.columns}
        for row in item.rows:
            chosen = by_id[row.id].chosen
            picked = [chosen] if isinstance(chosen, str) else list(chosen or [])
            out += [(_label(row.text), cols.get(c, c), c in row.correct) for c in picked]
    elif isinstance(item, m.Cloze | m.DropdownRationale):
        for blank in item.blanks:
            chosen = by_id[blank.id].chosen
            if chosen:
                words = {o.id: (_label(o.text), o.correct) for o in blank.options}
                word, ok = words.get(chosen, (chosen, False))
                out.append((_label(blank.label) or blank.id, word, ok))
    elif isinstance(item, m.Matching):
        for pair in item.pairs:
            chosen = by_id[pair.id].chosen
            if chosen:
                out.append((_label(pair.left), _label(chosen), chosen == pair.right))
    elif isinstance(item, m.Ordering):
        if isinstance(response, list) and response:
            first = next((s for s in item.steps if s.id == response[0]), None)
            if first is not None:
                out.append(("put first", _label(first.text), first.id == item.steps[0].id))
    elif isinstance(item, m.Numeric | m.ShortAnswer):
        if isinstance(response, str) and response.strip():
            out.append(("typed", response.strip(), result.correct))
    return out


def wrong_choices(item: m.ItemBase, response: Any) -> list[str]:
    """The student's choices that the key does not have, in words an instructor reads."""
    return [
        f"{part}: {text}" if part else text for part, text, ok in choices(item, response) if not ok
    ]


def distractors(answers: pd.DataFrame, items: dict[str, m.ItemBase]) -> pd.DataFrame:
    """For every item, part and choice: how many students chose it (first attempts),
    the share of those who answered the item, whether it is the key, and the mean total
    score (per cent, over every item they answered) of those who chose it. A wrong
    choice picked by stronger students than the key is worth a look."""
    if answers.empty:
        return pd.DataFrame(
            columns=["item_id", "part", "choice", "is_key", "chosen_by", "share", "chooser_mean"]
        )
    totals = answers.groupby("student")[["points", "max_points"]].sum()
    student_pct = 100 * totals["points"] / totals["max_points"].where(totals["max_points"] > 0)
    rows = []
    for item_id, group in answers.groupby("item_id", sort=False):
        item = items.get(item_id)
        if item is None:
            continue
        n = len(group)
        picked: dict[tuple[str, str, bool], list[str]] = {}
        seen: dict[str, set[tuple[str, str, bool]]] = {}  # a class repeats the same answers
        for who, response in zip(group["student"], group["response"], strict=True):
            key = json.dumps(response, sort_keys=True, default=str)
            if key not in seen:
                seen[key] = set(choices(item, response))
            for pick in seen[key]:
                picked.setdefault(pick, []).append(who)
        for (part, text, ok), who in picked.items():
            rows.append(
                {
                    "item_id": item_id,
                    "part": part,
                    "choice": text,
                    "is_key": ok,
                    "chosen_by": len(who),
                    "share": 100 * len(who) / n,
                    "chooser_mean": float(student_pct.reindex(who).mean()),
                }
            )
    frame = pd.DataFrame(rows)
    return frame.sort_values(
        ["item_id", "part", "chosen_by", "choice"], ascending=[True, True, False, True],
        ignore_index=True,
    )  # fmt: skip


# --- NCSBN partial credit ----------------------------------------------------------------


def partial_credit(answers: pd.DataFrame) -> pd.DataFrame:
    """Per item, how first attempts scored under the NCSBN rules the engine applies
    (+/-, 0/1, rationale): the share with full, partial and no credit, and the mean
    score (per cent). A dichotomous report would count every partial answer as wrong."""
    if answers.empty:
        return pd.DataFrame(columns=["n", "full", "partial", "none", "mean_score"])
    frac = answers["fraction"]
    flags = pd.DataFrame(
        {
            "item_id": answers["item_id"],
            "full": frac >= 1 - 1e-9,
            "partial": (frac > 1e-9) & (frac < 1 - 1e-9),
            "none": frac <= 1e-9,
            "mean_score": 100 * frac,
        }
    )
    grouped = flags.groupby("item_id", sort=False)
    out = pd.DataFrame({"n": grouped.size()})
    for col in ("full", "partial", "none"):
        out[col] = 100 * grouped[col].mean()
    out["mean_score"] = grouped["mean_score"].mean()
    return out


# --- the clinical-judgment step profile ---------------------------------------------------


def step_profile(answers: pd.DataFrame) -> pd.DataFrame:
    """The class's mean first-try score (per cent) at each CJMM step, in the model's
    order: answers, students and mean score per step."""
    tagged = answers[answers["step"].notna()] if not answers.empty else answers
    rows = []
    for step in m.CJMM_STEPS:
        at = tagged[tagged["step"] == step] if not tagged.empty else tagged
        if at.empty:
            continue
        rows.append(
            {
                "step": step,
                "label": m.CJMM_LABELS[step],
                "answers": len(at),
                "students": at["student"].nunique(),
                "mean_score": 100 * float(at["fraction"].mean()),
            }
        )
    return pd.DataFrame(rows, columns=["step", "label", "answers", "students", "mean_score"])


# --- per module and per student -----------------------------------------------------------


def completion(results: ClassResults) -> pd.DataFrame:
    """Per module with a bank: items, students who completed it (every item answered),
    who started it, and the median first-try score (per cent) of those who started."""
    answers = results.practice()
    students = len(results.students)
    rows = []
    for mod in results.catalogue.modules:
        if not mod.items:
            continue
        ids = {it.id for it in mod.items}
        mine = answers[answers["item_id"].isin(ids)] if not answers.empty else answers
        per = mine.groupby("student").agg(
            answered=("item_id", "nunique"), points=("points", "sum"), max=("max_points", "sum")
        )
        scores = 100 * per["points"] / per["max"].where(per["max"] > 0)
        rows.append(
            {
                "module_id": mod.module.id,
                "module": mod.module.label,
                "items": len(ids),
                "students": students,
                "completed": int((per["answered"] == len(ids)).sum()),
                "started": len(per),
                "median_score": float(scores.median()) if len(per) else math.nan,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "module_id",
            "module",
            "items",
            "students",
            "completed",
            "started",
            "median_score",
        ],
    ).set_index("module_id")


def student_table(results: ClassResults) -> pd.DataFrame:
    """One row per student (name or id as typed): per module, the first-try score (per
    cent of the module's points, unanswered items counting 0) and items answered;
    modules completed; last activity (UTC); and whether any of the student's files was
    flagged (stored points that disagree with the key)."""
    answers = results.practice()
    modules = [mod for mod in results.catalogue.modules if mod.items]
    names = sorted({results.names.get(k, k) for k in results.students}, key=str.casefold)
    if not names:
        return pd.DataFrame()
    flagged = {f.student.casefold() for f in results.files if f.tampered}
    per = answers.groupby(["student", "module_id"]).agg(
        points=("points", "sum"), answered=("item_id", "nunique")
    )
    frame = pd.DataFrame(index=pd.Index(names, name="student"))
    done = pd.Series(0, index=frame.index)
    for mod in modules:
        mid = mod.module.id
        here = per.xs(mid, level="module_id") if mid in per.index.get_level_values(1) else None
        total = sum(mod.max_points.values())
        points = here["points"].reindex(frame.index) if here is not None else None
        answered = (
            here["answered"].reindex(frame.index).fillna(0).astype(int)
            if here is not None
            else pd.Series(0, index=frame.index)
        )
        frame[f"{mid} score %"] = 100 * points / total if points is not None and total else math.nan
        frame[f"{mid} answered"] = [f"{a}/{len(mod.items)}" for a in answered]
        done += answered == len(mod.items)
    frame["modules completed"] = [f"{d}/{len(modules)}" for d in done]
    last = answers.groupby("student")["last_timestamp"].max()
    frame["last activity"] = last.reindex(frame.index)
    frame["flagged"] = [n.casefold() in flagged for n in frame.index]
    return frame


# --- everything for one module or test ---------------------------------------------------


def module_items(results: ClassResults, module_id: str) -> list[m.ItemBase]:
    mod = next(mi for mi in results.catalogue.modules if mi.module.id == module_id)
    return list(mod.items)


def item_report(
    answers: pd.DataFrame, items: Sequence[m.ItemBase], *, min_students: int = MIN_STUDENTS
) -> tuple[pd.DataFrame, OverallStatistics, ScoreMatrix]:
    """Moodle's item and test statistics for `items` (a module's bank or a test), with
    the NCSBN partial-credit columns and the item's type and step beside them.
    Discrimination figures are blanked below `min_students` complete attempts."""
    ids = [it.id for it in items]
    sub = answers[answers["item_id"].isin(ids)] if not answers.empty else answers
    matrix = score_matrix(sub, ids)
    guess = {it.id: random_guess_score(it) for it in items}
    stats = item_statistics(matrix, guess)
    if matrix.students < min_students:
        stats["discrimination_index"] = math.nan
        stats["discriminative_efficiency"] = math.nan
        stats["dubious"] = False
    by_id = {it.id: it for it in items}
    stats.insert(0, "type", [by_id[i].type for i in stats.index])  # type: ignore[attr-defined]
    stats.insert(1, "step", [m.CJMM_LABELS.get(by_id[i].step or "", "") for i in stats.index])
    # The same students as the Moodle columns: those with a complete attempt.
    in_matrix = sub[sub["student"].isin(matrix.points.index)] if not sub.empty else sub
    credit = partial_credit(in_matrix).reindex(stats.index)
    stats["full_credit"] = credit["full"]
    stats["partial_credit"] = credit["partial"]
    stats["no_credit"] = credit["none"]
    stats["flags"] = [_flags(row) for _, row in stats.iterrows()]
    return stats, overall_statistics(matrix), matrix


def class_test_report(
    answers: pd.DataFrame,
    orders: dict[str, list[str]],
    items: dict[str, m.ItemBase],
    *,
    min_students: int = MIN_STUDENTS,
) -> tuple[pd.DataFrame, OverallStatistics]:
    """Statistics of a class test whose items were drawn per student (Moodle's random
    questions). The whole-test figures use positions (each student's k-th question, as
    Moodle's slots); the per-item figures use every student who was given the item, with
    the rest of their test as the criterion. `orders`: student -> item ids of their first
    attempt, in order. Students are counted once, on their first attempt."""
    points = answers.set_index(["student", "item_id"])["points"]
    n_positions = min((len(o) for o in orders.values()), default=0)
    rows, maxima = {}, {}
    for who, order in orders.items():
        rows[who] = [float(points.get((who, i), 0.0)) for i in order[:n_positions]]
        for k, i in enumerate(order[:n_positions]):
            top = score(items[i], None).max_points if i in items else 0.0
            maxima[f"Q{k + 1}"] = max(maxima.get(f"Q{k + 1}", 0.0), top)
    columns = [f"Q{k + 1}" for k in range(n_positions)]
    positions = ScoreMatrix(
        pd.DataFrame.from_dict(rows, orient="index", columns=columns),
        pd.Series(maxima, dtype=float).reindex(columns),
    )
    overall = overall_statistics(positions)
    totals = positions.points.sum(axis=1) if not positions.points.empty else pd.Series()
    per_item = []
    given = [(who, i) for who, order in orders.items() for i in order[:n_positions]]
    for item_id in dict.fromkeys(i for _, i in given):
        item = items.get(item_id)
        who = [w for w, i in given if i == item_id]
        x = np.array([float(points.get((w, item_id), 0.0)) for w in who])
        rest = np.array([float(totals[w]) for w in who]) - x
        single = ScoreMatrix(
            pd.DataFrame({item_id: x, "rest": rest}),
            pd.Series({item_id: score(item, None).max_points if item else 1.0, "rest": 1.0}),
        )
        stats = item_statistics(single, {item_id: random_guess_score(item) if item else None})
        # total = x + rest, so the item's "rest of the test" is exactly `rest`.
        row = stats.loc[item_id].to_dict()
        if len(x) < min_students:
            row["discrimination_index"] = row["discriminative_efficiency"] = math.nan
            row["dubious"] = False
        row["item_id"] = item_id
        row["type"] = item.type if item else ""  # type: ignore[attr-defined]
        per_item.append(row)
    cols = ["item_id", "type", "s", "facility", "sd", "random_guess",
            "discrimination_index", "discriminative_efficiency", "dubious"]  # fmt: skip
    frame = pd.DataFrame(per_item, columns=cols).set_index("item_id")
    if not frame.empty:
        frame["flags"] = [_flags(r) for _, r in frame.iterrows()]
    return frame, overall


def _flags(row: pd.Series) -> str:
    flags = []
    if row["dubious"]:
        flags.append("dubious (discriminative efficiency under 15%)")
    if pd.notna(row["discrimination_index"]) and row["discrimination_index"] < 0:
        flags.append("negative discrimination: stronger students did worse (check the key)")
    if pd.notna(row["facility"]) and row["s"] >= MIN_STUDENTS:
        if row["facility"] < HARD_FACILITY:
            flags.append("very hard: check the key and the teaching")
        elif row["facility"] > EASY_FACILITY:
            flags.append("very easy: tells little")
    return "; ".join(flags)
