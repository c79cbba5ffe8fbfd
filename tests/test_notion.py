"""The Notion target through the real notion-client, against a stateful fake of API 2025-09-03."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from notion_fake import FakeNotion

from careersync.errors import TargetError
from careersync.testing import Harness, TargetConformance

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"
FULL_SCHEMA = {
    "Due": {"date": {}},
    "Done": {"checkbox": {}},
    "Kind": {"select": {}},
    "Goal": {"select": {}},
    "CareerSync ID": {"rich_text": {}},
    "Done on": {"date": {}},
}


@pytest.fixture
def notion(monkeypatch) -> FakeNotion:
    import careersync_notion.target

    fake = FakeNotion()
    monkeypatch.setattr(careersync_notion.target, "HTTP_TRANSPORT", fake.transport())
    for name in ("T", "BOARD"):
        monkeypatch.setenv(f"CAREERSYNC_{name}_TOKEN", fake.token)
    return fake


def writes(fake: FakeNotion) -> int:
    return sum(
        1
        for method, path, _ in fake.requests
        if method == "PATCH" or (method, path) == ("POST", "/pages")
    )


class TestNotionConformance(TargetConformance):
    @pytest.fixture
    def harness(self, notion) -> Harness:
        db = notion.add_database(properties=FULL_SCHEMA)

        @contextlib.contextmanager
        def failing():
            notion.fail_next(400, "validation_error", count=20, method="POST")
            yield
            notion.failures.clear()

        return Harness(
            {"plugin": "notion", "database": db, "rate": 1000},
            notion.live,
            lambda: writes(notion),
            notion.tick,
            failing,
            horizon=90,
            shown=lambda: {
                u for u in notion.live() if notion.page_by_uid(u)["properties"]["Done"]["checkbox"]
            },
            uncomplete=lambda uid: notion.tick(uid, done=False),
        )


def config(db: str, **extra) -> str:
    lines = [
        "[targets.board]",
        'plugin = "notion"',
        f'database = "https://www.notion.so/me/Career-{db.replace("-", "")}?v=1"',
        "rate = 1000",
    ]
    lines += [f"{k} = {json.dumps(v)}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def example(isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    return isolated


def sync(run, *args):
    result = run("sync", "--json", *args)
    return result.exit_code, json.loads(result.stdout)["targets"]["board"]


def status_items(run):
    return {
        i["uid"]: i
        for i in json.loads(run("status", "--json", "--as-of", "2029-01-04").stdout)["items"]
    }


def test_missing_properties_are_added_with_consent(run, write, example, notion):
    db = notion.add_database()
    write("careersync.toml", config(db))
    code, report = sync(run, "--dry-run")
    assert code == 0 and report["created"] > 0
    assert set(notion.source_of(db)["properties"]) == {"Name"}, "dry-run changes no schema"
    code, report = sync(run)
    assert code == 1
    assert (
        "the Notion database lacks Due (date), Done (checkbox), Kind (select), Goal (select), CareerSync ID (rich_text): run `careersync sync --yes`"
        in report["error"]
    )
    code, report = sync(run, "--yes")
    assert code == 0 and report["created"] == len(notion.live())
    props = notion.source_of(db)["properties"]
    assert {n: p["type"] for n, p in props.items()} == {
        "Name": "title",
        "Due": "date",
        "Done": "checkbox",
        "Kind": "select",
        "Goal": "select",
        "CareerSync ID": "rich_text",
    }
    assert {o["name"] for o in props["Kind"]["select"]["options"]} >= {
        "goal",
        "milestone",
        "habit",
        "contact",
        "review",
    }


def test_what_cannot_be_fixed_is_explained(run, write, example, notion):
    db = notion.add_database(properties={**FULL_SCHEMA, "Due": {"rich_text": {}}})
    write("careersync.toml", config(db, status_property="Stage"))
    code, report = sync(run, "--yes")
    assert code == 1
    assert (
        "property 'Due' is rich_text, careersync needs date: change its type in Notion, or set due_property"
        in report["error"]
    )
    assert (
        "status property 'Stage' is missing, and Notion's API cannot create one" in report["error"]
    )


def test_pages_occurrences_and_properties(run, write, example, notion):
    db = notion.add_database(properties=FULL_SCHEMA)
    write("careersync.toml", config(db))
    code, report = sync(run)
    assert code == 0, report
    uids = set(notion.live())
    assert {"milestone:sql-course", "goal:senior", "habit:practice@2027-01-09"} <= uids
    horizon_end = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    assert all(u.split("@")[1] <= horizon_end for u in uids if "@" in u)
    assert "habit:practice" not in uids
    page = notion.page_by_uid("habit:practice@2027-01-09")["properties"]
    assert page["Due"]["date"] == {
        "start": "2027-01-09T10:00:00",
        "end": "2027-01-09T12:00:00",
        "time_zone": "Europe/London",
    }
    assert page["Kind"]["select"]["name"] == "habit"
    assert page["Goal"]["select"]["name"] == "Pass the Google Advanced Data Analytics certificate"
    sql = notion.page_by_uid("milestone:sql-course")["properties"]
    assert sql["Due"]["date"] == {"start": "2027-04-04", "end": None, "time_zone": None}
    assert sql["Done"]["checkbox"] is False


def test_occurrence_pages_are_created_as_the_window_moves(notion, tmp_path):
    import tomllib

    from careersync_notion.target import NotionTarget

    from careersync import plan as plan_module
    from careersync import schedule
    from careersync.config import TargetConfig
    from careersync.state import State
    from careersync.sync import run
    from careersync.target import TargetContext

    db = notion.add_database(properties=FULL_SCHEMA)
    plan = plan_module.parse(
        tomllib.loads(
            '[plan]\ntitle="T"\nstart=2027-01-04\ntimezone="UTC"\n[goals.g]\ntitle="Goal 1"\nby="+1y"\n'
            '[habits.h]\ntitle="H"\nevery="week"\non="mon"\n'
        )
    )
    items = schedule.items(plan)
    options = NotionTarget.validate("n", {"database": db, "rate": 1000, "horizon": 14})
    with State(tmp_path / "state") as state:
        for today, pages in (
            (dt.date(2026, 12, 21), 1),
            (dt.date(2027, 1, 4), 3),
            (dt.date(2027, 2, 1), 7),
        ):
            context = TargetContext("n", tmp_path, "UTC", today, secret=lambda: notion.token)
            reports = run(
                items,
                [(TargetConfig("n", "notion", options), NotionTarget(options, context), options)],
                state,
                today=today,
            )
            assert reports["n"].error is None
            assert len([u for u in notion.live() if u.startswith("habit:h@")]) == pages, today


def test_ticked_and_unticked_with_done_on(run, write, example, notion):
    db = notion.add_database(properties=FULL_SCHEMA)
    write("careersync.toml", config(db))
    sync(run)
    notion.tick("milestone:sql-course")
    notion.page_by_uid("milestone:sql-course")["properties"]["Done on"]["date"] = {
        "start": "2027-03-18",
        "end": None,
        "time_zone": None,
    }
    notion.tick("milestone:exam")
    code, report = sync(run)
    assert (code, report["completed"]) == (0, 2), report
    items = status_items(run)
    assert items["milestone:sql-course"]["done_on"] == "2027-03-18"
    assert items["milestone:exam"]["done_on"] == dt.date.today().isoformat()
    assert items["milestone:exam"]["source"] == "board"
    notion.tick("milestone:sql-course", False)
    code, report = sync(run)
    assert report["cleared"] == 1
    assert not status_items(run)["milestone:sql-course"]["done"]


def test_a_status_workflow(run, write, example, notion):
    stages = {
        "status": {"options": [{"name": "Not started"}, {"name": "Doing"}, {"name": "Shipped"}]}
    }
    db = notion.add_database(properties={**FULL_SCHEMA, "Stage": stages})
    write("careersync.toml", config(db, status_property="Stage", done_statuses=["Shipped"]))
    sync(run)
    exam = notion.page_by_uid("milestone:exam")["properties"]
    exam["Stage"]["status"] = {"id": "x", "name": "Shipped", "color": "green"}
    notion.tick("milestone:sql-course")  # the checkbox only mirrors the status here
    code, report = sync(run)
    assert (code, report["completed"]) == (0, 1), report
    assert status_items(run)["milestone:exam"]["done"]
    assert notion.page_by_uid("milestone:exam")["properties"]["Done"]["checkbox"] is True
    run("done", "milestone:portfolio", "--on", "2027-12-01")
    sync(run)
    assert (
        notion.page_by_uid("milestone:portfolio")["properties"]["Stage"]["status"]["name"]
        == "Shipped"
    )
    run("undo", "milestone:portfolio")
    sync(run)
    assert (
        notion.page_by_uid("milestone:portfolio")["properties"]["Stage"]["status"]["name"]
        == "Not started"
    )
    notion.page_by_uid("milestone:exam")["properties"]["Stage"]["status"] = {
        "id": "y",
        "name": "Doing",
        "color": "blue",
    }
    code, report = sync(run)
    assert report["cleared"] == 1
    assert not status_items(run)["milestone:exam"]["done"]


def test_unknown_done_status_is_explained(run, write, example, notion):
    stages = {"status": {"options": [{"name": "Todo"}, {"name": "Complete"}]}}
    db = notion.add_database(properties={**FULL_SCHEMA, "Stage": stages})
    write("careersync.toml", config(db, status_property="Stage"))
    code, report = sync(run)
    assert (
        code == 1
        and "done_statuses ['Done'] are not options of 'Stage' (Complete, Todo)" in report["error"]
    )


def test_deletions_go_to_the_trash(run, write, example, notion):
    db = notion.add_database(properties=FULL_SCHEMA)
    write("careersync.toml", config(db))
    sync(run)
    page = notion.page_by_uid("milestone:applications")
    plan = (example / "career.toml").read_text()
    cut = (
        plan.split("[milestones.applications]")[0]
        + "[habits.practice]"
        + plan.split("[habits.practice]")[1]
    )
    (example / "career.toml").write_text(cut)
    code, report = sync(run)
    assert (code, report["deleted"]) == (0, 1)
    assert page["id"] in notion.pages and notion.pages[page["id"]]["in_trash"] is True


def test_lost_state_adopts_without_writes(run, write, example, notion, isolated):
    db = notion.add_database(properties=FULL_SCHEMA)
    write("careersync.toml", config(db))
    sync(run)
    before = writes(notion)
    shutil.rmtree(isolated.parent / "state")
    code, report = sync(run)
    assert (code, report["created"]) == (0, 0)
    assert writes(notion) == before


def test_a_database_not_shared_with_the_integration(run, write, example, notion):
    db = notion.add_database(properties=FULL_SCHEMA, shared=False)
    write("careersync.toml", config(db))
    result = run("sync")
    assert result.exit_code == 1
    assert "Notion cannot show target 'board' the database" in result.stderr
    assert "Connections and add your integration" in result.stderr


def test_a_bad_token(run, write, example, notion, monkeypatch):
    db = notion.add_database(properties=FULL_SCHEMA)
    write("careersync.toml", config(db))
    monkeypatch.setenv("CAREERSYNC_BOARD_TOKEN", "secret_wrong_one")
    result = run("sync")
    assert (
        "Notion refused the token for target 'board': run `careersync auth board`" in result.stderr
    )
    assert "secret_wrong_one" not in result.output


def test_429_honours_retry_after(run, write, example, notion, monkeypatch):
    import careersync.retry

    waits = []
    monkeypatch.setattr(careersync.retry, "pause", waits.append)
    db = notion.add_database(properties=FULL_SCHEMA)
    write("careersync.toml", config(db))
    notion.fail_next(429, "rate_limited", retry_after=2, count=2)
    code, report = sync(run)
    assert code == 0 and waits == [2, 2]


def test_bad_database_option(run, write, basic_plan):
    write("careersync.toml", '[targets.board]\nplugin = "notion"\ndatabase = "my career"\n')
    result = run("check")
    assert result.exit_code == 1
    assert "targets.board.database: 'my career' is not a Notion database URL or id" in result.stderr


def test_database_ids_from_urls():
    from careersync_notion.target import database_id

    expected = "0123abcd-0123-4567-89ab-0123456789ab"
    assert (
        database_id("https://www.notion.so/me/Career-plan-0123abcd0123456789ab0123456789ab?v=ffff")
        == expected
    )
    assert database_id("0123abcd0123456789ab0123456789ab") == expected
    assert database_id(expected) == expected
    assert database_id("Career plan") is None


def test_token_bucket_keeps_three_a_second_on_a_fake_clock():
    from careersync_notion.ratelimit import TokenBucket

    now = [0.0]
    stamps = []

    def sleep(seconds):
        now[0] += seconds

    bucket = TokenBucket(3, burst=3, clock=lambda: now[0], sleep=sleep)
    for _ in range(30):
        bucket.acquire()
        stamps.append(now[0])
    assert stamps[:3] == [0.0, 0.0, 0.0], "a burst of three goes at once"
    assert stamps[-1] == pytest.approx(9.0)
    for i in range(len(stamps)):
        for j in range(i, len(stamps)):
            allowed = 3 + 3 * (stamps[j] - stamps[i]) + 1e-9
            assert j - i + 1 <= allowed, "at most the burst plus 3 a second, in any span"
    now[0] += 10
    bucket.acquire()
    bucket.acquire()
    bucket.acquire()
    assert now[0] == pytest.approx(19.0), "idle time refills the burst, not more"
    bucket.acquire()
    assert now[0] == pytest.approx(19.0 + 1 / 3)


def test_commas_in_goal_titles_make_valid_select_options(run, write, notion):
    write(
        "career.toml",
        '[plan]\ntitle="T"\nstart=2027-01-04\n[goals.g]\ntitle="Lead, mentor and ship 2 talks"\nby="+1y"\n',
    )
    db = notion.add_database(properties=FULL_SCHEMA)
    write("careersync.toml", config(db))
    code, report = sync(run)
    assert code == 0, report
    assert (
        notion.page_by_uid("goal:g")["properties"]["Goal"]["select"]["name"]
        == "Lead  mentor and ship 2 talks"
    )


def test_errors_are_target_errors():
    assert issubclass(TargetError, Exception)


# request-level faults, through the CLI ----------------------------------------------------

HEAD = '[plan]\ntitle = "T"\nstart = 2027-01-04\ntimezone = "UTC"\n[goals.g]\ntitle = "G"\nby = "+24m"\n'
SMALL = (
    HEAD
    + '[milestones.a]\ntitle = "A"\nby = "+1m"\n[milestones.b]\ntitle = "B"\nby = "+2m"\n'
    + '[milestones.d]\ntitle = "D"\nby = "+2m"\n'
    + '[habits.h]\ntitle = "H"\nevery = "week"\nuntil = "+2w"\n'
)
EDITED = (
    HEAD
    + '[milestones.a]\ntitle = "A renamed"\nby = "+1m"\n[milestones.b]\ntitle = "B"\nby = "+2m"\n'
    + '[milestones.c]\ntitle = "C"\nby = "+3m"\n'
    + '[habits.h]\ntitle = "H"\nevery = "week"\nuntil = "+2w"\n'
)
WEEKS = ("2027-01-04", "2027-01-11", "2027-01-18")
FIRST = {"goal:g", "milestone:a", "milestone:b", "milestone:d", *(f"habit:h@{d}" for d in WEEKS)}
AFTER = FIRST - {"milestone:d"} | {"milestone:c"}


def fresh_home(monkeypatch, tmp_path, name: str, write) -> FakeNotion:
    """A new Notion workspace and a new careersync home for one run of the matrix."""
    import careersync_notion.target

    fake = FakeNotion()
    monkeypatch.setattr(careersync_notion.target, "HTTP_TRANSPORT", fake.transport())
    monkeypatch.setattr(careersync_notion.target, "PAGE", 3)
    monkeypatch.setenv("CAREERSYNC_HOME", str(tmp_path / name))
    monkeypatch.setenv("CAREERSYNC_BOARD_TOKEN", fake.token)
    write("career.toml", SMALL)
    write("careersync.toml", config(fake.add_database(properties=FULL_SCHEMA)))
    return fake


def held(fake: FakeNotion) -> dict[str, int]:
    return {uid: len(titles) for uid, titles in fake.live().items()}


def fault_matrix(run, write, monkeypatch, tmp_path, kind: str, phase: str) -> int:
    """A fault of ``kind`` at each request k of the sync in ``phase``, one fresh workspace
    each: every sync completes in one run (or, killed, the next one does) with nothing twice
    and no completion lost. Returns how many requests the sync made."""
    from memory_plugin import Crash

    k, clean = 0, 0
    while True:
        fake = fresh_home(monkeypatch, tmp_path, f"{phase}-{kind}-{k}", write)
        if phase == "update":
            assert sync(run)[0] == 0
            write("career.toml", EDITED)
            run("done", "milestone:a", "--on", "2027-01-20")
            fake.tick("milestone:b")
        before = fake.served
        fake.faults = {before + k: kind} if k else {}
        if kind == "crash":
            with contextlib.suppress(Crash):
                run("sync")
            if fake.faults:  # the sync made fewer than k requests: every request was tried
                return k - 1
        code, report = sync(run)
        assert code == 0, (k, report)
        assert report["skipped"] == [], (k, report)
        assert held(fake) == dict.fromkeys(FIRST if phase == "first" else AFTER, 1), k
        if phase == "update":
            items = status_items(run)
            assert items["milestone:b"]["done"] and items["milestone:a"]["done"], k
            assert fake.page_by_uid("milestone:a")["properties"]["Done"]["checkbox"], k
        if fake.faults:  # the sync made fewer than k requests: every request was tried
            return k - 1
        if not k:
            clean = fake.served - before
        elif kind == "429":
            assert fake.served - before == clean + 1, f"request {k} alone is repeated"
        elif kind != "crash":  # a create with an unknown outcome: its uid looked up first
            assert fake.served - before <= clean + 2, f"request {k} cost more than 2"
        k += 1


@pytest.mark.parametrize("phase", ["first", "update"])
@pytest.mark.parametrize("kind", ["429", "500", "timeout", "lost", "crash"])
def test_one_fault_at_any_request_costs_nothing(run, write, monkeypatch, tmp_path, kind, phase):
    assert fault_matrix(run, write, monkeypatch, tmp_path, kind, phase) >= 9


def test_a_create_whose_answer_was_lost_is_found_with_one_query(run, write, notion):
    write("career.toml", SMALL)
    write("careersync.toml", config(notion.add_database(properties=FULL_SCHEMA)))
    notion.faults = {4: "lost"}  # the first create: applied, its answer lost
    code, report = sync(run)
    assert (code, report["created"]) == (0, len(FIRST)), report
    assert held(notion) == dict.fromkeys(FIRST, 1)
    clean = 2 + 1 + len(FIRST)  # the database and its data source, one listing, the creates
    assert len(notion.requests) == clean + 1, "one lookup of the lost create's uid, no repeat"


def test_two_homes_syncing_at_once_converge(run, write, notion, monkeypatch, isolated):
    """Home B syncs from scratch while home A's first sync is under way, after A listed the
    database as empty: both create every page. One more sync from each heals it."""
    write("career.toml", SMALL)
    write("careersync.toml", config(notion.add_database(properties=FULL_SCHEMA)))
    home_a, home_b = str(isolated.parent / "state"), str(isolated.parent / "home-b")

    def home_b_syncs(method, path):
        if path.endswith("/query"):
            notion.meanwhile = None
            monkeypatch.setenv("CAREERSYNC_HOME", home_b)
            assert sync(run)[0] == 0
            monkeypatch.setenv("CAREERSYNC_HOME", home_a)

    notion.meanwhile = home_b_syncs
    assert sync(run)[0] == 0
    assert held(notion) == dict.fromkeys(FIRST, 2)
    copies = [
        p for p in notion.pages.values() if p["properties"]["Name"]["title"][0]["plain_text"] == "A"
    ]
    max(copies, key=lambda p: p["created_time"])["properties"]["Done"]["checkbox"] = True
    assert sync(run)[0] == 0
    monkeypatch.setenv("CAREERSYNC_HOME", home_b)
    assert sync(run)[0] == 0
    assert held(notion) == dict.fromkeys(FIRST, 1)
    assert status_items(run)["milestone:a"]["done"]
    monkeypatch.setenv("CAREERSYNC_HOME", home_a)
    code, report = sync(run)
    assert (code, report["created"], report["deleted"], report["updated"]) == (0, 0, 0, 0)
    assert status_items(run)["milestone:a"]["done"]


def test_of_two_data_sources_the_one_holding_the_pages_is_used(run, write, notion):
    db = notion.add_database(properties={"Name": {"title": {}}})
    write("career.toml", SMALL)
    write("careersync.toml", config(db))
    source = notion.add_source(db, "Plan", properties=FULL_SCHEMA)
    notion.pages["seed"] = {
        "object": "page",
        "id": "seed",
        "created_time": "2026-01-01T00:00:00.000Z",
        "last_edited_time": "2026-01-01T00:00:00.000Z",
        "in_trash": False,
        "archived": False,
        "parent": {"type": "data_source_id", "data_source_id": source},
        "properties": notion.values(
            notion.sources[source],
            {"CareerSync ID": {"rich_text": [{"text": {"content": "milestone:a"}}]}},
            {},
        )[0],
        "_order": 0,
    }
    code, report = sync(run)
    assert code == 0, report
    assert f"has 2 data sources: careersync uses {source}" in report["warnings"][0]
    assert {p["parent"]["data_source_id"] for p in notion.pages.values()} == {source}
    assert held(notion) == dict.fromkeys(FIRST, 1)
