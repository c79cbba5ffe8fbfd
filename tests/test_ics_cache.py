"""The .ics target remembers what its file holds, and still sees every change to it."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from careersync.errors import TargetError

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"


def sync(run):
    result = run("sync", "--json")
    return result.exit_code, json.loads(result.stdout)["targets"]["ics"]


def status_item(run, uid):
    doc = json.loads(run("status", "--json", "--as-of", "2029-01-04").stdout)
    return next(i for i in doc["items"] if i["uid"] == uid)


def test_an_unchanged_file_is_not_parsed_again(run, isolated, monkeypatch):
    from icalendar import Calendar

    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)

    def refuse(*args, **kwargs):
        raise AssertionError("the unchanged file was parsed")

    monkeypatch.setattr(Calendar, "from_ical", refuse)
    code, report = sync(run)
    assert (code, report["unchanged"], report["updated"]) == (0, 15, 0)


def test_a_tick_that_keeps_size_and_mtime_is_still_seen(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    path = isolated / "career.ics"
    before = path.stat()
    data = path.read_bytes()
    ticked = data.replace(b"SUMMARY:Finish an", b"SUMMARY:[x] sh an")
    assert len(ticked) == len(data) and ticked != data
    path.write_bytes(ticked)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    code, report = sync(run)
    assert report["completed"] == 1
    assert status_item(run, "milestone:sql-course")["source"] == "ics"


def test_a_failed_write_leaves_nothing_remembered(run, isolated, monkeypatch):
    from careersync_ics.calendar_file import CalendarFile

    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    plan = isolated / "career.toml"
    plan.write_text(plan.read_text().replace("Sit the certificate exam", "Sit the exam"))

    def refuse(self, data):
        raise TargetError(f"{self.path}: cannot be written (disk full)")

    with monkeypatch.context() as patched:
        patched.setattr(CalendarFile, "_write", refuse)
        code, report = sync(run)
    assert code == 1 and "disk full" in report["error"]
    code, report = sync(run)
    assert (code, report["updated"]) == (0, 1)
    assert "SUMMARY:Sit the exam" in (isolated / "career.ics").read_text(encoding="utf-8")


def test_a_damaged_cache_is_read_past(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    (cache,) = (isolated.parent / "state").rglob("cache/ics.json")
    doc = json.loads(cache.read_text())
    doc["data"]["uids"] = ["milestone:exam"]
    cache.write_text(json.dumps(doc))
    code, report = sync(run)
    assert (code, report["unchanged"], report["created"]) == (0, 15, 0)


def test_a_cache_in_the_older_format_is_read_past(run, isolated, monkeypatch):
    """A cache written as one list per item (before the parallel lists) reads as none: the
    file is parsed, nothing is written twice."""
    from careersync_ics.mapping import component_uid
    from icalendar import Calendar

    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    (cache,) = (isolated.parent / "state").rglob("cache/ics.json")
    doc = json.loads(cache.read_text())
    data = doc["data"]
    columns = (data.pop("uids"), data.pop("ids"), data.pop("done"), data.pop("hashes"))
    data["remotes"] = [
        [uid, remote_id or component_uid(uid), done or {}, digest]
        for uid, remote_id, done, digest in zip(*columns, strict=True)
    ]
    cache.write_text(json.dumps(doc))
    parsed = []
    original = Calendar.from_ical

    def counted(*args, **kwargs):
        parsed.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(Calendar, "from_ical", counted)
    code, report = sync(run)
    assert (code, report["unchanged"], report["created"], report["updated"]) == (0, 15, 0, 0)
    assert parsed


def test_a_no_op_sync_loads_no_icalendar(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    sync(run)
    code = (
        "import sys; from careersync.cli import cli\n"
        "try:\n    cli(['sync'])\nexcept SystemExit: pass\n"
        "print('icalendar' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=isolated)
    assert "15 unchanged" in out.stdout and out.stdout.strip().splitlines()[-1] == "False"


def test_the_cache_gives_back_every_item_as_it_was():
    import datetime as dt

    from careersync_ics.calendar_file import _known_remotes, _record

    from careersync.target import Remote

    remotes = [
        Remote("milestone:a", "milestone-a@careersync", {}, "h1"),
        Remote("milestone:b", "edited-by-hand@example.com", {"milestone:b": None}, None),
        Remote("habit:c", "habit-c@careersync", {"habit:c@2027-01-02": dt.date(2027, 1, 3)}, "h3"),
        Remote("milestone:a", "", {"milestone:a": dt.date(2027, 5, 1)}, "h4"),
    ]
    fingerprint = {"size": 1, "mtime_ns": 2, "sha256": "x"}
    cached = json.loads(json.dumps(_record(fingerprint, remotes)))
    assert _known_remotes(cached, fingerprint) == remotes
    assert _known_remotes(cached, {**fingerprint, "size": 3}) is None
