"""Reading a TOML file with errors a user can act on (missing, empty, not UTF-8, bad syntax).

A large file is read with tomli, the source of Python's ``tomllib`` (same grammar, same
errors) compiled with mypyc: three times faster, where parsing was the largest part of a sync
of a large plan. Loading its compiled modules costs more than a small file takes to parse, so a
small file (every config, most plans) is read with ``tomllib``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from careersync.errors import CareersyncError

#: the size (characters) from which the compiled parser pays for its loading
LARGE = 16_384


def read_toml(path: Path, label: str, error: type[CareersyncError], missing_hint: str) -> dict:
    """Parse ``path``; every failure raises ``error`` with a message starting with ``label``."""
    return loads_bytes(read_bytes(path, label, error, missing_hint), label, error, missing_hint)


def loads_bytes(
    raw: bytes, label: str, error: type[CareersyncError], missing_hint: str
) -> dict[str, Any]:
    """Parse a file's bytes (see :func:`read_toml`), for a caller that has read them itself."""
    text = decode(raw, label, error, missing_hint)
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
    if len(text) >= LARGE:
        import tomli as parser
    else:
        import tomllib as parser
    try:
        return parser.loads(text)
    except parser.TOMLDecodeError as exc:
        raise error(f"{label}: invalid TOML: {exc}") from None
