"""Fixtures that give every test its own careersync: a working folder, state, config search
path, keyring and colour-free output, and the CLI as the person's shell would run it."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from careersync.target import Target, TargetContext


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's working folder (the current directory): ``<tmp>/work``. The careersync home
    is ``<tmp>/state`` and the XDG config and data folders are under ``<tmp>`` too, so nothing
    of the person running the tests is read or written."""
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
    import careersync.retry

    monkeypatch.setattr(careersync.retry, "pause", lambda seconds: None)  # retries don't wait
    return work


@pytest.fixture
def careersync_home(isolated: Path) -> Path:
    """The test's careersync home (``$CAREERSYNC_HOME``): every plan's state lives under it."""
    return isolated.parent / "state"


@pytest.fixture
def write(isolated: Path) -> Callable[[str, str], Path]:
    """write("career.toml", text) -> path: a file in the working folder, text dedented."""

    def _write(name: str, text: str) -> Path:
        path = isolated / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def run() -> Callable[..., Result]:
    """run("check", "--json") -> click Result, as the person's shell would see it."""
    from careersync.cli import cli

    def _run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return _run


@pytest.fixture
def run_json(run: Callable[..., Result]) -> Callable[..., tuple[Result, Any]]:
    """run_json("status") -> (result, parsed JSON): the command run with ``--json``."""

    def _run_json(*args: str) -> tuple[Result, Any]:
        result = run(*args, "--json")
        return result, json.loads(result.stdout)

    return _run_json


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
    """The keyring every test uses: empty, in memory (``.store`` holds what was saved)."""
    import keyring
    from keyring.backend import KeyringBackend

    class Backend(MemoryKeyring, KeyringBackend):
        pass

    backend = Backend()
    # set without asking keyring to find its default backend first (that may probe D-Bus)
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    return backend


@pytest.fixture
def target_contexts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[TargetContext]]:
    """Every :class:`TargetContext` careersync gives a target during the test, in order: what
    the target was told (its name, folder, the plan's timezone, the day it synced on)."""
    seen: list[TargetContext] = []
    init = Target.__init__

    def recording(self: Target, config: dict[str, Any], context: TargetContext) -> None:
        seen.append(context)
        init(self, config, context)

    monkeypatch.setattr(Target, "__init__", recording)
    yield seen
