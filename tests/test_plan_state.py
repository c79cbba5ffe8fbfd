"""One state per plan (SPEC section 2): plans never share mappings or completions."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3

from conftest import plan_state

from careersync.state import Completion, Mapping, State

PLAN = """\
[plan]
title = "Plan {name}"
{id_line}
start = 2027-01-04
timezone = "Europe/London"

[goals.g]
title = "Reach 3 certificates by the deadline"
by = "+6m"
measure = "Three certificates"
why = "Promotion"

[milestones.enroll]
title = "Enroll in the course"
by = "+1m"

[milestones.finish]
title = "Finish the course"
after = ["enroll"]
by = "+3m"

[habits.practice]
title = "Practice"
every = "week"
until = "+2m"
"""


def plan(write, folder: str, *, plan_id: str | None = None):
    id_line = f'id = "{plan_id}"' if plan_id else ""
    return write(f"{folder}/career.toml", PLAN.format(name=folder, id_line=id_line))


def status(run, path, day="2027-06-01"):
    result = run("--plan", str(path), "status", "--json", "--as-of", day)
    assert result.exit_code == 0, result.output
    return {i["uid"]: i for i in json.loads(result.stdout)["items"]}


def test_two_plans_in_one_home_share_nothing(run, write, isolated):
    a, c = plan(write, "a"), plan(write, "c")
    assert run("--plan", str(a), "sync").exit_code == 0
    assert run("--plan", str(a), "done", "milestone:enroll", "--on", "2027-01-20").exit_code == 0
    assert status(run, a)["milestone:enroll"]["done"]
    assert not status(run, c)["milestone:enroll"]["done"]
    result = run("--plan", str(c), "sync", "--json")
    doc = json.loads(result.stdout)["targets"]["ics"]
    assert (doc["created"], doc["recreated"]) == (4, [])
    assert (isolated / "a" / "career.ics").exists() and (isolated / "c" / "career.ics").exists()
    homes = sorted(p.name for p in (isolated.parent / "state" / "plans").iterdir())
    assert len(homes) == 2 and all(h.startswith("path-career-") for h in homes)


def test_a_plan_with_an_id_keeps_its_state_when_moved(run, write, isolated):
    old = plan(write, "old", plan_id="analyst")
    assert run("--plan", str(old), "done", "milestone:enroll", "--on", "2027-01-20").exit_code == 0
    new = isolated / "moved" / "career.toml"
    new.parent.mkdir()
    shutil.move(old, new)
    assert status(run, new)["milestone:enroll"]["done_on"] == "2027-01-20"


def test_giving_a_plan_an_id_keeps_its_state(run, write, isolated):
    path = plan(write, "p")
    assert run("--plan", str(path), "done", "milestone:enroll").exit_code == 0
    plan(write, "p", plan_id="analyst")
    assert status(run, path)["milestone:enroll"]["done"]
    assert run("--plan", str(path), "undo", "milestone:enroll").exit_code == 0
    assert not status(run, path)["milestone:enroll"]["done"]


def test_a_plan_without_an_id_is_known_by_its_path(run, write, isolated):
    old = plan(write, "old")
    assert run("--plan", str(old), "done", "milestone:enroll").exit_code == 0
    new = isolated / "moved" / "career.toml"
    new.parent.mkdir()
    shutil.move(old, new)
    assert not status(run, new)["milestone:enroll"]["done"]


def legacy_state(isolated, keys):
    """A state database of the single-file layout, as careersync 0.1 left it."""
    home = isolated.parent / "state"
    with State(home) as state:
        for key in keys:
            state.add_completion(Completion(key, dt.date(2027, 1, 20), "manual"))
        state.put_mappings("ics", [Mapping("milestone:enroll", "x", "h", frozenset())], [])
    return home / "state.sqlite"


def test_an_earlier_single_state_goes_to_the_plan_that_used_it(run, write, isolated):
    other = write(
        "other/career.toml",
        PLAN.format(name="o", id_line="")
        .replace("enroll", "apply")
        .replace("habits.practice", "habits.run"),
    )
    mine = plan(write, "mine")
    legacy = legacy_state(isolated, ["milestone:enroll", "habit:practice@2027-01-04"])
    assert not status(run, other)["milestone:apply"]["done"]
    assert legacy.exists(), "a plan that never used it leaves it alone"
    assert status(run, mine)["milestone:enroll"]["done"], "read in place by status"
    assert legacy.exists(), "status writes nothing"
    assert run("--plan", str(mine), "done", "milestone:finish").exit_code == 0
    assert not legacy.exists()
    items = status(run, mine)
    assert items["milestone:enroll"]["done"] and items["milestone:finish"]["done"]
    assert items["habit:practice@2027-01-04"]["done"]
    assert not status(run, other)["milestone:apply"]["done"]


def test_home_that_is_a_file_is_a_clear_error(run, write, isolated, monkeypatch):
    path = plan(write, "p")
    home = isolated / "not-a-folder"
    home.write_text("x")
    monkeypatch.setenv("CAREERSYNC_HOME", str(home))
    for args in (["sync"], ["status"], ["done", "milestone:enroll"]):
        result = run("--plan", str(path), *args)
        assert result.exit_code == 1, args
        assert "is a file, not a folder" in result.stderr
        assert "Traceback" not in result.output


def test_home_below_a_file_is_a_clear_error(run, write, isolated, monkeypatch):
    path = plan(write, "p")
    (isolated / "file").write_text("x")
    monkeypatch.setenv("CAREERSYNC_HOME", str(isolated / "file" / "home"))
    result = run("--plan", str(path), "sync")
    assert result.exit_code == 1
    assert "cannot create the state" in result.stderr


def test_a_state_from_a_newer_careersync_is_refused(run, write, isolated):
    path = plan(write, "p")
    assert run("--plan", str(path), "sync").exit_code == 0
    db = sqlite3.connect(plan_state(isolated, "p/career.toml") / "state.sqlite")
    db.execute("PRAGMA user_version = 42")
    db.commit()
    db.close()
    result = run("--plan", str(path), "status")
    assert result.exit_code == 1
    assert "made by a newer careersync (schema 42); upgrade careersync" in result.stderr
