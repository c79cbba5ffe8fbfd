"""Every request to Google, one at a time, under careersync's retry policy.

googleapiclient sends each request through an httplib2-like object; wrapping it here is the one
place where every request (a page of a listing, an insert, an update) is retried on its own: a
listing resumes at the page that failed, and nothing above has to restart. 429, rate-limit 403s,
5xx answers and timeouts are transient; everything else reaches googleapiclient unchanged (a 401
lets google-auth refresh the token, other errors become ``HttpError``).
"""

from __future__ import annotations

import http.client
import json
from typing import Any

from careersync.errors import TransientError
from careersync.retry import Retrier

RATE_LIMITS = ("rateLimitExceeded", "userRateLimitExceeded")
#: requests whose repetition after a lost answer could make a second copy: a calendar insert
#: (an event insert carries the event id careersync chose, so a repeat answers 409)
UNSAFE = (("POST", "/calendar/v3/calendars"),)


class RetryingHttp:
    """An httplib2-like object that runs each request through ``retry``."""

    def __init__(self, http: Any, retry: Retrier) -> None:
        self.http = http
        self.retry = retry

    def __getattr__(self, name: str) -> Any:
        return getattr(self.http, name)

    def request(self, uri: str, method: str = "GET", body: Any = None, headers=None, **kwargs):
        path = uri.split("?", 1)[0].split("googleapis.com", 1)[-1]
        safe = (method, path) not in UNSAFE
        what = f"{method} {path}"
        return self.retry(
            lambda: self._once(what, safe, uri, method, body, headers, **kwargs), safe=safe
        )

    def _once(self, what: str, safe: bool, uri: str, method: str, body, headers, **kwargs):
        try:
            response, content = self.http.request(
                uri, method=method, body=body, headers=headers, **kwargs
            )
        except (TimeoutError, ConnectionResetError, http.client.RemoteDisconnected):
            raise TransientError(f"{what}: Google did not answer", safe=safe) from None
        status = int(response.status)
        if status == 429 or status >= 500 or (status == 403 and _reason(content) in RATE_LIMITS):
            retry_after = response.get("retry-after")
            raise TransientError(
                f"{what}: Google answered {status}",
                retry_after=float(retry_after) if str(retry_after or "").isdigit() else None,
                safe=safe or status == 429 or status == 403,
            )
        return response, content


def _reason(content: bytes | str | None) -> str:
    """The first error reason of a Google error body ("" when there is none)."""
    try:
        errors = json.loads(content or b"{}").get("error", {}).get("errors") or [{}]
        return str(errors[0].get("reason", ""))
    except (ValueError, AttributeError, TypeError):
        return ""
