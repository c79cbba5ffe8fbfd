"""``careersync status``: where the person stands, as text or JSON."""

from __future__ import annotations

import datetime as dt
import sys

import click

from careersync.cli import Paths, emit_json, parse_day


@click.command()
@click.option("--as-of", "as_of", metavar="DATE", help="The day to report on (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_obj
def status(paths: Paths, as_of: str | None, as_json: bool) -> None:
    """Progress per goal with a forecast, overdue items, habits, contacts and reviews, the
    next review, skill gaps.

    \b
    Example:
      careersync status --as-of 2027-06-01 --json
    """
    from careersync import progress, status_text

    cfg = paths.config()
    plan = paths.plan(cfg)
    day = parse_day("--as-of", as_of, plan.start) or dt.date.today()
    with paths.home(cfg, plan).open(create=False) as state:
        completions = state.completions()
    doc = progress.compute(plan, paths.items(plan), completions, day)
    if as_json:
        emit_json(doc)
    else:
        status_text.show(doc, sys.stdout)
