"""What one target needs written: the plan's entries against what the target holds.

Pure: the caller passes the state's mappings and the target's items, and gets the writes back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from careersync.state import Mapping
from careersync.target import Entry, Op, Remote
from careersync.writes import keep_first


@dataclass
class Changes:
    """The writes one target needs, and the counts they will produce."""

    ops: list[Op] = field(default_factory=list)
    adopt: list[Mapping] = field(default_factory=list)
    forget: list[str] = field(default_factory=list)
    unchanged: int = 0
    recreated: list[str] = field(default_factory=list)
    #: remote ids of extra copies of an item (deleted, but not counted by the delete guard)
    duplicates: set[str] = field(default_factory=set)

    @property
    def deletes(self) -> list[Op]:
        """Deletes of items the plan no longer has (what the delete guard weighs)."""
        return [
            op for op in self.ops if op.action == "delete" and op.remote_id not in self.duplicates
        ]


@dataclass(frozen=True)
class Rules:
    """How a target shows things, as far as diffing cares (see :class:`Target`)."""

    shows_done: bool = True
    occurrences_shown: bool = True
    same: Callable[[Remote, Entry], bool] = lambda remote, entry: False

    def marks(self, keys: Iterable[str]) -> set[str]:
        return set(keys) if self.occurrences_shown else {k for k in keys if "@" not in k}


def diff(
    mappings: dict[str, Mapping],
    entries: list[Entry],
    remotes: list[Remote],
    rules: Rules | None = None,
) -> Changes:
    """The writes that make the target match ``entries``.

    An item is rewritten when its content hash changed, or when the target shows other done
    marks than the state holds (a mark the person removed that only ``undo`` may clear). Of
    several copies of one item, one is kept (:func:`keep_first`) and the others deleted.
    """
    rules = rules or Rules()
    by_uid: dict[str, list[Remote]] = defaultdict(list)
    for remote in remotes:
        by_uid[remote.uid].append(remote)
    changes = Changes()
    wanted = set()
    for entry in entries:
        wanted.add(entry.uid)
        found = by_uid.get(entry.uid, [])
        chosen = keep_first(found) if found else None
        for extra in found:
            if extra is not chosen:
                changes.ops.append(Op("delete", entry.uid, remote_id=extra.remote_id))
                changes.duplicates.add(extra.remote_id)
        _compare(changes, entry, mappings.get(entry.uid), chosen, rules)
    for uid, remotes_for_uid in by_uid.items():
        if uid not in wanted:
            for remote in remotes_for_uid:
                changes.ops.append(Op("delete", uid, remote_id=remote.remote_id))
    changes.forget = [uid for uid in mappings if uid not in wanted and uid not in by_uid]
    return changes


def _compare(
    changes: Changes, entry: Entry, mapped: Mapping | None, chosen: Remote | None, rules: Rules
) -> None:
    """Add what one entry needs: a create, an update, an adoption, or nothing."""
    if chosen is None:
        if mapped is not None and mapped.remote_id:
            changes.recreated.append(entry.uid)
        changes.ops.append(Op("create", entry.uid, entry=entry))
        return
    same_remote = mapped is not None and mapped.remote_id == chosen.remote_id
    current = chosen.hash
    if current is None and same_remote and mapped is not None:
        current = mapped.hash
    if mapped is not None and mapped.hash is None:
        current = None
    elif current is None and not same_remote and rules.same(chosen, entry):
        current = entry.hash  # found without a hash, but already showing the entry
    other_marks = (
        rules.shows_done
        and bool(chosen.done or entry.done)  # most items have none: no sets to build
        and rules.marks(chosen.done) != rules.marks(entry.done)
    )
    if current != entry.hash or other_marks:
        changes.ops.append(Op("update", entry.uid, entry=entry, remote_id=chosen.remote_id))
        return
    changes.unchanged += 1
    if not same_remote or mapped is None or mapped.hash != entry.hash:
        changes.adopt.append(
            Mapping(entry.uid, chosen.remote_id, entry.hash, frozenset(entry.done))
        )
