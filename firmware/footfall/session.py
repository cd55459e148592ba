"""When a session starts and ends (cadence, idle time, the button), and its summary.

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
