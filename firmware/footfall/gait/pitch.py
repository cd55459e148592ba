"""The foot's pitch rate: finding its axis and sign, and the swing events it marks.

The gyro's dominant rotation axis during gait is the foot's pitch axis, whatever way round the
sensor is mounted. Its sign is settled by a kinematic fact that holds for walking and running
and for any handedness of the sensor axes: over a stride the foot turns much further toes-down
(heel rise, push-off) than toes-up. With the sign known, the pitch rate marks mid-swing (its
highest toes-up rate) and toe-off (the deepest dip before that).
"""

from array import array

from micropython import const

from .fixmath import unit3

_BIG = const(0x3FFFFFFF)
_SEED_DDPS = const(2000)  # 200 deg/s (L1): the first brisk rotation seeds the axis
_MS_MIN = const(400)  # 40 deg/s: a smaller toes-up rate is no swing


class PitchTracker:
    def __init__(self, rate_hz):
        self.axis = array("i", bytes(4 * 3))  # pitch axis, Q14; valid when found
        self.found = False
        self.sign = 0  # +1/-1 once known: multiplies the raw projection to make toes-up positive
        self._score = 0
        self._acc = array("i", bytes(4 * 3))  # this stride's sign-aligned rotation sum
        self._tmp = array("i", bytes(4 * 6))
        self.raw = 0  # the same along the raw axis, before the sign is known
        self._hi = 0
        self._lo = 0
        self._vote_min = 250 * rate_hz  # 25 deg: a stride turns the foot at least this far
        self._turn_min = 120 * rate_hz  # 12 deg: less is no step, even a first one
        # swing events of the stride in progress
        self.ev = 0  # 0: before mid-swing, 1: after it, 2: contact dip over, events settled
        self.sw_max = -_BIG
        self._ms_thr = _MS_MIN
        self._run_min = _BIG
        self._t_run_min = -1
        self.t_to = -1
        self._ic_min = 0
        self._dip = 500  # 50 deg/s: the contact dip

    def rate(self, gx, gy, gz, count):
        """While the foot stands: the rate about the axis (as `step` returns it), and nothing
        kept but the axis, should the first brisk rotation come now."""
        ax = self.axis
        if not self.found:
            w1 = (gx if gx > 0 else -gx) + (gy if gy > 0 else -gy) + (gz if gz > 0 else -gz)
            if w1 > _SEED_DDPS * count:
                self.found = unit3(gx, gy, gz, ax)
            return 0
        # the axis in Q12 here: sums of four samples at 2000 deg/s stay under 2**30
        w = ((ax[0] >> 2) * gx + (ax[1] >> 2) * gy + (ax[2] >> 2) * gz) >> 12
        return w // count if count > 1 else w

    def step(self, t, gx, gy, gz, count):
        """A block of `count` gyro samples (1 to 4), summed (0.1 deg/s). Returns the rate about
        the axis as found (times `sign` it is toes-up positive), or 0 before there is an axis."""
        if not self.found:
            return self.rate(gx, gy, gz, count)
        ax = self.axis
        w = ((ax[0] >> 2) * gx + (ax[1] >> 2) * gy + (ax[2] >> 2) * gz) >> 12
        acc = self._acc
        if w >= 0:
            acc[0] += gx
            acc[1] += gy
            acc[2] += gz
        else:
            acc[0] -= gx
            acc[1] -= gy
            acc[2] -= gz
        raw = self.raw + w
        self.raw = raw
        if count > 1:
            w //= count  # a rate from here on
        if raw > self._hi:
            self._hi = raw
        elif raw < self._lo:
            self._lo = raw
        if self.sign == 0:
            return w
        r = w
        if self.sign < 0:
            w = -w
        ev = self.ev
        if ev == 2:
            return r
        if w > self.sw_max:
            self.sw_max = w
            self.t_to = self._t_run_min
            ev = self.ev = 0
        if w < self._run_min:
            self._run_min = w
            self._t_run_min = t
        if ev == 0:
            if self.sw_max >= self._ms_thr and w < (self.sw_max >> 1):
                self.ev = 1
                self._ic_min = 0
        else:
            if w < self._ic_min:
                self._ic_min = w
            elif self._ic_min < -self._dip and w > (self._ic_min >> 1):
                self.ev = 2
        return r

    def vote(self, raw_v):
        """At a stance's quietest sample: which way round is toes-up? (raw angle there)"""
        hi = self._hi - raw_v
        lo = raw_v - self._lo
        if hi > self._vote_min or lo > self._vote_min:
            if lo > hi + (hi >> 2):
                self._score = min(self._score + 1, 8)
            elif hi > lo + (lo >> 2):
                self._score = max(self._score - 1, -8)
            self.sign = 1 if self._score > 0 else (-1 if self._score < 0 else 0)

    def turned(self):
        """Whether the foot turned about the pitch axis since the last stance, as a swing does."""
        return self.found and self._hi - self._lo > self._turn_min

    def end_stride(self, raw_v):
        """After the stance's quietest sample (its raw angle): start afresh."""
        tmp = self._tmp
        acc = self._acc
        ax = self.axis
        # the axis: a slow average of each stride's dominant rotation
        if unit3(acc[0], acc[1], acc[2], tmp, 0) and unit3(
            3 * ax[0] + tmp[0], 3 * ax[1] + tmp[1], 3 * ax[2] + tmp[2], tmp, 3
        ):
            ax[0] = tmp[3]
            ax[1] = tmp[4]
            ax[2] = tmp[5]
        acc[0] = acc[1] = acc[2] = 0
        self.raw -= raw_v
        self._hi = self._lo = self.raw
        # the next stride's events; a swing must reach a third of this one's rate
        if self.ev >= 1:
            self._ms_thr = max(_MS_MIN, self.sw_max // 3)
        else:
            self._ms_thr = max(_MS_MIN, self._ms_thr >> 1)
        self.reset_events()

    def reset_events(self):
        self.ev = 0
        self.sw_max = -_BIG
        self._run_min = _BIG
        self._t_run_min = -1
        self.t_to = -1

    def restart(self):
        """After standing or a gap: angles start from zero."""
        self.raw = 0
        self._hi = self._lo = 0
        self._acc[0] = self._acc[1] = self._acc[2] = 0
        self.reset_events()
