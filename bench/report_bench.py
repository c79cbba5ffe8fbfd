"""`careersync report`: wall time and file size, on the example plan and on 1,600 milestones.

Run: python bench/report_bench.py [RUNS]. For each plan, prints the wall time of the command as a
user runs it (a fresh process: start-up, loading, scheduling, the figures, the page; the best and
the median of RUNS), with `status` and the start-up alone (``--version``) for comparison; the time
spent in-process loading the plan and building the figures and the page; and the file's size.
Goal: under 0.3 s for the example plan.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from test_report import big_plan  # noqa: E402

from careersync import plan as plan_module  # noqa: E402
from careersync import progress, report, schedule  # noqa: E402
from careersync.plan_home import PlanHome  # noqa: E402
from careersync.state import Completion  # noqa: E402

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"
AS_OF = "2027-09-01"


def example_completions() -> list[Completion]:
    """Most of the weekly practice, some reviews, a monthly coffee, two milestones."""
    plan = plan_module.load(EXAMPLE)
    items = {i.uid: i for i in schedule.items(plan)}
    out = [
        Completion("milestone:sql-course", dt.date(2027, 3, 20), "manual"),
        Completion("milestone:python-basics", dt.date(2027, 6, 2), "manual"),
    ]
    for uid, every in (("habit:practice", 1), ("review:weekly", 3), ("contact:mentor", 2)):
        for n, day in enumerate(items[uid].dates):
            if day.isoformat() < AS_OF and n % every == 0 and n % 7 != 6:
                out.append(Completion(f"{uid}@{day.isoformat()}", day, "manual"))
    return out


def big_completions() -> list[Completion]:
    return [Completion(f"milestone:m{i}", dt.date(2027, 6, 1), "manual") for i in range(0, 1600, 3)]


def setup(work: Path, text: str, completions: list[Completion]) -> dict:
    """The plan in ``work`` with its completions in a fresh careersync home; the environment."""
    path = work / "career.toml"
    path.write_text(text, encoding="utf-8")
    home = work / "home"
    with PlanHome.locate(home, plan_module.load(path), path).open() as state:
        for c in completions:
            state.add_completion(c)
    return {**os.environ, "CAREERSYNC_HOME": str(home), "NO_COLOR": "1"}


def in_process(path: Path, env: dict) -> float:
    """Seconds to load, schedule, compute and build the page (no interpreter start-up)."""
    home = PlanHome.locate(Path(env["CAREERSYNC_HOME"]), plan_module.load(path), path)
    with home.open(create=False) as state:
        completions = state.completions()
    began = time.perf_counter()
    plan = plan_module.load(path)
    doc = progress.compute(
        plan, schedule.items(plan), completions, dt.date.fromisoformat(AS_OF), detail=True
    )
    report.page(plan, doc)
    return time.perf_counter() - began


def measure(label: str, text: str, completions: list[Completion], runs: int) -> None:
    """Interleaved runs of ``--version`` (start-up alone), ``status`` and ``report``, so a
    busy machine weighs on all three alike."""
    work = Path(tempfile.mkdtemp())
    try:
        env = setup(work, text, completions)
        commands = {
            "start-up": ["--version"],
            "status": ["status", "--as-of", AS_OF],
            "report": ["report", "--as-of", AS_OF],
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, args in commands.items():
                began = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "careersync", *args],
                    cwd=work,
                    env=env,
                    check=True,
                    capture_output=True,
                )
                walls[name].append(time.perf_counter() - began)
        inside = min(in_process(work / "career.toml", env) for _ in range(runs))
        size = (work / "career-report.html").stat().st_size
        best = {name: min(values) * 1000 for name, values in walls.items()}
        print(
            f"{label}: report {best['report']:.0f} ms best, "
            f"{statistics.median(walls['report']) * 1000:.0f} ms median of {runs} "
            f"(status {best['status']:.0f} ms, start-up alone {best['start-up']:.0f} ms); "
            f"in-process {inside * 1000:.0f} ms; file {size / 1024:.1f} KiB"
        )
    finally:
        shutil.rmtree(work)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    measure("example plan", EXAMPLE.read_text(encoding="utf-8"), example_completions(), runs)
    measure("1,600 milestones, 4 goals", big_plan(1600), big_completions(), runs)


if __name__ == "__main__":
    main()
