"""careersync's plugin test kit: the conformance suite and the fixtures it runs on.

A plugin enables it with one line in its top-level ``conftest.py``::

    pytest_plugins = ["careersync.testing"]

(or ``-p careersync.testing`` in pytest's ``addopts``). It is not a ``pytest11`` entry point
on purpose: its autouse fixtures change the environment of every test, which only a test suite
that asks for them should get. It needs pytest (careersync's ``test`` extra); ``import
careersync`` never imports it.

Fixtures (``isolated``, ``memory_keyring`` apply to every test):

- ``isolated``: the test's own working folder (the current directory), careersync home,
  XDG config and data folders, ``NO_COLOR=1``; returns the working folder.
- ``memory_keyring``: an in-memory keyring backend, so no keyring daemon is needed.
- ``careersync_home``: the test's ``$CAREERSYNC_HOME``.
- ``write``: ``write(name, text)`` writes a dedented file in the working folder.
- ``run`` / ``run_json``: the CLI through click's runner, as the person's shell sees it.
- ``target_contexts``: the :class:`~careersync.target.TargetContext` of every target built.

Then subclass :class:`TargetConformance` with a ``harness`` fixture returning a
:class:`Harness` (docs/plugins.md has a complete example).
"""

import pytest

pytest.register_assert_rewrite("careersync.testing.conformance")

from careersync.testing.conformance import PLAN, Harness, TargetConformance  # noqa: E402
from careersync.testing.fixtures import (  # noqa: E402
    MemoryKeyring,
    careersync_home,
    isolated,
    memory_keyring,
    run,
    run_json,
    target_contexts,
    write,
)

__all__ = [
    "PLAN",
    "Harness",
    "MemoryKeyring",
    "TargetConformance",
    "careersync_home",
    "isolated",
    "memory_keyring",
    "run",
    "run_json",
    "target_contexts",
    "write",
]
