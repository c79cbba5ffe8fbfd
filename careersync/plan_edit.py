"""Edits to ``career.toml`` that keep the file the person wrote (SPEC section 7).

tomlkit keeps every comment, blank line and the order of keys. Where its output would not read
as a person would have written it (a key added to an inline table, a table's own comment left
behind when the table goes), the text is put right here. Each edit is also made to the plain
data, and the edited text must parse to exactly that, so a format-preserving edit never changes
anything else; then the result is checked like ``careersync check`` does.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import tomllib
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import InlineTable, Table

from careersync import grammar
from careersync.errors import CareersyncError, PlanError, UsageError, did_you_mean
from careersync.model import Plan
from careersync.plan_file import PlanFile, split_lines

SECTIONS = {
    "goal": "goals",
    "milestone": "milestones",
    "habit": "habits",
    "contact": "contacts",
    "review": "reviews",
}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class EditRefused(CareersyncError):
    """The edit would make the plan invalid; ``details`` lists the problems."""


class PlanEdit:
    """A plan file and the edits made to it so far (nothing is written until :meth:`save`)."""

    def __init__(self, file: PlanFile) -> None:
        self.file = file
        self.text = file.text
        self.data = _loads(self.text, file.label)

    # the edits -------------------------------------------------------------------------------

    def move(self, uid: str, when: str) -> None:
        """Set a goal's or milestone's ``by``, written as ``when`` was given (a full date as a
        TOML date, unless the plan already wrote this ``by`` as a quoted date)."""
        section, key = self.locate(uid, ("goal", "milestone"), "move")
        entry = self._entry(section, key)
        value = self._date_value(when, entry.get("by"))

        def edit(doc: tomlkit.TOMLDocument) -> None:
            _set_key(doc[section], key, "by", value, after="title")

        self._apply(edit, lambda data: data[section][key].__setitem__("by", value))

    def set_skill(self, name: str, level: int) -> None:
        """Set ``skills.NAME.now``; the skill must already be in the plan."""
        if not 0 <= level <= 5:
            raise UsageError(f"--now {level}: a skill level is a whole number from 0 to 5")
        skills = self._section("skills")
        if name not in skills:
            listed = f"; skills: {', '.join(skills)}" if skills else " (the plan lists none)"
            raise CareersyncError(
                f'no skill "{name}" in {self.file.label}{did_you_mean(name, skills)}{listed}; '
                "add new skills by editing the plan"
            )
        self._entry("skills", name)

        def edit(doc: tomlkit.TOMLDocument) -> None:
            _set_key(doc["skills"], name, "now", level, after="need")

        self._apply(edit, lambda data: data["skills"][name].__setitem__("now", level))

    def drop(self, uid: str) -> None:
        """Remove a milestone, habit or contact; refused while milestones come ``after`` it."""
        section, key = self.locate(uid, ("milestone", "habit", "contact"), "drop")
        self._entry(section, key)
        if section == "milestones":
            later = [
                mid
                for mid, m in self._section("milestones").items()
                if isinstance(m, dict) and key in _as_list(m.get("after", []))
            ]
            if later:
                one = len(later) == 1
                raise CareersyncError(
                    f"{uid}: refused: {', '.join(f'milestone:{mid}' for mid in later)} "
                    f"{'comes' if one else 'come'} after it; drop {'it' if one else 'them'} "
                    f'first, or take "{key}" out of {"its" if one else "their"} `after`; '
                    "nothing was written"
                )

        def edit(doc: tomlkit.TOMLDocument) -> None:
            del doc[section][key]

        self._apply(edit, lambda data: data[section].__delitem__(key), removal=True)

    # looking things up -----------------------------------------------------------------------

    def uids(self) -> list[str]:
        return [
            f"{kind}:{key}" for kind, section in SECTIONS.items() for key in self._section(section)
        ]

    def locate(self, uid: str, kinds: tuple[str, ...], verb: str) -> tuple[str, str]:
        """``uid`` -> (section, key), or an error that says what to give instead."""
        known = self.uids()
        parent, at, _ = uid.partition("@")
        if at and parent in known:
            raise CareersyncError(
                f"{uid} names one occurrence; {verb} takes the whole item: {parent}"
            )
        if uid not in known:
            raise CareersyncError(
                f"{uid}: no such item in {self.file.label}{did_you_mean(uid, known)} "
                "(uids look like milestone:sql-course; `careersync schedule` lists them)"
            )
        kind, _, key = uid.partition(":")
        if kind not in kinds:
            what = ", ".join(kinds[:-1]) + f" or {kinds[-1]}"
            raise CareersyncError(
                f"{uid}: {verb} takes a {what}, not a {kind} (edit the plan to change it)"
            )
        return SECTIONS[kind], key

    def _section(self, name: str) -> dict[str, Any]:
        section = self.data.get(name, {})
        return section if isinstance(section, dict) else {}

    def _entry(self, section: str, key: str) -> dict[str, Any]:
        entry = self._section(section).get(key)
        if not isinstance(entry, dict):
            raise CareersyncError(
                f"{self.file.label}: {section}.{key}: is not a table; fix it by hand first"
            )
        return entry

    def _date_value(self, when: str, current: object) -> dt.date | str:
        text = when.strip()
        try:
            start = grammar.parse_date(self._section("plan").get("start"), None)
        except ValueError:
            start = None
        try:
            day = grammar.parse_date(text, start or dt.date.min)
        except ValueError as exc:
            raise UsageError(f"--by: {exc}") from None
        if _ISO_DAY.match(text) and not (isinstance(current, str) and _ISO_DAY.match(current)):
            return day
        return text

    # applying and checking -------------------------------------------------------------------

    def _apply(self, edit, expect, *, removal: bool = False) -> None:
        cannot = CareersyncError(
            f"{self.file.label}: careersync cannot make this edit without changing other "
            "parts of the file; nothing was written (make it by hand)"
        )
        try:
            doc = tomlkit.parse(self.text)
            edit(doc)
        except (TOMLKitError, KeyError):
            raise cannot from None
        text = doc.as_string()
        if removal:
            text = _tidy_removal(self.text, text)
        expected = copy.deepcopy(self.data)
        expect(expected)
        if _pruned(_loads(text, self.file.label)) != _pruned(expected):
            raise cannot
        from careersync import plan as plan_module

        try:
            plan_module.parse(expected, self.file.label)
        except PlanError as exc:
            raise EditRefused(
                f"{self.file.label}: refused: the edit would leave the plan invalid; "
                "nothing was written",
                details=exc.details,
            ) from None
        self.text, self.data = text, expected

    def plan(self) -> Plan:
        """The edited plan (valid: every edit was checked)."""
        from careersync import plan as plan_module

        return plan_module.parse(self.data, self.file.label)

    @property
    def changed(self) -> bool:
        return self.text != self.file.text

    def diff(self) -> str:
        """The unified diff of the edits so far ('' when nothing changed)."""
        name = self.file.label
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in difflib.unified_diff(
                split_lines(self.file.text),
                split_lines(self.text),
                f"a/{name}",
                f"b/{name}",
            )
        )

    def save(self) -> None:
        """Write the edits (atomically; refused if the file changed on disk meanwhile)."""
        if self.changed:
            self.file.write(self.file.encode(self.text))


def _loads(text: str, label: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{label}: invalid TOML: {exc}") from None


def _as_list(value: object) -> list:
    return [value] if isinstance(value, str) else value if isinstance(value, list) else []


def _pruned(value: Any) -> Any:
    """Data with empty tables left out: a section emptied by ``drop`` may vanish from the file."""
    if isinstance(value, dict):
        out = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v != {}}
    return value


def _set_key(parent: Any, name: str, key: str, value: object, *, after: str) -> None:
    """Set ``parent[name][key]``. A new key goes on the line after ``after`` in a table with a
    header, at the end of an inline table, or where tomlkit puts it (dotted keys)."""
    table = parent[name]
    if key in table:
        table[key] = value
    elif isinstance(table, InlineTable):
        parent[name] = _inline_with(table, key, value)
    elif isinstance(table, Table) and after in table:
        item = tomlkit.item(value)
        item.trivia.indent = table.value.item(after).trivia.indent
        # tomlkit's public add() would put the key after the table's trailing comments
        table.value._insert_after(after, key, item)
    else:
        table[key] = value


def _inline_with(table: InlineTable, key: str, value: object) -> InlineTable:
    """``{ need = 3 }`` -> ``{ need = 3, now = 1 }``, following the table's own spacing."""
    m = re.fullmatch(r"\{(?P<body>.*?)(?P<space>\s*)\}", table.as_string(), re.S)
    body, space = (m["body"], m["space"]) if m else ("", " ")
    pair = tomlkit.item(value).as_string()
    if not body.strip():
        return tomlkit.value(f"{{ {key} = {pair} }}")
    equals = " = " if re.search(r"\s=\s", body) else "="
    comma = re.search(r",(\s*)", body)
    separator = "," + comma.group(1) if comma else ", "
    return tomlkit.value(f"{{{body}{separator}{key}{equals}{pair}{space}}}")


def _tidy_removal(before: str, after: str) -> str:
    """The text after tomlkit removed one table or key, with the removal made as a person would:
    a table's own comment lines (directly above it) go with it, comment lines directly above the
    next table stay with that table, and no run of blank lines is left doubled or trailing."""
    old, new = split_lines(before), split_lines(after)
    block = _removed_block(old, new)
    if block is None:
        return after
    start, end = block
    table = _is_header(old[start])
    if table and end < len(old) and _is_header(old[end]):
        while end > start + 1 and _is_comment(old[end - 1]):
            end -= 1
    top = start
    while top > 0 and _is_comment(old[top - 1]):
        top -= 1
    if table or top == 0 or not _is_header(old[top - 1]):
        start = top
    if end == len(old):
        while start > 0 and not old[start - 1].strip():
            start -= 1
    elif (start == 0 or not old[start - 1].strip()) and not old[end].strip():
        while end < len(old) and not old[end].strip():
            end += 1
    return "".join(old[:start] + old[end:])


def _removed_block(old: list[str], new: list[str]) -> tuple[int, int] | None:
    """The lines [start, end) of ``old`` whose removal leaves ``new``, if that is what changed."""
    if len(new) >= len(old):
        return None
    start = 0
    while start < len(new) and old[start] == new[start]:
        start += 1
    end = len(old) - (len(new) - start)
    return (start, end) if old[end:] == new[start:] else None


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _is_header(line: str) -> bool:
    return line.lstrip().startswith("[")
