"""Every target shows every occurrence where ``schedule --json`` puts it, local time included.

One plan with every recurrence form of SPEC section 3 (timed items across the clock changes of
Europe/Berlin and America/New_York, month ends, a leap day, raw RRULEs) is synced through the CLI
to the .ics file, CalDAV (a real Radicale), Google Calendar, Notion and Todoist (fakes), in two
time zones. Each target's occurrences are then expanded by an independent reader
(recurring-ical-events for iCalendar, dateutil for Google's RRULEs, one page per occurrence in
Notion, tests/todoist_grammar.py for Todoist's documented due strings) and compared with the
schedule, occurrence by occurrence. Todoist skips, with a reason, exactly the forms its
documentation leaves open and the times its account's zone cannot keep, and writes the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from zoneinfo import ZoneInfo

import caldav
import pytest
import recurring_ical_events
import responses
import todoist_grammar
from dateutil.rrule import rrulestr
from gcal_fake import FakeCalendar
from icalendar import Calendar
from notion_fake import FakeNotion
from radicale_server import Radicale
from test_gcal import STORED, TOKEN_URI
from test_notion import FULL_SCHEMA
from todoist_fake import FakeTodoist

PLAN = """
[plan]
title = "Every form"
start = 2027-01-04
timezone = "{tz}"

[goals.g]
title = "Reach the goal"
by = "2028-03-31"
measure = "done"
why = "parity"

[milestones.m]
title = "A milestone"
by = "2027-06-30"

[habits.gap]
title = "Run at 02:30, into the spring gap"
every = "day"
at = "02:30"
from = "2027-03-10"
until = "2027-04-02"

[habits.gap-start]
title = "Sundays at 02:30, from a day the clocks skip it"
every = "week"
at = "02:30"
from = "{gap}"
until = "2027-06-30"

[habits.fold]
title = "Run at 01:30, through the autumn repeat"
every = "day"
at = "01:30"
from = "2027-10-27"
until = "2027-11-09"

[habits.weekdays]
title = "Weekdays"
every = "weekday"
at = "07:00"
from = "2027-03-01"
until = "2027-04-15"

[habits.sat]
title = "Saturday"
every = "week"
on = "sat"
at = "10:00"

[habits.tue-thu]
title = "Tuesday and Thursday"
every = "week"
on = ["tue", "thu"]
at = "18:30"
until = "2027-05-31"

[habits.fortnight]
title = "Every other Monday"
every = "2 weeks"
on = "mon"
at = "08:00"

[habits.three-weeks]
title = "Every three weeks"
every = "3 weeks"

[habits.three-days]
title = "Every three days"
every = "3 days"
at = "21:15"
until = "2027-05-31"

[habits.month-end]
title = "Month end"
every = "month"
from = "2027-01-31"
at = "17:00"


[habits.mid-month]
title = "Mid-month"
every = "month"
from = "2027-01-15"

[habits.two-months]
title = "Every two months"
every = "2 months"


[habits.march-31]
title = "March 31st, every two years"
every = "2 years"
from = "2027-03-31"
until = "2031-04-01"

[habits.last-friday]
title = "Last Friday"
every = "RRULE:FREQ=MONTHLY;BYDAY=-1FR"
at = "16:00"

[habits.last-day]
title = "Last day"
every = "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1"


[habits.five-mondays]
title = "Five Mondays"
every = "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5"
at = "09:00"

[contacts.mentor]
title = "Mentor"
every = "quarter"
from = "2027-02-10"
at = "12:30"

[contacts.half]
title = "Half-yearly"
every = "half-year"

[reviews]
weekly = {{ on = "fri", at = "16:00" }}
monthly = {{}}
quarterly = {{}}
yearly = {{}}
"""

#: forms Todoist's documentation leaves open (a month day some months lack, Feb 29 yearly, a
#: week number), for every target but Todoist
TODOIST_CANNOT = """[habits.month-30]
title = "The 30th, or February's last day"
every = "month"
from = "2027-01-30"
[habits.leap]
title = "Leap day"
every = "year"
from = "2028-02-29"
until = "2032-03-01"
[habits.week-20]
title = "Monday of week 20"
every = "RRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO"
"""

#: the day each zone's clocks skip 02:00-03:00 in 2027
GAPS = {"Europe/Berlin": "2027-03-28", "America/New_York": "2027-03-14"}

#: why Todoist skips each of them
TODOIST_REFUSES = {
    "habit:month-30": 'where "every 30th" falls in months without that day',
    "habit:leap": 'where "every feb 29th" falls',
    "habit:week-20": "Todoist has no recurring date for RRULE:FREQ=YEARLY;BYWEEKNO=20",
}


@pytest.fixture(scope="module")
def radicale(tmp_path_factory):
    server = Radicale(tmp_path_factory.mktemp("radicale-parity"))
    yield server
    server.stop()


class Services:
    def __init__(self, monkeypatch, radicale: Radicale) -> None:
        import careersync_gcal.target
        import careersync_notion.target
        import careersync_todoist.target

        self.todoist = FakeTodoist()
        monkeypatch.setattr(careersync_todoist.target, "HTTP_TRANSPORT", self.todoist.transport())
        self.notion = FakeNotion()
        self.database = self.notion.add_database(properties=FULL_SCHEMA)
        monkeypatch.setattr(careersync_notion.target, "HTTP_TRANSPORT", self.notion.transport())
        self.google = FakeCalendar()
        monkeypatch.setattr(careersync_gcal.target, "HTTP", self.google)
        self.radicale = radicale
        self.user = f"u{uuid.uuid4().hex[:10]}"
        monkeypatch.setenv("CAREERSYNC_TASKS_TOKEN", self.todoist.token)
        monkeypatch.setenv("CAREERSYNC_BOARD_TOKEN", self.notion.token)
        monkeypatch.setenv("CAREERSYNC_GCAL_TOKEN", STORED)
        monkeypatch.setenv("CAREERSYNC_PHONE_TOKEN", "any-password")

    def config(self) -> str:
        return (
            '[targets.file]\nplugin = "ics"\npath = "plan.ics"\n'
            f'[targets.phone]\nplugin = "caldav"\nurl = "{self.radicale.url}"\n'
            f'username = "{self.user}"\n'
            '[targets.gcal]\nplugin = "gcal"\n'
            f'[targets.board]\nplugin = "notion"\ndatabase = "{self.database}"\n'
            "horizon = 3650\nrate = 1000\n"
            '[targets.tasks]\nplugin = "todoist"\nproject = "Career"\n'
        )


@pytest.fixture
def services(monkeypatch, radicale):
    services = Services(monkeypatch, radicale)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as oauth:
        oauth.add(
            responses.POST,
            TOKEN_URI,
            json={
                "access_token": services.google.token,
                "expires_in": 3600,
                "token_type": "Bearer",
                "scope": "https://www.googleapis.com/auth/calendar",
            },
        )
        yield services


Key = tuple[str, str, str | None]  # (uid or uid@date, local date, local HH:MM or None)


def local(moment: dt.datetime, zone: ZoneInfo) -> tuple[str, str]:
    """An instant as the plan's clocks show it (a skipped time read with the earlier offset)."""
    shown = moment.astimezone(dt.UTC).astimezone(zone)
    return shown.date().isoformat(), shown.strftime("%H:%M")


def key(uid: str, recurring: bool, day: str, time: str | None) -> Key:
    return (f"{uid}@{day}" if recurring else uid, day, time)


def from_icalendar(texts: list[bytes], zone: ZoneInfo) -> set[Key]:
    out: set[Key] = set()
    for text in texts:
        calendar = Calendar.from_ical(text)
        recurring = {str(c["X-CAREERSYNC-UID"]) for c in calendar.walk("VEVENT") if c.get("RRULE")}
        for event in recurring_ical_events.of(calendar).between((2000, 1, 1), (2100, 1, 1)):
            uid, start = str(event["X-CAREERSYNC-UID"]), event["DTSTART"].dt
            if isinstance(start, dt.datetime):
                out.add(key(uid, uid in recurring, *local(start, zone)))
            else:
                out.add(key(uid, uid in recurring, start.isoformat(), None))
    return out


def from_caldav(services: Services, zone: ZoneInfo) -> set[Key]:
    client = caldav.DAVClient(url=services.radicale.url, username=services.user, password="x")
    (calendar,) = client.principal().calendars()
    whole = client.request(str(calendar.url), "GET")  # Radicale: the collection as one file
    assert whole.status == 200
    return from_icalendar([whole.raw.encode() if isinstance(whole.raw, str) else whole.raw], zone)


def from_google(services: Services, zone: ZoneInfo) -> set[Key]:
    out: set[Key] = set()
    for uid, (event,) in services.google.ours().items():
        start = event["start"]
        if not event.get("recurrence"):
            if "date" in start:
                out.add(key(uid, False, start["date"], None))
            else:
                first = dt.datetime.fromisoformat(start["dateTime"])
                out.add(
                    key(uid, False, *local(first.replace(tzinfo=ZoneInfo(start["timeZone"])), zone))
                )
            continue
        (rule,) = event["recurrence"]
        if "date" in start:
            first = dt.datetime.fromisoformat(start["date"])
            for moment in rrulestr(rule, dtstart=first):
                out.add(key(uid, True, moment.date().isoformat(), None))
        else:  # a wall-clock time in the event's zone, or an instant, whose time there recurs
            zone_there = ZoneInfo(start["timeZone"])
            first = dt.datetime.fromisoformat(start["dateTime"])
            first = first.replace(tzinfo=zone_there) if first.tzinfo is None else first
            for moment in rrulestr(rule, dtstart=first.astimezone(zone_there)):
                out.add(key(uid, True, *local(moment, zone)))
    return out


def from_notion(services: Services, zone: ZoneInfo) -> set[Key]:
    out: set[Key] = set()
    for page in services.notion.pages.values():
        if page["in_trash"]:
            continue
        uid = "".join(r["plain_text"] for r in page["properties"]["CareerSync ID"]["rich_text"])
        due = page["properties"]["Due"]["date"]
        parent, _, _ = uid.partition("@")
        if "T" in due["start"]:
            moment = dt.datetime.fromisoformat(due["start"])
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=ZoneInfo(due["time_zone"]))
            day, time = local(moment, zone)
        else:
            day, time = due["start"], None
        out.add((uid, day, time))
        assert "@" not in uid or uid.endswith(day), (uid, day)
    return out


def from_todoist(services: Services, zone: ZoneInfo) -> set[Key]:
    out: set[Key] = set()
    account = ZoneInfo(services.todoist.timezone)
    for task in services.todoist.tasks.values():
        found = re.search(r"careersync: (\S+) #", task.description)
        if task.deleted or not found:
            continue
        uid = found.group(1)
        if not task.recurring:
            time = task.due_time.strftime("%H:%M") if task.due_time else None
            out.add(key(uid, False, task.due_date.isoformat(), time))
            continue
        dates, at = todoist_grammar.read(task.due_string)
        for day in dates:
            if at is None:
                out.add(key(uid, True, day.isoformat(), None))
            else:
                out.add(key(uid, True, *local(dt.datetime.combine(day, at, account), zone)))
    return out


def schedule(run) -> set[Key]:
    result = run("schedule", "--json", "--to", "2035-12-31")
    assert result.exit_code == 0, result.output
    return {(i["uid"], i["date"], i["time"]) for i in json.loads(result.stdout)["items"]}


def without(expected: set[Key], uids) -> set[Key]:
    return {k for k in expected if k[0].partition("@")[0] not in uids}


@pytest.mark.parametrize("tz", ["Europe/Berlin", "America/New_York"])
def test_every_target_shows_the_schedule_occurrence_by_occurrence(
    run, write, isolated, services, tz
):
    gap = GAPS[tz]
    write("career.toml", PLAN.format(tz=tz, gap=gap) + TODOIST_CANNOT)
    write("careersync.toml", services.config())
    services.todoist.timezone = tz
    expected = schedule(run)
    assert (f"habit:gap@{gap}", gap, "03:30") in expected  # the hour the clocks skip
    assert (f"habit:gap-start@{gap}", gap, "03:30") in expected
    following = (dt.date.fromisoformat(gap) + dt.timedelta(days=7)).isoformat()
    assert (f"habit:gap-start@{following}", following, "02:30") in expected
    assert ("habit:leap@2029-02-28", "2029-02-28", None) in expected

    result = run("sync", "--json")
    report = json.loads(result.stdout)["targets"]
    for name in ("file", "phone", "gcal", "board"):
        assert report[name]["error"] is None and not report[name]["skipped"], name
    zone = ZoneInfo(tz)
    assert from_icalendar([(isolated / "plan.ics").read_bytes()], zone) == expected
    assert from_caldav(services, zone) == expected
    assert from_google(services, zone) == expected
    assert from_notion(services, zone) == expected
    # Todoist skips, with a reason, the forms its documentation leaves open, and writes the rest
    assert result.exit_code == 3, result.output
    skipped = {s["uid"]: s["reason"] for s in report["tasks"]["skipped"]}
    assert set(skipped) == set(TODOIST_REFUSES), skipped
    for uid, reason in TODOIST_REFUSES.items():
        assert reason in skipped[uid]
    assert report["tasks"]["error"] is None
    assert from_todoist(services, zone) == without(expected, TODOIST_REFUSES)


def sync_todoist(run, write, services, account: str) -> tuple[set[Key], dict[str, str]]:
    """The Berlin plan synced to Todoist in ``account``'s zone: the schedule, and the skips."""
    write(
        "career.toml", PLAN.format(tz="Europe/Berlin", gap=GAPS["Europe/Berlin"]) + TODOIST_CANNOT
    )
    write("careersync.toml", services.config())
    services.todoist.timezone = account
    result = run("sync", "--json", "--target", "tasks")
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)["targets"]["tasks"]
    return schedule(run), {s["uid"]: s["reason"] for s in report["skipped"]}


def test_todoist_in_a_zone_with_the_same_clocks_gets_converted_times(run, write, services):
    expected, skipped = sync_todoist(run, write, services, "Europe/Paris")
    assert set(skipped) == set(TODOIST_REFUSES)
    assert from_todoist(services, ZoneInfo("Europe/Berlin")) == without(expected, skipped)


def test_todoist_refuses_a_time_that_cannot_be_kept_in_the_account_zone(run, write, services):
    expected, reasons = sync_todoist(run, write, services, "America/New_York")
    timed = {k[0].partition("@")[0] for k in expected if k[2] is not None}
    assert set(TODOIST_REFUSES) < set(reasons) <= set(TODOIST_REFUSES) | timed
    assert "would fall on another day" in reasons["habit:gap"]  # 02:30 is 20:30 the day before
    assert re.search(
        r"at 04:00 there, \d+ of \d+ occurrences would be an hour (early|late)",
        reasons["habit:sat"],
    ), reasons["habit:sat"]
    assert "America/New_York" in reasons["habit:sat"] and "Europe/Berlin" in reasons["habit:sat"]
    # quarterly on the 10th never meets the weeks the two zones' clocks disagree: it converts
    assert "contact:mentor" not in reasons
    # everything written is exactly where the schedule puts it
    assert from_todoist(services, ZoneInfo("Europe/Berlin")) == without(expected, set(reasons))
