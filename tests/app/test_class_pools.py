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
