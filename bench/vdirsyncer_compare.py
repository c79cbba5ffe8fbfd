"""careersync's .ics sync side by side with vdirsyncer's, and `status` start-up against bare Python.

For each size (milestones; the plan adds one goal, one weekly timed habit and one monthly review,
so N milestones make N + 3 events) it times, as whole processes and interleaved, the median of
``--runs`` runs of:

- careersync: ``careersync --plan plan.toml sync`` into a fresh .ics file (first), then again
  with nothing changed (no-op);
- vdirsyncer: ``vdirsyncer sync`` of the same events, one .ics file each in a folder
  (``filesystem`` storage), into one .ics file (``singlefile`` storage): first, then no-op.

The events are careersync's own output split into one file per UID, so both tools move the same
bytes. Then it times ``careersync status`` against ``python -c pass`` (bytecode compiled), with
its output piped and on a terminal (a pseudo-terminal, colour on).
Each figure is wall time, then CPU time (user + system), which a busy machine disturbs less.

vdirsyncer is not a dependency of careersync or its tests: it lives in its own virtualenv,
``bench/.venv-vdirsyncer``, which this script creates on first use (``python -m venv`` and
``pip install vdirsyncer``; pass ``--vdirsyncer PATH`` to use another executable).

Run: python bench/vdirsyncer_compare.py [--runs 3] [SIZES ...]   (default sizes: 100 1600 6400)
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import importlib.util
import os
import pty
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from icalendar import Calendar

HERE = Path(__file__).parent
VENV = HERE / ".venv-vdirsyncer"
EXAMPLE = HERE.parent / "examples" / "career.toml"
AS_OF = "2027-06-01"
PLUGINS = ("ics", "caldav", "todoist", "notion", "gcal")
#: the children's environment: bytecode may be written (vdirsyncer's venv has its own)
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def vdirsyncer_executable(given: str | None) -> Path:
    if given:
        return Path(given)
    exe = VENV / "bin" / "vdirsyncer"
    if not exe.exists():
        print(f"creating {VENV} with vdirsyncer from PyPI ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", "vdirsyncer"]
        subprocess.run(pip, check=True)
    return exe


def compile_bytecode() -> None:
    """careersync's bytecode written, as an installed package has it: an editable install under
    ``PYTHONDONTWRITEBYTECODE`` would compile every module on every run."""
    for name in ("careersync", *(f"careersync_{p}" for p in PLUGINS)):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin is not None:
            compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def careersync_command() -> list[str]:
    script = Path(sys.executable).parent / "careersync"
    return [str(script)] if script.exists() else [sys.executable, "-m", "careersync"]


def plan_text(milestones: int) -> str:
    """A plan of ``milestones`` dated milestones under one goal, with a habit and a review."""
    lines = [
        "[plan]",
        'title = "Generated"',
        "start = 2027-01-04",
        'timezone = "Europe/London"',
        "",
        "[goals.g]",
        'title = "The goal, with a comma, a semicolon; and a long title to fold"',
        'by = "+24m"',
        'measure = "Measured"',
        'why = "Because"',
        "",
        "[habits.practice]",
        'goal = "g"',
        'title = "Practice"',
        'every = "week"',
        'on = "sat"',
        'at = "10:00"',
        'duration = "1h"',
        "",
        "[reviews]",
        "monthly = {}",
    ]
    for i in range(milestones):
        lines += [
            "",
            f"[milestones.m{i}]",
            'goal = "g"',
            f'title = "Milestone {i}: ship part {i} of the portfolio"',
            f'by = "+{i % 700 + 1}d"',
            f'effort = "{i % 5 + 1}h"',
        ]
    return "\n".join(lines) + "\n"


class Timing(NamedTuple):
    """A process's wall time, and its CPU time (user + system: steadier on a busy machine)."""

    wall: float
    cpu: float


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], cwd: Path, env: dict[str, str], *, terminal: bool = False) -> Timing:
    """One process timed; with ``terminal``, its output goes to a pseudo-terminal."""
    cpu = cpu_of_children()
    began = time.perf_counter()
    if terminal:
        returncode, stderr = on_terminal(args, cwd, env), b""
    else:
        done = subprocess.run(
            args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        returncode, stderr = done.returncode, done.stderr
    timing = Timing(time.perf_counter() - began, cpu_of_children() - cpu)
    if returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({returncode}):\n{stderr.decode()}")
    return timing


def on_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Runs ``args`` with its output on a pseudo-terminal, read as a terminal would; the exit
    code."""
    parent, child = pty.openpty()
    with subprocess.Popen(args, cwd=cwd, env=env, stdout=child, stderr=child) as process:
        os.close(child)
        with contextlib.suppress(OSError):  # EIO: the process closed the terminal
            while os.read(parent, 65536):
                pass
    os.close(parent)
    return process.returncode


def medians(timings: list[Timing]) -> Timing:
    return Timing(*(statistics.median(values) for values in zip(*timings, strict=True)))


class Careersync:
    name = "careersync"

    def __init__(self, plan: Path) -> None:
        self.plan = plan

    def prepare(self, work: Path) -> None:
        shutil.copy(self.plan, work / "plan.toml")

    def sync(self, work: Path) -> Timing:
        env = {**ENVIRONMENT, "CAREERSYNC_HOME": str(work / "state")}
        return run([*careersync_command(), "--plan", "plan.toml", "sync"], work, env)

    def output(self, work: Path) -> Path:
        return work / "career.ics"


class Vdirsyncer:
    name = "vdirsyncer"

    def __init__(self, exe: Path, folder: Path) -> None:
        self.exe = exe
        self.folder = folder

    def prepare(self, work: Path) -> None:
        shutil.copytree(self.folder, work / "folder")
        (work / "out.ics").touch()
        (work / "config").write_text(
            f'[general]\nstatus_path = "{work}/status/"\n\n'
            '[pair bench]\na = "folder"\nb = "file"\ncollections = null\n\n'
            f'[storage folder]\ntype = "filesystem"\npath = "{work}/folder/"\nfileext = ".ics"\n\n'
            f'[storage file]\ntype = "singlefile"\npath = "{work}/out.ics"\n'
        )
        self.vdirsyncer(work, "discover", "bench")

    def vdirsyncer(self, work: Path, *args: str) -> Timing:
        return run([str(self.exe), "-c", "config", *args], work, ENVIRONMENT)

    def sync(self, work: Path) -> Timing:
        return self.vdirsyncer(work, "sync")

    def output(self, work: Path) -> Path:
        return work / "out.ics"


def split_into_folder(ics: Path, folder: Path) -> int:
    """careersync's calendar as one file per UID (with the time zones it uses), as a vdir."""
    calendar = Calendar.from_ical(ics.read_bytes())
    zones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    groups: dict[str, list] = {}
    for component in calendar.subcomponents:
        if component.name != "VTIMEZONE":
            groups.setdefault(str(component["UID"]), []).append(component)
    folder.mkdir()
    for uid, group in groups.items():
        one = Calendar()
        one.add("prodid", "-//careersync bench//EN")
        one.add("version", "2.0")
        text = b"".join(c.to_ical() for c in group)
        for zone in zones:
            if f"TZID={zone['TZID']}".encode() in text:
                one.add_component(zone)
        for component in group:
            one.add_component(component)
        (folder / f"{uid}.ics").write_bytes(one.to_ical())
    return len(groups)


def count_events(path: Path) -> int:
    return path.read_bytes().count(b"BEGIN:VEVENT")


def compare(milestones: int, runs: int, exe: Path, scratch: Path) -> tuple[float, float]:
    base = scratch / f"n{milestones}"
    base.mkdir()
    plan = base / "plan.toml"
    plan.write_text(plan_text(milestones))
    seed = base / "seed"
    seed.mkdir()
    tool = Careersync(plan)
    tool.prepare(seed)
    tool.sync(seed)
    groups = split_into_folder(tool.output(seed), base / "folder")
    tools = [tool, Vdirsyncer(exe, base / "folder")]
    times: dict[tuple[str, str], list[Timing]] = {}
    for number in range(runs):
        for t in tools if number % 2 == 0 else tools[::-1]:
            work = base / f"{t.name}-{number}"
            work.mkdir()
            t.prepare(work)
            first = t.sync(work)
            written = t.output(work).read_bytes()
            noop = t.sync(work)
            assert t.output(work).read_bytes() == written, f"{t.name}: no-op sync changed the file"
            assert count_events(t.output(work)) == count_events(tool.output(seed))
            times.setdefault((t.name, "first"), []).append(first)
            times.setdefault((t.name, "no-op"), []).append(noop)
            shutil.rmtree(work)
    median = {key: medians(values) for key, values in times.items()}
    ratios = []
    for phase in ("first", "no-op"):
        ours, theirs = median[("careersync", phase)], median[("vdirsyncer", phase)]
        ratios.append(ours.wall / theirs.wall)
        print(
            f"{milestones:>6} milestones ({groups} events), {phase:>5} sync: "
            f"careersync {ours.wall * 1000:6.0f} ms, vdirsyncer {theirs.wall * 1000:6.0f} ms, "
            f"ratio {ours.wall / theirs.wall:.2f}x (CPU time: {ours.cpu * 1000:.0f} ms, "
            f"{theirs.cpu * 1000:.0f} ms, ratio {ours.cpu / theirs.cpu:.2f}x)",
            flush=True,
        )
    return ratios[0], ratios[1]


def startup(runs: int, scratch: Path) -> None:
    """`careersync status` on the example plan against a bare interpreter, both warm."""
    work = scratch / "status"
    work.mkdir()
    shutil.copy(EXAMPLE, work / "career.toml")
    env = {**ENVIRONMENT, "CAREERSYNC_HOME": str(work / "state")}
    status = [*careersync_command(), "status", "--as-of", AS_OF]
    colour = {k: v for k, v in env.items() if k != "NO_COLOR"} | {"TERM": "xterm-256color"}
    commands: dict[str, Callable[[], Timing]] = {
        "python -c pass": lambda: run([sys.executable, "-c", "pass"], work, env),
        "careersync status": lambda: run(status, work, env),
        "careersync status, on a terminal": lambda: run(status, work, colour, terminal=True),
    }
    for command in commands.values():
        command()  # writes any missing bytecode, warms the file cache
    times: dict[str, list[Timing]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(command())
    bare, *timed = (medians(times[name]) for name in commands)
    for name, timing in zip(list(commands)[1:], timed, strict=True):
        print(
            f"start-up: python -c pass {bare.wall * 1000:.0f} ms, {name} "
            f"{timing.wall * 1000:.0f} ms, ratio {timing.wall / bare.wall:.2f}x (CPU time: "
            f"{bare.cpu * 1000:.0f} ms, {timing.cpu * 1000:.0f} ms, ratio "
            f"{timing.cpu / bare.cpu:.2f}x; median of {runs})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1600, 6400])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--startup-runs", type=int, default=21)
    parser.add_argument("--vdirsyncer", help="a vdirsyncer executable (default: bench venv)")
    args = parser.parse_args()
    exe = vdirsyncer_executable(args.vdirsyncer)
    compile_bytecode()
    scratch = Path(tempfile.mkdtemp(prefix="careersync-vs-vdirsyncer-"))
    try:
        ratios = {n: compare(n, args.runs, exe, scratch) for n in args.sizes}
        if len(ratios) > 1:
            small, large = min(ratios), max(ratios)
            print(
                f"ratio growth {small} -> {large} milestones: first "
                f"{ratios[small][0]:.2f}x -> {ratios[large][0]:.2f}x, no-op "
                f"{ratios[small][1]:.2f}x -> {ratios[large][1]:.2f}x"
            )
        startup(args.startup_runs, scratch)
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
