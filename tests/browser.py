"""Render a page in headless Chromium and report what a person would see and what went wrong.

Talks the DevTools protocol over a pipe (``--remote-debugging-pipe``: JSON messages ending in a
NUL byte on file descriptors 3 and 4), so it needs no websocket library and no open port. Console
errors, uncaught exceptions and failed loads are collected as problems.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-pipe",
    "--hide-scrollbars",
)


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class Rendered:
    png: bytes
    #: the whole page at a fifth of its size, small enough to decode in pure Python
    thumbnail: bytes
    problems: list[str]
    #: the page's full width in CSS pixels (wider than the viewport means it does not reflow)
    scroll_width: int


class _Pipe:
    def __init__(self, write_fd: int, read_fd: int) -> None:
        self.write_fd, self.read_fd = write_fd, read_fd
        self.buffer = b""
        self.events: list[dict] = []
        self.next_id = 0

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        reply = self.wait(lambda m, wanted=self.next_id: m.get("id") == wanted)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def wait(self, match, timeout: float = 90.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                message = json.loads(raw)
                if match(message):
                    return message
                if "method" in message:
                    self.events.append(message)
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.read_fd], [], [], max(left, 0))
            if not ready:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self.buffer += chunk


def render(
    page: Path, width: int = 1100, height: int = 900, mobile: bool = False, full_page: bool = True
) -> Rendered:
    """Load ``page`` at a viewport of ``width`` x ``height`` and take a screenshot of the whole
    page (or of the viewport only)."""
    to_browser, from_test = os.pipe()
    to_test, from_browser = os.pipe()

    def wire_fds() -> None:  # in the child: its fd 3 reads commands, fd 4 writes answers
        read_end, write_end = os.dup(to_browser), os.dup(from_browser)
        os.dup2(read_end, 3)
        os.dup2(write_end, 4)

    with tempfile.TemporaryDirectory() as profile:
        process = subprocess.Popen(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=wire_fds,
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        pipe = _Pipe(from_test, to_test)
        try:
            target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log"):
                pipe.call(f"{domain}.enable", None, session)
            pipe.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
                session,
            )
            pipe.call("Page.navigate", {"url": page.resolve().as_uri()}, session)
            pipe.wait(lambda m: m.get("method") == "Page.loadEventFired")
            scroll = pipe.call(
                "Runtime.evaluate",
                {"expression": "document.documentElement.scrollWidth", "returnByValue": True},
                session,
            )["result"]["value"]
            shot = pipe.call(
                "Page.captureScreenshot",
                {"format": "png", "captureBeyondViewport": full_page},
                session,
            )
            size = pipe.call("Page.getLayoutMetrics", None, session)["cssContentSize"]
            clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 0.2}
            thumbnail = pipe.call(
                "Page.captureScreenshot",
                {"format": "png", "captureBeyondViewport": True, "clip": clip},
                session,
            )
            pipe.call("Browser.close")
            process.wait(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            os.close(from_test)
            os.close(to_test)
    return Rendered(
        base64.b64decode(shot["data"]),
        base64.b64decode(thumbnail["data"]),
        _problems(pipe.events),
        scroll,
    )


def _problems(events: list[dict]) -> list[str]:
    out = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            out.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            out.append(f"console.{params['type']}: {params.get('args')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            out.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}")
    return out


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit, non-interlaced PNG such as Chromium
    writes: enough to tell a blank page from a drawn one."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0 and colour in (2, 6), header
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            corner = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


if __name__ == "__main__":
    import sys

    # python tests/browser.py PAGE.html OUT.png [WIDTH HEIGHT]: a screenshot of the top of a page
    size = [int(v) for v in sys.argv[3:5]] or [1100, 1500]
    shot = render(Path(sys.argv[1]), *size, full_page=False)
    Path(sys.argv[2]).write_bytes(shot.png)
    print(f"{sys.argv[2]}: {len(shot.png)} bytes; problems: {shot.problems or 'none'}")
