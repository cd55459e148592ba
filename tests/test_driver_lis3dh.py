"""LIS3DH (accelerometer only, 32-sample FIFO) against the register fake."""

from array import array

import pytest
from fakes.bus import FakeI2C
from fakes.lis3dh import DEPTH, FakeLIS3DH
from fakes.recorded import accel_only, max_error_in_lsb, play, recorded_samples
from footfall.drivers.imu_base import WrongChipError
from footfall.drivers.lis3dh import LIS3DH

MG_PER_DIGIT = {2: 1, 4: 2, 8: 4, 16: 12}  # 12-bit high-resolution mode, datasheet


def make(kind="run", count=3000, address=0x18, **kw):
    values, _ = recorded_samples(kind, count)
    values = accel_only(values)
    bus = FakeI2C()
    chip = bus.attach(address, FakeLIS3DH(values, **kw))
    return bus, chip, values


def clip12(values, mg):
    import numpy as np

    v = np.array(values, dtype=np.float64).reshape(-1, 3)
    return np.clip(v, -2048 * mg, 2047 * mg)


@pytest.mark.parametrize("kind,g", [("run", 16), ("run", 8), ("walk", 4), ("walk", 2)])
def test_samples_equal_the_trace_within_one_lsb(kind, g):
    bus, chip, values = make(kind)
    imu = LIS3DH(bus, rate_hz=200, accel_range_g=g)
    assert not imu.has_gyro and imu.rate_hz == 200
    got = play(chip, imu, 3000, step=9)
    mg = MG_PER_DIGIT[g]
    assert got.shape == (3000, 3)
    assert max_error_in_lsb(got, clip12(values, mg), [mg] * 3) <= 1.0
    assert imu.overruns_ == 0


def test_fifo_is_read_in_one_burst():
    bus, chip, _ = make()
    imu = LIS3DH(bus)
    chip.advance(30)
    before = bus.transactions
    assert imu.read_fifo(array("h", bytes(2 * 3 * 32)), 32) == 30
    assert bus.transactions - before == 2  # FIFO_SRC_REG, then one burst


def test_overrun_is_counted_and_the_fifo_rearmed():
    bus, chip, values = make()
    imu = LIS3DH(bus, accel_range_g=16)
    buf = array("h", bytes(2 * 3 * 32))
    chip.advance(DEPTH + 8)  # the reader fell behind
    assert chip.samples_lost == 8
    assert imu.read_fifo(buf, 32) == 0
    assert imu.overruns_ == 1
    start = chip.samples_taken
    chip.advance(12)
    assert imu.read_fifo(buf, 32) == 12
    for k in range(12):
        want = chip.trace_sample(start + k)
        assert all(abs(buf[3 * k + a] - want[a]) <= 12 for a in range(3))
    chip.advance(DEPTH)
    imu.read_fifo(buf, 32)
    assert imu.overruns_ == 2


def test_a_chip_that_stops_answering_raises_oserror():
    bus, chip, _ = make()
    imu = LIS3DH(bus)
    bus.fail = True
    with pytest.raises(OSError):
        imu.read_fifo(array("h", bytes(2 * 3 * 4)), 4)


def test_no_chip_at_the_address_raises_oserror():
    bus, _, _ = make(address=0x19)
    with pytest.raises(OSError):
        LIS3DH(bus, address=0x18)


def test_wrong_who_am_i_names_expected_and_found():
    bus, chip, _ = make()
    chip.regs[0x0F] = 0x32  # a LIS331DLH answers there
    with pytest.raises(WrongChipError, match="is 0x32, expected 0x33"):
        LIS3DH(bus)


@pytest.mark.parametrize(
    "kwargs,name,allowed",
    [
        ({"rate_hz": 208}, "rate_hz", "1344"),
        ({"accel_range_g": 6}, "accel_range_g", "16"),
        ({"batch": 33}, "batch", "1..32"),
    ],
)
def test_bad_arguments_name_the_argument_and_allowed_values(kwargs, name, allowed):
    bus, _, _ = make()
    with pytest.raises(ValueError) as e:
        LIS3DH(bus, **kwargs)
    assert name in str(e.value) and allowed in str(e.value)
