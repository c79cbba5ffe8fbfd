"""The Todoist target through the real todoist-api-python SDK, against a stateful fake of API v1."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import shutil
import tomllib
from pathlib import Path

import hypothesis
import pytest
import todoist_grammar
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from todoist_fake import FakeTodoist

from careersync import plan as plan_module
from careersync import schedule
from careersync.testing import Harness, TargetConformance

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"


@pytest.fixture
def todoist(monkeypatch) -> FakeTodoist:
    import careersync_todoist.target

    fake = FakeTodoist()
    monkeypatch.setattr(careersync_todoist.target, "HTTP_TRANSPORT", fake.transport())
    for name in ("T", "TASKS"):
        monkeypatch.setenv(f"CAREERSYNC_{name}_TOKEN", fake.token)
    return fake


def writes(fake: FakeTodoist) -> int:
    return sum(1 for method, _ in fake.requests if method in ("POST", "DELETE"))


def complete(fake: FakeTodoist, key: str) -> None:
    """What the person does in the app: tick the task (for one occurrence of a recurring task,
    the series must stand at that day: they move it there, then tick it)."""
    uid, _, day = key.partition("@")
    task = fake.by_uid(uid)[0]
    if day:
        task.due_date = dt.date.fromisoformat(day)
    fake.close(task.id)


def shown(fake: FakeTodoist) -> set[str]:
    """Keys shown done: completed one-off tasks (a recurring task shows no single occurrence)."""
    keys = set()
    for task in fake.tasks.values():
        uid = next(
            (
                ln.split()[1]
                for ln in task.description.splitlines()
                if ln.startswith("careersync: ")
            ),
            None,
        )
        if uid and task.checked and not task.deleted and not task.recurring:
            keys.add(uid)
    return keys


def uncomplete(fake: FakeTodoist, key: str) -> None:
    fake.reopen(fake.by_uid(key)[0].id)


class TestTodoistConformance(TargetConformance):
    @pytest.fixture
    def harness(self, todoist) -> Harness:
        def items():
            out: dict[str, list[str]] = {}
            for task in todoist.tasks.values():
                match = [
                    line
                    for line in task.description.splitlines()
                    if line.startswith("careersync: ")
                ]
                if not task.deleted and match:
                    out.setdefault(match[0].split()[1], []).append(task.content)
            return out

        @contextlib.contextmanager
        def failing():
            todoist.fail_next(500, "/tasks", count=50)
            yield
            todoist.failures.clear()

        return Harness(
            {"plugin": "todoist", "project": "Career"},
            items,
            lambda: writes(todoist),
            lambda key: complete(todoist, key),
            failing,
            shown=lambda: shown(todoist),
            uncomplete=lambda key: uncomplete(todoist, key),
            occurrences_shown=False,
        )


# the recurrence table --------------------------------------------------------------------

HEAD = '[plan]\ntitle = "T"\nstart = 2027-01-04\ntimezone = "UTC"\n[goals.g]\ntitle = "Goal 1"\nby = "+24m"\n'
FORMS = [
    ("day", ""),
    ("weekday", ""),
    ("week", ""),
    ("week", 'on = "sat"'),
    ("week", 'on = ["tue", "thu"]'),
    ("2 weeks", 'on = "mon"'),
    ("3 weeks", ""),
    ("month", ""),
    ("month", "from = 2027-01-31"),
    ("month", 'from = 2027-03-30\nuntil = "2028-01-30"'),
    ("quarter", ""),
    ("half-year", ""),
    ("half-year", "from = 2027-01-31"),
    ("year", ""),
    ("year", "from = 2027-03-31"),
    ("2 years", "from = 2027-03-31"),
    ("4 years", 'from = 2028-02-29\nuntil = "+9y"'),
    ("3 days", ""),
    ("2 months", ""),
    ("2 years", ""),
    ("1 week", ""),
    ("RRULE:FREQ=MONTHLY;BYDAY=1MO", ""),
    ("RRULE:FREQ=MONTHLY;BYDAY=-1FR", ""),
    ("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1", ""),
    ("RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR", ""),
    ("RRULE:FREQ=DAILY;BYDAY=SA,SU", ""),
    ("week", 'on = "fri"\nat = "07:30"'),
]


def habit(every: str, extra: str = "") -> schedule.Item:
    data = tomllib.loads(HEAD + f'[habits.h]\ntitle = "H"\nevery = "{every}"\n{extra}\n')
    return next(i for i in schedule.items(plan_module.parse(data)) if i.uid == "habit:h")


@pytest.mark.parametrize(("every", "extra"), FORMS, ids=[f"{e} {x}".strip() for e, x in FORMS])
def test_due_strings_reproduce_every_recurrence_form(every, extra):
    from careersync_todoist.recurrence import due_string

    item = habit(every, extra)
    text = due_string(item)
    dates, at = todoist_grammar.read(text)
    assert (dates, at) == (list(item.dates), item.time), text
    if item.time:  # Todoist's advice: the time right after the recurrence, the dates last
        assert f" at {item.time:%H:%M} starting " in text


@pytest.mark.parametrize(
    ("every", "extra", "message"),
    [
        ("RRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "", "Todoist has no recurring date for RRULE:"),
        ("RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH", "", "Todoist has no recurring date"),
        ("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "", "Todoist has no recurring date"),
        ("month", "from = 2027-01-30", 'where "every 30th" falls in months without that day'),
        ("quarter", "from = 2027-03-31", 'where "every 3 months" from the last day falls'),
        ("year", 'from = 2028-02-29\nuntil = "+4y"', 'where "every feb 29th" falls'),
    ],
)
def test_rules_todoist_cannot_express_are_refused(every, extra, message):
    from careersync_todoist.recurrence import Unsupported, due_string

    with pytest.raises(Unsupported, match=re.escape(message)):
        due_string(habit(every, extra))


# through the CLI ---------------------------------------------------------------------------

CONFIG = '[targets.tasks]\nplugin = "todoist"\nproject = "Career"\n'


@pytest.fixture
def example(isolated, write):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    write("careersync.toml", CONFIG)
    return isolated


def sync(run, *args):
    result = run("sync", "--json", *args)
    return result.exit_code, json.loads(result.stdout)["targets"]["tasks"]


def status_items(run):
    return {
        i["uid"]: i
        for i in json.loads(run("status", "--json", "--as-of", "2029-01-04").stdout)["items"]
    }


def test_first_sync_creates_project_and_tasks(run, example, todoist):
    code, report = sync(run)
    assert (code, report["created"]) == (0, 15), report
    project = next(p for p in todoist.projects.values() if p["name"] == "Career")
    tasks = {t.content: t for t in todoist.tasks.values()}
    assert all(t.project_id == project["id"] for t in tasks.values())
    sql = tasks["Finish an advanced SQL course"]
    assert sql.due_date == dt.date(2027, 4, 4) and sql.due_time is None and not sql.recurring
    assert sql.description.endswith(sql.description.splitlines()[-1])
    assert "careersync: milestone:sql-course #" in sql.description
    assert "Goal: Pass the Google Advanced Data Analytics certificate" in sql.description
    assert sql.labels == ["careersync"]
    practice = tasks["SQL practice on real datasets"]
    assert practice.due_string == "every sat at 10:00 starting 2027-01-09 ending 2027-10-30"
    assert practice.due_date == dt.date(2027, 1, 9) and practice.due_time == dt.time(10)
    assert practice.duration == {"amount": 120, "unit": "minute"}


def test_noop_sync_makes_no_writes_and_few_reads(run, example, todoist):
    sync(run)
    todoist.requests.clear()
    code, report = sync(run)
    assert (code, report["unchanged"]) == (0, 15)
    assert writes(todoist) == 0
    reads = [path for _, path in todoist.requests]
    assert reads.count("/tasks") == 1
    assert reads.count("/tasks/completed/by_completion_date") == 1
    assert reads.count("/activities") == 1
    assert len(reads) <= 4


def test_completed_task_and_recurring_task_completed_twice(run, example, todoist):
    sync(run)
    todoist.now = dt.datetime(2027, 3, 20, 9, tzinfo=dt.UTC)
    complete(todoist, "milestone:sql-course")
    practice = todoist.by_uid("habit:practice")[0]
    todoist.now = dt.datetime(2027, 1, 9, 12, tzinfo=dt.UTC)
    todoist.close(practice.id)
    todoist.now = dt.datetime(2027, 1, 16, 12, tzinfo=dt.UTC)
    todoist.close(practice.id)
    assert (
        not practice.checked
        and practice.due_date == dt.date(2027, 1, 23)
        and practice.completed_count == 2
    )
    code, report = sync(run)
    assert (code, report["completed"]) == (0, 3), report
    items = status_items(run)
    assert items["milestone:sql-course"]["done_on"] == "2027-03-20"
    assert items["habit:practice@2027-01-09"]["done_on"] == "2027-01-09"
    assert items["habit:practice@2027-01-16"]["done_on"] == "2027-01-16"
    assert not items["habit:practice@2027-01-23"]["done"]
    code, report = sync(run)
    assert (report["completed"], report["cleared"], report["updated"]) == (0, 0, 0)
    assert practice.due_date == dt.date(2027, 1, 23), "a sync never moves a series back"


def test_without_the_activity_log_the_moved_due_date_counts(run, example, todoist):
    todoist.activity_log_available = False
    sync(run)
    practice = todoist.by_uid("habit:practice")[0]
    todoist.close(practice.id)
    todoist.close(practice.id)
    code, report = sync(run)
    assert (code, report["completed"]) == (0, 2), report
    items = status_items(run)
    assert items["habit:practice@2027-01-09"]["done"] and items["habit:practice@2027-01-16"]["done"]


def test_completions_survive_a_lost_cache_and_state(run, example, todoist, isolated):
    sync(run)
    practice = todoist.by_uid("habit:practice")[0]
    todoist.close(practice.id)
    sync(run)
    before = writes(todoist)
    shutil.rmtree(isolated.parent / "state")
    code, report = sync(run)
    assert (code, report["created"], report["completed"]) == (0, 0, 1)
    assert writes(todoist) == before


def test_task_deleted_in_todoist_is_recreated_and_reported(run, example, todoist):
    sync(run)
    todoist.by_uid("milestone:exam")[0].deleted = True
    result = run("sync")
    assert "re-created 1 item(s) deleted there: milestone:exam" in result.stdout
    assert len(todoist.by_uid("milestone:exam")) == 1


def test_done_by_hand_closes_and_undo_reopens(run, example, todoist):
    sync(run)
    run("done", "milestone:sql-course", "--on", "2027-03-01")
    sync(run)
    task = todoist.by_uid("milestone:sql-course")[0]
    assert task.checked
    run("undo", "milestone:sql-course")
    code, report = sync(run)
    assert not task.checked and report["completed"] == 0
    assert not status_items(run)["milestone:sql-course"]["done"]


def test_rate_limits_and_server_errors_are_retried(run, example, todoist, monkeypatch):
    import careersync.retry

    waits = []
    monkeypatch.setattr(careersync.retry, "pause", waits.append)
    sync(run)
    plan = (example / "career.toml").read_text()
    (example / "career.toml").write_text(plan.replace("Sit the certificate exam", "Sit the exam"))
    todoist.fail_next(429, "/tasks", retry_after=7, count=2)
    todoist.fail_next(503, "/tasks")
    task = todoist.by_uid("milestone:exam")[0]
    todoist.fail_next(502, f"/tasks/{task.id}")
    code, report = sync(run)
    assert (code, report["updated"]) == (0, 1), report
    assert waits[:2] == [7, 7] and len(waits) == 4
    assert task.content == "Sit the exam"


def test_a_create_that_failed_with_5xx_is_looked_up_before_it_is_repeated(run, example, todoist):
    sync(run, "--target", "tasks", "--dry-run")
    todoist.add_project("Career")
    todoist.fail_next(500, "/tasks", count=1, method="POST")
    code, report = sync(run)
    assert code == 0, report
    creates = [r for r in todoist.requests if r == ("POST", "/tasks")]
    assert len(creates) == report["created"] + 1, "the failed create was sent once more"
    assert all(len(todoist.by_uid(uid)) == 1 for uid in status_items(run) if "@" not in uid)


def test_bad_token_says_what_to_run(run, example, todoist, monkeypatch):
    monkeypatch.setenv("CAREERSYNC_TASKS_TOKEN", "s3cret-but-wrong")
    result = run("sync")
    assert result.exit_code == 1
    assert (
        "Todoist refused the token for target 'tasks' (401): run `careersync auth tasks`"
        in result.stderr
    )
    assert "s3cret-but-wrong" not in result.output


def test_missing_token(run, example, todoist, monkeypatch):
    monkeypatch.delenv("CAREERSYNC_TASKS_TOKEN")
    result = run("sync")
    assert "no Todoist API token for target 'tasks': run `careersync auth tasks`" in result.stderr


def test_sections_per_goal_labels_and_priority(run, example, todoist, write):
    write(
        "careersync.toml",
        CONFIG
        + 'sections = "goal"\nlabels = ["career", "growth"]\npriority = { milestone = "p1" }\n',
    )
    code, report = sync(run)
    assert code == 0, report
    names = {s["name"] for s in todoist.sections.values()}
    assert names == {
        "Pass the Google Advanced Data Analytics certificate",
        "Start a senior data analyst role",
    }
    sql = todoist.by_uid("milestone:sql-course")[0]
    assert sql.priority == 4 and sql.labels == ["career", "growth"]
    assert todoist.sections[sql.section_id]["name"].startswith("Pass the Google")


def test_switching_sections_on_moves_the_tasks(run, example, todoist, write):
    sync(run)
    assert todoist.by_uid("milestone:sql-course")[0].section_id is None
    write("careersync.toml", CONFIG + 'sections = "goal"\n')
    code, report = sync(run)
    assert (code, report["updated"]) == (0, 15)
    sql = todoist.by_uid("milestone:sql-course")[0]
    assert todoist.sections[sql.section_id]["name"].startswith("Pass the Google")
    write("careersync.toml", CONFIG + "timeout = 10\n")
    code, report = sync(run)
    assert (code, report["updated"]) == (0, 15)
    assert todoist.by_uid("milestone:sql-course")[0].section_id is None
    write("careersync.toml", CONFIG + "timeout = 20\n")
    code, report = sync(run)
    assert (code, report["updated"]) == (0, 0), "a timeout changes nothing shown"


def test_bad_options(run, example, todoist, write):
    write("careersync.toml", CONFIG + 'sections = "goals"\npriority = { milestone = "high" }\n')
    result = run("check")
    assert result.exit_code == 1
    assert "targets.tasks.sections: 'goals' is not \"goal\"" in result.stderr
    assert "targets.tasks.priority.milestone: 'high' is not one of p1, p2, p3, p4" in result.stderr


def test_a_rule_todoist_cannot_express_is_a_clear_error(run, write, todoist):
    write(
        "career.toml",
        HEAD + '[habits.h]\ntitle = "H"\nevery = "RRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO"\n',
    )
    write("careersync.toml", CONFIG)
    result = run("sync")
    assert result.exit_code == 3, "the item is skipped, the goal is written"
    assert "skipped habit:h: " in result.stderr
    assert "habit:h: Todoist has no recurring date for RRULE:" in result.stderr
    assert "include = [...]" in result.stderr


# time zones: Todoist reads "at HH:MM" in the account's zone ---------------------------------


def timed(tz: str, every: str, extra: str) -> schedule.Item:
    text = HEAD.replace('timezone = "UTC"', f'timezone = "{tz}"')
    data = tomllib.loads(text + f'[habits.h]\ntitle = "H"\nevery = "{every}"\n{extra}\n')
    return next(i for i in schedule.items(plan_module.parse(data)) if i.uid == "habit:h")


@pytest.mark.parametrize(
    ("plan_zone", "account", "extra", "written"),
    [
        ("Europe/Berlin", "Europe/Berlin", 'at = "02:30"', "02:30"),
        ("Europe/Berlin", "Europe/Paris", 'at = "02:30"', "02:30"),
        ("Europe/London", "Europe/Lisbon", 'at = "09:00"', "09:00"),
        (
            "Europe/Berlin",
            "Asia/Tokyo",
            'at = "10:00"\nfrom = 2027-06-01\nuntil = 2027-08-31',
            "17:00",
        ),
        ("America/New_York", "UTC", 'at = "08:00"\nfrom = 2027-04-01\nuntil = 2027-10-31', "12:00"),
    ],
)
def test_the_time_is_converted_where_one_time_is_right_all_along(
    plan_zone, account, extra, written
):
    from careersync_todoist.zones import account_time

    item = timed(plan_zone, "day", extra)
    assert account_time(item, account).strftime("%H:%M") == written


@pytest.mark.parametrize(
    ("plan_zone", "account", "extra", "message"),
    [
        ("Europe/Berlin", "UTC", 'at = "10:00"', "would be an hour early"),
        (
            "Europe/Berlin",
            "America/New_York",
            'at = "10:00"\nfrom = 2027-03-01\nuntil = 2027-04-30',
            "at 04:00 there, 14 of 61 occurrences would be an hour early (2027-03-14, 2027-03-15",
        ),
        ("Europe/Berlin", "Asia/Tokyo", 'at = "20:00"', "would fall on another day"),
    ],
)
def test_no_time_that_would_move_an_occurrence_is_written(plan_zone, account, extra, message):
    from careersync_todoist.recurrence import Unsupported
    from careersync_todoist.zones import account_time

    with pytest.raises(Unsupported, match=re.escape(message)) as refused:
        account_time(timed(plan_zone, "day", extra), account)
    assert "Settings > General" in str(refused.value)


def test_the_account_zone_is_read_once_and_the_due_time_converted(run, write, todoist):
    write(
        "career.toml",
        HEAD.replace('timezone = "UTC"', 'timezone = "Europe/Berlin"')
        + '[habits.h]\ntitle = "H"\nevery = "week"\non = ["tue", "sat"]\nat = "10:00"\n'
        "from = 2027-06-01\nuntil = 2027-08-31\n"
        '[habits.all-day]\ntitle = "A"\nevery = "week"\n',
    )
    write("careersync.toml", CONFIG)
    todoist.timezone = "Asia/Tokyo"
    code, report = sync(run)
    assert (code, report["created"]) == (0, 3), report
    (task,) = todoist.by_uid("habit:h")
    assert task.due_string == "every tue, sat at 17:00 starting 2027-06-01 ending 2027-08-31"
    assert todoist.requests.count(("GET", "/user")) == 1
    # the due date comes back in UTC, fixed to Tokyo: its day is Tokyo's (and Berlin's)
    code, report = sync(run)
    assert (code, report["updated"], report["created"]) == (0, 0, 0)


@settings(max_examples=150, deadline=None)
@given(
    every=st.sampled_from(
        [e for e, _ in FORMS]
        + ["quarter", "7 months", "4 years", "RRULE:FREQ=MONTHLY;BYMONTHDAY=30"]
    ),
    start=st.dates(dt.date(2027, 1, 1), dt.date(2030, 12, 31)),
    days=st.integers(0, 3 * 366),
)
@hypothesis.example(every="2 years", start=dt.date(2028, 2, 29), days=0)
def test_a_due_string_is_written_only_when_todoist_documents_every_date(every, start, days):
    """Either Todoist's documented reading of the string gives exactly the plan's dates, or
    nothing is written; and a form is refused only where some occurrence is clamped or the
    rule has no documented phrase."""
    from careersync_todoist.recurrence import Unsupported, due_string

    extra = f"from = {start}\nuntil = {start + dt.timedelta(days=days)}"
    data = tomllib.loads(HEAD + f'[habits.h]\ntitle = "H"\nevery = "{every}"\n{extra}\n')
    item = next((i for i in schedule.items(plan_module.parse(data)) if i.uid == "habit:h"), None)
    assume(item is not None)
    assert item is not None
    try:
        text = due_string(item)
    except Unsupported as exc:
        assert "Todoist has no recurring date" in str(exc) or len({d.day for d in item.dates}) > 1
        return
    assert todoist_grammar.read(text) == (list(item.dates), item.time), text


# request-level faults, through the CLI ----------------------------------------------------

SMALL = (
    HEAD
    + '[milestones.a]\ntitle = "A"\nby = "+1m"\n[milestones.b]\ntitle = "B"\nby = "+2m"\n'
    + '[habits.h]\ntitle = "H"\nevery = "week"\nuntil = "+4w"\n'
)
EDITED = (
    HEAD
    + '[milestones.a]\ntitle = "A renamed"\nby = "+1m"\n[milestones.b]\ntitle = "B"\nby = "+2m"\n'
    + '[milestones.c]\ntitle = "C"\nby = "+3m"\n'
)


def fresh_home(monkeypatch, tmp_path, name: str, write) -> FakeTodoist:
    """A new Todoist account and a new careersync home for one run of the matrix."""
    import careersync_todoist.target

    fake = FakeTodoist(page_size=2, now=dt.datetime.now(dt.UTC))
    monkeypatch.setattr(careersync_todoist.target, "HTTP_TRANSPORT", fake.transport())
    monkeypatch.setenv("CAREERSYNC_HOME", str(tmp_path / name))
    monkeypatch.setenv("CAREERSYNC_TASKS_TOKEN", fake.token)
    write("career.toml", SMALL)
    write("careersync.toml", CONFIG + 'sections = "goal"\n')
    return fake


def held(fake: FakeTodoist) -> dict[str, int]:
    """uid -> how many live tasks carry it; and one project of the configured name, and at most
    one section (the goal's, when sections are on)."""
    assert [p["name"] for p in fake.projects.values()].count("Career") == 1
    assert len(fake.sections) <= 1
    counts: dict[str, int] = {}
    for task in fake.tasks.values():
        match = FOOTER_UID.search(task.description)
        if match and not task.deleted:
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return counts


FOOTER_UID = __import__("re").compile(r"careersync: (\S+) #")
FIRST = {"goal:g": 1, "milestone:a": 1, "milestone:b": 1, "habit:h": 1}
AFTER = {"goal:g": 1, "milestone:a": 1, "milestone:b": 1, "milestone:c": 1}


def update(run, write, fake: FakeTodoist) -> None:
    """A plan edited (one renamed, one added, one dropped), one item done with `done`, one
    ticked in Todoist."""
    write("career.toml", EDITED)
    run("done", "milestone:a", "--on", "2027-01-20")
    fake.close(fake.by_uid("milestone:b")[0].id)


def fault_matrix(run, write, monkeypatch, tmp_path, kind: str, phase: str) -> int:
    """A fault of ``kind`` at each request k of the sync in ``phase``, one fresh account each:
    every sync completes in one run (or, killed, the next one does) with nothing twice and no
    completion lost. Returns how many requests the sync made."""
    from memory_plugin import Crash

    k, clean = 0, 0
    while True:
        fake = fresh_home(monkeypatch, tmp_path, f"{phase}-{kind}-{k}", write)
        if phase == "update":
            assert sync(run)[0] == 0
            update(run, write, fake)
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
        assert held(fake) == (FIRST if phase == "first" else AFTER), k
        if phase == "update":
            items = status_items(run)
            assert items["milestone:b"]["done"] and items["milestone:a"]["done"], k
            assert fake.by_uid("milestone:a")[0].checked, k
        if fake.faults:  # the sync made fewer than k requests: every request was tried
            return k - 1
        if not k:
            clean = fake.served - before
        elif kind != "crash":  # a write repeated with its X-Request-Id: nothing looked up
            assert fake.served - before == clean + 1, f"request {k} alone is repeated"
        k += 1


@pytest.mark.parametrize("phase", ["first", "update"])
@pytest.mark.parametrize("kind", ["429", "500", "timeout", "lost", "crash"])
def test_one_fault_at_any_request_costs_nothing(run, write, monkeypatch, tmp_path, kind, phase):
    assert fault_matrix(run, write, monkeypatch, tmp_path, kind, phase) >= 6


def test_lost_state_adopts_a_task_completed_18_months_ago(run, write, todoist, isolated):
    start = dt.date.today() - dt.timedelta(days=730)
    write("career.toml", SMALL.replace("2027-01-04", start.isoformat()))
    write("careersync.toml", CONFIG)
    assert sync(run)[0] == 0
    todoist.now = dt.datetime.now(dt.UTC) - dt.timedelta(days=548)
    todoist.close(todoist.by_uid("milestone:a")[0].id)
    shutil.rmtree(isolated.parent / "state")
    code, report = sync(run)
    assert (code, report["created"], report["completed"]) == (0, 0, 1), report
    assert status_items(run)["milestone:a"]["done_on"] == todoist.now.date().isoformat()
    assert all(len(todoist.by_uid(uid)) == 1 for uid in FIRST)


def test_two_homes_syncing_at_once_converge(run, write, todoist, monkeypatch, isolated):
    """Home B syncs from scratch while home A's first sync is under way, after A found no
    project: both make a "Career" project full of tasks. One more sync from each heals it."""
    write("career.toml", SMALL)
    write("careersync.toml", CONFIG)
    home_a, home_b = str(isolated.parent / "state"), str(isolated.parent / "home-b")

    def home_b_syncs(method, path):
        todoist.meanwhile = None
        monkeypatch.setenv("CAREERSYNC_HOME", home_b)
        assert sync(run)[0] == 0
        monkeypatch.setenv("CAREERSYNC_HOME", home_a)

    todoist.meanwhile = home_b_syncs
    assert sync(run)[0] == 0
    assert [p["name"] for p in todoist.projects.values()].count("Career") == 2
    assert all(len(todoist.by_uid(uid)) == 2 for uid in FIRST)
    code, report = sync(run)
    assert code == 0 and "projects named 'Career'" in report["warnings"][0], report
    monkeypatch.setenv("CAREERSYNC_HOME", home_b)
    assert sync(run)[0] == 0
    assert all(len(todoist.by_uid(uid)) == 1 for uid in FIRST)
    kept = {t.project_id for t in todoist.tasks.values() if not t.deleted}
    assert len(kept) == 1
    monkeypatch.setenv("CAREERSYNC_HOME", home_a)
    code, report = sync(run)
    assert (code, report["created"], report["deleted"], report["updated"]) == (0, 0, 0, 0)


def test_a_failed_project_listing_never_makes_a_second_project(run, example, todoist):
    sync(run)
    todoist.fail_next(500, "/projects", count=2)
    todoist.fail_next(429, "/tasks", retry_after=0)
    code, report = sync(run)
    assert (code, report["created"], report["deleted"]) == (0, 0, 0), report
    assert [p["name"] for p in todoist.projects.values()].count("Career") == 1
    todoist.fail_next(500, "/projects", count=10)
    code, report = sync(run)
    assert code == 1 and "listing projects: Todoist answered 500" in report["error"], report
    assert [p["name"] for p in todoist.projects.values()].count("Career") == 1


def test_the_timeout_option_bounds_every_request(run, example, todoist, write, monkeypatch):
    import careersync_todoist.target
    import httpx

    seen = []

    def handle(request):
        seen.append(request.extensions["timeout"])
        return todoist.handle(request)

    monkeypatch.setattr(careersync_todoist.target, "HTTP_TRANSPORT", httpx.MockTransport(handle))
    write("careersync.toml", CONFIG + "timeout = 7\n")
    assert sync(run)[0] == 0
    assert seen and all(t == dict.fromkeys(("connect", "read", "write", "pool"), 7) for t in seen)
