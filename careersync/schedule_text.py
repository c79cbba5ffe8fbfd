"""The text view of ``schedule``: a timeline grouped by month.

One-off items (goals, milestones) and lone occurrences get a line each; a recurring item that
falls more than once in a month gets one line listing its days, so habit occurrences do not
drown the milestones of a two-year plan.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from careersync.schedule import Occurrence


def render(entries: list[Occurrence]) -> str:
    """``entries`` in date order -> month headings, each followed by that month's lines."""
    out: list[str] = []
    for (year, month), group in groupby(entries, key=lambda e: (e.date.year, e.date.month)):
        in_month = list(group)
        if out:
            out.append("")
        out.append(dt.date(year, month, 1).strftime("%B %Y"))
        series: dict[str, list[Occurrence]] = {}
        for e in in_month:
            series.setdefault(e.parent, []).append(e)
        shown = set()
        for e in in_month:
            runs = series[e.parent]
            if len(runs) == 1:
                out.append("  " + _line(e, e.title, e.uid))
            elif e.parent not in shown:
                shown.add(e.parent)
                days = ", ".join(_day(r, e.time) for r in runs)
                out.append("  " + _line(e, f"{e.title}  {len(runs)}x: {days}", e.parent))
    return "\n".join(out)


def _day(r: Occurrence, time: dt.time | None) -> str:
    """A day of a series' line, with its time when that differs from the line's (an hour the
    clocks skip moves that occurrence past the change)."""
    return f"{r.date.day} at {r.time:%H:%M}" if r.time and r.time != time else str(r.date.day)


def _line(e: Occurrence, text: str, uid: str) -> str:
    when = e.time.strftime("%H:%M") if e.time else "     "
    return f"{e.date}  {when}  {e.kind:<9}  {text}  [{uid}]"
