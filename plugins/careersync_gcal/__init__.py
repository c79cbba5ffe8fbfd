"""The Google Calendar target: milestones, habits and reviews as events, with reminders."""

from careersync import hookimpl


@hookimpl
def register_targets(register):
    from careersync_gcal.target import GcalTarget

    register(GcalTarget)
