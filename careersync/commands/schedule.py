"""``careersync schedule``: the dated items in a window."""

from __future__ import annotations

import click

from careersync.cli import Paths, emit_json, parse_day
from careersync.errors import UsageError


@click.command()
@click.option(
    "--from", "start", metavar="DATE", help="First day (default: plan.start; a month: its 1st)."
)
@click.option("--to", "end", metavar="DATE", help="Last day, inclusive (default: last deadline).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="K[,K...]",
    help="Only these kinds: goal, milestone, habit, contact, review.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_obj
def schedule(
    paths: Paths, start: str | None, end: str | None, kinds: tuple[str, ...], as_json: bool
) -> None:
    """List the dated items, occurrences included, in date order (text: grouped by month).

    Dates take every plan form; a month given to --from means its first day, to --to its last.

    \b
    Example:
      careersync schedule --from 2027-03 --to 2027-03 --kind milestone,review
    """
    from careersync import schedule as engine
    from careersync import schedule_text

    wanted = parse_kinds(kinds)
    plan = paths.plan()
    first = parse_day("--from", start, plan.start, month_start=True) or plan.start
    last = parse_day("--to", end, plan.start) or plan.end
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    entries = [e for e in engine.build(plan, first, last) if wanted is None or e.kind in wanted]
    if as_json:
        emit_json(
            {
                "items": [
                    {
                        "uid": e.uid,
                        "kind": e.kind,
                        "title": e.title,
                        "date": e.date.isoformat(),
                        "time": e.time.strftime("%H:%M") if e.time else None,
                        "goal": e.goal,
                    }
                    for e in entries
                ]
            }
        )
        return
    if entries:
        click.echo(schedule_text.render(entries))
    else:
        click.echo(f"Nothing scheduled from {first} to {last}.")


def parse_kinds(values: tuple[str, ...]) -> set[str] | None:
    """``--kind`` values (repeated or comma-separated), checked; None when not given."""
    from careersync.errors import did_you_mean
    from careersync.model import KINDS

    if not values:
        return None
    kinds = {k.strip() for v in values for k in v.split(",") if k.strip()}
    for k in sorted(kinds):
        if k not in KINDS:
            raise UsageError(
                f"--kind: unknown kind {k!r}{did_you_mean(k, KINDS)}; "
                f"choose from {', '.join(KINDS)}"
            )
    if not kinds:
        raise UsageError(f"--kind: name at least one of {', '.join(KINDS)}")
    return kinds
