"""``careersync init``: a commented starter plan and config."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from careersync.errors import CareersyncError


@click.command()
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
