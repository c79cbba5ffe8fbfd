"""One error base class; the CLI maps it to an exit code and prints no traceback."""

from __future__ import annotations

from collections.abc import Iterable


class CareersyncError(Exception):
    """An error the user can act on. ``exit_code`` follows SPEC section 5."""

    exit_code = 1

    def __init__(self, message: str, *, details: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details)

    def __str__(self) -> str:
        return "\n".join([self.message, *self.details])


class PlanError(CareersyncError):
    """The plan file cannot be used; ``details`` holds one line per problem."""


class ConfigError(CareersyncError):
    """The config file or a target's options are wrong."""


class UsageError(CareersyncError):
    exit_code = 2


class StateError(CareersyncError):
    """The state store is locked, unreadable or from a newer careersync."""


class TargetError(CareersyncError):
    """A target failed; sync reports it under the target's name and goes on with the others."""


class AuthError(TargetError):
    """Credentials are missing, expired or refused; the message names the command to run."""


class ItemError(TargetError):
    """One item cannot be written (the service cannot express it, or refuses it for good).

    The engine skips that item, reports it under ``skipped`` with this message, and goes on
    with the target's other writes.
    """


class TransientError(TargetError):
    """A failure worth retrying (429, 5xx, timeout).

    ``retry_after`` is the delay the service asked for, in seconds; ``safe`` says whether the
    operation can be repeated without risk of doing it twice (reads, and writes the service
    rejected before applying).
    """

    def __init__(self, message: str, *, retry_after: float | None = None, safe: bool = True):
        super().__init__(message)
        self.retry_after = retry_after
        self.safe = safe


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean "x"?)' suffix when a close match exists, else ''."""
    import difflib  # only on the way to an error message

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{match[0]}"?)' if match else ""
