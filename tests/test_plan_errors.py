"""A corpus of malformed plans, each run through the CLI as a user would: exit 1, no traceback,
and a message that names the file, the key path and the problem."""

from pathlib import Path

import pytest
from conftest import BASIC_PLAN

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"

GOOD_HEAD = """\
[plan]
title = "T"
start = 2027-01-04
timezone = "Europe/London"
"""
GOAL = """
[goals.senior]
title = "Start a senior data analyst role"
by = "+24m"
"""

CASES = [
    ("empty file", "", "career.toml: the file is empty"),
    ("bad toml", '[plan]\ntitle = "T\n', "career.toml: invalid TOML: "),
    ("bad toml line and column", "[plan]\ntitle = T\n", "(at line 2, column 9)"),
    ("no plan table", GOAL, "career.toml: plan: the [plan] table is required"),
    (
        "missing title",
        "[plan]\nstart = 2027-01-04\n" + GOAL,
        "career.toml: plan.title: is required but missing",
    ),
    (
        "missing start",
        '[plan]\ntitle = "T"\n' + GOAL,
        "career.toml: plan.start: is required but missing",
    ),
    (
        "start as offset",
        '[plan]\ntitle = "T"\nstart = "+3m"\n' + GOAL,
        'plan.start: "+3m" is an offset',
    ),
    (
        "start as datetime",
        '[plan]\ntitle = "T"\nstart = 2027-01-04T09:00:00\n' + GOAL,
        "plan.start: 2027-01-04T09:00:00 is a date-time",
    ),
    (
        "unknown plan key",
        GOOD_HEAD + 'titel = "x"\n' + GOAL,
        'career.toml: plan.titel: unknown key (did you mean "title"?)',
    ),
    (
        "unknown section",
        GOOD_HEAD + GOAL + "[milestone.x]\ntitle = 'x'\n",
        'career.toml: milestone: unknown section (did you mean "milestones"?)',
    ),
    (
        "unknown timezone",
        '[plan]\ntitle = "T"\nstart = 2027-01-04\ntimezone = "Europe/Londn"\n' + GOAL,
        'plan.timezone: "Europe/Londn" is not a known IANA timezone (did you mean "Europe/London"?)',
    ),
    (
        "bad capacity",
        GOOD_HEAD + 'capacity = "lots"\n' + GOAL,
        'plan.capacity: "lots" is not a capacity',
    ),
    ("no goals", GOOD_HEAD, "career.toml: goals: the plan needs at least one goal"),
    (
        "goal without title",
        GOOD_HEAD + '[goals.senior]\nby = "+1y"\n',
        "career.toml: goals.senior.title: is required but missing",
    ),
    (
        "goal without by",
        GOOD_HEAD + '[goals.senior]\ntitle = "x"\n',
        "career.toml: goals.senior.by: is required but missing",
    ),
    (
        "bad offset",
        GOOD_HEAD + '[goals.senior]\ntitle = "x"\nby = "+3x"\n',
        'career.toml: goals.senior.by: "+3x" is not a date (use 2027-06-30, "2027-06" or "+3m")',
    ),
    (
        "deadline before start",
        GOOD_HEAD + '[goals.senior]\ntitle = "x"\nby = 2026-12-01\n',
        "career.toml: goals.senior.by: 2026-12-01 is before plan.start (2027-01-04)",
    ),
    (
        "bad horizon",
        GOOD_HEAD + GOAL + 'horizon = "medium"\n',
        'goals.senior.horizon: "medium" is not a horizon (use "short" or "long")',
    ),
    (
        "title wrong type",
        GOOD_HEAD + '[goals.senior]\ntitle = 3\nby = "+1y"\n',
        "goals.senior.title: must be a string, not 3",
    ),
    (
        "bad id",
        GOOD_HEAD + '[goals.Senior]\ntitle = "x"\nby = "+1y"\n',
        'career.toml: goals.Senior: "Senior" is not a valid id',
    ),
    (
        "bad id characters",
        GOOD_HEAD + GOAL + '[milestones."sql course"]\ntitle = "x"\n',
        'milestones.sql course: "sql course" is not a valid id',
    ),
    (
        "milestone unknown goal",
        GOOD_HEAD + GOAL + '[milestones.m]\ngoal = "senor"\ntitle = "x"\n',
        'milestones.m.goal: "senor" is not a goal (did you mean "senior"?)',
    ),
    (
        "milestone needs goal",
        GOOD_HEAD + GOAL + '[goals.other]\ntitle = "y"\nby = "+1y"\n[milestones.m]\ntitle = "x"\n',
        "milestones.m.goal: is required when the plan has more than one goal",
    ),
    (
        "unknown after",
        GOOD_HEAD
        + GOAL
        + '[milestones.m]\ntitle = "x"\nafter = ["sql-cours"]\n[milestones.sql-course]\ntitle = "y"\n',
        'milestones.m.after[0]: "sql-cours" is not a milestone (did you mean "sql-course"?)',
    ),
    (
        "unknown skill",
        GOOD_HEAD
        + "[skills]\nsql = { now = 1, need = 3 }\n"
        + GOAL
        + '[milestones.m]\ntitle = "x"\nskills = ["sq"]\n',
        'milestones.m.skills[0]: "sq" is not a skill (did you mean "sql"?)',
    ),
    (
        "skill level out of range",
        GOOD_HEAD + "[skills]\nsql = { now = 2, need = 6 }\n" + GOAL,
        "skills.sql.need: 6 is not a skill level (use a whole number from 0 to 5)",
    ),
    (
        "skill unknown key",
        GOOD_HEAD + "[skills]\nsql = { now = 2, nede = 4 }\n" + GOAL,
        'skills.sql.nede: unknown key (did you mean "need"?)',
    ),
    (
        "cycle",
        GOOD_HEAD
        + GOAL
        + '[milestones.a]\ntitle = "A"\nafter = ["b"]\n[milestones.b]\ntitle = "B"\nafter = ["a"]\n',
        "dependency cycle: a -> b -> a",
    ),
    (
        "three cycle",
        GOOD_HEAD
        + GOAL
        + '[milestones.a]\ntitle = "A"\nafter = ["c"]\n[milestones.b]\ntitle = "B"\nafter = ["a"]\n[milestones.c]\ntitle = "C"\nafter = ["b"]\n',
        "dependency cycle: a -> b -> c -> a",
    ),
    (
        "self dependency",
        GOOD_HEAD + GOAL + '[milestones.a]\ntitle = "A"\nafter = ["a"]\n',
        "milestones.a.after[0]: a milestone cannot come after itself",
    ),
    (
        "due before dependency",
        GOOD_HEAD
        + GOAL
        + '[milestones.a]\ntitle = "A"\nby = "+3m"\n[milestones.b]\ntitle = "B"\nafter = ["a"]\nby = "+1m"\n',
        'milestones.b.by: 2027-02-04 is before 2027-04-04, the date of "a", which it comes after',
    ),
    (
        "due after goal deadline",
        GOOD_HEAD + GOAL + '[milestones.a]\ntitle = "A"\nby = "+30m"\n',
        'milestones.a.by: 2029-07-04 is after the deadline of goal "senior" (2029-01-04)',
    ),
    (
        "milestone without title",
        GOOD_HEAD + GOAL + "[milestones.a]\nby = '+1m'\n",
        "milestones.a.title: is required but missing",
    ),
    (
        "bad effort",
        GOOD_HEAD + GOAL + '[milestones.a]\ntitle = "A"\neffort = "lots"\n',
        'milestones.a.effort: "lots" is not a duration (use "2h", "30m" or "1h30m")',
    ),
    (
        "habit bad every",
        GOOD_HEAD + GOAL + '[habits.h]\ntitle = "H"\nevery = "fortnightly"\n',
        'habits.h.every: "fortnightly" is not a recurrence',
    ),
    (
        "habit missing every",
        GOOD_HEAD + GOAL + '[habits.h]\ntitle = "H"\n',
        "habits.h.every: is required but missing",
    ),
    (
        "habit bad weekday",
        GOOD_HEAD + GOAL + '[habits.h]\ntitle = "H"\nevery = "week"\non = "saturdy"\n',
        'habits.h.on: "saturdy" is not a weekday',
    ),
    (
        "on with monthly",
        GOOD_HEAD + GOAL + '[habits.h]\ntitle = "H"\nevery = "month"\non = "sat"\n',
        'habits.h.on: applies to weekly rules only, not "month"',
    ),
    (
        "habit bad time",
        GOOD_HEAD + GOAL + '[habits.h]\ntitle = "H"\nevery = "day"\nat = "25:00"\n',
        'habits.h.at: "25:00" is not a time of day',
    ),
    (
        "habit bad duration",
        GOOD_HEAD + GOAL + '[habits.h]\ntitle = "H"\nevery = "day"\nduration = "2 hrs!"\n',
        'habits.h.duration: "2 hrs!" is not a duration',
    ),
    (
        "contact bad until",
        GOOD_HEAD + GOAL + '[contacts.c]\ntitle = "C"\nevery = "month"\nuntil = "soon"\n',
        'contacts.c.until: "soon" is not a date',
    ),
    (
        "bad raw rrule",
        GOOD_HEAD + GOAL + '[habits.h]\ntitle = "H"\nevery = "RRULE:FREQ=WEEKLY;BYDAY=XY"\n',
        'habits.h.every: "RRULE:FREQ=WEEKLY;BYDAY=XY" is not a valid RFC 5545 rule',
    ),
    (
        "unknown review cadence",
        GOOD_HEAD + GOAL + "[reviews]\nweekley = {}\n",
        'reviews.weekley: unknown review cadence (did you mean "weekly"?)',
    ),
    (
        "review unknown key",
        GOOD_HEAD + GOAL + '[reviews]\nweekly = { day = "fri" }\n',
        "reviews.weekly.day: unknown key",
    ),
    (
        "review on for quarterly",
        GOOD_HEAD + GOAL + '[reviews]\nquarterly = { on = "fri" }\n',
        'reviews.quarterly.on: applies to weekly rules only, not "quarter"',
    ),
    (
        "self not list",
        GOOD_HEAD + GOAL + '[self]\nstrengths = "Excel"\nvalues = 3\n',
        "self.values: must be a list of strings, not 3",
    ),
    (
        "milestone not a table",
        GOOD_HEAD + GOAL + "[milestones]\nm = 3\n",
        "milestones.m: must be a table, not 3",
    ),
    (
        "unsatisfiable undated",
        GOOD_HEAD
        + GOAL
        + '[goals.other]\ntitle = "O"\nby = "+2m"\n[milestones.a]\ngoal = "senior"\ntitle = "A"\nby = "+6m"\n[milestones.b]\ngoal = "other"\ntitle = "B"\nafter = ["a"]\n',
        'milestones.b: cannot be scheduled: it comes after 2027-07-04 (the date of "a") but must be done by 2027-03-04 (the deadline of goal "other")',
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), CASES, ids=[c[0] for c in CASES])
def test_malformed_plan(run, write, name, text, message):
    write("career.toml", text)
    result = run("check")
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_corpus_is_large_enough():
    assert len(CASES) >= 25


def test_all_problems_are_reported_at_once(run, write):
    write(
        "career.toml",
        GOOD_HEAD + GOAL + '[milestones.a]\ntitle = 3\nby = "+3x"\n[habits.h]\ntitle = "H"\n',
    )
    result = run("check")
    assert "3 problems in the plan" in result.stderr
    for fragment in ("milestones.a.title", "milestones.a.by", "habits.h.every"):
        assert fragment in result.stderr


def test_non_utf8_file(run, isolated):
    (isolated / "career.toml").write_bytes(b'[plan]\ntitle = "caf\xe9"\n')
    result = run("check")
    assert result.exit_code == 1
    assert "career.toml: is not UTF-8 text (byte 0xe9" in result.stderr


def test_missing_file(run):
    result = run("check")
    assert result.exit_code == 1
    assert "career.toml: no such file (run `careersync init`" in result.stderr


def test_unreadable_file(run, write, monkeypatch):
    from pathlib import Path

    write("career.toml", GOOD_HEAD + GOAL)

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = run("check")
    assert result.exit_code == 1
    assert "career.toml: cannot be read (permission denied)" in result.stderr


def test_directory_instead_of_file(run, isolated):
    (isolated / "career.toml").mkdir()
    result = run("check")
    assert "career.toml: is a directory" in result.stderr


def test_check_json_lists_errors(run, write):
    import json

    write("career.toml", GOOD_HEAD + '[goals.senior]\ntitle = "x"\nby = "+3x"\n')
    result = run("check", "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    assert any("goals.senior.by" in e for e in doc["errors"])


def test_debug_env_shows_traceback(run, write, monkeypatch):
    from careersync.errors import PlanError

    monkeypatch.setenv("CAREERSYNC_DEBUG", "1")
    write("career.toml", "")
    with pytest.raises(PlanError):
        run("check")


# 3. scheduling errors name the chain that caused them ---------------------------------------


def test_an_after_that_cannot_fit_names_the_whole_chain(run, write):
    plan = EXAMPLE.read_text().replace(
        'after = ["sql-course"]\neffort = "30h"',
        'after = ["sql-course", "secondment"]\neffort = "30h"',
    )
    plan += (
        '\n[milestones.secondment]\ngoal = "senior"\n'
        'title = "Six months on the product team"\nafter = ["lead-project"]\n'
    )
    write("career.toml", plan)
    result = run("check")
    assert result.exit_code == 1
    assert (
        "the chain: lead-project (2028-07-04) -> secondment -> python-basics "
        "-> goal certified (2027-11-04)"
    ) in result.stderr


def test_a_due_date_before_its_chain_names_every_link(run, write):
    write(
        "career.toml",
        BASIC_PLAN
        + '[milestones.a]\ntitle = "A"\nby = "+6m"\n'
        + '[milestones.b]\ntitle = "B"\nafter = ["a"]\n'
        + '[milestones.c]\ntitle = "C"\nafter = ["b"]\nby = "+4m"\n',
    )
    result = run("check")
    assert result.exit_code == 1
    assert "the chain: a (2027-07-04) -> b -> c (2027-05-04)" in result.stderr


# 4. one mistake, one message ----------------------------------------------------------------


HEAD = '[plan]\ntitle = "T"\nstart = 2027-01-04\n[goals.senior]\ntitle = "Senior"\nby = "+24m"\n'


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ('[goals.superuser]\ntitle = "Superuser"\nby = "+3x"\n', 'goals.superuser.by: "+3x"'),
        ('[goals.superuser]\nby = "+3m"\n', "goals.superuser.title: is required but missing"),
        (
            '[goals.superuser]\ntitle = "S"\nby = "+3m"\nhorizon = "mid"\n',
            "goals.superuser.horizon",
        ),
        ("[goals]\nsuperuser = 3\n", "goals.superuser: must be a table"),
    ],
)
def test_a_broken_goal_causes_no_follow_on_errors(run, write, broken, message):
    write(
        "career.toml",
        HEAD
        + broken
        + '[milestones.m]\ngoal = "superuser"\ntitle = "M"\n'
        + '[habits.h]\ngoal = "superuser"\ntitle = "H"\nevery = "week"\n',
    )
    result = run("check")
    assert result.exit_code == 1
    assert message in result.stderr
    assert "1 problem in the plan" in result.stderr
    assert "is not a goal" not in result.stderr


def test_a_misspelt_reference_to_a_broken_goal_is_still_reported(run, write):
    write(
        "career.toml",
        HEAD
        + '[goals.superuser]\ntitle = "S"\nby = "+3x"\n'
        + '[milestones.m]\ngoal = "superusr"\ntitle = "M"\n',
    )
    result = run("check")
    assert "2 problems in the plan" in result.stderr
    assert '"superusr" is not a goal' in result.stderr


def test_a_broken_skill_or_milestone_id_causes_no_follow_on_errors(run, write):
    write(
        "career.toml",
        HEAD
        + "[skills]\nsql = { now = 7, need = 4 }\n"
        + '[milestones.Course]\ntitle = "C"\n'
        + '[milestones.m]\ntitle = "M"\nskills = ["sql"]\nafter = ["Course"]\n',
    )
    result = run("check")
    assert "2 problems in the plan" in result.stderr, result.stderr
    assert "skills.sql.now" in result.stderr and "milestones.Course" in result.stderr


@pytest.mark.parametrize("padding", [0, 40_000], ids=["small file", "large file"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[plan]\ntitle = T\n", "invalid TOML: Invalid value (at line {line}, column 9)"),
        (
            '[plan]\ntitle = "T\n',
            "invalid TOML: Illegal character '\\n' (at line {line}, column 11)",
        ),
        ("[plan]\nt = 07:32\n", "invalid TOML: Expected newline or end of document after a"),
    ],
)
def test_small_and_large_files_read_alike(run, write, padding, text, message):
    """A large plan is parsed by the compiled tomli, a small one by tomllib: one grammar
    (TOML 1.0, what plan edits can write back) and one wording of every error."""
    comments = "# a long comment to make the file large\n" * (padding // 40)
    write("career.toml", comments + text)
    result = run("check")
    assert result.exit_code == 1
    line = comments.count("\n") + 2
    assert message.format(line=line) in result.output, result.output
