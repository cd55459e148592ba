"""`make deploy`: what goes on each board, compiled for its CPU (the copying itself runs
against the virtual board in tests/test_virtual_board.py)."""

import ast
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
    host_side = {"sim_radio", "sim_central", "hci_log", "central"}
    unwanted = {"footfall/ble/%s.mpy" % m for m in other | host_side}
    assert not mods & unwanted and not any(p.startswith("fakes/") for p in mods)
    with open(files["footfall/gait/engine.mpy"], "rb") as f:
        head = f.read(4)
    assert head[:2] == b"M\x06" and head[2] >> 2 == ARCH_CODE[arch]  # native code for the CPU


def footfall_imports(path, module):
    """The footfall modules a source file imports, as dotted names (relative ones resolved)."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    package = module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("footfall")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            if base.startswith("footfall"):
                # `from . import x` may name a module or a name in the package: take both
                found.add(base)
                found |= {base + "." + a.name for a in node.names}
    return found


@pytest.mark.parametrize("board", [b for b in deploy.board_names() if b != "sim"])
def test_every_module_a_board_imports_is_on_the_board(tmp_path, board):
    # a module left off a board (the host's decoders, another port's glue) must not be one
    # the board's own modules import: the board would fail at that import, far from here
    files = deploy.stage(board, str(tmp_path))
    staged = {p[:-4].replace("/", ".") for p in files if p.startswith("footfall/")}
    staged |= {m[: -len(".__init__")] for m in staged if m.endswith(".__init__")}
    left_off = {
        os.path.relpath(os.path.join(d, n), os.path.join(ROOT, "firmware"))[:-3].replace("/", ".")
        for d, _, names in os.walk(os.path.join(ROOT, "firmware", "footfall"))
        for n in names
        if n.endswith(".py")
    } - staged
    assert "footfall.ble.central" in left_off
    for mod in sorted(staged):
        rel = mod.replace(".", "/")
        path = os.path.join(ROOT, "firmware", rel + ".py")
        if not os.path.exists(path):
            path = os.path.join(ROOT, "firmware", rel, "__init__.py")
        missing = footfall_imports(path, mod) & left_off
        assert not missing, "%s on %s imports %s, which is not deployed" % (mod, board, missing)


def test_the_sim_board_also_gets_the_chip_fakes(tmp_path):
    files = deploy.stage("sim", str(tmp_path))
    for must in ("fakes/lsm6ds.mpy", "fakes/bus.mpy", "footfall/ble/sim_radio.mpy"):
        assert must in files and os.path.getsize(files[must]) > 0


def test_an_unknown_board_is_refused_with_the_known_ones(tmp_path):
    with pytest.raises(deploy.DeployError, match="unknown board 'esp8266': expected one of"):
        deploy.stage("esp8266", str(tmp_path))


def test_a_board_given_as_a_path_is_refused_and_its_folder_left_alone(tmp_path, monkeypatch):
    # staging clears build/deploy/BOARD: a path there would clear the board's own folder
    boards = tmp_path / "boards"
    (boards / "sim").mkdir(parents=True)
    (boards / "sim" / "board.py").write_text('MCU = "unix"\n')
    monkeypatch.setattr(deploy, "BOARDS", str(boards))
    for name in (str(boards / "sim"), "../boards/sim", "sim/"):
        with pytest.raises(deploy.DeployError, match="unknown board"):
            deploy.stage(name)
    assert (boards / "sim" / "board.py").read_text() == 'MCU = "unix"\n'


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


def test_a_board_that_cannot_load_the_firmware_is_named_before_copying():
    header = bytes([0x4D, 6, 3 | 2 << 2])  # mpy v6.3, native code for x64 (arch 2)
    assert deploy.mpy_mismatch(6 | 3 << 8 | 2 << 10, header) is None
    assert deploy.mpy_mismatch(0, header) is None  # a board that does not say
    older = deploy.mpy_mismatch(6 | 2 << 8 | 2 << 10, header)
    assert older == (
        "the board's MicroPython loads .mpy v6.2; this firmware is compiled to v6.3: "
        "flash a MicroPython that loads v6.3 (docs/boards.md)"
    )
    assert "architecture 9; this firmware's is 2" in deploy.mpy_mismatch(
        6 | 3 << 8 | 9 << 10, header
    )
