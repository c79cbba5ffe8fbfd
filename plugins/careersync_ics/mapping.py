"""careersync items <-> iCalendar components, and reading completions back from them.

Kept apart from the file handling so other calendar targets (CalDAV) can share one mapping.
icalendar loads only where components are built, so the direct writer (``serialise``) and a
sync that finds its file unchanged never load it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from careersync.target import Entry, Remote
from careersync_ics.reminders import lead_time

if TYPE_CHECKING:
    from icalendar import Component

UID_PROPERTY = "X-CAREERSYNC-UID"
HASH_PROPERTY = "X-CAREERSYNC-HASH"
DONE_PREFIX = "✓ "
DONE_MARK = re.compile(r"^\s*(✓|✔|\[[xX]\])\s*")
TIMED_LENGTH = dt.timedelta(minutes=30)


def component_uid(uid: str) -> str:
    """A stable iCalendar UID: "milestone:sql" -> "milestone-sql@careersync"."""
    return uid.replace(":", "-", 1) + "@careersync"


def components(
    entry: Entry, *, todos: bool, reminders: dict[str, object], stamp: dt.datetime
) -> list[Component]:
    """The master component for an entry, then one override per done occurrence."""
    from icalendar import Alarm, Event, Todo, vRecur

    item = entry.item
    zone = ZoneInfo(item.timezone)
    as_todo = todos and item.kind in ("milestone", "goal")
    master: Component = Todo() if as_todo else Event()
    master.add("uid", component_uid(item.uid))
    master.add("dtstamp", stamp)
    done_on = entry.done.get(item.uid) if not item.recurring else None
    master.add("summary", (DONE_PREFIX if done_on and not as_todo else "") + item.title)
    if item.description:
        master.add("description", item.description)
    master.add("categories", [item.kind])
    if as_todo:
        master.add("due", item.date)
        if done_on:
            master.add("status", "COMPLETED")
            master.add("completed", noon_utc(done_on, zone))
            master.add("percent-complete", 100)
        else:
            master.add("status", "NEEDS-ACTION")
    else:
        _add_span(master, item.date, item.time, item.duration, zone)
    if item.recurring:
        assert item.rule is not None and item.until is not None
        until = (
            dt.datetime.combine(item.until, item.time, zone).astimezone(dt.UTC)
            if item.time
            else item.until
        )
        master.add("rrule", vRecur.from_ical(f"{item.rule};UNTIL={ical_value(until)}"))
    master.add(UID_PROPERTY, item.uid)
    master.add(HASH_PROPERTY, entry.hash)
    lead = lead_time(item.kind, reminders)
    if lead is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.title)
        alarm.add("trigger", -lead)
        master.add_component(alarm)
    out = [master]
    if item.recurring:
        for key in sorted(entry.done):
            day = dt.date.fromisoformat(key.rsplit("@", 1)[1])
            override = Event()
            override.add("uid", component_uid(item.uid))
            override.add("dtstamp", stamp)
            override.add(
                "recurrence-id", dt.datetime.combine(day, item.time, zone) if item.time else day
            )
            override.add("summary", DONE_PREFIX + item.title)
            _add_span(override, day, item.time, item.duration, zone)
            override.add(UID_PROPERTY, item.uid)
            out.append(override)
    return out


def _add_span(
    component: Component,
    day: dt.date,
    time: dt.time | None,
    duration: dt.timedelta | None,
    zone: ZoneInfo,
) -> None:
    if time is None:
        component.add("dtstart", day)
        component.add("dtend", day + dt.timedelta(days=1))
    else:
        start = dt.datetime.combine(day, time, zone)
        component.add("dtstart", start)
        component.add("dtend", start + (duration or TIMED_LENGTH))


def noon_utc(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """A done date as a COMPLETED time: noon that day, so every zone reads back the same day."""
    return dt.datetime.combine(day, dt.time(12), zone).astimezone(dt.UTC)


def ical_value(value: dt.date | dt.datetime) -> str:
    """A rule's UNTIL: a date, or a UTC time."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def local_date(value: object, zone: ZoneInfo) -> dt.date | None:
    """The day a read value falls on in ``zone`` (None for what is not a date)."""
    if isinstance(value, dt.datetime):
        return (value.astimezone(zone) if value.tzinfo else value).date()
    if isinstance(value, dt.date):
        return value
    return None


def is_done(component: Component) -> tuple[bool, dt.date | None, ZoneInfo | None]:
    """Whether a person (or careersync) marked the component done, and when, if it says."""
    if component.name == "VTODO" and str(component.get("status", "")).upper() == "COMPLETED":
        completed = component.get("completed")
        return True, completed.dt if completed is not None else None, None
    return bool(DONE_MARK.match(str(component.get("summary", "")))), None, None


def remotes(
    groups: dict[str, list[Component]],
    timezone: str,
    warn: Callable[[str], None] = lambda message: None,
) -> list[Remote]:
    """One :class:`Remote` per careersync component group (keyed by iCalendar UID). A done
    mark on a whole series says nothing careersync can count: ``warn`` is told so."""
    zone = ZoneInfo(timezone)
    out = []
    for remote_id, group in groups.items():
        master = next((c for c in group if c.get("recurrence-id") is None), None)
        carrier = master if master is not None and master.get(UID_PROPERTY) else None
        carrier = carrier or next((c for c in group if c.get(UID_PROPERTY)), None)
        if carrier is None:
            continue
        uid = str(carrier.get(UID_PROPERTY))
        done: dict[str, dt.date | None] = {}
        for component in group:
            marked, when, _ = is_done(component)
            if not marked:
                continue
            recurrence = component.get("recurrence-id")
            if recurrence is not None:
                day = local_date(recurrence.dt, zone)
                if day is not None:
                    done[f"{uid}@{day.isoformat()}"] = local_date(when, zone)
            elif component.get("rrule") is None:
                done[uid] = local_date(when, zone)
            else:
                warn(
                    f"{uid} is marked done on the whole series, which careersync does not "
                    "count: mark one occurrence instead (edit that day only, as an exception)"
                )
        digest = master.get(HASH_PROPERTY) if master is not None else None
        out.append(Remote(uid, remote_id, done, str(digest) if digest else None))
    return out
