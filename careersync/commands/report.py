"""``careersync report``: the self-contained HTML report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from careersync.cli import Paths, parse_day
from careersync.errors import CareersyncError


@click.command()
@click.option("--as-of", "as_of", metavar="DATE", help="The day to report on (default: today).")
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the page (default: career-report.html beside the plan).",
)
@click.pass_obj
def report(paths: Paths, as_of: str | None, output: Path | None) -> None:
    """Write a self-contained HTML report: timelines, burn-ups, a heat map, skill gaps.

    \b
    Example:
      careersync report --as-of 2027-06-01 -o ~/Desktop/career.html
    """
    from careersync import progress
    from careersync import report as pages

    cfg = paths.config()
    plan = paths.plan(cfg)
    day = parse_day("--as-of", as_of, plan.start) or dt.date.today()
    with paths.home(cfg, plan).open(create=False) as state:
        completions = state.completions()
    doc = progress.compute(plan, paths.items(plan), completions, day, detail=True)
    target = output or cfg.plan_path.parent / "career-report.html"
    try:
        target.write_text(pages.page(plan, doc), encoding="utf-8")
    except OSError as exc:
        raise CareersyncError(f"{target}: cannot write the report ({exc.strerror})") from None
    click.echo(str(target))
