"""The .ics target: the plan as one RFC 5545 calendar file, no account needed."""

from careersync import hookimpl


@hookimpl
def register_targets(register):
    from careersync_ics.target import IcsTarget

    register(IcsTarget)
