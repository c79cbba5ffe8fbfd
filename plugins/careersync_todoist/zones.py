"""The time to write in a due string, for a Todoist account whose zone may not be the plan's.

A due string says "at 10:00" with no zone: Todoist reads it in the account's time zone
(Settings > General), and keeps each occurrence at that wall-clock time. When the account's
zone is not the plan's, careersync converts the time, but only where one time of day is right
for every occurrence: the two zones keep the same offset over the item's whole span (Berlin and
Paris), or differ by a constant amount (London and Lisbon's summers match). Where their clocks
change on different days (Berlin and New York, three weeks a year), or the time falls on
another day in the account's zone, no single "at" is right: the item is refused with a message
that says which occurrences would be off and by how much, never written an hour wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from careersync.schedule import Item
from careersync_todoist.recurrence import Unsupported

SHOWN = 4  # occurrences named in a message before "..."


def account_time(item: Item, account_zone: str | None) -> dt.time | None:
    """The wall-clock time in ``account_zone`` at which every occurrence of ``item`` is at the
    plan's moment; raises :class:`Unsupported` when no single time is."""
    if item.time is None or account_zone is None or account_zone == item.timezone:
        return item.time
    plan, account = ZoneInfo(item.timezone), ZoneInfo(account_zone)
    # instants in UTC: Python never calls two zones' datetimes equal in a gap or a fold
    meant = {d: dt.datetime.combine(d, item.time, plan).astimezone(dt.UTC) for d in item.dates}
    there = {d: moment.astimezone(account) for d, moment in meant.items()}
    other_day = [d for d, local in there.items() if local.date() != d]
    if other_day:
        first = there[other_day[0]]
        raise Unsupported(
            f"at {item.time:%H:%M} in {item.timezone} is {first:%H:%M} on "
            f"{first.date().isoformat()} in {account_zone}, your Todoist account's time zone: "
            f"{_count(other_day, item)} would fall on another day; set Todoist's time zone "
            f"to {item.timezone} (Settings > General), or choose another time in the plan"
        )
    time, _ = Counter(local.time() for local in there.values()).most_common(1)[0]
    written = {d: dt.datetime.combine(d, time, account).astimezone(dt.UTC) for d in item.dates}
    off = {d: written[d] - meant[d] for d in item.dates if written[d] != meant[d]}
    if off:
        raise Unsupported(
            f"Todoist reads a due time in your account's time zone ({account_zone}), not the "
            f"plan's ({item.timezone}), and the two are not the same hours apart all year: "
            f"at {time:%H:%M} there, {_count(list(off), item)} would be "
            f"{_shifts(off)} ({_days(list(off))}); set Todoist's time zone to "
            f"{item.timezone} (Settings > General), or leave {item.kind}s out of this target "
            "(include = [...])"
        )
    return time


def _count(days: list[dt.date], item: Item) -> str:
    return f"{len(days)} of {len(item.dates)} occurrences"


def _shifts(off: dict[dt.date, dt.timedelta]) -> str:
    parts = []
    for delta in sorted(set(off.values())):
        minutes = int(abs(delta.total_seconds()) // 60)
        amount = "an hour" if minutes == 60 else f"{minutes} minutes"
        parts.append(f"{amount} {'late' if delta > dt.timedelta() else 'early'}")
    return " or ".join(parts)


def _days(days: list[dt.date]) -> str:
    shown = ", ".join(d.isoformat() for d in days[:SHOWN])
    return shown + (", ..." if len(days) > SHOWN else "")


def due_day(value: dt.date | dt.datetime, zone: str | None) -> dt.date:
    """The day of a task's due date: Todoist gives a time fixed to a zone in UTC, and that
    instant may fall on another day in UTC than in the zone."""
    if not isinstance(value, dt.datetime):
        return value
    if value.tzinfo is not None and zone:
        return value.astimezone(ZoneInfo(zone)).date()
    return value.date()
