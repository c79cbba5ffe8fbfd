"""Adherence, streaks and forecasts (SPEC section 7): the arithmetic, then through the CLI."""

import datetime as dt
import json
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from careersync.progress import forecast, streaks

D = dt.date


def test_forecast_at_the_pace_so_far():
    # 148 days from start to as_of, 2 of 4 done: 2 more take 148 days
    assert forecast(D(2027, 1, 4), D(2027, 6, 1), 2, 4) == D(2027, 10, 27)
    # 10 days for 3 done: 1 more takes 3.33 days, rounded up to 4
    assert forecast(D(2027, 1, 1), D(2027, 1, 11), 3, 4) == D(2027, 1, 15)
    # exact division is not rounded up
    assert forecast(D(2027, 1, 1), D(2027, 1, 11), 2, 4) == D(2027, 1, 21)


def test_forecast_is_null_without_a_pace_or_anything_left():
    start = D(2027, 1, 4)
    assert forecast(start, D(2027, 3, 1), 0, 3) is None, "nothing done: no pace"
    assert forecast(start, D(2027, 3, 1), 3, 3) is None, "all done"
    assert forecast(start, D(2027, 3, 1), 0, 0) is None, "no milestone"
    assert forecast(start, start, 1, 3) is None, "as_of not after plan.start"
    assert forecast(start, D(2026, 12, 1), 1, 3) is None
    assert forecast(start, D(9999, 1, 1), 1, 1000) is None, "beyond the calendar"


@given(
    elapsed=st.integers(1, 4000),
    total=st.integers(1, 2000),
    data=st.data(),
)
def test_forecast_rounds_remaining_over_pace_up_to_a_whole_day(elapsed, total, data):
    done = data.draw(st.integers(1, total))
    start = D(2027, 1, 4)
    as_of = start + dt.timedelta(days=elapsed)
    result = forecast(start, as_of, done, total)
    exact = Fraction(total - done) / Fraction(done, elapsed)
    if done == total:
        assert result is None
    elif result is None:
        assert exact > (D.max - as_of).days, "only a date beyond the calendar is left out"
    else:
        days = (result - as_of).days
        assert days - 1 < exact <= days


def occ(*spec):
    """occ("2027-01-04 y", ...) -> [(date, done)]."""
    out = []
    for s in spec:
        day, flag = s.split()
        out.append((D.fromisoformat(day), flag == "y"))
    return out


def test_streaks_nothing_due():
    assert streaks([], D(2027, 1, 1)) == (0, 0)
    assert streaks(occ("2027-02-01 y"), D(2027, 1, 1)) == (0, 0), "only later occurrences"


def test_streaks_all_done():
    assert streaks(occ("2027-01-04 y", "2027-01-11 y", "2027-01-18 y"), D(2027, 1, 20)) == (3, 3)


def test_streak_broken_by_the_latest_occurrence():
    days = occ("2027-01-04 y", "2027-01-11 y", "2027-01-18 n")
    assert streaks(days, D(2027, 1, 19)) == (0, 2)


def test_an_occurrence_on_as_of_counts_when_done_and_does_not_break_while_not():
    pending = occ("2027-01-04 n", "2027-01-11 y", "2027-01-18 y", "2027-01-25 n")
    assert streaks(pending, D(2027, 1, 25)) == (2, 2)
    assert streaks(pending, D(2027, 1, 26)) == (0, 2), "the next day it is missed"
    done = occ("2027-01-04 n", "2027-01-11 y", "2027-01-18 y", "2027-01-25 y")
    assert streaks(done, D(2027, 1, 25)) == (3, 3)


def test_best_streak_is_the_longest_run():
    days = occ(*(f"2027-01-{d:02d} {f}" for d, f in zip(range(1, 10), "yyynyyyyn", strict=True)))
    assert streaks(days, D(2027, 1, 31)) == (0, 4)
    assert streaks(days, D(2027, 1, 8)) == (4, 4)
    assert streaks(days, D(2027, 1, 9)) == (4, 4), "the 9th is as_of and not done yet"


@given(st.lists(st.booleans(), max_size=40), st.integers(0, 45))
def test_streak_never_exceeds_best_nor_the_done_count(flags, cut):
    days = [(D(2027, 1, 1) + dt.timedelta(days=i), f) for i, f in enumerate(flags)]
    as_of = D(2027, 1, 1) + dt.timedelta(days=cut)
    current, best = streaks(days, as_of)
    counted = [f for d, f in days if d <= as_of]
    assert 0 <= current <= best <= sum(counted)
    if counted and all(counted):
        assert current == best == len(counted)


PLAN = """\
[plan]
title = "Tests <& plan>"
start = 2027-01-04
timezone = "UTC"

[goals.zeta]
title = "Zeta goal"
by = "+6m"

[goals.beta]
title = "Beta goal"
by = "+3m"

[goals.alpha]
title = "Alpha goal"
by = "+6m"

[milestones.a]
goal = "zeta"
title = "Milestone A"
by = "+1m"

[milestones.b]
goal = "zeta"
title = "Milestone B"
by = "+2m"

[milestones.c]
goal = "zeta"
title = "Milestone C"
by = "+3m"

[habits.run]
goal = "zeta"
title = "Run"
every = "week"
on = "mon"

[habits.later]
goal = "zeta"
title = "Starts later"
every = "week"
from = "+5m"

[contacts.mentor]
title = "Mentor call"
every = "month"

[reviews]
weekly = { on = "fri" }
"""


def status(run, as_of):
    result = run("status", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def recurring(doc, uid):
    return next(r for r in doc["recurring"] if r["uid"] == uid)


def test_recurring_figures_on_given_dates(run, write):
    write("career.toml", PLAN)
    for day, on in [
        ("2027-01-04", "2027-01-04"),
        ("2027-01-11", "2027-01-11"),
        ("2027-01-25", "2027-01-26"),
        ("2027-02-01", "2027-02-03"),
    ]:
        assert run("done", f"habit:run@{day}", "--on", on).exit_code == 0
    doc = status(run, "2027-02-01")
    assert recurring(doc, "habit:run") == {
        "uid": "habit:run",
        "kind": "habit",
        "title": "Run",
        "due": 5,
        "done": 3,
        "rate": 0.6,
        "streak": 1,
        "best_streak": 2,
        "last_done": "2027-01-26",
        "missed": 1,
        "every": "week on mon",
        "goal": "zeta",
        "first": "2027-01-04",
        "last": "2027-06-28",
        "next": "2027-02-01",
    }
    later = status(run, "2027-02-03")
    run_entry = recurring(later, "habit:run")
    assert (run_entry["due"], run_entry["done"], run_entry["streak"], run_entry["best_streak"]) == (
        5,
        4,
        2,
        2,
    )
    assert run_entry["last_done"] == "2027-02-03"
    assert run_entry["next"] == "2027-02-08"


def test_recurring_lists_every_habit_contact_and_review_in_kind_order(run, write):
    write("career.toml", PLAN)
    doc = status(run, "2027-01-20")
    assert [r["uid"] for r in doc["recurring"]] == [
        "habit:later",
        "habit:run",
        "contact:mentor",
        "review:weekly",
    ]
    later = recurring(doc, "habit:later")
    assert (later["due"], later["done"], later["rate"], later["streak"], later["last_done"]) == (
        0,
        0,
        None,
        0,
        None,
    )
    review = recurring(doc, "review:weekly")
    assert (review["due"], review["done"], review["rate"], review["best_streak"]) == (1, 0, 0.0, 0)
    assert doc["adherence"] == {"due": 5, "done": 0, "missed": 5, "rate": 0.0}


def test_goals_by_deadline_then_id_with_forecast(run, write):
    write("career.toml", PLAN)
    run("done", "milestone:a", "--on", "2027-02-01")
    doc = status(run, "2027-03-01")
    assert [g["id"] for g in doc["goals"]] == ["beta", "alpha", "zeta"]
    zeta = doc["goals"][2]
    # 56 days for 1 milestone: 2 more take 112 days
    assert (zeta["forecast"], zeta["on_pace"], zeta["days_to_spare"]) == ("2027-06-21", True, 13)
    beta = doc["goals"][0]
    assert (beta["forecast"], beta["on_pace"]) == (None, None), "no milestones"
    run("done", "milestone:b", "--on", "2027-03-01")
    run("done", "milestone:c", "--on", "2027-03-01")
    zeta = status(run, "2027-03-01")["goals"][2]
    assert (zeta["state"], zeta["forecast"], zeta["on_pace"]) == ("done", None, None)
    late = status(run, "2027-02-15")["goals"][2]
    # 42 days for 1 milestone, as of the 15th: 2 more take 84 days -> 2027-05-10, on pace
    assert (late["forecast"], late["on_pace"]) == ("2027-05-10", True)


def test_forecast_off_pace(run, write):
    write("career.toml", PLAN)
    run("done", "milestone:a", "--on", "2027-05-01")
    zeta = status(run, "2027-05-01")["goals"][2]
    # 117 days for 1 milestone: 2 more take 234 days
    assert (zeta["forecast"], zeta["on_pace"], zeta["days_to_spare"]) == (
        "2027-12-21",
        False,
        -170,
    )
    out = run("status", "--as-of", "2027-05-01").stdout
    assert "at this pace: 2027-12-21, 170 days after the deadline" in out


def test_status_text_covers_everything(run, write):
    write("career.toml", PLAN)
    run("done", "milestone:a", "--on", "2027-02-01")
    run("done", "habit:run@2027-02-22", "--on", "2027-02-22")
    run("done", "habit:run@2027-03-01", "--on", "2027-03-01")
    out = run("status", "--as-of", "2027-03-01").stdout
    goals = [line for line in out.splitlines() if "(by 20" in line]
    assert goals == [
        "  Beta goal  (by 2027-04-04)",
        "  Alpha goal  (by 2027-07-04)",
        "  Zeta goal  (by 2027-07-04)",
    ]
    assert "at this pace: 2027-06-21, 13 days before the deadline" in out
    assert "  2027-02-04  Milestone A" not in out, "done, so not overdue"
    assert "Habits, contacts and reviews: 2/18 done (11%), 16 missed" in out
    assert "  Run  (habit, every week on mon)  [habit:run]" in out
    assert "2/9 done (22%), streak 2, best 2, last done 2027-03-01" in out
    assert "  Starts later  (habit, every week)  [habit:later]\n    starts 2027-06-04" in out
    assert "  Mentor call  (contact, every month)" in out
    assert "  Weekly review  (review, every week on fri)" in out
    assert "2027-03-01  Run (2027-03-01)  [habit:run@2027-03-01]" in out
    assert "\x1b[" not in out, "no colour when piped"


def test_overdue_with_due_date_and_days_late(run, write):
    write("career.toml", PLAN)
    doc = status(run, "2027-03-10")
    assert doc["overdue"] == ["milestone:a", "milestone:b"]
    assert doc["overdue_items"][0] == {
        "uid": "milestone:a",
        "kind": "milestone",
        "title": "Milestone A",
        "due": "2027-02-04",
        "days_late": 34,
    }
    out = run("status", "--as-of", "2027-03-10").stdout
    assert "  2027-02-04  Milestone A  34 days late  [milestone:a]" in out
    assert "  2027-03-04  Milestone B  6 days late  [milestone:b]" in out


SKILLS = """\
[plan]
title = "Skills"
start = 2027-01-04
timezone = "UTC"
[skills]
sql = { now = 1, need = 4 }
talks = { now = 2, need = 3 }
done-already = { now = 3, need = 3 }
[goals.g]
title = "Goal"
by = "+6m"
[milestones.course]
title = "SQL course"
by = "+1m"
skills = ["sql"]
[milestones.project]
title = "SQL project"
by = "+3m"
skills = ["sql"]
"""


def test_skill_gaps_show_which_closing_milestones_are_done(run, write):
    write("career.toml", SKILLS)
    before = status(run, "2027-03-01")["skill_gaps"]
    assert [s["skill"] for s in before] == ["sql", "talks"]
    assert (before[0]["milestones_done"], before[0]["milestones_total"]) == (0, 2)
    run("done", "milestone:course", "--on", "2027-02-01")
    sql = status(run, "2027-03-01")["skill_gaps"][0]
    assert (sql["milestones_done"], sql["closed_by_done"]) == (1, ["course"])
    assert sql["closing"][0] == {
        "uid": "milestone:course",
        "title": "SQL course",
        "due": "2027-02-04",
        "done": True,
        "done_on": "2027-02-01",
    }
    out = run("status", "--as-of", "2027-03-01").stdout
    assert "  sql: 1 -> 4  (1/2 milestones done)" in out
    assert "    ✓ SQL course  done 2027-02-01  [milestone:course]" in out
    assert "    ○ SQL project  due 2027-04-04  [milestone:project]" in out
    assert "  talks: 2 -> 3  (no milestone closes it yet)" in out


def test_colour_on_a_terminal_only(write, monkeypatch):
    import io

    from careersync import status_text

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    doc = {
        "as_of": "2027-03-01",
        "plan": {"title": "P", "start": "2027-01-04", "end": "2027-07-04"},
        "goals": [
            {
                "id": "g",
                "title": "Goal",
                "by": "2027-07-04",
                "done": 1,
                "total": 2,
                "progress": 0.5,
                "expected": 0.5,
                "state": "on-track",
                "forecast": "2027-05-01",
                "on_pace": True,
                "days_to_spare": 64,
            }
        ],
        "overdue_items": [],
        "recurring": [],
        "upcoming": [],
        "next_review": None,
        "skill_gaps": [],
        "recently_done": [],
    }
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    tty = Terminal()
    status_text.show(doc, tty)
    assert "\x1b[" in tty.getvalue()
    assert "at this pace: 2027-05-01, 64 days before the deadline" in tty.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = Terminal()
    status_text.show(doc, plain)
    assert "\x1b[" not in plain.getvalue()
    assert plain.getvalue() == status_text.render(doc) + "\n"


def test_status_starts_from_an_empty_state_and_leaves_nothing(run, write, isolated):
    write("career.toml", PLAN)
    assert run("status", "--as-of", "2027-02-01").exit_code == 0
    assert not (isolated.parent / "state").exists()
