"""``careersync auth``: a target's credential stored in the OS keyring."""

from __future__ import annotations

import datetime as dt

import click

from careersync.cli import Paths


@click.command()
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
