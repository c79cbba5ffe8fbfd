"""Small SVG/HTML building blocks for the report: escaped elements, a time scale, axis ticks.

Enough for the report's four shapes (timeline, burn-up, heat map, level meter), so no charting
dependency is needed. Every text and attribute value goes through :func:`esc`.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)


def esc(value: object) -> str:
    """``value`` as text safe in HTML/SVG content and in quoted attributes."""
    return html.escape(str(value), quote=True)


def num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros (keeps the file small)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def el(tag: str, attrs: dict[str, object] | None = None, *children: str) -> str:
    """An element; ``attrs`` with None values are left out, ``_`` in names becomes ``-``, and
    ``cls`` is ``class``. ``children`` are markup already built (escape text with :func:`esc`)."""
    parts = [tag]
    for name, value in (attrs or {}).items():
        if value is None:
            continue
        key = "class" if name == "cls" else name.replace("_", "-")
        text = (
            num(value)
            if isinstance(value, float)
            else str(value)
            if isinstance(value, int)
            else esc(value)
        )
        parts.append(f'{key}="{text}"')
    head = " ".join(parts)
    if not children:
        return f"<{head}/>"
    return f"<{head}>{''.join(children)}</{tag}>"


def text(x: float, y: float, content: str, **attrs: object) -> str:
    return el("text", {"x": float(x), "y": float(y), **attrs}, esc(content))


def tooltip(content: str) -> str:
    """An SVG ``<title>``: shown on hover, read by screen readers."""
    return el("title", None, esc(content))


@dataclass(frozen=True)
class TimeScale:
    """Maps days in ``[start, end]`` onto ``[left, right]`` linearly."""

    start: dt.date
    end: dt.date
    left: float
    right: float

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        return self.left + (self.right - self.left) * (day - self.start).days / span

    def clamp(self, day: dt.date) -> dt.date:
        return min(max(day, self.start), self.end)


def month_ticks(start: dt.date, end: dt.date, most: int = 12) -> list[dt.date]:
    """First days of months in ``[start, end]``, every 1, 2, 3, 6, 12... months so that at most
    ``most`` remain (steps align on January so labels read naturally)."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next((s for s in MONTH_STEPS if months / s <= most), MONTH_STEPS[-1] * 10)
    out = []
    index = start.year * 12 + start.month - 1
    if start.day != 1:
        index += 1
    last = end.year * 12 + end.month - 1
    while index <= last:
        if index % step == 0:
            out.append(dt.date(index // 12, index % 12 + 1, 1))
        index += 1
    return out


def month_label(day: dt.date, with_year: bool) -> str:
    name = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[
        day.month - 1
    ]
    return f"{name} {day.year}" if with_year else name


def lanes(xs: list[float], gap: float, most: int) -> list[int]:
    """A lane per x (in ascending order) so that marks in one lane are ``gap`` apart; past
    ``most`` lanes, marks share the lane whose last mark is furthest left."""
    ends: list[float] = []
    out = []
    for x in xs:
        free = next((i for i, end in enumerate(ends) if x - end >= gap), None)
        if free is None and len(ends) < most:
            ends.append(x)
            out.append(len(ends) - 1)
            continue
        if free is None:
            free = min(range(len(ends)), key=lambda i: ends[i])
        ends[free] = x
        out.append(free)
    return out


def count_ticks(total: int, most: int = 5) -> list[int]:
    """Whole-number ticks from 0 to at least ``total`` with a round step (1, 2, 5, 10, 20...)."""
    step = 1
    while total / step > most:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    top = -(-total // step) * step
    return list(range(0, max(top, step) + 1, step))


def step_path(points: list[tuple[float, float]]) -> str:
    """Path data for a step line that holds each value until the next point (step-after)."""
    if not points:
        return ""
    x, y = points[0]
    parts = [f"M{num(x)} {num(y)}"]
    for nx, ny in points[1:]:
        parts.append(f"H{num(nx)}V{num(ny)}")
    return "".join(parts)
