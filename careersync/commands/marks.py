"""``careersync done`` and ``undo``: completions recorded or cleared by hand."""

from __future__ import annotations

import datetime as dt

import click

from careersync.cli import Paths, parse_day
from careersync.errors import CareersyncError


def _completion_key(items, uid: str) -> str:
    """``uid`` checked against the plan's items: a one-off or one occurrence of a recurring one."""
    from careersync.errors import did_you_mean
    from careersync.sync import completion_keys

    keys = completion_keys(items)
    if uid in keys:
        return uid
    recurring = {i.uid: i for i in items if i.recurring}
    if uid in recurring:
        item = recurring[uid]
        raise CareersyncError(
            f"{uid} is recurring: mark one occurrence, e.g. {uid}@{item.dates[0].isoformat()}"
        )
    parent, _, day = uid.partition("@")
    if parent in recurring:
        dates = recurring[parent].dates
        try:
            wanted = dt.date.fromisoformat(day)
        except ValueError:
            raise CareersyncError(
                f"{uid}: {day!r} is not a date (use {parent}@YYYY-MM-DD)"
            ) from None
        near = sorted(dates, key=lambda d: (abs((d - wanted).days), d))[:2]
        raise CareersyncError(
            f"{uid}: {parent} has no occurrence on {wanted}; nearest: "
            + " or ".join(f"{parent}@{d.isoformat()}" for d in sorted(near))
        )
    raise CareersyncError(
        f"{uid}: no such item in the plan{did_you_mean(uid, [*keys, *recurring])} "
        "(run `careersync schedule` to list uids)"
    )


@click.command()
@click.argument("uid")
@click.option("--on", "on", metavar="DATE", help="When it was done (default: today).")
@click.pass_obj
def done(paths: Paths, uid: str, on: str | None) -> None:
    """Record UID as done by hand; the next sync shows it on your targets.

    UID is an item (milestone:sql-course) or one occurrence of a recurring one
    (habit:practice@2027-01-09); `careersync schedule` lists them. A date after today, or an
    occurrence still ahead, is accepted with a note.

    \b
    Example:
      careersync done milestone:sql-course --on 2027-03-20
    """
    from careersync.state import Completion

    cfg = paths.config()
    plan = paths.plan(cfg)
    key = _completion_key(paths.items(plan), uid)
    today = dt.date.today()
    day = parse_day("--on", on, plan.start) or today
    if note := _future_note(key, day, today):
        click.echo(f"note: {note}; recorded anyway", err=True)
    with paths.home(cfg, plan).open() as state:
        state.add_completion(Completion(key, day, "manual"))
    click.echo(f"Marked {key} done on {day}; the next `careersync sync` shows it on your targets.")


def _future_note(key: str, day: dt.date, today: dt.date) -> str | None:
    """Why a completion looks early (a typo in ``--on``, the wrong occurrence), or None.

    Such completions stay allowed: people fore-date, and scripts rely on it.
    """
    due = key.partition("@")[2]
    ahead = due and dt.date.fromisoformat(due) > today
    if day > today and ahead:
        return f"{day} is after today ({today}), and so is the occurrence {key}"
    if day > today:
        return f"{day} is after today ({today})"
    if ahead:
        return f"the occurrence {key} lies ahead (today is {today})"
    return None


@click.command()
@click.argument("uid")
@click.pass_obj
def undo(paths: Paths, uid: str) -> None:
    """Clear UID's completion; the next sync removes the mark from your targets.

    \b
    Example:
      careersync undo habit:practice@2027-01-09
    """
    cfg = paths.config()
    plan = paths.plan(cfg)
    key = _completion_key(paths.items(plan), uid)
    with paths.home(cfg, plan).open() as state:
        if key not in state.completions():
            raise CareersyncError(f"{key} is not marked done")
        state.remove_completion(key, [t.name for t in cfg.targets])
    click.echo(f"Cleared {key}; the next `careersync sync` removes the mark from your targets.")
