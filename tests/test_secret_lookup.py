"""A sync asks the keyring only for the secrets its targets use, and still redacts them."""

import shutil
import subprocess
import sys
from pathlib import Path

import memory_plugin

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"


def test_a_sync_to_a_file_never_loads_the_keyring(isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    code = (
        "import sys; from careersync.cli import cli\n"
        "try:\n    cli(['sync'])\nexcept SystemExit: pass\n"
        "print('keyring' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=isolated)
    assert "created" in out.stdout and out.stdout.strip().splitlines()[-1] == "False"


def test_a_secret_read_from_the_keyring_is_redacted(
    run, write, basic_plan, memory_registered, memory_keyring, monkeypatch
):
    secret = "kr-0123456789-secret"
    memory_keyring.set_password("careersync", "mem", secret)
    write("careersync.toml", '[targets.mem]\nplugin = "memory"\n')

    def leaky(self):
        raise RuntimeError(f"HTTP 401 for Authorization: Bearer {self.context.secret()}")

    monkeypatch.setattr(memory_plugin.MemoryTarget, "pull", leaky)
    result = run("sync", "--json")
    assert result.exit_code == 1
    assert secret not in result.output
    assert "Bearer ***" in result.stdout
