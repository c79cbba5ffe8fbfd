"""`move`, `skill` and `drop` edit career.toml in place, keeping the file the person wrote
(SPEC section 7): each edit changes exactly the intended lines, and the result is the plan
expected."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import os
import stat

import pytest

from careersync.plan import load

# A plan written by someone who comments everything.
ANALYST = """\
# Career plan: analyst -> senior analyst.
# Edited by hand; careersync keeps it as written.

[plan]
title = "Senior data analyst within two years"   # the big one
start = 2027-01-04          # a Monday
timezone = "Europe/London"
capacity = "10h/week"

[skills]                    # levels 0-5
sql = { now = 2, need = 4 }   # course first
python = {now=1, need=3}
statistics = { need = 4 }     # no level yet: 0

[goals.senior]
title = "Start a senior data analyst role"
by = "+24m"                 # two years
measure = "Signed offer or promotion letter"
why = "Lead analytics that shapes product decisions"

# --- the certificate first ---

# The SQL course: evenings, 2h each.
[milestones.sql-course]
title = "Finish an advanced SQL course"
by = "+3m"      # before the spring
skills = ["sql"]

[milestones.python-basics]
title = "Complete a Python for data analysis course"
after = ["sql-course"]
# no date: the engine places it
skills = ["python"]

# Portfolio comes after both.
[milestones.portfolio]
title = "Publish three portfolio case studies"
after = ["python-basics"]
by = 2027-12-31
effort = "60h"

# Not sure about this one.
[milestones.talk]
title = "Give a talk at the local meetup"
by = "2027-09"

[habits.practice]           # weekly
title = "SQL practice on real datasets"
every = "week"
on = "sat"

[contacts.mentor]
title = "Coffee with Raj (mentor)"  # monthly
every = "month"

[reviews]
weekly = { on = "fri" }   # Friday afternoons
"""

# Skills as tables, indented keys, quoted keys, literal strings, dotted keys, CRLF endings.
NURSE = (
    "# From nursing to health informatics\n"
    "[plan]\n"
    "title = 'Health informatics analyst'\n"
    'start = "2027-03-01"\n'
    'timezone = "UTC"\n'
    "\n"
    "[skills.sql]   # databases\n"
    "  now = 1\n"
    "  need = 3\n"
    "\n"
    "[skills.hl7]\n"
    "  need = 2   # FHIR too\n"
    "\n"
    "[goals.switch]\n"
    '  "title" = "Move into a health informatics role"\n'
    '  by = "2028-06-30"   # quoted on purpose\n'
    '  measure = "Contract signed"\n'
    '  why = "Use clinical knowledge with data"\n'
    "\n"
    "[milestones.course]\n"
    "  # evenings\n"
    '  title = "Health data course"\n'
    '  by = "2027-06-30"\n'
    '  skills = ["sql", "hl7"]\n'
    "\n"
    "[milestones.shadow]\n"
    '  title = "Shadow the informatics team for a week"\n'
    '  after = ["course"]\n'
    "\n"
    "[habits]\n"
    "reading.title = 'Read one informatics paper'   # dotted\n"
    "reading.every = '2 weeks'\n"
    'journal = { title = "Write the learning journal", every = "week" }\n'
    "\n"
    "[contacts]\n"
    '# old colleague\ncio = { title = "Lunch with the CIO", every = "quarter" }\n'
).replace("\n", "\r\n")

# A byte-order mark, tables out of order, no newline at the end.
TEACHER = (
    "\ufeff[plan]\n"
    'title = "Instructional designer"\n'
    "start = 2027-09-01\n"
    'timezone = "America/Chicago"\n'
    "[milestones.storyline]   # tool first\n"
    'goal = "designer"\n'
    'title = "Learn Articulate Storyline"\n'
    "[goals.designer]\n"
    'title = "Work as an instructional designer"\n'
    "by = 2028-08-31\n"
    'measure = "Offer"\n'
    'why = "Design learning at scale"\n'
    "[milestones.portfolio]\n"
    'goal = "designer"\n'
    'title = "Three e-learning samples"\n'
    'after = ["storyline"]\n'
    "by = 2028-03-31"
)


def changes(before: str, after: str) -> list[str]:
    """The changed lines, as a unified diff without context shows them."""
    return [
        line.rstrip("\r\n")
        for line in difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def setup(isolated, text: str, name: str = "career.toml"):
    path = isolated / name
    path.write_bytes(text.encode("utf-8"))
    return path


def edited(path):
    return path.read_bytes().decode("utf-8")


def replace_milestone(plan, mid, **changes_):
    milestones = tuple(
        dataclasses.replace(m, **changes_) if m.id == mid else m for m in plan.milestones
    )
    return dataclasses.replace(plan, milestones=milestones)


def test_move_rewrites_only_the_by_line(run, isolated):
    path = setup(isolated, ANALYST)
    before = load(path)
    result = run("move", "milestone:sql-course", "--by", "2027-05-15")
    assert result.exit_code == 0, result.output
    assert changes(ANALYST, edited(path)) == [
        '-by = "+3m"      # before the spring',
        "+by = 2027-05-15      # before the spring",
    ]
    assert load(path) == replace_milestone(before, "sql-course", by=dt.date(2027, 5, 15))
    assert result.stdout.startswith("--- a/career.toml\n+++ b/career.toml\n@@ ")
    assert '-by = "+3m"      # before the spring\n+by = 2027-05-15' in result.stdout
    assert "the next `careersync sync`" in result.stderr


@pytest.mark.parametrize(
    ("given", "written", "day"),
    [
        ("+5m", 'by = "+5m"', dt.date(2027, 6, 4)),
        ("2027-06", 'by = "2027-06"', dt.date(2027, 6, 30)),
        (" 2027-06-20 ", "by = 2027-06-20", dt.date(2027, 6, 20)),
        ("+20w", 'by = "+20w"', dt.date(2027, 5, 24)),
    ],
)
def test_move_writes_the_date_as_given(run, isolated, given, written, day):
    path = setup(isolated, ANALYST)
    assert run("move", "milestone:sql-course", "--by", given).exit_code == 0
    assert changes(ANALYST, edited(path))[1] == f"+{written}      # before the spring"
    assert next(m for m in load(path).milestones if m.id == "sql-course").by == day


def test_move_adds_by_under_the_title_of_an_undated_milestone(run, isolated):
    path = setup(isolated, ANALYST)
    before = load(path)
    assert run("move", "milestone:python-basics", "--by", "+6m").exit_code == 0
    text = edited(path)
    assert changes(ANALYST, text) == ['+by = "+6m"']
    assert (
        'title = "Complete a Python for data analysis course"\nby = "+6m"\nafter = ["sql-course"]'
        in text
    )
    assert load(path) == replace_milestone(before, "python-basics", by=dt.date(2027, 7, 4))


def test_move_a_goal(run, isolated):
    path = setup(isolated, ANALYST)
    assert run("move", "goal:senior", "--by", "2028-12-31").exit_code == 0
    assert changes(ANALYST, edited(path)) == [
        '-by = "+24m"                 # two years',
        "+by = 2028-12-31                 # two years",
    ]
    assert load(path).goals[0].by == dt.date(2028, 12, 31)


def test_a_quoted_date_stays_quoted_and_indentation_stays(run, isolated):
    path = setup(isolated, NURSE)
    before = load(path)
    assert run("move", "goal:switch", "--by", "2028-09-30").exit_code == 0
    assert changes(NURSE, edited(path)) == [
        '-  by = "2028-06-30"   # quoted on purpose',
        '+  by = "2028-09-30"   # quoted on purpose',
    ]
    assert load(path).goals[0].by == dt.date(2028, 9, 30)
    assert run("move", "milestone:shadow", "--by", "2027-08-31").exit_code == 0
    assert '  title = "Shadow the informatics team for a week"\r\n  by = 2027-08-31\r\n' in (
        edited(path)
    )
    assert (
        load(path).milestones
        == replace_milestone(before, "shadow", by=dt.date(2027, 8, 31)).milestones
    )


def test_crlf_line_endings_are_kept_byte_for_byte(run, isolated):
    path = setup(isolated, NURSE)
    assert run("skill", "hl7", "--now", "1").exit_code == 0
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n"), "every line still ends in CRLF"
    assert changes(NURSE, raw.decode()) == ["+  now = 1"]
    assert b"  need = 2   # FHIR too\r\n  now = 1\r\n" in raw
    assert {s.id: s.now for s in load(path).skills} == {"sql": 1, "hl7": 1}


def test_bom_out_of_order_tables_and_no_final_newline_are_kept(run, isolated):
    path = setup(isolated, TEACHER)
    before = load(path)
    assert run("move", "milestone:storyline", "--by", "2027-12-15").exit_code == 0
    text = edited(path)
    assert text.startswith("\ufeff[plan]\n") and text.endswith("by = 2028-03-31")
    assert changes(TEACHER, text) == ["+by = 2027-12-15"]
    assert 'title = "Learn Articulate Storyline"\nby = 2027-12-15\n[goals.designer]' in text
    assert load(path) == replace_milestone(before, "storyline", by=dt.date(2027, 12, 15))
    assert run("move", "milestone:portfolio", "--by", "2028-04-30").exit_code == 0
    assert edited(path).endswith("by = 2028-04-30")


def test_skill_levels_inline_tables_stay_inline(run, isolated):
    path = setup(isolated, ANALYST)
    assert run("skill", "sql", "--now", "3").exit_code == 0
    assert run("skill", "python", "--now", "2").exit_code == 0
    assert run("skill", "statistics", "--now", "1").exit_code == 0
    assert changes(ANALYST, edited(path)) == [
        "-sql = { now = 2, need = 4 }   # course first",
        "-python = {now=1, need=3}",
        "-statistics = { need = 4 }     # no level yet: 0",
        "+sql = { now = 3, need = 4 }   # course first",
        "+python = {now=2, need=3}",
        "+statistics = { need = 4, now = 1 }     # no level yet: 0",
    ]
    assert {s.id: s.now for s in load(path).skills} == {"sql": 3, "python": 2, "statistics": 1}


def test_skill_in_a_table_of_its_own(run, isolated):
    path = setup(isolated, NURSE)
    assert run("skill", "sql", "--now", "2").exit_code == 0
    assert changes(NURSE, edited(path)) == ["-  now = 1", "+  now = 2"]


def test_drop_a_milestone_with_its_own_comment(run, isolated):
    path = setup(isolated, ANALYST)
    before = load(path)
    result = run("drop", "milestone:talk")
    assert result.exit_code == 0, result.output
    assert changes(ANALYST, edited(path)) == [
        "-# Not sure about this one.",
        "-[milestones.talk]",
        '-title = "Give a talk at the local meetup"',
        '-by = "2027-09"',
        "-",
    ]
    assert load(path) == dataclasses.replace(
        before, milestones=tuple(m for m in before.milestones if m.id != "talk")
    )


def test_drop_keeps_the_comment_of_the_next_table(run, write):
    path = write(
        "career.toml",
        """\
        [plan]
        title = "T"
        start = 2027-01-04
        [goals.g]
        title = "G"
        by = "+1y"

        [milestones.a]
        title = "A"
        # about b
        [milestones.b]
        title = "B"
        """,
    )
    text = path.read_text()
    assert run("drop", "milestone:a").exit_code == 0
    assert changes(text, path.read_text()) == ["-[milestones.a]", '-title = "A"']
    assert 'by = "+1y"\n\n# about b\n[milestones.b]' in path.read_text()


def test_drop_habits_and_contacts_in_every_form(run, isolated):
    path = setup(isolated, NURSE)
    assert run("drop", "habit:reading").exit_code == 0
    assert changes(NURSE, edited(path)) == [
        "-reading.title = 'Read one informatics paper'   # dotted",
        "-reading.every = '2 weeks'",
    ]
    assert run("drop", "contact:cio").exit_code == 0
    after = edited(path)
    assert changes(NURSE, after)[2:] == [
        '-cio = { title = "Lunch with the CIO", every = "quarter" }'
    ], "a comment right under a table's header may be about the table: it stays"
    assert [r.uid for r in load(path).recurring] == ["habit:journal"]
    assert run("drop", "habit:journal").exit_code == 0
    assert load(path).recurring == ()


def test_drop_the_last_table_leaves_no_trailing_blank_line(run, isolated):
    path = setup(isolated, ANALYST)
    assert run("drop", "contact:mentor").exit_code == 0
    assert run("drop", "habit:practice").exit_code == 0
    text = edited(path)
    assert 'title = "Give a talk at the local meetup"\nby = "2027-09"\n\n[reviews]' in text
    assert changes(ANALYST, text) == [
        "-[habits.practice]           # weekly",
        '-title = "SQL practice on real datasets"',
        '-every = "week"',
        '-on = "sat"',
        "-",
        "-[contacts.mentor]",
        '-title = "Coffee with Raj (mentor)"  # monthly',
        '-every = "month"',
        "-",
    ]


def test_drop_is_refused_while_milestones_come_after_it(run, isolated):
    path = setup(isolated, ANALYST)
    result = run("drop", "milestone:sql-course")
    assert result.exit_code == 1
    assert (
        'milestone:python-basics comes after it; drop it first, or take "sql-course" out of '
        "its `after`; nothing was written"
    ) in result.stderr
    assert edited(path) == ANALYST
    assert run("drop", "milestone:portfolio").exit_code == 0
    assert run("drop", "milestone:python-basics").exit_code == 0
    assert run("drop", "milestone:sql-course").exit_code == 0
    assert [m.id for m in load(path).milestones] == ["talk"]


def test_dry_run_prints_the_diff_and_writes_nothing(run, isolated):
    path = setup(isolated, ANALYST)
    mtime = path.stat().st_mtime_ns
    result = run("move", "milestone:talk", "--by", "+10m", "--dry-run")
    assert result.exit_code == 0
    assert '-by = "2027-09"\n+by = "+10m"\n' in result.stdout
    assert "Dry run" in result.stderr
    assert path.read_text() == ANALYST and path.stat().st_mtime_ns == mtime
    result = run("drop", "milestone:talk", "--dry-run", "--json")
    doc = json.loads(result.stdout)
    assert (doc["changed"], doc["written"], doc["dry_run"]) == (True, False, True)
    assert "-[milestones.talk]\n" in doc["diff"]
    assert path.read_text() == ANALYST


def test_json_report_of_a_written_edit(run, isolated):
    path = setup(isolated, ANALYST)
    doc = json.loads(run("skill", "sql", "--now", "4", "--json").stdout)
    assert doc == {
        "plan": "career.toml",
        "changed": True,
        "written": True,
        "dry_run": False,
        "diff": doc["diff"],
    }
    assert "+sql = { now = 4, need = 4 }   # course first\n" in doc["diff"]
    assert path.read_text() != ANALYST


def test_an_edit_that_changes_nothing_says_so(run, isolated):
    path = setup(isolated, ANALYST)
    mtime = path.stat().st_mtime_ns
    result = run("skill", "sql", "--now", "2")
    assert result.exit_code == 0 and result.stdout == ""
    assert "already says that" in result.stderr
    assert path.stat().st_mtime_ns == mtime


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("move", "milestone:sql-cours", "--by", "+4m"), 1, 'did you mean "milestone:sql-course"'),
        (("move", "sql-course", "--by", "+4m"), 1, 'did you mean "milestone:sql-course"'),
        (("drop", "habit:practise"), 1, 'did you mean "habit:practice"'),
        (
            ("drop", "habit:practice@2027-01-09"),
            1,
            "names one occurrence; drop takes the whole item: habit:practice",
        ),
        (
            ("move", "milestone:talk@2027-09-30", "--by", "+4m"),
            1,
            "move takes the whole item: milestone:talk",
        ),
        (("move", "habit:practice", "--by", "+4m"), 1, "move takes a goal or milestone"),
        (("drop", "goal:senior"), 1, "drop takes a milestone, habit or contact, not a goal"),
        (("drop", "review:weekly"), 1, "not a review"),
        (("skill", "sequel", "--now", "3"), 1, 'no skill "sequel"'),
        (("skill", "pyton", "--now", "3"), 1, 'did you mean "python"'),
        (("skill", "sql", "--now", "6"), 2, "0<=x<=5"),
        (("skill", "sql", "--now", "-1"), 2, "0<=x<=5"),
        (("skill", "sql"), 2, "Missing option '--now'"),
        (
            ("move", "milestone:talk", "--by", "2027-02-30"),
            2,
            '--by: "2027-02-30" is not a real day',
        ),
        (("move", "milestone:talk", "--by", "soon"), 2, 'is not a date (use 2027-06-30, "2027-06"'),
    ],
)
def test_bad_input_changes_nothing(run, isolated, args, code, message):
    path = setup(isolated, ANALYST)
    result = run(*args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert path.read_text() == ANALYST


def test_an_invalid_result_is_refused_with_the_errors(run, isolated):
    path = setup(isolated, ANALYST)
    mtime = path.stat().st_mtime_ns
    result = run("move", "milestone:sql-course", "--by", "2026-12-01")
    assert result.exit_code == 1
    assert "refused: the edit would leave the plan invalid; nothing was written" in result.stderr
    assert "milestones.sql-course.by: 2026-12-01 is before plan.start (2027-01-04)" in (
        result.stderr
    )
    result = run("move", "goal:senior", "--by", "+6m")
    assert result.exit_code == 1
    assert "milestones.portfolio.by: 2027-12-31 is after the deadline of goal" in result.stderr
    result = run("move", "milestone:python-basics", "--by", "2028-02-01")
    assert "milestones.portfolio.by: 2027-12-31 is before 2028-02-01" in result.stderr
    assert path.read_text() == ANALYST and path.stat().st_mtime_ns == mtime


def test_an_edit_can_fix_a_plan_check_refuses(run, write):
    path = write(
        "career.toml",
        """\
        [plan]
        title = "T"
        start = 2027-01-04
        [goals.g]
        title = "G"
        by = "+6m"
        [milestones.late]
        title = "Late"
        by = "+8m"   # after the goal: check fails
        """,
    )
    assert run("check").exit_code == 1
    assert run("move", "milestone:late", "--by", "+5m").exit_code == 0
    assert run("check").exit_code == 0
    assert 'by = "+5m"   # after the goal: check fails' in path.read_text()


def test_a_read_only_plan_is_not_written(run, isolated):
    path = setup(isolated, ANALYST)
    path.chmod(0o444)
    result = run("move", "milestone:talk", "--by", "+10m")
    assert result.exit_code == 1
    assert "career.toml: the file is read-only; nothing was written" in result.stderr
    assert path.read_text() == ANALYST
    assert run("move", "milestone:talk", "--by", "+10m", "--dry-run").exit_code == 0


def test_a_plan_changed_on_disk_meanwhile_is_not_overwritten(run, isolated, monkeypatch):
    """Someone saves the plan in an editor between careersync reading and writing it."""
    import tempfile

    from careersync import plan_file

    path = setup(isolated, ANALYST)
    real = tempfile.mkstemp

    def mkstemp_after_an_edit(*args, **kwargs):
        path.write_text(ANALYST.replace("Raj", "Ravi"))
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_file.tempfile, "mkstemp", mkstemp_after_an_edit)
    result = run("skill", "sql", "--now", "3")
    assert result.exit_code == 1
    assert "the file changed on disk since careersync read it; nothing was written" in (
        result.stderr
    )
    assert path.read_text() == ANALYST.replace("Raj", "Ravi")
    assert sorted(p.name for p in isolated.iterdir()) == ["career.toml"], "no temp file left"


def test_writes_keep_the_mode_and_the_symlink(run, isolated):
    real = isolated / "plans" / "mine.toml"
    real.parent.mkdir()
    real.write_text(ANALYST)
    real.chmod(0o640)
    (isolated / "career.toml").symlink_to(real)
    assert run("skill", "sql", "--now", "3").exit_code == 0
    assert (isolated / "career.toml").is_symlink()
    assert "sql = { now = 3, need = 4 }" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(os.listdir(real.parent)) == ["mine.toml"]


def test_the_plan_option_picks_the_file(run, isolated):
    path = setup(isolated, ANALYST, "other.toml")
    assert run("--plan", "other.toml", "skill", "sql", "--now", "3").exit_code == 0
    assert "now = 3" in path.read_text()
    result = run("skill", "sql", "--now", "3")
    assert result.exit_code == 1 and "career.toml: no such file" in result.stderr


def test_mixed_line_endings_stay_line_by_line(run, isolated):
    text = ANALYST.replace('title = "Give a talk at the local meetup"\n', 'title = "Talk"\r\n')
    path = setup(isolated, text)
    assert run("move", "milestone:talk", "--by", "+9m").exit_code == 0
    assert run("move", "milestone:python-basics", "--by", "+6m").exit_code == 0
    raw = path.read_bytes()
    assert b'title = "Talk"\r\nby = "+9m"\n' in raw
    assert raw.count(b"\r\n") == 1, "a new line takes the file's usual ending"
    assert b'data analysis course"\nby = "+6m"\nafter' in raw


def test_an_edit_that_would_change_anything_else_is_refused(run, isolated, monkeypatch):
    """The safety net: the edited text must hold exactly the edited data."""
    from careersync import plan_edit

    path = setup(isolated, ANALYST)
    monkeypatch.setattr(
        plan_edit, "_tidy_removal", lambda before, after: after.replace("Raj", "Ravi")
    )
    result = run("drop", "milestone:talk")
    assert result.exit_code == 1
    assert "careersync cannot make this edit without changing other parts of the file" in (
        result.stderr
    )
    assert path.read_text() == ANALYST
