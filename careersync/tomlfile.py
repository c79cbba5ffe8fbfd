"""Reading a TOML file with errors a user can act on (missing, empty, not UTF-8, bad syntax).

The parser is tomli, the source of Python's ``tomllib`` (same grammar, same errors) compiled
with mypyc: it reads a large plan three times faster, the largest part of a no-op sync.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli

from careersync.errors import CareersyncError


def read_toml(path: Path, label: str, error: type[CareersyncError], missing_hint: str) -> dict:
    """Parse ``path``; every failure raises ``error`` with a message starting with ``label``."""
    text = decode(read_bytes(path, label, error, missing_hint), label, error, missing_hint)
    return loads(text.removeprefix("\ufeff"), label, error)


def read_bytes(path: Path, label: str, error: type[CareersyncError], missing_hint: str) -> bytes:
    """The file's bytes, or ``error`` saying why they cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{label}: no such file ({missing_hint})") from None
    except IsADirectoryError:
        raise error(f"{label}: is a directory, not a file") from None
    except PermissionError:
        raise error(f"{label}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise error(f"{label}: cannot be read ({exc.strerror})") from None


def decode(raw: bytes, label: str, error: type[CareersyncError], missing_hint: str) -> str:
    """UTF-8 text of a non-empty file (a byte-order mark, if any, is kept)."""
    if not raw.strip():
        raise error(f"{label}: the file is empty ({missing_hint})")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            f"{label}: is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from None


def loads(text: str, label: str, error: type[CareersyncError]) -> dict[str, Any]:
    """Parse TOML text; invalid TOML raises ``error`` with the line and column."""
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise error(f"{label}: invalid TOML: {exc}") from None
