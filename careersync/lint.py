"""SMART warnings: things a plan can say but should not (exit 0 unless ``check --strict``)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from careersync.grammar import quote
from careersync.model import Plan
from careersync.schedule import Item, series_rule
from careersync.schedule import items as plan_items

VAGUE = re.compile(r"\b(improve|improving|get better at|more)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SmartWarning:
    code: str
    path: str
    #: the whole warning on one line, for scripts (``check --json``)
    message: str
    #: the same, split for reading in a terminal: a headline, then one line per specific
    #: (empty: ``message`` alone)
    lines: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "path": self.path, "message": self.message}


def render(warnings: list[SmartWarning], width: int = 80) -> list[str]:
    """Warnings as a readable list: one entry each, long text wrapped, specifics as bullets."""
    import textwrap

    count = len(warnings)
    out = [f"{count} SMART warning{'s' if count != 1 else ''}:"]
    for w in warnings:
        head, *details = w.lines or (w.message,)
        lead = f"  {w.code} {w.path}: "
        indent = " " * 7
        out.extend(
            textwrap.wrap(
                head, width, initial_indent=lead, subsequent_indent=indent, break_on_hyphens=False
            )
        )
        for detail in details:
            out.extend(
                textwrap.wrap(
                    detail,
                    width,
                    initial_indent=indent + "- ",
                    subsequent_indent=indent + "  ",
                    break_on_hyphens=False,
                )
            )
    return out


def lint(plan: Plan, all_items: list[Item] | None = None) -> list[SmartWarning]:
    """Every SMART warning, in a stable order: by code, then key path."""
    all_items = all_items if all_items is not None else plan_items(plan)
    out: list[SmartWarning] = []
    for g in plan.goals:
        path = f"goals.{g.id}"
        if VAGUE.search(g.title) and not re.search(r"\d", g.title):
            out.append(
                SmartWarning(
                    "S001",
                    f"{path}.title",
                    f"{quote(g.title)} is vague: say how much "
                    "or which, with a number or a named result (Specific)",
                )
            )
        if not g.measure:
            out.append(
                SmartWarning(
                    "M001", path, "no `measure`: how will you know it is done? (Measurable)"
                )
            )
        if not g.why:
            out.append(SmartWarning("R001", path, "no `why`: say why it matters to you (Relevant)"))
        if not any(m.goal == g.id for m in plan.milestones):
            out.append(
                SmartWarning(
                    "G001",
                    path,
                    "no milestone leads to this goal: add a "
                    "[milestones.<id>] with goal = " + quote(g.id),
                )
            )
    out.extend(_undatable(plan, all_items))
    out.extend(_skill_gaps(plan))
    out.extend(_capacity(plan, all_items))
    return sorted(out, key=lambda w: (w.code, w.path))


def _undatable(plan: Plan, all_items: list[Item]) -> list[SmartWarning]:
    have = {i.uid for i in all_items}
    out = []
    for r in plan.recurring:
        if r.uid not in have:
            section = {"habit": "habits", "contact": "contacts", "review": "reviews"}[r.kind]
            first = series_rule(r)[1]
            out.append(
                SmartWarning(
                    "T001",
                    f"{section}.{r.id}",
                    f"has no occurrence: it starts "
                    f"{first} but ends {r.until} (Time-bound: check from/until)",
                )
            )
    return out


def _skill_gaps(plan: Plan) -> list[SmartWarning]:
    raised = {s for m in plan.milestones for s in m.skills}
    return [
        SmartWarning(
            "K001",
            f"skills.{s.id}",
            f"gap of {s.gap} level{'s' if s.gap > 1 else ''} "
            f"({s.now} -> {s.need}) that no milestone raises: list {quote(s.id)} in a "
            "milestone's `skills`",
        )
        for s in plan.skills
        if s.gap and s.id not in raised
    ]


def weekly_load(plan: Plan, all_items: list[Item]) -> dict[dt.date, float]:
    """Hours of work per week (keyed by the week's Monday): milestone effort spread evenly
    over the days before each due date, plus every occurrence's duration."""
    load: dict[dt.date, float] = defaultdict(float)
    due = {i.uid.split(":", 1)[1]: i.date for i in all_items if i.kind == "milestone"}
    for m in plan.milestones:
        if not m.effort:
            continue
        low = max([plan.start, *(due[d] for d in m.after)])
        days = max(1, (due[m.id] - low).days)
        per_day = m.effort.total_seconds() / 3600 / days
        for n in range(days):
            day = low + dt.timedelta(days=n)
            load[day - dt.timedelta(days=day.weekday())] += per_day
    for item in all_items:
        if item.recurring and item.duration:
            hours = item.duration.total_seconds() / 3600
            for day in item.dates:
                load[day - dt.timedelta(days=day.weekday())] += hours
    return dict(load)


def _capacity(plan: Plan, all_items: list[Item]) -> list[SmartWarning]:
    if plan.capacity is None:
        return []
    over = {
        week: hours - plan.capacity
        for week, hours in sorted(weekly_load(plan, all_items).items())
        if hours > plan.capacity + 0.01
    }
    if not over:
        return []
    ranges: list[list[dt.date]] = []
    for week in over:
        if ranges and week - ranges[-1][-1] == dt.timedelta(weeks=1):
            ranges[-1].append(week)
        else:
            ranges.append([week])
    shown = []
    for weeks in ranges[:6]:
        worst = max(over[w] for w in weeks)
        when = f"week of {weeks[0]}" if len(weeks) == 1 else f"weeks of {weeks[0]} to {weeks[-1]}"
        shown.append(f"{when} ({'up to ' if len(weeks) > 1 else ''}{worst:.1f}h over)")
    more = f"and {len(ranges) - 6} more stretches" if len(ranges) > 6 else ""
    needs = (
        f"{len(over)} {'weeks need' if len(over) > 1 else 'week needs'} more than "
        f"{plan.capacity:g}h (Achievable)"
    )
    total = f"{sum(over.values()):.1f}h over in all"
    advice = "Raise capacity, move deadlines or cut effort."
    return [
        SmartWarning(
            "A001",
            "plan.capacity",
            f"{needs}: {'; '.join(shown)}{', ' + more if more else ''}; {total}. {advice}",
            lines=(f"{needs}, {total}. {advice} The weeks:", *shown, *([more] if more else [])),
        )
    ]
