"""One .ics file: careersync's component groups, everything else kept, atomic writes.

Read as little as proves what the file holds: when it is byte for byte the file the cache last
saw (size, mtime and sha256), its items come from the cache and it is parsed only if a write
needs its contents; any edit, a ticked item included, changes the fingerprint and is parsed.
careersync's own groups are written by :mod:`serialise`, icalendar writes the rest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careersync.errors import TargetError
from careersync.files import atomic_write
from careersync.target import Entry, Remote, TargetCache
from careersync_ics import mapping
from careersync_ics.serialise import Group, Serialiser

if TYPE_CHECKING:
    from icalendar import Component

PRODID = "-//careersync//careersync//EN"
NEW_HEADER = f"VERSION:2.0\r\nPRODID:{PRODID}\r\n".encode()


class CalendarFile:
    """The file's contents: header, foreign components (kept as they are) and ours by UID.

    Ours are the components read from the file, or a :class:`Group` written this sync.
    """

    def __init__(
        self,
        path: Path,
        timezone: str,
        cache: TargetCache,
        warn: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.path = path
        self.timezone = timezone
        self.cache = cache
        self.warn = warn
        self.header: dict[str, Any] = {}
        self.foreign: list[Component] = []
        self.ours: dict[str, list[Component] | Group] = {}
        self.dirty = False
        self._data: bytes | None = None
        self._parsed = False
        #: the file's fingerprint and items, to remember at commit when the cache lacks them
        self._seen: tuple[dict[str, Any], list[Remote]] | None = None
        self._cached: dict[str, Any] | None = None
        self._writes: tuple[tuple[bool, dict, dt.date], Serialiser] | None = None

    # reading -----------------------------------------------------------------------------

    def remotes(self) -> list[Remote]:
        data = self._read()
        if data is None:
            return []
        fingerprint = self._fingerprint(data)
        known = _known_remotes(self.cache.load(), fingerprint)
        if known is not None:
            self._cached = fingerprint
            return known
        self._contents()
        remotes = mapping.remotes(self.ours, self.timezone, self.warn)
        self._seen = (fingerprint, remotes)
        return remotes

    def _read(self) -> bytes | None:
        if self._data is None and self.path.exists():
            try:
                self._data = self.path.read_bytes()
            except OSError as exc:
                raise TargetError(f"{self.path}: cannot be read ({exc.strerror})") from None
        return self._data

    def _fingerprint(self, data: bytes) -> dict[str, Any]:
        stat = self.path.stat()
        digest = hashlib.sha256(data).hexdigest()
        return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}

    def _contents(self) -> None:
        """Parse the file (once): to read it, or to keep what is not ours when writing."""
        if self._parsed:
            return
        self._parsed = True
        data = self._read()
        if data is None:
            return
        from icalendar import Calendar

        try:
            calendar = Calendar.from_ical(data)
        except (ValueError, IndexError, KeyError) as exc:
            raise TargetError(f"{self.path}: not a valid iCalendar file ({exc})") from None
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
        self.ours[remote_id] = self._serialiser(todos, reminders, today).group(entry)
        self.dirty = True
        return remote_id

    def _serialiser(self, todos: bool, reminders: dict, today: dt.date) -> Serialiser:
        """The sync's serialiser, made again only if the options it was made for change."""
        if self._writes is None or self._writes[0] != (todos, reminders, today):
            stamp = dt.datetime.combine(today, dt.time(), dt.UTC)
            serialiser = Serialiser(
                todos=todos, reminders=reminders, stamp=stamp, timezone=self.timezone
            )
            self._writes = ((todos, reminders, today), serialiser)
        return self._writes[1]

    def remove(self, remote_id: str) -> None:
        self._contents()
        self.ours.pop(remote_id, None)
        self.dirty = True

    def save(self) -> None:
        """Write the file if anything changed, then remember what it holds."""
        if self.dirty:
            order = sorted(self.ours, key=self._sort_key)
            self._data = self._text([self.ours[remote_id] for remote_id in order])
            self._write(self._data)
            self.dirty = False
            self._seen = None
            remotes = [
                r
                for remote_id in order
                for r in _group_remotes(remote_id, self.ours[remote_id], self.timezone)
            ]
            # a cache is never needed for correctness: without it the next sync parses the file
            with contextlib.suppress(OSError):
                self._seen = (self._fingerprint(self._data), remotes)
        if self._seen is not None and self._seen[0] != self._cached:
            fingerprint, remotes = self._seen
            with contextlib.suppress(OSError):
                self.cache.save(_record(fingerprint, remotes))
                self._cached = fingerprint

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
        if not self.path.parent.exists():
            self.warn(f"created the folder {self.path.parent} for {self.path.name}")
        atomic_write(self.path, data)


def _group_remotes(remote_id: str, group: list[Component] | Group, timezone: str) -> list[Remote]:
    if isinstance(group, Group):
        return [group.remote]
    return mapping.remotes({remote_id: group}, timezone)


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


def _record(fingerprint: dict[str, Any], remotes: list[Remote]) -> dict[str, Any]:
    """What the cache keeps of the file: its fingerprint and its items as parallel lists (quicker
    to write and read than a list per item), a remote id as None where it is the one
    :func:`mapping.component_uid` gives and done marks as None where there are none (most)."""
    return {
        "file": fingerprint,
        "uids": [r.uid for r in remotes],
        "ids": [
            None if r.remote_id == mapping.component_uid(r.uid) else r.remote_id for r in remotes
        ],
        "done": [
            {k: d.isoformat() if d else None for k, d in r.done.items()} if r.done else None
            for r in remotes
        ],
        "hashes": [r.hash for r in remotes],
    }


def _known_remotes(cached: dict[str, Any], fingerprint: dict[str, Any]) -> list[Remote] | None:
    """The items the cache holds for a file with this fingerprint; None if it holds none."""
    if cached.get("file") != fingerprint:
        return None
    try:
        rows = zip(cached["uids"], cached["ids"], cached["done"], cached["hashes"], strict=True)
        return [
            Remote(
                uid,
                mapping.component_uid(uid) if remote_id is None else remote_id,
                {k: dt.date.fromisoformat(d) if d else None for k, d in done.items()}
                if done
                else {},
                digest,
            )
            for uid, remote_id, done, digest in rows
        ]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a damaged cache, or one an older careersync wrote: read the file
