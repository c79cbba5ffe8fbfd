"""Helpers for targets that keep the plan in a local file (the .ics target, a Markdown note).

A calendar app or an editor may read the file at any moment, and a sync may be interrupted: the
file must always be either the old version or the new one, never half of each.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from careersync.errors import TargetError

#: the mode of a file careersync creates (an existing file keeps its own)
NEW_FILE_MODE = 0o644


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: a temporary file in the same folder, flushed
    to disk, given the file's mode, then renamed over it. A symbolic link is followed (the file
    it points to is replaced, the link stays). Missing folders are created.

    Raises :class:`TargetError` naming the file when it cannot be written.
    """
    target = Path(os.path.realpath(path))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            mode = target.stat().st_mode & 0o777 if target.exists() else NEW_FILE_MODE
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise TargetError(f"{path}: cannot be written ({exc.strerror or exc})") from None
