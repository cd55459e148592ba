"""The app over weeks of uptime (its times move back by 2**28 ms from 2**29 on, App._rebase),
an IMU that comes back with or without a gyro at the same rate, and a note that the flash
could not take. Weeks are not played: the app's clock jumps (Uptime), the IMU's does not."""

import errno
import os

import pytest
from fakes.app_board import Board, notes, replayed, summaries
from fakes.bus import FakeI2C
from fakes.files import Opener
from fakes.lis3dh import FakeLIS3DH
from fakes.mpu6050 import FakeMPU6050
from fakes.recorded import accel_only, trace_path
from fakes.tracefile import load_trace
from footfall.app import App
from footfall.ble.sim_radio import SimRadio
from footfall.drivers.lis3dh import LIS3DH
from footfall.drivers.mpu6050 import MPU6050
from footfall.logger import Logger
from test_app_upy import LOCK_BATCHES, sim_script

from host_tools.trace import read_trace

REBASE_AT = 2**29  # app.py's _REBASE_AT
DAYS_24_9 = 2**31 - 3000  # 3 s before the int32 sample times would overflow


class Uptime(Board):
    """A board whose clock, as the app reads it, jumps `ahead` ms at its next reading; the
    IMU's clock (and the FIFO) does not: as if the app had been running that much longer.
    (board.done = None: the app runs on after the trace for as many polls as it is given.)"""

    ahead = 0

    def ticks_diff(self, a, b):
        d = a - b + self.ahead
        self.ahead = 0
        return d


def big_ints(app):
    """Every int the app and its parts hold beyond a 32-bit MicroPython's small ints."""
    out = []
    for o in (app, app.stamper, app.sessions, app.button, app.live, app.ble, app.eng):
        for name, v in vars(o).items() if o is not None else ():
            if isinstance(v, int) and not -(2**30) <= v < 2**30:
                out.append((type(o).__name__, name, v))
    out += [("note", k, n[1]) for k, n in app.notes.items() if not -(2**30) <= n[1] < 2**30]
    return out


def pulled(tmp_path, board, session=1):
    """(board's events text, the host replay of its pulled raw log, the pulled times, problems)."""
    events, replay, problems = replayed(tmp_path, board, session)
    t_ms = read_trace(str(tmp_path / "pulled" / ("b_%05d.csv" % session))).t_ms.tolist()
    return events, replay, t_ms, problems


def recorded_session(tmp_path, ahead):
    """A session with raw samples over the whole trace, begun `ahead` ms after the app."""
    board = Uptime(tmp_path)
    app = App(board)
    board.ahead = ahead
    app.run(polls=1)  # the clock jumps; the IMU has taken no sample yet
    app.start_session("button", True)
    app.run()
    app.close("end")
    return board, app


@pytest.mark.parametrize("ahead", [REBASE_AT - 3000, DAYS_24_9], ids=["6.2days", "24.9days"])
def test_a_session_across_the_rebase_replays_to_the_steps_of_one_without_it(tmp_path, ahead):
    board0, app0 = recorded_session(tmp_path / "clean", 0)
    board, app = recorded_session(tmp_path / "late", ahead)  # the times move back 3 s in
    assert app.crashes == 0 and app.now < REBASE_AT  # moved back (24.9 days: 7 times)
    assert big_ints(app) == []
    events, replay, t_ms, problems = pulled(tmp_path / "late", board)
    assert problems == [] and events == replay  # the raw log replays to the board's steps
    events0, _, t_ms0, _ = pulled(tmp_path / "clean", board0)
    assert events == events0 and t_ms == t_ms0  # the session's own times did not move
    assert len(events.splitlines()) > 10 and app.live.steps == app0.live.steps
    ((s0,), (s,)) = summaries(board0), summaries(board)
    assert s == s0


def test_the_app_counts_on_past_24_9_days_of_uptime(tmp_path):
    clean = App(Uptime(tmp_path / "clean"))
    clean.run()
    board = Uptime(tmp_path / "late")
    app = App(board)
    board.ahead = DAYS_24_9  # 3 s into the trace the sample times would pass 2**31 ms
    seen = []
    poll = app.poll
    app.poll = lambda: poll() or seen.extend(big_ints(app))  # at every poll, not only the end
    app.run()
    assert app.crashes == 0 and app.live.steps == clean.live.steps > 20
    assert seen == []


def auto_session(tmp_path, ahead):
    board = Uptime(tmp_path, SESSION_START_SPM=100, SESSION_START_S=3, SESSION_STOP_S=5)
    board.done = None
    app = App(board)
    board.ahead = ahead
    second = app.live.second
    seen = []

    def live(now):  # what BLE would send each second (the one at 0 s only comes with a jump)
        m = second(now)
        if board.t:
            seen.append((board.t, m.moving, m.cadence_x10, m.speed_mmps, m.steps))
        return m

    app.live.second = live
    app.run(polls=400)  # 18 s of trace, then 22 s of nothing
    return board, app, seen


@pytest.mark.parametrize("at", [12000, 19000], ids=["running", "after the last step"])
def test_an_automatic_session_across_the_rebase_starts_and_ends_as_without_it(tmp_path, at):
    # the session's start, its last step (the idle time), the live cadence that starts
    # sessions (at 19 s the last step is 1.5 s old: the runner still counts as moving) and
    # the seconds all go on across the rebase
    board0, app0, live0 = auto_session(tmp_path / "clean", 0)
    board, app, live = auto_session(tmp_path / "late", REBASE_AT - at)
    assert app.now < REBASE_AT and app.crashes == 0
    # one a second from 1 s to the last whole second of the 400 polls (the one at 0 s is not
    # sent): not moving 4 s after the last step, and so on
    assert live == live0 and len(live) == 400 * board.POLL_MS // 1000 - 1
    (s0,) = summaries(board0)
    (s,) = summaries(board)  # one session, ended: not one that never ends, nor a second
    assert (s["start"], s["end"]) == ("auto", "idle") and s == s0
    evt = os.path.join(board.LOG_DIR, "00001_000.evt")
    with open(evt) as f, open(os.path.join(board0.LOG_DIR, "00001_000.evt")) as f0:
        assert f.read() == f0.read()


class Pin:
    v = 1

    def value(self):
        return self.v


def button_session(tmp_path, ahead):
    pin = Pin()
    board = Uptime(tmp_path, build_button=lambda: (pin, 0))
    board.events = {
        2000: lambda: setattr(pin, "v", 0),
        3500: lambda: setattr(pin, "v", 1),  # held 1.5 s, the rebase half-way: start
        12000: lambda: setattr(pin, "v", 0),
        13500: lambda: setattr(pin, "v", 1),  # held again: stop
    }
    app = App(board)
    board.ahead = ahead
    app.run()
    app.close("end")
    return board, app


def test_the_button_held_across_the_rebase_starts_a_session(tmp_path):
    board0, _ = button_session(tmp_path / "clean", 0)
    board, app = button_session(tmp_path / "late", REBASE_AT - 2700)
    assert app.now < REBASE_AT
    (s0,) = summaries(board0)
    (s,) = summaries(board)
    assert (s["start"], s["end"]) == ("button", "button") and s == s0


class Gauge:
    def __init__(self):
        self.reads = 0

    def __call__(self):
        self.reads += 1
        return 80


def timers(tmp_path, ahead):
    """70 s with BLE saving the distance every 2 s, the battery read once a minute, and the
    bus failing long enough for the IMU to be set up again across the rebase (5 s in), then
    once more 10 s later."""
    board = Uptime(tmp_path)
    board.done = None
    board.build_radio = lambda: SimRadio(clock=board.ticks_ms)
    board.battery_percent = gauge = Gauge()
    fail = lambda on: lambda: setattr(board.bus, "fail", on)  # noqa: E731
    board.events = {4000: fail(True), 6000: fail(False), 15500: fail(True), 15800: fail(False)}
    app = App(board)
    app.ble.save_every_ms = 2000
    saves = []
    save = app.settings.save
    app.settings.save = lambda: saves.append(app.now) or save()
    board.ahead = ahead
    app.run(polls=700)
    i2c = notes(board).count("i2c: IMU read failed")
    return app, (len(saves), gauge.reads, i2c, app.live.steps)


def test_the_timers_go_on_across_the_rebase(tmp_path):
    # the BLE layer's last save, the next battery read, notes' last lines per kind and the
    # next try to set the IMU up again are times too: left behind, each would wait 3.1 days
    _, clean = timers(tmp_path / "clean", 0)
    app, late = timers(tmp_path / "late", REBASE_AT - 5000)
    assert app.now < REBASE_AT and app.crashes == 0 and big_ints(app) == []
    saves, reads, i2c, steps = late
    assert saves >= 5 and reads == 2 and i2c == 2 and steps > 20
    assert late == clean


def swap_board(tmp_path, first, then):
    """An ESP32 DevKitC-like board: an MPU-6050 or an LIS3DH at 200 Hz, found by scanning;
    the breakout `first` is swapped for `then` while the bus is down (6-7.5 s)."""
    board = Board(tmp_path)
    rate, _, values = load_trace(trace_path("run"))
    clock = lambda: board.t  # noqa: E731
    chips = {
        "mpu6050": (0x68, FakeMPU6050(values, trace_rate_hz=rate, clock=clock)),
        "lis3dh": (0x18, FakeLIS3DH(accel_only(values), trace_rate_hz=rate, clock=clock)),
    }
    board.bus = FakeI2C(dict([chips[first]]))
    board.chip = chips[then][1]  # done when it has served the trace

    def build_imu(bus):
        board.imu_builds += 1
        if 0x18 in bus.scan():
            return LIS3DH(bus, 0x18, rate_hz=200, accel_range_g=16)
        return MPU6050(bus, 0x68, rate_hz=200, accel_range_g=16, gyro_range_dps=2000)

    def swap():
        board.bus.fail = True
        board.bus.devices = dict([chips[then]])

    board.build_imu = build_imu
    board.events = {6000: swap, 7500: lambda: setattr(board.bus, "fail", False)}
    return board


@pytest.mark.parametrize("first,then", [("mpu6050", "lis3dh"), ("lis3dh", "mpu6050")])
def test_an_imu_back_with_or_without_a_gyro_ends_the_session_and_records_on(tmp_path, first, then):
    board = swap_board(tmp_path, first, then)
    app = App(board, record="raw")
    app.run(polls=600)  # a cap
    app.close("end")
    gyro = first == "mpu6050"
    one, two = summaries(board)
    assert (one["end"], one["rate_hz"], one["gyro"]) == ("imu", 200, gyro) and one["steps"] >= 8
    assert (two["start"], two["rate_hz"], two["gyro"], two["raw"]) == ("boot", 200, not gyro, True)
    assert two["steps"] > 20 and app.crashes == 0 and app.eng.gyro == (not gyro)
    for n in (1, 2):  # each session's raw log has its own axes and replays to its steps
        events, replay, _, problems = pulled(tmp_path / str(n), board, n)
        assert problems == [] and events == replay


def test_a_note_the_flash_could_not_take_is_written_once_it_recovers(tmp_path):
    board = Board(tmp_path)
    os.makedirs(board.LOG_DIR)
    failing = [False]
    flash = Opener(lambda path, data: failing[0], error=errno.EIO)  # notes.log's writes too
    lg = Logger(board.LOG_DIR, budget=10**6, opener=flash)
    app = App(board, record="raw", logger=lg)
    board.events = {6000: lambda: failing.__setitem__(0, True)}  # 3.5 s of a failing flash
    board.events[9500] = lambda: failing.__setitem__(0, False)
    app.run()
    app.close("end")
    assert flash.failures >= 5 and app.crashes == 0
    lines = [line for line in notes(board).splitlines() if " flash: log write failed" in line]
    assert len(lines) == 1 and int(lines[0].split()[0]) >= 9500  # after it recovered


UPY = (
    """
import micropython
import board
from footfall.app import App

board.VERBOSE = False
app = App(board)
jump = [(1 << 29) - 3000]  # the rebase comes 3 s into the session


def ticks_diff(a, b):
    d = a - b + jump[0]
    jump[0] = 0
    return d


app.ticks_diff = ticks_diff
app.run(polls=1)
app.start_session("button", True)
"""
    + LOCK_BATCHES
    + """
app.run()
app.close("end")
print("upy", app.now, count[0], app.live.steps, app.crashes)
"""
)


def test_a_session_across_the_rebase_on_the_unix_port_allocates_nothing_per_batch(tmp_path):
    now, batches, steps, crashes = sim_script(tmp_path, UPY, "upy")
    assert now < REBASE_AT and crashes == 0  # a MemoryError under the lock would be a crash
    assert batches > 150 and steps > 20

    class Logs:
        LOG_DIR = str(tmp_path / "logs")

    events, replay, _, problems = pulled(tmp_path, Logs)
    assert problems == [] and events == replay and len(events.splitlines()) > 10
