"""status --json figures on given dates (SPEC section 5)."""

import json
import os

import pytest

PLAN = """\
[plan]
title = "T"
start = 2027-01-04
timezone = "UTC"
[goals.cert]
title = "Pass the exam"
by = "+6m"
measure = "m"
why = "w"
[goals.solo]
title = "Give 1 talk"
by = "+3m"
measure = "m"
why = "w"
[milestones.a]
goal = "cert"
title = "A"
by = "+1m"
[milestones.b]
goal = "cert"
title = "B"
by = "+2m"
[milestones.c]
goal = "cert"
title = "C"
by = "+4m"
[milestones.d]
goal = "cert"
title = "D"
by = "+5m"
[reviews]
weekly = { on = "fri" }
"""


def status(run, as_of):
    result = run("status", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def goal(doc, gid):
    return next(g for g in doc["goals"] if g["id"] == gid)


def test_progress_expected_and_states(run, write):
    write("career.toml", PLAN)
    doc = status(run, "2027-03-10")
    cert = goal(doc, "cert")
    assert (cert["done"], cert["total"], cert["progress"], cert["expected"], cert["state"]) == (
        0,
        4,
        0.0,
        0.5,
        "behind",
    )
    assert doc["overdue"] == ["milestone:a", "milestone:b"]
    run("done", "milestone:a", "--on", "2027-02-01")
    run("done", "milestone:b", "--on", "2027-03-01")
    run("done", "milestone:c", "--on", "2027-03-05")
    cert = goal(status(run, "2027-03-10"), "cert")
    assert (cert["done"], cert["progress"], cert["state"]) == (3, 0.75, "ahead")
    cert = goal(status(run, "2027-03-04"), "cert")
    assert (cert["done"], cert["state"]) == (2, "on-track"), "completions after as_of do not count"
    run("done", "milestone:d", "--on", "2027-03-06")
    assert goal(status(run, "2027-03-10"), "cert")["state"] == "done"


def test_goal_without_milestones(run, write):
    write("career.toml", PLAN)
    solo = goal(status(run, "2027-02-01"), "solo")
    assert (solo["total"], solo["progress"], solo["expected"], solo["state"]) == (
        0,
        0.0,
        0.0,
        "on-track",
    )
    solo = goal(status(run, "2027-04-04"), "solo")
    assert (solo["expected"], solo["state"]) == (1.0, "behind")
    assert goal(status(run, "2027-04-05"), "solo")["state"] == "overdue"
    run("done", "goal:solo", "--on", "2027-04-01")
    solo = goal(status(run, "2027-04-05"), "solo")
    assert (solo["progress"], solo["state"]) == (1.0, "done")


def test_items_overdue_and_next_review(run, write):
    write("career.toml", PLAN)
    doc = status(run, "2027-01-22")
    uids = [i["uid"] for i in doc["items"]]
    assert "review:weekly@2027-01-15" in uids and "review:weekly@2027-01-22" in uids
    assert "review:weekly@2027-01-29" not in uids
    assert {"goal:cert", "goal:solo", "milestone:d"} <= set(uids)
    assert doc["next_review"] == {"uid": "review:weekly@2027-01-22", "date": "2027-01-22"}
    item = next(i for i in doc["items"] if i["uid"] == "milestone:a")
    assert item == {
        "uid": "milestone:a",
        "kind": "milestone",
        "title": "A",
        "due": "2027-02-04",
        "done": False,
        "done_on": None,
        "source": None,
    }
    assert doc["as_of"] == "2027-01-22"


def test_human_view(run, write):
    write("career.toml", PLAN)
    run("done", "milestone:a", "--on", "2027-03-01")
    out = run("status", "--as-of", "2027-03-10").stdout
    assert "Pass the exam  (by 2027-07-04)" in out
    assert "1/4 done, 50% expected by now: behind" in out
    assert "Overdue:" in out and "[milestone:b]" in out
    assert "Next review: 2027-03-12" in out
    assert "Recently done, well done:" in out


def test_done_unknown_uid_suggests(run, write):
    write("career.toml", PLAN)
    result = run("done", "milestone:aa")
    assert result.exit_code == 1
    assert 'no such item in the plan (did you mean "milestone:a"?)' in result.stderr
    result = run("done", "review:weekly")
    assert "is recurring: mark one occurrence, e.g. review:weekly@2027-01-15" in result.stderr
    assert run("undo", "milestone:a").exit_code == 1
    assert run("done", "milestone:a", "--on", "nope").exit_code == 2


def test_status_imports_no_service_sdk(write, isolated):
    import subprocess
    import sys

    write("career.toml", PLAN)
    code = (
        "import sys; from careersync.cli import cli\n"
        "try:\n    cli(['status', '--as-of', '2027-03-01'])\nexcept SystemExit: pass\n"
        "print([m for m in sys.modules if m.split('.')[0] in "
        "('googleapiclient', 'gcsa', 'todoist_api_python', 'notion_client', 'icalendar', 'careersync_ics')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=isolated)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_terminal_styles_are_the_bytes_rich_writes(run, write, monkeypatch):
    """The escape codes written on a terminal equal rich's (which prints on Windows) for every
    line of a full view."""
    import io
    from pathlib import Path

    from careersync import status_text

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    example = Path(__file__).parent.parent / "examples" / "career.toml"
    write("career.toml", example.read_text(encoding="utf-8"))
    run("done", "milestone:sql-course", "--on", "2027-05-28")
    view = status_text.lines(status(run, "2027-06-01"))
    styles = {style for line in view for _, style in line}
    assert {"bold underline", "bold green", "bold red", "bold", "dim", "cyan", "yellow"} <= styles
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm-256color")
    for line in view:
        out = Terminal()
        status_text._show_with_rich([line], out)
        assert status_text.ansi(line) + "\n" == out.getvalue()


@pytest.mark.skipif(os.name == "nt", reason="Windows prints through rich, and has no pty")
def test_status_on_a_terminal_styles_without_rich(write, isolated):
    import pty
    import subprocess
    import sys

    write("career.toml", PLAN)
    code = (
        "import sys; from careersync.cli import cli\n"
        "try:\n    cli(['status', '--as-of', '2027-03-10'])\nexcept SystemExit: pass\n"
        "print('rich' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm"}
    parent, child = pty.openpty()
    subprocess.run([sys.executable, "-c", code], stdout=child, cwd=isolated, env=env, check=True)
    os.close(child)
    out = b""
    while data := _read(parent):
        out += data
    text = out.decode()
    assert "\x1b[1mStatus as of \x1b[0m" in text
    assert text.strip().splitlines()[-1] == "False"


def _read(fd):
    try:
        return os.read(fd, 65536)
    except OSError:  # the terminal closed
        return b""
