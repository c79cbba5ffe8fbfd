"""``careersync move``, ``skill`` and ``drop``: one edit of the plan, shown as a diff."""

from __future__ import annotations

import os

import click

from careersync.cli import Paths, emit_json


def _edit_options(command):
    """--dry-run and --json, shared by the commands that edit the plan."""
    command = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(
        command
    )
    return click.option("--dry-run", is_flag=True, help="Print the diff; write nothing.")(command)


def open_edit(cfg):
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


@click.command()
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
    edit = open_edit(paths.config())
    edit.move(uid, by)
    _finish_edit(edit, dry_run, as_json)


@click.command()
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
    edit = open_edit(paths.config())
    edit.set_skill(name, now)
    _finish_edit(edit, dry_run, as_json)


@click.command()
@click.argument("uid")
@_edit_options
@click.pass_obj
def drop(paths: Paths, uid: str, dry_run: bool, as_json: bool) -> None:
    """Remove a milestone, habit or contact from the plan.

    \b
    Example:
      careersync drop habit:reading --dry-run
    """
    edit = open_edit(paths.config())
    edit.drop(uid)
    _finish_edit(edit, dry_run, as_json)
