"""The plan file on disk: read once, written back atomically, byte for byte as it was kept.

Edits work on text with ``\\n`` line endings and no byte-order mark. :meth:`PlanFile.encode`
puts the file's own line endings and BOM back, so a CRLF file stays CRLF and every line an edit
did not touch stays byte-identical. :meth:`PlanFile.write` refuses when the file changed on disk
since it was read, so an edit never overwrites one made meanwhile in an editor.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from careersync.errors import CareersyncError, PlanError
from careersync.tomlfile import decode, read_bytes

BOM = "\ufeff"
MISSING_HINT = "run `careersync init` to write a starter plan"


class PlanChanged(CareersyncError):
    """The plan file changed on disk between reading it and writing the edit."""


def split_lines(text: str) -> list[str]:
    """Lines with their ``\\n`` kept (the last one may have none); only ``\\n`` splits."""
    lines = [line + "\n" for line in text.split("\n")]
    last = lines.pop()
    if last != "\n":
        lines.append(last[:-1])
    return lines


@dataclass(frozen=True)
class PlanFile:
    """One read of the plan: its bytes, and its text as edits see it."""

    path: Path
    label: str
    raw: bytes
    bom: bool
    #: the file's lines, exactly as read (line endings included)
    original: tuple[str, ...]
    #: the same lines with ``\n`` endings: what edits work on
    lines: tuple[str, ...]
    #: the line ending of lines an edit adds: the file's most common one
    newline: str
    mode: int

    @classmethod
    def read(cls, path: Path, label: str) -> PlanFile:
        """Read the plan (symlinks followed, so an edit replaces the real file)."""
        real = path.resolve()
        raw = read_bytes(real, label, PlanError, MISSING_HINT)
        text = decode(raw, label, PlanError, MISSING_HINT)
        bom = text.startswith(BOM)
        original = split_lines(text.removeprefix(BOM))
        lines = [line[:-2] + "\n" if line.endswith("\r\n") else line for line in original]
        crlf = sum(1 for line in original if line.endswith("\r\n"))
        lf = sum(1 for line in original if line.endswith("\n")) - crlf
        return cls(
            path=real,
            label=label,
            raw=raw,
            bom=bom,
            original=tuple(original),
            lines=tuple(lines),
            newline="\r\n" if crlf > lf else "\n",
            mode=stat.S_IMODE(real.stat().st_mode),
        )

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def encode(self, text: str) -> bytes:
        """``text`` (an edit of :attr:`text`) as bytes: unchanged lines as they were read, new
        lines with the file's line ending, and the BOM if the file had one."""
        new = split_lines(text)
        out: list[str] = []
        matcher = difflib.SequenceMatcher(None, self.lines, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                out.extend(self.original[i1:i2])
                continue
            for offset, line in enumerate(new[j1:j2]):
                replaced = self.original[i1 + offset] if i1 + offset < i2 else ""
                ending = self.newline
                if replaced.endswith("\n"):
                    ending = "\r\n" if replaced.endswith("\r\n") else "\n"
                out.append(line[:-1] + ending if line.endswith("\n") else line)
        return ((BOM if self.bom else "") + "".join(out)).encode("utf-8")

    @property
    def read_only(self) -> bool:
        return self.mode & 0o222 == 0 or not os.access(self.path, os.W_OK)

    def write(self, data: bytes) -> None:
        """Replace the file with ``data`` atomically (a temporary file beside it, then a rename),
        keeping its permissions; refuse if it is read-only or changed since it was read."""
        if self.read_only:
            raise CareersyncError(
                f"{self.label}: the file is read-only; nothing was written "
                f"(make it writable, e.g. `chmod u+w {self.label}`, and run the command again)"
            )
        self.check_unchanged()
        try:
            fd, temp = tempfile.mkstemp(
                dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
            )
        except OSError as exc:
            raise CareersyncError(
                f"{self.label}: cannot write in its folder ({exc.strerror}); nothing was written"
            ) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, self.mode)
            self.check_unchanged()
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(temp)
            raise
        self._sync_folder()

    def check_unchanged(self) -> None:
        try:
            current = self.path.read_bytes()
        except OSError:
            current = None
        if current != self.raw:
            raise PlanChanged(
                f"{self.label}: the file changed on disk since careersync read it; "
                "nothing was written (run the command again to edit the new version)"
            )

    def _sync_folder(self) -> None:
        """Make the rename durable where the system allows opening a folder."""
        with contextlib.suppress(OSError):
            fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
