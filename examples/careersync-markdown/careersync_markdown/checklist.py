"""The careersync block of a Markdown note: parsed into item lines, rendered back.

Pure text handling, no I/O: everything outside the block is kept exactly as it was (line
endings included). Inside it careersync owns the layout: one ``## <goal>`` section per goal
(``## Other`` for items without one), one task line per item::

    - [x] Finish a SQL course <!-- careersync:milestone:sql --> 📅 2027-04-04 ✅ 2027-03-20

The uid comment sits before the dates so the Obsidian Tasks plugin still reads them (it reads
fields from the end of the line, and appends ``✅ <date>`` there when a task is ticked).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from careersync.api import Item

BEGIN = "<!-- careersync:begin -->"
END = "<!-- careersync:end -->"
OTHER = "Other"
UID = re.compile(r"<!-- careersync:(\S+) -->")
TASK = re.compile(r"^\s*[-*+] \[(?P<mark>[^\]])\]")
DUE = re.compile(r"📅 (\d{4}-\d{2}-\d{2})")
DONE_ON = re.compile(r"✅ (\d{4}-\d{2}-\d{2})")
HEADING = re.compile(r"^#{1,6} +(?P<title>.*?)(?: +#+)? *$")


@dataclass
class Line:
    """One item's task line, the section it sits in, and the lines indented under it (the
    person's notes or sub-tasks: they move with the item)."""

    uid: str
    text: str
    section: str
    children: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        task = TASK.match(self.text)
        return task is not None and task["mark"] in "xX"

    @property
    def done_on(self) -> dt.date | None:
        return _date(DONE_ON, self.text)

    def sort_key(self) -> tuple[dt.date, str]:
        return (_date(DUE, self.text) or dt.date.max, self.uid)


@dataclass
class Note:
    """A Markdown note: the text around careersync's block, and the block's item lines by
    remote id (the uid; ``uid#2``... for a line the person copied)."""

    before: str = ""
    lines: dict[str, Line] = field(default_factory=dict)
    #: lines in the block careersync did not write: kept, at the block's end
    loose: list[str] = field(default_factory=list)
    after: str = ""
    newline: str = "\n"
    end_newline: str = "\n"

    @classmethod
    def parse(cls, text: str) -> Note:
        """Raise ValueError when the block's markers are not one begin followed by one end."""
        newline = "\r\n" if "\r\n" in text else "\n"
        rows = text.splitlines(keepends=True)
        begins = [n for n, row in enumerate(rows) if row.strip() == BEGIN]
        ends = [n for n, row in enumerate(rows) if row.strip() == END]
        if not begins and not ends:
            return cls(before=_separated(text, newline), newline=newline, end_newline=newline)
        if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
            raise ValueError(
                f"expected one {BEGIN} line followed by one {END} line, found "
                f"{len(begins)} and {len(ends)}; fix the markers (or delete the block, and "
                "careersync writes it again)"
            )
        begin, end = begins[0], ends[0]
        note = cls(
            before="".join(rows[:begin]),
            after="".join(rows[end + 1 :]),
            newline=newline,
            end_newline=rows[end][len(rows[end].rstrip("\r\n")) :],
        )
        note._read_block([row.rstrip("\r\n") for row in rows[begin + 1 : end]])
        return note

    def _read_block(self, rows: list[str]) -> None:
        section, current = OTHER, None
        for row in rows:
            uid = UID.search(row)
            heading = HEADING.match(row)
            if uid:
                current = Line(uid[1], row, section)
                remote_id, copies = uid[1], 1
                while remote_id in self.lines:
                    copies += 1
                    remote_id = f"{uid[1]}#{copies}"
                self.lines[remote_id] = current
            elif not row.strip():
                continue
            elif heading:
                section, current = heading["title"], None
            elif row[0] in " \t" and current is not None:
                current.children.append(row)
            else:
                self.loose.append(row)
                current = None

    def render(self) -> str:
        """The whole note, with the block written from the current lines."""
        sections: dict[str, list[Line]] = {}
        for line in sorted(self.lines.values(), key=Line.sort_key):
            sections.setdefault(line.section, []).append(line)
        rows = [BEGIN]
        for name in sorted(sections, key=lambda s: (s == OTHER, sections[s][0].sort_key())):
            rows += ["", f"## {name}", ""]
            for line in sections[name]:
                rows += [line.text, *line.children]
        if self.loose:
            rows += ["", *self.loose]
        rows += ["", END]
        return self.before + self.newline.join(rows) + self.end_newline + self.after


def line_for(item: Item, done_on: dt.date | None) -> Line:
    """The task line careersync writes for ``item`` (ticked, with its date, when done)."""
    title = " ".join(item.title.split())
    label = "Goal: " if item.kind == "goal" else ""
    when = ""
    if item.time is not None:
        when = f" at {item.time:%H:%M}"
        if item.duration:
            when += f" ({_duration(item.duration)})"
    mark = "x" if done_on else " "
    text = f"- [{mark}] {label}{title}{when} <!-- careersync:{item.uid} --> 📅 {item.date}"
    if done_on:
        text += f" ✅ {done_on}"
    return Line(item.uid, text, item.goal_title or OTHER)


def _duration(length: dt.timedelta) -> str:
    hours, rest = divmod(int(length.total_seconds()) // 60, 60)
    return "".join(f"{n}{unit}" for n, unit in ((hours, "h"), (rest, "m")) if n) or "0m"


def _date(pattern: re.Pattern[str], text: str) -> dt.date | None:
    found = pattern.findall(text)
    try:
        return dt.date.fromisoformat(found[-1]) if found else None
    except ValueError:
        return None


def _separated(text: str, newline: str) -> str:
    """``text`` ready for a block appended after it: ending with a blank line, unless empty."""
    if not text or text.endswith(newline * 2):
        return text
    return text + newline if text.endswith(newline) else text + newline * 2
