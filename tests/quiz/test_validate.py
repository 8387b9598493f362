"""`python -m allcourse validate`: one exact message per deliberately broken file, the
authoring guide's examples form a clean bank, and the CLI never shows a traceback."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from allcourse.app.cli import main
from allcourse.quiz.bank import load_bank
from allcourse.quiz.models import ITEM_TYPES
from allcourse.quiz.validate import validate

ROOT = Path(__file__).resolve().parents[2]
BROKEN = "tests/fixtures/broken"


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch):
    # Messages name files relative to the working directory.
    monkeypatch.chdir(ROOT)


EXPECTED = {
    "missing_rationale.yml": "broken-missing-rationale: options[b].rationale: no rationale: "
    "tell the student why this option is right or wrong",
    "unknown_source.yml": "broken-unknown-source: sources.1: unknown source 'R999' "
    "(not in references.yml)",
    "cloze_two_keys.yml": "broken-cloze-two-keys: blanks.0: blank 'cells' needs exactly one "
    "option with correct: true",
    "tolerance_too_wide.yml": "broken-tolerance: answers.0.tolerance: tolerance 10 is larger "
    "than the value 4 itself (it would accept anything from -6 to 14)",
    "partial_never_awarded.yml": "broken-partial: answers.1: this answer can never be awarded: "
    "every value it accepts (39 to 41) earns more credit from answers.0",
    "weights_do_not_add_up.yml": "broken-weights: options: the positive credits add up to 0.5; "
    "they must add up to 1, so that choosing every correct option earns full marks",
    "case_steps_out_of_order.yml": "broken-case-3: step: 'analyze_cues' cannot follow "
    "'take_action': a case study takes the clinical-judgment steps in order, each at most "
    "once (recognize_cues, analyze_cues, prioritize_hypotheses, generate_solutions, "
    "take_action, evaluate_outcomes)",
    "bad_yaml.yml": "-: -: not valid YAML: line 6, column 4: expected <block end>, "
    "but found '<block mapping start>'",
    "unknown_type.yml": "broken-essay: type: unknown item type 'essay' (use one of: single, "
    "sata, select_n, matrix_single, matrix_multiple, cloze, rationale, ordering, matching, "
    "highlight, bowtie, numeric, short_answer)",
    "empty.yml": "-: -: file is empty",
    "course_missing_field.yml": "blood: notebook: Field required",
    "course_missing_bank.yml": f"blood: bank: {BROKEN}/quizzes/no_such_bank.yml not found",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_gets_exactly_its_message(name, capsys):
    assert main(["validate", f"{BROKEN}/{name}"]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{BROKEN}/{name}: {EXPECTED[name]}"]


def test_every_broken_fixture_is_covered_by_a_test():
    names = {p.name for p in (ROOT / BROKEN).glob("*.yml")}
    assert names == set(EXPECTED) | {
        "duplicate_id_a.yml",
        "duplicate_id_b.yml",
        "missing_metadata.yml",
    }


def test_an_item_without_metadata_gets_one_line_per_missing_field(capsys):
    assert main(["validate", f"{BROKEN}/missing_metadata.yml"]) == 1
    lines = capsys.readouterr().out.splitlines()
    prefix = f"{BROKEN}/missing_metadata.yml: broken-metadata: "
    assert [line.removeprefix(prefix).split(":")[0] for line in lines] == [
        "sources",
        "explanation",
        "topic",
        "difficulty",
    ]


def test_an_id_used_in_two_banks_is_reported_on_the_second(capsys):
    a, b = f"{BROKEN}/duplicate_id_a.yml", f"{BROKEN}/duplicate_id_b.yml"
    assert main(["validate", a]) == 0
    assert capsys.readouterr().out == "ok: 1 bank, 1 item\n"
    assert main(["validate", a, b]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{b}: broken-duplicate: id: 'broken-duplicate' is also an item id in {a} "
        "(item ids must be unique across all banks)"
    ]


# --- the authoring guide --------------------------------------------------------------


def readme_bank() -> dict:
    """Every ```yaml block of quizzes/README.md, put together as one bank."""
    text = (ROOT / "quizzes" / "README.md").read_text(encoding="utf-8")
    bank: dict = {"title": "Authoring guide examples", "items": [], "case_studies": []}
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        data = yaml.safe_load(block)
        if isinstance(data, list):
            bank["items"] += data
        else:
            bank["items"] += data.get("items", [])
            bank["case_studies"] += data.get("case_studies", [])
    return bank


def test_the_guide_examples_are_a_valid_bank_with_every_item_type(tmp_path, capsys):
    bank = readme_bank()
    path = tmp_path / "guide.yml"
    path.write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(path)]) == 0, capsys.readouterr().out
    n_items = len(bank["items"]) + sum(len(c["items"]) for c in bank["case_studies"])
    assert capsys.readouterr().out == f"ok: 1 bank, {n_items} items\n"
    types_used = {i["type"] for i in bank["items"]}
    types_used |= {ci["item"]["type"] for c in bank["case_studies"] for ci in c["items"]}
    assert types_used == set(ITEM_TYPES)
    assert any("exhibit" in i for i in bank["items"])


# --- course map, objectives and the default run ---------------------------------------

COURSE = {
    "title": "Test course",
    "short_title": "Test",
    "version": "1.0.0",
    "modules": [
        {
            "id": mid,
            "title": mid.title(),
            "notebook": f"0{n}_{mid}.ipynb",
            "objectives": [
                {"id": f"{mid}.{i}", "text": f"Explain part {i} of {mid}."} for i in (1, 2, 3)
            ],
            "bank": f"{mid}.yml",
        }
        for n, mid in enumerate(["blood", "diagnosis"])
    ],
}


def _bank_with(objective: str, item_id: str) -> dict:
    bank = readme_bank()
    item = dict(bank["items"][0], id=item_id, objective=objective)
    return {"title": "One item", "items": [item]}


def _course_dir(tmp_path: Path, banks: dict[str, dict]) -> Path:
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "assets").mkdir()
    shutil.copy(ROOT / "assets" / "references.yml", tmp_path / "assets" / "references.yml")
    (tmp_path / "course.yml").write_text(yaml.safe_dump(COURSE), encoding="utf-8")
    for name, bank in banks.items():
        (tmp_path / "quizzes" / name).write_text(yaml.safe_dump(bank), encoding="utf-8")
    return tmp_path


def test_objectives_must_exist_and_belong_to_the_module_whose_bank_it_is(tmp_path):
    root = _course_dir(
        tmp_path,
        {
            "blood.yml": _bank_with("diagnosis.2", "q-blood"),
            "diagnosis.yml": _bank_with("diagnosis.7", "q-diag"),
        },
    )
    report = validate(root=root)
    messages = [(p.file.rsplit("/", 1)[-1], p.item, p.field, p.message) for p in report.problems]
    assert messages == [
        (
            "blood.yml",
            "q-blood",
            "objective",
            "objective 'diagnosis.2' belongs to module 'diagnosis', but this file is the bank "
            "of module 'blood'",
        ),
        (
            "diagnosis.yml",
            "q-diag",
            "objective",
            "unknown objective 'diagnosis.7' (not in course.yml)",
        ),
    ]


def test_default_run_checks_course_map_and_every_bank(tmp_path):
    root = _course_dir(
        tmp_path,
        {
            "blood.yml": _bank_with("blood.1", "q-blood"),
            "diagnosis.yml": _bank_with("diagnosis.1", "q-diag"),
        },
    )
    report = validate(root=root)
    assert report.ok, report.lines()
    assert report.lines() == ["ok: 2 banks, 2 items"]
    (root / "quizzes" / "diagnosis.yml").unlink()
    assert [(p.item, p.field) for p in validate(root=root).problems] == [("diagnosis", "bank")]


# --- never a traceback ------------------------------------------------------------------


def test_missing_and_unreadable_files_get_a_message(tmp_path, capsys):
    binary = tmp_path / "binary.yml"
    binary.write_bytes(b"title: \xff\xfe broken")
    assert main(["validate", "quizzes/no_such_bank.yml", str(binary)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "quizzes/no_such_bank.yml: -: -: file not found"
    assert lines[1].startswith(f"{binary}: -: -: cannot read file:")


def test_a_folder_is_validated_file_by_file(capsys):
    assert main(["validate", BROKEN]) == 1
    out = capsys.readouterr().out
    for name in EXPECTED:
        assert f"{BROKEN}/{name}: " in out


def test_the_module_command_runs_on_the_real_checkout_without_a_traceback():
    run = subprocess.run(
        [sys.executable, "-m", "allcourse", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode in (0, 1)
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stdout.strip()


# --- gift subcommands (allcourse.quiz.gift does the converting) -----------------------

GIFT = """// Written for this test.
$CATEGORY: ALL/Test

::marrow::In ALL, which cells crowd the bone marrow? {
  =Lymphoblasts#ALL is a cancer of the lymphoid line.
  ~Red blood cells#There are too few of them, not too many.
}

::essay::Describe the phases of treatment. {}
"""


def test_gift_import_writes_a_bank_and_refuses_to_overwrite(tmp_path, capsys):
    source = tmp_path / "in.gift.txt"
    source.write_text(GIFT, encoding="utf-8")
    out = tmp_path / "imported.yml"
    assert main(["gift", "import", str(source), "-o", str(out)]) == 0
    report = capsys.readouterr().out
    assert "essay" in report  # the question that could not be imported is named
    assert [i.id for i in load_bank(out).all_items()] == ["marrow"]
    before = out.read_text(encoding="utf-8")
    assert main(["gift", "import", str(source), "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == before
    assert main(["gift", "import", str(source), "-o", str(out), "--force"]) == 0
    capsys.readouterr()
    # Imported items lack sources and metadata: validate says so, item by item.
    assert main(["validate", str(out)]) == 1
    assert f"{out}: marrow: sources: no source" in capsys.readouterr().out


def test_gift_import_of_a_missing_file_is_a_message(tmp_path, capsys):
    assert main(["gift", "import", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "x")]) == 1
    assert "file not found" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_gift_export_round_trips_through_import(tmp_path, capsys):
    gift = tmp_path / "bank.gift.txt"
    assert main(["gift", "export", f"{BROKEN}/duplicate_id_a.yml", "-o", str(gift)]) == 0
    assert "In ALL, which cells does the bone marrow make too many of?" in gift.read_text(
        encoding="utf-8"
    )
    back = tmp_path / "back.yml"
    assert main(["gift", "import", str(gift), "-o", str(back)]) == 0
    capsys.readouterr()
    original = load_bank(f"{BROKEN}/duplicate_id_a.yml").items[0]
    assert load_bank(back).items[0] == original


def test_gift_export_of_a_broken_bank_is_a_message(tmp_path, capsys):
    assert main(["gift", "export", f"{BROKEN}/bad_yaml.yml", "-o", str(tmp_path / "x")]) == 1
    assert "not valid YAML" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


# --- scoring loopholes (issue 15) ---------------------------------------------------------


def _sata_item(options: list[tuple[str, bool, float | None]], rule: str = "plus_minus") -> dict:
    item = readme_bank()["items"][0]
    item = {k: v for k, v in item.items() if k not in ("options", "type", "rule", "n")}
    opts = []
    for i, (text, correct, credit) in enumerate(options):
        o = {"id": f"o{i}", "text": text, "correct": correct, "rationale": f"Why {text}."}
        if credit is not None:
            o["credit"] = credit
        opts.append(o)
    return {**item, "id": "loophole", "type": "sata", "rule": rule, "options": opts}


def _validate_one(tmp_path: Path, item: dict):
    path = tmp_path / "bank.yml"
    path.write_text(yaml.safe_dump({"title": "T", "items": [item]}), encoding="utf-8")
    return validate([path])


def test_a_weighted_select_all_that_rewards_ticking_everything_is_a_problem(tmp_path):
    anemia = [("Pallor", True, 0.5), ("Fatigue", True, 0.5)]
    anemia += [("Petechiae", False, 0.0), ("Fever", False, 0.0)]
    report = _validate_one(tmp_path, _sata_item(anemia, "weights"))
    (line,) = [str(p) for p in report.problems]
    assert line.endswith(
        "loophole: options: scoring loophole: ticking every option earns full marks; give the "
        "wrong options negative weights that add up to -100% (for example -50% each), or "
        "score it with the NCSBN +/- rule (rule: plus_minus)"
    )
    fixed = [*anemia[:2], ("Petechiae", False, -0.5), ("Fever", False, -0.5)]
    assert _validate_one(tmp_path, _sata_item(fixed, "weights")).ok


def test_every_option_a_key_is_a_problem_and_more_keys_than_distractors_a_warning(tmp_path, capsys):
    all_keys = _validate_one(tmp_path, _sata_item([("A", True, None), ("B", True, None)]))
    assert ["ticking every option earns full marks" in str(p) for p in all_keys.problems] == [True]
    more_keys = [("A", True, None), ("B", True, None), ("C", True, None), ("D", False, None)]
    report = _validate_one(tmp_path, _sata_item(more_keys))
    assert report.ok  # NCSBN's own rule: a warning, not a failure
    (warning,) = [str(w) for w in report.warnings]
    assert "ticking every option earns 67% of the marks" in warning
    assert "add distractors" in warning
    assert main(["validate", str(tmp_path / "bank.yml")]) == 0
    assert "warning: " in capsys.readouterr().out
    even = [("A", True, None), ("B", True, None), ("C", False, None), ("D", False, None)]
    assert not _validate_one(tmp_path, _sata_item(even)).warnings


def test_the_course_banks_have_no_scoring_loophole_problem():
    report = validate()
    assert not [p for p in report.problems if "scoring loophole" in str(p)]
