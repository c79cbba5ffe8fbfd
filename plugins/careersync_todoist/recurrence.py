"""A plan item's recurrence as a Todoist due string, or a clear refusal.

Todoist reads recurring dates from natural language. careersync writes only forms from Todoist's
documented examples ("every day", "every weekday", "every sat", "every tue, thu", "every other
mon", "every 3 weeks", "every 4th", "every last day", "every 3rd fri", "every jan 4",
"every 3 months"), always with "starting <first occurrence> ending <last occurrence>" so the
series starts and ends where the plan says, and "at HH:MM" for timed items. A rule outside them
(for instance a raw RRULE with BYWEEKNO) is refused with a message, never sent with a wrong date.
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
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}
MONTH_END = {"28,29": 29, "28,29,30": 30, "28,29,30,31": 31}


class Unsupported(ValueError):
    """The rule has no Todoist due string that gives the same dates."""


def day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def every(rule: str) -> str:
    """The part after "every" for an RRULE (without DTSTART/UNTIL)."""
    parts = dict(p.split("=", 1) for p in rule.split(";"))
    freq = parts.pop("FREQ")
    n = int(parts.pop("INTERVAL", "1"))
    parts.pop("WKST", None)
    byday = parts.pop("BYDAY", None)
    if freq == "DAILY" and not parts:
        if byday == "MO,TU,WE,TH,FR" and n == 1:
            return "weekday"
        if byday is None:
            return "day" if n == 1 else f"{n} days"
    if freq == "WEEKLY" and not parts and byday:
        days = byday.split(",")
        if all(d in DAY_NAMES for d in days):
            if n == 1:
                return ", ".join(DAY_NAMES[d] for d in days)
            if len(days) == 1:
                return f"other {DAY_NAMES[days[0]]}" if n == 2 else f"{n} weeks"
    if freq == "MONTHLY" and byday is None:
        monthday, setpos = parts.pop("BYMONTHDAY", None), parts.pop("BYSETPOS", None)
        if not parts and monthday is not None:
            if setpos is None and monthday.isdigit() and int(monthday) < 29:
                return ordinal(int(monthday)) if n == 1 else f"{n} months"
            if setpos == "-1" and monthday in MONTH_END:
                last = MONTH_END[monthday]
                if n > 1:
                    return f"{n} months"
                return "last day" if last == 31 else ordinal(last)
    if freq == "MONTHLY" and byday and not parts and n == 1:
        weekday, nth = byday[-2:], byday[:-2]
        if weekday in DAY_NAMES and nth.lstrip("-").isdigit() and int(nth) in ORDINALS:
            return f"{ORDINALS[int(nth)]} {DAY_NAMES[weekday]}"
    if freq == "YEARLY" and byday is None:
        month, monthday = parts.pop("BYMONTH", None), parts.pop("BYMONTHDAY", None)
        if not parts and month and monthday and monthday.isdigit():
            if n > 1:
                return f"{n} years"
            return f"{dt.date(2000, int(month), 1):%b} {int(monthday)}".lower()
    raise Unsupported(f"Todoist has no recurring date for RRULE:{rule}")


def due_string(item: Item, start: dt.date | None = None) -> str:
    """The due string for a recurring item, from ``start`` (default: its first occurrence)."""
    assert item.rule is not None and item.until is not None
    first = start or item.date
    text = f"every {every(item.rule)} starting {day(first)} ending {day(item.until)}"
    return text + (f" at {item.time:%H:%M}" if item.time else "")
