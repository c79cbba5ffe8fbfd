"""Milestone dependencies: cycle and order checks, and dates for milestones without ``by``.

Undated milestones are placed in dependency order between their lower bound (the dates of what
they come after, else plan.start) and their upper bound (the earliest of their goal's deadline and
everything that depends on them). A chain sharing one bound shares the interval evenly (a dated
milestone closing the chain takes its share too; a goal deadline does not), or by
``effort`` when the plan states ``capacity`` and every undated milestone states its effort; then a
milestone is due as soon as its work fits the free weekly hours, if the whole chain still fits.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from careersync.grammar import quote
from careersync.model import Milestone


class DependencyProblem(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class _Bound:
    """A date a milestone must come after (lower) or be done by (upper), with what sets it:
    plan.start, the date of milestone ``source``, or the deadline of ``goal``.

    ``chain`` is the path of milestone ids between the milestone and whatever sets the bound:
    from that source up to the milestone's own ``after`` entry (lower), or from the milestone
    that depends on it on to the source (upper). Errors print it, so a conflict made by one
    ``after`` names every link, not only the ends.
    """

    date: dt.date
    source: str = ""
    chain: tuple[str, ...] = ()
    goal: str | None = None  # set when the bound is a goal's deadline

    @property
    def reason(self) -> str:
        """What sets the bound, for a message (worked out only when one is shown)."""
        if self.goal is not None:
            return f"the deadline of goal {quote(self.goal)}"
        return f"the date of {quote(self.source)}" if self.source else "plan.start"


def dependents_of(milestones: Mapping[str, Milestone]) -> dict[str, list[str]]:
    """Milestone id -> the ids that come after it."""
    dependents: dict[str, list[str]] = {mid: [] for mid in milestones}
    for mid, m in milestones.items():
        for dep in m.after:
            dependents[dep].append(mid)
    return dependents


def topological_order(
    milestones: Mapping[str, Milestone], dependents: dict[str, list[str]] | None = None
) -> list[str]:
    """Ids with every milestone after the ones it depends on; ties broken by id."""
    import heapq

    waiting = {mid: len(m.after) for mid, m in milestones.items()}
    dependents = dependents if dependents is not None else dependents_of(milestones)
    ready = [mid for mid, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        mid = heapq.heappop(ready)
        order.append(mid)
        for child in dependents[mid]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, child)
    if len(order) != len(milestones):
        cycle = _find_cycle(milestones, set(milestones) - set(order))
        raise DependencyProblem(
            f"milestones.{cycle[0]}.after",
            "dependency cycle: " + " -> ".join(cycle) + " (a milestone cannot wait for itself)",
        )
    return order


def _find_cycle(milestones: Mapping[str, Milestone], stuck: set[str]) -> list[str]:
    start = min(stuck)
    path: list[str] = []
    seen: dict[str, int] = {}
    node = start
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = min(dep for dep in milestones[node].after if dep in stuck)
    cycle = list(reversed(path[seen[node] :]))
    first = cycle.index(min(cycle))
    cycle = cycle[first:] + cycle[:first]
    return [*cycle, cycle[0]]


def _bounds(
    milestones: Mapping[str, Milestone], start: dt.date, goal_by: Mapping[str, dt.date]
) -> tuple[list[str], dict[str, _Bound], dict[str, _Bound], dict[str, list[str]]]:
    dependents = dependents_of(milestones)
    order = topological_order(milestones, dependents)
    floor = _Bound(start)
    lower: dict[str, _Bound] = {}
    for mid in order:
        best = floor
        for dep in milestones[mid].after:
            d = milestones[dep]
            if d.by:
                cand = _Bound(d.by, dep, (dep,))
            else:
                cand = replace(lower[dep], chain=(*lower[dep].chain, dep))
            if cand.date > best.date:
                best = cand
        lower[mid] = best
    deadlines = {goal: _Bound(by, goal=goal) for goal, by in goal_by.items()}
    upper: dict[str, _Bound] = {}
    for mid in reversed(order):
        m = milestones[mid]
        best = deadlines[m.goal] if m.by is None else _Bound(m.by, mid)
        for child in dependents[mid]:
            if upper[child].date < best.date:
                best = replace(upper[child], chain=(child, *upper[child].chain))
        upper[mid] = best
    return order, lower, upper, dependents


def check_dependencies(
    milestones: Mapping[str, Milestone], start: dt.date, goal_by: Mapping[str, dt.date]
) -> None:
    """Raise :class:`DependencyProblem` for a cycle or an order no schedule can satisfy."""
    order, lower, upper, _ = _bounds(milestones, start, goal_by)
    for mid in order:
        m, low = milestones[mid], lower[mid]
        if m.by is not None and low.date > m.by:
            raise DependencyProblem(
                f"milestones.{mid}.by",
                f"{m.by} is before {low.date}, {low.reason}, which it comes after "
                f"(a milestone cannot be due before one it depends on); "
                f"the chain: {_chain(low, mid, _Bound(m.by))}",
            )
        if m.by is None and low.date > upper[mid].date:
            high = upper[mid]
            raise DependencyProblem(
                f"milestones.{mid}",
                f"cannot be scheduled: it comes after {low.date} ({low.reason}) "
                f"but must be done by {high.date} ({high.reason}); "
                f"the chain: {_chain(low, mid, high)}",
            )


def _chain(low: _Bound, mid: str, high: _Bound) -> str:
    """``a (2028-07-04) -> b -> c -> goal x (2027-11-04)``: each link of a conflict, with the
    dates that clash at its ends, so the ``after`` or ``by`` to change is in plain sight."""
    links = [*low.chain, mid, *high.chain]
    if high.goal is not None:
        links.append(f"goal {high.goal}")
    links[0] += f" ({low.date})"
    links[-1] += f" ({high.date})"
    return " -> ".join(links)


def place(
    milestones: Mapping[str, Milestone],
    start: dt.date,
    goal_by: Mapping[str, dt.date],
    free_hours_per_week: float | None,
) -> dict[str, dt.date]:
    """A date for every milestone: its own ``by``, or a deterministic place in its interval."""
    order, _, upper, dependents = _bounds(milestones, start, goal_by)
    undated = [mid for mid in order if milestones[mid].by is None]
    by_effort = bool(undated) and all(milestones[mid].effort for mid in undated)
    rate = free_hours_per_week if by_effort and free_hours_per_week else None

    def weight(mid: str) -> float:
        effort = milestones[mid].effort
        return effort.total_seconds() / 3600 if rate and effort else 1.0

    rest: dict[str, float] = {}
    for mid in reversed(order):
        rest[mid] = max(
            (
                weight(child) + (rest[child] if milestones[child].by is None else 0.0)
                for child in dependents[mid]
                if upper[child].date == upper[mid].date
            ),
            default=0.0,
        )
    dates: dict[str, dt.date] = {}
    for mid in order:
        m = milestones[mid]
        if m.by is not None:
            dates[mid] = m.by
            continue
        low = max([start, *(dates[dep] for dep in m.after)])
        span = (upper[mid].date - low).days
        if rate:
            need = _days_of_work(weight(mid), rate)
            if need + _days_of_work(rest[mid], rate) <= span:
                dates[mid] = low + dt.timedelta(days=need)
                continue
        share = weight(mid) / (weight(mid) + rest[mid])
        dates[mid] = low + dt.timedelta(days=math.floor(span * share))
    return dates


def _days_of_work(hours: float, hours_per_week: float) -> int:
    return math.ceil(hours / hours_per_week * 7)
