"""Hypothesis strategies for schedule items and sync entries, awkward text included."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from careersync.model import KINDS
from careersync.schedule import Item
from careersync.target import Entry

ZONES = (
    "Europe/London",
    "UTC",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Atlantic/Reykjavik",
    "Pacific/Chatham",
    "Etc/GMT+5",
)
AWKWARD = (
    "✓ done",
    "✔done",
    " [x] done",
    "[X]",
    "a, b; c",
    "back\\slash",
    "\\N and \\n",
    "line\nbreak\r\nand\rreturn",
    "emoji 🎉🚀👩‍💻",
    "ü" * 40,
    "🎉" * 30,
    "x" * 73 + "\\,",
    "x" * 73 + "^",
    "",
)
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
    st.sampled_from(AWKWARD),
    st.tuples(st.sampled_from(AWKWARD), st.text(max_size=90)).map("".join),
    st.tuples(st.text(max_size=90), st.sampled_from(AWKWARD)).map("".join),
)
IDS = st.from_regex(r"[a-z0-9_-]{1,16}", fullmatch=True)
DAYS = st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31))
TIMES = st.times().map(lambda t: t.replace(microsecond=0))
WEEKDAYS = st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU", "1MO", "-1FR", "+2TH"])
RULE_PARTS = st.one_of(
    st.integers(1, 99).map(lambda n: f"INTERVAL={n}"),
    st.sampled_from(["INTERVAL=02", "INTERVAL=+3"]),
    st.lists(WEEKDAYS, min_size=1, max_size=4, unique=True).map(lambda d: "BYDAY=" + ",".join(d)),
    st.lists(st.integers(-31, 31).filter(bool), min_size=1, max_size=4).map(
        lambda d: "BYMONTHDAY=" + ",".join(map(str, d))
    ),
    st.integers(1, 12).map(lambda n: f"BYMONTH={n}"),
    st.sampled_from(["BYSETPOS=-1", "BYSETPOS=2", "WKST=SU", "WKST=MO", "BYWEEKNO=20"]),
    st.sampled_from(["BYYEARDAY=100", "BYYEARDAY=-1,1", "BYHOUR=9"]),
)
RULES = st.tuples(
    st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
    st.lists(RULE_PARTS, max_size=4),
    st.booleans(),
).flatmap(
    lambda t: st.permutations([f"FREQ={t[0]}", *t[1]]).map(
        lambda parts: ";".join(parts).lower() if t[2] else ";".join(parts)
    )
)
LEADS = st.sampled_from(["1w", "2d", "2h", "15m", "90m", "0m", "none"])


@st.composite
def items(draw: st.DrawFn, days: st.SearchStrategy[dt.date] = DAYS) -> Item:
    kind = draw(st.sampled_from(KINDS))
    uid = f"{kind}:{draw(IDS)}"
    day = draw(days)
    recurring = draw(st.booleans())
    return Item(
        uid=uid,
        kind=kind,
        title=draw(TEXT),
        date=day,
        goal=draw(st.none() | IDS),
        timezone=draw(st.sampled_from(ZONES)),
        time=draw(st.none() | TIMES),
        duration=draw(st.none() | st.timedeltas(dt.timedelta(minutes=1), dt.timedelta(days=2))),
        rule=draw(RULES) if recurring else None,
        until=draw(st.dates(day, day + dt.timedelta(days=3000))) if recurring else None,
        dates=tuple(draw(st.lists(days, max_size=5))) if recurring else (),
        description=draw(TEXT),
        recurrence_label=draw(st.none() | TEXT),
        goal_title=draw(st.none() | TEXT),
    )


@st.composite
def entries(draw: st.DrawFn, days: st.SearchStrategy[dt.date] = DAYS) -> Entry:
    item = draw(items(days))
    if item.recurring:
        marked = draw(st.lists(days, max_size=4, unique=True))
        done = {f"{item.uid}@{d.isoformat()}": draw(days) for d in marked}
    else:
        done = {item.uid: draw(days)} if draw(st.booleans()) else {}
    return Entry(item, done, draw(st.from_regex(r"[0-9a-f]{32}", fullmatch=True)))


def options() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "todos": st.booleans(),
            "reminders": st.dictionaries(st.sampled_from(KINDS), LEADS, max_size=3),
        }
    )
