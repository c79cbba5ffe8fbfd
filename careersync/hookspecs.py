"""The hooks a careersync plugin may implement. Mark implementations with ``@hookimpl``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from careersync.target import Target

hookspec = pluggy.HookspecMarker("careersync")
hookimpl = pluggy.HookimplMarker("careersync")


@hookspec
def register_targets(register: Callable[[type[Target]], None]) -> None:
    """Call ``register(TargetClass)`` for each target type the plugin provides."""
