"""The target contract: what a plugin implements so the sync engine can reach a service.

A target only talks to its service. The engine owns diffing, state, dry-run, deletes, locking and
the retry policy: a target runs each request through ``context.retry`` and signals a retryable
failure by raising ``TransientError`` (``safe=False`` when the write may have been applied). Any
other failure raises ``TargetError`` (``ItemError`` for an item the service cannot take,
``AuthError`` for credentials) with a message the user can act on: a failed write skips that
item and the others go on; a failed read, or refused credentials, stop the target.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from careersync.errors import ConfigError, did_you_mean
from careersync.grammar import quote
from careersync.retry import Retrier
from careersync.schedule import Item

REQUIRED = object()


@dataclass(frozen=True)
class Option:
    """One config option: its type(s), default (``REQUIRED`` for none) and a line of help."""

    name: str
    types: type | tuple[type, ...]
    default: Any = REQUIRED
    help: str = ""
    #: False for options that change how the target is reached (a timeout, a server), not
    #: what it shows: changing them rewrites nothing.
    renders: bool = True


@dataclass(frozen=True)
class Entry:
    """What the engine wants on the target for one item.

    ``done`` maps completion keys (the uid for a one-off, ``uid@YYYY-MM-DD`` for an occurrence)
    to their dates; ``hash`` identifies the content, so a target may store it and the engine can
    tell an unchanged remote item after the state was lost.
    """

    item: Item
    done: dict[str, dt.date]
    hash: str

    @property
    def uid(self) -> str:
        return self.item.uid


@dataclass(frozen=True)
class Remote:
    """An item found on the target that carries a careersync uid.

    ``done`` maps each completion key the target shows as done to its date, or None when the
    target does not say when (the engine then uses the day it was seen).
    """

    uid: str
    remote_id: str
    done: dict[str, dt.date | None] = field(default_factory=dict)
    hash: str | None = None
    #: True when ``done`` lists only the completions the target has seen (e.g. a recurring
    #: Todoist task): a key missing from it then says nothing, and clears no completion.
    partial: bool = False
    #: when the service made it (ISO 8601, UTC), if it says: of duplicates the oldest is kept
    created: str | None = None


@dataclass(frozen=True)
class Op:
    """A write the engine asks for: ``create`` (entry), ``update`` or ``delete`` (remote_id)."""

    action: str
    uid: str
    entry: Entry | None = None
    remote_id: str | None = None


def expand_occurrences(items: Iterable[Item], today: dt.date, horizon: int) -> list[Item]:
    """What a target whose :meth:`Target.occurrence_horizon` is ``horizon`` is sent: recurring
    items as one one-off item per occurrence (uid ``<uid>@<date>``), up to ``today + horizon``
    days (earlier occurrences stay: they hold the history of what was done)."""
    last = today + dt.timedelta(days=horizon)
    out: list[Item] = []
    for item in items:
        if not item.recurring:
            out.append(item)
            continue
        for day in item.dates:
            if day > last:
                break
            out.append(
                replace(
                    item,
                    uid=f"{item.uid}@{day.isoformat()}",
                    date=day,
                    rule=None,
                    until=None,
                    dates=(),
                    recurrence_label=None,
                )
            )
    return out


@dataclass(frozen=True)
class TargetContext:
    """What a target may know of its surroundings."""

    name: str
    base_dir: Path
    timezone: str
    today: dt.date
    secret: Callable[[], str | None] = lambda: None
    #: the plan's start: nothing of this plan was done long before it (None: not known)
    start: dt.date | None = None
    #: a folder the target may keep a cache in (never needed for correctness); None: no cache
    cache_dir: Path | None = None
    #: True on ``sync --dry-run``: read, but change nothing (not even a schema)
    dry_run: bool = False
    #: asks the person a yes/no question (``--yes`` answers yes; no terminal answers no)
    confirm: Callable[[str], bool] = lambda question: False
    #: runs one request with the retry policy: ``context.retry(call, safe=...)`` repeats it on
    #: a ``TransientError`` (see careersync.retry); wrap every request to the service in it
    retry: Retrier = field(default_factory=Retrier)
    #: what the target asked to tell the person (see :meth:`warn`)
    notes: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """Tell the person something about this target at the end of the sync (not an
        error: e.g. a mark it cannot read)."""
        if message not in self.notes:
            self.notes.append(message)


class TargetCache:
    """A JSON cache a target may keep beside the state, to spare requests. Never needed for
    correctness: a lost cache costs reads, not data. ``where`` names what it describes (server,
    account, project...); a cache written for something else reads as empty."""

    def __init__(self, context: TargetContext, where: str) -> None:
        self.path = context.cache_dir / f"{context.name}.json" if context.cache_dir else None
        self.where = where

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text()) if self.path else {}
        except (OSError, ValueError):
            return {}
        ok = isinstance(data, dict) and data.get("where") == self.where
        return data.get("data", {}) if ok else {}

    def save(self, data: dict[str, Any]) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"where": self.where, "data": data}, default=str))
        tmp.replace(self.path)


class Target:
    """Base class for target plugins. Subclasses set ``plugin`` and ``options``."""

    plugin: ClassVar[str]
    description: ClassVar[str] = ""
    options: ClassVar[tuple[Option, ...]] = ()
    #: True when writes only take effect on :meth:`commit` (a file written once per sync).
    batched: ClassVar[bool] = False
    #: True when :meth:`pull` reports every done mark careersync writes, so the engine rewrites
    #: an item whose marks differ from the state (a person removed one that only undo clears).
    shows_done: ClassVar[bool] = True
    #: False when the target cannot show one occurrence of a recurring item as done (a
    #: recurring Todoist task): occurrence completions then neither change the content hash
    #: nor count as marks to write.
    shows_occurrences_done: ClassVar[bool] = True
    #: How many writes the engine may run at once (a small bounded pool); 1: one at a time.
    max_workers: ClassVar[int] = 1
    #: The top-level modules the target imports (its SDK), and the command that installs
    #: them: `careersync plugins` and `check` name a missing one before a sync fails on it.
    requires: ClassVar[tuple[str, ...]] = ()
    install: ClassVar[str] = ""

    def __init__(self, config: dict[str, Any], context: TargetContext) -> None:
        self.config = config
        self.context = context

    @classmethod
    def validate(cls, target_name: str, options: dict[str, Any]) -> dict[str, Any]:
        """Options with defaults filled in; unknown, missing or mistyped ones are errors."""
        valid = {o.name: o for o in cls.options}
        listing = ", ".join(valid) or "none"
        problems = []
        for key in options:
            if key not in valid:
                problems.append(
                    f"targets.{target_name}.{key}: unknown option for plugin {quote(cls.plugin)}"
                    f"{did_you_mean(key, valid)}; valid options: {listing}, include"
                )
        out = {}
        for name, option in valid.items():
            if name in options:
                value = options[name]
                if not isinstance(value, option.types) or (
                    isinstance(value, bool) and option.types in (int, float, (int, float))
                ):
                    problems.append(
                        f"targets.{target_name}.{name}: {quote(value)} has the wrong type "
                        f"({option.help or 'see `careersync config example`'})"
                    )
                out[name] = value
            elif option.default is REQUIRED:
                problems.append(
                    f"targets.{target_name}.{name}: is required for plugin {quote(cls.plugin)} "
                    f"({option.help})"
                )
            else:
                out[name] = option.default
        if not problems:
            problems = [f"targets.{target_name}.{p}" for p in cls.check(out)]
        if problems:
            raise ConfigError(f"target {quote(target_name)} is misconfigured", details=problems)
        return out

    @classmethod
    def check(cls, options: dict[str, Any]) -> list[str]:
        """Problems with option values beyond their types, each "<option>: <problem>"."""
        return []

    @classmethod
    def missing(cls) -> list[str]:
        """The modules of :attr:`requires` that cannot be imported (looked up, not imported,
        so checking stays fast)."""
        import importlib.util
        import sys

        def installed(module: str) -> bool:
            if module in sys.modules:
                return sys.modules[module] is not None
            return importlib.util.find_spec(module) is not None

        return [m for m in cls.requires if not installed(m)]

    @classmethod
    def rendering(cls, options: dict[str, Any]) -> dict[str, Any]:
        """The options that change what the target shows (part of every item's content hash)."""
        return {o.name: options.get(o.name) for o in cls.options if o.renders}

    def occurrence_horizon(self) -> int | None:
        """Days ahead for which a recurring item is sent as one item per occurrence
        (uid ``<uid>@<date>``, every occurrence up to today plus the horizon); None: one
        item with its rule."""
        return None

    def same(self, remote: Remote, entry: Entry) -> bool:
        """Whether an item found without a content hash already shows ``entry`` (so adopting
        it needs no write). Targets that cannot store the hash override this."""
        return False

    # reading -----------------------------------------------------------------------------

    def pull(self) -> list[Remote]:
        """Every item on the target that carries a careersync uid, with what is done there."""
        raise NotImplementedError

    def find(self, uid: str) -> list[Remote]:
        """Items on the target carrying ``uid``, read afresh: the engine asks after a write whose
        outcome is unknown, and repeats the write only if it did not take effect. Default:
        filter :meth:`pull` (a target with a cheaper lookup overrides it)."""
        return [r for r in self.pull() if r.uid == uid]

    # writing -----------------------------------------------------------------------------

    def push(self, op: Op) -> str | None:
        """Apply one write; return the remote id (create/update) or None (delete)."""
        if op.action == "create":
            assert op.entry is not None
            return self.create(op.entry)
        if op.action == "update":
            assert op.entry is not None and op.remote_id is not None
            return self.update(op.remote_id, op.entry)
        assert op.remote_id is not None
        self.delete(op.remote_id)
        return None

    def create(self, entry: Entry) -> str:
        raise NotImplementedError

    def update(self, remote_id: str, entry: Entry) -> str:
        raise NotImplementedError

    def delete(self, remote_id: str) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        """Called after a sync's writes (not on dry-run): batched targets make them take effect
        here (the ics target writes its file); others may save a cache."""

    def authenticate(self, prompt: Callable[[str], str]) -> str | None:
        """Obtain a credential interactively and return it for the keyring; None: none needed."""
        return None
