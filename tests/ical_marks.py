"""How a calendar app shows and removes done marks in iCalendar data (.ics and CalDAV tests)."""

from __future__ import annotations

from collections.abc import Iterable

from careersync_ics.mapping import DONE_MARK
from icalendar import Calendar


def done_keys(calendars: Iterable[Calendar]) -> set[str]:
    """The completion keys shown done: a completed to-do or a ✓ summary, per occurrence."""
    groups: dict[str, list] = {}
    for calendar in calendars:
        for c in calendar.walk():
            if c.name in ("VEVENT", "VTODO"):
                groups.setdefault(str(c["uid"]), []).append(c)
    keys = set()
    for group in groups.values():
        master = next(c for c in group if c.get("recurrence-id") is None)
        uid = str(master["X-CAREERSYNC-UID"])
        for c in group:
            if str(c.get("STATUS")) == "COMPLETED" or DONE_MARK.match(str(c["SUMMARY"])):
                rid = c.get("recurrence-id")
                keys.add(f"{uid}@{rid.dt.isoformat()[:10]}" if rid is not None else uid)
    return keys


def unmark(calendar: Calendar, key: str) -> None:
    """The person removes the ✓ of ``key`` (or unticks the to-do) in their calendar app."""
    uid, _, day = key.partition("@")
    wanted = next(
        str(c["uid"])
        for c in calendar.walk()
        if c.name in ("VEVENT", "VTODO") and str(c.get("X-CAREERSYNC-UID")) == uid
    )
    for c in calendar.walk():
        if c.name not in ("VEVENT", "VTODO") or str(c["uid"]) != wanted:
            continue
        rid = c.get("recurrence-id")
        if (rid.dt.isoformat()[:10] if rid is not None else "") != day:
            continue
        if str(c.get("STATUS")) == "COMPLETED":
            c["STATUS"] = "NEEDS-ACTION"
        c["SUMMARY"] = DONE_MARK.sub("", str(c["SUMMARY"]))
