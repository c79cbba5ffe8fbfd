"""First and no-op sync to Google Calendar against the fake with 100 ms latency: the example plan
and a generated 300-item plan; then the 300-item plan's first sync with 20% of requests failing at
random (429, 500, timeout, answer lost): the runs it needs, the duplicates left and the extra
requests the faults cost. Run: python bench/gcal_bench.py (prints requests and wall time)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import careersync_gcal.target as gcal_target
import responses
from _harness import example_items, generated_items, line, timed_sync, until_complete
from gcal_fake import FakeCalendar

TOKEN_URI = "https://oauth2.googleapis.com/token"
STORED = json.dumps(
    {"refresh_token": "r", "client_id": "c", "client_secret": "s", "token_uri": TOKEN_URI}
)


def main() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as oauth:
        for label, items in (
            ("example plan", example_items()),
            ("300-item plan", generated_items(300)),
        ):
            fake = FakeCalendar(latency=0.1)
            oauth.upsert(
                responses.POST, TOKEN_URI, json={"access_token": fake.token, "expires_in": 3600}
            )
            gcal_target.HTTP = fake
            options = gcal_target.GcalTarget.validate("bench", {})
            folder = Path(tempfile.mkdtemp())
            for phase in ("first", "no-op"):
                fake.requests.clear()
                seconds, report, _ = timed_sync(
                    gcal_target.GcalTarget, options, items, folder, STORED
                )
                writes = sum(1 for method, _ in fake.requests if method != "GET")
                print(
                    line(
                        label,
                        phase,
                        len(items),
                        len(fake.requests) - writes,
                        writes,
                        seconds,
                        report,
                    )
                )
        items = generated_items(300)
        baseline = 0
        for rate in (0.0, 0.2):
            fake = FakeCalendar(latency=0.1, fault_rate=rate)
            oauth.upsert(
                responses.POST, TOKEN_URI, json={"access_token": fake.token, "expires_in": 3600}
            )
            gcal_target.HTTP = fake
            runs, seconds, retries, backoff = until_complete(
                gcal_target.GcalTarget, options, items, Path(tempfile.mkdtemp()), STORED
            )
            copies = sum(len(events) - 1 for events in fake.ours().values())
            baseline = baseline or len(fake.requests)
            print(
                f"{'300-item plan':>14}, {rate:.0%} faults: {runs} run(s), {copies} duplicates, "
                f"{len(fake.requests)} requests ({len(fake.requests) - baseline} extra, "
                f"{retries} retries), {len(fake.ours())} items, {seconds:.1f} s "
                f"(+{backoff:.0f} s of backoff not slept)"
            )


if __name__ == "__main__":
    main()
