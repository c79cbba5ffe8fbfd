"""CalDAV under request-level faults, through the CLI, against a real Radicale behind a fault
injecting proxy: for each request k of a first sync and of an update sync, a 429, a 500, a
timeout, a lost answer or a crash at request k. The sync completes in one run (a crash: the
next one does), with no duplicate and no completion lost."""

from __future__ import annotations

import json
import os
import uuid

import niquests
import pytest
from fault_proxy import FaultProxy
from memory_plugin import FAULTS, Crash
from radicale_server import Radicale
from test_caldav import Phone, caldav_config
from test_gcal_faults import PLAN, TICKED, UIDS, done_in_status


@pytest.fixture(scope="module")
def radicale(tmp_path_factory):
    server = Radicale(tmp_path_factory.mktemp("radicale-faults"))
    yield server
    server.stop()


@pytest.fixture
def proxy(radicale, monkeypatch):
    proxy = FaultProxy(radicale.url)
    proxy.crash_after(niquests.Session, Crash, monkeypatch)
    yield proxy
    proxy.stop()


def sync(run) -> tuple[int, dict]:
    result = run("sync", "--json")
    return result.exit_code, json.loads(result.stdout)["targets"]["phone"]


@pytest.fixture
def setup(radicale, proxy, write, isolated, monkeypatch):
    """A fresh calendar (on one account: making an account costs the server a second) and a
    fresh home for each case; returns the phone."""
    write("career.toml", PLAN)
    monkeypatch.setenv("CAREERSYNC_PHONE_TOKEN", "any-password")
    user = f"u{uuid.uuid4().hex[:10]}"
    cases = iter(range(1000))

    def fresh() -> Phone:
        name = f"career-{next(cases)}"
        write("careersync.toml", caldav_config(proxy.url, user, calendar=name))
        monkeypatch.setenv("CAREERSYNC_HOME", str(isolated.parent / name))
        proxy.faults.clear()
        proxy.requests = 0
        return Phone(radicale.url, user, name)

    return fresh


def assert_whole(phone: Phone) -> None:
    """One calendar of the configured name, holding exactly one object per item."""
    names = [c.get_display_name() for c in phone.client.principal().calendars()]
    assert names.count(phone.calendar_name) == 1, names
    found = phone.items()
    assert set(found) == UIDS and all(len(titles) == 1 for titles in found.values()), found


def faulted(run, kind: str) -> None:
    if kind == "crash":
        with pytest.raises(Crash):
            run("sync", "--json")
    code, report = sync(run)
    assert (code, report["error"], report["skipped"]) == (0, None, []), report["error"]


@pytest.mark.parametrize("kind", FAULTS)
def test_a_fault_at_any_request_of_a_first_sync(run, setup, proxy, kind):
    setup()
    sync(run)
    total = proxy.requests
    assert total >= 6
    for k in range(1, total + 1):
        phone = setup()
        proxy.faults[k] = kind
        faulted(run, kind)
        assert_whole(phone)
        code, report = sync(run)
        assert (code, report["created"], report["updated"], report["deleted"]) == (0, 0, 0, 0)


@pytest.mark.parametrize("kind", FAULTS)
def test_a_fault_at_any_request_of_an_update_sync(run, setup, proxy, isolated, kind):
    plan = isolated / "career.toml"
    renamed = PLAN.replace("Start a senior role", "Start a senior analyst role")

    def prepared() -> Phone:
        plan.write_text(PLAN)
        phone = setup()
        sync(run)
        for key in TICKED:
            phone.complete(key)
        assert run("done", "goal:senior", "--on", "2027-02-01").exit_code == 0
        plan.write_text(renamed)
        proxy.requests = 0
        return phone

    prepared()
    sync(run)
    total = proxy.requests
    assert total >= 3
    for k in range(1, total + 1):
        phone = prepared()
        proxy.faults[k] = kind
        faulted(run, kind)
        assert_whole(phone)
        assert done_in_status(run) == TICKED | {"goal:senior"}
        assert phone.items()["goal:senior"] == ["✓ Start a senior analyst role"]
        assert {"goal:senior"} | TICKED <= phone.shown()
        code, report = sync(run)
        assert (code, report["updated"], report["completed"], report["cleared"]) == (0, 0, 0, 0)


def test_two_calendars_of_the_name_use_the_one_holding_careersync_items(
    run, setup, isolated, monkeypatch
):
    """A second machine (no state, no cache) finds two calendars of the configured name."""
    phone = setup()
    sync(run)
    phone.client.principal().make_calendar(name=phone.calendar_name, cal_id="0-second")
    monkeypatch.setenv("CAREERSYNC_HOME", str(isolated.parent / "second-machine"))
    code, report = sync(run)
    assert (code, report["created"], report["unchanged"]) == (0, 0, 3), report
    assert f"2 calendars are named {phone.calendar_name!r}" in report["warnings"][0]


def test_two_homes_creating_at_the_same_moment_leave_no_duplicate(
    run, setup, proxy, isolated, monkeypatch
):
    """Home B makes the calendar and lists it empty; home A then syncs everything before B's
    first write."""
    phone = setup()
    home_b = os.environ["CAREERSYNC_HOME"]
    home_a = home_b + "-a"
    first: list[tuple[int, dict]] = []

    def home_a_syncs() -> None:  # runs in the proxy's thread: the outcome is checked below
        monkeypatch.setenv("CAREERSYNC_HOME", home_a)
        first.append(sync(run))
        monkeypatch.setenv("CAREERSYNC_HOME", home_b)

    proxy.before["PUT"] = home_a_syncs
    code, report = sync(run)
    assert (code, report["error"]) == (0, None), report
    ((code_a, report_a),) = first
    assert (code_a, report_a["created"]) == (0, 3), report_a
    assert_whole(phone)
    for home in (home_a, home_b):
        monkeypatch.setenv("CAREERSYNC_HOME", home)
        code, report = sync(run)
        assert (code, report["created"], report["duplicates"]) == (0, 0, 0), report
    assert_whole(phone)
