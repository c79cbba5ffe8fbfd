"""An in-memory target: the reference implementation the conformance suite and the sync state
machine run against. It behaves like a small service: ids it makes up, items that carry uids,
a person who completes, un-completes and deletes things, and writes that can fail."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from careersync import hookimpl
from careersync.errors import TargetError, TransientError
from careersync.target import Entry, Option, Remote, Target


@dataclass
class Record:
    uid: str | None
    title: str
    date: dt.date | None = None
    done: dict[str, dt.date | None] = field(default_factory=dict)
    hash: str | None = None


@dataclass
class Service:
    records: dict[str, Record] = field(default_factory=dict)
    writes: int = 0
    reads: int = 0
    fail_writes: int = 0
    transient_failures: int = 0
    #: uids whose next write fails, whatever order parallel writes arrive in
    fail_uids: set[str] = field(default_factory=set)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def carrying(self, uid: str) -> list[str]:
        return [rid for rid, r in self.records.items() if r.uid == uid]

    def _write(self, uid: str | None = None) -> None:
        if uid in self.fail_uids:
            self.fail_uids.discard(uid)
            raise TargetError(f"the service refused the write of {uid} (simulated)")
        if self.transient_failures:
            self.transient_failures -= 1
            raise TransientError("503 Service Unavailable", retry_after=0.0, safe=True)
        if self.fail_writes:
            self.fail_writes -= 1
            raise TargetError("the service refused the write (simulated)")
        self.writes += 1


SERVICES: dict[str, Service] = {}


def service(name: str = "default") -> Service:
    return SERVICES.setdefault(name, Service())


class MemoryTarget(Target):
    plugin = "memory"
    description = "An in-memory service, for tests"
    options = (
        Option("store", str, "default", "which in-memory service to use", renders=False),
        Option("workers", int, 1, "how many writes the engine may run at once", renders=False),
        Option("horizon", int, 0, "days ahead to send occurrences one by one; 0: rules"),
    )

    def __init__(self, config, context) -> None:
        super().__init__(config, context)
        self.max_workers = config.get("workers", 1)

    def occurrence_horizon(self) -> int | None:
        return self.config.get("horizon") or None

    @property
    def service(self) -> Service:
        return service(self.config["store"])

    def pull(self) -> list[Remote]:
        self.service.reads += 1
        return [
            Remote(r.uid, rid, dict(r.done), r.hash)
            for rid, r in self.service.records.items()
            if r.uid is not None
        ]

    def create(self, entry: Entry) -> str:
        self.service._write(entry.uid)
        rid = f"m{next(self.service.ids)}"
        self.service.records[rid] = self._record(entry)
        return rid

    def update(self, remote_id: str, entry: Entry) -> str:
        self.service._write(entry.uid)
        if remote_id not in self.service.records:
            raise TargetError(f"404: {remote_id} not found")
        self.service.records[remote_id] = self._record(entry)
        return remote_id

    def delete(self, remote_id: str) -> None:
        record = self.service.records.get(remote_id)
        self.service._write(record.uid if record else None)
        self.service.records.pop(remote_id, None)

    @staticmethod
    def _record(entry: Entry) -> Record:
        return Record(
            entry.uid, entry.item.title, entry.item.date, dict(entry.done.items()), entry.hash
        )


@hookimpl
def register_targets(register):
    register(MemoryTarget)
