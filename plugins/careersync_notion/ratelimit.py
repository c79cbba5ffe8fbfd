"""A client-side token bucket, so a sync keeps to Notion's average of 3 requests a second."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx


class TokenBucket:
    """``rate`` requests a second on average, with bursts of up to ``burst``.

    ``clock`` and ``sleep`` are injectable so tests can run it on a fake clock.
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.sleep = sleep
        self.tokens = float(burst)
        self.last = clock()
        self.lock = threading.Lock()

    def acquire(self) -> None:
        with self.lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens < 1:
                self.sleep((1 - self.tokens) / self.rate)
                now = self.clock()
                self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
                self.last = now
            self.tokens -= 1


class LimitedTransport(httpx.BaseTransport):
    """Takes a token before each request."""

    def __init__(self, inner: httpx.BaseTransport, bucket: TokenBucket) -> None:
        self.inner = inner
        self.bucket = bucket

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.bucket.acquire()
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()
