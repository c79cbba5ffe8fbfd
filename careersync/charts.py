"""The report's SVG charts, drawn from the figures :func:`careersync.progress.compute` made.

Shapes, not colour alone, tell states apart: a done milestone is a filled disc with a tick, an
overdue one a triangle, an upcoming one a ring; in the heat map a done occurrence is a filled
square, a missed one an outlined square, an upcoming one a dot. Colours come from the page's CSS
classes, so the print stylesheet can adjust them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from careersync.status_text import days
from careersync.svg import (
    TimeScale,
    count_ticks,
    el,
    lanes,
    month_label,
    month_ticks,
    num,
    step_path,
    text,
    tooltip,
)

WIDTH = 720
PAD = 18
LANE = 22
MOST_LANES = 8
NUMBERED = 40
CELL = 10
PITCH = 12
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Axis:
    """The time axis a goal's two charts share."""

    start: dt.date
    end: dt.date
    as_of: dt.date

    @classmethod
    def for_goal(cls, goal: dict, plan_start: dt.date, as_of: dt.date) -> Axis:
        """From the plan's start (or ``as_of`` if earlier) to the deadline, the last milestone,
        ``as_of`` or the forecast, whichever is last; a forecast that would more than double the
        axis is left off it (the burn-up points towards it instead)."""
        by = dt.date.fromisoformat(goal["by"])
        start = min(plan_start, as_of)
        dues = [dt.date.fromisoformat(m["due"]) for m in goal.get("milestones", [])]
        end = max([by, as_of, *dues])
        if goal["forecast"]:
            forecast = dt.date.fromisoformat(goal["forecast"])
            if forecast <= end + (end - start):
                end = max(end, forecast)
        if end <= start:
            end = start + dt.timedelta(days=1)
        return cls(start, end, as_of)

    def scale(self, left: float, right: float) -> TimeScale:
        return TimeScale(self.start, self.end, left, right)


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _time_axis(scale: TimeScale, y: float, top: float) -> list[str]:
    """Gridlines from ``top`` down to the axis at ``y``, with month labels below it."""
    ticks = month_ticks(scale.start, scale.end)
    parts = [el("line", {"cls": "axis", "x1": scale.left, "x2": scale.right, "y1": y, "y2": y})]
    for i, day in enumerate(ticks):
        x = scale.x(day)
        parts.append(el("line", {"cls": "grid", "x1": x, "x2": x, "y1": top, "y2": y}))
        with_year = i == 0 or day.month == 1 or ticks[i - 1].year != day.year
        label = month_label(day, with_year)
        half = len(label) * 3
        anchor = "start" if x - half < scale.left else "end" if x + half > scale.right else "middle"
        parts.append(text(x, y + 14, label, cls="tick", text_anchor=anchor))
    return parts


def _marker_line(
    scale: TimeScale, day: dt.date, top: float, bottom: float, cls: str, label: str, row: int
) -> list[str]:
    """A vertical line at ``day`` with its label in one of the two label rows above ``top``."""
    x = scale.x(scale.clamp(day))
    anchor = "end" if x > (scale.left + scale.right) / 2 else "start"
    nudge = -4 if anchor == "end" else 4
    return [
        el("line", {"cls": cls, "x1": x, "x2": x, "y1": top, "y2": bottom}),
        text(x + nudge, 11 + 13 * row, label, cls=f"label {cls}-label", text_anchor=anchor),
    ]


def timeline(goal: dict, axis: Axis) -> str:
    """A goal's milestones on a time axis, a line for ``as_of`` and the deadline."""
    milestones = goal["milestones"]
    scale = axis.scale(PAD, WIDTH - PAD)
    xs = [scale.x(_date(m["due"])) for m in milestones]
    lane_of = lanes(xs, 18, MOST_LANES)
    used = max(lane_of, default=0) + 1
    top = 32
    axis_y = top + used * LANE + 6
    parts = [*_time_axis(scale, axis_y, top - 4)]
    by = _date(goal["by"])
    parts += _marker_line(scale, by, top - 6, axis_y, "deadline", f"deadline {goal['by']}", 1)
    parts += _marker_line(
        scale, axis.as_of, top - 6, axis_y, "asof", f"as of {axis.as_of.isoformat()}", 0
    )
    numbered = len(milestones) <= NUMBERED
    for n, (m, x, lane) in enumerate(zip(milestones, xs, lane_of, strict=True), 1):
        y = top + lane * LANE + LANE / 2
        parts.append(el("line", {"cls": "stem", "x1": x, "x2": x, "y1": y, "y2": axis_y}))
        parts.append(_milestone_mark(m, n, x, y, numbered))
    if not milestones:
        parts.append(text(WIDTH / 2, top + LANE / 2 + 4, "no milestones", cls="empty"))
    return el(
        "svg",
        {
            "cls": "chart timeline",
            "viewBox": f"0 0 {WIDTH} {num(axis_y + 22)}",
            "width": WIDTH,
            "height": num(axis_y + 22),
            "role": "img",
            "aria_label": f"Timeline of the milestones of {goal['title']}",
        },
        *parts,
    )


def _milestone_mark(m: dict, n: int, x: float, y: float, numbered: bool) -> str:
    state = m["state"]
    if state == "done":
        shape = el("circle", {"r": 6.5}) + el("path", {"cls": "tick", "d": "M-3.2 0l2.2 2.4 4-4.6"})
        note = f"done {m['done_on']}"
    elif state == "overdue":
        shape = el("path", {"d": "M0 -7.5L7 5H-7Z"})
        note = f"overdue: {days(m['days_late'])} late"
    else:
        shape = el("circle", {"r": 5.5})
        note = "upcoming"
    label = text(0, -9, str(n), cls="num") if numbered else ""
    return el(
        "g",
        {"cls": f"ms {state}", "transform": f"translate({num(x)} {num(y)})"},
        tooltip(f"{n}. {m['title']}: due {m['due']}, {note}"),
        shape,
        label,
    )


def burnup(goal: dict, axis: Axis) -> str:
    """Milestones done over time against the expected road, with the forecast."""
    height, top, bottom, left = 246, 50, 216, 40
    scale = axis.scale(left, WIDTH - PAD)
    series = goal["burnup"]
    total = series["total"]
    ticks = count_ticks(total)
    high = ticks[-1] or 1

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / high

    parts = []
    for t in ticks:
        parts.append(
            el("line", {"cls": "grid", "x1": left, "x2": WIDTH - PAD, "y1": y(t), "y2": y(t)})
        )
        parts.append(text(left - 6, y(t) + 4, str(t), cls="tick", text_anchor="end"))
    parts += _time_axis(scale, bottom, top)
    road = [(scale.x(scale.clamp(_date(d))), y(n)) for d, n in series["expected"]]
    road.append((scale.right, road[-1][1]))
    parts.append(el("path", {"cls": "road", "d": step_path(road)}, tooltip("expected")))
    as_of = scale.clamp(axis.as_of)
    done = [(scale.x(scale.clamp(_date(d))), y(n)) for d, n in series["done"]]
    done.append((scale.x(as_of), done[-1][1]))
    now_done = series["done"][-1][1]
    parts += _forecast(goal, scale, as_of, y(now_done), y(total))
    parts.append(el("path", {"cls": "done-line", "d": step_path(done)}, tooltip("done")))
    parts.append(el("circle", {"cls": "now", "cx": scale.x(as_of), "cy": y(now_done), "r": 4.5}))
    by = _date(goal["by"])
    parts += _marker_line(scale, by, top - 6, bottom, "deadline", f"deadline {goal['by']}", 1)
    parts += _marker_line(
        scale, axis.as_of, top - 6, bottom, "asof", f"as of {axis.as_of.isoformat()}", 0
    )
    unit = "milestones" if goal["total"] else "goal done (no milestones)"
    parts.append(
        text(
            left - 30,
            (top + bottom) / 2,
            unit,
            cls="tick",
            text_anchor="middle",
            transform=_rotate(left - 30, (top + bottom) / 2),
        )
    )
    return el(
        "svg",
        {
            "cls": "chart burnup",
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": WIDTH,
            "height": height,
            "role": "img",
            "aria_label": f"Burn-up of {goal['title']}: done against expected",
        },
        *parts,
    )


def _rotate(x: float, y: float) -> str:
    return f"rotate(-90 {num(x)} {num(y)})"


def _forecast(
    goal: dict, scale: TimeScale, as_of: dt.date, y_now: float, y_total: float
) -> list[str]:
    """A dashed line from where things stand to where the pace so far leads."""
    if not goal["forecast"]:
        return []
    when = _date(goal["forecast"])
    x0, x1 = scale.x(as_of), scale.x(when)
    y1 = y_total
    if when > scale.end:
        share = (scale.right - x0) / (x1 - x0)
        x1, y1 = scale.right, y_now + (y_total - y_now) * share
    label = f"forecast {goal['forecast']}"
    anchor = "end" if x1 > scale.left + 120 else "start"
    return [
        el(
            "line",
            {"cls": "forecast", "x1": x0, "y1": y_now, "x2": x1, "y2": y1},
            tooltip(label),
        ),
        el("circle", {"cls": "forecast-end", "cx": x1, "cy": y1, "r": 3.5}),
        text(
            x1 - 6 if anchor == "end" else x1 + 6,
            y1 - 8,
            label,
            cls="label forecast-label",
            text_anchor=anchor,
        ),
    ]


SHORT_YEAR_WEEKS = 8


@dataclass(frozen=True)
class HeatYear:
    """One block of the heat map, a calendar year (a few weeks of a neighbouring year folded
    in): its strips share the weeks ``first`` to ``last`` (Mondays)."""

    label: str
    first: dt.date
    last: dt.date
    strips: list[tuple[dict, str]]


def heat_years(recurring: list[dict], as_of: dt.date) -> list[HeatYear]:
    """The heat map in blocks, one strip per recurring item with occurrences in the block; the
    strips of a block line up (and scale alike)."""
    dates = sorted({_date(o["date"]) for r in recurring for o in r["occurrences"]})
    blocks = [[y, y] for y in sorted({d.year for d in dates})]
    weeks = {
        y: _weeks(
            _monday(min(d for d in dates if d.year == y)),
            _monday(max(d for d in dates if d.year == y)),
        )
        for y, _ in blocks
    }
    if len(blocks) > 1 and weeks[blocks[-1][0]] <= SHORT_YEAR_WEEKS:
        tail = blocks.pop()
        blocks[-1][1] = tail[1]
    if len(blocks) > 1 and weeks[blocks[0][0]] <= SHORT_YEAR_WEEKS:
        head = blocks.pop(0)
        blocks[0][0] = head[0]
    out = []
    for low, high in blocks:
        rows = [
            (r, [o for o in r["occurrences"] if low <= int(o["date"][:4]) <= high])
            for r in recurring
        ]
        rows = [(r, occ) for r, occ in rows if occ]
        inside = [_date(o["date"]) for _, occ in rows for o in occ]
        first, last = _monday(min(inside)), _monday(max(inside))
        strips = [(r, heat_strip(r, occ, first, last, as_of)) for r, occ in rows]
        out.append(HeatYear(str(low) if low == high else f"{low}–{high}", first, last, strips))
    return out


def _weeks(first: dt.date, last: dt.date) -> int:
    return (last - first).days // 7 + 1


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def heat_strip(
    item: dict, occurrences: list[dict], first: dt.date, last: dt.date, as_of: dt.date
) -> str:
    """One item's occurrences in the weeks from ``first`` to ``last`` (Mondays): a column a
    week, and a row a weekday when the item can fall more than once in a week."""
    weeks = _weeks(first, last)
    dates = [_date(o["date"]) for o in occurrences]
    mondays = [_monday(d) for d in dates]
    several_a_week = len(set(mondays)) < len(mondays)
    rows = 7 if several_a_week else 1
    width, height = weeks * PITCH, rows * PITCH
    parts = []
    if first <= as_of <= last + dt.timedelta(days=6):
        x = (_monday(as_of) - first).days // 7 * PITCH - 0.5
        parts.append(el("line", {"cls": "asof", "x1": x, "x2": x, "y1": 0, "y2": height}))
    for o, day, monday in zip(occurrences, dates, mondays, strict=True):
        x = (monday - first).days // 7 * PITCH + 1
        y = (day.weekday() if several_a_week else 0) * PITCH + 1
        parts.append(_cell(item, o, day, x, y))
    return el(
        "svg",
        {
            "cls": "heat",
            "viewBox": f"0 0 {width} {height}",
            "width": width,
            "height": height,
            "role": "img",
            "aria_label": f"{item['title']}: {len(occurrences)} occurrences",
        },
        *parts,
    )


def _cell(item: dict, o: dict, day: dt.date, x: float, y: float) -> str:
    state = o["state"]
    when = f"{WEEKDAYS[day.weekday()]} {o['date']}"
    if state == "done":
        note = f"done on {o['done_on']}"
        return el(
            "rect",
            {"cls": "occ done", "x": x, "y": y, "width": CELL, "height": CELL, "rx": 2},
            tooltip(f"{item['title']}, {when}: {note}"),
        )
    if state == "missed":
        return el(
            "rect",
            {
                "cls": "occ missed",
                "x": x + 1.5,
                "y": y + 1.5,
                "width": CELL - 3,
                "height": CELL - 3,
                "rx": 1,
            },
            tooltip(f"{item['title']}, {when}: missed"),
        )
    return el(
        "circle",
        {"cls": "occ upcoming", "cx": x + CELL / 2, "cy": y + CELL / 2, "r": 2.2},
        tooltip(f"{item['title']}, {when}: upcoming"),
    )


def heat_months(first: dt.date, last: dt.date) -> str:
    """Month names over the weeks from ``first`` to ``last`` (Mondays); a month that starts
    before ``first`` is named at the left edge when its successor leaves room."""
    weeks = _weeks(first, last)
    parts = []
    day = dt.date(first.year, first.month, 1)
    while day <= last + dt.timedelta(days=6):
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        column = max(0, (_monday(day) - first).days // 7)
        fits = column <= weeks - 3
        if fits and (day >= first or (following - first).days >= 21):
            parts.append(text(column * PITCH, 10, month_label(day, False), cls="tick"))
        day = following
    return el(
        "svg",
        {
            "cls": "heat-months",
            "viewBox": f"0 0 {weeks * PITCH} 13",
            "width": weeks * PITCH,
            "height": 13,
            "aria_hidden": "true",
        },
        *parts,
    )
