"""Where the person stands on a date: every figure that ``status`` and ``report`` show.

Pure: the plan's items, the completions and ``as_of`` go in, one document comes out, so the text
view, ``status --json`` and the HTML report never disagree. Completions dated after ``as_of`` do
not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from careersync.model import KINDS, Plan
from careersync.schedule import Item, Occurrence
from careersync.state import Completion

RECURRING_KINDS = ("habit", "contact", "review")
RECENT_DAYS = 14


@dataclass(frozen=True)
class GoalProgress:
    """One goal's milestones: done, due by the report's day, and the state that makes."""

    id: str
    title: str
    by: dt.date
    done: int
    total: int
    due: int
    goal_done: bool
    state: str

    @property
    def progress(self) -> float:
        if self.total == 0:
            return 1.0 if self.goal_done else 0.0
        return self.done / self.total

    @property
    def expected(self) -> float:
        return self.due / self.total if self.total else 0.0


def forecast(start: dt.date, as_of: dt.date, done: int, total: int) -> dt.date | None:
    """When ``total`` milestones would be done at the pace so far (SPEC section 7).

    pace = done / days from ``start`` to ``as_of``; the remaining ones take remaining / pace days,
    rounded up. None when there is no pace to go on (nothing done, no day elapsed), nothing to
    forecast (no milestone, all done), or the date would fall beyond the calendar.
    """
    elapsed = (as_of - start).days
    if total == 0 or done >= total or done == 0 or elapsed <= 0:
        return None
    days = -(-(total - done) * elapsed // done)
    try:
        return as_of + dt.timedelta(days=days)
    except OverflowError:
        return None


def streaks(occurrences: Sequence[tuple[dt.date, bool]], as_of: dt.date) -> tuple[int, int]:
    """(current, best) runs of done occurrences among those on or before ``as_of``, in date order.

    The current streak counts back from the latest occurrence; one on ``as_of`` itself counts
    when done and does not break the streak while it is not (the day is not over).
    """
    past = [(day, done) for day, done in occurrences if day <= as_of]
    best = run = 0
    for _, done in past:
        run = run + 1 if done else 0
        best = max(best, run)
    if past and past[-1] == (as_of, False):
        past.pop()
    flags = [done for _, done in past]
    current = 0
    for done in reversed(flags):
        if not done:
            break
        current += 1
    return current, best


def compute(
    plan: Plan,
    items: list[Item],
    completions: dict[str, Completion],
    as_of: dt.date,
    *,
    detail: bool = False,
) -> dict:
    """The ``status --json`` document (SPEC sections 5 and 7, plus a few extra keys).

    ``detail`` adds what only a picture needs: each goal's milestones and burn-up series, and
    every occurrence of each recurring item with its state.
    """
    counted = {k: c for k, c in completions.items() if c.done_on <= as_of}
    soon = as_of + dt.timedelta(days=RECENT_DAYS)
    entries = [o for i in items for o in i.occurrences()]
    titles = {o.uid: _occurrence_title(o) for o in entries if o.uid in counted}
    goals = sorted(plan.goals, key=lambda g: (g.by, g.id))
    listed = sorted(
        (o for o in entries if o.kind in ("goal", "milestone") or o.date <= as_of),
        key=lambda o: (o.date, o.uid),
    )
    overdue = [
        o
        for o in listed
        if o.kind in ("goal", "milestone") and o.date < as_of and o.uid not in counted
    ]
    reviews = sorted(
        (o for o in entries if o.kind == "review" and o.date >= as_of), key=Occurrence.sort_key
    )
    recurring = [
        _recurring(i, counted, as_of, detail)
        for i in sorted(
            (i for i in items if i.recurring), key=lambda i: (KINDS.index(i.kind), i.uid)
        )
    ]
    due = sum(r["due"] for r in recurring)
    done = sum(r["done"] for r in recurring)
    return {
        "as_of": as_of.isoformat(),
        "plan": {"title": plan.title, "start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "goals": [_goal_entry(plan, g.id, items, counted, as_of, detail) for g in goals],
        "items": [_item(o, counted) for o in listed],
        "overdue": [o.uid for o in overdue],
        "overdue_items": [
            {
                "uid": o.uid,
                "kind": o.kind,
                "title": o.title,
                "due": o.date.isoformat(),
                "days_late": (as_of - o.date).days,
            }
            for o in overdue
        ],
        "next_review": {"uid": reviews[0].uid, "date": reviews[0].date.isoformat()}
        if reviews
        else None,
        "next_reviews": _next_reviews(reviews),
        "recurring": recurring,
        "adherence": {
            "due": due,
            "done": done,
            "missed": sum(r["missed"] for r in recurring),
            "rate": done / due if due else None,
        },
        "upcoming": [
            _item(o, counted)
            for o in sorted((o for o in entries if as_of < o.date <= soon), key=Occurrence.sort_key)
        ],
        "skill_gaps": _skill_gaps(plan, items, counted),
        "recently_done": [
            {
                "uid": c.key,
                "kind": c.key.split(":", 1)[0],
                "title": titles.get(c.key, c.key),
                "done_on": c.done_on.isoformat(),
                "source": c.source,
            }
            for c in sorted(counted.values(), key=lambda c: (c.done_on, c.key), reverse=True)
            if c.done_on > as_of - dt.timedelta(days=RECENT_DAYS)
        ],
    }


def _occurrence_title(o: Occurrence) -> str:
    return o.title if o.uid == o.parent else f"{o.title} ({o.date.isoformat()})"


def _goal_expected(goal: GoalProgress, as_of: dt.date) -> float:
    return 1.0 if as_of >= goal.by else 0.0


def _goal(
    plan: Plan, goal_id: str, items: list[Item], counted: dict[str, Completion], as_of: dt.date
) -> GoalProgress:
    goal = plan.goal(goal_id)
    milestones = [i for i in items if i.kind == "milestone" and i.goal == goal_id]
    done = sum(1 for m in milestones if m.uid in counted)
    due = sum(1 for m in milestones if m.date <= as_of)
    goal_done = f"goal:{goal_id}" in counted
    total = len(milestones)
    if goal_done or (total and done == total):
        state = "done"
    elif as_of > goal.by:
        state = "overdue"
    else:
        expected_due = due if total else (1 if as_of >= goal.by else 0)
        achieved = done if total else (1 if goal_done else 0)
        state = (
            "behind"
            if achieved < expected_due
            else "ahead"
            if achieved > expected_due
            else "on-track"
        )
    return GoalProgress(goal.id, goal.title, goal.by, done, total, due, goal_done, state)


def _goal_entry(
    plan: Plan,
    goal_id: str,
    items: list[Item],
    counted: dict[str, Completion],
    as_of: dt.date,
    detail: bool,
) -> dict:
    g = _goal(plan, goal_id, items, counted, as_of)
    when = forecast(plan.start, as_of, g.done, g.total)
    entry = {
        "id": g.id,
        "title": g.title,
        "by": g.by.isoformat(),
        "done": g.done,
        "total": g.total,
        "progress": round(g.progress, 4),
        "expected": round(g.expected, 4) if g.total else _goal_expected(g, as_of),
        "state": g.state,
        "forecast": when.isoformat() if when else None,
        "on_pace": when <= g.by if when else None,
        "days_to_spare": (g.by - when).days if when else None,
        "days_left": (g.by - as_of).days,
    }
    if detail:
        milestones = sorted(
            (i for i in items if i.kind == "milestone" and i.goal == goal_id),
            key=lambda m: (m.date, m.uid),
        )
        entry["milestones"] = [_milestone(m, counted, as_of) for m in milestones]
        entry["burnup"] = _burnup(plan, g, milestones, counted)
    return entry


def _milestone(m: Item, counted: dict[str, Completion], as_of: dt.date) -> dict:
    c = counted.get(m.uid)
    state = "done" if c else "overdue" if m.date < as_of else "upcoming"
    return {
        "uid": m.uid,
        "title": m.title,
        "due": m.date.isoformat(),
        "state": state,
        "done_on": c.done_on.isoformat() if c else None,
        "days_late": (as_of - m.date).days if state == "overdue" else None,
    }


def _burnup(
    plan: Plan, g: GoalProgress, milestones: list[Item], counted: dict[str, Completion]
) -> dict:
    """Step series [date, count]: milestones due by each date (the road) and done by each date.

    A goal with no milestones is its own single unit, as its ``progress`` is.
    """
    if milestones:
        due_days = [m.date for m in milestones]
        done_days = [counted[m.uid].done_on for m in milestones if m.uid in counted]
    else:
        due_days = [g.by]
        goal_done = counted.get(f"goal:{g.id}")
        done_days = [goal_done.done_on] if goal_done else []
    return {
        "total": len(due_days),
        "expected": _cumulative(plan.start, due_days),
        "done": _cumulative(plan.start, done_days),
    }


def _cumulative(start: dt.date, days: list[dt.date]) -> list[list]:
    steps: list[list] = [[start.isoformat(), 0]]
    for n, day in enumerate(sorted(days), 1):
        if steps[-1][0] == day.isoformat():
            steps[-1][1] = n
        else:
            steps.append([day.isoformat(), n])
    return steps


def _recurring(item: Item, counted: dict[str, Completion], as_of: dt.date, detail: bool) -> dict:
    marks = [(d, counted.get(f"{item.uid}@{d.isoformat()}")) for d in item.dates]
    past = [(d, c) for d, c in marks if d <= as_of]
    done = [(d, c) for d, c in past if c is not None]
    streak, best = streaks([(d, c is not None) for d, c in past], as_of)
    ahead = [d for d, c in marks if d >= as_of and c is None]
    entry = {
        "uid": item.uid,
        "kind": item.kind,
        "title": item.title,
        "due": len(past),
        "done": len(done),
        "rate": len(done) / len(past) if past else None,
        "streak": streak,
        "best_streak": best,
        "last_done": done[-1][1].done_on.isoformat() if done else None,
        "missed": sum(1 for d, c in past if c is None and d < as_of),
        "every": item.recurrence_label,
        "goal": item.goal,
        "first": item.dates[0].isoformat(),
        "last": item.dates[-1].isoformat(),
        "next": ahead[0].isoformat() if ahead else None,
    }
    if detail:
        entry["occurrences"] = [
            {
                "date": d.isoformat(),
                "state": "done" if c else "missed" if d < as_of else "upcoming",
                "done_on": c.done_on.isoformat() if c else None,
            }
            for d, c in marks
        ]
    return entry


def _next_reviews(reviews: list[Occurrence]) -> list[dict]:
    """The next occurrence of each review cadence, soonest first."""
    first: dict[str, Occurrence] = {}
    for o in reviews:
        first.setdefault(o.parent, o)
    return [
        {"uid": o.uid, "title": o.title, "date": o.date.isoformat()}
        for o in sorted(first.values(), key=Occurrence.sort_key)
    ]


def _skill_gaps(plan: Plan, items: list[Item], counted: dict[str, Completion]) -> list[dict]:
    due = {i.uid: i.date for i in items if i.kind == "milestone"}
    gaps = []
    for s in plan.skills:
        if not s.gap:
            continue
        closing = sorted(
            (m for m in plan.milestones if s.id in m.skills),
            key=lambda m: (due[f"milestone:{m.id}"], m.id),
        )
        done = {m.id for m in closing if f"milestone:{m.id}" in counted}
        gaps.append(
            {
                "skill": s.id,
                "now": s.now,
                "need": s.need,
                "milestones": [m.id for m in closing],
                "closed_by_done": [m.id for m in closing if m.id in done],
                "milestones_done": len(done),
                "milestones_total": len(closing),
                "closing": [
                    {
                        "uid": f"milestone:{m.id}",
                        "title": m.title,
                        "due": due[f"milestone:{m.id}"].isoformat(),
                        "done": m.id in done,
                        "done_on": counted[f"milestone:{m.id}"].done_on.isoformat()
                        if m.id in done
                        else None,
                    }
                    for m in closing
                ],
            }
        )
    return gaps


def _item(o: Occurrence, counted: dict[str, Completion]) -> dict:
    c = counted.get(o.uid)
    return {
        "uid": o.uid,
        "kind": o.kind,
        "title": o.title,
        "due": o.date.isoformat(),
        "done": c is not None,
        "done_on": c.done_on.isoformat() if c else None,
        "source": c.source if c else None,
    }
