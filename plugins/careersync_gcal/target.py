"""GcalTarget: events in a Google calendar through gcsa.

All-day items are all-day events (end = the next day), timed ones last their duration in the
plan's zone, recurring ones are one event with an RRULE. The careersync uid and content hash
are private extended properties. Each event's id is derived from its uid and the calendar, so a
repeated insert (an answer lost, two machines at once) answers 409 and is adopted, never copied.

Done marks: a person marks an event done by giving it ``done_color`` (Basil by default) or
starting its title with ✓ or [x]; for one occurrence, by doing that to the instance.
careersync shows a done one-off with both (the colour, and "✓ " before the title, seen in any
client) and notes that it did; on such an event removing either mark unticks it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from careersync.errors import AuthError, ConfigError, TargetError, TransientError
from careersync.retry import Unreachable
from careersync.target import Entry, Option, Remote, Target, TargetContext

if TYPE_CHECKING:
    from gcsa.google_calendar import GoogleCalendar

#: Tests serve a fake Calendar API here: an httplib2-like object with ``request(...)``.
HTTP: Any = None
KINDS = ("goal", "milestone", "habit", "contact", "review")
COLORS = {
    "lavender": "1",
    "sage": "2",
    "grape": "3",
    "flamingo": "4",
    "banana": "5",
    "tangerine": "6",
    "peacock": "7",
    "graphite": "8",
    "blueberry": "9",
    "basil": "10",
    "tomato": "11",
}
DONE_MARK = re.compile(r"^\s*(✓|✔|\[[xX]\])\s*")
REMINDER = re.compile(r"^(popup|email)\s*:\s*(\d+)\s*([mhdw])$")
DEFAULT_REMINDERS = {
    "goal": ["popup:1w"],
    "milestone": ["popup:1d"],
    "habit": ["popup:15m"],
    "contact": ["popup:1d"],
    "review": ["popup:15m"],
}
MARK = "careersync"
#: the private property on a one-off careersync itself showed done (both marks)
MARKED = f"{MARK}_done"
#: tries at creating the named calendar when the answer to the last one was lost
CALENDAR_TRIES = 3
TIMED_LENGTH = dt.timedelta(minutes=30)
FOREVER = (dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1))


def event_id(calendar: str, uid: str) -> str:
    """The id careersync gives the event of ``uid`` in ``calendar``: Google accepts ids chosen by
    the client (base32hex, 5 to 1024 characters) and answers 409 when one exists already."""
    digest = hashlib.sha256(f"{calendar}\n{uid}".encode()).digest()
    return base64.b32hexencode(digest).decode().rstrip("=").lower()


def color_id(value: str) -> str | None:
    text = str(value).strip().lower()
    return COLORS.get(text) or (text if text in COLORS.values() else None)


def minutes(value: str) -> tuple[str, int]:
    m = REMINDER.match(value.strip().lower())
    if not m:
        raise ValueError(f'{value!r} is not a reminder (use "popup:15m", "email:1d" or "none")')
    factor = {"m": 1, "h": 60, "d": 1440, "w": 10080}[m.group(3)]
    return m.group(1), int(m.group(2)) * factor


class GcalTarget(Target):
    plugin = "gcal"
    description = "Events in a Google calendar"
    requires = (
        "gcsa",
        "google_auth_oauthlib",
        "google_auth_httplib2",
        "googleapiclient",
        "httplib2",
    )
    install = "pip install 'careersync[google]'"
    options = (
        Option(
            "calendar",
            str,
            "primary",
            '"primary", a calendar id, or a name (created if missing)',
            renders=False,
        ),
        Option("reminders", dict, {}, 'per kind: a list like ["popup:15m", "email:1d"], or "none"'),
        Option("colors", dict, {}, 'per kind: a color name ("peacock") or id ("7")'),
        Option("done_color", str, "basil", "the color that marks an event done"),
        Option(
            "client_secrets", str, "", "the OAuth client JSON, for `careersync auth`", renders=False
        ),
        Option(
            "headless",
            bool,
            False,
            "auth prints the address instead of opening a browser",
            renders=False,
        ),
        Option("timeout", (int, float), 30, "seconds to wait for Google", renders=False),
    )

    @classmethod
    def check(cls, out: dict[str, Any]) -> list[str]:
        problems = []
        done = color_id(out["done_color"])
        if done is None:
            problems.append(
                f"done_color: {out['done_color']!r} is not a color ({', '.join(COLORS)})"
            )
        for kind, value in out["colors"].items():
            if kind not in KINDS:
                problems.append(f"colors.{kind}: not an item kind ({', '.join(KINDS)})")
            elif color_id(value) is None:
                problems.append(f"colors.{kind}: {value!r} is not a color ({', '.join(COLORS)})")
            elif color_id(value) == done:
                problems.append(
                    f"colors.{kind}: is the done_color, which would mark every {kind} done"
                )
        for kind, value in out["reminders"].items():
            if kind not in KINDS:
                problems.append(f"reminders.{kind}: not an item kind ({', '.join(KINDS)})")
                continue
            for text in [] if value == "none" else (value if isinstance(value, list) else [value]):
                try:
                    method, mins = minutes(text)
                    if mins > 40320:
                        problems.append(f"reminders.{kind}: {text!r} is more than Google's 4 weeks")
                except ValueError as exc:
                    problems.append(f"reminders.{kind}: {exc}")
        return problems

    def __init__(self, config: dict[str, Any], context: TargetContext) -> None:
        super().__init__(config, context)
        self._gc: GoogleCalendar | None = None
        self._calendar: str | None = None
        self.done_color = color_id(config["done_color"])
        self.events: dict[str, Any] = {}

    def authenticate(self, prompt) -> str:
        from careersync_gcal.auth import client_secrets_path, run_flow

        path = client_secrets_path(self.config["client_secrets"], self.context.base_dir)
        return run_flow(path, self.config["headless"])

    # the API -----------------------------------------------------------------------------

    @property
    def gc(self) -> GoogleCalendar:
        if self._gc is None:
            try:
                import google_auth_httplib2
                import httplib2
                from gcsa.google_calendar import GoogleCalendar
                from googleapiclient import discovery
            except ImportError:
                raise ConfigError(
                    "the gcal target needs gcsa: pip install 'careersync[google]'"
                ) from None
            from careersync_gcal.auth import credentials
            from careersync_gcal.transport import RetryingHttp

            creds = credentials(self.context.name, self.context.secret())
            gc = GoogleCalendar(credentials=creds)
            raw = HTTP or httplib2.Http(timeout=self.config["timeout"])
            http = google_auth_httplib2.AuthorizedHttp(
                creds, http=RetryingHttp(raw, self.context.retry)
            )
            gc.service = discovery.build(
                "calendar", "v3", http=http, static_discovery=True, cache_discovery=False
            )
            self._gc = gc
        return self._gc

    def _call(self, what: str, fn, *args, **kwargs):
        """One call through gcsa; each request in it is retried by the transport (see
        careersync_gcal.transport), so what arrives here is a final answer."""
        from googleapiclient.errors import HttpError

        try:
            return fn(*args, **kwargs)
        except HttpError as exc:
            status = exc.resp.status
            if status == 401:
                name = self.context.name
                raise AuthError(
                    f"Google refused the authorization for target {name!r}: "
                    f"run `careersync auth {name}`"
                ) from None
            reason = ""
            try:
                reason = exc.error_details[0].get("reason", "") if exc.error_details else ""
            except (AttributeError, IndexError, TypeError):
                reason = ""
            raise GoogleHTTPError(what, status, reason or str(exc)[:200]) from None
        except OSError as exc:
            raise TargetError(f"{what}: cannot reach Google ({type(exc).__name__})") from None

    def _find_calendar(self, create: bool) -> str | None:
        """The calendar's id. Only a listing that succeeded can say it is missing; a creation
        whose answer was lost is looked for before it is tried again."""
        if self._calendar is not None:
            return self._calendar
        wanted = self.config["calendar"]
        if wanted == "primary" or "@" in wanted:
            self._calendar = wanted
            return wanted
        for _ in range(CALENDAR_TRIES):
            listing = self._call("listing calendars", lambda: list(self.gc.get_calendar_list()))
            named = sorted(c.calendar_id for c in listing if c.summary == wanted)
            if named:
                self._calendar = self._holding_ours(named)
                return self._calendar
            if not create:
                return None
            from gcsa.calendar import Calendar

            try:
                made = self._call(
                    "creating the calendar",
                    self.gc.add_calendar,
                    Calendar(wanted, timezone=self.context.timezone),
                )
            except TransientError:
                continue  # it may have been made: list again before making another
            self._calendar = made.calendar_id
            return self._calendar
        raise Unreachable(f"creating calendar {wanted!r}: no answer from Google; try again later")

    def _holding_ours(self, named: list[str]) -> str:
        """Of calendars sharing the configured name, the first holding careersync's events."""
        if len(named) == 1:
            return named[0]
        chosen = next((c for c in named if self._holds_ours(c)), named[0])
        self.context.warn(
            f"{len(named)} calendars are named {self.config['calendar']!r}; careersync uses "
            f"{chosen} (it holds careersync's events). Rename or remove the other(s)."
        )
        return chosen

    def _holds_ours(self, calendar: str) -> bool:
        found = self._call(
            "looking into a calendar",
            lambda: (
                self.gc.service.events()
                .list(calendarId=calendar, privateExtendedProperty=f"{MARK}=1", maxResults=1)
                .execute()
            ),
        )
        return bool(found.get("items"))

    # reading -----------------------------------------------------------------------------

    def _is_done(self, event) -> bool:
        """Either mark is a tick; on an event careersync showed done, it takes both (removing
        one unticks it)."""
        coloured = event.color_id == self.done_color
        ticked = bool(DONE_MARK.match(event.summary or ""))
        private = (event.other.get("extendedProperties") or {}).get("private", {})
        if private.get(MARKED) == "1":
            return coloured and ticked
        return coloured or ticked

    def pull(self) -> list[Remote]:
        calendar = self._find_calendar(create=not self.context.dry_run)
        if calendar is None:
            return []
        events = self._call(
            "listing events",
            lambda: list(
                self.gc.get_events(
                    *FOREVER,
                    calendar_id=calendar,
                    timezone=self.context.timezone,
                    privateExtendedProperty=f"{MARK}=1",
                    showDeleted=False,
                )
            ),
        )
        out = []
        for event in events:
            private = (event.other.get("extendedProperties") or {}).get("private", {})
            uid = private.get(f"{MARK}_uid")
            if not uid or getattr(event, "recurring_event_id", None):
                continue
            self.events[event.event_id] = event
            done: dict[str, dt.date | None] = {}
            if event.recurrence:
                for instance in self._instances(event):
                    if self._is_done(instance):
                        done[f"{uid}@{self._instance_day(instance).isoformat()}"] = None
            elif self._is_done(event):
                done[uid] = None
            created = event.created.astimezone(dt.UTC).isoformat() if event.created else None
            out.append(
                Remote(uid, event.event_id, done, private.get(f"{MARK}_hash"), created=created)
            )
        return out

    def _instances(self, event) -> list:
        return self._call(
            "reading a recurring event's instances",
            lambda: list(
                self.gc.get_instances(
                    event.event_id,
                    *FOREVER,
                    calendar_id=self._calendar,
                    timezone=self.context.timezone,
                )
            ),
        )

    def _instance_day(self, instance) -> dt.date:
        original = instance.other.get("originalStartTime") or {}
        if original.get("date"):
            return dt.date.fromisoformat(original["date"])
        if original.get("dateTime"):
            moment = dt.datetime.fromisoformat(original["dateTime"].replace("Z", "+00:00"))
            return moment.astimezone(ZoneInfo(self.context.timezone)).date()
        start = instance.start
        return start.date() if isinstance(start, dt.datetime) else start

    # writing -----------------------------------------------------------------------------

    def _event(self, entry: Entry, event_id: str):
        from gcsa.event import Event
        from gcsa.reminders import EmailReminder, PopupReminder

        item = entry.item
        zone = ZoneInfo(item.timezone)
        if item.time is None:
            start: dt.date | dt.datetime = item.date
            end: dt.date | dt.datetime = item.date + dt.timedelta(days=1)
        else:  # wall-clock times in the item's zone, as an .ics DTSTART;TZID says them: with
            # an offset, a first occurrence the clocks skip would move the whole series an hour
            start = dt.datetime.combine(item.date, item.time)
            end = start + (item.duration or TIMED_LENGTH)
        recurrence = None
        if item.recurring:
            assert item.until is not None
            if item.time is None:
                until = item.until.strftime("%Y%m%d")
            else:
                last = dt.datetime.combine(item.until, item.time, zone).astimezone(dt.UTC)
                until = last.strftime("%Y%m%dT%H%M%SZ")
            recurrence = [f"RRULE:{item.rule};UNTIL={until}"]
        done = not item.recurring and entry.uid in entry.done
        reminders = []
        wanted = self.config["reminders"].get(item.kind, DEFAULT_REMINDERS[item.kind])
        for text in [] if wanted == "none" else (wanted if isinstance(wanted, list) else [wanted]):
            method, mins = minutes(text)
            cls = PopupReminder if method == "popup" else EmailReminder
            reminders.append(cls(minutes_before_start=mins))
        color = (
            color_id(self.config["colors"][item.kind])
            if item.kind in self.config["colors"]
            else None
        )
        private = {MARK: "1", f"{MARK}_uid": item.uid, f"{MARK}_hash": entry.hash}
        if done:
            private[MARKED] = "1"
        return Event(
            ("✓ " if done else "") + item.title,
            start=start,
            end=end,
            timezone=item.timezone,
            event_id=event_id,
            description=(item.description + "\n\n" if item.description else "")
            + f"careersync: {item.uid}",
            recurrence=recurrence,
            color_id=self.done_color if done else color,
            reminders=reminders,
            default_reminders=False,
            extendedProperties={"private": private},
            status="confirmed",
        )

    def create(self, entry: Entry) -> str:
        """Insert the event under its derived id; a 409 means it exists already (an answer
        that was lost, another machine, or an event of this uid deleted before): adopt it."""
        calendar = self._find_calendar(create=True)
        assert calendar is not None
        eid = event_id(calendar, entry.uid)
        try:
            event = self._call(
                "adding an event", self.gc.add_event, self._event(entry, eid), calendar_id=calendar
            )
        except GoogleHTTPError as exc:
            if exc.status != 409:
                raise
            return self._adopt(eid, entry)
        if entry.item.recurring and entry.done:
            self._mark_instances(event, entry)
        return event.event_id

    def _adopt(self, eid: str, entry: Entry) -> str:
        """The event of this id exists: a live one is kept as it is (the next sync reads its
        marks and content); a deleted (cancelled) one is brought back with this content."""
        existing = self._call(
            "reading an event",
            lambda: self.gc.service.events().get(calendarId=self._calendar, eventId=eid).execute(),
        )
        if existing.get("status") == "cancelled":
            return self.update(eid, entry)
        return eid

    def update(self, remote_id: str, entry: Entry) -> str:
        event = self._call(
            "updating an event",
            self.gc.update_event,
            self._event(entry, remote_id),
            calendar_id=self._calendar,
        )
        if entry.item.recurring:
            self._mark_instances(event, entry)
        return remote_id

    def _mark_instances(self, event, entry: Entry) -> None:
        """Show careersync's own occurrence completions on their instances, and unmark others
        careersync had marked (after ``undo``)."""
        uid = entry.uid
        for instance in self._instances(event):
            key = f"{uid}@{self._instance_day(instance).isoformat()}"
            if key in entry.done and not self._is_done(instance):
                instance.color_id = self.done_color
                self._call(
                    "marking an occurrence done",
                    self.gc.update_event,
                    instance,
                    calendar_id=self._calendar,
                )
            elif key not in entry.done and self._is_done(instance):
                instance.color_id = None
                instance.summary = DONE_MARK.sub("", instance.summary or "")
                self._call(
                    "unmarking an occurrence",
                    self.gc.update_event,
                    instance,
                    calendar_id=self._calendar,
                )

    def delete(self, remote_id: str) -> None:
        try:
            self._call(
                "deleting an event", self.gc.delete_event, remote_id, calendar_id=self._calendar
            )
        except GoogleHTTPError as exc:
            if exc.status not in (404, 410):
                raise


class GoogleHTTPError(TargetError):
    def __init__(self, what: str, status: int, reason: str) -> None:
        super().__init__(f"{what}: Google answered {status} ({reason})")
        self.status = status
