"""The plan's value grammar: dates, durations, times, weekdays, capacity and recurrence.

Every parser returns a value or raises ``ValueError`` whose text completes the sentence
``<file>: <key path>: <text>``, so messages read the same wherever a value appears.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

DATE_HINT = '(use 2027-06-30, "2027-06" or "+3m")'
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FULL_WEEKDAYS = tuple(calendar.day_name[i].lower() for i in range(7))

_OFFSET = re.compile(r"^\+(\d{1,6})([dwmy])$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours))?\s*"
    r"(?:(?P<m>\d+)\s*(?:m|min|mins|minute|minutes))?$"
)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_CAPACITY = re.compile(r"^(?P<amount>.+?)\s*(?:/|per\s+)\s*(?P<unit>day|d|week|w|wk|month|mo)$")


def quote(value: object) -> str:
    """A value as the user wrote it: strings in double quotes, the rest as TOML shows them."""
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def add_offset(start: dt.date, amount: int, unit: str) -> dt.date:
    """``start`` plus N days/weeks/months/years; months and years clamp to the month's end."""
    if unit == "d":
        return start + dt.timedelta(days=amount)
    if unit == "w":
        return start + dt.timedelta(weeks=amount)
    from dateutil.relativedelta import relativedelta

    if unit == "m":
        return start + relativedelta(months=amount)
    return start + relativedelta(years=amount)


def parse_date(value: object, start: dt.date | None, *, month_start: bool = False) -> dt.date:
    """Any date form of SPEC section 3; ``start`` anchors ``+N`` offsets (None: offsets refused).

    A month ("2027-06") is its last day, or its first with ``month_start`` (``--from``: a
    window that starts at a month should include all of it).
    """
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value.isoformat()} is a date-time, not a date {DATE_HINT}")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{quote(value)} is not a date {DATE_HINT}")
    text = value.strip()
    if m := _OFFSET.match(text):
        if start is None:
            raise ValueError(
                f"{quote(value)} is an offset; this date must be absolute (2027-01-04)"
            )
        try:
            return add_offset(start, int(m.group(1)), m.group(2))
        except (OverflowError, ValueError):
            raise ValueError(f"{quote(value)} is too far from {start}") from None
    if m := _ISO_DAY.match(text):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValueError(f"{quote(value)} is not a real day {DATE_HINT}") from None
    if m := _ISO_MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"{quote(value)} is not a real month {DATE_HINT}")
        return dt.date(year, month, 1 if month_start else calendar.monthrange(year, month)[1])
    raise ValueError(f"{quote(value)} is not a date {DATE_HINT}")


def parse_duration(value: object, *, numbers_are_hours: bool = False) -> dt.timedelta:
    """ "2h", "30m", "1h30m", "1.5h" (and a bare number of hours where allowed)."""
    if isinstance(value, bool):
        raise ValueError(f'{quote(value)} is not a duration (use "2h", "30m" or "1h30m")')
    if numbers_are_hours and isinstance(value, int | float) and value >= 0:
        return dt.timedelta(hours=value)
    if isinstance(value, str) and (duration := _duration_text(value)) is not None:
        return duration
    raise ValueError(f'{quote(value)} is not a duration (use "2h", "30m" or "1h30m")')


@functools.lru_cache(maxsize=256)
def _duration_text(value: str) -> dt.timedelta | None:
    """Memoised: a large plan repeats a handful of efforts thousands of times."""
    m = _DURATION.match(value.strip().lower())
    if m and (m.group("h") or m.group("m")):
        hours = float(m.group("h") or 0)
        return dt.timedelta(hours=hours, minutes=int(m.group("m") or 0))
    return None


def parse_time(value: object) -> dt.time:
    """ "HH:MM" (24-hour) or a TOML local time."""
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str) and (m := _TIME.match(value.strip())):
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueError(f'{quote(value)} is not a time of day (use "HH:MM", e.g. "09:30")')


def parse_weekday(value: object) -> int:
    """ "mon".."sun" or a full day name, any case -> 0 (Monday)..6."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in WEEKDAYS:
            return WEEKDAYS.index(text)
        if text in _FULL_WEEKDAYS:
            return _FULL_WEEKDAYS.index(text)
    raise ValueError(f"{quote(value)} is not a weekday (use one of {', '.join(WEEKDAYS)})")


def parse_weekdays(value: object) -> tuple[int, ...]:
    """One weekday or a non-empty list of them, sorted and without repeats."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ValueError('is an empty list (use "sat" or ["tue", "thu"])')
    return tuple(sorted({parse_weekday(v) for v in items}))


def parse_capacity(value: object) -> float:
    """Hours a week: "6h/week", "1h/day", "20h/month", "90m per week" or a bare number of hours."""
    hint = '(use "6h/week", "1h/day" or a number of hours a week)'
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    if isinstance(value, str) and (m := _CAPACITY.match(value.strip().lower())):
        try:
            hours = parse_duration(m.group("amount"), numbers_are_hours=False)
        except ValueError:
            raise ValueError(f"{quote(value)} is not a capacity {hint}") from None
        per = {"day": 7.0, "d": 7.0, "month": 12 / 52, "mo": 12 / 52}.get(m.group("unit"), 1.0)
        return hours.total_seconds() / 3600 * per
    raise ValueError(f"{quote(value)} is not a capacity {hint}")


@dataclass(frozen=True)
class Recurrence:
    """A recurrence as RFC 5545 parts (no DTSTART, UNTIL or COUNT: the engine adds those).

    ``parts`` keeps the order the engine writes; ``label`` is the form the user wrote, kept so
    targets with their own recurrence language (Todoist) can translate it.
    """

    parts: tuple[tuple[str, str], ...]
    label: str

    @property
    def freq(self) -> str:
        return dict(self.parts)["FREQ"]

    @property
    def interval(self) -> int:
        return int(dict(self.parts).get("INTERVAL", "1"))

    def get(self, name: str) -> str | None:
        return dict(self.parts).get(name)

    def with_part(self, name: str, value: str) -> Recurrence:
        kept = tuple((k, v) for k, v in self.parts if k != name)
        return Recurrence(kept + ((name, value),), self.label)

    def without(self, *names: str) -> Recurrence:
        return Recurrence(tuple((k, v) for k, v in self.parts if k not in names), self.label)

    @property
    def weekly(self) -> bool:
        return self.freq == "WEEKLY"

    @property
    def monthly_type(self) -> bool:
        return self.freq in ("MONTHLY", "YEARLY")

    def rule(self) -> str:
        return ";".join(f"{k}={v}" for k, v in self.parts)


_UNITS = {
    "day": "DAILY",
    "days": "DAILY",
    "week": "WEEKLY",
    "weeks": "WEEKLY",
    "month": "MONTHLY",
    "months": "MONTHLY",
    "year": "YEARLY",
    "years": "YEARLY",
}
_NAMED = {
    "day": ("DAILY", 1),
    "daily": ("DAILY", 1),
    "week": ("WEEKLY", 1),
    "weekly": ("WEEKLY", 1),
    "fortnight": ("WEEKLY", 2),
    "month": ("MONTHLY", 1),
    "monthly": ("MONTHLY", 1),
    "quarter": ("MONTHLY", 3),
    "quarterly": ("MONTHLY", 3),
    "half-year": ("MONTHLY", 6),
    "year": ("YEARLY", 1),
    "yearly": ("YEARLY", 1),
}
_EVERY_N = re.compile(r"^(\d{1,3})\s+([a-z]+)$")
_RRULE_KEYS = {
    "FREQ",
    "INTERVAL",
    "UNTIL",
    "COUNT",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "BYWEEKNO",
    "BYYEARDAY",
    "WKST",
}
RECURRENCE_HINT = (
    '(use "day", "weekday", "week", "2 weeks", "month", "quarter", "half-year", "year", '
    '"N days|weeks|months|years" or "RRULE:FREQ=...")'
)


def parse_recurrence(value: object) -> Recurrence:
    """Any recurrence form of SPEC section 3."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{quote(value)} is not a recurrence {RECURRENCE_HINT}")
    text = value.strip()
    if text.upper().startswith("RRULE:"):
        return _parse_raw_rule(value, text[6:])
    lower = " ".join(text.lower().split())
    if lower == "weekday":
        return Recurrence((("FREQ", "DAILY"), ("BYDAY", "MO,TU,WE,TH,FR")), lower)
    if lower in _NAMED:
        freq, interval = _NAMED[lower]
    elif (m := _EVERY_N.match(lower)) and m.group(2) in _UNITS and int(m.group(1)) > 0:
        freq, interval = _UNITS[m.group(2)], int(m.group(1))
    else:
        raise ValueError(f"{quote(value)} is not a recurrence {RECURRENCE_HINT}")
    parts: tuple[tuple[str, str], ...] = (("FREQ", freq),)
    if interval != 1:
        parts += (("INTERVAL", str(interval)),)
    return Recurrence(parts, lower)


def _parse_raw_rule(original: str, body: str) -> Recurrence:
    from dateutil.rrule import rrulestr

    bad = f"{quote(original)} is not a valid RFC 5545 rule"
    parts: list[tuple[str, str]] = []
    for chunk in body.strip().split(";"):
        if not chunk:
            continue
        name, sep, val = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not val.strip():
            raise ValueError(f"{bad} ({chunk!r} is not NAME=VALUE)")
        if name not in _RRULE_KEYS:
            raise ValueError(f"{bad} (unsupported part {name})")
        parts.append((name, val.strip().upper()))
    names = [n for n, _ in parts]
    if "FREQ" not in names:
        raise ValueError(f"{bad} (FREQ is missing)")
    if len(set(names)) != len(names):
        raise ValueError(f"{bad} (a part is repeated)")
    if "UNTIL" in names and "COUNT" in names:
        raise ValueError(f"{bad} (UNTIL and COUNT cannot both be given)")
    freq = dict(parts)["FREQ"]
    if freq not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        raise ValueError(f"{bad} (FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY)")
    try:
        rrulestr(";".join(f"{k}={v}" for k, v in parts), dtstart=dt.datetime(2000, 1, 1))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{bad} ({exc})") from None
    return Recurrence(tuple(parts), "RRULE:" + ";".join(f"{k}={v}" for k, v in parts))
