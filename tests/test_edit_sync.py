"""The next `sync` carries plan edits to the targets: a moved milestone's date is updated, a
dropped one is deleted, under the usual delete guard (SPEC sections 6 and 7)."""

from __future__ import annotations

import datetime as dt
import json

from test_ics import masters

PLAN = """\
[plan]
title = "T"
start = 2027-01-04
timezone = "UTC"

[goals.g]
title = "G"
by = "+1y"

# first
[milestones.a]
title = "A"
by = "+1m"

[milestones.b]
title = "B"
by = "+2m"

[milestones.c]
title = "C"
after = ["b"]
"""


def sync(run, *args):
    result = run("sync", "--json", *args)
    return result.exit_code, json.loads(result.stdout)["targets"]["ics"]


def test_move_and_drop_reach_the_calendar(run, write, isolated):
    write("career.toml", PLAN)
    assert sync(run)[1]["created"] == 4
    assert run("move", "milestone:a", "--by", "2027-03-15").exit_code == 0
    assert run("move", "milestone:c", "--by", "+4m").exit_code == 0
    code, report = sync(run)
    assert (code, report["updated"], report["created"], report["deleted"]) == (0, 2, 0, 0)
    items = masters(isolated / "career.ics")
    assert items["milestone:a"]["DTSTART"].dt == dt.date(2027, 3, 15)
    assert items["milestone:c"]["DTSTART"].dt == dt.date(2027, 5, 4)
    assert run("drop", "milestone:a").exit_code == 0
    code, report = sync(run)
    assert (code, report["deleted"], report["updated"]) == (0, 1, 0)
    assert "milestone:a" not in masters(isolated / "career.ics")
    assert sync(run)[1]["unchanged"] == 3, "nothing left to carry"


def test_dropping_most_items_stops_at_the_delete_guard(run, write, isolated):
    write("career.toml", PLAN)
    sync(run)
    for uid in ("milestone:c", "milestone:b", "milestone:a"):
        assert run("drop", uid).exit_code == 0
    code, report = sync(run)
    assert code == 1 and "--force" in report["error"]
    assert set(masters(isolated / "career.ics")) == {
        "goal:g",
        "milestone:a",
        "milestone:b",
        "milestone:c",
    }
    code, report = sync(run, "--force")
    assert (code, report["deleted"]) == (0, 3)
    assert set(masters(isolated / "career.ics")) == {"goal:g"}
