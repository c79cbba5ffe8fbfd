"""The guided review in a real pseudo-terminal, answered as a person would type."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest
from test_review import PLAN

#: colour and style sequences: the test reads the words
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    """A process on a pty: wait for text on the screen, type a line."""

    def __init__(self, args: list[str], cwd) -> None:
        master, slave = pty.openpty()
        env = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "LINES": "40"}
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, close_fds=True
        )
        os.close(slave)
        self.master = master
        self.screen = ""
        self.seen = 0

    def expect(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen[self.seen :]:
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                pytest.fail(f"{text!r} never showed; the screen:\n{self.screen}")
        self.seen = self.screen.index(text, self.seen) + len(text)

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def finish(self) -> int:
        while self._read(10):
            pass
        os.close(self.master)
        return self.process.wait(timeout=10)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 4096)
        except OSError:
            return False
        text = chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        self.screen += ANSI.sub("", text)
        return bool(chunk)


def test_review_on_a_terminal(isolated):
    (isolated / "career.toml").write_text(PLAN)
    term = Terminal(
        [sys.executable, "-m", "careersync", "review", "--as-of", "2027-03-10"], isolated
    )
    term.expect("Overdue (2)")
    term.expect("done, move, drop or keep? (keep):")
    term.type("done")
    term.expect("Done on which day? (2027-03-10):")
    term.type("2027-03-08")
    term.expect("SQL project [milestone:b]: due 2027-03-04, 6 days late")
    term.type("move")
    term.expect("New date")
    term.type("2027-04")
    term.expect("sql level now (1):")
    term.type("2")
    term.expect("note:")
    term.type("Typed in a terminal.")
    term.type("")
    term.expect('-by = "+2m"      # the spring')
    term.expect('+by = "2027-04"      # the spring')
    term.expect("Record done: milestone:a on 2027-03-08")
    term.expect("Save all this? [y/n] (y):")
    term.type("y")
    term.expect("Saved.")
    assert term.finish() == 0
    assert 'by = "2027-04"      # the spring' in (isolated / "career.toml").read_text()
    assert "Typed in a terminal." in (isolated / "career-journal.md").read_text()
