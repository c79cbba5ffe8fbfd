"""The plugin manager: built-in plugins, then entry points of group ``careersync``.

Entry points are looked through only when something needs more than the built-ins: listing
the plugins, or a configured target whose type no built-in plugin provides.
``CAREERSYNC_LOAD_PLUGINS`` restricts which installed plugins load: a comma-separated list of
entry-point names ("" loads none but the built-ins).
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pluggy

from careersync import hookspecs
from careersync.config import Config
from careersync.errors import ConfigError, did_you_mean
from careersync.grammar import quote
from careersync.target import Target

if TYPE_CHECKING:
    from importlib import metadata

DEFAULT_PLUGINS = ("careersync_ics",)
ENTRY_POINT_GROUP = "careersync"

pm = pluggy.PluginManager("careersync")
pm.add_hookspecs(hookspecs)
_builtins_loaded = False
_loaded = False
#: plugin name -> the distribution its entry point came from (for versions)
_distributions: dict[str, metadata.Distribution] = {}


def _builtin_manager() -> pluggy.PluginManager:
    """The global manager with the built-in plugins registered, nothing else looked for."""
    global _builtins_loaded
    if not _builtins_loaded:
        _builtins_loaded = True
        for name in DEFAULT_PLUGINS:
            module = importlib.import_module(name)
            if not pm.is_registered(module):
                pm.register(module, name)
    return pm


def get_plugin_manager() -> pluggy.PluginManager:
    """The global manager, with built-ins and allowed entry points loaded on first use."""
    global _loaded
    _builtin_manager()
    if not _loaded:
        _loaded = True
        allowed = os.environ.get("CAREERSYNC_LOAD_PLUGINS")
        wanted = None if allowed is None else {n.strip() for n in allowed.split(",") if n.strip()}
        _load_entry_points(wanted)
        pm.check_pending()
    return pm


def _load_entry_points(wanted: set[str] | None) -> None:
    """Register the installed plugins (only ``wanted`` ones when given). A plugin already
    registered, under any name (a test may register it before the first load), is skipped:
    registering one module twice is an error in pluggy."""
    from importlib import metadata  # 20 ms: only when installed plugins are looked for

    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if (wanted is not None and ep.name not in wanted) or pm.has_plugin(ep.name):
            continue
        plugin = ep.load()
        if pm.is_registered(plugin):
            continue
        pm.register(plugin, ep.name)
        if ep.dist is not None:
            _distributions[ep.name] = ep.dist


@contextlib.contextmanager
def registered(plugin: object, name: str) -> Iterator[None]:
    """``plugin`` registered under ``name`` inside the block (one test), then unregistered.

    Works whether or not the plugin is also installed through its entry point: a plugin that
    is registered already (installed, or by an enclosing block) is left as it is. Another
    plugin holding ``name`` (an installed copy of the code under test, or the real plugin a
    test double stands in for) steps aside for the block and is registered again after it.
    """
    manager = get_plugin_manager()
    if manager.is_registered(plugin):
        yield
        return
    holder = manager.get_plugin(name)
    if holder is not None:
        manager.unregister(holder)
    manager.register(plugin, name)
    try:
        yield
    finally:
        manager.unregister(plugin)
        if holder is not None:
            manager.register(holder, name)


def target_types(*, installed: bool = True) -> dict[str, type[Target]]:
    """Plugin name (``plugin = "..."`` in the config) -> target class; with ``installed``
    False, only those of the plugins registered so far (the built-ins at least)."""
    found: dict[str, type[Target]] = {}

    def register(cls: type[Target]) -> None:
        if cls.plugin in found and found[cls.plugin] is not cls:
            raise ConfigError(f"two plugins provide the target type {quote(cls.plugin)}")
        found[cls.plugin] = cls

    manager = get_plugin_manager() if installed else _builtin_manager()
    manager.hook.register_targets(register=register)
    return found


def describe() -> list[dict]:
    """Installed plugins with the target types they provide and their versions."""
    manager = get_plugin_manager()
    out = []
    for name, plugin in sorted(manager.list_name_plugin(), key=lambda p: p[0]):
        provided: list[str] = []
        needs: dict[str, dict[str, object]] = {}

        def register(
            cls: type[Target], provided: list[str] = provided, needs: dict = needs
        ) -> None:
            provided.append(cls.plugin)
            if missing := cls.missing():
                needs[cls.plugin] = {"modules": missing, "install": cls.install}

        impl = getattr(plugin, "register_targets", None)
        if impl is not None:
            impl(register=register)
        dist = _distributions.get(name)
        if dist is not None:
            version = dist.version
        else:
            from careersync import __version__ as version
        out.append(
            {
                "name": name,
                "version": version,
                "builtin": name in DEFAULT_PLUGINS,
                "targets": sorted(provided),
                "missing": dict(sorted(needs.items())),
                "hooks": sorted(h.name for h in manager.get_hookcallers(plugin) or []),
            }
        )
    return out


def target_class(target_name: str, plugin: str) -> type[Target]:
    """The class for a configured target. A type a built-in plugin provides is found without
    looking through the installed packages' entry points, which costs a sync that writes only
    to built-in targets more than it finds."""
    types = target_types(installed=False)
    if plugin not in types:
        types = target_types()
    if plugin not in types:
        raise ConfigError(
            f"targets.{target_name}.plugin: unknown plugin {quote(plugin)}"
            f"{did_you_mean(plugin, types)}; installed: {', '.join(sorted(types))}"
        )
    return types[plugin]


def sdk_problem(target_name: str, cls: type[Target]) -> str | None:
    """What to install when a target's SDK is missing, or None when it is all there."""
    missing = cls.missing()
    if not missing:
        return None
    how = cls.install or f"install {', '.join(missing)}"
    return (
        f"targets.{target_name}: the {cls.plugin} target needs {', '.join(missing)}, "
        f"which is not installed: {how}"
    )


def check_sdks(cfg: Config) -> None:
    """Every target's SDK is installed (``check`` says so before a sync fails on it)."""
    where = f"{cfg.path}: " if cfg.path else ""
    problems = [
        f"{where}{p}"
        for t in cfg.targets
        if (p := sdk_problem(t.name, target_class(t.name, t.plugin)))
    ]
    if problems:
        raise ConfigError(f"{where}{len(problems)} target(s) cannot run here", details=problems)


def validate_targets(cfg: Config) -> None:
    """Every target names an installed plugin and gives it valid options."""
    problems: list[str] = []
    for t in cfg.targets:
        try:
            target_class(t.name, t.plugin).validate(t.name, t.options)
        except ConfigError as exc:
            problems.extend(exc.details or [exc.message])
    if problems:
        where = f"{cfg.path}: " if cfg.path else ""
        raise ConfigError(
            f"{where}{len(problems)} problem(s) with the targets",
            details=[f"{where}{p}" for p in problems],
        )
