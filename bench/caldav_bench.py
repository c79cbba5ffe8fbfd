"""First and no-op sync against a local Radicale: the example plan and a generated 300-item plan.

Run: python bench/caldav_bench.py (needs the caldav and radicale packages). Prints requests made
and wall time; a no-op sync should cost one ETag listing.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from careersync_caldav.target import CaldavTarget  # noqa: E402
from radicale_server import Radicale  # noqa: E402

from careersync import plan as plan_module  # noqa: E402
from careersync import schedule  # noqa: E402
from careersync.config import TargetConfig  # noqa: E402
from careersync.state import State  # noqa: E402
from careersync.sync import run  # noqa: E402
from careersync.target import TargetContext  # noqa: E402

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"


def generated(n: int) -> dict:
    data = {
        "plan": {"title": "Generated", "start": dt.date(2027, 1, 4), "timezone": "Europe/London"},
        "goals": {"g": {"title": "Goal 1", "by": "+24m"}},
        "milestones": {
            f"m{i}": {"title": f"Milestone {i}", "by": f"+{i % 700 + 1}d"} for i in range(n)
        },
    }
    return data


def sync_once(items, server: Radicale, folder: Path, user: str) -> tuple[int, float, dict]:
    options = {
        "url": server.url,
        "username": user,
        "calendar": "careersync",
        "todos": False,
        "reminders": {},
        "timeout": 30,
    }
    context = TargetContext(
        "bench",
        folder,
        "Europe/London",
        dt.date(2026, 11, 23),
        secret=lambda: "x",
        cache_dir=folder / "cache",
    )
    target = CaldavTarget(options, context)
    began = time.perf_counter()
    with State(folder / "state") as state:
        reports = run(
            items,
            [(TargetConfig("bench", "caldav", options), target, options)],
            state,
            today=dt.date(2026, 11, 23),
        )
    report = reports["bench"]
    assert report.error is None, report.error
    return target.requests, time.perf_counter() - began, report.as_dict()


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    server = Radicale(folder)
    try:
        plans = {
            "example plan": schedule.items(plan_module.load(EXAMPLE)),
            "300-item plan": schedule.items(plan_module.parse(generated(299))),
        }
        for n, (label, items) in enumerate(plans.items()):
            work = folder / f"run{n}"
            for phase in ("first", "no-op"):
                requests, seconds, report = sync_once(items, server, work, f"bench{n}")
                counts = f"created {report['created']}, unchanged {report['unchanged']}"
                print(
                    f"{label:>14}, {phase:>5} sync: {len(items)} items, {requests} requests, "
                    f"{seconds:.2f} s ({counts})"
                )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
