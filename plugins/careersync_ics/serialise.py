"""careersync's own components written straight to iCalendar bytes.

The bytes are those icalendar's ``to_ical`` gives for :func:`mapping.components` (its property
order, RFC 5545 TEXT escaping and 75-octet line folding; a test compares the two on generated
items), without building icalendar objects, which was most of a large first sync's time.
icalendar still names time zones and writes the VTIMEZONEs, keeps foreign content and reads the
file.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from careersync.target import Entry, Remote
from careersync_ics import mapping
from careersync_ics.reminders import lead_time

#: RFC 5545's order of rule parts, which icalendar writes first; other parts follow by name.
RULE_ORDER = (
    "RSCALE",
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYWEEKDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
    "SKIP",
)
INTEGER_PARTS = frozenset(
    ("COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYWEEKNO")
    + ("BYMONTHDAY", "BYYEARDAY", "BYMONTH", "BYSETPOS")
)
NAME_PARTS = frozenset(("FREQ", "WKST", "BYDAY", "BYWEEKDAY", "SKIP"))
#: icalendar's VEVENT property order; VTODO and VALARM properties go by name.
EVENT_ORDER = (
    "SUMMARY",
    "DTSTART",
    "DTEND",
    "DURATION",
    "DTSTAMP",
    "UID",
    "RECURRENCE-ID",
    "SEQUENCE",
    "RRULE",
    "RDATE",
    "EXDATE",
)
EVENT_RANK = {prop: rank for rank, prop in enumerate(EVENT_ORDER)}
FOLD_AT = 75
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Group:
    """One item's components as written: the master, then one override per done occurrence."""

    uid: str
    #: each component's bytes (the file's VTIMEZONEs may go between components)
    parts: tuple[bytes, ...]
    #: the TZID its times name; None when it has none (all-day, or a zone icalendar calls UTC)
    tzid: str | None
    #: the years of its dates, which the file's VTIMEZONE must span
    years: tuple[int, ...]
    #: what reading the group back from the file gives
    remote: Remote


class Serialiser:
    """:func:`mapping.components` serialised, for one file and one sync: what every item shares
    (the DTSTAMP, each kind's alarm, the file's zone) is worked out once, not per item."""

    def __init__(
        self,
        *,
        todos: bool,
        reminders: dict[str, object],
        stamp: dt.datetime,
        timezone: str,
    ) -> None:
        self.todos = todos
        self.reminders = reminders
        #: the file's zone: it gives the local dates of the done marks read back
        self.file_zone = ZoneInfo(timezone)
        self.stamp = ":" + _utc(stamp)
        self._triggers: dict[str, str | None] = {}

    def group(self, entry: Entry) -> Group:
        """``entry`` as :func:`mapping.components` builds it, serialised."""
        item = entry.item
        kind, title, time = item.kind, item.title, item.time
        zone = ZoneInfo(item.timezone)
        tzid = zone_tzid(item.timezone) if time is not None else None
        recurring = item.recurring
        as_todo = self.todos and kind in ("milestone", "goal")
        done_on = None if recurring else entry.done.get(item.uid)
        summary = mapping.DONE_PREFIX + title if done_on and not as_todo else title
        remote_id = mapping.component_uid(item.uid)
        # each property's text after its name: parameters and value
        common = {
            "UID": ":" + escape(remote_id),
            "DTSTAMP": self.stamp,
            mapping.UID_PROPERTY: ":" + escape(item.uid),
        }
        props = {
            **common,
            "SUMMARY": ":" + escape(summary),
            "CATEGORIES": ":" + escape(kind),
            mapping.HASH_PROPERTY: ":" + escape(entry.hash),
        }
        if item.description:
            props["DESCRIPTION"] = ":" + escape(item.description)
        years = [item.date.year]
        if as_todo:
            props["DUE"] = _when(item.date, tzid)
            if done_on:
                props["STATUS"] = ":COMPLETED"
                props["COMPLETED"] = ":" + _utc(mapping.noon_utc(done_on, zone))
                props["PERCENT-COMPLETE"] = ":100"
            else:
                props["STATUS"] = ":NEEDS-ACTION"
        else:
            props["DTSTART"], props["DTEND"] = _span(item.date, time, item.duration, zone, tzid)
        if recurring:
            assert item.rule is not None and item.until is not None
            until: dt.date = item.until
            if time:
                until = dt.datetime.combine(item.until, time, zone).astimezone(dt.UTC)
            props["RRULE"] = ":" + rule_text(item.rule, mapping.ical_value(until))
            years.append(until.year)
        inner = ""
        if (trigger := self._trigger(kind)) is not None:
            alarm = {"ACTION": ":DISPLAY", "DESCRIPTION": ":" + escape(title), "TRIGGER": trigger}
            inner = component("VALARM", alarm)
        parts = [component("VTODO" if as_todo else "VEVENT", props, inner)]
        done: dict[str, dt.date | None] = {}
        if recurring:
            for key in sorted(entry.done):
                day = dt.date.fromisoformat(key.rsplit("@", 1)[1])
                when = dt.datetime.combine(day, time, zone) if time else day
                override = {
                    **common,
                    "RECURRENCE-ID": _when(when, tzid),
                    "SUMMARY": ":" + escape(mapping.DONE_PREFIX + title),
                }
                override["DTSTART"], override["DTEND"] = _span(day, time, item.duration, zone, tzid)
                parts.append(component("VEVENT", override))
                years.append(day.year)
                done[f"{item.uid}@{mapping.local_date(when, self.file_zone)}"] = None
        elif as_todo and done_on:
            done[item.uid] = mapping.local_date(mapping.noon_utc(done_on, zone), self.file_zone)
        elif mapping.DONE_MARK.match(summary.replace("\\N", "\n")):
            done[item.uid] = None
        remote = Remote(item.uid, remote_id, done, entry.hash or None)
        timed = not as_todo or len(parts) > 1  # a VTODO is due on a date; its overrides are timed
        used = tzid if timed and tzid != "UTC" else None
        return Group(item.uid, tuple([p.encode() for p in parts]), used, tuple(years), remote)

    def _trigger(self, kind: str) -> str | None:
        """The TRIGGER of ``kind``'s VALARM, worked out once a sync; None: no alarm."""
        if kind not in self._triggers:
            lead = lead_time(kind, self.reminders)
            self._triggers[kind] = None if lead is None else ":" + duration(-lead)
        return self._triggers[kind]


def component(name: str, props: dict[str, str], inner: str = "") -> str:
    """A component's content lines (each property's name, then its text) in icalendar's
    property order, folded, CRLF-ended."""
    lines = [f"BEGIN:{name}"]
    for prop in _order(name, tuple(props)):
        lines.append(fold(prop + props[prop]))
    lines.append(f"{inner}END:{name}\r\n")
    return "\r\n".join(lines)


@functools.cache
def _order(component: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """icalendar's property order: a VEVENT's by RFC 5545 first, then the others by name."""
    rank = EVENT_RANK if component == "VEVENT" else {}
    return tuple(sorted(names, key=lambda name: (rank.get(name, len(rank)), name)))


def escape(text: str) -> str:
    r"""TEXT escaping (RFC 5545 3.3.11) as icalendar does it, ``\N`` read as a line break."""
    if not ("\\" in text or ";" in text or "," in text or "\n" in text or "\r" in text):
        return text  # most text needs none: five scans cost less than seven replacements
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded as icalendar folds it: at most 74 octets on the first line and a
    space plus 74 on the others, never inside a UTF-8 character, never after a lone ``\\``
    or ``^`` (an escape stays whole)."""
    if line.isascii():
        return line if len(line) < FOLD_AT else _fold_ascii(line)
    pieces: list[str] = []
    chunk: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode())
        if chunk and size + width >= FOLD_AT:
            if len(chunk) > 1 and chunk[-1] in "\\^":
                carried = chunk.pop()
                pieces.append("".join(chunk))
                chunk, size = [carried], 1
            else:
                pieces.append("".join(chunk))
                chunk, size = [], 0
        chunk.append(char)
        size += width
    pieces.append("".join(chunk))
    return "\r\n ".join(pieces)


def _fold_ascii(line: str) -> str:
    """:func:`fold` for one octet per character: slices instead of a loop over characters."""
    pieces = []
    start = 0
    while len(line) - start >= FOLD_AT:
        end = start + FOLD_AT - 1
        if line[end - 1] in "\\^":
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


def rule_text(rule: str, until: str) -> str:
    """``rule`` with ``UNTIL`` as icalendar's vRecur writes it: parts in RFC order, numbers
    and names normalised, later parts overriding earlier ones."""
    parts: dict[str, list[str]] = {}
    for chunk in f"{rule};UNTIL={until}".split(";"):
        pair = chunk.split("=")
        if len(pair) != 2:
            continue
        name, values = pair[0].upper(), pair[1].split(",")
        if name in INTEGER_PARTS:
            values = [str(int(v)) for v in values]
        elif name in NAME_PARTS:
            values = [v.upper() for v in values]
        elif name != "UNTIL":
            values = [escape(v) for v in values]
        parts[name] = values
    known = [n for n in RULE_ORDER if n in parts]
    ordered = known + sorted(n for n in parts if n not in RULE_ORDER)
    return ";".join(f"{n}={','.join(parts[n])}" for n in ordered)


def duration(value: dt.timedelta) -> str:
    """A DURATION value as icalendar writes it ("-P7D", "-PT15M", "P1DT2H")."""
    sign = ""
    if value.days < 0:
        sign, value = "-", -value
    time = ""
    if value.seconds:
        hours, minutes, seconds = (
            value.seconds // 3600,
            value.seconds % 3600 // 60,
            value.seconds % 60,
        )
        time = "T" + (f"{hours}H" if hours else "")
        time += f"{minutes}M" if minutes or (hours and seconds) else ""
        time += f"{seconds}S" if seconds else ""
    if value.days == 0 and time:
        return f"{sign}P{time}"
    return f"{sign}P{value.days}D{time}"


@functools.cache
def zone_tzid(name: str) -> str:
    """The TZID icalendar gives a zone's times: its name, or "UTC" for a zone it finds equal
    to UTC (whose times it writes with a Z)."""
    from icalendar.timezone import tzid_from_tzinfo

    return tzid_from_tzinfo(ZoneInfo(name)) or name


def _span(
    day: dt.date,
    time: dt.time | None,
    length: dt.timedelta | None,
    zone: ZoneInfo,
    tzid: str | None,
) -> tuple[str, str]:
    if time is None:
        return _when(day, tzid), _when(day + ONE_DAY, tzid)
    start = dt.datetime.combine(day, time, zone)
    return _when(start, tzid), _when(start + (length or mapping.TIMED_LENGTH), tzid)


def _when(value: dt.date, tzid: str | None) -> str:
    """A DATE, or a local time named by its TZID (a Z for UTC): parameters and value."""
    if not isinstance(value, dt.datetime):
        return ";VALUE=DATE:" + _date(value)
    if tzid == "UTC":
        return f":{_local(value)}Z"
    return f";TZID={tzid}:{_local(value)}"


def _date(day: dt.date) -> str:
    return day.isoformat().replace("-", "")


def _local(when: dt.datetime) -> str:
    wall = when.replace(tzinfo=None, microsecond=0).isoformat()
    return wall.replace("-", "").replace(":", "")


def _utc(when: dt.datetime) -> str:
    return _local(when.astimezone(dt.UTC)) + "Z"
