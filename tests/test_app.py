"""The app on CPython with the register-level fakes: it counts, logs byte-identical events,
and goes on counting through an I2C error, a FIFO overrun and a full flash."""

import errno
import os

import pytest
from fakes.app_board import Board, late_imu, notes, replayed, run, summaries
from fakes.files import FullFlash
from fakes.recorded import trace_path
from footfall.app import App
from footfall.logger import Logger

from host_tools.rawlogs import convert
from host_tools.replay import replay_file
from host_tools.trace import read_trace, write_trace


def test_a_recorded_session_equals_the_host_replay_of_its_raw_log(tmp_path):
    board = Board(tmp_path)
    app = run(board, record="raw")
    (s,) = summaries(board)
    events, replay, problems = replayed(tmp_path, board)
    assert problems == []
    assert events == replay  # byte for byte: same engine, same integers, same formatting
    rows = events.splitlines()[1:]
    assert s["steps"] == 2 * len(rows) == app.live.steps > 20
    assert s["start"] == "boot" and s["end"] == "end" and s["raw"] is True
    cells = [r.split(",") for r in rows]
    for kind in ("heel", "mid", "fore"):  # the summary counts the events' own
        assert s[kind] == sum(c[3] == kind for c in cells), (kind, s)
    assert abs(s["distance_m"] - sum(float(c[5]) for c in cells if c[5])) < 0.001 * len(rows)
    d = s["duration_s"]  # whole seconds: the session lasted d to d + 1 s
    assert 60 * s["steps"] / (d + 1) <= s["cadence_spm"] <= 60 * s["steps"] / d, s
    assert s["distance_m"] / (d + 1) <= s["speed_mps"] <= s["distance_m"] / d, s
    assert board.feeds >= 150  # the watchdog is fed at every poll (18 s at 100 ms)


def test_i2c_error_mid_run_is_noted_and_counting_goes_on(tmp_path):
    clean = run(Board(tmp_path / "clean"))
    board = Board(tmp_path / "bad")
    board.events = {6000: lambda: setattr(board.bus, "fail", True)}
    board.events[8000] = lambda: setattr(board.bus, "fail", False)
    app = App(board)
    steps_at = {}
    board.events[7000] = lambda: steps_at.setdefault("error", app.live.steps)
    app.run()
    assert app.bus_errors >= 3 and app.crashes == 0
    assert "i2c: IMU read failed" in notes(board)
    assert board.imu_builds >= 2  # set up again after failing reads
    assert app.live.steps > steps_at["error"] + 10  # counting resumed
    assert clean.live.steps - 10 <= app.live.steps <= clean.live.steps


def test_a_session_asked_for_while_the_imu_is_down_is_refused_not_a_crash(tmp_path):
    board = Board(tmp_path / "down")
    app = App(board)
    app.run(polls=50)
    app.start_session("button", False)
    board.bus.fail = True
    app.run(polls=20)  # the reads fail, the IMU is set up again and does not answer
    assert app.imu is None and app._session is not None
    steps = app.live.steps
    app.stop_session("button")  # its idle engine waits for the IMU
    app.start_session("button", False)
    assert app._session is None and "no session (button): no IMU" in notes(board)
    board.bus.fail = False
    app.run()
    assert app.crashes == 0 and app.eng is not None
    assert app.live.steps > steps + 10  # counting resumed with the IMU


def session_after_standing(tmp_path, raw):
    """A board whose trace begins standing (the engine learns the gyro's offset there), then a
    session: (board, app, the idle engine, the offset it learnt)."""
    board = Board(tmp_path / "b")
    app = App(board)
    app.run(polls=40)
    idle = app.eng
    learnt = idle.gyro_offset_
    assert learnt != (0, 0, 0)
    app.start_session("button", raw)
    return board, app, idle, learnt


def test_the_gyro_offset_learnt_standing_goes_on_into_the_session(tmp_path):
    _, app, idle, learnt = session_after_standing(tmp_path, False)
    assert app.eng is not idle and app.eng.gyro_offset_ == learnt


def replayed_to_the_same_steps(tmp_path, board, app):
    """Run the session to the end of the trace; its events must be the host replay's of its
    pulled raw log. Returns (the events text, the pulled trace)."""
    app.run()
    app.close("end")
    events, replay, problems = replayed(tmp_path, board)
    assert problems == [] and len(events.splitlines()) > 10
    assert events == replay
    return events, read_trace(str(tmp_path / "pulled" / "b_00001.csv"))


def test_a_session_begun_with_a_learnt_gyro_offset_replays_to_the_same_steps(tmp_path):
    # the session's engine starts from the offset learnt before it; the raw log carries it,
    # or the laptop's replay would start from none and find other strides than the board's
    board, app, _, learnt = session_after_standing(tmp_path, True)
    _, pulled = replayed_to_the_same_steps(tmp_path, board, app)
    assert pulled.gyro_offset == learnt


def test_a_session_started_mid_run_begins_from_the_gravity_learnt_before_it(tmp_path):
    # A session's engine may start mid-run (the app starts one when the cadence says running).
    # It begins from the gravity the engine before it learnt: a fresh one would learn it at the
    # first stance it finds, which may be a lull in a swing. The raw log carries that gravity,
    # so the laptop's replay begins from it too and finds the board's very steps.
    board = Board(tmp_path / "b")
    app = App(board)
    app.run(polls=70)  # standing, then 3 s into the run
    idle = app.eng
    assert idle.gravity_mg_ != (0, 0, 0)
    app.start_session("button", True)
    assert app.eng.gravity_mg_ == idle.gravity_mg_
    events, pulled = replayed_to_the_same_steps(tmp_path, board, app)
    assert pulled.gravity_mg == idle.gravity_mg_
    # replayed from no gravity, as a fresh engine would start, the steps are not the board's
    meta = {k: v for k, v in pulled.meta.items() if k != "gravity_mg"}
    bare = str(tmp_path / "bare.csv")
    write_trace(bare, pulled.t_ms, pulled.acc_mg, pulled.gyro_dps, meta)
    replay_file(bare, str(tmp_path / "bare.events.csv"))
    assert (tmp_path / "bare.events.csv").read_text() != events


def test_the_learnt_gyro_offset_outlives_a_reboot(tmp_path):
    # taken into the settings when the session starts; a board reset mid-run (no standing to
    # learn it from) starts its engine with it
    _, app, _, learnt = session_after_standing(tmp_path, False)
    app.run(polls=20)
    app.settings.save()  # as the BLE layer's periodic save does; here, the reset comes first
    again = App(Board(tmp_path / "b"))
    assert again.settings.gyro_offset == learnt
    again.run(polls=1)
    assert again.eng.gyro_offset_ == learnt


def test_fifo_overrun_is_noted_and_counting_goes_on(tmp_path):
    clean = run(Board(tmp_path / "clean"))
    board = Board(tmp_path / "late")
    board.events = {5000: lambda: setattr(board, "t", board.t + 2500)}  # 2.5 s without a poll
    app = App(board, record="raw")
    steps_at = {}
    board.events[9000] = lambda: steps_at.setdefault("after", app.live.steps)
    app.run()
    app.close("end")
    assert app.overruns == 1 and "overrun: FIFO overrun" in notes(board)
    assert app.stamper.resyncs == 2  # the timeline restarts after the lost samples
    # lost: the 2.5 s stall (the driver empties the full FIFO) and a stride to pick up again
    assert clean.live.steps - 16 <= app.live.steps < clean.live.steps
    assert app.live.steps >= steps_at["after"] + 10
    events, replay, _ = replayed(tmp_path, board)
    assert events == replay  # the gap is in the raw log too


def test_full_flash_is_noted_old_files_go_and_counting_goes_on(tmp_path):
    clean = run(Board(tmp_path / "clean"))
    board = Board(tmp_path / "full")
    os.makedirs(board.LOG_DIR)
    flash = FullFlash(30000)
    lg = Logger(board.LOG_DIR, budget=10**6, opener=flash)  # a budget the flash cannot hold
    app = App(board, record="raw", logger=lg)
    app.run()
    app.close("end")
    assert flash.failures >= 1 and lg.errors >= 1 and lg.deleted >= 1
    assert "flash: log write failed" in notes(board)
    assert app.crashes == 0 and app.live.steps == clean.live.steps  # nothing missed
    assert flash.used(board.LOG_DIR) <= 30000
    (s,) = summaries(board)  # the session still ends with its summary
    assert s["steps"] == app.live.steps and s["log_errors"] >= 1
    _, problems = convert(board.LOG_DIR, str(tmp_path / "pulled"), "b")
    assert any("removed" in p for p in problems)  # the oldest parts went first


def test_log_budget_keeps_the_newest_parts(tmp_path):
    board = Board(tmp_path, LOG_BUDGET=40000)
    app = run(board, record="raw")
    lg = app.logger
    assert lg.deleted >= 1 and lg.used <= 40000 and lg.errors == 0
    names = sorted(n for n in os.listdir(board.LOG_DIR) if n.endswith(".raw"))
    assert names[-1] > names[0] and "00001_000.raw" not in names


def test_imu_missing_at_start_is_retried(tmp_path):
    board = Board(tmp_path)
    late_imu(board, 3)
    app = App(board)
    assert app.imu is None
    app.run()
    assert app.imu is not None and app.live.steps > 20
    assert "imu: cannot open the IMU" in notes(board)


def test_an_unexpected_error_is_noted_and_the_loop_goes_on(tmp_path):
    board = Board(tmp_path)
    app = App(board)
    plain = app._second
    calls = [0]

    def second():
        calls[0] += 1
        if calls[0] == 3:
            raise ValueError("boom")
        plain()

    app._second = second
    app.run()
    assert app.crashes == 1 and "crash: ValueError('boom')" in notes(board)
    assert app.live.steps > 20


def test_importing_the_app_touches_no_hardware():
    import subprocess
    import sys

    code = "import sys; import footfall.app; assert 'machine' not in sys.modules; print('ok')"
    r = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(["firmware", "host_tools/upy_shim"])),
        capture_output=True,
        text=True,
    )
    assert r.stdout.strip() == "ok", r.stderr


@pytest.mark.parametrize("kind", ["walk", "run"])
def test_sim_board_runs_the_app_on_cpython(tmp_path, kind, monkeypatch):
    from host_tools.pull import sim_board

    monkeypatch.setenv("FOOTFALL_SIM_TRACE", trace_path(kind))
    monkeypatch.setenv("FOOTFALL_SIM_SPEED", "0")
    board = sim_board()
    board.LOG_DIR = str(tmp_path / "logs")
    board.SETTINGS_PATH = str(tmp_path / "s.json")
    board.VERBOSE = False
    app = run(board, record="events")
    assert app.ble is not None and app.ble.radio.advertising  # the simulated radio
    (s,) = summaries(board)
    assert s["steps"] == app.live.steps > 10
    host = replay_file(trace_path(kind))
    assert abs(len(host.rows) - s["steps"] // 2) <= 2  # 208 Hz resampled vs the trace's rate


class Gauge:
    """A battery gauge: each read gives the next level, or raises it if it is an exception."""

    def __init__(self, *levels):
        self.levels = list(levels)
        self.reads = 0

    def __call__(self):
        self.reads += 1
        level = self.levels.pop(0) if len(self.levels) > 1 else self.levels[0]
        if isinstance(level, Exception):
            raise level
        return level


def battery_run(tmp_path, gauge):
    from footfall.ble.sim_radio import SimRadio

    board = Board(tmp_path)
    board.build_radio = lambda: SimRadio(clock=board.ticks_ms)
    board.battery_percent = gauge
    app = App(board)
    assert app.ble.battery == 100  # what the service says before the first read
    app.run()
    app.close("end")
    return app


def test_the_battery_level_reaches_the_battery_service(tmp_path):
    app = battery_run(tmp_path, Gauge(57))
    assert app.ble.battery == 57 and app.bus_errors == 0


def test_a_failed_battery_read_is_a_bus_error_and_the_counting_goes_on(tmp_path):
    clean = run(Board(tmp_path / "clean"))
    gauge = Gauge(OSError(errno.EIO, "battery gauge: no answer"))
    app = battery_run(tmp_path / "bad", gauge)
    assert gauge.reads == 1  # one read a minute: the 18 s trace sees the first only
    assert app.ble.battery == 100  # the level stands
    assert app.bus_errors == 1 and app.crashes == 0
    assert app.live.steps == clean.live.steps
