"""careersync-markdown: the plan as a checklist in a Markdown note, ticks pulled back."""

__version__ = "0.1.0"

from careersync import hookimpl


@hookimpl
def register_targets(register):
    from careersync_markdown.target import MarkdownTarget  # lazily: keeps `careersync --help` fast

    register(MarkdownTarget)
