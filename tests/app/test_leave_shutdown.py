"""Kernels of pages students left stop one at a time (a class leaving a module together
must not stall everyone's checks), in the order they were asked, and only if still there."""

from __future__ import annotations

import asyncio

from allcourse.app.server import shut_down_left_kernel


class FakeManager:
    def __init__(self, kernels: set[str]) -> None:
        self.kernels = set(kernels)
        self.stopped: list[str] = []
        self.running = 0
        self.most_at_once = 0

    def __contains__(self, kernel_id: str) -> bool:
        return kernel_id in self.kernels

    async def shutdown_kernel(self, kernel_id: str) -> None:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        await asyncio.sleep(0.01)  # a kernel takes a while to exit
        self.kernels.discard(kernel_id)
        self.stopped.append(kernel_id)
        self.running -= 1


def test_a_class_leaving_together_stops_its_kernels_one_at_a_time_in_order():
    manager = FakeManager({f"k{i}" for i in range(6)})

    async def class_leaves() -> None:
        await asyncio.gather(
            *(shut_down_left_kernel(manager, f"k{i}", grace_s=0) for i in range(6))
        )

    asyncio.run(class_leaves())
    assert manager.stopped == [f"k{i}" for i in range(6)]
    assert manager.most_at_once == 1
    assert not manager.kernels


def test_a_kernel_already_gone_is_left_alone_and_the_rest_still_stop():
    manager = FakeManager({"k1", "k3"})

    async def leave() -> None:
        await asyncio.gather(
            *(shut_down_left_kernel(manager, k, grace_s=0) for k in ("k1", "k2", "k3"))
        )

    asyncio.run(leave())
    assert manager.stopped == ["k1", "k3"]
