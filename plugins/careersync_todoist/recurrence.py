"""A plan item's recurrence as a Todoist due string, or a clear refusal.

Todoist reads recurring dates from natural language, and its help pages document the forms it
understands. careersync writes only those, in the documented order: the recurrence, then the
time, then the start and end dates ("every other tue at 07:00 starting 2027-01-05 ending
2027-06-29"), with ISO dates, which Todoist's date documentation lists. Where the documentation
is silent (where "every 30th" falls in February, "every 3 months" from the 31st, "every feb
29th" in other years) careersync writes nothing it cannot vouch for: it refuses the item with a
message, and the item is skipped on this target only. docs/todoist-recurrence.md lists the
forms and the choices.
"""

from __future__ import annotations

import datetime as dt

from careersync.schedule import Item

DAY_NAMES = {
    "MO": "mon",
    "TU": "tue",
    "WE": "wed",
    "TH": "thu",
    "FR": "fri",
    "SA": "sat",
    "SU": "sun",
}
NTH = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}
WEEKDAYS = "MO,TU,WE,TH,FR"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class Unsupported(ValueError):
    """The rule has no documented Todoist due string that gives the same dates."""


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def every(item: Item) -> str:
    """The recurrence part of the due string ("every ..."), for the item's rule and dates."""
    assert item.rule is not None
    parts = dict(p.split("=", 1) for p in item.rule.split(";"))
    parts.pop("WKST", None)
    freq = parts.pop("FREQ")
    n = int(parts.pop("INTERVAL", "1"))
    byday = parts.pop("BYDAY", None)
    days = byday.split(",") if byday else []
    plain_days = bool(days) and all(d in DAY_NAMES for d in days)
    if freq == "DAILY" and not parts:
        if not days:
            return "every day" if n == 1 else f"every {n} days"
        if n == 1 and byday == WEEKDAYS:
            return "every weekday"
        if n == 1 and plain_days:
            return "every " + ", ".join(DAY_NAMES[d] for d in days)
    if freq == "WEEKLY" and not parts and plain_days:
        if n == 1:
            return "every " + ", ".join(DAY_NAMES[d] for d in days)
        if len(days) == 1:  # the weekday comes from the start date
            return f"every other {DAY_NAMES[days[0]]}" if n == 2 else f"every {7 * n} days"
    if freq == "MONTHLY" and len(days) == 1 and not parts and n == 1:
        nth, weekday = days[0][:-2], days[0][-2:]
        if weekday in DAY_NAMES and nth.lstrip("-").isdigit() and int(nth) in NTH:
            return f"every {NTH[int(nth)]} {DAY_NAMES[weekday]}"
    if freq in ("MONTHLY", "YEARLY") and not days:
        day = _month_day(parts.pop("BYMONTHDAY", None), parts.pop("BYSETPOS", None))
        month = parts.pop("BYMONTH", None) if freq == "YEARLY" else None
        if day is not None and not parts and (freq == "MONTHLY" or (month or "").isdigit()):
            if freq == "MONTHLY":
                return _monthly(item, n, day)
            assert month is not None
            return _yearly(item, n, int(month))
    raise Unsupported(
        f"Todoist has no recurring date for RRULE:{item.rule}; use a simpler `every` in the "
        f"plan, or leave {item.kind}s out of this target (include = [...])"
    )


def _month_day(monthday: str | None, setpos: str | None) -> int | None:
    """The day a monthly-type rule means: 1-31, -1 for the last day, None for other rules."""
    if monthday is None:
        return None
    if setpos is None:
        if monthday == "-1":
            return -1
        return int(monthday) if monthday.isdigit() and 1 <= int(monthday) <= 31 else None
    values = monthday.split(",")
    clamp = values[-1].isdigit() and values == [str(d) for d in range(28, int(values[-1]) + 1)]
    return int(values[-1]) if setpos == "-1" and clamp else None


def _monthly(item: Item, n: int, day: int) -> str:
    if day == -1 and n == 1:
        return "every last day"
    if _same_day(item) is None:  # some occurrences fall on a shorter month's last day
        said = "the last day" if day == -1 else f"the {ordinal(day)}"
        if n == 1:
            raise Unsupported(
                f'Todoist\'s documentation does not say where "every {ordinal(day)}" falls in '
                "months without that day (careersync puts it on their last day); use "
                '"RRULE:FREQ=MONTHLY;BYMONTHDAY=-1" for the last day, or a day up to the 28th'
            )
        raise Unsupported(
            f'Todoist\'s documentation does not say where "every {n} months" from {said} falls '
            "in shorter months (careersync puts it on their last day); choose a day up to the "
            "28th"
        )
    return f"every {ordinal(item.date.day)}" if n == 1 else f"every {n} months"


def _yearly(item: Item, n: int, month: int) -> str:
    if _same_day(item) is None:
        said = ordinal(max(d.day for d in item.dates))
        raise Unsupported(
            f'Todoist\'s documentation does not say where "every {MONTHS[month - 1]} {said}" '
            "falls in years when that day moves (careersync puts Feb 29 on Feb 28); choose "
            "another day, or every 4 years from a leap day"
        )
    said = f"every {MONTHS[month - 1]} {ordinal(item.date.day)}"
    return said if n == 1 else f"every {n} years"


def _same_day(item: Item) -> int | None:
    """The day of the month every occurrence falls on, or None when they differ."""
    found = {d.day for d in item.dates}
    return found.pop() if len(found) == 1 else None


def due_string(item: Item, start: dt.date | None = None, time: dt.time | None = None) -> str:
    """The due string for a recurring item from ``start`` (default: its first occurrence),
    at ``time`` (default: the item's own) in the Todoist account's time zone."""
    assert item.rule is not None and item.until is not None
    first = start or item.date
    at = time or item.time
    return (
        every(item)
        + (f" at {at:%H:%M}" if at else "")
        + f" starting {first.isoformat()} ending {item.until.isoformat()}"
    )
