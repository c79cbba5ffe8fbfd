"""The commented starter files `careersync init` writes."""

from __future__ import annotations

import datetime as dt

PLAN = """\
# careersync plan: edit it, then run `careersync check` and `careersync schedule`.
# Table keys ([milestones.sql-course] -> id "sql-course") are stable ids: rename titles freely,
# but keep ids, or the item is deleted and created again in your tools.
# Dates: 2027-06-30, "2027-06" (its last day), or an offset from plan.start:
# "+10d", "+2w", "+3m", "+1y".

[plan]
title = "Senior data analyst within two years"
start = {start}            # relative dates count from here
timezone = "{timezone}"
capacity = "8h/week"          # hours a week you can give this plan
vision = "Lead analytics that shapes product decisions"

[self]                        # self-assessment: free lists of strings
strengths = ["Excel", "presenting to stakeholders"]
interests = ["product analytics"]
values = ["autonomy", "learning"]

[skills]                      # levels 0-5: now -> need is the gap to close
sql = {{ now = 2, need = 4 }}
statistics = {{ now = 2, need = 4 }}

[goals.senior]
title = "Start a senior data analyst role"
by = "+24m"                   # deadline
measure = "Signed offer or promotion letter"
why = "Lead analytics that shapes product decisions"

[milestones.sql-course]
title = "Finish an advanced SQL course"
by = "+3m"
effort = "24h"
skills = ["sql"]

[milestones.stats-course]
title = "Complete an applied statistics course"
after = ["sql-course"]        # no `by`: careersync schedules it between its neighbours
skills = ["statistics"]

[milestones.portfolio]
title = "Publish three portfolio case studies"
after = ["stats-course"]
by = "+12m"
effort = "60h"

[habits.practice]
title = "SQL practice on real datasets"
every = "week"                # day, weekday, week, "2 weeks", month, quarter, year, "RRULE:..."
on = "sat"
at = "10:00"                  # without `at` items are all-day
duration = "1h"
until = "+6m"

[contacts.mentor]
title = "Coffee with a mentor"
every = "month"

[reviews]                     # weekly, monthly, quarterly, semiannual, yearly
weekly = {{ on = "fri", at = "16:00", duration = "30m" }}
quarterly = {{ duration = "2h" }}
"""

CONFIG = """\
# careersync config: where your plan goes. Never put tokens here: `careersync auth NAME` keeps
# them in the OS keyring (or set CAREERSYNC_<NAME>_TOKEN).
# `careersync config example` prints every option of every target (Todoist, Google Calendar,
# Notion, CalDAV); `careersync plugins` lists the installed ones.
plan = "career.toml"                  # the plan, relative to this file

# A plain calendar file, no account needed: import it, or subscribe to it, in any calendar app.
[targets.calendar]
plugin = "ics"
path = "career.ics"                   # relative to this file; other events in it are kept
todos = false                         # true: milestones and goal deadlines as tasks (VTODO)
# Alarms per kind, how long before: "1w", "2d", "2h", "15m" or "none" (these are the defaults).
reminders = { goal = "1w", milestone = "1d", habit = "15m", contact = "1d", review = "15m" }
# The kinds this target receives (default: all):
include = ["goal", "milestone", "habit", "contact", "review"]
# Tick things off in your calendar app: complete a task, or start an event's title with "✓" or
# "[x]" (for one occurrence of a recurring event, edit that occurrence only). The next
# `careersync sync` counts it.
"""


def plan_text(start: dt.date, timezone: str) -> str:
    return PLAN.format(start=start.isoformat(), timezone=timezone)
