"""sim: the MicroPython unix port (or CPython). The IMU is the register-level LSM6DS3TR-C fake
from tests/fakes, fed from a footfall trace file; the radio is the simulated one.

Run with MICROPYPATH=firmware:tests:boards/sim. The trace comes from the argument or the
environment variable FOOTFALL_SIM_TRACE. FOOTFALL_SIM_SPEED sets how fast it plays: 1 real
time (the default), 10 ten times faster, 0 as fast as the app reads (every FIFO poll finds
another 100 ms of samples). The radio backend "sim" is written by the BLE layer.
"""

import os

NAME = "sim"
MCU = "unix port"
IMU = "LSM6DS3TR-C (register-level fake)"
RADIO = "sim"
MOUNTING = "whatever the recording had"
TRACE_ENV = "FOOTFALL_SIM_TRACE"
SPEED_ENV = "FOOTFALL_SIM_SPEED"
IMU_ADDRESS = 0x6A
IMU_RATE_HZ = 208
POLL_STEP_MS = 100  # speed 0: simulated time that passes at each FIFO poll

chip = None  # the fake chip, for the app or a test to inspect (chip.finished at the end)


def _clock(speed):
    if speed == 0:
        state = [0]

        def stepping():  # advances only when the driver polls the FIFO status
            return state[0]

        return stepping, state
    import time

    if hasattr(time, "ticks_ms"):
        start = time.ticks_ms()
        return (lambda: time.ticks_diff(time.ticks_ms(), start) * speed), None
    start = time.monotonic()
    return (lambda: (time.monotonic() - start) * 1000 * speed), None


def build_bus(trace_path=None, speed=None):
    """A fake I2C bus with the fake IMU on it, serving the trace at the IMU's rate."""
    global chip
    from fakes.bus import FakeI2C
    from fakes.lsm6ds import FakeLSM6DS
    from fakes.tracefile import load_trace

    path = trace_path or os.getenv(TRACE_ENV)
    if not path:
        raise ValueError("sim board: give a trace path or set %s" % TRACE_ENV)
    if speed is None:
        speed = float(os.getenv(SPEED_ENV) or 1)
    rate, axes, values = load_trace(path)
    if axes != 6:
        raise ValueError("sim board: %s has no gyro columns; the LSM6DS3 fake needs them" % path)
    clock, state = _clock(speed)
    chip = FakeLSM6DS(values, trace_rate_hz=rate, clock=clock)
    bus = FakeI2C()
    bus.attach(IMU_ADDRESS, chip)
    if state is not None:
        _step_on_status_reads(chip, state)
    return bus


def _step_on_status_reads(fake, state):
    # speed 0: each FIFO status read (one per read_fifo call) moves time on by POLL_STEP_MS
    plain_read = fake.read

    def read(reg, n):
        if reg == 0x3A:
            state[0] += POLL_STEP_MS
            fake.sync()
        return plain_read(reg, n)

    fake.read = read


def build_imu(bus=None, trace_path=None, speed=None):
    from footfall.drivers.lsm6ds import LSM6DS3

    return LSM6DS3(
        bus or build_bus(trace_path, speed),
        address=IMU_ADDRESS,
        rate_hz=IMU_RATE_HZ,
        accel_range_g=16,
        gyro_range_dps=2000,
    )
