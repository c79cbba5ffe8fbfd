"""schedule --kind (SPEC section 7) and the month-grouped text view."""

from pathlib import Path

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"


def test_kind_filters_json(run_json):
    result, doc = run_json("--plan", str(EXAMPLE), "schedule", "--kind", "milestone,goal")
    assert result.exit_code == 0
    assert {i["kind"] for i in doc["items"]} == {"milestone", "goal"}
    assert len(doc["items"]) == 10
    _, every = run_json("--plan", str(EXAMPLE), "schedule")
    kept = [i for i in every["items"] if i["kind"] in ("milestone", "goal")]
    assert doc["items"] == kept, "same entries, same order, same shape"
    _, reviews = run_json(
        "--plan", str(EXAMPLE), "schedule", "--kind", "review", "--kind", "contact"
    )
    assert {i["kind"] for i in reviews["items"]} == {"review", "contact"}


def test_unknown_kind_is_a_usage_error_with_a_suggestion(run):
    result = run("--plan", str(EXAMPLE), "schedule", "--kind", "milestone,habbit")
    assert result.exit_code == 2
    assert "--kind: unknown kind 'habbit' (did you mean \"habit\"?)" in result.stderr
    assert "goal, milestone, habit, contact, review" in result.stderr
    assert run("--plan", str(EXAMPLE), "schedule", "--kind", ",").exit_code == 2


def test_text_groups_by_month_and_folds_repeats(run):
    out = run("--plan", str(EXAMPLE), "schedule", "--to", "2027-04-30").stdout
    months = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert months == ["January 2027", "February 2027", "March 2027", "April 2027"]
    assert (
        "  2027-01-09  10:00  habit      SQL practice on real datasets  4x: 9, 16, 23, 30  "
        "[habit:practice]" in out
    )
    assert (
        "  2027-01-04  08:30  contact    Coffee with Raj (mentor)  [contact:mentor@2027-01-04]"
        in out
    )
    assert (
        "  2027-04-04         milestone  Finish an advanced SQL course  [milestone:sql-course]"
        in out
    )


def test_text_of_one_kind(run):
    out = run("--plan", str(EXAMPLE), "schedule", "--kind", "milestone").stdout
    assert "habit" not in out and "review" not in out
    assert out.count("milestone:") == 8
    assert "November 2027\n  2027-11-04         milestone  Sit the certificate exam" in out


def test_nothing_of_that_kind_in_the_window(run):
    result = run("--plan", str(EXAMPLE), "schedule", "--kind", "goal", "--to", "2027-02")
    assert result.exit_code == 0
    assert "Nothing scheduled from 2027-01-04 to 2027-02-28." in result.stdout
