"""The rules the schedule writes: the plainest RRULE for each form, the same dates as before,
and times the clocks skip read as RFC 5545 reads them (02:30 -> 03:30)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from careersync import schedule
from careersync.grammar import RRULE_DAYS, parse_recurrence
from careersync.model import Recurring

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Europe/London", "UTC"]
FORMS = [
    "day",
    "weekday",
    "week",
    "2 weeks",
    "month",
    "quarter",
    "half-year",
    "year",
    "3 days",
    "5 weeks",
    "2 months",
    "7 months",
    "2 years",
    "4 years",
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=29",
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=30",
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=31",
    "RRULE:FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=31",
    "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "RRULE:FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=31",
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
    "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5",
]


def previous_series_rule(r: Recurring):
    """The rule the schedule wrote before it chose the plainest one: the clamp on every day
    29-31, needed or not. Kept here to show the dates did not change."""
    rule, start = r.every, r.start
    parts = {k for k, _ in rule.parts}

    def month_day(rule, day):
        if day >= 29:
            days = ",".join(str(d) for d in range(28, day + 1))
            return rule.with_part("BYMONTHDAY", days).with_part("BYSETPOS", "-1")
        return rule.with_part("BYMONTHDAY", str(day))

    if rule.weekly:
        if r.on:
            rule = rule.with_part("BYDAY", ",".join(RRULE_DAYS[d] for d in r.on))
        elif rule.get("BYDAY") is None:
            rule = rule.with_part("BYDAY", RRULE_DAYS[start.weekday()])
        wanted = {RRULE_DAYS.index(d[-2:]) for d in (rule.get("BYDAY") or "").split(",")}
        while start.weekday() not in wanted:
            start += dt.timedelta(days=1)
    elif rule.monthly_type and not {"BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO"} & parts:
        if rule.freq == "YEARLY" and rule.get("BYMONTH") is None:
            rule = rule.with_part("BYMONTH", str(start.month))
        rule = month_day(rule, start.day)
    elif rule.monthly_type and rule.get("BYSETPOS") is None:
        day = rule.get("BYMONTHDAY")
        if day is not None and day.isdigit() and int(day) >= 29:
            rule = month_day(rule, int(day))
    return rule, start


def recurring(every: str, start: dt.date, until: dt.date, on=None) -> Recurring:
    return Recurring("habit", "h", "H", parse_recurrence(every), start, until, on=on)


@settings(max_examples=300, deadline=None)
@given(
    every=st.sampled_from(FORMS),
    start=st.dates(dt.date(2026, 1, 1), dt.date(2032, 12, 31)),
    days=st.integers(0, 4 * 366),
    on=st.one_of(st.none(), st.sets(st.integers(0, 6), min_size=1, max_size=3)),
)
@example(every="RRULE:FREQ=MONTHLY;BYMONTHDAY=29", start=dt.date(2026, 1, 30), days=30, on=None)
def test_the_plainest_rule_gives_the_same_dates_as_before(every, start, days, on):
    every_rule = parse_recurrence(every)
    r = recurring(
        every,
        start,
        start + dt.timedelta(days=days),
        tuple(sorted(on)) if on and every_rule.weekly else None,
    )
    old_rule, old_start = previous_series_rule(r)
    new_rule, new_start = schedule.series_rule(r)
    before = schedule.expand(old_rule, old_start, r.until, r.every)
    assert schedule.expand(new_rule, new_start, r.until, r.every) == before
    assert len(new_rule.rule()) <= len(old_rule.rule())


@pytest.mark.parametrize(
    ("every", "start", "until", "rule"),
    [
        ("month", "2027-01-31", "2028-01-31", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("quarter", "2027-01-31", "2028-01-31", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1"),
        ("year", "2027-03-31", "2031-03-31", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31"),
        ("2 years", "2027-03-31", "2031-03-31", "FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYMONTHDAY=31"),
        ("year", "2028-02-29", "2032-03-01", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"),
        ("4 years", "2028-02-29", "2036-03-01", "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29"),
        ("month", "2027-01-30", "2027-12-31", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"),
        ("month", "2027-03-30", "2027-12-31", "FREQ=MONTHLY;BYMONTHDAY=30"),
        ("month", "2027-01-29", "2028-12-31", "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1"),
        ("month", "2027-01-15", "2027-12-31", "FREQ=MONTHLY;BYMONTHDAY=15"),
        (
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=31",
            "2027-01-01",
            "2027-12-31",
            "FREQ=MONTHLY;BYMONTHDAY=-1",
        ),
        (
            "RRULE:FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31",
            "2027-01-01",
            "2028-12-31",
            "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31",
        ),
    ],
)
def test_month_ends_are_said_as_plainly_as_possible(every, start, until, rule):
    r = recurring(every, dt.date.fromisoformat(start), dt.date.fromisoformat(until))
    assert schedule.series_rule(r)[0].rule() == rule


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(dt.date(2026, 1, 1), dt.date(2034, 12, 31)),
    time=st.times().map(lambda t: t.replace(second=0, microsecond=0, fold=0)),
)
def test_a_time_the_clocks_skip_moves_past_the_change_by_as_much(zone, day, time):
    tz = ZoneInfo(zone)
    shown = schedule.wall_clock(day, time, zone)
    meant = dt.datetime.combine(day, time, tz)
    exists = meant.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) == meant.replace(
        tzinfo=None
    )
    if exists:
        assert shown == time
    else:  # the gap: as far past its end as the time was past its start
        before = meant.utcoffset()
        after = meant.replace(fold=1).utcoffset()
        assert before is not None and after is not None
        moved = dt.datetime.combine(day, time) + (after - before)
        assert shown == moved.time() and moved.date() == day
    shown_at = dt.datetime.combine(day, shown, tz)
    assert shown_at.astimezone(dt.UTC) == meant.astimezone(dt.UTC)


@settings(max_examples=50, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    year=st.integers(2027, 2031),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
)
def test_every_occurrence_of_the_schedule_is_at_a_time_the_clocks_show(zone, year, hour, minute):
    item = schedule.Item(
        uid="habit:h",
        kind="habit",
        title="H",
        date=dt.date(year, 1, 1),
        goal=None,
        timezone=zone,
        time=dt.time(hour, minute),
        rule="FREQ=DAILY",
        until=dt.date(year, 12, 31),
        dates=tuple(dt.date(year, 1, 1) + dt.timedelta(days=n) for n in range(365)),
    )
    tz = ZoneInfo(zone)
    for o in item.occurrences():
        assert o.time is not None
        local = dt.datetime.combine(o.date, o.time, tz)
        assert local.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) == local.replace(
            tzinfo=None
        )


GAP_PLAN = """
[plan]
title = "T"
start = 2027-03-26
timezone = "{tz}"
[goals.g]
title = "Land a senior role"
by = "2027-03-30"
measure = "offer"
why = "growth"
[habits.early]
title = "Early run"
every = "day"
at = "02:30"
"""


@pytest.mark.parametrize(("tz", "gap_day"), [("Europe/Berlin", "2027-03-28")])
def test_schedule_shows_a_skipped_time_after_the_change(run, run_json, write, tz, gap_day):
    write("career.toml", GAP_PLAN.format(tz=tz))
    items = run_json("schedule")[1]["items"]
    times = {i["date"]: i["time"] for i in items if i["uid"].startswith("habit:")}
    assert times == {
        "2027-03-26": "02:30",
        "2027-03-27": "02:30",
        gap_day: "03:30",
        "2027-03-29": "02:30",
        "2027-03-30": "02:30",
    }
    text = run("schedule").output
    assert "2027-03-26  02:30  habit      Early run  5x: 26, 27, 28 at 03:30, 29, 30" in text


def test_new_york_skips_its_own_hour(run_json, write):
    write(
        "career.toml",
        GAP_PLAN.format(tz="America/New_York")
        .replace("2027-03-26", "2027-03-13")
        .replace("2027-03-30", "2027-03-15"),
    )
    items = run_json("schedule")[1]["items"]
    times = [(i["date"], i["time"]) for i in items if i["uid"].startswith("habit:")]
    assert times == [("2027-03-13", "02:30"), ("2027-03-14", "03:30"), ("2027-03-15", "02:30")]
