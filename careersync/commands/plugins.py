"""``careersync plugins``: the installed plugins and their target types."""

from __future__ import annotations

import click

from careersync.cli import emit_json


@click.command()
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
