"""One .ics file: careersync's component groups, everything else kept, atomic writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from icalendar import Calendar, Component

from careersync.errors import TargetError
from careersync.files import atomic_write
from careersync.target import Entry, Remote
from careersync_ics import mapping

PRODID = "-//careersync//careersync//EN"


class CalendarFile:
    """The file's contents: header, foreign components (kept as they are) and ours by UID."""

    def __init__(self, path: Path, timezone: str) -> None:
        self.path = path
        self.timezone = timezone
        self.header: dict[str, Any] = {}
        self.foreign: list[Component] = []
        self.ours: dict[str, list[Component]] = {}
        self.dirty = False
        if path.exists():
            self._read()

    def _read(self) -> None:
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

    def remotes(self) -> list[Remote]:
        return mapping.remotes(self.ours, self.timezone)

    def put(self, entry: Entry, *, todos: bool, reminders: dict, today: dt.date) -> str:
        remote_id = mapping.component_uid(entry.uid)
        stamp = dt.datetime.combine(today, dt.time(), dt.UTC)
        self.ours[remote_id] = mapping.components(
            entry, todos=todos, reminders=reminders, stamp=stamp
        )
        self.dirty = True
        return remote_id

    def remove(self, remote_id: str) -> None:
        self.ours.pop(remote_id, None)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        calendar = Calendar()
        if not self.header:
            calendar.add("prodid", PRODID)
            calendar.add("version", "2.0")
        for key, value in self.header.items():
            calendar[key] = value
        for component in self.foreign:
            calendar.add_component(component)
        for remote_id in sorted(self.ours, key=self._sort_key):
            for component in self.ours[remote_id]:
                calendar.add_component(component)
        first, last = _years(self.ours.values())
        calendar.add_missing_timezones(first_date=first, last_date=last)
        self._write(calendar.to_ical())
        self.dirty = False

    def _sort_key(self, remote_id: str) -> tuple[str, str]:
        group = self.ours[remote_id]
        carrier = next((c for c in group if c.get(mapping.UID_PROPERTY)), None)
        return (str(carrier.get(mapping.UID_PROPERTY)) if carrier else "", remote_id)

    def _write(self, data: bytes) -> None:
        atomic_write(self.path, data)


def _years(groups: Iterable[list[Component]]) -> tuple[dt.date, dt.date]:
    """From January of the first year our components touch to two years after the last."""
    days: list[dt.date] = []
    for group in groups:
        for component in group:
            for name in ("dtstart", "due"):
                if component.get(name) is not None:
                    days.append(component.get(name).dt)
            if component.get("rrule") is not None:
                days.extend(component.get("rrule").get("UNTIL", []))
    years = sorted(d.year for d in days if isinstance(d, dt.date)) or [dt.date.today().year]
    return dt.date(years[0], 1, 1), dt.date(years[-1] + 2, 1, 1)
