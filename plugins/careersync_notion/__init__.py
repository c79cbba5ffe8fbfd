"""The Notion target: the plan as pages of a Notion database (data source)."""

from careersync import hookimpl


@hookimpl
def register_targets(register):
    from careersync_notion.target import NotionTarget

    register(NotionTarget)
