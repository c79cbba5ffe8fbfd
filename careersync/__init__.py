"""careersync: a career plan turned into dated items, synced to the tools you already use."""

__version__ = "0.1.0"

from careersync.hookspecs import hookimpl

__all__ = ["__version__", "hookimpl"]
