"""The plan model: immutable dataclasses, every date resolved, every reference checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from careersync.grammar import Recurrence

KINDS = ("goal", "milestone", "habit", "contact", "review")
REVIEW_CADENCES = {
    "weekly": ("week", "Weekly review"),
    "monthly": ("month", "Monthly review"),
    "quarterly": ("quarter", "Quarterly review"),
    "semiannual": ("half-year", "Half-yearly review"),
    "yearly": ("year", "Yearly review"),
}


@dataclass(frozen=True)
class Skill:
    """A skill the plan tracks: the level the person has now and the level the goal needs."""

    id: str
    now: int
    need: int

    @property
    def gap(self) -> int:
        return max(0, self.need - self.now)


@dataclass(frozen=True)
class Goal:
    """A goal with its deadline; ``horizon`` says whether it is short or long term."""

    id: str
    title: str
    by: dt.date
    measure: str | None = None
    why: str | None = None
    horizon: str = "short"


@dataclass(frozen=True)
class Milestone:
    """A step towards a goal: dated by ``by``, or placed by the scheduler after ``after``."""

    id: str
    goal: str
    title: str
    by: dt.date | None = None
    after: tuple[str, ...] = ()
    effort: dt.timedelta | None = None
    skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recurring:
    """A habit, contact or review: ``start`` and ``until`` bound its occurrences, inclusive."""

    kind: str
    id: str
    title: str
    every: Recurrence
    start: dt.date
    until: dt.date
    goal: str | None = None
    on: tuple[int, ...] | None = None
    at: dt.time | None = None
    duration: dt.timedelta | None = None

    @property
    def uid(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Plan:
    """A loaded, valid plan. Collections are tuples sorted by id, so key order never matters."""

    title: str
    start: dt.date
    timezone: str
    #: ``[plan] id``: the plan's identity for its state (None: known by its path)
    id: str | None = None
    capacity: float | None = None
    vision: str | None = None
    self_assessment: dict[str, tuple[str, ...]] = field(default_factory=dict)
    skills: tuple[Skill, ...] = ()
    goals: tuple[Goal, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    recurring: tuple[Recurring, ...] = ()
    source: str = "career.toml"

    def uids(self) -> set[str]:
        """The uid of every item the plan makes (occurrences not listed)."""
        return {
            *(f"goal:{g.id}" for g in self.goals),
            *(f"milestone:{m.id}" for m in self.milestones),
            *(r.uid for r in self.recurring),
        }

    def goal(self, goal_id: str) -> Goal:
        return next(g for g in self.goals if g.id == goal_id)

    @property
    def end(self) -> dt.date:
        """The last goal deadline: the default end of every window."""
        return max(g.by for g in self.goals)
