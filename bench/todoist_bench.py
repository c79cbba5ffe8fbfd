"""First and no-op sync to Todoist against the fake with 100 ms latency per request.

Run: python bench/todoist_bench.py. For the example plan and a generated 300-item plan, prints
requests made (reads and writes) and wall time. Writes run on the target's pool of 4. Then the
300-item first sync with 20% of requests failing at random: runs needed, duplicates, and the
extra requests the faults cost (the backoff asked for is counted, not slept).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import careersync_todoist.target as todoist_target
from _harness import example_items, generated_items, line, timed_sync, under_faults
from todoist_fake import FakeTodoist


def account(rate: float) -> tuple[FakeTodoist, dict]:
    fake = FakeTodoist(latency=0.1, page_size=200, fault_rate=rate)
    todoist_target.HTTP_TRANSPORT = fake.transport()
    return fake, todoist_target.TodoistTarget.validate("bench", {"project": "Career"})


def held(fake: FakeTodoist) -> dict[str, int]:
    counts: dict[str, int] = {}
    for task in fake.tasks.values():
        match = todoist_target.FOOTER.search(task.description)
        if match and not task.deleted:
            counts[match.group("uid")] = counts.get(match.group("uid"), 0) + 1
    projects = [p["name"] for p in fake.projects.values()].count("Career")
    return {**counts, **({"(extra projects)": projects} if projects > 1 else {})}


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
    items = generated_items(300)
    print(under_faults("Todoist", todoist_target.TodoistTarget, items, account, held))


if __name__ == "__main__":
    main()
