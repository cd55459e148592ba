"""The drivers and each board's board.py type-check against MicroPython's own stubs for the
board's port (machine.I2C, machine.Pin, time.sleep_ms, ...), one mypy run per port.

The stub packages all install as top-level `machine`, `micropython`, `time`..., so each port's
goes into its own folder and is used both as MYPYPATH and as mypy's typeshed (the packages
ship a reduced MicroPython stdlib for that):

    .venv/bin/pip install mypy==2.4.1
    .venv/bin/pip install --target .venv/mpy-stubs/nrf micropython-nrf-stubs==1.29.0.post1
    .venv/bin/pip install --target .venv/mpy-stubs/esp32 micropython-esp32-stubs==1.29.0.post1

Errors inside the stubs themselves are not ours and are left out.
"""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STUBS = os.environ.get("FOOTFALL_MPY_STUBS") or os.path.join(ROOT, ".venv", "mpy-stubs")
DRIVERS = os.path.join("firmware", "footfall", "drivers")
PORTS = {
    "nrf": ["seeed_xiao_nrf52840_sense", "arduino_nano33_ble_sense"],
    "esp32": ["esp32_devkitc", "m5stickc_plus"],
}


def run_mypy(port, paths):
    try:
        import mypy  # noqa: F401
    except ImportError:
        pytest.skip("mypy is not installed: .venv/bin/pip install mypy==2.4.1")
    stubs = os.path.join(STUBS, port)
    if not os.path.isfile(os.path.join(stubs, "machine.pyi")):
        pytest.skip(
            "no MicroPython %s stubs in %s: .venv/bin/pip install --target %s "
            "micropython-%s-stubs==1.29.0.post1" % (port, stubs, stubs, port)
        )
    env = dict(os.environ, MYPYPATH=os.pathsep.join([stubs, "firmware"]))
    cmd = [
        sys.executable,
        "-m",
        "mypy",
        "--custom-typeshed-dir",
        stubs,
        "--no-incremental",
        "--check-untyped-defs",
        "--explicit-package-bases",
        "--no-site-packages",
        "--show-error-codes",
        "--no-error-summary",
        "--python-version",
        "3.11",
    ]
    r = subprocess.run(cmd + paths, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if r.returncode not in (0, 1):  # 2: mypy itself failed (bad option, crash)
        pytest.fail("mypy did not run:\n" + r.stdout + r.stderr)
    in_stubs = (stubs, os.path.relpath(stubs, ROOT))
    return [
        line
        for line in r.stdout.splitlines()
        if ": error:" in line and not line.startswith(in_stubs)
    ]


@pytest.mark.parametrize("port", sorted(PORTS))
def test_drivers_and_boards_type_check_against_the_port_stubs(port):
    paths = [DRIVERS, os.path.join("firmware", "footfall", "ports", port + ".py")]
    paths += [os.path.join("boards", b, "board.py") for b in PORTS[port]]
    errors = run_mypy(port, paths)
    assert not errors, "\n".join(errors)


def test_a_wrong_call_into_machine_is_caught(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from machine import I2C, Pin\nI2C(0, scl=Pin(1), sda=Pin(2), frq=400000)\n")
    errors = run_mypy("esp32", [str(probe)])
    assert any("probe.py:2" in e and "frq" in e for e in errors), errors
