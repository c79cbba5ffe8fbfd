"""Where one plan's state lives: one folder per plan under the careersync home (SPEC section 2).

A plan is known by ``[plan] id`` when it has one, else by its resolved path, so two plans never
share mappings or completions, and a plan with an id can move. The single state database of
earlier versions (``<home>/state.sqlite``) is handed to the first plan whose items it knows, so
no completion is lost by upgrading.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from careersync.errors import StateError
from careersync.model import Plan
from careersync.state import FILE_NAME, State, sync_lock

PLANS_DIR = "plans"

# CPython's built-in SHA-256, which hashlib offers too but only after loading OpenSSL: about
# 3 ms of every command's start-up, for one digest of a short path
try:
    from _sha256 import sha256  # Python 3.11
except ImportError:  # its name on Python 3.12 and later
    try:
        from _sha2 import sha256
    except ImportError:  # a build without it
        from hashlib import sha256


def path_digest(resolved: Path) -> str:
    """A short digest of a plan's resolved path: what names its folder when it has no id."""
    return sha256(str(resolved).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class PlanHome:
    """The state folder of one plan, and how to open it."""

    home: Path
    key: str
    directory: Path
    #: the plan's uids, which tell whether a state of the earlier layout is this plan's
    uids: frozenset[str] = frozenset()
    #: where the plan's state was kept before it had an id (its path-keyed folder)
    before_id: Path | None = None

    @classmethod
    def locate(cls, home: Path, plan: Plan, plan_path: Path) -> PlanHome:
        resolved = plan_path.resolve()
        digest = path_digest(resolved)
        slug = re.sub(r"[^a-z0-9_-]+", "-", resolved.stem.lower()).strip("-") or "plan"
        by_path = home / PLANS_DIR / f"path-{slug}-{digest}"
        uids = frozenset(plan.uids())
        if plan.id:
            return cls(home, f"id:{plan.id}", home / PLANS_DIR / f"id-{plan.id}", uids, by_path)
        return cls(home, f"path:{resolved}", by_path, uids)

    @classmethod
    def of(cls, plan_path: str | os.PathLike[str], home: Path | None = None) -> PlanHome:
        """The state folder of the plan file at ``plan_path``, under ``home`` (default: the
        careersync home, ``$CAREERSYNC_HOME`` else the user data dir), as ``sync`` uses it."""
        from careersync.config import state_dir
        from careersync.plan import load

        path = Path(plan_path)
        return cls.locate(home if home is not None else state_dir(), load(path), path)

    @property
    def state_file(self) -> Path:
        """The plan's SQLite state (mappings and completions)."""
        return self.directory / FILE_NAME

    @property
    def cache_dir(self) -> Path:
        return self.directory / "cache"

    def open(self, *, create: bool = True) -> State:
        """The plan's state; with ``create=False`` nothing is written (a missing state opens
        empty, an earlier one is read where it is)."""
        self._check_home()
        if not (self.directory / FILE_NAME).exists():
            earlier = self._earlier_state()
            if earlier is not None:
                if not create:
                    return State(earlier.parent, create=False)
                self._adopt(earlier)
        return State(self.directory, create=create)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self._check_home()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateError(
                f"{self.directory}: cannot create the state ({exc.strerror})"
            ) from None
        with sync_lock(self.directory):
            yield

    def _check_home(self) -> None:
        for folder in (self.home, self.home / PLANS_DIR):
            if folder.exists() and not folder.is_dir():
                raise StateError(
                    f"{folder}: is a file, not a folder; point CAREERSYNC_HOME at a folder "
                    "(careersync keeps one state per plan under it)"
                )

    def _earlier_state(self) -> Path | None:
        """A state file this plan used before: its path-keyed one, or the old single one."""
        if self.before_id is not None and (self.before_id / FILE_NAME).exists():
            return self.before_id / FILE_NAME
        legacy = self.home / FILE_NAME
        if legacy.is_file() and _knows(legacy, self.uids):
            return legacy
        return None

    def _adopt(self, earlier: Path) -> None:
        """Move an earlier state into this plan's folder (checkpointed, so nothing is left in
        its write-ahead log)."""
        try:
            db = sqlite3.connect(earlier)
            try:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                db.close()
            self.directory.mkdir(parents=True, exist_ok=True)
            os.replace(earlier, self.directory / FILE_NAME)
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(f"{earlier}{suffix}")
        except FileNotFoundError:
            return  # another process moved it first: it is there now
        except sqlite3.DatabaseError as exc:
            raise StateError(f"{earlier}: the state file cannot be used ({exc})") from None
        except OSError as exc:
            raise StateError(
                f"{self.directory}: cannot move the state here ({exc.strerror})"
            ) from None


def _knows(path: Path, uids: frozenset[str]) -> bool:
    """Whether a state of the single-database layout holds any of this plan's uids."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        keys = [row[0] for row in db.execute("SELECT key FROM completions")]
        keys += [row[0] for row in db.execute("SELECT uid FROM mappings")]
    except sqlite3.DatabaseError:
        return False
    finally:
        db.close()
    return any(key.split("@", 1)[0] in uids for key in keys)
