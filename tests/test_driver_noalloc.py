"""read_fifo allocates nothing: checked on the MicroPython unix port under heap_lock()."""

import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MICROPYTHON = os.path.join(ROOT, ".venv", "bin", "micropython")


def test_read_fifo_does_not_allocate_on_micropython():
    exe = MICROPYTHON if os.path.exists(MICROPYTHON) else shutil.which("micropython")
    if not exe:
        pytest.skip("the MicroPython unix port (.venv/bin/micropython) is not installed")
    env = dict(os.environ, MICROPYPATH="firmware:tests")
    r = subprocess.run(
        [exe, "tests/fakes/noalloc_check.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    for chip in ("LSM6DS3TR-C", "LSM6DSO", "LIS3DH", "MPU-6050", "LSM9DS1"):
        assert "no allocation: " + chip in r.stdout
