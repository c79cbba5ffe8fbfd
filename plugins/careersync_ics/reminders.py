"""Alarm lead times per item kind (light: config validation must not load icalendar)."""

from __future__ import annotations

import datetime as dt
import re

LEAD = re.compile(r"^(\d+)\s*([wdhm])$")
DEFAULTS = {
    "goal": "1w",
    "milestone": "1d",
    "habit": "15m",
    "contact": "1d",
    "review": "15m",
}


def lead_time(kind: str, reminders: dict[str, object]) -> dt.timedelta | None:
    """How long before an item its alarm fires ("1w", "2d", "2h", "15m"), None for no alarm."""
    value = reminders.get(kind, DEFAULTS[kind])
    if value in (None, False, "none", ""):
        return None
    if isinstance(value, str) and (m := LEAD.match(value.strip().lower())):
        unit = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}[m.group(2)]
        return dt.timedelta(**{unit: int(m.group(1))})
    raise ValueError(f'{value!r} is not a reminder (use "1w", "2d", "2h", "15m" or "none")')


def problems(value: dict[str, object]) -> list[str]:
    out = []
    for kind in value:
        if kind not in DEFAULTS:
            out.append(f"reminders.{kind}: not an item kind ({', '.join(DEFAULTS)})")
            continue
        try:
            lead_time(kind, value)
        except ValueError as exc:
            out.append(f"reminders.{kind}: {exc}")
    return out
