"""First and no-op sync against a local Radicale: the example plan and a generated 300-item plan.

Run: python bench/caldav_bench.py (needs the caldav and radicale packages). Prints requests made
and wall time; a no-op sync should cost one listing of ETags. Then the 300-item plan's first sync
through a proxy adding 100 ms latency, with 0% and 20% of requests failing at random (429, 500,
timeout, answer lost): the runs it needs, the duplicates left, the extra requests the faults cost.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from _harness import example_items, generated_items, line, timed_sync, until_complete
from careersync_caldav.target import CaldavTarget
from fault_proxy import FaultProxy
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
        items = generated_items(300)
        baseline = 0
        for rate in (0.0, 0.2):
            proxy = SlowProxy(server.url, fault_rate=rate)
            user = f"faults{int(rate * 100)}"
            options = CaldavTarget.validate("bench", {"url": proxy.url, "username": user})
            try:
                runs, seconds, retries, backoff = until_complete(
                    CaldavTarget, options, items, folder / user, "x"
                )
            finally:
                proxy.stop()
            reader = CaldavTarget({**options, "url": server.url}, context(folder / f"{user}-r"))
            uids = [r.uid for r in reader.pull()]  # what is on the server now
            baseline = baseline or proxy.requests
            print(
                f"{'300-item plan':>14}, {rate:.0%} faults: {runs} run(s), "
                f"{len(uids) - len(set(uids))} duplicates, {proxy.requests} requests "
                f"({proxy.requests - baseline} extra, {retries} retries), {len(set(uids))} "
                f"items, {seconds:.1f} s (+{backoff:.0f} s of backoff not slept)"
            )
    finally:
        server.stop()


class SlowProxy(FaultProxy):
    """The fault proxy with 100 ms of network latency on every request."""

    def next_fault(self) -> str | None:
        time.sleep(0.1)
        return super().next_fault()


def context(folder: Path):
    from _harness import TODAY

    from careersync.target import TargetContext

    return TargetContext("bench", folder, "UTC", TODAY, secret=lambda: "x")


if __name__ == "__main__":
    main()
