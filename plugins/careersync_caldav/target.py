"""CaldavTarget: one calendar object resource per item, written with ETag preconditions.

Reads cost one PROPFIND of ETags; only objects whose ETag changed since the last sync are
fetched (one calendar-multiget), from a cache kept beside the state. Creates send
``If-None-Match: *``; updates and deletes send the ETag last seen, and a 412 (the person changed
the item meanwhile) makes the target fetch it again, keep their completions and re-apply the
plan's fields.

Every request runs on its own under the retry policy: a 429, a 5xx, a timeout or a connection
dropped before the answer repeats that request alone. Repeats are safe because each item lives at
a deterministic href: a create repeated after a lost answer meets its own object (412) and adopts
it; an update or delete repeated meets a changed ETag or a 404. Only making the calendar is not
repeated blindly: the calendars are listed again first.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin, urlparse

from careersync_ics import reminders

from careersync.errors import AuthError, ConfigError, TargetError, TransientError
from careersync.retry import Unreachable
from careersync.target import Entry, Option, Remote, Target, TargetCache, TargetContext

if TYPE_CHECKING:
    import caldav

PROPFIND_ETAGS = ["{DAV:}getetag"]
MULTIGET = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    "<D:prop><D:getetag/><C:calendar-data/></D:prop>{hrefs}</C:calendar-multiget>"
)
ICS = {"Content-Type": "text/calendar; charset=utf-8"}
CONFLICT_RETRIES = 3
#: tries at making the calendar when the answer to the last one was lost
CALENDAR_TRIES = 3
#: the end of every href careersync writes (see careersync_ics.mapping.component_uid)
OURS = "@careersync.ics"
TRANSIENT_STATUS = re.compile(r"\b(429|5\d\d) [A-Z]")


class CaldavTarget(Target):
    plugin = "caldav"
    description = "A calendar on a CalDAV server (Nextcloud, Fastmail, iCloud, Radicale, ...)"
    requires = ("caldav",)
    install = "pip install 'careersync[caldav]'"
    options = (
        Option(
            "url",
            str,
            help="the server's CalDAV address, e.g. https://dav.example.com/",
            renders=False,
        ),
        Option("username", str, "", "the account's user name", renders=False),
        Option(
            "calendar",
            str,
            "careersync",
            "a calendar's display name (created if missing) or its path/URL",
            renders=False,
        ),
        Option("todos", bool, False, "true: milestones and goal deadlines as VTODO"),
        Option("reminders", dict, {}, 'per kind: "1w", "2d", "2h", "15m" or "none"'),
        Option("timeout", (int, float), 30, "seconds to wait for the server", renders=False),
    )

    @classmethod
    def check(cls, out: dict[str, Any]) -> list[str]:
        found = reminders.problems(out["reminders"])
        if not urlparse(out["url"]).scheme.startswith("http"):
            found.append(f"url: {out['url']!r} is not an http(s) address")
        return found

    def __init__(self, config: dict[str, Any], context: TargetContext) -> None:
        super().__init__(config, context)
        self._client: caldav.DAVClient | None = None
        self._calendar_url: str | None = None
        self.etags: dict[str, str] = {}
        self._cache: dict[str, dict] | None = None
        self.requests = 0

    def authenticate(self, prompt) -> str:
        return prompt(
            f"Password or app token for {self.config['username']} at {self.config['url']}"
        )

    # connection ---------------------------------------------------------------------------

    @property
    def client(self) -> caldav.DAVClient:
        if self._client is None:
            try:
                import caldav
            except ImportError:
                raise ConfigError(
                    "the caldav target needs the caldav library: pip install 'careersync[caldav]'"
                ) from None
            self._client = caldav.DAVClient(
                url=self.config["url"],
                username=self.config["username"] or None,
                password=self.context.secret() or None,
                timeout=self.config["timeout"],
            )
        return self._client

    def _call(self, what: str, fn, *args, safe: bool = True, **kwargs):
        """One request, retried on its own when it fails transiently (``safe``: it may be
        repeated after a lost answer)."""
        return self.context.retry(lambda: self._once(what, fn, *args, **kwargs), safe=safe)

    def _once(self, what: str, fn, *args, **kwargs):
        """One try of a request, with the library's and the network's failures made
        careersync's."""
        from caldav.lib import error

        self.requests += 1
        try:
            response = fn(*args, **kwargs)
        except error.AuthorizationError:
            raise self._auth_error() from None
        except error.RateLimitError as exc:
            raise TransientError(
                f"{what}: the server is rate limiting", retry_after=exc.retry_after_seconds
            ) from None  # refused before it was applied: safe to repeat
        except error.NotFoundError as exc:
            raise TargetError(f"{what}: not found on {self.config['url']} ({exc})") from None
        except error.DAVError as exc:
            status = _failed_status(exc)
            if status is not None:
                raise TransientError(
                    f"{what}: the server answered {status}", safe=status == 429
                ) from None
            raise TargetError(f"{what} failed: {exc}") from None
        except Exception as exc:
            name = type(exc).__name__
            if "Timeout" in name or _dropped(exc):
                raise TransientError(
                    f"{what}: {self.config['url']} did not answer", safe=False
                ) from None
            if "Connection" in name:
                raise TargetError(f"cannot reach {self.config['url']} ({name})") from None
            raise
        status = getattr(response, "status", 200)
        if status in (401, 403):
            raise self._auth_error()
        if status == 429 or status >= 500:
            retry_after = _seconds(getattr(response, "headers", {}).get("Retry-After"))
            raise TransientError(
                f"{what}: the server answered {status}",
                retry_after=retry_after,
                safe=status == 429,
            )
        return response

    def _auth_error(self) -> AuthError:
        name = self.context.name
        return AuthError(
            f"the CalDAV server refused the login for target {name!r}: check `username` and run "
            f"`careersync auth {name}` (or set CAREERSYNC_{name.upper().replace('-', '_')}_TOKEN)"
        )

    @property
    def calendar_url(self) -> str:
        if self._calendar_url is None:
            wanted = self.config["calendar"]
            if wanted.startswith(("/", "http://", "https://")):
                self._calendar_url = urljoin(self.config["url"], wanted).rstrip("/") + "/"
            else:
                self._calendar_url = self.cache.load().get("calendar") or self._find_or_make(wanted)
        return self._calendar_url

    @property
    def _where(self) -> str:
        """What the cache belongs to: a change of server, account or calendar voids it."""
        return "|".join((self.config["url"], self.config["username"], self.config["calendar"]))

    def _find_or_make(self, name: str) -> str:
        """The calendar of that display name, made when a listing that succeeded lacks it. A
        making whose answer was lost is looked for before it is tried again."""
        principal = self._call("finding the calendar home", self.client.principal)
        for _ in range(CALENDAR_TRIES):
            named = sorted(
                str(calendar.url)
                for calendar in self._call("listing calendars", principal.calendars)
                if self._call("reading a calendar's name", calendar.get_display_name) == name
            )
            if named:
                return self._holding_ours(named)
            try:
                made = self._call(
                    f"creating calendar {name!r}",
                    principal.make_calendar,
                    name=name,
                    supported_calendar_component_set=["VEVENT", "VTODO"],
                    safe=False,
                )
            except TransientError:
                continue  # it may have been made: list again before making another
            return str(made.url)
        raise Unreachable(f"creating calendar {name!r}: no answer from the server; try later")

    def _holding_ours(self, named: list[str]) -> str:
        """Of calendars sharing the configured name, the first holding careersync's items."""
        if len(named) == 1:
            return named[0]
        chosen = next((url for url in named if self._holds_ours(url)), named[0])
        self.context.warn(
            f"{len(named)} calendars are named {self.config['calendar']!r}; careersync uses "
            f"{chosen} (it holds careersync's items). Rename or remove the other(s)."
        )
        return chosen

    def _holds_ours(self, url: str) -> bool:
        listing = self._call(
            "looking into a calendar", self.client.propfind, url, PROPFIND_ETAGS, depth=1
        )
        return any(r.href.endswith(OURS) for r in listing.results)

    @property
    def cache(self) -> TargetCache:
        return TargetCache(self.context, self._where)

    # reading -----------------------------------------------------------------------------

    def pull(self) -> list[Remote]:
        from careersync_ics import mapping

        listing = self._list()
        base = urlparse(self.calendar_url).path
        self.etags = {
            r.href: r.properties.get("{DAV:}getetag", "")
            for r in listing.results
            if r.href.rstrip("/") != base.rstrip("/")
        }
        cache = self.cache.load().get("objects", {})
        stale = [h for h, etag in self.etags.items() if cache.get(h, {}).get("etag") != etag]
        for href, etag, text in self._fetch(stale):
            cache[href] = {"etag": etag, **self._summarise(href, text, mapping)}
        self._cache = {h: cache[h] for h in self.etags if h in cache}
        return [
            Remote(
                c["uid"],
                href,
                {k: _date(v) for k, v in c["done"].items()},
                c["hash"],
                created=c.get("created"),
            )
            for href, c in self._cache.items()
            if c.get("uid")
        ]

    def _list(self):
        """PROPFIND the calendar's ETags; a cached calendar that has gone is looked up again."""
        listing = self._call(
            "listing the calendar", self.client.propfind, self.calendar_url, PROPFIND_ETAGS, depth=1
        )
        if listing.status == 404 and not self.config["calendar"].startswith(("/", "http")):
            self._calendar_url = self._find_or_make(self.config["calendar"])
            listing = self._call(
                "listing the calendar",
                self.client.propfind,
                self.calendar_url,
                PROPFIND_ETAGS,
                depth=1,
            )
        if listing.status == 404:
            raise TargetError(
                f"calendar {self.config['calendar']!r} not found at {self.calendar_url}"
            )
        return listing

    def _fetch(self, hrefs: list[str]) -> list[tuple[str, str, str]]:
        out = []
        for start in range(0, len(hrefs), 200):
            chunk = hrefs[start : start + 200]
            body = MULTIGET.format(hrefs="".join(f"<D:href>{_xml(h)}</D:href>" for h in chunk))
            response = self._call(
                "reading changed items", self.client.report, self.calendar_url, body, depth=1
            )
            for result in response.parse_calendar_query():
                if result.status == 200 and result.calendar_data:
                    self.etags[result.href] = result.etag or self.etags.get(result.href, "")
                    out.append((result.href, self.etags[result.href], result.calendar_data))
        return out

    def _summarise(self, href: str, text: str, mapping) -> dict:
        from icalendar import Calendar

        try:
            components = [
                c for c in Calendar.from_ical(text).walk() if c.name in ("VEVENT", "VTODO")
            ]
        except ValueError:
            return {"uid": None, "done": {}, "hash": None}
        remotes = mapping.remotes({href: components}, self.context.timezone, self.context.warn)
        if not remotes:
            return {"uid": None, "done": {}, "hash": None}
        r = remotes[0]
        return {
            "uid": r.uid,
            "done": {k: v.isoformat() if v else None for k, v in r.done.items()},
            "hash": r.hash,
            "created": _created(components),
        }

    def _get(self, href: str) -> tuple[str, str] | None:
        """The object's current text and ETag, or None when it is gone."""
        url = urljoin(self.calendar_url, href)
        response = self._call("reading an item", self.client.request, url, "GET")
        if response.status == 404:
            return None
        return response.raw, response.headers.get("etag", "")

    # writing -----------------------------------------------------------------------------

    def _body(self, entry: Entry) -> str:
        from careersync_ics import mapping
        from icalendar import Calendar

        calendar = Calendar()
        calendar.add("prodid", "-//careersync//careersync//EN")
        calendar.add("version", "2.0")
        stamp = dt.datetime.combine(self.context.today, dt.time(), dt.UTC)
        for component in mapping.components(
            entry,
            todos=self.config["todos"],
            reminders=self.config["reminders"],
            stamp=stamp,
        ):
            calendar.add_component(component)
        calendar.add_missing_timezones(
            first_date=dt.date(entry.item.date.year, 1, 1),
            last_date=dt.date((entry.item.until or entry.item.date).year + 2, 1, 1),
        )
        return calendar.to_ical().decode()

    def _put(self, href: str, body: str, condition: dict[str, str], entry: Entry):
        url = urljoin(self.calendar_url, href)
        response = self._call("saving an item", self.client.put, url, body, {**ICS, **condition})
        if response.status in (200, 201, 204):
            etag = response.headers.get("etag", "")
            self.etags[href] = etag
            if self._cache is not None:
                self._cache.pop(href, None)
                if etag and not etag.startswith("W/"):  # the server stored exactly our bytes
                    done = {k: v.isoformat() for k, v in entry.done.items()}
                    self._cache[href] = {
                        "etag": etag,
                        "uid": entry.uid,
                        "done": done,
                        "hash": entry.hash,
                    }
        return response

    def create(self, entry: Entry) -> str:
        from careersync_ics import mapping

        name = quote(mapping.component_uid(entry.uid), safe="@")
        href = urlparse(self.calendar_url).path + name + ".ics"
        response = self._put(href, self._body(entry), {"If-None-Match": "*"}, entry)
        if response.status == 412:  # someone created it since we listed: adopt and update
            return self._update_after_conflict(href, entry)
        self._expect(response, "creating", entry.uid)
        return href

    def update(self, remote_id: str, entry: Entry) -> str:
        etag = self.etags.get(remote_id)
        condition = {"If-Match": etag} if etag else {"If-None-Match": "*"}
        response = self._put(remote_id, self._body(entry), condition, entry)
        if response.status == 412:
            return self._update_after_conflict(remote_id, entry)
        self._expect(response, "updating", entry.uid)
        return remote_id

    def _update_after_conflict(self, href: str, entry: Entry) -> str:
        """Fetch the item the person changed, keep their completions, re-apply the plan."""
        from careersync_ics import mapping

        for _ in range(CONFLICT_RETRIES):
            current = self._get(href)
            if current is None:
                response = self._put(href, self._body(entry), {"If-None-Match": "*"}, entry)
            else:
                text, etag = current
                theirs = self._summarise(href, text, mapping)["done"]
                keep = {k: _date(v) or self.context.today for k, v in theirs.items()}
                merged = Entry(entry.item, {**keep, **entry.done}, entry.hash)
                response = self._put(href, self._body(merged), {"If-Match": etag}, merged)
            if response.status != 412:
                self._expect(response, "updating", entry.uid)
                return href
        raise TransientError(f"{entry.uid} keeps changing on the server; try again", safe=True)

    def delete(self, remote_id: str) -> None:
        url = urljoin(self.calendar_url, remote_id)
        for _ in range(CONFLICT_RETRIES):
            etag = self.etags.get(remote_id)
            headers = {"If-Match": etag} if etag else {}
            response = self._call("deleting an item", self.client.delete, url, headers)
            if response.status in (200, 204, 404):
                self.etags.pop(remote_id, None)
                return
            if response.status != 412:
                break
            current = self._get(remote_id)
            if current is None:
                return
            self.etags[remote_id] = current[1]
        raise TargetError(f"deleting {remote_id} failed: the server answered {response.status}")

    def _expect(self, response, doing: str, uid: str) -> None:
        if response.status not in (200, 201, 204):
            raise TargetError(f"{doing} {uid} failed: the server answered {response.status}")

    def commit(self) -> None:
        """Save what was read this sync, so the next one fetches only what changed."""
        if self._cache is None:
            return
        objects = {h: c for h, c in self._cache.items() if self.etags.get(h) == c["etag"]}
        self.cache.save({"calendar": self.calendar_url, "objects": objects})


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _failed_status(exc) -> int | None:
    """The 429 or 5xx status behind a library error (some carry it only in their text)."""
    status = exc.status if isinstance(exc.status, int) else None
    if status is None:
        found = TRANSIENT_STATUS.search(str(exc))
        status = int(found.group(1)) if found else None
    return status if status is not None and (status == 429 or status >= 500) else None


def _dropped(exc: BaseException) -> bool:
    """Whether the connection broke after the request went out (the answer may be lost), as
    opposed to a server that cannot be reached at all (which fails fast)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (ConnectionResetError, BrokenPipeError, TimeoutError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _created(components: list) -> str | None:
    """When the item was made, from its CREATED (iOS, Thunderbird and most servers write it;
    careersync's own objects have none): of duplicates the oldest is kept, else the lowest
    href."""
    for component in components:
        if component.get("recurrence-id") is None and component.get("created") is not None:
            return component.decoded("created").astimezone(dt.UTC).isoformat()
    return None


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
