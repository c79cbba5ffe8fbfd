"""Every test runs in its own directory with its own state, config search path and keyring."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import careersync.retry
from careersync.cli import cli


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("CAREERSYNC_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("CAREERSYNC_CONFIG", raising=False)
    monkeypatch.delenv("CAREERSYNC_DEBUG", raising=False)
    monkeypatch.delenv("CAREERSYNC_LOAD_PLUGINS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(careersync.retry, "pause", lambda seconds: None)
    return work


def plan_state(work: Path, plan: str = "career.toml") -> Path:
    """The state folder of the plan at ``work/plan`` (one state per plan, under CAREERSYNC_HOME)."""
    from careersync.plan import load
    from careersync.plan_home import PlanHome

    return PlanHome.locate(work.parent / "state", load(work / plan), work / plan).directory


@pytest.fixture
def write(isolated: Path) -> Callable[..., Path]:
    """write("career.toml", text) -> path, dedenting the text."""

    def _write(name: str, text: str) -> Path:
        path = isolated / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def run() -> Callable[..., Result]:
    """run("check", "--json") -> click Result, as the user's shell would see it."""

    def _run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return _run


@pytest.fixture
def run_json(run):
    def _run_json(*args: str):
        result = run(*args, "--json")
        return result, json.loads(result.stdout)

    return _run_json


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


class MemoryKeyring:
    """An in-memory keyring backend: tests never need a keyring daemon."""

    priority = 1

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    import keyring
    from keyring.backend import KeyringBackend

    class Backend(MemoryKeyring, KeyringBackend):
        pass

    backend = Backend()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    return backend


@pytest.fixture
def memory_registered():
    """The in-memory reference target, registered as a plugin for one test."""
    import memory_plugin

    from careersync.plugins import get_plugin_manager

    manager = get_plugin_manager()
    manager.register(memory_plugin, "memory")
    memory_plugin.SERVICES.clear()
    yield memory_plugin.service()
    manager.unregister(name="memory")
