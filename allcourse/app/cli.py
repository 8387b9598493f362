"""Command line for instructors: `python -m allcourse validate`, `... gift import|export`,
`... new-module ID "Title"`, `... class-test-results TEST`.

Every failure is a message and an exit status, never a traceback: instructors run
these on files they are still writing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from allcourse.course.content import ContentError, display_path


def _validate(args: argparse.Namespace) -> int:
    from allcourse.quiz.validate import validate

    report = validate(args.paths or None)
    for line in report.lines(cues=args.strict):
        print(line)
    if args.strict and report.warnings:
        print(f"--strict: {len(report.warnings)} item-writing warning(s) count as failures")
        return 1
    return 0 if report.ok else 1


def _fail(*messages: object) -> int:
    """Print each message (a line, or a content Problem) on stderr; the exit status 1."""
    for message in messages:
        print(message, file=sys.stderr)
    return 1


def _write(path: Path, text: str, force: bool) -> str | None:
    """Write `text`; an error message instead of overwriting an existing file."""
    if path.exists() and not force:
        return f"{display_path(path)} already exists: choose another name or add --force"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        return f"cannot write {display_path(path)}: {exc.strerror or exc}"
    return None


def _gift_import(args: argparse.Namespace) -> int:
    from allcourse.quiz.gift import bank_yaml, import_gift

    source = Path(args.file)
    if not source.is_file():
        return _fail(f"{display_path(source)}: file not found")
    try:
        bank, report = import_gift(source)
    except ContentError as exc:
        return _fail(*exc.problems)
    for line in report:
        print(line)
    error = _write(Path(args.output), bank_yaml(bank), args.force)
    if error:
        return _fail(error)
    print(f"wrote {display_path(args.output)}: check it with `python -m allcourse validate`")
    return 0


def _gift_export(args: argparse.Namespace) -> int:
    from allcourse.quiz.bank import load_bank
    from allcourse.quiz.gift import export_gift

    try:
        bank = load_bank(args.bank)
    except ContentError as exc:
        return _fail(*exc.problems)
    text, report = export_gift(bank)
    for line in report:
        print(line)
    error = _write(Path(args.output), text, args.force)
    if error:
        return _fail(error)
    print(f"wrote {display_path(args.output)}")
    return 0


def _new_module(args: argparse.Namespace) -> int:
    from allcourse.app.scaffold import ScaffoldError, new_module
    from allcourse.course import paths

    try:
        made = new_module(paths.ROOT, args.id, args.title)
    except ScaffoldError as exc:
        return _fail(f"new-module: {exc}")
    print(f"wrote {display_path(made.notebook)} (the page), {display_path(made.bank)} (its")
    print(f"question bank) and the module's entry in {display_path(made.course_yml)}.")
    print("Next: rewrite the draft objectives in course.yml, write the teaching in the")
    print("notebook, add questions to the bank, then run `python -m allcourse validate` and")
    print("`make notebooks` (stores the page's outputs for the tests).")
    return 0


def _class_test_results(args: argparse.Namespace) -> int:
    from allcourse.app.attempt_ledger import Ledger
    from allcourse.app.class_test_page import collect
    from allcourse.quiz.class_test import load_class_test

    try:
        test = load_class_test(args.test)
        folder, written, running = collect(test, Ledger())
    except ContentError as exc:
        return _fail(*exc.problems)
    print(f"{written} results file{'s' if written != 1 else ''} in {display_path(folder)}")
    if running:
        print(f"{running} attempt{'s are' if running != 1 else ' is'} still in progress")
    print(
        f"open them with: ALLCOURSE_RESULTS={display_path(folder)} jupyter lab "
        "instructor/dashboard.ipynb"
    )
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m allcourse", description="Tools for the ALL course's instructors."
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser(
        "validate",
        help="check question banks and the course map",
        description="Check banks and the course map; one line per problem "
        "(file: item-id: field: message). Default: course.yml and quizzes/*.yml.",
    )
    v.add_argument("paths", nargs="*", metavar="PATH", help="bank or course map (or a folder)")
    v.add_argument(
        "--strict",
        action="store_true",
        help="fail on item-writing warnings too (longest key, absolute words, ...)",
    )
    v.set_defaults(run=_validate)

    g = sub.add_parser("gift", help="convert between banks and Moodle GIFT files")
    gsub = g.add_subparsers(dest="gift_command", required=True, metavar="ACTION")
    gi = gsub.add_parser("import", help="read a GIFT file into a bank (YAML)")
    gi.add_argument("file", metavar="FILE", help="a Moodle GIFT file")
    gi.add_argument("-o", "--output", required=True, metavar="OUT.yml", help="the bank to write")
    gi.add_argument("--force", action="store_true", help="overwrite OUT.yml if it exists")
    gi.set_defaults(run=_gift_import)
    ge = gsub.add_parser("export", help="write a bank as a GIFT file for Moodle")
    ge.add_argument("bank", metavar="BANK.yml", help="a bank in quizzes/")
    ge.add_argument("-o", "--output", required=True, metavar="FILE", help="the GIFT file to write")
    ge.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    ge.set_defaults(run=_gift_export)
    n = sub.add_parser(
        "new-module",
        help="add a module: its page, its question bank and its place in course.yml",
        description="Scaffold a module: notebooks/NN_ID.ipynb, quizzes/ID.yml and an entry "
        "in course.yml before the Review module. Nothing is overwritten.",
    )
    n.add_argument("id", metavar="ID", help="module id, e.g. infection_control")
    n.add_argument("title", metavar="TITLE", help='module title, e.g. "Infection control"')
    n.set_defaults(run=_new_module)

    t = sub.add_parser(
        "class-test-results",
        help="write the results files of a class test (for the dashboard)",
        description="Finish attempts whose time ran out while the page was closed and write "
        "a results file for every finished attempt, in class-test-data/TEST/results/.",
    )
    t.add_argument("test", metavar="TEST", help="the test's name (quizzes/tests/TEST.yml)")
    t.set_defaults(run=_class_test_results)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        # Output piped into `head` that stopped reading: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130
