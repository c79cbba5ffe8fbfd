"""A parsed plan and its items kept between runs: a command on a plan file that has not changed
skips reading the TOML, validating and scheduling, most of a no-op sync of a large plan.

An entry is used only for the same bytes under the same label, read by the same careersync
code (see :func:`_code_stamp`), so an edit or an upgrade parses again. It
lives under the careersync home, ``cache/plans/``, one pickle per plan path: the home is the
user's own, as writable as the state it holds. A missing, damaged or stale entry is ignored, and
a failure to write one is too: the cache is never needed for correctness.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import careersync
from careersync.model import Plan
from careersync.plan_home import path_digest

if TYPE_CHECKING:
    from careersync.schedule import Item

#: bump when what is pickled changes shape in a way the code stamp would not show
FORMAT = 1
#: an entry holds the plan's text, so like the state it is readable by its owner alone
MODE = 0o600


class PlanCache:
    """Loads one plan file, and its items, through the cache under ``home``."""

    def __init__(self, home: Path, plan_path: Path, label: str) -> None:
        self.plan_path = plan_path
        self.label = label
        self.file = home / "cache" / "plans" / f"{path_digest(plan_path.resolve())}.pickle"
        self._raw = b""
        self._plan: Plan | None = None
        self._items: list[Item] | None = None

    def plan(self) -> Plan:
        """The plan, from the cache when its file is unchanged, else parsed (errors as
        :func:`careersync.plan.load` raises them)."""
        from careersync.errors import PlanError
        from careersync.plan import MISSING_HINT
        from careersync.tomlfile import read_bytes

        raw = read_bytes(self.plan_path, self.label, PlanError, MISSING_HINT)
        self._raw = raw
        cached = self._read()
        if cached is not None:
            self._plan, self._items = cached
            return self._plan
        from careersync.plan import parse_bytes

        self._plan = parse_bytes(raw, self.label)
        return self._plan

    def items(self, plan: Plan, *, keep: bool = False) -> list[Item]:
        """``schedule.items(plan)``: cached with the plan this cache loaded, else computed,
        and with ``keep`` written to the cache for the next run."""
        from careersync.schedule import items

        if plan is not self._plan:
            return items(plan)
        if self._items is None:
            self._items = items(plan)
            if keep:
                self._write()
        return self._items

    @functools.cached_property
    def _key(self) -> tuple:
        """What an entry must have been written for (worked out once, when an entry is found
        or written: after :meth:`plan` read the file)."""
        return (FORMAT, _code_stamp(), self.label, self._raw)

    def _read(self) -> tuple[Plan, list[Item]] | None:
        try:
            with self.file.open("rb") as handle:
                import pickle  # here: a plan with no entry yet (a first run) never loads it

                key, plan, items = pickle.load(handle)
        except Exception:  # missing, damaged, or written by other code: parse instead
            return None
        if key != self._key or not isinstance(plan, Plan):
            return None
        return plan, items

    def _write(self) -> None:
        """Written whole then renamed into place, unsynced: a torn entry is ignored anyway."""
        import pickle

        data = pickle.dumps((self._key, self._plan, self._items), pickle.HIGHEST_PROTOCOL)
        partial = self.file.with_name(f".{self.file.name}.{os.getpid()}")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
            with os.fdopen(os.open(partial, flags, MODE), "wb") as handle:
                handle.write(data)
            os.replace(partial, self.file)
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink()


def _code_stamp() -> tuple:
    """careersync's version and its modules' sizes and modification times, Python's version and
    dateutil's (whose rules expand the series): a plan parsed by other code (an upgrade, a
    checkout of another branch) is parsed again."""
    import dateutil

    folder = os.path.dirname(careersync.__file__)
    with os.scandir(folder) as entries:
        stamps = sorted(
            (e.name, e.stat().st_size, e.stat().st_mtime_ns)
            for e in entries
            if e.name.endswith(".py")
        )
    versions = (careersync.__version__, sys.version_info[:2], dateutil.__version__)
    return (versions, tuple(stamps))
