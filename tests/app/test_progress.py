"""The progress store: recording, the stored format, damaged data, merging (files and
other tabs), course changes, module summaries, and the storage widget's kernel side and
the home-page panel driven without a browser."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from allcourse.app import progress as P
from allcourse.app import storage_widget
from allcourse.app.progress_view import ProgressPanel, progress_table
from allcourse.quiz import events
from allcourse.quiz.bank import bank
from allcourse.quiz.events import Attempt
from allcourse.quiz.scoring import key_response, score

CAT = P.catalogue()
TOUR = bank("tour")
ITEM_A, ITEM_B = TOUR.items[0], TOUR.items[1]


def attempt(item=ITEM_A, when="2026-03-01T10:00:00+00:00", right=True, bank_name="tour", **kw):
    response = key_response(item) if right else None
    s = score(item, response)
    return Attempt(
        item_id=item.id,
        bank=bank_name,
        response=response,
        points=s.points,
        max_points=s.max_points,
        mode=kw.get("mode", "practice"),
        attempts=kw.get("attempts", 1),
        seconds=kw.get("seconds", 12.5),
        timestamp=when,
    )


def build(*attempts: Attempt, student: str = "") -> P.Progress:
    p = P.empty(CAT.course_version, student)
    for a in attempts:
        p = P.record(p, a)
    return p


def minute(n: int) -> str:
    return f"2026-03-01T10:{n:02d}:00+00:00"


@pytest.fixture(autouse=True)
def fresh_events(monkeypatch):
    monkeypatch.setattr(events, "_seed", None)
    monkeypatch.setattr(events, "_seed_listeners", [])
    monkeypatch.setattr(events, "_listeners", [])


# --- recording ------------------------------------------------------------------------


def test_record_keeps_first_latest_history_and_schedules_a_review():
    p = build(attempt(when=minute(0), right=False), attempt(when=minute(5), right=True))
    rec = p.items[ITEM_A.id]
    assert rec.checks == 2
    assert rec.first.points == 0 and rec.last.points == rec.last.max_points
    assert [a.timestamp for a in rec.history] == [minute(0), minute(5)]
    assert rec.bank == "tour"
    assert rec.card is not None and rec.card["last_review"].startswith("2026-03-01T10:05")
    # A right answer pushes the next review well past the time of answering.
    assert rec.card["due"] > "2026-03-02"


def test_history_is_capped_but_checks_keep_counting():
    p = build(
        *[attempt(when=f"2026-03-{1 + i // 60:02d}T10:{i % 60:02d}:00+00:00") for i in range(70)]
    )
    rec = p.items[ITEM_A.id]
    assert rec.checks == 70
    assert len(rec.history) == P.HISTORY_LIMIT
    assert rec.first.timestamp == "2026-03-01T10:00:00+00:00"  # kept beyond the cap
    # Loading the same record again (e.g. a results file) does not inflate the count.
    assert P.merge(p, p).items[ITEM_A.id].checks == 70


# --- the stored format and damaged data -------------------------------------------------


def test_text_round_trips_and_summary_is_recomputed_not_trusted():
    p = build(attempt(), attempt(ITEM_B, when=minute(1)), student="Alex")
    text = P.dumps(p, {"completed": ["blood", "made-up"]})
    parsed = P.parse(text)
    assert parsed.complete and parsed.progress == p
    assert "made-up" not in P.summary(parsed.progress, CAT)["completed"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{broken", "not complete, readable JSON"),
        ("[1, 2]", "does not hold course progress"),
        ('{"format": "something-else", "version": 1}', "not hold progress from this course"),
        ('{"format": "allcourse-progress", "version": "1"}', "version is missing"),
        ('{"format": "allcourse-progress", "version": true}', "version is missing"),
        ('{"format": "allcourse-progress", "version": 99}', "newer version of the course"),
        (b"\xff\xfe\x00garbage", "not a text file"),
    ],
)
def test_unreadable_data_is_refused_with_a_reason(text, reason):
    with pytest.raises(P.ProgressError) as exc:
        P.parse(text)
    assert reason in exc.value.message


def test_one_damaged_record_does_not_lose_the_others():
    good = json.loads(P.dumps(build(attempt(), attempt(ITEM_B, when=minute(1)))))
    good["items"][ITEM_B.id]["checks"] = "lots"
    good["items"]["broken-one"] = {"bank": "tour"}
    parsed = P.parse(json.dumps(good))
    assert list(parsed.progress.items) == [ITEM_A.id]
    assert len(parsed.problems) == 2
    assert any(ITEM_B.id in p and "checks" in p for p in parsed.problems)
    assert parsed.damaged[f"items.{ITEM_B.id}"]["checks"] == "lots"  # kept, not dropped


# --- merging ----------------------------------------------------------------------------


def test_merge_keeps_every_attempt_and_the_newest_wins():
    here = build(attempt(when=minute(0), right=False), attempt(ITEM_B, when=minute(1)))
    there = build(attempt(when=minute(9), right=True))
    merged = P.merge(here, there)
    rec = merged.items[ITEM_A.id]
    assert rec.checks == 2 and len(rec.history) == 2
    assert rec.last.timestamp == minute(9) and rec.last.points == rec.last.max_points
    assert rec.first.timestamp == minute(0)
    assert ITEM_B.id in merged.items
    # The review card is rebuilt from both places' attempts.
    assert rec.card["last_review"].startswith("2026-03-01T10:09")


def test_merge_counts_shared_attempts_once():
    shared = [attempt(when=minute(0)), attempt(when=minute(1), right=False)]
    a = build(*shared, attempt(when=minute(2)))
    b = build(*shared, attempt(when=minute(3)))
    assert P.merge(a, b).items[ITEM_A.id].checks == 4
    assert P.merge(a, a) == a


def test_merge_is_symmetric_so_two_tabs_agree():
    a = build(attempt(when=minute(0)), attempt(ITEM_B, when=minute(2), right=False))
    b = build(attempt(when=minute(0), right=False), attempt(ITEM_B, when=minute(4)))
    assert P.dumps(P.merge(a, b)) == P.dumps(P.merge(b, a))


def test_merge_prefers_a_name_but_never_an_empty_one():
    a, b = build(attempt(), student=""), build(attempt(), student="Sam")
    assert P.merge(a, b).student == "Sam"
    assert P.merge(build(student="Alex"), b).student == "Alex"
    assert P.merge(build(student="Alex"), b, prefer="b").student == "Sam"


def test_answered_in_one_place_and_parked_in_the_other_is_answered():
    parked = build(attempt(when=minute(0))).model_copy()
    parked = parked.model_copy(update={"parked": parked.items, "items": {}})
    merged = P.merge(build(attempt(when=minute(5))), parked)
    assert merged.parked == {} and merged.items[ITEM_A.id].checks == 2


# --- course changes ---------------------------------------------------------------------


def _catalogue_without(item_id: str, version: str = "9.9.9") -> P.Catalogue:
    modules = []
    for m in CAT.modules:
        items = tuple(it for it in m.items if it.id != item_id)
        modules.append(
            replace(m, items=items, standalone=m.standalone - {item_id}) if m.bank else m
        )
    return P.Catalogue(version, tuple(modules))


def test_new_course_version_keeps_what_matches_and_parks_the_rest():
    p = build(attempt(), attempt(ITEM_B, when=minute(1)))
    fitted, notes = P.reconcile(p, _catalogue_without(ITEM_B.id))
    assert list(fitted.items) == [ITEM_A.id]
    assert list(fitted.parked) == [ITEM_B.id]  # kept, not counted
    assert fitted.course_version == "9.9.9"
    assert len(notes) == 1 and "no longer in it" in notes[0]
    # When the item comes back, so does the answer.
    back, notes = P.reconcile(fitted, CAT)
    assert set(back.items) == {ITEM_A.id, ITEM_B.id} and not back.parked
    assert "count again" in notes[0]


def test_items_of_a_bank_that_failed_to_load_are_left_alone():
    broken = P.Catalogue(
        "9.9.9",
        tuple(
            replace(m, items=(), standalone=frozenset(), error="bad") if m.bank == "tour" else m
            for m in CAT.modules
        ),
    )
    fitted, notes = P.reconcile(build(attempt()), broken)
    assert ITEM_A.id in fitted.items and not fitted.parked and not notes


# --- summaries --------------------------------------------------------------------------


def test_module_progress_counts_items_points_and_completion():
    all_tour = [attempt(it, when=minute(i % 60)) for i, it in enumerate(TOUR.all_items())]
    p = build(*all_tour[:-1], attempt(ITEM_B, when=minute(59), right=False))
    rows = {r.module_id: r for r in P.module_progress(p, CAT)}
    start = rows["tour"]
    assert (start.answered, start.total) == (len(all_tour) - 1, len(TOUR.all_items()))
    assert not start.completed
    assert start.max_points == sum(score(it, None).max_points for it in TOUR.all_items())
    expected = sum(a.points for a in all_tour[:-1]) - score(ITEM_B, key_response(ITEM_B)).points
    assert start.points == pytest.approx(expected)
    done = build(*all_tour)
    assert "tour" in P.summary(done, CAT)["completed"]
    # A module without a bank of its own completes through its milestone.
    assert "review" not in P.summary(done, CAT)["completed"]
    marked = done.model_copy(update={"milestones": {P.milestone_name("review"): minute(0)}})
    assert "review" in P.summary(marked, CAT)["completed"]


def test_progress_table_states_status_in_words_and_icons():
    rows = P.module_progress(build(attempt()), CAT)
    table = progress_table(rows)
    assert "In progress" in table and "Not started" in table
    assert '<span aria-hidden="true">◐</span>' in table
    assert f"You have answered 1 of {sum(r.total for r in rows)}" in table


# --- the store --------------------------------------------------------------------------


def test_store_keeps_answers_made_before_the_saved_data_arrived():
    store = P.ProgressStore()
    seen = []
    store.on_load(lambda s: seen.append("loaded"))
    store.record(attempt(ITEM_B, when=minute(3)))
    result = store.load_saved(P.dumps(build(attempt(when=minute(1)))))
    assert seen == ["loaded"] and result.messages == [] and not result.set_aside
    assert set(store.progress.items) == {ITEM_A.id, ITEM_B.id}


def test_store_ignores_scenario_practice_items_that_belong_to_no_course_bank():
    # The lab report's ANC exercise publishes attempts too; they are not course progress
    # and would otherwise be reported later as "questions no longer in the course".
    store = P.ProgressStore()
    store.record(attempt(ITEM_A, bank_name="diagnosis-lab"))
    assert store.progress.items == {}
    store.record(attempt(ITEM_A))
    assert set(store.progress.items) == {ITEM_A.id}


def test_store_sets_damaged_data_aside_and_starts_clean():
    store = P.ProgressStore()
    result = store.load_saved('{"format": "allcourse-progress", "version": 1, "items": [')
    assert result.set_aside
    assert "could not be read" in result.messages[0]
    assert store.loaded and store.progress.items == {}
    store.record(attempt())
    assert ITEM_A.id in store.progress.items


def test_store_ignores_a_malformed_attempt_instead_of_breaking_the_quiz():
    store = P.ProgressStore()
    store.record(replace(attempt(), timestamp="yesterday"))
    assert store.progress.items == {}


def test_reset_in_another_tab_is_not_undone_by_this_one():
    here, there = P.ProgressStore(), P.ProgressStore()
    for s in (here, there):
        s.load_saved(P.dumps(build(attempt(when=minute(0)))))
    here.record(attempt(ITEM_B, when=minute(30)))  # answered here after the reset below
    there.reset("2026-03-01T10:20:00+00:00")
    assert here.merge_external(there.text())
    assert set(here.progress.items) == {ITEM_B.id}  # the old answer stays reset


def test_two_tabs_exchanging_saves_settle():
    a, b = P.ProgressStore(), P.ProgressStore()
    a.load_saved(None)
    b.load_saved(None)
    a.record(attempt(when=minute(1)))
    b.record(attempt(when=minute(2), right=False))
    b.record(attempt(ITEM_B, when=minute(3)))
    b.set_student("Sam")
    for _ in range(3):
        changed = a.merge_external(b.text()) | b.merge_external(a.text())
    assert not changed and a.text() == b.text()
    assert a.progress.items[ITEM_A.id].checks == 2 and a.progress.student == "Sam"


# --- the storage widget without a browser ----------------------------------------------


@pytest.fixture
def widget(monkeypatch):
    store = P.ProgressStore()
    w = storage_widget.BrowserStorage(store)
    sent: list[dict] = []
    monkeypatch.setattr(w, "send", lambda content, buffers=None: sent.append(content))
    return w, store, sent


def browser_says(w, **content):
    w._on_message(w, content, [])


def test_widget_writes_nothing_before_the_saved_data_is_read(widget):
    w, store, sent = widget
    store.record(attempt())
    assert sent == []
    saved = P.dumps(build(attempt(ITEM_B, when=minute(1))))
    browser_says(w, type="loaded", saved=saved, seed=4242, available=True)
    assert events.student_seed() == 4242
    written = json.loads(sent[-1]["value"])
    assert sent[-1]["type"] == "write" and set(written["items"]) == {ITEM_A.id, ITEM_B.id}
    assert written["summary"]["answered"]["tour"][0] == 2
    assert repr(w) == "<Course progress storage>"


def test_widget_keeps_damaged_data_aside_before_writing(widget):
    w, store, sent = widget
    browser_says(w, type="loaded", saved="not json", seed=7, available=True)
    assert sent == [{"type": "set_aside", "value": "not json", "slot": "damaged"}]
    assert "could not be read" in w.notice
    store.record(attempt())
    assert len(sent) == 1  # still holding: the old text is not yet safe
    browser_says(w, type="set_aside_done", key="allcourse-progress.damaged.1", slot="damaged")
    assert sent[-1]["type"] == "write" and ITEM_A.id in sent[-1]["value"]
    assert "allcourse-progress.damaged.1" in w.notice


def test_widget_never_writes_when_damaged_data_could_not_be_kept(widget):
    w, store, sent = widget
    browser_says(w, type="loaded", saved="not json", seed=7, available=True)
    browser_says(w, type="set_aside_failed", slot="damaged", reason="QuotaExceededError")
    store.record(attempt())
    assert [m["type"] for m in sent] == ["set_aside"]
    assert "left where it is" in w.notice


def test_widget_takes_in_another_tabs_save_without_echoing_it(widget):
    w, store, sent = widget
    browser_says(w, type="loaded", saved=None, seed=7, available=True)
    n = len(sent)
    other = P.ProgressStore()
    other.load_saved(None)
    other.record(attempt())
    browser_says(w, type="external", value=other.text())
    assert ITEM_A.id in store.progress.items
    assert len(sent) == n  # what the other tab wrote is already in storage


def test_widget_tells_the_student_when_storage_is_blocked(widget):
    w, store, sent = widget
    browser_says(w, type="loaded", saved=None, seed=7, available=False)
    store.record(attempt())
    assert "blocked" in w.notice and not [m for m in sent if m["type"] == "write"]


# --- the home-page panel ----------------------------------------------------------------


@pytest.fixture
def panel(monkeypatch, widget):
    w, store, sent = widget
    monkeypatch.setattr(storage_widget, "_widget", w)
    monkeypatch.setattr("allcourse.app.progress_view.storage_widget", lambda: w)
    browser_says(w, type="loaded", saved=P.dumps(build(attempt())), seed=7, available=True)
    return ProgressPanel(store), store, sent


def test_reset_needs_confirmation_and_cancel_keeps_everything(panel):
    view, store, sent = panel
    view.reset_button.click()
    assert view.reset_area.children == (view.confirm,)
    assert "delete all your saved answers" in view.status.message
    view.confirm_no.click()
    assert ITEM_A.id in store.progress.items
    assert view.reset_area.children == (view.reset_button,)
    view.reset_button.click()
    view.confirm_yes.click()
    assert store.progress.items == {}
    assert "reset" in view.status.message
    kept = [m for m in sent if m["type"] == "set_aside"]
    assert kept and kept[-1]["slot"] == "before-reset" and ITEM_A.id in kept[-1]["value"]
    assert 'data-status="new"' in view.table.value


def test_download_sends_the_file_to_the_browser_with_the_name(panel):
    view, store, sent = panel
    view.name.value = "Alex Kim"
    view.download_json.click()
    dl = sent[-1]
    assert dl["type"] == "download" and dl["filename"] == "allcourse-results-alex-kim.json"
    data = json.loads(dl["content"])
    assert data["student"] == "Alex Kim" and ITEM_A.id in data["items"]
    view.download_csv.click()
    assert sent[-1]["filename"].endswith(".csv") and ITEM_A.id in sent[-1]["content"]
    # The confirmation appears next to the download buttons.
    assert "Downloads" in view.download_status.message


def test_download_asks_for_a_name_or_id_first(panel):
    view, store, sent = panel
    view.name.value = "  "
    before = len(sent)
    view.download_json.click()
    assert len(sent) == before, "no file without a name"
    assert "Type your name or student ID first" in view.download_status.message


def test_home_says_where_to_continue(panel):
    view, store, _ = panel
    # The panel's store holds a tour answer only: the preview does not count as progress.
    assert view.resume.value == ""
    assert 'data-module="tour"' in view.table.value and "Preview, not counted" in view.table.value
    assert "You have answered 0 of" in view.table.value
    blood = bank("blood").items[0]
    store.record(attempt(blood, when="2026-03-02T10:00:00+00:00", bank_name="blood"))
    assert "Continue where you left off" in view.resume.value
    assert 'href="01_blood_and_marrow.ipynb#self-check"' in view.resume.value
    assert 'data-module="start"' not in view.table.value, "no row for the home page itself"


def test_loading_a_wrong_file_changes_nothing_and_says_why(panel):
    view, store, _ = panel
    before = store.progress
    view.load_file(b"::Q1:: What? {=yes ~no}", "questions.gift")
    assert store.progress == before
    assert "not a results file" in view.status.message
    assert "Nothing was changed" in view.status.message


def test_loading_results_merges_and_reports(panel):
    view, store, _ = panel
    other = build(attempt(when=minute(30), right=False), attempt(ITEM_B, when=minute(31)))
    view.load_file(P.dumps(other).encode(), "mine.json")
    assert store.progress.items[ITEM_A.id].checks == 2
    assert ITEM_B.id in store.progress.items
    assert "1 new question and 1 with newer answers" in view.status.message
    view.load_file(P.dumps(other).encode(), "mine.json")
    assert "already here" in view.status.message
    assert store.progress.items[ITEM_A.id].checks == 2


def test_a_page_knows_every_banks_ids_without_loading_the_other_banks():
    # A module page fits saved answers to the whole course (ids of every bank) but shows
    # one bank: the others' items are only read when something asks for them.
    from allcourse.course.course_map import course
    from allcourse.quiz.bank import bank_index

    loaded = []

    def load(name):
        loaded.append(name)
        return bank(name)

    cat = P.build_catalogue(course(), load, bank_index)
    assert loaded == []
    assert cat.known() == CAT.known() and cat.standalone() == CAT.standalone()
    assert P.module_progress(P.empty(), cat) == P.module_progress(P.empty(), CAT)
    blood = next(m for m in cat.modules if m.bank == "blood")
    assert blood.total == len(bank("blood").all_items()) and loaded == []
    assert [it.id for it in blood.items] == list(blood.ids) and loaded == ["blood"]
    assert cat.item(blood.ids[-1])[0] == "blood" and loaded == ["blood"]
