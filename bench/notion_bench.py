"""First and no-op sync of a generated 300-item plan to Notion, against the fake with 100 ms
latency that enforces Notion's limit (an average of 3 requests a second). Run:
python bench/notion_bench.py. Prints requests, wall time, the 3-a-second floor, how far above it
the sync ran, and the 429s the fake actually sent. Then the first sync with 20% of requests
failing at random: runs needed, duplicates, and the extra requests the faults cost (the backoff
asked for is counted, not slept)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import careersync_notion.target as notion_target
from _harness import generated_items, timed_sync, under_faults
from notion_fake import FakeNotion

SCHEMA = {
    "Due": {"date": {}},
    "Done": {"checkbox": {}},
    "Kind": {"select": {}},
    "Goal": {"select": {}},
    "CareerSync ID": {"rich_text": {}},
}


def account(rate: float) -> tuple[FakeNotion, dict]:
    fake = FakeNotion(latency=0.1, rate=3, burst=5, fault_rate=rate)
    notion_target.HTTP_TRANSPORT = fake.transport()
    db = fake.add_database(properties=SCHEMA)
    return fake, notion_target.NotionTarget.validate("bench", {"database": db})


def held(fake: FakeNotion) -> dict[str, int]:
    return {uid: len(titles) for uid, titles in fake.live().items()}


def main() -> None:
    fake = FakeNotion(latency=0.1, rate=3, burst=5)
    notion_target.HTTP_TRANSPORT = fake.transport()
    db = fake.add_database(properties=SCHEMA)
    items = generated_items(300, habits=0)
    options = notion_target.NotionTarget.validate("bench", {"database": db})
    folder = Path(tempfile.mkdtemp())
    for phase in ("first", "no-op"):
        fake.requests.clear()
        fake.rate_limited = 0
        seconds, report, _ = timed_sync(
            notion_target.NotionTarget, options, items, folder, fake.token
        )
        n = len(fake.requests)
        floor = max(0, n - 1) / 3  # a burst of one, then three a second
        over = (seconds / floor - 1) * 100 if floor else 0.0
        print(
            f"300 items, {phase:>5} sync: {n} requests, {seconds:.1f} s; floor {floor:.1f} s "
            f"(+{over:.1f}%); 429s: {fake.rate_limited}; created {report.created}, "
            f"unchanged {report.unchanged}"
        )
    print(under_faults("Notion", notion_target.NotionTarget, items, account, held))


if __name__ == "__main__":
    main()
