"""First and no-op sync to Todoist against the fake with 100 ms latency per request.

Run: python bench/todoist_bench.py. For the example plan and a generated 300-item plan, prints
requests made (reads and writes) and wall time. Writes run on the target's pool of 4.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import careersync_todoist.target as todoist_target
from _harness import example_items, generated_items, line, timed_sync
from todoist_fake import FakeTodoist


def main() -> None:
    for label, items in (
        ("example plan", example_items()),
        ("300-item plan", generated_items(300)),
    ):
        fake = FakeTodoist(latency=0.1, page_size=200)
        todoist_target.HTTP_TRANSPORT = fake.transport()
        options = todoist_target.TodoistTarget.validate("bench", {"project": "Career"})
        folder = Path(tempfile.mkdtemp())
        for phase in ("first", "no-op"):
            fake.requests.clear()
            seconds, report, _ = timed_sync(
                todoist_target.TodoistTarget, options, items, folder, fake.token
            )
            writes = sum(1 for method, _ in fake.requests if method != "GET")
            print(
                line(label, phase, len(items), len(fake.requests) - writes, writes, seconds, report)
            )


if __name__ == "__main__":
    main()
