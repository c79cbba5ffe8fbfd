"""careersync's public API for plugins: every name here is supported across minor versions.

A plugin imports from here (or from the module each name comes from, equally supported):
anything else in careersync may change without notice. ``careersync.testing`` is the test kit
(it needs pytest, the ``test`` extra). docs/plugins.md explains each name.
"""

from __future__ import annotations

import tomllib

from careersync.errors import (
    AuthError,
    CareersyncError,
    ConfigError,
    ItemError,
    PlanError,
    TargetError,
    TransientError,
)
from careersync.files import atomic_write
from careersync.hookspecs import hookimpl
from careersync.plan import parse
from careersync.plan_home import PlanHome
from careersync.plugins import registered
from careersync.schedule import Item, items
from careersync.target import (
    REQUIRED,
    Entry,
    Op,
    Option,
    Remote,
    Target,
    TargetCache,
    TargetContext,
    expand_occurrences,
)

__all__ = [
    "REQUIRED",
    "AuthError",
    "CareersyncError",
    "ConfigError",
    "Entry",
    "Item",
    "ItemError",
    "Op",
    "Option",
    "PlanError",
    "PlanHome",
    "Remote",
    "Target",
    "TargetCache",
    "TargetContext",
    "TargetError",
    "TransientError",
    "atomic_write",
    "expand_occurrences",
    "hookimpl",
    "plan_items",
    "registered",
]


def plan_items(text: str) -> list[Item]:
    """The items of a plan given as TOML text, as ``sync`` sends them to a target that takes
    rules (see :func:`expand_occurrences` for one that takes occurrences). Raises
    :class:`PlanError` for a plan ``careersync check`` rejects."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"career.toml: invalid TOML: {exc}") from None
    return items(parse(data))
