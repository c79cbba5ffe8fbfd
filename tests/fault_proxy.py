"""A small HTTP proxy on 127.0.0.1 in front of a real server, that injects request-level faults
like the memory service's: by request number (1-based) "429", "500", "timeout" (the connection
drops before the request reaches the server), "lost" (the server applies it, then the connection
drops before the answer) and "crash" (the server applies it; the client's process then dies, see
:meth:`FaultProxy.crash_after`). ``fault_rate`` fails requests at random, for benchmarks."""

from __future__ import annotations

import http.client
import random
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class FaultProxy:
    def __init__(self, upstream: str, fault_rate: float = 0.0, seed: int = 7) -> None:
        self.upstream = urlparse(upstream)
        self.faults: dict[int, str] = {}
        self.fault_rate = fault_rate
        self.random = random.Random(seed)
        self.requests = 0
        self.failed = 0
        #: set when a "crash" request was applied; the client side raises it (crash_after)
        self.crashed = False
        #: request number, or method (its first request), -> called before that request is
        #: forwarded (a second machine's turn)
        self.before: dict[int | str, object] = {}
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def next_fault(self) -> str | None:
        with self._lock:
            self.requests += 1
            fault = self.faults.pop(self.requests, None)
            if fault is None and self.fault_rate and self.random.random() < self.fault_rate:
                fault = self.random.choice(("429", "500", "timeout", "lost"))
            self.failed += fault is not None
            return fault

    def forward(self, method: str, path: str, headers, body: bytes):
        connection = http.client.HTTPConnection(
            self.upstream.hostname, self.upstream.port, timeout=30
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args) -> None:
                pass

            def setup(self) -> None:
                super().setup()  # answers go out at once, not after a delayed ACK
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def __getattr__(self, name: str):
                if name.startswith("do_"):
                    return self.relay
                raise AttributeError(name)

            def relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = proxy.next_fault()
                turn = proxy.before.pop(proxy.requests, None) or proxy.before.pop(
                    self.command, None
                )
                if turn is not None:
                    turn()
                if fault in ("429", "500"):
                    self.answer(int(fault), [("Retry-After", "0")], b"")
                    return
                if fault == "timeout":
                    self.close_connection = True
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                status, answer_headers, content = proxy.forward(
                    self.command, self.path, headers, body
                )
                if fault == "lost":
                    self.close_connection = True
                    return
                if fault == "crash":
                    proxy.crashed = True
                self.answer(status, answer_headers, content)

            def answer(self, status: int, headers, content: bytes) -> None:
                self.send_response(status)
                for key, value in headers:
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

        return Handler

    def crash_after(self, session_class, crash: type[BaseException], monkeypatch) -> None:
        """Make the client's HTTP session die (raise ``crash``) right after the server applied
        a "crash" request, as if the process were killed there."""
        original = session_class.request

        def request(session, *args, **kwargs):
            response = original(session, *args, **kwargs)
            if self.crashed:
                self.crashed = False
                raise crash()
            return response

        monkeypatch.setattr(session_class, "request", request)
