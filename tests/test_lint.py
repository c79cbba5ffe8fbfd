import datetime as dt
import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from careersync import plan as plan_module
from careersync.lint import lint

BASE = """
[plan]
title = "T"
start = 2027-01-04
{capacity}
[skills]
sql = {{ now = 1, need = 3 }}
python = {{ now = 3, need = 3 }}
[goals.g]
title = "{title}"
by = "+1y"
{goal_extra}
[milestones.m]
title = "M"
by = "+2w"
effort = "{effort}"
"""


def codes(**kw):
    params = {
        "capacity": "",
        "title": "Pass the AWS exam",
        "goal_extra": 'measure = "x"\nwhy = "y"',
        "effort": "2h",
    }
    params.update(kw)
    plan = plan_module.parse(tomllib.loads(BASE.format(**params)))
    return {w.code: w for w in lint(plan)}


def test_clean_plan_apart_from_skill_gap():
    assert set(codes()) == {"K001"}
    assert codes()["K001"].path == "skills.sql"
    assert "(1 -> 3)" in codes()["K001"].message


def test_vague_titles():
    assert "S001" in codes(title="Improve my SQL")
    assert "S001" in codes(title="Get better at statistics")
    assert "S001" in codes(title="Do more networking")
    assert "S001" not in codes(title="Do 3 more talks")


def test_measure_and_why():
    found = codes(goal_extra="")
    assert {"M001", "R001"} <= set(found)


def test_capacity_names_weeks_and_hours():
    found = codes(capacity='capacity = "2h/week"', effort="10h")
    message = found["A001"].message
    assert "2 weeks need more than 2h" in message
    assert "weeks of 2027-01-04 to 2027-01-11" in message
    assert "6.0h over in all" in message


def test_goal_without_milestone_and_undatable_habit():
    data = tomllib.loads(
        BASE.format(capacity="", title="Pass the exam", goal_extra="", effort="1h")
    )
    data["goals"]["h"] = {"title": "Ship 2 talks", "by": "+6m", "measure": "x", "why": "y"}
    data["milestones"]["m"]["goal"] = "g"
    data["habits"] = {
        "x": {"title": "X", "every": "week", "goal": "g", "from": "+2m", "until": "+1m"}
    }
    found = {w.code: w for w in lint(plan_module.parse(data))}
    assert found["G001"].path == "goals.h"
    assert found["T001"].path == "habits.x"


@given(st.dates(dt.date(2025, 1, 1), dt.date(2035, 12, 31)))
@settings(max_examples=40, deadline=None)
def test_starter_plan_is_clean_whatever_the_start_date(start):
    from careersync import starter

    plan = plan_module.parse(tomllib.loads(starter.plan_text(start, "Europe/London")))
    assert lint(plan) == []
