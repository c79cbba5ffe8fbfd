"""What the service benchmarks share: one timed sync of a target class, and a line of figures."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from careersync import plan as plan_module  # noqa: E402
from careersync import schedule  # noqa: E402
from careersync.config import TargetConfig  # noqa: E402
from careersync.schedule import Item  # noqa: E402
from careersync.state import State  # noqa: E402
from careersync.sync import Report, run  # noqa: E402
from careersync.target import Target, TargetContext  # noqa: E402

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"
TODAY = dt.date(2026, 11, 23)


def example_items() -> list[Item]:
    return schedule.items(plan_module.load(EXAMPLE))


def generated_items(n: int, habits: int = 10) -> list[Item]:
    """A plan of ``n`` items: one goal, ``habits`` weekly habits, milestones for the rest."""
    data = {
        "plan": {"title": "Generated", "start": dt.date(2027, 1, 4), "timezone": "UTC"},
        "goals": {"g": {"title": "Goal 1", "by": "+24m"}},
        "milestones": {
            f"m{i}": {"title": f"Milestone {i}", "by": f"+{i % 700 + 1}d"}
            for i in range(n - 1 - habits)
        },
        "habits": {f"h{i}": {"title": f"Habit {i}", "every": "week"} for i in range(habits)},
    }
    return schedule.items(plan_module.parse(data))


def timed_sync(
    cls: type[Target], options: dict, items: list[Item], folder: Path, secret: str
) -> tuple[float, Report, Target]:
    """One sync of ``items`` to a fresh instance of ``cls``, with its state in ``folder``."""
    seconds, report, target = attempt(cls, options, items, folder, secret)
    assert report.error is None, report.error
    return seconds, report, target


def until_complete(
    cls: type[Target], options: dict, items: list[Item], folder: Path, secret: str, limit: int = 5
) -> tuple[int, float, int, float]:
    """Syncs until one completes (at most ``limit``): the runs it took, their wall time, the
    requests retries repeated and the backoff they asked for (not slept: the benchmark counts
    requests, the fault rate is artificial)."""
    import careersync.retry

    asked: list[float] = []
    careersync.retry.pause = asked.append
    runs, seconds, retries = 0, 0.0, 0
    while runs < limit:
        runs += 1
        took, report, target = attempt(cls, options, items, folder, secret)
        seconds += took
        retries += target.context.retry.retries
        if report.error is None and not report.skipped:
            break
    return runs, seconds, retries, sum(asked)


def attempt(
    cls: type[Target], options: dict, items: list[Item], folder: Path, secret: str
) -> tuple[float, Report, Target]:
    """One sync, however it ends."""
    context = TargetContext(
        "bench", folder, "UTC", TODAY, secret=lambda: secret, cache_dir=folder / "cache"
    )
    target = cls(options, context)
    began = time.perf_counter()
    with State(folder / "state") as state:
        config = TargetConfig("bench", cls.plugin, options)
        reports = run(items, [(config, target, options)], state, today=TODAY)
    seconds = time.perf_counter() - began
    return seconds, reports["bench"], target


def line(
    label: str, phase: str, items: int, reads: int, writes: int, seconds: float, report
) -> str:
    counts = f"created {report.created}, unchanged {report.unchanged}"
    return (
        f"{label:>14}, {phase:>5} sync: {items} items, {reads} reads + {writes} writes, "
        f"{seconds:.1f} s ({counts})"
    )


def under_faults(
    label: str,
    cls: type[Target],
    items: list[Item],
    account: Callable[[float], tuple[object, dict]],
    held: Callable[[object], dict[str, int]],
    rate: float = 0.2,
) -> str:
    """A first sync of ``items`` to a fresh account where ``rate`` of the requests fail at random
    (429, 500, timeout, answer lost): the runs it takes to complete, the duplicates left, and the
    requests the faults cost beyond a fault-free first sync. ``account(rate)`` makes the fake
    (with ``served`` and ``token``) and the target's options; ``held`` counts uids on it."""
    clean, options = account(0.0)
    attempt(cls, options, items, Path(tempfile.mkdtemp()), clean.token)
    fake, options = account(rate)
    runs, seconds, retries, waited = until_complete(
        cls, options, items, Path(tempfile.mkdtemp()), fake.token
    )
    counts = held(fake)
    extra = fake.served - clean.served
    return (
        f"{label}: {len(items)} items, {rate:.0%} of requests failing: {runs} run(s), "
        f"{seconds:.1f} s (+{waited:.0f} s of backoff not slept); "
        f"{sum(n - 1 for n in counts.values())} duplicates, {len(counts)} items held; "
        f"{fake.served} requests vs {clean.served} without faults (+{extra}, "
        f"{extra / clean.served:.0%}); {retries} retries"
    )
