"""MPU-6050 and MPU-6886 (1 KB byte FIFO, 14-byte packets) against the register fake."""

from array import array

import footfall.drivers.mpu6050 as mpu_module
import pytest
from fakes.bus import FakeI2C
from fakes.mpu6050 import WHO_AM_I_6050, WHO_AM_I_6886, FakeMPU6050
from fakes.recorded import max_error_in_lsb, play, recorded_samples, representable
from footfall.drivers.imu_base import WrongChipError
from footfall.drivers.mpu6050 import MPU6050

ACCEL_LSB = {2: 1000 / 16384, 4: 1000 / 8192, 8: 1000 / 4096, 16: 1000 / 2048}  # mg
GYRO_LSB = {250: 10 / 131, 500: 10 / 65.5, 1000: 10 / 32.8, 2000: 10 / 16.4}  # 0.1 deg/s
CHIPS = [WHO_AM_I_6050, WHO_AM_I_6886]


@pytest.fixture(autouse=True)
def no_reset_wait(monkeypatch):
    monkeypatch.setattr(mpu_module, "sleep_ms", lambda ms: None)


def make(who=WHO_AM_I_6050, kind="run", count=3000, **kw):
    values, _ = recorded_samples(kind, count)
    bus = FakeI2C()
    chip = bus.attach(0x68, FakeMPU6050(values, who_am_i=who, **kw))
    return bus, chip, values


@pytest.mark.parametrize("who", CHIPS)
@pytest.mark.parametrize("kind,g,dps", [("run", 16, 2000), ("walk", 8, 1000), ("walk", 2, 250)])
def test_samples_equal_the_trace_within_one_lsb(who, kind, g, dps):
    bus, chip, values = make(who, kind)
    imu = MPU6050(bus, rate_hz=200, accel_range_g=g, gyro_range_dps=dps)
    assert imu.has_gyro and imu.rate_hz == 200 and chip.rate_hz() == 200
    got = play(chip, imu, 3000, step=13)
    lsbs = [ACCEL_LSB[g]] * 3 + [GYRO_LSB[dps]] * 3
    want = representable(values, 6, lsbs)
    assert got.shape == want.shape
    assert max_error_in_lsb(got, want, lsbs) <= 1.0
    assert imu.overruns_ == 0


def test_fifo_is_read_in_bursts():
    bus, chip, _ = make()
    imu = MPU6050(bus, batch=32)
    chip.advance(64)
    before = bus.transactions
    assert imu.read_fifo(array("h", bytes(2 * 6 * 64)), 64) == 64
    assert bus.transactions - before == 4  # INT_STATUS, FIFO count, two bursts


@pytest.mark.parametrize("who", CHIPS)
def test_overrun_is_counted_and_the_fifo_rearmed(who):
    bus, chip, values = make(who)
    imu = MPU6050(bus)
    buf = array("h", bytes(2 * 6 * 32))
    chip.advance(1024 // 14 + 5)  # more than the FIFO holds: packets get torn
    assert chip.samples_lost > 0
    assert imu.read_fifo(buf, 32) == 0
    assert imu.overruns_ == 1
    start = chip.samples_taken
    chip.advance(10)
    assert imu.read_fifo(buf, 32) == 10
    for k in range(10):
        want = chip.trace_sample(start + k)
        assert all(abs(buf[6 * k + a] - want[a]) <= 1 for a in range(6))


def test_a_chip_that_stops_answering_raises_oserror():
    bus, chip, _ = make()
    imu = MPU6050(bus)
    chip.answering = False
    with pytest.raises(OSError):
        imu.read_fifo(array("h", bytes(2 * 6 * 4)), 4)


def test_no_chip_at_the_address_raises_oserror():
    bus, _, _ = make()
    with pytest.raises(OSError):
        MPU6050(bus, address=0x69)


def test_wrong_who_am_i_names_expected_and_found():
    bus, _, _ = make(who=0x70)  # an MPU-6500 sold as an MPU-6050
    with pytest.raises(WrongChipError) as e:
        MPU6050(bus)
    assert "0x70" in str(e.value) and "0x68" in str(e.value) and "0x19" in str(e.value)


@pytest.mark.parametrize(
    "kwargs,name,allowed",
    [
        ({"rate_hz": 208}, "rate_hz", "1000"),
        ({"accel_range_g": 3}, "accel_range_g", "16"),
        ({"gyro_range_dps": 125}, "gyro_range_dps", "250"),
    ],
)
def test_bad_arguments_name_the_argument_and_allowed_values(kwargs, name, allowed):
    bus, _, _ = make()
    with pytest.raises(ValueError) as e:
        MPU6050(bus, **kwargs)
    assert name in str(e.value) and allowed in str(e.value)
