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


def test_pool_kernels_start_one_at_a_time_in_the_order_taken():
    """A refill must not start a kernel per student at once (make load: checks waited
    seconds behind 30 starting kernels); the oldest pool entry starts first."""
    import asyncio
    from types import SimpleNamespace

    from allcourse.app.server import CourseVoila

    running, most, order = 0, 0, []

    async def initialize(notebook, kernel_id=None, **kwargs):
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        order.append(kernel_id)
        running -= 1
        return kernel_id

    manager = SimpleNamespace(_initialize=initialize)
    CourseVoila._start_pool_kernels_one_at_a_time(SimpleNamespace(kernel_manager=manager))

    async def refill():
        return await asyncio.gather(*(manager._initialize("nb", k) for k in range(5)))

    assert asyncio.run(refill()) == [0, 1, 2, 3, 4]
    assert most == 1 and order == [0, 1, 2, 3, 4]
