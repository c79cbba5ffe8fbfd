"""MarkdownTarget: the plan as a checklist inside a Markdown note (Obsidian, Logseq, any editor).

The note is read once per sync and written once, atomically, in :meth:`commit` (``batched``).
People edit this file by hand, so no content hash is stored in it: :meth:`same` compares the
line careersync would write with the one in the note instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from careersync.api import Entry, Option, Remote, Target, TargetContext, TargetError, atomic_write

from careersync_markdown.checklist import Note, line_for


class MarkdownTarget(Target):
    plugin = "markdown"
    description = "A checklist grouped by goal, inside a Markdown note (Obsidian, Logseq...)"
    options = (
        Option("path", str, "career.md", "the note, relative to the config file", renders=False),
        Option(
            "horizon",
            int,
            14,
            "days ahead each occurrence of a recurring item gets a line",
            renders=False,
        ),
    )
    batched = True

    @classmethod
    def check(cls, options: dict[str, Any]) -> list[str]:
        return ["horizon: must be 0 or more days"] if options["horizon"] < 0 else []

    def __init__(self, config: dict[str, Any], context: TargetContext) -> None:
        super().__init__(config, context)
        self.path = Path(context.base_dir) / Path(config["path"]).expanduser()
        self._note: Note | None = None
        self._read_as: str | None = None
        self._dirty = False

    def occurrence_horizon(self) -> int:
        """A checkbox cannot repeat: each occurrence is a line of its own."""
        return self.config["horizon"]

    @property
    def note(self) -> Note:
        if self._note is None:
            self._read_as = self._read()
            try:
                self._note = Note.parse(self._read_as)
            except ValueError as exc:
                raise TargetError(f"{self.path}: {exc}") from None
        return self._note

    def _read(self) -> str:
        try:
            with open(self.path, encoding="utf-8", newline="") as handle:
                return handle.read()
        except FileNotFoundError:
            return ""
        except UnicodeDecodeError:
            raise TargetError(f"{self.path}: is not UTF-8 text") from None
        except OSError as exc:
            raise TargetError(f"{self.path}: cannot be read ({exc.strerror})") from None

    # reading -----------------------------------------------------------------------------

    def pull(self) -> list[Remote]:
        return [
            Remote(line.uid, remote_id, {line.uid: line.done_on} if line.done else {})
            for remote_id, line in self.note.lines.items()
        ]

    def same(self, remote: Remote, entry: Entry) -> bool:
        line = self.note.lines.get(remote.remote_id)
        wanted = line_for(entry.item, entry.done.get(entry.uid))
        return line is not None and (line.text.strip(), line.section) == (
            wanted.text,
            wanted.section,
        )

    # writing -----------------------------------------------------------------------------

    def create(self, entry: Entry) -> str:
        self.note.lines[entry.uid] = line_for(entry.item, entry.done.get(entry.uid))
        self._dirty = True
        return entry.uid

    def update(self, remote_id: str, entry: Entry) -> str:
        old = self.note.lines.get(remote_id)
        line = line_for(entry.item, entry.done.get(entry.uid))
        line.children = old.children if old else []
        self.note.lines[remote_id] = line
        self._dirty = True
        return remote_id

    def delete(self, remote_id: str) -> None:
        self.note.lines.pop(remote_id, None)
        self._dirty = True

    def commit(self) -> None:
        if not self._dirty:
            return
        if self._read() != self._read_as:
            raise TargetError(
                f"{self.path}: changed while careersync was syncing (saved in an editor?); "
                "nothing was written to it. Run `careersync sync` again"
            )
        text = self.note.render()
        atomic_write(self.path, text.encode("utf-8"))
        self._read_as = text
        self._dirty = False
