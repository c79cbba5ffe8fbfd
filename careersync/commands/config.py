"""``careersync config``: the documented example config, and the files in force."""

from __future__ import annotations

import click

from careersync.cli import HelpGroup, Paths, emit_json
from careersync.errors import CareersyncError


@click.group("config", cls=HelpGroup)
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
