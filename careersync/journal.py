"""``career-journal.md`` beside the plan: what each review decided and the notes taken, so what
the person learned stays with the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from careersync.errors import CareersyncError

FILE_NAME = "career-journal.md"
TITLE = "# Career journal\n"


def path_beside(plan_path: Path) -> Path:
    return plan_path.resolve().parent / FILE_NAME


def entry(day: dt.date, notes: str, decisions: list[str]) -> str:
    """One review's section: a dated heading, the notes as written, then the decisions."""
    parts = [f"## Review of {day.isoformat()}\n"]
    if notes.strip():
        parts.append(notes.strip() + "\n")
    if decisions:
        parts.append("".join(f"- {line}\n" for line in decisions))
    return "\n".join(parts)


def append(path: Path, text: str) -> None:
    """Add ``text`` at the end of the journal, one blank line after what is there (a new
    journal starts with a title)."""
    try:
        if not path.exists():
            path.write_text(f"{TITLE}\n{text}", encoding="utf-8")
            return
        existing = path.read_text(encoding="utf-8")
        newlines = len(existing) - len(existing.rstrip("\n"))
        lead = "\n" * max(0, 2 - newlines) if existing.strip() else ""
        with path.open("a", encoding="utf-8") as handle:
            handle.write(lead + text)
    except OSError as exc:
        raise CareersyncError(f"{path}: cannot add the review notes ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise CareersyncError(f"{path}: cannot add the review notes (not UTF-8 text)") from None
