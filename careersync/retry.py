"""Retries per request: the one policy every target uses (SPEC section 6).

A target wraps each request to its service in ``context.retry(call)``; a transient failure
(``TransientError``: 429, 5xx, a timeout) repeats that request alone, with backoff, honouring
``Retry-After``, so a listing resumes at the page that failed and one failed request never
restarts a whole pull. A request that still fails, or a target that has waited its whole budget,
raises :class:`Unreachable`: the target stops with a clear message instead of hanging.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from careersync.errors import TargetError, TransientError

T = TypeVar("T")


class Unreachable(TargetError):
    """The service kept failing: the target cannot go on this time."""


def pause(seconds: float) -> None:
    """How retries wait (tests replace it to run without waiting and to watch the delays)."""
    time.sleep(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    #: tries of one request, the first included
    attempts: int = 6
    #: the first backoff; each further one doubles, with up to 25% jitter
    base: float = 0.5
    #: the longest single wait, including a service's Retry-After
    cap: float = 30.0
    #: the most a target waits in all before it is taken as unreachable
    budget: float = 180.0


class Retrier:
    """Runs requests under one target's :class:`RetryPolicy`, counting what retries cost.

    ``safe``: the request may be repeated after a failure whose outcome is unknown (reads,
    and writes the service makes idempotent); a ``TransientError`` whose own ``safe`` is
    False is then raised at once, for the engine to verify before repeating.
    """

    def __init__(
        self, policy: RetryPolicy | None = None, sleep: Callable[[float], None] | None = None
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.waited = 0.0
        self.retries = 0
        self._lock = threading.Lock()

    def __call__(self, call: Callable[[], T], *, safe: bool = True) -> T:
        policy = self.policy
        for attempt in range(1, policy.attempts + 1):
            try:
                return call()
            except TransientError as exc:
                if not (safe or exc.safe):
                    raise
                if attempt == policy.attempts:
                    raise Unreachable(
                        f"{exc} (still failing after {policy.attempts} tries; try again later)"
                    ) from None
                delay = self._delay(attempt, exc.retry_after)
                with self._lock:
                    if self.waited + delay > policy.budget:
                        raise Unreachable(
                            f"{exc} (gave up after waiting {self.waited:.0f} s in all for "
                            "this target; try again later)"
                        ) from None
                    self.waited += delay
                    self.retries += 1
                (self.sleep or pause)(delay)
        raise AssertionError("unreachable")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.policy.cap)
        backoff = self.policy.base * 2 ** (attempt - 1) * (1 + random.random() / 4)
        return min(backoff, self.policy.cap)
