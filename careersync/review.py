"""What a periodic review looks at (SPEC section 7): what happened since the last review, what is
overdue, what comes before the next one, and the skill gaps.

Pure, like :mod:`careersync.progress`, whose figures it reuses: the plan's items, the completions
and ``as_of`` go in. Completions dated after ``as_of`` do not count, as in ``status``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from careersync import progress
from careersync.model import Plan
from careersync.schedule import Item, Occurrence
from careersync.state import Completion

RECURRING_KINDS = ("habit", "contact", "review")


@dataclass(frozen=True)
class Recurring:
    """One habit, contact or review since the last review: occurrences due and done, the dates
    missed, and its streak (consecutive done occurrences counting back from ``as_of``)."""

    uid: str
    kind: str
    title: str
    due: int
    done: int
    missed: tuple[dt.date, ...]
    streak: int
    best_streak: int

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None


@dataclass(frozen=True)
class GoalMove:
    """A goal whose share of milestones done grew since the last review."""

    id: str
    title: str
    before: float
    after: float
    state: str


@dataclass(frozen=True)
class SkillGap:
    skill: str
    now: int
    need: int
    milestones_done: int
    milestones_total: int


@dataclass(frozen=True)
class Review:
    as_of: dt.date
    #: ``plan.start``, which date offsets such as "+3m" count from
    plan_start: dt.date
    since: dt.date
    #: the review occurrence ``since`` comes from (None: the plan's start)
    last_review: str | None
    done_since: tuple[Completion, ...]
    missed: tuple[str, ...]
    overdue: tuple[str, ...]
    upcoming: tuple[str, ...]
    skills: tuple[SkillGap, ...]
    recurring: tuple[Recurring, ...]
    goals_moved: tuple[GoalMove, ...]
    next_review: Occurrence | None
    #: the review occurrences a review held on ``as_of`` records done
    due_reviews: tuple[str, ...]
    #: every uid (occurrences included) -> its occurrence, for titles and dates
    entries: dict[str, Occurrence]

    def title(self, uid: str) -> str:
        entry = self.entries.get(uid)
        return entry.title if entry else uid

    def as_dict(self) -> dict:
        """The ``review --json`` document (SPEC section 7, plus a few extra keys)."""
        return {
            "as_of": self.as_of.isoformat(),
            "since": self.since.isoformat(),
            "done_since": [c.key for c in self.done_since],
            "missed": list(self.missed),
            "overdue": list(self.overdue),
            "upcoming": list(self.upcoming),
            "skills": [
                {
                    "skill": s.skill,
                    "now": s.now,
                    "need": s.need,
                    "milestones_done": s.milestones_done,
                    "milestones_total": s.milestones_total,
                }
                for s in self.skills
            ],
            "last_review": self.last_review,
            "next_review": {
                "uid": self.next_review.uid,
                "date": self.next_review.date.isoformat(),
            }
            if self.next_review
            else None,
            "review_due": list(self.due_reviews),
            "since_last_review": [
                {
                    "uid": r.uid,
                    "kind": r.kind,
                    "title": r.title,
                    "due": r.due,
                    "done": r.done,
                    "rate": round(r.rate, 4) if r.rate is not None else None,
                    "streak": r.streak,
                    "best_streak": r.best_streak,
                }
                for r in self.recurring
            ],
        }


def compute(
    plan: Plan, items: list[Item], completions: dict[str, Completion], as_of: dt.date
) -> Review:
    counted = {k: c for k, c in completions.items() if c.done_on <= as_of}
    entries = sorted((o for i in items for o in i.occurrences()), key=Occurrence.sort_key)
    by_uid = {o.uid: o for o in entries}
    reviews = [o for o in entries if o.kind == "review"]
    held = [o for o in reviews if o.date <= as_of and o.uid in counted]
    last = max(held, key=lambda o: (o.date, o.uid)) if held else None
    since = last.date if last else plan.start
    after = [o for o in reviews if o.date > as_of]
    next_review = after[0] if after else None
    horizon = next_review.date if next_review else dt.date.max
    past = [o for o in reviews if o.date <= as_of]
    due_day = past[-1].date if past else None
    status = progress.compute(plan, items, completions, as_of)
    return Review(
        as_of=as_of,
        plan_start=plan.start,
        since=since,
        last_review=last.uid if last else None,
        done_since=tuple(
            sorted(
                (c for c in counted.values() if c.done_on > since and c.key in by_uid),
                key=lambda c: (c.done_on, c.key),
            )
        ),
        missed=tuple(
            o.uid
            for o in entries
            if o.kind in RECURRING_KINDS and since < o.date < as_of and o.uid not in counted
        ),
        overdue=tuple(status["overdue"]),
        upcoming=tuple(
            o.uid for o in entries if as_of <= o.date <= horizon and o.uid not in counted
        ),
        skills=_skills(plan, counted),
        recurring=tuple(
            r for i in items if i.recurring and (r := _recurring(i, counted, since, as_of)).due
        ),
        goals_moved=_goals_moved(plan, items, completions, since, status),
        next_review=next_review,
        due_reviews=tuple(o.uid for o in past if o.date == due_day and o.uid not in counted),
        entries=by_uid,
    )


def streaks(dates: tuple[dt.date, ...], done: set[dt.date], as_of: dt.date) -> tuple[int, int]:
    """(current, best) runs of done occurrences up to ``as_of``; an occurrence on ``as_of``
    counts when done and does not break the run while it is not."""
    due = [d for d in dates if d <= as_of]
    if due and due[-1] == as_of and as_of not in done:
        due.pop()
    current = 0
    for day in reversed(due):
        if day not in done:
            break
        current += 1
    best = run = 0
    for day in due:
        run = run + 1 if day in done else 0
        best = max(best, run)
    return current, best


def _recurring(
    item: Item, counted: dict[str, Completion], since: dt.date, as_of: dt.date
) -> Recurring:
    done_days = {d for d in item.dates if f"{item.uid}@{d.isoformat()}" in counted}
    window = [d for d in item.dates if since < d < as_of or (d == as_of and d in done_days)]
    streak, best = streaks(item.dates, done_days, as_of)
    return Recurring(
        uid=item.uid,
        kind=item.kind,
        title=item.title,
        due=len(window),
        done=sum(1 for d in window if d in done_days),
        missed=tuple(d for d in window if d not in done_days),
        streak=streak,
        best_streak=best,
    )


def _skills(plan: Plan, counted: dict[str, Completion]) -> tuple[SkillGap, ...]:
    out = []
    for s in plan.skills:
        if not s.gap:
            continue
        raising = [m for m in plan.milestones if s.id in m.skills]
        out.append(
            SkillGap(
                s.id,
                s.now,
                s.need,
                sum(1 for m in raising if f"milestone:{m.id}" in counted),
                len(raising),
            )
        )
    return tuple(out)


def _goals_moved(
    plan: Plan,
    items: list[Item],
    completions: dict[str, Completion],
    since: dt.date,
    now: dict,
) -> tuple[GoalMove, ...]:
    before = {g["id"]: g for g in progress.compute(plan, items, completions, since)["goals"]}
    return tuple(
        GoalMove(g["id"], g["title"], before[g["id"]]["progress"], g["progress"], g["state"])
        for g in now["goals"]
        if g["progress"] > before[g["id"]]["progress"]
        or (g["state"] == "done" and before[g["id"]]["state"] != "done")
    )
