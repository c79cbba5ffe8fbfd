"""The markdown target: careersync's conformance suite, then what a person sees in the note."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from careersync.api import Entry, TargetContext, TargetError, plan_items
from careersync.testing import PLAN, Harness, TargetConformance

import careersync_markdown.target

UID = re.compile(r"<!-- careersync:(\S+) -->")
CONFIG = 'plan = "career.toml"\n\n[targets.notes]\nplugin = "markdown"\nhorizon = 1000\n'


def lines_by_uid(path: Path) -> dict[str, list[str]]:
    """uid -> the note's lines carrying it (read as any script would, not with the plugin)."""
    out: dict[str, list[str]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            found = UID.search(line)
            if found and found[1] not in ("begin", "end"):
                out.setdefault(found[1], []).append(line)
    return out


def edit_line(path: Path, key: str, change) -> None:
    """What the person does in their editor: change the line of ``key``."""
    marker = f"<!-- careersync:{key} -->"
    text = path.read_text(encoding="utf-8")
    lines = [change(line) if marker in line else line for line in text.split("\n")]
    path.write_text("\n".join(lines), encoding="utf-8")


def tick(line: str, on: str | None = "2027-01-20") -> str:
    return line.replace("- [ ]", "- [x]", 1) + (f" ✅ {on}" if on else "")


def untick(line: str) -> str:
    return re.sub(r" ✅ \d{4}-\d{2}-\d{2}", "", line.replace("- [x]", "- [ ]", 1))


class TestMarkdownConformance(TargetConformance):
    @pytest.fixture
    def harness(self, isolated, monkeypatch) -> Harness:
        note = isolated / "career.md"

        def snapshot():
            return (note.read_bytes(), note.stat().st_mtime_ns) if note.exists() else None

        def shown() -> set[str]:
            return {uid for uid, lines in lines_by_uid(note).items() if "- [x]" in lines[0]}

        @contextlib.contextmanager
        def failing_writes():
            def refuse(path, data):
                raise TargetError(f"{path}: cannot be written (simulated)")

            with monkeypatch.context() as m:
                m.setattr(careersync_markdown.target, "atomic_write", refuse)
                yield

        return Harness(
            target={"plugin": "markdown", "path": "career.md", "horizon": 90},
            items=lambda: lines_by_uid(note),
            snapshot=snapshot,
            complete=lambda key: edit_line(note, key, tick),
            failing_writes=failing_writes,
            horizon=90,
            shown=shown,
            uncomplete=lambda key: edit_line(note, key, untick),
        )


NOTE_PLAN = """\
[plan]
title = "Senior analyst"
start = 2027-01-04
timezone = "Europe/London"

[goals.senior]
title = "Start a senior data analyst role"
by = "+12m"

[goals.certified]
title = "Get certified"
by = "+6m"

[milestones.sql-course]
goal = "certified"
title = "Finish an advanced SQL course"
by = "+3m"

[habits.practice]
goal = "senior"
title = "SQL practice"
every = "week"
on = "sat"
at = "10:00"
duration = "1h30m"
until = "+3w"

[contacts.mentor]
title = "Coffee with my mentor"
every = "quarter"
until = "+4m"
"""

BLOCK = """\
<!-- careersync:begin -->

## Start a senior data analyst role

- [ ] SQL practice at 10:00 (1h30m) <!-- careersync:habit:practice@2027-01-09 --> 📅 2027-01-09
- [ ] SQL practice at 10:00 (1h30m) <!-- careersync:habit:practice@2027-01-16 --> 📅 2027-01-16
- [ ] SQL practice at 10:00 (1h30m) <!-- careersync:habit:practice@2027-01-23 --> 📅 2027-01-23
- [ ] Goal: Start a senior data analyst role <!-- careersync:goal:senior --> 📅 2028-01-04

## Get certified

- [ ] Finish an advanced SQL course <!-- careersync:milestone:sql-course --> 📅 2027-04-04
- [ ] Goal: Get certified <!-- careersync:goal:certified --> 📅 2027-07-04

## Other

- [ ] Coffee with my mentor <!-- careersync:contact:mentor@2027-01-04 --> 📅 2027-01-04
- [ ] Coffee with my mentor <!-- careersync:contact:mentor@2027-04-04 --> 📅 2027-04-04

<!-- careersync:end -->
"""


@pytest.fixture
def note_plan(write, isolated) -> Path:
    write("career.toml", NOTE_PLAN)
    write("careersync.toml", CONFIG)
    return isolated / "career.md"


def sync(run, *args: str) -> dict:
    result = run("sync", "--json", *args)
    doc = json.loads(result.stdout)["targets"]["notes"]
    assert result.exit_code == 0, doc
    return doc


def status(run) -> dict[str, dict]:
    doc = json.loads(run("status", "--json", "--as-of", "2027-12-31").stdout)
    return {i["uid"]: i for i in doc["items"]}


def test_a_new_note_holds_the_plan_grouped_by_goal(run, note_plan):
    assert sync(run)["created"] == 8
    assert note_plan.read_text(encoding="utf-8") == BLOCK


def test_everything_outside_the_block_is_left_as_it_was(run, note_plan, write):
    before = "# Career\r\n\r\nMy own notes, with Windows line endings.\r\n\r\n"
    after = "\r\n## Journal\r\n- [ ] my own task, not careersync's\r\nno newline at the end"
    markers = "<!-- careersync:begin -->\r\n<!-- careersync:end -->\r\n"  # where the list goes
    note_plan.write_bytes((before + markers + after).encode())
    sync(run)
    text = note_plan.read_bytes().decode()
    assert text.startswith(before) and text.endswith(after)
    assert text[len(before) : -len(after)] == BLOCK.replace("\n", "\r\n")
    write("career.toml", NOTE_PLAN.replace("Coffee with my mentor", "Lunch with my mentor"))
    assert sync(run)["updated"] == 2
    text = note_plan.read_bytes().decode()
    assert text.startswith(before) and text.endswith(after) and "Lunch with" in text


def test_without_markers_the_block_goes_after_what_the_note_says(run, note_plan):
    note_plan.write_bytes(b"# Career\r\n\r\nSome thoughts.")
    sync(run)
    text = "# Career\n\nSome thoughts.\n\n" + BLOCK
    assert note_plan.read_bytes() == text.replace("\n", "\r\n").encode()


def test_ticks_carry_their_date_or_the_sync_day(run, note_plan, target_contexts):
    sync(run)
    edit_line(note_plan, "milestone:sql-course", lambda line: tick(line, "2027-03-20"))
    edit_line(note_plan, "habit:practice@2027-01-16", lambda line: tick(line, None))
    report = sync(run)
    assert (report["completed"], report["updated"]) == (2, 2)
    items = status(run)
    assert items["milestone:sql-course"]["done_on"] == "2027-03-20"
    assert items["milestone:sql-course"]["source"] == "notes"
    today = target_contexts[-1].today.isoformat()  # the day the target was told it synced on
    assert items["habit:practice@2027-01-16"]["done_on"] == today
    lines = lines_by_uid(note_plan)
    assert lines["habit:practice@2027-01-16"][0].endswith(f"📅 2027-01-16 ✅ {today}")
    assert lines["milestone:sql-course"][0].endswith("📅 2027-04-04 ✅ 2027-03-20")


def test_done_shows_in_the_note_with_its_date(run, note_plan):
    sync(run)
    assert run("done", "goal:certified", "--on", "2027-06-30").exit_code == 0
    assert sync(run)["updated"] == 1
    line = lines_by_uid(note_plan)["goal:certified"][0]
    assert line == (
        "- [x] Goal: Get certified <!-- careersync:goal:certified --> 📅 2027-07-04 ✅ 2027-06-30"
    )


def test_notes_under_an_item_move_with_it(run, note_plan, write):
    sync(run)
    edit_line(
        note_plan,
        "milestone:sql-course",
        lambda line: line + "\n    - chapter 4 is the hard one\n\tsee the course forum",
    )
    write("career.toml", NOTE_PLAN.replace('by = "+3m"', 'by = "+5m"'))
    assert sync(run)["updated"] == 1
    text = note_plan.read_text(encoding="utf-8")
    assert (
        "- [ ] Finish an advanced SQL course <!-- careersync:milestone:sql-course --> 📅 2027-06-04\n"
        "    - chapter 4 is the hard one\n\tsee the course forum\n"
        "- [ ] Goal: Get certified"
    ) in text


def test_lines_people_add_in_the_block_are_kept(run, note_plan, write):
    sync(run)
    text = note_plan.read_text(encoding="utf-8")
    note_plan.write_text(text.replace("## Other\n", "## Other\nAsk about the team lead role\n"))
    write("career.toml", NOTE_PLAN.replace("SQL practice", "SQL drills"))
    assert sync(run)["updated"] == 3
    text = note_plan.read_text(encoding="utf-8")
    assert text.endswith(
        "📅 2027-04-04\n\nAsk about the team lead role\n\n<!-- careersync:end -->\n"
    )


def test_a_copied_line_is_removed_and_the_original_kept(run, note_plan):
    sync(run)
    edit_line(note_plan, "goal:senior", lambda line: line + "\n" + line)
    assert len(lines_by_uid(note_plan)["goal:senior"]) == 2
    report = sync(run)
    assert (report["duplicates"], report["deleted"]) == (1, 0), "a copy, not a dropped item"
    assert len(lines_by_uid(note_plan)["goal:senior"]) == 1


def test_a_hand_edited_line_stays_until_the_plan_changes_it(run, note_plan, careersync_home):
    sync(run)
    edit_line(note_plan, "milestone:sql-course", lambda line: line.replace("advanced", "SQL"))
    report = sync(run)
    assert (report["updated"], report["unchanged"]) == (0, 8)
    assert "Finish an SQL SQL course" in lines_by_uid(note_plan)["milestone:sql-course"][0]
    # with the state lost, same() finds every other line as careersync would write it
    import shutil

    shutil.rmtree(careersync_home)
    report = sync(run)
    assert (report["updated"], report["unchanged"], report["created"]) == (1, 7, 0)


def test_broken_markers_stop_the_target_with_a_clear_message(run, note_plan):
    note_plan.write_text("<!-- careersync:begin -->\n- [ ] something\n", encoding="utf-8")
    result = run("sync", "--json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)["targets"]["notes"]["error"]
    assert "career.md: expected one <!-- careersync:begin --> line" in error
    assert note_plan.read_text(encoding="utf-8") == "<!-- careersync:begin -->\n- [ ] something\n"


def test_a_note_saved_during_the_sync_is_not_overwritten(isolated):
    note = isolated / "career.md"
    context = TargetContext("notes", isolated, "Europe/London", dt.date(2027, 1, 4))
    target = careersync_markdown.target.MarkdownTarget(
        careersync_markdown.target.MarkdownTarget.validate("notes", {}), context
    )
    assert target.pull() == []
    item = next(i for i in plan_items(PLAN) if i.uid == "milestone:talk")
    target.create(Entry(item, {}, "hash"))
    note.write_text("typed in the editor meanwhile\n", encoding="utf-8")
    with pytest.raises(TargetError, match="changed while careersync was syncing"):
        target.commit()
    assert note.read_text(encoding="utf-8") == "typed in the editor meanwhile\n"


def test_a_negative_horizon_is_a_config_error(run, note_plan, write):
    write("careersync.toml", CONFIG.replace("1000", "-1"))
    result = run("check")
    assert result.exit_code == 1
    assert "targets.notes.horizon: must be 0 or more days" in result.stderr
