"""A small reader of the recurring due dates Todoist documents, for the fake and the parity test.

It reads what Todoist's help pages say a due string means ("every other tue", "every 27th",
"every last day", "every 3rd fri", "every jan 27th", "every 3 months", with a time after the
recurrence and "starting" / "ending" dates last), written independently of careersync's writer
so the two check each other. A form the documentation leaves open (the 30th of February, the
31st three months on) raises :class:`Undocumented` instead of guessing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from dateutil.relativedelta import relativedelta

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
NTH = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "last": -1}
MONTHS = {m: i for i, m in enumerate(calendar.month_abbr[1:], start=1)}
MONTHS = {m.lower(): i for m, i in MONTHS.items()}
SHAPE = re.compile(
    r"every (?P<what>.+?)(?: at (?P<at>\d{2}:\d{2}))?"
    r" starting (?P<start>\d{4}-\d{2}-\d{2})(?: ending (?P<end>\d{4}-\d{2}-\d{2}))?"
)
HORIZON = relativedelta(years=10)


class Undocumented(ValueError):
    """The string asks for something Todoist's documentation does not define."""


def read(string: str) -> tuple[list[dt.date], dt.time | None]:
    """Every date a due string puts the task on (inclusive of its end), and its time."""
    m = SHAPE.fullmatch(string)
    if not m:
        raise ValueError(f"not a recurring due string careersync writes: {string!r}")
    start = dt.date.fromisoformat(m.group("start"))
    end = dt.date.fromisoformat(m.group("end")) if m.group("end") else start + HORIZON
    at = dt.time.fromisoformat(m.group("at")) if m.group("at") else None
    return list(_dates(m.group("what"), start, end)), at


def _dates(what: str, start: dt.date, end: dt.date):
    if what == "day" or (n := re.fullmatch(r"(\d+) days", what)):
        step = dt.timedelta(days=int(n.group(1)) if what != "day" else 1)
        day = start
        while day <= end:
            yield day
            day += step
        return
    if what == "weekday":
        yield from _matching(start, end, lambda d: d.weekday() < 5)
        return
    names = [p.strip() for p in what.split(",")]
    if all(p in WEEKDAYS for p in names):
        wanted = {WEEKDAYS[p] for p in names}
        yield from _matching(start, end, lambda d: d.weekday() in wanted)
        return
    if n := re.fullmatch(r"other (\w+)", what):
        first = next(_matching(start, end, lambda d: d.weekday() == WEEKDAYS[n.group(1)]), None)
        day = first
        while day is not None and day <= end:
            yield day
            day += dt.timedelta(days=14)
        return
    if what == "last day":
        yield from _matching(start, end, lambda d: (d + dt.timedelta(days=1)).day == 1)
        return
    if n := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)", what):
        wanted_day = int(n.group(1))
        yield from _monthly(start, end, 1, wanted_day)
        return
    if n := re.fullmatch(r"(1st|2nd|3rd|4th|last) (\w+)", what):
        nth, weekday = NTH[n.group(1)], WEEKDAYS[n.group(2)]
        yield from _matching(start, end, lambda d: d.weekday() == weekday and _nth(d, nth))
        return
    if n := re.fullmatch(r"(\d+) months", what):
        yield from _monthly(start, end, int(n.group(1)), start.day)
        return
    if n := re.fullmatch(r"(\w{3}) (\d{1,2})(?:st|nd|rd|th)", what):
        month, day = MONTHS[n.group(1)], int(n.group(2))
        for year in range(start.year, end.year + 1):
            if day > calendar.monthrange(year, month)[1]:
                raise Undocumented(f"every {what} in {year}")
            date = dt.date(year, month, day)
            if start <= date <= end:
                yield date
        return
    if n := re.fullmatch(r"(\d+) years", what):
        k = 0
        # past the end nothing falls, so a Feb 29 that later years lack is asked of no one
        while start + (step := relativedelta(years=k * int(n.group(1)))) <= end:
            yield _shift(start, step)
            k += 1
        return
    raise ValueError(f"not a documented recurrence: every {what}")


def _matching(start: dt.date, end: dt.date, keep):
    day = start
    while day <= end:
        if keep(day):
            yield day
        day += dt.timedelta(days=1)


def _nth(day: dt.date, nth: int) -> bool:
    if nth == -1:
        return (day + dt.timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == nth


def _monthly(start: dt.date, end: dt.date, step: int, day: int):
    first = start if start.day <= day else start.replace(day=1) + relativedelta(months=1)
    k = 0
    while True:
        month = first.replace(day=1) + relativedelta(months=k * step)
        if month > end:
            return
        date = _shift(month, relativedelta(day=day))
        if date.day != day:
            raise Undocumented(f"day {day} in {month:%b %Y}")
        if start <= date <= end:
            yield date
        k += 1


def _shift(base: dt.date, delta: relativedelta) -> dt.date:
    moved = base + delta
    wanted_day = delta.day or base.day
    if moved.day != wanted_day:
        raise Undocumented(f"{wanted_day} does not exist in {moved:%b %Y}")
    return moved
