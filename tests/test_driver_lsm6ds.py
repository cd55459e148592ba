"""LSM6DS3 / LSM6DS3TR-C (pattern FIFO) and LSM6DSO (tagged FIFO) against the register fake."""

from array import array

import pytest
from fakes.bus import FakeI2C
from fakes.lsm6ds import WHO_AM_I_DS3, WHO_AM_I_DS3TRC, WHO_AM_I_DSO, FakeLSM6DS
from fakes.recorded import max_error_in_lsb, play, recorded_samples, representable
from footfall.drivers.imu_base import WrongChipError
from footfall.drivers.lsm6ds import LSM6DS3

ACCEL_LSB = {2: 0.061, 4: 0.122, 8: 0.244, 16: 0.488}  # mg, datasheet
GYRO_LSB = {125: 0.04375, 250: 0.0875, 500: 0.175, 1000: 0.35, 2000: 0.7}  # 0.1 deg/s
CHIPS = [WHO_AM_I_DS3, WHO_AM_I_DS3TRC, WHO_AM_I_DSO]


def make(who=WHO_AM_I_DS3TRC, kind="run", count=3000, **kw):
    values, _ = recorded_samples(kind, count)
    bus = FakeI2C()
    chip = bus.attach(0x6A, FakeLSM6DS(values, who_am_i=who, **kw))
    return bus, chip, values


@pytest.mark.parametrize("who", CHIPS)
@pytest.mark.parametrize("kind,g,dps", [("run", 16, 2000), ("walk", 4, 500), ("run", 2, 125)])
def test_samples_equal_the_trace_within_one_lsb(who, kind, g, dps):
    bus, chip, values = make(who, kind)
    imu = LSM6DS3(bus, rate_hz=208, accel_range_g=g, gyro_range_dps=dps)
    assert imu.has_gyro and imu.rate_hz == 208
    got = play(chip, imu, 3000, step=11)
    lsbs = [ACCEL_LSB[g]] * 3 + [GYRO_LSB[dps]] * 3
    want = representable(values, 6, lsbs)
    assert got.shape == want.shape
    assert max_error_in_lsb(got, want, lsbs) <= 1.0
    assert imu.overruns_ == 0


@pytest.mark.parametrize("who", CHIPS)
def test_fifo_is_read_in_bursts(who):
    bus, chip, _ = make(who)
    imu = LSM6DS3(bus, batch=32)
    chip.advance(64)
    before = bus.transactions
    buf = array("h", bytes(2 * 6 * 64))
    assert imu.read_fifo(buf, 64) == 64
    assert bus.transactions - before == 3  # status, then two bursts of 32 samples


@pytest.mark.parametrize("who", CHIPS)
def test_overrun_is_counted_and_the_fifo_rearmed(who):
    bus, chip, values = make(who, capacity=40)
    imu = LSM6DS3(bus)
    buf = array("h", bytes(2 * 6 * 64))
    chip.advance(10)
    assert imu.read_fifo(buf, 64) == 10
    chip.advance(55)  # the reader fell behind: the FIFO wraps
    assert chip.samples_lost > 0
    assert imu.read_fifo(buf, 64) == 0
    assert imu.overruns_ == 1
    start = chip.samples_taken
    chip.advance(20)
    assert imu.read_fifo(buf, 64) == 20
    first = chip.trace_sample(start)
    lsbs = [0.488] * 3 + [0.7] * 3
    assert max(abs(buf[a] - first[a]) / max(1, lsbs[a]) for a in range(6)) <= 1
    assert imu.overruns_ == 1


def test_tagged_words_pair_whatever_their_order():
    bus, chip, values = make(WHO_AM_I_DSO, gyro_first=False)
    imu = LSM6DS3(bus, accel_range_g=16, gyro_range_dps=2000)
    got = play(chip, imu, 500, step=3, max_read=5)
    lsbs = [0.488] * 3 + [0.7] * 3
    assert max_error_in_lsb(got, representable(values[: 500 * 6], 6, lsbs), lsbs) <= 1.0


def test_tagged_accel_words_without_a_gyro_partner_are_dropped():
    # the gyro settles later: the first 7 timeslots hold accelerometer words only
    bus, chip, values = make(WHO_AM_I_DSO, gyro_late=7)
    imu = LSM6DS3(bus)
    got = play(chip, imu, 200, step=5)
    lsbs = [0.488] * 3 + [0.7] * 3
    want = representable(values, 6, lsbs)[7:200]
    assert got.shape == want.shape
    assert max_error_in_lsb(got, want, lsbs) <= 1.0


def test_resampled_trace_keeps_its_timing():
    # a 200 Hz recording served at 104 Hz: every sample is the recording's sample at that time
    values, rate = recorded_samples("run", 2000)
    bus = FakeI2C()
    chip = bus.attach(0x6A, FakeLSM6DS(values, trace_rate_hz=rate))
    imu = LSM6DS3(bus, rate_hz=104)
    got = play(chip, imu, 900)
    idx = [int(k * rate / 104) for k in range(len(got))]
    lsbs = [0.488] * 3 + [0.7] * 3
    want = representable(values, 6, lsbs)[idx]
    assert len(got) == 900 and max_error_in_lsb(got, want, lsbs) <= 1.0


@pytest.mark.parametrize("who", CHIPS)
def test_a_chip_that_stops_answering_raises_oserror(who):
    bus, chip, _ = make(who)
    imu = LSM6DS3(bus)
    chip.advance(5)
    chip.answering = False
    with pytest.raises(OSError):
        imu.read_fifo(array("h", bytes(2 * 6 * 8)), 8)
    chip.answering = True  # and it carries on once the chip is back
    assert imu.read_fifo(array("h", bytes(2 * 6 * 8)), 8) == 5


def test_no_chip_at_the_address_raises_oserror():
    with pytest.raises(OSError):
        LSM6DS3(FakeI2C(), address=0x6A)


def test_wrong_who_am_i_names_expected_and_found():
    bus, _, _ = make(who=0x6B)
    with pytest.raises(WrongChipError) as e:
        LSM6DS3(bus)
    msg = str(e.value)
    assert "0x6B" in msg and "0x6A" in msg and "0x6C" in msg


@pytest.mark.parametrize(
    "kwargs,name,allowed",
    [
        ({"rate_hz": 200}, "rate_hz", "208"),
        ({"accel_range_g": 3}, "accel_range_g", "16"),
        ({"gyro_range_dps": 300}, "gyro_range_dps", "2000"),
        ({"batch": 0}, "batch", "1..128"),
    ],
)
def test_bad_arguments_name_the_argument_and_allowed_values(kwargs, name, allowed):
    bus, _, _ = make()
    with pytest.raises(ValueError) as e:
        LSM6DS3(bus, **kwargs)
    assert name in str(e.value) and allowed in str(e.value)


def test_too_small_sample_buffer_is_refused():
    bus, _, _ = make()
    imu = LSM6DS3(bus)
    with pytest.raises(ValueError, match="max_samples=8 needs 48"):
        imu.read_fifo(array("h", bytes(2 * 40)), 8)


@pytest.mark.parametrize("cut_words", [1, 2, 5])
def test_pattern_fifo_realigns_after_a_cut_short_read(cut_words):
    bus, chip, values = make(WHO_AM_I_DS3TRC)
    imu = LSM6DS3(bus)
    chip.advance(4)
    chip.read(0x3E, 2 * cut_words)  # someone read part of the first sample
    buf = array("h", bytes(2 * 6 * 8))
    assert imu.read_fifo(buf, 8) == 3  # the torn sample is dropped, the next three are whole
    lsbs = [0.488] * 3 + [0.7] * 3
    want = representable(values, 6, lsbs)[1:4]
    got = [buf[6 * k : 6 * k + 6].tolist() for k in range(3)]
    assert max_error_in_lsb(got, want, lsbs) <= 1.0
