"""When a session starts and ends (cadence, idle time, the button), its summary, and the
App's part that starts and ends it (SessionControl).

Automatic: a session starts once the cadence (both feet) has stayed at or above start_spm
for start_s seconds in a row, and ends after stop_idle_s without a step. Manual (the button
or the BLE Recording Control): starts and stops at once; a manual session ends by itself
only after manual_idle_s without a step. After a manual stop no automatic session starts
until the cadence has dropped below the threshold, so a runner who stops recording mid-run
is not recorded again straight away.
"""

import json

from micropython import const

from . import VERSION
from .ble.recording import OP_START_RAW, OP_STOP

START = const(1)
STOP = const(2)


class Sessions:
    def __init__(self, start_spm=140, start_s=5, stop_idle_s=180, manual_idle_s=1800):
        self.start_x10 = start_spm * 10
        self.start_s = start_s
        self.stop_idle_ms = stop_idle_s * 1000
        self.manual_idle_ms = manual_idle_s * 1000
        self.active = False
        self.manual = False
        self.since_ms = 0  # when the open session started, or its latest step
        self._above = 0  # seconds in a row at or above the threshold
        self._blocked = False

    def second(self, now_ms, cadence_x10, last_step_ms):
        """The automatic rules, once a second: START, STOP or 0."""
        if cadence_x10 >= self.start_x10:
            self._above += 1
        else:
            self._above = 0
            self._blocked = False
        if self.active:
            idle = self.manual_idle_ms if self.manual else self.stop_idle_ms
            if last_step_ms > self.since_ms:
                self.since_ms = last_step_ms
            return STOP if now_ms - self.since_ms >= idle else 0
        if self._above >= self.start_s and not self._blocked:
            return START
        return 0

    def started(self, now_ms, manual):
        self.active = True
        self.manual = manual
        self.since_ms = now_ms

    def stopped(self, manual):
        self.active = False
        self._blocked = manual and self._above > 0


class LongPress:
    """A button read at every poll; held down for hold_ms counts as one press (a shoe gets
    bumped: a short press does nothing). pin: has value(); active: the value when pressed."""

    def __init__(self, pin, active=0, hold_ms=1000):
        self.pin = pin
        self.active = active
        self.hold_ms = hold_ms
        self._down_ms = -1
        self._fired = False

    def poll(self, now_ms):
        """True once per long press."""
        if self.pin.value() != self.active:
            self._down_ms = -1
            self._fired = False
            return False
        if self._down_ms < 0:
            self._down_ms = now_ms
        if not self._fired and now_ms - self._down_ms >= self.hold_ms:
            self._fired = True
            return True
        return False


def summary(number, start_reason, end_reason, eng, strikes, duration_ms, extra):
    """The session summary as JSON text (strikes: heel, mid, fore counts)."""
    minutes = duration_ms / 60000 if duration_ms > 0 else 0
    d = {
        "format": 1,
        "firmware": VERSION,
        "session": number,
        "start": start_reason,
        "end": end_reason,
        "duration_s": duration_ms // 1000,
        "steps": eng.steps_,
        "distance_m": eng.distance_mm_ / 1000,
        "cadence_spm": round(eng.steps_ / minutes, 1) if minutes else 0,
        "speed_mps": round(eng.distance_mm_ / duration_ms, 3) if duration_ms > 0 else 0,
        "heel": strikes[0],
        "mid": strikes[1],
        "fore": strikes[2],
        "rate_hz": eng.rate_hz,
        "gyro": eng.gyro,
        "stride_factor": eng.stride_factor,
    }
    d.update(extra)
    return json.dumps(d)


class SessionControl:
    """A base of footfall.app.App: starting and stopping a session by the button, a BLE
    command or the rules above. It uses the App's engine, logger, stamper, button, ble,
    note() and drain() (pipeline.py), and its error counts, which each summary reports as
    the session's own share."""

    def _controls(self):
        if self.button is not None and self.button.poll(self.now):
            if self._session is not None:
                self.stop_session("button")
            else:
                self.start_session("button", self.raw_button)
        op = self._pending
        if op >= 0:
            self._pending = -1
            if op == OP_STOP:
                self.stop_session("ble")
            elif self._session is None or self._session[2] != (op == OP_START_RAW):
                self.start_session("ble", op == OP_START_RAW)

    def _on_record(self, op):  # may run in the radio's interrupt context: only note it
        self._pending = op

    def _set_factor(self, factor):
        if self.eng is not None:
            self.eng.stride_factor = factor

    def start_session(self, reason, raw):
        """Start recording: a fresh engine whose steps and samples go to new log files."""
        if self._session is not None:
            self.stop_session("restart")
        if self.eng is None or self.imu is None:
            self.note("session", "no session (%s): no IMU" % reason)
            return
        self._restart_engine()
        axes = 6 if self.imu.has_gyro else 3
        start = self.eng.gyro_offset_ + self.eng.gravity_mg_
        number = self.logger.open_session(self.imu.rate_hz, axes, raw, start)
        lg = self.logger
        before = (self.bus_errors, self.overruns, lg.errors, lg.dropped)
        self._session = (number, reason, raw, before)
        self._strikes = [0, 0, 0]
        self.sessions.started(self.now, reason != "auto")
        kind = " with raw samples" if raw else ""
        self.note("session", "session %d started (%s)%s" % (number, reason, kind))
        if self.ble is not None:
            self.ble.set_recording(2 if raw else 1, number)

    def stop_session(self, reason):
        """End the session: its last step, the summary, and a fresh engine for the idle time."""
        s = self._session
        if s is None:
            return
        self.eng.flush()
        self.drain()
        self._session = None
        number, start, raw, before = s
        lg = self.logger
        counts = (self.bus_errors, self.overruns, lg.errors, lg.dropped)
        extra = {"raw": raw}
        for k, name in enumerate(("bus_errors", "overruns", "log_errors", "dropped")):
            extra[name] = counts[k] - before[k]
        last = self.stamper.last - self._origin if self._origin is not None else 0
        lg.close_session(summary(number, start, reason, self.eng, self._strikes, last, extra))
        self.sessions.stopped(reason != "idle")
        self.note("session", "session %d ended (%s)" % (number, reason))
        self._restart_engine()
        if self.ble is not None:
            self.ble.set_recording(0, number)
