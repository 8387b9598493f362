"""`send_now`: a verdict leaves the kernel before the handler's remaining work."""

from __future__ import annotations

import queue
import threading
import time
from types import SimpleNamespace

from allcourse.quiz.render import widgets as ui


class SlowIOPub:
    """Stands in for ipykernel's IOPubThread: runs what is scheduled, in order, on its own
    thread, each after a delay (a thread that waits for the GIL)."""

    def __init__(self, delay_s: float):
        self.jobs: queue.Queue = queue.Queue()
        self.delay_s = delay_s
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def schedule(self, job) -> None:
        self.jobs.put(job)

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            time.sleep(self.delay_s)
            job()


def test_messages_queued_before_are_sent_when_it_returns(monkeypatch):
    iopub = SlowIOPub(delay_s=0.005)
    shell = SimpleNamespace(kernel=SimpleNamespace(iopub_thread=iopub))
    monkeypatch.setattr(ui, "get_ipython", lambda: shell)
    sent: list[str] = []
    iopub.schedule(lambda: sent.append("verdict"))

    ui.send_now()

    assert sent == ["verdict"]
    iopub.schedule(None)


def test_a_stuck_sender_holds_the_check_up_for_at_most_the_timeout(monkeypatch):
    iopub = SlowIOPub(delay_s=1.0)
    shell = SimpleNamespace(kernel=SimpleNamespace(iopub_thread=iopub))
    monkeypatch.setattr(ui, "get_ipython", lambda: shell)
    iopub.schedule(lambda: None)

    started = time.monotonic()
    ui.send_now(timeout_s=0.05)

    assert time.monotonic() - started < 0.5
    iopub.schedule(None)


def test_outside_a_kernel_it_does_nothing(monkeypatch):
    monkeypatch.setattr(ui, "get_ipython", lambda: None)
    ui.send_now()
