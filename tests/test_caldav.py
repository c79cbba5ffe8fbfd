"""The CalDAV target against a real Radicale server, with a second client as the person's phone."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import caldav
import pytest
from ical_marks import done_keys, unmark
from icalendar import Calendar, Event
from radicale_server import Radicale

from careersync.errors import TargetError
from careersync.testing import Harness, TargetConformance

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"


@pytest.fixture(scope="session")
def radicale(tmp_path_factory):
    server = Radicale(tmp_path_factory.mktemp("radicale"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def radicale_with_login(tmp_path_factory):
    folder = tmp_path_factory.mktemp("radicale-auth")
    (folder / "users").write_text("alice:right-password\n")
    server = Radicale(folder, htpasswd=folder / "users")
    yield server
    server.stop()


@dataclass
class StoredObject:
    url: object
    data: str


class Phone:
    """The person's phone: another CalDAV client on the same calendar."""

    def __init__(self, url: str, user: str, calendar: str = "careersync") -> None:
        self.client = caldav.DAVClient(url=url, username=user, password="x")
        self.user = user
        self.calendar_name = calendar

    @property
    def calendar(self):
        for c in self.client.principal().calendars():
            if c.get_display_name() == self.calendar_name:
                return c
        return None

    def objects(self):
        """Each object's URL and text, listed with PROPFIND (the library's objects() can
        return a resource deleted since, without data)."""
        calendar = self.calendar
        if calendar is None:
            return []
        out = []
        for href, _ in self.etags():
            url = str(calendar.url.join(href))
            response = self.client.request(url, "GET")
            if response.status == 200:
                out.append(StoredObject(caldav.lib.url.URL.objectify(url), response.raw))
        return out

    def items(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for obj in self.objects():
            for c in Calendar.from_ical(obj.data).walk():
                if (
                    c.name in ("VEVENT", "VTODO")
                    and c.get("recurrence-id") is None
                    and c.get("X-CAREERSYNC-UID")
                ):
                    out.setdefault(str(c["X-CAREERSYNC-UID"]), []).append(str(c["SUMMARY"]))
        return out

    def etags(self):
        calendar = self.calendar
        if calendar is None:
            return None
        listing = self.client.propfind(str(calendar.url), ["{DAV:}getetag"], depth=1)
        return sorted(
            (r.href, r.properties.get("{DAV:}getetag"))
            for r in listing.results
            if not r.href.endswith("/")
        )

    def find(self, uid: str):
        for obj in self.objects():
            if f"X-CAREERSYNC-UID:{uid}" in obj.data:
                return obj
        raise KeyError(uid)

    def edit(self, uid: str, change) -> None:
        obj = self.find(uid)
        calendar = Calendar.from_ical(obj.data)
        change(calendar)
        url = str(obj.url)
        response = self.client.put(
            url, calendar.to_ical().decode(), {"Content-Type": "text/calendar"}
        )
        assert response.status in (200, 201, 204), response.status

    def shown(self) -> set[str]:
        return done_keys(Calendar.from_ical(obj.data) for obj in self.objects())

    def uncomplete(self, key: str) -> None:
        self.edit(key.split("@")[0], lambda calendar: unmark(calendar, key))

    def complete(self, key: str, when: dt.datetime | None = None) -> None:
        uid, _, day = key.partition("@")

        def change(calendar):
            master = next(
                c
                for c in calendar.walk()
                if c.name in ("VEVENT", "VTODO") and c.get("recurrence-id") is None
            )
            if not day:
                if master.name == "VTODO":
                    master["STATUS"] = "COMPLETED"
                    master.add("COMPLETED", when or dt.datetime(2027, 3, 15, 9, tzinfo=dt.UTC))
                else:
                    master["SUMMARY"] = "✓ " + str(master["SUMMARY"])
                return
            start = master["DTSTART"].dt
            on = dt.date.fromisoformat(day)
            override = Event()
            override.add("uid", str(master["UID"]))
            override.add("dtstamp", dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
            moment = (
                dt.datetime.combine(on, start.timetz().replace(tzinfo=None), start.tzinfo)
                if isinstance(start, dt.datetime)
                else on
            )
            override.add("recurrence-id", moment)
            override.add("dtstart", moment)
            override.add("summary", "[x] " + str(master["SUMMARY"]))
            calendar.add_component(override)

        self.edit(uid, change)


def caldav_config(url: str, user: str, **extra) -> str:
    lines = [
        'plan = "career.toml"',
        "",
        "[targets.phone]",
        'plugin = "caldav"',
        f'url = "{url}"',
        f'username = "{user}"',
    ]
    lines += [f"{k} = {json.dumps(v)}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


class TestCaldavConformance(TargetConformance):
    @pytest.fixture
    def harness(self, radicale, monkeypatch) -> Harness:
        user = f"u{uuid.uuid4().hex[:10]}"
        phone = Phone(radicale.url, user)
        monkeypatch.setenv("CAREERSYNC_T_TOKEN", "any-password")

        @contextlib.contextmanager
        def failing():
            from careersync_caldav.target import CaldavTarget

            def refuse(self, href, body, condition, entry):
                raise TargetError("the server refused the write (simulated)")

            with monkeypatch.context() as m:
                m.setattr(CaldavTarget, "_put", refuse)
                yield

        return Harness(
            {"plugin": "caldav", "url": radicale.url, "username": user},
            phone.items,
            phone.etags,
            phone.complete,
            failing,
            shown=phone.shown,
            uncomplete=phone.uncomplete,
        )


@pytest.fixture
def person(radicale, write, isolated, monkeypatch):
    user = f"u{uuid.uuid4().hex[:10]}"
    shutil.copy(EXAMPLE, isolated / "career.toml")
    write("careersync.toml", caldav_config(radicale.url, user, todos=True))
    monkeypatch.setenv("CAREERSYNC_PHONE_TOKEN", "any-password")
    return Phone(radicale.url, user)


def sync(run, *args):
    result = run("sync", "--json", *args)
    doc = json.loads(result.stdout)["targets"]["phone"]
    return result.exit_code, doc


def status_items(run):
    return {
        i["uid"]: i
        for i in json.loads(run("status", "--json", "--as-of", "2029-01-04").stdout)["items"]
    }


def test_calendar_is_created_with_events_and_todos(run, person):
    code, report = sync(run)
    assert code == 0 and report["created"] == 15, report
    assert person.calendar is not None
    kinds = {}
    for obj in person.objects():
        for c in Calendar.from_ical(obj.data).walk():
            if c.get("X-CAREERSYNC-UID") and c.get("recurrence-id") is None:
                kinds[str(c["X-CAREERSYNC-UID"])] = c.name
        assert obj.url.path.endswith("@careersync.ics")
    assert kinds["milestone:sql-course"] == "VTODO" and kinds["habit:practice"] == "VEVENT"


def test_phone_completes_a_task_and_a_habit_occurrence(run, person):
    sync(run)
    person.complete("milestone:sql-course", dt.datetime(2027, 3, 15, 9, tzinfo=dt.UTC))
    person.complete("habit:practice@2027-01-16")
    code, report = sync(run)
    assert (code, report["completed"]) == (0, 2)
    items = status_items(run)
    assert items["milestone:sql-course"]["done_on"] == "2027-03-15"
    assert items["milestone:sql-course"]["source"] == "phone"
    assert items["habit:practice@2027-01-16"]["done"]


def test_phone_edit_is_kept_and_a_concurrent_edit_takes_the_412_path(
    run, person, isolated, monkeypatch
):
    from careersync_caldav.target import CaldavTarget

    sync(run)
    person.edit(
        "milestone:exam",
        lambda cal: next(c for c in cal.walk("VTODO")).add("LOCATION", "Test centre"),
    )
    code, report = sync(run)
    assert (report["updated"], report["unchanged"]) == (0, 15)
    assert "Test centre" in person.find("milestone:exam").data

    plan = (isolated / "career.toml").read_text()
    (isolated / "career.toml").write_text(
        plan.replace("Sit the certificate exam", "Sit the final exam")
    )
    original = CaldavTarget.update
    conflicts = []

    def phone_edits_first(self, remote_id, entry):
        if entry.uid == "milestone:exam" and not conflicts:
            conflicts.append(remote_id)
            person.complete("milestone:exam", dt.datetime(2027, 10, 1, 8, tzinfo=dt.UTC))
        return original(self, remote_id, entry)

    monkeypatch.setattr(CaldavTarget, "update", phone_edits_first)
    code, report = sync(run)
    assert code == 0 and report["updated"] == 1 and conflicts
    data = person.find("milestone:exam").data
    assert "SUMMARY:Sit the final exam" in data, "the plan's new title was re-applied"
    assert "STATUS:COMPLETED" in data, "the person's completion made meanwhile was kept"
    monkeypatch.setattr(CaldavTarget, "update", original)
    code, report = sync(run)
    assert report["completed"] == 1
    assert status_items(run)["milestone:exam"]["done_on"] == "2027-10-01"


def test_no_op_sync_is_one_etag_listing(run, person, monkeypatch):
    from careersync_caldav.target import CaldavTarget

    sync(run)
    calls = []
    original = CaldavTarget._call

    def counting(self, what, fn, *args, **kwargs):
        calls.append(what)
        return original(self, what, fn, *args, **kwargs)

    monkeypatch.setattr(CaldavTarget, "_call", counting)
    code, report = sync(run)
    assert code == 0 and report["unchanged"] == 15
    assert calls.count("listing the calendar") == 1
    assert "reading changed items" not in calls


def test_lost_state_and_cache_adopt_without_writes(run, person, isolated):
    sync(run)
    before = person.etags()
    shutil.rmtree(isolated.parent / "state")
    code, report = sync(run)
    assert (code, report["created"], report["unchanged"]) == (0, 0, 15)
    assert person.etags() == before


def test_only_careersync_objects_are_deleted(run, person, isolated):
    sync(run)
    calendar = person.calendar
    mine = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:phone\r\nBEGIN:VEVENT\r\nUID:dentist@phone\r\nDTSTAMP:20270101T000000Z\r\nDTSTART;VALUE=DATE:20270301\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    calendar.save_event(mine)
    (isolated / "career.toml").write_text(
        "[plan]\ntitle='T'\nstart=2027-01-04\n[goals.g]\ntitle='Pass 1 exam'\nby='+1y'\n"
    )
    code, report = sync(run, "--force")
    assert code == 0 and report["deleted"] == 15
    remaining = [obj.data for obj in person.objects()]
    assert any("Dentist" in d for d in remaining)
    assert len(remaining) == 2


def test_wrong_password_is_a_named_target_error(
    run, write, radicale_with_login, basic_plan, monkeypatch
):
    write(
        "careersync.toml",
        caldav_config(radicale_with_login.url, "alice") + '\n[targets.file]\nplugin = "ics"\n',
    )
    monkeypatch.setenv("CAREERSYNC_PHONE_TOKEN", "wrong-password")
    result = run("sync")
    assert result.exit_code == 3
    assert "phone: FAILED: the CalDAV server refused the login for target 'phone'" in result.stderr
    assert "careersync auth phone" in result.stderr
    assert "wrong-password" not in result.output
    monkeypatch.setenv("CAREERSYNC_PHONE_TOKEN", "right-password")
    assert run("sync").exit_code == 0


def test_server_down_is_a_named_target_error(run, write, basic_plan):
    from radicale_server import free_port

    write("careersync.toml", caldav_config(f"http://127.0.0.1:{free_port()}/", "alice"))
    result = run("sync")
    assert result.exit_code == 1
    assert "phone: FAILED: cannot reach http://127.0.0.1:" in result.stderr


def test_bad_url_is_a_config_error(run, write, basic_plan):
    write("careersync.toml", caldav_config("dav.example.com", "alice"))
    result = run("check")
    assert result.exit_code == 1
    assert "targets.phone.url: 'dav.example.com' is not an http(s) address" in result.stderr
