"""`careersync review`: the summary on given dates (`--json`), and the guided session driven
through its prompts (SPEC section 7)."""

from __future__ import annotations

import json

import pytest

PLAN = """\
# Review test plan
[plan]
title = "Certified analyst"
start = 2027-01-04          # a Monday
timezone = "UTC"

[skills]
sql = { now = 1, need = 3 }   # the gap to close
python = { now = 2, need = 2 }

[goals.cert]
title = "Pass the exam"
by = "+6m"
measure = "Certificate"
why = "Recognition"

[milestones.a]
title = "SQL course"
by = "+1m"
skills = ["sql"]

[milestones.b]
title = "SQL project"
after = ["a"]
by = "+2m"      # the spring
skills = ["sql"]

[milestones.c]
title = "Mock exam"
after = ["a"]

[habits.practice]
title = "Practice"
every = "week"
on = "sat"

[contacts.mentor]
title = "Mentor coffee"
every = "month"

[reviews]
weekly = { on = "fri" }
"""


@pytest.fixture
def plan(write):
    return write("career.toml", PLAN)


def summary(run, as_of):
    result = run("review", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def completions(run, as_of="2029-01-01"):
    doc = json.loads(run("status", "--json", "--as-of", as_of).stdout)
    return {i["uid"]: (i["done_on"], i["source"]) for i in doc["items"] if i["done"]}


def guided(run, as_of, *answers, extra=()):
    return run("review", "--interactive", "--as-of", as_of, *extra, input="\n".join(answers) + "\n")


def test_json_before_any_review(run, plan):
    doc = summary(run, "2027-01-25")
    assert {k: doc[k] for k in ("as_of", "since", "done_since", "overdue", "upcoming")} == {
        "as_of": "2027-01-25",
        "since": "2027-01-04",
        "done_since": [],
        "overdue": [],
        "upcoming": ["review:weekly@2027-01-29"],
    }
    assert doc["missed"] == [
        "habit:practice@2027-01-09",
        "review:weekly@2027-01-15",
        "habit:practice@2027-01-16",
        "review:weekly@2027-01-22",
        "habit:practice@2027-01-23",
    ], "contact:mentor@2027-01-04 is on `since`, not after it"
    assert doc["skills"] == [
        {"skill": "sql", "now": 1, "need": 3, "milestones_done": 0, "milestones_total": 2}
    ]
    assert doc["review_due"] == ["review:weekly@2027-01-22"]
    assert doc["next_review"] == {"uid": "review:weekly@2027-01-29", "date": "2027-01-29"}


def test_json_after_a_review_is_recorded(run, plan):
    run("done", "habit:practice@2027-01-09", "--on", "2027-01-09")
    run("done", "review:weekly@2027-01-22", "--on", "2027-01-23")
    doc = summary(run, "2027-01-25")
    assert doc["since"] == "2027-01-22", "the occurrence's date, not the completion's"
    assert doc["done_since"] == ["review:weekly@2027-01-22"]
    assert doc["missed"] == ["habit:practice@2027-01-23"]
    assert doc["last_review"] == "review:weekly@2027-01-22"
    assert doc["review_due"] == []
    before = summary(run, "2027-01-22")
    assert before["since"] == "2027-01-04", "a completion dated after as_of does not count yet"
    assert "review:weekly@2027-01-22" in before["upcoming"]
    assert before["upcoming"][0] == "review:weekly@2027-01-22"


def test_json_overdue_upcoming_and_skills_later_on(run, plan):
    run("done", "milestone:a", "--on", "2027-02-10")
    doc = summary(run, "2027-03-10")
    assert doc["overdue"] == ["milestone:b"]
    assert doc["upcoming"] == ["review:weekly@2027-03-12"]
    assert doc["done_since"] == ["milestone:a"]
    assert doc["skills"][0]["milestones_done"] == 1
    practice = next(r for r in doc["since_last_review"] if r["uid"] == "habit:practice")
    assert (practice["due"], practice["done"], practice["rate"]) == (9, 0, 0.0)
    doc = summary(run, "2027-03-11")
    assert doc["upcoming"] == ["review:weekly@2027-03-12"]
    doc = summary(run, "2027-03-12")
    assert doc["upcoming"] == [
        "review:weekly@2027-03-12",
        "habit:practice@2027-03-13",
        "review:weekly@2027-03-19",
    ], "from as_of up to and including the first review after it"


def test_json_changes_nothing(run, plan, isolated):
    text = plan.read_text()
    summary(run, "2027-03-10")
    assert plan.read_text() == text
    assert not (isolated.parent / "state").exists(), "no state is created"
    assert not (isolated / "career-journal.md").exists()


def test_not_on_a_terminal_says_what_to_do(run, plan):
    result = run("review", "--as-of", "2027-03-10")
    assert result.exit_code == 2
    assert "needs a terminal; use `careersync review --json`" in result.stderr


def test_guided_review_done_move_skill_notes(run, plan, isolated):
    run("done", "habit:practice@2027-03-06", "--on", "2027-03-06")
    result = guided(
        run,
        "2027-03-10",
        "done",  # milestone:a
        "",  # done on as_of
        "m",  # milestone:b: move
        "2027-02-01",  # before milestone:a: refused
        "move",
        "+3m",
        "x",  # not a level
        "2",  # sql level now
        "Good month: the course is behind me.",
        "Book Saturday mornings.",
        "",  # end of notes
        "y",
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "since the plan started on 2027-01-04" in out
    assert "✓ 2027-03-06  Practice (2027-03-06)" in out
    assert (
        "Practice: 1 of 9 done (11%); missed 2027-02-06, 2027-02-13, 2027-02-20, 2027-02-27 and 4 before"
        in out
    )
    assert "SQL course [milestone:a]: due 2027-02-04, 34 days late" in out
    assert "Refused: that would leave the plan invalid:" in out
    assert "milestones.b.by: 2027-02-01 is before 2027-02-04" in out
    assert "A level is a whole number from 0 to 5." in out
    assert "Record done: milestone:a on 2027-03-10" in out
    assert "Record done: review:weekly@2027-03-05 on 2027-03-10" in out
    assert "Saved." in out
    text = plan.read_text()
    assert 'by = "+3m"      # the spring' in text
    assert "sql = { now = 2, need = 3 }   # the gap to close" in text
    assert text.replace('"+3m"', '"+2m"').replace("now = 2, need = 3", "now = 1, need = 3") == PLAN
    done = completions(run)
    assert done["milestone:a"] == ("2027-03-10", "manual")
    assert done["review:weekly@2027-03-05"] == ("2027-03-10", "manual")
    journal = (isolated / "career-journal.md").read_text()
    assert journal == (
        "# Career journal\n\n"
        "## Review of 2027-03-10\n\n"
        "Good month: the course is behind me.\nBook Saturday mornings.\n\n"
        "- Done: SQL course (milestone:a) on 2027-03-10\n"
        "- Moved SQL project (milestone:b) to +3m (2027-04-04)\n"
        "- Skill sql: 1 -> 2 (need 3)\n"
        "- Held Weekly review (review:weekly@2027-03-05)\n"
    )
    after = summary(run, "2027-03-10")
    assert after["since"] == "2027-03-05"
    assert after["done_since"] == [
        "habit:practice@2027-03-06",
        "milestone:a",
        "review:weekly@2027-03-05",
    ]
    assert after["overdue"] == []
    assert after["missed"] == []
    assert after["skills"][0]["now"] == 2


def test_guided_review_drop_and_keep(run, plan, isolated):
    result = guided(
        run,
        "2027-03-10",
        "drop",  # milestone:a: refused, b and c come after it
        "keep",
        "dr",  # milestone:b
        "",  # sql level kept
        "",  # no notes
        "",  # save: yes by default
    )
    assert result.exit_code == 0, result.output
    assert "milestone:b, milestone:c come after it" in result.stdout
    text = plan.read_text()
    assert "[milestones.b]" not in text and "[milestones.a]" in text
    assert "sql = { now = 1, need = 3 }" in text
    done = completions(run)
    assert list(done) == ["review:weekly@2027-03-05"]
    journal = (isolated / "career-journal.md").read_text()
    assert "- Dropped SQL project (milestone:b)\n" in journal
    assert "Keep" not in journal


def test_a_move_that_settles_a_later_item_skips_it(run, write):
    write(
        "career.toml",
        """\
        [plan]
        title = "T"
        start = 2027-01-04
        [goals.g]
        title = "G"
        by = "+6m"
        [milestones.a]
        title = "A"
        [milestones.b]
        title = "B"
        after = ["a"]
        [milestones.d]
        title = "D"
        after = ["b"]
        by = "+4m"
        """,
    )
    assert summary(run, "2027-04-10")["overdue"] == ["milestone:a", "milestone:b"]
    result = guided(run, "2027-04-10", "move", "+3m", "", "n")
    assert result.exit_code == 0, result.output
    assert "B [milestone:b]: now due 2027-04-19, after what you moved" in result.stdout
    assert "Nothing was written." in result.stdout


def test_answering_no_writes_nothing(run, plan, isolated):
    text = plan.read_text()
    result = guided(run, "2027-03-10", "done", "2027-03-01", "keep", "3", "note", "", "n")
    assert result.exit_code == 0
    assert "Nothing was written." in result.stdout
    assert plan.read_text() == text
    assert completions(run) == {}
    assert not (isolated / "career-journal.md").exists()


def test_nothing_to_save(run, plan):
    result = guided(run, "2027-01-12", "", "")
    assert result.exit_code == 0, result.output
    assert "Nothing to save." in result.stdout


def test_a_done_day_after_the_review_is_asked_again(run, plan):
    result = guided(run, "2027-03-10", "done", "2027-03-11", "soon", "+2m", "k", "", "", "y")
    assert result.exit_code == 0, result.output
    assert "2027-03-11 is after the day of this review (2027-03-10)." in result.stdout
    assert '"soon" is not a date' in result.stdout
    assert completions(run)["milestone:a"] == ("2027-03-04", "manual")


def test_ctrl_c_at_any_point_writes_nothing(run, plan, isolated, monkeypatch):
    from careersync import review_session

    asked = []

    def interrupt_on_the_fifth_question(self, question, default=None):
        asked.append(question)
        if len(asked) == 5:
            raise KeyboardInterrupt
        return default or "done"

    monkeypatch.setattr(review_session.RichPrompter, "ask", interrupt_on_the_fifth_question)
    text = plan.read_text()
    result = guided(run, "2027-03-10")
    assert result.exit_code == 130
    assert "Interrupted: nothing was written." in result.stderr
    assert plan.read_text() == text and completions(run) == {}
    assert not (isolated / "career-journal.md").exists()


def test_input_ending_early_writes_nothing(run, plan, isolated):
    text = plan.read_text()
    result = guided(run, "2027-03-10", "done", "")
    assert result.exit_code == 1
    assert "the input ended before the review did; nothing was written" in result.stderr
    assert plan.read_text() == text and completions(run) == {}


def test_a_plan_changed_during_the_review_is_not_overwritten(run, plan, isolated, monkeypatch):
    from careersync import review_session

    def confirm_after_an_edit_elsewhere(self, question, default):
        plan.write_text(PLAN.replace("Mock exam", "Mock exams"))
        return True

    monkeypatch.setattr(review_session.RichPrompter, "confirm", confirm_after_an_edit_elsewhere)
    result = guided(run, "2027-03-10", "keep", "keep", "2", "Remember this.", "")
    assert result.exit_code == 1
    assert "the file changed on disk since careersync read it; nothing was written" in (
        result.stderr
    )
    assert "Your notes, so that they are not lost:\nRemember this." in result.stderr
    assert plan.read_text() == PLAN.replace("Mock exam", "Mock exams")
    assert completions(run) == {}
    assert not (isolated / "career-journal.md").exists()


def test_a_read_only_plan_writes_nothing(run, plan, isolated):
    plan.chmod(0o444)
    result = guided(run, "2027-03-10", "keep", "keep", "2", "", "y")
    assert result.exit_code == 1
    assert "career.toml: the file is read-only; nothing was written" in result.stderr
    assert completions(run) == {}
    assert not (isolated / "career-journal.md").exists()


def test_notes_are_appended_to_an_existing_journal(run, plan, isolated):
    (isolated / "career-journal.md").write_text("# My journal\n\nStarted the plan.")
    result = guided(run, "2027-01-12", "", "First week done.", "", "y")
    assert result.exit_code == 0, result.output
    assert (isolated / "career-journal.md").read_text() == (
        "# My journal\n\nStarted the plan.\n\n## Review of 2027-01-12\n\nFirst week done.\n"
    )


def test_streaks_since_the_last_review(run, plan):
    for day in ("2027-01-09", "2027-01-16", "2027-01-30", "2027-02-06"):
        run("done", f"habit:practice@{day}", "--on", day)

    def practice(as_of):
        doc = summary(run, as_of)
        return next(r for r in doc["since_last_review"] if r["uid"] == "habit:practice")

    assert (practice("2027-02-06")["streak"], practice("2027-02-06")["best_streak"]) == (2, 2)
    assert practice("2027-02-13")["streak"] == 2, "an occurrence on as_of does not break it yet"
    assert practice("2027-02-14")["streak"] == 0
    assert practice("2027-02-14")["best_streak"] == 2
    assert (practice("2027-02-14")["due"], practice("2027-02-14")["done"]) == (6, 4)
