"""``careersync sync``: pull completions, push the plan, report per target."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from careersync.cli import Paths, emit_json


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


@click.command()
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
