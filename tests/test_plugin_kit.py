"""The public API plugins build on: helpers, plugin registration in tests, the kit's footprint."""

from __future__ import annotations

import os
import subprocess
import sys

import pluggy
import pytest

from careersync import hookspecs, plugins
from careersync.api import PlanHome, atomic_write, expand_occurrences, plan_items, registered
from careersync.errors import PlanError, TargetError
from careersync.testing import PLAN


def test_atomic_write_creates_then_replaces_keeping_the_mode(isolated):
    path = isolated / "notes" / "career.md"
    atomic_write(path, b"first\n")
    assert path.read_bytes() == b"first\n"
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    atomic_write(path, b"second\n")
    assert path.read_bytes() == b"second\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["career.md"]


def test_atomic_write_follows_a_symbolic_link(isolated):
    vault = isolated / "vault"
    vault.mkdir()
    (vault / "Career.md").write_text("old")
    link = isolated / "career.md"
    link.symlink_to(vault / "Career.md")
    atomic_write(link, b"new")
    assert link.is_symlink()
    assert (vault / "Career.md").read_text() == "new"


def test_atomic_write_failures_name_the_file_and_leave_no_temporary(isolated, monkeypatch):
    (isolated / "afile").write_text("x")
    with pytest.raises(TargetError, match="afile/career.md: cannot be written"):
        atomic_write(isolated / "afile" / "career.md", b"data")

    path = isolated / "career.md"
    path.write_text("kept")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(TargetError, match=r"career.md: cannot be written \(No space left"):
        atomic_write(path, b"lost")
    assert path.read_text() == "kept"
    assert sorted(p.name for p in isolated.iterdir()) == ["afile", "career.md"]


def test_plan_items_and_occurrences_as_a_per_occurrence_target_gets_them():
    import datetime as dt

    items = {i.uid: i for i in plan_items(PLAN)}
    assert items["habit:practice"].recurring
    sent = expand_occurrences(items.values(), dt.date(2027, 1, 10), 7)
    uids = {i.uid for i in sent}
    assert {"habit:practice@2027-01-09", "habit:practice@2027-01-16"} <= uids
    assert "habit:practice@2027-01-23" not in uids and "habit:practice" not in uids
    assert all(not i.recurring for i in sent)
    with pytest.raises(PlanError, match="invalid TOML"):
        plan_items("[plan")


def test_plan_home_of_is_where_sync_keeps_the_state(run, write, isolated, careersync_home):
    write("career.toml", PLAN)
    write("careersync.toml", 'plan = "career.toml"\n[targets.cal]\nplugin = "ics"\n')
    assert run("sync").exit_code == 0
    home = PlanHome.of(isolated / "career.toml")
    assert home.state_file.is_file()
    assert home.directory.is_relative_to(careersync_home)


@pytest.fixture
def fresh_manager(monkeypatch):
    """careersync's plugin manager as a new process sees it: nothing loaded yet."""
    manager = pluggy.PluginManager("careersync")
    manager.add_hookspecs(hookspecs)
    monkeypatch.setattr(plugins, "pm", manager)
    monkeypatch.setattr(plugins, "_loaded", False)
    return manager


def test_registering_a_plugin_its_entry_point_also_installs(fresh_manager):
    import careersync_todoist

    with registered(careersync_todoist, "todoist-under-test"):
        assert plugins.target_types()["todoist"].plugin == "todoist"
    # the installed plugin stays registered under its entry point's name
    assert plugins.get_plugin_manager().get_plugin("todoist") is careersync_todoist


def test_a_plugin_registered_before_the_entry_points_load_is_not_loaded_twice(fresh_manager):
    import careersync_todoist

    fresh_manager.register(careersync_todoist, "mine")
    manager = plugins.get_plugin_manager()
    assert manager.get_plugin("mine") is careersync_todoist
    assert not manager.has_plugin("todoist")
    assert "todoist" in plugins.target_types()


def test_registered_for_one_block_then_gone(fresh_manager):
    import memory_plugin

    with registered(memory_plugin, "memory"):
        assert "memory" in plugins.target_types()
        with registered(memory_plugin, "memory"):
            pass
        assert "memory" in plugins.target_types()
    assert "memory" not in plugins.target_types()


def test_registered_stands_in_for_the_plugin_holding_its_name(fresh_manager):
    import careersync_todoist
    import memory_plugin

    with registered(memory_plugin, "todoist"):
        types = plugins.target_types()
        assert "memory" in types and "todoist" not in types
    assert plugins.get_plugin_manager().get_plugin("todoist") is careersync_todoist
    assert "memory" not in plugins.target_types()


def test_importing_careersync_and_its_api_never_imports_pytest():
    code = (
        "import sys, careersync, careersync.api, careersync.cli, careersync.files; "
        "print(sorted(m for m in ('pytest', 'careersync.testing') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
