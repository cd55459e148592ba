"""Finding the initial contact in the last second of samples, once per stride.

The engine writes three int16 rings per sample: the jump of the acceleration magnitude (the
impact's signature), the acceleration magnitude itself, and the pitch rate about the axis as
found. When a stance is confirmed, `find` looks back from the stance's quietest sample:

- with the pitch sign known, the search starts at mid-swing (the fastest toes-up turn after the
  foot's deepest toes-down moment), so the push-off's jolts are not taken for contact, and an
  impact while the foot still turns toes-up fast (a scuff in mid-swing) is passed over;
- contact is the earliest impact at least half as strong as the strongest: the heel's, not the
  forefoot slap that follows it (without a pitch sign, no gyro or none learnt yet, with
  nothing to bound the search at mid-swing, the earliest such impact within 100 ms before the
  one nearest the stance: a heel strike comes that soon before the slap, and the swing's jolts
  further back, a shuffling walker's push-off among them, are left alone);
- the impact is where its jumps begin to rise (a sensor's low-pass filter or an insole's foam
  spreads it out and delays its half-height, not the start of its rise);
- the jerk of an impact peaks once the heel pad and sole have compressed, some 20 ms after first
  touch (the rise time of the heel-strike transient), so contact is taken that much earlier;
- the foot-strike angle is the foot's highest toes-up pitch in the 100 ms up to the impact,
  relative to the stance: summing the pitch rate back from the stance gives it.
"""

from array import array

from micropython import const

from .fixmath import isqrt

_UNKNOWN = const(-999999)  # as in record.py
_BIG = const(0x3FFFFFFF)
_LEAD_MS = const(20)
_SLAP_MS = const(100)  # the forefoot slaps down at most this long after the heel strikes


class ContactFinder:
    def __init__(self, rate_hz):
        self.rate = rate_hz
        self.n = rate_hz  # one second of each
        self.jump = array("h", bytes(2 * self.n))
        self.acc = array("h", bytes(2 * self.n))
        self.pitch = array("h", bytes(2 * self.n))
        self.at = 0  # samples from the stance back to the impact
        self.lead = _LEAD_MS * rate_hz // 1000
        self.slap_n = _SLAP_MS * rate_hz // 1000
        self.impact_mg = _UNKNOWN
        self.angle = _UNKNOWN  # 0.1 deg, or _UNKNOWN without a pitch sign
        self._fast = 0

    def find(self, head, back, span, sign):
        """Search `span` samples back from `back` samples before the newest one (at index
        head - 1). sign: the pitch sign (0: unknown or no gyro: then search only _SLAP_MS back
        from the strong impact nearest the stance). Sets at, impact_mg, angle.
        """
        n = self.n
        start = head - 1 - back
        if start < 0:
            start += n
        pitch = self.pitch
        fast = _BIG
        if sign != 0:
            span = self._fastest(start, self._deepest(start, span, sign), sign)
            fast = self._fast // 3
        jump = self.jump
        top = 0
        i = start
        for _ in range(span):
            if jump[i] > top and (sign * pitch[i] < fast):
                top = jump[i]
            i = i - 1 if i else n - 1
        at = 0
        until = span
        i = start
        for k in range(span):
            if 2 * jump[i] >= top and (sign * pitch[i] < fast):
                if sign == 0 and k + self.slap_n < until:
                    # no pitch to bound the search at mid-swing: from the strong impact
                    # nearest the stance, look back only as far as a heel strike comes before
                    # the forefoot's slap, not into the swing
                    until = k + self.slap_n
                at = k
            if k >= until:
                break
            i = i - 1 if i else n - 1
        # the impact's rise: back from its first strong sample while the jumps stay above an
        # eighth of the strongest (a sensor that filters or is cushioned spreads the impact
        # out: its half-strength comes later, its rise does not)
        i = start - at - 1
        lim = min(at + self.lead, n - 1 - back)  # (within what the ring holds)
        while at < lim and 8 * jump[i] >= top:
            at += 1
            i = i - 1 if i else n - 1
        self.at = at
        k_imp = start - at
        if k_imp < 0:
            k_imp += n
        self.impact_mg = self._peak(k_imp, back + at)
        self.angle = _UNKNOWN if sign == 0 else self._strike_angle(start, at, sign)

    def strongest_jump(self, head, back, span):
        """The strongest jump in `span` samples back from `back` samples before the newest
        one (at index head - 1), as `find` counts them."""
        n = self.n
        jump = self.jump
        i = (head - 1 - back) % n
        top = 0
        for _ in range(span):
            if jump[i] > top:
                top = jump[i]
            i = i - 1 if i else n - 1
        return top

    def _deepest(self, i, span, sign):
        # samples back to the foot's deepest toes-down moment
        pitch = self.pitch
        n = self.n
        angle = 0
        low = 0
        deep = span - 1
        for k in range(span):
            angle -= sign * pitch[i]
            if angle < low:
                low = angle
                deep = k
            i = i - 1 if i else n - 1
        return deep

    def _fastest(self, i, deep, sign):
        # the span to search: back to the fastest toes-up turn after the deepest moment (its
        # rate goes to self._fast; a tuple would be a heap allocation on MicroPython)
        pitch = self.pitch
        n = self.n
        fast = 0
        mid = deep
        for k in range(deep):
            w = sign * pitch[i]
            if w > fast:
                fast = w
                mid = k
            i = i - 1 if i else n - 1
        self._fast = fast
        return mid + 1

    def _strike_angle(self, i, at, sign):
        pitch = self.pitch
        n = self.n
        angle = 0
        best = -_BIG
        for k in range(at + self.rate // 10):
            angle -= sign * pitch[i]
            if k >= at - 1 and angle > best:
                best = angle
            i = i - 1 if i else n - 1
        return best // self.rate

    def _peak(self, i, age):
        # peak acceleration from the impact to 60 ms after it (within what is recorded)
        acc = self.acc
        n = self.n
        span = self.rate * 6 // 100
        if span > age:
            span = age
        top = 0
        for _ in range(span + 1):
            if acc[i] > top:
                top = acc[i]
            i = i + 1 if i < n - 1 else 0
        return isqrt(top << 15) if top > 0 else _UNKNOWN
