"""Sync rules that hold whatever the target: failures, locking, retries, secrets, state."""

import json
import os
import sqlite3
import subprocess
import sys
import textwrap

import memory_plugin
import pytest
from conftest import plan_state

from careersync.errors import StateError, TransientError
from careersync.retry import Retrier, RetryPolicy, Unreachable
from careersync.state import State, sync_lock

TWO_TARGETS = """\
[targets.cal]
plugin = "ics"
path = "career.ics"

[targets.mem]
plugin = "memory"
"""


def sync(run, *args):
    result = run("sync", "--json", *args)
    return result.exit_code, json.loads(result.stdout)["targets"]


def test_one_failing_target_never_blocks_the_others(run, write, basic_plan, memory_registered):
    write("careersync.toml", TWO_TARGETS)
    memory_registered.fail_reads = 1
    code, targets = sync(run)
    assert code == 3
    assert targets["cal"]["created"] == 2 and targets["cal"]["error"] is None
    assert "refused the listing" in targets["mem"]["error"]
    assert targets["mem"]["created"] == 0, "nothing is written after a failed read"
    memory_registered.fail_reads = 1
    result = run("sync")
    assert result.exit_code == 3
    assert "mem: FAILED: the service refused the listing" in result.stderr


def test_every_target_failing_exits_1(run, write, basic_plan, memory_registered):
    write("careersync.toml", '[targets.mem]\nplugin = "memory"\n')
    memory_registered.fail_reads = 1
    code, _ = sync(run)
    assert code == 1


def test_one_item_never_blocks_a_target(run, write, basic_plan, memory_registered):
    write("careersync.toml", TWO_TARGETS)
    memory_registered.fail_uids = {"goal:senior"}
    code, targets = sync(run)
    assert code == 3
    mem = targets["mem"]
    assert mem["error"] is None and mem["created"] == 1
    assert mem["skipped"] == [
        {"uid": "goal:senior", "reason": "the service refused the write of goal:senior (simulated)"}
    ]
    result = run("sync")
    assert result.exit_code == 0, "the skipped item is written once the service takes it"
    assert "mem: 1 created, 0 updated, 0 deleted; 1 unchanged" in result.stdout


def test_nothing_written_at_all_exits_1(run, write, basic_plan, memory_registered):
    write("careersync.toml", '[targets.mem]\nplugin = "memory"\n')
    memory_registered.fail_writes = 10
    result = run("sync")
    assert result.exit_code == 1
    assert "mem: skipped goal:senior: the service refused the write (simulated)" in result.stderr


def test_target_option_selects(run, write, basic_plan, memory_registered):
    write("careersync.toml", TWO_TARGETS)
    code, targets = sync(run, "--target", "mem")
    assert code == 0 and list(targets) == ["mem"]
    result = run("sync", "--target", "calendr")
    assert result.exit_code == 1
    assert 'no target named "calendr" (did you mean "cal"?); targets: cal, mem' in result.stderr


def test_include_filters_kinds(run, write, basic_plan, memory_registered):
    write("careersync.toml", '[targets.mem]\nplugin = "memory"\ninclude = ["milestone"]\n')
    sync(run)
    assert {r.uid for r in memory_registered.records.values()} == {"milestone:sql-course"}


def test_transient_failures_are_retried(run, write, basic_plan, memory_registered):
    write("careersync.toml", '[targets.mem]\nplugin = "memory"\n')
    memory_registered.transient_failures = 3
    code, targets = sync(run)
    assert code == 0 and targets["mem"]["created"] == 2


def test_retry_policy_honours_retry_after_and_never_repeats_unsafe_writes():
    waits = []
    calls = []
    retry = Retrier(sleep=waits.append)

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise TransientError("429 Too Many Requests", retry_after=7)
        return "ok"

    assert retry(flaky, safe=False) == "ok", "a 429 was not applied: safe to repeat"
    assert waits == [7, 7]

    def timeout():
        calls.append(1)
        raise TransientError("timed out after sending", safe=False)

    calls.clear()
    with pytest.raises(TransientError):
        retry(timeout, safe=False)
    assert len(calls) == 1, "a write whose outcome is unknown is not repeated blindly"
    calls.clear()
    with pytest.raises(Unreachable, match="still failing after 6 tries"):
        retry(timeout)
    assert len(calls) == 6


def test_a_service_that_is_down_fails_fast():
    waits = []
    retry = Retrier(RetryPolicy(budget=20), sleep=waits.append)

    def down():
        raise TransientError("503 Service Unavailable", retry_after=15)

    with pytest.raises(Unreachable, match="gave up after waiting 15 s"):
        retry(down)
    assert waits == [15]


def test_tokens_never_appear_in_output(run, write, basic_plan, memory_registered, monkeypatch):
    secret = "tok-0123456789-secret"
    monkeypatch.setenv("CAREERSYNC_MEM_TOKEN", secret)
    write("careersync.toml", '[targets.mem]\nplugin = "memory"\n')

    def leaky(self):
        raise RuntimeError(f"HTTP 401 for Authorization: Bearer {secret}")

    monkeypatch.setattr(memory_plugin.MemoryTarget, "pull", leaky)
    result = run("sync", "--json")
    assert result.exit_code == 1
    assert secret not in result.output
    assert "Bearer ***" in result.stdout


def test_second_sync_waits_then_says_why(run, basic_plan, isolated, monkeypatch):
    monkeypatch.setenv("CAREERSYNC_LOCK_WAIT", "0.3")
    with sync_lock(plan_state(isolated)):
        result = run("sync")
    assert result.exit_code == 1
    assert "another careersync sync is running" in result.stderr
    assert run("sync").exit_code == 0


def test_concurrent_syncs_in_processes_never_corrupt_state(write, isolated):
    import shutil
    from pathlib import Path

    shutil.copy(Path(__file__).parent.parent / "examples" / "career.toml", isolated / "career.toml")
    env = {**os.environ, "CAREERSYNC_LOCK_WAIT": "30"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "careersync", "sync", "--json"],
            cwd=isolated,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    outs = [json.loads(p.communicate()[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sorted(o["targets"]["ics"]["created"] for o in outs) == [0, 0, 15]
    with State(plan_state(isolated)) as state:
        assert len(state.mappings("ics")) == 15


def test_state_file_is_private_and_versioned(run, basic_plan, isolated):
    run("sync")
    path = plan_state(isolated) / "state.sqlite"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    result = run("sync")
    assert result.exit_code == 1
    assert "made by a newer careersync (schema 99); upgrade careersync" in result.stderr
    with pytest.raises(StateError):
        State(path.parent)


def test_a_corrupt_state_file_is_a_clear_error(run, basic_plan, isolated):
    state = plan_state(isolated)
    state.mkdir(parents=True)
    (state / "state.sqlite").write_bytes(b"not a database at all" * 100)
    result = run("status")
    assert result.exit_code == 1
    assert "the state file cannot be used" in result.stderr


def test_plugins_json_lists_builtins(run):
    result = run("plugins", "--json")
    doc = json.loads(result.stdout)
    ics = next(p for p in doc["plugins"] if p["name"] == "careersync_ics")
    assert ics["targets"] == ["ics"] and ics["builtin"] is True and ics["version"]
    assert "careersync_ics" in run("plugins").stdout


ACME = """
from careersync import hookimpl
from careersync.target import Option, Remote, Target


class AcmeTarget(Target):
    plugin = "acme"
    options = (Option("board", str, help="the board name"),)

    def pull(self):
        return []


@hookimpl
def register_targets(register):
    register(AcmeTarget)
"""


@pytest.fixture
def acme_dist(tmp_path):
    """A third-party plugin installed the way pip leaves one: a package plus a dist-info."""
    site = tmp_path / "site"
    (site / "acme_careersync").mkdir(parents=True)
    (site / "acme_careersync" / "__init__.py").write_text(textwrap.dedent(ACME))
    info = site / "acme_careersync-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-careersync\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text("[careersync]\nacme = acme_careersync\n")
    return site


def run_cli(args, cwd, site, **env):
    return subprocess.run(
        [sys.executable, "-m", "careersync", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(site), **env},
    )


def test_plugin_loads_through_a_real_entry_point(acme_dist, isolated, write):
    out = run_cli(["plugins", "--json"], isolated, acme_dist)
    acme = next(p for p in json.loads(out.stdout)["plugins"] if p["name"] == "acme")
    assert acme == {
        "name": "acme",
        "version": "1.2.3",
        "builtin": False,
        "targets": ["acme"],
        "hooks": ["register_targets"],
        "missing": {},
    }
    write("career.toml", "[plan]\ntitle='T'\nstart=2027-01-04\n[goals.g]\ntitle='G 1'\nby='+1y'\n")
    write("careersync.toml", '[targets.board]\nplugin = "acme"\n')
    out = run_cli(["check"], isolated, acme_dist)
    assert out.returncode == 1
    assert 'targets.board.board: is required for plugin "acme" (the board name)' in out.stderr


def test_load_plugins_env_restricts(acme_dist, isolated):
    out = run_cli(["plugins", "--json"], isolated, acme_dist, CAREERSYNC_LOAD_PLUGINS="")
    names = [p["name"] for p in json.loads(out.stdout)["plugins"]]
    assert names == ["careersync_ics"]
    out = run_cli(["plugins", "--json"], isolated, acme_dist, CAREERSYNC_LOAD_PLUGINS="acme")
    assert "acme" in [p["name"] for p in json.loads(out.stdout)["plugins"]]


def test_auth_stores_in_keyring_and_env_overrides(
    run, write, basic_plan, memory_registered, memory_keyring, monkeypatch
):
    from careersync import secrets

    write("careersync.toml", TWO_TARGETS)
    result = run("auth", "cal")
    assert "needs no credential" in result.stdout
    monkeypatch.setattr(
        memory_plugin.MemoryTarget,
        "authenticate",
        lambda self, prompt: prompt("Token"),
        raising=False,
    )
    result = run("auth", "mem", input="s3cret-token\n")
    assert result.exit_code == 0, result.output
    assert "s3cret-token" not in result.output
    assert memory_keyring.get_password("careersync", "mem") == "s3cret-token"
    assert secrets.get("mem") == "s3cret-token"
    monkeypatch.setenv("CAREERSYNC_MEM_TOKEN", "from-env")
    assert secrets.get("mem") == "from-env"
    monkeypatch.delenv("CAREERSYNC_MEM_TOKEN")

    import keyring
    from keyring.errors import NoKeyringError

    def no_backend(*args):
        raise NoKeyringError("no backend")

    monkeypatch.setattr(keyring, "get_password", no_backend)
    assert secrets.get("mem") is None
    assert "run `careersync auth mem` or set CAREERSYNC_MEM_TOKEN" in str(secrets.missing("mem"))
    assert secrets.env_name("my-cal") == "CAREERSYNC_MY_CAL_TOKEN"


def test_dry_run_and_status_leave_nothing_behind(run, basic_plan, isolated):
    assert run("sync", "--dry-run").exit_code == 0
    assert run("status").exit_code == 0
    assert not (isolated.parent / "state").exists()
    assert sorted(p.name for p in isolated.iterdir()) == ["career.toml"]


def test_dry_run_reports_same_shape(run, write, basic_plan, memory_registered):
    write("careersync.toml", TWO_TARGETS)
    result = run("sync", "--dry-run", "--json")
    doc = json.loads(result.stdout)
    assert set(doc["targets"]["cal"]) >= {
        "created",
        "updated",
        "deleted",
        "unchanged",
        "completed",
        "error",
    }
    assert doc["targets"]["cal"]["created"] == 2
    assert memory_registered.writes == 0
    assert not (basic_plan.parent / "career.ics").exists()


def test_progress_bar_only_on_a_terminal(monkeypatch):
    import io

    from careersync.commands.sync import _progress

    assert _progress(as_json=False).enabled is False  # the test's stderr is not a terminal
    fake_tty = io.StringIO()
    fake_tty.isatty = lambda: True
    monkeypatch.setattr("sys.stderr", fake_tty)
    assert _progress(as_json=True).enabled is False
    bar = _progress(as_json=False)
    assert bar.enabled
    with bar as update:
        update("cal", 1, 2)
        update("cal", 2, 2)


def test_dry_run_and_verbose_list_each_change_and_the_guard_names_what_it_would_delete(
    run, write, basic_plan, memory_registered
):
    write("careersync.toml", '[targets.mem]\nplugin = "memory"\n')
    result = run("sync", "--dry-run")
    assert result.exit_code == 0
    assert "mem: would create 2, update 0, delete 0; 0 unchanged" in result.stdout
    assert "  create milestone:sql-course  Finish an advanced SQL course" in result.stdout
    result = run("sync")
    assert "mem: 2 created, 0 updated, 0 deleted; 0 unchanged; 0 completions pulled" in (
        result.stdout
    )
    assert "  create " not in result.stdout, "without -v the counts are enough"
    plan = basic_plan.read_text()
    write("career.toml", plan.replace("Finish an advanced SQL course", "Finish the SQL course"))
    result = run("sync", "-v")
    assert "  update milestone:sql-course  Finish the SQL course" in result.stdout
    cut = plan.split("[milestones.sql-course]")[0]
    write("career.toml", cut.replace("[goals.senior]", "[goals.junior]"))
    result = run("sync")
    assert result.exit_code == 1
    assert "would delete 2 of its 2 items (goal:senior, milestone:sql-course)" in result.stderr
