"""``careersync review``: the periodic review, guided on a terminal or as JSON."""

from __future__ import annotations

import datetime as dt
import sys

import click

from careersync.cli import Paths, emit_json, parse_day
from careersync.commands.edits import open_edit
from careersync.errors import CareersyncError, UsageError


@click.command()
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

    if not as_json and not interactive and not sys.stdin.isatty():
        raise UsageError(
            "review asks questions, so it needs a terminal; "
            "use `careersync review --json` for the summary"
        )
    cfg = paths.config()
    edit = open_edit(cfg) if not as_json else None
    plan = edit.plan() if edit else paths.plan(cfg)
    day = parse_day("--as-of", as_of, plan.start) or dt.date.today()
    home = paths.home(cfg, plan)
    with home.open(create=False) as state:
        completions = state.completions()
    summary = reviewing.compute(plan, paths.items(plan), completions, day)
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
