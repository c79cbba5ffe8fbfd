"""The Todoist target: milestones as dated tasks, habits and reviews as recurring tasks."""

from careersync import hookimpl


@hookimpl
def register_targets(register):
    from careersync_todoist.target import TodoistTarget

    register(TodoistTarget)
