"""A hypothesis state machine over the sync engine and the in-memory target.

Random plan edits, completions and deletions made by the person on the target, lost state,
failing writes, request-level faults (429, 500, timeouts, answers lost after the write was
applied), crashes between a remote write and the state update, and a second home syncing the
same service at the same moment. After every sync that reports no error and skips nothing: each
plan item exists exactly once on the target, no completion was lost, and nothing without a
careersync uid was touched. A sync under transient faults alone always completes.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import memory_plugin
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from careersync import plan as plan_module
from careersync import schedule
from careersync.config import TargetConfig
from careersync.state import Completion, State
from careersync.sync import completion_keys, run
from careersync.target import TargetContext

MILESTONES = [f"m{i}" for i in range(6)]
HABIT_DAYS = ("2027-01-04", "2027-01-11", "2027-01-18")
UIDS = [*(f"milestone:{m}" for m in MILESTONES), "goal:g", "habit:h"]
KEYS = [*UIDS[:-1], *(f"habit:h@{d}" for d in HABIT_DAYS)]
TODAY = dt.date(2027, 6, 1)


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp())
        self.state = State(self.dir / "state")
        self.service = memory_plugin.Service()
        memory_plugin.SERVICES["machine"] = self.service
        self.present = set(MILESTONES[:3])
        self.titles = {m: f"Milestone {m}" for m in MILESTONES}
        self.foreign = memory_plugin.Record(None, "A person's own task")
        self.service.records["foreign-1"] = self.foreign
        self.kept: dict[str, str] = {}  # completions that must survive: key -> source
        self.undone: set[str] = set()  # cleared by undo: must not come back by themselves
        self.crash = False
        self.transient = False  # faults are queued for the next sync (it must still complete)
        self.other = State(self.dir / "other-home")
        self.workers = 1
        self.settled = False  # the last sync succeeded and nothing changed since

    def teardown(self) -> None:
        self.state.close()
        self.other.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def items(self):
        data = {
            "plan": {"title": "T", "start": dt.date(2027, 1, 4), "timezone": "UTC"},
            "goals": {"g": {"title": "Goal 1", "by": "+12m"}},
            "milestones": {m: {"title": self.titles[m], "by": "+3m"} for m in sorted(self.present)},
            "habits": {"h": {"title": "H", "every": "week", "on": "mon", "until": "+2w"}},
        }
        return schedule.items(plan_module.parse(data))

    # the person's plan -------------------------------------------------------------------

    @rule(m=st.sampled_from(MILESTONES))
    def toggle_milestone(self, m):
        self.settled = False
        if m in self.present:
            self.present.discard(m)
            for key in [k for k in self.kept if k == f"milestone:{m}"]:
                del self.kept[key]
        else:
            self.present.add(m)

    @rule(m=st.sampled_from(MILESTONES), n=st.integers(0, 3))
    def rename(self, m, n):
        self.settled = False
        self.titles[m] = f"Milestone {m} v{n}"

    # the person on the target ------------------------------------------------------------

    def _records(self, uid: str) -> list[memory_plugin.Record]:
        return [r for r in self.service.records.values() if r.uid == uid]

    @rule(key=st.sampled_from(KEYS))
    def complete_remotely(self, key):
        self.settled = False
        for record in self._records(key.split("@")[0]):
            record.done[key] = None
            self.undone.discard(key)

    @rule(key=st.sampled_from(KEYS))
    def untick_remotely(self, key):
        self.settled = False
        for record in self._records(key.split("@")[0]):
            if record.done.pop(key, "absent") != "absent" and self.kept.get(key) == "mem":
                del self.kept[key]

    @rule(uid=st.sampled_from(UIDS))
    def delete_remotely(self, uid):
        self.settled = False
        for rid in [rid for rid, r in self.service.records.items() if r.uid == uid]:
            del self.service.records[rid]

    # careersync's own commands -----------------------------------------------------------

    @rule(key=st.sampled_from(KEYS))
    def done_by_hand(self, key):
        self.settled = False
        if key not in completion_keys(self.items()):
            return
        self.state.add_completion(Completion(key, TODAY, "manual"))  # as `careersync done` does
        self.undone.discard(key)
        self.kept[key] = "manual"

    @rule(data=st.data())
    def undo(self, data):
        self.settled = False
        done = sorted(self.state.completions())
        if done:
            key = data.draw(st.sampled_from(done))
            self.state.remove_completion(key, ["mem"])
            self.kept.pop(key, None)
            self.undone.add(key)

    # failures ----------------------------------------------------------------------------

    @rule()
    def lose_state(self):
        self.state.close()
        shutil.rmtree(self.dir / "state")
        self.state = State(self.dir / "state")
        self.kept.clear()
        self.undone.clear()

    @rule(uids=st.sets(st.sampled_from(UIDS), min_size=1, max_size=3))
    def fail_writes(self, uids):
        self.settled = False
        self.service.fail_uids = set(uids)

    @rule(workers=st.sampled_from([1, 4]))
    def write_in_parallel(self, workers):
        self.workers = workers

    @rule()
    def crash_after_next_write(self):
        self.settled = False
        self.crash = True

    # sync --------------------------------------------------------------------------------

    @rule(
        faults=st.lists(
            st.tuples(st.integers(1, 12), st.sampled_from(["429", "500", "timeout", "lost"])),
            min_size=1,
            max_size=3,
        )
    )
    def faults_in_next_sync(self, faults):
        """At most three faults in the next sync (fewer than the retrier's tries, so even
        when they hit one request in a row it still goes through)."""
        self.transient = True
        self.service.faults.clear()
        for k, kind in faults:
            self.service.faults[self.service.requests + k] = kind

    def target(self):
        options = {"store": "machine", "workers": self.workers}
        cfg = TargetConfig("mem", "memory", options)
        context = TargetContext("mem", self.dir, "UTC", TODAY)
        return cfg, memory_plugin.MemoryTarget(options, context), options

    @rule()
    def two_homes_at_once(self):
        """Another machine syncs the same service at the same moment: both read before
        either writes, so both create what is missing. One further sync from each heals it."""
        from careersync.sync import Engine, Report

        self.settled = False
        # An undo made on this machine may be re-asserted by the other one when it read the
        # mark before this machine removed it (no conditional writes on the memory service):
        # known and documented; the race must still never duplicate or lose anything.
        self.undone.clear()
        items = self.items()
        engines = []
        for state in (self.state, self.other):
            cfg, target, options = self.target()
            engine = Engine(items, state, today=TODAY, force=True)
            report = Report()
            remotes = engine.pull("mem", target, report)
            engines.append((engine, cfg, target, options, remotes, report))
        for engine, cfg, target, options, remotes, report in engines:
            engine.sync_target("mem", target, cfg, options, remotes, report)
        self._record_pulled()
        for state in (self.other, self.state, self.other):
            cfg, target, options = self.target()
            report = run(items, [(cfg, target, options)], state, today=TODAY, force=True)["mem"]
            assert report.error is None and not report.skipped, report
        self._record_pulled()
        self.assert_each_item_once(items)

    def _record_pulled(self):
        valid = completion_keys(self.items())
        for key, c in self.state.completions().items():
            if key in valid:
                self.kept.setdefault(key, c.source)

    def assert_each_item_once(self, items):
        on_target: dict[str, int] = {}
        for r in self.service.records.values():
            if r.uid:
                on_target[r.uid] = on_target.get(r.uid, 0) + 1
        assert on_target == {i.uid: 1 for i in items}

    @rule(force=st.booleans())
    def sync(self, force):
        items = self.items()
        cfg, target, options = self.target()
        original = self.state.put_mappings
        crashed = self.crash
        if self.crash:
            self.crash = False

            calls = []

            def crash(*args, **kwargs):
                """The first record (adoptions) goes through; the power fails before the
                first remote write is recorded."""
                calls.append(1)
                if len(calls) > 1:
                    raise RuntimeError("power cut")
                return original(*args, **kwargs)

            self.state.put_mappings = crash
        writes_before = self.service.writes
        try:
            reports = run(
                items,
                [(cfg, target, options)],
                self.state,
                today=TODAY,
                force=force,
            )
        finally:
            self.state.put_mappings = original
        report = reports["mem"]
        completions = self.state.completions()
        for key in list(self.kept):
            assert key in completions, f"completion {key} was lost"
        valid = completion_keys(items)
        for key, c in completions.items():
            if key in valid:
                self.kept.setdefault(key, c.source)
        assert not self.undone & set(completions), "an undone completion came back"
        if self.settled:  # nothing changed since a clean sync (a lost state included)
            assert report.error is None, f"a sync with nothing to do failed: {report.error}"
            assert self.service.writes == writes_before, "a sync with nothing to do wrote"
        guarded = not force and "run `careersync sync --force`" in (report.error or "")
        if self.transient and not self.service.fail_uids and not crashed and not guarded:
            assert report.error is None, f"transient faults stopped the sync: {report.error}"
        self.transient = False
        self.service.faults.clear()
        clean = report.error is None and not report.skipped
        self.settled = clean
        if clean:
            self.assert_each_item_once(items)

    @invariant()
    def foreign_item_untouched(self):
        assert self.service.records.get("foreign-1") is self.foreign
        assert self.foreign.title == "A person's own task" and self.foreign.done == {}

    @invariant()
    def completions_are_valid_dates(self):
        for c in self.state.completions().values():
            assert isinstance(c.done_on, dt.date)


SyncMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=30, deadline=None)
TestSync = SyncMachine.TestCase
