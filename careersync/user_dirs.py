"""The user's config and data folders for careersync, as platformdirs names them.

On Linux with an absolute ``$HOME`` platformdirs' answer is the XDG Base Directory rule (an
absolute ``$XDG_CONFIG_HOME``, else ``~/.config``; the same for data), read here straight from
the environment: importing platformdirs costs about 8 ms (it loads tempfile, shutil and
random), an eighth of ``status``'s start-up. Everywhere else, and in the unusual
cases (Android, a relative ``$HOME``), platformdirs answers. A test holds the two to the same
answers.
"""

from __future__ import annotations

import os
import sys

APP = "careersync"


def config_dir() -> str:
    """Where careersync's user config file lives."""
    if base := _xdg("XDG_CONFIG_HOME", ".config"):
        return os.path.join(base, APP)
    from platformdirs import user_config_dir

    return user_config_dir(APP, appauthor=False)


def data_dir() -> str:
    """careersync's home when ``$CAREERSYNC_HOME`` is not set."""
    if base := _xdg("XDG_DATA_HOME", ".local/share"):
        return os.path.join(base, APP)
    from platformdirs import user_data_dir

    return user_data_dir(APP, appauthor=False)


def _xdg(variable: str, default: str) -> str | None:
    """The XDG base folder, or None where platformdirs must decide."""
    home = os.environ.get("HOME", "")
    if sys.platform != "linux" or not home.startswith("/") or _android():
        return None
    value = os.environ.get(variable, "")
    return value if value.startswith("/") else os.path.join(home, default)


def _android() -> bool:
    return hasattr(sys, "getandroidapilevel") or (
        os.environ.get("ANDROID_DATA") == "/data" and os.environ.get("ANDROID_ROOT") == "/system"
    )
