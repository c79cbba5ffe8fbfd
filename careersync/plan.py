"""``career.toml`` -> :class:`Plan`, with every error of SPEC section 3 collected and named."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from careersync import grammar
from careersync.errors import PlanError, did_you_mean
from careersync.grammar import quote
from careersync.model import (
    REVIEW_CADENCES,
    Goal,
    Milestone,
    Plan,
    Recurring,
    Skill,
)
from careersync.plan_fields import ID_PATTERN, MISSING, Fields

SECTIONS = ("plan", "self", "skills", "goals", "milestones", "habits", "contacts", "reviews")
PLAN_KEYS = ("title", "id", "start", "timezone", "capacity", "vision")
GOAL_KEYS = ("title", "by", "measure", "why", "horizon")
MILESTONE_KEYS = ("goal", "title", "by", "after", "effort", "skills")
RECURRING_KEYS = ("goal", "title", "every", "on", "at", "duration", "from", "until")
REVIEW_KEYS = ("title", "on", "at", "duration", "from", "until")
SKILL_KEYS = ("now", "need")


#: what a message about a missing or empty plan file suggests
MISSING_HINT = "run `careersync init` to write a starter plan"


def load(path: str | os.PathLike[str], label: str | None = None) -> Plan:
    """Read and validate a plan file; raise :class:`PlanError` listing every problem found."""
    from careersync.tomlfile import read_bytes

    label = label or str(path)
    return parse_bytes(read_bytes(Path(path), label, PlanError, MISSING_HINT), label)


def parse_bytes(raw: bytes, label: str) -> Plan:
    """A plan file's bytes, validated (see :func:`load`)."""
    from careersync.tomlfile import loads_bytes

    return parse(loads_bytes(raw, label, PlanError, MISSING_HINT), label)


def parse(data: dict[str, Any], label: str = "career.toml") -> Plan:
    """Validate parsed TOML; raise :class:`PlanError` listing every problem found."""
    reader = _Reader(label)
    plan = reader.plan(data)
    if reader.errors or plan is None:
        count = len(reader.errors)
        raise PlanError(
            f"{label}: {count} problem{'s' if count != 1 else ''} in the plan",
            details=reader.errors,
        )
    return plan


def system_timezone() -> str:
    """The IANA name of this machine's zone, or "UTC" when it cannot be told."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    try:
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[-1])
    except OSError:
        pass
    for name in candidates:
        if name and _valid_zone(name):
            return name
    return "UTC"


def _plan_id(value: object) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise ValueError(
            f"{quote(value)} is not a valid id (use lowercase letters, digits, '-' and '_')"
        )
    return value


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError):
        return False
    return True


class _Reader(Fields):
    """Walks the plan's sections, each into its model objects."""

    # sections ------------------------------------------------------------------------------

    def plan(self, data: dict[str, Any]) -> Plan | None:
        for key in data:
            if key not in SECTIONS:
                hint = did_you_mean(key, SECTIONS)
                self.error(key, f"unknown section{hint}; valid sections: {', '.join(SECTIONS)}")
        head = self.table("plan", data.get("plan", MISSING))
        if head is None:
            if "plan" not in data:
                self.error("plan", "the [plan] table is required (with title and start)")
            return None
        self.keys("plan", head, PLAN_KEYS, ("title", "start"))
        title = self.text("plan.title", head.get("title", MISSING))
        start = self.value(
            "plan.start", head.get("start", MISSING), lambda v: grammar.parse_date(v, None)
        )
        timezone = self.value("plan.timezone", head.get("timezone", MISSING), _zone)
        capacity = self.value(
            "plan.capacity", head.get("capacity", MISSING), grammar.parse_capacity
        )
        vision = self.text("plan.vision", head.get("vision", MISSING))
        plan_id = self.value("plan.id", head.get("id", MISSING), _plan_id)
        self_assessment = self.self_assessment(data.get("self", MISSING))
        skills = self.skills(data.get("skills", MISSING))
        if start is None:
            return None
        goals = self.goals(data.get("goals", MISSING), start)
        if not goals:
            if not data.get("goals"):
                self.error(
                    "goals", "the plan needs at least one goal ([goals.<id>] with title and by)"
                )
            return None
        goal_by = {g.id: g.by for g in goals}
        milestones = self.milestones(data.get("milestones", MISSING), start, goal_by, skills)
        recurring = [
            *self.recurring("habit", "habits", data.get("habits", MISSING), start, goal_by),
            *self.recurring("contact", "contacts", data.get("contacts", MISSING), start, goal_by),
            *self.reviews(data.get("reviews", MISSING), start, goal_by),
        ]
        if self.errors or title is None:
            return None
        self.dependencies(milestones, start, goal_by)
        return Plan(
            title=title,
            id=plan_id,
            start=start,
            timezone=timezone or system_timezone(),
            capacity=capacity,
            vision=vision,
            self_assessment=self_assessment,
            skills=tuple(sorted(skills.values(), key=lambda s: s.id)),
            goals=tuple(sorted(goals, key=lambda g: g.id)),
            milestones=tuple(sorted(milestones.values(), key=lambda m: m.id)),
            recurring=tuple(sorted(recurring, key=lambda r: r.uid)),
            source=self.label,
        )

    def self_assessment(self, raw: object) -> dict[str, tuple[str, ...]]:
        table = self.table("self", raw)
        out = {}
        for key, value in (table or {}).items():
            items = self.strings(f"self.{key}", value)
            if items is not None:
                out[key] = items
        return out

    def skills(self, raw: object) -> dict[str, Skill]:
        table = self.table("skills", raw)
        out = {}
        for skill_id, entry in self.ids("skills", table or {}):
            path = f"skills.{skill_id}"
            before = len(self.errors)
            self.keys(path, entry, SKILL_KEYS, ("need",))
            now = self.value(f"{path}.now", entry.get("now", 0), _level)
            need = self.value(f"{path}.need", entry.get("need", MISSING), _level)
            if not self.failed("skills", skill_id, before) and now is not None and need is not None:
                out[skill_id] = Skill(skill_id, now, need)
        return out

    def goals(self, raw: object, start: dt.date) -> list[Goal]:
        table = self.table("goals", raw)
        out = []
        for goal_id, entry in self.ids("goals", table or {}):
            path = f"goals.{goal_id}"
            before = len(self.errors)
            self.keys(path, entry, GOAL_KEYS, ("title", "by"))
            title = self.text(f"{path}.title", entry.get("title", MISSING))
            by = self.deadline(f"{path}.by", entry.get("by", MISSING), start)
            measure = self.text(f"{path}.measure", entry.get("measure", MISSING))
            why = self.text(f"{path}.why", entry.get("why", MISSING))
            horizon = self.value(f"{path}.horizon", entry.get("horizon", MISSING), _horizon)
            if self.failed("goals", goal_id, before) or title is None or by is None:
                continue
            if horizon is None:
                horizon = "short" if by <= grammar.add_offset(start, 12, "m") else "long"
            out.append(Goal(goal_id, title, by, measure, why, horizon))
        return out

    def deadline(self, path: str, raw: object, start: dt.date) -> dt.date | None:
        by = self.value(path, raw, lambda v: grammar.parse_date(v, start))
        if by is not None and by < start:
            self.error(path, f"{by} is before plan.start ({start})")
            return None
        return by

    def goal_ref(self, path: str, raw: object, goal_by: dict[str, dt.date], required: bool) -> str:
        """The goal an item belongs to; the only goal when the plan has one and none is named."""
        if raw is MISSING:
            if len(goal_by) == 1:
                return next(iter(goal_by))
            if required:
                self.error(
                    path,
                    "is required when the plan has more than one goal "
                    f"(one of {', '.join(goal_by)})",
                )
            return ""
        if isinstance(raw, str) and raw in self.broken["goals"]:
            return ""  # that goal's own error says it all
        if not isinstance(raw, str) or raw not in goal_by:
            hint = did_you_mean(raw, goal_by) if isinstance(raw, str) else ""
            self.error(path, f"{quote(raw)} is not a goal{hint}; goals: {', '.join(goal_by)}")
            return ""
        return raw

    def milestones(
        self, raw: object, start: dt.date, goal_by: dict[str, dt.date], skills: dict[str, Skill]
    ) -> dict[str, Milestone]:
        table = self.table("milestones", raw)
        entries = self.ids("milestones", table or {})
        known = {mid for mid, _ in entries} | self.broken["milestones"]
        out = {}
        for mid, entry in entries:
            path = f"milestones.{mid}"
            self.keys(path, entry, MILESTONE_KEYS, ("title",))
            goal = self.goal_ref(f"{path}.goal", entry.get("goal", MISSING), goal_by, True)
            title = self.text(f"{path}.title", entry.get("title", MISSING))
            by = self.deadline(f"{path}.by", entry.get("by", MISSING), start)
            after = self.strings(f"{path}.after", entry.get("after", MISSING)) or ()
            for i, dep in enumerate(after):
                if dep not in known:
                    hint = did_you_mean(dep, known)
                    self.error(f"{path}.after[{i}]", f"{quote(dep)} is not a milestone{hint}")
                elif dep == mid:
                    self.error(f"{path}.after[{i}]", "a milestone cannot come after itself")
            effort = self.value(
                f"{path}.effort",
                entry.get("effort", MISSING),
                lambda v: grammar.parse_duration(v, numbers_are_hours=True),
            )
            skill_ids = self.strings(f"{path}.skills", entry.get("skills", MISSING)) or ()
            for i, skill in enumerate(skill_ids):
                if skill not in skills and skill not in self.broken["skills"]:
                    hint = did_you_mean(skill, skills)
                    listed = f"; skills: {', '.join(skills)}" if skills else " (no [skills] listed)"
                    self.error(
                        f"{path}.skills[{i}]", f"{quote(skill)} is not a skill{hint}{listed}"
                    )
            if goal and by is not None and by > goal_by[goal]:
                self.error(
                    f"{path}.by",
                    f"{by} is after the deadline of goal {quote(goal)} ({goal_by[goal]})",
                )
            if title is not None and goal:
                out[mid] = Milestone(
                    mid, goal, title, by, tuple(dict.fromkeys(after)), effort, tuple(skill_ids)
                )
        return out

    def recurring(
        self, kind: str, section: str, raw: object, start: dt.date, goal_by: dict[str, dt.date]
    ) -> list[Recurring]:
        table = self.table(section, raw)
        out = []
        for item_id, entry in self.ids(section, table or {}):
            path = f"{section}.{item_id}"
            self.keys(path, entry, RECURRING_KEYS, ("title", "every"))
            if kind == "contact" and "goal" not in entry:
                goal = None
            else:
                goal = self.goal_ref(f"{path}.goal", entry.get("goal", MISSING), goal_by, True)
            title = self.text(f"{path}.title", entry.get("title", MISSING))
            every = self.value(
                f"{path}.every", entry.get("every", MISSING), grammar.parse_recurrence
            )
            item = self.occurrence_keys(
                path, entry, kind, item_id, title, every, start, start, goal, goal_by
            )
            if item is not None:
                out.append(item)
        return out

    def reviews(self, raw: object, start: dt.date, goal_by: dict[str, dt.date]) -> list[Recurring]:
        table = self.table("reviews", raw)
        out = []
        for key, value in (table or {}).items():
            path = f"reviews.{key}"
            if key not in REVIEW_CADENCES:
                hint = did_you_mean(key, REVIEW_CADENCES)
                self.error(path, f"unknown review cadence{hint}; use {', '.join(REVIEW_CADENCES)}")
                continue
            if value is True:
                value = {}
            entry = self.table(path, value)
            if entry is None:
                continue
            self.keys(path, entry, REVIEW_KEYS, ())
            every_text, default_title = REVIEW_CADENCES[key]
            title = self.text(f"{path}.title", entry.get("title", default_title))
            every = grammar.parse_recurrence(every_text)
            first = grammar.add_offset(start, *_period(every))
            item = self.occurrence_keys(
                path, entry, "review", key, title, every, start, first, None, goal_by
            )
            if item is not None:
                out.append(item)
        return out

    def occurrence_keys(
        self,
        path: str,
        entry: dict[str, Any],
        kind: str,
        item_id: str,
        title: str | None,
        every: grammar.Recurrence | None,
        plan_start: dt.date,
        default_from: dt.date,
        goal: str | None,
        goal_by: dict[str, dt.date],
    ) -> Recurring | None:
        """The keys habits, contacts and reviews share: on, at, duration, from, until.

        Offsets in ``from`` and ``until`` count from ``plan_start``, whatever the default start.
        """
        on = self.value(f"{path}.on", entry.get("on", MISSING), grammar.parse_weekdays)
        if on is not None and every is not None and not every.weekly:
            self.error(f"{path}.on", f"applies to weekly rules only, not {quote(every.label)}")
        at = self.value(f"{path}.at", entry.get("at", MISSING), grammar.parse_time)
        duration = self.value(
            f"{path}.duration", entry.get("duration", MISSING), grammar.parse_duration
        )
        first = self.value(
            f"{path}.from", entry.get("from", MISSING), lambda v: grammar.parse_date(v, plan_start)
        )
        until = self.value(
            f"{path}.until",
            entry.get("until", MISSING),
            lambda v: grammar.parse_date(v, plan_start),
        )
        if title is None or every is None or goal == "":
            return None
        default_until = goal_by[goal] if goal is not None else max(goal_by.values())
        return Recurring(
            kind=kind,
            id=item_id,
            title=title,
            every=every,
            start=first or default_from,
            until=until or default_until,
            goal=goal,
            on=on,
            at=at,
            duration=duration,
        )

    def dependencies(self, milestones: dict[str, Milestone], start: dt.date, goal_by) -> None:
        """Cycles, order of dated milestones, and room for the undated ones."""
        from careersync.milestones import DependencyProblem, check_dependencies

        try:
            check_dependencies(milestones, start, goal_by)
        except DependencyProblem as problem:
            self.error(problem.path, problem.message)


def _period(every: grammar.Recurrence) -> tuple[int, str]:
    unit = {"DAILY": "d", "WEEKLY": "w", "MONTHLY": "m", "YEARLY": "y"}[every.freq]
    return every.interval, unit


def _zone(value: object) -> str:
    if not isinstance(value, str) or not _valid_zone(value.strip()):
        hint = ""
        if isinstance(value, str):
            hint = did_you_mean(value, available_timezones())
        raise ValueError(
            f'{quote(value)} is not a known IANA timezone{hint} (e.g. "Europe/London")'
        )
    return value.strip()


def _level(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
        raise ValueError(f"{quote(value)} is not a skill level (use a whole number from 0 to 5)")
    return value


def _horizon(value: object) -> str:
    if value not in ("short", "long"):
        raise ValueError(f'{quote(value)} is not a horizon (use "short" or "long")')
    return str(value)
