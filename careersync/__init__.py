"""careersync: a career plan turned into dated items, synced to the tools you already use."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "hookimpl"]


def __getattr__(name: str) -> Any:
    """``hookimpl`` for plugins, loading pluggy on first use: ``status`` never needs it."""
    if name == "hookimpl":
        from careersync.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module 'careersync' has no attribute {name!r}")
