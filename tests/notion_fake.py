"""A stateful fake of the slice of Notion's API careersync uses (Notion-Version 2025-09-03),
behind ``httpx.MockTransport``, so tests drive the real notion-client.

Modelled on the API reference: a database holds data sources; pages live under a data source
and are listed with ``POST /v1/data_sources/{id}/query`` (filters, sorts, cursor pagination of
at most 100, trashed pages left out); property values are validated against the schema (a
value of the wrong type, or a select option with a comma, is a 400 ``validation_error``);
select options are created when first used; the API cannot create a status property; a
database not shared with the integration is a 404 ``object_not_found``; a wrong token a 401;
429 with Retry-After can be injected. ``faults`` injects request-level faults as the memory
service does (see memory_plugin.FAULTS), by request number: 429, 500, a timeout, an answer lost
after the request was applied, or the process killed right after it was applied. Notion has no
idempotency key: a create sent twice makes two pages.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from memory_plugin import Crash


def _rich(text: str) -> list[dict]:
    return [
        {
            "type": "text",
            "text": {"content": text, "link": None},
            "plain_text": text,
            "annotations": {
                "bold": False,
                "italic": False,
                "strikethrough": False,
                "underline": False,
                "code": False,
                "color": "default",
            },
            "href": None,
        }
    ]


def error(status: int, code: str, message: str, headers: dict | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        headers=headers or {},
        json={"object": "error", "status": status, "code": code, "message": message},
    )


@dataclass
class FakeNotion:
    token: str = "secret_good"
    latency: float = 0.0
    clock: float = 0.0
    databases: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    pages: dict[str, dict] = field(default_factory=dict)
    shared: set[str] = field(default_factory=set)
    requests: list[tuple[str, str, float]] = field(default_factory=list)
    failures: deque = field(default_factory=deque)
    #: request number (1-based, every request counted) -> one of memory_plugin.FAULTS
    faults: dict[int, str] = field(default_factory=dict)
    #: the share of requests (0-1) that meet a fault of a kind drawn at random (benchmarks)
    fault_rate: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    served: int = 0
    #: called with (method, path) after a request was applied, before it is answered: lets a
    #: test run another machine's sync in the middle of this one
    meanwhile: Callable[[str, str], None] | None = None
    ticks: itertools.count = field(default_factory=itertools.count)
    lock: threading.RLock = field(default_factory=threading.RLock)
    #: enforce Notion's limit (an average of ``rate`` a second, bursts of ``burst``) with 429s
    rate: float | None = None
    burst: int = 5
    rate_limited: int = 0
    _tokens: float = 0.0
    _last: float = 0.0

    # setting up, as the person would in Notion -------------------------------------------

    def add_database(
        self, title: str = "Career plan", properties: dict | None = None, shared: bool = True
    ) -> str:
        db, ds = str(uuid.uuid4()), str(uuid.uuid4())
        props = {"Name": {"type": "title", "title": {}}}
        props.update(properties or {})
        self.sources[ds] = {
            "id": ds,
            "database_id": db,
            "title": title,
            "properties": {n: self._prop(n, p) for n, p in props.items()},
        }
        self.databases[db] = {
            "object": "database",
            "id": db,
            "title": _rich(title),
            "data_sources": [{"id": ds, "name": title}],
        }
        if shared:
            self.shared.add(db)
        return db

    def _prop(self, name: str, spec: dict) -> dict:
        kind = spec.get("type") or next(iter(spec))
        config = spec.get(kind, {}) or {}
        if kind in ("select", "status"):
            config = {
                "options": [
                    {"id": str(uuid.uuid4())[:8], "name": o["name"], "color": "default"}
                    for o in config.get("options", [])
                ]
            }
        return {"id": str(uuid.uuid4())[:4], "name": name, "type": kind, kind: config}

    def add_source(self, db: str, title: str, properties: dict | None = None) -> str:
        """Another data source in database ``db`` (Notion 2025-09-03 allows several)."""
        ds = str(uuid.uuid4())
        props = {"Name": {"type": "title", "title": {}}, **(properties or {})}
        self.sources[ds] = {
            "id": ds,
            "database_id": db,
            "title": title,
            "properties": {n: self._prop(n, p) for n, p in props.items()},
        }
        self.databases[db]["data_sources"].append({"id": ds, "name": title})
        return ds

    def source_of(self, db: str) -> dict:
        return self.sources[self.databases[db]["data_sources"][0]["id"]]

    def page_by_uid(self, uid: str, prop: str = "CareerSync ID") -> dict:
        found = [
            p
            for p in self.pages.values()
            if not p["in_trash"]
            and "".join(r["plain_text"] for r in p["properties"].get(prop, {}).get("rich_text", []))
            == uid
        ]
        assert len(found) == 1, (uid, len(found))
        return found[0]

    def live(self, prop: str = "CareerSync ID") -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for p in self.pages.values():
            uid = "".join(
                r["plain_text"] for r in p["properties"].get(prop, {}).get("rich_text", [])
            )
            if uid and not p["in_trash"]:
                title = "".join(r["plain_text"] for r in p["properties"]["Name"]["title"])
                out.setdefault(uid, []).append(title)
        return out

    def tick(self, uid: str, done: bool = True) -> None:
        self.page_by_uid(uid)["properties"]["Done"]["checkbox"] = done

    def fail_next(
        self,
        status: int,
        code: str,
        retry_after: int | None = None,
        count: int = 1,
        method: str = "",
    ) -> None:
        for _ in range(count):
            self.failures.append((status, code, retry_after, method))

    # HTTP ----------------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.latency:
            time.sleep(self.latency)
        response = self.answer(request)
        if self.meanwhile is not None:
            self.meanwhile(request.method, request.url.path.removeprefix("/v1"))
        return response

    def answer(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            path = request.url.path.removeprefix("/v1")
            self.requests.append((request.method, path, time.monotonic()))
            self.served += 1
            fault = self.faults.pop(self.served, None)
            if fault is None and self.rng.random() < self.fault_rate:
                fault = self.rng.choice(("429", "500", "timeout", "lost"))
            if request.headers.get("notion-version") != "2025-09-03":
                return error(400, "invalid_request", "this fake speaks Notion-Version 2025-09-03")
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return error(401, "unauthorized", "API token is invalid.")
            if self.rate is not None and not self._take_token():
                self.rate_limited += 1
                return error(429, "rate_limited", "Rate limited.", {"retry-after": "1"})
            if self.failures and self.failures[0][3] in ("", request.method):
                status, code, retry_after, _ = self.failures.popleft()
                headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
                return error(status, code, "injected", headers)
            if fault == "429":
                return error(429, "rate_limited", "Rate limited.", {"retry-after": "0"})
            if fault == "500":
                return error(500, "internal_server_error", "injected")
            if fault == "timeout":
                raise httpx.ReadTimeout("injected", request=request)
            body = json.loads(request.content) if request.content else {}
            response = self.route(request.method, path, body)
            if fault == "lost":
                raise httpx.ReadTimeout("the answer was lost (injected)", request=request)
            if fault == "crash":
                raise Crash()
            return response

    def _take_token(self) -> bool:
        now = time.monotonic()
        if not self._last:
            self._tokens, self._last = float(self.burst), now
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    def route(self, method: str, path: str, body: dict) -> httpx.Response:
        if m := re.fullmatch(r"/databases/([\w-]+)", path):
            db = self.databases.get(m.group(1))
            if db is None or db["id"] not in self.shared:
                return error(
                    404,
                    "object_not_found",
                    f"Could not find database with ID: {m.group(1)}. Make sure the relevant "
                    "pages and databases are shared with your integration.",
                )
            return httpx.Response(200, json=db)
        if m := re.fullmatch(r"/data_sources/([\w-]+)(/query)?", path):
            source = self.sources.get(m.group(1))
            if source is None or source["database_id"] not in self.shared:
                return error(
                    404, "object_not_found", f"Could not find data_source with ID: {m.group(1)}."
                )
            if m.group(2):
                return self.query(source, body)
            if method == "PATCH":
                for name, spec in body.get("properties", {}).items():
                    if "status" in spec:
                        return error(
                            400,
                            "validation_error",
                            "Cannot create a status property through the API.",
                        )
                    source["properties"][name] = self._prop(name, spec)
            return httpx.Response(200, json={"object": "data_source", **source})
        if (method, path) == ("POST", "/pages"):
            parent = body.get("parent", {})
            source = self.sources.get(parent.get("data_source_id", ""))
            if source is None or source["database_id"] not in self.shared:
                return error(404, "object_not_found", "Could not find data_source.")
            props, problem = self.values(source, body.get("properties", {}), {})
            if problem:
                return error(400, "validation_error", problem)
            pid = str(uuid.uuid4())
            stamp = (
                f"2027-01-01T00:{next(self.ticks) // 60 % 60:02d}:{next(self.ticks) % 60:02d}.000Z"
            )
            self.pages[pid] = {
                "object": "page",
                "id": pid,
                "created_time": stamp,
                "last_edited_time": stamp,
                "in_trash": False,
                "archived": False,
                "parent": {"type": "data_source_id", "data_source_id": source["id"]},
                "properties": props,
                "_order": len(self.pages),
            }
            return httpx.Response(200, json=self.public(self.pages[pid]))
        if m := re.fullmatch(r"/pages/([\w-]+)", path):
            page = self.pages.get(m.group(1))
            if page is None:
                return error(404, "object_not_found", f"Could not find page with ID: {m.group(1)}.")
            if method == "PATCH":
                if "in_trash" in body:
                    page["in_trash"] = page["archived"] = bool(body["in_trash"])
                if "properties" in body:
                    source = self.sources[page["parent"]["data_source_id"]]
                    props, problem = self.values(source, body["properties"], page["properties"])
                    if problem:
                        return error(400, "validation_error", problem)
                    page["properties"] = props
            return httpx.Response(200, json=self.public(page))
        return error(404, "invalid_request_url", f"no route {method} {path}")

    def public(self, page: dict) -> dict:
        return {k: v for k, v in page.items() if not k.startswith("_")}

    def values(self, source: dict, given: dict, current: dict) -> tuple[dict, str | None]:
        """Property values after a write, or a validation problem."""
        out = json.loads(json.dumps(current)) if current else {}
        for name, prop in source["properties"].items():
            out.setdefault(
                name,
                {"id": prop["id"], "type": prop["type"], prop["type"]: self.empty(prop["type"])},
            )
        for name, value in given.items():
            prop = source["properties"].get(name)
            if prop is None:
                return out, f"{name} is not a property that exists."
            kind = prop["type"]
            if kind not in value:
                return out, f"{name} is expected to be {kind}."
            raw = value[kind]
            if kind in ("title", "rich_text"):
                text = "".join(part["text"]["content"] for part in raw)
                out[name][kind] = _rich(text) if text else []
            elif kind == "checkbox":
                if not isinstance(raw, bool):
                    return out, f"{name} is expected to be checkbox."
                out[name][kind] = raw
            elif kind == "date":
                out[name][kind] = (
                    None
                    if raw is None
                    else {
                        "start": raw["start"],
                        "end": raw.get("end"),
                        "time_zone": raw.get("time_zone"),
                    }
                )
            elif kind in ("select", "status"):
                if raw is None:
                    out[name][kind] = None
                    continue
                if "," in raw["name"]:
                    return out, f"Select option names cannot contain commas: {raw['name']!r}."
                options = prop[kind]["options"]
                option = next((o for o in options if o["name"] == raw["name"]), None)
                if option is None:
                    if kind == "status":
                        return out, f"Invalid status option {raw['name']!r}."
                    option = {"id": str(uuid.uuid4())[:8], "name": raw["name"], "color": "default"}
                    options.append(option)
                out[name][kind] = dict(option)
        return out, None

    @staticmethod
    def empty(kind: str):
        return {"title": [], "rich_text": [], "checkbox": False}.get(kind)

    def matches(self, page: dict, f: dict | None) -> bool:
        if not f:
            return True
        if "and" in f:
            return all(self.matches(page, g) for g in f["and"])
        if "or" in f:
            return any(self.matches(page, g) for g in f["or"])
        value = page["properties"].get(f["property"])
        if value is None:
            raise KeyError(f["property"])
        if "rich_text" in f or "title" in f:
            cond = f.get("rich_text") or f.get("title")
            text = "".join(r["plain_text"] for r in value[value["type"]])
            if "is_not_empty" in cond:
                return bool(text)
            if "equals" in cond:
                return text == cond["equals"]
            if "contains" in cond:
                return cond["contains"] in text
        if "checkbox" in f:
            return value["checkbox"] == f["checkbox"]["equals"]
        raise ValueError(f)

    def query(self, source: dict, body: dict) -> httpx.Response:
        size = body.get("page_size", 100)
        if size > 100:
            return error(400, "validation_error", "body.page_size should be ≤ `100`.")
        pages = [
            p
            for p in self.pages.values()
            if p["parent"]["data_source_id"] == source["id"] and not p["in_trash"]
        ]
        try:
            pages = [p for p in pages if self.matches(p, body.get("filter"))]
        except KeyError as exc:
            return error(
                400, "validation_error", f"Could not find property with name or id: {exc.args[0]}"
            )
        for sort in reversed(body.get("sorts", [])):
            key = (
                (lambda p: p["created_time"] + f"{p['_order']:08d}")
                if sort.get("timestamp")
                else (lambda p, s=sort: json.dumps(p["properties"][s["property"]]))
            )
            pages.sort(key=key, reverse=sort.get("direction") == "descending")
        start = int(body.get("start_cursor") or 0)
        chunk = pages[start : start + size]
        more = start + size < len(pages)
        return httpx.Response(
            200,
            json={
                "object": "list",
                "type": "page_or_data_source",
                "results": [self.public(p) for p in chunk],
                "next_cursor": str(start + size) if more else None,
                "has_more": more,
            },
        )
