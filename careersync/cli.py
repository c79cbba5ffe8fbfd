"""The command line: thin wrappers that load, call the engine and print (SPEC section 5)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from careersync import __version__
from careersync.errors import CareersyncError, UsageError


class Paths:
    """What the global options say; loading happens only in the commands that need it."""

    def __init__(self, config: str | None, plan: str | None) -> None:
        self.config_option = config
        self.plan_option = plan
        self.plans = None

    def config(self):
        from careersync import config

        return config.load(self.config_option, self.plan_option)

    def plan(self, cfg=None):
        from careersync.config import display, state_dir
        from careersync.plan_cache import PlanCache

        cfg = cfg or self.config()
        self.plans = PlanCache(state_dir(), cfg.plan_path, display(cfg.plan_path))
        return self.plans.plan()

    def items(self, plan, *, keep: bool = False):
        """The plan's items; with ``keep``, kept with the parsed plan for the next run (only a
        sync that writes keeps them: a dry run or a report leaves nothing behind)."""
        if self.plans is None:
            from careersync.schedule import items

            return items(plan)
        return self.plans.items(plan, keep=keep)

    def home(self, cfg, plan):
        """Where this plan's state lives (one state per plan, SPEC section 2)."""
        from careersync.config import state_dir
        from careersync.plan_home import PlanHome

        return PlanHome.locate(state_dir(), plan, cfg.plan_path)


def emit_json(doc: Any) -> None:
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False, default=str))


def parse_day(
    option: str, value: str | None, start: dt.date | None, *, month_start: bool = False
) -> dt.date | None:
    """A command-line date in any plan form (offsets count from plan.start); a month is its
    last day, or its first with ``month_start`` (``--from``)."""
    from careersync.grammar import parse_date

    if value is None:
        return None
    try:
        return parse_date(value, start, month_start=month_start)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


class HelpGroup(click.Group):
    """A group whose command list shows each description's whole first sentence."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=500)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class CareersyncGroup(HelpGroup):
    """Maps :class:`CareersyncError` to its exit code with one clear message, no traceback
    (``CAREERSYNC_DEBUG=1`` shows it, for bug reports)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CareersyncError as exc:
            if os.environ.get("CAREERSYNC_DEBUG"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


@click.group(cls=CareersyncGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    metavar="PATH",
    help="Config file. Default: $CAREERSYNC_CONFIG, else careersync.toml beside the --plan "
    "file, else ./careersync.toml, else careersync/config.toml in the user config dir (see "
    "`careersync config path`); with none, one built-in ics target.",
)
@click.option(
    "--plan",
    "plan_path",
    metavar="PATH",
    help="Plan file. Default: `plan` in the config, else ./career.toml.",
)
@click.version_option(__version__, prog_name="careersync")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, plan_path: str | None) -> None:
    """Turn a career plan into dated items and sync them to the tools you use.

    \b
    Start here:
      careersync init          # a commented career.toml and careersync.toml
      careersync check         # errors, then SMART warnings
      careersync sync          # put the plan on your targets (career.ics by default)

    `careersync COMMAND --help` shows each command with an example.
    """
    ctx.obj = Paths(config_path, plan_path)


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Write a commented starter career.toml and careersync.toml into DIRECTORY.

    Never overwrites: if either file exists, nothing is written.

    \b
    Example:
      careersync init ~/career && cd ~/career && careersync check
    """
    from careersync import starter
    from careersync.plan import system_timezone

    plan_file, config_file = directory / "career.toml", directory / "careersync.toml"
    for existing in (plan_file, config_file):
        if existing.exists():
            raise CareersyncError(f"{existing} already exists; nothing was written")
    directory.mkdir(parents=True, exist_ok=True)
    plan_file.write_text(starter.plan_text(dt.date.today(), system_timezone()), encoding="utf-8")
    config_file.write_text(starter.CONFIG, encoding="utf-8")
    click.echo(f"Wrote {plan_file} and {config_file}.")
    click.echo("Next: edit the plan, then `careersync check` and `careersync sync`.")


@cli.command()
@click.option("--strict", is_flag=True, help="Treat SMART warnings as errors (exit 1).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_obj
def check(paths: Paths, strict: bool, as_json: bool) -> None:
    """Validate the plan and the config: errors, then SMART warnings.

    Also says when a target's SDK is not installed, and which extra installs it.

    \b
    Example:
      careersync check --strict      # warnings fail too (exit 1)
    """
    from careersync.lint import lint
    from careersync.schedule import items as plan_items

    errors: list[str] = []
    warnings = []
    summary: dict[str, Any] = {}
    try:
        cfg = paths.config()
        from careersync.plugins import check_sdks, validate_targets

        validate_targets(cfg)
        check_sdks(cfg)
        plan = paths.plan(cfg)
    except CareersyncError as exc:
        if not as_json:
            raise
        errors = exc.details or [exc.message]
    else:
        all_items = plan_items(plan)
        warnings = lint(plan, all_items)
        summary = {
            "plan": plan.source,
            "goals": len(plan.goals),
            "milestones": len(plan.milestones),
            "recurring": sum(1 for i in all_items if i.recurring),
            "occurrences": sum(len(i.dates) for i in all_items),
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
        }
    failed = bool(errors) or (strict and bool(warnings))
    if as_json:
        emit_json(
            {
                "ok": not failed,
                "errors": errors,
                "warnings": [w.as_dict() for w in warnings],
                **summary,
            }
        )
    else:
        import shutil

        from careersync.lint import render

        s = summary
        click.echo(
            f"{s['plan']}: {'' if failed else 'ok: '}{s['goals']} goal(s), "
            f"{s['milestones']} milestone(s), {s['recurring']} recurring item(s) with "
            f"{s['occurrences']} occurrences, {s['start']} to {s['end']}"
        )
        if warnings:
            width = min(shutil.get_terminal_size((80, 24)).columns, 100)
            for line in render(warnings, width):
                click.echo(line, err=strict)
        if strict and warnings:
            click.echo(f"error: {len(warnings)} SMART warning(s) with --strict", err=True)
    if failed:
        sys.exit(1)


@cli.command()
@click.option(
    "--from", "start", metavar="DATE", help="First day (default: plan.start; a month: its 1st)."
)
@click.option("--to", "end", metavar="DATE", help="Last day, inclusive (default: last deadline).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="K[,K...]",
    help="Only these kinds: goal, milestone, habit, contact, review.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_obj
def schedule(
    paths: Paths, start: str | None, end: str | None, kinds: tuple[str, ...], as_json: bool
) -> None:
    """List the dated items, occurrences included, in date order (text: grouped by month).

    Dates take every plan form; a month given to --from means its first day, to --to its last.

    \b
    Example:
      careersync schedule --from 2027-03 --to 2027-03 --kind milestone,review
    """
    from careersync import schedule as engine
    from careersync import schedule_text

    wanted = parse_kinds(kinds)
    plan = paths.plan()
    first = parse_day("--from", start, plan.start, month_start=True) or plan.start
    last = parse_day("--to", end, plan.start) or plan.end
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    entries = [e for e in engine.build(plan, first, last) if wanted is None or e.kind in wanted]
    if as_json:
        emit_json(
            {
                "items": [
                    {
                        "uid": e.uid,
                        "kind": e.kind,
                        "title": e.title,
                        "date": e.date.isoformat(),
                        "time": e.time.strftime("%H:%M") if e.time else None,
                        "goal": e.goal,
                    }
                    for e in entries
                ]
            }
        )
        return
    if entries:
        click.echo(schedule_text.render(entries))
    else:
        click.echo(f"Nothing scheduled from {first} to {last}.")


def parse_kinds(values: tuple[str, ...]) -> set[str] | None:
    """``--kind`` values (repeated or comma-separated), checked; None when not given."""
    from careersync.errors import did_you_mean
    from careersync.model import KINDS

    if not values:
        return None
    kinds = {k.strip() for v in values for k in v.split(",") if k.strip()}
    for k in sorted(kinds):
        if k not in KINDS:
            raise UsageError(
                f"--kind: unknown kind {k!r}{did_you_mean(k, KINDS)}; "
                f"choose from {', '.join(KINDS)}"
            )
    if not kinds:
        raise UsageError(f"--kind: name at least one of {', '.join(KINDS)}")
    return kinds


def build_targets(
    cfg,
    plan,
    names: tuple[str, ...],
    today: dt.date,
    *,
    cache_dir: Path | None = None,
    dry_run: bool = False,
    confirm=lambda question: False,
) -> list:
    """(config, target or the error that stopped it, options) for each selected target."""
    from careersync import secrets
    from careersync.errors import CareersyncError
    from careersync.plugins import target_class, validate_targets
    from careersync.target import TargetContext

    validate_targets(cfg)
    chosen = [cfg.target(n) for n in names] if names else list(cfg.targets)
    out = []
    for t in chosen:
        cls = target_class(t.name, t.plugin)
        options = cls.validate(t.name, t.options)
        context = TargetContext(
            name=t.name,
            base_dir=t.base_dir,
            timezone=plan.timezone,
            today=today,
            secret=lambda name=t.name: secrets.get(name),
            start=plan.start,
            cache_dir=cache_dir,
            dry_run=dry_run,
            confirm=confirm,
        )
        try:
            out.append((t, cls(options, context), options))
        except CareersyncError as exc:
            out.append((t, exc, options))
    return out


@cli.command()
@click.option(
    "--target", "names", multiple=True, metavar="NAME", help="Only this target (repeatable)."
)
@click.option("--dry-run", is_flag=True, help="Report what would change; touch nothing.")
@click.option("--force", is_flag=True, help="Allow deleting more than half of a target's items.")
@click.option("--yes", is_flag=True, help="Agree to changes a target asks about (e.g. a schema).")
@click.option("-v", "--verbose", is_flag=True, help="List each item created, updated or deleted.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_obj
def sync(
    paths: Paths,
    names: tuple[str, ...],
    dry_run: bool,
    force: bool,
    yes: bool,
    verbose: bool,
    as_json: bool,
) -> None:
    """Pull completions from every target, then push the plan's changes.

    \b
    Example:
      careersync sync --dry-run      # what would change; touches nothing
    """
    _without_cyclic_gc()
    from careersync import secrets
    from careersync import sync as syncing

    cfg = paths.config()
    plan = paths.plan(cfg)
    home = paths.home(cfg, plan)
    today = dt.date.today()

    def confirm(question: str) -> bool:
        if yes:
            return True
        if as_json or not sys.stdin.isatty():
            return False
        return click.confirm(question, err=True, default=False)

    targets = build_targets(
        cfg, plan, names, today, cache_dir=home.cache_dir, dry_run=dry_run, confirm=confirm
    )
    items = paths.items(plan, keep=not dry_run)
    lock = contextlib.nullcontext() if dry_run else home.lock()
    with lock, home.open(create=not dry_run) as state, _progress(as_json) as progress:
        reports = syncing.run(
            items,
            targets,
            state,
            today=today,
            dry_run=dry_run,
            force=force,
            progress=progress,
            secrets=secrets.known,
        )
    if as_json:
        emit_json(
            {"targets": {name: r.as_dict() for name, r in reports.items()}, "dry_run": dry_run}
        )
    else:
        for name, r in reports.items():
            _print_report(name, r, dry_run=dry_run, verbose=verbose)
    sys.exit(sync_exit_code(reports))


def sync_exit_code(reports: dict) -> int:
    """0 when all went well; 1 when every target failed or nothing at all could be written;
    3 when some targets failed, or skipped items, while the rest synced (SPEC sections 5-6)."""
    troubled = [r for r in reports.values() if r.error or r.skipped]
    if not troubled:
        return 0
    if all(r.error for r in reports.values()):
        return 1
    held = sum(r.written + r.unchanged for r in reports.values() if not r.error)
    return 1 if len(troubled) == len(reports) and held == 0 else 3


def _print_report(name: str, r, *, dry_run: bool, verbose: bool) -> None:
    if r.error:
        click.echo(f"{name}: FAILED: {r.error}", err=True)
        return
    if dry_run:
        line = (
            f"{name}: would create {r.created}, update {r.updated}, delete {r.deleted}; "
            f"{r.unchanged} unchanged"
        )
    else:
        line = (
            f"{name}: {r.created} created, {r.updated} updated, {r.deleted} deleted; "
            f"{r.unchanged} unchanged"
        )
    pulled = f"{r.completed} completion{'s' if r.completed != 1 else ''} pulled"
    click.echo(f"{line}; {pulled}" + (f", {r.cleared} cleared" if r.cleared else ""))
    if dry_run or verbose:
        verbs = {"create": "create", "update": "update", "delete": "delete"}
        for change in r.changes:
            title = f"  {change['title']}" if change["title"] else ""
            click.echo(f"  {verbs[change['action']]:<6} {change['uid']}{title}")
    if r.duplicates:
        click.echo(f"{name}: removed {r.duplicates} duplicate(s) (one copy of each item is kept)")
    if r.recreated and len(r.recreated) == r.created and not r.unchanged:
        click.echo(f"{name}: none of the items written before was there: wrote them all anew")
    elif r.recreated:
        click.echo(
            f"{name}: re-created {len(r.recreated)} item(s) deleted there: "
            + ", ".join(r.recreated)
        )
    for skipped in r.skipped:
        click.echo(f"{name}: skipped {skipped['uid']}: {skipped['reason']}", err=True)
    for warning in r.warnings:
        click.echo(f"{name}: note: {warning}", err=True)


def _without_cyclic_gc() -> None:
    """Keep the cyclic garbage collector off until the command ends: a sync allocates objects
    by the hundred thousand, reference counting frees them, and the collector's passes over
    them cost a tenth of a large sync for next to nothing found."""
    if gc.isenabled():
        gc.disable()
        click.get_current_context().call_on_close(gc.enable)


class _progress:
    """A progress bar on a terminal (stderr), nothing elsewhere or with --json."""

    def __init__(self, as_json: bool) -> None:
        self.enabled = not as_json and sys.stderr.isatty()
        self.bar = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.bar.start()
        return self.update

    def update(self, name: str, done: int, total: int) -> None:
        if name not in self.tasks:
            self.tasks[name] = self.bar.add_task(name, total=total)
        self.bar.update(self.tasks[name], completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@cli.command()
@click.option("--as-of", "as_of", metavar="DATE", help="The day to report on (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_obj
def status(paths: Paths, as_of: str | None, as_json: bool) -> None:
    """Progress per goal with a forecast, overdue items, habits, contacts and reviews, the
    next review, skill gaps.

    \b
    Example:
      careersync status --as-of 2027-06-01 --json
    """
    from careersync import progress, status_text
    from careersync import schedule as engine

    cfg = paths.config()
    plan = paths.plan(cfg)
    day = parse_day("--as-of", as_of, plan.start) or dt.date.today()
    with paths.home(cfg, plan).open(create=False) as state:
        completions = state.completions()
    doc = progress.compute(plan, engine.items(plan), completions, day)
    if as_json:
        emit_json(doc)
    else:
        status_text.show(doc, sys.stdout)


@cli.command()
@click.option("--as-of", "as_of", metavar="DATE", help="The day to report on (default: today).")
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the page (default: career-report.html beside the plan).",
)
@click.pass_obj
def report(paths: Paths, as_of: str | None, output: Path | None) -> None:
    """Write a self-contained HTML report: timelines, burn-ups, a heat map, skill gaps.

    \b
    Example:
      careersync report --as-of 2027-06-01 -o ~/Desktop/career.html
    """
    from careersync import progress
    from careersync import report as pages
    from careersync import schedule as engine

    cfg = paths.config()
    plan = paths.plan(cfg)
    day = parse_day("--as-of", as_of, plan.start) or dt.date.today()
    with paths.home(cfg, plan).open(create=False) as state:
        completions = state.completions()
    doc = progress.compute(plan, engine.items(plan), completions, day, detail=True)
    target = output or cfg.plan_path.parent / "career-report.html"
    try:
        target.write_text(pages.page(plan, doc), encoding="utf-8")
    except OSError as exc:
        raise CareersyncError(f"{target}: cannot write the report ({exc.strerror})") from None
    click.echo(str(target))


def _completion_key(plan, uid: str) -> str:
    """``uid`` checked against the plan: a one-off item or one occurrence of a recurring one."""
    from careersync import schedule as engine
    from careersync.errors import did_you_mean
    from careersync.sync import completion_keys

    items = engine.items(plan)
    keys = completion_keys(items)
    if uid in keys:
        return uid
    recurring = {i.uid: i for i in items if i.recurring}
    if uid in recurring:
        item = recurring[uid]
        raise CareersyncError(
            f"{uid} is recurring: mark one occurrence, e.g. {uid}@{item.dates[0].isoformat()}"
        )
    parent, _, day = uid.partition("@")
    if parent in recurring:
        dates = recurring[parent].dates
        try:
            wanted = dt.date.fromisoformat(day)
        except ValueError:
            raise CareersyncError(
                f"{uid}: {day!r} is not a date (use {parent}@YYYY-MM-DD)"
            ) from None
        near = sorted(dates, key=lambda d: (abs((d - wanted).days), d))[:2]
        raise CareersyncError(
            f"{uid}: {parent} has no occurrence on {wanted}; nearest: "
            + " or ".join(f"{parent}@{d.isoformat()}" for d in sorted(near))
        )
    raise CareersyncError(
        f"{uid}: no such item in the plan{did_you_mean(uid, [*keys, *recurring])} "
        "(run `careersync schedule` to list uids)"
    )


@cli.command()
@click.argument("uid")
@click.option("--on", "on", metavar="DATE", help="When it was done (default: today).")
@click.pass_obj
def done(paths: Paths, uid: str, on: str | None) -> None:
    """Record UID as done by hand; the next sync shows it on your targets.

    UID is an item (milestone:sql-course) or one occurrence of a recurring one
    (habit:practice@2027-01-09); `careersync schedule` lists them. A date after today, or an
    occurrence still ahead, is accepted with a note.

    \b
    Example:
      careersync done milestone:sql-course --on 2027-03-20
    """
    from careersync.state import Completion

    cfg = paths.config()
    plan = paths.plan(cfg)
    key = _completion_key(plan, uid)
    today = dt.date.today()
    day = parse_day("--on", on, plan.start) or today
    if note := _future_note(key, day, today):
        click.echo(f"note: {note}; recorded anyway", err=True)
    with paths.home(cfg, plan).open() as state:
        state.add_completion(Completion(key, day, "manual"))
    click.echo(f"Marked {key} done on {day}; the next `careersync sync` shows it on your targets.")


def _future_note(key: str, day: dt.date, today: dt.date) -> str | None:
    """Why a completion looks early (a typo in ``--on``, the wrong occurrence), or None.

    Such completions stay allowed: people fore-date, and scripts rely on it.
    """
    due = key.partition("@")[2]
    ahead = due and dt.date.fromisoformat(due) > today
    if day > today and ahead:
        return f"{day} is after today ({today}), and so is the occurrence {key}"
    if day > today:
        return f"{day} is after today ({today})"
    if ahead:
        return f"the occurrence {key} lies ahead (today is {today})"
    return None


@cli.command()
@click.argument("uid")
@click.pass_obj
def undo(paths: Paths, uid: str) -> None:
    """Clear UID's completion; the next sync removes the mark from your targets.

    \b
    Example:
      careersync undo habit:practice@2027-01-09
    """
    cfg = paths.config()
    plan = paths.plan(cfg)
    key = _completion_key(plan, uid)
    with paths.home(cfg, plan).open() as state:
        if key not in state.completions():
            raise CareersyncError(f"{key} is not marked done")
        state.remove_completion(key, [t.name for t in cfg.targets])
    click.echo(f"Cleared {key}; the next `careersync sync` removes the mark from your targets.")


def _edit_options(command):
    """--dry-run and --json, shared by the commands that edit the plan."""
    command = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(
        command
    )
    return click.option("--dry-run", is_flag=True, help="Print the diff; write nothing.")(command)


def _open_edit(cfg):
    """The plan file, read for editing (the edit itself needs no valid plan, its result does)."""
    from careersync.config import display
    from careersync.plan_edit import PlanEdit
    from careersync.plan_file import PlanFile

    return PlanEdit(PlanFile.read(cfg.plan_path, display(cfg.plan_path)))


def _finish_edit(edit, dry_run: bool, as_json: bool) -> None:
    """Print the diff, then write it (unless --dry-run or nothing changed)."""
    diff = edit.diff()
    written = edit.changed and not dry_run
    if written:
        edit.save()
    if as_json:
        emit_json(
            {
                "plan": edit.file.label,
                "changed": edit.changed,
                "written": written,
                "dry_run": dry_run,
                "diff": diff,
            }
        )
        return
    _echo_diff(diff)
    label = edit.file.label
    if not edit.changed:
        click.echo(f"{label} already says that; nothing to change.", err=True)
    elif dry_run:
        click.echo(f"Dry run: {label} was not changed.", err=True)
    else:
        click.echo(
            f"Wrote {label}; the next `careersync sync` carries the change to your targets.",
            err=True,
        )


def _echo_diff(diff: str) -> None:
    colour = "NO_COLOR" not in os.environ
    for line in diff.splitlines():
        if colour and line.startswith(("+", "-")) and not line.startswith(("+++", "---")):
            line = click.style(line, fg="green" if line[0] == "+" else "red")
        click.echo(line)


@cli.command()
@click.argument("uid")
@click.option("--by", "by", required=True, metavar="DATE", help="The new date (any plan form).")
@_edit_options
@click.pass_obj
def move(paths: Paths, uid: str, by: str, dry_run: bool, as_json: bool) -> None:
    """Set a goal's or milestone's `by` in the plan, written as DATE is given.

    \b
    Example:
      careersync move milestone:portfolio --by +16m --dry-run
    """
    edit = _open_edit(paths.config())
    edit.move(uid, by)
    _finish_edit(edit, dry_run, as_json)


@cli.command()
@click.argument("name")
@click.option(
    "--now", "now", required=True, type=click.IntRange(0, 5), help="The level now, 0 to 5."
)
@_edit_options
@click.pass_obj
def skill(paths: Paths, name: str, now: int, dry_run: bool, as_json: bool) -> None:
    """Set a skill's level now (skills.NAME.now) in the plan.

    \b
    Example:
      careersync skill sql --now 3
    """
    edit = _open_edit(paths.config())
    edit.set_skill(name, now)
    _finish_edit(edit, dry_run, as_json)


@cli.command()
@click.argument("uid")
@_edit_options
@click.pass_obj
def drop(paths: Paths, uid: str, dry_run: bool, as_json: bool) -> None:
    """Remove a milestone, habit or contact from the plan.

    \b
    Example:
      careersync drop habit:reading --dry-run
    """
    edit = _open_edit(paths.config())
    edit.drop(uid)
    _finish_edit(edit, dry_run, as_json)


@cli.command()
@click.option("--as-of", "as_of", metavar="DATE", help="The day of the review (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary; change nothing.")
@click.option("--interactive", is_flag=True, hidden=True, help="Ask even when not on a terminal.")
@click.pass_obj
def review(paths: Paths, as_of: str | None, as_json: bool, interactive: bool) -> None:
    """The periodic review: celebrate, catch up, adapt the plan, take notes.

    \b
    Example:
      careersync review --json --as-of 2027-04-02
    """
    from careersync import review as reviewing
    from careersync import schedule as engine

    if not as_json and not interactive and not sys.stdin.isatty():
        raise UsageError(
            "review asks questions, so it needs a terminal; "
            "use `careersync review --json` for the summary"
        )
    cfg = paths.config()
    edit = _open_edit(cfg) if not as_json else None
    plan = edit.plan() if edit else paths.plan(cfg)
    day = parse_day("--as-of", as_of, plan.start) or dt.date.today()
    home = paths.home(cfg, plan)
    with home.open(create=False) as state:
        completions = state.completions()
    summary = reviewing.compute(plan, engine.items(plan), completions, day)
    if as_json:
        emit_json(summary.as_dict())
        return
    _guided_review(cfg, home, edit, summary)


def _guided_review(cfg, home, edit, summary) -> None:
    """Ask, show what would be written, and write it once agreed; Ctrl-C writes nothing."""
    from careersync import journal
    from careersync import review_session as session

    prompter = session.RichPrompter()
    journal_path = journal.path_beside(cfg.plan_path)
    try:
        outcome = session.run(summary, edit, prompter)
        if outcome.empty(edit):
            click.echo("Nothing to save.")
            return
        session.show(outcome, edit, journal.FILE_NAME, prompter)
        if not prompter.confirm("Save all this?", default=True):
            click.echo("Nothing was written.")
            return
    except KeyboardInterrupt:
        click.echo("\nInterrupted: nothing was written.", err=True)
        sys.exit(130)
    except EOFError:
        raise CareersyncError(
            "the input ended before the review did; nothing was written"
        ) from None

    def record(completions) -> None:
        with home.open() as state:
            for c in completions:
                state.add_completion(c)

    try:
        session.save(outcome, edit, record, journal_path, summary.as_of)
    except CareersyncError:
        if outcome.notes.strip():
            click.echo("Your notes, so that they are not lost:", err=True)
            click.echo(outcome.notes, err=True)
        raise
    click.echo("Saved. The next `careersync sync` carries the changes to your targets.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def plugins(as_json: bool) -> None:
    """List the installed plugins, the target types they provide and their versions.

    A target whose SDK is missing is named with the command that installs it.

    \b
    Example:
      careersync plugins --json
    """
    from careersync.plugins import describe

    found = describe()
    if as_json:
        emit_json({"plugins": found})
        return
    for p in found:
        kind = "built-in" if p["builtin"] else "installed"
        click.echo(f"{p['name']} {p['version']} ({kind}): targets {', '.join(p['targets']) or '-'}")
        for target, need in p["missing"].items():
            click.echo(
                f"  the {target} target cannot run: {', '.join(need['modules'])} not installed; "
                f"{need['install'] or 'install it'}"
            )


@cli.command()
@click.argument("target")
@click.pass_obj
def auth(paths: Paths, target: str) -> None:
    """Store TARGET's credential in the OS keyring (Google: run the OAuth flow).

    \b
    Example:
      careersync auth tasks          # prompts for the Todoist API token of [targets.tasks]
    """
    from careersync import secrets
    from careersync.plugins import target_class
    from careersync.target import TargetContext

    cfg = paths.config()
    t = cfg.target(target)
    cls = target_class(t.name, t.plugin)
    options = cls.validate(t.name, t.options)
    context = TargetContext(t.name, t.base_dir, "UTC", dt.date.today())
    secret = cls(options, context).authenticate(lambda text: click.prompt(text, hide_input=True))
    if secret is None:
        click.echo(f"Target {t.name!r} ({t.plugin}) needs no credential.")
        return
    secrets.store(t.name, secret)
    click.echo(
        f"Stored the credential for {t.name!r} in the keyring (service {secrets.SERVICE!r})."
    )


@cli.group("config", cls=HelpGroup)
def config_group() -> None:
    """Print the documented example config, or show which files are in force."""


@config_group.command("example")
def config_example() -> None:
    """Print a config that documents every option of every target.

    \b
    Example:
      careersync config example > careersync.toml    # then keep the targets you use
    """
    from importlib.resources import files

    click.echo(files("careersync").joinpath("config.example.toml").read_text("utf-8"), nl=False)


@config_group.command("path")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_obj
def config_path(paths: Paths, as_json: bool) -> None:
    """Show the config and plan in force, where the config was looked for, and the state.

    \b
    Example:
      careersync --plan ~/career/career.toml config path
    """
    from careersync import config

    cfg = paths.config()
    searched = config.candidates(paths.config_option, paths.plan_option)
    try:  # the plan's own state folder; the careersync home while the plan cannot be read
        state = paths.home(cfg, paths.plan(cfg)).directory
    except CareersyncError:
        state = config.state_dir()
    if as_json:
        emit_json(
            {
                "config": str(cfg.path) if cfg.path else None,
                "plan": str(cfg.plan_path),
                "state": str(state),
                "searched": [{"from": how, "path": str(path)} for how, path in searched],
            }
        )
        return
    if cfg.path:
        click.echo(f"config: {cfg.path}")
    else:
        click.echo("config: none found; using the built-in ics target (career.ics beside the plan)")
    click.echo(f"plan:   {cfg.plan_path}")
    click.echo(f"state:  {state}")
    click.echo("config search order:")
    used = next((i for i, (_, path) in enumerate(searched) if path == cfg.path), None)
    for i, (how, path) in enumerate(searched):
        click.echo(f" {'*' if i == used else ' '} {path}  ({how})")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="careersync")
