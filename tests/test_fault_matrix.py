"""The fault matrix on the in-memory reference target, through the CLI: for every request of a
first sync and of an update sync, one 429 / 500 / timeout / lost answer there, and a crash after
every write. One run completes; nothing is duplicated or lost (SPEC section 6)."""

from __future__ import annotations

import json

import memory_plugin
import pytest

PLAN = """\
[plan]
title = "Faults"
start = 2027-01-04
timezone = "UTC"

[goals.g]
title = "Reach 3 certificates"
by = "+6m"

[milestones.a]
title = "Course A"
by = "+1m"

[milestones.b]
title = "Course B"
by = "+2m"

[milestones.c]
title = "Course C"
by = "+3m"

[habits.h]
title = "Practice"
every = "week"
until = "+1m"
"""
CONFIG = '[targets.mem]\nplugin = "memory"\n'
UIDS = {"goal:g", "milestone:a", "milestone:b", "milestone:c", "habit:h"}
KINDS = ("429", "500", "timeout", "lost")


def sync(run) -> tuple[int, dict]:
    result = run("sync", "--json")
    return result.exit_code, json.loads(result.stdout)["targets"]["mem"]


def copies(svc) -> dict[str, int]:
    out: dict[str, int] = {}
    for record in svc.records.values():
        if record.uid:
            out[record.uid] = out.get(record.uid, 0) + 1
    return out


def requests_of_a_clean_sync(run, write, svc, *, update: bool) -> int:
    write("career.toml", PLAN)
    write("careersync.toml", CONFIG)
    if update:
        assert sync(run)[0] == 0
        write("career.toml", PLAN.replace("Course", "Module"))
    before = svc.requests
    assert sync(run)[0] == 0
    return svc.requests - before


@pytest.fixture
def svc(memory_registered):
    return memory_registered


def reset(svc) -> None:
    svc.records.clear()
    svc.faults.clear()


@pytest.mark.parametrize("update", [False, True], ids=["first-sync", "update-sync"])
def test_one_fault_at_any_request_still_completes_in_one_run(run, write, svc, update, isolated):
    import shutil

    total = requests_of_a_clean_sync(run, write, svc, update=update)
    assert total >= 5, ("the matrix covers listing pages and writes", total)
    for k in range(1, total + 1):
        for kind in KINDS:
            reset(svc)
            shutil.rmtree(isolated.parent / "state", ignore_errors=True)
            write("career.toml", PLAN)
            if update:
                assert sync(run)[0] == 0
                run("done", "milestone:a", "--on", "2027-01-20")
                svc.records[svc.carrying("milestone:b")[0]].done["milestone:b"] = None
                write("career.toml", PLAN.replace("Course", "Module"))
            svc.faults[svc.requests + k] = kind
            code, report = sync(run)
            where = f"{kind} at request {k} of {total}"
            assert code == 0, (where, report)
            assert copies(svc) == dict.fromkeys(UIDS, 1), where
            titles = {r.title for r in svc.records.values() if r.uid}
            assert not update or all("Course" not in t for t in titles), where
            if update:
                status = json.loads(run("status", "--json", "--as-of", "2027-12-31").stdout)
                done = {i["uid"] for i in status["items"] if i["done"]}
                assert {"milestone:a", "milestone:b"} <= done, where


def test_a_crash_after_any_write_loses_and_duplicates_nothing(run, write, svc, isolated):
    import shutil

    write("career.toml", PLAN)
    write("careersync.toml", CONFIG)
    writes = 5  # one create per item
    for k in range(1, writes + 1):
        reset(svc)
        shutil.rmtree(isolated.parent / "state", ignore_errors=True)
        run("done", "milestone:c", "--on", "2027-02-01")
        first_write = svc.requests + 2  # the listing (one page) and ...
        svc.faults[first_write + k - 1] = "crash"
        with pytest.raises(memory_plugin.Crash):
            run("sync", "--json")
        code, report = sync(run)
        assert code == 0, (k, report)
        assert copies(svc) == dict.fromkeys(UIDS, 1), k
        record = svc.records[svc.carrying("milestone:c")[0]]
        assert "milestone:c" in record.done, "the manual completion reached the target"
        code, report = sync(run)
        assert (report["created"], report["updated"], report["deleted"]) == (0, 0, 0), k
