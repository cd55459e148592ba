"""The app's test board: a board made of the register-level fakes (an LSM6DS3 replaying a
recorded trace on a fake I2C bus), with a clock only the app's sleeps move; and what the tests
read back from its logs."""

import errno
import json
import os

from footfall.app import App
from footfall.drivers.lsm6ds import LSM6DS3

from fakes.bus import FakeI2C
from fakes.lsm6ds import FakeLSM6DS
from fakes.recorded import trace_path
from fakes.tracefile import load_trace
from host_tools.rawlogs import convert
from host_tools.replay import replay_file


class Board:
    """A board made of fakes with a clock that only the app's sleeps move: `events` maps a
    time (ms) to a function called when the clock passes it (to break things mid-run)."""

    NAME = "testboard"
    POLL_MS = 100
    RECORD_AT_BOOT = None

    def __init__(self, tmp_path, kind="run", **attrs):
        os.makedirs(tmp_path, exist_ok=True)
        self.t = 0
        rate, axes, values = load_trace(trace_path(kind))
        self.chip = FakeLSM6DS(values, trace_rate_hz=rate, clock=lambda: self.t)
        self.bus = FakeI2C()
        self.bus.attach(0x6A, self.chip)
        self.LOG_DIR = str(tmp_path / "logs")
        self.SETTINGS_PATH = str(tmp_path / "settings.json")
        self.events = {}
        self.feeds = 0
        self.pin_value = 1
        self.imu_builds = 0
        for k, v in attrs.items():
            setattr(self, k, v)

    def ticks_ms(self):
        return self.t

    def ticks_diff(self, a, b):
        return a - b

    def sleep_ms(self, ms):
        self.t += ms
        for when in sorted(self.events):
            if when <= self.t:
                self.events.pop(when)()

    def build_bus(self):
        return self.bus

    def build_imu(self, bus):
        self.imu_builds += 1
        return LSM6DS3(bus, 0x6A, rate_hz=208, accel_range_g=16, gyro_range_dps=2000)

    def done(self):
        return self.chip.finished and self.chip.fifo_len() == 0

    def build_watchdog(self, timeout_ms):
        board = self

        class Watchdog:
            def feed(self):
                board.feeds += 1

        return Watchdog()


def summaries(board):
    out = []
    for name in sorted(os.listdir(board.LOG_DIR)):
        if name.endswith(".sum"):
            with open(os.path.join(board.LOG_DIR, name)) as f:
                out.append(json.load(f))
    return out


def notes(board):
    path = os.path.join(board.LOG_DIR, "notes.log")
    with open(path) if os.path.exists(path) else open(os.devnull) as f:
        return f.read()


def replayed(tmp_path, board, session=1):
    """(board's events text, the host replay of the pulled raw trace, the problems pull
    reported) of a session; the pulled files are in tmp_path/pulled."""
    out = tmp_path / "pulled"
    _, problems = convert(board.LOG_DIR, str(out), "b")
    name = "b_%05d" % session
    events = (out / (name + ".events.csv")).read_text()
    replay_file(str(out / (name + ".csv")), str(tmp_path / "replay.csv"))
    return events, (tmp_path / "replay.csv").read_text(), problems


def run(board, **kw):
    app = App(board, **kw)
    app.run()
    app.close("end")
    return app


def late_imu(board, tries):
    """The board's IMU answers nothing (ENODEV) to its first `tries` set-ups."""
    plain = board.build_imu
    left = [tries]

    def build_imu(bus):
        if left[0]:
            left[0] -= 1
            raise OSError(errno.ENODEV, "no IMU")
        return plain(bus)

    board.build_imu = build_imu
