"""careersync's own test setup: the plugin kit's fixtures (every test runs in its own folder
with its own state, config search path and keyring), plus what only these tests need."""

from __future__ import annotations

from pathlib import Path

import pytest

from careersync.plan_home import PlanHome

pytest_plugins = ["careersync.testing"]


def plan_state(work: Path, plan: str = "career.toml") -> Path:
    """The state folder of the plan at ``work/plan`` (one state per plan, under CAREERSYNC_HOME)."""
    return PlanHome.of(work / plan, work.parent / "state").directory


BASIC_PLAN = """\
[plan]
title = "Senior data analyst within two years"
start = 2027-01-04
timezone = "Europe/London"

[goals.senior]
title = "Start a senior data analyst role"
by = "+24m"
measure = "Signed offer"
why = "Lead analytics"

[milestones.sql-course]
title = "Finish an advanced SQL course"
by = "+3m"
"""


@pytest.fixture
def basic_plan(write) -> Path:
    return write("career.toml", BASIC_PLAN)


@pytest.fixture
def memory_registered():
    """The in-memory reference target, registered as a plugin for one test."""
    import memory_plugin

    from careersync.plugins import registered

    with registered(memory_plugin, "memory"):
        memory_plugin.SERVICES.clear()
        yield memory_plugin.service()
