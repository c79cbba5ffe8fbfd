"""The command line: thin wrappers that load, call the engine and print (SPEC section 5).

Each command lives in a small module under ``careersync.commands``, imported only when that
command runs (or a help or a completion lists it): start-up pays for one command, not for all.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from importlib import import_module
from typing import Any

import click

from careersync import __version__
from careersync.errors import CareersyncError, UsageError

#: command name -> (module, attribute) of its click command
COMMANDS = {
    "auth": ("careersync.commands.auth", "auth"),
    "check": ("careersync.commands.check", "check"),
    "config": ("careersync.commands.config", "config_group"),
    "done": ("careersync.commands.marks", "done"),
    "drop": ("careersync.commands.edits", "drop"),
    "init": ("careersync.commands.init", "init"),
    "move": ("careersync.commands.edits", "move"),
    "plugins": ("careersync.commands.plugins", "plugins"),
    "report": ("careersync.commands.report", "report"),
    "review": ("careersync.commands.review", "review"),
    "schedule": ("careersync.commands.schedule", "schedule"),
    "skill": ("careersync.commands.edits", "skill"),
    "status": ("careersync.commands.status", "status"),
    "sync": ("careersync.commands.sync", "sync"),
    "undo": ("careersync.commands.marks", "undo"),
}


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
    import json

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
    """Loads each command from :data:`COMMANDS` when first asked for it, and maps
    :class:`CareersyncError` to its exit code with one clear message, no traceback
    (``CAREERSYNC_DEBUG=1`` shows it, for bug reports)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        # an unknown name loads every command, so that click's "did you mean" sees them all
        for name in [cmd_name] if cmd_name in COMMANDS else COMMANDS:
            if name not in self.commands:
                module, attribute = COMMANDS[name]
                self.add_command(getattr(import_module(module), attribute), name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command with the cyclic garbage collector off, and back on after: a command
        is one short run whose objects reference counting frees, and the collector's passes
        over the modules it imports and the objects it builds (a sync's by the hundred
        thousand) find next to nothing."""
        collecting = gc.isenabled()
        gc.disable()
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
        finally:
            if collecting:
                gc.enable()


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


def main() -> None:
    """Console-script entry point. The cyclic garbage collector stays off to the end (see
    :meth:`CareersyncGroup.invoke`): the process ends with the command, and a collector turned
    back on would make one more pass over every object at exit."""
    gc.disable()
    cli(prog_name="careersync")
