"""The .ics target as a person's calendar app sees it (SPEC section 6)."""

import datetime as dt
import json
import shutil
from pathlib import Path

from icalendar import Calendar
from test_conformance import ics_groups, mark_done_in_file

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"


def sync(run, *args):
    result = run("sync", "--json", *args)
    return result.exit_code, json.loads(result.stdout)["targets"]["ics"]


def masters(path):
    return {
        str(c["X-CAREERSYNC-UID"]): c
        for g in ics_groups(path).values()
        for c in g
        if c.get("recurrence-id") is None
    }


def status_items(run, as_of="2029-01-04"):
    doc = json.loads(run("status", "--json", "--as-of", as_of).stdout)
    return {i["uid"]: i for i in doc["items"]}


def test_embedded_default_writes_beside_the_plan(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    code, report = sync(run)
    assert code == 0 and report["created"] == 15
    text = (isolated / "career.ics").read_text()
    assert "BEGIN:VCALENDAR" in text
    (isolated / "sub").mkdir()
    shutil.copy(EXAMPLE, isolated / "sub" / "mine.toml")
    assert run("--plan", "sub/mine.toml", "sync").exit_code == 0
    assert (isolated / "sub" / "career.ics").exists()


def test_all_day_dates_timed_zones_rrules_and_alarms(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    raw = (isolated / "career.ics").read_text()
    body = raw.split("END:VTIMEZONE")[1].splitlines()
    spans = [line for line in body if line.startswith(("DTSTART", "DTEND", "DUE", "RECURRENCE-ID"))]
    assert spans and not [line for line in spans if "T000000" in line], "all-day items are DATEs"
    items = masters(isolated / "career.ics")
    sql = items["milestone:sql-course"]
    assert sql["DTSTART"].dt == dt.date(2027, 4, 4) and sql["DTEND"].dt == dt.date(2027, 4, 5)
    assert "DTSTART;VALUE=DATE:20270404" in raw
    practice = items["habit:practice"]
    assert practice["DTSTART"].dt == dt.datetime(
        2027, 1, 9, 10, 0, tzinfo=practice["DTSTART"].dt.tzinfo
    )
    assert str(practice["DTSTART"].dt.tzinfo) == "Europe/London"
    assert practice["DTEND"].dt - practice["DTSTART"].dt == dt.timedelta(hours=2)
    assert practice["RRULE"]["FREQ"] == ["WEEKLY"] and practice["RRULE"]["BYDAY"] == ["SA"]
    assert "DTSTART;TZID=Europe/London:20270109T100000" in raw
    assert "BEGIN:VTIMEZONE" in raw
    weekly = items["review:weekly"]
    assert weekly["RRULE"]["UNTIL"][0] == dt.datetime(2028, 12, 29, 16, 0, tzinfo=dt.UTC)
    quarterly = items["review:quarterly"]
    assert quarterly["RRULE"]["UNTIL"][0] == dt.date(2029, 1, 4)
    alarms = {uid: [a for a in c.subcomponents if a.name == "VALARM"] for uid, c in items.items()}
    assert alarms["milestone:sql-course"][0]["TRIGGER"].dt == -dt.timedelta(days=1)
    assert alarms["goal:senior"][0]["TRIGGER"].dt == -dt.timedelta(weeks=1)
    assert alarms["habit:practice"][0]["TRIGGER"].dt == -dt.timedelta(minutes=15)
    assert str(sql["UID"]) == "milestone-sql-course@careersync"


def test_occurrences_match_the_schedule(run, isolated):
    """The file's RRULEs expand to exactly the dates `schedule` lists."""
    from dateutil.rrule import rrulestr

    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    scheduled = json.loads(run("schedule", "--json").stdout)["items"]
    for uid, c in masters(isolated / "career.ics").items():
        if c.get("RRULE") is None:
            continue
        start = c["DTSTART"].dt
        naive = (
            start.replace(tzinfo=None)
            if isinstance(start, dt.datetime)
            else dt.datetime.combine(start, dt.time())
        )
        rule = c["RRULE"].to_ical().decode()
        if isinstance(start, dt.datetime):
            until = c["RRULE"]["UNTIL"][0].astimezone(start.tzinfo).replace(tzinfo=None)
            rule = rule.split(";UNTIL=")[0] if ";UNTIL=" in rule else rule
            parts = [p for p in rule.split(";") if not p.startswith("UNTIL=")]
            rule = ";".join(parts) + f";UNTIL={until:%Y%m%dT%H%M%S}"
        dates = [d.date().isoformat() for d in rrulestr(rule, dtstart=naive, ignoretz=True)]
        expected = [i["date"] for i in scheduled if i["uid"].startswith(uid + "@")]
        assert dates == expected, uid


def test_reminders_and_todos_options(run, write, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    write(
        "careersync.toml",
        """\
        [targets.ics]
        plugin = "ics"
        path = "out/plan.ics"
        todos = true
        reminders = { milestone = "2d", habit = "none" }
    """,
    )
    code, report = sync(run)
    assert code == 0, report
    items = masters(isolated / "out" / "plan.ics")
    sql = items["milestone:sql-course"]
    assert sql.name == "VTODO" and sql["DUE"].dt == dt.date(2027, 4, 4)
    assert str(sql["STATUS"]) == "NEEDS-ACTION"
    assert [a["TRIGGER"].dt for a in sql.subcomponents] == [-dt.timedelta(days=2)]
    assert items["habit:practice"].subcomponents == []
    assert items["habit:practice"].name == "VEVENT"


def test_bad_reminder_option_is_a_config_error(run, write, basic_plan):
    write("careersync.toml", '[targets.cal]\nplugin = "ics"\nreminders = { milestone = "soon" }\n')
    result = run("sync")
    assert result.exit_code == 1
    assert "targets.cal.reminders.milestone" in result.stderr


def test_vtodo_completed_date_is_the_done_date(run, write, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    write("careersync.toml", '[targets.ics]\nplugin = "ics"\npath = "c.ics"\ntodos = true\n')
    sync(run)
    path = isolated / "c.ics"
    text = path.read_text()
    marker = "X-CAREERSYNC-UID:milestone:sql-course"
    head, tail = text.split(marker, 1)
    head = (
        head[: head.rindex("STATUS:NEEDS-ACTION")]
        + "STATUS:COMPLETED\r\nCOMPLETED:20270315T090000Z"
        + head[head.rindex("STATUS:NEEDS-ACTION") + len("STATUS:NEEDS-ACTION") :]
    )
    path.write_text(head + marker + tail)
    code, report = sync(run)
    assert report["completed"] == 1
    item = status_items(run)["milestone:sql-course"]
    assert item["done"] and item["done_on"] == "2027-03-15" and item["source"] == "ics"


def test_done_and_undo_round_trip_through_the_file(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    assert run("done", "milestone:sql-course", "--on", "2027-03-20").exit_code == 0
    assert run("done", "habit:practice@2027-01-16").exit_code == 0
    code, report = sync(run)
    assert report["updated"] == 2 and report["completed"] == 0
    path = isolated / "career.ics"
    assert (
        str(masters(path)["milestone:sql-course"]["SUMMARY"]) == "✓ Finish an advanced SQL course"
    )
    overrides = [
        c for g in ics_groups(path).values() for c in g if c.get("recurrence-id") is not None
    ]
    assert [str(o["SUMMARY"]) for o in overrides] == ["✓ SQL practice on real datasets"]
    assert overrides[0]["RECURRENCE-ID"].dt.date() == dt.date(2027, 1, 16)
    assert status_items(run)["milestone:sql-course"]["source"] == "manual"
    assert run("undo", "milestone:sql-course").exit_code == 0
    code, report = sync(run)
    assert report["updated"] == 1 and report["completed"] == 0
    assert str(masters(path)["milestone:sql-course"]["SUMMARY"]) == "Finish an advanced SQL course"
    assert not status_items(run)["milestone:sql-course"]["done"]
    code, report = sync(run)
    assert (report["updated"], report["completed"]) == (0, 0)


def test_undo_of_a_completion_pulled_from_the_file(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    path = isolated / "career.ics"
    mark_done_in_file(path, "milestone:sql-course")
    sync(run)
    assert run("undo", "milestone:sql-course").exit_code == 0
    code, report = sync(run)
    assert report["completed"] == 0
    assert not status_items(run)["milestone:sql-course"]["done"]
    assert not str(masters(path)["milestone:sql-course"]["SUMMARY"]).startswith("✓")


def test_unticking_in_the_file_clears_only_its_own_completion(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    path = isolated / "career.ics"
    mark_done_in_file(path, "milestone:sql-course")
    run("done", "milestone:exam", "--on", "2027-10-01")
    code, report = sync(run)
    assert report["completed"] == 1
    text = path.read_text()
    text = text.replace(
        "SUMMARY:✓ Finish an advanced SQL course", "SUMMARY:Finish an advanced SQL course"
    )
    text = text.replace("SUMMARY:✓ Sit the certificate exam", "SUMMARY:Sit the certificate exam")
    path.write_text(text)
    code, report = sync(run)
    assert report["cleared"] == 1
    items = status_items(run)
    assert not items["milestone:sql-course"]["done"]
    assert items["milestone:exam"]["done"], "a manual completion is cleared only by undo"
    assert "SUMMARY:✓ Sit the certificate exam" in path.read_text()


def test_a_persons_own_events_are_kept(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    path = isolated / "career.ics"
    mine = (
        "BEGIN:VEVENT\r\nUID:dentist-1@example.com\r\nDTSTAMP:20270101T000000Z\r\n"
        "DTSTART;VALUE=DATE:20270210\r\nSUMMARY:✓ Dentist\r\nEND:VEVENT\r\n"
    )
    path.write_text(path.read_text().replace("END:VCALENDAR", mine + "END:VCALENDAR"))
    plan = (isolated / "career.toml").read_text()
    (isolated / "career.toml").write_text(plan.replace("Sit the certificate exam", "Sit the exam"))
    code, report = sync(run)
    assert (code, report["updated"], report["completed"], report["deleted"]) == (0, 1, 0, 0)
    calendar = Calendar.from_ical(path.read_bytes())
    dentist = [c for c in calendar.walk("VEVENT") if str(c["UID"]) == "dentist-1@example.com"]
    assert len(dentist) == 1 and str(dentist[0]["SUMMARY"]) == "✓ Dentist"


def test_event_deleted_by_hand_is_recreated_and_reported(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    path = isolated / "career.ics"
    calendar = Calendar.from_ical(path.read_bytes())
    calendar.subcomponents = [
        c for c in calendar.subcomponents if str(c.get("X-CAREERSYNC-UID", "")) != "milestone:exam"
    ]
    path.write_bytes(calendar.to_ical())
    result = run("sync")
    assert "re-created 1 item(s) deleted there: milestone:exam" in result.stdout
    assert "milestone:exam" in masters(path)


def test_writes_are_atomic_and_leave_no_temp_files(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    assert sorted(p.name for p in isolated.iterdir()) == ["career.ics", "career.toml"]


def test_a_broken_file_is_a_named_target_error(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    (isolated / "career.ics").write_text("this is not a calendar")
    result = run("sync")
    assert result.exit_code == 1
    assert "ics: FAILED:" in result.stderr and "career.ics" in result.stderr
    assert (isolated / "career.ics").read_text() == "this is not a calendar"


def test_a_tick_on_a_whole_series_says_to_mark_one_occurrence(run, write, isolated):
    from icalendar import Calendar

    shutil.copy(EXAMPLE, isolated / "career.toml")
    assert run("sync").exit_code == 0
    path = isolated / "career.ics"
    calendar = Calendar.from_ical(path.read_bytes())
    for c in calendar.walk("VEVENT"):
        if str(c.get("X-CAREERSYNC-UID")) == "habit:practice":
            c["SUMMARY"] = "✓ " + str(c["SUMMARY"])
    path.write_bytes(calendar.to_ical())
    result = run("sync")
    assert result.exit_code == 0
    assert (
        "ics: note: habit:practice is marked done on the whole series, which careersync does "
        "not count: mark one occurrence instead" in result.stderr
    )


def test_a_path_in_a_missing_folder_is_created_and_said(run, write, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    write("careersync.toml", '[targets.cal]\nplugin = "ics"\npath = "out/sub/career.ics"\n')
    result = run("sync")
    assert result.exit_code == 0
    assert (isolated / "out" / "sub" / "career.ics").exists()
    assert "cal: note: created the folder out/sub for career.ics" in result.stderr
    shutil.rmtree(isolated / "out")
    result = run("sync")
    assert "none of the items written before was there: wrote them all anew" in result.stdout
    assert "re-created" not in result.stdout
