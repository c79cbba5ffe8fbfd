"""``careersync check``: the plan and config validated, then SMART warnings."""

from __future__ import annotations

import sys
from typing import Any

import click

from careersync.cli import Paths, emit_json
from careersync.errors import CareersyncError


@click.command()
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
        all_items = paths.items(plan)
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
