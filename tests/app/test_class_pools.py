"""Preheated kernel pools for a class, sized from the course map."""

from __future__ import annotations

import pytest

from allcourse.app.server import pools_for
from allcourse.course.course_map import course


def test_the_class_module_gets_a_kernel_per_student_and_other_pages_a_small_pool():
    c = course()
    pools = pools_for(c, 30, "diagnosis", 1)
    assert pools["default"] == {"pool_size": 1}
    assert pools[c.module("diagnosis").notebook] == {"pool_size": 30}
    others = [m.notebook for m in c.modules if m.id != "diagnosis"]
    assert others and all(pools[nb] == {"pool_size": 1} for nb in others)
    assert set(pools) == {"default", *(m.notebook for m in c.modules)}


def test_no_module_named_means_the_first_and_sizes_are_never_negative():
    c = course()
    pools = pools_for(c, 5, "", -2)
    assert pools[c.modules[0].notebook] == {"pool_size": 5}
    assert pools["default"] == {"pool_size": 0}


def test_a_class_doing_two_modules_gets_a_pool_for_each():
    c = course()
    pools = pools_for(c, 30, "blood, diagnosis", 1)
    big = {nb for nb, p in pools.items() if p == {"pool_size": 30}}
    assert big == {c.module("blood").notebook, c.module("diagnosis").notebook}
    assert pools[c.module("treatment").notebook] == {"pool_size": 1}


def test_an_unknown_module_is_refused():
    with pytest.raises(KeyError):
        pools_for(course(), 5, "no-such-module", 1)
    with pytest.raises(KeyError):
        pools_for(course(), 5, "blood,no-such-module", 1)


def test_pool_kernels_start_and_run_one_at_a_time_in_the_order_taken(monkeypatch):
    """Neither the first fill (made while Voila's manager is built) nor a refill may start
    and run a kernel per student at once (make load: first pages 48 s behind 128 kernels
    running their notebooks together); the oldest pool entry is ready first."""
    import asyncio

    from allcourse.app import server

    busy, most, order = 0, 0, []

    class FakeVoilaManager:  # Voila's shape: fills its pools in __init__
        def __init__(self, **kwargs):
            self.pool = [asyncio.ensure_future(self._initialize("nb", k)) for k in range(5)]

        async def _initialize(self, notebook, kernel_id=None, **kwargs):
            nonlocal busy, most
            busy += 1
            most = max(most, busy)
            await asyncio.sleep(0.01)  # the kernel starts

            async def run_notebook():  # Voila runs the notebook in a task of its own
                nonlocal busy
                await asyncio.sleep(0.02)
                order.append(kernel_id)
                busy -= 1

            return {"task": asyncio.ensure_future(run_notebook()), "kernel_id": kernel_id}

    monkeypatch.setattr(server, "voila_kernel_manager_factory", lambda base, heat, *a: base)
    manager_class = server.pools_filled_one_at_a_time(FakeVoilaManager, True, 1)

    async def fill_and_refill():
        manager = manager_class()
        refill = [manager._initialize("nb", k) for k in range(5, 7)]
        return [p["kernel_id"] for p in await asyncio.gather(*manager.pool, *refill)]

    assert asyncio.run(fill_and_refill()) == list(range(7))
    assert most == 1 and order == list(range(7))
    assert server.pools_filled_one_at_a_time(FakeVoilaManager, False, 1) is FakeVoilaManager
