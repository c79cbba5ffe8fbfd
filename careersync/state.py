"""The SQLite state: uid <-> remote id per target, pushed hashes and done marks, completions.

Every write is its own transaction, so a crash between two remote writes loses nothing that
was recorded. A lock file keeps two syncs from running at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from careersync.errors import StateError

FILE_NAME = "state.sqlite"
LOCK_NAME = "sync.lock"
MIGRATIONS = (
    """
    CREATE TABLE mappings (
        target TEXT NOT NULL,
        uid TEXT NOT NULL,
        remote_id TEXT NOT NULL,
        hash TEXT,
        done_marks TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (target, uid)
    );
    CREATE TABLE completions (
        key TEXT PRIMARY KEY,
        done_on TEXT NOT NULL,
        source TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    """,
)


@dataclass(frozen=True)
class Mapping:
    """What careersync last wrote for one item on one target.

    ``hash`` is None when the next sync must rewrite the item (after ``undo``); ``done_marks``
    are the completion keys careersync itself marked done there, never pulled back as new.
    """

    uid: str
    remote_id: str
    hash: str | None
    done_marks: frozenset[str]


@dataclass(frozen=True)
class Completion:
    """An item or occurrence done on ``done_on``, as ``source`` (a target, or "manual") said."""

    key: str
    done_on: dt.date
    source: str


class State:
    """The state store. With ``create=False`` a missing store opens as an empty in-memory one,
    so read-only commands (``status``, ``sync --dry-run``) leave nothing behind."""

    def __init__(self, directory: Path, *, create: bool = True) -> None:
        self.directory = directory
        self.path = directory / FILE_NAME
        if not create and not self.path.exists():
            self.db = sqlite3.connect(":memory:", isolation_level=None)
            self._migrate()
            return
        try:
            directory.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(self.path, 0o600)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StateError(f"{self.path}: the state file cannot be used ({exc})") from None
        except OSError as exc:
            raise StateError(f"{directory}: cannot create the state ({exc.strerror})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StateError(
                f"{self.path}: made by a newer careersync (schema {version}); upgrade careersync"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # mappings ----------------------------------------------------------------------------

    def mappings(self, target: str) -> dict[str, Mapping]:
        rows = self.db.execute(
            "SELECT uid, remote_id, hash, done_marks FROM mappings WHERE target = ?", (target,)
        )
        return {uid: Mapping(uid, remote_id, h, _marks(marks)) for uid, remote_id, h, marks in rows}

    def put_mapping(self, target: str, mapping: Mapping) -> None:
        with self.transaction():
            self._put(target, [mapping])

    def put_mappings(self, target: str, mappings: list[Mapping], drop: list[str]) -> None:
        """Record a batch (a target whose writes took effect together) in one transaction."""
        with self.transaction():
            self._put(target, mappings)
            if drop:
                self.db.executemany(
                    "DELETE FROM mappings WHERE target = ? AND uid = ?",
                    [(target, uid) for uid in drop],
                )

    def _put(self, target: str, mappings: Iterable[Mapping]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO mappings (target, uid, remote_id, hash, done_marks) "
            "VALUES (?, ?, ?, ?, ?)",
            [(target, m.uid, m.remote_id, m.hash, _marks_text(m.done_marks)) for m in mappings],
        )

    def drop_mapping(self, target: str, uid: str) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM mappings WHERE target = ? AND uid = ?", (target, uid))

    # completions -------------------------------------------------------------------------

    def completions(self) -> dict[str, Completion]:
        rows = self.db.execute("SELECT key, done_on, source FROM completions")
        return {k: Completion(k, dt.date.fromisoformat(d), s) for k, d, s in rows}

    def add_completion(self, completion: Completion) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO completions (key, done_on, source, recorded_at) "
                "VALUES (?, ?, ?, ?)",
                (
                    completion.key,
                    completion.done_on.isoformat(),
                    completion.source,
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                ),
            )

    def clear_completion(self, key: str) -> None:
        """Forget a completion a target itself no longer shows (nothing to unmark there)."""
        with self.transaction():
            self.db.execute("DELETE FROM completions WHERE key = ?", (key,))

    def remove_completion(self, key: str, targets: Iterable[str] = ()) -> None:
        """Clear a completion (``undo``) and have each target drop its done mark next sync.

        The mark is recorded as careersync's own on every mapping of the item, and on a
        placeholder mapping (no remote id yet) for each of ``targets`` that has none, so the
        mark is removed, never pulled back, even after a crash or a lost state.
        """
        parent = key.split("@", 1)[0]
        with self.transaction():
            self.db.execute("DELETE FROM completions WHERE key = ?", (key,))
            rows = self.db.execute(
                "SELECT target, uid, done_marks FROM mappings WHERE uid IN (?, ?)", (parent, key)
            ).fetchall()
            mapped = {target for target, _, _ in rows}
            for target, uid, marks in rows:
                self.db.execute(
                    "UPDATE mappings SET hash = NULL, done_marks = ? WHERE target = ? AND uid = ?",
                    (_marks_text(_marks(marks) | {key}), target, uid),
                )
            for target in targets:
                if target not in mapped:
                    self._put(target, [Mapping(parent, "", None, frozenset([key]))])


def _marks_text(marks: frozenset[str]) -> str:
    """Done marks as stored: a sorted JSON list (most items have none: no JSON call, and
    ``status`` with nothing done never imports json)."""
    if not marks:
        return "[]"
    import json

    return json.dumps(sorted(marks))


def _marks(text: str) -> frozenset[str]:
    if text == "[]":
        return frozenset()
    import json

    return frozenset(json.loads(text))


@contextlib.contextmanager
def sync_lock(directory: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the sync lock; wait up to ``wait`` seconds (``CAREERSYNC_LOCK_WAIT``, default 10)."""
    import fcntl

    if wait is None:
        wait = float(os.environ.get("CAREERSYNC_LOCK_WAIT", "10"))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOCK_NAME
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StateError(
                        f"another careersync sync is running (lock: {path}); "
                        "try again when it has finished"
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
