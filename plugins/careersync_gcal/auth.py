"""Google OAuth for careersync: the installed-app flow, and credentials from the keyring.

The keyring (or CAREERSYNC_<NAME>_TOKEN) holds a JSON document with the refresh token and the
OAuth client it belongs to; never a pickle or token file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from careersync import secrets
from careersync.errors import AuthError, ConfigError

SCOPES = ["https://www.googleapis.com/auth/calendar"]
TOKEN_URI = "https://oauth2.googleapis.com/token"
SECRETS_ENV = "CAREERSYNC_GOOGLE_CLIENT_SECRETS"


def client_secrets_path(option: str, base_dir: Path) -> Path:
    raw = option or os.environ.get(SECRETS_ENV, "")
    if not raw:
        raise ConfigError(
            "Google needs your OAuth client: download its JSON (Google Cloud console > APIs & "
            f"Services > Credentials > OAuth client, Desktop app) and set client_secrets in the "
            f"target's config or {SECRETS_ENV}"
        )
    path = Path(raw).expanduser()
    return path if path.is_absolute() else base_dir / path


def run_flow(secrets_file: Path, headless: bool) -> str:
    """The installed-app flow; returns what the keyring stores."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    if not secrets_file.is_file():
        raise ConfigError(f"{secrets_file}: no such OAuth client file")
    flow = InstalledAppFlow.from_client_secrets_file(str(secrets_file), SCOPES)
    credentials = flow.run_local_server(
        port=0,
        open_browser=not headless,
        authorization_prompt_message="Open this address to let careersync use your calendar:"
        "\n{url}",
        success_message="careersync is authorized; you can close this tab.",
    )
    return json.dumps(
        {
            "refresh_token": credentials.refresh_token,
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
            "token_uri": credentials.token_uri or TOKEN_URI,
        }
    )


def credentials(target: str, stored: str | None):
    """Fresh credentials from what the keyring holds; refreshing goes through ``requests``."""
    from google.auth.exceptions import RefreshError, TransportError
    from google.auth.transport.requests import Request
    from google.oauth2.credentials import Credentials

    if not stored:
        raise secrets.missing(target, "Google authorization")
    try:
        data: dict[str, Any] = json.loads(stored)
    except ValueError:
        raise AuthError(
            f"the stored Google authorization for target {target!r} is not readable: "
            f"run `careersync auth {target}`"
        ) from None
    creds = Credentials(
        token=None,
        refresh_token=data.get("refresh_token"),
        token_uri=data.get("token_uri", TOKEN_URI),
        client_id=data.get("client_id"),
        client_secret=data.get("client_secret"),
        scopes=SCOPES,
    )
    try:
        creds.refresh(Request())
    except RefreshError as exc:
        reason = "expired or revoked" if "invalid_grant" in str(exc) else "refused"
        raise AuthError(
            f"Google {reason} the stored authorization for target {target!r}: "
            f"run `careersync auth {target}`"
        ) from None
    except TransportError as exc:
        raise AuthError(
            f"cannot reach Google to refresh the authorization ({type(exc).__name__})"
        ) from None
    return creds
