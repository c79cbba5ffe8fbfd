"""IcsTarget: options and the file round-trip."""

from careersync.target import Option, Target


class IcsTarget(Target):
    plugin = "ics"
    description = "A plain RFC 5545 calendar file"
    options = (
        Option("path", str, "career.ics", "the .ics file to write, relative to the config file"),
        Option("todos", bool, False, "true: milestones and goal deadlines as VTODO"),
        Option("reminders", dict, {}, 'per kind: "1d", "2h", "15m" or "none"'),
    )
