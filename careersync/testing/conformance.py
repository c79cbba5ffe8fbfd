"""The conformance suite every target plugin must pass, run through the CLI as a person would.

A plugin's tests reuse it in a few lines: subclass :class:`TargetConformance` and provide a
``harness`` fixture returning a :class:`Harness` for that target (docs/plugins.md). It needs
the fixtures of :mod:`careersync.testing` (``pytest_plugins = ["careersync.testing"]``).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest

from careersync.api import PlanHome, TargetContext, expand_occurrences, plan_items

PLAN = """\
[plan]
title = "Conformance"
start = 2027-01-04
timezone = "Europe/London"

[goals.senior]
title = "Start a senior data analyst role"
by = "+12m"
measure = "Signed offer"
why = "Growth"

[milestones.sql-course]
title = "Finish an advanced SQL course"
by = "+3m"

[milestones.portfolio]
title = "Publish three portfolio case studies"
after = ["sql-course"]
by = "+9m"

[milestones.talk]
title = "Give a talk at the meetup"
by = "+6m"

[habits.practice]
title = "SQL practice"
every = "week"
on = "sat"
at = "10:00"
duration = "2h"
until = "+2m"

[reviews]
quarterly = { duration = "2h" }
"""


@dataclass
class Harness:
    """How the suite sees one target's remote side.

    ``target``: the ``[targets.<name>]`` table (without the name); ``items()``: uid -> list of
    remote titles for items carrying a careersync uid; ``snapshot()``: a value that changes
    whenever anything is written; ``complete(key)``: the person marks ``key`` done there;
    ``failing_writes()``: a context in which the target's writes fail.
    """

    target: dict
    items: Callable[[], dict[str, list[str]]]
    snapshot: Callable[[], object]
    complete: Callable[[str], None]
    failing_writes: Callable[[], AbstractContextManager]
    name: str = "t"
    #: for targets that send recurring items as one item per occurrence (Notion): the horizon
    horizon: int | None = None
    #: the completion keys the target shows as done now
    shown: Callable[[], set[str]] | None = None
    #: the person removes the done mark of ``key`` there (unticks a box, removes a ✓)
    uncomplete: Callable[[str], None] | None = None
    #: False when the target cannot show one occurrence of a recurring item as done (a
    #: recurring Todoist task): occurrence marks then neither show nor clear there
    occurrences_shown: bool = True


def _config(harness: Harness) -> str:
    lines = [f"[targets.{harness.name}]"]
    for key, value in harness.target.items():
        lines.append(f"{key} = {json.dumps(value)}")
    return 'plan = "career.toml"\n\n' + "\n".join(lines) + "\n"


class TargetConformance:
    """Behaviour every target must show (SPEC section 6)."""

    @pytest.fixture(autouse=True)
    def _contexts(self, target_contexts: list[TargetContext]) -> None:
        self.contexts = target_contexts

    def synced_on(self, harness: Harness) -> dt.date:
        """The day the last sync ran on, as the engine told the target (its context)."""
        days = [c.today for c in self.contexts if c.name == harness.name]
        assert days, (
            f"no command has built target {harness.name!r} yet (or its __init__ does not call "
            "super().__init__, where the context is recorded)"
        )
        return days[-1]

    def expected(self, harness: Harness, plan: str = PLAN) -> set[str]:
        """The uids the target should hold for ``plan``."""
        items = plan_items(plan)
        if harness.horizon is not None:
            items = expand_occurrences(items, self.synced_on(harness), harness.horizon)
        return {i.uid for i in items}

    def setup_files(self, write, harness: Harness) -> None:
        write("career.toml", PLAN)
        write("careersync.toml", _config(harness))

    def sync(self, run, *args: str) -> tuple[int, dict]:
        result = run("sync", "--json", *args)
        return result.exit_code, json.loads(result.stdout)

    def counts(self, doc: dict, harness: Harness) -> dict:
        return doc["targets"][harness.name]

    def test_create(self, run, write, harness):
        self.setup_files(write, harness)
        code, doc = self.sync(run)
        report = self.counts(doc, harness)
        assert code == 0, report
        assert report["created"] == len(self.expected(harness)) and report["error"] is None
        items = harness.items()
        assert set(items) == self.expected(harness)
        assert all(len(titles) == 1 for titles in items.values())

    def test_noop_sync_writes_nothing(self, run, write, harness):
        self.setup_files(write, harness)
        self.sync(run)
        before = harness.snapshot()
        code, doc = self.sync(run)
        report = self.counts(doc, harness)
        assert code == 0
        assert (report["created"], report["updated"], report["deleted"]) == (0, 0, 0)
        assert report["unchanged"] == len(self.expected(harness))
        assert harness.snapshot() == before

    def test_update(self, run, write, harness, isolated):
        self.setup_files(write, harness)
        self.sync(run)
        plan = (isolated / "career.toml").read_text()
        write("career.toml", plan.replace("Give a talk at the meetup", "Give a talk at PyData"))
        code, doc = self.sync(run)
        assert code == 0
        assert self.counts(doc, harness)["updated"] == 1
        assert any("PyData" in t for t in harness.items()["milestone:talk"])

    def test_delete(self, run, write, harness, isolated):
        self.setup_files(write, harness)
        self.sync(run)
        plan = (isolated / "career.toml").read_text()
        write(
            "career.toml",
            plan.replace(
                '[milestones.talk]\ntitle = "Give a talk at the meetup"\nby = "+6m"\n', ""
            ),
        )
        code, doc = self.sync(run)
        assert code == 0
        assert self.counts(doc, harness)["deleted"] == 1
        assert "milestone:talk" not in harness.items()

    def test_delete_guard(self, run, write, harness, isolated):
        self.setup_files(write, harness)
        self.sync(run)
        plan = (isolated / "career.toml").read_text()
        cut = plan.split("[milestones.sql-course]")[0]
        write("career.toml", cut)
        code, doc = self.sync(run)
        assert code == 1
        assert "--force" in self.counts(doc, harness)["error"]
        assert set(harness.items()) == self.expected(harness)
        code, doc = self.sync(run, "--force")
        assert code == 0
        assert set(harness.items()) == {"goal:senior"}

    def test_adopt_after_state_is_lost(self, run, write, harness, careersync_home):
        self.setup_files(write, harness)
        self.sync(run)
        before = harness.snapshot()
        shutil.rmtree(careersync_home)
        code, doc = self.sync(run)
        report = self.counts(doc, harness)
        assert code == 0
        assert report["created"] == 0
        assert report["unchanged"] == len(self.expected(harness))
        assert harness.snapshot() == before
        assert all(len(titles) == 1 for titles in harness.items().values())

    def test_pull_completion(self, run, write, harness):
        self.setup_files(write, harness)
        self.sync(run)
        harness.complete("milestone:sql-course")
        harness.complete("habit:practice@2027-01-16")
        code, doc = self.sync(run)
        assert code == 0
        assert self.counts(doc, harness)["completed"] == 2
        status = json.loads(run("status", "--json", "--as-of", "2027-12-31").stdout)
        done = {i["uid"]: i for i in status["items"] if i["done"]}
        assert set(done) == {"milestone:sql-course", "habit:practice@2027-01-16"}
        assert {i["source"] for i in done.values()} == {harness.name}
        again = harness.snapshot()
        code, doc = self.sync(run)
        assert self.counts(doc, harness)["completed"] == 0
        assert harness.snapshot() == again

    def test_dry_run_touches_nothing(self, run, write, harness, isolated):
        self.setup_files(write, harness)
        self.sync(run)
        plan = (isolated / "career.toml").read_text()
        write("career.toml", plan.replace("Give a talk at the meetup", "Give a talk at PyData"))
        harness.complete("milestone:sql-course")
        before = harness.snapshot()
        state_file = PlanHome.of(isolated / "career.toml").state_file
        state = state_file.read_bytes()
        code, doc = self.sync(run, "--dry-run")
        report = self.counts(doc, harness)
        assert code == 0
        assert report["updated"] >= 1 and report["completed"] == 1
        assert harness.snapshot() == before
        assert state_file.read_bytes() == state
        status = json.loads(run("status", "--json", "--as-of", "2027-12-31").stdout)
        assert not any(i["done"] for i in status["items"])

    def test_failing_write_leaves_state_consistent(self, run, write, harness, isolated):
        self.setup_files(write, harness)
        with harness.failing_writes():
            code, doc = self.sync(run)
        report = self.counts(doc, harness)
        assert code in (1, 3), "failed writes are never a success"
        assert report["error"] or report["skipped"], report
        code, doc = self.sync(run)
        assert code == 0, doc
        items = harness.items()
        assert set(items) == self.expected(harness)
        assert all(len(titles) == 1 for titles in items.values())
        code, doc = self.sync(run)
        report = self.counts(doc, harness)
        assert (report["created"], report["updated"], report["deleted"]) == (0, 0, 0)

    # ticks and unticks (issue: a tick on an occurrence must never be reverted) ------------

    def assert_quiet(self, run, harness: Harness) -> None:
        """A sync that finds nothing to do writes nothing (twice, so a flip-flop shows)."""
        for _ in range(2):
            before = harness.snapshot()
            code, doc = self.sync(run)
            report = self.counts(doc, harness)
            assert code == 0, report
            assert (report["created"], report["updated"], report["deleted"]) == (0, 0, 0), report
            assert harness.snapshot() == before

    def done_in_status(self, run) -> set[str]:
        doc = json.loads(run("status", "--json", "--as-of", "2027-12-31").stdout)
        return {i["uid"] for i in doc["items"] if i["done"]}

    def test_ticks_survive_and_unticks_clear(self, run, write, harness):
        assert harness.shown is not None and harness.uncomplete is not None, (
            "the harness must provide shown() and uncomplete()"
        )
        self.setup_files(write, harness)
        self.sync(run)
        occurrence = "habit:practice@2027-01-16"
        harness.complete("milestone:sql-course")
        harness.complete(occurrence)
        code, doc = self.sync(run)
        report = self.counts(doc, harness)
        assert code == 0 and report["completed"] == 2, report
        assert (report["created"], report["deleted"]) == (0, 0), report
        self.assert_quiet(run, harness)
        assert "milestone:sql-course" in harness.shown()
        assert {"milestone:sql-course", occurrence} <= self.done_in_status(run)
        if harness.occurrences_shown:
            assert occurrence in harness.shown()
            harness.uncomplete(occurrence)
            code, doc = self.sync(run)
            assert self.counts(doc, harness)["cleared"] == 1
            assert occurrence not in self.done_in_status(run)
            self.assert_quiet(run, harness)
        harness.uncomplete("milestone:sql-course")
        code, doc = self.sync(run)
        assert self.counts(doc, harness)["cleared"] >= 1
        assert "milestone:sql-course" not in self.done_in_status(run)
        self.assert_quiet(run, harness)

    def test_done_and_undo_show_on_the_target(self, run, write, harness):
        assert harness.shown is not None
        self.setup_files(write, harness)
        self.sync(run)
        keys = ["milestone:talk"]
        if harness.occurrences_shown:
            keys.append("habit:practice@2027-01-23")
        for key in keys:
            assert run("done", key, "--on", "2027-01-23").exit_code == 0
        code, doc = self.sync(run)
        report = self.counts(doc, harness)
        assert code == 0 and report["completed"] == 0, report
        assert set(keys) <= harness.shown()
        self.assert_quiet(run, harness)
        assert set(keys) <= self.done_in_status(run)
        for key in keys:
            assert run("undo", key).exit_code == 0
        code, doc = self.sync(run)
        report = self.counts(doc, harness)
        assert code == 0 and report["completed"] == 0, report
        assert not set(keys) & harness.shown()
        assert not set(keys) & self.done_in_status(run)
        self.assert_quiet(run, harness)
