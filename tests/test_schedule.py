import datetime as dt
import random
import tomllib
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careersync import plan as plan_module
from careersync import schedule

HEAD = """
[plan]
title = "T"
start = {start}
timezone = "{tz}"
[goals.g]
title = "Land a senior role"
by = "{by}"
measure = "offer"
why = "growth"
"""


def load(extra: str, start: str = "2027-01-04", by: str = "+24m", tz: str = "Europe/London"):
    data = tomllib.loads(HEAD.format(start=start, by=by, tz=tz) + extra)
    return plan_module.parse(data)


def habit_dates(every: str, extra: str = "", **kw) -> list[dt.date]:
    plan = load(f'[habits.h]\ntitle = "H"\nevery = "{every}"\n{extra}', **kw)
    item = next(i for i in schedule.items(plan) if i.uid == "habit:h")
    return list(item.dates)


@pytest.mark.parametrize(
    ("every", "extra", "first", "second", "count"),
    [
        ("day", 'until = "+6d"', "2027-01-04", "2027-01-05", 7),
        ("weekday", 'until = "+13d"', "2027-01-04", "2027-01-05", 10),
        ("week", 'until = "+3m"', "2027-01-04", "2027-01-11", 13),
        ("week", 'on = "sat"\nuntil = "+4w"', "2027-01-09", "2027-01-16", 4),
        ("week", 'on = ["tue", "thu"]\nuntil = "+2w"', "2027-01-05", "2027-01-07", 4),
        ("2 weeks", 'on = "mon"\nuntil = "+8w"', "2027-01-04", "2027-01-18", 5),
        ("2 weeks", 'on = "mon"\nfrom = "+2d"\nuntil = "+8w"', "2027-01-11", "2027-01-25", 4),
        ("month", 'until = "+1y"', "2027-01-04", "2027-02-04", 13),
        ("quarter", 'until = "+1y"', "2027-01-04", "2027-04-04", 5),
        ("half-year", 'until = "+2y"', "2027-01-04", "2027-07-04", 5),
        ("year", 'until = "+2y"', "2027-01-04", "2028-01-04", 3),
        ("3 days", 'until = "+9d"', "2027-01-04", "2027-01-07", 4),
        ("2 months", 'until = "+1y"', "2027-01-04", "2027-03-04", 7),
        ("2 years", "", "2027-01-04", "2029-01-04", 2),
        ("RRULE:FREQ=MONTHLY;BYDAY=1MO", 'until = "+6m"', "2027-01-04", "2027-02-01", 6),
        ("RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3", "", "2027-01-04", "2027-01-11", 3),
        ("RRULE:FREQ=DAILY;UNTIL=20270110", "", "2027-01-04", "2027-01-05", 7),
    ],
)
def test_recurrence_occurrences(every, extra, first, second, count):
    dates = habit_dates(every, extra)
    assert dates[0].isoformat() == first
    assert dates[1].isoformat() == second
    assert len(dates) == count


def test_monthly_day_31_falls_on_month_end():
    dates = habit_dates("month", 'from = 2027-01-31\nuntil = "2028-04"')
    assert [d.isoformat() for d in dates[:5]] == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
    ]
    assert dt.date(2028, 2, 29) in dates


def test_monthly_day_30_and_29():
    assert habit_dates("month", 'from = 2027-01-30\nuntil = "2027-04"')[1] == dt.date(2027, 2, 28)
    assert habit_dates("month", 'from = 2027-01-30\nuntil = "2027-04"')[2] == dt.date(2027, 3, 30)
    leap = habit_dates("month", 'from = 2028-01-29\nuntil = "2028-04"', start="2028-01-03")
    assert leap[1] == dt.date(2028, 2, 29)


def test_quarterly_from_month_end_and_yearly_leap_day():
    q = habit_dates("quarter", 'from = 2027-11-30\nuntil = "+2y"')
    assert q[:3] == [dt.date(2027, 11, 30), dt.date(2028, 2, 29), dt.date(2028, 5, 30)]
    y = habit_dates("year", 'from = 2028-02-29\nuntil = "2031-12"', start="2028-01-03", by="+5y")
    assert y == [
        dt.date(2028, 2, 29),
        dt.date(2029, 2, 28),
        dt.date(2030, 2, 28),
        dt.date(2031, 2, 28),
    ]


def test_weekly_without_on_takes_from_weekday():
    dates = habit_dates("week", 'from = "+3d"\nuntil = "+3w"')
    assert {d.weekday() for d in dates} == {3}


def test_until_defaults_to_goal_deadline():
    dates = habit_dates("month")
    assert dates[-1] == dt.date(2029, 1, 4)


def test_reviews_start_one_period_after_plan_start():
    plan = load(
        '[reviews]\nweekly = { on = "fri", at = "16:00" }\nquarterly = { duration = "2h" }\n'
        "monthly = {}\nsemiannual = {}\nyearly = {}"
    )
    firsts = {i.uid: i.date for i in schedule.items(plan) if i.kind == "review"}
    assert firsts == {
        "review:weekly": dt.date(2027, 1, 15),
        "review:quarterly": dt.date(2027, 4, 4),
        "review:monthly": dt.date(2027, 2, 4),
        "review:semiannual": dt.date(2027, 7, 4),
        "review:yearly": dt.date(2028, 1, 4),
    }
    titles = {i.uid: i.title for i in schedule.items(plan) if i.kind == "review"}
    assert titles["review:weekly"] == "Weekly review"


def test_build_orders_by_date_and_uses_occurrence_uids():
    plan = load(
        '[habits.h]\ntitle = "H"\nevery = "week"\nat = "07:00"\nuntil = "+1w"\n'
        '[milestones.m]\ntitle = "M"\nby = "+1w"\n'
    )
    entries = schedule.build(plan)
    assert [e.uid for e in entries] == [
        "habit:h@2027-01-04",
        "milestone:m",
        "habit:h@2027-01-11",
        "goal:g",
    ]
    window = schedule.build(plan, dt.date(2027, 1, 5), dt.date(2027, 1, 11))
    assert [e.uid for e in window] == ["milestone:m", "habit:h@2027-01-11"]


@pytest.mark.parametrize(
    ("tz", "winter_utc", "summer_utc"),
    [("Europe/London", 10, 9), ("America/New_York", 15, 14)],
)
def test_timed_items_keep_local_time_across_dst(tz, winter_utc, summer_utc):
    plan = load('[habits.h]\ntitle = "H"\nevery = "week"\non = "sat"\nat = "10:00"\n', tz=tz)
    item = next(i for i in schedule.items(plan) if i.uid == "habit:h")
    hours = set()
    for occurrence in item.occurrences():
        assert occurrence.time == dt.time(10)
        local = dt.datetime.combine(occurrence.date, occurrence.time, ZoneInfo(item.timezone))
        hours.add(local.astimezone(dt.UTC).hour)
    assert hours == {winter_utc, summer_utc}


def test_undated_chain_shares_interval_evenly():
    plan = load(
        '[milestones.a]\ntitle = "A"\nby = 2027-01-04\n'
        '[milestones.b]\ntitle = "B"\nafter = ["a"]\n'
        '[milestones.c]\ntitle = "C"\nafter = ["b"]\n'
        '[milestones.d]\ntitle = "D"\nafter = ["c"]\nby = 2027-01-94\n'.replace(
            "2027-01-94", "2027-04-04"
        )
    )
    dates = schedule.milestone_dates(plan)
    assert dates == {
        "a": dt.date(2027, 1, 4),
        "b": dt.date(2027, 2, 3),
        "c": dt.date(2027, 3, 5),
        "d": dt.date(2027, 4, 4),
    }


def test_undated_milestones_by_effort_and_capacity():
    plan = load(
        '[milestones.a]\ntitle = "A"\neffort = "10h"\n'
        '[milestones.b]\ntitle = "B"\nafter = ["a"]\neffort = "20h"\n'
    )
    plan = plan_module.parse(
        {
            **tomllib.loads(HEAD.format(start="2027-01-04", by="+1y", tz="UTC")),
            "milestones": {
                "a": {"title": "A", "effort": "10h"},
                "b": {"title": "B", "after": ["a"], "effort": "20h"},
            },
        }
    )
    assert schedule.milestone_dates(plan) == {"a": dt.date(2027, 7, 5), "b": dt.date(2028, 1, 4)}
    data = tomllib.loads(HEAD.format(start="2027-01-04", by="+1y", tz="UTC"))
    data["plan"]["capacity"] = "5h/week"
    data["milestones"] = {
        "a": {"title": "A", "effort": "10h"},
        "b": {"title": "B", "after": ["a"], "effort": "20h"},
    }
    dates = schedule.milestone_dates(plan_module.parse(data))
    # 5h/week planned at 80% is 4h/week: 10h takes 18 days, 20h takes 35 days.
    assert dates == {"a": dt.date(2027, 1, 22), "b": dt.date(2027, 2, 26)}


@st.composite
def milestone_graphs(draw):
    n = draw(st.integers(1, 12))
    start = dt.date(2027, 1, 4)
    deadline_days = draw(st.integers(30, 1500))
    milestones = {}
    dates: dict[str, int] = {}
    for i in range(n):
        mid = f"m{i}"
        deps = (
            draw(st.lists(st.sampled_from([f"m{j}" for j in range(i)]), unique=True, max_size=3))
            if i
            else []
        )
        low = max([dates[d] for d in deps if d in dates] + [0])
        entry = {"title": f"M {i}", "after": deps}
        if draw(st.booleans()):
            entry["effort"] = f"{draw(st.integers(1, 80))}h"
        if draw(st.booleans()) and low <= deadline_days:
            dates[mid] = draw(st.integers(low, deadline_days))
            entry["by"] = (start + dt.timedelta(days=dates[mid])).isoformat()
        milestones[mid] = entry
    capacity = draw(st.sampled_from([None, "3h/week", "10h/week"]))
    return start, deadline_days, milestones, capacity


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(milestone_graphs())
def test_scheduled_milestones_respect_dependencies_and_deadline(graph):
    start, deadline_days, milestones, capacity = graph
    data = tomllib.loads(HEAD.format(start=start.isoformat(), by=f"+{deadline_days}d", tz="UTC"))
    if capacity:
        data["plan"]["capacity"] = capacity
    data["milestones"] = milestones
    try:
        plan = plan_module.parse(data)
    except plan_module.PlanError as exc:
        assert "cannot be scheduled" in str(exc) or "is before" in str(exc)
        return
    dates = schedule.milestone_dates(plan)
    deadline = start + dt.timedelta(days=deadline_days)
    for mid, entry in milestones.items():
        assert start <= dates[mid] <= deadline
        for dep in entry["after"]:
            assert dates[dep] <= dates[mid]
        if "by" in entry:
            assert dates[mid].isoformat() == entry["by"]


@settings(max_examples=60)
@given(st.randoms(use_true_random=False))
def test_output_is_independent_of_key_order(rnd: random.Random):
    from pathlib import Path

    text = (Path(__file__).parent.parent / "examples" / "career.toml").read_text()
    data = tomllib.loads(text)

    def shuffled(value):
        if isinstance(value, dict):
            keys = list(value)
            rnd.shuffle(keys)
            return {k: shuffled(value[k]) for k in keys}
        return value

    baseline = schedule.build(plan_module.parse(data))
    assert schedule.build(plan_module.parse(shuffled(data))) == baseline
