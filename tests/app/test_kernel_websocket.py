"""The page's kernel websocket sends each message at once (TCP_NODELAY): a check writes
the student's progress and then the verdict, and with Nagle's algorithm on the verdict
waited for the browser's delayed acknowledgement (half the checks took 50 ms, not 12)."""

from __future__ import annotations

import asyncio

from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from allcourse.app.server import CourseVoila, PromptKernelWebsocketHandler


def test_the_course_server_serves_kernel_channels_with_its_own_handler():
    app = CourseVoila()
    app.initialize(["--no-browser", "--port=0"])
    app.init_settings()
    routes = [(spec[0], spec[1]) for spec in app.init_handlers()]
    channels = [handler for path, handler in routes if path.endswith("/channels")]
    assert channels == [PromptKernelWebsocketHandler]


def test_opening_the_socket_turns_nagle_off_before_the_kernel_connects(monkeypatch):
    events: list[object] = []

    async def voila_open(self, kernel_id):
        events.append(("connected", kernel_id))

    monkeypatch.setattr(VoilaKernelWebsocketHandler, "open", voila_open)
    handler = object.__new__(PromptKernelWebsocketHandler)  # no request needed for open()
    handler.set_nodelay = lambda value: events.append(("nodelay", value))
    asyncio.run(handler.open("k-1"))
    assert events == [("nodelay", True), ("connected", "k-1")]
