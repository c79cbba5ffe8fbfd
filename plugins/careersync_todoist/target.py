"""TodoistTarget: the plan in a Todoist project, through todoist-api-python (unified API v1).

One-off items are dated tasks; recurring items are one recurring task each. Every task's
description ends with a footer carrying its careersync uid and content hash.

Completions: a closed one-off task leaves the active list and shows in the completed-tasks
endpoint (by completion date, in windows of at most three months). Closing a recurring task
does not complete it: Todoist moves its due date to the next occurrence, and the completion
shows only in the activity log (``GET /api/v1/activities``, which the SDK does not wrap: it is
called through the SDK's own httpx client). When the log is not available (it needs a paid plan
beyond a week), the occurrences the due date has moved past since the last sync count as done.

Faults: every request runs alone under the engine's retry policy (a listing resumes at the page
that failed). Every write carries an ``X-Request-Id`` kept the same across its repeats, which
Todoist uses to apply a request once, so a write whose answer was lost is simply sent again.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from typing import TYPE_CHECKING, Any

from careersync import secrets
from careersync.errors import AuthError, ConfigError, ItemError, TargetError, TransientError
from careersync.target import Entry, Option, Remote, Target, TargetCache, TargetContext

if TYPE_CHECKING:
    import httpx
    from todoist_api_python.api import TodoistAPI

#: Tests and benchmarks serve a fake Todoist here (an ``httpx.BaseTransport``).
HTTP_TRANSPORT: httpx.BaseTransport | None = None
API = "https://api.todoist.com/api/v1"
FOOTER = re.compile(r"(?:\n\n)?---\ncareersync: (?P<uid>\S+) #(?P<hash>\w+)\s*$")
PAGE = 200
WINDOW = dt.timedelta(days=89)
#: how far back completed tasks are looked for when neither the plan's start nor the project's
#: creation is known
FIRST_LOOK_BACK = dt.timedelta(days=366)
PRIORITIES = {"p1": 4, "p2": 3, "p3": 2, "p4": 1}
KINDS = ("goal", "milestone", "habit", "contact", "review")


def footer(uid: str, digest: str) -> str:
    return f"\n\n---\ncareersync: {uid} #{digest}"


class TodoistTarget(Target):
    plugin = "todoist"
    description = "Tasks in a Todoist project (API v1)"
    requires = ("todoist_api_python", "httpx")
    install = "pip install 'careersync[todoist]'"
    options = (
        Option("project", str, "Career", "the project's name (created if missing)", renders=False),
        Option("sections", str, "", '"goal": each goal\'s items in a section named after it'),
        Option("labels", list, ["careersync"], "labels put on every task"),
        Option("priority", dict, {}, 'per kind: "p1" (urgent) to "p4" (default)'),
        Option("timeout", (int, float), 30, "seconds to wait for Todoist", renders=False),
    )
    max_workers = 4
    shows_occurrences_done = False  # a recurring task cannot show one past occurrence as done

    @classmethod
    def check(cls, out: dict[str, Any]) -> list[str]:
        problems = []
        if out["sections"] not in ("", "goal"):
            problems.append(f'sections: {out["sections"]!r} is not "goal" (or leave it out)')
        for kind, value in out["priority"].items():
            if kind not in KINDS:
                problems.append(f"priority.{kind}: not an item kind ({', '.join(KINDS)})")
            elif value not in PRIORITIES:
                problems.append(f"priority.{kind}: {value!r} is not one of p1, p2, p3, p4")
        if not all(isinstance(label, str) and label for label in out["labels"]):
            problems.append("labels: must be a list of label names")
        return problems

    def __init__(self, config: dict[str, Any], context: TargetContext) -> None:
        super().__init__(config, context)
        self._api: TodoistAPI | None = None
        self._project_id: str | None = None
        #: every project of the configured name (None: not listed yet); careersync writes to
        #: ``_project_id`` and reads them all, so copies made in two of them at once heal
        self._projects: list[str] | None = None
        self._oldest_project: dt.datetime | None = None
        self._request = threading.local()  # the X-Request-Id of the write under way
        self._sections: dict[str, str] | None = None
        self.cache = TargetCache(context, f"todoist|{config['project']}")
        self.memo: dict[str, Any] = self.cache.load()
        self.tasks: dict[str, dict] = {}  # task id -> what this sync knows of it
        self.lock = threading.RLock()  # writes run on a small pool of threads
        self._zone: str | None = None  # the account's time zone, once read
        self._zone_read = False

    def authenticate(self, prompt) -> str:
        return prompt("Todoist API token (Todoist: Settings > Integrations > Developer)")

    # the API -----------------------------------------------------------------------------

    @property
    def api(self) -> TodoistAPI:
        if self._api is None:
            try:
                import httpx
                from todoist_api_python.api import TodoistAPI
            except ImportError:
                raise ConfigError(
                    "the todoist target needs todoist-api-python: pip install 'careersync[todoist]'"
                ) from None
            token = self.context.secret()
            if not token:
                raise secrets.missing(self.context.name, "Todoist API token")
            transport = bounded(HTTP_TRANSPORT or httpx.HTTPTransport(), self.config["timeout"])
            client = httpx.Client(transport=transport)
            self._api = TodoistAPI(token, request_id_fn=self._request_id, client=client)
        return self._api

    def _request_id(self) -> str:
        return getattr(self._request, "id", None) or str(uuid.uuid4())

    def _call(self, what: str, fn, *args, write: bool = False, **kwargs):
        """One request (one SDK call), repeated under the retry policy on a transient failure.
        A ``write`` keeps one X-Request-Id across its repeats: Todoist applies it once, so
        repeating it after an unknown outcome is safe."""
        request_id = str(uuid.uuid4()) if write else None

        def once():
            self._request.id = request_id
            try:
                return self._once(what, fn, *args, **kwargs)
            finally:
                self._request.id = None

        return self.context.retry(once)

    def _once(self, what: str, fn, *args, **kwargs):
        """One SDK call, with HTTP failures made careersync's."""
        import httpx

        try:
            return fn(*args, **kwargs)
        except httpx.HTTPStatusError as exc:
            status = exc.response.status_code
            if status in (401, 403) and what != "reading the activity log":
                name = self.context.name
                raise AuthError(
                    f"Todoist refused the token for target {name!r} ({status}): "
                    f"run `careersync auth {name}` with a current API token"
                ) from None
            if status == 429:
                retry = exc.response.headers.get("Retry-After")
                raise TransientError(
                    f"{what}: Todoist is rate limiting (429)",
                    retry_after=float(retry) if retry and retry.isdigit() else None,
                    safe=True,
                ) from None
            if status >= 500:
                raise TransientError(f"{what}: Todoist answered {status}", safe=True) from None
            raise TodoistHTTPError(what, status, exc.response.text[:200]) from None
        except httpx.TimeoutException:
            raise TransientError(f"{what}: Todoist timed out", safe=True) from None
        except httpx.TransportError as exc:
            raise TargetError(f"{what}: cannot reach Todoist ({type(exc).__name__})") from None

    def _pages(self, what: str, paginator) -> list:
        """Every page of an SDK listing, each page one retried request. The SDK's paginator
        moves its cursor on only after a page arrived, so asking it again after a failure
        requests the same page: a listing is never cut short, nor restarted."""
        out: list = []
        done = object()
        while (page := self._call(what, next, paginator, done)) is not done:
            out.extend(page)
        return out

    def _raw_pages(self, what: str, path: str, params: dict[str, Any]) -> list[dict]:
        """An endpoint the SDK does not wrap, through the SDK's own httpx client."""
        from todoist_api_python._core.http_requests import get

        out: list[dict] = []
        cursor = None
        while True:
            query = {**params, **({"cursor": cursor} if cursor else {})}
            response = self._call(
                what, get, self.api._client, f"{API}/{path}", self.api._token, None, query
            )
            data = response.json()
            out.extend(data.get("results", []))
            cursor = data.get("next_cursor")
            if not cursor:
                return out

    # project and sections ----------------------------------------------------------------

    def _find_projects(self) -> list[str]:
        """The projects of the configured name, the one written to first. Only a listing that
        succeeded is remembered: a failed one raises, and never reads as "no project"."""
        with self.lock:
            if self._projects is None:
                wanted = self.config["project"]
                listed = self._pages("listing projects", self.api.get_projects(limit=PAGE))
                named = sorted(
                    (p for p in listed if p.name == wanted), key=lambda p: (p.created_at, p.id)
                )
                self._oldest_project = min((p.created_at for p in named), default=None)
                self._projects = self._choose([p.id for p in named])
                self._project_id = self._projects[0] if self._projects else None
            return self._projects

    def _choose(self, ids: list[str]) -> list[str]:
        """Of several projects of one name (two machines made it at once), the one holding
        careersync's tasks first, then the oldest; the person is told."""
        if len(ids) < 2:
            return ids
        held = {}
        for project in ids:
            tasks = self._pages("listing tasks", self.api.get_tasks(project_id=project, limit=PAGE))
            held[project] = sum(1 for t in tasks if FOOTER.search(t.description or ""))
        ordered = sorted(ids, key=lambda p: -held[p])  # stable: the oldest first among equals
        self.context.warn(
            f"Todoist has {len(ids)} projects named {self.config['project']!r}: careersync "
            f"writes to the one holding its tasks (id {ordered[0]}), reads them all and removes "
            "the copies of its tasks; delete the empty one in Todoist"
        )
        return ordered

    def _project(self) -> str:
        with self.lock:
            if not self._find_projects():
                try:
                    made = self._call(
                        "creating the project",
                        self.api.add_project,
                        self.config["project"],
                        write=True,
                    )
                except BaseException:
                    self._projects = None  # it may exist now: look again before making one
                    raise
                self._project_id = made.id
                self._projects = [made.id]
            assert self._project_id is not None
            return self._project_id

    def _section(self, entry: Entry) -> str | None:
        title = entry.item.goal_title
        if self.config["sections"] != "goal" or not title:
            return None
        project = self._project()
        with self.lock:
            if self._sections is None:
                listed = self._pages("listing sections", self.api.get_sections(project_id=project))
                self._sections = {s.name: s.id for s in listed}
            if title not in self._sections:
                try:
                    made = self._call(
                        "creating a section", self.api.add_section, title, project, write=True
                    )
                except BaseException:
                    self._sections = None  # it may exist now: look again before making one
                    raise
                self._sections[title] = made.id
            return self._sections[title]

    # reading -----------------------------------------------------------------------------

    def pull(self) -> list[Remote]:
        projects = self._find_projects()
        if not projects:  # nothing there yet, nor anything completed
            self.memo["completed_since"] = self._resume_at()
            return []
        for project in projects:
            listing = self.api.get_tasks(project_id=project, limit=PAGE)
            for task in self._pages("listing tasks", listing):
                self._know(task, checked=False)
        self._completed_one_offs()
        self._missing_known_tasks()
        for project in projects:
            self._recurring_completions(project)
        out = []
        for task_id, t in self.tasks.items():
            if t.get("uid") is None or t.get("gone"):
                continue
            if t["recurring"]:
                done = {
                    k: dt.date.fromisoformat(v) for k, v in self._done_occurrences(task_id).items()
                }
                partial = True
            else:
                done = {t["uid"]: t["completed_on"]} if t["checked"] else {}
                partial = False
            out.append(Remote(t["uid"], task_id, done, t["hash"], partial, t.get("added")))
        return out

    def _know(self, task, *, checked: bool) -> None:
        match = FOOTER.search(task.description or "")
        from careersync_todoist.zones import due_day

        due = task.due
        due_date = due_day(due.date, due.timezone) if due else None
        completed = task.completed_at.date() if task.completed_at else None
        self.tasks[task.id] = {
            "uid": match.group("uid") if match else None,
            "hash": match.group("hash") if match else None,
            "recurring": bool(due and due.is_recurring),
            "due": due_date,
            "checked": checked or bool(task.completed_at),
            "completed_on": completed,
            "section": task.section_id,
            "added": task.created_at.astimezone(dt.UTC).isoformat() if task.created_at else None,
        }

    def _completed_one_offs(self) -> None:
        """Closed one-off tasks since the last pull, window by window; without a last pull (a
        first sync, a lost state, a second machine), back to the earliest day one of them can
        have been closed, however long ago."""
        until = self._until()
        since_text = self.memo.get("completed_since")
        since = dt.datetime.fromisoformat(since_text) if since_text else self._earliest(until)
        start = since
        while start < until:
            end = min(start + WINDOW, until)
            found = self._pages(
                "listing completed tasks",
                self.api.get_completed_tasks_by_completion_date(since=start, until=end, limit=PAGE),
            )
            for task in found:
                if task.project_id in (self._projects or []):
                    self._know(task, checked=True)
            start = end
        self.memo["completed_since"] = self._resume_at()

    def _earliest(self, until: dt.datetime) -> dt.datetime:
        """The plan's start or the project's creation, whichever came first (two days early,
        for time zones)."""
        known = [self._oldest_project] if self._oldest_project else []
        if self.context.start is not None:
            known.append(dt.datetime.combine(self.context.start, dt.time(), dt.UTC))
        earliest = min(known) if known else until - FIRST_LOOK_BACK
        return min(earliest - dt.timedelta(days=2), until)

    def _until(self) -> dt.datetime:
        return dt.datetime.combine(self.context.today + dt.timedelta(days=1), dt.time(), dt.UTC)

    def _resume_at(self) -> str:
        """Where the next scan of completed tasks starts: two days of overlap, for time zones."""
        return (self._until() - dt.timedelta(days=2)).isoformat()

    def _missing_known_tasks(self) -> None:
        """Tasks seen before but in neither list: closed long ago, moved, or deleted (404)."""
        for task_id in self.memo.get("known", []):
            if task_id in self.tasks:
                continue
            try:
                task = self._call("reading a task", self.api.get_task, task_id)
            except TodoistHTTPError as exc:
                if exc.status == 404:  # deleted there: forget it
                    self.tasks[task_id] = {"uid": None, "gone": True}
                    self.memo["known"] = [k for k in self.memo["known"] if k != task_id]
                    continue
                raise
            self._know(task, checked=bool(task.completed_at))

    def _recurring_completions(self, project: str) -> None:
        """Record each completed occurrence of a recurring task as ``uid@date``."""
        done: dict[str, dict[str, str]] = self.memo.setdefault("occurrences", {})
        try:
            events = self._raw_pages(
                "reading the activity log",
                "activities",
                {
                    "event_type": "completed",
                    "object_type": "item",
                    "parent_project_id": project,
                    "limit": 100,
                },
            )
        except TodoistHTTPError:
            events = None
        seen = set(self.memo.get("events", []))
        for task_id, t in self.tasks.items():
            if not t.get("recurring") or t.get("uid") is None:
                continue
            dates = self.memo.get("dates", {}).get(task_id, [])
            last_due = self.memo.get("due", {}).get(task_id)
            mine = done.setdefault(task_id, {})
            if events is None:  # no activity log: the occurrences the due date moved past
                if last_due and t["due"]:
                    for day in dates:
                        if last_due <= day < t["due"].isoformat():
                            mine.setdefault(f"{t['uid']}@{day}", self.context.today.isoformat())
                continue
            for event in sorted(events, key=lambda e: e["event_date"]):
                if event["object_id"] != task_id or event["id"] in seen:
                    continue
                on = event["event_date"][:10]
                occurrence = (event.get("extra_data") or {}).get("due_date", "")[:10]
                if not occurrence:  # the log does not say which: the first one not yet done
                    occurrence = next((d for d in dates if f"{t['uid']}@{d}" not in mine), "")
                if occurrence:
                    mine.setdefault(f"{t['uid']}@{occurrence}", on)
        if events is not None:
            self.memo["events"] = sorted(seen | {e["id"] for e in events})
        self.memo["due"] = {
            task_id: t["due"].isoformat()
            for task_id, t in self.tasks.items()
            if t.get("recurring") and t.get("due")
        }

    def _done_occurrences(self, task_id: str) -> dict[str, str]:
        return self.memo.get("occurrences", {}).get(task_id, {})

    # writing -----------------------------------------------------------------------------

    def _fields(self, entry: Entry) -> dict[str, Any]:
        item = entry.item
        fields: dict[str, Any] = {
            "content": item.title,
            "description": (item.description or "") + footer(item.uid, entry.hash),
            "labels": list(self.config["labels"]),
            "priority": PRIORITIES[self.config["priority"].get(item.kind, "p4")],
        }
        if item.duration:
            fields["duration"] = max(1, int(item.duration.total_seconds() // 60))
            fields["duration_unit"] = "minute"
        return fields

    def _due(self, entry: Entry, task_id: str | None) -> dict[str, Any]:
        from careersync_todoist.recurrence import Unsupported, due_string
        from careersync_todoist.zones import account_time

        item = entry.item
        if not item.recurring:
            if item.time:
                return {"due_datetime": dt.datetime.combine(item.date, item.time)}
            return {"due_date": item.date}
        # never move a series back: start from its current due date when it has one
        current = self.tasks.get(task_id or "", {}).get("due")
        start = next((d for d in item.dates if current and d >= current), None)
        try:
            zone = self._account_zone() if item.time else None
            return {"due_string": due_string(item, start, account_time(item, zone))}
        except Unsupported as exc:
            raise ItemError(f"{item.uid}: {exc}") from None

    def _account_zone(self) -> str | None:
        """The account's time zone, in which Todoist reads a due string's time (read once)."""
        from todoist_api_python._core.http_requests import get

        with self.lock:
            if not self._zone_read:
                response = self._call(
                    "reading the account's time zone",
                    get,
                    self.api._client,
                    f"{API}/user",
                    self.api._token,
                )
                self._zone = (response.json().get("tz_info") or {}).get("timezone") or None
                self._zone_read = True
            return self._zone

    def _remember(self, task_id: str, entry: Entry) -> None:
        item = entry.item
        with self.lock:
            self.memo["known"] = sorted({*self.memo.get("known", []), task_id})
            if item.recurring:
                dates = [d.isoformat() for d in item.dates]
                self.memo.setdefault("dates", {})[task_id] = dates

    def create(self, entry: Entry) -> str:
        fields = {**self._fields(entry), **self._due(entry, None)}
        section = self._section(entry)
        task = self._call(
            "creating a task",
            self.api.add_task,
            project_id=self._project(),
            section_id=section,
            write=True,
            **fields,
        )
        self._remember(task.id, entry)
        if entry.item.recurring:
            with self.lock:
                self.memo.setdefault("due", {})[task.id] = entry.item.date.isoformat()
        with self.lock:
            self.tasks[task.id] = {
                "uid": entry.uid,
                "checked": False,
                "recurring": entry.item.recurring,
            }
        if not entry.item.recurring and entry.uid in entry.done:
            self._call("closing a task", self.api.complete_task, task.id, write=True)
        return task.id

    def update(self, remote_id: str, entry: Entry) -> str:
        known = self.tasks.get(remote_id, {})
        fields = {**self._fields(entry), **self._due(entry, remote_id)}
        self._call("updating a task", self.api.update_task, remote_id, write=True, **fields)
        section = self._section(entry)
        if "section" in known and section != known["section"]:  # `sections` was switched
            where = {"section_id": section} if section else {"project_id": self._project()}
            self._call("moving a task", self.api.move_task, remote_id, write=True, **where)
        self._remember(remote_id, entry)
        if not entry.item.recurring:
            wanted = entry.uid in entry.done
            if wanted and not known.get("checked"):
                self._call("closing a task", self.api.complete_task, remote_id, write=True)
            elif not wanted and known.get("checked"):
                self._call("reopening a task", self.api.uncomplete_task, remote_id, write=True)
        return remote_id

    def delete(self, remote_id: str) -> None:
        try:
            self._call("deleting a task", self.api.delete_task, remote_id, write=True)
        except TodoistHTTPError as exc:
            if exc.status != 404:
                raise

    def commit(self) -> None:
        self.cache.save(self.memo)


def bounded(inner: httpx.BaseTransport, seconds: float) -> httpx.BaseTransport:
    """``inner`` with every request given ``seconds`` to complete: the SDK sets its own per
    request (up to a minute), which would make a hanging service slow to give up on."""
    import httpx

    class Limited(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            request.extensions["timeout"] = httpx.Timeout(seconds).as_dict()
            return inner.handle_request(request)

        def close(self) -> None:
            inner.close()

    return Limited()


class TodoistHTTPError(TargetError):
    def __init__(self, what: str, status: int, text: str) -> None:
        super().__init__(f"{what}: Todoist answered {status}: {text}")
        self.status = status
