"""NotionTarget: one page per item in a Notion database, through notion-client 3.x.

With Notion-Version 2025-09-03 a database holds data sources: pages are created under the
database's (first) data source and found with ``data_sources.query``. Recurring items become one
page per occurrence (uid ``<uid>@<date>``) up to ``horizon`` days ahead, created as the window
moves. Deleted items are moved to the trash, never destroyed.

Faults: every request runs alone under the engine's retry policy (a listing resumes at the cursor
that failed). Updates and trashing set whole values, so repeating them is harmless; Notion has no
idempotency key for creating a page, so a create whose outcome is unknown is left to the engine,
which looks the uid up (:meth:`NotionTarget.find`, one filtered query) before repeating it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import TYPE_CHECKING, Any

from careersync import secrets
from careersync.errors import AuthError, ConfigError, TargetError, TransientError
from careersync.target import Entry, Option, Remote, Target, TargetContext

if TYPE_CHECKING:
    import httpx
    from notion_client import Client

#: Tests and benchmarks serve a fake Notion here (an ``httpx.BaseTransport``).
HTTP_TRANSPORT: httpx.BaseTransport | None = None
KINDS = ("goal", "milestone", "habit", "contact", "review")
HEX_ID = re.compile(r"([0-9a-f]{32})(?:[?#].*)?$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PAGE = 100


def database_id(value: str) -> str | None:
    """A database id from a Notion URL or a bare id, dashed; None when there is none."""
    text = value.strip().lower()
    if UUID.match(text):
        return text
    match = HEX_ID.search(text.replace("-", ""))
    if not match:
        return None
    h = match.group(1)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class NotionTarget(Target):
    plugin = "notion"
    description = "Pages in a Notion database"
    requires = ("notion_client", "httpx")
    install = "pip install 'careersync[notion]'"
    options = (
        Option("database", str, help="the database's URL or id", renders=False),
        Option("title_property", str, "Name", "the title property"),
        Option("due_property", str, "Due", "a date property"),
        Option("done_property", str, "Done", "a checkbox property"),
        Option("kind_property", str, "Kind", "a select property"),
        Option("goal_property", str, "Goal", "a select property"),
        Option("uid_property", str, "CareerSync ID", "a text property"),
        Option(
            "status_property",
            str,
            "",
            "a status property: when set, a status in done_statuses (alone) means done",
        ),
        Option("done_statuses", list, ["Done"], "status names that mean done"),
        Option("done_on_property", str, "Done on", "a date property read as the completion date"),
        Option("horizon", int, 90, "days ahead recurring items get a page per occurrence"),
        Option("rate", (int, float), 3, "requests a second on average", renders=False),
        Option("timeout", (int, float), 30, "seconds to wait for Notion", renders=False),
    )

    @classmethod
    def check(cls, out: dict[str, Any]) -> list[str]:
        problems = []
        if database_id(out["database"]) is None:
            problems.append(
                f"database: {out['database']!r} is not a Notion database URL or id "
                "(copy the link from the database's ••• menu)"
            )
        if out["horizon"] < 0:
            problems.append("horizon: must be 0 or more days")
        if out["rate"] <= 0:
            problems.append("rate: must be more than 0")
        return problems

    def __init__(self, config: dict[str, Any], context: TargetContext) -> None:
        super().__init__(config, context)
        self.database = database_id(config["database"]) or ""
        self._client: Client | None = None
        self._source: str | None = None
        self._done_on: str | None = None
        self._not_done: str | None = None  # the status an undone item goes back to
        self._usable = True
        self.pages: dict[str, dict] = {}
        self.bucket = None

    def authenticate(self, prompt) -> str:
        return prompt("Notion integration token (notion.so/my-integrations > your integration)")

    def occurrence_horizon(self) -> int:
        return self.config["horizon"]

    # the API -----------------------------------------------------------------------------

    @property
    def client(self) -> Client:
        if self._client is None:
            try:
                import httpx
                from notion_client import Client
            except ImportError:
                raise ConfigError(
                    "the notion target needs notion-client: pip install 'careersync[notion]'"
                ) from None
            from careersync_notion.ratelimit import LimitedTransport, TokenBucket

            token = self.context.secret()
            if not token:
                raise secrets.missing(self.context.name, "Notion integration token")
            # a burst of one: Notion's own allowance for bursts stays free for other clients
            self.bucket = self.bucket or TokenBucket(self.config["rate"], burst=1)
            transport = LimitedTransport(HTTP_TRANSPORT or httpx.HTTPTransport(), self.bucket)
            self._client = Client(
                client=httpx.Client(transport=transport),
                auth=token,
                retry=False,
                timeout_ms=int(self.config["timeout"] * 1000),
                logger=_quiet_logger(),
            )
        return self._client

    def _call(self, what: str, fn, *args, safe: bool = True, **kwargs):
        """One request, repeated under the retry policy on a transient failure. ``safe``:
        repeating it cannot do it twice (reads, updates); a create is not."""
        return self.context.retry(
            lambda: self._once(what, fn, *args, safe=safe, **kwargs), safe=safe
        )

    def _once(self, what: str, fn, *args, safe: bool, **kwargs):
        """One notion-client call, with its failures made careersync's."""
        import httpx
        from notion_client.errors import HTTPResponseError, RequestTimeoutError

        try:
            return fn(*args, **kwargs)
        except HTTPResponseError as exc:
            name = self.context.name
            if exc.status == 401:
                raise AuthError(
                    f"Notion refused the token for target {name!r}: run `careersync auth {name}`"
                ) from None
            if exc.status in (403, 404):
                raise AuthError(
                    f"Notion cannot show target {name!r} the database {self.database} "
                    f"({exc.status}, {exc.code}): open the database in Notion, choose ••• > "
                    "Connections and add your integration, then sync again"
                ) from None
            if exc.status in (409, 429) or exc.status >= 500:
                retry = exc.headers.get("retry-after") if exc.headers else None
                raise TransientError(
                    f"{what}: Notion answered {exc.status} ({exc.code})",
                    retry_after=float(retry) if retry and retry.isdigit() else None,
                    safe=safe or exc.status in (409, 429),
                ) from None
            raise NotionHTTPError(what, exc.status, str(exc.code), str(exc)) from None
        except RequestTimeoutError:
            raise TransientError(f"{what}: Notion timed out", safe=safe) from None
        except httpx.TransportError as exc:
            raise TargetError(f"{what}: cannot reach Notion ({type(exc).__name__})") from None

    # schema ------------------------------------------------------------------------------

    def _wanted(self) -> dict[str, tuple[str, str]]:
        """Property name -> (type, the option that names it)."""
        c = self.config
        wanted = {
            c["title_property"]: ("title", "title_property"),
            c["due_property"]: ("date", "due_property"),
            c["done_property"]: ("checkbox", "done_property"),
            c["kind_property"]: ("select", "kind_property"),
            c["goal_property"]: ("select", "goal_property"),
            c["uid_property"]: ("rich_text", "uid_property"),
        }
        if c["status_property"]:
            wanted[c["status_property"]] = ("status", "status_property")
        return wanted

    def _check_schema(self) -> None:
        database = self._call("reading the database", self.client.databases.retrieve, self.database)
        sources = database.get("data_sources") or []
        if not sources:
            raise TargetError(f"the Notion database {self.database} has no data source")
        self._source = self._choose([s["id"] for s in sources])
        source = self._call(
            "reading the database's properties", self.client.data_sources.retrieve, self._source
        )
        have = {name: prop["type"] for name, prop in source.get("properties", {}).items()}
        problems, missing = [], {}
        for name, (kind, option) in self._wanted().items():
            if name in have and have[name] != kind:
                problems.append(
                    f"property {name!r} is {have[name]}, careersync needs {kind}: change its "
                    f"type in Notion, or set {option} to another property"
                )
            elif name not in have and kind == "title":
                title = next((n for n, t in have.items() if t == "title"), "?")
                problems.append(f"the title property is called {title!r}: set title_property")
            elif name not in have and kind == "status":
                problems.append(
                    f"status property {name!r} is missing, and Notion's API cannot create one: "
                    "add it in Notion, or leave status_property out"
                )
            elif name not in have:
                missing[name] = self._property_schema(name, kind)
        status = self.config["status_property"]
        if status and have.get(status) == "status":
            options = source["properties"][status]["status"].get("options", [])
            names = {o["name"] for o in options}
            self._not_done = next(
                (o["name"] for o in options if o["name"] not in self.config["done_statuses"]), None
            )
            unknown = [s for s in self.config["done_statuses"] if s not in names]
            if unknown:
                problems.append(
                    f"done_statuses {unknown} are not options of {status!r} "
                    f"({', '.join(sorted(names))})"
                )
        if problems:
            raise TargetError(
                "the Notion database needs changes careersync cannot make: " + "; ".join(problems)
            )
        done_on = self.config["done_on_property"]
        self._done_on = done_on if have.get(done_on) == "date" else None
        if missing:
            self._add_properties(missing)

    def _choose(self, sources: list[str]) -> str:
        """Of a database's data sources, the first holding careersync's pages (the first one
        when none does yet); with several, the person is told which."""
        if len(sources) == 1:
            return sources[0]
        holding = [s for s in sources if self._holds_pages(s)]
        chosen = (holding or sources)[0]
        self.context.warn(
            f"the Notion database {self.database} has {len(sources)} data sources: careersync "
            f"uses {chosen}" + (", the one holding its pages" if holding else ", the first")
        )
        return chosen

    def _holds_pages(self, source: str) -> bool:
        """Whether a data source has a page carrying a careersync uid. A data source without
        the uid property holds none; any other failure is raised, never read as "none"."""
        uid = self.config["uid_property"]
        try:
            found = self._call(
                "looking for careersync's pages",
                self.client.data_sources.query,
                source,
                filter={"property": uid, "rich_text": {"is_not_empty": True}},
                page_size=1,
            )
        except NotionHTTPError as exc:
            if exc.code == "validation_error":
                return False
            raise
        return bool(found.get("results"))

    def _property_schema(self, name: str, kind: str) -> dict:
        if name == self.config["kind_property"]:
            return {"select": {"options": [{"name": k} for k in KINDS]}}
        return {kind: {}}

    def _add_properties(self, missing: dict[str, dict]) -> None:
        listing = ", ".join(f"{n} ({next(iter(s))})" for n, s in missing.items())
        if self.context.dry_run:
            self._usable = self.config["uid_property"] not in missing
            return
        question = f"Add {listing} to the Notion database for target {self.context.name!r}?"
        if not self.context.confirm(question):
            raise TargetError(
                f"the Notion database lacks {listing}: run `careersync sync --yes` to add them, "
                "or add them in Notion"
            )
        self._call(
            "adding properties",
            self.client.data_sources.update,
            self._source,
            properties=missing,
        )

    # reading -----------------------------------------------------------------------------

    def pull(self) -> list[Remote]:
        self._check_schema()
        if not self._usable:
            return []
        return self._query({"rich_text": {"is_not_empty": True}})

    def find(self, uid: str) -> list[Remote]:
        """The pages carrying ``uid``: one query filtered on the uid property."""
        if self._source is None:
            self._check_schema()
        if not self._usable:
            return []
        found = self._query({"rich_text": {"equals": uid}})
        return [r for r in found if r.uid == uid]

    def _query(self, condition: dict) -> list[Remote]:
        """The pages whose uid property meets ``condition``, page after page (a failed page is
        asked again at its cursor)."""
        body: dict[str, Any] = {
            "filter": {"property": self.config["uid_property"], **condition},
            "sorts": [{"timestamp": "created_time", "direction": "ascending"}],
            "page_size": PAGE,
        }
        out = []
        cursor = None
        while True:
            query = {**body, **({"start_cursor": cursor} if cursor else {})}
            result = self._call(
                "listing the database's pages",
                self.client.data_sources.query,
                self._source,
                **query,
            )
            for page in result.get("results", []):
                remote = self._remote(page)
                if remote is not None:
                    out.append(remote)
            cursor = result.get("next_cursor")
            if not result.get("has_more") or not cursor:
                return out

    def _remote(self, page: dict) -> Remote | None:
        if page.get("in_trash") or page.get("archived"):
            return None
        props = page.get("properties", {})
        c = self.config
        uid = _text(props.get(c["uid_property"]))
        if not uid:
            return None
        status = ((props.get(c["status_property"]) or {}).get("status") or {}).get("name")
        if c["status_property"]:  # a status workflow: the status alone says done
            done = status in c["done_statuses"]
        else:
            done = bool((props.get(c["done_property"]) or {}).get("checkbox"))
        when = None
        if self._done_on:
            start = ((props.get(self._done_on) or {}).get("date") or {}).get("start")
            when = dt.date.fromisoformat(start[:10]) if start else None
        self.pages[page["id"]] = {
            "title": _text(props.get(c["title_property"])),
            "due": (props.get(c["due_property"]) or {}).get("date"),
            "kind": ((props.get(c["kind_property"]) or {}).get("select") or {}).get("name"),
            "goal": ((props.get(c["goal_property"]) or {}).get("select") or {}).get("name"),
            "done": done,
            "status": status,
        }
        done_keys = {uid: when} if done else {}
        return Remote(uid, page["id"], done_keys, created=page.get("created_time"))

    def same(self, remote: Remote, entry: Entry) -> bool:
        page = self.pages.get(remote.remote_id)
        if page is None:
            return False
        due = page["due"] or {}
        wanted = self._due(entry)
        return (
            page["title"] == entry.item.title
            and (due.get("start") or "")[:19] == wanted["start"][:19]
            and (due.get("end") or "")[:19] == (wanted["end"] or "")[:19]
            and page["kind"] == entry.item.kind
            and page["goal"] == _goal(entry)
            and page["done"] == (entry.uid in entry.done)
        )

    # writing -----------------------------------------------------------------------------

    def _due(self, entry: Entry) -> dict[str, Any]:
        item = entry.item
        if item.time is None:
            return {"start": item.date.isoformat(), "end": None, "time_zone": None}
        # the wall-clock time that day: a time the clocks skip is shown after the change
        start = dt.datetime.combine(item.date, item.time_on(item.date) or item.time)
        end = start + item.duration if item.duration else None
        return {
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
            "time_zone": item.timezone,
        }

    def _properties(self, entry: Entry, remote_id: str | None = None) -> dict[str, Any]:
        c = self.config
        item = entry.item
        done = entry.uid in entry.done
        goal = _goal(entry)
        props: dict[str, Any] = {
            c["title_property"]: {"title": [{"text": {"content": item.title[:2000]}}]},
            c["due_property"]: {"date": self._due(entry)},
            c["done_property"]: {"checkbox": done},
            c["kind_property"]: {"select": {"name": item.kind}},
            c["goal_property"]: {"select": {"name": goal} if goal else None},
            c["uid_property"]: {"rich_text": [{"text": {"content": item.uid}}]},
        }
        status = c["status_property"]
        if status:
            current = self.pages.get(remote_id or "", {}).get("status")
            if done and current not in c["done_statuses"]:
                props[status] = {"status": {"name": c["done_statuses"][0]}}
            elif not done and current in c["done_statuses"] and self._not_done:
                props[status] = {"status": {"name": self._not_done}}
        if self._done_on:
            when = entry.done.get(entry.uid)
            props[self._done_on] = {"date": {"start": when.isoformat()} if when else None}
        return props

    def create(self, entry: Entry) -> str:
        page = self._call(
            "creating a page",
            self.client.pages.create,
            parent={"type": "data_source_id", "data_source_id": self._source},
            properties=self._properties(entry),
            safe=False,
        )
        return page["id"]

    def update(self, remote_id: str, entry: Entry) -> str:
        self._call(
            "updating a page",
            self.client.pages.update,
            remote_id,
            properties=self._properties(entry, remote_id),
        )
        return remote_id

    def delete(self, remote_id: str) -> None:
        self._call("moving a page to the trash", self.client.pages.update, remote_id, in_trash=True)


class NotionHTTPError(TargetError):
    """Notion refused a request (a 4xx other than authorization)."""

    def __init__(self, what: str, status: int, code: str, text: str) -> None:
        super().__init__(f"{what}: Notion refused it ({status}): {text}")
        self.status = status
        self.code = code


def _quiet_logger() -> logging.Logger:
    """notion-client logs failures to stdout by default; careersync reports them itself."""
    logger = logging.getLogger("careersync_notion.client")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    logger.propagate = False
    return logger


def _text(prop: dict | None) -> str:
    if not prop:
        return ""
    parts = prop.get(prop.get("type", ""), []) or []
    return "".join(p.get("plain_text") or p.get("text", {}).get("content", "") for p in parts)


def _goal(entry: Entry) -> str | None:
    """Select option names may not contain commas."""
    title = entry.item.goal_title
    return title.replace(",", " ")[:100] if title else None
