"""init, check and schedule, run on real files as a user would."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"


def test_init_writes_a_plan_that_passes_check(run, isolated):
    result = run("init")
    assert result.exit_code == 0
    assert (isolated / "career.toml").is_file()
    assert 'plugin = "ics"' in (isolated / "careersync.toml").read_text()
    check = run("check", "--strict")
    assert check.exit_code == 0, check.output


def test_init_into_a_directory_and_never_overwrites(run, isolated):
    assert run("init", "new").exit_code == 0
    before = (isolated / "new" / "career.toml").read_text()
    (isolated / "new" / "careersync.toml").unlink()
    result = run("init", "new")
    assert result.exit_code == 1
    assert "career.toml already exists; nothing was written" in result.stderr
    assert not (isolated / "new" / "careersync.toml").exists()
    assert (isolated / "new" / "career.toml").read_text() == before


def test_check_reports_counts_and_warnings(run, write):
    write(
        "career.toml",
        """\
        [plan]
        title = "T"
        start = 2027-01-04
        [goals.g]
        title = "Improve my SQL"
        by = "+1y"
    """,
    )
    result = run("check")
    assert result.exit_code == 0
    assert "career.toml: ok: 1 goal(s)" in result.stdout
    for code in ("S001", "M001", "R001", "G001"):
        assert code in result.stdout
    strict = run("check", "--strict")
    assert strict.exit_code == 1
    assert "4 SMART warning(s) with --strict" in strict.stderr


def test_check_json(run_json, write):
    shutil.copy(EXAMPLE, "career.toml")
    result, doc = run_json("check")
    assert result.exit_code == 0
    assert doc["ok"] is True
    assert doc["errors"] == []
    assert {w["code"] for w in doc["warnings"]} <= {"A001"}
    assert doc["goals"] == 2


def test_plan_option_and_config_plan_key(run, write, isolated):
    write("plans/mine.toml", EXAMPLE.read_text())
    assert run("--plan", "plans/mine.toml", "check").exit_code == 0
    write("conf/careersync.toml", 'plan = "../plans/mine.toml"\n')
    result = run("--config", "conf/careersync.toml", "check")
    assert result.exit_code == 0, result.output
    assert "mine.toml: ok" in result.stdout


def test_config_errors_name_the_target(run, write, basic_plan):
    write(
        "careersync.toml",
        '[targets.cal]\nplugin = "icss"\n[targets.other]\nplugin = "ics"\npth = "x.ics"\n',
    )
    result = run("check")
    assert result.exit_code == 1
    assert (
        'targets.cal.plugin: unknown plugin "icss" (did you mean "ics"?); installed: caldav, gcal, ics, notion, todoist'
        in result.stderr
    )
    assert (
        'targets.other.pth: unknown option for plugin "ics" (did you mean "path"?)' in result.stderr
    )


def test_schedule_json_shape(run_json, basic_plan):
    result, doc = run_json("schedule")
    assert result.exit_code == 0
    assert doc == {
        "items": [
            {
                "uid": "milestone:sql-course",
                "kind": "milestone",
                "title": "Finish an advanced SQL course",
                "date": "2027-04-04",
                "time": None,
                "goal": "senior",
            },
            {
                "uid": "goal:senior",
                "kind": "goal",
                "title": "Start a senior data analyst role",
                "date": "2029-01-04",
                "time": None,
                "goal": "senior",
            },
        ]
    }


def test_schedule_window_and_occurrences(run_json):
    shutil.copy(EXAMPLE, "career.toml")
    _, doc = run_json("schedule", "--from", "2027-01-04", "--to", "2027-01-16")
    uids = [i["uid"] for i in doc["items"]]
    assert uids == [
        "contact:mentor@2027-01-04",
        "habit:practice@2027-01-09",
        "review:weekly@2027-01-15",
        "habit:practice@2027-01-16",
    ]
    assert doc["items"][1]["time"] == "10:00"
    _, whole = run_json("schedule")
    dates = [i["date"] for i in whole["items"]]
    assert dates == sorted(dates)
    assert dates[0] >= "2027-01-04" and dates[-1] <= "2029-01-04"


def test_schedule_text(run, basic_plan):
    result = run("schedule", "--to", "+6m")
    assert (
        "2027-04-04         milestone  Finish an advanced SQL course  [milestone:sql-course]"
        in result.stdout
    )


def test_schedule_bad_window_is_a_usage_error(run, basic_plan):
    result = run("schedule", "--from", "soon")
    assert result.exit_code == 2
    assert '--from: "soon" is not a date' in result.stderr
    assert run("schedule", "--from", "2028-01-01", "--to", "2027-01-01").exit_code == 2


def test_unknown_command_and_option_exit_2(run):
    assert run("frobnicate").exit_code == 2
    assert run("check", "--nope").exit_code == 2


def test_version_and_module_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "careersync", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.startswith("careersync, version ")


@pytest.mark.parametrize("args", [["--help"], ["check"], ["schedule"]])
def test_help_check_and_schedule_import_no_service_sdk(args, basic_plan):
    code = (
        "import sys; from careersync.cli import cli\n"
        f"try:\n    cli({args!r})\nexcept SystemExit: pass\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('googleapiclient', 'gcsa', 'todoist_api_python', 'notion_client', 'icalendar', 'rich', 'httpx')]\n"
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=basic_plan.parent
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
