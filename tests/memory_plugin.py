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
    created: str | None = None


class Crash(BaseException):
    """The process dies (power cut, kill -9) right after the service applied a write."""


#: what a fault does to one request: fail before applying it, or apply it and lose the answer
FAULTS = ("429", "500", "timeout", "lost", "crash")


@dataclass
class Service:
    records: dict[str, Record] = field(default_factory=dict)
    writes: int = 0
    reads: int = 0
    fail_writes: int = 0
    fail_reads: int = 0
    transient_failures: int = 0
    #: uids whose next write fails, whatever order parallel writes arrive in
    fail_uids: set[str] = field(default_factory=set)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    #: request number (1-based, reads and writes alike) -> one of FAULTS
    faults: dict[int, str] = field(default_factory=dict)
    requests: int = 0
    #: listing page size (a pull is several requests)
    page: int = 4
    clock: itertools.count = field(default_factory=lambda: itertools.count(1))

    def carrying(self, uid: str) -> list[str]:
        return [rid for rid, r in self.records.items() if r.uid == uid]

    def request(self, apply, *, write: bool):
        """One request: ``apply`` runs unless a fault stops it first; a lost answer or a crash
        comes after it took effect."""
        self.requests += 1
        fault = self.faults.pop(self.requests, None)
        if fault == "429":
            raise TransientError("429 Too Many Requests", retry_after=0.0, safe=True)
        if fault in ("500", "timeout"):
            raise TransientError(f"{fault} (simulated)", safe=not write)
        result = apply()
        if fault == "lost":
            raise TransientError("the answer was lost (simulated)", safe=not write)
        if fault == "crash":
            raise Crash()
        return result

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
        svc = self.service
        if svc.fail_reads:
            svc.fail_reads -= 1
            raise TargetError("the service refused the listing (simulated)")
        out: list[Remote] = []
        cursor = 0
        while True:
            page = self.context.retry(
                lambda c=cursor: svc.request(lambda: self._page(c), write=False)
            )
            out += page
            if len(page) < svc.page:
                return out
            cursor += svc.page

    def _page(self, cursor: int) -> list[Remote]:
        self.service.reads += 1
        carrying = [(rid, r) for rid, r in self.service.records.items() if r.uid is not None]
        return [self._remote(rid, r) for rid, r in carrying[cursor : cursor + self.service.page]]

    def find(self, uid: str) -> list[Remote]:
        svc = self.service
        return svc.request(
            lambda: [self._remote(rid, svc.records[rid]) for rid in svc.carrying(uid)],
            write=False,
        )

    @staticmethod
    def _remote(rid: str, r: Record) -> Remote:
        return Remote(r.uid or "", rid, dict(r.done), r.hash, created=r.created)

    def create(self, entry: Entry) -> str:
        def apply() -> str:
            self.service._write(entry.uid)
            rid = f"m{next(self.service.ids)}"
            self.service.records[rid] = self._record(entry)
            return rid

        return self.service.request(apply, write=True)

    def update(self, remote_id: str, entry: Entry) -> str:
        def apply() -> str:
            self.service._write(entry.uid)
            if remote_id not in self.service.records:
                raise TargetError(f"404: {remote_id} not found")
            created = self.service.records[remote_id].created
            self.service.records[remote_id] = self._record(entry, created)
            return remote_id

        return self.service.request(apply, write=True)

    def delete(self, remote_id: str) -> None:
        def apply() -> None:
            record = self.service.records.get(remote_id)
            self.service._write(record.uid if record else None)
            self.service.records.pop(remote_id, None)

        self.service.request(apply, write=True)

    def _record(self, entry: Entry, created: str | None = None) -> Record:
        return Record(
            entry.uid,
            entry.item.title,
            entry.item.date,
            dict(entry.done.items()),
            entry.hash,
            created or f"{next(self.service.clock):08d}",
        )


@hookimpl
def register_targets(register):
    register(MemoryTarget)
