"""Google Calendar under request-level faults, through the CLI: for each request k of a first
sync and of an update sync, a 429, a 500, a timeout, a lost answer or a crash at request k.
The sync completes in one run (a crash: the next one does), with no duplicate and no
completion lost. And two machines creating at the same moment leave no duplicate."""

from __future__ import annotations

import json
import os

import careersync_gcal.target
import pytest
from gcal_fake import FakeCalendar
from memory_plugin import FAULTS, Crash
from test_gcal import complete, serving, uncomplete

PLAN = """\
[plan]
title = "Senior analyst"
start = 2027-01-04
timezone = "Europe/London"

[goals.senior]
title = "Start a senior role"
by = "+2m"

[milestones.sql-course]
title = "Finish an advanced SQL course"
by = "+1m"

[habits.practice]
goal = "senior"
title = "SQL practice"
every = "week"
on = "sat"
"""
UIDS = {"goal:senior", "milestone:sql-course", "habit:practice"}
CONFIG = '[targets.gcal]\nplugin = "gcal"\ncalendar = "Career"\n'
TICKED = {"milestone:sql-course", "habit:practice@2027-01-16"}


def sync(run) -> tuple[int, dict]:
    result = run("sync", "--json")
    return result.exit_code, json.loads(result.stdout)["targets"]["gcal"]


def career(fake: FakeCalendar) -> str:
    (calendar,) = [c["id"] for c in fake.calendars.values() if c["summary"] == "Career"]
    return calendar


def assert_whole(fake: FakeCalendar) -> None:
    """One calendar named Career, holding exactly one event per item."""
    found = fake.ours(career(fake))
    assert set(found) == UIDS and all(len(events) == 1 for events in found.values()), found


def done_in_status(run) -> set[str]:
    items = json.loads(run("status", "--json", "--as-of", "2027-08-01").stdout)["items"]
    return {i["uid"] for i in items if i["done"]}


@pytest.fixture
def google(monkeypatch):
    with serving(monkeypatch) as fake:
        yield fake


@pytest.fixture
def setup(google, write, isolated, monkeypatch):
    """A fresh service and a fresh home for each case; returns the new fake."""
    write("career.toml", PLAN)
    write("careersync.toml", CONFIG)
    homes = iter(range(1000))

    def fresh() -> FakeCalendar:
        fake = FakeCalendar(token=google.token, page_size=2)  # listings take pages
        monkeypatch.setattr(careersync_gcal.target, "HTTP", fake)
        monkeypatch.setenv("CAREERSYNC_HOME", str(isolated.parent / f"home{next(homes)}"))
        return fake

    return fresh


def faulted(run, fake: FakeCalendar, kind: str) -> None:
    """The sync with the fault: one run, or a crash and then one run."""
    if kind == "crash":
        with pytest.raises(Crash):
            run("sync", "--json")
    code, report = sync(run)
    assert (code, report["error"], report["skipped"]) == (0, None, []), report


@pytest.mark.parametrize("kind", FAULTS)
def test_a_fault_at_any_request_of_a_first_sync(run, setup, kind):
    fake = setup()
    sync(run)
    total = len(fake.requests)
    assert total >= 6, fake.requests
    for k in range(1, total + 1):
        fake = setup()
        fake.faults[k] = kind
        faulted(run, fake, kind)
        assert_whole(fake)
        code, report = sync(run)
        assert (code, report["created"], report["updated"], report["deleted"]) == (0, 0, 0, 0)


@pytest.mark.parametrize("kind", FAULTS)
def test_a_fault_at_any_request_of_an_update_sync(run, setup, isolated, kind):
    plan = isolated / "career.toml"
    renamed = PLAN.replace("Start a senior role", "Start a senior analyst role")

    def prepared() -> FakeCalendar:
        plan.write_text(PLAN)
        fake = setup()
        sync(run)
        for key in TICKED:
            complete(fake, key, career(fake))
        assert run("done", "goal:senior", "--on", "2027-02-01").exit_code == 0
        plan.write_text(renamed)
        fake.requests.clear()
        return fake

    fake = prepared()
    sync(run)
    total = len(fake.requests)
    assert total >= 6, fake.requests
    for k in range(1, total + 1):
        fake = prepared()
        fake.faults[k] = kind
        faulted(run, fake, kind)
        assert_whole(fake)
        assert done_in_status(run) == TICKED | {"goal:senior"}
        goal = fake.by_uid("goal:senior", career(fake))
        assert goal["summary"] == "✓ Start a senior analyst role"
        code, report = sync(run)
        assert (code, report["updated"], report["completed"], report["cleared"]) == (0, 0, 0, 0)


def test_two_homes_creating_at_the_same_moment_leave_no_duplicate(run, setup, monkeypatch):
    """Home B lists an empty calendar, then home A syncs all before B's first insert."""
    fake = setup()
    home_b = os.environ["CAREERSYNC_HOME"]
    home_a = home_b + "-a"

    def home_a_syncs() -> None:
        monkeypatch.setenv("CAREERSYNC_HOME", home_a)
        code, report = sync(run)
        assert (code, report["created"]) == (0, 3), report
        monkeypatch.setenv("CAREERSYNC_HOME", home_b)

    fake.before[4] = home_a_syncs  # calendarList, calendar insert, events list, then inserts
    code, report = sync(run)
    assert (code, report["error"]) == (0, None), report
    assert_whole(fake)
    for home in (home_a, home_b):
        monkeypatch.setenv("CAREERSYNC_HOME", home)
        code, report = sync(run)
        assert (code, report["created"], report["duplicates"]) == (0, 0, 0), report
    assert_whole(fake)


def test_an_event_deleted_earlier_keeps_its_id_and_is_brought_back(run, setup, isolated):
    fake = setup()
    sync(run)
    plan = isolated / "career.toml"
    plan.write_text(PLAN.replace("[milestones.sql-course]", "[milestones.other]"))
    code, report = sync(run)
    assert (report["created"], report["deleted"]) == (1, 1)
    plan.write_text(PLAN)
    code, report = sync(run)
    assert (code, report["created"], report["deleted"]) == (0, 1, 1), report
    event = fake.by_uid("milestone:sql-course", career(fake))
    assert event["status"] == "confirmed" and event["summary"] == "Finish an advanced SQL course"
    assert ("POST", f"/calendars/{career(fake)}/events") in fake.requests


def test_two_calendars_of_the_name_use_the_one_holding_careersync_items(run, setup):
    fake = setup()
    sync(run)
    fake.calendars["a0@group.calendar.google.com"] = {
        "id": "a0@group.calendar.google.com",
        "summary": "Career",
    }
    fake.events["a0@group.calendar.google.com"] = {}
    code, report = sync(run)
    assert (code, report["created"], report["unchanged"]) == (0, 0, 3), report
    assert "2 calendars are named 'Career'" in report["warnings"][0]
    assert not fake.events["a0@group.calendar.google.com"]


def test_a_failed_calendar_listing_creates_nothing(run, setup):
    fake = setup()
    fake.fail_next(500, count=20, method="GET")
    code, report = sync(run)
    assert code == 1 and "Google answered 500" in report["error"]
    assert [c for c in fake.calendars.values() if c["summary"] == "Career"] == []


def test_removing_either_mark_careersync_wrote_unticks(run, setup):
    """A person ticks by colour or by title; careersync then shows both marks, and taking
    off either one (the one the person knows of) unticks the item."""
    fake = setup()
    sync(run)
    calendar = career(fake)
    complete(fake, "milestone:sql-course", calendar)
    goal = fake.by_uid("goal:senior", calendar)
    goal["summary"] = "✓ " + goal["summary"]
    code, report = sync(run)
    assert (code, report["completed"]) == (0, 2), report
    for uid in ("milestone:sql-course", "goal:senior"):
        event = fake.by_uid(uid, calendar)
        assert event["colorId"] == "10" and event["summary"].startswith("✓ "), event
    uncomplete(fake, "milestone:sql-course", calendar)  # the colour only
    goal = fake.by_uid("goal:senior", calendar)
    goal["summary"] = goal["summary"].removeprefix("✓ ")  # the ✓ only
    code, report = sync(run)
    assert (code, report["cleared"]) == (0, 2), report
    assert not {"milestone:sql-course", "goal:senior"} & done_in_status(run)
    for uid in ("milestone:sql-course", "goal:senior"):
        event = fake.by_uid(uid, calendar)
        assert "colorId" not in event and not event["summary"].startswith("✓"), event
