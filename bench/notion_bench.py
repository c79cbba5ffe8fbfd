"""First and no-op sync of a generated 300-item plan to Notion, against the fake with 100 ms
latency. Run: python bench/notion_bench.py. Prints requests, wall time, the 3-requests-a-second
floor (requests / 3) and how far above it the sync ran, and whether any 429 came back."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

import careersync_notion.target as notion_target  # noqa: E402
from notion_fake import FakeNotion  # noqa: E402

from careersync import plan as plan_module  # noqa: E402
from careersync import schedule  # noqa: E402
from careersync.config import TargetConfig  # noqa: E402
from careersync.state import State  # noqa: E402
from careersync.sync import run  # noqa: E402
from careersync.target import TargetContext  # noqa: E402

TODAY = dt.date(2026, 11, 23)
SCHEMA = {
    "Due": {"date": {}},
    "Done": {"checkbox": {}},
    "Kind": {"select": {}},
    "Goal": {"select": {}},
    "CareerSync ID": {"rich_text": {}},
}


def generated(n: int) -> dict:
    return {
        "plan": {"title": "Generated", "start": dt.date(2027, 1, 4), "timezone": "UTC"},
        "goals": {"g": {"title": "Goal 1", "by": "+24m"}},
        "milestones": {
            f"m{i}": {"title": f"Milestone {i}", "by": f"+{i % 700 + 1}d"} for i in range(n - 1)
        },
    }


def main() -> None:
    fake = FakeNotion(latency=0.1, rate=3, burst=5)
    notion_target.HTTP_TRANSPORT = fake.transport()
    db = fake.add_database(properties=SCHEMA)
    items = schedule.items(plan_module.parse(generated(300)))
    options = notion_target.NotionTarget.validate("bench", {"database": db})
    folder = Path(tempfile.mkdtemp())
    with State(folder / "state") as state:
        for phase in ("first", "no-op"):
            context = TargetContext("bench", folder, "UTC", TODAY, secret=lambda: fake.token)
            target = notion_target.NotionTarget(options, context)
            fake.requests.clear()
            fake.rate_limited = 0
            began = time.perf_counter()
            reports = run(
                items,
                [(TargetConfig("bench", "notion", options), target, options)],
                state,
                today=TODAY,
            )
            seconds = time.perf_counter() - began
            assert reports["bench"].error is None, reports["bench"].error
            n = len(fake.requests)
            floor = max(0, n - 3) / 3  # a burst of three, then three a second
            over = (seconds / floor - 1) * 100 if floor else 0.0
            print(
                f"300 items, {phase:>5} sync: {n} requests, {seconds:.1f} s; floor {floor:.1f} s "
                f"(+{over:.1f}%); 429s: {fake.rate_limited}; created {reports['bench'].created}, "
                f"unchanged {reports['bench'].unchanged}"
            )


if __name__ == "__main__":
    main()
