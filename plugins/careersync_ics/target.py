"""IcsTarget: the plan as one calendar file, written atomically once per sync.

This module stays light (no icalendar import) so that validating a config costs nothing;
the file handling loads on the first read or write.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from careersync import __version__
from careersync.target import Entry, Option, Remote, Target, TargetCache, TargetContext
from careersync_ics import reminders

if TYPE_CHECKING:
    from careersync_ics.calendar_file import CalendarFile


class IcsTarget(Target):
    plugin = "ics"
    description = "A plain RFC 5545 calendar file any calendar app can import or subscribe to"
    options = (
        Option(
            "path", str, "career.ics", "the .ics file, relative to the config file", renders=False
        ),
        Option("todos", bool, False, "true: milestones and goal deadlines as VTODO"),
        Option(
            "reminders",
            dict,
            {},
            'per kind, how long before: "1d", "2h", "15m" or "none" '
            '(defaults: goal "1w", milestone "1d", habit "15m", contact "1d", review "15m")',
        ),
    )
    batched = True

    @classmethod
    def check(cls, out: dict[str, Any]) -> list[str]:
        return reminders.problems(out["reminders"])

    def __init__(self, config: dict[str, Any], context: TargetContext) -> None:
        super().__init__(config, context)
        self.path = Path(context.base_dir) / config["path"]
        self._file: CalendarFile | None = None

    @property
    def file(self) -> CalendarFile:
        if self._file is None:
            from careersync_ics.calendar_file import CalendarFile

            where = f"{__version__} {self.path.resolve()} {self.context.timezone}"
            cache = TargetCache(self.context, where)
            self._file = CalendarFile(self.path, self.context.timezone, cache, self.context.warn)
        return self._file

    def pull(self) -> list[Remote]:
        return self.file.remotes()

    def create(self, entry: Entry) -> str:
        return self.file.put(
            entry,
            todos=self.config["todos"],
            reminders=self.config["reminders"],
            today=self.context.today,
        )

    def update(self, remote_id: str, entry: Entry) -> str:
        self.file.remove(remote_id)
        return self.create(entry)

    def delete(self, remote_id: str) -> None:
        self.file.remove(remote_id)

    def commit(self) -> None:
        if self._file is not None:
            self._file.save()
