"""A sync pauses the cyclic garbage collector and always turns it back on."""

import gc
import shutil
from pathlib import Path

EXAMPLE = Path(__file__).parent.parent / "examples" / "career.toml"


def test_a_sync_leaves_the_collector_on(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    assert run("sync").exit_code == 0
    assert gc.isenabled()


def test_a_failed_sync_leaves_the_collector_on(run, isolated):
    shutil.copy(EXAMPLE, isolated / "career.toml")
    (isolated / "career.ics").write_text("this is not a calendar")
    assert run("sync").exit_code == 1
    assert gc.isenabled()
    assert run("sync", "--target", "nowhere").exit_code != 0
    assert gc.isenabled()
