"""careersync's user folders read from the XDG variables agree with platformdirs, which
answers wherever that shortcut does not apply."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from careersync import user_dirs

ENVIRONMENTS = [
    {"HOME": "/home/ana"},
    {"HOME": "/home/ana/", "XDG_CONFIG_HOME": "", "XDG_DATA_HOME": ""},
    {"HOME": "/", "XDG_CONFIG_HOME": "/etc/ana/", "XDG_DATA_HOME": "/srv/ana data"},
    {"HOME": "/home/ana", "XDG_CONFIG_HOME": "relative/cfg", "XDG_DATA_HOME": "~/data"},
    {"HOME": "relative", "XDG_CONFIG_HOME": "/cfg"},
    {"HOME": "", "XDG_DATA_HOME": "/data"},
    {"HOME": "/home/ana", "ANDROID_DATA": "/data", "ANDROID_ROOT": "/system"},
]


@pytest.mark.skipif(sys.platform != "linux", reason="the shortcut applies on Linux only")
@pytest.mark.parametrize("environment", ENVIRONMENTS, ids=str)
def test_the_same_folders_as_platformdirs(monkeypatch, environment):
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "ANDROID_DATA", "ANDROID_ROOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert user_dirs.config_dir() == platformdirs.user_config_dir("careersync", appauthor=False)
    assert user_dirs.data_dir() == platformdirs.user_data_dir("careersync", appauthor=False)


def test_config_path_names_the_xdg_folders(run, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    monkeypatch.delenv("CAREERSYNC_HOME")
    result = run("config", "path")
    assert str(tmp_path / "elsewhere" / "careersync" / "config.toml") in result.output
    assert str(tmp_path / "xdg-data" / "careersync") in result.output
