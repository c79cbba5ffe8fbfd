"""The parsed-plan cache: an unchanged plan is not parsed again, and nothing else is ever
taken from the cache (an edit, other code, a damaged entry)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import BASIC_PLAN

from careersync import plan as plan_module
from careersync import plan_cache

MORE = """
[milestones.portfolio]
title = "Publish a portfolio"
by = "+6m"
"""


def cache_files(isolated: Path) -> list[Path]:
    return sorted((isolated.parent / "state" / "cache" / "plans").glob("*.pickle"))


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The labels of every plan parsed from TOML."""
    seen: list[str] = []
    parse = plan_module.parse

    def counting(data, label="career.toml"):
        seen.append(label)
        return parse(data, label)

    monkeypatch.setattr(plan_module, "parse", counting)
    return seen


def test_an_unchanged_plan_is_read_from_the_cache(run, basic_plan, isolated, parses):
    assert run("sync").exit_code == 0
    assert len(parses) == 1 and len(cache_files(isolated)) == 1
    result = run("sync", "--json")
    assert result.exit_code == 0, result.output
    assert '"unchanged": 2' in result.output
    assert len(parses) == 1


def test_an_edit_is_parsed_even_with_the_same_size_and_time(run, basic_plan, isolated, parses):
    assert run("sync").exit_code == 0
    stat = basic_plan.stat()
    text = basic_plan.read_text().replace("+3m", "+4m")
    basic_plan.write_text(text)
    os.utime(basic_plan, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert basic_plan.stat().st_size == stat.st_size
    result = run("sync", "-v")
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output
    assert len(parses) == 2


def test_a_damaged_entry_is_ignored_and_replaced(run, basic_plan, isolated, parses):
    assert run("sync").exit_code == 0
    [entry] = cache_files(isolated)
    entry.write_bytes(b"not a pickle")
    assert run("sync").exit_code == 0
    assert len(parses) == 2
    assert run("sync").exit_code == 0
    assert len(parses) == 2


def test_other_code_parses_again(run, basic_plan, isolated, parses, monkeypatch):
    assert run("sync").exit_code == 0
    monkeypatch.setattr(plan_cache, "_code_stamp", lambda: ("another version",))
    assert run("sync").exit_code == 0
    assert len(parses) == 2


def test_an_unwritable_cache_changes_nothing(run, basic_plan, isolated, parses):
    (isolated.parent / "state").mkdir()
    (isolated.parent / "state" / "cache").write_text("a file where the folder would go")
    for _ in range(2):
        result = run("sync")
        assert result.exit_code == 0, result.output
    assert len(parses) == 2


def test_two_plans_keep_their_own_entries(run, write, isolated, parses):
    write("a/career.toml", BASIC_PLAN)
    write("b/career.toml", BASIC_PLAN + MORE)
    assert run("--plan", "a/career.toml", "sync").exit_code == 0
    assert run("--plan", "b/career.toml", "sync").exit_code == 0
    assert len(cache_files(isolated)) == 2
    result = run("--plan", "b/career.toml", "status", "--json")
    assert result.exit_code == 0 and "portfolio" in result.output
    result = run("--plan", "a/career.toml", "sync", "--json")
    assert '"unchanged": 2' in result.output
    assert parses == ["a/career.toml", "b/career.toml"]  # status read b's entry too


def test_a_broken_plan_is_never_cached(run, write, isolated):
    write("career.toml", BASIC_PLAN.replace('by = "+3m"', 'by = "soon"'))
    assert run("sync").exit_code == 1
    assert cache_files(isolated) == []


def test_an_entry_is_readable_by_its_owner_alone(run, basic_plan, isolated):
    assert run("sync").exit_code == 0
    [entry] = cache_files(isolated)
    assert entry.stat().st_mode & 0o777 == 0o600


def test_a_no_op_sync_of_the_example_reads_and_writes_nothing_more(
    run, write, isolated, parses, monkeypatch
):
    """The least work that proves nothing changed: no TOML parsed, no calendar parsed, and not
    one file written or touched, the state included."""
    from icalendar import Calendar

    write("career.toml", (Path(__file__).parent.parent / "examples" / "career.toml").read_text())
    assert run("sync").exit_code == 0

    def snapshot() -> dict[Path, tuple[int, int]]:
        files = [p for p in isolated.parent.rglob("*") if p.is_file()]
        return {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in files}

    before = snapshot()
    monkeypatch.setattr(Calendar, "from_ical", None)  # any parse of the .ics would fail
    result = run("sync", "--json")
    assert result.exit_code == 0, result.output
    assert '"created": 0' in result.output and '"updated": 0' in result.output
    assert len(parses) == 1
    assert snapshot() == before


def test_the_cached_plan_reports_what_the_parsed_one_does(run, write, isolated, parses):
    write("career.toml", (Path(__file__).parent.parent / "examples" / "career.toml").read_text())
    assert run("sync").exit_code == 0
    cached = run("status", "--json", "--as-of", "2027-06-01").output
    for entry in cache_files(isolated):
        entry.unlink()
    parsed = run("status", "--json", "--as-of", "2027-06-01").output
    assert len(parses) == 2 and cached == parsed
