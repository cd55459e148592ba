"""boards/: every board folder is complete, its manifest freezes what exists, importing its
board.py touches no hardware, and build_imu picks the right driver on a fake bus."""

import importlib.util
import os
import subprocess
import sys
import types

import footfall.drivers.mpu6050 as mpu_module
import pytest
from fakes.bus import FakeI2C
from fakes.lis3dh import FakeLIS3DH
from fakes.lsm6ds import FakeLSM6DS
from fakes.lsm9ds1 import FakeLSM9DS1
from fakes.mpu6050 import FakeMPU6050
from fakes.recorded import accel_only, recorded_samples, trace_path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOARDS = os.path.join(ROOT, "boards")
NAMES = sorted(n for n in os.listdir(BOARDS) if os.path.isdir(os.path.join(BOARDS, n)))
EXPECTED = {
    "seeed_xiao_nrf52840_sense",
    "arduino_nano33_ble_sense",
    "esp32_devkitc",
    "m5stickc_plus",
    "sim",
}
RADIOS = {"ubluepy", "bluetooth", "sim"}


def load_board(name):
    spec = importlib.util.spec_from_file_location(
        "board_" + name, os.path.join(BOARDS, name, "board.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def no_reset_wait(monkeypatch):
    monkeypatch.setattr(mpu_module, "sleep_ms", lambda ms: None)


def test_the_five_boards_are_there():
    assert set(NAMES) == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_board_module_describes_the_board_without_touching_hardware(name):
    sys.modules.pop("machine", None)
    board = load_board(name)
    assert "machine" not in sys.modules  # CPython has no machine: importing must not need it
    assert board.NAME == name
    assert board.RADIO in RADIOS
    # the MCU the radio backend runs on (mpy_size and deploy read it), and where the board
    # goes in the shoe, in words for the README's table
    assert (
        board.MCU
        in {"bluetooth": ("ESP32",), "ubluepy": ("nRF52840",), "sim": ("unix port",)}[board.RADIO]
    )
    assert isinstance(board.MOUNTING, str) and len(board.MOUNTING) > 10
    assert callable(board.build_bus) and callable(board.build_imu)


class _Manifest:
    """Evaluates a manifest.py with MicroPython's manifest functions, recording what it asks."""

    def __init__(self, path):
        self.dir = os.path.dirname(path)
        self.includes, self.files = [], []
        api = {
            "include": self.include,
            "package": self.package,
            "module": self.module,
            "require": self.require,
            "metadata": lambda **kw: None,
        }
        with open(path, encoding="utf-8") as f:
            exec(compile(f.read(), path, "exec"), api)

    def _path(self, p):
        return os.path.normpath(os.path.join(self.dir, p))

    def include(self, path, **kw):
        self.includes.append(path)

    def require(self, name, **kw):
        self.includes.append("require:" + name)

    def package(self, name, files=None, base_path=".", opt=None):
        base = self._path(base_path)
        assert os.path.isfile(os.path.join(base, name, "__init__.py")), (base, name)
        if files is None:
            for dirpath, _, names in os.walk(os.path.join(base, name)):
                self.files += [os.path.join(dirpath, n) for n in names if n.endswith(".py")]
        else:
            self.files += [os.path.join(base, name, f) for f in files]

    def module(self, name, base_path=".", opt=None):
        self.files.append(os.path.join(self._path(base_path), name))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_manifest_freezes_the_firmware_and_the_board(name):
    m = _Manifest(os.path.join(BOARDS, name, "manifest.py"))
    assert any(i.startswith("$(PORT_DIR)/") for i in m.includes)  # the port's own modules
    for f in m.files:
        assert os.path.isfile(f), f
        with open(f, encoding="utf-8") as src:
            assert "import numpy" not in src.read(), f  # nothing host-only gets frozen
    frozen = {os.path.relpath(f, ROOT) for f in m.files}
    assert os.path.join("firmware", "footfall", "__init__.py") in frozen
    assert os.path.join("firmware", "footfall", "drivers", "lsm6ds.py") in frozen
    assert os.path.join("boards", name, "board.py") in frozen


def test_readme_table_lists_every_board():
    with open(os.path.join(BOARDS, "README.md"), encoding="utf-8") as f:
        text = f.read()
    for name in EXPECTED:
        assert "| `%s` |" % name in text


def test_xiao_builds_a_powered_bus_on_the_internal_pins(monkeypatch):
    calls = []

    class Pin:
        OUT = 1

        def __init__(self, n, mode=None):
            self.n = n
            calls.append(("Pin", n, mode))

        def value(self, v):
            calls.append(("value", self.n, v))

    def i2c(bus_id, scl, sda, freq):
        calls.append(("I2C", bus_id, scl.n, sda.n, freq))
        return "bus"

    monkeypatch.setitem(sys.modules, "machine", types.SimpleNamespace(Pin=Pin, I2C=i2c))
    monkeypatch.setattr("time.sleep_ms", lambda ms: calls.append(("sleep", ms)), raising=False)
    board = load_board("seeed_xiao_nrf52840_sense")
    assert board.build_bus() == "bus"
    assert ("value", 40, 1) in calls  # P1.08 powers the IMU
    assert calls.index(("value", 40, 1)) < calls.index(("I2C", 0, 27, 7, 400000))
    assert any(c[0] == "sleep" for c in calls)


@pytest.mark.parametrize(
    "board, address, fake, chip_id, rate_hz",
    [
        # the XIAO's LSM6DS3TR-C, the M5StickC Plus's MPU-6886, the Nano 33 rev 1's LSM9DS1
        ("seeed_xiao_nrf52840_sense", 0x6A, FakeLSM6DS, 0x6A, 208),
        ("m5stickc_plus", 0x68, lambda v: FakeMPU6050(v, who_am_i=0x19), 0x19, 200),
        ("arduino_nano33_ble_sense", 0x6B, FakeLSM9DS1, 0x68, 238),
    ],
)
def test_each_board_builds_its_imu(board, address, fake, chip_id, rate_hz):
    values, _ = recorded_samples("run", 50)
    bus = FakeI2C()
    bus.attach(address, fake(values))
    imu = load_board(board).build_imu(bus)
    assert imu.chip_id == chip_id and imu.rate_hz == rate_hz and imu.has_gyro


@pytest.mark.parametrize("address,chip", [(0x18, "LIS3DH"), (0x19, "LIS3DH"), (0x68, "MPU")])
def test_esp32_devkitc_uses_the_breakout_that_answers(address, chip):
    values, _ = recorded_samples("run", 50)
    bus = FakeI2C()
    fake = FakeLIS3DH(accel_only(values)) if chip == "LIS3DH" else FakeMPU6050(values)
    bus.attach(address, fake)
    imu = load_board("esp32_devkitc").build_imu(bus)
    assert imu.address == address and imu.has_gyro == (chip == "MPU") and imu.rate_hz == 200


def test_esp32_devkitc_without_imu_raises_oserror_naming_what_it_looked_for():
    with pytest.raises(OSError, match="LIS3DH at 0x18/0x19 and an MPU-6050 at 0x68/0x69"):
        load_board("esp32_devkitc").build_imu(FakeI2C())


def test_sim_serves_the_whole_trace_at_the_imu_rate(monkeypatch):
    from array import array

    path = trace_path("walk")
    monkeypatch.setenv("FOOTFALL_SIM_TRACE", path)
    monkeypatch.setenv("FOOTFALL_SIM_SPEED", "0")
    board = load_board("sim")
    imu = board.build_imu()
    buf = array("h", bytes(2 * 6 * 64))
    got, first = 0, None
    for _ in range(10000):
        n = imu.read_fifo(buf, 64)
        if n and first is None:
            first = list(buf[:6])
        got += n
        if board.chip.finished and n == 0:
            break
    values, rate = recorded_samples("walk")
    duration_s = len(values) / 6 / rate
    assert abs(got - duration_s * 208) <= 208 * 0.02  # the trace resampled to 208 Hz
    assert first == list(values[:6])  # 16 g / 2000 dps: within one LSB of the engine units
    assert imu.overruns_ == 0


def test_sim_without_a_trace_says_how_to_give_one(monkeypatch):
    monkeypatch.delenv("FOOTFALL_SIM_TRACE", raising=False)
    with pytest.raises(ValueError, match="FOOTFALL_SIM_TRACE"):
        load_board("sim").build_imu()


def test_sim_board_runs_on_the_micropython_unix_port():
    exe = os.path.join(ROOT, ".venv", "bin", "micropython")
    if not os.path.exists(exe):
        pytest.skip("the MicroPython unix port (.venv/bin/micropython) is not installed")
    script = (
        "import board\nfrom array import array\n"
        "imu = board.build_imu()\nbuf = array('h', bytes(2 * 6 * 64))\nn = 0\n"
        "for _ in range(40):\n    n += imu.read_fifo(buf, 64)\n"
        "print('samples', n, imu.rate_hz, imu.overruns_)\n"
    )
    env = dict(
        os.environ,
        MICROPYPATH="firmware:tests:boards/sim",
        FOOTFALL_SIM_TRACE=trace_path("run"),
        FOOTFALL_SIM_SPEED="0",
    )
    r = subprocess.run(
        [exe, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    words = r.stdout.split()
    assert words[0] == "samples" and words[2:] == ["208", "0"]
    assert 40 * 20 - 30 <= int(words[1]) <= 40 * 21  # 100 ms of samples per poll
