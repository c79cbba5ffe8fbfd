"""How scheduling time grows with plan size.

500 to 5,000 milestones, 200 habits, 4 review cadences, over five years.

Run: python bench/schedule_bench.py. Prints seconds per size and the ratio to the smallest size
(linear growth shows as a ratio close to the ratio of sizes).
"""

from __future__ import annotations

import random
import sys
import time

from careersync import plan as plan_module
from careersync import schedule


def generated_plan(milestones: int, habits: int = 200, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    data: dict = {
        "plan": {
            "title": "Generated",
            "start": "2027-01-04",
            "timezone": "Europe/London",
            "capacity": "40h/week",
        },
        "goals": {
            f"g{i}": {"title": f"Goal {i}", "by": f"+{12 * (i + 1)}m", "measure": "m", "why": "w"}
            for i in range(5)
        },
        "milestones": {},
        "habits": {},
        "reviews": {
            "weekly": {"on": "fri", "at": "16:00", "duration": "30m"},
            "monthly": {},
            "quarterly": {"duration": "2h"},
            "yearly": {},
        },
    }
    for i in range(milestones):
        goal = i % 5
        entry = {"goal": f"g{goal}", "title": f"Milestone {i}", "effort": f"{rnd.randint(1, 20)}h"}
        same_goal = [j for j in range(max(0, i - 25), i) if j % 5 == goal]
        if same_goal and rnd.random() < 0.7:
            entry["after"] = [f"m{rnd.choice(same_goal)}"]
        data["milestones"][f"m{i}"] = entry
    for i in range(habits):
        data["habits"][f"h{i}"] = {
            "goal": f"g{4 - i % 5}" if i % 5 else "g4",
            "title": f"Habit {i}",
            "every": rnd.choice(["week", "2 weeks", "month"]),
            "duration": "30m",
        }
    return data


def measure(milestones: int) -> tuple[float, int]:
    data = generated_plan(milestones)
    began = time.perf_counter()
    plan = plan_module.parse(data)
    entries = schedule.build(plan)
    return time.perf_counter() - began, len(entries)


def main() -> None:
    sizes = [500, 1000, 2000, 5000] if len(sys.argv) < 2 else [int(a) for a in sys.argv[1:]]
    base = None
    print(f"{'milestones':>10}  {'entries':>8}  {'seconds':>8}  {'x time':>7}  {'x size':>7}")
    for size in sizes:
        seconds = min(measure(size)[0] for _ in range(3))
        entries = measure(size)[1]
        base = base or (seconds, size)
        growth = f"{seconds / base[0]:>7.1f}  {size / base[1]:>7.1f}"
        print(f"{size:>10}  {entries:>8}  {seconds:>8.3f}  {growth}")


if __name__ == "__main__":
    main()
