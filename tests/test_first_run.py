"""The first-run friction a new user hit (issue 13), re-tried through the CLI."""

import datetime as dt
import json
import os
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import BASIC_PLAN

from careersync import starter

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"
TODOS_CONFIG = '[targets.cal]\nplugin = "ics"\npath = "career.ics"\ntodos = true\n'


# 1. the config beside --plan comes before ./careersync.toml ---------------------------------


def test_config_beside_the_plan_wins_over_the_working_directory(run, write, isolated, monkeypatch):
    write("other/career.toml", BASIC_PLAN)
    write("other/careersync.toml", TODOS_CONFIG)
    write("careersync.toml", '[targets.mine]\nplugin = "ics"\npath = "mine.ics"\n')
    result = run("--plan", "other/career.toml", "sync")
    assert result.exit_code == 0, result.output
    written = (isolated / "other" / "career.ics").read_bytes()
    assert b"BEGIN:VTODO" in written
    assert not (isolated / "mine.ics").exists()
    monkeypatch.chdir(isolated / "other")
    assert run("sync").exit_code == 0
    assert (isolated / "other" / "career.ics").read_bytes() == written


def test_config_beside_the_plan_with_none_in_the_working_directory(run, write, isolated):
    write("other/career.toml", BASIC_PLAN)
    write("other/careersync.toml", TODOS_CONFIG)
    assert run("--plan", "other/career.toml", "sync").exit_code == 0
    assert b"BEGIN:VTODO" in (isolated / "other" / "career.ics").read_bytes()


def test_explicit_config_still_comes_first(run, write, isolated, monkeypatch):
    write("other/career.toml", BASIC_PLAN)
    write("other/careersync.toml", TODOS_CONFIG)
    write("elsewhere.toml", '[targets.mine]\nplugin = "ics"\npath = "mine.ics"\n')
    monkeypatch.setenv("CAREERSYNC_CONFIG", "elsewhere.toml")
    assert run("--plan", "other/career.toml", "sync").exit_code == 0
    assert (isolated / "mine.ics").is_file()
    assert not (isolated / "other" / "career.ics").exists()


def test_config_path_shows_the_search_order_and_the_one_in_force(run, write):
    write("other/career.toml", BASIC_PLAN)
    write("other/careersync.toml", TODOS_CONFIG)
    write("careersync.toml", TODOS_CONFIG)
    result = run("--plan", "other/career.toml", "config", "path")
    lines = result.stdout.splitlines()
    assert "config: other/careersync.toml" in lines
    assert " * other/careersync.toml  (beside --plan)" in lines
    assert "   careersync.toml  (working directory)" in lines
    _, doc = run_json_doc(run, "--plan", "other/career.toml", "config", "path")
    assert doc["config"] == "other/careersync.toml"
    assert Path(doc["state"]).parent == Path(os.environ["CAREERSYNC_HOME"]) / "plans"
    assert [s["from"] for s in doc["searched"]] == [
        "beside --plan",
        "working directory",
        "user config dir",
    ]


def run_json_doc(run, *args):
    result = run(*args, "--json")
    return result, json.loads(result.stdout)


# 2. --from with a month means its first day -------------------------------------------------


DAILY_PLAN = BASIC_PLAN + '\n[habits.walk]\ntitle = "Walk"\nevery = "day"\n'


def test_from_a_month_is_its_first_day_and_to_its_last(run_json, write):
    write("career.toml", DAILY_PLAN)
    _, doc = run_json("schedule", "--from", "2027-03", "--to", "2027-03")
    days = [i["date"] for i in doc["items"] if i["kind"] == "habit"]
    assert days[0] == "2027-03-01" and days[-1] == "2027-03-31" and len(days) == 31


def test_a_month_elsewhere_is_still_its_last_day(run_json, write):
    write("career.toml", DAILY_PLAN.replace('every = "day"', 'every = "day"\nuntil = "2027-03"'))
    _, doc = run_json("schedule", "--from", "2027-03-30")
    assert [i["date"] for i in doc["items"] if i["kind"] == "habit"] == [
        "2027-03-30",
        "2027-03-31",
    ]


# 5. done with a future date or a future occurrence: accepted, with a note -------------------


def near_plan(write) -> dt.date:
    """A plan started 12 weeks ago (a Monday) with a weekly habit on Mondays."""
    today = dt.date.today()
    start = today - dt.timedelta(days=today.weekday() + 84)
    write(
        "career.toml",
        f'[plan]\ntitle = "T"\nstart = {start}\n[goals.g]\ntitle = "G"\nby = "+1y"\n'
        '[milestones.m]\ntitle = "M"\nby = "+6m"\n'
        '[habits.h]\ntitle = "H"\nevery = "week"\n',
    )
    return start


def test_done_on_a_future_date_is_noted_and_recorded(run_json, run, write):
    near_plan(write)
    later = dt.date.today() + dt.timedelta(days=400)
    result = run("done", "milestone:m", "--on", later.isoformat())
    assert result.exit_code == 0
    assert result.stderr == (f"note: {later} is after today ({dt.date.today()}); recorded anyway\n")
    _, doc = run_json("status", "--as-of", later.isoformat())
    assert next(i for i in doc["items"] if i["uid"] == "milestone:m")["done"] is True


def test_done_on_an_occurrence_ahead_is_noted(run, write):
    start = near_plan(write)
    ahead = start + dt.timedelta(weeks=14)
    result = run("done", f"habit:h@{ahead}")
    assert result.exit_code == 0
    assert result.stderr == (
        f"note: the occurrence habit:h@{ahead} lies ahead (today is {dt.date.today()}); "
        "recorded anyway\n"
    )


def test_done_in_the_past_says_nothing_on_stderr(run, write):
    start = near_plan(write)
    assert run("done", f"habit:h@{start + dt.timedelta(weeks=2)}").stderr == ""
    assert run("done", "milestone:m", "--on", str(start + dt.timedelta(days=3))).stderr == ""


# 7. check --strict: no "ok:" before failing; warnings as a readable list --------------------


CROWDED = """\
[plan]
title = "T"
start = 2027-01-04
capacity = "1h/week"
[goals.g]
title = "Improve"
by = "+12m"
[milestones.m]
title = "M"
by = "+1m"
effort = "20h"
[habits.h]
title = "H"
every = "2 weeks"
duration = "2h"
"""


def test_check_strict_does_not_say_ok_before_failing(run, write):
    write("career.toml", CROWDED)
    strict = run("check", "--strict")
    assert strict.exit_code == 1
    assert "ok" not in strict.stdout
    assert strict.stdout.startswith("career.toml: 1 goal(s), 1 milestone(s)")
    assert "error: 4 SMART warning(s) with --strict" in strict.stderr
    relaxed = run("check")
    assert relaxed.exit_code == 0 and "career.toml: ok: 1 goal(s)" in relaxed.stdout


def test_warnings_are_a_list_with_long_ones_split(run, write):
    write("career.toml", CROWDED)
    lines = run("check").stdout.splitlines()
    assert lines[1] == "4 SMART warnings:"
    assert all(len(line) <= 80 for line in lines[1:])
    entries = [line for line in lines if line.startswith("  ") and not line.startswith("   ")]
    assert [e.split()[0] for e in entries] == ["A001", "M001", "R001", "S001"]
    weeks = [line.strip() for line in lines if line.strip().startswith("- week")]
    assert weeks[0] == "- weeks of 2027-01-04 to 2027-02-01 (up to 5.5h over)"
    assert len(weeks) == 6
    assert any(line.strip() == "- and 19 more stretches" for line in lines)


# 9. a missing SDK is named with the extra that installs it ----------------------------------


NOTION = '[targets.board]\nplugin = "notion"\ndatabase = "0123456789abcdef0123456789abcdef"\n'


@pytest.fixture
def no_notion_sdk(monkeypatch):
    """notion-client uninstalled: None in sys.modules makes Python refuse the import."""
    monkeypatch.setitem(sys.modules, "notion_client", None)


def test_plugins_names_the_extra_for_a_missing_sdk(run, run_json, no_notion_sdk):
    lines = run("plugins").stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("notion "))
    assert lines[at + 1] == (
        "  the notion target cannot run: notion_client not installed; "
        "pip install 'careersync[notion]'"
    )
    _, doc = run_json("plugins")
    found = {p["name"]: p["missing"] for p in doc["plugins"]}
    assert found["notion"] == {
        "notion": {"modules": ["notion_client"], "install": "pip install 'careersync[notion]'"}
    }
    assert found["todoist"] == {}


def test_check_fails_naming_the_extra_for_a_missing_sdk(run, run_json, write, no_notion_sdk):
    write("career.toml", BASIC_PLAN)
    write("careersync.toml", NOTION)
    result = run("check")
    assert result.exit_code == 1
    assert (
        "careersync.toml: targets.board: the notion target needs notion_client, which is not "
        "installed: pip install 'careersync[notion]'"
    ) in result.stderr
    _, doc = run_json("check")
    assert doc["ok"] is False and "careersync[notion]" in doc["errors"][0]


def test_a_missing_sdk_of_an_unused_target_is_no_error(run, write, no_notion_sdk):
    write("career.toml", BASIC_PLAN)
    write("careersync.toml", TODOS_CONFIG)
    assert run("check").exit_code == 0


# 10. help: one example each, whole sentences, the config search order -----------------------


def all_commands():
    import click

    from careersync.cli import cli

    def walk(group, prefix):
        for name, command in sorted(group.commands.items()):
            if isinstance(command, click.Group):
                yield from walk(command, [*prefix, name])
            else:
                yield [*prefix, name]

    return list(walk(cli, []))


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_every_command_help_has_an_example(run, path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    example = lines[lines.index("  Example:") + 1].strip()
    global_options = r"(?: --(?:plan|config) \S+)*"
    assert re.match(rf"careersync{global_options} {' '.join(path)}\b", example), example


@pytest.mark.parametrize("group", [[], ["config"]])
def test_command_lists_never_cut_a_sentence(run, group):
    out = run(*group, "--help").stdout
    assert "..." not in out.split("Commands:")[1]


def test_config_help_names_the_whole_search_order(run):
    out = " ".join(run("--help").stdout.split())
    for step in (
        "$CAREERSYNC_CONFIG",
        "careersync.toml beside the --plan file",
        "./careersync.toml",
        "careersync/config.toml in the user config dir",
        "one built-in ics target",
    ):
        assert step in out


# docs 5: init documents the ics target; `config example` prints the shipped example ---------


def test_init_config_documents_the_ics_target(run, isolated):
    from careersync_ics.target import IcsTarget

    run("init")
    text = (isolated / "careersync.toml").read_text()
    assert text == starter.CONFIG
    for option in [o.name for o in IcsTarget.options] + ["include"]:
        assert f"\n{option} = " in text
    assert "careersync config example" in text
    assert "sources" not in text and "config.example.toml" not in text


def test_config_example_prints_a_config_that_passes_check(run, write):
    result = run("config", "example")
    assert result.exit_code == 0
    shipped = Path(__file__).parent.parent / "careersync" / "config.example.toml"
    assert result.stdout == shipped.read_text(encoding="utf-8")
    tomllib.loads(result.stdout)
    write("careersync.toml", result.stdout)
    shutil.copy(EXAMPLE, "career.toml")
    check = run("check")
    assert check.exit_code == 0, check.output
