"""First and no-op sync to Todoist against the fake with 100 ms latency per request.

Run: python bench/todoist_bench.py. For the example plan and a generated 300-item plan, prints
requests made (reads and writes) and wall time. Writes run on the target's pool of 4.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

import careersync_todoist.target as todoist_target  # noqa: E402
from todoist_fake import FakeTodoist  # noqa: E402

from careersync import plan as plan_module  # noqa: E402
from careersync import schedule  # noqa: E402
from careersync.config import TargetConfig  # noqa: E402
from careersync.state import State  # noqa: E402
from careersync.sync import run  # noqa: E402
from careersync.target import TargetContext  # noqa: E402

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"
TODAY = dt.date(2026, 11, 23)


def generated(n: int) -> dict:
    milestones = {
        f"m{i}": {"title": f"Milestone {i}", "by": f"+{i % 700 + 1}d"} for i in range(n - 11)
    }
    habits = {
        f"h{i}": {"title": f"Habit {i}", "every": ["week", "month", "2 weeks"][i % 3]}
        for i in range(10)
    }
    return {
        "plan": {"title": "Generated", "start": dt.date(2027, 1, 4), "timezone": "UTC"},
        "goals": {"g": {"title": "Goal 1", "by": "+24m"}},
        "milestones": milestones,
        "habits": habits,
    }


def sync_once(items, fake: FakeTodoist, folder: Path) -> tuple[int, int, float, dict]:
    cls = todoist_target.TodoistTarget
    options = cls.validate("bench", {"project": "Career"})
    context = TargetContext(
        "bench", folder, "UTC", TODAY, secret=lambda: fake.token, cache_dir=folder / "cache"
    )
    target = cls(options, context)
    fake.requests.clear()
    began = time.perf_counter()
    with State(folder / "state") as state:
        reports = run(
            items,
            [(TargetConfig("bench", "todoist", options), target, options)],
            state,
            today=TODAY,
        )
    seconds = time.perf_counter() - began
    report = reports["bench"]
    assert report.error is None, report.error
    writes = sum(1 for method, _ in fake.requests if method != "GET")
    return len(fake.requests) - writes, writes, seconds, report.as_dict()


def main() -> None:
    plans = {
        "example plan": schedule.items(plan_module.load(EXAMPLE)),
        "300-item plan": schedule.items(plan_module.parse(generated(300))),
    }
    for label, items in plans.items():
        fake = FakeTodoist(latency=0.1, page_size=200)
        todoist_target.HTTP_TRANSPORT = fake.transport()
        folder = Path(tempfile.mkdtemp())
        for phase in ("first", "no-op"):
            reads, writes, seconds, report = sync_once(items, fake, folder)
            counts = f"created {report['created']}, unchanged {report['unchanged']}"
            print(
                f"{label:>14}, {phase:>5} sync: {len(items)} items, {reads} reads + {writes} "
                f"writes, {seconds:.1f} s ({counts})"
            )


if __name__ == "__main__":
    main()
