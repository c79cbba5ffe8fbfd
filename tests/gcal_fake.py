"""A stateful fake of the Calendar v3 slice careersync uses, served to the real
google-api-python-client through an injected http object (httplib2's ``request`` interface).

Modelled on the API reference: calendarList list and calendars insert; events insert (with an
id the client chose: base32hex, 5-1024 characters; 409 when an event of that id exists, even a
deleted one), get (a deleted event too, with status "cancelled"), update (one that sets status
"confirmed" brings a deleted event back), delete (a deleted event is cancelled: hidden from
lists, 410 when deleted again) and list with
``privateExtendedProperty`` filters (all must match) and page tokens; ``instances`` expands a
recurring event's RRULE in its own time zone, with instance ids ``<id>_<YYYYMMDD>`` (all-day)
or ``<id>_<YYYYMMDDTHHMMSSZ>`` (timed), and an instance updated on its own keeps its changes.
A wrong token is a 401; 429, 403 rateLimitExceeded and 5xx can be injected, and request-level
faults like the memory service's (``faults``: request number -> "429", "500", "timeout", "lost"
= applied and the answer lost, "crash" = applied and the process dies).
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import random
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlparse
from zoneinfo import ZoneInfo

import httplib2
from dateutil.rrule import rrulestr
from memory_plugin import Crash

PREFIX = "/calendar/v3"
EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")


@dataclass
class FakeCalendar:
    token: str = "ya29.fake-access-token"
    calendars: dict[str, dict] = field(
        default_factory=lambda: {
            "primary": {"id": "me@example.com", "summary": "me@example.com", "primary": True}
        }
    )
    events: dict[str, dict[str, dict]] = field(default_factory=lambda: {"primary": {}})
    exceptions: dict[str, dict[str, dict]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    failures: deque = field(default_factory=deque)
    page_size: int = 250
    latency: float = 0.0
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    lock: threading.RLock = field(default_factory=threading.RLock)
    #: request number (1-based, every request counted) -> "429", "500", "timeout", "lost", "crash"
    faults: dict[int, str] = field(default_factory=dict)
    #: each request fails at random with this probability (one of the first four kinds)
    fault_rate: float = 0.0
    random: random.Random = field(default_factory=lambda: random.Random(7))
    #: called with the request number before each request is served (a second machine's turn)
    before: dict[int, object] = field(default_factory=dict)
    clock: itertools.count = field(default_factory=lambda: itertools.count(1))

    # the person, in Google Calendar ------------------------------------------------------

    def calendar_events(self, calendar: str = "primary") -> dict[str, dict]:
        return self.events[calendar]

    def ours(self, calendar: str = "primary") -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for e in self.events[calendar].values():
            uid = e.get("extendedProperties", {}).get("private", {}).get("careersync_uid")
            if uid and e["status"] != "cancelled":
                out.setdefault(uid, []).append(e)
        return out

    def by_uid(self, uid: str, calendar: str = "primary") -> dict:
        found = self.ours(calendar)[uid]
        assert len(found) == 1
        return found[0]

    def set_instance(self, uid: str, day: str, calendar: str = "primary", **changes) -> None:
        master = self.by_uid(uid, calendar)
        instance = next(i for i in self.instances(master) if self._day(i) == day)
        self.exceptions.setdefault(master["id"], {}).setdefault(instance["id"], {}).update(changes)

    def fail_next(
        self,
        status: int,
        reason: str = "",
        retry_after: int | None = None,
        count: int = 1,
        method: str = "",
    ) -> None:
        for _ in range(count):
            self.failures.append((status, reason, retry_after, method))

    # httplib2's interface ------------------------------------------------------------------

    def request(
        self, uri, method="GET", body=None, headers=None, redirections=5, connection_type=None
    ):
        if self.latency:
            time.sleep(self.latency)
        with self.lock:
            number = len(self.requests) + 1
            fault = self.faults.pop(number, None)
            if fault is None and self.fault_rate and self.random.random() < self.fault_rate:
                fault = self.random.choice(("429", "500", "timeout", "lost"))
        if number in self.before:
            self.before.pop(number)()
        if fault == "429":
            self.requests.append((method, "fault"))
            return self.error(429, "rateLimitExceeded", "injected", {"retry-after": "0"})
        if fault == "500":
            self.requests.append((method, "fault"))
            return self.error(500, "backendError", "injected")
        if fault == "timeout":
            self.requests.append((method, "fault"))
            raise TimeoutError("timed out (simulated)")
        answer = self.serve(uri, method, body, headers)
        if fault == "lost":
            raise TimeoutError("the answer was lost (simulated)")
        if fault == "crash":
            raise Crash()
        return answer

    def serve(self, uri, method, body, headers):
        with self.lock:
            parts = urlparse(uri)
            path = unquote(parts.path).removeprefix(PREFIX)
            query = parse_qs(parts.query)
            self.requests.append((method, path))
            headers = {k.lower(): v for k, v in (headers or {}).items()}
            if headers.get("authorization") != f"Bearer {self.token}":
                return self.error(401, "authError", "Invalid Credentials")
            if self.failures and self.failures[0][3] in ("", method):
                status, reason, retry_after, _ = self.failures.popleft()
                extra = {"retry-after": str(retry_after)} if retry_after is not None else {}
                return self.error(status, reason or "backendError", "injected", extra)
            data = json.loads(body) if body else {}
            return self.route(method, path, query, data)

    def respond(self, status: int, payload: dict | None, extra: dict | None = None):
        head = {
            "status": str(status),
            "content-type": "application/json; charset=UTF-8",
            **(extra or {}),
        }
        return httplib2.Response(head), (
            json.dumps(payload).encode() if payload is not None else b""
        )

    def error(self, status: int, reason: str, message: str, extra: dict | None = None):
        return self.respond(
            status,
            {
                "error": {
                    "code": status,
                    "message": message,
                    "errors": [{"domain": "global", "reason": reason, "message": message}],
                }
            },
            extra,
        )

    def route(self, method: str, path: str, query: dict, data: dict):
        if (method, path) == ("GET", "/users/me/calendarList"):
            return self.respond(
                200,
                {
                    "kind": "calendar#calendarList",
                    "items": [
                        {
                            "kind": "calendar#calendarListEntry",
                            "id": c["id"],
                            "summary": c["summary"],
                            "primary": c.get("primary", False),
                            "timeZone": c.get("timeZone", "UTC"),
                            "accessRole": "owner",
                        }
                        for c in self.calendars.values()
                    ],
                },
            )
        if (method, path) == ("POST", "/calendars"):
            cid = f"c{next(self.ids)}@group.calendar.google.com"
            self.calendars[cid] = {
                "id": cid,
                "summary": data["summary"],
                "timeZone": data.get("timeZone"),
            }
            self.events[cid] = {}
            return self.respond(200, {"kind": "calendar#calendar", **self.calendars[cid]})
        segments = path.strip("/").split("/")
        if len(segments) < 3 or segments[0] != "calendars" or segments[2] != "events":
            return self.error(404, "notFound", f"no route {method} {path}")
        calendar = (
            "primary"
            if segments[1] in ("primary", self.calendars["primary"]["id"])
            else segments[1]
        )
        if calendar not in self.events:
            return self.error(404, "notFound", "Not Found")
        store = self.events[calendar]
        if len(segments) == 3 and method == "GET":
            return self.list(store, query)
        if len(segments) == 3 and method == "POST":
            eid = data.get("id") or f"ev{next(self.ids):04d}"
            if not EVENT_ID.match(eid):
                return self.error(400, "invalid", "Invalid resource id value.")
            if eid in store:
                return self.error(409, "duplicate", "The requested identifier already exists.")
            made = dt.datetime(2026, 11, 23, 10) + dt.timedelta(seconds=next(self.clock))
            stamp = made.strftime("%Y-%m-%dT%H:%M:%S")
            event = {
                **data,
                "id": eid,
                "kind": "calendar#event",
                "status": "confirmed",
                "etag": '"1"',
                "htmlLink": f"https://calendar.google.com/event?eid={eid}",
                "iCalUID": f"{eid}@google.com",
                "created": f"{stamp}.000Z",
                "updated": f"{stamp}.000Z",
            }
            store[eid] = event
            return self.respond(200, event)
        eid = segments[3]
        if len(segments) == 5 and segments[4] == "instances":
            master = store.get(eid)
            if master is None or master["status"] == "cancelled":
                return self.error(404, "notFound", "Not Found")
            return self.page(self.instances(master), query)
        master_id, _, stamp = eid.partition("_")
        if stamp and master_id in store:  # one instance of a recurring event
            instance = next((i for i in self.instances(store[master_id]) if i["id"] == eid), None)
            if instance is None:
                return self.error(404, "notFound", "Not Found")
            if method in ("PUT", "PATCH"):
                changes = {
                    k: v for k, v in data.items() if k in ("summary", "colorId", "description")
                }
                if method == "PUT" and "colorId" not in data:
                    changes["colorId"] = None
                self.exceptions.setdefault(master_id, {}).setdefault(eid, {}).update(changes)
                instance = next(i for i in self.instances(store[master_id]) if i["id"] == eid)
            return self.respond(200, instance)
        event = store.get(eid)
        if event is None:
            return self.error(404, "notFound", "Not Found")
        if method == "DELETE":
            if event["status"] == "cancelled":
                return self.error(410, "deleted", "Resource has been deleted")
            event["status"] = "cancelled"
            return self.respond(204, None)
        if method == "GET":
            return self.respond(200, event)
        if event["status"] == "cancelled" and not (
            method == "PUT" and data.get("status") == "confirmed"
        ):
            return self.error(410, "deleted", "Resource has been deleted")
        if method == "PUT":
            keep = {k: event[k] for k in ("id", "kind", "htmlLink", "iCalUID", "created")}
            keep["status"] = "confirmed" if data.get("status") == "confirmed" else event["status"]
            store[eid] = {
                **data,
                **keep,
                "etag": f'"{int(event["etag"].strip(chr(34))) + 1}"',
                "updated": "2026-11-23T11:00:00.000Z",
            }
            return self.respond(200, store[eid])
        if method == "PATCH":
            event.update(data)
            return self.respond(200, event)
        return self.error(405, "notAllowed", method)

    def list(self, store: dict, query: dict):
        wanted = [f.split("=", 1) for f in query.get("privateExtendedProperty", [])]
        found = [
            e
            for e in store.values()
            if e["status"] != "cancelled" or query.get("showDeleted") == ["true"]
        ]
        found = [
            e
            for e in found
            if all(
                e.get("extendedProperties", {}).get("private", {}).get(k) == v for k, v in wanted
            )
        ]
        return self.page(found, query)

    def page(self, items: list[dict], query: dict):
        size = min(int(query.get("maxResults", [self.page_size])[0]), self.page_size)
        start = int(query.get("pageToken", ["0"])[0])
        chunk = items[start : start + size]
        body = {"kind": "calendar#events", "items": chunk}
        if start + size < len(items):
            body["nextPageToken"] = str(start + size)
        return self.respond(200, body)

    def instances(self, master: dict) -> list[dict]:
        start = master["start"]
        rule = master["recurrence"][0].removeprefix("RRULE:")
        if "date" in start:
            first = dt.datetime.combine(dt.date.fromisoformat(start["date"]), dt.time())
            days = [d.date() for d in rrulestr(rule, dtstart=first, ignoretz=True)]
            moments = [(d, None) for d in days]
        else:
            # a start with an offset is an instant, whose wall-clock time in the event's zone
            # recurs; one without is that wall-clock time itself, as Google reads both
            zone = ZoneInfo(start.get("timeZone") or "UTC")
            local = dt.datetime.fromisoformat(start["dateTime"])
            first = local.replace(tzinfo=zone) if local.tzinfo is None else local.astimezone(zone)
            moments = [(None, m) for m in rrulestr(rule, dtstart=first)]
        out = []
        changed = self.exceptions.get(master["id"], {})
        for day, moment in moments:
            instance = copy.deepcopy({k: v for k, v in master.items() if k != "recurrence"})
            if day is not None:
                iid = f"{master['id']}_{day:%Y%m%d}"
                instance["originalStartTime"] = {"date": day.isoformat()}
                instance["start"] = {"date": day.isoformat()}
                instance["end"] = {"date": (day + dt.timedelta(days=1)).isoformat()}
            else:
                iid = f"{master['id']}_{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
                length = dt.datetime.fromisoformat(
                    master["end"]["dateTime"]
                ) - dt.datetime.fromisoformat(start["dateTime"])
                # a wall-clock time the clocks skip is read with the offset before the change
                at = moment.astimezone(dt.UTC).astimezone(zone)
                instance["originalStartTime"] = {
                    "dateTime": at.isoformat(),
                    "timeZone": start.get("timeZone"),
                }
                instance["start"] = {"dateTime": at.isoformat(), "timeZone": start.get("timeZone")}
                instance["end"] = {
                    "dateTime": (at + length).astimezone(zone).isoformat(),
                    "timeZone": start.get("timeZone"),
                }
            instance["id"] = iid
            instance["recurringEventId"] = master["id"]
            instance.update({k: v for k, v in changed.get(iid, {}).items() if v is not None})
            if changed.get(iid, {}).get("colorId", "") is None:
                instance.pop("colorId", None)
            out.append(instance)
        return out

    @staticmethod
    def _day(instance: dict) -> str:
        original = instance["originalStartTime"]
        return original.get("date") or original["dateTime"][:10]
