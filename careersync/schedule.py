"""Plan -> dated items. Pure: no I/O and no clock; windows and dates are passed in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from careersync.grammar import RRULE_DAYS, Recurrence
from careersync.model import KINDS, Plan, Recurring

PLANNING_SHARE = 0.8


@dataclass(frozen=True)
class Item:
    """One thing to sync: a one-off (``rule`` None) or a recurring series.

    For a recurring item ``date`` is the first occurrence, ``until`` the last one, and ``dates``
    every occurrence; ``rule`` is the RFC 5545 rule without DTSTART, UNTIL or COUNT.
    """

    uid: str
    kind: str
    title: str
    date: dt.date
    goal: str | None
    timezone: str
    time: dt.time | None = None
    duration: dt.timedelta | None = None
    rule: str | None = None
    until: dt.date | None = None
    dates: tuple[dt.date, ...] = ()
    description: str = ""
    recurrence_label: str | None = None
    goal_title: str | None = None

    @property
    def recurring(self) -> bool:
        return self.rule is not None

    def time_on(self, day: dt.date) -> dt.time | None:
        """The wall-clock time of the occurrence on ``day`` (see :func:`wall_clock`)."""
        return wall_clock(day, self.time, self.timezone) if self.time else None

    def occurrences(self) -> list[Occurrence]:
        if self.rule is None:
            return [
                Occurrence(
                    self.uid,
                    self.uid,
                    self.kind,
                    self.title,
                    self.date,
                    self.time_on(self.date),
                    self.goal,
                )
            ]
        return [
            Occurrence(
                f"{self.uid}@{d.isoformat()}",
                self.uid,
                self.kind,
                self.title,
                d,
                self.time_on(d),
                self.goal,
            )
            for d in self.dates
        ]


def wall_clock(day: dt.date, time: dt.time, timezone: str) -> dt.time:
    """``time`` on ``day`` as the clocks in ``timezone`` show it.

    A time the clocks skip (02:30 on the day they go forward) is read as RFC 5545 reads it,
    with the offset in force before the change, so it lands as far past the change as it was
    meant to be past the hour (03:30); calendar apps show it there, and so does ``schedule``.
    """
    zone = _zone(timezone)
    meant = dt.datetime.combine(day, time.replace(fold=0), zone)
    return meant.astimezone(dt.UTC).astimezone(zone).time()


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True)
class Occurrence:
    """A dated entry of the schedule: a one-off item, or one occurrence of a recurring one."""

    uid: str
    parent: str
    kind: str
    title: str
    date: dt.date
    time: dt.time | None
    goal: str | None

    def sort_key(self) -> tuple:
        return (
            self.date,
            self.time is not None,
            self.time or dt.time(),
            KINDS.index(self.kind),
            self.uid,
        )


def items(plan: Plan) -> list[Item]:
    """Every item of the plan, sorted by uid; recurring items with no occurrence are left out."""
    goal_titles = {g.id: g.title for g in plan.goals}
    goal_whys = {g.id: g.why for g in plan.goals}
    out = [
        Item(
            uid=f"goal:{g.id}",
            kind="goal",
            title=g.title,
            date=g.by,
            goal=g.id,
            timezone=plan.timezone,
            description=_lines(
                ("Deadline for goal", g.title), ("Measure", g.measure), ("Why", g.why)
            ),
            goal_title=g.title,
        )
        for g in plan.goals
    ]
    dates = milestone_dates(plan)
    for m in plan.milestones:
        effort = _hours(m.effort) if m.effort else None
        out.append(
            Item(
                uid=f"milestone:{m.id}",
                kind="milestone",
                title=m.title,
                date=dates[m.id],
                goal=m.goal,
                timezone=plan.timezone,
                description=_lines(
                    ("Goal", goal_titles[m.goal]),
                    ("Why", goal_whys[m.goal]),
                    ("Effort", effort),
                    ("Skills", ", ".join(m.skills) or None),
                    ("After", ", ".join(m.after) or None),
                ),
                goal_title=goal_titles[m.goal],
            )
        )
    for r in plan.recurring:
        item = recurring_item(r, plan.timezone, goal_titles)
        if item is not None:
            out.append(item)
    return sorted(out, key=lambda i: i.uid)


def milestone_dates(plan: Plan) -> dict[str, dt.date]:
    from careersync.milestones import place  # here: items read from the cache need no placing

    return place(
        {m.id: m for m in plan.milestones},
        plan.start,
        {g.id: g.by for g in plan.goals},
        free_hours_per_week(plan),
    )


def free_hours_per_week(plan: Plan) -> float | None:
    """The weekly hours milestones are planned with: ``capacity`` less the average weekly hours of
    habits, contacts and reviews, of which ``PLANNING_SHARE`` is used, leaving slack for weeks
    busier than average."""
    if plan.capacity is None:
        return None
    recurring = sum(
        _hours(r.duration) * per_week(r.every, r.on) for r in plan.recurring if r.duration
    )
    free = (plan.capacity - recurring) * PLANNING_SHARE
    return free if free > 0 else None


def per_week(every: Recurrence, on: tuple[int, ...] | None) -> float:
    """Average occurrences a week of a rule (for capacity estimates, not for dates)."""
    days = every.get("BYDAY")
    per_period = len(on) if on else (len(days.split(",")) if days else 1)
    weeks = {"DAILY": 1 / 7, "WEEKLY": 1.0, "MONTHLY": 52 / 12, "YEARLY": 52.0}[every.freq]
    if every.freq == "DAILY" and days:
        return per_period / every.interval
    return per_period / (weeks * every.interval)


def recurring_item(r: Recurring, timezone: str, goal_titles: dict[str, str]) -> Item | None:
    rule, first_from = series_rule(r)
    dates = expand(rule, first_from, r.until, r.every)
    if not dates:
        return None
    every = r.every.label + (
        " on " + ", ".join(("mon", "tue", "wed", "thu", "fri", "sat", "sun")[d] for d in r.on)
        if r.on
        else ""
    )
    return Item(
        uid=r.uid,
        kind=r.kind,
        title=r.title,
        date=dates[0],
        goal=r.goal,
        timezone=timezone,
        time=r.at,
        duration=r.duration,
        rule=rule.without("UNTIL", "COUNT").rule(),
        until=dates[-1],
        dates=tuple(dates),
        description=_lines(("Goal", goal_titles.get(r.goal or "")), ("Every", every)),
        recurrence_label=every,
        goal_title=goal_titles.get(r.goal or ""),
    )


def series_rule(r: Recurring) -> tuple[Recurrence, dt.date]:
    """The rule made explicit for the item's start, and the date to expand it from.

    Weekly rules name their weekdays (``on``, else ``from``'s weekday) and start on the first of
    them on or after ``from``; monthly and yearly rules name their day, and days 29-31 fall on the
    month's last day in shorter months, said in the plainest rule that gives those dates.
    """
    rule, start = r.every, r.start
    by_day_parts = {"BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO"}
    if rule.weekly:
        if r.on:
            rule = rule.with_part("BYDAY", ",".join(RRULE_DAYS[d] for d in r.on))
        elif rule.get("BYDAY") is None:
            rule = rule.with_part("BYDAY", RRULE_DAYS[start.weekday()])
        wanted = {RRULE_DAYS.index(d[-2:]) for d in (rule.get("BYDAY") or "").split(",")}
        while start.weekday() not in wanted:
            start += dt.timedelta(days=1)
    elif rule.monthly_type and not by_day_parts & {k for k, _ in rule.parts}:
        if rule.freq == "YEARLY" and rule.get("BYMONTH") is None:
            rule = rule.with_part("BYMONTH", str(start.month))
        rule = _month_day(rule, start.day, start, r)
    elif rule.monthly_type and rule.get("BYSETPOS") is None:
        day = rule.get("BYMONTHDAY")
        if day is not None and day.isdigit() and 29 <= int(day) <= 31:
            rule = _month_day(rule, int(day), start, r)
    return rule, start


def _month_day(rule: Recurrence, day: int, start: dt.date, r: Recurring) -> Recurrence:
    """``BYMONTHDAY=day``, or where some month of the series is shorter, the plainest rule that
    falls on its last day instead: ``-1`` (the last day) when that gives the same dates, else
    the clamp ``BYMONTHDAY=28,...,day;BYSETPOS=-1``."""
    plain = rule.with_part("BYMONTHDAY", str(day))
    if day < 29:
        return plain
    days = ",".join(str(d) for d in range(28, day + 1))
    clamp = rule.with_part("BYMONTHDAY", days).with_part("BYSETPOS", "-1")
    if rule.freq == "YEARLY" and "," in (rule.get("BYMONTH") or ""):
        return clamp  # BYSETPOS picks one day a year here: no plainer rule says that
    # the clamp gives one day in each month the rule visits: the plain rule gives the same
    # when no such month is short, and "the last day" when each is at most ``day`` long
    wanted = expand(clamp, start, r.until, r.every)
    if all(d.day == day for d in wanted):
        return plain
    last_day = rule.with_part("BYMONTHDAY", "-1")
    # checked whole: the first month may be long enough for ``day``, yet start after it
    # (from Jan 30, day 29: the clamp skips January, "the last day" would give Jan 31)
    if all((d + dt.timedelta(days=1)).month != d.month for d in wanted) and wanted == expand(
        last_day, start, r.until, r.every
    ):
        return last_day
    return clamp


def expand(rule: Recurrence, start: dt.date, until: dt.date, every: Recurrence) -> list[dt.date]:
    """Occurrence dates from ``start`` to ``until`` inclusive (raw UNTIL/COUNT also honoured)."""
    from dateutil.rrule import rrulestr  # here: a plan read from the cache needs no expanding

    begin = dt.datetime.combine(start, dt.time())
    last = dt.datetime.combine(until, dt.time())
    rset = rrulestr(rule.rule(), dtstart=begin, ignoretz=True)
    if every.get("COUNT") is None and every.get("UNTIL") is None:
        rset = rset.replace(until=last)  # not in the text: reading one imports dateutil's parser
    return [d.date() for d in rset.between(begin, last, inc=True)] if begin <= last else []


def build(plan: Plan, start: dt.date | None = None, end: dt.date | None = None) -> list[Occurrence]:
    """The schedule: every dated entry in ``[start, end]`` (default: the whole plan), in order."""
    return in_window(items(plan), start or plan.start, end or plan.end)


def in_window(all_items: list[Item], start: dt.date, end: dt.date) -> list[Occurrence]:
    entries = [o for i in all_items for o in i.occurrences() if start <= o.date <= end]
    return sorted(entries, key=Occurrence.sort_key)


def _hours(value: dt.timedelta | None) -> float:
    return value.total_seconds() / 3600 if value else 0.0


def _lines(*pairs: tuple[str, object]) -> str:
    def fmt(value: object) -> str:
        return f"{value:g}h" if isinstance(value, float) else str(value)

    return "\n".join(f"{label}: {fmt(value)}" for label, value in pairs if value)
