"""Reading values out of a parsed TOML document with every problem collected, not just the first:
the building blocks of the plan loader (``careersync.plan``)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from careersync.errors import did_you_mean
from careersync.grammar import quote

T = TypeVar("T")
ID_PATTERN = re.compile(r"^[a-z0-9_-]+$")
#: stands for a key absent from its table (distinct from every TOML value)
MISSING = object()


class Fields:
    """Reads values out of parsed TOML, collecting ``<file>: <key path>: <problem>`` lines
    instead of stopping at the first one, so every problem is reported at once."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.errors: list[str] = []
        #: ids declared in the file whose entry has an error of its own, per section: a
        #: reference to one is not reported again (one mistake, one message)
        self.broken: defaultdict[str, set[str]] = defaultdict(set)

    def error(self, path: str, problem: str) -> None:
        self.errors.append(
            f"{self.label}: {path}: {problem}" if path else f"{self.label}: {problem}"
        )

    def table(self, path: str, value: object) -> dict[str, Any] | None:
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.error(path, f"must be a table, not {quote(value)}")
            return None
        return value

    def keys(
        self, path: str, table: dict[str, Any], allowed: tuple[str, ...], required: tuple[str, ...]
    ) -> None:
        for key in table:
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                self.error(
                    f"{path}.{key}" if path else key,
                    f"unknown key{hint}; valid keys: {', '.join(allowed)}",
                )
        for key in required:
            if key not in table:
                self.error(f"{path}.{key}" if path else key, "is required but missing")

    def value(self, path: str, raw: object, convert: Callable[[object], T]) -> T | None:
        if raw is MISSING:
            return None
        try:
            return convert(raw)
        except ValueError as exc:
            self.error(path, str(exc))
            return None

    def text(self, path: str, raw: object) -> str | None:
        return self.value(path, raw, _text)

    def strings(self, path: str, raw: object) -> tuple[str, ...] | None:
        return self.value(path, raw, _strings)

    def ids(self, section: str, table: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """Entries of a ``[section.<id>]`` group with valid ids and table values."""
        out = []
        for key, value in table.items():
            path = f"{section}.{key}"
            if not ID_PATTERN.match(key):
                self.error(
                    path,
                    f"{quote(key)} is not a valid id (use lowercase letters, digits, '-' and '_')",
                )
                self.broken[section].add(key)
                continue
            entry = self.table(path, value)
            if entry is not None:
                out.append((key, entry))
            else:
                self.broken[section].add(key)
        return out

    def failed(self, section: str, item_id: str, errors_before: int) -> bool:
        """Whether the entry just read reported an error; if so, remember it as broken."""
        if len(self.errors) > errors_before:
            self.broken[section].add(item_id)
            return True
        return False


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a string, not {quote(value)}")
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"must be a list of strings, not {quote(value)}")
    return tuple(value)
