"""Live metrics: the engine's finished steps in, once a second the values the BLE layer sends.

The app pops each finished step record from the gait engine and hands it to `add`; once a
second it calls `second(now_ms)` and reads the attributes below. Everything is preallocated:
no allocation per step or per second, integers only (MicroPython and CPython alike).

Units follow the engine (footfall.gait.record): ms, mm, mm/s, mg, 0.1 deg, 0.1 steps/min.
Cadence counts both feet. A value that is not known (yet) is None. Smoothed values are
exponential averages over about the last four steps, so one odd step moves them a quarter.
"""

from micropython import const

# record.py's fields and codes, folded in (tests/test_engine_records.py checks them)
_UNKNOWN = const(-999999)
_IC_MS = const(0)
_STRIKE_HEEL = const(1)
_GCT_MS = const(2)
_RUNNING = const(2)
_STRIKE_MID = const(2)
_STRIKE = const(3)
_STRIKE_FORE = const(3)
_CADENCE = const(4)
_STRIDE_MM = const(5)
_SPEED_MMPS = const(6)
_ACTIVITY = const(7)
_IMPACT_MG = const(8)
_STRIKE_DECIDEG = const(9)
_CADENCE_AVG = const(10)
_N_FIELDS = const(11)
_WINDOW = const(20)  # foot-strike shares cover this many of the latest steps
_IDLE_MS = const(4000)  # no step for this long: the runner has stopped
_SHIFT = const(2)  # smoothing weight 1/4 per step
_FIX = const(4)  # smoothed values are kept x16


class LiveMetrics:
    def __init__(self, idle_ms=_IDLE_MS, window=_WINDOW):
        if not 1 <= window <= 255:
            raise ValueError("window must be 1..255 steps, got %r" % (window,))
        self.idle_ms = idle_ms
        self._ring = bytearray(window)  # strike codes of the latest steps with a known one
        self._ri = 0
        self._n = [0, 0, 0, 0]  # per strike code, within the ring
        self._speed16 = -1
        self._gct16 = -1
        self._impact16 = -1
        self._angle16 = None
        self._last_ic = -1
        self._last_cadence = -1
        self._last_stride = -1
        self._last_activity = _UNKNOWN
        # totals since start
        self.strides = 0  # steps of the instrumented foot
        self.steps = 0  # both feet
        self.distance_mm = 0
        self.heel = 0
        self.mid = 0
        self.fore = 0
        self.seconds = 0
        # live values, refreshed by second()
        self.moving = False
        self.running = False
        self.speed_mmps = 0
        self.cadence_x10 = 0  # 0.1 steps/min
        self.cadence_spm = 0  # rounded steps/min
        self.stride_mm = None
        self.window = 0  # steps the shares cover
        self.heel_pct = 0
        self.mid_pct = 0
        self.fore_pct = 0
        self.contact_ms = None
        self.impact_mg = None
        self.angle_decideg = None

    def add(self, rec):
        """Take one finished step record (an engine record: record.py's N_FIELDS ints)."""
        unknown = _UNKNOWN  # (a local: fewer bytes than the constant, used five times)
        self.strides += 1
        self.steps = 2 * self.strides
        ic = rec[_IC_MS]
        if ic != unknown:
            self._last_ic = ic
        stride = rec[_STRIDE_MM]
        if stride != unknown and stride >= 0:
            self.distance_mm += stride
            self._last_stride = stride
        cad = rec[_CADENCE_AVG]
        if cad == unknown:
            cad = rec[_CADENCE]
        if cad != unknown:
            self._last_cadence = cad
        self._last_activity = rec[_ACTIVITY]
        self._speed16 = _smooth(self._speed16, rec[_SPEED_MMPS])
        self._gct16 = _smooth(self._gct16, rec[_GCT_MS])
        self._impact16 = _smooth(self._impact16, rec[_IMPACT_MG])
        angle = rec[_STRIKE_DECIDEG]
        if angle != unknown:
            a = self._angle16
            self._angle16 = angle << _FIX if a is None else a + (((angle << _FIX) - a) >> _SHIFT)
        strike = rec[_STRIKE]
        if strike == _STRIKE_HEEL:
            self.heel += 1
        elif strike == _STRIKE_MID:
            self.mid += 1
        elif strike == _STRIKE_FORE:
            self.fore += 1
        else:
            return
        ring = self._ring
        n = self._n
        if self.window == len(ring):
            n[ring[self._ri]] -= 1
        else:
            self.window += 1
        ring[self._ri] = strike
        n[strike] += 1
        self._ri = (self._ri + 1) % len(ring)

    def second(self, now_ms):
        """Close one second at engine time now_ms: refresh the live values; returns self."""
        self.seconds += 1
        moving = self._last_ic >= 0 and now_ms - self._last_ic <= self.idle_ms
        self.moving = moving
        if moving:
            self.running = self._last_activity == _RUNNING
            self.speed_mmps = self._speed16 >> _FIX if self._speed16 >= 0 else 0
            cad = self._last_cadence if self._last_cadence >= 0 else 0
            self.cadence_x10 = cad
            self.cadence_spm = (cad + 5) // 10
        else:
            self.running = False
            self.speed_mmps = 0
            self.cadence_x10 = 0
            self.cadence_spm = 0
        self.stride_mm = self._last_stride if self._last_stride >= 0 else None
        w = self.window
        if w:
            n = self._n
            half = w >> 1
            self.heel_pct = (100 * n[_STRIKE_HEEL] + half) // w
            self.mid_pct = (100 * n[_STRIKE_MID] + half) // w
            self.fore_pct = (100 * n[_STRIKE_FORE] + half) // w
        self.contact_ms = _unfix(self._gct16)
        self.impact_mg = _unfix(self._impact16)
        a = self._angle16
        self.angle_decideg = None if a is None else (a + (1 << (_FIX - 1))) >> _FIX
        return self


def _smooth(avg16, value):
    # exponential average of a non-negative value kept x16; -1 means none yet
    if value == _UNKNOWN or value < 0:
        return avg16
    if avg16 < 0:
        return value << _FIX
    return avg16 + (((value << _FIX) - avg16) >> _SHIFT)


def _unfix(avg16):
    return None if avg16 < 0 else (avg16 + (1 << (_FIX - 1))) >> _FIX
