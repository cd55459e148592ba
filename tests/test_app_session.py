"""Sessions: the automatic rules, the button, and the BLE Recording Control characteristic."""

import json
import os

import pytest
from fakes.app_board import Board, summaries
from footfall.app import App
from footfall.ble import gatt
from footfall.ble.central import decode_state
from footfall.ble.form import RECORDING_UUID
from footfall.ble.recording import decode_command, encode_state
from footfall.ble.sim_central import SimCentral
from footfall.ble.sim_radio import SimRadio
from footfall.session import START, STOP, LongPress, Sessions


def test_automatic_start_needs_the_cadence_for_start_s_seconds():
    s = Sessions(start_spm=140, start_s=3, stop_idle_s=10)
    got = [s.second(1000 * k, c, 0) for k, c in enumerate([1500, 1500, 1300, 1500, 1500, 1500])]
    assert got == [0, 0, 0, 0, 0, START]
    s.started(6000, manual=False)
    assert s.second(7000, 1500, 6500) == 0
    assert s.second(16400, 0, 6500) == 0  # 9.9 s without a step
    assert s.second(16500, 0, 6500) == STOP


def test_a_manual_stop_blocks_restarting_until_the_cadence_drops():
    s = Sessions(start_spm=140, start_s=1)
    assert s.second(0, 1600, 0) == START
    s.started(0, manual=False)
    s.stopped(manual=True)  # the runner pressed stop mid-run
    assert [s.second(t, 1600, t) for t in (1000, 2000, 3000)] == [0, 0, 0]
    assert s.second(4000, 900, 4000) == 0
    assert s.second(5000, 1600, 5000) == START


def test_manual_sessions_wait_longer_before_ending_by_themselves():
    s = Sessions(stop_idle_s=10, manual_idle_s=100)
    s.started(0, manual=True)
    assert s.second(50000, 0, -1) == 0
    assert s.second(100000, 0, -1) == STOP


class Pin:
    def __init__(self):
        self.v = 1

    def value(self):
        return self.v


def test_long_press_fires_once_and_short_presses_do_nothing():
    pin = Pin()
    b = LongPress(pin, active=0, hold_ms=1000)
    seen = []
    for t in range(0, 5000, 100):
        pin.v = 0 if 200 <= t < 700 or 2000 <= t < 4000 else 1  # 0.5 s, then 2 s held
        seen.append(b.poll(t) and t)
    assert [t for t in seen if t] == [3000]


def test_recording_payloads():
    assert [decode_command(bytes([v])) for v in (0, 1, 2, 3)] == [0, 1, 2, -1]
    assert decode_command(b"") == decode_command(b"\x01\x00") == -1
    assert decode_state(encode_state(2, 70000)) == (2, 0xFFFF)
    assert encode_state(1, 258) == b"\x01\x02\x01"
    with pytest.raises(ValueError, match="expected 3 bytes"):
        decode_state(b"\x01")


class BleBoard(Board):
    def build_radio(self):
        self.radio = SimRadio(clock=lambda: self.t)
        return self.radio


def test_ble_recording_control_starts_and_stops_a_session(tmp_path):
    board = BleBoard(tmp_path)
    app = App(board)
    watch = SimCentral(board.radio)
    watch.start_scan()
    app.run(polls=20)
    watch.connect()
    watch.discover()
    assert decode_state(watch.read(RECORDING_UUID)) == (0, 0)
    watch.write(RECORDING_UUID, b"\x02")
    app.run(polls=60)
    assert decode_state(watch.read(RECORDING_UUID)) == (2, 1)
    watch.write(RECORDING_UUID, b"\x07")  # not a command: counted, ignored
    assert app.ble.record_errors == 1
    watch.write(RECORDING_UUID, b"\x00")
    app.run(polls=5)
    assert decode_state(watch.read(RECORDING_UUID)) == (0, 1)
    (s,) = summaries(board)
    assert (s["start"], s["end"], s["raw"]) == ("ble", "ble", True)
    assert 4 <= s["duration_s"] <= 7 and s["steps"] > 0
    assert any(n.endswith(".raw") for n in os.listdir(board.LOG_DIR))
    flat = [c for _, chars in gatt.SERVICES for c in chars]
    assert flat[gatt.RECORDING] == (RECORDING_UUID, gatt.READ | gatt.WRITE)


def test_button_toggles_recording_with_raw_samples(tmp_path):
    pin = Pin()
    board = Board(tmp_path, build_button=lambda: (pin, 0))
    board.events = {
        2000: lambda: setattr(pin, "v", 0),
        3500: lambda: setattr(pin, "v", 1),  # held 1.5 s: start
        9000: lambda: setattr(pin, "v", 0),
        9300: lambda: setattr(pin, "v", 1),  # 0.3 s: nothing
        12000: lambda: setattr(pin, "v", 0),
        13500: lambda: setattr(pin, "v", 1),  # held again: stop
    }
    app = App(board)
    app.run()
    app.close("end")
    (s,) = summaries(board)
    assert (s["start"], s["end"], s["raw"]) == ("button", "button", True)
    assert 8 <= s["duration_s"] <= 10


def test_a_session_starts_by_itself_on_a_run_and_ends_after_the_idle_time(tmp_path):
    board = Board(tmp_path, SESSION_START_SPM=100, SESSION_START_S=3, SESSION_STOP_S=5)
    del Board.done  # the board goes on after the trace: time passes without steps
    try:
        app = App(board)
        app.run(polls=400)  # 18 s of trace, then 22 s of nothing
    finally:
        Board.done = _done
    (s,) = summaries(board)
    assert (s["start"], s["end"]) == ("auto", "idle")
    with open(os.path.join(board.LOG_DIR, "00001_000.evt")) as f:
        rows = f.read().splitlines()[1:]
    assert 0 < len(rows) < app.live.strides  # the steps before the start are not in it
    assert s["steps"] == 2 * len(rows)
    assert not any(n.endswith(".raw") for n in os.listdir(board.LOG_DIR))  # RAW_AUTO off
    with open(os.path.join(board.LOG_DIR, "notes.log")) as f:
        assert "session 1 started (auto)" in f.read()
    assert json.loads(json.dumps(s)) == s


_done = Board.done
