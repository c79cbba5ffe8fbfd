"""Where the person stands on a date: progress per goal, overdue items, the next review.

Pure: the plan's items, the completions and ``as_of`` go in, a report comes out. Completions
dated after ``as_of`` do not count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from careersync.model import Plan
from careersync.schedule import Item, Occurrence
from careersync.state import Completion


@dataclass(frozen=True)
class GoalProgress:
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


def compute(
    plan: Plan, items: list[Item], completions: dict[str, Completion], as_of: dt.date
) -> dict:
    """The ``status --json`` document of SPEC section 5 (plus a few extra keys)."""
    counted = {k: c for k, c in completions.items() if c.done_on <= as_of}
    entries = [o for i in items for o in i.occurrences()]
    goals = [_goal(plan, g.id, items, counted, as_of) for g in plan.goals]
    listed = sorted(
        (o for o in entries if o.kind in ("goal", "milestone") or o.date <= as_of),
        key=lambda o: (o.date, o.uid),
    )
    overdue = [
        o.uid
        for o in listed
        if o.kind in ("goal", "milestone") and o.date < as_of and o.uid not in counted
    ]
    reviews = sorted(
        (o for o in entries if o.kind == "review" and o.date >= as_of), key=Occurrence.sort_key
    )
    return {
        "as_of": as_of.isoformat(),
        "goals": [
            {
                "id": g.id,
                "title": g.title,
                "by": g.by.isoformat(),
                "done": g.done,
                "total": g.total,
                "progress": round(g.progress, 4),
                "expected": round(g.expected, 4) if g.total else _goal_expected(g, as_of),
                "state": g.state,
            }
            for g in goals
        ],
        "items": [_item(o, counted) for o in listed],
        "overdue": overdue,
        "next_review": {"uid": reviews[0].uid, "date": reviews[0].date.isoformat()}
        if reviews
        else None,
        "upcoming": [
            _item(o, counted)
            for o in sorted(entries, key=Occurrence.sort_key)
            if as_of < o.date <= as_of + dt.timedelta(days=14)
        ],
        "skill_gaps": [
            {
                "skill": s.id,
                "now": s.now,
                "need": s.need,
                "milestones": [m.id for m in plan.milestones if s.id in m.skills],
                "closed_by_done": [
                    m.id
                    for m in plan.milestones
                    if s.id in m.skills and f"milestone:{m.id}" in counted
                ],
            }
            for s in plan.skills
            if s.gap
        ],
        "recently_done": [
            {"uid": c.key, "done_on": c.done_on.isoformat(), "source": c.source}
            for c in sorted(counted.values(), key=lambda c: (c.done_on, c.key), reverse=True)
            if c.done_on > as_of - dt.timedelta(days=14)
        ],
    }


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


def render(doc: dict, width: int = 20) -> str:
    """The human view: a bar per goal, then overdue, the next 14 days, reviews, gaps, wins."""
    lines = [f"Status as of {doc['as_of']}", ""]
    for g in doc["goals"]:
        filled = round(g["progress"] * width)
        bar = "█" * filled + "░" * (width - filled)
        lines.append(f"{g['title']}  (by {g['by']})")
        counts = f"{g['done']}/{g['total']} done, {g['expected']:.0%} expected by now"
        lines.append(f"  {bar} {counts}: {g['state']}")
    titles = {i["uid"]: i["title"] for i in doc["items"]}
    if doc["overdue"]:
        lines += ["", "Overdue:"]
        lines += [f"  {titles.get(uid, uid)}  [{uid}]" for uid in doc["overdue"]]
    if doc["upcoming"]:
        lines += ["", "Next 14 days:"]
        lines += [
            f"  {i['due']}  {i['title']}{'  ✓' if i['done'] else ''}  [{i['uid']}]"
            for i in doc["upcoming"]
        ]
    if doc["next_review"]:
        lines += ["", f"Next review: {doc['next_review']['date']}  [{doc['next_review']['uid']}]"]
    if doc["skill_gaps"]:
        lines += ["", "Skill gaps:"]
        for s in doc["skill_gaps"]:
            closing = ", ".join(s["milestones"]) or "no milestone yet"
            lines.append(f"  {s['skill']}: {s['now']} -> {s['need']} (closed by: {closing})")
    if doc["recently_done"]:
        lines += ["", "Recently done, well done:"]
        lines += [f"  {c['done_on']}  {c['uid']}" for c in doc["recently_done"]]
    return "\n".join(lines)
