"""A page's kernel hands freed memory back after each cell it runs (see
`allcourse.app.page.trim_memory_after_each_cell`)."""

from __future__ import annotations

import ctypes

from IPython.core.interactiveshell import InteractiveShell

from allcourse.app import page


class FakeLibc:
    def __init__(self) -> None:
        self.trims: list[int] = []

    def malloc_trim(self, pad: int) -> int:
        self.trims.append(pad)
        return 1


def test_each_cell_is_followed_by_one_trim_however_often_pages_ask(monkeypatch):
    libc = FakeLibc()
    monkeypatch.setattr(ctypes, "CDLL", lambda name: libc)
    monkeypatch.setattr(page, "_trimming", False)
    shell = InteractiveShell.instance()
    before = list(shell.events.callbacks["post_execute"])
    try:
        page.trim_memory_after_each_cell()
        page.trim_memory_after_each_cell()  # a second page call registers nothing more
        shell.run_cell("x = [0] * 1000")
        shell.run_cell("del x")
        assert libc.trims == [0, 0]
    finally:
        shell.events.callbacks["post_execute"][:] = before


def test_without_glibc_nothing_is_registered(monkeypatch):
    def missing(name):
        raise OSError(name)

    monkeypatch.setattr(ctypes, "CDLL", missing)
    monkeypatch.setattr(page, "_trimming", False)
    shell = InteractiveShell.instance()
    before = list(shell.events.callbacks["post_execute"])
    page.trim_memory_after_each_cell()
    assert shell.events.callbacks["post_execute"] == before
    assert shell.run_cell("1 + 1").success
