"""The Google Calendar target through gcsa and google-api-python-client, against a stateful fake
of Calendar v3 (an injected http object) and a token endpoint faked with ``responses``."""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import pytest
import responses
from gcal_fake import FakeCalendar

from careersync.testing import Harness, TargetConformance

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"
TOKEN_URI = "https://oauth2.googleapis.com/token"
STORED = json.dumps(
    {
        "refresh_token": "1//refresh",
        "client_id": "cid.apps.googleusercontent.com",
        "client_secret": "shh",
        "token_uri": TOKEN_URI,
    }
)


@contextlib.contextmanager
def serving(monkeypatch):
    """The fake Calendar API behind the gcal target, and Google's token endpoint."""
    import careersync_gcal.target

    fake = FakeCalendar()
    monkeypatch.setattr(careersync_gcal.target, "HTTP", fake)
    for name in ("T", "GCAL"):
        monkeypatch.setenv(f"CAREERSYNC_{name}_TOKEN", STORED)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as oauth:
        oauth.add(
            responses.POST,
            TOKEN_URI,
            json={
                "access_token": fake.token,
                "expires_in": 3600,
                "token_type": "Bearer",
                "scope": "https://www.googleapis.com/auth/calendar",
            },
        )
        fake.oauth = oauth
        yield fake


@pytest.fixture
def google(monkeypatch):
    with serving(monkeypatch) as fake:
        yield fake


def writes(fake: FakeCalendar) -> int:
    return sum(1 for method, _ in fake.requests if method != "GET")


def complete(fake: FakeCalendar, key: str, calendar: str = "primary") -> None:
    uid, _, day = key.partition("@")
    if day:
        fake.set_instance(uid, day, colorId="10", calendar=calendar)
    else:
        fake.by_uid(uid, calendar)["colorId"] = "10"


def uncomplete(fake: FakeCalendar, key: str, calendar: str = "primary") -> None:
    """The person takes off the done colour they gave it (and nothing else)."""
    uid, _, day = key.partition("@")
    if day:
        fake.set_instance(uid, day, colorId=None)
    else:
        fake.by_uid(uid, calendar).pop("colorId", None)


def shown(fake: FakeCalendar) -> set[str]:
    """Keys shown done: the done colour (basil, "10") on an event or one of its instances."""
    keys = set()
    for uid, (event,) in fake.ours().items():
        if event.get("recurrence"):
            keys |= {
                f"{uid}@{fake._day(i)}" for i in fake.instances(event) if i.get("colorId") == "10"
            }
        elif event.get("colorId") == "10":
            keys.add(uid)
    return keys


class TestGcalConformance(TargetConformance):
    @pytest.fixture
    def harness(self, google) -> Harness:
        @contextlib.contextmanager
        def failing():
            google.fail_next(400, "invalid", count=30, method="POST")
            yield
            google.failures.clear()

        return Harness(
            {"plugin": "gcal"},
            lambda: {uid: [e["summary"] for e in events] for uid, events in google.ours().items()},
            lambda: writes(google),
            lambda key: complete(google, key),
            failing,
            shown=lambda: shown(google),
            uncomplete=lambda key: uncomplete(google, key),
        )


CONFIG = '[targets.gcal]\nplugin = "gcal"\n'


@pytest.fixture
def example(isolated, write):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    write("careersync.toml", CONFIG)
    return isolated


def sync(run, *args):
    result = run("sync", "--json", *args)
    return result.exit_code, json.loads(result.stdout)["targets"]["gcal"]


def status_items(run):
    return {
        i["uid"]: i
        for i in json.loads(run("status", "--json", "--as-of", "2029-01-04").stdout)["items"]
    }


def test_all_day_and_timed_events_and_rrules_matching_the_ics_file(run, write, example, google):
    code, report = sync(run)
    assert (code, report["created"]) == (0, 15), report
    sql = google.by_uid("milestone:sql-course")
    assert sql["start"] == {"date": "2027-04-04"} and sql["end"] == {"date": "2027-04-05"}
    practice = google.by_uid("habit:practice")
    assert practice["start"] == {
        "dateTime": "2027-01-09T10:00:00",
        "timeZone": "Europe/London",
    }
    assert practice["end"]["dateTime"] == "2027-01-09T12:00:00"
    assert practice["extendedProperties"]["private"]["careersync_uid"] == "habit:practice"
    assert "Goal: Pass the Google" in practice["description"]
    write("careersync.toml", CONFIG + '\n[targets.file]\nplugin = "ics"\npath = "plan.ics"\n')
    run("sync", "--target", "file")
    from icalendar import Calendar

    ics = {
        str(c["X-CAREERSYNC-UID"]): c
        for c in Calendar.from_ical((example / "plan.ics").read_bytes()).walk("VEVENT")
    }
    for uid, events in google.ours().items():
        if events[0].get("recurrence"):
            ours = set(events[0]["recurrence"][0].removeprefix("RRULE:").split(";"))
            assert ours == set(ics[uid]["RRULE"].to_ical().decode().split(";")), uid


def test_reminders_colors_and_options(run, write, example, google):
    write(
        "careersync.toml",
        CONFIG + 'reminders = { milestone = ["popup:2d", "email:1w"], habit = "none" }\n'
        'colors = { milestone = "peacock", review = "3" }\n',
    )
    code, report = sync(run)
    assert code == 0, report
    sql = google.by_uid("milestone:sql-course")
    assert sql["reminders"] == {
        "useDefault": False,
        "overrides": [{"method": "popup", "minutes": 2880}, {"method": "email", "minutes": 10080}],
    }
    assert sql["colorId"] == "7"
    assert google.by_uid("habit:practice")["reminders"] == {"useDefault": False}
    assert google.by_uid("review:weekly")["colorId"] == "3"
    assert google.by_uid("goal:senior")["reminders"]["overrides"] == [
        {"method": "popup", "minutes": 10080}
    ]


def test_bad_options(run, write, example, google):
    write(
        "careersync.toml",
        CONFIG
        + 'done_color = "mauve"\ncolors = { milestone = "basil" }\nreminders = { goal = ["popup:6w"] }\n',
    )
    result = run("check")
    assert result.exit_code == 1
    assert "targets.gcal.done_color: 'mauve' is not a color" in result.stderr
    assert "targets.gcal.reminders.goal: 'popup:6w' is more than Google's 4 weeks" in result.stderr


def test_done_by_colour_and_by_title_on_one_offs_and_instances(run, example, google):
    sync(run)
    google.by_uid("milestone:sql-course")["colorId"] = "10"
    exam = google.by_uid("milestone:exam")
    exam["summary"] = "[x] " + exam["summary"]
    google.set_instance("habit:practice", "2027-01-16", colorId="10")
    google.set_instance("review:weekly", "2027-01-22", summary="✓ Weekly review")
    code, report = sync(run)
    assert (code, report["completed"]) == (0, 4), report
    items = status_items(run)
    for uid in (
        "milestone:sql-course",
        "milestone:exam",
        "habit:practice@2027-01-16",
        "review:weekly@2027-01-22",
    ):
        assert items[uid]["done"] and items[uid]["source"] == "gcal", uid
    assert google.by_uid("milestone:exam")["summary"] == "✓ Sit the certificate exam"
    code, report = sync(run)
    assert (report["completed"], report["updated"]) == (0, 0)
    google.by_uid("milestone:sql-course").pop("colorId")
    google.by_uid("milestone:sql-course")["summary"] = "Finish an advanced SQL course"
    code, report = sync(run)
    assert report["cleared"] == 1


def test_done_and_undo_show_on_one_instance(run, example, google):
    sync(run)
    run("done", "habit:practice@2027-01-23")
    sync(run)
    master = google.by_uid("habit:practice")
    day = next(
        i
        for i in google.instances(master)
        if i["originalStartTime"]["dateTime"].startswith("2027-01-23")
    )
    assert day["colorId"] == "10"
    run("undo", "habit:practice@2027-01-23")
    code, report = sync(run)
    day = next(
        i
        for i in google.instances(master)
        if i["originalStartTime"]["dateTime"].startswith("2027-01-23")
    )
    assert "colorId" not in day and report["completed"] == 0


def test_lost_state_adopts_by_extended_property(run, example, google, isolated):
    sync(run)
    before = writes(google)
    shutil.rmtree(isolated.parent / "state")
    code, report = sync(run)
    assert (code, report["created"], report["unchanged"]) == (0, 0, 15)
    assert writes(google) == before
    assert all(len(events) == 1 for events in google.ours().values())
    listing = [
        path for method, path in google.requests if method == "GET" and path.endswith("/events")
    ]
    assert listing


def test_an_event_deleted_by_hand_is_recreated_and_reported(run, example, google):
    sync(run)
    google.by_uid("milestone:exam")["status"] = "cancelled"
    result = run("sync")
    assert "re-created 1 item(s) deleted there: milestone:exam" in result.stdout
    assert len(google.ours()["milestone:exam"]) == 1


def test_an_expired_token_says_which_command_to_run(run, example, google):
    google.oauth.replace(
        responses.POST,
        TOKEN_URI,
        status=400,
        json={"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
    )
    result = run("sync")
    assert result.exit_code == 1
    assert (
        "Google expired or revoked the stored authorization for target 'gcal': run `careersync auth gcal`"
        in result.stderr
    )
    assert "1//refresh" not in result.output and "shh" not in result.output


def test_no_authorization_yet(run, example, google, monkeypatch):
    monkeypatch.delenv("CAREERSYNC_GCAL_TOKEN")
    result = run("sync")
    assert "no Google authorization for target 'gcal': run `careersync auth gcal`" in result.stderr


def test_rate_limit_reasons_back_off_and_inserts_are_not_repeated(
    run, example, google, monkeypatch
):
    import careersync.retry

    waits = []
    monkeypatch.setattr(careersync.retry, "pause", waits.append)
    google.fail_next(403, "rateLimitExceeded")
    google.fail_next(429, "rateLimitExceeded", retry_after=3)
    google.fail_next(403, "userRateLimitExceeded")
    code, report = sync(run)
    assert (code, report["created"]) == (0, 15)
    assert len(waits) == 3 and waits[1] == 3
    google.fail_next(503, "backendError", method="PUT")
    plan = (example / "career.toml").read_text()
    (example / "career.toml").write_text(plan.replace("Sit the certificate exam", "Sit the exam"))
    code, report = sync(run)
    assert (code, report["updated"]) == (0, 1), "an update is safe to repeat"
    (example / "career.toml").write_text(
        plan.replace("[milestones.applications]", "[milestones.apply]")
    )
    google.fail_next(500, "backendError", method="POST")
    google.requests.clear()
    code, report = sync(run)
    assert code == 0 and report["created"] == 1, "looked up, then sent again"
    assert len(google.ours()["milestone:apply"]) == 1
    assert [r for r in google.requests if r[0] == "POST"].count(
        ("POST", "/calendars/primary/events")
    ) == 2


def test_a_calendar_named_in_the_config_is_created(run, write, example, google):
    write("careersync.toml", CONFIG + 'calendar = "Career plan"\n')
    code, report = sync(run)
    assert code == 0
    created = [c for c in google.calendars.values() if c["summary"] == "Career plan"]
    assert len(created) == 1 and created[0]["timeZone"] == "Europe/London"
    assert len(google.ours(created[0]["id"])) == 15
    code, report = sync(run)
    assert (
        report["unchanged"] == 15
        and len([c for c in google.calendars.values() if c["summary"] == "Career plan"]) == 1
    )


def test_auth_runs_the_installed_app_flow_and_stores_the_refresh_token(
    run, write, example, google, memory_keyring, monkeypatch
):
    import google_auth_oauthlib.flow

    write(
        "client.json",
        json.dumps(
            {
                "installed": {
                    "client_id": "cid",
                    "client_secret": "shh",
                    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                    "token_uri": TOKEN_URI,
                    "redirect_uris": ["http://localhost"],
                }
            }
        ),
    )
    write("careersync.toml", CONFIG + 'client_secrets = "client.json"\nheadless = true\n')
    seen = {}

    def flow_run(self, **kwargs):
        seen.update(kwargs)
        from google.oauth2.credentials import Credentials

        return Credentials(
            token="t",
            refresh_token="1//new",
            token_uri=TOKEN_URI,
            client_id="cid",
            client_secret="shh",
        )

    monkeypatch.setattr(google_auth_oauthlib.flow.InstalledAppFlow, "run_local_server", flow_run)
    result = run("auth", "gcal")
    assert result.exit_code == 0, result.output
    assert seen["open_browser"] is False
    stored = json.loads(memory_keyring.get_password("careersync", "gcal"))
    assert stored["refresh_token"] == "1//new" and stored["client_id"] == "cid"
    assert "1//new" not in result.output


def test_auth_without_a_client_file_explains(run, write, example, monkeypatch):
    monkeypatch.delenv("CAREERSYNC_GOOGLE_CLIENT_SECRETS", raising=False)
    result = run("auth", "gcal")
    assert result.exit_code == 1
    assert "Google needs your OAuth client" in result.stderr
