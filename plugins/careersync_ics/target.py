"""IcsTarget: the plan as one calendar file, written atomically once per sync."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from icalendar import Calendar, Component

from careersync.errors import ConfigError, TargetError
from careersync.target import Entry, Option, Remote, Target
from careersync_ics import mapping

PRODID = "-//careersync//careersync//EN"


class IcsTarget(Target):
    plugin = "ics"
    description = "A plain RFC 5545 calendar file any calendar app can import or subscribe to"
    options = (
        Option("path", str, "career.ics", "the .ics file, relative to the config file"),
        Option("todos", bool, False, "true: milestones and goal deadlines as VTODO"),
        Option(
            "reminders",
            dict,
            {},
            'per kind, how long before: "1d", "2h", "15m" or "none" '
            '(defaults: goal "1w", milestone "1d", habit "15m", contact "1d", review "15m")',
        ),
    )
    batched = True

    @classmethod
    def validate(cls, target_name: str, options: dict[str, Any]) -> dict[str, Any]:
        out = super().validate(target_name, options)
        problems = mapping.validate_reminders(out["reminders"])
        if problems:
            raise ConfigError(
                f"target {target_name!r} is misconfigured",
                details=[f"targets.{target_name}.{p}" for p in problems],
            )
        return out

    def __init__(self, config: dict[str, Any], context) -> None:
        super().__init__(config, context)
        self.path = Path(context.base_dir) / config["path"]
        self._loaded = False
        self._header: dict[str, Any] = {}
        self._foreign: list[Component] = []
        self._ours: dict[str, list[Component]] = {}
        self._dirty = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if not self.path.exists():
            return
        try:
            calendar = Calendar.from_ical(self.path.read_bytes())
        except (ValueError, IndexError, KeyError) as exc:
            raise TargetError(f"{self.path}: not a valid iCalendar file ({exc})") from None
        except OSError as exc:
            raise TargetError(f"{self.path}: cannot be read ({exc.strerror})") from None
        self._header = dict(calendar.items())
        for component in calendar.subcomponents:
            if (
                component.name == "VTIMEZONE"
                and str(component.get("tzid")) == self.context.timezone
            ):
                continue  # regenerated on write, to span the plan's current dates
            if component.get(mapping.UID_PROPERTY) is not None or str(
                component.get("uid", "")
            ).endswith("@careersync"):
                self._ours.setdefault(str(component.get("uid")), []).append(component)
            else:
                self._foreign.append(component)

    def pull(self) -> list[Remote]:
        self._load()
        return mapping.remotes(self._ours, self.context.timezone)

    def _render(self, entry: Entry) -> list[Component]:
        stamp = dt.datetime.combine(self.context.today, dt.time(), dt.UTC)
        return mapping.components(
            entry, todos=self.config["todos"], reminders=self.config["reminders"], stamp=stamp
        )

    def create(self, entry: Entry) -> str:
        self._load()
        remote_id = mapping.component_uid(entry.uid)
        self._ours[remote_id] = self._render(entry)
        self._dirty = True
        return remote_id

    def update(self, remote_id: str, entry: Entry) -> str:
        self._load()
        self._ours.pop(remote_id, None)
        return self.create(entry)

    def delete(self, remote_id: str) -> None:
        self._load()
        self._ours.pop(remote_id, None)
        self._dirty = True

    def commit(self) -> None:
        if not self._dirty:
            return
        calendar = Calendar()
        if not self._header:
            calendar.add("prodid", PRODID)
            calendar.add("version", "2.0")
        for key, value in self._header.items():
            calendar[key] = value
        for component in self._foreign:
            calendar.add_component(component)
        for remote_id in sorted(self._ours, key=_sort_key(self._ours)):
            for component in self._ours[remote_id]:
                calendar.add_component(component)
        first, last = _years(self._ours.values())
        calendar.add_missing_timezones(first_date=first, last_date=last)
        self._write(calendar.to_ical())
        self._dirty = False

    def _write(self, data: bytes) -> None:
        """Write to a temporary file beside the target, then rename over it."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                if self.path.exists():
                    os.chmod(tmp, self.path.stat().st_mode & 0o777)
                else:
                    os.chmod(tmp, 0o644)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise TargetError(f"{self.path}: cannot be written ({exc.strerror})") from None


def _years(groups) -> tuple[dt.date, dt.date]:
    """From January of the first year our components touch to two years after the last."""
    days = [
        value.dt if isinstance(value.dt, dt.date) else None
        for group in groups
        for component in group
        for value in (component.get("dtstart"), component.get("due"))
        if value is not None
    ]
    for group in groups:
        for component in group:
            for rule in [component.get("rrule")] if component.get("rrule") else []:
                days.extend(rule.get("UNTIL", []))
    years = sorted(d.year for d in days if isinstance(d, dt.date)) or [dt.date.today().year]
    return dt.date(years[0], 1, 1), dt.date(years[-1] + 2, 1, 1)


def _sort_key(ours: dict[str, list[Component]]):
    def key(remote_id: str) -> tuple[str, str]:
        group = ours[remote_id]
        uid = next(
            (str(c.get(mapping.UID_PROPERTY)) for c in group if c.get(mapping.UID_PROPERTY)), ""
        )
        return (uid, remote_id)

    return key
