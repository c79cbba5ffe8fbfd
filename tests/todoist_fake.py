"""A stateful fake of the slice of Todoist's unified API v1 careersync uses, behind
``httpx.MockTransport``, so tests drive the real todoist-api-python SDK.

Modelled on the API documentation and its issue trackers: cursor pagination (``results`` and
``next_cursor``); closing a one-off task checks it (it leaves the active list and shows in
``tasks/completed/by_completion_date``, whose window may not exceed three months); closing a
recurring task does *not* complete it: its due date moves to the next occurrence, its
``completed_count`` rises, and the completion shows only in the activity log
(``GET /activities``, ``event_type=completed``; todoist-api-python issue #206). Deleted tasks
answer 404. 401 for a wrong token; 429 with Retry-After and 5xx can be injected.

A write repeated with the same ``X-Request-Id`` is applied once: the repeat gets the first
answer (as the API documents for retried requests). ``faults`` injects request-level faults as
the memory service does (see memory_plugin.FAULTS), by request number: 429, 500, a timeout, an
answer lost after the request was applied, or the process killed right after it was applied.

Due strings are read as Todoist documents them (tests/todoist_grammar.py); a time in them is
read in the account's time zone (``timezone``, served by ``GET /user`` as ``tz_info``), and a
timed due date is answered as Todoist answers one fixed to a zone: a UTC date-time and the zone.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import httpx
import todoist_grammar
from memory_plugin import Crash

BASE = "/api/v1"


def occurrences(string: str) -> list[dt.date]:
    """The dates a recurring due string puts a task on, as Todoist documents them."""
    return todoist_grammar.read(string)[0]


@dataclass
class FakeTask:
    id: str
    content: str
    description: str
    project_id: str
    section_id: str | None
    labels: list[str]
    priority: int
    due_string: str | None
    due_date: dt.date | None
    due_time: dt.time | None
    duration: dict | None
    added_at: str
    checked: bool = False
    completed_at: str | None = None
    completed_count: int = 0
    deleted: bool = False
    timezone: str = "Europe/London"

    @property
    def recurring(self) -> bool:
        return bool(self.due_string and self.due_string.startswith("every"))

    def json(self) -> dict:
        due = None
        if self.due_date is not None:
            date = self.due_date.isoformat()
            zone = None
            if self.due_time and self.recurring:  # fixed to the account's zone, in UTC
                local = dt.datetime.combine(self.due_date, self.due_time, ZoneInfo(self.timezone))
                date = local.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                zone = self.timezone
            elif self.due_time:
                date += f"T{self.due_time:%H:%M:%S}"
            due = {
                "date": date,
                "string": self.due_string or self.due_date.isoformat(),
                "lang": "en",
                "is_recurring": self.recurring,
                "timezone": zone,
            }
        return {
            "id": self.id,
            "user_id": "u1",
            "content": self.content,
            "description": self.description,
            "project_id": self.project_id,
            "section_id": self.section_id,
            "parent_id": None,
            "labels": list(self.labels),
            "priority": self.priority,
            "due": due,
            "deadline": None,
            "duration": self.duration,
            "is_collapsed": False,
            "child_order": int(self.id),
            "responsible_uid": None,
            "assigned_by_uid": None,
            "added_by_uid": "u1",
            "added_at": self.added_at,
            "updated_at": self.added_at,
            "checked": self.checked,
            "completed_at": self.completed_at,
            "completed_count": self.completed_count,
            "is_deleted": self.deleted,
            "note_count": 0,
            "day_order": -1,
        }


@dataclass
class FakeTodoist:
    token: str = "good-token"
    latency: float = 0.0
    page_size: int = 50
    now: dt.datetime = field(default_factory=lambda: dt.datetime(2027, 6, 1, 12, tzinfo=dt.UTC))
    activity_log_available: bool = True
    timezone: str = "Europe/London"  # the account's, in Settings > General
    projects: dict[str, dict] = field(default_factory=dict)
    sections: dict[str, dict] = field(default_factory=dict)
    tasks: dict[str, FakeTask] = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    failures: deque = field(default_factory=deque)
    #: request number (1-based, every request counted) -> one of memory_plugin.FAULTS
    faults: dict[int, str] = field(default_factory=dict)
    #: the share of requests (0-1) that meet a fault of a kind drawn at random (benchmarks)
    fault_rate: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    served: int = 0
    #: X-Request-Id of each write applied -> its answer (status, body, headers)
    answers: dict[str, tuple] = field(default_factory=dict)
    #: called with (method, path) after a request was applied, before it is answered: lets a
    #: test run another machine's sync in the middle of this one
    meanwhile: Callable[[str, str], None] | None = None
    ids: itertools.count = field(default_factory=lambda: itertools.count(1001))
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.add_project("Inbox")

    # the person, in the Todoist app ------------------------------------------------------

    def stamp(self) -> str:
        return self.now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def add_project(self, name: str) -> dict:
        pid = str(next(self.ids))
        self.projects[pid] = {
            "id": pid,
            "name": name,
            "description": "",
            "child_order": len(self.projects),
            "color": "charcoal",
            "is_collapsed": False,
            "is_shared": False,
            "is_favorite": False,
            "is_archived": False,
            "can_assign_tasks": False,
            "view_style": "list",
            "created_at": self.stamp(),
            "updated_at": self.stamp(),
            "parent_id": None,
            "inbox_project": name == "Inbox",
        }
        return self.projects[pid]

    def close(self, task_id: str) -> None:
        task = self.tasks[task_id]
        if task.recurring:
            dates = [d for d in occurrences(task.due_string) if d > task.due_date]
            self.events.append(
                {
                    "id": str(next(self.ids)),
                    "object_type": "item",
                    "object_id": task.id,
                    "event_type": "completed",
                    "event_date": self.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "parent_project_id": task.project_id,
                    "parent_item_id": None,
                    "initiator_id": None,
                    "extra_data": {
                        "content": task.content,
                        "is_recurring": True,
                        "due_date": task.due_date.isoformat(),
                    },
                }
            )
            task.completed_count += 1
            if dates:
                task.due_date = dates[0]
            else:
                task.checked, task.completed_at = True, self.stamp()
        else:
            task.checked, task.completed_at = True, self.stamp()

    def reopen(self, task_id: str) -> None:
        self.tasks[task_id].checked = False
        self.tasks[task_id].completed_at = None

    def active(self, project_id: str | None = None) -> list[FakeTask]:
        return [
            t
            for t in self.tasks.values()
            if not t.deleted
            and not t.checked
            and (project_id is None or t.project_id == project_id)
        ]

    def by_uid(self, uid: str) -> list[FakeTask]:
        return [
            t
            for t in self.tasks.values()
            if not t.deleted and f"careersync: {uid} " in t.description + " "
        ]

    def fail_next(
        self,
        status: int,
        path: str = "",
        retry_after: int | None = None,
        count: int = 1,
        method: str = "",
    ) -> None:
        """The next ``count`` requests whose path contains ``path`` (and of ``method``) fail."""
        for _ in range(count):
            self.failures.append((status, path, retry_after, method))

    # HTTP ----------------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.latency:
            time.sleep(self.latency)
        response = self.answer(request)
        if self.meanwhile is not None:
            self.meanwhile(request.method, request.url.path.removeprefix(BASE))
        return response

    def answer(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            path = request.url.path.removeprefix(BASE)
            self.requests.append((request.method, path))
            self.served += 1
            fault = self.faults.pop(self.served, None)
            if fault is None and self.rng.random() < self.fault_rate:
                fault = self.rng.choice(("429", "500", "timeout", "lost"))
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return httpx.Response(401, text="Unauthorized")
            failure = self.failures[0] if self.failures else None
            if failure and failure[1] in path and failure[3] in ("", request.method):
                status, _, retry_after, _ = self.failures.popleft()
                headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
                return httpx.Response(status, headers=headers, json={"error": "injected"})
            if fault == "429":
                return httpx.Response(429, headers={"Retry-After": "0"}, json={"error": "slow"})
            if fault == "500":
                return httpx.Response(500, json={"error": "injected"})
            if fault == "timeout":
                raise httpx.ReadTimeout("injected", request=request)
            response = self.once(request, path)
            if fault == "lost":
                raise httpx.ReadTimeout("the answer was lost (injected)", request=request)
            if fault == "crash":
                raise Crash()
            return response

    def once(self, request: httpx.Request, path: str) -> httpx.Response:
        """Route a request; a write whose X-Request-Id was applied before answers as then."""
        request_id = request.headers.get("x-request-id")
        write = request.method != "GET" and request_id
        if write and request_id in self.answers:
            status, content, headers = self.answers[request_id]
            return httpx.Response(status, content=content, headers=headers)
        params = dict(request.url.params)
        body = json.loads(request.content) if request.content else {}
        response = self.route(request.method, path, params, body)
        if write and response.status_code < 300:
            self.answers[request_id] = (
                response.status_code,
                response.content,
                dict(response.headers),
            )
        return response

    def page(self, items: list[dict], params: dict, key: str = "results") -> httpx.Response:
        limit = min(int(params.get("limit", self.page_size)), 200)
        start = int(params.get("cursor") or 0)
        chunk = items[start : start + limit]
        following = str(start + limit) if start + limit < len(items) else None
        return httpx.Response(200, json={key: chunk, "next_cursor": following})

    def user(self) -> dict:
        offset = self.now.astimezone(ZoneInfo(self.timezone)).utcoffset() or dt.timedelta()
        minutes = int(offset.total_seconds() // 60)
        sign = "-" if minutes < 0 else "+"
        return {
            "id": "u1",
            "email": "person@example.com",
            "full_name": "A Person",
            "lang": "en",
            "tz_info": {
                "timezone": self.timezone,
                "gmt_string": f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}",
                "hours": minutes // 60,
                "minutes": minutes % 60,
                "is_dst": 0,
            },
        }

    def route(self, method: str, path: str, params: dict, body: dict) -> httpx.Response:
        if (method, path) == ("GET", "/user"):
            return httpx.Response(200, json=self.user())
        if (method, path) == ("GET", "/projects"):
            return self.page([p for p in self.projects.values()], params)
        if (method, path) == ("POST", "/projects"):
            return httpx.Response(200, json=self.add_project(body["name"]))
        if (method, path) == ("GET", "/sections"):
            found = [
                s
                for s in self.sections.values()
                if s["project_id"] == params.get("project_id", s["project_id"])
            ]
            return self.page(found, params)
        if (method, path) == ("POST", "/sections"):
            sid = str(next(self.ids))
            self.sections[sid] = {
                "id": sid,
                "name": body["name"],
                "project_id": body["project_id"],
                "is_collapsed": False,
                "section_order": len(self.sections) + 1,
            }
            return httpx.Response(200, json=self.sections[sid])
        if (method, path) == ("GET", "/tasks"):
            return self.page([t.json() for t in self.active(params.get("project_id"))], params)
        if (method, path) == ("POST", "/tasks"):
            return self.create(body)
        if (method, path) == ("GET", "/tasks/completed/by_completion_date"):
            since = dt.datetime.fromisoformat(params["since"].replace("Z", "+00:00"))
            until = dt.datetime.fromisoformat(params["until"].replace("Z", "+00:00"))
            if until - since > dt.timedelta(days=92) or until < since:
                return httpx.Response(400, json={"error": "the window may span at most 3 months"})
            done = [
                t.json()
                for t in self.tasks.values()
                if t.checked
                and not t.deleted
                and since
                <= dt.datetime.fromisoformat(t.completed_at.replace("Z", "+00:00"))
                <= until
            ]
            return self.page(done, params, key="items")
        if (method, path) == ("GET", "/activities"):
            if not self.activity_log_available:
                return httpx.Response(403, json={"error": "activity log needs a paid plan"})
            found = [
                e
                for e in self.events
                if e["event_type"] == params.get("event_type", e["event_type"])
                and e["parent_project_id"]
                == params.get("parent_project_id", e["parent_project_id"])
            ]
            return self.page(sorted(found, key=lambda e: e["event_date"], reverse=True), params)
        if m := re.fullmatch(r"/tasks/(\d+)(/close|/reopen|/move)?", path):
            task = self.tasks.get(m.group(1))
            if task is None or task.deleted:
                return httpx.Response(404, json={"error": "Task not found"})
            if method == "DELETE":
                task.deleted = True
                return httpx.Response(204)
            if method == "GET":
                return httpx.Response(200, json=task.json())
            if m.group(2) == "/close":
                self.close(task.id)
                return httpx.Response(204)
            if m.group(2) == "/reopen":
                self.reopen(task.id)
                return httpx.Response(204)
            if m.group(2) == "/move":
                if "section_id" in body:
                    task.section_id = body["section_id"]
                    task.project_id = self.sections[body["section_id"]]["project_id"]
                else:
                    task.project_id, task.section_id = body["project_id"], None
                return httpx.Response(204)
            return self.update(task, body)
        return httpx.Response(404, json={"error": f"no route {method} {path}"})

    def _due(self, body: dict, task: FakeTask | None) -> tuple | None:
        if "due_string" in body:
            dates, at = todoist_grammar.read(body["due_string"])
            if not dates:
                raise ValueError(body["due_string"])
            return body["due_string"], dates[0], at
        if "due_datetime" in body:
            when = dt.datetime.fromisoformat(body["due_datetime"].replace("Z", ""))
            return None, when.date(), when.time()
        if "due_date" in body:
            return None, dt.date.fromisoformat(body["due_date"]), None
        return None

    def create(self, body: dict) -> httpx.Response:
        if body["project_id"] not in self.projects:
            return httpx.Response(400, json={"error": "project not found"})
        try:
            due = self._due(body, None)
        except ValueError:
            return httpx.Response(
                400, json={"error": f"cannot parse due string {body.get('due_string')!r}"}
            )
        tid = str(next(self.ids))
        duration = (
            {"amount": body["duration"], "unit": body.get("duration_unit", "minute")}
            if body.get("duration")
            else None
        )
        self.tasks[tid] = FakeTask(
            tid,
            body["content"],
            body.get("description", ""),
            body["project_id"],
            body.get("section_id"),
            body.get("labels", []),
            body.get("priority", 1),
            *(due or (None, None, None)),
            duration,
            self.stamp(),
            timezone=self.timezone,
        )
        return httpx.Response(200, json=self.tasks[tid].json())

    def update(self, task: FakeTask, body: dict) -> httpx.Response:
        try:
            due = self._due(body, task)
        except ValueError:
            return httpx.Response(
                400, json={"error": f"cannot parse due string {body.get('due_string')!r}"}
            )
        if due is not None:
            task.due_string, task.due_date, task.due_time = due
        for key in ("content", "description", "labels", "priority"):
            if key in body:
                setattr(task, key, body[key])
        if body.get("duration"):
            task.duration = {
                "amount": body["duration"],
                "unit": body.get("duration_unit", "minute"),
            }
        return httpx.Response(200, json=task.json())
