import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from careersync import grammar

START = dt.date(2027, 1, 4)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2027, 6, 30), dt.date(2027, 6, 30)),
        ("2027-06-30", dt.date(2027, 6, 30)),
        ("2027-06", dt.date(2027, 6, 30)),
        ("2027-02", dt.date(2027, 2, 28)),
        ("2028-02", dt.date(2028, 2, 29)),
        ("2027-12", dt.date(2027, 12, 31)),
        ("+0d", START),
        ("+10d", dt.date(2027, 1, 14)),
        ("+2w", dt.date(2027, 1, 18)),
        ("+3m", dt.date(2027, 4, 4)),
        ("+1y", dt.date(2028, 1, 4)),
        ("+24m", dt.date(2029, 1, 4)),
    ],
)
def test_date_forms(value, expected):
    assert grammar.parse_date(value, START) == expected


@pytest.mark.parametrize(
    ("start", "offset", "expected"),
    [
        (dt.date(2027, 1, 31), "+1m", dt.date(2027, 2, 28)),
        (dt.date(2028, 1, 31), "+1m", dt.date(2028, 2, 29)),
        (dt.date(2027, 3, 31), "+1m", dt.date(2027, 4, 30)),
        (dt.date(2028, 2, 29), "+1y", dt.date(2029, 2, 28)),
        (dt.date(2028, 2, 29), "+4y", dt.date(2032, 2, 29)),
        (dt.date(2027, 8, 31), "+6m", dt.date(2028, 2, 29)),
    ],
)
def test_month_arithmetic_clamps_to_month_end(start, offset, expected):
    assert grammar.parse_date(offset, start) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("+3x", '"+3x" is not a date (use 2027-06-30, "2027-06" or "+3m")'),
        ("2027-02-30", "is not a real day"),
        ("2027-13", "is not a real month"),
        ("-2w", "is not a date"),
        ("tomorrow", "is not a date"),
        (20270101, "is not a date"),
        (dt.datetime(2027, 1, 1, 9, 0), "is a date-time, not a date"),
    ],
)
def test_bad_dates(value, fragment):
    with pytest.raises(ValueError, match=None) as info:
        grammar.parse_date(value, START)
    assert fragment in str(info.value)


def test_offsets_need_an_anchor():
    with pytest.raises(ValueError, match="must be absolute"):
        grammar.parse_date("+3m", None)


@given(
    st.integers(0, 3000),
    st.sampled_from("dwmy"),
    st.dates(dt.date(1990, 1, 1), dt.date(2090, 1, 1)),
)
def test_offset_round_trip(amount, unit, start):
    """An offset written out and parsed back lands where date arithmetic says it should."""
    parsed = grammar.parse_date(f"+{amount}{unit}", start)
    expected = {
        "d": start + dt.timedelta(days=amount),
        "w": start + dt.timedelta(weeks=amount),
        "m": start + relativedelta(months=amount),
        "y": start + relativedelta(years=amount),
    }[unit]
    assert parsed == expected
    if unit in "dw":
        days = (parsed - start).days
        assert grammar.parse_date(f"+{days}d", start) == parsed


@given(st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)))
def test_iso_round_trip(day):
    assert grammar.parse_date(day.isoformat(), None) == day
    assert grammar.parse_date(day.strftime("%Y-%m"), None).month == day.month


@pytest.mark.parametrize(
    ("value", "minutes"),
    [("2h", 120), ("30m", 30), ("1h30m", 90), ("1.5h", 90), ("90 min", 90), ("2 hours", 120)],
)
def test_durations(value, minutes):
    assert grammar.parse_duration(value) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize("value", ["", "h", "2", "two hours", "-1h", True, 3])
def test_bad_durations(value):
    with pytest.raises(ValueError, match="is not a duration"):
        grammar.parse_duration(value)


def test_effort_takes_numbers_as_hours():
    assert grammar.parse_duration(24, numbers_are_hours=True) == dt.timedelta(hours=24)


@pytest.mark.parametrize(
    ("value", "hours"),
    [("6h/week", 6), ("6 h / week", 6), ("1h/day", 7), ("90m per week", 1.5), (5, 5)],
)
def test_capacity(value, hours):
    assert grammar.parse_capacity(value) == pytest.approx(hours)


@pytest.mark.parametrize("value", ["6h", "lots", "6h/fortnight", -1])
def test_bad_capacity(value):
    with pytest.raises(ValueError, match="is not a capacity"):
        grammar.parse_capacity(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10:00", dt.time(10)), ("9:05", dt.time(9, 5)), (dt.time(7, 30), dt.time(7, 30))],
)
def test_times(value, expected):
    assert grammar.parse_time(value) == expected


@pytest.mark.parametrize("value", ["24:00", "10:60", "10am", "10", 10])
def test_bad_times(value):
    with pytest.raises(ValueError, match="is not a time of day"):
        grammar.parse_time(value)


def test_weekdays():
    assert grammar.parse_weekdays("sat") == (5,)
    assert grammar.parse_weekdays(["thu", "Tue", "tuesday"]) == (1, 3)
    with pytest.raises(ValueError, match="is not a weekday"):
        grammar.parse_weekdays("funday")


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("day", "FREQ=DAILY"),
        ("weekday", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
        ("week", "FREQ=WEEKLY"),
        ("2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("month", "FREQ=MONTHLY"),
        ("quarter", "FREQ=MONTHLY;INTERVAL=3"),
        ("half-year", "FREQ=MONTHLY;INTERVAL=6"),
        ("year", "FREQ=YEARLY"),
        ("3 days", "FREQ=DAILY;INTERVAL=3"),
        ("1 day", "FREQ=DAILY"),
        ("10 weeks", "FREQ=WEEKLY;INTERVAL=10"),
        ("2 months", "FREQ=MONTHLY;INTERVAL=2"),
        ("2 years", "FREQ=YEARLY;INTERVAL=2"),
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("rrule:freq=monthly;byday=1mo", "FREQ=MONTHLY;BYDAY=1MO"),
    ],
)
def test_recurrence_forms(value, rule):
    assert grammar.parse_recurrence(value).rule() == rule


@pytest.mark.parametrize(
    "value",
    [
        "fortnightly",
        "0 weeks",
        "2 fortnights",
        "RRULE:FREQ=HOURLY",
        "RRULE:BYDAY=MO",
        "RRULE:FREQ=WEEKLY;BYDAY=XX",
        "RRULE:FREQ=DAILY;COUNT=2;UNTIL=20270101",
        "",
    ],
)
def test_bad_recurrences(value):
    with pytest.raises(ValueError):
        grammar.parse_recurrence(value)
