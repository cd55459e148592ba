"""LSM9DS1 accelerometer + gyro against the register fake, and the Nano 33 BLE Sense using it."""

import importlib.util
import os
from array import array

import footfall.drivers.lsm9ds1 as lsm9ds1_module
import pytest
from fakes.bus import FakeI2C
from fakes.lsm9ds1 import DEPTH, FakeLSM9DS1
from fakes.mpu6050 import FakeMPU6050
from fakes.recorded import max_error_in_lsb, play, recorded_samples, representable
from footfall.drivers.imu_base import WrongChipError
from footfall.drivers.lsm9ds1 import LSM9DS1

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ACCEL_LSB = {2: 0.061, 4: 0.122, 8: 0.244, 16: 0.732}  # mg, datasheet (16 g is not 0.488)
GYRO_LSB = {245: 0.0875, 500: 0.175, 2000: 0.7}  # 0.1 deg/s, datasheet
LSBS = [ACCEL_LSB[16]] * 3 + [GYRO_LSB[2000]] * 3


def make(kind="run", count=3000, address=0x6B, **kw):
    values, _ = recorded_samples(kind, count)
    bus = FakeI2C()
    chip = bus.attach(address, FakeLSM9DS1(values, **kw))
    return bus, chip, values


def buffer(n):
    return array("h", bytes(2 * 6 * n))


@pytest.mark.parametrize(
    "kind,g,dps", [("run", 16, 2000), ("run", 8, 2000), ("walk", 4, 500), ("walk", 2, 245)]
)
def test_samples_equal_the_trace_within_one_lsb(kind, g, dps):
    bus, chip, values = make(kind)
    imu = LSM9DS1(bus, accel_range_g=g, gyro_range_dps=dps)
    assert imu.has_gyro and imu.rate_hz == 238 and imu.chip_id == 0x68 and imu.address == 0x6B
    got = play(chip, imu, 3000, step=11, max_read=40)
    lsbs = [ACCEL_LSB[g]] * 3 + [GYRO_LSB[dps]] * 3
    want = representable(values, 6, lsbs)
    assert got.shape == want.shape
    assert max_error_in_lsb(got, want, lsbs) <= 1.0
    assert imu.overruns_ == 0


def test_full_scale_values_come_through_at_16_g_and_2000_dps():
    # beyond 8 g and 500 dps: clipped unless the range bits really select 16 g / 2000 dps, and
    # wrong by half unless 16 g is converted at the LSM9DS1's 0.732 mg/LSB (not 0.488)
    values = array("h")
    for k in range(40):
        s = 1 if k % 2 else -1
        values.extend(array("h", [s * 15000, -s * 9000, 23000, s * 19000, -s * 6000, 21000]))
    bus = FakeI2C()
    chip = bus.attach(0x6B, FakeLSM9DS1(values))
    imu = LSM9DS1(bus, accel_range_g=16, gyro_range_dps=2000)
    got = play(chip, imu, 40, step=10)
    assert max_error_in_lsb(got, representable(values, 6, LSBS), LSBS) <= 1.0


@pytest.mark.parametrize("rate", [15, 60, 119, 238, 476, 952])
def test_every_rate_is_set_and_served_at_that_rate(rate):
    bus, chip, _ = make(count=200)
    imu = LSM9DS1(bus, rate_hz=rate)
    assert imu.rate_hz == rate
    assert chip.rate_hz() == pytest.approx(rate, abs=0.6)  # 14.9 and 59.5 Hz on the chip
    ms = 30 * 1000 // rate  # about 30 samples: less than the FIFO holds
    chip.advance_ms(ms)
    assert imu.read_fifo(buffer(32), 32) == int(chip.rate_hz() * ms // 1000) > 0


def test_resampled_trace_keeps_its_timing():
    # a 200 Hz recording served at 119 Hz: every sample is the recording's sample at that time
    values, rate = recorded_samples("run", 2000)
    bus = FakeI2C()
    chip = bus.attach(0x6B, FakeLSM9DS1(values, trace_rate_hz=rate))
    imu = LSM9DS1(bus, rate_hz=119)
    got = play(chip, imu, 900, step=25)
    idx = [int(k * rate / 119) for k in range(len(got))]
    want = representable(values, 6, LSBS)[idx]
    assert len(got) == 900 and max_error_in_lsb(got, want, LSBS) <= 1.0


def test_fifo_is_read_in_bursts():
    bus, chip, _ = make()
    imu = LSM9DS1(bus, batch=16)
    chip.advance(32)
    before = bus.transactions
    assert imu.read_fifo(buffer(40), 40) == 32
    assert bus.transactions - before == 3  # FIFO_SRC, then two bursts of 16 levels


def test_read_stops_at_max_samples_and_keeps_the_rest():
    bus, chip, values = make()
    imu = LSM9DS1(bus)
    chip.advance(20)
    buf = buffer(20)
    assert imu.read_fifo(buf, 7) == 7
    assert chip.fifo_len() == 13
    assert imu.read_fifo(buf, 20) == 13
    want = representable(values, 6, LSBS)[7:20]
    assert max_error_in_lsb(array_rows(buf, 13), want, LSBS) <= 1.0


def array_rows(buf, n):
    return [list(buf[6 * k : 6 * k + 6]) for k in range(n)]


def test_overrun_is_detected_counted_and_the_fifo_restarted():
    bus, chip, values = make()
    imu = LSM9DS1(bus)
    buf = buffer(40)
    chip.advance(10)
    assert imu.read_fifo(buf, 40) == 10
    chip.advance(DEPTH + 8)  # the reader fell behind: the oldest levels are overwritten
    assert chip.samples_lost == 8 and chip.overrun
    assert imu.read_fifo(buf, 40) == 0
    assert imu.overruns_ == 1
    assert chip.fifo_len() == 0 and not chip.overrun  # emptied and running again
    start = chip.samples_taken
    chip.advance(20)
    assert imu.read_fifo(buf, 40) == 20
    want = representable(values, 6, LSBS)[start : start + 20]
    assert max_error_in_lsb(array_rows(buf, 20), want, LSBS) <= 1.0
    assert imu.overruns_ == 1
    chip.advance(DEPTH + 1)
    assert imu.read_fifo(buf, 40) == 0 and imu.overruns_ == 2


def test_a_full_fifo_without_overrun_is_read_whole():
    bus, chip, _ = make()
    imu = LSM9DS1(bus)
    chip.advance(DEPTH)
    assert imu.read_fifo(buffer(40), 40) == DEPTH and imu.overruns_ == 0


def test_a_chip_that_stops_answering_raises_oserror():
    bus, chip, _ = make()
    imu = LSM9DS1(bus)
    chip.advance(5)
    chip.answering = False
    with pytest.raises(OSError):
        imu.read_fifo(buffer(8), 8)
    chip.answering = True  # and it carries on once the chip is back
    assert imu.read_fifo(buffer(8), 8) == 5


def test_no_chip_at_the_address_raises_oserror():
    bus, _, _ = make(address=0x6A)
    with pytest.raises(OSError):
        LSM9DS1(bus)  # 0x6B by default


def test_a_reset_that_never_completes_raises_oserror(monkeypatch):
    monkeypatch.setattr(lsm9ds1_module, "sleep_ms", lambda ms: None)
    bus, chip, _ = make()
    chip.write_reg = lambda addr, value: chip.regs.__setitem__(addr, value)  # bit stays set
    with pytest.raises(OSError, match="software reset"):
        LSM9DS1(bus)


def test_wrong_who_am_i_names_expected_and_found():
    bus, _, _ = make(who_am_i=0x6A)  # an LSM6DS3TR-C at 0x6B answers differently
    with pytest.raises(WrongChipError) as e:
        LSM9DS1(bus)
    msg = str(e.value)
    assert "LSM9DS1" in msg and "0x6A" in msg and "0x68" in msg


@pytest.mark.parametrize(
    "kwargs,name,allowed",
    [
        ({"rate_hz": 200}, "rate_hz", "15, 60, 119, 238, 476, 952"),
        ({"rate_hz": 59.5}, "rate_hz", "238"),
        ({"accel_range_g": 6}, "accel_range_g", "2, 4, 8, 16"),
        ({"gyro_range_dps": 250}, "gyro_range_dps", "245, 500, 2000"),
        ({"gyro_range_dps": 1000}, "gyro_range_dps", "245, 500, 2000"),
        ({"batch": 0}, "batch", "1..128"),
        ({"batch": 33}, "batch", "1..32"),
    ],
)
def test_bad_arguments_name_the_argument_and_allowed_values(kwargs, name, allowed):
    bus, _, _ = make()
    with pytest.raises(ValueError) as e:
        LSM9DS1(bus, **kwargs)
    assert name in str(e.value) and allowed in str(e.value)


def test_too_small_sample_buffer_is_refused():
    bus, _, _ = make()
    imu = LSM9DS1(bus)
    with pytest.raises(ValueError, match="max_samples=8 needs 48"):
        imu.read_fifo(array("h", bytes(2 * 40)), 8)


# ---- the board ----------------------------------------------------------------------------
def nano():
    path = os.path.join(ROOT, "boards", "arduino_nano33_ble_sense", "board.py")
    spec = importlib.util.spec_from_file_location("board_nano33_lsm9ds1", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_nano33_rev1_imu_is_the_lsm9ds1():
    bus, chip, values = make(count=200)
    board = nano()
    imu = board.build_imu(bus)
    assert isinstance(imu, LSM9DS1) and imu.chip_id == 0x68 and imu.rate_hz == 238
    chip.advance(24)
    buf = buffer(32)
    assert imu.read_fifo(buf, 32) == 24
    # the app polls often enough that the 32-level FIFO never fills between polls
    assert board.POLL_MS * 238 // 1000 < DEPTH // 2


def test_nano33_rev2_says_the_bmi270_has_no_driver():
    bus = FakeI2C()
    bus.attach(0x68, FakeMPU6050([0] * 6))  # something at 0x68, as the BMI270 is
    with pytest.raises(NotImplementedError, match="BMI270.*Rev2"):
        nano().build_imu(bus)


def test_nano33_without_an_imu_raises_oserror_so_the_app_retries():
    with pytest.raises(OSError, match="LSM9DS1 at 0x6B .*BMI270 at 0x68"):
        nano().build_imu(FakeI2C())
