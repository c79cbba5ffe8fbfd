"""Installed plugins are looked for only when a configured target needs one."""

import os
import subprocess
import sys
import textwrap

import pytest

ACME = """
from pathlib import Path

from careersync import hookimpl
from careersync.target import Target

Path("acme-was-loaded").touch()


class AcmeTarget(Target):
    plugin = "acme"

    def pull(self):
        return []


@hookimpl
def register_targets(register):
    register(AcmeTarget)
"""
PLAN = "[plan]\ntitle='T'\nstart=2027-01-04\n[goals.g]\ntitle='G 1'\nby='+1y'\n"


@pytest.fixture
def site(tmp_path):
    """A third-party plugin installed the way pip leaves one, which marks when it is loaded."""
    site = tmp_path / "site"
    (site / "acme_careersync").mkdir(parents=True)
    (site / "acme_careersync" / "__init__.py").write_text(textwrap.dedent(ACME))
    info = site / "acme_careersync-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-careersync\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[careersync]\nacme = acme_careersync\n")
    return site


def careersync(site, cwd, *args):
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-m", "careersync", *args], cwd=cwd, env=env, capture_output=True
    )


def test_a_sync_to_built_in_targets_loads_no_installed_plugin(site, isolated, write):
    write("career.toml", PLAN)
    assert careersync(site, isolated, "sync").returncode == 0
    assert careersync(site, isolated, "check").returncode == 0
    assert not (isolated / "acme-was-loaded").exists()
    assert careersync(site, isolated, "plugins").returncode == 0
    assert (isolated / "acme-was-loaded").exists()


def test_a_target_of_an_installed_plugin_still_finds_it(site, isolated, write):
    write("career.toml", PLAN)
    write("careersync.toml", '[targets.cal]\nplugin = "ics"\n[targets.board]\nplugin = "acme"\n')
    result = careersync(site, isolated, "check")
    assert result.returncode == 0, result.stderr
    assert (isolated / "acme-was-loaded").exists()
    write("careersync.toml", '[targets.board]\nplugin = "acne"\n')
    result = careersync(site, isolated, "check")
    assert b'unknown plugin "acne" (did you mean "acme"?); installed: acme' in result.stderr


def test_status_loads_no_plugin_machinery(isolated, write):
    write("career.toml", PLAN)
    code = (
        "import sys; from careersync.cli import cli\n"
        "try:\n    cli(['status'])\nexcept SystemExit: pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pluggy', 'careersync_ics'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=isolated)
    assert out.stdout.strip().splitlines()[-1] == "[]"
