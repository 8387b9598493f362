"""The shuffle seed a page's kernel gets with its request (see allcourse.quiz.events)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from allcourse.quiz import events


@pytest.mark.parametrize(
    ("text", "seed"),
    [
        ("1", 1),
        ("2147483646", 2147483646),
        ("525230397", 525230397),
        ("0", None),
        ("2147483647", None),
        ("-5", None),
        ("12a", None),
        ("", None),
        (None, None),
        ("99999999999999999999", None),
        ("١٢", None),  # digits of another script: isdigit() says yes, int() would accept
    ],
)
def test_parse_seed_accepts_only_the_browsers_range(text, seed):
    assert events.parse_seed(text) == seed


def test_a_kernel_started_with_the_seed_shuffles_with_it_from_the_start():
    code = (
        "from allcourse.quiz import events; from allcourse.quiz.bank import bank;"
        "from allcourse.quiz.session import ItemCard;"
        "it = bank('tour').items[0]; card = ItemCard(it, 'tour');"
        "print(events.student_seed(), card.renderer.seed)"
    )
    env = {**os.environ, events.SEED_ENV: "424242"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["424242", "424242"], out.stderr
    env[events.SEED_ENV] = "not a seed"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["0", "0"], out.stderr
