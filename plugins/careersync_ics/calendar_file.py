"""One .ics file: careersync's component groups, everything else kept, atomic writes.

careersync's own groups are written by :mod:`serialise`, icalendar writes the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careersync.errors import TargetError
from careersync.files import atomic_write
from careersync.target import Entry, Remote
from careersync_ics import mapping, serialise
from careersync_ics.serialise import Group

if TYPE_CHECKING:
    from icalendar import Component

PRODID = "-//careersync//careersync//EN"
NEW_HEADER = f"VERSION:2.0\r\nPRODID:{PRODID}\r\n".encode()


class CalendarFile:
    """The file's contents: header, foreign components (kept as they are) and ours by UID.

    Ours are the components read from the file, or a :class:`Group` written this sync.
    """

    def __init__(self, path: Path, timezone: str) -> None:
        self.path = path
        self.timezone = timezone
        self.header: dict[str, Any] = {}
        self.foreign: list[Component] = []
        self.ours: dict[str, list[Component] | Group] = {}
        self.dirty = False
        self._parsed = False

    # reading -----------------------------------------------------------------------------

    def remotes(self) -> list[Remote]:
        self._contents()
        return mapping.remotes(self.ours, self.timezone)

    def _contents(self) -> None:
        """Parse the file (once): to read it, or to keep what is not ours when writing."""
        if self._parsed:
            return
        self._parsed = True
        if not self.path.exists():
            return
        from icalendar import Calendar

        try:
            calendar = Calendar.from_ical(self.path.read_bytes())
        except (ValueError, IndexError, KeyError) as exc:
            raise TargetError(f"{self.path}: not a valid iCalendar file ({exc})") from None
        except OSError as exc:
            raise TargetError(f"{self.path}: cannot be read ({exc.strerror})") from None
        self.header = dict(calendar.items())
        for component in calendar.subcomponents:
            if component.name == "VTIMEZONE" and str(component.get("tzid")) == self.timezone:
                continue  # regenerated on write, to span the plan's current dates
            if component.get(mapping.UID_PROPERTY) is not None or str(
                component.get("uid", "")
            ).endswith("@careersync"):
                self.ours.setdefault(str(component.get("uid")), []).append(component)
            else:
                self.foreign.append(component)

    # writing -----------------------------------------------------------------------------

    def put(self, entry: Entry, *, todos: bool, reminders: dict, today: dt.date) -> str:
        self._contents()
        remote_id = mapping.component_uid(entry.uid)
        self.ours[remote_id] = serialise.group(
            entry,
            todos=todos,
            reminders=reminders,
            stamp=dt.datetime.combine(today, dt.time(), dt.UTC),
            timezone=self.timezone,
        )
        self.dirty = True
        return remote_id

    def remove(self, remote_id: str) -> None:
        self._contents()
        self.ours.pop(remote_id, None)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        order = sorted(self.ours, key=self._sort_key)
        self._write(self._text([self.ours[remote_id] for remote_id in order]))
        self.dirty = False

    def _text(self, groups: list[list[Component] | Group]) -> bytes:
        """The whole calendar: header, foreign components, ours, and the VTIMEZONEs they use
        inserted after the file's own (where icalendar's ``add_missing_timezones`` puts them)."""
        parts: list[bytes] = []
        used = {g.tzid for g in groups if isinstance(g, Group) and g.tzid}
        parsed = [c for g in groups if not isinstance(g, Group) for c in g]
        head, existing, at = NEW_HEADER, set(), 0
        if self.header or self.foreign or parsed:
            from icalendar import Calendar

            top = Calendar()
            if not self.header:
                top.add("prodid", PRODID)
                top.add("version", "2.0")
            for key, value in self.header.items():
                top[key] = value
            head = top.to_ical()[len(b"BEGIN:VCALENDAR\r\n") : -len(b"END:VCALENDAR\r\n")]
            top.subcomponents = [*self.foreign, *parsed]
            used |= top.get_used_tzids()
            existing = {tz.tz_name for tz in top.timezones}
            at = len(top.timezones)
        for component in self.foreign:
            parts.append(component.to_ical())
        for group in groups:
            if isinstance(group, Group):
                parts.extend(group.parts)
            else:
                parts.extend(component.to_ical() for component in group)
        missing = used - {"UTC"} - existing
        if missing:
            from icalendar import Timezone

            first, last = _years(groups)
            for tzid in sorted(missing):
                try:
                    zone = Timezone.from_tzid(tzid, first_date=first, last_date=last)
                except ValueError:
                    continue
                parts.insert(at, zone.to_ical())
                at += 1
        return b"".join([b"BEGIN:VCALENDAR\r\n", head, *parts, b"END:VCALENDAR\r\n"])

    def _sort_key(self, remote_id: str) -> tuple[str, str]:
        group = self.ours[remote_id]
        if isinstance(group, Group):
            return (group.uid, remote_id)
        carrier = next((c for c in group if c.get(mapping.UID_PROPERTY)), None)
        return (str(carrier.get(mapping.UID_PROPERTY)) if carrier else "", remote_id)

    def _write(self, data: bytes) -> None:
        atomic_write(self.path, data)


def _years(groups: Iterable[list[Component] | Group]) -> tuple[dt.date, dt.date]:
    """From January of the first year our components touch to two years after the last."""
    years: list[int] = []
    for group in groups:
        if isinstance(group, Group):
            years.extend(group.years)
            continue
        days: list[dt.date] = []
        for component in group:
            for name in ("dtstart", "due"):
                if component.get(name) is not None:
                    days.append(component.get(name).dt)
            if component.get("rrule") is not None:
                days.extend(component.get("rrule").get("UNTIL", []))
        years.extend(d.year for d in days if isinstance(d, dt.date))
    years = sorted(years) or [dt.date.today().year]
    return dt.date(years[0], 1, 1), dt.date(years[-1] + 2, 1, 1)
