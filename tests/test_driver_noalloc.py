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
    for chip in ("LSM6DS3TR-C", "LSM6DSO", "LIS3DH", "MPU-6050"):
        assert "no allocation: " + chip in r.stdout


# The LSM9DS1 check, run the same way (opened on its register fake, then read under heap_lock
# from a bus that serves a full FIFO without allocating itself).
LSM9DS1_CHECK = """
from array import array
import micropython
from fakes.bus import FakeI2C
from fakes.lsm9ds1 import FakeLSM9DS1
from footfall.drivers.lsm9ds1 import LSM9DS1

class Bus:
    def __init__(self, level):
        self.src = bytearray([32])  # FIFO_SRC: 32 levels, no overrun
        self.level = level
    def readfrom_mem_into(self, addr, memaddr, buf, addrsize=8):
        src = self.src if memaddr == 0x2F else self.level
        n = len(src)
        for i in range(len(buf)):
            buf[i] = src[i % n]
    def writeto_mem(self, addr, memaddr, buf, addrsize=8):
        pass

bus = FakeI2C()
bus.attach(0x6B, FakeLSM9DS1(array("h", [1, 2, 3, 4, 5, 6] * 4)))
imu = LSM9DS1(bus, batch=16)
bus.devices[0x6B].advance(4)
buf = array("h", bytes(2 * 6 * 40))
assert imu.read_fifo(buf, 40) == 4, "the fake served no FIFO"
# gyro 1000, 0, -1000 LSB then accel 1000, -1000, 2 LSB: 70.0 / 0.0 / -70.0 dps, 732, -732, 1 mg
imu._i2c = Bus(bytearray([0xE8, 3, 0, 0, 0x18, 0xFC, 0xE8, 3, 0x18, 0xFC, 2, 0]))
imu.read_fifo(buf, 40)  # warm-up outside the lock
micropython.heap_lock()
try:
    n = imu.read_fifo(buf, 40)
finally:
    micropython.heap_unlock()
assert n == 32, n
assert list(buf[186:192]) == [732, -732, 1, 700, 0, -700], list(buf[186:192])
print("no allocation: LSM9DS1", n)
"""


def test_lsm9ds1_read_fifo_does_not_allocate_on_micropython():
    exe = MICROPYTHON if os.path.exists(MICROPYTHON) else shutil.which("micropython")
    if not exe:
        pytest.skip("the MicroPython unix port (.venv/bin/micropython) is not installed")
    env = dict(os.environ, MICROPYPATH="firmware:tests")
    r = subprocess.run(
        [exe, "-c", LSM9DS1_CHECK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no allocation: LSM9DS1 32" in r.stdout
