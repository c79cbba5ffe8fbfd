"""A no-op sync of the example plan to the .ics target, and what `status` imports.

Run: python bench/sync_bench.py. Prints the first sync's and the no-op sync's wall time (the
median of several runs, each a fresh process as a user would run it) and checks that `status`
loads no service SDK.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"
HEAVY = ("googleapiclient", "gcsa", "todoist_api_python", "notion_client", "icalendar", "httpx")


def timed(args: list[str], cwd: Path, env: dict) -> tuple[float, str]:
    began = time.perf_counter()
    out = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - began, out.stdout


def main(runs: int = 7) -> None:
    cli = [sys.executable, "-m", "careersync"]
    first, noop = [], []
    for _ in range(runs):
        work = Path(tempfile.mkdtemp())
        env = {**os.environ, "CAREERSYNC_HOME": str(work / "state")}
        shutil.copy(EXAMPLE, work / "career.toml")
        seconds, _ = timed([*cli, "sync", "--json"], work, env)
        first.append(seconds)
        before = (work / "career.ics").read_bytes()
        seconds, out = timed([*cli, "sync", "--json"], work, env)
        noop.append(seconds)
        report = json.loads(out)["targets"]["ics"]
        assert (work / "career.ics").read_bytes() == before
        assert report["created"] == report["updated"] == report["deleted"] == 0
        shutil.rmtree(work)
    ms = {
        name: statistics.median(values) * 1000
        for name, values in (("first", first), ("noop", noop))
    }
    print(f"first sync, example plan -> ics: {ms['first']:.0f} ms (median of {runs})")
    print(f"no-op sync, example plan -> ics: {ms['noop']:.0f} ms, 0 writes, file unchanged")
    code = (
        "import sys; sys.argv = ['careersync', 'status', '--as-of', '2027-06-01'];\n"
        "from careersync.cli import cli\n"
        "try:\n    cli()\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    work = Path(tempfile.mkdtemp())
    shutil.copy(EXAMPLE, work / "career.toml")
    env = {**os.environ, "CAREERSYNC_HOME": str(work / "state")}
    seconds, out = timed([sys.executable, "-c", code], work, env)
    heavy = out.strip().splitlines()[-1]
    print(
        f"status: {seconds * 1000:.0f} ms; service modules imported: {heavy.removeprefix('HEAVY ')}"
    )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
