"""First and no-op sync against a local Radicale: the example plan and a generated 300-item plan.

Run: python bench/caldav_bench.py (needs the caldav and radicale packages). Prints requests made
and wall time; a no-op sync should cost one listing of ETags.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _harness import example_items, generated_items, line, timed_sync
from careersync_caldav.target import CaldavTarget
from radicale_server import Radicale


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    server = Radicale(folder)
    try:
        plans = (("example plan", example_items()), ("300-item plan", generated_items(300)))
        for n, (label, items) in enumerate(plans):
            options = CaldavTarget.validate("bench", {"url": server.url, "username": f"bench{n}"})
            for phase in ("first", "no-op"):
                seconds, report, target = timed_sync(
                    CaldavTarget, options, items, folder / f"run{n}", "x"
                )
                writes = report.created + report.updated + report.deleted
                print(
                    line(
                        label, phase, len(items), target.requests - writes, writes, seconds, report
                    )
                )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
