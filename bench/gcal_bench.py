"""First and no-op sync to Google Calendar against the fake with 100 ms latency: the example plan
and a generated 300-item plan. Run: python bench/gcal_bench.py (prints requests and wall time)."""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

import responses

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

import careersync_gcal.target as gcal_target  # noqa: E402
from gcal_fake import FakeCalendar  # noqa: E402

from careersync import plan as plan_module  # noqa: E402
from careersync import schedule  # noqa: E402
from careersync.config import TargetConfig  # noqa: E402
from careersync.state import State  # noqa: E402
from careersync.sync import run  # noqa: E402
from careersync.target import TargetContext  # noqa: E402

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"
TOKEN_URI = "https://oauth2.googleapis.com/token"
TODAY = dt.date(2026, 11, 23)
STORED = json.dumps(
    {"refresh_token": "r", "client_id": "c", "client_secret": "s", "token_uri": TOKEN_URI}
)


def generated(n: int) -> dict:
    habits = {f"h{i}": {"title": f"Habit {i}", "every": "week"} for i in range(10)}
    return {
        "plan": {"title": "Generated", "start": dt.date(2027, 1, 4), "timezone": "UTC"},
        "goals": {"g": {"title": "Goal 1", "by": "+24m"}},
        "milestones": {
            f"m{i}": {"title": f"Milestone {i}", "by": f"+{i % 700 + 1}d"} for i in range(n - 11)
        },
        "habits": habits,
    }


def main() -> None:
    plans = {
        "example plan": schedule.items(plan_module.load(EXAMPLE)),
        "300-item plan": schedule.items(plan_module.parse(generated(300))),
    }
    with responses.RequestsMock(assert_all_requests_are_fired=False) as oauth:
        for label, items in plans.items():
            fake = FakeCalendar(latency=0.1)
            oauth.upsert(
                responses.POST, TOKEN_URI, json={"access_token": fake.token, "expires_in": 3600}
            )
            gcal_target.HTTP = fake
            folder = Path(tempfile.mkdtemp())
            options = gcal_target.GcalTarget.validate("bench", {})
            with State(folder / "state") as state:
                for phase in ("first", "no-op"):
                    context = TargetContext("bench", folder, "UTC", TODAY, secret=lambda: STORED)
                    target = gcal_target.GcalTarget(options, context)
                    fake.requests.clear()
                    began = time.perf_counter()
                    reports = run(
                        items,
                        [(TargetConfig("bench", "gcal", options), target, options)],
                        state,
                        today=TODAY,
                    )
                    seconds = time.perf_counter() - began
                    report = reports["bench"]
                    assert report.error is None, report.error
                    writes = sum(1 for method, _ in fake.requests if method != "GET")
                    print(
                        f"{label:>14}, {phase:>5} sync: {len(items)} items, "
                        f"{len(fake.requests) - writes} reads + {writes} writes, {seconds:.1f} s "
                        f"(created {report.created}, unchanged {report.unchanged})"
                    )


if __name__ == "__main__":
    main()
