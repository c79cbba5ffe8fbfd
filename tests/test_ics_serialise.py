"""The .ics target's direct writer gives exactly icalendar's bytes, and reads back as it says."""

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

from careersync_ics import mapping, serialise
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event
from item_strategies import ZONES, entries, options

from careersync.target import TargetCache, TargetContext

STAMPS = st.dates(dt.date(2020, 1, 1), dt.date(2040, 12, 31)).map(
    lambda d: dt.datetime.combine(d, dt.time(), dt.UTC)
)


@settings(max_examples=200, deadline=None)
@given(entries(), options(), STAMPS, st.sampled_from(ZONES))
def test_a_group_is_the_bytes_icalendar_writes(entry, opts, stamp, timezone):
    components = mapping.components(
        entry, todos=opts["todos"], reminders=opts["reminders"], stamp=stamp
    )
    serialiser = serialise.Serialiser(
        todos=opts["todos"], reminders=opts["reminders"], stamp=stamp, timezone=timezone
    )
    group = serialiser.group(entry)
    assert group.parts == tuple(c.to_ical() for c in components)


@settings(max_examples=150, deadline=None)
@given(entries(), options(), STAMPS, st.sampled_from(ZONES))
def test_a_group_reads_back_as_its_remote(entry, opts, stamp, timezone):
    serialiser = serialise.Serialiser(
        todos=opts["todos"], reminders=opts["reminders"], stamp=stamp, timezone=timezone
    )
    group = serialiser.group(entry)
    text = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + b"".join(group.parts)
    calendar = Calendar.from_ical(text + b"END:VCALENDAR\r\n")
    groups: dict[str, list] = {}
    for component in calendar.subcomponents:
        groups.setdefault(str(component["UID"]), []).append(component)
    assert mapping.remotes(groups, timezone) == [group.remote]


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from("ab \\^,;\nN"), min_size=60, max_size=400)
    | st.text(st.sampled_from("a\\^,é✓🎉"), min_size=20, max_size=200)
)
def test_folding_and_escaping_match_icalendar_at_every_boundary(text):
    event = Event()
    event.add("summary", text)
    expected = event.to_ical().decode().removeprefix("BEGIN:VEVENT\r\n")
    line = serialise.fold("SUMMARY:" + serialise.escape(text))
    assert line + "\r\nEND:VEVENT\r\n" == expected


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "🎉" * 40
    folded = serialise.fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))


FOREIGN = {
    "none": b"",
    "all-day": (
        b"BEGIN:VEVENT\r\nUID:dentist@example.com\r\nDTSTAMP:20270101T000000Z\r\n"
        b"DTSTART;VALUE=DATE:20270210\r\nSUMMARY:\xe2\x9c\x93 Dentist, at last\r\nEND:VEVENT\r\n"
    ),
    "zoned": (
        b"BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nBEGIN:STANDARD\r\n"
        b"DTSTART:19701101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n"
        b"END:STANDARD\r\nEND:VTIMEZONE\r\n"
        b"BEGIN:VEVENT\r\nUID:call@example.com\r\nDTSTAMP:20270101T000000Z\r\n"
        b"DTSTART;TZID=America/New_York:20270210T090000\r\nSUMMARY:Call\r\nEND:VEVENT\r\n"
    ),
}


def released_file(initial: bytes | None, entries, opts, today, timezone) -> bytes:
    """The whole file as the released target wrote it (icalendar objects): the reference."""
    header, foreign, ours = {}, [], {}
    if initial is not None:
        calendar = Calendar.from_ical(initial)
        header = dict(calendar.items())
        for component in calendar.subcomponents:
            if component.name == "VTIMEZONE" and str(component.get("tzid")) == timezone:
                continue
            if component.get(mapping.UID_PROPERTY) is not None or str(
                component.get("uid", "")
            ).endswith("@careersync"):
                ours.setdefault(str(component.get("uid")), []).append(component)
            else:
                foreign.append(component)
    stamp = dt.datetime.combine(today, dt.time(), dt.UTC)
    for entry in entries:
        ours[mapping.component_uid(entry.uid)] = mapping.components(
            entry, todos=opts["todos"], reminders=opts["reminders"], stamp=stamp
        )
    calendar = Calendar()
    if not header:
        calendar.add("prodid", "-//careersync//careersync//EN")
        calendar.add("version", "2.0")
    for key, value in header.items():
        calendar[key] = value
    for component in foreign:
        calendar.add_component(component)

    def carrier_uid(remote_id):
        carrier = next((c for c in ours[remote_id] if c.get(mapping.UID_PROPERTY)), None)
        return (str(carrier.get(mapping.UID_PROPERTY)) if carrier else "", remote_id)

    days = []
    for remote_id in sorted(ours, key=carrier_uid):
        for component in ours[remote_id]:
            calendar.add_component(component)
            days += [component[n].dt for n in ("dtstart", "due") if component.get(n)]
            if component.get("rrule") is not None:
                days += component["rrule"].get("UNTIL", [])
    years = sorted(d.year for d in days) or [dt.date.today().year]
    calendar.add_missing_timezones(
        first_date=dt.date(years[0], 1, 1), last_date=dt.date(years[-1] + 2, 1, 1)
    )
    return calendar.to_ical()


NEAR = st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31))  # short VTIMEZONEs: a fast test


@settings(max_examples=40, deadline=None)
@given(
    st.lists(entries(NEAR), max_size=6, unique_by=lambda e: e.uid),
    st.lists(entries(NEAR), max_size=3, unique_by=lambda e: e.uid),
    options(),
    st.sampled_from(ZONES),
    st.sampled_from(sorted(FOREIGN)),
)
def test_the_file_is_the_bytes_the_released_target_wrote(first, second, opts, timezone, foreign):
    """A new file, then a second sync rewriting some groups and keeping the others as read."""
    from careersync_ics.calendar_file import CalendarFile

    def settled(entry):
        item = dataclasses.replace(entry.item, timezone=timezone)
        return dataclasses.replace(entry, item=item)

    first = [settled(e) for e in first]
    second = [settled(e) for e in second]
    today = dt.date(2027, 3, 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "career.ics"
        initial = None
        if FOREIGN[foreign]:
            initial = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//me//EN\r\n"
            initial += b"X-WR-CALNAME:Mine\r\n" + FOREIGN[foreign] + b"END:VCALENDAR\r\n"
            path.write_bytes(initial)
        for batch in (first, second):
            expected = released_file(initial, batch, opts, today, timezone)
            nowhere = TargetCache(TargetContext("ics", path.parent, timezone, today), "test")
            target = CalendarFile(path, timezone, nowhere)
            target.remotes()
            for entry in batch:
                target.put(entry, todos=opts["todos"], reminders=opts["reminders"], today=today)
            target.dirty = True
            target.save()
            assert path.read_bytes() == expected
            initial = expected
