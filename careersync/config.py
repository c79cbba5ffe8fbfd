"""Where the config, plan and state live, and the config file itself (SPEC sections 2 and 4)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careersync.errors import ConfigError, did_you_mean
from careersync.grammar import quote
from careersync.model import KINDS

CONFIG_KEYS = ("plan", "targets")
DEFAULT_PLAN = "career.toml"
DEFAULT_CONFIG = "careersync.toml"


@dataclass(frozen=True)
class TargetConfig:
    """One ``[targets.<name>]`` table: which plugin, its options, and which kinds it receives."""

    name: str
    plugin: str
    options: dict[str, Any] = field(default_factory=dict)
    include: tuple[str, ...] = KINDS
    base_dir: Path = Path(".")


@dataclass(frozen=True)
class Config:
    """The config in force: its file (None for the embedded default), the plan, the targets."""

    path: Path | None
    plan_path: Path
    targets: tuple[TargetConfig, ...]

    @property
    def embedded(self) -> bool:
        return self.path is None

    def target(self, name: str) -> TargetConfig:
        for t in self.targets:
            if t.name == name:
                return t
        names = [t.name for t in self.targets]
        raise ConfigError(
            f"no target named {quote(name)}{did_you_mean(name, names)}; "
            f"targets: {', '.join(names) or 'none'}"
        )


def display(path: Path) -> str:
    """A path as the user would write it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def user_config_path() -> Path:
    from careersync.user_dirs import config_dir

    return Path(config_dir()) / "config.toml"


def state_dir() -> Path:
    """``$CAREERSYNC_HOME``, else the user data dir's ``careersync/``."""
    if home := os.environ.get("CAREERSYNC_HOME"):
        return Path(home)
    from careersync.user_dirs import data_dir

    return Path(data_dir())


def candidates(config_option: str | None, plan_option: str | None = None) -> list[tuple[str, Path]]:
    """Where the config is looked for, in order, each with how it came to be looked at."""
    out = []
    if config_option:
        out.append(("--config", Path(config_option)))
    if env := os.environ.get("CAREERSYNC_CONFIG"):
        out.append(("$CAREERSYNC_CONFIG", Path(env)))
    if plan_option:
        out.append(("beside --plan", Path(plan_option).parent / DEFAULT_CONFIG))
    out.append(("working directory", Path(DEFAULT_CONFIG)))
    out.append(("user config dir", user_config_path()))
    return out


def locate(config_option: str | None, plan_option: str | None = None) -> Path | None:
    """The config file in force, or None for the embedded default: ``--config``, else
    ``$CAREERSYNC_CONFIG`` (both used as given, so a wrong one is an error), else the first file
    that exists of careersync.toml beside the plan named by ``--plan``, ./careersync.toml and
    the user config dir's careersync/config.toml.

    The config beside ``--plan`` comes before the working directory's, so a plan gets the same
    targets whichever directory it is synced from.
    """
    for how, path in candidates(config_option, plan_option):
        if how in ("--config", "$CAREERSYNC_CONFIG") or path.is_file():
            return path
    return None


def load(config_option: str | None = None, plan_option: str | None = None) -> Config:
    """Read the config in force; with none, the embedded default (one ``ics`` target)."""
    path = locate(config_option, plan_option)
    if path is None:
        plan_path = Path(plan_option or DEFAULT_PLAN)
        default = TargetConfig(
            name="ics",
            plugin="ics",
            options={"path": str(plan_path.parent / "career.ics")},
            base_dir=Path("."),
        )
        return Config(None, plan_path, (default,))
    from careersync.tomlfile import read_toml

    label = display(path)
    data = read_toml(path, label, ConfigError, "run `careersync init` to write one")
    return parse(data, path, label, plan_option)


def parse(data: dict[str, Any], path: Path, label: str, plan_option: str | None = None) -> Config:
    problems: list[str] = []
    base = path.parent
    for key in data:
        if key not in CONFIG_KEYS:
            problems.append(
                f"{label}: {key}: unknown key{did_you_mean(key, CONFIG_KEYS)}; "
                f"valid keys: {', '.join(CONFIG_KEYS)}"
            )
    plan_value = data.get("plan", DEFAULT_PLAN)
    if not isinstance(plan_value, str) or not plan_value.strip():
        problems.append(f"{label}: plan: must be a path string, not {quote(plan_value)}")
        plan_value = DEFAULT_PLAN
    if plan_option:
        plan_path = Path(plan_option)
    elif "plan" in data:
        plan_path = base / plan_value
    else:
        plan_path = Path(DEFAULT_PLAN)
    targets = []
    raw_targets = data.get("targets", {})
    if not isinstance(raw_targets, dict):
        problems.append(f"{label}: targets: must be a table of [targets.<name>] tables")
        raw_targets = {}
    for name, table in raw_targets.items():
        where = f"{label}: targets.{name}"
        if not isinstance(table, dict):
            problems.append(f'{where}: must be a table with at least `plugin = "..."`')
            continue
        plugin = table.get("plugin")
        if not isinstance(plugin, str) or not plugin:
            problems.append(f'{where}.plugin: is required (e.g. plugin = "ics")')
            continue
        include = table.get("include", list(KINDS))
        if isinstance(include, str):
            include = [include]
        if not isinstance(include, list) or not include:
            problems.append(f"{where}.include: must be a non-empty list of {', '.join(KINDS)}")
            continue
        bad = [k for k in include if k not in KINDS]
        for kind in bad:
            problems.append(
                f"{where}.include: {quote(kind)} is not an item kind"
                f"{did_you_mean(str(kind), KINDS)}; kinds: {', '.join(KINDS)}"
            )
        if bad:
            continue
        options = {k: v for k, v in table.items() if k not in ("plugin", "include")}
        ordered = tuple(k for k in KINDS if k in include)
        targets.append(TargetConfig(name, plugin, options, ordered, base))
    if problems:
        raise ConfigError(f"{label}: {len(problems)} problem(s) in the config", details=problems)
    return Config(path, plan_path, tuple(targets))
