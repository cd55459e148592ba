"""Failure paths of the app on CPython with the fakes, beyond one I2C error, one overrun and one
full flash: an IMU that loses its set-up without an error, one that comes back at another
rate, late at boot or answers wrongly while it is retried, a flash that fills just before a
session's summary, and one whose writes fail for another reason than a full flash. Each would
have stopped the counting, ended the app, lost a recording or lost files."""

import errno
import os

from fakes.app_board import Board, late_imu, notes, replayed, run, summaries
from fakes.bus import FakeI2C
from fakes.files import FullFlash, Opener
from footfall.app import App
from footfall.drivers.imu_base import WrongChipError
from footfall.drivers.lsm6ds import LSM6DS3
from footfall.logger import Logger

from host_tools.rawlogs import convert

_FIFO_CTRL5 = 0x0A  # LSM6DS3: FIFO mode (bypass empties it, continuous runs it)


def test_a_power_blip_shorter_than_three_polls_does_not_stop_the_counting(tmp_path):
    clean = run(Board(tmp_path / "clean"))
    board = Board(tmp_path / "blip")

    def back():  # the chip powers up again with its registers at their defaults: FIFO off
        board.chip.reset()
        board.chip.answering = True

    board.events = {6000: lambda: setattr(board.chip, "answering", False), 6150: back}
    app = App(board)
    app.run(polls=300)  # a cap: a chip that never runs again never finishes its trace
    assert 1 <= app.bus_errors < 3 and app.crashes == 0  # too few failures to set it up again
    assert "imu: no samples" in notes(board)
    assert app.live.steps >= clean.live.steps - 6  # about a stride lost, not the rest of the run


class FailingWrites(FakeI2C):
    """A bus on which the `fail_at`-th write to one register (counting from when it is armed)
    fails once, as a glitch does."""

    def __init__(self, register):
        super().__init__()
        self.register = register
        self.fail_at = 0
        self.writes = 0

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        if self.fail_at and memaddr == self.register:
            self.writes += 1
            if self.writes == self.fail_at:
                self.fail_at = 0
                raise OSError(5)
        super().writeto_mem(addr, memaddr, buf)


def test_a_write_failing_while_the_fifo_restarts_after_an_overrun_does_not_stop_the_counting(
    tmp_path,
):
    clean = run(Board(tmp_path / "clean"))
    board = Board(tmp_path / "glitch")
    board.bus = FailingWrites(_FIFO_CTRL5)
    board.bus.attach(0x6A, board.chip)

    def stall():  # 2.5 s without a poll: the FIFO overruns and the driver restarts it, with
        board.t += 2500  # bypass then continuous mode; the second write fails, the FIFO
        board.bus.fail_at = 2  # stays in bypass and the chip says nothing is wrong

    board.events = {5000: stall}
    app = App(board)
    app.run(polls=300)
    assert app.overruns == 1 and app.bus_errors == 1 and app.crashes == 0
    assert board.chip.collecting()  # set up again
    # lost: the stall, a second without samples and a stride to pick up again
    assert app.live.steps >= clean.live.steps - 14


def test_the_imu_back_at_another_rate_ends_the_session_and_records_on_in_a_new_one(tmp_path):
    board = Board(tmp_path)
    rate = [208]

    def build_imu(bus):
        board.imu_builds += 1
        return LSM6DS3(bus, 0x6A, rate_hz=rate[0], accel_range_g=16, gyro_range_dps=2000)

    def vanish():
        board.bus.fail = True
        rate[0] = 104  # a board that sets its IMU up some other way when it comes back

    board.build_imu = build_imu
    board.events = {6000: vanish, 7500: lambda: setattr(board.bus, "fail", False)}
    app = App(board, record="raw")
    app.run()
    app.close("end")
    first, second = summaries(board)
    assert (first["end"], first["rate_hz"]) == ("imu", 208) and first["steps"] >= 8
    assert (second["start"], second["rate_hz"], second["raw"]) == ("boot", 104, True)
    assert second["steps"] > 0 and app.crashes == 0
    events, replay, problems = replayed(tmp_path, board)
    assert problems == []  # both sessions' raw logs convert, each at its own rate
    assert events == replay  # the first session stops at the old rate: its replay is the same


def test_a_recording_asked_for_at_boot_starts_when_a_late_imu_answers(tmp_path):
    board = Board(tmp_path)
    late_imu(board, 3)  # the first three tries find nothing on the bus
    app = App(board, record="raw")
    assert app.imu is None
    app.run()
    app.close("end")
    (s,) = summaries(board)  # not only an automatic session, later and without raw samples
    assert (s["start"], s["raw"], s["end"]) == ("boot", True, "end") and s["duration_s"] >= 14
    events, replay, problems = replayed(tmp_path, board)
    assert problems == [] and events == replay


def test_an_imu_answering_wrongly_while_it_is_retried_does_not_end_the_app(tmp_path):
    board = Board(tmp_path)
    plain = board.build_imu
    answer = [None]

    def build_imu(bus):
        if answer[0] is not None:
            raise answer[0]
        return plain(bus)

    def garbage():  # half powered, it acknowledges and reads back nonsense
        answer[0] = WrongChipError("WHO_AM_I 0xFF")

    def back():
        board.bus.fail = False
        answer[0] = None

    board.build_imu = build_imu
    board.events = {5000: lambda: setattr(board.bus, "fail", True), 6000: garbage, 8000: back}
    app = App(board)
    app.run()  # retried at every poll, eleven crashes in a row would end the run
    assert app.crashes <= 2 and "crash: WrongChipError" in notes(board)
    assert app.imu is not None and app.live.steps > 20


def test_a_flash_full_when_a_session_ends_still_gets_its_summary(tmp_path):
    board = Board(tmp_path)
    os.makedirs(board.LOG_DIR)
    flash = FullFlash(10**7)
    lg = Logger(board.LOG_DIR, budget=10**6, opener=flash)  # the budget thinks there is room
    app = App(board, logger=lg)
    app.start_session("button", True)
    app.run(polls=60)
    app.stop_session("button")
    app.start_session("button", False)
    app.run()
    flash.size = flash.used(board.LOG_DIR) + 100  # something else fills the flash
    app.close("end")
    first, second = summaries(board)
    assert (second["session"], second["end"]) == (2, "end") and second["steps"] > 10
    assert second["log_errors"] == 0  # the events went to the flash before it filled
    # the oldest data made room: session 1's raw samples; its events and summary stay
    names = os.listdir(board.LOG_DIR)
    assert "00001_000.raw" not in names and "00001_000.evt" in names and first["session"] == 1
    _, problems = convert(board.LOG_DIR, str(tmp_path / "pulled"), "b")
    assert problems == []


def test_writes_failing_for_another_reason_than_a_full_flash_delete_no_file(tmp_path):
    board = Board(tmp_path)
    os.makedirs(board.LOG_DIR)
    failing = [False]
    flash = Opener(lambda path, data: failing[0], error=errno.EIO)
    lg = Logger(board.LOG_DIR, budget=10**6, opener=flash)
    app = App(board, logger=lg)
    app.start_session("button", True)
    app.run(polls=60)
    app.stop_session("button")
    kept = sorted(os.listdir(board.LOG_DIR))
    app.start_session("button", True)
    board.events = {8000: lambda: failing.__setitem__(0, True)}  # 2 s of a failing flash
    board.events[10000] = lambda: failing.__setitem__(0, False)
    app.run()
    app.close("end")
    assert flash.failures >= 5 and lg.errors >= 5 and lg.dropped >= 1
    assert lg.deleted == 0  # deleting frees room, which is not what was missing
    names = os.listdir(board.LOG_DIR)
    assert all(n in names for n in kept) and app.crashes == 0
    first, second = summaries(board)  # the failures are counted where they happened
    assert first["log_errors"] == 0 and second["log_errors"] >= 5 and second["dropped"] >= 1
