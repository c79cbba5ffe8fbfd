"""Credentials: ``CAREERSYNC_<TARGET>_TOKEN`` overrides the OS keyring (service ``careersync``)."""

from __future__ import annotations

import os

from careersync.errors import AuthError

SERVICE = "careersync"
#: the secrets this process read from the keyring, by target: what a message may contain
_read: dict[str, str] = {}


def env_name(target: str) -> str:
    return f"CAREERSYNC_{target.upper().replace('-', '_')}_TOKEN"


def get(target: str) -> str | None:
    """The target's secret, or None when neither the environment nor a keyring holds one
    (a machine with no keyring backend counts as holding none)."""
    if token := os.environ.get(env_name(target)):
        return token
    import keyring
    from keyring.errors import KeyringError

    try:
        secret = keyring.get_password(SERVICE, target)
    except KeyringError:
        return None
    if secret:
        _read[target] = secret
    return secret


def known(target: str) -> str | None:
    """The target's secret as far as this process has used it, to redact messages with: the
    environment's, or one :func:`get` read from the keyring. It never asks the keyring, whose
    first use costs a tenth of a second: a secret nothing read cannot be in a message."""
    return os.environ.get(env_name(target)) or _read.get(target)


def missing(target: str, what: str = "token") -> AuthError:
    """The error a target raises when it needs a secret and has none."""
    return AuthError(
        f"no {what} for target {target!r}: run `careersync auth {target}` or set {env_name(target)}"
    )


def store(target: str, secret: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, target, secret)
    except KeyringError as exc:
        raise AuthError(
            f"cannot write to the keyring ({type(exc).__name__}); "
            f"set {env_name(target)} in the environment instead"
        ) from None


def redact(text: str, *secrets: str | None) -> str:
    """``text`` with every known secret replaced, so no token reaches output or logs."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text
