"""Reading a TOML file with errors a user can act on (missing, empty, not UTF-8, bad syntax)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from careersync.errors import CareersyncError


def read_toml(path: Path, label: str, error: type[CareersyncError], missing_hint: str) -> dict:
    """Parse ``path``; every failure raises ``error`` with a message starting with ``label``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{label}: no such file ({missing_hint})") from None
    except IsADirectoryError:
        raise error(f"{label}: is a directory, not a file") from None
    except PermissionError:
        raise error(f"{label}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise error(f"{label}: cannot be read ({exc.strerror})") from None
    if not raw.strip():
        raise error(f"{label}: the file is empty ({missing_hint})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            f"{label}: is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from None
    try:
        data: dict[str, Any] = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{label}: invalid TOML: {exc}") from None
    return data
