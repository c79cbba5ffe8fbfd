"""The conformance suite against the in-memory reference target and the .ics target."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from ical_marks import done_keys, unmark
from icalendar import Calendar, Event

from careersync.errors import TargetError
from careersync.testing import Harness, TargetConformance


def memory_harness(svc, **target) -> Harness:
    def items():
        out: dict[str, list[str]] = {}
        for r in svc.records.values():
            if r.uid:
                out.setdefault(r.uid, []).append(r.title)
        return out

    def carrier(key):
        return (svc.carrying(key) or svc.carrying(key.split("@")[0]))[0]

    def complete(key):
        svc.records[carrier(key)].done[key] = None

    def uncomplete(key):
        svc.records[carrier(key)].done.pop(key)

    def shown():
        return {k for r in svc.records.values() for k in r.done}

    @contextlib.contextmanager
    def failing():
        svc.fail_writes = 3
        yield
        svc.fail_writes = 0

    return Harness(
        {"plugin": "memory", **target},
        items,
        lambda: svc.writes,
        complete,
        failing,
        horizon=target.get("horizon"),
        shown=shown,
        uncomplete=uncomplete,
    )


class TestMemoryTarget(TargetConformance):
    @pytest.fixture
    def harness(self, memory_registered) -> Harness:
        return memory_harness(memory_registered)


class TestMemoryPerOccurrence(TargetConformance):
    """A target that cannot express recurrence: one item per occurrence."""

    @pytest.fixture
    def harness(self, memory_registered) -> Harness:
        return memory_harness(memory_registered, horizon=90)


def ics_groups(path: Path) -> dict[str, list]:
    calendar = Calendar.from_ical(path.read_bytes())
    groups: dict[str, list] = {}
    for c in calendar.walk():
        if c.name in ("VEVENT", "VTODO"):
            groups.setdefault(str(c["uid"]), []).append(c)
    return groups


def mark_done_in_file(path: Path, key: str) -> None:
    """What a calendar app does when the person ticks an item or one occurrence."""
    calendar = Calendar.from_ical(path.read_bytes())
    uid, _, day = key.partition("@")
    for c in list(calendar.walk()):
        if c.name not in ("VEVENT", "VTODO") or str(c.get("X-CAREERSYNC-UID")) != uid:
            continue
        if not day:
            if c.name == "VTODO":
                c["STATUS"] = "COMPLETED"
            else:
                c["SUMMARY"] = "✓ " + str(c["SUMMARY"])
            break
        start = c["DTSTART"].dt
        when = dt.date.fromisoformat(day)
        override = Event()
        override.add("uid", str(c["uid"]))
        override.add("dtstamp", dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
        if isinstance(start, dt.datetime):
            moved = dt.datetime.combine(when, start.timetz().replace(tzinfo=None), start.tzinfo)
            override.add("recurrence-id", moved)
            override.add("dtstart", moved)
        else:
            override.add("recurrence-id", when)
            override.add("dtstart", when)
        override.add("summary", "[x] " + str(c["SUMMARY"]))
        calendar.add_component(override)
        break
    path.write_bytes(calendar.to_ical())


def unmark_in_file(path: Path, key: str) -> None:
    calendar = Calendar.from_ical(path.read_bytes())
    unmark(calendar, key)
    path.write_bytes(calendar.to_ical())


class TestIcsTarget(TargetConformance):
    @pytest.fixture
    def harness(self, isolated, monkeypatch) -> Harness:
        path = isolated / "career.ics"

        def items():
            if not path.exists():
                return {}
            out: dict[str, list[str]] = {}
            for group in ics_groups(path).values():
                master = next(c for c in group if c.get("recurrence-id") is None)
                out.setdefault(str(master["X-CAREERSYNC-UID"]), []).append(str(master["summary"]))
            return out

        def snapshot():
            return (path.read_bytes(), path.stat().st_mtime_ns) if path.exists() else None

        @contextlib.contextmanager
        def failing():
            from careersync_ics.calendar_file import CalendarFile

            def refuse(self, data):
                raise TargetError(f"{self.path}: cannot be written (simulated)")

            with monkeypatch.context() as m:
                m.setattr(CalendarFile, "_write", refuse)
                yield

        return Harness(
            {"plugin": "ics", "path": "career.ics"},
            items,
            snapshot,
            lambda key: mark_done_in_file(path, key),
            failing,
            shown=lambda: done_keys([Calendar.from_ical(path.read_bytes())]),
            uncomplete=lambda key: unmark_in_file(path, key),
        )
