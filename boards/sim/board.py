"""sim: the MicroPython unix port (or CPython). The IMU is the register-level LSM6DS3TR-C fake
from tests/fakes, fed from a footfall trace file; the radio is the simulated one.

Run with MICROPYPATH=firmware:tests:boards/sim. The trace comes from the argument or the
environment variable FOOTFALL_SIM_TRACE. FOOTFALL_SIM_SPEED sets how fast it plays: 1 real
time (the default), 10 ten times faster, 0 as fast as the app reads (every FIFO poll finds
another 100 ms of samples). The radio backend "sim" is written by the BLE layer.

The trace is read as it plays (never whole into RAM), so an hour-long trace runs in a 64 KB
heap. For the app (footfall.app): ticks_ms/sleep_ms follow the simulated clock, done() is the
end of the trace, the watchdog is a no-op, and FOOTFALL_SIM_RECORD ("raw" or "events"),
FOOTFALL_SIM_LOG_DIR and FOOTFALL_SIM_LOG_BUDGET set what is logged where.
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
POLL_MS = 100
VERBOSE = True
LOG_DIR = os.getenv("FOOTFALL_SIM_LOG_DIR") or "logs"
LOG_BUDGET = int(os.getenv("FOOTFALL_SIM_LOG_BUDGET") or 1048576)
RECORD_AT_BOOT = os.getenv("FOOTFALL_SIM_RECORD") or None
SETTINGS_PATH = os.getenv("FOOTFALL_SIM_SETTINGS") or "footfall_settings.json"

chip = None  # the fake chip, for the app or a test to inspect (chip.finished at the end)
_now = None  # the simulated clock (ms), once build_bus has run
_speed = 1


def _clock(speed):
    if speed == 0:
        state = [0]

        def stepping():  # advances only when the driver polls the FIFO status
            return state[0]

        return stepping, state
    import time

    if hasattr(time, "ticks_ms"):
        start = time.ticks_ms()
        return (lambda: int(time.ticks_diff(time.ticks_ms(), start) * speed)), None
    start = time.monotonic()
    return (lambda: int((time.monotonic() - start) * 1000 * speed)), None


class TraceValues:
    """A trace file as the flat sequence of ints the fake chip indexes (ax, ay, az, gx, gy,
    gz per sample, in mg and 0.1 deg/s, as fakes.tracefile converts them), read line by line
    as the chip moves forward: only the current sample is in memory."""

    def __init__(self, path):
        self.path = path
        self.meta = {}
        self.n = 0
        self._index = None
        times = []
        with open(path) as f:
            for line in f:
                if not line.strip():
                    continue
                if line[0] == "#":
                    key, sep, value = line[1:].partition("=")
                    if sep:
                        self.meta[key.strip()] = value.strip()
                elif self._index is None:
                    self._index = self._columns([c.strip() for c in line.split(",")])
                else:
                    if len(times) < 2:
                        times.append(float(line.split(",")[self._index[0]]))
                    self.n += 1
        if self._index is None or not self.n:
            raise ValueError("%s: no header row or no samples" % path)
        self.axes = len(self._index) - 1
        if "rate_hz" in self.meta:
            self.rate = float(self.meta["rate_hz"])
        elif len(times) == 2 and times[1] > times[0]:
            self.rate = 1000.0 / (times[1] - times[0])
        else:
            self.rate = 100.0
        self._f = None
        self._k = -1
        self._row = None

    def _columns(self, names):
        want = ["t_ms", "ax_mg", "ay_mg", "az_mg"]
        if "gx_dps" in names:
            want += ["gx_dps", "gy_dps", "gz_dps"]
        missing = [c for c in want if c not in names]
        if missing:
            raise ValueError("%s: missing column(s) %s" % (self.path, ", ".join(missing)))
        return [names.index(c) for c in want]

    def __len__(self):
        return self.n * self.axes

    def __getitem__(self, sl):
        k = sl.start // self.axes
        if k < self._k or self._f is None:
            self._rewind()
        while self._k < k:
            self._next()
        return self._row

    def _rewind(self):
        if self._f is not None:
            self._f.close()
        self._f = open(self.path)
        self._k = -1
        line = "#"
        while line and (line[0] == "#" or not line.strip()):
            line = self._f.readline()  # up to and including the header row

    def _next(self):
        line = self._f.readline()
        while line and not line.strip():
            line = self._f.readline()
        cells = line.split(",")
        self._k += 1
        try:
            row = [float(cells[i]) for i in self._index]
        except (ValueError, IndexError):
            raise ValueError("%s: sample %d: expected numbers" % (self.path, self._k)) from None
        out = [_clamp(int(round(row[a])), 16000) for a in range(1, 4)]
        out += [_clamp(int(round(row[a] * 10)), 20000) for a in range(4, len(row))]
        self._row = out


def _clamp(v, lim):
    return -lim if v < -lim else (lim if v > lim else v)


def _ring_fifo(base):
    """The fake chip with its FIFO in one preallocated ring (the fake's list queue grows and
    shrinks, which fragments a small heap; the chip behaves the same)."""
    from array import array

    class RingFifo(base):
        def fifo_clear(self):
            if not hasattr(self, "_ring"):
                self._ring = array("h", bytes(2 * 6 * (self.capacity + 1)))
            self._rh = self._rn = 0

        def fifo_len(self):
            return self._rn

        def fifo_push(self, word):
            r = self._ring
            r[(self._rh + self._rn) % len(r)] = word
            self._rn += 1

        def fifo_peek(self):
            return self._ring[self._rh] if self._rn else None

        def fifo_pop(self):
            if not self._rn:
                return None
            word = self._ring[self._rh]
            self._rh = (self._rh + 1) % len(self._ring)
            self._rn -= 1
            return word

    return RingFifo


def build_bus(trace_path=None, speed=None):
    """A fake I2C bus with the fake IMU on it, serving the trace at the IMU's rate."""
    global chip, _now, _speed
    from fakes.bus import FakeI2C
    from fakes.lsm6ds import FakeLSM6DS

    path = trace_path or os.getenv(TRACE_ENV)
    if not path:
        raise ValueError("sim board: give a trace path or set %s" % TRACE_ENV)
    if speed is None:
        speed = float(os.getenv(SPEED_ENV) or 1)
    values = TraceValues(path)
    if values.axes != 6:
        raise ValueError("sim board: %s has no gyro columns; the LSM6DS3 fake needs them" % path)
    clock, state = _clock(speed)
    chip = _ring_fifo(FakeLSM6DS)(values, trace_rate_hz=values.rate, clock=clock)
    bus = FakeI2C()
    bus.attach(IMU_ADDRESS, chip)
    if state is not None:
        _step_on_status_reads(chip, state)
    _now = clock
    _speed = speed
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


# ---- for footfall.app -----------------------------------------------------------------------
def ticks_ms():
    """The simulated time in ms (the chip's clock), or real time before build_bus."""
    if _now is None:
        import time

        return time.ticks_ms() if hasattr(time, "ticks_ms") else int(time.monotonic() * 1000)
    return _now()


def ticks_diff(a, b):
    return a - b


def sleep_ms(ms):
    """Speed 0: time moves with the FIFO polls, so no sleep; else real ms / speed."""
    if _speed:
        import time

        time.sleep(ms / 1000 / _speed)


def done():
    """The trace has been served and the FIFO read empty."""
    return chip is not None and chip.finished and chip.fifo_len() == 0


def build_radio():
    from footfall.ble.sim_radio import SimRadio

    return SimRadio(clock=ticks_ms)


def build_watchdog(timeout_ms):
    return None  # nothing to reset on the unix port
