"""The command line: thin wrappers that load, call the engine and print (SPEC section 5)."""

from __future__ import annotations

import datetime as dt
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

    def config(self):
        from careersync import config

        return config.load(self.config_option, self.plan_option)

    def plan(self, cfg=None):
        from careersync import plan
        from careersync.config import display

        cfg = cfg or self.config()
        return plan.load(cfg.plan_path, display(cfg.plan_path))


def emit_json(doc: Any) -> None:
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False, default=str))


def parse_day(option: str, value: str | None, start: dt.date | None) -> dt.date | None:
    """A command-line date in any plan form (offsets count from plan.start)."""
    from careersync.grammar import parse_date

    if value is None:
        return None
    try:
        return parse_date(value, start)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


class CareersyncGroup(click.Group):
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
    "--config", "config_path", metavar="PATH", help="Config file (default: ./careersync.toml)."
)
@click.option(
    "--plan",
    "plan_path",
    metavar="PATH",
    help="Plan file (default: from the config, else ./career.toml).",
)
@click.version_option(__version__, prog_name="careersync")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, plan_path: str | None) -> None:
    """Turn a career plan into dated items and sync them to the tools you use."""
    ctx.obj = Paths(config_path, plan_path)


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Write a commented starter career.toml and careersync.toml (never overwrites)."""
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
    """Validate the plan and the config: errors, then SMART warnings."""
    from careersync.lint import lint
    from careersync.schedule import items as plan_items

    errors: list[str] = []
    warnings = []
    summary: dict[str, Any] = {}
    try:
        cfg = paths.config()
        from careersync.plugins import validate_targets

        validate_targets(cfg)
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
        s = summary
        click.echo(
            f"{s['plan']}: ok: {s['goals']} goal(s), {s['milestones']} milestone(s), "
            f"{s['recurring']} recurring item(s) with {s['occurrences']} occurrences, "
            f"{s['start']} to {s['end']}"
        )
        for w in warnings:
            click.echo(f"warning: {s['plan']}: {w.path}: {w.code} {w.message}", err=strict)
        if strict and warnings:
            click.echo(f"error: {len(warnings)} SMART warning(s) with --strict", err=True)
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--from", "start", metavar="DATE", help="First day (default: plan.start).")
@click.option("--to", "end", metavar="DATE", help="Last day, inclusive (default: last deadline).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_obj
def schedule(paths: Paths, start: str | None, end: str | None, as_json: bool) -> None:
    """List the dated items, occurrences included, in date order."""
    from careersync import schedule as engine

    plan = paths.plan()
    first = parse_day("--from", start, plan.start) or plan.start
    last = parse_day("--to", end, plan.start) or plan.end
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    entries = engine.build(plan, first, last)
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
    for e in entries:
        when = e.time.strftime("%H:%M") if e.time else "     "
        click.echo(f"{e.date}  {when}  {e.kind:<9}  {e.title}  [{e.uid}]")
    if not entries:
        click.echo(f"Nothing scheduled from {first} to {last}.")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="careersync")
